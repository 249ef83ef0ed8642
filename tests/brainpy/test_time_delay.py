"""BrainPy 2.x's ``bm.TimeDelay`` (a delayed feedback written with it, as BrainPy's delay-differential examples
are): every value step by step as BrainPy 2.8.2 (tests/brainpy/reference/time_delay_bp282.py), both
interpolation methods, a number and a function before t0; and bad input."""
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

# BrainPy 2.8.2, rows at steps 0, 12, 13, 30, 49 (the reference script's output)
REFERENCE = {
    ("round", "x"): [[0.921, 0.471, -0.159], [0.34712, 0.269234, 0.160194], [0.378477, 0.277237, 0.135502],
                     [0.377581, 0.283866, 0.152665], [0.409171, 0.347135, 0.260285]],
    ("round", "y"): [[0.3, 0.3, 0.3], [0.3, 0.3, 0.3], [1.0, 0.5, -0.2], [0.431803, 0.28989, 0.091212],
                     [0.386024, 0.296488, 0.171139]],
    ("round", "z"): [[0.1, 0.1, 0.1], [0.731124, 0.403074, -0.056196], [0.681011, 0.385767, -0.027576],
                     [0.451099, 0.295843, 0.078484], [0.397532, 0.313304, 0.195384]],
    ("linear_interp", "x"): [[0.921, 0.471, -0.159], [0.345461, 0.268363, 0.160425], [0.377253, 0.276544, 0.135552],
                             [0.376737, 0.283439, 0.152822], [0.408872, 0.346845, 0.260006]],
    ("linear_interp", "y"): [[0.3, 0.3, 0.3], [0.3, 0.3, 0.3], [1.0, 0.5, -0.2], [0.431827, 0.289721, 0.090774],
                             [0.38613, 0.296389, 0.170752]],
    ("linear_interp", "z"): [[0.1, 0.1, 0.1], [0.721102, 0.399613, -0.050472], [0.672091, 0.382751, -0.022325],
                             [0.450389, 0.29569, 0.079111], [0.397639, 0.313796, 0.196417]],
}


class Feedback(bp.DynamicalSystem):
    def __init__(self, method):
        super().__init__()
        self.x = bm.Variable(bm.asarray([1.0, 0.5, -0.2]))
        self.lin = bm.TimeDelay(self.x, 1.25, before_t0=lambda t: bm.ones(3) * 0.3, interp_method="linear_interp")
        self.other = bm.TimeDelay(self.x, 1.25, before_t0=0.1, interp_method=method)
        self.y = bm.Variable(bm.zeros(3))
        self.z = bm.Variable(bm.zeros(3))

    def update(self):
        t = bp.share["t"]
        self.y.value = self.lin(t - 1.25)
        self.z.value = self.other(t - 0.73)
        self.x.value = self.x + bm.get_dt() * (-self.x + 0.8 * self.y - 0.3 * self.z + 0.05 * t)
        self.lin.update(self.x.value)
        self.other.update(self.x.value)


@pytest.mark.parametrize("method", ["round", "linear_interp"])
def test_a_delayed_feedback_is_brainpys_step_by_step(method):
    bm.set_dt(0.1)
    model = Feedback(method)
    runner = bp.DSRunner(model, monitors={"x": model.x, "y": model.y, "z": model.z}, progress_bar=False)
    runner.run(5.)
    for name in ("x", "y", "z"):
        np.testing.assert_allclose(np.asarray(runner.mon[name])[[0, 12, 13, 30, 49]], REFERENCE[method, name],
                                   atol=1.5e-6, err_msg=name)
    assert model.lin.num_delay_step == 14 and model.lin.data.shape == (14, 3)


