"""Numerics checked by properties with known answers (session 37): exponential Euler on an integer start and on
an equation that couples the elements of one variable, the SDE schemes' noise scale and strong orders on a
nonlinear diffusion and a vector Wiener process, an Ornstein-Uhlenbeck process's autocorrelation and its noise
alone and inside a batch, delays against a hand-written loop of docs/step-order.md's rule, and the times of
monitors recorded every k steps from a start between steps (docs/units.md: the sample at ``t0 + i dt`` is the
value at the end of step ``i``).

The exact answers come from the equations (closed forms, Ito calculus), never from brainbatch."""
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm
from brainbatch.integrators import ExponentialEuler, odeint
from brainbatch.run import Simulation, normalize_monitors


# -- exponential Euler --------------------------------------------------------------------------------------------

def test_exponential_euler_takes_an_integer_start_as_a_float_as_the_explicit_schemes_do():
    # `v0 = 0` (an int) crashed the default method (and BrainPy's exp_auto) inside jax.jvp ("primal and tangent
    # arguments to jax.jvp do not match"), while euler and rk4 took it as 0.0
    lif = odeint(lambda v, t, tau, i: (-v + i) / tau)  # the default method: exp_euler
    want = 2 * (1 - math.exp(-0.5))  # exact for the linear equation
    assert float(lif(0, 0.0, 5.0, 10.0, 2.0)) == pytest.approx(want, rel=1e-6)
    out = lif(np.array([0, 2]), 0.0, 5.0, 10.0, 2.0)
    assert out.dtype == jnp.float32
    np.testing.assert_allclose(out, [want, 2.0], rtol=1e-6)
    pair = odeint(lambda y, t: (-y[0], -2 * y[1]), method="exp_euler")((1, 1.0), 0.0, 0.5)
    np.testing.assert_allclose([float(pair[0]), float(pair[1])], [math.exp(-0.5), math.exp(-1.0)], rtol=1e-6)
    assert float(bp.odeint(lambda x, t: -x, method="exp_auto")(1, 0.0, dt=0.5)) == pytest.approx(math.exp(-0.5),
                                                                                                   rel=1e-6)


def test_exponential_euler_linearises_each_element_in_its_own_row():
    # x1' = -x1 + 2 x2, x2' = -x2 in one variable: the linear part of element i is its row sum of the
    # Jacobian (the jvp with ones), so x2, which depends on itself only, is exact: e^{-dt}; x1 takes
    # A = -1 + 2 = 1. (BrainPy 2.8.2's vector_grad takes column sums, A2 = 2 - 1 = 1 for x2: the two
    # agree for elementwise equations and symmetric couplings only.)
    w = np.array([[0.0, 2.0], [0.0, 0.0]])
    dt = 0.5
    y = jax.jit(lambda y0: ExponentialEuler().step(lambda y, t: -y + jnp.asarray(w) @ y, y0, 0.0, dt))(
        np.ones(2, np.float32))
    assert float(y[1]) == pytest.approx(math.exp(-dt), rel=1e-6)
    assert float(y[0]) == pytest.approx(1 + dt * 1.0 * math.expm1(dt) / dt, rel=1e-6)


# -- SDE schemes (bp.sdeint) ---------------------------------------------------------------------------------------

SDE_SCHEMES = [("euler", "Ito"), ("milstein", "Ito"), ("exp_euler", "Ito"), ("heun", "Stratonovich")]


def test_every_sde_scheme_adds_noise_of_variance_g2_dt():
    # dx = 0 dt + sigma dW from x = 0: one step gives sigma sqrt(dt) N(0, 1), variance sigma^2 dt (a
    # sqrt(dt) missing or doubled is a factor 16 between the two steps); 20000 draws know it to ~1 %
    sigma, n = 0.7, 20000
    for method, kind in SDE_SCHEMES:
        intg = bp.sdeint(f=lambda x, t: 0.0 * x, g=lambda x, t: sigma + 0.0 * x, method=method, intg_type=kind)
        bm.random.seed(11)
        for dt in (0.01, 0.16):
            x = np.asarray(intg(jnp.zeros(n), 0.0, dt=dt))
            assert x.var() == pytest.approx(sigma ** 2 * dt, rel=0.05), (method, dt)
            assert abs(x.mean()) < 5 * sigma * math.sqrt(dt / n), (method, dt)


A, PATHS, X0 = 1.0, 2000, 0.3


