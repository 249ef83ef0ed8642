"""PoissonInput: the binomial law of what it delivers, exact limits, independence, tracing, errors,
refractory dropping on LifRef, and the DynamicalSystem API it inherits.

Statistical thresholds are derived, not tuned: z-tests use the known standard errors, the
chi-square goodness of fit uses a p-value computed here with numpy/math only, all with fixed seeds.
"""
import functools
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.core import BatchingMode, NeuGroup, assign_paths
from brainbatch.models.inputs import PoissonInput
from brainbatch.models.neurons import LIF, LifRef

DT = 0.1
Z = 4.5  # two-sided p ~ 7e-6 per check
P_MIN = 1e-3  # chi-square p-value threshold


# -- statistics helpers (numpy/math only) -----------------------------------------------------------
def chi2_sf(stat: float, dof: int) -> float:
    """P(chi2_dof > stat) = Q(dof/2, stat/2), the regularized upper incomplete gamma function."""
    a, x = dof / 2.0, stat / 2.0
    if x <= 0:
        return 1.0
    lead = math.exp(-x + a * math.log(x) - math.lgamma(a))
    if x < a + 1:  # series for the lower function P, then Q = 1 - P
        term = total = 1.0 / a
        ap = a
        while abs(term) > abs(total) * 1e-15:
            ap += 1
            term *= x / ap
            total += term
        return 1.0 - total * lead
    tiny = 1e-300  # Lentz's continued fraction for Q
    b, c, d = x + 1 - a, 1 / tiny, 1 / (x + 1 - a)
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        h *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return lead * h


def test_chi2_sf_matches_known_values():
    assert abs(chi2_sf(3.84146, 1) - 0.05) < 1e-5
    assert abs(chi2_sf(18.307, 10) - 0.05) < 1e-5
    assert abs(chi2_sf(124.342, 100) - 0.05) < 1e-5
    assert abs(chi2_sf(2.0, 2) - math.exp(-1.0)) < 1e-12


def binom_pmf(n: int, p: float) -> np.ndarray:
    k = np.arange(n + 1, dtype=np.float64)
    lg = np.vectorize(math.lgamma)
    return np.exp(lg(n + 1) - lg(k + 1) - lg(n - k + 1) + k * math.log(p) + (n - k) * math.log1p(-p))


def chi2_pvalue(counts: np.ndarray, n: int, p: float, min_expected: float = 5.0) -> float:
    """Goodness of fit of integer ``counts`` to Binomial(n, p), bins merged until each expects >= 5."""
    counts = np.asarray(counts).ravel().astype(np.int64)
    assert counts.min() >= 0 and counts.max() <= n
    expected = counts.size * binom_pmf(n, p)
    observed = np.bincount(counts, minlength=n + 1).astype(float)
    bins_o, bins_e, acc_o, acc_e = [], [], 0.0, 0.0
    for o, e in zip(observed, expected):
        acc_o, acc_e = acc_o + o, acc_e + e
        if acc_e >= min_expected:
            bins_o.append(acc_o)
            bins_e.append(acc_e)
            acc_o = acc_e = 0.0
    bins_o[-1] += acc_o
    bins_e[-1] += acc_e
    o, e = np.array(bins_o), np.array(bins_e)
    return chi2_sf(float(((o - e) ** 2 / e).sum()), len(o) - 1)


def check_binomial_law(counts: np.ndarray, n: int, p: float) -> None:
    counts = np.asarray(counts, np.float64).ravel()
    M = counts.size
    mean, var = n * p, n * p * (1 - p)
    mu4 = var * (1 + 3 * (n - 2) * p * (1 - p))  # fourth central moment of the binomial
    se_mean = math.sqrt(var / M)
    se_var = math.sqrt((mu4 - var ** 2 * (M - 3) / (M - 1)) / M)
    assert abs(counts.mean() - mean) < Z * se_mean, (counts.mean(), mean, se_mean)
    assert abs(counts.var(ddof=1) - var) < Z * se_var, (counts.var(ddof=1), var, se_var)
    assert chi2_pvalue(counts, n, p) > P_MIN


