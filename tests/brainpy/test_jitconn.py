"""``bm.jitconn``: BrainPy's just-in-time connectivity (``mv_prob_*``, ``event_mv_prob_*``, ``get_*_weight_matrix``),
the connection matrix drawn again from its seed in each product. Its law (each entry independently with
``conn_prob``: binomial counts per row and per column), one matrix per seed whatever the call (transposed, as an
event product, inside a loop, in every lane of a vmapped run), memory that does not grow with the matrix, the errors,
and the E/I network of BrainPy's "EI_net_with_1m_neurons" notebook scaled down to 4000 neurons."""
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.stats

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm
from brainbatch.run import Simulation, normalize_monitors

J = bm.jitconn
KINDS = {"homo": (0.5,), "uniform": (0.1, 0.9), "normal": (0.2, 1.0)}


def matrix(kind, prob, seed, shape, **kw):
    return np.asarray(getattr(J, f"get_{kind}_weight_matrix")(*KINDS[kind], prob, seed, shape=shape, **kw))


def product(kind, x, prob, seed, shape, event=False, **kw):
    return np.asarray(getattr(J, f"{'event_' if event else ''}mv_prob_{kind}")(x, *KINDS[kind], prob, seed, shape=shape,
                                                                               **kw))


def assert_product(y, m, x):
    # float32 sums in another order: the error is bounded by the sum of the terms' sizes
    error = np.abs(y - m @ np.asarray(x, np.float64))
    assert np.all(error <= 1e-5 * (np.abs(m) @ np.abs(x) + 1)), error.max()


# ------------------------------------------------------------------------------------------------ the law


@pytest.mark.parametrize("outdim_parallel", [True, False])
def test_each_entry_is_connected_independently_binomial_rows_and_columns(outdim_parallel):
    rows, cols, p = 500, 400, 0.1
    connected = matrix("homo", p, 3, (rows, cols), outdim_parallel=outdim_parallel) != 0
    for counts, n in ((connected.sum(1), cols), (connected.sum(0), rows)):
        mean, var = n * p, n * p * (1 - p)
        excess_kurtosis = (1 - 6 * p * (1 - p)) / var
        assert abs(counts.mean() - mean) < 5 * math.sqrt(var / counts.size), counts.mean()
        # the sample variance's own spread; BrainPy's taichi-era kernels (a uniform skip in [1, 2/p)) gave about a
        # third of the binomial variance
        spread = var * math.sqrt(2 / (counts.size - 1) + excess_kurtosis / counts.size)
        assert abs(counts.var(ddof=1) - var) < 5 * spread, counts.var(ddof=1)
    # neighbours are independent: a pair of adjacent entries is connected with p**2 (a uniform skip gave p**2 / 2)
    pairs = int(np.sum(connected[:, 1:] & connected[:, :-1]))
    n_pairs = rows * (cols - 1)
    var = n_pairs * p**2 * (1 - p**2) + 2 * (n_pairs - rows) * (p**3 - p**4)
    assert abs(pairs - n_pairs * p**2) < 5 * math.sqrt(var), pairs


@pytest.mark.parametrize("prob", [0.0, 1.0])
def test_probabilities_zero_and_one(prob):
    m = matrix("homo", prob, 0, (6, 9))
    assert m.tolist() == np.full((6, 9), 0.5 * prob).tolist()
    assert product("homo", jnp.ones(9), prob, 0, (6, 9)).tolist() == [9 * 0.5 * prob] * 6


def test_the_running_sum_of_skips_saturates_where_an_int32_would_overflow():
    # a row's columns are running sums of its skips; over 2**30 columns a chunk of skips can pass 2**31 (a wrapped
    # sum was a negative column, connected again). Such a vector is gigabytes, so the sum is checked on its own
    # (under jit, as the products call it: one compiled program per shape instead of one per eager operation)
    running_sum = jax.jit(J._running_sum, static_argnums=1)
    big = 2**30 - 1
    skips = jnp.array([[1, 5, big, big, big]], jnp.int32)
    assert running_sum(skips, big + 1).tolist() == [[1, 6, big + 1, big + 1, big + 1]]
    assert running_sum(jnp.array([[1, 5, 3]], jnp.int32), 10).tolist() == [[1, 6, 9]]


