"""An independent plain-NumPy (float64) reference simulator against one small brainbatch network.

Every recursion below is written from the documented equations and defaults (brainbatch/models/README.md,
docs/step-order.md, docs/plasticity.md), which match BrainPy 2.8.2's source (``brainpy/dyn/neurons/lif.py``,
``hh.py``, ``dyn/synapses/abstract_models.py``: its defaults, its ``exp_auto`` exponential Euler with each
variable linearised on its own, the others held at the step start), never from brainbatch's numbers. One
compiled run of one network holds every model, so the module costs one compile.

Tolerances come from float32: a state of size ~50 mV holds ~4e-6 of rounding per step, which the linear
models keep at ~1e-5; the spike upswings of Izhikevich and HH amplify it (a derivative of ~100 mV/ms), so
they get 2e-2 mV, still far below any step-order or parameter error (those move V by >= 0.1 mV).
"""
import numpy as np
import jax
import jax.numpy as jnp
import pytest

import brainbatch as bb
from brainbatch.core import assign_paths

DT = 0.1
N_STEPS = 300
PRE_TIMES = [1.0, 3.0, 3.5, 8.0, 20.0, 21.0]  # ms: the steps 10, 30, 35, 80, 200, 210 (t >= time, float32)
PRE_STEPS = [10, 30, 35, 80, 200, 210]

# constant drives (mV for the LIF family through R = 1; the model's own current units for the others)
I_LIFREF = np.array([25.0, 40.0])
I_EXPIF = np.array([10.0, 20.0])
I_ADEX = np.array([10.0, 40.0])
I_IZH = np.array([5.0, 10.0])
I_QUA = np.array([10.0, 20.0])
I_HH = np.array([5.0, 10.0])
I_STDP_POST = np.array([2.0, 1.3, 1.1])
TAU_REF_ODD = [0.15, 0.27, 0.35, 0.25]  # ms, at dt 0.1 ms


def _phi(z):
    """expm1(z) / z (the exponential Euler factor), with the growth cap of 3 the README documents."""
    z = np.minimum(np.asarray(z, np.float64), 3.0)
    safe = np.where(z == 0.0, 1.0, z)
    return np.where(np.abs(z) < 1e-12, 1.0, np.expm1(safe) / safe)


def _ee(y, f, a):
    """One exponential Euler step of BrainPy's exp_auto: y + dt f(y) phi(a dt), a = df/dy at the step start."""
    return y + DT * f * _phi(a * DT)


