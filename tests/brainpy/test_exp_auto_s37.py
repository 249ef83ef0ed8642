"""``bp.odeint(method='exp_auto')`` of a derivative that couples the elements of one variable steps as BrainPy's.

BrainPy 2.8.2's exponential Euler takes the linear part from ``vector_grad`` (a vjp with ones: the Jacobian's
column sums); brainbatch's own scheme takes row sums (a jvp). They agree for the models' elementwise equations;
for ``-y + tanh(W @ y)`` they differ, so a BrainPy script got other numbers, silently (0.1115 against 0.1044
after five steps). The reference numbers are BrainPy 2.8.2's, from this script::

    import numpy as np, brainpy as bp, jax.numpy as jnp
    W = jnp.asarray(np.array([[0.0, 2.0, 0.5], [0.1, 0.0, -1.0], [3.0, 0.2, 0.0]], np.float32))
    f = bp.odeint(lambda y, t: -y + jnp.tanh(W @ y), method="exp_auto")
    y = jnp.asarray([0.3, -0.2, 1.0], jnp.float32)
    for i in range(5):
        y = f(y, 0.0, dt=0.1)
    # the JointEq case: dx(x, t, y, tau) = (-x + tanh(W @ x) + y) / tau, dy(y, t, x) = -y + sin(W.T @ x) * y,
    # x, y = f(x, y, 0.0, tau=2.0, dt=0.1) five times from x as above, y = [0.5, 0.1, -0.4]
    # the SDE case: bp.sdeint(f, lambda y, t: 0.0 * y, method="exp_euler"), as the first
"""
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch.brainpy as bp
from brainbatch.integrators import ColumnExponentialEuler, ExponentialEuler

W = jnp.asarray(np.array([[0.0, 2.0, 0.5], [0.1, 0.0, -1.0], [3.0, 0.2, 0.0]], np.float32))
Y0 = jnp.asarray([0.3, -0.2, 1.0], jnp.float32)
BRAINPY_ONE = [0.10436941683292389, -0.42187440395355225, 0.8220527172088623]
BRAINPY_JOINT = ([0.3248457610607147, -0.2980043292045593, 0.860519289970398],
                 [0.35961058735847473, 0.0876060277223587, -0.29502546787261963])
ATOL = 5e-7  # float32 rounding of five steps of values ~1


def _five(f, *state, **kw):
    for _ in range(5):
        state = f(*state, 0.0, dt=0.1, **kw)
        state = state if isinstance(state, tuple) else (state,)
    return [np.asarray(s) for s in state]


def test_a_coupled_derivative_steps_as_brainpys_exp_auto():
    f = bp.odeint(lambda y, t: -y + jnp.tanh(W @ y), method="exp_auto")
    assert isinstance(f.integrator, ColumnExponentialEuler)
    np.testing.assert_allclose(_five(f, Y0)[0], BRAINPY_ONE, rtol=0, atol=ATOL)


def test_a_joint_equation_linearises_each_variable_in_its_own_columns():
    def dx(x, t, y, tau):
        return (-x + jnp.tanh(W @ x) + y) / tau

    def dy(y, t, x):
        return -y + jnp.sin(W.T @ x) * y

    f = bp.odeint(bp.JointEq(dx, dy), method="exp_auto")
    x, y = _five(f, Y0, jnp.asarray([0.5, 0.1, -0.4], jnp.float32), tau=2.0)
    np.testing.assert_allclose(x, BRAINPY_JOINT[0], rtol=0, atol=ATOL)
    np.testing.assert_allclose(y, BRAINPY_JOINT[1], rtol=0, atol=ATOL)


def test_the_drift_of_an_exp_euler_sde_is_linearised_as_brainpys():
    f = bp.sdeint(lambda y, t: -y + jnp.tanh(W @ y), lambda y, t: 0.0 * y, method="exp_euler")
    np.testing.assert_allclose(_five(f, Y0)[0], BRAINPY_ONE, rtol=0, atol=ATOL)


@pytest.mark.parametrize("scheme", [ExponentialEuler(), ColumnExponentialEuler()])
def test_both_linearisations_are_exact_for_an_elementwise_linear_equation(scheme):
    # v' = (-v + i) / tau: v(dt) = i + (v0 - i) exp(-dt / tau), whichever sums of the (diagonal) Jacobian
    v = scheme.step(lambda v, t, tau, i: (-v + i) / tau, jnp.asarray([0.0, 1.0, 3.0]), 0.0, 2.0, 5.0, 10.0)
    np.testing.assert_allclose(v, 10.0 + (np.array([0.0, 1.0, 3.0]) - 10.0) * np.exp(-0.4), rtol=1e-6)


def test_a_time_step_given_as_a_quantity_is_taken_in_ms():
    import brainunit as u

    f = bp.odeint(lambda v, t: -v, method="exp_auto")
    assert float(f(1.0, 0.0, dt=100 * u.us)) == float(f(1.0, 0.0, dt=0.1))  # it said "dt must be ... got Quantity"
    assert float(bp.odeint(lambda v, t: -v, dt=0.1 * u.ms)(1.0, 0.0)) == pytest.approx(0.9)
    g = bp.sdeint(lambda v, t: -v, lambda v, t: 0.0 * v, method="euler")
    assert float(g(1.0, 0.0, dt=0.1 * u.ms)) == pytest.approx(0.9)
    with pytest.raises(Exception, match=r"dt takes a time \(ms\), got 0.1 mV"):
        f(1.0, 0.0, dt=0.1 * u.mV)


def test_milstein_takes_the_derivative_of_g_in_the_states_own_precision():
    import jax

    from brainbatch.brainpy._sdeint import _dg_dx

    with jax.enable_x64(True):  # d(x^2)/dx = 2x at x = 1 + 1e-10: a float32 x made it 2 exactly
        x = jnp.asarray([1.0 + 1e-10], jnp.float64)
        slope = _dg_dx(lambda x, t: x * x, (x,), 0, 0.0, (), {}, 1)
        assert slope.dtype == jnp.float64 and abs(float(slope[0]) - (2.0 + 2e-10)) < 1e-14
