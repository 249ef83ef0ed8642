"""Neuron groups: analytic LIF rate, integrators, modes, per-neuron and traced parameters, errors."""
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.core import BatchingMode, TrainingMode, assign_paths
from brainbatch.models.neurons import HH, LIF, AdEx, Izhikevich, LifRef

DT = 0.1


def run(group, n_steps, current=0.0, key=0, record=("spike",)):
    """Step ``group`` alone for ``n_steps`` with a constant ``current`` added to ``input`` every step."""
    with bb.environment(key=jax.random.key(key), dt=DT):
        assign_paths(group)
        group.reset()

        def body(i):
            group.input.value = group.input.value + current
            group.step_run(i)
            return {name: getattr(group, name).value for name in record}

        return bb.for_loop(body, jnp.arange(n_steps), dyn_vars=group)


def host(tree):
    """A run's records as numpy arrays: the tests' own slicing and arithmetic on them is then numpy's (each
    eager jnp op or slice of a new shape compiles a small program of its own)."""
    return jax.tree_util.tree_map(np.asarray, tree)


def mean_isi_ms(spikes_1d) -> float:
    idx = np.nonzero(np.asarray(spikes_1d))[0]
    assert idx.size >= 3, "too few spikes to measure an interval"
    return float(np.diff(idx).mean()) * DT


def analytic_isi(tau_ref, tau, R, I, V_th, V_rest):
    """1 / rate of a LIF reset to V_rest: tau_ref + tau ln(R I / (R I - (V_th - V_rest)))."""
    return tau_ref + tau * math.log(R * I / (R * I - (V_th - V_rest)))


# -- the analytic rate, per-neuron arrays, integrators ------------------------------------------------
def test_lifref_fires_at_the_analytic_rate_with_per_neuron_parameters():
    tau_ref = jnp.array([0.0, 2.0, 5.0, 5.0])
    current = jnp.array([25.0, 25.0, 25.0, 40.0])
    g = LifRef(4, V_rest=0.0, V_reset=0.0, V_th=20.0, tau=10.0, tau_ref=tau_ref)
    spikes = host(run(g, 5000, current)["spike"])
    for k in range(4):
        want = analytic_isi(float(np.asarray(tau_ref)[k]), 10.0, 1.0, float(np.asarray(current)[k]), 20.0, 0.0)
        # a crossing is seen at the end of the step it happens in: intervals sit on the dt grid
        assert abs(mean_isi_ms(spikes[:, k]) - want) <= DT, (k, mean_isi_ms(spikes[:, k]), want)


@pytest.mark.parametrize("method", ["exp_euler", "euler", "rk2", "rk4"])
def test_every_integrator_gives_the_analytic_rate(method):
    g = LifRef(1, V_rest=-60.0, V_reset=-60.0, V_th=-50.0, tau=20.0, tau_ref=5.0, method=method,
               V_initializer=bb.Constant(-60.0), I_bias=15.0)
    want = analytic_isi(5.0, 20.0, 1.0, 15.0, -50.0, -60.0)
    # Euler's error in the charging time is about T dt / (2 tau); the others are near-exact
    tol = DT + (want * DT / 40 if method == "euler" else 0.0)
    assert abs(mean_isi_ms(run(g, 3000)["spike"][:, 0]) - want) <= tol


def test_unknown_method_is_named_with_a_suggestion():
    with pytest.raises(ValueError, match="rk5.*Did you mean"):
        LIF(3, method="rk5")


# -- equation details ---------------------------------------------------------------------------------
def test_exp_euler_is_exact_for_a_conductance_input_that_depends_on_V():
    g = LIF(2, V_rest=-60.0, tau=20.0, V_initializer=bb.Constant(-55.0))
    gE, E = 0.5, 0.0
    g.add_inp_fun("ge", lambda V: gE * (E - V))
    run(g, 1, record=("V",))
    v_inf = (-60.0 + gE * E) / (1 + gE)
    want = v_inf + (-55.0 - v_inf) * math.exp(-(1 + gE) * DT / 20.0)
    np.testing.assert_allclose(np.asarray(g.V.value), want, rtol=1e-6)


def test_bias_input_delta_inputs_and_input_clearing():
    g = LIF(3, V_rest=0.0, tau=10.0, V_th=1e9, I_bias=2.0)
    g.add_inp_fun("kick", lambda: 3.0, category="delta")
    out = host(run(g, 1, current=1.0, record=("V", "input")))
    want = 3.0 * (1 - math.exp(-DT / 10.0)) + 3.0  # (I_bias + input) charging, then the delta kick
    np.testing.assert_allclose(np.asarray(out["V"][0]), want, rtol=1e-6)
    assert float(np.abs(np.asarray(g.input.value)).max()) == 0.0  # cleared at the end of the step