@pytest.fixture(scope="module")
def sim():
    pre = bb.SpikeTimeGroup(1, indices=[0] * len(PRE_TIMES), times=PRE_TIMES)
    groups = dict(
        lifref=bb.LifRef(2, tau_ref=2.0, I_bias=I_LIFREF),
        expif=bb.ExpIF(2, tau_ref=0.5),
        adex=bb.AdEx(2),
        izh=bb.Izhikevich(2),
        quaif=bb.QuaIF(2),
        hh=bb.HH(2, V_initializer=bb.Constant(-65.0)),
        # synapse targets: no threshold in reach, so V is the PSP
        pE=bb.LIF(1, V_th=1e9), pA=bb.LIF(1, V_th=1e9), pD=bb.LIF(1, V_th=1e9), pC=bb.LIF(1, V_th=1e9),
        pX=bb.LIF(1, V_th=1e9, method="exact"), stp_post=bb.LIF(2, V_th=1e9),
        # a refractory target of Delta jumps: spikes in step 0 (V starts above threshold), refractory 2 ms
        dref=bb.LifRef(1, tau_ref=2.0, V_initializer=bb.Constant(25.0)),
        stdp_post=bb.LIF(3, V_th=1.0, V_reset=0.0),
        # refractory periods that are no whole number of steps
        refsteps=bb.LifRef(4, tau_ref=np.array(TAU_REF_ODD), V_reset=0.0, I_bias=1000.0),
    )
    g = groups
    projs = dict(
        prE=bb.Projection(pre, g["pE"], bb.OneToOne(), bb.Exponential(5.0), bb.CUBA(), weight=2.0, delay=1.0),
        prA=bb.Projection(pre, g["pA"], bb.OneToOne(), bb.Alpha(3.0), bb.CUBA(), weight=3.0),
        prD=bb.Projection(pre, g["pD"], bb.OneToOne(), bb.DualExponential(1.0, 5.0), bb.COBA(E=50.0), weight=0.1,
                          delay=0.5),
        prC=bb.Projection(pre, g["pC"], bb.OneToOne(), bb.Exponential(2.0), bb.COBA(E=-80.0), weight=0.5),
        prX=bb.Projection(pre, g["pX"], bb.OneToOne(), bb.Exponential(0.5), bb.CUBA(), weight=4.0),
        # Delta jumps of 5 mV, delay 0.9 ms: the spike of step 10 arrives in step 20, the refractory
        # boundary of a spike in step 0 (n = 20): dropped; the later ones count
        prDelta=bb.Projection(pre, g["dref"], bb.OneToOne(), bb.Delta(), weight=5.0, delay=0.9),
        prSTP=bb.Projection(pre, g["stp_post"], bb.AllToAll(), bb.Exponential(1e9), bb.CUBA(),
                            weight=np.array([[1.0, 3.0]]), delay=0.7, stp=bb.STP(U=0.2, tau_f=50.0, tau_d=100.0)),
    )
    pre2 = bb.SpikeTimeGroup(2, indices=[0, 1, 0, 0, 1, 1, 0], times=[1.0, 2.0, 5.0, 5.5, 12.0, 12.3, 22.0])
    w0 = np.array([[0.5, 0.02, 0.97], [0.3, 0.6, 0.01]])
    projs["prSTDP"] = bb.Projection(pre2, g["stdp_post"], bb.AllToAll(), bb.Exponential(5.0), bb.CUBA(), weight=w0,
                                    plasticity=bb.STDP(dApre=0.05, dApost=-0.04, taupre=5.0, taupost=8.0,
                                                       w_min=0.0, w_max=1.0, pairing="nearest"))
    net = bb.Network(pre=pre, pre2=pre2, **groups, **projs)
    drives = {"expif": I_EXPIF, "adex": I_ADEX, "izh": I_IZH, "quaif": I_QUA, "hh": I_HH, "stdp_post": I_STDP_POST}
    state = {"lifref": ["V", "spike"], "expif": ["V", "spike"], "adex": ["V", "w", "spike"],
             "izh": ["V", "u", "spike"], "quaif": ["V", "spike"], "hh": ["V", "spike"], "pE": ["V"], "pA": ["V"],
             "pD": ["V"], "pC": ["V"], "pX": ["V"], "dref": ["V", "spike"], "stdp_post": ["spike"],
             "refsteps": ["spike"]}

    with bb.environment(key=jax.random.key(0), dt=DT):
        assign_paths(net)
        net.reset()

        def body(i):
            for name, current in drives.items():
                g[name].input.value = g[name].input.value + jnp.asarray(current, jnp.float32)
            net.step_run(i)
            rec = {f"{k}.{v}": getattr(g[k], v).value for k, vs in state.items() for v in vs}
            rec.update({"pre": pre.spike.value, "pre2": pre2.spike.value, "stp_g": projs["prSTP"].syn.g.value,
                        "w": projs["prSTDP"].w.value})
            return rec

        out = bb.for_loop(body, jnp.arange(N_STEPS), dyn_vars=net)
    out = {k: np.asarray(v) for k, v in out.items()}
    out["targets"] = np.asarray(projs["prSTDP"].targets.value)
    out["w0"] = w0
    return out


def _arrival(i, delay_steps):
    """The documented delivery: a spike of step s on a delay of d steps reaches the synapse in step s + 1 + d."""
    return float(i - 1 - delay_steps in PRE_STEPS)


