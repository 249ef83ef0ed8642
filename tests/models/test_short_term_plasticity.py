"""Short-term plasticity (Tsodyks-Markram ``STP`` on a projection): the released fractions against the model's
equations (an independent float64 recursion and the closed-form steady state of a regular train), its
place in the step (delays, per-synapse delays, align-pre synapses), a lane equal to the run alone with a
swept ``U``, recorded ``u``/``x``, and bad input."""
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.run import Simulation, normalize_monitors

DT = 0.1


def _reference(spike_steps, n_steps, U, tau_f, tau_d, tau_syn, w):
    """g of an exponential synapse fed by one terminal, from the model's equations in float64.

    A spike emitted in step s reaches the synapse in step s + 1 (the projection reads the spikes of the
    step before); u relaxes to 0 with tau_f, x to 1 with tau_d; the spike finds u-, x-, facilitates
    u+ = u- + U (1 - u-), releases r = u+ x-, and g jumps by w r. The one-step decay factors are rounded to
    float32 as a float32 simulation must (over 3000 steps their rounding alone moves x by 1e-4)."""
    arrive = {s + 1 for s in spike_steps}
    u, x, g, out, released = 0.0, 1.0, 0.0, [], []
    f32 = lambda v: float(np.float32(v))  # noqa: E731
    fu = 0.0 if tau_f == 0 else f32(math.exp(-DT / tau_f))
    fx, fg = f32(math.exp(-DT / tau_d)), f32(math.exp(-DT / tau_syn))
    for i in range(n_steps):
        u, x, g = u * fu, 1 - (1 - x) * fx, g * fg
        if i in arrive:
            u = u + U * (1 - u)
            r = u * x
            x -= r
            g += w * r
            released.append(r)
        out.append(g)
    return np.array(out), released


def _one_terminal(times, U, tau_f, tau_d, tau_syn=5.0, w=2.0, delay=None, n_post=1):
    src = bb.SpikeTimeGroup(1, indices=[0] * len(times), times=times)
    post = bb.LIF(n_post, V_th=1e9)
    pr = bb.Projection(src, post, bb.AllToAll(), bb.Exponential(tau_syn), bb.CUBA(), weight=w, delay=delay,
                       stp=bb.STP(U=U, tau_f=tau_f, tau_d=tau_d))
    return bb.Network(src=src, post=post, pr=pr)


@pytest.mark.parametrize("U, tau_f, tau_d", [(0.1, 100.0, 50.0), (0.5, 10.0, 300.0), (0.4, 0.0, 120.0)],
                         ids=["facilitating", "depressing", "no-facilitation"])
def test_released_fractions_follow_the_tsodyks_markram_equations(U, tau_f, tau_d):
    times = [5.0, 25.0, 45.0, 47.0, 49.0, 65.0, 85.0, 300.0]
    net = _one_terminal(times, U, tau_f, tau_d)
    runner = bb.Runner(net, monitors={"g": "pr.syn.g", "x": "pr.stp.x", "u": "pr.stp.u"}, dt=DT, progress_bar=False)
    runner.run(350.0)
    g = np.asarray(runner.mon["g"])[:, 0]
    ref, released = _reference([round(t / DT) for t in times], len(g), U, tau_f, tau_d, 5.0, 2.0)
    np.testing.assert_allclose(g, ref, rtol=2e-5, atol=1e-7)
    assert released[0] == pytest.approx(U)  # a terminal at rest releases U at its first spike
    if tau_f == 0:
        u = np.asarray(runner.mon["u"])[:, 0]  # u+ = U at every spike, and nothing is left one step later
        arrivals = [round(t / DT) + 1 for t in times]
        np.testing.assert_allclose(u[arrivals], U, rtol=1e-6)
        assert not np.delete(u, arrivals).any()
    else:  # facilitation shows where depression is slow, depression where it is fast
        assert (released[1] > released[0]) == (tau_f > tau_d)


@pytest.mark.parametrize("U, tau_f, tau_d, period", [(0.2, 200.0, 100.0, 20.0), (0.6, 20.0, 400.0, 10.0)])
def test_a_regular_train_reaches_the_closed_form_steady_state(U, tau_f, tau_d, period):
    # a periodic train with interval T: u+ = U / (1 - (1 - U) e^(-T/tau_f)),
    # x- = (1 - e^(-T/tau_d)) / (1 - (1 - u+) e^(-T/tau_d)); each spike then releases u+ x-
    n = 150
    times = [5.0 + k * period for k in range(n)]
    net = _one_terminal(times, U, tau_f, tau_d, tau_syn=0.05)
    runner = bb.Runner(net, monitors={"u": "pr.stp.u", "x": "pr.stp.x"}, dt=DT, progress_bar=False)
    runner.run(times[-1] + 1.0)
    last = round(times[-1] / DT) + 1  # the step the last spike arrives in
    u_plus = U / (1 - (1 - U) * math.exp(-period / tau_f))
    e = math.exp(-period / tau_d)
    x_minus = (1 - e) / (1 - (1 - u_plus) * e)
    assert float(runner.mon["u"][last, 0]) == pytest.approx(u_plus, rel=1e-4)
    assert float(runner.mon["x"][last, 0]) == pytest.approx(x_minus * (1 - u_plus), rel=1e-4)


