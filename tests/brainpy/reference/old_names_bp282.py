"""BrainPy 2.8.2 reference numbers for tests/brainpy/test_old_names.py (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/old_names_bp282.py

BrainPy's deprecated synapse names (``bp.synapses.ExpCUBA``, ``ExpCOBA``, ``DualExpCUBA``, ``DualExpCOBA``,
``AlphaCUBA``, ``AlphaCOBA``, ``DeltaSynapse``) from a SpikeTimeGroup(2) into two LIF neurons at rest at -65 mV
(All2All), dt 0.1: V of post neuron 0 at steps 15, 30, 60, 99. It prints one JSON object.
"""
import json
import warnings

import brainpy as bp
import brainpy.math as bm
import numpy as np

warnings.simplefilter("ignore")
CASES = {
    "ExpCUBA": dict(g_max=2.0, tau=2.0),
    "ExpCOBA": dict(g_max=0.2, tau=2.0, E=0.0),
    "DualExpCUBA": dict(g_max=2.0, tau_decay=3.0, tau_rise=1.0),
    "DualExpCOBA": dict(g_max=0.2, tau_decay=3.0, tau_rise=1.0, E=0.0),
    "AlphaCUBA": dict(g_max=2.0, tau_decay=2.0),
    "AlphaCOBA": dict(g_max=0.2, tau_decay=2.0, E=0.0),
    "DeltaSynapse": dict(weights=1.5),
}
bm.set_dt(0.1)
out = {}
for name, kwargs in CASES.items():
    pre = bp.neurons.SpikeTimeGroup(2, indices=[0, 1, 0], times=[1.0, 2.0, 3.0])
    post = bp.neurons.LIF(2, V_rest=-65.0, V_reset=-65.0, V_th=-50.0, V_initializer=bp.init.Constant(-65.0))
    syn = getattr(bp.synapses, name)(pre, post, bp.conn.All2All(), **kwargs)
    r = bp.DSRunner(bp.Network(pre=pre, post=post, syn=syn), monitors={"V": post.V}, progress_bar=False)
    r.run(10.0)
    out[name] = np.round(np.asarray(r.mon["V"])[[15, 30, 60, 99], 0], 4).tolist()
print(json.dumps(out))