def test_the_spike_source_fires_in_the_documented_steps(sim):
    assert np.nonzero(sim["pre"][:, 0])[0].tolist() == PRE_STEPS


def test_lifref_refractory_period_clamp_and_spike_steps(sim):
    V, last, n_ref = np.zeros(2), np.full(2, -10**6), round(2.0 / DT)
    Vs, spikes = [], []
    for i in range(N_STEPS):
        refractory = (i - last) < n_ref  # steps s+1 .. s+n-1 after a spike in step s
        V = _ee(V, (-(V - 0.0) + I_LIFREF) / 10.0, -1.0 / 10.0)
        V = np.where(refractory, -5.0, V)
        s = (V >= 20.0) & ~refractory
        V = np.where(s, -5.0, V)
        last = np.where(s, i, last)
        Vs.append(V)
        spikes.append(s)
    np.testing.assert_array_equal(sim["lifref.spike"], np.array(spikes))
    np.testing.assert_allclose(sim["lifref.V"], np.array(Vs), atol=2e-5)
    # the interspike interval is tau_ref + the charging time from V_reset (analytic), on the dt grid
    isi = np.diff(np.nonzero(sim["lifref.spike"][:, 1])[0]) * DT
    want = 2.0 + 10.0 * np.log((40.0 + 5.0) / (40.0 - 20.0))
    assert np.all(np.abs(isi - want) <= DT + 1e-9), (isi, want)


def test_expif_with_brainpy_refractory_rule(sim):
    # BrainPy's ExpIFRef: V held at its step-start value while t - t_last_spike <= tau_ref (5 steps at 0.5 ms)
    V, last, n_hold = np.full(2, -65.0), np.full(2, -10**6), 5
    Vs, spikes = [], []
    for i in range(N_STEPS):
        E = np.exp((V + 59.9) / 3.48)
        V2 = _ee(V, (-(V + 65.0) + 3.48 * E + I_EXPIF) / 10.0, (-1.0 + E) / 10.0)
        V2 = np.where((i - last) <= n_hold, V, V2)
        s = V2 >= -55.0
        V = np.where(s, -68.0, V2)
        last = np.where(s, i, last)
        Vs.append(V)
        spikes.append(s)
    np.testing.assert_array_equal(sim["expif.spike"], np.array(spikes))
    assert sim["expif.spike"].sum() >= 4
    np.testing.assert_allclose(sim["expif.V"], np.array(Vs), atol=2e-4)


def test_adex_with_brainpy_defaults(sim):
    V, w = np.full(2, -65.0), np.zeros(2)
    Vs, Ws, spikes = [], [], []
    for i in range(N_STEPS):
        E = np.exp((V + 59.9) / 3.48)
        V_new = _ee(V, (-(V + 65.0) + 3.48 * E - w + I_ADEX) / 10.0, (-1.0 + E) / 10.0)
        w = _ee(w, (1.0 * (V + 65.0) - w) / 30.0, -1.0 / 30.0)
        s = V_new >= -55.0
        V, w = np.where(s, -68.0, V_new), np.where(s, w + 1.0, w)
        Vs.append(V)
        Ws.append(w)
        spikes.append(s)
    np.testing.assert_array_equal(sim["adex.spike"], np.array(spikes))
    assert sim["adex.spike"].sum() >= 4
    np.testing.assert_allclose(sim["adex.V"], np.array(Vs), atol=2e-4)
    np.testing.assert_allclose(sim["adex.w"], np.array(Ws), atol=1e-4)