def _arctan_error(method, n_steps):
    """Mean |X_N - X(1)| of dX = -A^2 sin X cos^3 X dt + A cos^2 X dW (Ito; Kloeden & Platen's example (4.4.46)),
    whose solution is X = arctan(A W + tan X0): the diffusion is nonlinear, so Milstein's g g' is exercised."""
    dt = 1.0 / n_steps
    intg = bp.sdeint(f=lambda x, t: -A ** 2 * jnp.sin(x) * jnp.cos(x) ** 3, g=lambda x, t: A * jnp.cos(x) ** 2,
                     method=method)
    bm.random.seed(3)
    x = jnp.full(PATHS, X0)
    for i in range(n_steps):
        x = intg(x, i * dt, dt=dt)
    bm.random.seed(3)  # the same draws again: the Wiener path the integrator walked
    w = np.sum([np.asarray(bm.random.randn(PATHS), np.float64) for _ in range(n_steps)], axis=0) * math.sqrt(dt)
    return float(np.mean(np.abs(np.asarray(x, np.float64) - np.arctan(A * w + math.tan(X0)))))


def test_strong_orders_on_a_nonlinear_diffusion():
    ratios = {m: _arctan_error(m, 16) / _arctan_error(m, 64) for m in ("euler", "milstein", "exp_euler")}
    # a 4x smaller step: order 1/2 divides the error by 2, order 1 by 4 (2000 paths: +-20 %)
    assert 1.5 < ratios["euler"] < 2.7 and 1.5 < ratios["exp_euler"] < 2.7, ratios
    assert 3.2 < ratios["milstein"] < 5.0, ratios


def test_euler_heun_with_a_vector_wiener_process_solves_the_stratonovich_equation():
    # dX = X sum_j s_j o dW_j: X(1) = exp(sum_j s_j W_j(1)), with no Ito drift correction to add by hand
    s = np.array([0.3, 0.5, 0.4], np.float32)
    errors = []
    for n_steps in (16, 64):
        dt = 1.0 / n_steps
        intg = bp.sdeint(f=lambda x, t: 0.0 * x, g=lambda x, t: x[..., None] * jnp.asarray(s), method="heun",
                         intg_type="Stratonovich", wiener_type="vector")
        bm.random.seed(5)
        x = jnp.ones(PATHS)
        for i in range(n_steps):
            x = intg(x, i * dt, dt=dt)
        bm.random.seed(5)
        w = np.sum([np.asarray(bm.random.randn(PATHS, 3)) for _ in range(n_steps)], axis=0) * math.sqrt(dt)
        errors.append(float(np.mean(np.abs(np.asarray(x) - np.exp(w @ s)))))
    # commutative noise: Euler-Heun converges with order 1; read as Ito the error would stay ~0.1
    assert errors[1] < 0.01 and 3.0 < errors[0] / errors[1] < 5.2, errors


class OU(bp.NeuGroup):
    """dx = -x / tau dt + sigma dW by bp.sdeint, exponential Euler: x' = x e^{-dt/tau} + sigma sqrt(dt) xi."""

    def __init__(self, n, tau=10.0, sigma=0.5):
        super().__init__(n)
        self.x = bm.Variable(bm.zeros(n))
        self.tau, self.sigma = tau, sigma
        self.intg = bp.sdeint(f=lambda x, t, tau: -x / tau, g=lambda x, t, tau: self.sigma * bm.ones_like(x),
                              method="exp_euler")

    def update(self):
        self.x.value = self.intg(self.x.value, bp.share["t"], self.tau, bp.share["dt"])


@pytest.fixture(scope="module")
def ou_runs():
    sim = Simulation(lambda p: OU(1500), normalize_monitors(["x"]), dt=0.5)
    _, batch = sim.run([4, 2, 9], {}, 400, keep=True)
    _, alone = sim.run([2], {}, 400, keep=True)
    return batch["x"], alone["x"]


def test_an_ou_process_has_its_stationary_variance_and_autocorrelation(ou_runs):
    x = np.asarray(ou_runs[0][1][100:], np.float64)  # after 5 tau
    dt, tau, sigma = 0.5, 10.0, 0.5
    rho = math.exp(-dt / tau)
    var = sigma ** 2 * dt / (1 - rho ** 2)  # the scheme's AR(1) stationary variance (sigma^2 tau / 2 * 1.0008)
    # 1500 processes x 300 steps over 2 tau stretches: ~11000 independent values, the variance to ~2 %
    for lag in (0, 10, 20):
        c = float(np.mean(x[: len(x) - lag] * x[lag:]))
        assert c == pytest.approx(var * rho ** lag, rel=0.08, abs=0.03), lag


def test_sdeint_noise_of_a_run_is_its_own_alone_and_in_a_batch(ou_runs):
    batch, alone = ou_runs
    np.testing.assert_array_equal(alone[0], batch[1])  # seed 2, lane 1 of the batch
    assert not np.array_equal(batch[0], batch[1])


