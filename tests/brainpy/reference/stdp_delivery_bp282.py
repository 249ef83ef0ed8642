"""BrainPy 2.8.2 reference numbers for tests/brainpy/test_stdp_port.py (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/stdp_delivery_bp282.py
    TOOL=bb python tests/brainpy/reference/stdp_delivery_bp282.py    # the same script on brainbatch

A post neuron that spikes in step 0, two presynaptic spikes (steps 10 and 30) through STDP_Song2000 with
an exponential synapse: the conductance each spike adds (decayed by one step), with and without
depression (then the spike carries the depressed weight). BrainPy's AllToAll needs TrainingMode for
its weight to be a Variable that learns.
"""
import os
import numpy as np
if os.environ.get("TOOL") == "bb":
    import brainbatch.brainpy as bp
    import brainbatch.brainpy.math as bm
else:
    import brainpy as bp
    import brainpy.math as bm
bm.set_dt(0.1)
class Net(bp.DynSysGroup):
    def __init__(self, A2):
        super().__init__()
        self.pre = bp.dyn.SpikeTimeGroup(1, indices=[0, 0], times=[1.0, 3.0])
        self.post = bp.dyn.Lif(1, V_rest=-60., V_th=-50., V_reset=-60., tau=20., V_initializer=bp.init.Constant(-40.))
        self.syn = bp.dyn.STDP_Song2000(self.pre, None, bp.dyn.Expon.desc(1, tau=5.), bp.dnn.AllToAll(1, 1, np.full((1, 1), 0.5, np.float32), mode=bm.TrainingMode()),
                                        bp.dyn.COBA.desc(E=0.), self.post, tau_s=16.8, tau_t=33.7, A1=0.96, A2=A2)
for A2 in (0.0, 0.3):
    net = Net(A2)
    r = bp.DSRunner(net, monitors={'g': net.syn.refs['syn'].g, 'w': lambda: bm.as_jax(net.syn.comm.weight).reshape(-1), 'spk': net.post.spike}, progress_bar=False)
    r.run(4.)
    g = np.asarray(r.mon['g'])[:, 0]
    w = np.asarray(r.mon['w']).reshape(len(g), -1)[:, 0]
    print('A2', A2, 'post spikes', np.flatnonzero(np.asarray(r.mon['spk'])[:, 0]).tolist(),
          'g[9:13]', [round(float(x), 6) for x in g[9:13]], 'g[29:33]', [round(float(x), 6) for x in g[29:33]], 'w end', round(float(w[-1]), 6))