def test_a_delay_moves_the_train_and_per_synapse_delays_give_the_same_numbers():
    times, kw = [5.0, 12.0, 14.0, 30.0], dict(U=0.3, tau_f=40.0, tau_d=80.0)
    traces = {}
    for name, delay in (("none", None), ("scalar", 1.5), ("per synapse", bb.Constant(1.5))):
        net = _one_terminal(times, delay=delay, n_post=2, **kw)
        runner = bb.Runner(net, monitors={"g": "pr.syn.g"}, dt=DT, progress_bar=False)
        runner.run(60.0)
        traces[name] = np.asarray(runner.mon["g"])[:, 0]
    np.testing.assert_array_equal(traces["scalar"][15:], traces["none"][:-15])
    # per-synapse delays release when the spike leaves and carry the fraction: the same numbers
    np.testing.assert_allclose(traces["per synapse"], traces["scalar"], rtol=1e-6, atol=1e-9)


def test_an_align_pre_synapse_receives_what_each_spike_releases():
    src = bb.SpikeTimeGroup(1, indices=[0, 0], times=[1.0, 3.0])
    post = bb.LIF(2, V_th=1e9)
    pr = bb.AlignPreProjection(src, post, bb.AllToAll(), bb.NMDA(), bb.MgBlock(E=0.0), weight=0.1,
                               stp=bb.STP(U=0.5, tau_f=0.0, tau_d=1000.0))
    runner = bb.Runner(bb.Network(src=src, post=post, pr=pr), monitors={"rise": "pr.syn.x"}, dt=DT,
                       progress_bar=False)
    runner.run(4.0)
    rise = np.asarray(runner.mon["rise"])[:, 0]
    assert rise[11] == pytest.approx(0.5)  # the first spike releases U: the rise variable jumps by 0.5, not 1
    jump = rise[31] - rise[30] * math.exp(-DT / 2.0)  # the second releases U of what recovered in 2 ms
    assert jump == pytest.approx(0.5 * (1 - 0.5 * math.exp(-2.0 / 1000.0)), rel=1e-4)


def _net(p):
    inp = bb.PoissonGroup(40, freqs=30.0)
    neu = bb.LIF(10, V_rest=-60.0, V_reset=-60.0, V_th=-50.0, tau=20.0)
    pr = bb.Projection(inp, neu, bb.FixedProb(0.3), bb.Exponential(5.0), bb.COBA(0.0), weight=0.5,
                       stp=bb.STP(U=p["U"], tau_f=50.0, tau_d=200.0))
    return bb.Network(inp=inp, neu=neu, pr=pr)


def test_a_lane_with_a_swept_U_equals_its_run_alone_bitwise():
    sim = Simulation(_net, normalize_monitors({"x": "pr.stp.x", "V": "neu.V"}), dt=DT)
    _, batch = sim.run([3, 3, 4], {"U": np.array([0.1, 0.6, 0.6], np.float32)}, 500, keep=True)
    _, alone = sim.run([3], {"U": np.array([0.6], np.float32)}, 500, keep=True)
    np.testing.assert_array_equal(batch["x"][1], alone["x"][0])
    np.testing.assert_array_equal(batch["V"][1], alone["V"][0])
    assert batch["x"][0].min() > batch["x"][1].min()  # a larger U depletes more
    assert not np.array_equal(batch["x"][1], batch["x"][2])  # another seed, other trains


def test_u_and_x_are_state_with_their_dims_and_units():
    net = _net({"U": 0.2})
    state = dict(net.vars())
    assert {"pr.stp.u", "pr.stp.x"} <= set(state)
    assert state["pr.stp.x"].dims == net.inp.dims and state["pr.stp.x"].units == "1"
    with bb.environment(key=bb.core.random.run_key(0), dt=DT):
        bb.core.assign_paths(net)
        net.reset(batch_size=3)
    assert net.pr.stp.u.shape == (3, 40) and float(net.pr.stp.x.value.min()) == 1.0


