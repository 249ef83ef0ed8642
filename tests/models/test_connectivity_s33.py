"""Connectors checked by their laws over many seeds at once (one compiled program per connector): every
allowed pair equally likely, forbidden pairs never drawn, exact degrees and totals; the same table for the
same key alone or in a batch; odd and bad parameter values. Tolerances are derived from the statistics
(Z standard deviations per count: a correct sampler fails one with probability below 1e-6)."""
import math
from fractions import Fraction

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.core.units import UnitMismatch
from brainbatch.models.connectivity import (
    AllToAll, Explicit, FixedInDegree, FixedOutDegree, FixedProb, FixedTotalNumber, OneToOne,
)

Z = 5.0
SEEDS = 3000


def many(conn, n_pre, n_post, same=False, seeds=SEEDS, seed=0):
    """``(seeds, n_pre, n_post)`` synapse counts of ``seeds`` tables drawn by one vmapped program."""
    keys = jax.random.split(jax.random.key(seed), seeds)
    return np.asarray(jax.jit(jax.vmap(lambda k: conn(k, n_pre, n_post, same).dense()))(keys))


def assert_pairs_uniform(counts, allowed, per_table, var_per_table):
    """Each allowed pair's count summed over the tables is within Z sd of its mean; others are never drawn."""
    total = counts.sum(axis=0).astype(float)
    s = counts.shape[0]
    assert np.all(total[~allowed] == 0)
    z = (total[allowed] - s * per_table) / math.sqrt(s * var_per_table)
    assert np.abs(z).max() < Z, z


# -- FixedProb: each allowed pair independently with probability p ------------------------------------------
@pytest.mark.parametrize("p", [0.3, 0.97])
def test_fixed_prob_pairs_have_probability_p_and_self_pairs_none(p):
    n = 7
    d = many(FixedProb(p, allow_self_conn=False), n, n, same=True)
    assert d.max() == 1  # no multapses
    allowed = ~np.eye(n, dtype=bool)
    assert_pairs_uniform(d, allowed, p, p * (1 - p))
    # a table's total ~ Binomial(n (n - 1), p): mean and variance (sd of a sample variance as in test_connectivity)
    m = n * (n - 1)
    totals = d.sum(axis=(1, 2))
    mean, var = m * p, m * p * (1 - p)
    assert abs(totals.mean() - mean) < Z * math.sqrt(var / SEEDS)
    sd_var = math.sqrt((2 * var**2 + var * (1 - 6 * p * (1 - p))) / SEEDS)
    assert abs(totals.var(ddof=1) - var) < Z * sd_var


def test_fixed_prob_rows_of_different_groups_keep_i_to_i_pairs():
    """allow_self_conn=False removes i -> i only when pre and post are the same group (pre is post)."""
    p = 0.4
    d = many(FixedProb(p, allow_self_conn=False), 5, 8, same=False)
    assert_pairs_uniform(d, np.ones((5, 8), bool), p, p * (1 - p))
    rows = d.sum(axis=2)  # a row's count ~ Binomial(8, p)
    assert abs(rows.mean() - 8 * p) < Z * math.sqrt(8 * p * (1 - p) / rows.size)


def test_fixed_prob_edges_zero_and_one_on_any_shape():
    key = jax.random.key(3)
    for n_pre, n_post, same in ((3, 5, False), (4, 4, True)):
        assert int(FixedProb(0.0)(key, n_pre, n_post, same).num_synapses()) == 0
        assert int(FixedProb(0)(key, n_pre, n_post, same).num_synapses()) == 0
        full = FixedProb(1)(key, n_pre, n_post, same)
        assert np.all(np.asarray(full.dense()) == 1) and not bool(full.overflow)
    d = np.asarray(FixedProb(1.0, allow_self_conn=False)(key, 1, 1, same_group=True).dense())
    assert d.tolist() == [[0]]  # a lone neuron without its self-connection has none


# -- fixed degrees: exact degrees, partners uniform --------------------------------------------------------
@pytest.mark.parametrize("n,k", [(8, 3), (33, 27)])  # Floyd's sampler, the sort sampler (k^2 > 4 m log2 m)
def test_fixed_out_degree_is_exact_and_its_partners_uniform_without_self(n, k):
    d = many(FixedOutDegree(k, allow_self_conn=False), n, n, same=True)
    assert d.max() == 1 and np.all(d.sum(axis=2) == k)
    q = k / (n - 1)  # each of the n - 1 others is a target with probability k / (n - 1)
    assert_pairs_uniform(d, ~np.eye(n, dtype=bool), q, q * (1 - q))


