"""BrainPy 2.8.2 reference numbers for tests/brainpy/test_delta_synapse.py (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/delta_synapse_bp282.py

``bp.synapses.Delta`` (2.3 style): one source spiking at t = 0.5 ms (step 2, dt 0.25 ms), ``All2All``
with ``g_max=2`` onto a ``LIF`` starting at V = 5 (tau 10, no spike), ``delay_step`` None/0/1/3, in a
``bp.Network`` and in a custom ``update`` (pre, syn, post); the output into ``input``; ``post_ref_key``;
``One2One``. It prints ``{case: [post.V of neuron 0 per step]}`` (``one2one``: all neurons).
"""
import json
import brainpy as bp
import brainpy.math as bm
import numpy as np

bm.set_platform("cpu")
bm.set_dt(0.25)
N = 10

def run(net, mon):
    r = bp.DSRunner(net, monitors=mon, progress_bar=False)
    r.run(N * 0.25)
    return {m: np.round(np.asarray(r.mon[m], dtype=float)[:, 0], 5).tolist() for m in mon}

def lif():
    return bp.neurons.LIF(2, V_rest=0., V_reset=0., V_th=20., tau=10., V_initializer=bp.init.Constant(5.))

out = {}
for d in (None, 0, 1, 3):
    pre = bp.neurons.SpikeTimeGroup(1, indices=[0], times=[0.5])
    post = lif()
    syn = bp.synapses.Delta(pre, post, bp.conn.All2All(), g_max=2.0, delay_step=d)
    out[f"group_{d}"] = run(bp.Network(syn=syn, pre=pre, post=post), ['post.V'])['post.V']
    class Net(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.pre = bp.neurons.SpikeTimeGroup(1, indices=[0], times=[0.5])
            self.post = lif()
            self.syn = bp.synapses.Delta(self.pre, self.post, bp.conn.All2All(), g_max=2.0, delay_step=d)
        def update(self):
            self.pre()
            self.syn()
            self.post()
    out[f"custom_{d}"] = run(Net(), ['post.V'])['post.V']
# output into input
pre = bp.neurons.SpikeTimeGroup(1, indices=[0], times=[0.5])
post = lif()
syn = bp.synapses.Delta(pre, post, bp.conn.All2All(), g_max=2.0, output=bp.synouts.CUBA(target_var='input'))
out["into_input"] = run(bp.Network(syn=syn, pre=pre, post=post), ['post.V'])['post.V']
# post_ref_key: a refractory post drops the jump (LIF with tau_ref, driven to spike at step 0)
pre = bp.neurons.SpikeTimeGroup(1, indices=[0, 0], times=[0.5, 1.5])
post = bp.neurons.LIF(1, V_rest=0., V_reset=0., V_th=4., tau=10., tau_ref=0.75, ref_var=True, V_initializer=bp.init.Constant(5.))
syn = bp.synapses.Delta(pre, post, bp.conn.All2All(), g_max=2.0, post_ref_key='refractory')
out["ref_key"] = run(bp.Network(syn=syn, pre=pre, post=post), ['post.V', 'post.spike', 'post.refractory'])
# One2One with 3 neurons, per-neuron spike times
pre = bp.neurons.SpikeTimeGroup(3, indices=[0, 1, 2], times=[0.25, 0.5, 0.5])
post = bp.neurons.LIF(3, V_rest=0., V_reset=0., V_th=20., tau=10.)
syn = bp.synapses.Delta(pre, post, bp.conn.One2One(), g_max=1.5)
r = bp.DSRunner(bp.Network(syn=syn, pre=pre, post=post), monitors=['post.V'], progress_bar=False)
r.run(6 * 0.25)
out["one2one"] = np.round(np.asarray(r.mon['post.V']), 5).tolist()
print(json.dumps(out))
