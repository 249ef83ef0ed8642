"""BrainPy's examples that call ``bm.enable_x64()`` first, run under x64 as BrainPy 2.8.2 runs them.

Parts of the script's own equations stayed float32 under x64: ``bp.IntegratorRunner`` cast its variables to
float32 after every step (the 2d_NaK_model notebook's trajectory 4e-6 off BrainPy's, ``mon.ts[-1]`` 0.99999994),
``bm.TimeDelay`` kept a float32 clock and counted its rows in float32 (the dde_numerical_solvers notebook's
state-dependent delay left BrainPy's trajectory at step 1430 and ended 1e7 apart), and ``bm.float_`` and a script's
own ``bp.init`` draws stayed float32. References are BrainPy 2.8.2's
numbers (``.venv-bench``, jax 0.10.2, CPU) for the same code with ``import brainpy``.
x64 is process-wide, so each test turns it off again (``x64_off``).
"""
from __future__ import annotations

import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm


@pytest.fixture
def x64_off(monkeypatch):
    """x64 on for the test (its warning silenced) and off after it whatever happens."""
    monkeypatch.setattr(bm, "_X64_WARNED", False)
    assert not jax.config.read("jax_enable_x64")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bp.BrainPyDifferenceWarning)
        bm.enable_x64()
    yield
    bm.disable_x64()


def nak_int_V():
    """dynamics_analysis/2d_NaK_model.ipynb (``bm.enable_x64()`` first): its int_V, exp_auto."""
    E_L, g_L, g_Na, g_K, E_K, E_Na, Vm_half, k_m = -78, 8, 20, 10, -90, 60, -20, 15

    @bp.odeint(method='exp_auto')
    def int_V(V, t, n, Iext):
        m_inf = 1 / (1 + bm.exp((Vm_half - V) / k_m))
        return -g_L * (V - E_L) - g_Na * m_inf * (V - E_Na) - g_K * n * (V - E_K) + Iext

    return int_V


#: BrainPy 2.8.2 with bm.enable_x64(): IntegratorRunner(int_V, monitors=['V'], inits={'V': -10.}, args={'n': 0.3,
#: 'Iext': 50.}, dt=0.02).run(1.), V at steps 0, 1, 5, 49 (float64); then .run(0.5): the first and last V and ts
NAK_X64 = [-6.301963747152581, -3.1048211711769227, 3.9809484475333563, 6.4125928515483475]
NAK_X64_GOES_ON = [6.412592891371696, 6.412592976841521]


def test_integrator_runner_keeps_the_equations_float64_under_x64(x64_off):
    r = bp.IntegratorRunner(nak_int_V(), monitors=['V'], inits={'V': -10.}, args={'n': 0.3, 'Iext': 50.}, dt=0.02,
                            progress_bar=False)
    r.run(1.)
    V = np.asarray(r.mon.V)[:, 0]
    assert V.dtype == np.float64 and np.asarray(r.mon.ts).dtype == np.float64
    # float64 rounding apart (3e-15 here); the float32 cast was 2e-6 away (-3.1048229 at step 1)
    np.testing.assert_allclose(V[[0, 1, 5, 49]], NAK_X64, rtol=0, atol=1e-12)
    assert r.mon.ts[-1] == 1.0  # 0.99999994 in float32
    r.run(0.5)  # goes on from where it ended, its clock float64 too: 25 steps, ts 1.02 .. 1.5
    np.testing.assert_allclose(np.asarray(r.mon.V)[[0, -1], 0], NAK_X64_GOES_ON, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(np.asarray(r.mon.ts)[[0, -1]], [1.02, 1.5])


#: BrainPy 2.8.2 with bm.enable_x64(): the dde_numerical_solvers notebook's state-dependent delay (cells 40-43, the
#: first case), run 20 ms of its 30: x at steps 1000, 1429, 1430, 1500, 1999; the clock at the end, float64
DDE_X64 = [205.68011951542618, 12310.637608561261, 12426.591054824199, 23898.117181207941, 2155246.3077544244]


def test_time_delay_clock_is_float64_under_x64(x64_off):
    def eq(x, t, xdelay):
        delay = abs(t * xdelay(t - 0.9 * t) / 10)
        return xdelay(t - delay[0])

    d = bm.TimeDelay(bm.ones(1), 30., before_t0=-1, dt=0.01)  # linear interpolation between the rows
    r = bp.IntegratorRunner(bp.odeint(eq, state_delays={'x': d}, method='euler'), monitors=['x'], dt=0.01,
                            progress_bar=False)
    r.run(20., args={'xdelay': d})
    x = np.asarray(r.mon.x)[:, 0]
    # 1e-15 relative apart; with a float32 clock the delayed reads moved from step 1430 on (1e7 apart at the end)
    np.testing.assert_allclose(x[[1000, 1429, 1430, 1500, 1999]], DDE_X64, rtol=1e-12, atol=0)
    assert np.asarray(d.current_time).dtype == np.float64
    assert abs(float(d.current_time[0]) - 20.000000000000327) < 1e-12  # BrainPy's clock after 2000 updates


def test_time_delay_rows_are_counted_in_the_default_float():
    # BrainPy 2.8.2: ceil(delay_len / dt) + 1 rows in JAX's default float: 0.07 / 0.01 = 7.000000000000001 is
    # 8 rows in float32 and 9 under x64 (0.56 / 0.01: 57 and 58; 1.11 / 0.01: 112 and 113)
    cases = [(0.07, 0.01), (0.56, 0.01), (1.11, 0.01)]
    assert [bm.TimeDelay(bm.zeros(1), n, dt=dt).num_delay_step for n, dt in cases] == [8, 57, 112]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bp.BrainPyDifferenceWarning)
        with bm.environment(x64=True):
            assert [bm.TimeDelay(bm.zeros(1), n, dt=dt).num_delay_step for n, dt in cases] == [9, 58, 113]
    assert not jax.config.read("jax_enable_x64")


@pytest.mark.parametrize("name, way", [("StructRunner", "bp.DSRunner"), ("ConstantDelay", "bm.LengthDelay")])
def test_brainpy_1x_names_say_what_to_use(name, way):
    # large_scale_modeling/2014_CorticalModel.py is written for BrainPy 1.x (bp.StructRunner, bp.ConstantDelay,
    # update(_t, _dt)): BrainPy 2.8.2 has neither name either (an AttributeError there too)
    with pytest.raises(AttributeError, match=f"{name}.*BrainPy 1.x.*{way}"):
        getattr(bp, name)


def test_default_float_and_script_initializers_follow_x64(x64_off):
    # BrainPy 2.8.2 after bm.enable_x64(): bm.float_ and bm.get_float() are jnp.float64, bm.int_ jnp.int64, and a
    # script's bp.init.Uniform(...)(n), bp.init.variable_(bp.init.Normal(...), n) draw float64; here bm.float_
    # stayed float32, so a script's bm.zeros(n, dtype=bm.float_) state computed in float32
    assert bm.float_ is jnp.float64 and bm.get_float() is jnp.float64 and bm.int_ is jnp.int64
    assert bm.zeros(2, dtype=bm.float_).dtype == np.float64
    assert np.asarray(bp.init.Uniform(-65., -50.)(5)).dtype == np.float64
    assert bp.init.variable_(bp.init.Normal(0., 1.), 4).value.dtype == np.float64
    bm.disable_x64()
    assert bm.float_ is jnp.float32 and bm.int_ is jnp.int32
    assert np.asarray(bp.init.Uniform(-65., -50.)(5)).dtype == np.float32