def test_fixed_in_degree_sort_sampler_partners_uniform_on_unequal_groups():
    n_pre, n_post, k = 32, 9, 28  # k * k > 4 n ceil(log2 n): the sort sampler
    d = many(FixedInDegree(k), n_pre, n_post)
    assert d.max() == 1 and np.all(d.sum(axis=1) == k)
    q = k / n_pre
    assert_pairs_uniform(d, np.ones((n_pre, n_post), bool), q, q * (1 - q))


@pytest.mark.parametrize("cls", [FixedInDegree, FixedOutDegree])
def test_degrees_with_multapses_draw_with_replacement_among_the_others(cls):
    n, k = 6, 9  # k > n: only with multapses
    d = many(cls(k, allow_self_conn=False, allow_multapses=True), n, n, same=True)
    axis = 1 if cls is FixedInDegree else 2
    assert np.all(d.sum(axis=axis) == k)
    assert d.max() > 1  # a pair drawn twice happens in some table
    q = 1 / (n - 1)  # each of the k draws picks one of the n - 1 others: count ~ Binomial(k, q)
    assert_pairs_uniform(d, ~np.eye(n, dtype=bool), k * q, k * q * (1 - q))


def test_degrees_larger_than_the_population_are_refused_without_multapses():
    key = jax.random.key(0)
    with pytest.raises(ValueError, match=r"num=6 exceeds the 5 distinct postsynaptic neurons"):
        FixedOutDegree(6)(key, 3, 5)
    with pytest.raises(ValueError, match=r"num=5 exceeds the 4 distinct presynaptic .*self-connections excluded"):
        FixedInDegree(5, allow_self_conn=False)(key, 5, 5, same_group=True)
    assert np.all(np.asarray(FixedOutDegree(5)(key, 3, 5).dense()) == 1)  # k = n: every partner
    with pytest.raises(ValueError, match="other than the neuron itself"):
        FixedInDegree(1, allow_self_conn=False, allow_multapses=True)(key, 1, 1, same_group=True)


def test_degrees_beyond_int32_counts_are_refused_before_any_draw():
    # 2**40 failed inside the draw ("Python integer ... out of bounds for int32"), 2**31 - 1 per neuron ran the
    # machine out of memory: the synapses are counted and indexed in int32, as FixedTotalNumber's num
    with pytest.raises(ValueError, match=r"num must be an integer >= 0 and <= 2147483647, got 1099511627776"):
        FixedInDegree(2**40, allow_multapses=True)
    with pytest.raises(ValueError, match=r"make 4.29e\+09 synapses, more than one projection holds"):
        FixedOutDegree(2**31 - 1, allow_multapses=True)(jax.random.key(0), 2, 3)


# -- FixedTotalNumber: the exact total, pairs uniform --------------------------------------------------------
def test_fixed_total_number_with_multapses_without_self_pairs():
    n, num = 6, 20
    d = many(FixedTotalNumber(num, allow_self_conn=False), n, n, same=True)
    assert np.all(d.sum(axis=(1, 2)) == num)
    q = 1 / (n * (n - 1))  # each synapse is one of the n (n - 1) allowed pairs: count ~ Binomial(num, q)
    assert_pairs_uniform(d, ~np.eye(n, dtype=bool), num * q, num * q * (1 - q))


def test_fixed_total_number_distinct_pairs_is_a_uniform_subset():
    n_pre, n_post, num = 4, 5, 12
    d = many(FixedTotalNumber(num, allow_multapses=False), n_pre, n_post)
    assert np.all(d.sum(axis=(1, 2)) == num) and d.max() == 1
    q = num / (n_pre * n_post)  # every set of num pairs equally likely: each pair with probability num / 20
    assert_pairs_uniform(d, np.ones((n_pre, n_post), bool), q, q * (1 - q))


# -- the same key, the same table: alone, in a batch, again; other keys, other tables ---------------------
CONNECTORS = [FixedProb(0.2, allow_self_conn=False), FixedInDegree(33), FixedOutDegree(4, allow_multapses=True),
              FixedTotalNumber(300), FixedTotalNumber(300, allow_multapses=False, allow_self_conn=False),
              AllToAll(allow_self_conn=False), OneToOne(), Explicit([0, 3, 3], [1, 2, 2])]