def test_update_argument_adds_to_this_steps_input():
    a, b = LIF(1, V_th=1e9, method="euler"), LIF(1, V_th=1e9, method="euler")  # euler: cheap eagerly
    a.step_run(0, 5.0)
    b.input.value = b.input.value + 5.0
    b.step_run(0)
    assert float(a.V.value[0]) == float(b.V.value[0]) > 0


# -- refractoriness -----------------------------------------------------------------------------------
def test_refractory_neuron_is_clamped_whatever_its_input():
    g = LifRef(1, V_rest=0.0, V_reset=0.0, V_th=20.0, tau=10.0, tau_ref=2.0)
    g.add_inp_fun("kick", lambda: 4.0, category="delta")
    out = host(run(g, 200, current=100.0, record=("V", "spike", "refractory", "t_last_spike")))
    V, spike = np.asarray(out["V"][:, 0]), np.asarray(out["spike"][:, 0])
    s = np.nonzero(spike)[0]
    n_ref = 20
    # charging from V_reset = V(0) takes s[0] + 1 steps, and starts n_ref steps after each spike
    assert len(s) > 3 and np.all(np.diff(s) == n_ref + s[0])
    for first in s[:-1]:
        assert np.all(V[first: first + n_ref] == 0.0)  # reset, then clamped for n_ref - 1 steps
        assert V[first + n_ref] > 0.0
        assert np.all(np.asarray(out["refractory"][first: first + n_ref, 0]))
        assert not np.any(np.asarray(out["refractory"][first + n_ref: first + n_ref + s[0], 0]))
        np.testing.assert_allclose(float(out["t_last_spike"][first + 1, 0]), first * DT, rtol=1e-6)


def test_tau_ref_is_counted_in_whole_steps_like_brian2():
    for tau_ref, n_ref in [(0.0, 0), (0.1, 1), (0.5, 5), (1.0, 10)]:
        g = LifRef(1, V_rest=0.0, V_reset=0.0, V_th=1.0, tau=10.0, tau_ref=tau_ref)
        spikes = np.nonzero(host(run(g, 60, current=1e4)["spike"])[:, 0])[0]
        assert np.all(np.diff(spikes) == max(n_ref, 1)), (tau_ref, spikes)


# -- modes --------------------------------------------------------------------------------------------
MODELS = {
    "LIF": lambda mode: LIF(5, V_rest=-60.0, V_reset=-65.0, V_th=-50.0, tau=20.0,
                            V_initializer=bb.Constant(-60.0), mode=mode),
    "LifRef": lambda mode: LifRef(5, V_rest=-60.0, V_reset=-65.0, V_th=-50.0, tau=20.0, tau_ref=2.0,
                                  V_initializer=bb.Constant(-60.0), mode=mode),
    "AdEx": lambda mode: AdEx(5, mode=mode),
    "Izhikevich": lambda mode: Izhikevich(5, mode=mode),
    "HH": lambda mode: HH(5, V_initializer=bb.Constant(-65.0), mode=mode),
}
CURRENTS = jnp.array([[12.0], [20.0], [30.0]]) * jnp.linspace(0.8, 1.2, 5)


@pytest.mark.parametrize("name", list(MODELS))
def test_batching_and_training_modes_match_the_single_run(name):
    single = host(run(MODELS[name](None), 300, CURRENTS[1], record=("V", "spike")))
    mode = TrainingMode(3) if name == "LifRef" else BatchingMode(3)  # training mode batches the same way
    batched = host(run(MODELS[name](mode), 300, CURRENTS, record=("V", "spike")))
    assert batched["V"].shape == (300, 3, 5)
    # the same numbers up to float reassociation (HH's spikes are steep: 1e-3 mV)
    np.testing.assert_allclose(np.asarray(batched["V"][:, 1]), np.asarray(single["V"]), rtol=1e-5, atol=1e-3)
    assert np.array_equal(np.asarray(batched["spike"][:, 1]), np.asarray(single["spike"]))
    counts = np.asarray(batched["spike"].sum(axis=(0, 2)))
    assert counts[2] > 0 and not np.array_equal(np.asarray(batched["V"][:, 0]), np.asarray(batched["V"][:, 2]))


def test_reset_state_changes_the_batch_size_and_keeps_identities():
    g = LifRef(4)
    V = g.V
    g.reset_state(batch_size=3)
    assert g.V is V and g.V.shape == (3, 4) and g.V.batch_axis == 0
    assert g.refractory.shape == (3, 4) and g.refractory.dtype == jnp.bool_


