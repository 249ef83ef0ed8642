"""Leftovers of session 35 (BrainPy compatibility):

- ``bp.sdeint(f, g, state_delays={'x': bm.TimeDelay(...)})`` (the SDE cell of BrainPy's delay-differential-equation
  notebook) was refused while ``bp.odeint`` took it; now the integral updates each delay with the variable's new
  (noisy) value after its step, as BrainPy 2.8.2's ``SDEIntegrator`` does.
- The ``BrainPyDifferenceWarning`` of an align-pre projection with an event ``bp.dnn`` op used a fixed stacklevel
  and named brainbatch's own ``__init__`` (``_projections.py:273``) instead of the script's line.
"""
import inspect
import warnings

import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

# BrainPy 2.8.2 (float32, .venv-bench): dx = -x(t - 1) dt + sigma dW, x(0) = 1, history 1 before t0,
# bm.TimeDelay(zeros(n), 1.0, before_t0=1.0, dt=0.1, interp_method='round'), bp.sdeint(f, g, state_delays={'x': d},
# method='euler') run by bp.IntegratorRunner(dt=0.1, inits=[ones(n)]) for 10 ms with args={'xdelay': d}; x at steps
# 0, 9, 10, 11, 30, 50, 99. Without noise (sigma = 0):
BRAINPY_DRIFT = [0.8999999761581421, -7.450580596923828e-08, -7.450580596923828e-08, -0.09000007063150406,
                 -0.16499994695186615, 0.17687997221946716, 0.04418640956282616]
# sigma = 0.1, the variance over 200000 elements (its sampling error ~0.3 %); a delay fed the drift alone instead of
# the noisy value would give sigma^2 dt (k + 1), 3x more by step 50
BRAINPY_VAR = [0.0010059837950393558, 0.009971841238439083, 0.01099474262446165, 0.01179348025470972,
               0.015457294881343842, 0.01753329113125801, 0.018785325810313225]
STEPS = [0, 9, 10, 11, 30, 50, 99]


def _run_delayed_sde(sigma, n):
    d = bm.TimeDelay(bm.zeros((n,)), 1.0, before_t0=1.0, dt=0.1, interp_method="round")
    intg = bp.sdeint(lambda x, t, xdelay: -xdelay(t - 1.0), lambda x, t, xdelay: sigma * bm.ones_like(x),
                     state_delays={"x": d}, method="euler")
    assert intg.state_delays == {"x": d}
    r = bp.IntegratorRunner(intg, monitors=["x"], inits=[bm.ones(n)], dt=0.1, progress_bar=False)
    r.run(10.0, args={"xdelay": d})
    return np.asarray(r.mon.x), d


def test_sdeint_state_delays_give_brainpys_delay_equation():
    bm.random.seed(0)
    x, d = _run_delayed_sde(0.0, 1)
    np.testing.assert_allclose(x[STEPS, 0], BRAINPY_DRIFT, rtol=2e-6, atol=1e-7)
    assert float(d.current_time[0]) == pytest.approx(10.0, abs=1e-4)  # the delay moved on with the run
    x, _ = _run_delayed_sde(0.1, 4000)
    # the noise is linear: the mean follows the noiseless equation (4000 elements: ~0.002 sampling error)
    np.testing.assert_allclose(x[STEPS].mean(axis=1), BRAINPY_DRIFT, atol=0.01)
    np.testing.assert_allclose(x[STEPS].var(axis=1), BRAINPY_VAR, rtol=0.08)  # ~2.2 % sampling error
    # BrainPy takes an empty dict too; a delay of no variable is named
    assert bp.sdeint(lambda x, t: -x, lambda x, t: 0.1, state_delays={}).state_delays == {}
    with pytest.raises(ValueError, match=r"state_delays names 'y', not a variable of the equation \['x'\]"):
        bp.sdeint(lambda x, t: -x, lambda x, t: 0.1, method="milstein", state_delays={"y": bm.TimeDelay(
            bm.zeros(1), 1.0, dt=0.1)})


def test_event_projection_warning_names_the_scripts_line():
    pre, post = bp.dyn.LifRef(4), bp.dyn.LifRef(3)
    comm = bp.dnn.EventCSRLinear(bp.conn.FixedProb(0.5, seed=1), 0.6)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = inspect.currentframe().f_lineno + 1
        bp.dyn.FullProjAlignPreSD(pre=pre, syn=bp.dyn.Expon(4, tau=5.), delay=None, comm=comm, out=bp.dyn.COBA(E=0.), post=post)
        bp.dyn.FullProjAlignPreDSMg(pre=pre, delay=None, syn=bp.dyn.Expon.desc(4, tau=5.), comm=comm,
                                    out=bp.dyn.COBA(E=0.), post=post)
    got = [(w.filename, w.lineno) for w in caught if issubclass(w.category, bp.BrainPyDifferenceWarning)]
    assert got == [(__file__, line), (__file__, line + 1)], got