def test_quantities_and_per_neuron_U_are_accepted():
    import brainunit as u

    stp = bb.STP(U=0.3, tau_f=0.05 * u.second, tau_d=200 * u.ms)
    assert stp.tau_f == pytest.approx(50.0) and stp.tau_d == pytest.approx(200.0)
    src = bb.SpikeTimeGroup(3, indices=[0, 1, 2], times=[1.0, 1.0, 1.0])
    post = bb.LIF(1, V_th=1e9)
    pr = bb.Projection(src, post, bb.AllToAll(), bb.Exponential(5.0), bb.CUBA(), weight=1.0,
                       stp=bb.STP(U=np.array([0.1, 0.2, 0.3]), tau_f=10.0, tau_d=10.0))
    runner = bb.Runner(bb.Network(src=src, post=post, pr=pr), monitors={"g": "pr.syn.g"}, dt=DT, progress_bar=False)
    runner.run(1.2)
    assert float(runner.mon["g"][11, 0]) == pytest.approx(0.6, rel=1e-6)
    # time constants per neuron too (BrainPy accepts arrays): neuron 1's terminal recovers 10x faster
    src = bb.SpikeTimeGroup(2, indices=[0, 1, 0, 1], times=[1.0, 1.0, 6.0, 6.0])
    post = bb.LIF(1, V_th=1e9)
    pr = bb.Projection(src, post, bb.AllToAll(), bb.Exponential(5.0), bb.CUBA(), weight=1.0,
                       stp=bb.STP(U=0.5, tau_f=0.0, tau_d=np.array([100.0, 10.0])))
    runner = bb.Runner(bb.Network(src=src, post=post, pr=pr), monitors={"x": "pr.stp.x"}, dt=DT, progress_bar=False)
    runner.run(6.1)
    x = np.asarray(runner.mon["x"])[60]  # just before the second spikes: 1 - 0.5 e^(-5 ms / tau_d)
    np.testing.assert_allclose(x, 1 - 0.5 * np.exp(-4.9 / np.array([100.0, 10.0])), rtol=1e-5)


@pytest.mark.parametrize("kwargs, message", [
    (dict(U=0.0), "U must lie in (0, 1]"),
    (dict(U=1.5), "U must lie in (0, 1]"),
    (dict(U="0.2"), "U must be a number"),
    (dict(tau_d=0.0), "tau_d must be finite numbers of ms > 0"),
    (dict(tau_f=-1.0), "tau_f must be finite numbers of ms >= 0"),
    (dict(tau_d=math.inf), "tau_d must be finite numbers"),
])
def test_bad_parameters_are_named(kwargs, message):
    with pytest.raises((TypeError, ValueError), match=message.replace("(", r"\(").replace(")", r"\)")):
        bb.STP(**kwargs)


def test_bad_uses_of_stp_are_refused_with_the_projection_named():
    E, P = bb.LIF(4), bb.LIF(3)
    with pytest.raises(TypeError, match="stp must be an instance, got the class STP"):
        bb.Projection(E, P, bb.AllToAll(), bb.Exponential(), bb.CUBA(), stp=bb.STP)
    shared = bb.STP()
    bb.Projection(E, P, bb.AllToAll(), bb.Exponential(), bb.CUBA(), stp=shared, name="first")
    with pytest.raises(ValueError, match="already belongs to projection 'first'"):
        bb.Projection(E, P, bb.AllToAll(), bb.Exponential(), bb.CUBA(), stp=shared, name="second")
    with pytest.raises(ValueError, match="one value per presynaptic neuron"):
        bb.Projection(E, P, bb.AllToAll(), bb.Exponential(), bb.CUBA(), stp=bb.STP(U=np.full(3, 0.2)))


def test_the_event_sum_scale_multiplies_each_row():
    targets = jnp.array([[0, 1], [1, 3], [2, 3]], jnp.int32)  # 3 is padding for n_post = 3
    spike = jnp.array([True, True, False])
    scale = jnp.array([0.5, 2.0, 7.0], jnp.float32)
    out = bb.kernels.event_sum(spike, targets, 3, None, scale=scale)
    assert out.tolist() == [0.5, 2.5, 0.0]
    w = jnp.array([[1.0, 2.0], [3.0, 0.0], [5.0, 0.0]], jnp.float32)
    assert bb.kernels.event_sum(spike, targets, 3, w, scale=scale).tolist() == [0.5, 7.0, 0.0]
    with pytest.raises(ValueError, match="scale must have the spike vector's shape"):
        bb.kernels.event_sum(spike, targets, 3, None, scale=scale[:2])


def test_both_kernel_paths_deliver_the_same_scaled_sums_in_a_batch():
    if not bb.kernels.native_available():
        pytest.skip("no C++ compiler: the native path cannot be built here")
    rng = np.random.default_rng(0)
    targets = jnp.asarray(rng.integers(0, 41, size=(30, 6)), jnp.int32)  # 40 is padding for n_post = 40
    spike = jnp.asarray(rng.random((3, 30)) < 0.3)
    scale = jnp.asarray(rng.random((3, 30)), jnp.float32)
    w = jnp.asarray(rng.random((30, 6)), jnp.float32)
    out = {}
    for choice in ("jax", "native"):
        with bb.kernels.use_kernels(choice):
            f = jax.jit(jax.vmap(lambda s, c: (bb.kernels.event_sum(s, targets, 40, None, scale=c),
                                               bb.kernels.event_sum(s, targets, 40, w, scale=c))))
            out[choice] = [np.asarray(v) for v in f(spike, scale)]
    for a, b in zip(out["jax"], out["native"]):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)
    dense = np.zeros((3, 40))
    for lane in range(3):
        for i in np.flatnonzero(np.asarray(spike[lane])):
            for k, t in enumerate(np.asarray(targets[i])):
                if t < 40:
                    dense[lane, t] += float(scale[lane, i]) * float(w[i, k])
    np.testing.assert_allclose(out["native"][1], dense, rtol=1e-5)
