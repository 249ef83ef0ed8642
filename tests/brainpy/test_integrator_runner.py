"""``bp.IntegratorRunner`` (BrainPy's ODE and SDE tutorials run integrals with it) against BrainPy 2.8.2: a
FitzHugh-Nagumo ``JointEq`` with ``args`` and a ramp in ``dyn_args``, a second run continuing, and an RK4 decay
(tests/brainpy/reference/integrator_runner_bp282.py)."""
import numpy as np
import pytest

import brainbatch.brainpy as bp

TAU = 12.5


def _fhn():
    dV = lambda V, t, w, I: V - V * V * V / 3 - w + I  # noqa: E731
    dw = lambda w, t, V, a, b: (V + a - b * w) / TAU  # noqa: E731
    integral = bp.odeint(bp.JointEq([dV, dw]), method="exp_auto")
    return bp.IntegratorRunner(integral, monitors=["V", "w"], inits={"V": np.array([0.1, 0.5, -1.0]),
                                                                      "w": np.array([0.0, 0.2, 0.3])},
                               dt=0.05, progress_bar=False)


def test_a_joint_equation_with_args_and_dyn_args_gives_brainpys_numbers():
    runner = _fhn()
    runner.run(20., args={"a": 1., "b": 1.}, dyn_args={"I": bp.inputs.ramp_input(0, 4, 20., dt=0.05)})
    assert np.shape(runner.mon.V) == (400, 3) and np.shape(runner.mon.ts) == (400,)
    np.testing.assert_allclose(runner.mon.ts[[0, -1]], [0.05, 20.0], atol=1e-6)
    np.testing.assert_allclose(runner.mon.V[[0, 99, -1]], [[0.10511, 0.51316, -1.04833], [1.84609, 1.75442, -1.11784],
                                                           [2.26384, 2.25423, 2.33058]], atol=2e-5)
    np.testing.assert_allclose(runner.mon.w[[0, 99, -1]], [[0.00439, 0.20519, 0.2988], [0.73584, 0.92928, 0.04782],
                                                           [2.37177, 2.40979, 2.09566]], atol=2e-5)
    runner.run(5., args={"a": 1., "b": 1.}, dyn_args={"I": np.full(100, 2.0)})  # goes on from where it stopped
    assert float(runner.mon.ts[0]) == pytest.approx(20.05, abs=1e-5)
    np.testing.assert_allclose(runner.mon.V[-1], [1.45703, 1.43745, 1.57748], atol=2e-5)


def test_inits_in_order_the_integrals_dt_and_bad_input():
    f = bp.odeint(lambda x, t, k: -k * x, method="rk4")
    r = bp.IntegratorRunner(f, monitors=["x"], inits=[1.0], dt=0.1, progress_bar=False)
    r.run(1.0, args={"k": 2.0})
    assert np.shape(r.mon.x) == (10, 1) and f.dt == 0.1
    np.testing.assert_allclose(r.mon.x[-3:, 0], [0.201902, 0.165304, 0.13534], atol=2e-6)
    with pytest.raises(ValueError, match=r"monitor 'y' is not a variable of the integral \(\['x'\]\)"):
        bp.IntegratorRunner(f, monitors=["y"], inits=[1.0])
    with pytest.raises(ValueError, match="dyn_args\\['k'\\] has 3 rows, the run 10 steps"):
        r.run(1.0, dyn_args={"k": np.ones(3)})
    with pytest.raises(TypeError, match="runs an integral of bp.odeint or bp.sdeint"):
        bp.IntegratorRunner(lambda x: x, monitors=["x"])


def test_an_sde_draws_a_new_wiener_increment_every_step():
    """dx = dW: the increments are independent N(0, dt). One increment was drawn while the loop was traced and
    reused at every step (x grew linearly: x(T)^2 ~ 1e4 for T = 10; the SDE tutorial's Lorenz went to NaN)."""
    import brainbatch.brainpy.math as bm

    wiener = bp.sdeint(f=lambda x, t: 0. * x, g=lambda x, t: 1. + 0. * x)
    bm.random.seed(3)
    runner = bp.IntegratorRunner(wiener, monitors=["x"], inits=[0.], dt=0.01, progress_bar=False)
    runner.run(20.)
    n = 2000
    steps = np.diff(np.concatenate([[0.0], np.asarray(runner.mon.x)[:, 0]]))
    assert steps.shape == (n,)
    # sample variance of n normals: relative standard error sqrt(2 / n) = 3.2 %; 5 of them
    assert abs(steps.var() / 0.01 - 1) < 5 * np.sqrt(2 / n), steps.var()
    lag1 = np.corrcoef(steps[:-1], steps[1:])[0, 1]  # ~ N(0, 1/n) for independent increments
    assert abs(lag1) < 5 / np.sqrt(n), lag1
    runner.run(1.)  # a second run goes on with other numbers
    assert not np.allclose(np.diff(np.asarray(runner.mon.x)[:, 0]), steps[1:100])
    first = np.asarray(runner.mon.x)
    bm.random.seed(3)  # the same seed repeats the first run
    again = bp.IntegratorRunner(wiener, monitors=["x"], inits=[0.], dt=0.01, progress_bar=False)
    again.run(20.)
    np.testing.assert_array_equal(np.diff(np.concatenate([[0.0], np.asarray(again.mon.x)[:, 0]])), steps)
    assert first.shape == (100, 1)
