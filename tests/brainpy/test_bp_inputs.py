"""``bp.inputs``' waveforms and noise against numpy references written from BrainPy 2.8.2's code.

BrainPy 2.8.2's ``brainpy/inputs/currents.py`` calls ``braintools.input`` 0.3; the formulas below are
transcribed from ``braintools/input/_functional_waveforms.py`` (``sinusoidal``, ``square``),
``_functional_pulses.py`` (``spike``) and ``_functional_stochastic.py`` (``wiener_process``,
``ou_process``): float64 arithmetic stored in float32, ``ceil(duration/dt)`` rows, ``int(t/dt)``
for a time's row, numpy's ``RandomState(seed)`` for the draws.
"""
import math

import brainunit as u
import numpy as np
import pytest

import brainbatch.brainpy as bp


def _rows(duration, t_start, t_end, dt):
    t_end = duration if t_end is None else t_end
    return int(np.ceil(duration / dt)), int(t_start / dt), int(t_end / dt)


def ref_wave(kind, amplitude, frequency, duration, dt, t_start=0., t_end=None, bias=False):
    n, i0, i1 = _rows(duration, t_start, t_end, dt)
    times = np.arange(i1 - i0) * dt
    phase = 2 * np.pi * (frequency / 1000.0) * times
    if kind == "sin":
        values = amplitude * np.sin(phase)
    else:
        y = np.zeros(phase.shape, np.float32)  # braintools' _square_wave fills a float32 array
        mask = np.mod(phase, 2 * np.pi) < (0.5 * 2 * np.pi)
        y[mask], y[~mask] = 1, -1
        values = amplitude * y
    if bias:
        values = values + amplitude
    out = np.zeros(n, np.float32)
    out[i0:i1] = values
    return out


def ref_spikes(times, lens, sizes, duration, dt):
    n = int(np.ceil(duration / dt))
    out = np.zeros(n, np.float32)
    for t, d, s in zip(times, lens, sizes):
        a, b = int(t / dt), int((t + d) / dt)
        if a < n:
            out[a:min(b, n)] = s
    return out


def ref_ou(mean, sigma, tau, duration, dt, n, seed, t_start=0., t_end=None):
    rows, i0, i1 = _rows(duration, t_start, t_end, dt)
    rng = np.random.RandomState(seed)
    x = np.full(n, mean, dtype=np.float32)
    hist = []
    for _ in range(i1 - i0):  # one draw per step, shaped () for one process as BrainPy draws it
        x = x + (mean - x) * (dt / tau) + sigma * np.sqrt(dt) * rng.standard_normal(n if n > 1 else ())
        hist.append(x.copy())
    out = np.zeros((rows,) if n == 1 else (rows, n), np.float32)
    out[i0:i1] = np.stack(hist).reshape(out[i0:i1].shape)
    return out


def test_waveforms_are_brainpys_numbers():
    cases = [  # (kind, args, kwargs)
        ("sin", (2.5, 10., 50.), dict(dt=0.1)),
        ("sin", (1., 37., 30.), dict(dt=0.1, t_start=5., t_end=22.5, bias=True)),
        ("sin", (0.7, 3., 0.6), dict(dt=0.1)),  # t_end row int(0.6/0.1) = 5: BrainPy leaves row 5 at 0
        ("sq", (3., 40., 60.), dict(dt=0.1)),
        ("sq", (1.5, 25., 40.), dict(dt=0.05, bias=True, t_start=10.3, t_end=31.)),
    ]
    for kind, args, kw in cases:
        fn = bp.inputs.sinusoidal_input if kind == "sin" else bp.inputs.square_input
        got = np.asarray(fn(*args, **kw))
        ref = ref_wave(kind, *args, **kw)
        assert got.dtype == np.float32 and got.shape == ref.shape, (kind, args)
        np.testing.assert_array_equal(got, ref, err_msg=f"{kind} {args} {kw}")
    assert np.asarray(bp.inputs.sinusoidal_input(0.7, 3., 0.6, dt=0.1))[5] == 0.0
    # quantities of time and frequency are converted
    np.testing.assert_array_equal(np.asarray(bp.inputs.sinusoidal_input(2., 0.01 * u.kHz, 0.05 * u.second, dt=0.1)),
                                  np.asarray(bp.inputs.sinusoidal_input(2., 10., 50., dt=0.1)))


