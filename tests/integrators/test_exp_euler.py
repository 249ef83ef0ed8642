"""Exponential Euler: exact on linear ODEs, BrainPy's per-variable rule, safe near A = 0."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from brainbatch.integrators import Euler, ExponentialEuler

EXP_EULER = ExponentialEuler()
V_REST, R, TAU = -65.0, 1.0, 10.0
V0 = jnp.array([-70.0, -65.0, -50.0])
CURRENT = jnp.array([0.0, 15.0, 30.0])


def lif(v, t, tau, current):
    """LIF membrane between spikes: tau dV/dt = -(V - V_rest) + R I."""
    return (-(v - V_REST) + R * current) / tau


def lif_exact(t, v0=V0, tau=TAU, current=CURRENT):
    v_inf = V_REST + R * current
    return v_inf + (v0 - v_inf) * jnp.exp(-t / tau)


def _run(integrator, f, y0, dt, n_steps, *args):
    def body(y, i):
        return integrator.step(f, y, i * dt, dt, *args), None

    return jax.jit(lambda y: jax.lax.scan(body, y, jnp.arange(n_steps))[0])(y0)


@pytest.mark.parametrize("dt", [0.01, 0.1, 1.0, 7.5, 50.0])
def test_lif_one_step_exact_float32(dt):
    v = EXP_EULER.step(lif, V0, 0.0, dt, TAU, CURRENT)
    assert v.dtype == jnp.float32
    np.testing.assert_allclose(v, lif_exact(dt), rtol=2e-6, atol=0)


def test_lif_many_steps_exact_float64(x64):
    v0, current = V0.astype(jnp.float64), CURRENT.astype(jnp.float64)
    v = _run(EXP_EULER, lif, v0, 0.1, 1000, TAU, current)
    exact = lif_exact(100.0, v0, TAU, current)
    np.testing.assert_allclose(v, exact, rtol=1e-13, atol=0)
    # Euler with the same dt is visibly not exact, so the tolerance above means something.
    euler = _run(Euler(), lif, v0, 0.1, 1000, TAU, current)
    assert float(jnp.max(jnp.abs(euler - exact))) > 1e-6


def test_uncoupled_dict_exact_float64(x64):
    # A neuron and its synapse as separate leaves; each is linear in itself only.
    def f(y, t, tau_g):
        return {"V": lif(y["V"], t, TAU, CURRENT.astype(jnp.float64)), "g": -y["g"] / tau_g}

    y0 = {"V": V0.astype(jnp.float64), "g": jnp.array([1.0, 0.5, 0.0])}
    y = _run(EXP_EULER, f, y0, 0.25, 200, 5.0)
    np.testing.assert_allclose(y["V"], lif_exact(50.0, y0["V"], TAU, CURRENT), rtol=1e-13)
    np.testing.assert_allclose(y["g"], y0["g"] * np.exp(-50.0 / 5.0), rtol=1e-12, atol=1e-300)


def test_coupled_leaves_use_old_values(x64):
    # BrainPy's rule: each variable is linearised in itself, the others held at the old step.
    a, dt = 0.5, 0.3
    x0, v0 = 0.7, -0.2

    def f(y, t):
        x, v = y
        return (-a * x + v, -x - a * v)

    x1, v1 = EXP_EULER.step(f, (jnp.array(x0), jnp.array(v0)), 0.0, dt)
    factor = np.expm1(-a * dt) / -a
    np.testing.assert_allclose(x1, x0 + (-a * x0 + v0) * factor, rtol=1e-14)
    np.testing.assert_allclose(v1, v0 + (-x0 - a * v0) * factor, rtol=1e-14)


def test_zero_and_tiny_linear_coefficient():
    # A = 0 (pure input) must reduce to Euler without 0/0; tiny A must not lose precision.
    y0 = jnp.array([1.0, 2.0], dtype=jnp.float32)
    y = EXP_EULER.step(lambda y, t, i: i * jnp.ones_like(y), y0, 0.0, 0.1, 3.0)
    np.testing.assert_allclose(y, y0 + 0.3, rtol=1e-7)
    for tau in [1e3, 1e6, 1e9, 1e30]:
        v = EXP_EULER.step(lif, V0, 0.0, 0.1, tau, CURRENT)
        assert bool(jnp.all(jnp.isfinite(v)))
        np.testing.assert_allclose(v, lif_exact(0.1, tau=tau), rtol=1e-6)


@pytest.mark.parametrize("tau", [10.0, 1e7, 1e30])
def test_gradients_finite_and_exact(tau, x64):
    # The step is exact for LIF, so its derivative in tau is the exact solution's derivative,
    # including where A dt is tiny and the Taylor branch is taken.
    dt = 0.5
    v0, current = V0.astype(jnp.float64), CURRENT.astype(jnp.float64)

    def stepped(tau):
        return jnp.sum(EXP_EULER.step(lif, v0, 0.0, dt, tau, current))

    def exact(tau):
        return jnp.sum(lif_exact(dt, v0, tau, current))

    g = jax.grad(stepped)(tau)
    assert np.isfinite(float(g))
    np.testing.assert_allclose(g, jax.grad(exact)(tau), rtol=1e-6, atol=1e-300)
    # At A = 0 exactly (no leak) the gradient in the state is still finite: d y1 / d y0 = 1.
    grad_y = jax.grad(lambda y: jnp.sum(EXP_EULER.step(lambda y, t: jnp.ones_like(y), y, 0.0, dt)))
    np.testing.assert_allclose(grad_y(v0), np.ones(3))