# -- traced parameters --------------------------------------------------------------------------------
TRACED = {
    "LIF": (lambda v: LIF(3, tau=v, V_th=10.0), jnp.array([5.0, 10.0, 20.0]), 25.0),
    "LifRef": (lambda v: LifRef(3, tau_ref=v, V_th=10.0), jnp.array([0.5, 1.0, 3.0]), 25.0),
    "AdEx": (lambda v: AdEx(3, b=v), jnp.array([0.0, 1.0, 5.0]), 20.0),
    "Izhikevich": (lambda v: Izhikevich(3, d=v), jnp.array([2.0, 8.0]), 10.0),
    "HH": (lambda v: HH(3, gK=v, V_initializer=bb.Constant(-65.0)), jnp.array([30.0, 36.0]), 10.0),
}


@pytest.mark.parametrize("name", list(TRACED))
def test_a_parameter_can_be_a_traced_value_under_vmap(name):
    build, values, current = TRACED[name]
    simulate = lambda v: run(build(v), 500, current, record=("V", "spike"))  # noqa: E731
    # under jit: the model's set-up under vmap is traced into the one program, not dispatched (and compiled)
    # op by op; the parameter is a traced value all the same
    swept = host(jax.jit(jax.vmap(simulate))(values))
    alone = host(simulate(float(np.asarray(values)[-1])))  # one concrete run: compiling is what costs here
    np.testing.assert_allclose(np.asarray(swept["V"][-1]), np.asarray(alone["V"]), rtol=1e-5, atol=1e-3)
    assert np.array_equal(np.asarray(swept["spike"][-1]), np.asarray(alone["spike"]))
    assert not np.allclose(np.asarray(swept["V"][0]), np.asarray(swept["V"][-1])), "the parameter should matter"


# -- initial values and metadata ----------------------------------------------------------------------
def test_random_initial_values_come_from_the_run_key():
    def V0(key):
        g = LIF(100, V_initializer=bb.Normal(-55.0, 2.0))
        with bb.environment(key=jax.random.key(key)):
            assign_paths(g)
            g.reset()
        return np.asarray(g.V.value)

    a, b, c = V0(1), V0(1), V0(2)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert abs(a.mean() + 55.0) < 4 * 2.0 / 10 and abs(a.std() - 2.0) < 0.5


def test_variables_carry_units_dims_and_dtypes():
    g = LifRef((4, 5), keep_size=True)
    assert g.V.shape == (4, 5) and g.V.dims == ("y", "x") and g.V.units == "mV" and g.V.description
    assert g.spike.dtype == jnp.bool_ and g.refractory.dtype == jnp.bool_
    assert g.t_last_spike.units == "ms"
    # issue 12: the refractory count runs on step indices (i_last_spike), exact for long runs
    assert set(g.vars()) == {"V", "input", "spike", "t_last_spike", "i_last_spike", "refractory"}
    hh = HH(2)
    assert set(hh.vars()) == {"V", "m", "h", "n", "input", "spike"}
    assert all(v.dtype == jnp.float32 for k, v in hh.vars().items() if k != "spike")
    assert set(AdEx(2).vars()) == {"V", "w", "input", "spike"}
    assert set(Izhikevich(2).vars()) == {"V", "u", "input", "spike"}


# -- model sanity -------------------------------------------------------------------------------------
def test_adex_and_izhikevich_adapt_and_hh_rests_without_input():
    for group, current in [(AdEx(1), 20.0), (Izhikevich(1, u_initializer=bb.Constant(-13.0)), 10.0)]:
        idx = np.nonzero(host(run(group, 3000, current)["spike"])[:, 0])[0]
        isi = np.diff(idx)
        assert len(isi) >= 3 and isi[-1] > isi[0], (type(group).__name__, isi)  # spike-frequency adaptation
    hh = host(run(HH(2, V_initializer=bb.Constant(-65.0)), 1000, jnp.array([0.0, 10.0]), record=("V", "spike")))
    # BrainPy's gL = 0.03 (the classic value is 0.3) puts the resting potential near -70.7 mV
    assert int(hh["spike"][:, 0].sum()) == 0 and abs(float(hh["V"][-1, 0]) + 70.68) < 0.05
    assert 5 <= int(hh["spike"][:, 1].sum()) <= 9 and float(hh["V"][:, 1].max()) > 30.0  # ~70 Hz tonic firing