def test_spike_input_and_its_old_name():
    args = ([1., 2.5, 2.7, 9.5], [0.5, 1., 0.3, 2.], [1., 2., -3., 4.], 10.)
    np.testing.assert_array_equal(np.asarray(bp.inputs.spike_input(*args, dt=0.1)), ref_spikes(*args, 0.1))
    # scalars repeat for every spike
    np.testing.assert_array_equal(np.asarray(bp.inputs.spike_input([0.3, 0.7], 0.2, 2., 1.2, dt=0.1)),
                                  ref_spikes([0.3, 0.7], [0.2, 0.2], [2., 2.], 1.2, 0.1))
    assert bp.inputs.spike_current is bp.inputs.spike_input


def test_bad_arguments_name_the_value():
    with pytest.raises(ValueError, match="t_end"):
        bp.inputs.sinusoidal_input(1., 10., 5., dt=0.1, t_end=6.)
    with pytest.raises(ValueError, match="one value per spike"):
        bp.inputs.spike_input([1., 2.], [0.5], 1., 5., dt=0.1)
    with pytest.raises(TypeError, match="amplitude must be a scalar"):
        bp.inputs.square_input(np.ones(3), 10., 5., dt=0.1)
    with pytest.raises(ValueError, match="n .*>= 1"):
        bp.inputs.wiener_process(5., dt=0.1, n=0)
    with pytest.raises(TypeError, match="seed"):
        bp.inputs.ou_process(0., 1., 5., 5., dt=0.1, seed=1.5)


def test_noise_with_a_seed_is_brainpys_numbers():
    for n in (1, 3):
        got = np.asarray(bp.inputs.wiener_process(20., dt=0.1, n=n, t_start=2., t_end=15., seed=7))
        rows, i0, i1 = _rows(20., 2., 15., 0.1)
        ref = np.zeros((rows,) if n == 1 else (rows, n), np.float32)
        draws = np.random.RandomState(7).standard_normal((i1 - i0,) if n == 1 else (i1 - i0, n))
        ref[i0:i1] = draws * 1.0 * np.sqrt(0.1)
        np.testing.assert_array_equal(got, ref)
        got = np.asarray(bp.inputs.ou_process(0.3, 0.8, 4., 20., dt=0.1, n=n, t_start=1., seed=11))
        np.testing.assert_array_equal(got, ref_ou(0.3, 0.8, 4., 20., 0.1, n, 11, t_start=1.))
    # without a seed: numpy's global generator, as BrainPy 2.8.2
    np.random.seed(3)
    a = np.asarray(bp.inputs.wiener_process(5., dt=0.1, n=2))
    np.testing.assert_array_equal(a, np.asarray(bp.inputs.wiener_process(5., dt=0.1, n=2, seed=3)))


def test_wiener_process_law():
    # iid N(0, dt): mean, variance and lag-1 autocorrelation within 5 standard errors
    dt, T, n = 0.1, 200, 500
    w = np.asarray(bp.inputs.wiener_process(T * dt, dt=dt, n=n, seed=2), np.float64)
    N = w.size
    assert abs(w.mean()) < 5 * math.sqrt(dt / N)
    assert abs(w.var(ddof=1) - dt) < 5 * dt * math.sqrt(2 / (N - 1))
    r = np.sum(w[1:] * w[:-1]) / np.sum(w * w)
    assert abs(r) < 5 / math.sqrt((T - 1) * n)


def test_ou_process_law():
    # Euler-Maruyama from X_0 = mean: X_k = (1-a) X_{k-1} + a mean + s z, a = dt/tau, s = sigma sqrt(dt):
    # E X_k = mean, Var X_k = s^2 (1 - (1-a)^(2k)) / (1 - (1-a)^2), Cov(X_k, X_{k-L}) = (1-a)^L Var X_{k-L}
    mean, sigma, tau, dt, T, n = 1.0, 0.5, 2.0, 0.1, 200, 4000
    x = np.asarray(bp.inputs.ou_process(mean, sigma, tau, T * dt, dt=dt, n=n, seed=5), np.float64)
    a, s2 = dt / tau, sigma ** 2 * dt

    def var(k):  # row k-1 holds X_k
        return s2 * (1 - (1 - a) ** (2 * k)) / (1 - (1 - a) ** 2)

    for k in (1, 20, T):  # n independent processes per row
        row = x[k - 1]
        assert abs(row.mean() - mean) < 5 * math.sqrt(var(k) / n), k
        assert abs(row.var(ddof=1) - var(k)) < 5 * var(k) * math.sqrt(2 / (n - 1)), k
    for lag in (1, 10):
        rho = (1 - a) ** lag * math.sqrt(var(T - lag) / var(T))
        est = np.corrcoef(x[T - 1], x[T - 1 - lag])[0, 1]
        assert abs(est - rho) < 5 * (1 - rho ** 2) / math.sqrt(n), lag