# -- a target to deliver into -----------------------------------------------------------------------
class Sink(NeuGroup):
    """A group whose ``x`` only collects what inputs add to it."""

    def __init__(self, size, mode=None):
        super().__init__(size, mode=mode)
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("x", 0.0, batch_size=batch_size)

    def update(self):
        pass


def deliveries(inputs, size=2000, n_steps=50, key=0, mode=None):
    """What each PoissonInput adds to each element in each step.

    ``inputs`` maps a label to ``(num_input, freq, weight)``; each gets its own target (so one
    compiled loop checks them all); returns ``{label: (n_steps, *target shape)}``.
    """
    sinks = {label: Sink(size, mode=mode) for label in inputs}
    pins = {f"inp_{label}": PoissonInput(sinks[label].x, *args) for label, args in inputs.items()}
    net = bb.Network(**{f"sink_{label}": sink for label, sink in sinks.items()}, **pins)
    with bb.environment(key=jax.random.key(key), dt=DT):
        assign_paths(net)
        net.reset()

        def body(i):
            net.step_run(i)
            out = {label: sink.x.value for label, sink in sinks.items()}
            for sink in sinks.values():
                sink.x.value = jnp.zeros_like(sink.x.value)
            return out

        return bb.for_loop(body, jnp.arange(n_steps), dyn_vars=net)


# -- the law ----------------------------------------------------------------------------------------
LAWS = {
    "exact_np1": (1000, 10.0),  # p = 1e-3, N p = 1: the exact inverse-CDF search
    "exact_np10": (40, 2500.0),  # p = 0.25, N p = 10
    "exact_flipped": (30, 8000.0),  # p = 0.8 > 1/2: the search counts failures
    "normal": (2000, 1000.0),  # p = 0.1, N p (1-p) = 180: the normal approximation
}


def test_counts_follow_the_binomial_law_on_both_methods_and_at_the_limits():
    out = deliveries({**{k: (n, f, 1.0) for k, (n, f) in LAWS.items()},
                      "rate0": (1000, 0.0, 1.0), "p1": (37, 1000.0 / DT, 0.5), "p1_big": (5000, 1000.0 / DT, 1.0)},
                     n_steps=100)
    for label, (n, f) in LAWS.items():
        check_binomial_law(np.asarray(out[label]), n, f * DT / 1000)
    assert float(np.abs(np.asarray(out["rate0"])).max()) == 0.0  # rate 0 gives nothing (numpy: no eager compile)
    assert np.all(np.asarray(out["p1"]) == 37 * 0.5)  # p = freq * dt / 1000 = 1 gives every source
    assert np.all(np.asarray(out["p1_big"]) == 5000)


# -- independence -----------------------------------------------------------------------------------
def max_abs_correlation(a, b) -> tuple[float, float]:
    a, b = np.asarray(a, np.float64).ravel(), np.asarray(b, np.float64).ravel()
    return abs(np.corrcoef(a, b)[0, 1]), Z / math.sqrt(a.size)  # null: corr ~ N(0, 1/M)


def test_lanes_of_brainbatch_vmap_with_their_own_keys_are_independent():
    def lane(key):
        with bb.environment(key=key):
            sink = Sink(1000)
            net = bb.Network(sink=sink, inp=PoissonInput(sink.x, 400, 50.0, 1.0))  # N p = 2
            assign_paths(net)
            net.reset()
            return bb.for_loop(lambda i: (net.step_run(i), sink.x.value)[1], jnp.arange(40), dyn_vars=net)

    keys = jax.random.split(jax.random.key(0), 3)
    out = np.asarray(bb.vmap(lane)(keys))  # (lanes, steps, neurons): cumulative sums of the deliveries
    inc = np.diff(out, axis=1, prepend=0)
    corr, bound = max_abs_correlation(inc[0], inc[1])
    assert corr < bound
    assert not np.array_equal(inc[1], inc[2])
    for k in range(3):
        assert abs(inc[k].mean() - 2.0) < Z * math.sqrt(2.0 * (1 - 0.005) / inc[k].size)
    again = np.asarray(bb.vmap(lane)(keys[:1]))  # a lane alone gives what it gave in the batch
    assert np.array_equal(again[0], out[0])


