"""BrainPy 2.8.2 reference numbers for tests/brainpy/test_gmax_matrix.py (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/gmax_matrix_bp282.py

The old-style ``bp.synapses.AMPA``/``GABAa``/``NMDA`` with a ``(pre, post)`` matrix ``g_max`` (BrainPy takes it as
the weights of its graph): two presynaptic spike trains into two LIF neurons at rest at -65 mV, dt 0.1 ms; V of both
neurons at steps 20, 40 and 99. It prints one JSON object.
"""
import json

import brainpy as bp
import brainpy.math as bm
import numpy as np

bm.set_dt(0.1)
out = {}
for cls in ["AMPA", "GABAa", "NMDA"]:
    pre = bp.neurons.SpikeTimeGroup(2, indices=[0, 1, 0], times=[1.0, 2.0, 3.0])
    post = bp.neurons.LIF(2, V_rest=-65.0, V_reset=-65.0, V_th=-50.0, V_initializer=bp.init.Constant(-65.0))
    W = np.array([[1.0, 0.5], [0.2, 2.0]], dtype=np.float32)
    syn = getattr(bp.synapses, cls)(pre, post, bp.conn.All2All(), g_max=W)
    runner = bp.DSRunner(bp.Network(pre=pre, post=post, syn=syn), monitors={"V": post.V}, progress_bar=False)
    runner.run(10.0)
    out[cls] = np.round(np.asarray(runner.mon["V"])[[20, 40, 99]], 4).tolist()
print(json.dumps(out))
