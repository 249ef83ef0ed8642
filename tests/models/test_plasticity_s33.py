"""Plastic projections in the less common cases, against an independent float64 NumPy recursion written from
docs/plasticity.md ("One step") and the papers' rules: connectors with multapses (a neuron receiving more synapses
than there are presynaptic neurons), several postsynaptic spikes per step beyond a projection's ``chunk_size`` (the
pure-JAX path's loop over spiking neurons), nearest pairing with soft bounds below zero, per-neuron delays, Vogels et
al. (2011) with ``alpha = 2 rho0 tau`` from the paper, and lanes of one batch that sweep the rule's parameters.

The reference: in step ``i`` the projection sees the presynaptic spikes of step ``i - 1 - d`` and the postsynaptic
ones of step ``i - 1``; traces decay by ``exp(-dt / tau)``; the spike is delivered with the old weights (STDP) or the
new ones (Vogels); the synapses of each presynaptic neuron that spiked are updated (``on_pre``) and clipped, then its
trace jumps (or is set, nearest pairing); then the synapses into each postsynaptic neuron that spiked, then its trace.
"""
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.models import CUBA, Exponential, Projection
from brainbatch.run import Simulation, normalize_monitors

from _projection_support import DT, Source, simulate

N_STEPS = 300

N_PRE, N_POST = 5, 4
TAU_G = 5.0  # the Exponential synapse the spikes are delivered into: g <- g exp(-dt / tau) + delivered


def _rasters(seed=11, p_pre=0.3, p_post=0.35):
    rng = np.random.default_rng(seed)
    pre = rng.random((N_STEPS, N_PRE)) < p_pre
    post = rng.random((N_STEPS, N_POST)) < p_post
    pre[0] = post[0] = False  # nothing arrives in step 0 or 1: the first record holds the start weights
    return pre, post


def _params(kind, **kw):
    """The rule as the reference reads it: traces (tau, jump, set), the update's (c, b) per side, bounds, form."""
    if kind == "vogels":  # Vogels et al. 2011: pre  w += eta (x_post - alpha), post  w += eta x_pre, jumps of 1
        tau, eta, rho0 = kw["tau"], kw["eta"], kw["rho0"]
        return dict(tau_pre=tau, tau_post=tau, jump_pre=1.0, jump_post=1.0, nearest=False, mult=False,
                    c_pre=eta, b_pre=2.0 * rho0 * (tau / 1000.0), c_post=eta, after=True, lo=kw["w_min"],
                    hi=kw["w_max"])
    return dict(tau_pre=kw["taupre"], tau_post=kw["taupost"], jump_pre=kw["dApre"], jump_post=kw["dApost"],
                nearest=kw["pairing"] == "nearest", mult=kw["form"] == "multiplicative", c_pre=1.0, b_pre=0.0,
                c_post=1.0, after=False, lo=kw["w_min"], hi=kw["w_max"])


def reference(p, pre, post, targets, w0, delay_steps):
    """``(w after every step (n_steps, n_pre * K), delivered per step (n_steps, n_post))``, float64."""
    n_pre, k = targets.shape
    n_post = post.shape[1]
    delay_steps = np.broadcast_to(np.asarray(delay_steps), (n_pre,))
    lo, hi = p["lo"], p["hi"]

    def change(w, d):
        if p["mult"]:  # soft bounds: potentiation scaled by (hi - w), depression by (w - lo), over hi - lo
            d = (d * (hi - w) if d > 0 else d * (w - lo)) / (hi - lo)
        return min(max(w + d, lo), hi)

    w = np.asarray(w0, np.float64).reshape(n_pre, k).copy()
    xa, xb = np.zeros(n_pre), np.zeros(n_post)
    ws, xs = [], []
    for i in range(pre.shape[0]):
        xa *= np.exp(-DT / p["tau_pre"])
        xb *= np.exp(-DT / p["tau_post"])
        src = i - 1 - delay_steps
        s_pre = np.array([src[r] >= 0 and pre[src[r], r] for r in range(n_pre)])
        s_post = post[i - 1] if i >= 1 else np.zeros(n_post, bool)

        def deliver():
            x = np.zeros(n_post)
            for r in np.flatnonzero(s_pre):
                for s in range(k):
                    if targets[r, s] < n_post:
                        x[targets[r, s]] += w[r, s]
            return x

        x = None if p["after"] else deliver()
        for r in np.flatnonzero(s_pre):
            for s in range(k):
                if targets[r, s] < n_post:
                    w[r, s] = change(w[r, s], p["c_pre"] * (xb[targets[r, s]] - p["b_pre"]))
            xa[r] = p["jump_pre"] if p["nearest"] else xa[r] + p["jump_pre"]
        if x is None:
            x = deliver()
        for j in np.flatnonzero(s_post):
            for r, s in zip(*np.nonzero(targets == j)):  # every synapse onto j, a multapse each time
                w[r, s] = change(w[r, s], p["c_post"] * xa[r])
            xb[j] = p["jump_post"] if p["nearest"] else xb[j] + p["jump_post"]
        ws.append(w.reshape(-1).copy())
        xs.append(x)
    return np.asarray(ws), np.asarray(xs)


