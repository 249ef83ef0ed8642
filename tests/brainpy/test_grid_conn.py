"""``bp.conn.GridFour``, ``GridEight`` and ``GridN``: the grid graphs of BrainPy 2.8.2 (its synaptic_connections
tutorial), pair for pair: the md5 of the int64 ``conn_mat`` and its row sums, printed by BrainPy 2.8.2 for each case
(``require('conn_mat')`` of ``conn(size, size)``)."""
import hashlib

import numpy as np
import pytest

import brainbatch.brainpy as bp

BRAINPY_282 = [  # (connector, grid, synapses, md5[:8] of the int64 matrix, row sums)
    ("GridFour()", (3, 4), 34, "e4d63919", [2, 3, 3, 2, 3, 4, 4, 3, 2, 3, 3, 2]),
    ("GridFour(include_self=True)", (3, 3), 33, "b330bf12", [3, 4, 3, 4, 5, 4, 3, 4, 3]),
    ("GridFour(periodic_boundary=True)", (3, 4), 48, "0f7b3a38", [4] * 12),
    ("GridEight()", (3, 4), 58, "da1a2704", [3, 5, 5, 3, 5, 8, 8, 5, 3, 5, 5, 3]),
    ("GridEight(periodic_boundary=True, include_self=True)", (4, 3), 108, "c5addd0c", [9] * 12),
    ("GridN(N=2)", (5, 5), 336, "c9cfb6de", [8, 11, 14, 11, 8, 11, 15, 19, 15, 11, 14, 19]),
    ("GridN(N=2, periodic_boundary=True)", (5, 6), 720, "8927cf46", [24] * 12),
    ("GridFour()", (5,), 8, "5305aac6", [1, 2, 2, 2, 1]),
    ("GridEight()", (6,), 10, "2446784f", [1, 2, 2, 2, 2, 1]),
    ("GridFour()", (2, 2, 2), 24, "c3b58f4a", [3] * 8),
]


@pytest.mark.parametrize("expr, grid, n, digest, rows", BRAINPY_282)
def test_the_graph_is_brainpys(expr, grid, n, digest, rows):
    mat = np.asarray(eval("bp.conn." + expr)(grid, grid).require("conn_mat")).astype(np.int64)
    assert mat.sum() == n and mat.sum(axis=1).tolist()[:12] == rows
    assert hashlib.md5(mat.tobytes()).hexdigest()[:8] == digest


def test_sizes_at_construction_the_csr_structure_and_bad_input():
    conn = bp.conn.GridFour(pre=(3, 3), post=(3, 3))
    indices, indptr = conn.require("pre2post")
    assert indptr.tolist() == [0, 2, 5, 7, 10, 14, 17, 19, 22, 24] and indices[:2].tolist() == [1, 3]
    with pytest.raises(ValueError, match="connects one grid to itself: give equal pre and post sizes"):
        bp.conn.GridEight()((3, 3), (3, 4))
    with pytest.raises(ValueError, match="GridN: N must be an integer >= 1, got 0"):
        bp.conn.GridN(N=0)


def test_a_connector_called_with_pre_size_only_connects_that_size_to_itself():
    # BrainPy's post_size=None is pre_size, as its synaptic-connections tutorial calls them (they were refused)
    assert bp.connect.GridFour(include_self=False)(pre_size=5).require('conn_mat').shape == (5, 5)
    assert bp.connect.GaussianProb(sigma=2, seed=21)(pre_size=10).require('conn_mat').shape == (10, 10)
    assert bp.connect.FixedProb(0.5, seed=1)(4).require('conn_mat').shape == (4, 4)
    with pytest.raises(TypeError, match=r"is called with \(pre_size, post_size\)"):
        bp.connect.FixedProb(0.5)(post_size=3)
