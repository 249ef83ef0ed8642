"""Bad input to ``bp.odeint``, ``bp.sdeint`` and ``bp.IntegratorRunner`` is named (bad-input audit): a negative dt
integrated backwards (x = 1, dx = -x gave 1.1), 0 stood still, NaN made x NaN and ``'0.1'`` ran as text; a
derivative function returning another number of values failed with "pytree structure error"; an SDE diffusion of
another shape grew the state; IntegratorRunner ran a negative duration as no step. BrainPy 2.8.2 integrates a
negative dt backwards too; brainbatch's steps are times in ms > 0 everywhere else, so they are here."""
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch.brainpy as bp


@pytest.mark.parametrize("dt", [-0.1, 0.0, float("nan"), float("inf"), "0.1", True])
def test_a_step_that_is_not_a_positive_time_is_refused(dt):
    with pytest.raises(ValueError, match=r"^odeint: dt must be a time step in ms > 0, got "):
        bp.odeint(lambda v, t: -v, dt=dt)
    intg = bp.odeint(lambda v, t: -v)
    with pytest.raises(ValueError, match=r"dt must be a time step in ms > 0"):
        intg(1.0, 0.0, dt=dt)
    with pytest.raises(ValueError, match=r"^IntegratorRunner: dt must be a time step in ms > 0"):
        bp.IntegratorRunner(intg, monitors=["v"], inits=[1.0], dt=dt, progress_bar=False)
    assert float(intg(1.0, 0.0, dt=0.1)) == pytest.approx(0.9)  # euler


@pytest.mark.parametrize("f, message", [
    (lambda a, b, t: (-a, -b, 1.0), r"f must return 2 derivatives, one per variable \['a', 'b'\], in that order, "
                                     r"got a tuple of 3"),
    (lambda a, b, t: -a, r"f must return 2 derivatives.*got one array of shape \(\)"),
    (lambda a, t: (-a, 1.0), r"f must return the derivative of 'a' \(one array or number\), got a tuple of 2"),
    (lambda a, t: None, r"f must return the derivative of 'a' .*got None"),
])
def test_a_derivative_function_returning_another_number_of_values_is_named(f, message):
    n = f.__code__.co_argcount - 1
    with pytest.raises(ValueError, match=r"^odeint\(<lambda>\): " + message):
        bp.odeint(f)(*[1.0] * n, 0.0)


def test_an_sde_diffusion_of_another_shape_than_its_variable_is_named():
    f = bp.sdeint(lambda x, t: -x, lambda x, t: jnp.ones(3))
    for shape in ((1,), (2,)):  # (1,) grew the state to (3,); (2,) failed with "mul got incompatible shapes"
        with pytest.raises(ValueError, match=rf"^sdeint: g returned shape \(3,\) for the variable 'x' of shape "
                                             rf"\({shape[0]},\)"):
            f(jnp.ones(shape), 0.0)
    assert np.shape(bp.sdeint(lambda x, t: -x, lambda x, t: 0.1)(jnp.ones(2), 0.0)) == (2,)


def test_integrator_runner_arguments_are_named():
    f = bp.odeint(lambda x, t, k: -k * x)

    def run(duration=1.0, inits=(1.0,), **kw):
        runner = bp.IntegratorRunner(f, monitors=["x"], inits=list(inits), progress_bar=False)
        runner.run(duration, **kw)
        return runner

    with pytest.raises(ValueError, match=r"^IntegratorRunner.run: duration must be a time in ms >= 0, got -1.0"):
        run(-1.0, args={"k": 2.0})
    with pytest.raises(ValueError, match=r"dyn_args\['k'\] holds one value per step \(an array of 10 rows\)"):
        run(dyn_args={"k": 2.0})
    with pytest.raises(TypeError, match=r"^IntegratorRunner: args must be a dict of the integral's parameters by "
                                        r"name, got float 2.0"):
        run(args=2.0)
    f2 = bp.odeint(lambda x, y, t: (-x, -y))
    with pytest.raises(ValueError, match=r"^IntegratorRunner: inits give \{'x': 3, 'y': 2\} values; each variable "
                                         r"takes one value or 3"):
        bp.IntegratorRunner(f2, monitors=["x"], inits={"x": np.ones(3), "y": np.ones(2)}, progress_bar=False)
    assert run(args={"k": 2.0}).mon["x"].shape == (10, 1)


def test_a_stacked_array_of_derivatives_is_brainpys_n_derivatives():
    # review: BrainPy 2.8.2 takes jnp.stack([dx, dy]) as the two derivatives (euler: x = y = 0.9 after one step)
    f = bp.odeint(lambda x, y, t: jnp.stack([-x, -y]))
    x, y = f(jnp.ones(3), jnp.ones(3), 0.0, dt=0.1)
    np.testing.assert_allclose([np.asarray(x), np.asarray(y)], 0.9, rtol=1e-6)
