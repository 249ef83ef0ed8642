"""AMPA and GABAa receptor kinetics (dg/dt = alpha T (1 - g) - beta g, T on for T_duration ms after a spike)
against the closed form of their equation, step by step, and as BrainPy scripts use them."""
import math

import numpy as np
import pytest

import brainbatch as bb
import brainbatch.brainpy as bp

DT = 0.1


def step_time(k):
    """Step k's time as the steps compute it: float32(k) * float32(dt)."""
    return np.float32(k) * np.float32(DT)


def pulse_on(k, k_arrival, T_dur):
    """The documented pulse rule, counted in steps: on while float32(k - k_arrival) * float32(dt) < T_dur."""
    return np.float32(k - k_arrival) * np.float32(DT) < np.float32(T_dur)


def reference_g(spike_steps, n_steps, alpha, beta, T, T_dur):
    """g at the end of each step, in float64, from the equation itself: a spike of step s reaches the synapse
    in step s + 1 (docs/step-order.md) and restarts the pulse there; with T fixed over a step the equation is
    linear, so g relaxes exactly towards alpha T / (alpha T + beta)."""
    g, arrival, out = 0.0, -(2**30), []
    arrivals = {s + 1 for s in spike_steps}
    for k in range(n_steps):
        if k in arrivals:
            arrival = k
        a_T = alpha * T if pulse_on(k, arrival, T_dur) else 0.0
        rate = a_T + beta
        g_inf = a_T / rate
        g = g_inf + (g - g_inf) * math.exp(-rate * DT)
        out.append(g)
    return np.asarray(out)


@pytest.mark.parametrize("syn, params", [
    (bb.AMPA(), dict(alpha=0.98, beta=0.18, T=0.5, T_dur=0.5)),
    (bb.GABAa(), dict(alpha=0.53, beta=0.18, T=1.0, T_dur=1.0)),
    (bb.AMPA(alpha=2.0, beta=0.5, T=1.0, T_duration=0.85), dict(alpha=2.0, beta=0.5, T=1.0, T_dur=0.85)),
])
def test_g_follows_the_closed_form_of_the_kinetic_equation(syn, params):
    # three spikes of one neuron, two of them closer than a pulse (the second restarts it), and a weight that
    # scales only the current: g_post = w * g
    times = [1.0, 1.3, 6.0]
    pre = bb.SpikeTimeGroup(1, times=times, indices=[0] * len(times))
    post = bb.LifRef(1, V_rest=-60.0, V_reset=-60.0, V_th=100.0, tau=20.0, tau_ref=1.0)
    proj = bb.AlignPreProjection(pre, post, bb.OneToOne(), syn, bb.COBA(E=0.0), weight=0.5)
    out = bb.Runner(bb.Network(pre=pre, post=post, proj=proj), monitors={"g": "proj.syn.g", "g_post": "proj.g_post"},
                    dt=DT, progress_bar=False).run(12.0)
    expected = reference_g([round(t / DT) for t in times], 120, **params)
    assert expected.max() > 0.1  # the pulses open the receptors
    np.testing.assert_allclose(out["g"][:, 0], expected, rtol=2e-5, atol=1e-7)
    np.testing.assert_allclose(out["g_post"][:, 0], 0.5 * out["g"][:, 0], rtol=1e-6)


