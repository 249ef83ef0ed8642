"""Connectivity: exact sampling (checked statistically with derived tolerances), static shapes,
seeds, vmap, and overflow detection."""
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from brainbatch.models.connectivity import (
    AllToAll, Connectivity, ConnectivityOverflowError, FixedInDegree, FixedOutDegree, FixedPostNum,
    FixedPreNum, FixedProb, OneToOne, binomial_bound, check_overflow,
)
from brainbatch.models.connectivity._fixed_degree import by_pre as _by_pre
from brainbatch.models.connectivity._sampling import distinct_per_row

Z = 5.0  # tolerance in standard deviations: a correct sampler fails a check with probability < 1e-6


by_pre = jax.jit(_by_pre, static_argnums=(1, 2, 3))


def key(seed=0):
    return jax.random.key(seed)


def dense(c: Connectivity) -> np.ndarray:
    return np.asarray(c.dense())


# -- FixedProb ------------------------------------------------------------------------------------
@pytest.mark.parametrize("n_pre,n_post,p", [(1000, 1000, 0.02), (50, 60, 0.9)])
def test_fixed_prob_edge_count_is_binomial(n_pre, n_post, p):
    c = FixedProb(p)(key(1), n_pre, n_post)
    n = n_pre * n_post
    count = int(c.num_synapses())
    assert abs(count - n * p) < Z * math.sqrt(n * p * (1 - p))
    assert not bool(c.overflow)
    assert c.targets.dtype == jnp.int32 and c.targets.shape == (n_pre, binomial_bound(n_post, p))


def test_fixed_prob_row_and_column_counts_have_binomial_mean_and_variance():
    n_pre, n_post, p = 4000, 500, 0.1
    d = dense(FixedProb(p)(key(2), n_pre, n_post))
    assert d.max() == 1  # no duplicate synapses
    for counts, m in ((d.sum(axis=1), n_post), (d.sum(axis=0), n_pre)):
        mean, var = m * p, m * p * (1 - p)
        k = len(counts)
        assert abs(counts.mean() - mean) < Z * math.sqrt(var / k)
        # Var of the sample variance: (2 var^2 + kappa4) / k, kappa4 = var (1 - 6 p (1 - p)) for a binomial.
        sd_var = math.sqrt((2 * var**2 + var * (1 - 6 * p * (1 - p))) / k)
        assert abs(counts.var(ddof=1) - var) < Z * sd_var


def test_fixed_prob_patterns_are_independent_bernoulli():
    """Every one of the 2^5 row patterns appears with probability p^k (1-p)^(5-k): chi-square test."""
    n_pre, n_post, p = 20000, 5, 0.3
    d = dense(FixedProb(p)(key(3), n_pre, n_post))
    codes = d @ (2 ** np.arange(n_post))
    observed = np.bincount(codes, minlength=2**n_post)
    expected = np.array([n_pre * p ** bin(c).count("1") * (1 - p) ** (n_post - bin(c).count("1"))
                         for c in range(2**n_post)])
    chi2 = ((observed - expected) ** 2 / expected).sum()
    dof = 2**n_post - 1
    assert chi2 < dof + Z * math.sqrt(2 * dof)  # normal approximation of chi-square(31)


def test_fixed_prob_without_self_connections():
    n, p = 500, 0.2
    conn = FixedProb(p, allow_self_conn=False)
    d = dense(conn(key(4), n, n, same_group=True))
    assert np.all(np.diag(d) == 0)
    m = n * (n - 1)
    assert abs(d.sum() - m * p) < Z * math.sqrt(m * p * (1 - p))
    # Only the same group excludes the diagonal.
    assert np.diag(dense(conn(key(4), n, n, same_group=False))).sum() > 0


