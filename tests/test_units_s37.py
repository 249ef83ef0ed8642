"""Units, session 37: values written as a Brian2 or brainunit user writes them (``10*ms``, ``u.Quantity([0.1, 0.2],
u.ms)``, ``Range(10000 * u.us, 20 * u.ms, integer=True)``, a JAX 64-bit run) give the plain-number values, and a
capital M typed for milli is refused instead of run 10^9 times too large.

The expected numbers are the plain numbers a user would type (docs/units.md: a bare number is ms, mV, Hz), and
SI's prefixes (M is 10^6, m 10^-3), not brainbatch's output."""
from pathlib import Path

import brainunit as u
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from click.testing import CliRunner

import brainbatch as bb
from brainbatch.cli import main
from brainbatch.sweep.errors import UsageError
from brainbatch.sweep.quantities import milliseconds, split_default, values_in_unit

LIF_TAU = str(Path(__file__).resolve().parent / "sweep" / "experiments" / "lif_tau.py")  # def build(n=4, tau=20.0)


def test_a_number_joined_to_its_unit_by_a_star_reads_as_written():
    # Brian2 and brainunit code write 10*ms and 10 * u.ms: it was "parameter 'tau' takes a number, got '10*ms'"
    assert values_in_unit("tau", ["10*ms", "20 * ms", "0.03 * u.second"], None) == ([10.0, 20.0, 30.0], u.ms)
    assert values_in_unit("bias", ["0.5*u.mV/u.ms"], u.mV / u.ms)[0] == [0.5]
    assert milliseconds("--duration", "2*ms") == 2.0
    assert milliseconds("--dt", "100 * u.us") == 0.1


def test_a_capital_M_for_milli_is_refused_naming_the_slip(tmp_path):
    # "10Ms" is 10 megaseconds, 1e10 ms (SI: M = 10^6), "-50MV" -50 megavolts: both ran without a word
    for typed, meant in (("10Ms", "10ms"), ("-50 MV", "-50mV")):
        with pytest.raises(UsageError, match=f"the case of a unit matters .* write {meant}"):
            values_in_unit("x", [typed], None)
    with pytest.raises(UsageError, match="1e\\+09 ms"):
        milliseconds("--duration", "1Ms")
    # spelled out it is taken, and a unit of another dimension is its own (mS: millisiemens, not ms)
    assert values_in_unit("x", ["1 Msecond"], None)[0] == [1e9]
    assert values_in_unit("g", ["10mS"], u.nS)[0] == [1e7]
    res = CliRunner().invoke(main, ["sweep", LIF_TAU, "-p", "tau=10Ms", "--dry-run", "--out", str(tmp_path / "s.zarr")])
    err = res.stderr.strip().splitlines()
    assert res.exit_code == 2 and len(err) == 1 and err[0].startswith("Error: "), res.output
    assert "'10Ms' is in Ms" in err[0] and "write 10ms" in err[0]
    assert not (tmp_path / "s.zarr").exists()


def test_float32_quantities_are_labelled_by_the_decimal_typed():
    # brainunit keeps u.Quantity([0.1, 0.2], u.ms) and u.math.linspace as JAX float32: labelled 0.100000001490116 ms
    # (ds.sel(tau=0.1) found nothing) while the model given the same quantity ran 0.1
    assert values_in_unit("tau", [u.Quantity([0.1, 0.2], u.ms)], None) == ([0.1, 0.2], u.ms)
    assert values_in_unit("tau", [jnp.array([0.01, 0.02]) * u.second], None)[0] == [10.0, 20.0]
    assert values_in_unit("tq", [jnp.float32(0.3) * u.ms], u.ms)[0] == [0.3]
    assert split_default("tq", jnp.float32(0.1) * u.ms) == (0.1, u.ms)
    # a dimensionless quantity is a plain number ("1 has no plain-number convention ... def build(w=... * 1)")
    assert values_in_unit("w", [0.05 * u.UNITLESS], None) == ([0.05], None)