def _stdp(**kw):
    full = dict(dApre=0.05, dApost=-0.06, taupre=20.0, taupost=20.0, w_min=0.0, w_max=1.0, form="additive",
                pairing="all")
    full.update(kw)
    return bb.STDP(**full), _params("stdp", **full)


def _vogels(**kw):
    full = dict(eta=0.02, rho0=5.0, tau=15.0, w_min=0.0, w_max=1.0)
    full.update(kw)
    return bb.Vogels2011(**full), _params("vogels", **full)


# name: (connector, rule and its reference parameters, delay in ms (None, a number or one per presynaptic neuron),
# chunk_size)
CASES = {
    # multapses: FixedTotalNumber's default; 30 synapses onto 4 neurons from 5 (a plastic projection overflowed)
    "total_number": (lambda: bb.FixedTotalNumber(30), lambda: _stdp(), None, 16),
    # a pair listed more than once; more spiking neurons in a step than chunk_size: the pure-JAX step loops over
    # them in chunks
    "explicit_repeats": (lambda: bb.Explicit([0, 0, 0, 1, 2, 2, 3, 4, 4, 4, 4], [1, 1, 1, 0, 0, 0, 2, 3, 3, 3, 3]),
                         lambda: _vogels(), 0.3, 2),
    "in_degree_multapses": (lambda: bb.FixedInDegree(7, allow_multapses=True),
                            lambda: _stdp(dApre=0.2, dApost=-0.25, taupost=30.0, w_min=-0.2, w_max=0.9,
                                          form="multiplicative", pairing="nearest"), [0.0, 0.2, 0.5, 0.1, 0.3], 1),
}


@pytest.fixture(scope="module")
def runs():
    """Every case as one projection of the same network (one compiled program), on the pure-JAX path (the
    native CPU kernel handles every spike in one pass; tests/models/test_plasticity_runs.py checks both agree)."""
    pre_r, post_r = _rasters()
    pre, post = Source(pre_r), Source(post_r)
    projs, params = {}, {}
    for name, (conn, rule, delay, chunk) in CASES.items():
        r, params[name] = rule()
        projs[name] = Projection(pre, post, conn(), Exponential(TAU_G), CUBA(), weight=bb.Uniform(0.2, 0.8),
                                 delay=None if delay is None else np.asarray(delay, np.float32), plasticity=r,
                                 chunk_size=chunk)
    net = bb.Network(pre=pre, post=post, **projs)
    with bb.kernels.use_kernels("jax"):
        out = simulate(net, N_STEPS, lambda: {k: (p.w.value, p.syn.g.value) for k, p in projs.items()})
    got = {}
    for name, p in projs.items():
        w, g = (np.asarray(a, np.float64) for a in out[name])
        delay = CASES[name][2]
        steps = np.zeros(N_PRE, int) if delay is None else np.rint(np.asarray(delay) / DT).astype(int)
        ref_w, ref_x = reference(params[name], pre_r, post_r, np.asarray(p.targets.value), w[0], steps)
        ref_g = np.zeros_like(ref_x)
        for i in range(N_STEPS):
            ref_g[i] = (ref_g[i - 1] * np.exp(-DT / TAU_G) if i else 0.0) + ref_x[i]
        got[name] = dict(w=w, g=g, ref_w=ref_w, ref_g=ref_g, targets=np.asarray(p.targets.value),
                         index=np.asarray(p.post_index.value))
    return got, pre_r, post_r


