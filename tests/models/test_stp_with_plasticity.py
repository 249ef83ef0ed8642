"""Short-term plasticity and a plasticity rule on one projection: the rule changes the weights as it does
without STP, and each spike delivers the weights of that moment times its release, from an independent
float64 recursion of the Tsodyks-Markram equations; a lane equals its run alone."""
import math

import numpy as np

import brainbatch as bb
from brainbatch.models import CUBA, AllToAll, Exponential, Projection
from brainbatch.models.plasticity import STDP
from brainbatch.run import Monitor, Simulation, normalize_monitors

from _projection_support import DT, Source, simulate

PRE = {0: [50, 300, 310, 320, 900, 1500, 2000], 1: [100, 700, 705, 710, 715, 2400], 2: [400, 1200, 2600]}
POST = {0: [60, 300, 330, 1000, 1490, 2050], 1: [90, 720, 725, 1210, 2405, 2800]}
N_STEPS, TAU_SYN, U, TAU_F, TAU_D = 3000, 5.0, 0.3, 50.0, 200.0


def _raster(spikes, n):
    r = np.zeros((N_STEPS, n), bool)
    for i, steps in spikes.items():
        r[steps, i] = True
    return r


def _run(stp):
    pre, post = Source(_raster(PRE, 3)), Source(_raster(POST, 2))
    pr = Projection(pre, post, AllToAll(), Exponential(TAU_SYN), CUBA(), weight=0.5,
                    plasticity=STDP(dApre=0.3, dApost=-0.315, w_max=1.0), stp=stp)
    g, w = simulate(bb.Network(pre=pre, post=post, pr=pr), N_STEPS, lambda: (pr.syn.g.value, pr.w.value))
    return np.asarray(g, np.float64), np.asarray(w, np.float64)


def _releases():
    """r[i, j]: what presynaptic neuron j's spike releases when it arrives in step i (0 without one): its
    spike of step s arrives in s + 1; u relaxes to 0, x to 1, and an arrival facilitates u+ = u- + U (1 - u-),
    releases r = u+ x-, and leaves x- - r (one-step decay factors rounded to float32, as the model's are)."""
    f32 = lambda v: float(np.float32(v))  # noqa: E731
    fu, fx = f32(math.exp(-DT / TAU_F)), f32(math.exp(-DT / TAU_D))
    r = np.zeros((N_STEPS, len(PRE)))
    for j, steps in PRE.items():
        u, x, arrive = 0.0, 1.0, {s + 1 for s in steps}
        for i in range(N_STEPS):
            u, x = u * fu, 1 - (1 - x) * fx
            if i in arrive:
                u += U * (1 - u)
                r[i, j] = u * x
                x -= r[i, j]
    return r


def test_the_rule_learns_the_same_weights_and_each_spike_delivers_them_times_its_release():
    g, w = _run(bb.STP(U=U, tau_f=TAU_F, tau_d=TAU_D))
    g_plain, w_plain = _run(None)
    # the rule sees the weights, never the releases (with STP it runs on the pure-JAX path: float rounding)
    np.testing.assert_allclose(w, w_plain, rtol=0, atol=1e-6)
    assert np.abs(w[-1] - 0.5).max() > 0.1  # it learned
    r = _releases()
    fg = float(np.float32(math.exp(-DT / TAU_SYN)))
    w_before = np.concatenate([np.full((1, 6), 0.5), w[:-1]]).reshape(N_STEPS, 3, 2)  # STDP delivers first
    ref, gi = np.zeros((N_STEPS, 2)), np.zeros(2)
    for i in range(N_STEPS):
        gi = gi * fg + r[i] @ w_before[i]
        ref[i] = gi
    np.testing.assert_allclose(g, ref, rtol=2e-5, atol=1e-6)
    assert np.abs(g - g_plain).max() > 0.1  # the releases count: without STP every spike delivers its whole w


def _song(U):
    inp = bb.PoissonGroup(200, freqs=50.0)
    neu = bb.LIF(3, V_rest=-74.0, V_reset=-60.0, V_th=-54.0, tau=10.0, V_initializer=bb.Constant(-60.0))
    S = Projection(inp, neu, bb.FixedProb(0.5), Exponential(5.0), bb.COBA(0.0), weight=bb.Uniform(0.0, 0.6),
                   plasticity=STDP(dApre=0.006, dApost=-0.0063, w_max=0.6), stp=bb.STP(U=U, tau_f=20.0, tau_d=100.0))
    return bb.Network(inp=inp, neu=neu, S=S)


def test_a_lane_with_a_swept_U_equals_its_run_alone_bitwise():
    sim = Simulation(lambda p: _song(p["U"]), normalize_monitors({"spk": "neu.spike", "w": Monitor("S.w", every=500),
                                                                  "x": "S.stp.x"}), dt=DT)
    _, alone = sim.run([1], {"U": np.array([0.6], np.float32)}, 1500, keep=True)
    _, batch = sim.run([0, 1], {"U": np.array([0.2, 0.6], np.float32)}, 1500, keep=True)
    for name in ("spk", "w", "x"):
        np.testing.assert_array_equal(alone[name][0], batch[name][1])
    assert alone["spk"][0].sum() > 0 and batch["spk"][0].sum() > 0 and not np.array_equal(batch["w"][0], batch["w"][1])