# -- delays against a hand-written loop ----------------------------------------------------------------------------

STEPS_PER = np.array([0, 2, 5])  # per element: now, 2 steps, the registered maximum


class Recurrence(bb.NeuGroup):
    """x_new = 0.5 x + sin(x read d steps back) + 0.1 (i + 1), with d = 3 for all and STEPS_PER per element."""

    def __init__(self):
        super().__init__(3)
        self.reset_state()
        self.register_delay("d3", 3, self.x)
        self.register_delay("per", STEPS_PER, self.x)

    def reset_state(self, batch_size=None):
        self.init_variable("x", 0.25, batch_size=batch_size)
        self.init_variable("r3", 0.0, batch_size=batch_size)
        self.init_variable("rper", 0.0, batch_size=batch_size)

    def update(self):
        self.r3.value = self.get_delay_data("d3", 3)
        self.rper.value = self.get_delay_data("per", STEPS_PER)
        self.x.value = 0.5 * self.x.value + jnp.sin(self.r3.value) + 0.1 * (bb.share.i + 1)


def _reference(n_steps, x0=0.25):
    """docs/step-order.md: a read of n >= 1 steps during step i is the value at the end of step i - n (the start
    value before the run), n = 0 the current value; the buffer records after the update."""
    ends = []  # x at the end of each step
    x = np.full(3, x0, np.float32)
    r3s, rpers = [], []
    for i in range(n_steps):
        def back(n, x=x, i=i):
            return x if n == 0 else (ends[i - n] if i - n >= 0 else np.full(3, x0, np.float32))
        r3 = back(3)
        rper = np.array([back(n)[k] for k, n in enumerate(STEPS_PER)], np.float32)
        x = (np.float32(0.5) * x + np.sin(r3) + np.float32(0.1) * np.float32(i + 1)).astype(np.float32)
        ends.append(x)
        r3s.append(r3)
        rpers.append(rper)
    return np.array(ends), np.array(r3s), np.array(rpers)


def test_delays_read_as_the_hand_written_loop_also_after_a_reset():
    runner = bb.Runner(Recurrence(), monitors=["x", "r3", "rper"], dt=0.1, progress_bar=False)
    first = runner.run(1.2)
    ends, r3, rper = _reference(12)
    np.testing.assert_allclose(first["x"], ends, rtol=2e-6)
    np.testing.assert_allclose(first["r3"], r3, rtol=2e-6)
    np.testing.assert_allclose(first["rper"], rper, rtol=2e-6)
    # going on: step indices (and the drive) continue; reads reach back into the first run
    second = runner.run(0.6)
    ends, r3, rper = _reference(18)
    np.testing.assert_allclose(second["x"], ends[12:], rtol=2e-6)
    np.testing.assert_allclose(second["rper"], rper[12:], rtol=2e-6)
    # a reset refills the history with the start value
    again = runner.run(1.2, reset=True)
    np.testing.assert_array_equal(again["rper"], first["rper"])


# -- monitor times -------------------------------------------------------------------------------------------------

class Counter(bb.NeuGroup):
    """n = k + 1 at the end of step k: a record tells which step's end it holds."""

    def __init__(self):
        super().__init__(1)
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("n", 0.0, batch_size=batch_size)

    def update(self):
        self.n.value = self.n.value + 1.0


def test_monitor_times_label_the_end_of_their_steps_every_k_from_a_start_between_steps():
    t0, dt = -0.05, 0.1
    monitors = {"all": "n", "every2": bb.Monitor("n", every=2), "from": bb.Monitor("n", every=3, start=0.22),
                "sum4": bb.Monitor("n", every=4, reduce="sum")}
    runner = bb.Runner(Counter(), monitors=monitors, dt=dt, t0=t0, progress_bar=False)
    for duration, first_step in ((1.3, 0), (0.7, 13)):
        out = runner.run(duration)
        n_steps = round(duration / dt)
        steps = np.arange(first_step, first_step + n_steps)
        np.testing.assert_allclose(out["ts"], t0 + dt * steps)
        for name, every, start in (("all", 1, None), ("every2", 2, None), ("from", 3, 0.22), ("sum4", 4, None)):
            # steps k that are multiples of every (counted from the runner's first step) at t0 + k dt >= start
            want = steps[(steps % every == 0) & ((start is None) | (t0 + dt * steps >= (start or 0) - 1e-9))]
            np.testing.assert_allclose(out.times[name], t0 + dt * want, err_msg=name)
            np.testing.assert_array_equal(np.asarray(out[name]).ravel(), want + 1.0, err_msg=name)
    assert runner.run(0.3, reset=True)["from"].shape == (0, 1)  # 0.22 ms lies after steps 0..2