def test_batch_elements_and_neurons_are_independent():
    out = np.asarray(deliveries({"x": (1000, 10.0, 1.0)}, size=500, n_steps=200, mode=BatchingMode(3))["x"])
    assert out.shape == (200, 3, 500)
    corr, bound = max_abs_correlation(out[:, 0], out[:, 1])
    assert corr < bound
    corr, bound = max_abs_correlation(out[:, 0, :250], out[:, 0, 250:])
    assert corr < bound
    check_binomial_law(out[:, 2], 1000, 1e-3)


# -- traced frequency -------------------------------------------------------------------------------
def test_freq_can_be_traced_under_jax_vmap_and_picks_the_method_per_lane():
    n = 10_000
    freqs = jnp.array([0.0, 10.0, 500.0, 1000.0 / DT])  # p = 0, 1e-3 (exact), 0.05 (normal), 1
    means = np.asarray(jax.vmap(lambda f: deliveries({"x": (n, f, 1.0)}, size=1000, n_steps=20)["x"].mean())(freqs))
    for f, m in zip(np.asarray(freqs), means):
        p = min(f * DT / 1000, 1.0)
        se = math.sqrt(n * p * (1 - p) / 20_000)
        assert abs(m - n * p) <= Z * se + 1e-6 * n * p, (f, m, n * p)
    assert float(means[0]) == 0.0 and float(means[-1]) == n


def test_weight_scales_integer_counts_and_can_be_traced():
    weights = jnp.array([1.0, 0.06, -2.0])
    out = np.asarray(jax.vmap(lambda w: deliveries({"x": (100, 100.0, w)}, size=50, n_steps=10)["x"])(weights))
    assert np.all(out[0] == np.round(out[0])) and out[0].sum() > 0
    np.testing.assert_allclose(out[1], 0.06 * out[0], rtol=1e-6)
    np.testing.assert_allclose(out[2], -2.0 * out[0], rtol=1e-6)


# -- errors -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, err, match", [
    (dict(num_input=0), ValueError, "num_input must be an integer >= 1, got 0"),
    (dict(num_input=2.5), ValueError, "num_input must be an integer >= 1, got 2.5"),
    (dict(num_input=True), ValueError, "num_input must be an integer >= 1, got True"),
    (dict(num_input="10"), ValueError, "num_input must be an integer >= 1, got '10'"),
    (dict(freq=-1.0), ValueError, "freq must be >= 0 Hz, got -1.0"),
    (dict(freq=20_000.0), ValueError, r"freq \* dt / 1000 must be <= 1.*freq=20000.0"),
    (dict(freq=jnp.ones(3)), ValueError, "freq must be a finite scalar"),
    (dict(weight=float("inf")), ValueError, "weight must be a finite scalar"),
    (dict(target_var=jnp.zeros(3)), TypeError, "target_var must be a brainbatch Variable"),
    # counts * weight added to a flag was cast back to bool: a spike wherever an input arrived
    (dict(target_var=bb.Variable(jnp.zeros(3, bool))), TypeError, "must hold real numbers.*dtype bool.*spike"),
    (dict(target_var=bb.Variable(jnp.zeros(3, jnp.int32))), TypeError, "must hold real numbers.*dtype int32"),
    (dict(frq=10.0), TypeError, "unexpected keyword argument 'frq'. Did you mean 'freq'"),
])
def test_bad_arguments_are_named(kwargs, err, match):
    args = dict(target_var=Sink(3).x, num_input=10, freq=10.0, weight=1.0)
    args.update(kwargs)
    with bb.environment(dt=DT):
        with pytest.raises(err, match=match):
            PoissonInput(**args)


def test_probability_is_checked_again_with_the_running_dt():
    sink = Sink(3)
    inp = PoissonInput(sink.x, 10, 5000.0, 1.0)  # p = 0.5 at dt = 0.1
    with bb.environment(dt=0.5):
        with pytest.raises(ValueError, match="p = 2.5"):
            inp.update()


def test_integral_float_num_input_is_accepted():
    assert PoissonInput(Sink(2).x, 100.0, 1.0, 1.0).num_input == 100


