"""BrainPy 2.8.2 reference numbers for tests/brainpy/test_pair_synapse.py (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/pair_synapse_bp282.py

The two-variable synapses step ``g`` and ``h`` together by their ``method=`` (``odeint(JointEq(dg, dh))``):
``bp.dyn.Alpha(1, tau_decay=2., method=m)`` and ``bp.dyn.DualExpon(1, tau_decay=3., tau_rise=1., method=m)`` at
dt 0.5 after one unit of input (``g`` for 8 steps). ``bp.synapses.Alpha`` / ``DualExponential`` (aligned with pre:
``g`` and ``h`` per presynaptic neuron) from SpikeTimeGroup(2) into three LIF neurons (All2All, CUBA,
g_max 2), dt 0.1: the shapes of ``syn.g`` / ``syn.h``, ``g`` and ``h`` of pre neuron 0 and V of post neuron 0 at
steps 15, 30, 60, 99. It prints one JSON object.
"""
import json

import brainpy as bp
import brainpy.math as bm
import numpy as np

METHODS = ["euler", "rk2", "heun3", "rk4", "exp_auto"]
STEPS = [15, 30, 60, 99]


def unit_response(syn):
    class W(bp.DynamicalSystem):
        def __init__(self):
            super().__init__()
            self.s = syn

        def update(self, x):
            return self.s(x)

    x = np.zeros((8, 1), np.float32)
    x[0] = 1.0
    return np.round(np.asarray(bp.DSRunner(W(), progress_bar=False).predict(inputs=x))[:, 0], 5).tolist()


out = {"alpha": {}, "dualexpon": {}, "old": {}}
bm.set_dt(0.5)
for m in METHODS:
    out["alpha"][m] = unit_response(bp.dyn.Alpha(1, tau_decay=2.0, method=m))
    out["dualexpon"][m] = unit_response(bp.dyn.DualExpon(1, tau_decay=3.0, tau_rise=1.0, method=m))
bm.set_dt(0.1)
for kind in ["Alpha", "DualExponential"]:
    for m in ["euler", "exp_auto"]:
        pre = bp.neurons.SpikeTimeGroup(2, indices=[0, 1, 0], times=[1.0, 2.0, 3.0])
        post = bp.neurons.LIF(3, V_rest=-65.0, V_reset=-65.0, V_th=-50.0, V_initializer=bp.init.Constant(-65.0))
        kw = dict(tau_decay=2.0) if kind == "Alpha" else dict(tau_decay=3.0, tau_rise=1.0)
        syn = getattr(bp.synapses, kind)(pre, post, bp.conn.All2All(), g_max=2.0, method=m, output=bp.synouts.CUBA(),
                                         **kw)
        r = bp.DSRunner(bp.Network(pre=pre, post=post, syn=syn), monitors={"V": post.V, "g": syn.g, "h": syn.h},
                        progress_bar=False)
        r.run(10.0)
        out["old"][f"{kind}/{m}"] = {
            "shapes": [list(np.shape(syn.g)), list(np.shape(syn.h))],
            "g": np.round(np.asarray(r.mon["g"])[STEPS, 0], 5).tolist(),
            "h": np.round(np.asarray(r.mon["h"])[STEPS, 0], 5).tolist(),
            "V": np.round(np.asarray(r.mon["V"])[STEPS, 0], 4).tolist(),
        }
print(json.dumps(out))