def test_a_kinetic_synapse_needs_its_state_per_presynaptic_neuron_and_checks_its_parameters():
    # BrainPy's defaults (Destexhe et al. 1994; Destexhe & Pare 1999)
    assert [(s.alpha, s.beta, s.T, s.T_duration) for s in (bb.AMPA(), bb.GABAa())] == [(0.98, 0.18, 0.5, 0.5),
                                                                                      (0.53, 0.18, 1.0, 1.0)]
    E, I = bb.LifRef(4), bb.LifRef(2)
    with pytest.raises(TypeError, match="Projection: AMPA keeps one state per presynaptic neuron .* "
                                        "bb.AlignPreProjection\\(pre, post, conn, bb.AMPA\\(\\), out, weight=w\\)"):
        bb.Projection(E, I, bb.AllToAll(), bb.AMPA(), bb.COBA(E=0.0), weight=0.5)
    p = bb.AlignPreProjection(E, I, bb.AllToAll(), bb.GABAa(), bb.COBA(E=-80.0), weight=0.5)
    assert p.syn.g.shape == (4,) and p.syn.g.units == "1" and p.syn.spike_arrival_time.units == "ms"
    for bad, message in ((dict(beta=-1.0), "beta must be a finite number >= 0"), (dict(T=float("inf")), "T must be a finite"),
                         (dict(T_duration=0.0), "T_duration"),
                         (dict(alpha="fast"), "alpha must be a number")):
        with pytest.raises((TypeError, ValueError), match=message):
            bb.AMPA(**bad)


def test_brainpys_ampa_and_gabaa_in_align_pre_projections():
    # BrainPy 2.4+: syn=bp.dyn.AMPA.desc(n) in FullProjAlignPreDSMg / SDMg (they were refused as unknown names)
    E = bp.dyn.SpikeTimeGroup(3, times=[1.0, 2.0, 2.0], indices=[0, 1, 2])
    post = bp.dyn.LifRef(2, V_rest=-60.0, V_reset=-60.0, V_th=-50.0, tau=20.0, tau_ref=2.0)
    ampa = bp.dyn.FullProjAlignPreDSMg(pre=E, delay=None, syn=bp.dyn.AMPA.desc(3), comm=bp.dnn.AllToAll(3, 2, 0.3),
                                       out=bp.dyn.COBA(E=0.0), post=post)
    gaba = bp.dyn.FullProjAlignPreSDMg(pre=E, syn=bp.dyn.GABAa.desc(3, T_dur=0.5), delay=None,
                                       comm=bp.dnn.AllToAll(3, 2, 0.1), out=bp.dyn.COBA(E=-80.0), post=post)
    net = bp.DynSysGroup(E=E, post=post, ampa=ampa, gaba=gaba)
    mon = bp.DSRunner(net, monitors={"g": "ampa.syn.g", "gp": "ampa.g_post", "h": "gaba.syn.g"},
                      progress_bar=False).run(5.0)
    g, h = mon["g"], mon["h"]
    assert g.shape == (50, 3) and g[:, 0].max() > 0.1
    np.testing.assert_allclose(mon["gp"], 0.3 * np.repeat(g.sum(1, keepdims=True), 2, axis=1), rtol=1e-5)
    np.testing.assert_allclose(g[:, 0], reference_g([10], 50, 0.98, 0.18, 0.5, 0.5), rtol=2e-5, atol=1e-7)
    np.testing.assert_allclose(h[:, 2], reference_g([20], 50, 0.53, 0.18, 1.0, 0.5), rtol=2e-5, atol=1e-7)
    with pytest.raises(TypeError, match="AMPA keeps one state per presynaptic neuron"):
        bp.dyn.FullProjAlignPostMg(pre=E, delay=None, comm=bp.dnn.AllToAll(3, 2, 0.3), syn=bp.dyn.AMPA.desc(2),
                                   out=bp.dyn.COBA(E=0.0), post=post)


def reference_bionmda(spike_steps, n_steps, alpha1=2.0, beta1=0.01, alpha2=1.0, beta2=0.5, T=1.0, T_dur=0.5):
    """g and x of BrainPy's BioNMDA in float64: exponential Euler on the joint equation (BrainPy's exp_auto),
    each variable linearised in itself with the other at the step's start."""
    g = x = 0.0
    arrival, gs, xs = -(2**30), [], []
    arrivals = {s + 1 for s in spike_steps}
    for k in range(n_steps):
        if k in arrivals:
            arrival = k
        TT = T if pulse_on(k, arrival, T_dur) else 0.0
        A_g, f_g = -(alpha1 * x + beta1), alpha1 * x * (1 - g) - beta1 * g
        A_x, f_x = -(alpha2 * TT + beta2), alpha2 * TT * (1 - x) - beta2 * x
        g, x = g + f_g * math.expm1(A_g * DT) / A_g, x + f_x * math.expm1(A_x * DT) / A_x
        gs.append(g)
        xs.append(x)
    return np.asarray(gs), np.asarray(xs)


