"""Session 35: BrainPy 2.8.2's behaviours that brainbatch.brainpy did not match.

- A part of an array (``x = W[0]``, ``W.T``, ``W.reshape(...)``) is the values at that moment in BrainPy (a JAX
  array): ``x += 1`` leaves ``W`` alone and ``x[:] = 0`` raises. Here NumPy's views changed ``W`` silently.
- ``bm.linalg`` / ``bm.fft`` give BrainPy's mutable ``bm.Array`` (JAX arrays here, unlike every other ``bm`` result).
- ``bp.errors`` (``except bp.errors.UniqueNameError``, BrainPy's "customize dynamical systems" notebook) was missing.
- ``bp.odeint(..., state_delays={'x': bm.TimeDelay(...)})`` (BrainPy's delay-differential-equation tutorial) was
  refused.
Reference numbers: BrainPy 2.8.2 (float32, CPU) run on the scripts quoted beside each constant.
"""
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm
from brainbatch.errors import BrainbatchError

# BrainPy 2.8.2:  W = bm.ones((2, 3)); x = W[0]; x += 1; v = W.reshape(6); v *= 2; t = W.T; t -= 1; W[1] += 5
# gave W [[1, 1, 1], [6, 6, 6]], x [2, 2, 2], v [2] * 6
BRAINPY_W_AFTER = [[1.0, 1.0, 1.0], [6.0, 6.0, 6.0]]


def test_parts_of_an_array_are_the_values_then_not_views_into_it():
    W = bm.ones((2, 3))
    x = W[0]
    x += 1
    v = W.reshape(6)
    v *= 2
    t = W.T
    t -= 1
    W[1] += 5
    assert W.tolist() == BRAINPY_W_AFTER
    assert x.tolist() == [2.0] * 3 and v.tolist() == [2.0] * 6 and t.tolist() == [[0.0, 0.0]] * 3
    row = W[1]
    W[1, 0] = -1.0  # a later change of W does not reach the part taken before
    assert row.tolist() == [6.0] * 3
    for part in (W[0], W[:, 1], W.ravel(), W.diagonal()):
        with pytest.raises(TypeError, match=r"read-only copy.*W\[i\]\.copy\(\)"):
            part[0] = 0.0  # BrainPy raises here too (JAX arrays are immutable); W[0][1] = 5 never wrote into W
    assert W.tolist() == [[1.0, 1.0, 1.0], [-1.0, 6.0, 6.0]]
    mine = W[0].copy()
    mine[0] = 7.0
    W[W > 5] = 0.0  # W itself still changes in place (a mask, a slice)
    W[0, :2] = 3.0
    assert mine.tolist() == [7.0, 1.0, 1.0] and W.tolist() == [[3.0, 3.0, 1.0], [-1.0, 0.0, 0.0]]


# BrainPy 2.8.2: m = bm.linalg.inv(bm.asarray([[2., 1.], [1., 3.]])); m[0, 0] = 9. -> brainpy.math.Array
# [[9, -0.2], [-0.2, 0.4]]; bm.fft.fft(bm.asarray([1., 2., 3., 4.])) -> Array complex64 [10, -2+2j, -2, -2-2j]
BRAINPY_INV = [[9.0, -0.2], [-0.2, 0.4]]
BRAINPY_FFT = [10 + 0j, -2 + 2j, -2 + 0j, -2 - 2j]


def test_linalg_and_fft_give_arrays_that_change_in_place_as_the_other_bm_functions():
    m = bm.linalg.inv(bm.asarray([[2.0, 1.0], [1.0, 3.0]]))
    m[0, 0] = 9.0
    assert isinstance(m, bm.HostArray) and np.allclose(m, BRAINPY_INV, atol=1e-6)
    f = bm.fft.fft(bm.asarray([1.0, 2.0, 3.0, 4.0]))
    assert isinstance(f, bm.HostArray) and f.dtype == np.complex64 and np.allclose(f, BRAINPY_FFT)
    w, vecs = bm.linalg.eigh(bm.eye(2))
    assert isinstance(w, bm.HostArray) and isinstance(vecs, bm.HostArray) and w.tolist() == [1.0, 1.0]
    assert bm.linalg is bm.linalg and "solve" in bm.linalg.__all__