def test_uniform_and_normal_weights_follow_their_laws_on_the_pairs_homo_connects():
    # the size and probability of test_each_entry_...: its compiled homo matrix serves (another seed); ~20,000 pairs
    shape, p = (500, 400), 0.1
    connected = matrix("homo", p, 11, shape) != 0
    u, z = matrix("uniform", p, 11, shape), matrix("normal", p, 11, shape)
    assert np.array_equal(u != 0, connected) and np.array_equal(z != 0, connected)  # one seed, the same pairs
    low, high = KINDS["uniform"]
    w = u[connected]
    assert w.min() >= low and w.max() < high
    assert scipy.stats.kstest(w, scipy.stats.uniform(low, high - low).cdf).pvalue > 1e-3
    mu, sigma = KINDS["normal"]
    assert scipy.stats.kstest(z[connected], scipy.stats.norm(mu, sigma).cdf).pvalue > 1e-3


# ------------------------------------------------------------------------------------------------ one matrix


@pytest.mark.parametrize("kind, outdim_parallel", [("homo", True), ("homo", False), ("uniform", True),
                                                   ("normal", False)])
def test_one_matrix_per_seed_for_both_directions_and_the_event_products(kind, outdim_parallel):
    shape, p, seed = (37, 53), 0.3, 7
    kw = dict(outdim_parallel=outdim_parallel)
    m = matrix(kind, p, seed, shape, **kw)
    assert m.shape == shape and 0 < np.count_nonzero(m) < m.size
    np.testing.assert_array_equal(matrix(kind, p, seed, shape, **kw), m)  # the same in every call
    np.testing.assert_array_equal(matrix(kind, p, seed, shape, transpose=True, **kw), m.T)
    assert not np.array_equal(matrix(kind, p, seed + 1, shape, **kw) != 0, m != 0)
    v = np.asarray(jax.random.normal(jax.random.key(0), (53,)))
    u = np.asarray(jax.random.normal(jax.random.key(1), (37,)))
    assert_product(product(kind, v, p, seed, shape, **kw), m, v)
    assert_product(product(kind, u, p, seed, shape, transpose=True, **kw), m.T, u)
    np.testing.assert_array_equal(product(kind, v, p, seed, shape, **kw), product(kind, v, p, seed, shape, **kw))
    spikes_pre = np.asarray(jax.random.bernoulli(jax.random.key(2), 0.3, (37,)))
    spikes_post = np.asarray(jax.random.bernoulli(jax.random.key(3), 0.3, (53,)))
    for spikes, transpose in ((spikes_pre, True), (spikes_post, False)):
        event = product(kind, spikes, p, seed, shape, event=True, transpose=transpose, **kw)
        plain = product(kind, spikes.astype(np.float32), p, seed, shape, transpose=transpose, **kw)
        np.testing.assert_allclose(event, plain, rtol=1e-6, atol=1e-6)
        assert_product(event, m.T if transpose else m, spikes)


def test_rows_and_columns_drawn_by_outdim_parallel_are_two_matrices_of_one_law():
    # the size and probability of test_one_matrix_per_seed_...: its compiled programs serve (another seed)
    by_rows, by_cols = matrix("homo", 0.3, 5, (37, 53)), matrix("homo", 0.3, 5, (37, 53), outdim_parallel=False)
    assert by_rows.shape == by_cols.shape == (37, 53) and not np.array_equal(by_rows, by_cols)


def test_a_product_under_jit_vmap_and_for_loop_is_the_eager_one():
    shape, p, seed = (37, 53), 0.3, 9  # the eager product is test_one_matrix_per_seed_...'s compiled one
    spikes = np.asarray(jax.random.bernoulli(jax.random.key(4), 0.2, (6, 37)))

    def send(s):
        return J.event_mv_prob_homo(s, 0.6, conn_prob=p, shape=shape, seed=seed, transpose=True)

    eager = np.stack([np.asarray(send(s)) for s in spikes])
    np.testing.assert_allclose(np.asarray(jax.jit(jax.vmap(send))(spikes)), eager, rtol=1e-6)
    np.testing.assert_allclose(np.asarray(bm.for_loop(send, bm.asarray(spikes))), eager, rtol=1e-6)


def test_a_large_product_holds_only_blocks_of_the_matrix(largest_intermediate):
    n, p = 100_000, 0.001  # 10**10 entries: 40 GB as a dense float32 matrix
    spikes = np.zeros(n, bool)  # numpy: eager jnp operations would compile a program each
    spikes[::100] = True
    jaxpr = jax.make_jaxpr(lambda s: J.event_mv_prob_homo(s, 1.0, p, 3, shape=(n, n), transpose=True))(spikes)
    assert largest_intermediate(jaxpr.jaxpr) < 10**6
    jaxpr = jax.make_jaxpr(lambda v: J.mv_prob_homo(v, 1.0, p, 3, shape=(n, n)))(spikes.astype(np.float32))
    assert largest_intermediate(jaxpr.jaxpr) < 10**6
    y = np.asarray(J.event_mv_prob_homo(spikes, 1.0, p, 3, shape=(n, n), transpose=True))
    # 1000 spiking rows of Binomial(10**5, 10**-3) connections each: 10**5 in all, sd 316
    assert abs(float(y.sum()) - 1000 * n * p) < 5 * math.sqrt(1000 * n * p * (1 - p))