def test_durations_that_are_not_whole_steps_are_rounded_up_as_brainpys():
    # BrainPy 2.8.2 (ceil(duration / dt) rows in float32), from its own runs:
    # section_input([0, 1], [0.15, 0.26], dt=0.1, return_length=True) -> [0, 0, 1, 1, 1], 0.41000000000000003;
    # section_input([0, 1], [1.1, 0.3]) has 14 rows; [0, 1, 0] for [10.05, 5.04, 10.] has 252 rows, sum 51;
    # ramp_input(0, 1, 1.05, t_start=0.23, t_end=0.87) -> 0, 0, 0, 0, .2, .4, .6, .8, 1, 0, 0; ramp over 1.1 ms: 11
    import brainbatch.brainpy as bp

    current, total = bp.inputs.section_input([0., 1.], [0.15, 0.26], dt=0.1, return_length=True)
    assert np.asarray(current).tolist() == [0., 0., 1., 1., 1.] and total == 0.41000000000000003
    current, total = bp.inputs.constant_input([(0., 0.15), (np.array([1., 2.]), 0.26)], dt=0.1)
    assert np.asarray(current).tolist() == [[0., 0.]] * 2 + [[1., 2.]] * 3 and total == 0.41000000000000003
    assert np.shape(bp.inputs.section_input([0., 1.], [1.1, 0.3], dt=0.1)) == (14,)
    long = np.asarray(bp.inputs.section_input([0., 1., 0.], [10.05, 5.04, 10.], dt=0.1))
    assert long.shape == (252,) and long.sum() == 51.0
    np.testing.assert_allclose(bp.inputs.ramp_input(0, 1, 1.05, t_start=0.23, t_end=0.87, dt=0.1),
                               [0., 0., 0., 0., .2, .4, .6, .8, 1., 0., 0.], atol=1e-7)
    assert np.shape(bp.inputs.ramp_input(0, 1, 1.1, dt=0.1)) == (11,)
    with pytest.raises(ValueError, match="durations\\[1\\] must be a finite number of ms >= 0, got -1"):
        bp.inputs.section_input([0., 1.], [1., -1], dt=0.1)


def test_a_ramp_outside_its_duration_or_reversed_is_refused():
    # BrainPy 2.8.2: t_end=5 past duration=1 is "could not broadcast input array from shape (50,) into shape (10,)",
    # t_start=0.8 after t_end=0.2 "Number of samples, -6, must be non-negative" (here: cut short, and all zeros)
    with pytest.raises(ValueError, match=r"ramp_input: t_end must be <= duration, got t_end=5.0, duration=1.0"):
        bp.inputs.ramp_input(0., 1., 1., t_start=0., t_end=5., dt=0.1)
    with pytest.raises(ValueError, match=r"ramp_input: t_start must be <= t_end, got t_start=0.8, t_end=0.2"):
        bp.inputs.ramp_input(0., 1., 1., t_start=0.8, t_end=0.2, dt=0.1)
    # t_end left out is the duration: a start after it is named against the duration
    with pytest.raises(ValueError, match=r"ramp_input: t_start must be <= duration, got t_start=1.2, duration=1.0"):
        bp.inputs.ramp_input(0., 1., 1., t_start=1.2, dt=0.1)
    with pytest.raises(ValueError, match=r"t_start must be a finite number of ms >= 0, got -0.1"):
        bp.inputs.ramp_input(0., 1., 1., t_start=-0.1, dt=0.1)
    with pytest.raises(ValueError, match=r"ramp_input: t_start must be <= t_end, got t_start=Quantity\(0.5, \"ms\"\)"):
        bp.inputs.ramp_input(0. * u.nA, 1. * u.nA, 1. * u.ms, t_start=0.5 * u.ms, t_end=0.2 * u.ms, dt=0.1)
    with pytest.raises(TypeError, match=r"ramp_input: c_end must be a number or an array of numbers .*got 'x'"):
        bp.inputs.ramp_input(0., "x", 1., dt=0.1)


