"""BrainPy 2.8.2 reference numbers for tests/brainpy/test_gap_junction.py (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/gap_junction_bp282.py

``bp.synapses.GapJunction``: LIF groups (tau 10, no spike) at fixed starting V, dt 0.1 ms, 20 steps,
between two groups (All2All, g_max 0.2, 'dense' and 'sparse', a constant 3 into ``a.input``) and within
one group (All2All without self-connections, g_max 0.1). It prints ``{case: {var: V at steps 0, 1, 9, 19}}``.
"""
import json
import brainpy as bp
import brainpy.math as bm
import numpy as np

bm.set_platform("cpu")
bm.set_dt(0.1)

def lif(n, v0):
    return bp.neurons.LIF(n, V_rest=0., V_reset=0., V_th=30., tau=10., V_initializer=bp.init.Constant(bm.asarray(v0)))

def run(net, mon, inputs=()):
    r = bp.DSRunner(net, monitors=mon, inputs=list(inputs), progress_bar=False)
    r.run(20 * 0.1)
    return {m: np.asarray(r.mon[m])[[0, 1, 9, 19]].tolist() for m in mon}

out = {}
for method in ("dense", "sparse"):
    a, b = lif(2, [10., 0.]), lif(3, [0., 5., -5.])
    gj = bp.synapses.GapJunction(a, b, bp.conn.All2All(), g_max=0.2, comp_method=method)
    out[f"two_groups_{method}"] = run(bp.Network(gj=gj, a=a, b=b), ['a.V', 'b.V'], [('a.input', 3.)])
a = lif(3, [10., 0., -4.])
gj = bp.synapses.GapJunction(a, a, bp.conn.All2All(include_self=False), g_max=0.1)
out["self"] = run(bp.Network(a=a, gj=gj), ['a.V'])
print(json.dumps(out))