def test_izhikevich_with_brainpy_defaults_and_initial_u(sim):
    V = np.full(2, -70.0)
    u = 0.2 * V  # BrainPy 2.8.2: u starts at b V
    Vs, Us, spikes = [], [], []
    for i in range(N_STEPS):
        V_new = _ee(V, 0.04 * V * V + 5.0 * V + 140.0 - u + I_IZH, 0.08 * V + 5.0)
        u = _ee(u, 0.02 * (0.2 * V - u), -0.02)
        s = V_new >= 30.0
        V, u = np.where(s, -65.0, V_new), np.where(s, u + 8.0, u)
        Vs.append(V)
        Us.append(u)
        spikes.append(s)
    np.testing.assert_array_equal(sim["izh.spike"], np.array(spikes))
    assert sim["izh.spike"].sum() >= 2
    np.testing.assert_allclose(sim["izh.V"], np.array(Vs), atol=2e-2)
    np.testing.assert_allclose(sim["izh.u"], np.array(Us), atol=1e-4)


def test_quaif_with_brainpy_defaults(sim):
    V = np.full(2, -65.0)
    Vs, spikes = [], []
    for i in range(N_STEPS):
        f = (0.07 * (V + 65.0) * (V + 50.0) + I_QUA) / 10.0
        V = _ee(V, f, 0.07 * ((V + 50.0) + (V + 65.0)) / 10.0)
        s = V >= -30.0
        V = np.where(s, -68.0, V)
        Vs.append(V)
        spikes.append(s)
    np.testing.assert_array_equal(sim["quaif.spike"], np.array(spikes))
    assert sim["quaif.spike"].sum() >= 1
    np.testing.assert_allclose(sim["quaif.V"], np.array(Vs), atol=2e-3)


def test_hodgkin_huxley_with_brainpy_defaults(sim):
    def ratio(x):  # x / (1 - exp(-x / 10))
        return x / -np.expm1(-x / 10.0)

    rates = {"m": (lambda V: 0.1 * ratio(V + 40.0), lambda V: 4.0 * np.exp(-(V + 65.0) / 18.0)),
             "h": (lambda V: 0.07 * np.exp(-(V + 65.0) / 20.0), lambda V: 1.0 / (1.0 + np.exp(-(V + 35.0) / 10.0))),
             "n": (lambda V: 0.01 * ratio(V + 55.0), lambda V: 0.125 * np.exp(-(V + 65.0) / 80.0))}
    V = np.full(2, -65.0)
    x = {k: a(V) / (a(V) + b(V)) for k, (a, b) in rates.items()}  # gates start at their steady state
    Vs, spikes = [], []
    for i in range(N_STEPS):
        m, h, n = x["m"], x["h"], x["n"]
        gsum = 120.0 * m ** 3 * h + 36.0 * n ** 4 + 0.03
        f = -120.0 * m ** 3 * h * (V - 50.0) - 36.0 * n ** 4 * (V + 77.0) - 0.03 * (V + 54.387) + I_HH
        V_new = _ee(V, f, -gsum)
        x = {k: _ee(x[k], a(V) * (1 - x[k]) - b(V) * x[k], -(a(V) + b(V))) for k, (a, b) in rates.items()}
        spikes.append((V < 20.0) & (V_new >= 20.0))  # an upward crossing of V_th, no reset
        V = V_new
        Vs.append(V)
    np.testing.assert_array_equal(sim["hh.spike"], np.array(spikes))
    assert sim["hh.spike"].sum() >= 4
    np.testing.assert_allclose(sim["hh.V"], np.array(Vs), atol=2e-2)


def _lif_psp(current, conductance=None, E=0.0):
    """A LIF (V_rest 0, tau 10) under a synaptic current, or a conductance towards E; exponential Euler."""
    V, Vs = 0.0, []
    for i in range(N_STEPS):
        if conductance is None:
            g = current(i)
            V = _ee(V, (-V + g) / 10.0, -0.1)
        else:
            g = conductance(i)
            V = _ee(V, (-V + g * (E - V)) / 10.0, -(1.0 + g) / 10.0)
        Vs.append(V)
    return np.array(Vs)