# ------------------------------------------------------------------------------------------------ errors


@pytest.mark.parametrize("kwargs, message", [
    (dict(conn_prob=1.5), r"mv_prob_homo: conn_prob must be a probability in \[0, 1\], got 1.5"),
    (dict(conn_prob=-0.1), r"conn_prob must be a probability in \[0, 1\], got -0.1"),
    (dict(conn_prob=float("nan")), r"conn_prob must be a probability in \[0, 1\], got nan"),
    (dict(shape=(4,)), r"shape must be two whole numbers >= 0 .*, got \(4,\)"),
    (dict(shape=(4, 2.5)), r"shape must be two whole numbers >= 0 .*, got \(4, 2.5\)"),
    (dict(shape=(4, -1)), r"got \(4, -1\)"),
    (dict(vector=jnp.ones(4)), r"vector has length 4, and a \(4, 3\) matrix with transpose=False takes a vector of "
                               r"length 3 \(shape\[1\]; with transpose=True, 4, shape\[0\]\)"),
    (dict(vector=jnp.ones((2, 3))), r"vector must be a 1-D vector of length 3 .*got shape \(2, 3\); map a batch"),
    (dict(seed=-1), r"seed must be a whole number in \[0, 2\*\*32\) or None, got -1"),
    (dict(transpose="yes"), r"transpose must be True or False, got 'yes'"),
])
def test_bad_arguments_are_named(kwargs, message):
    args = dict(vector=jnp.ones(3), weight=1.0, conn_prob=0.5, seed=0, shape=(4, 3)) | kwargs
    with pytest.raises((ValueError, TypeError), match=message):
        J.mv_prob_homo(**args)


def test_bad_weights_are_named():
    with pytest.raises(ValueError, match=r"w_low must be <= w_high .*got w_low=2.0 and w_high=1.0"):
        J.mv_prob_uniform(jnp.ones(3), 2.0, 1.0, 0.5, 0, shape=(4, 3))
    with pytest.raises(ValueError, match=r"get_normal_weight_matrix: w_sigma must be >= 0 .*got -1.0"):
        J.get_normal_weight_matrix(0.0, -1.0, 0.5, 0, shape=(4, 3))
    with pytest.raises(TypeError, match=r"conn_prob must be a number known when the step is traced"):
        jax.jit(lambda p: J.mv_prob_homo(jnp.ones(3), 1.0, p, 0, shape=(4, 3)))(0.5)
    with pytest.raises(AttributeError, match="mv_prob_homo"):
        J.mv_prob_homoo  # noqa: B018


def test_seed_none_draws_from_bm_random_outside_a_run_and_is_refused_in_a_loop():
    bm.random.seed(3)  # (the size and probability of test_one_matrix_per_seed_...: its compiled program serves)
    a = matrix("homo", 0.3, None, (37, 53))
    b = matrix("homo", 0.3, None, (37, 53))
    bm.random.seed(3)
    assert not np.array_equal(a, b) and np.array_equal(matrix("homo", 0.3, None, (37, 53)), a)
    with pytest.raises(ValueError, match=r"seed=None inside a step, a loop or a bm.jit call .*pass seed="):
        bm.for_loop(lambda s: J.mv_prob_homo(s, 1.0, 0.5, shape=(3, 3)), bm.ones((2, 3)))


# ------------------------------------------------------------------------------------------------ the notebook


class Exponential(bp.synapses.TwoEndConn):
    """The notebook's synapse: ``bm.jitconn.event_mv_prob_homo`` of the delayed presynaptic spikes. The notebook's
    presynaptic groups are views (``self.N[:num_exc]``), which brainbatch does not provide: the spikes of ``pre``
    are sliced to ``pre_range`` instead (the same product)."""

    def __init__(self, pre, post, pre_range, output=bp.synouts.CUBA(), g_max_par=None, delay_step=None, tau=8.0,
                 method="exp_auto", name=None, mode=None):
        super().__init__(pre, post, None, output=output, name=name, mode=mode)
        self.tau = tau
        self.g_max_par = g_max_par
        self.lo, self.hi = pre_range
        self.g = bp.init.variable_(bm.zeros, self.post.num, self.mode)
        self.delay_step = self.register_delay(f"{self.pre.name}.spike", delay_step, self.pre.spike)
        self.integral = bp.odeint(lambda g, t: -g / self.tau, method=method)

    def reset_state(self, batch_size=None):
        self.g.value = bp.init.variable_(bm.zeros, self.post.num, batch_size)

    def update(self):
        t = bp.share.load("t")
        dt = bp.share.load("dt")
        pre_spike = self.get_delay_data(f"{self.pre.name}.spike", self.delay_step)[..., self.lo:self.hi]
        f = lambda s: bm.jitconn.event_mv_prob_homo(s, self.g_max_par["value"], conn_prob=self.g_max_par["prob"],  # noqa: E731
                                                    shape=(self.hi - self.lo, self.post.num),
                                                    seed=self.g_max_par["seed"], transpose=True)
        if isinstance(self.mode, bm.BatchingMode):
            f = jax.vmap(f)
        post_vs = f(pre_spike)
        self.g.value = self.integral(self.g.value, t, dt) + post_vs
        return self.output(self.g)