def test_a_ramp_inside_its_duration_is_brainpys():
    # BrainPy 2.8.2: ramp_input(0, 1, 1, t_end=1, dt=0.1) and with t_end=None are linspace(0, 1, 10) on all rows;
    # t_start = t_end = 0.5 (and t_start = duration) give zeros
    whole = np.linspace(0., 1., 10)
    np.testing.assert_allclose(bp.inputs.ramp_input(0., 1., 1., t_end=1., dt=0.1), whole, atol=1e-7)
    np.testing.assert_allclose(bp.inputs.ramp_input(0., 1., 1., dt=0.1), whole, atol=1e-7)
    assert np.asarray(bp.inputs.ramp_input(0., 1., 1., t_start=0.5, t_end=0.5, dt=0.1)).tolist() == [0.] * 10
    assert np.asarray(bp.inputs.ramp_input(0., 1., 1., t_start=1., dt=0.1)).tolist() == [0.] * 10
    ramp = bp.inputs.ramp_input(0. * u.nA, 1. * u.nA, 1. * u.ms, t_start=0.2 * u.ms, t_end=1. * u.ms, dt=0.1 * u.ms)
    assert u.get_unit(ramp) == u.nA
    np.testing.assert_allclose(ramp.to_decimal(u.nA)[2:], np.linspace(0., 1., 8), atol=1e-6)


def test_sections_that_are_not_numbers_are_named():
    # BrainPy 2.8.2 refuses '5' and 'a' ("Cannot create a Quantity from a str mantissa"); here float('5') made '5'
    # 5 ms, and 'a' was numpy's "could not convert string to float: 'a'"
    with pytest.raises(TypeError, match=r"durations\[0\] must be a number of ms, got '5'"):
        bp.inputs.section_input([1.], ['5'], dt=0.1)
    with pytest.raises(TypeError, match=r"section_input: values\[0\] must be a number or an array of numbers "
                                        r"\(or a quantity\), got 'a'"):
        bp.inputs.section_input(['a'], [1.], dt=0.1)
    with pytest.raises(TypeError, match=r"section_input: values\[1\] must be .*got \[1.0, 'b'\]"):
        bp.inputs.section_input([0., [1., 'b']], [1., 1.], dt=0.1)
    # a triple was "too many values to unpack (expected 2)" (in BrainPy 2.8.2 too)
    with pytest.raises(ValueError, match=r"constant_input: I_and_duration\[0\] must be a \(value, duration\) pair, "
                                         r"got \(1.0, 5.0, 3.0\)"):
        bp.inputs.constant_input([(1., 5., 3.)], dt=0.1)
    with pytest.raises(TypeError, match=r"constant_input: I_and_duration\[1\] must be a \(value, duration\) pair, "
                                        r"got 2.0"):
        bp.inputs.constant_input([(1., 0.5), 2.], dt=0.1)


def test_sections_of_quantities_and_arrays_still_work():
    # a plain 2. beside 1 nA is refused, as BrainPy 2.8.2 refuses it (tests/models/test_inputs_currents.py)
    current, total = bp.inputs.constant_input([(1. * u.nA, 0.2 * u.ms), (2. * u.nA, 0.1)], dt=0.1)
    assert u.get_unit(current) == u.nA and np.asarray(current.to_decimal(u.nA)).tolist() == [1., 1., 2.]
    assert total == pytest.approx(0.3)
    rows = np.array([[1., 0.2], [2., 0.1]])  # an array of (value, duration) rows, as BrainPy unpacks it
    assert np.asarray(bp.inputs.constant_input(rows, dt=0.1)[0]).tolist() == [1., 1., 2.]
    assert np.shape(bp.inputs.section_input([np.ones(2), 2.], [0.2, 0.1], dt=0.1)) == (3, 2)
