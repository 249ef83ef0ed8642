"""Projections: event-driven propagation against a dense reference, step order, delays, outputs,
weights, overflow, and an E/I network under for_loop and vmap."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.models import (
    COBA, CUBA, ConnectivityOverflowError, Exponential, FixedInDegree, FixedProb, LifRef, OneToOne, Projection,
)
from brainbatch.models.projections import event_sum

from _projection_support import DT, Probe, Source, simulate


# -- event_sum against a dense reference -------------------------------------------------------------
def dense_weights(targets, weights, n_post):
    t, w = np.asarray(targets), np.ones(np.shape(targets)) if weights is None else np.asarray(weights)
    W = np.zeros((t.shape[0], n_post + 1))
    np.add.at(W, (np.arange(t.shape[0])[:, None].repeat(t.shape[1], 1), t), w)
    return W[:, :n_post]


N_PRE, N_POST = 70, 50
CONN = FixedProb(0.3)


def patterns():
    rng = np.random.default_rng(0)
    return np.stack([np.zeros(N_PRE, bool), np.eye(N_PRE, dtype=bool)[17], np.ones(N_PRE, bool),
                     rng.random(N_PRE) < 0.1, rng.random(N_PRE) < 0.5])


@pytest.mark.parametrize("weighted", [False, True])
def test_event_sum_equals_dense_reference_under_jit(weighted):
    c = CONN(jax.random.key(1), N_PRE, N_POST)
    w = jax.random.uniform(jax.random.key(2), c.targets.shape) if weighted else None
    W = dense_weights(c.targets, w, N_POST)
    f = jax.jit(lambda s: event_sum(s, c.targets, N_POST, w, chunk=4))  # 4: all-spiking takes 18 chunks
    for spikes in patterns():
        np.testing.assert_allclose(f(jnp.asarray(spikes)), spikes @ W, rtol=1e-5, atol=1e-5)


def test_event_sum_under_vmap_with_different_graphs_and_spikes():
    keys = jax.random.split(jax.random.key(3), 5)
    conns = jax.vmap(lambda k: CONN(k, N_PRE, N_POST))(keys)
    w = jax.random.normal(jax.random.key(4), conns.targets.shape)
    spikes = np.asarray(patterns())  # lane b gets pattern b: 0, 1, all, few, half
    out = jax.jit(jax.vmap(lambda s, t, ww: event_sum(s, t, N_POST, ww, chunk=8)))(spikes, conns.targets, w)
    counts = jax.jit(jax.vmap(lambda s, t: event_sum(s, t, N_POST, None, chunk=8)))(spikes, conns.targets)
    alone_fn = jax.jit(lambda s, t, ww: event_sum(s, t, N_POST, ww, chunk=8))
    # the lanes sliced in numpy (each eager slice of a jax array compiled a small program)
    out, counts, targets, w = np.asarray(out), np.asarray(counts), np.asarray(conns.targets), np.asarray(w)
    for b in range(5):
        s = spikes[b]
        np.testing.assert_allclose(out[b], s @ dense_weights(targets[b], w[b], N_POST), rtol=1e-5, atol=1e-5)
        np.testing.assert_array_equal(counts[b], s @ dense_weights(targets[b], None, N_POST))
        alone = alone_fn(spikes[b], targets[b], w[b])
        np.testing.assert_array_equal(out[b], alone)  # a lane is bitwise the run alone


# -- projection step order, delays and outputs ------------------------------------------------------
def raster_with(n_steps, n, spikes):
    r = np.zeros((n_steps, n), bool)
    for step, neuron in spikes:
        r[step, neuron] = True
    return r


@pytest.mark.parametrize("delay_ms,delay_steps", [(None, 0), (0.0, 0), (0.3, 3), (1.0, 10)])
def test_spike_reaches_g_one_step_later_plus_the_delay(delay_ms, delay_steps):
    n_steps, tau, w = 40, 2.0, 0.5
    pre = Source(raster_with(n_steps, 3, [(5, 1)]))
    post = Probe(3)
    proj = Projection(pre, post, OneToOne(), Exponential(tau), CUBA(), weight=w, delay=delay_ms)
    g = np.asarray(simulate(bb.Network(pre=pre, post=post, proj=proj), n_steps, lambda: proj.syn.g.value))
    arrive = 5 + 1 + delay_steps  # emitted in step 5, read by the projection in step 6 (+ delay)
    assert np.all(g[:arrive] == 0) and np.all(g[:, [0, 2]] == 0)
    n = np.arange(n_steps - arrive)
    np.testing.assert_allclose(g[arrive:, 1], w * np.exp(-n * DT / tau), rtol=1e-5)


def test_per_presynaptic_delays():
    pre = Source(raster_with(20, 3, [(2, 0), (2, 1), (2, 2)]))
    post = Probe(3)
    proj = Projection(pre, post, OneToOne(), Exponential(1.0), CUBA(), weight=1.0, delay=np.array([0.0, 0.2, 0.5]))
    g = np.asarray(simulate(bb.Network(pre=pre, post=post, proj=proj), 20, lambda: proj.syn.g.value))
    assert [int(np.argmax(g[:, k] > 0)) for k in range(3)] == [3, 5, 8]


@pytest.mark.parametrize("out", [CUBA(), COBA(E=-80.0)])
def test_outputs_add_the_right_current_to_the_post_group(out):
    pre = Source(raster_with(10, 4, [(1, 0), (1, 3), (4, 2)]))
    post = Probe(4, V=-60.0)
    proj = Projection(pre, post, FixedInDegree(2), Exponential(3.0), out, weight=0.25)
    net = bb.Network(pre=pre, post=post, proj=proj)
    g, current = simulate(net, 10, lambda: (proj.syn.g.value, post.I.value))
    expected = g if isinstance(out, CUBA) else g * (-80.0 - -60.0)
    np.testing.assert_allclose(current, expected, rtol=1e-6)
    assert float(np.abs(g).sum()) > 0


def test_per_synapse_weights_from_initializer_and_dense_array():
    n_pre, n_post, steps = 30, 20, 6
    rng = np.random.default_rng(1)
    raster = rng.random((steps, n_pre)) < 0.3
    W_dense = rng.random((n_pre, n_post)).astype(np.float32)
    for weight in (bb.Uniform(0.1, 1.0), W_dense):
        pre, post = Source(raster), Probe(n_post)
        proj = Projection(pre, post, FixedProb(0.2), Exponential(1e9), CUBA(), weight=weight)  # no decay
        g = np.asarray(simulate(bb.Network(pre=pre, post=post, proj=proj), steps, lambda: proj.syn.g.value))
        W = dense_weights(proj.targets.value, proj.weights.value, n_post)
        if weight is W_dense:
            np.testing.assert_allclose(W, W_dense * (W > 0), rtol=1e-6)
        expected = np.cumsum(raster[:-1].astype(np.float32) @ W, axis=0)  # step i delivers raster[i-1]
        np.testing.assert_allclose(g[1:], expected, rtol=1e-5)


def test_scalar_weight_may_be_traced():
    def final_g(w):
        pre, post = Source(raster_with(4, 2, [(0, 0)])), Probe(2)
        proj = Projection(pre, post, OneToOne(), Exponential(1e9), CUBA(), weight=w)
        return simulate(bb.Network(pre=pre, post=post, proj=proj), 4, lambda: proj.syn.g.value)[-1]

    out = jax.vmap(final_g)(jnp.array([0.5, 2.0]))
    np.testing.assert_allclose(out, [[0.5, 0.0], [2.0, 0.0]], rtol=1e-6)


# -- overflow and argument errors ---------------------------------------------------------------------
class _TooNarrow(FixedProb):
    def fan_out(self, n_pre, n_post, same_group=False):
        return 2


def test_overflow_raises_at_reset_or_is_flagged():
    pre, post = Source(np.zeros((2, 20), bool)), Probe(20)
    with pytest.raises(ConnectivityOverflowError, match="more synapses than the static bound"):
        Projection(pre, post, _TooNarrow(0.5), Exponential(5.0), CUBA())
    proj = Projection(pre, post, _TooNarrow(0.5), Exponential(5.0), CUBA(), check_overflow=False)
    assert bool(proj.overflow.value)
    with pytest.raises(ConnectivityOverflowError):
        proj.check()
    ok = Projection(pre, post, FixedProb(0.5), Exponential(5.0), CUBA())
    ok.check()
    assert ok.overflow.dtype == jnp.bool_ and ok.targets.shape == (20, ok.fan_out())


def test_argument_errors_name_the_bad_value():
    pre, post = Source(np.zeros((2, 4), bool)), Probe(3)
    syn, out, conn = Exponential(5.0), CUBA(), FixedProb(0.5)
    with pytest.raises(TypeError, match="pre must be a NeuGroup"):
        Projection("E", post, conn, syn, out)
    with pytest.raises(TypeError, match="got the class Exponential"):
        Projection(pre, post, conn, Exponential, out)
    with pytest.raises(TypeError, match="conn must be an AbstractConnector such as FixedProb"):
        Projection(pre, post, 0.02, syn, out)
    with pytest.raises(ValueError, match=r"weight has shape \(3, 4\).*\(4, 3\)"):
        Projection(pre, post, conn, syn, out, weight=np.ones((3, 4)))
    # the way out named is one Projection has (round_to_step is register_delay's, not Projection's)
    with pytest.raises(ValueError, match=r"delay 0.15 ms is not a whole number of steps of dt=0.1 ms \(1.5 steps\); "
                                         r"use a multiple of dt \(or a dt that divides it\) \(the dt in force: "
                                         r"bb.set_dt .* a Runner's dt while it runs; build a model under the dt it "
                                         r"runs with\)$"):
        with bb.environment(dt=0.1):
            Projection(pre, post, conn, Exponential(5.0), out, delay=0.15)
    with pytest.raises(ValueError, match="delays must be finite and >= 0"):
        Projection(pre, post, conn, Exponential(5.0), out, delay=-1.0)
    # a NaN weight made every target's input NaN (PoissonInput already refused one)
    with pytest.raises(ValueError, match="weight must be finite, got nan"):
        Projection(pre, post, conn, syn, out, weight=float("nan"))
    dense = np.ones((4, 3))
    dense[1, 2] = np.inf
    with pytest.raises(ValueError, match=r"weight holds 1 value\(s\) that are NaN or infinite"):
        Projection(pre, post, conn, syn, out, weight=dense)


# -- an E/I network ------------------------------------------------------------------------------------
def ei_network():
    kw = dict(V_rest=-60.0, V_reset=-60.0, V_th=-50.0, tau=20.0, tau_ref=5.0, I_bias=20.0,
              V_initializer=bb.Normal(-55.0, 2.0))
    E, I = LifRef(160, **kw), LifRef(40, **kw)
    proj = lambda a, b, tau, E_rev, w: Projection(a, b, FixedProb(0.1), Exponential(tau), COBA(E_rev), weight=w)  # noqa: E731
    return bb.Network(E=E, I=I, EE=proj(E, E, 5.0, 0.0, 0.3), EI=proj(E, I, 5.0, 0.0, 0.3),
                      IE=proj(I, E, 10.0, -80.0, 3.0), II=proj(I, I, 10.0, -80.0, 3.0))


def test_ei_network_runs_under_for_loop_and_vmap_over_keys():
    n_steps = 300
    net = ei_network()
    spikes = np.asarray(simulate(net, n_steps, lambda: net.E.spike.value, seed=5))
    assert spikes.shape == (n_steps, 160) and 0 < int(spikes.sum()) < n_steps * 160 // 10

    bb.core.assign_paths(net)
    variables = net.vars()

    def run(key):
        with bb.environment(key=key, dt=DT):
            net.reset()
            step = bb.core.functional(lambda i: (net.step_run(i), net.E.spike.value)[1], variables)
            state = {p: v.value for p, v in variables.items()}
            return jax.lax.scan(lambda s, i: step.pure(s, {"key": key}, i), state, jnp.arange(n_steps))[1]

    keys = jnp.stack([jax.random.key(5), jax.random.key(6)])
    batched = np.asarray(jax.jit(jax.vmap(run))(keys))
    np.testing.assert_array_equal(batched[0], spikes)  # a lane equals the run alone, bitwise
    assert not np.array_equal(batched[0], batched[1])


def test_runner_refuses_a_model_whose_traced_init_overflowed():
    from brainbatch.run import Runner

    pre, post = Source(np.zeros((2, 20), bool)), Probe(20)
    proj = Projection(pre, post, _TooNarrow(0.5), Exponential(5.0), CUBA(), check_overflow=False)
    runner = Runner(bb.Network(pre=pre, post=post, proj=proj), monitors=["post.V"], progress_bar=False)
    with pytest.raises(RuntimeError, match=r"proj\.overflow is set"):
        runner.run(1.0)


def test_a_dense_per_synapse_delay_is_checked_again_for_the_running_dt():
    # numerics audit: [[0.1]] ms built at dt 0.1 and run at dt 0.2 became 0 steps without a word (a scalar
    # or per-neuron delay is refused there)
    E, F = bb.LifRef(1), bb.LifRef(1)
    with bb.environment(dt=0.1):
        proj = Projection(E, F, bb.AllToAll(), Exponential(5.0), CUBA(), weight=1.0, delay=np.array([[0.1]]))
    net = bb.Network(E=E, F=F, p=proj)
    with pytest.raises(ValueError, match=r"delay 0.1 ms is not a whole number of steps of dt=0.2 ms"):
        bb.Runner(net, dt=0.2, progress_bar=False).run(1.0)


class _TwoLabels(bb.NeuGroup):
    """Sums the inputs of each label apart (BrainPy 2.5+: ``sum_current_inputs(V, label=...)``)."""

    def __init__(self, n):
        super().__init__(n)
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("V", -60.0)
        self.init_variable("a", 0.0)
        self.init_variable("b", 0.0)
        self.init_variable("all", 0.0)
        self.init_variable("spike", False, dtype=jnp.bool_)

    def update(self):
        self.a.value = self.sum_current_inputs(self.V.value, label="AMPA")
        self.b.value = self.sum_current_inputs(self.V.value, label="GABA")
        self.all.value = self.sum_current_inputs(self.V.value)


@pytest.mark.parametrize("cls", [Projection, bb.AlignPreProjection])
def test_out_label_registers_the_current_under_its_label(cls):
    """BrainPy's out_label (a projection's keyword there) was missing: a neuron that sums its AMPA and GABA
    inputs apart could not tell them apart."""
    raster = np.zeros((6, 2), bool)
    raster[0] = True
    src, post = Source(raster), _TwoLabels(2)
    one = cls(src, post, bb.OneToOne(), Exponential(5.0), CUBA(), weight=1.0, out_label="AMPA")
    two = cls(src, post, bb.OneToOne(), Exponential(5.0), CUBA(), weight=-3.0, out_label="GABA")
    net = bb.Network(one, two, src=src, post=post)
    a, b, total = simulate(net, 6, lambda: (post.a.value, post.b.value, post.all.value))
    assert float(a[1, 0]) > 0.0
    np.testing.assert_allclose(b, -3.0 * a, rtol=1e-6)
    np.testing.assert_allclose(total, a + b, rtol=1e-6)
    with pytest.raises(TypeError, match="out_label must be a text label or None, got 3"):
        cls(src, post, bb.OneToOne(), Exponential(5.0), CUBA(), out_label=3)


def test_a_delay_distribution_below_one_step_is_named():
    """Audit: `delay=bb.Normal(-5, 1)` said "TruncatedNormal needs low < high, got low=0.1, high=0.0", naming a
    class the user never wrote."""

    E = bb.LIF(4)
    with pytest.raises(ValueError, match=r"the delay distribution Normal\(mean=-5.0.*has no value in \[0.1, 0\] ms"):
        p = bb.Projection(E, E, bb.FixedProb(0.5), bb.Exponential(5.0), bb.CUBA(), delay=bb.Normal(-5.0, 1.0))
        bb.Runner(bb.Network(E=E, p=p), monitors=["E.V"], progress_bar=False).run(1.0)