class EINet(bp.DynSysGroup):
    def __init__(self, scale=1.0, method="exp_auto", we=0.6):
        super().__init__()
        num_exc = int(3200 * scale)
        num_inh = int(800 * scale)
        pars = dict(V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5., V_initializer=bp.init.Normal(-55., 2.))
        self.N = bp.neurons.LIF(num_exc + num_inh, **pars, method=method)
        self.E = Exponential(self.N, self.N, (0, num_exc),
                             g_max_par=dict(type="homo", value=we / scale, prob=0.02, seed=123),
                             tau=5., method=method, output=bp.synouts.COBA(E=0.))
        self.I = Exponential(self.N, self.N, (num_exc, num_exc + num_inh),
                             g_max_par=dict(type="homo", value=6.7 / scale, prob=0.02, seed=12345),
                             tau=10., method=method, output=bp.synouts.COBA(E=-80.))


def test_the_notebooks_network_of_4000_neurons_fires_as_brainpys_coba():
    # 100 ms at dt 0.4, bm.random.seed(s) for s = 0..4: 19.9, 23.9, 24.2, 19.3, 23.0 Hz; BrainPy's COBA network of
    # the same sizes and weights (docs/brainpy/README.md, ei_for_loop.py) fires 21.9 +- 1.8 Hz
    with bm.environment(dt=0.4):
        net = EINet(scale=1.0)
        runner = bp.DSRunner(net, monitors=["N.spike"], inputs=("N.input", 20.), memory_efficient=True,
                             progress_bar=False)
        runner.run(100.)
    spikes = np.asarray(runner.mon["N.spike"])
    assert spikes.shape == (250, 4000)
    rate = spikes.mean() / 0.4e-3
    assert 21.9 - 4 * 1.8 < rate < 21.9 + 4 * 1.8, rate


def test_the_notebooks_network_in_the_lanes_of_a_vmapped_run():
    # the excitatory weight is a swept parameter: traced, as a sweep gives it
    def build(params):
        return EINet(scale=0.25, we=params["we"])

    sim = Simulation(build, normalize_monitors({"spike": "N.spike"}), dt=0.4)
    _, lanes = sim.run([0, 1], {"we": np.array([0.6, 0.6], np.float32)}, 100, keep=True)
    _, alone = sim.run([1], {"we": np.array([0.6], np.float32)}, 100, keep=True)
    spikes = lanes["spike"]
    assert spikes.shape == (2, 100, 1000) and spikes.sum() > 0
    assert not np.array_equal(spikes[0], spikes[1])  # each run its own start, one graph (the seeds are fixed)
    np.testing.assert_array_equal(spikes[1], alone["spike"][0])


def test_brainpy_2_3s_names_are_the_same_products():
    # an earlier version of the 1m-neuron notebook calls bm.event_matvec_prob_conn_homo_weight (keyword arguments)
    # the size and probability of test_one_matrix_per_seed_...: its compiled products serve
    events = jnp.arange(37) % 3 == 0
    kw = dict(conn_prob=0.3, shape=(37, 53), seed=3, transpose=True)
    want = bm.jitconn.event_mv_prob_homo(events, 0.5, **kw)
    assert bool(jnp.all(bm.event_matvec_prob_conn_homo_weight(events, 0.5, **kw) == want))
    assert bool(jnp.all(bm.jitconn.event_matvec_prob_conn_homo_weight(events, 0.5, **kw) == want))
    v = jnp.linspace(0., 1., 53)
    got = bm.matvec_prob_conn_uniform_weight(v, w_low=0.1, w_high=0.4, conn_prob=0.3, shape=(37, 53), seed=3)
    assert bool(jnp.all(got == bm.jitconn.mv_prob_uniform(v, 0.1, 0.4, 0.3, 3, shape=(37, 53))))
