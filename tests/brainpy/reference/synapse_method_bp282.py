"""BrainPy 2.8.2 reference numbers for tests/brainpy/test_synapse_method.py (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/synapse_method_bp282.py

A single-exponential synapse steps its decay by its ``method=``: ``bp.dyn.Expon(1, tau=2., method=m)`` at dt 0.5
after one unit of input (its output for 6 steps), and ``bp.synapses.Exponential(..., tau=2., method=m)`` (CUBA,
g_max 2) from three presynaptic spikes into a LIF neuron at rest at -65 mV, dt 0.1 (V at steps 15, 30, 60, 99).
It prints one JSON object.
"""
import json

import brainpy as bp
import brainpy.math as bm
import numpy as np

out = {"expon": {}, "exponential": {}}
bm.set_dt(0.5)
for m in ["euler", "rk2", "heun3", "rk4", "exp_auto"]:
    s = bp.dyn.Expon(1, tau=2.0, method=m)

    class W(bp.DynamicalSystem):
        def __init__(self):
            super().__init__()
            self.s = s

        def update(self, x):
            return self.s(x)

    x = np.zeros((6, 1), np.float32)
    x[0] = 1.0
    out["expon"][m] = np.round(np.asarray(bp.DSRunner(W(), progress_bar=False).predict(inputs=x))[:, 0], 4).tolist()
bm.set_dt(0.1)
for m in ["euler", "rk2", "exp_auto"]:
    pre = bp.neurons.SpikeTimeGroup(2, indices=[0, 1, 0], times=[1.0, 2.0, 3.0])
    post = bp.neurons.LIF(2, V_rest=-65.0, V_reset=-65.0, V_th=-50.0, V_initializer=bp.init.Constant(-65.0))
    syn = bp.synapses.Exponential(pre, post, bp.conn.All2All(), g_max=2.0, tau=2.0, method=m, output=bp.synouts.CUBA())
    r = bp.DSRunner(bp.Network(pre=pre, post=post, syn=syn), monitors={"V": post.V}, progress_bar=False)
    r.run(10.0)
    out["exponential"][m] = np.round(np.asarray(r.mon["V"])[[15, 30, 60, 99], 0], 4).tolist()
print(json.dumps(out))