def test_bp_errors_has_brainpys_names_rooted_in_brainbatchs_error():
    try:  # the notebook's clause: brainbatch accepts a second name, so nothing is raised here
        bp.DynamicalSystem(name="X")
        bp.DynamicalSystem(name="X")
    except bp.errors.UniqueNameError:
        pytest.fail("brainbatch's names need not be unique")
    with pytest.raises(ValueError):  # another error passes an except clause naming bp.errors (AttributeError before)
        try:
            raise ValueError("other")
        except bp.errors.UniqueNameError:
            pass
    assert issubclass(bp.errors.JaxTracerError, bp.errors.MathError)
    assert all(issubclass(getattr(bp.errors, n), bp.errors.BrainPyError) for n in bp.errors.__all__)
    assert issubclass(bp.errors.BrainPyError, BrainbatchError)
    with pytest.raises(bp.errors.BrainPyError, match="update is not written"):
        raise bp.errors.NoImplementationError("update is not written")


# BrainPy 2.8.2 (docs/tutorial_toolbox/dde_numerical_solvers.ipynb, without enable_x64): y'(t) = -y(t-1), phi = -1,
# euler, dt 0.1 (bp.odeint(eq, state_delays={'x': d}) run by bp.IntegratorRunner, args={'xdelay': d}), x at steps
# 0, 9, 10, 11, 50, 100, 199; and x'(t) = x y(t-.5), y'(t) = y x(t-.5) (phi_x = 1, phi_y = -1, dt .01), x and y at
# steps 0, 49, 50, 100, 299
BRAINPY_CASE1 = [0.1, 1.0000001192092896, 1.0000001192092896, 0.9900001287460327, 0.0541200265288353,
                 0.03347603231668472, 0.003994092810899019]
BRAINPY_XY = [[0.9900000095367432, 0.6050061583518982, 0.5989561080932617, 0.31098490953445435,
               0.0009103829506784678],
              [-1.0099999904632568, -1.6446316242218018, -1.6610779762268066, -2.4521324634552, -3.531944751739502]]


def test_odeint_state_delays_run_brainpys_delay_equations():
    def equation(x, t, xdelay):
        return -xdelay(t - 1)

    d = bm.TimeDelay(bm.zeros((1,)), 1.0, before_t0=-1.0, dt=0.1, interp_method="round")
    dde = bp.odeint(equation, state_delays={"x": d}, method="euler")
    assert dde.state_delays == {"x": d}
    r = bp.IntegratorRunner(dde, monitors=["x"], dt=0.1, progress_bar=False)
    r.run(20.0, args={"xdelay": d})
    np.testing.assert_allclose(r.mon.x[[0, 9, 10, 11, 50, 100, 199], 0], BRAINPY_CASE1, rtol=2e-6, atol=1e-8)

    def eq(x, y, t):
        return x * ydelay(t - 0.5), y * xdelay(t - 0.5)

    xdelay = bm.TimeDelay(bm.ones(1), 0.5, before_t0=1.0, dt=0.01, interp_method="round")
    ydelay = bm.TimeDelay(-bm.ones(1), 0.5, before_t0=-1.0, dt=0.01, interp_method="round")
    r = bp.IntegratorRunner(bp.odeint(eq, state_delays={"x": xdelay, "y": ydelay}), inits=[1.0, -1.0],
                            monitors=["x", "y"], dt=0.01, progress_bar=False)
    r.run(3.0)
    idx = [0, 49, 50, 100, 299]
    np.testing.assert_allclose([r.mon.x[idx, 0], r.mon.y[idx, 0]], BRAINPY_XY, rtol=2e-6)
    assert float(xdelay.current_time[0]) == pytest.approx(3.0, abs=1e-4)  # the delays moved on with the run


def test_state_delays_and_neutral_delays_are_checked():
    d = bm.TimeDelay(bm.zeros(1), 1.0, dt=0.1)
    with pytest.raises(ValueError, match=r"state_delays names 'y', not a variable of the equation \['x'\]"):
        bp.odeint(lambda x, t: -x, state_delays={"y": d})
    with pytest.raises(TypeError, match=r"state_delays\['x'\] must be a bm.TimeDelay or bm.LengthDelay"):
        bp.odeint(lambda x, t: -x, state_delays={"x": 1.0})
    with pytest.raises(TypeError, match="neutral_delays .* state_delays="):
        bp.odeint(lambda x, t: -x, neutral_delays={"x": d})
    # bp.sdeint takes state_delays as bp.odeint does (tests/brainpy/test_leftovers_s35.py), with the same checks
    with pytest.raises(ValueError, match="state_delays names 'y'"):
        bp.sdeint(lambda x, t: -x, lambda x, t: 0.1, state_delays={"y": d})