def test_reads_outside_the_kept_history_and_bad_arguments_are_named():
    d = bm.TimeDelay(bm.zeros(2), delay_len=0.2, dt=0.1, interp_method="round")
    d.update(bm.ones(2))
    assert d(0.1).tolist() == [1.0, 1.0] and d(-0.1).tolist() == [0.0, 0.0] and d(0.0, 1).tolist() == 0.0
    with pytest.raises(ValueError, match=r"TimeDelay: the time read \(0.5 ms\) is after the newest value \(0.1 ms\)"):
        d(0.5)
    with pytest.raises(ValueError, match=r"TimeDelay: the time read \(-1 ms\) is before the oldest value kept"):
        d(-1.0)
    with pytest.raises(ValueError, match="TimeDelay interp_method .*'linear_interp', 'round'"):
        bm.TimeDelay(bm.zeros(2), 1.0, interp_method="nearest")
    with pytest.raises(ValueError, match="TimeDelay: delay_len must be a time in ms >= 0, got -1.0"):
        bm.TimeDelay(bm.zeros(2), -1.0)
    with pytest.raises(ValueError, match="TimeDelay: delay_target must be an array or a Variable, got float 1.0"):
        bm.TimeDelay(1.0, 1.0)
    with pytest.raises(ValueError, match="TimeDelay: before_t0 must be a number, an array or a function of t"):
        bm.TimeDelay(bm.zeros(2), 1.0, before_t0="zero")
    # a history of another shape was XLA's "Incompatible types for broadcasting"
    with pytest.raises(ValueError, match=r"^TimeDelay: before_t0 has shape \(4,\), which does not fit the delay's "
                                         r"history \(10, 2\) \(10 rows of the target's shape \(2,\)\)"):
        bm.TimeDelay(bm.zeros(2), 1.0, dt=0.1, before_t0=bm.ones(4))
    assert bm.TimeDelay(bm.zeros(2), 1.0, dt=0.1, before_t0=np.arange(10.0)[:, None])(-0.95).tolist() == pytest.approx([0.5, 0.5])
    late = bm.TimeDelay(bm.zeros(2), 1.0, dt=0.1, before_t0=lambda t: bm.ones(4))
    with pytest.raises(ValueError, match=r"^TimeDelay: before_t0\(t\) returned shape \(4,\); it must return a "
                                         r"number or an array of the target's shape \(2,\)"):
        late(-0.5)


class _Lagged(bp.DynamicalSystem):
    def __init__(self, lag):
        super().__init__()
        self.lag = lag
        self.x, self.y = bm.Variable(bm.zeros(1)), bm.Variable(bm.zeros(1))
        self.d = bm.TimeDelay(self.x, delay_len=1.0, dt=0.1)

    def update(self):
        self.y.value = self.d(bp.share["t"] - self.lag)
        self.x.value = self.x.value + 1.0
        self.d.update(self.x.value)


def test_a_read_older_than_the_kept_history_inside_a_run_is_nan_not_another_value():
    # the time is traced inside a run, so it cannot be refused as BrainPy's check does: it wrapped around the
    # ring and read x from 0.8 ms back for a read 3 ms back (bad-input audit)
    bm.set_dt(0.1)
    for lag, last in ((1.0, 19.0), (3.0, None)):
        runner = bp.DSRunner(_Lagged(lag), monitors=["y", "x"], progress_bar=False)
        runner.run(3.0)
        y = np.asarray(runner.mon["y"])[:, 0]
        if last is None:
            assert np.isnan(y).all()  # 3 ms back is always more than the 1 ms kept (BrainPy refuses every read)
        else:
            assert abs(y[-1] - last) < 1e-4 and not np.isnan(y).any()  # float32 clock: 19.000008
    d = bm.TimeDelay(bm.zeros(2), delay_len=0.2, dt=0.1)
    with pytest.raises(ValueError, match="TimeDelay: the time read must be a finite time in ms, got nan"):
        d(float("nan"))
    with pytest.raises(ValueError, match=r"TimeDelay: indices 5 are out of range for a target of 2 elements"):
        d(0.0, 5)


def test_times_take_units_and_a_history_too_large_to_hold_is_refused():
    import brainunit as u

    d = bm.TimeDelay(bm.zeros(2), delay_len=1 * u.ms, dt=0.1)
    d.update(bm.ones(2))
    assert d.num_delay_step == 11 and d(0.1 * u.ms).tolist() == [1.0, 1.0]
    with pytest.raises((ValueError, TypeError), match="TimeDelay delay_len takes a time"):
        bm.TimeDelay(bm.zeros(2), 1 * u.mV)
    # XLA was asked for 80 TB / 80 GB and failed with its out-of-memory error (bad-input audit)
    with pytest.raises(ValueError, match=r"TimeDelay: delay_len 1000000000000.0 ms at dt 0.1 ms keeps .* GiB, more than 4 GiB"):
        bm.TimeDelay(bm.zeros(2), 1e12, dt=0.1)
    with pytest.raises(ValueError, match=r"LengthDelay: delay_len 10000000000 keeps 10000000001 rows .* more than 4 GiB"):
        bm.LengthDelay(bm.zeros(2), 10**10)
