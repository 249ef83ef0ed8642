"""BrainPy 2.8.2 reference numbers for tests/brainpy/test_masked_linear.py (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/masked_linear_bp282.py

``bp.dnn.MaskedLinear(conn, weight)`` (``y = x @ (weight * conn.require('conn_mat'))``) in the 2.4 projections,
dt 0.1 ms, 10 ms; the synaptic g and the postsynaptic V at steps 10, 30, 60 and 99:

- ``post_matrix``: three spike trains through a hand-made mask (``MatConn``) with a (3, 2) weight matrix into an
  ``Expon`` + ``CUBA`` align-post projection onto two ``Lif`` neurons (which entry weighs which pair);
- ``pre_noself``: ``FixedProb(1., include_self=False)`` (its dense matrix: the diagonal cleared) with a (3, 3) weight
  matrix, an ``Expon`` on the presynaptic side (``ProjAlignPreMg2``: g, not spikes, goes through the product) and
  ``CUBA``;
- ``tutorial``: the synapse tutorial's ``MaskedLinear(bp.conn.FixedProb(1., pre=1, post=1), g)`` (g = 5 as a
  one-value array) between a spike train and a ``LifRef``, ``Expon`` + ``CUBA``.

Outputs are ``CUBA``: BrainPy's plain neurons hold a ``COBA`` current fixed over a step, which brainbatch does not
(docs/migrating-from-brainpy.md, "Synapses integrate as BrainPy's"), so a ``COBA`` case would test that instead.

It prints one JSON object.
"""
import json

import brainpy as bp
import brainpy.math as bm
import numpy as np

bm.set_dt(0.1)
STEPS = [10, 30, 60, 99]


def lif(n):
    return bp.dyn.Lif(n, V_rest=-65.0, V_reset=-65.0, V_th=-50.0, tau=10.0, V_initializer=bp.init.Constant(-65.0))


def run(pre, proj, post):
    net = bp.DynSysGroup(pre=pre, proj=proj, post=post)
    runner = bp.DSRunner(net, monitors={"V": post.V, "g": proj.refs["syn"].g}, progress_bar=False)
    runner.run(10.0)
    return {k: np.round(np.asarray(runner.mon[k])[STEPS], 5).tolist() for k in ("V", "g")}


out = {}
pre = bp.dyn.SpikeTimeGroup(3, indices=[0, 1, 2, 0, 1], times=[1.0, 2.0, 3.0, 5.0, 5.0])
post = lif(2)
mask = np.array([[1, 0], [1, 1], [0, 1]])
W = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], dtype=np.float32)
proj = bp.dyn.ProjAlignPostMg2(pre=pre, delay=None, comm=bp.dnn.MaskedLinear(bp.conn.MatConn(mask), W),
                               syn=bp.dyn.Expon.desc(2, tau=5.0), out=bp.dyn.CUBA.desc(), post=post)
out["post_matrix"] = run(pre, proj, post)

pre = bp.dyn.SpikeTimeGroup(3, indices=[0, 1, 2, 0], times=[1.0, 2.0, 3.0, 4.0])
post = lif(3)
W3 = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], dtype=np.float32)
conn = bp.conn.FixedProb(1.0, include_self=False, pre=3, post=3)
proj = bp.dyn.ProjAlignPreMg2(pre=pre, delay=None, syn=bp.dyn.Expon.desc(3, tau=5.0),
                              comm=bp.dnn.MaskedLinear(conn, W3), out=bp.dyn.CUBA(), post=post)
out["pre_noself"] = run(pre, proj, post)

pre = bp.dyn.SpikeTimeGroup(1, indices=(0, 0, 0, 0), times=(1.0, 3.0, 5.0, 7.0))
post = bp.dyn.LifRef(1, V_rest=-60.0, V_th=-50.0, V_reset=-60.0, tau=20.0, tau_ref=5.0,
                     V_initializer=bp.init.Constant(-60.0))
proj = bp.dyn.ProjAlignPostMg2(pre=pre, delay=None,
                               comm=bp.dnn.MaskedLinear(bp.conn.FixedProb(1.0, pre=1, post=1), np.array([5.0])),
                               syn=bp.dyn.Expon.desc(1, tau=5.0), out=bp.dyn.CUBA.desc(), post=post)
out["tutorial"] = run(pre, proj, post)
print(json.dumps(out))
