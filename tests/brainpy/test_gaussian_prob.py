"""``bp.conn.GaussianProb``: BrainPy 2.8.2's connection probabilities, pair for pair, and draws that follow them.

BrainPy connects pair (i, j) where ``p(i, j) >= u`` for a uniform ``u``. Its probability matrix is read from
BrainPy 2.8.2 itself, at three levels (``u`` replaced by a constant: the level sets ``p >= level``) for each
case (tests/brainpy/reference/gaussian_prob_bp282.py prints REFERENCE: the targets of each neuron and the first
16 hex digits of the sha256 of the packed matrix). The draws are checked against brainbatch's matrix by the
binomial law.
"""
import hashlib

import jax
import numpy as np
import pytest
from scipy import stats

import brainbatch as bb
import brainbatch.brainpy as bp

CASES = {
    "1d": dict(size=(12,), sigma=2.0),
    "1d_periodic": dict(size=(12,), sigma=2.0, periodic_boundary=True),
    "1d_no_self_raw": dict(size=(10,), sigma=3.0, include_self=False, normalize=False),
    "2d": dict(size=(5, 4), sigma=1.5),
    "2d_periodic": dict(size=(5, 4), sigma=1.5, periodic_boundary=True),
    "2d_values": dict(size=(6, 3), sigma=0.8, encoding_values=((0.0, np.pi), (-1.0, 1.0)), periodic_boundary=True),
    "2d_one_range": dict(size=(4, 4), sigma=0.5, encoding_values=(0.0, 2.0)),
}

REFERENCE = {
    ("1d", 0.1): ([5, 6, 7, 8, 9, 9, 9, 9, 8, 7, 6, 5], "44aa5164b99b8e39"),
    ("1d", 0.5): ([3, 4, 5, 5, 5, 5, 5, 5, 5, 5, 4, 3], "8c9b74c8d657f727"),
    ("1d", 0.9): ([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], "51d45bbcf510f155"),
    ("1d_periodic", 0.1): ([9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9], "b33b136bc23811f7"),
    ("1d_periodic", 0.5): ([5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5], "9301b25d1a4f8018"),
    ("1d_periodic", 0.9): ([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], "51d45bbcf510f155"),
    ("1d_no_self_raw", 0.1): ([6, 7, 8, 9, 9, 9, 9, 8, 7, 6], "b305c3ec02b9b8e8"),
    ("1d_no_self_raw", 0.5): ([3, 4, 5, 6, 6, 6, 6, 5, 4, 3], "d3771df89251994c"),
    ("1d_no_self_raw", 0.9): ([1, 2, 2, 2, 2, 2, 2, 2, 2, 1], "bd5a1928206c1105"),
    ("2d", 0.1): ([13, 17, 18, 17, 13, 15, 19, 20, 19, 15, 15, 19, 20, 19, 15, 13, 17, 18, 17, 13], "f768f5962a750804"),
    ("2d", 0.5): ([4, 6, 6, 6, 4, 6, 9, 9, 9, 6, 6, 9, 9, 9, 6, 4, 6, 6, 6, 4], "34cd186cc19a9d0b"),
    ("2d", 0.9): ([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], "1398b55f1faa5f52"),
    ("2d_periodic", 0.1): ([20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20], "c4612d488c8b730a"),
    ("2d_periodic", 0.5): ([9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9], "4a358f7088246167"),
    ("2d_periodic", 0.9): ([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], "1398b55f1faa5f52"),
    ("2d_values", 0.1): ([18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18], "8c2a79499be0689d"),
    ("2d_values", 0.5): ([9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9], "5ddd3c16df682b3a"),
    ("2d_values", 0.9): ([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], "29a61e44e1b6ab2d"),
    ("2d_one_range", 0.1): ([6, 8, 8, 6, 8, 11, 11, 8, 8, 11, 11, 8, 6, 8, 8, 6], "971aeba9c4709108"),
    ("2d_one_range", 0.5): ([3, 4, 4, 3, 4, 5, 5, 4, 4, 5, 5, 4, 3, 4, 4, 3], "047ed1826b39a76a"),
    ("2d_one_range", 0.9): ([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], "e8ad1fb4399d2366"),
}