def test_fixed_prob_extremes():
    assert int(FixedProb(0.0)(key(), 30, 40).num_synapses()) == 0
    full = FixedProb(1.0)(key(), 30, 40)
    assert np.all(dense(full) == 1) and not bool(full.overflow)
    d = dense(FixedProb(1.0, allow_self_conn=False)(key(), 30, 30, same_group=True))
    assert np.array_equal(d, 1 - np.eye(30, dtype=int))


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan"), "0.1", True])
def test_fixed_prob_rejects_bad_prob(bad):
    with pytest.raises((ValueError, TypeError), match="prob"):
        FixedProb(bad)


def test_fixed_prob_rejects_traced_prob():
    with pytest.raises(TypeError, match="concrete"):
        jax.jit(lambda p: FixedProb(p)(key(), 10, 10).targets)(0.1)


def test_sizes_are_checked():
    with pytest.raises(ValueError, match="n_post must be an integer >= 1, got 0"):
        FixedProb(0.1)(key(), 10, 0)


# -- fixed degrees ----------------------------------------------------------------------------------
@pytest.mark.parametrize("n_pre,n_post,k", [(200, 300, 7), (100, 50, 80), (30, 30, 30)])
def test_fixed_in_degree_is_exact_and_distinct(n_pre, n_post, k):
    c = FixedInDegree(k)(key(5), n_pre, n_post)  # (100, 80) takes the sort sampler, the others Floyd
    d = dense(c)
    assert d.max() == 1
    assert np.all(d.sum(axis=0) == k)
    assert not bool(c.overflow)
    assert c.targets.shape == (n_pre, binomial_bound(n_post, min(1.0, k / n_pre)))


@pytest.mark.parametrize("k", [5, 90])  # Floyd and the sort sampler
def test_fixed_in_degree_picks_presynaptic_neurons_uniformly(k):
    n_pre, n_post = 100, 3000
    d = dense(FixedInDegree(k)(key(6), n_pre, n_post))
    counts = d.sum(axis=1)  # each pre is chosen by each post with probability k / n_pre
    p = k / n_pre
    expected, var = n_post * p, n_post * p * (1 - p)
    chi2 = ((counts - expected) ** 2 / var).sum()
    # Counts are slightly negatively correlated (they sum to n_post k), which only lowers chi2.
    assert chi2 < n_pre + Z * math.sqrt(2 * n_pre)


def test_fixed_in_degree_without_self_connections():
    d = dense(FixedInDegree(10, allow_self_conn=False)(key(7), 40, 40, same_group=True))
    assert np.all(np.diag(d) == 0) and np.all(d.sum(axis=0) == 10) and d.max() == 1
    with pytest.raises(ValueError, match="num=40 exceeds the 39"):
        FixedInDegree(40, allow_self_conn=False)(key(), 40, 40, same_group=True)


def test_fixed_out_degree_is_exact_and_distinct():
    d = dense(FixedOutDegree(9, allow_self_conn=False)(key(8), 60, 60, same_group=True))
    assert np.all(d.sum(axis=1) == 9) and d.max() == 1 and np.all(np.diag(d) == 0)
    assert FixedPostNum is FixedOutDegree and FixedPreNum is FixedInDegree


def test_distinct_per_row_large_sizes_are_cheap_enough():
    x = jax.jit(lambda k: distinct_per_row(k, 32000, 64000, 80))(key(9))
    x = np.sort(np.asarray(x), axis=1)
    assert x.shape == (32000, 80) and np.all(np.diff(x, axis=1) > 0)


@pytest.mark.parametrize("bad", [-1, 2.5, True])
def test_degree_rejects_bad_num(bad):
    with pytest.raises(ValueError, match="num must be an integer >= 0"):
        FixedInDegree(bad)


# -- one-to-one, all-to-all --------------------------------------------------------------------------
def test_one_to_one_and_all_to_all_are_exact():
    assert np.array_equal(dense(OneToOne()(key(), 6, 6)), np.eye(6, dtype=int))
    with pytest.raises(ValueError, match="n_pre=3 and n_post=4"):
        OneToOne()(key(), 3, 4)
    assert np.all(dense(AllToAll()(key(), 4, 7)) == 1)
    d = dense(AllToAll(allow_self_conn=False)(key(), 5, 5, same_group=True))
    assert np.array_equal(d, 1 - np.eye(5, dtype=int))


