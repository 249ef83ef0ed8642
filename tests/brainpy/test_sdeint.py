"""``bp.sdeint``: BrainPy's SDE integrator calls, checked by properties: strong convergence order against the
exact solution of geometric Brownian motion on the same Wiener path (Euler-Maruyama 1/2, Milstein 1; Euler-Heun
for a Stratonovich equation), the stationary variance of an Ornstein-Uhlenbeck process inside a run, runs
reproducible from their seed, and bad arguments named."""
import math

import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

MU, SIGMA, T, PATHS = 0.5, 0.8, 1.0, 4000


def _strong_error(method, n_steps, intg_type="Ito"):
    """Mean |X_N - X(T)| over PATHS paths of dX = mu X dt + sigma X dW (Ito) or dX = sigma X o dW
    (Stratonovich), X0 = 1, with the exact solution evaluated on the Wiener path the integrator drew
    (replayed from bm.random's stream: one randn draw of PATHS values per step)."""
    dt = T / n_steps
    f = (lambda x, t: MU * x) if intg_type == "Ito" else (lambda x, t: 0.0 * x)
    intg = bp.sdeint(f=f, g=lambda x, t: SIGMA * x, method=method, intg_type=intg_type)
    bm.random.seed(3)
    x = jnp.ones(PATHS)
    for i in range(n_steps):
        x = intg(x, i * dt, dt=dt)
    bm.random.seed(3)
    w = sum(bm.random.randn(PATHS) for _ in range(n_steps)) * math.sqrt(dt)
    drift = (MU - SIGMA ** 2 / 2) * T if intg_type == "Ito" else 0.0
    exact = np.exp(drift + SIGMA * np.asarray(w))
    return float(np.mean(np.abs(np.asarray(x) - exact)))


def test_euler_maruyama_and_milstein_converge_at_their_strong_orders():
    euler = [_strong_error("euler", n) for n in (16, 64)]
    milstein = [_strong_error("milstein", n) for n in (16, 64)]
    # a 4x smaller step: Euler-Maruyama's error / 4^0.5 = 2, Milstein's / 4^1 = 4 (4000 paths: +-15 %)
    assert 1.6 < euler[0] / euler[1] < 2.6, euler
    assert 3.2 < milstein[0] / milstein[1] < 5.0, milstein
    assert milstein[1] < euler[1] / 3


def test_euler_heun_solves_a_stratonovich_equation():
    heun = [_strong_error("heun", n, "Stratonovich") for n in (16, 64)]
    # for this commutative noise Euler-Heun converges with order 1 too; Euler-Maruyama applied to the
    # Stratonovich equation as if it were Ito would miss the drift sigma^2 / 2 (error ~ e^0.32 - 1)
    assert heun[1] < 0.02 and 3.0 < heun[0] / heun[1] < 5.0, heun
    assert _strong_error("euler", 64, "Stratonovich") == pytest.approx(heun[1], rel=1e-5)


class OU(bp.NeuGroup):
    """dx = -x / tau dt + sigma dW: stationary variance sigma^2 tau / 2."""

    def __init__(self, n, tau=10.0, sigma=0.5):
        super().__init__(n)
        self.x = bm.Variable(bm.zeros(n))
        self.tau, self.sigma = tau, sigma
        self.intg = bp.sdeint(f=lambda x, t, tau: -x / tau, g=lambda x, t, tau: self.sigma * bm.ones_like(x))

    def update(self):
        self.x.value = self.intg(self.x.value, bp.share["t"], self.tau, bp.share["dt"])


def test_an_ou_process_in_a_run_has_its_stationary_variance_and_the_run_its_seed():
    runs = []
    for seed in (1, 1, 2):
        runner = bp.DSRunner(OU(2000), monitors=["x"], progress_bar=False, seed=seed)
        runs.append(np.asarray(runner.run(60.0)["x"]))
    np.testing.assert_array_equal(runs[0], runs[1])
    assert not np.array_equal(runs[0], runs[2])
    late = runs[0][300:]  # after 3 tau
    want = 0.5 ** 2 * 10.0 / 2  # Euler-Maruyama at dt/tau = 0.01: sigma^2 dt / (1 - (1 - dt/tau)^2) = 1.0025x
    # 2000 neurons x ~1.5 independent stretches of 2 tau: the variance is known to ~3 %
    assert float(late.var(axis=1).mean()) == pytest.approx(want * 1.0025, rel=0.06)
    assert abs(float(late.mean())) < 0.05


def test_several_variables_a_vector_wiener_process_and_no_noise_for_one_variable():
    intg = bp.sdeint(f=lambda a, b, t: (-a, -b), g=lambda a, b, t: (jnp.full(a.shape + (3,), 0.1), None),
                     wiener_type="vector")
    a, b = intg(jnp.ones(5), jnp.ones(5), 0.0, dt=0.1)
    np.testing.assert_allclose(np.asarray(b), 0.9, rtol=1e-6)  # no diffusion: the Euler step
    assert a.shape == (5,) and not np.allclose(np.asarray(a), 0.9)


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(method="eular"), ValueError, "Did you mean 'euler'"),
    (dict(method="heun"), ValueError, "Stratonovich"),
    (dict(method="milstein", wiener_type="vector"), ValueError, "scalar noise"),
    (dict(intg_type="ito"), ValueError, "intg_type='ito' is not available"),
    # state_delays are taken (tests/brainpy/test_leftovers_s35.py) and checked as odeint checks them
    (dict(state_delays={"x": 1.0}), TypeError, r"state_delays\['x'\] must be a bm.TimeDelay or bm.LengthDelay"),
    (dict(state_delays=[1.0]), TypeError, "state_delays must be a dict"),
    (dict(neutral_delays={}), TypeError, "neutral_delays"),  # not a parameter of BrainPy 2.8.2's sdeint either
])
def test_bad_arguments_are_named(kwargs, error, message):
    with pytest.raises(error, match=message):
        bp.sdeint(f=lambda x, t: -x, g=lambda x, t: x, **kwargs)


def test_a_diffusion_with_the_wrong_number_of_values_is_named():
    intg = bp.sdeint(f=lambda a, b, t: (-a, -b), g=lambda a, b, t: a)
    with pytest.raises(ValueError, match="g must return 2 values"):
        intg(jnp.ones(2), jnp.ones(2), 0.0, dt=0.1)
    with pytest.raises(ValueError, match="vector Wiener process needs"):
        bp.sdeint(f=lambda x, t: -x, g=lambda x, t: 0.1, wiener_type="vector")(jnp.ones(2), 0.0, dt=0.1)