@pytest.mark.parametrize("name, level", sorted(REFERENCE))
def test_the_probabilities_are_brainpys_pair_for_pair(name, level):
    case = dict(CASES[name])
    size = case.pop("size")
    conn = bp.conn.GaussianProb(**case)(size, size)
    mat = conn.probabilities() >= level
    if not conn.include_self:
        np.fill_diagonal(mat, False)
    got = (mat.sum(axis=1).tolist(), hashlib.sha256(np.packbits(mat).tobytes()).hexdigest()[:16])
    assert got == REFERENCE[(name, level)]


def test_draws_connect_each_pair_with_its_probability():
    conn = bp.conn.GaussianProb(sigma=2.0, include_self=False)(12, 12)
    p = conn.probabilities() * (1 - np.eye(12))
    draws = 300
    counts = sum(np.asarray(conn(jax.random.key(s), 12, 12, True).dense()) for s in range(draws))
    assert np.trace(counts) == 0
    inner = (p > 0.02) & (p < 0.98)  # pairs whose count has a usable normal approximation
    z2 = (counts[inner] - draws * p[inner]) ** 2 / (draws * p[inner] * (1 - p[inner]))
    assert stats.chi2.sf(z2.sum(), inner.sum()) > 1e-4, z2.sum()  # fixed seeds; the 1e-4 level
    assert (counts[p < 1e-6] == 0).all()


def test_seed_fixes_the_graph_and_require_gives_brainpys_structures():
    a = np.asarray(bp.conn.GaussianProb(sigma=1.5, seed=4).require((5, 4), (5, 4), "conn_mat"))
    b = np.asarray(bp.conn.GaussianProb(sigma=1.5, seed=4).require((5, 4), (5, 4), "conn_mat"))
    assert a.shape == (20, 20) and np.array_equal(a, b) and a.diagonal().all()  # p(i, i) = 1
    indices, indptr = bp.conn.GaussianProb(sigma=1.5, seed=4).require((5, 4), (5, 4), "pre2post")
    assert np.array_equal(np.diff(np.asarray(indptr)), a.sum(axis=1))


def test_a_network_wired_by_gaussianprob_runs_in_brainpys_synapses_and_in_a_projection():
    class Net(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.E = bp.neurons.LIF((4, 5), V_initializer=bp.init.Constant(0.0))
            self.syn = bp.synapses.Exponential(self.E, self.E, bp.conn.GaussianProb(1.5, include_self=False), g_max=0.5)

    runner = bp.DSRunner(Net(), monitors=["E.spike"], inputs=[("E.input", 30.0)], progress_bar=False)
    runner.run(20.0)
    assert np.asarray(runner.mon["E.spike"]).shape == (200, 20) and np.asarray(runner.mon["E.spike"]).any()

    group = bb.LIF(12, V_initializer=-50.0)
    proj = bb.Projection(group, group, bp.conn.GaussianProb(2.0, pre=12), bb.Exponential(5.0), bb.CUBA(), weight=1.0)
    assert bb.Runner(bb.Network(G=group, proj=proj), monitors={"V": "G.V"}).run(1.0)["V"].shape == (10, 12)


def test_bad_arguments_are_refused_by_name():
    with pytest.raises(ValueError, match="sigma must be a number > 0, got 0"):
        bp.conn.GaussianProb(sigma=0)
    with pytest.raises(ValueError, match="encoding_values must be"):
        bp.conn.GaussianProb(1.0, encoding_values=(1.0, 0.0))(4, 4)
    with pytest.raises(ValueError, match=r"one \(low, high\) per axis of the grid \(3, 2\)"):
        bp.conn.GaussianProb(1.0, encoding_values=((0, 1), (0, 1), (0, 1)))((3, 2), (3, 2))
    with pytest.raises(ValueError, match="connects one grid to itself"):
        bp.conn.GaussianProb(1.0)(4, 5)
    group = bb.LIF(6)
    with pytest.raises(ValueError, match="give the grid first"):
        bb.Runner(bb.Network(G=group, p=bb.Projection(group, group, bp.conn.GaussianProb(1.0), bb.Exponential(5.0),
                                                          bb.CUBA()))).run(1.0)