def _exponential(tau, weight, delay_steps):
    g = [0.0]

    def step(i):
        g[0] = g[0] * np.exp(-DT / tau) + weight * _arrival(i, delay_steps)
        return g[0]
    return step


def test_exponential_synapse_cuba_with_delay(sim):
    want = _lif_psp(_exponential(5.0, 2.0, 10))
    assert np.argmax(want != 0) == 10 + 1 + 10  # the PSP starts in step s + 1 + d
    np.testing.assert_allclose(sim["pE.V"][:, 0], want, atol=1e-5)


def test_exponential_synapse_coba(sim):
    np.testing.assert_allclose(sim["pC.V"][:, 0], _lif_psp(None, _exponential(2.0, 0.5, 0), E=-80.0), atol=2e-5)


def test_alpha_synapse_cuba(sim):
    g = h = 0.0
    e = np.exp(-DT / 3.0)
    gs = []
    for i in range(N_STEPS):  # dg/dt = (-g + h)/tau, dh/dt = -h/tau, solved exactly; the spike adds to h
        g, h = (g + h * DT / 3.0) * e, h * e + 3.0 * _arrival(i, 0)
        gs.append(g)
    np.testing.assert_allclose(sim["pA.V"][:, 0], _lif_psp(lambda i: gs[i]), atol=1e-5)


def test_dual_exponential_synapse_coba_with_delay(sim):
    g = h = 0.0
    ed, er = np.exp(-DT / 5.0), np.exp(-DT / 1.0)
    gs = []
    for i in range(N_STEPS):  # dg/dt = -g/tau_decay + h, dh/dt = -h/tau_rise, solved exactly
        g, h = g * ed + h * (ed - er) / (1.0 / 1.0 - 1.0 / 5.0), h * er + 0.1 * _arrival(i, 5)
        gs.append(g)
    np.testing.assert_allclose(sim["pD.V"][:, 0], _lif_psp(None, lambda i: gs[i], E=50.0), atol=2e-5)


def test_exact_integration_of_an_exponential_current(sim):
    # NEST's iaf_psc_exp propagator: V(t + dt) = V e^{-dt/tau} + g P, P = ts/(ts - tau) (e^{-dt/ts} - e^{-dt/tau})
    tau, ts = 10.0, 0.5
    P = ts / (ts - tau) * (np.exp(-DT / ts) - np.exp(-DT / tau))
    g, V, Vs = 0.0, 0.0, []
    for i in range(N_STEPS):
        g = g * np.exp(-DT / ts) + 4.0 * _arrival(i, 0)
        V = V * np.exp(-DT / tau) + g * P
        Vs.append(V)
    np.testing.assert_allclose(sim["pX.V"][:, 0], np.array(Vs), atol=1e-6)


def test_delta_jumps_on_a_refractory_lifref_follow_the_documented_boundary(sim):
    # dref spikes in step 0 (V starts above V_th), n = 20: jumps delivered in steps 1 .. 20 are dropped,
    # later ones count. A spike of step s' on 9 steps of delay is delivered in step s' + 10.
    n_ref, d = 20, 9
    V, last, ref_prev = 25.0, -10**6, False
    Vs, spikes = [], []
    for i in range(N_STEPS):
        V = V + 5.0 * _arrival(i, d)          # deliver phase
        if ref_prev:
            V = -5.0                          # dropped: refractory (or spiked) in the previous step
        refractory = (i - last) < n_ref
        V = _ee(V, -V / 10.0, -0.1)
        if refractory:
            V = -5.0
        s = V >= 20.0 and not refractory
        if s:
            V, last = -5.0, i
        ref_prev = refractory or s
        Vs.append(V)
        spikes.append(s)
    assert np.nonzero(sim["dref.spike"][:, 0])[0].tolist() == [0]
    np.testing.assert_array_equal(sim["dref.spike"][:, 0], np.array(spikes))
    np.testing.assert_allclose(sim["dref.V"][:, 0], np.array(Vs), atol=1e-5)
    jumps = np.nonzero(np.diff(sim["dref.V"][:, 0]) > 1.0)[0] + 1
    assert jumps.tolist() == [s + 1 + d for s in PRE_STEPS[1:]]  # the first one (step 20) is dropped