def test_bionmda_follows_brainpys_exponential_euler_on_its_joint_equation():
    times = [1.0, 1.2, 20.0]
    pre = bb.SpikeTimeGroup(1, times=times, indices=[0] * len(times))
    post = bb.LifRef(1, V_rest=-60.0, V_reset=-60.0, V_th=100.0, tau=20.0, tau_ref=1.0)
    proj = bb.AlignPreProjection(pre, post, bb.OneToOne(), bb.BioNMDA(), bb.MgBlock(E=0.0), weight=0.2)
    out = bb.Runner(bb.Network(pre=pre, post=post, proj=proj), monitors={"g": "proj.syn.g", "x": "proj.syn.x"},
                    dt=DT, progress_bar=False).run(60.0)
    g, x = reference_bionmda([round(t / DT) for t in times], 600)
    assert g.max() > 0.5
    np.testing.assert_allclose(out["g"][:, 0], g, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(out["x"][:, 0], x, rtol=1e-4, atol=1e-6)
    with pytest.raises(TypeError, match="BioNMDA keeps one state per presynaptic neuron"):
        bb.Projection(pre, post, bb.OneToOne(), bb.BioNMDA(), bb.MgBlock(E=0.0), weight=0.2)
    # BrainPy's spelling: bp.dyn.BioNMDA(size, alpha1, beta1, alpha2, beta2, T, T_dur) in an align-pre projection
    syn = bp.dyn.BioNMDA(4, alpha1=1.0, T_dur=1.0)
    assert (syn.alpha1, syn.alpha2, syn.beta2, syn.T_duration) == (1.0, 1.0, 0.5, 1.0) and syn.x.shape == (4,)
    E = bp.dyn.SpikeTimeGroup(3, times=[1.0], indices=[0])
    proj = bp.dyn.FullProjAlignPreDSMg(pre=E, delay=None, syn=bp.dyn.BioNMDA.desc(3), comm=bp.dnn.AllToAll(3, 2, 0.1),
                                       out=bp.dyn.MgBlock(E=0.0), post=bp.dyn.LifRef(2))
    assert proj.syn.g.shape == (3,) and isinstance(proj.syn, bb.BioNMDA)


def test_a_lane_of_a_batch_equals_its_run_alone_bitwise():
    # pulses of a whole number of steps (the defaults) were timed on t - spike_arrival_time, a tie that XLA's
    # fusion of t0 + i * dt rounded one way in the vmapped program and the other alone: g differed by 0.03
    from brainbatch.run import Simulation, normalize_monitors

    def build(params):
        pre = bb.PoissonGroup(3, freqs=400.0)
        post = bb.LifRef(2, V_rest=-60.0, V_reset=-60.0, V_th=-50.0, tau=20.0, tau_ref=2.0)
        return bb.Network(pre=pre, post=post,
                          ampa=bb.AlignPreProjection(pre, post, bb.AllToAll(), bb.AMPA(), bb.COBA(E=0.0), weight=0.3),
                          nmda=bb.AlignPreProjection(pre, post, bb.AllToAll(), bb.BioNMDA(), bb.MgBlock(E=0.0),
                                                     weight=0.1))

    sim = Simulation(build, normalize_monitors({"g": "ampa.syn.g", "h": "nmda.syn.g", "V": "post.V"}), dt=DT)
    _, batch = sim.run([0, 1, 2, 3], {}, 400, keep=True)
    _, alone = sim.run([2], {}, 400, keep=True)
    assert batch["g"][2].max() > 0.1
    for name in ("g", "h", "V"):
        np.testing.assert_array_equal(batch[name][2], alone[name][0], err_msg=name)
