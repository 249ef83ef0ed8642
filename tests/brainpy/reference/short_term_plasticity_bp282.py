"""BrainPy 2.8.2 reference numbers for tests/brainpy/test_short_term_plasticity.py (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/short_term_plasticity_bp282.py

Run A, B (dt 0.1 ms, 150 ms): the two examples of ``bp.synapses.STP``'s docstring: ``bp.neurons.LIF(1)`` driven
by ``pre.input = 28`` onto ``bp.neurons.LIF(1)``, All2All; A depressing (U=0.2, tau_d=150, tau_f=2), B
facilitating (U=0.1, tau_d=10, tau_f=100). Monitors ``syn.I``, ``syn.u``, ``syn.x``, ``post.V``.
Run C (dt 0.1 ms, 200 ms): ``bp.synapses.Exponential(..., stp=bp.synplast.STP(U=0.3, tau_f=50, tau_d=100))``
and the same with ``stp=bp.synplast.STD(tau=80, U=0.25)``, from a ``bp.neurons.SpikeTimeGroup`` (3 neurons,
spikes at given times) onto ``bp.neurons.LIF(2)``, a connection matrix (bp.conn.MatConn), CUBA output,
g_max 2, tau 5, delay_step 3 on the STD one.
Run D: ``bp.dyn.STP(2, U=..)`` and ``bp.dyn.STD(2)`` updated by hand with given spikes (their own ``update``).
Prints JSON.
"""
import json

import brainpy as bp
import brainpy.math as bm
import numpy as np

STEPS = (0, 9, 49, 99, 199, 499, 999, 1499)


def docstring_example(U, tau_d, tau_f):
    neu1 = bp.neurons.LIF(1)
    neu2 = bp.neurons.LIF(1)
    syn1 = bp.synapses.STP(neu1, neu2, bp.connect.All2All(), U=U, tau_d=tau_d, tau_f=tau_f)
    net = bp.Network(pre=neu1, syn=syn1, post=neu2)
    runner = bp.DSRunner(net, inputs=[('pre.input', 28.)], monitors=['syn.I', 'syn.u', 'syn.x', 'post.V', 'pre.spike'],
                         progress_bar=False)
    runner.run(150.)
    out = {k: np.asarray(runner.mon[k])[:, 0].astype(float) for k in ('syn.I', 'syn.u', 'syn.x', 'post.V')}
    spikes = np.flatnonzero(np.asarray(runner.mon['pre.spike'])[:, 0]).tolist()
    return {"spike_steps": spikes, **{k: [float(v[s]) for s in STEPS if s < len(v)] for k, v in out.items()},
            "I_max": float(out['syn.I'].max()), "I_argmax": int(out['syn.I'].argmax())}


TIMES = [5.0, 10.0, 15.0, 20.0, 40.0, 60.0, 61.0, 62.0, 63.0, 150.0]
INDICES = [0, 0, 0, 0, 1, 0, 2, 2, 2, 0]
MAT = np.array([[1, 1], [0, 1], [1, 0]], bool)


class NetC(bp.DynSysGroup):
    def __init__(self):
        super().__init__()
        self.src = bp.neurons.SpikeTimeGroup(3, indices=INDICES, times=TIMES)
        self.post1 = bp.neurons.LIF(2, V_rest=0., V_reset=0., V_th=1e9, tau=10.)
        self.post2 = bp.neurons.LIF(2, V_rest=0., V_reset=0., V_th=1e9, tau=10.)
        self.s1 = bp.synapses.Exponential(self.src, self.post1, bp.conn.MatConn(MAT), g_max=2., tau=5., output=bp.synouts.CUBA(),
                                          stp=bp.synplast.STP(U=0.3, tau_f=50., tau_d=100.))
        self.s2 = bp.synapses.Exponential(self.src, self.post2, bp.conn.MatConn(MAT), g_max=2., tau=5., output=bp.synouts.CUBA(),
                                          stp=bp.synplast.STD(tau=80., U=0.25), delay_step=3)


def run_c():
    net = NetC()
    runner = bp.DSRunner(net, monitors=['s1.g', 's2.g', 'post1.V', 'post2.V', 's1.stp.u', 's1.stp.x', 's2.stp.x'],
                         progress_bar=False)
    runner.run(200.)
    out = {}
    for k in ('s1.g', 's2.g', 'post1.V', 'post2.V', 's1.stp.u', 's1.stp.x', 's2.stp.x'):
        v = np.asarray(runner.mon[k]).astype(float)
        out[k] = {str(s): v[s].tolist() for s in (50, 51, 52, 100, 150, 201, 401, 605, 610, 640, 1000, 1505, 1999)}
    return out


def run_d():
    stp = bp.dyn.STP(2, U=bm.asarray([0.2, 0.6]), tau_f=30., tau_d=60.)
    std = bp.dyn.STD(2, tau=40., U=0.3)
    spikes = np.zeros((300, 2), bool)
    spikes[[10, 20, 30, 40, 200], 0] = True
    spikes[[15, 16, 17, 250], 1] = True
    rows = []
    with bm.environment(dt=0.1):
        for i in range(300):
            bp.share.save(t=i * 0.1, dt=0.1, i=i)
            a = stp.update(bm.asarray(spikes[i]))
            b = std.update(bm.asarray(spikes[i]))
            rows.append([*np.asarray(a).tolist(), *np.asarray(b).tolist(), *np.asarray(stp.u.value).tolist(),
                         *np.asarray(stp.x.value).tolist()])
    rows = np.asarray(rows)
    return {str(s): rows[s].tolist() for s in (0, 10, 11, 15, 16, 17, 20, 40, 199, 200, 250, 299)}


if __name__ == "__main__":
    print(json.dumps({"A": docstring_example(0.2, 150., 2.), "B": docstring_example(0.1, 10., 100.), "C": run_c(),
                      "D": run_d(), "version": bp.__version__}))