def test_range_bounds_in_other_units_and_the_unit_keyword():
    # 20 ms is 20000 us exactly; the conversion's 20000.000000000004 refused the integer range
    assert bb.Range(10000 * u.us, 20 * u.ms, integer=True) == bb.Range(10000, 20000, integer=True, unit="us")
    assert bb.Range(jnp.float32(0.1) * u.ms, jnp.float32(0.3) * u.ms).low == 0.1
    # unit= as a brainunit unit ("'Unit' object is not subscriptable"), bounds converted to it, a plain one in it
    assert bb.Range(10, 20, unit=u.ms) == bb.Range(10, 20, unit="ms")
    assert bb.Range(0.01 * u.second, 20, unit="ms") == bb.Range(10.0, 20.0, unit="ms")
    assert bb.Range(0.01 * u.second, 20, unit="ms").text() == "10ms:20ms"
    with pytest.raises(UsageError, match=r"unit='msec' is no unit .* Did you mean 'ms'\?"):
        bb.Range(10, 20, unit="msec")  # was taken, and refused only when the sweep was planned
    with pytest.raises(UsageError, match="high bound 20 mV is not a time, as unit='ms' is"):
        bb.Range(10 * u.ms, 20 * u.mV, unit="ms")
    # dimensionless quantities are plain numbers (their text "0.05 1:0.1 1" read back as no number)
    assert bb.Range(0.05 * u.UNITLESS, 0.1 * u.UNITLESS) == bb.Range(0.05, 0.1)


def test_arrays_of_quantities_keep_jax_64_bit_floats():
    # under jax_enable_x64 a plain array parameter is float64, and the same array with its unit was float32: another
    # model (tau 0.10000000149011612 ms), where docs/units.md promises the plain-number model bitwise
    plain = np.array([0.1, 0.3])
    with jax.enable_x64(True):
        expected = np.asarray(bb.LifRef(2, tau=plain).tau)
        assert expected.dtype == np.float64
        for given in (plain * u.ms, [0.1 * u.ms, 0.3 * u.ms], np.array([1e-4, 3e-4]) * u.second):
            tau = np.asarray(bb.LifRef(2, tau=given).tau)
            assert tau.dtype == np.float64 and tau.tobytes() == expected.tobytes(), given
    # 32-bit runs keep float32, as before
    assert np.asarray(bb.LifRef(2, tau=plain * u.ms).tau).dtype == np.float32


def test_a_large_array_is_rounded_to_15_digits_in_numpy_as_each_scalar_is():
    # past _EXACT_ROUNDING elements the rounding is numpy's (element by element took 1.7 s per 10^6 under x64);
    # ties of x * 10**k (1 in 30 here) go element by element: every element as float(f"{x:.15g}")
    from brainbatch.core.units import _fifteen_digits

    rng = np.random.default_rng(0)
    x = np.concatenate([rng.uniform(0.001, 100, 20_000) * 1e-3 * 1e3,
                        rng.uniform(-1, 1, 20_000) * 10.0 ** rng.integers(-30, 30, 20_000),
                        [0.0, -0.0, np.nan, np.inf, 1e-320, 1e300]])
    expected = np.asarray([float(f"{v:.15g}") if np.isfinite(v) else v for v in x.tolist()])
    np.testing.assert_array_equal(_fifteen_digits(x), expected)


def test_a_range_in_megaseconds_reads_back_as_itself_not_as_a_slip(tmp_path):
    # its text was '1e-08Ms:2e-08Ms', which the case-slip rule refuses as 'Ms typed for ms'
    from brainbatch.sweep import SweepOptions, prepare

    r = bb.Range(1e-8 * u.Msecond, 2e-8 * u.Msecond)
    assert r.text() == "1e-08Msecond:2e-08Msecond" and bb.Range(10 * u.ms, 20 * u.ms).text() == "10ms:20ms"
    exp = tmp_path / "tiny.py"
    exp.write_text('import brainbatch as bb\nmonitors = {"s": "E.spike"}\n\n'
                   'def build(tau=10.0):\n    return bb.Network(E=bb.LifRef(3, tau=tau, name="E"))\n')
    plan = prepare(str(exp), SweepOptions(params={"tau": r}, samples=4, dry_run=True, duration=1.0)).plan
    taus = [dict(run.values)["tau"] for run in plan.runs]
    assert plan.units == {"tau": "ms"} and all(10.0 <= t <= 20.0 for t in taus), taus