@pytest.mark.parametrize("conn", CONNECTORS, ids=repr)
def test_a_batch_draws_bit_for_bit_the_tables_each_key_draws_alone(conn):
    n = 40  # FixedInDegree(33) of 40 takes the sort sampler
    keys = jax.random.split(jax.random.key(21), 3)
    batched = np.asarray(jax.jit(jax.vmap(lambda k: conn(k, n, n, True).targets))(keys))
    for lane in range(3):
        alone = np.asarray(conn(keys[lane], n, n, True).targets)
        assert np.array_equal(batched[lane], alone)
        assert np.array_equal(alone, np.asarray(conn(keys[lane], n, n, True).targets))  # again: the same
    random = not isinstance(conn, (AllToAll, OneToOne, Explicit))
    assert (not np.array_equal(batched[0], batched[1])) == random


# -- parameter values of other types ------------------------------------------------------------------------
@pytest.mark.parametrize("value,expected", [
    (np.float32(0.25), 0.25), (np.float64(0.25), 0.25), (Fraction(1, 4), 0.25), (np.array(0.25), 0.25),
    (jnp.float32(0.25), 0.25), (1, 1.0), (np.int64(1), 1.0), (0, 0.0),
])
def test_fixed_prob_takes_any_real_number(value, expected):
    conn = FixedProb(value)
    assert conn.prob == expected and type(conn.prob) is float
    assert conn == FixedProb(expected)  # one compiled build for equal probabilities


def test_fixed_prob_takes_a_unitless_quantity_and_refuses_a_unit():
    u = pytest.importorskip("brainunit")
    assert FixedProb(u.Quantity(0.25)) == FixedProb(0.25)
    # it said "prob must be a number in [0, 1], got Quantity(0.25)" of a number in [0, 1]
    with pytest.raises(UnitMismatch, match=r"prob is a probability \(no unit\).*mV"):
        FixedProb(0.25 * u.mV)
    with pytest.raises(ValueError, match=r"prob must be in \[0, 1\], got 1.5"):
        FixedProb(u.Quantity(1.5))


@pytest.mark.parametrize("bad,error", [
    (-0.01, ValueError), (1.0000001, ValueError), (float("nan"), ValueError), (float("inf"), ValueError),
    (np.float32("nan"), ValueError), (True, TypeError), (np.bool_(False), TypeError), ("0.2", TypeError),
    (None, TypeError), (np.array([0.2]), TypeError), (0.2 + 0j, TypeError),
])
def test_fixed_prob_refuses_out_of_range_and_non_numbers(bad, error):
    with pytest.raises(error, match="prob"):
        FixedProb(bad)


# -- 2-D groups through a projection -------------------------------------------------------------------------
def test_a_2d_group_onto_itself_drops_its_self_pairs_and_graph_seed_fixes_the_graph():
    group = bb.LifRef((3, 4))
    proj = bb.Projection(group, group, FixedProb(1.0, allow_self_conn=False), bb.Delta(), weight=1.0, graph_seed=5)
    net = bb.Network(group, proj)
    tables = []
    for seed in (0, 1):
        with bb.environment(key=jax.random.key(seed), dt=0.1):
            bb.core.assign_paths(net)
            net.reset()
        tables.append(np.asarray(proj.targets.value))
    targets = tables[0]
    assert targets.shape == (12, 11)  # 12 neurons, each onto the 11 others
    assert np.array_equal(targets, [[j for j in range(12) if j != i] for i in range(12)])
    assert np.array_equal(tables[0], tables[1])


# -- BrainPy's keywords for the same connectors ---------------------------------------------------------------
@pytest.mark.parametrize("make,message", [
    # allow_multi_conn was answered "Did you mean 'allow_self_conn'?": the other setting
    (lambda: FixedTotalNumber(5, allow_multi_conn=False), "BrainPy's allow_multi_conn is allow_multapses here"),
    (lambda: bb.FixedPreNum(5, include_self=False), "BrainPy's include_self is allow_self_conn here"),
    (lambda: FixedProb(0.1, allow_multi_conn=True), "FixedProb makes at most one synapse per pair"),
    (lambda: FixedProb(0.1, seed=3), r"Projection\(\.\.\., graph_seed=\.\.\.\)"),
    (lambda: FixedProb(0.1, allow_self_conns=False), "Did you mean 'allow_self_conn'"),
])
def test_brainpy_keywords_are_answered_with_brainbatch_names(make, message):
    with pytest.raises(TypeError, match=message):
        make()
