"""Each integrator's declared order, fitted from its error against analytic solutions."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

T_END = 2.0
STEPS = [20, 40, 80, 160, 320]  # dt from 0.1 down to 0.00625


def _integrate_every_dt(integrator, f, y0, *args):
    """The final state for each number of steps in STEPS, as one compiled program (one scan per dt in it:
    a program per dt compiled five small programs per case)."""

    def integrate(y0, n_steps):
        dt = T_END / n_steps

        def body(carry, i):
            return integrator.step(f, carry, i * dt, dt, *args), None

        return jax.lax.scan(body, y0, jnp.arange(n_steps, dtype=jnp.float64))[0]

    return jax.jit(lambda y0: [integrate(y0, n) for n in STEPS])(y0)


def _fitted_order(integrator, f, y0, exact, *args):
    errors = []
    for y in _integrate_every_dt(integrator, f, y0, *args):
        # numpy for the test's own arithmetic: eager jnp ops compile a small program each
        diff = jax.tree_util.tree_map(lambda a, b: np.max(np.abs(np.asarray(a) - b)), y, exact)
        errors.append(max(float(d) for d in jax.tree_util.tree_leaves(diff)))
    dts = T_END / np.asarray(STEPS)
    # Least-squares slope of log(error) against log(dt).
    slope = np.polyfit(np.log(dts), np.log(errors), 1)[0]
    return slope, errors


def _check(integrator, f, y0, exact, *args, order=None):
    order = integrator.order if order is None else order
    slope, errors = _fitted_order(integrator, f, y0, exact, *args)
    assert abs(slope - order) <= 0.25, (integrator.name, slope, errors)


def test_forced_decay(integrator, x64):
    # dy/dt = -y + sin(t); several neurons at once with different initial values.
    y0 = np.array([0.0, 1.0, -2.0])
    t = T_END
    exact = (y0 + 0.5) * np.exp(-t) + (np.sin(t) - np.cos(t)) / 2
    _check(integrator, lambda y, t: -y + jnp.sin(t), y0, exact)


def test_logistic_growth(integrator, x64):
    # Nonlinear, with the growth rate passed through args.
    y0, r = np.array([0.1, 0.5]), 1.5
    exact = 1 / (1 + (1 / y0 - 1) * np.exp(-r * T_END))
    # On an autonomous elementwise ODE the diagonal is the whole Jacobian, which makes exponential
    # Euler the exponential Rosenbrock-Euler scheme: second order there. Its declared order 1 is
    # what it keeps in general (time-dependent or coupled f), checked by the other tests.
    order = 2 if integrator.name == "exp_euler" else None
    _check(integrator, lambda y, t, r: r * y * (1 - y), y0, exact, r, order=order)


def _damped_rotation_exact(a):
    # x' = -a x + v, v' = -x - a v, x(0) = 1, v(0) = 0  ->  e^{-a t} (cos t, -sin t)
    decay = np.exp(-a * T_END)
    return decay * np.cos(T_END), -decay * np.sin(T_END)


@pytest.mark.parametrize("a", [0.0, 0.5], ids=["harmonic", "damped"])
def test_oscillator_tuple(integrator, x64, a):
    def f(y, t, a):
        x, v = y
        return (-a * x + v, -x - a * v)

    _check(integrator, f, (np.array(1.0), np.array(0.0)), _damped_rotation_exact(a), a)


@pytest.mark.parametrize("a", [0.0, 0.5], ids=["harmonic", "damped"])
def test_oscillator_dict(integrator, x64, a):
    def f(y, t, a):
        return {"x": -a * y["x"] + y["v"], "v": -y["x"] - a * y["v"]}

    x, v = _damped_rotation_exact(a)
    _check(integrator, f, {"x": np.array(1.0), "v": np.array(0.0)}, {"x": x, "v": v}, a)