def test_tsodyks_markram_release_with_delay(sim):
    U, tau_f, tau_d, d = 0.2, 50.0, 100.0, 7
    u, x, g, gs = 0.0, 1.0, np.zeros(2), []
    for i in range(N_STEPS):
        u, x = u * np.exp(-DT / tau_f), 1.0 - (1.0 - x) * np.exp(-DT / tau_d)  # exact relaxation
        if _arrival(i, d):
            u = u + U * (1.0 - u)
            r = u * x
            x -= r
            g = g + np.array([1.0, 3.0]) * r
        gs.append(g.copy())
    want = np.array(gs)
    assert want[-1, 0] > 0.5  # six releases took place
    np.testing.assert_allclose(sim["stp_g"], want, rtol=1e-5, atol=1e-7)


def test_nearest_spike_stdp_on_the_recorded_trains(sim):
    P, Q = sim["pre2"], sim["stdp_post.spike"]
    assert P.sum() == 7 and Q.sum() >= 6
    w = sim["w0"].copy()
    apre, apost = np.zeros(2), np.zeros(3)
    ws = []
    for i in range(N_STEPS):
        apre, apost = apre * np.exp(-DT / 5.0), apost * np.exp(-DT / 8.0)
        if i >= 1:  # the spikes of step i - 1: the pre pathway first, then post
            for j in np.nonzero(P[i - 1])[0]:
                w[j] = np.clip(w[j] + apost, 0.0, 1.0)
                apre[j] = 0.05                       # nearest: a spike sets its trace
            for k in np.nonzero(Q[i - 1])[0]:
                w[:, k] = np.clip(w[:, k] + apre, 0.0, 1.0)
                apost[k] = -0.04
        ws.append(w.copy())
    want = np.array(ws)
    targets, K = sim["targets"], sim["targets"].shape[1]
    got = np.zeros_like(want)
    for j in range(2):
        for slot in range(K):
            got[:, j, targets[j, slot]] = sim["w"][:, j * K + slot]
    assert np.abs(want[-1] - sim["w0"]).max() > 0.03  # the weights moved
    np.testing.assert_allclose(got, want, atol=2e-7)


def test_lifref_refractory_steps_for_a_tau_ref_of_no_whole_steps(sim):
    """Brian2 (brian2/core/functions.py): ``not_refractory = timestep(t - lastspike, dt) >= timestep(tau_ref, dt)``
    with ``timestep(x, dt) = int(x / dt + 1e-3)``: 0.15, 0.27, 0.35, 0.25 ms at dt 0.1 ms are 1, 2, 3, 2 steps.
    Rounding to the nearest step instead gave 2, 3, 4, 2 (one step too many for three of them)."""
    n_ref = np.array([int(tr / DT + 1e-3) for tr in TAU_REF_ODD])  # Brian2's timestep
    assert n_ref.tolist() == [1, 2, 3, 2]
    V, last, spikes = np.zeros(4), np.full(4, -10**6), []
    for i in range(N_STEPS):
        refractory = (i - last) < n_ref
        V = np.where(refractory, 0.0, _ee(V, (-V + 1000.0) / 10.0, -0.1))
        s = (V >= 20.0) & ~refractory
        V = np.where(s, 0.0, V)
        last = np.where(s, i, last)
        spikes.append(s)
    np.testing.assert_array_equal(sim["refsteps.spike"], np.array(spikes))
    # from V_reset = 0 the drive needs 3 steps to cross 20 mV: the interval is n + 2 steps
    for k in range(4):
        assert set(np.diff(np.nonzero(sim["refsteps.spike"][:, k])[0])) == {n_ref[k] + 2}