@pytest.mark.parametrize("name", list(CASES))
def test_weights_and_what_spikes_deliver_equal_the_reference(runs, name):
    got, _, _ = runs
    r = got[name]
    np.testing.assert_allclose(r["w"], r["ref_w"], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(r["g"], r["ref_g"], rtol=1e-4, atol=1e-5)
    assert np.abs(r["w"][-1] - r["w"][0]).max() > 0.05  # the rule did act


def test_the_cases_exercise_what_they_are_named_for(runs):
    got, pre_r, post_r = runs
    # multapses: more synapses into a neuron than there are presynaptic neurons, every one of them in post_index
    for name in CASES:
        t, index = got[name]["targets"], got[name]["index"]
        np.testing.assert_array_equal(np.sort(index[index < t.size]), np.flatnonzero(t.reshape(-1) < N_POST))
        fan_in = np.bincount(t[t < N_POST], minlength=N_POST)
        assert fan_in.max() > (N_PRE if name != "explicit_repeats" else 3)
    assert (got["explicit_repeats"]["targets"][4] == 3).sum() == 4  # the pair 4 -> 3 listed four times
    # more spiking neurons in one step than the chunks of 1 and 2
    assert post_r.sum(axis=1).max() > 2 and pre_r.sum(axis=1).max() > 2
    # soft bounds below zero: reached from both sides
    w = got["in_degree_multapses"]["w"]
    assert w.min() < 0.0


def test_fan_in_bound_holds_multapses():
    from brainbatch.models.projections._plastic import fan_in_bound

    assert fan_in_bound(bb.FixedInDegree(7, allow_multapses=True), 5, 4, False) == 7
    assert fan_in_bound(bb.FixedInDegree(3), 5, 4, False) == 3
    assert fan_in_bound(bb.Explicit([0, 0, 0, 1], [1, 1, 1, 0]), 2, 2, False) == 3
    assert fan_in_bound(bb.FixedTotalNumber(30), 5, 4, False) > 5
    assert fan_in_bound(bb.FixedOutDegree(6, allow_multapses=True), 5, 4, False) > 5
    assert fan_in_bound(bb.FixedTotalNumber(8, allow_multapses=False), 5, 4, False) <= 5


def _lane_model(p):
    pre_r, post_r = _rasters(seed=5)
    pre, post = Source(pre_r), Source(post_r)
    rule = bb.STDP(dApre=p["dA"], dApost=-1.05 * p["dA"], taupre=p["tau"], taupost=20.0, w_min=0.0, w_max=p["w_max"],
                   form="multiplicative")
    proj = Projection(pre, post, bb.FixedProb(0.6), Exponential(TAU_G), CUBA(), weight=bb.Uniform(0.0, 0.5),
                      delay=0.2, plasticity=rule)
    return bb.Network(pre=pre, post=post, p=proj)


def test_lanes_that_sweep_the_rules_parameters_each_follow_their_own_rule():
    """Traced rule parameters (a sweep's lanes, vmapped, on the default kernel path): each lane equals the reference
    with its own dApre, taupre and w_max, on its own graph."""
    sim = Simulation(_lane_model, normalize_monitors({"w": "p.w"}), dt=DT, lanes="vmap")
    values = {"dA": np.array([0.05, 0.2]), "tau": np.array([20.0, 8.0]), "w_max": np.array([1.0, 0.6])}
    state, rec = sim.run([0, 1], values, N_STEPS, keep=True)
    pre_r, post_r = _rasters(seed=5)
    targets = np.asarray(state["p.targets"])
    for lane in range(2):
        t = targets[lane] if targets.ndim == 3 else targets
        p = _params("stdp", dApre=values["dA"][lane], dApost=-1.05 * values["dA"][lane], taupre=values["tau"][lane],
                    taupost=20.0, w_min=0.0, w_max=values["w_max"][lane], form="multiplicative", pairing="all")
        w = np.asarray(rec["w"][lane], np.float64)
        real = t.reshape(-1) < N_POST
        ref_w, _ = reference(p, pre_r, post_r, t, np.where(real, w[0], 0.0), np.full(N_PRE, 2))
        np.testing.assert_allclose(w[:, real], ref_w[:, real], rtol=1e-5, atol=1e-5)
        assert np.all(np.isnan(w[:, ~real]))  # padding is NaN in a record
        assert np.nanmax(w) <= np.float32(values["w_max"][lane])
    assert not np.allclose(rec["w"][0], rec["w"][1], equal_nan=True)


def test_an_infinite_trace_jump_is_refused():
    # it was kept: the trace became inf at the first spike, a weight update read it (inf * 0 is NaN) and the weights
    # went to a bound or NaN without a word; STDP's dApre/dApost were already refused
    for jump in (float("inf"), -float("inf")):
        with pytest.raises(ValueError, match=r"^Trace jump must be finite, got -?inf$"):
            bb.Trace(20.0, jump=jump)
    assert bb.Trace(20.0, jump=-0.5).jump == -0.5
