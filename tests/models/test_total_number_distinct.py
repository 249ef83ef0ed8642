"""``FixedTotalNumber(allow_multapses=False)`` and BrainPy's ``FixedTotalNum``: ``num`` distinct pairs, every set
of ``num`` pairs equally likely. Checked against the law (scipy's hypergeometric), not against brainbatch."""
import jax
import numpy as np
import pytest
from scipy import stats

import brainbatch.brainpy as bp
from brainbatch.models.connectivity import FixedTotalNumber

N_PRE, N_POST, NUM, DRAWS = 12, 10, 30, 400


@pytest.fixture(scope="module")
def matrices():
    conn = FixedTotalNumber(NUM, allow_multapses=False)
    return np.stack([np.asarray(conn(jax.random.key(s), N_PRE, N_POST).dense()) for s in range(DRAWS)])


def test_each_draw_holds_exactly_num_distinct_pairs(matrices):
    assert matrices.max() == 1 and (matrices.sum(axis=(1, 2)) == NUM).all()


def test_every_pair_is_equally_likely(matrices):
    # each pair is in a draw with probability NUM / (N_PRE * N_POST); over DRAWS independent draws its count is
    # Binomial(DRAWS, p): a chi-square over the 120 pairs (fixed seeds; the 1e-4 level, not a tuned bound)
    p = NUM / (N_PRE * N_POST)
    counts = matrices.sum(axis=0).ravel()
    chi2 = ((counts - DRAWS * p) ** 2 / (DRAWS * p * (1 - p))).sum()
    assert stats.chi2.sf(chi2, counts.size - 1) > 1e-4, chi2


def test_out_degrees_follow_the_hypergeometric_law(matrices):
    degrees = matrices.sum(axis=2).ravel()  # a pre neuron's out-degree: its row's share of the NUM pairs
    law = stats.hypergeom(N_PRE * N_POST, N_POST, NUM)
    observed = np.bincount(degrees, minlength=N_POST + 1)
    expected = law.pmf(np.arange(N_POST + 1)) * degrees.size
    keep = expected >= 5  # the usual chi-square rule, the tails pooled
    obs = np.append(observed[keep], observed[~keep].sum())
    exp = np.append(expected[keep], expected[~keep].sum())
    assert stats.chisquare(obs, exp).pvalue > 1e-4
    mean, var = FixedTotalNumber(NUM, allow_multapses=False).out_degree_moments(N_PRE, N_POST)
    assert np.isclose(mean, law.mean()) and np.isclose(var, law.var())


def test_without_self_connections_no_pair_is_its_own_and_all_others_can_be_drawn():
    n = 6
    conn = FixedTotalNumber(n * (n - 1), allow_self_conn=False, allow_multapses=False)
    d = np.asarray(conn(jax.random.key(3), n, n, True).dense())
    assert d.sum() == n * (n - 1) and np.trace(d) == 0 and d.max() == 1  # every other pair, once


def test_brainpys_fixedtotalnum_counts_fractions_and_refuses_what_it_cannot_draw():
    assert int(bp.conn.FixedTotalNum(7, seed=1).require(8, 10, "conn_mat").sum()) == 7
    assert int(bp.conn.FixedTotalNum(0.25, seed=1).require(8, 10, "conn_mat").sum()) == 20  # round(0.25 * 80)
    same = bp.conn.FixedTotalNum(7, seed=1).require(8, 10, "conn_mat")
    assert np.array_equal(same, bp.conn.FixedTotalNum(7, seed=1).require(8, 10, "conn_mat"))  # seed: one graph
    with pytest.raises(ValueError, match="only 25 distinct pairs exist between 5 and 5 neurons"):
        bp.conn.FixedTotalNum(100).require(5, 5, "conn_mat")
    with pytest.raises(ValueError, match=r"num must be an integer >= 0 or a fraction in \[0, 1\]"):
        bp.conn.FixedTotalNum(1.5)
    with pytest.raises(TypeError, match="allow_multi_conn=True is not supported"):
        bp.conn.FixedTotalNum(3, allow_multi_conn=True)
    with pytest.raises(ValueError, match="use allow_multapses=True or FixedProb for groups this large"):
        FixedTotalNumber(10, allow_multapses=False)(jax.random.key(0), 20000, 20000)


def test_a_network_wired_by_fixedtotalnum_runs_with_that_many_synapses():
    import brainbatch as bb

    pre, post = bb.LIF(20, V_initializer=-50.0), bb.LIF(15)
    proj = bb.Projection(pre, post, bp.conn.FixedTotalNum(60), bb.Exponential(5.0), bb.CUBA(), weight=1.0)
    runner = bb.Runner(bb.Network(pre=pre, post=post, proj=proj), monitors={"V": "post.V"})
    out = runner.run(1.0)
    assert out["V"].shape == (10, 15)
    conn = bp.conn.FixedTotalNum(60)(jax.random.key(0), 20, 15)
    assert int(conn.num_synapses()) == 60