def test_hh_rates_are_finite_at_their_removable_singularities():
    hh = HH(2, V_initializer=jnp.array([-40.0, -55.0]))
    assert np.all(np.isfinite(np.asarray(hh.m.value))) and np.all(np.isfinite(np.asarray(hh.n.value)))
    run(hh, 5)
    assert np.all(np.isfinite(np.asarray(hh.V.value)))


def _grid_around(*points):
    """V from -120 to 60 mV and, near each point, every 1e-5 mV within 0.02 mV (float32)."""
    near = [np.float32(p) + np.arange(-2000, 2001, dtype=np.float32) * np.float32(1e-5) for p in points]
    return np.concatenate([np.linspace(-120.0, 60.0, 4001, dtype=np.float32), *near]).astype(np.float32)


def test_hh_gates_start_at_the_eager_steady_state_bit_for_bit():
    # m_inf/h_inf/n_inf run as one compiled program per shape (core.transforms.eager_exact); their values
    # are those of the rate functions evaluated op by op, bit for bit, also at the 0/0 of alpha_m and alpha_n
    from brainbatch.models.neurons._hh import h_alpha, h_beta, m_alpha, m_beta, n_alpha, n_beta

    V = _grid_around(-40.0, -55.0)
    hh = HH(V.size, V_initializer=jnp.asarray(V))
    Vj = jnp.asarray(V)
    for gate, alpha, beta in (("m", m_alpha, m_beta), ("h", h_alpha, h_beta), ("n", n_alpha, n_beta)):
        eager = np.asarray(alpha(Vj) / (alpha(Vj) + beta(Vj)))  # op by op, outside any trace
        np.testing.assert_array_equal(np.asarray(getattr(hh, gate).value).view(np.int32), eager.view(np.int32))
        np.testing.assert_array_equal(np.asarray(getattr(HH, f"{gate}_inf")(Vj)).view(np.int32), eager.view(np.int32))
    # under a trace they are the plain formula, traced into the caller's program
    traced = jax.jit(HH.m_inf)(Vj)
    np.testing.assert_array_equal(np.asarray(traced), np.asarray(jax.jit(lambda v: m_alpha(v) / (m_alpha(v) + m_beta(v)))(Vj)))


# -- errors -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("build, match", [
    (lambda: LIF(3, tau=0.0), "tau must be > 0, got 0.0"),
    (lambda: LIF(3, tau=-jnp.ones(3)), "tau must be > 0"),
    (lambda: LIF(3, V_th=jnp.ones(4)), r"V_th has shape \(4,\)"),
    (lambda: LIF(3, R=float("nan")), "R must be finite"),
    (lambda: LifRef(3, tau_ref=-1.0), "tau_ref must be >= 0, got -1.0"),
    (lambda: LIF(0), "size must be a positive integer"),
    # a typo of 1e12 for 1e4 was an allocation failure deep inside XLA (audit)
    (lambda: LIF(10**12), "is 1,000,000,000,000 neurons, more than one group holds"),
    (lambda: AdEx(3, delta_T=0.0), "delta_T must be > 0"),
    (lambda: AdEx(3, tau_w=-2.0), "tau_w must be > 0"),
    (lambda: HH(3, C=0.0), "C must be > 0"),
    (lambda: HH(3, gNa=-1.0), "gNa must be >= 0"),
])
def test_bad_parameters_are_named(build, match):
    with pytest.raises(ValueError, match=match):
        build()


@pytest.mark.parametrize("build, match", [
    (lambda: LIF(3, V_initializer="zeros"), "V_initializer must be an initializer"),
    (lambda: HH(3, m_initializer="half"), "m_initializer must be an initializer"),
    (lambda: LIF(3, tau=True), "tau must be a number"),
])
def test_bad_types_are_named(build, match):
    with pytest.raises(TypeError, match=match):
        build()


def test_lifref_refractory_count_stays_exact_far_into_a_run():
    # issue 12: the step index is the refractory clock. At step 2**26 (t ~ 6.7e6 ms) float32 times are
    # 0.5 ms apart, coarser than dt; the interspike intervals must still be those of the first steps.
    import brainbatch as bb
    from brainbatch.models.neurons import LifRef

    def spike_steps(i0):
        g = LifRef(1, V_reset=0.0, tau_ref=5.0, I_bias=25.0)
        spikes = bb.for_loop(lambda i: g.step_run(i), jnp.arange(i0, i0 + 1000), dyn_vars=g)
        return np.nonzero(np.asarray(spikes)[:, 0])[0].tolist()

    assert spike_steps(2**26) == spike_steps(0) == [160, 370, 580, 790]
