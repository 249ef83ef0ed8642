"""External drives checked against independent laws (session 33): PoissonGroup's per-step spike
probability, PoissonInput's frequency in other units and as a traced (swept) value, and the tails of
the exact binomial search.

Thresholds come from the statistics (z = 4.5 two-sided, ~7e-6 per check; Poisson tail bounds), with
fixed seeds; references are computed here with numpy/math only (Binomial(n, p) by math.lgamma).
"""
import math

import brainunit as u
import jax
import jax.numpy as jnp
import numpy as np

import brainbatch as bb
from brainbatch.core import assign_paths
from brainbatch.models.inputs import PoissonGroup, PoissonInput, binomial_counts
from brainbatch.models.neurons import LIF

DT = 0.1
Z = 4.5


def binom_sf(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p), summed in float64 from log-pmf terms (math only)."""
    total, j = 0.0, k
    while j <= n:
        term = math.exp(math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1)
                        + j * math.log(p) + (n - j) * math.log1p(-p))
        total += term
        if j > n * p and term < 1e-18 * max(total, 1e-300):
            break
        j += 1
    return total


# -- PoissonGroup -----------------------------------------------------------------------------------
def test_poisson_group_spikes_with_probability_freqs_dt_per_step_per_neuron_and_independently():
    steps, size = 2000, 400
    rates = np.repeat([0.0, 5.0, 50.0, 1000.0], size // 4)  # Hz, one per neuron: p = 0, 5e-4, 5e-3, 0.1
    with bb.environment(key=jax.random.key(3), dt=DT):
        g = PoissonGroup(size, freqs=rates)
        assign_paths(g)
        g.reset()
        s = np.asarray(bb.for_loop(lambda i: g.step_run(i), jnp.arange(steps), dyn_vars=g), np.float64)
    assert s.shape == (steps, size)
    assert s[:, rates == 0].sum() == 0  # rate 0: never
    for r in (5.0, 50.0, 1000.0):
        block = s[:, rates == r]
        p, m = r * DT / 1000, block.size
        assert abs(block.mean() - p) < Z * math.sqrt(p * (1 - p) / m), (r, block.mean(), p)
    # independence across neurons and across steps (Pearson correlations ~ N(0, 1/M) under the null)
    x = s[:, rates == 1000.0] - 0.1
    half = x.shape[1] // 2
    corr = np.corrcoef(x[:, :half].ravel(), x[:, half:].ravel())[0, 1]
    assert abs(corr) < Z / math.sqrt(x[:, :half].size)
    lag1 = np.corrcoef(x[1:].ravel(), x[:-1].ravel())[0, 1]
    assert abs(lag1) < Z / math.sqrt(x[1:].size)


def test_poisson_group_reads_rates_in_khz_and_gives_the_same_spikes_as_in_hz():
    def spikes(freqs):
        with bb.environment(key=jax.random.key(5), dt=DT):
            g = PoissonGroup(50, freqs=freqs)
            assign_paths(g)
            g.reset()
            return np.asarray(bb.for_loop(lambda i: g.step_run(i), jnp.arange(20), dyn_vars=g))

    assert np.array_equal(spikes(0.2 * u.kHz), spikes(200.0))
    assert spikes(200.0).any()


# -- PoissonInput -----------------------------------------------------------------------------------
def v_trace(freq, num_input=400, size=300, steps=20, weight=0.5):
    """V of a LIF group that never fires, driven only by a PoissonInput (key 7, dt 0.1)."""
    with bb.environment(key=jax.random.key(7), dt=DT):
        E = LIF(size, V_th=1e9, tau=1e9)  # no leak over 2 ms: V is the running sum of deliveries
        net = bb.Network(E=E, inp=PoissonInput(E.V, num_input, freq, weight))
        assign_paths(net)
        net.reset()
        return bb.for_loop(lambda i: (net.step_run(i), E.V.value)[1], jnp.arange(steps), dyn_vars=net)


def test_poisson_input_frequency_in_khz_is_the_same_drive_as_in_hz():
    assert np.array_equal(np.asarray(v_trace(0.05 * u.kHz)), np.asarray(v_trace(50.0)))


def test_a_swept_traced_frequency_gives_each_lane_its_run_alone_bitwise():
    # n = 40000: p = 1e-3 takes the exact search, p = 0.3 the normal approximation; p = 0 and 1 are exact
    num_input, freqs = 40_000, [0.0, 10.0, 3000.0, 1000.0 / DT]
    lanes = np.asarray(jax.vmap(lambda f: v_trace(f, num_input))(jnp.array(freqs, jnp.float32)))
    for k, f in enumerate(freqs):
        assert np.array_equal(lanes[k], np.asarray(v_trace(f, num_input))), f
    # the drive is what the law says: the mean jump per step is weight * n * p
    steps = steps_of(lanes[2])
    n, p = num_input, 0.3
    assert abs(steps.mean() - 0.5 * n * p) < Z * 0.5 * math.sqrt(n * p * (1 - p) / steps.size)
    assert np.all(lanes[0] == 0) and np.all(steps_of(lanes[3]) == 0.5 * num_input)


def steps_of(trace):
    return np.diff(trace, axis=0, prepend=0.0)


# -- the tails of the exact binomial search -----------------------------------------------------------
# The search used to sum float32 pmf terms built by a float32 log recurrence from log_pmf0 = n log(1 - p)
# (about -100 to -160 here, where a float32 ulp is 8e-6 to 1.5e-5), so the summed CDF missed 1 by
# ~1e-5: uniforms above it piled up on the last count searched (mean + 6 sd), or the tail beyond
# about mean + 4.3 sd was never drawn. The true tail masses are ~1e-8 and ~5e-6.
def test_the_exact_search_draws_the_far_upper_tail_with_its_binomial_probability():
    M = 2_000_000
    n, p = 1_000_000, 1e-4  # mean 100, sd 10: exact search (variance < 100)
    c = np.asarray(binomial_counts(jax.random.key(2), n, p, (M,)))
    expected = M * binom_sf(155, n, p)  # ~0.6
    assert (c >= 155).sum() <= expected + Z * math.sqrt(expected) + 5
    n, p = 400, 0.33  # mean 132, sd 9.4
    c = np.asarray(binomial_counts(jax.random.key(2), n, p, (M,)))
    k = math.ceil(n * p + 4.5 * math.sqrt(n * p * (1 - p)))
    expected = M * binom_sf(k, n, p)  # ~10: P(none) ~ 6e-5
    assert (c >= k).sum() >= max(expected - Z * math.sqrt(expected), 1)


# (n, p) of the exact method (n p (1 - p) < 100): means from 0.002 to 200, skewed and symmetric, p > 1/2
TABLE_CASES = [(3, 0.4), (20, 0.05), (1000, 0.001), (1_000_000, 1e-4), (400, 0.33), (400, 0.5), (401, 0.499),
               (10 ** 9, 2e-9), (70, 0.9), (5000, 0.02), (250, 0.3), (2 ** 30, 1.5e-7)]


def test_the_search_thresholds_are_the_binomial_cdf_to_a_uniforms_resolution():
    """The thresholds against scipy's binomial CDF (float64): within 1e-6 everywhere (float32 sums and
    products over ~9 doubling steps round by up to ~6e-7 in the bulk; the old search missed by 1e-5), and
    the upper tail relatively: a tail of 1e-6 is read as 1e-6 (2 %), not 0 or 1e-5."""
    from scipy import stats

    from brainbatch.models.inputs._binomial import _thresholds

    table = jax.jit(_thresholds)
    for n, p in TABLE_CASES:
        t = np.asarray(table(jnp.float32(n), jnp.float32(p)), np.float64)
        q = float(np.float32(p)) if p <= 0.5 else 1.0 - float(np.float32(p))  # p > 1/2 counts failures
        k = np.arange(t.size)
        cdf, sf = stats.binom.cdf(k, int(np.float32(n)), q), stats.binom.sf(k, int(np.float32(n)), q)
        assert np.all(np.diff(t) >= -1e-7), (n, p)
        upper = t >= 0.5
        assert np.max(np.abs(t[~upper] - cdf[~upper])) < 1e-6, (n, p)
        assert np.max(np.abs((1.0 - t[upper]) - sf[upper])) < 1e-6, (n, p)
        tail = upper & (sf > 1e-7) & (sf < 1e-4)
        assert np.all(np.abs((1.0 - t[tail]) - sf[tail]) < 0.02 * sf[tail] + 1.2e-7), (n, p)


def test_the_search_thresholds_have_the_same_bits_by_numpy_jitted_and_in_a_batch():
    """A concrete rate's table is made by numpy while tracing, a swept one's inside the program, alone or as one
    lane of a batch: the same bits (so a rate gives the same counts swept or not, alone or in a batch)."""
    from brainbatch.models.inputs._binomial import _thresholds

    ns = jnp.array([n for n, _ in TABLE_CASES], jnp.float32)
    ps = jnp.array([p for _, p in TABLE_CASES], jnp.float32)
    batch = np.asarray(jax.jit(jax.vmap(_thresholds))(ns, ps))
    alone = jax.jit(_thresholds)
    for i, (n, p) in enumerate(TABLE_CASES):
        by_numpy = _thresholds(np.float32(n), np.float32(p), np)
        assert by_numpy.dtype == np.float32 and np.array_equal(by_numpy, batch[i]), (n, p)
        assert np.array_equal(by_numpy, np.asarray(alone(jnp.float32(n), jnp.float32(p)))), (n, p)
    # and the counts: a traced p in a batch of lanes against the concrete p
    key = jax.random.key(11)
    drawn = jax.jit(jax.vmap(lambda p: binomial_counts(key, 400, p, (20_000,))))(jnp.array([0.33, 0.001, 0.9], jnp.float32))
    for i, p in enumerate((0.33, 0.001, 0.9)):
        assert np.array_equal(np.asarray(drawn[i]), np.asarray(jax.jit(lambda k: binomial_counts(k, 400, p, (20_000,)))(key))), p
