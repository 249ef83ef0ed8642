"""The tableau-driven explicit Runge-Kutta schemes: their tableaus meet the order conditions of their declared
order, the fitted order of convergence is that order, ``Euler``/``RK2``/``RK4`` through the generic step are
bit for bit the hand-written formulas they replaced, and the names are registered."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from brainbatch.integrators import (
    RK2,
    RK4,
    SSPRK3,
    Euler,
    ExplicitRK,
    GenericRK2,
    Heun3,
    Kutta3,
    Midpoint,
    Ralston2,
    Ralston3,
    Ralston4,
    RK4Rule38,
    get_integrator,
    odeint,
)

NEW = [Midpoint(), Ralston2(), GenericRK2(0.5), GenericRK2(1.0), GenericRK2(), GenericRK2(0.3), Kutta3(), Heun3(),
       Ralston3(), SSPRK3(), Ralston4(), RK4Rule38()]
TABLEAUS = [Euler(), RK2(), RK4(), *NEW]


def _ids(integrator):
    return repr(integrator) if isinstance(integrator, GenericRK2) else integrator.name


def _matrix(integrator):
    s = len(integrator.b)
    a = np.zeros((s, s))
    for i, row in enumerate(integrator.a):
        a[i, :len(row)] = row
    return a, np.asarray(integrator.b), np.asarray(integrator.c)


@pytest.mark.parametrize("integrator", TABLEAUS, ids=_ids)
def test_tableau_meets_the_order_conditions_of_its_order(integrator):
    a, b, c = _matrix(integrator)
    assert a.shape == (len(c), len(c)) and np.all(np.triu(a) == 0)  # explicit
    assert len(integrator.a) == len(b) == len(c)
    # Ralston's fourth-order coefficients are BrainPy's 8-digit ones: the conditions hold to ~1e-8
    tol = 1e-8 if isinstance(integrator, Ralston4) else 1e-14
    np.testing.assert_allclose(a.sum(axis=1), c, atol=1e-14)
    conditions = {1: [(b.sum(), 1)],
                  2: [(b @ c, 1 / 2)],
                  3: [(b @ c**2, 1 / 3), (b @ a @ c, 1 / 6)],
                  4: [(b @ c**3, 1 / 4), ((b * c) @ a @ c, 1 / 8), (b @ a @ c**2, 1 / 12), (b @ a @ a @ c, 1 / 24)]}
    for order in range(1, integrator.order + 1):
        for value, wanted in conditions[order]:
            assert abs(value - wanted) < tol, (integrator, order, value, wanted)
    if integrator.order < 4:  # and not of the next order (the declared order is the true one)
        nxt = conditions[integrator.order + 1]
        assert any(abs(value - wanted) > 1e-3 for value, wanted in nxt), integrator


T_END = 2.0
STEPS = [10, 20, 40, 80, 160]  # dt from 0.2 down to 0.0125


def _errors(integrator, f, y0, exact, *args):
    def integrate(y0, n_steps):
        dt = T_END / n_steps

        def body(carry, i):
            return integrator.step(f, carry, i * dt, dt, *args), None

        return jax.lax.scan(body, y0, jnp.arange(n_steps, dtype=jnp.float64))[0]

    finals = jax.jit(lambda y0: [integrate(y0, n) for n in STEPS])(y0)
    errors = []
    for y in finals:
        diff = jax.tree_util.tree_map(lambda u, v: np.max(np.abs(np.asarray(u) - v)), y, exact)
        errors.append(max(float(d) for d in jax.tree_util.tree_leaves(diff)))
    return errors


@pytest.mark.parametrize("integrator", NEW, ids=_ids)
def test_fitted_order_of_convergence(integrator):
    with jax.enable_x64(True):
        # time-dependent (the nodes c matter): dy/dt = -y + sin(t)
        y0 = np.array([0.0, 1.0, -2.0])
        exact = (y0 + 0.5) * np.exp(-T_END) + (np.sin(T_END) - np.cos(T_END)) / 2
        forced = _errors(integrator, lambda y, t: -y + jnp.sin(t), y0, exact)

        # coupled, a tuple state (as a joint equation): a damped rotation
        def rotation(y, t, a):
            x, v = y
            return (-a * x + v, -x - a * v)

        decay = np.exp(-0.5 * T_END)
        tuple_errors = _errors(integrator, rotation, (np.array(1.0), np.array(0.0)),
                               (decay * np.cos(T_END), -decay * np.sin(T_END)), 0.5)
    dts = T_END / np.asarray(STEPS)
    for errors in (forced, tuple_errors):
        slope = np.polyfit(np.log(dts), np.log(errors), 1)[0]
        assert abs(slope - integrator.order) <= 0.25, (integrator, slope, errors)


def _old_euler(f, y, t, dt, *args):
    return jax.tree_util.tree_map(lambda u, k: u + dt * (0 + 1.0 * k), y, f(y, t, *args))


def _old_heun(f, y, t, dt, *args):
    k1 = f(y, t, *args)
    k2 = f(jax.tree_util.tree_map(lambda u, k: u + dt * (0 + 1.0 * k), y, k1), t + dt, *args)
    return jax.tree_util.tree_map(lambda u, p, q: u + dt * (0 + 0.5 * p + 0.5 * q), y, k1, k2)


def _old_rk4(f, y, t, dt, *args):
    half = 0.5 * dt
    tm = jax.tree_util.tree_map
    k1 = f(y, t, *args)
    k2 = f(tm(lambda u, k: u + dt * (0 + 0.5 * k), y, k1), t + half, *args)
    k3 = f(tm(lambda u, k: u + dt * (0 + 0.5 * k), y, k2), t + half, *args)
    k4 = f(tm(lambda u, k: u + dt * (0 + 1.0 * k), y, k3), t + dt, *args)
    return tm(lambda u, p, q, r, s: u + dt * (0 + 1 / 6 * p + 1 / 3 * q + 1 / 3 * r + 1 / 6 * s), y, k1, k2, k3, k4)


@pytest.mark.parametrize("integrator, formula", [(Euler(), _old_euler), (RK2(), _old_heun), (RK4(), _old_rk4)],
                         ids=["euler", "rk2", "rk4"])
def test_euler_heun_rk4_through_the_tableau_are_the_formulas_bit_for_bit(integrator, formula):
    def f(y, t, a):
        x, v = y
        return (-a * x + v * jnp.sin(t) + jnp.exp(-x * x), -x - a * v * jnp.cos(t))

    rng = np.random.default_rng(0)
    y = (jnp.asarray(rng.normal(size=64), jnp.float32), jnp.asarray(rng.normal(size=64), jnp.float32))
    for t, dt in ((0.0, 0.1), (1.3, 0.0137)):
        got = jax.jit(lambda y, t, dt: integrator.step(f, y, t, dt, 0.7))(y, t, dt)
        want = jax.jit(lambda y, t, dt: formula(f, y, t, dt, 0.7))(y, t, dt)
        for g, w in zip(got, want):
            assert g.dtype == jnp.float32
            np.testing.assert_array_equal(np.asarray(g), np.asarray(w))


@pytest.mark.parametrize("name, cls", [("midpoint", Midpoint), ("ralston2", Ralston2), ("kutta3", Kutta3),
                                       ("heun3", Heun3), ("ralston3", Ralston3), ("ssp_rk3", SSPRK3),
                                       ("ralston4", Ralston4), ("rk4_38rule", RK4Rule38), ("HEUN2", RK2)])
def test_registered_names(name, cls):
    assert type(get_integrator(name)) is cls
    assert issubclass(cls, ExplicitRK)
    assert odeint(lambda y, t: -y, method=name).integrator == cls()


def test_generic_rk2_is_its_family():
    assert GenericRK2(0.5).b == Midpoint.b and GenericRK2(0.5).a == Midpoint.a
    assert GenericRK2(1.0).b == RK2.b and GenericRK2(1.0).c == RK2.c
    assert GenericRK2() == GenericRK2(2 / 3) != GenericRK2(0.5)
    assert len({GenericRK2(), GenericRK2(2 / 3), GenericRK2(0.5)}) == 2
    assert get_integrator(GenericRK2(0.5)) == GenericRK2(0.5)
    with pytest.raises(ValueError, match="beta must be positive"):
        GenericRK2(0.0)
    # text was "could not convert string to float: 'a'", naming neither the integrator nor beta
    for bad in ("a", float("inf"), float("nan"), None, True):
        with pytest.raises(ValueError, match=r"GenericRK2: beta must be positive and finite, got "):
            GenericRK2(bad)
    # on a dict state, jitted, float32 kept
    y = {"a": jnp.ones(3, jnp.float32), "b": jnp.zeros(3, jnp.float32)}
    out = jax.jit(lambda y: GenericRK2(0.3).step(lambda s, t: {"a": -s["a"], "b": s["a"]}, y, 0.0, 0.1))(y)
    assert out["a"].dtype == jnp.float32
    np.testing.assert_allclose(out["a"], 1 - 0.1 + 0.005, rtol=1e-6)  # second order: 1 - h + h^2/2
