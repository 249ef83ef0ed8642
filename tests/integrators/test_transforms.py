"""Dtypes are kept, and every integrator works under jit, vmap, scan and grad (float32)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest


def decay(y, t, tau):
    return jax.tree_util.tree_map(lambda v: -v / tau + jnp.sin(t), y)


STATES = {
    "array": lambda dt: jnp.array([1.0, -0.5, 2.0], dtype=dt),
    "tuple": lambda dt: (jnp.array([1.0, 2.0], dtype=dt), jnp.array(0.5, dtype=dt)),
    "dict": lambda dt: {"V": jnp.ones((2, 3), dtype=dt), "g": jnp.zeros(3, dtype=dt)},
}


def _dtypes(tree):
    return [leaf.dtype for leaf in jax.tree_util.tree_leaves(tree)]


DTYPES = [jnp.float32, jnp.float16, jnp.bfloat16]
_STEPPED: dict = {}  # per integrator and x64 setting: one compiled program for every state kind (and dtype)


def _stepped_every_kind(integrator, x64=False):
    """One step of ``decay`` from every state of STATES, in one compiled program per integrator.

    Each case alone, run eagerly, compiled every primitive of the step for its dtypes and shapes (some
    500 small programs for this file); jit follows the same dtype rules as eager dispatch, and the
    outputs are real arrays, so the checks below read what a run returns.
    Without x64: ``{(kind, dtype): out}`` with t, dt, tau Python floats (weakly typed), as a model passes
    them. With x64: ``{kind: (out_concrete, out_traced)}``, float32 states with float64 t, dt and tau,
    passed as constants (concrete, as an eager call sees them) and as traced arguments.
    """
    key = (integrator.name, x64)
    if key not in _STEPPED:
        if not x64:
            ys = {(kind, jnp.dtype(dt).name): make(dt) for kind, make in STATES.items() for dt in DTYPES}
            out = jax.jit(lambda ys: {k: integrator.step(decay, y, 0.0, 0.1, 10.0) for k, y in ys.items()})(ys)
        else:
            ys = {kind: make(jnp.float32) for kind, make in STATES.items()}
            dt, t, tau = jnp.float64(0.1), jnp.float64(3.0), jnp.float64(10.0)

            def both(ys, dt):
                return {k: (integrator.step(decay, y, t, jnp.float64(0.1), tau), integrator.step(decay, y, t, dt, tau))
                        for k, y in ys.items()}

            out = jax.jit(both)(ys, dt)
        _STEPPED[key] = out
    return _STEPPED[key]


@pytest.mark.parametrize("kind", STATES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_dtype_and_structure_preserved(integrator, kind, dtype):
    y = STATES[kind](dtype)
    out = _stepped_every_kind(integrator)[(kind, jnp.dtype(dtype).name)]
    assert jax.tree_util.tree_structure(out) == jax.tree_util.tree_structure(y)
    assert _dtypes(out) == _dtypes(y)
    assert [a.shape for a in jax.tree_util.tree_leaves(out)] == [
        a.shape for a in jax.tree_util.tree_leaves(y)
    ]


@pytest.mark.parametrize("kind", STATES)
def test_float32_stays_float32_with_x64_on(integrator, kind, x64):
    # A float64 dt, t and parameter must not promote float32 state, even inside f's stages.
    out, traced = _stepped_every_kind(integrator, x64=True)[kind]  # dt a constant, then traced
    assert all(d == jnp.float32 for d in _dtypes(out))
    assert all(d == jnp.float32 for d in _dtypes(traced))


# The single steps below run under jit with t, dt and parameters closed over as Python floats (weakly typed
# and concrete at trace time, as an eager call sees them): eagerly, each primitive of a step compiled a small
# program of its own for its dtypes and shapes (some 20 per test and integrator); jit follows the same dtype
# rules as eager dispatch.


def test_mixed_leaf_dtypes_kept(integrator, x64):
    y = (np.ones(2, np.float32), np.ones(2, np.float64))
    out = jax.jit(lambda y: integrator.step(decay, y, 0.0, 0.1, 10.0))(y)
    assert _dtypes(out) == [jnp.float32, jnp.float64]


def test_python_float_state(integrator):
    out = jax.jit(lambda: integrator.step(lambda y, t: -y, 1.0, 0.0, 0.1))()  # the state a Python float
    assert out.dtype == jnp.float32 and out.shape == ()


def test_jit_with_traced_dt(integrator):
    y = STATES["dict"](jnp.float32)
    eager = jax.jit(lambda y: integrator.step(decay, y, 0.5, 0.1, 10.0))(y)  # t, dt, tau concrete floats
    jitted = jax.jit(lambda y, t, dt, tau: integrator.step(decay, y, t, dt, tau))(
        y, jnp.float32(0.5), jnp.float32(0.1), jnp.float32(10.0)
    )
    jax.tree_util.tree_map(lambda a, b: np.testing.assert_allclose(a, b, rtol=1e-6), eager, jitted)


def test_vmap_over_parameters(integrator):
    # A sweep over tau passed through args, as the runner batches runs.
    y = np.array([1.0, -0.5, 2.0], dtype=np.float32)
    taus = np.array([2.0, 5.0, 10.0, 20.0], dtype=np.float32)
    batched = jax.jit(jax.vmap(lambda tau: integrator.step(decay, y, 0.3, 0.1, tau)))(taus)
    assert batched.shape == (4, 3) and batched.dtype == jnp.float32
    alone = jax.jit(lambda tau: integrator.step(decay, y, 0.3, 0.1, tau))  # one program for every tau
    for i, tau in enumerate(taus):
        np.testing.assert_allclose(np.asarray(batched)[i], alone(tau), rtol=1e-6)


def test_vmap_over_state_and_dt(integrator):
    ys = {"V": np.arange(6.0, dtype=np.float32).reshape(3, 2), "g": np.ones((3, 2), np.float32)}
    dts = np.array([0.05, 0.1, 0.2], dtype=np.float32)
    out = jax.jit(jax.vmap(lambda y, dt: integrator.step(decay, y, 0.0, dt, 10.0)))(ys, dts)
    out = jax.tree_util.tree_map(np.asarray, out)
    alone = jax.jit(lambda y, dt: integrator.step(decay, y, 0.0, dt, 10.0))  # one program for every lane
    for i in range(3):
        one = alone({"V": ys["V"][i], "g": ys["g"][i]}, dts[i])
        np.testing.assert_allclose(out["V"][i], one["V"], rtol=1e-6)
        np.testing.assert_allclose(out["g"][i], one["g"], rtol=1e-6)


def test_scan_matches_python_loop(integrator):
    y0, dt, n = (jnp.array([1.0, 2.0], jnp.float32), jnp.zeros(2, jnp.float32)), 0.1, 50

    def osc(y, t, k):
        x, v = y
        return (v, -k * x)

    def body(y, i):
        return integrator.step(osc, y, i * dt, dt, 2.0), y[0]

    final, xs = jax.jit(lambda y: jax.lax.scan(body, y, jnp.arange(n, dtype=jnp.float32)))(y0)
    assert xs.shape == (n, 2) and xs.dtype == jnp.float32
    y = y0
    step = jax.jit(lambda y, t: integrator.step(osc, y, t, dt, 2.0))  # one program for the loop's 50 steps
    for i in range(n):
        y = step(y, i * dt)
    for a, b in zip(final, y):
        assert a.dtype == jnp.float32
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_grad_through_steps(integrator):
    def loss(tau):
        y = jnp.ones(3, jnp.float32)
        for _ in range(5):
            y = integrator.step(decay, y, 0.0, 0.1, tau)
        return jnp.sum(y)

    g = jax.jit(jax.grad(loss))(np.float32(10.0))
    assert g.dtype == jnp.float32 and np.isfinite(float(g)) and float(g) > 0


def test_derivative_that_would_reshape_the_state_is_an_error(integrator):
    y = (jnp.ones(3, jnp.float32), jnp.float32(0.0))  # the second leaf is a scalar

    def f(y, t):
        x, v = y
        return (v * jnp.ones(3), -x)  # -x has shape (3,), not ()

    with pytest.raises(ValueError, match=r"shape \(3,\).*state leaf of shape \(\)"):
        integrator.step(f, y, 0.0, 0.1)


def test_scalar_derivative_broadcasts_to_the_state(integrator):
    out = integrator.step(lambda y, t: jnp.float32(2.0), jnp.zeros(3, jnp.float32), 0.0, 0.5)
    np.testing.assert_allclose(out, np.ones(3))
