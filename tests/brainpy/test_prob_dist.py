"""``bp.conn.ProbDist``: BrainPy 2.8.2's pairs within ``dist``, pair for pair, and draws by the binomial law.

At ``prob=1`` BrainPy's graph is its candidate set; REFERENCE is printed by
tests/brainpy/reference/prob_dist_bp282.py (targets per presynaptic neuron, sha256 of the packed matrix).
"""
import hashlib

import jax
import numpy as np
import pytest
from scipy import stats

import brainbatch as bb
import brainbatch.brainpy as bp

CASES = {
    "1d": dict(pre=(10,), post=(10,), dist=2),
    "1d_no_self": dict(pre=(10,), post=(10,), dist=2, include_self=False),
    "1d_unequal": dict(pre=(6,), post=(9,), dist=1.5),
    "2d": dict(pre=(4, 5), post=(4, 5), dist=1.5),
    "2d_no_self": dict(pre=(4, 5), post=(4, 5), dist=2, include_self=False),
    "2d_unequal": dict(pre=(3, 4), post=(5, 2), dist=1),
    "3d": dict(pre=(3, 2, 4), post=(3, 2, 4), dist=1.2),
}

REFERENCE = {
    "1d": ([3, 4, 5, 5, 5, 5, 5, 5, 4, 3], "9e9ac143b75946ea"),
    "1d_no_self": ([2, 3, 4, 4, 4, 4, 4, 4, 3, 2], "76f47661bb5ab0d9"),
    "1d_unequal": ([2, 3, 3, 3, 3, 3], "85f94ca4a7df0ec2"),
    "2d": ([4, 6, 6, 6, 4, 6, 9, 9, 9, 6, 6, 9, 9, 9, 6, 4, 6, 6, 6, 4], "34cd186cc19a9d0b"),
    "2d_no_self": ([5, 7, 8, 7, 5, 7, 10, 11, 10, 7, 7, 10, 11, 10, 7, 5, 7, 8, 7, 5], "6565beda04357aaa"),
    "2d_unequal": ([3, 3, 1, 0, 4, 4, 1, 0, 4, 4, 1, 0], "3ac9d593185e8e8e"),
    "3d": ([4, 5, 5, 4, 4, 5, 5, 4, 5, 6, 6, 5, 5, 6, 6, 5, 4, 5, 5, 4, 4, 5, 5, 4], "ab32527bcdde126c"),
}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_at_prob_1_the_graph_is_brainpys_pair_for_pair(name):
    case = dict(CASES[name])
    pre, post = case.pop("pre"), case.pop("post")
    mat = np.asarray(bp.conn.ProbDist(prob=1.0, seed=1, **case)(pre, post).require("conn_mat"), bool)
    assert (mat.sum(axis=1).tolist(), hashlib.sha256(np.packbits(mat).tobytes()).hexdigest()[:16]) == REFERENCE[name]


def test_draws_keep_each_candidate_with_prob_and_each_row_with_pre_ratio():
    conn = bp.conn.ProbDist(dist=1.5, prob=0.4, pre_ratio=0.7)((4, 5), (4, 5))
    near = conn.candidates()
    draws = [np.asarray(conn(jax.random.key(s), 20, 20, True).dense()) for s in range(300)]
    assert not any((d & ~near).any() for d in draws)  # never outside the candidates
    rows = np.array([d.any(axis=1) for d in draws])  # a kept row has a synapse unless every draw failed
    kept = np.array([d.sum() for d in draws])
    # synapses per draw: a sum over rows of Bernoulli(pre_ratio) x Binomial(n_row, prob)
    n = near.sum(axis=1)
    mean = (0.7 * 0.4 * n).sum()
    var = (0.7 * n * 0.4 * 0.6 + 0.7 * 0.3 * (n * 0.4) ** 2).sum()
    z = (kept.mean() - mean) / np.sqrt(var / len(kept))
    assert abs(z) < 4, z  # fixed seeds; a 4-sigma band, not a tuned bound
    empty = (1 - 0.7) + 0.7 * (1 - 0.4) ** n  # P(a row has no synapse): dropped, or every candidate failed
    observed = (~rows).sum(axis=0)  # per row: Binomial(draws, empty) over the independent draws
    chi2 = ((observed - len(draws) * empty) ** 2 / (len(draws) * empty * (1 - empty))).sum()
    assert stats.chi2.sf(chi2, len(n)) > 1e-4, chi2


def test_a_network_wired_by_probdist_runs_and_bad_arguments_are_refused():
    group = bb.LIF(12, V_initializer=-50.0)
    proj = bb.Projection(group, group, bp.conn.ProbDist(dist=2, prob=0.5, pre=12, post=12), bb.Exponential(5.0),
                         bb.CUBA(), weight=1.0)
    assert bb.Runner(bb.Network(G=group, proj=proj), monitors={"V": "G.V"}).run(1.0)["V"].shape == (10, 12)
    with pytest.raises(ValueError, match="dist must be a number >= 0"):
        bp.conn.ProbDist(dist=-1)
    with pytest.raises(ValueError, match="pre_ratio must be a number in"):
        bp.conn.ProbDist(pre_ratio=2)
    with pytest.raises(ValueError, match="must have the same number of dimensions"):
        bp.conn.ProbDist()((3, 4), (12,))
    with pytest.raises(ValueError, match="give the grid first"):
        bb.Runner(bb.Network(G=group, p=bb.Projection(group, group, bp.conn.ProbDist(), bb.Exponential(5.0),
                                                          bb.CUBA()))).run(1.0)