# -- refractory neurons drop what arrives -----------------------------------------------------------
def test_input_during_refractoriness_is_dropped_for_lifref():
    def lifref():
        return LifRef(3, V_rest=0.0, V_reset=-10.0, V_th=20.0, tau=10.0, tau_ref=2.0, V_initializer=bb.Constant(0.0))

    # about 25 mV arrive every step: V is never left alone, but must stay at V_reset while refractory
    groups = {"exact": lifref(), "normal": lifref(), "lif": LIF(3, V_rest=0.0, tau=10.0, V_th=1e9)}
    drives = {"exact": (1, 1000.0 / DT, 25.0), "normal": (1000, 5000.0, 0.05), "lif": (1, 1000.0 / DT, 25.0)}
    net = bb.Network(**groups, **{f"inp_{k}": PoissonInput(groups[k].V, *drives[k]) for k in groups})
    with bb.environment(key=jax.random.key(1), dt=DT):
        assign_paths(net)
        net.reset()
        rec = bb.for_loop(lambda i: (net.step_run(i), {k: (g.V.value, g.spike.value) for k, g in groups.items()})[1],
                          jnp.arange(150), dyn_vars=net)
    n_ref = 20
    for label in ("exact", "normal"):
        V, spike = np.asarray(rec[label][0]), np.asarray(rec[label][1])
        for k in range(3):
            s = np.nonzero(spike[:, k])[0]
            # n_ref - 1 clamped steps; in the first free step V integrates from V_reset without what
            # was delivered (Brian2 drops it in its last refractory step); two more steps reach threshold
            assert len(s) >= 5 and np.all(np.diff(s) == n_ref + 2), (label, s)
            for first in s[:-1]:
                assert np.all(V[first: first + n_ref, k] == -10.0)  # V_reset, whatever arrived
                np.testing.assert_allclose(V[first + n_ref, k], -10.0 * np.exp(-DT / 10.0), rtol=1e-6)
                assert 10.0 < V[first + n_ref + 1, k] < 20.0  # free: ~25 mV landed on -9.9 mV
    assert np.all(np.diff(np.asarray(rec["lif"][0]), axis=0) != 0)  # the same input moves a LIF's V every step


# -- the DynamicalSystem API on PoissonInput ---------------------------------------------------------
def test_target_keeps_its_owners_path_and_state_dicts_hold_it_once():
    E = LifRef(4)
    inp = PoissonInput(E.V, 10, 10.0, 1.0)
    net = bb.Network(inp=inp, E=E)  # declared before its target: still delivers first
    assert inp.target_var is E.V
    assert "E.V" in net.vars() and not any(p.startswith("inp") for p in net.vars())
    assert list(net.state_dict()) == list(net.vars())
    assert inp.vars() == {} and inp.update_phase == "deliver"
    assert list(net.children()) == ["inp", "E"]


def test_hooks_input_functions_devices_and_delays_work_on_poissoninput():
    sink = Sink(5)
    inp = PoissonInput(sink.x, 1, 1000.0 / DT, 1.0)  # adds exactly 1 per step
    calls = []
    inp.add_bef_update("before", lambda: calls.append(("before", float(sink.x.value[0]))))
    inp.add_aft_update("after", lambda: calls.append(("after", float(sink.x.value[0]))))
    assert inp.has_bef_update("before") and inp.get_aft_update("after")
    with pytest.raises(KeyError):
        inp.add_bef_update("before", lambda: None)
    lone = PoissonInput(sink.x, 1, 1000.0 / DT, 1.0)  # not stepped: an input it never reads is an error
    lone.add_inp_fun("bias", lambda: 2.0)
    assert lone.sum_current_inputs() == 2.0 and lone.get_inp_fun("bias")() == 2.0
    net = bb.Network(sink=sink, inp=inp)
    inp.register_delay("sink.x", 2, sink.x)
    with bb.environment(dt=DT):
        for i in range(4):
            net.step_run(i)
    assert calls == [("before", 0.0), ("after", 1.0), ("before", 1.0), ("after", 2.0),
                     ("before", 2.0), ("after", 3.0), ("before", 3.0), ("after", 4.0)]
    assert float(inp.get_delay_data("sink.x", 2)[0]) == 3.0  # read as in step 4: the end of step 4 - 2
    assert net.to("cpu") is net and inp.cpu() is inp
    assert isinstance(repr(inp), str) and "num_input=1" in repr(inp)


