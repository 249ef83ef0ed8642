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
    assert float(np.max(np.abs(np.asarray(euler) - np.asarray(exact)))) > 1e-6


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

    # jit (one program; eagerly each primitive compiled its own), the state as numpy float64 arguments
    x1, v1 = jax.jit(lambda y: EXP_EULER.step(f, y, 0.0, dt))((np.array(x0), np.array(v0)))
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


_GRAD_DT = 0.5


def _grad_stepped(tau, v0, current):
    return jnp.sum(EXP_EULER.step(lif, v0, 0.0, _GRAD_DT, tau, current))


def _grad_exact(tau, v0, current):
    return jnp.sum(lif_exact(_GRAD_DT, v0, tau, current))


# one compiled program each for the three values of tau (tau an argument; eagerly each primitive of the
# gradient compiled a small program of its own)
_GRADS = jax.jit(lambda tau, v0, current: (jax.grad(_grad_stepped)(tau, v0, current),
                                           jax.grad(_grad_exact)(tau, v0, current)))
_GRAD_Y = jax.jit(jax.grad(lambda y: jnp.sum(EXP_EULER.step(lambda y, t: jnp.ones_like(y), y, 0.0, _GRAD_DT))))


@pytest.mark.parametrize("tau", [10.0, 1e7, 1e30])
def test_gradients_finite_and_exact(tau, x64):
    # The step is exact for LIF, so its derivative in tau is the exact solution's derivative,
    # including where A dt is tiny and the Taylor branch is taken.
    v0, current = V0.astype(jnp.float64), CURRENT.astype(jnp.float64)
    g, g_exact = _GRADS(tau, v0, current)
    assert np.isfinite(float(g))
    np.testing.assert_allclose(g, g_exact, rtol=1e-6, atol=1e-300)
    # At A = 0 exactly (no leak) the gradient in the state is still finite: d y1 / d y0 = 1.
    np.testing.assert_allclose(_GRAD_Y(v0), np.ones(3))


# -- removable singularities of user rate functions (issue 20, item 5) ------------------------------
def _wang_buzsaki_dV(V, t, h, n):
    """Wang & Buzsaki (1996) as BrainPy's example writes it: alpha_m is 0/0 at V = -35 mV."""
    m_alpha = -0.1 * (V + 35) / (jnp.exp(-0.1 * (V + 35)) - 1)
    m_beta = 4 * jnp.exp(-(V + 60) / 18)
    m = m_alpha / (m_alpha + m_beta)
    return -35. * m ** 3 * h * (V - 55.) - 9. * n ** 4 * (V + 90.) - 0.1 * (V + 65) + 1.0


def test_exponential_euler_stays_finite_next_to_a_removable_singularity():
    # within 4e-4 mV of V = -35 float32 autodiff gives dV'/dV as cancellation noise of 1e3..1e5 (the
    # true value is 34.7/ms), and the step used to overflow (one neuron reached 1e9 mV). In float64
    # the step from there lands at -4.1 mV (dt = 0.05 ms; mid-upstroke, the neuron spikes either way).
    offsets = np.linspace(-4e-4, 4e-4, 33)
    V = (-35.0 + offsets[offsets != 0]).astype(np.float32)
    # jit, dt and the gating values closed over as Python floats: one program for both steps below, where
    # eagerly each primitive compiled its own (the float32 and float64 steps, ~50 small programs)
    step = jax.jit(lambda V: ExponentialEuler().step(_wang_buzsaki_dV, V, 0.0, 0.05, 0.6, 0.32))
    out = np.asarray(step(V))
    assert np.all(np.isfinite(out))
    # no further than the capped growth e^3 allows: V + dt f (e^3 - 1) / 3 with f < 240 mV/ms here (float32 noise included)
    assert np.all((out > -35.1) & (out < -35.0 + 0.05 * 240 * np.expm1(3.0) / 3.0)), out
    # half a mV away autodiff is accurate again and the step is the float64 one (-8.1402, 0.3001)
    far = np.asarray(step(np.asarray([-35.5, -34.5], np.float32)))
    np.testing.assert_allclose(far, [-8.1402, 0.3001], atol=2e-3)


def test_exponential_euler_is_unchanged_for_ordinary_growth_and_decay():
    # A dt within [-inf, 3]: the exact solution of linear ODEs, growth included
    for a in (-50.0, -0.5, 0.5, 2.9):
        out = float(ExponentialEuler().step(lambda y, t: a * y, 1.0, 0.0, 1.0))
        assert out == pytest.approx(np.exp(a), rel=1e-5)