# -- seeds, vmap, overflow ----------------------------------------------------------------------------
CONNECTORS = [FixedProb(0.1), FixedInDegree(5), FixedOutDegree(5)]


@pytest.mark.parametrize("conn", CONNECTORS, ids=repr)
def test_vmap_over_keys_matches_one_by_one_and_seeds_differ(conn):
    keys = jax.random.split(key(10), 3)
    batched = jax.jit(jax.vmap(lambda k: conn(k, 80, 90)))(keys)
    assert batched.targets.shape == (3, 80, conn.fan_out(80, 90))  # same static shape for every seed
    targets = np.asarray(batched.targets)  # lanes sliced in numpy: an eager slice compiles a program
    for lane in range(3):
        alone = conn(keys[lane], 80, 90)
        assert np.array_equal(targets[lane], alone.targets)  # same seed, same graph
    assert not np.array_equal(targets[0], targets[1])  # other seed, other graph


class _TooNarrow(FixedProb):
    """A FixedProb whose bound is far too small, to force an overflow."""

    def fan_out(self, n_pre, n_post, same_group=False):
        return 3


def test_fixed_prob_overflow_is_flagged_not_silent():
    c = _TooNarrow(0.5)(key(), 20, 40)
    assert bool(c.overflow)
    with pytest.raises(ConnectivityOverflowError, match="more synapses than the static bound"):
        check_overflow(c)
    check_overflow(FixedProb(0.5)(key(), 20, 40))  # no error


def test_by_pre_overflow_is_flagged():
    sources = jnp.zeros((10, 1), jnp.int32)  # all ten posts pick pre 0: a row of 10
    assert bool(by_pre(sources, 4, 10, 10).overflow) is False
    c = by_pre(sources, 4, 10, 9)
    assert bool(c.overflow)
    assert int(c.num_synapses()) == 9


def test_by_pre_keeps_every_pair():
    sources = jax.random.randint(key(11), (50, 4), 0, 30, dtype=jnp.int32)
    c = by_pre(sources, 30, 50, 50)
    expected = np.zeros((30, 50), int)
    for post, row in enumerate(np.asarray(sources)):
        for pre in row:
            expected[pre, post] += 1
    assert np.array_equal(dense(c), expected)
    rows = np.asarray(c.targets)
    assert np.all(np.diff(rows, axis=1) >= 0)  # targets sorted within each row, padding last


def test_connector_equality_is_a_plain_bool_whatever_the_parameters_hold():
    # JAX's cache of compiled builds compares connectors (static arguments); one holding a value whose ==
    # is element-wise (a Variable, an array) raised "truth value of an array is ambiguous" there, in
    # whatever jitted call happened to probe that cache slot next (a doctest's jnp.where, in CI)
    import brainbatch as bb

    class Holding(FixedProb):
        def __init__(self, prob, extra):
            super().__init__(prob)
            self.extra = extra

    var = bb.Variable(np.arange(3.0))
    a, b = Holding(0.1, var), Holding(0.1, bb.Variable(np.arange(3.0)))
    assert (a == a) is True and (a == b) is False and hash(a) == hash(a)
    same = Holding(0.1, np.arange(3)), Holding(0.1, np.arange(3))  # arrays: by contents
    assert same[0] == same[1] and hash(same[0]) == hash(same[1])
    assert Holding(0.1, np.arange(3)) != Holding(0.1, np.arange(4))
    assert Holding(0.1, jnp.arange(3)) == Holding(0.1, jnp.arange(3))
    assert FixedProb(0.1) == FixedProb(0.1) and FixedProb(0.1) != FixedProb(0.2)
    cached = FixedProb(0.1)
    cached._mat = np.ones((3, 3), bool)  # a cache set after a build (BrainPy's conn): not a parameter
    assert cached == FixedProb(0.1) and hash(cached) == hash(FixedProb(0.1))