def test_jit_step_run_matches_the_scanned_loop():
    def build():
        sink = Sink(6)
        net = bb.Network(sink=sink, inp=PoissonInput(sink.x, 50, 200.0, 1.0))
        assign_paths(net)
        net.reset()
        return sink, net

    with bb.environment(key=jax.random.key(4), dt=DT):
        sink, net = build()
        for i in range(3):
            net.jit_step_run(i)
        sink2, net2 = build()
        bb.for_loop(lambda i: net2.step_run(i), jnp.arange(3), dyn_vars=net2)
    np.testing.assert_array_equal(np.asarray(sink.x.value), np.asarray(sink2.x.value))
    assert float(sink.x.value.sum()) > 0


REFERENCE_MEMBERS = """add_aft_update add_bef_update add_inp_fun clear_input cpu cuda get_aft_update get_bef_update
get_delay_data get_delay_var get_inp_fun get_local_delay has_aft_update has_bef_update jit_step_run load_state
load_state_dict nodes register_delay register_implicit_nodes register_implicit_vars register_local_delay reset
reset_local_delays reset_state save_state setattr state_dict step_run sum_current_inputs sum_delta_inputs
sum_inputs to tpu tracing_variable train_vars tree_flatten tree_unflatten unique_name update update_local_delays
vars after_updates before_updates cur_inputs current_inputs delta_inputs implicit_nodes implicit_vars mode name
supported_modes""".split()


def test_it_has_every_member_of_brainpys_reference_page():
    inp = PoissonInput(Sink(2).x, 10, 10.0, 1.0, name="drive")
    missing = [m for m in REFERENCE_MEMBERS if not hasattr(inp, m)]
    assert not missing
    assert inp.name == "drive" and inp.state_dict() == {} and inp.load_state_dict({}) == ([], [])
    inp.clear_input()
    inp.reset()


@functools.cache
def _jitted(f, static_argnums=()):
    return jax.jit(f, static_argnums=static_argnums)


@pytest.mark.parametrize("n, p", [(2000, 0.0008), (1000, 0.01), (400, 0.2), (400, 0.5), (4000, 0.2), (600, 0.6)])
def test_the_extreme_uniforms_give_counts_near_the_binomial_extremes(n, p):
    # numerics audit: the top uniform ran the exact search to its cap (25 inputs at n=2000, p=0.0008, where
    # the true top quantile is 12; 3.6e-7 of all draws), the normal path's top uniform gave n or NaN, and
    # u = 0 gave 0 where F(0) is 1e-39. Reference: scipy's binomial quantiles of the extreme cells.
    from scipy import stats

    from brainbatch.models.inputs._binomial import binomial_counts, _exact_search, _normal, NORMAL_MIN_VARIANCE

    u = jnp.array([0.0, 2.0 ** -24, 0.5, 1 - 2.0 ** -23, 1 - 2.0 ** -24], jnp.float32)
    n_, p_ = jnp.float32(n), jnp.float32(p)
    normal = n * p * (1 - p) >= NORMAL_MIN_VARIANCE
    # jitted (one program per method, shared by the cases; eager, each op compiled one by one)
    counts = np.asarray(_jitted(_normal)(u, n_, p_) if normal else _jitted(_exact_search)(u, n_, p_))
    assert np.all(np.isfinite(counts)), counts
    low, high = stats.binom.ppf(2.0 ** -25, n, p), stats.binom.ppf(1 - 2.0 ** -25, n, p)
    sd = np.sqrt(n * p * (1 - p))
    # within a few counts (an sd where the law is wide) of the true extremes, never at the search's cap
    slack = max(3.0, sd)
    assert low - slack <= counts.min() and counts.max() <= high + slack, (counts.tolist(), low, high)
    # n and p static: concrete inside the program, so the method is chosen once, as in the eager call
    drawn = np.asarray(_jitted(binomial_counts, static_argnums=(1, 2, 3))(jax.random.key(0), n, p, (1 << 16,)))
    assert np.all(np.isfinite(drawn)) and low - slack <= drawn.min() and drawn.max() <= high + slack
