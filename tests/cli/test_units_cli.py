"""Swept values with units (docs/units.md, "Sweeps"): parsed, converted to one unit per parameter, and
written as the coordinate's CF ``units`` attribute; bad units are one line, exit 2, nothing written."""

import numpy as np
import pytest
import xarray as xr
from click.testing import CliRunner

from brainbatch.cli import main

PLAIN = """
import brainbatch as bb

monitors = {"V": "G.V"}
duration = 1.0

def build(tau=20.0, V0=-50.0):
    g = bb.LIF(2, tau=tau, V_rest=-60., V_initializer=V0)
    return bb.Network(G=g)
"""

WITH_UNITS = """
import brainunit as u
import brainbatch as bb

monitors = {"V": "G.V"}
duration = 1.0 * u.ms
seen = []

def build(tau=20.0 * u.ms, g=1.0 * u.nS):
    assert isinstance(tau, u.Quantity) and isinstance(g, u.Quantity), (tau, g)
    return bb.Network(G=bb.LIF(2, tau=tau, V_rest=-60. * u.mV, V_initializer=-50. * u.mV, R=g / (1.0 * u.nS)))
"""


def _sweep(tmp_path, body, *args):
    (tmp_path / "exp.py").write_text(body)
    out = tmp_path / "s.zarr"
    result = CliRunner().invoke(main, ["sweep", str(tmp_path / "exp.py"), "--out", str(out), "-q", *args])
    return result, out


def test_a_plain_parameter_takes_time_values_in_any_unit_and_stores_ms(tmp_path):
    result, out = _sweep(tmp_path, PLAIN, "-p", "tau=10ms,0.03s")
    assert result.exit_code == 0, result.output
    ds = xr.open_zarr(out)
    assert ds.tau.values.tolist() == [10.0, 30.0] and ds.tau.attrs["units"] == "ms"
    # the same run with the plain numbers gives the same V, bitwise
    ref, ref_out = _sweep(tmp_path, PLAIN, "-p", "tau=10,30", "--out", str(tmp_path / "p.zarr"))
    assert ref.exit_code == 0, ref.output
    np.testing.assert_array_equal(ds.V.values, xr.open_zarr(tmp_path / "p.zarr").V.values)
    assert "units" not in xr.open_zarr(tmp_path / "p.zarr").tau.attrs


def test_a_parameter_with_a_unit_default_gets_quantities_and_keeps_its_unit(tmp_path):
    result, out = _sweep(tmp_path, WITH_UNITS, "-p", "g=1,2000pS", "-p", "tau=0.01s")
    assert result.exit_code == 0, result.output
    ds = xr.open_zarr(out)
    assert ds.g.values.tolist() == [1.0, 2.0] and ds.g.attrs["units"] == "nS"
    assert ds.tau.values.tolist() == [10.0] and ds.tau.attrs["units"] == "ms"
    assert ds.time.attrs["units"] == "ms" and ds.V.attrs["units"] == "mV"


def test_ranges_take_units(tmp_path):
    result, out = _sweep(tmp_path, PLAIN, "-p", "tau=5ms:0.02s", "--samples", "4")
    assert result.exit_code == 0, result.output
    ds = xr.open_zarr(out)
    assert ds.tau.attrs["units"] == "ms"
    assert np.all((ds.tau.values >= 5) & (ds.tau.values <= 20))


@pytest.mark.parametrize("value, message", [
    ("tau=10ms,5mV", "mixes units of different dimensions"),
    ("tau=10furlongs", "unknown unit 'furlongs'"),
    ("tau=10msec", "unknown unit 'msec' in '10msec' (units such as ms, second, mV, Hz, nS, pA). Did you mean 'ms'?"),
    ("V0=-50mv", "Did you mean 'mV'?"),  # a unit in the wrong case
    ("V0=-50nS", "has a plain default, and nS has no plain-number convention"),
])
def test_bad_units_are_one_line_exit_2_nothing_written(tmp_path, value, message):
    result, out = _sweep(tmp_path, PLAIN, "-p", value)
    assert result.exit_code == 2, result.output
    assert message in result.output and not out.exists()


def test_a_wrong_dimension_for_a_unit_default_is_refused(tmp_path):
    result, out = _sweep(tmp_path, WITH_UNITS, "-p", "tau=5mV")
    assert result.exit_code == 2 and "parameter 'tau' is in ms, got 5mV" in result.output
    assert not out.exists()


def test_show_and_plot_label_values_with_their_units(tmp_path):
    (tmp_path / "exp.py").write_text(PLAIN.replace('monitors = {"V": "G.V"}', 'monitors = {"V": "G.V", "S": "G.spike"}'))
    out = tmp_path / "s.zarr"
    runner = CliRunner()
    result = runner.invoke(main, ["sweep", str(tmp_path / "exp.py"), "--out", str(out), "-q", "-p", "tau=10ms,20ms"])
    assert result.exit_code == 0, result.output
    shown = runner.invoke(main, ["show", str(out)])
    assert "tau: [10.0, 20.0] ms" in shown.output
    from brainbatch.cli.plots import _labels
    assert _labels(xr.open_zarr(out), {"tau": 10.0, "seed": 0}) == "tau=10.0 ms, seed=0"
    # units audit: plot refused a value with its unit ("takes a number"); now read in the store's unit
    for given in ("tau=20ms", "tau=0.02s"):
        drawn = runner.invoke(main, ["plot", str(out), "--seed", "0", "-p", given, "--out", str(tmp_path / "fig")])
        assert drawn.exit_code == 0 and "Traceback" not in drawn.output, drawn.output
    wrong = runner.invoke(main, ["plot", str(out), "--seed", "0", "-p", "tau=20mV", "--out", str(tmp_path / "fig")])
    assert wrong.exit_code == 2 and "parameter 'tau' is in ms, got 20mV" in wrong.output, wrong.output


def test_show_gives_a_sampled_parameter_its_unit(tmp_path):
    (tmp_path / "exp.py").write_text(PLAIN)
    out = tmp_path / "s.zarr"
    runner = CliRunner()
    result = runner.invoke(main, ["sweep", str(tmp_path / "exp.py"), "--out", str(out), "-q", "-p", "tau=10ms:30ms",
                                  "--samples", "2"])
    assert result.exit_code == 0, result.output
    shown = runner.invoke(main, ["show", str(out)]).output
    assert "tau: 10.0:30.0 ms (uniform)" in shown and "sample 0: tau=" in shown and " ms\n" in shown, shown


STRICT = """
import brainunit as u
import brainbatch as bb

bb.strict_units(True)
monitors = {"V": "G.V"}
duration = 1.0 * u.ms

def build(tau=20.0 * u.ms):
    return bb.Network(G=bb.LIF(2, tau=tau, V_rest=-60. * u.mV, V_initializer=-50. * u.mV))
"""


def test_strict_units_hold_the_files_own_values_not_the_defaults_it_never_wrote(tmp_path):
    import brainbatch as bb

    try:  # the file leaves dt to brainbatch's default: it was refused as "dt takes a time ... write 0.1 * u.ms"
        result, out = _sweep(tmp_path, STRICT)
        assert result.exit_code == 0, result.output
        result, _ = _sweep(tmp_path, STRICT.replace("1.0 * u.ms", "1.0"), "--out", str(tmp_path / "t.zarr"))
        assert result.exit_code == 2 and "duration takes a time in ms and strict units are on" in result.output
    finally:
        bb.strict_units(False)


RATE = """
import brainbatch as bb

monitors = {"spikes": "E.spike"}
duration = 1.0

def build(rate=10.0, tau=20.0):
    E = bb.LIF(4, tau=tau)
    return bb.Network(E=E, inp=bb.PoissonInput(E.V, 10, freq=rate, weight=1.0))
"""


def test_a_unit_the_model_does_not_take_for_a_plain_parameter_is_refused_by_the_model(tmp_path):
    # -p rate=10mV onto freq (Hz) ran at 10 Hz and labelled the store's rate in mV (newcomer audit)
    result, out = _sweep(tmp_path, RATE, "-p", "rate=10mV,20mV")
    assert result.exit_code == 2 and not out.exists(), result.output
    assert ("-p rate=10.0 mV: the model does not take rate in mV (PoissonInput: freq takes a rate (Hz), got 10.0 mV "
            "(a potential))") in result.output
    result, out = _sweep(tmp_path, RATE, "-p", "rate=0.01kHz,20Hz", "-p", "tau=0.02s")  # units it takes: converted
    assert result.exit_code == 0, result.output
    ds = xr.open_zarr(out)
    assert ds.rate.values.tolist() == [10.0, 20.0] and ds.rate.attrs["units"] == "Hz"


def test_duration_and_dt_take_a_unit_of_time_on_the_command_line_and_in_the_api(tmp_path):
    import brainunit as u

    import brainbatch as bb

    ms, out_ms = _sweep(tmp_path, PLAIN, "--duration", "2", "--dt", "0.1")
    assert ms.exit_code == 0, ms.output
    s, out_s = _sweep(tmp_path, PLAIN, "--duration", "0.002s", "--dt", "100 us", "--out", str(tmp_path / "u.zarr"))
    assert s.exit_code == 0, s.output
    a, b = xr.open_zarr(out_ms), xr.open_zarr(tmp_path / "u.zarr")
    assert a.sizes["time"] == b.sizes["time"] == 20 and a.attrs["dt"] == b.attrs["dt"] == 0.1
    np.testing.assert_array_equal(a.V.values, b.V.values)
    # the Python API takes quantities for both (a duration in seconds was a TypeError)
    api = bb.sweep(str(tmp_path / "exp.py"), duration=0.002 * u.second, dt=0.1 * u.ms,
                   out=str(tmp_path / "api.zarr"), progress=False)
    assert api.done == 1 and xr.open_zarr(tmp_path / "api.zarr").sizes["time"] == 20


@pytest.mark.parametrize("option, value, said", [
    ("--duration", "5mV", "'5mV' is not a time (mV)"),
    ("--duration", "1kg", "'1kg' is not a time (kg)"),
    ("--dt", "fast", "'fast' is not a time: give milliseconds (a number) or a number with a unit of time"),
    ("--duration", "3 parsecs", "unknown unit 'parsecs'"),
])
def test_a_duration_or_dt_that_is_no_time_is_refused_by_name_before_anything_is_written(tmp_path, option, value,
                                                                                        said):
    result, out = _sweep(tmp_path, PLAIN, option, value)
    assert result.exit_code == 2 and f"Invalid value for '{option}'" in result.output and said in result.output, \
        result.output
    assert not out.exists()


def test_a_converted_value_is_labelled_as_typed_without_the_conversions_last_bit(tmp_path):
    """0.0071 s is 7.1 ms: the label reads (and selects) as 7.1, not 7.1000000000000005."""
    result, out = _sweep(tmp_path, PLAIN, "-p", "tau=0.0071s,0.0203s")
    assert result.exit_code == 0, result.output
    ds = xr.open_zarr(out)
    assert ds.tau.values.tolist() == [7.1, 20.3]
    assert ds.V.sel(tau=7.1).shape == ds.V.sel(tau=20.3).shape  # the typed values select
    more, _ = _sweep(tmp_path, PLAIN, "-p", "tau=7.1ms,0.0203s,25ms")  # the same labels, plus a new one
    assert more.exit_code == 0, more.output
    assert xr.open_zarr(out).tau.values.tolist() == [7.1, 20.3, 25.0]


OWN_READING = """
import brainunit as u
import brainbatch as bb

monitors = {"V": "E.V", "u": "E.u", "LV": "L.V"}
duration = 20.0

def build(a=0.02, bias=100.0):
    # Izhikevich reads a plain a per ms; a LIF given C_m reads a plain I_bias in pA: neither is the
    # convention's Hz or mV, so a value typed in those units only means what it says as a quantity
    E = bb.Izhikevich(2, a=a)
    L = bb.LifRef(2, V_rest=-70 * u.mV, V_reset=-70 * u.mV, V_th=-40 * u.mV, tau=20 * u.ms, tau_ref=2 * u.ms,
                  C_m=200 * u.pF, I_bias=bias)
    return bb.Network(E=E, L=L)
"""


def test_a_value_in_a_unit_onto_a_plain_default_reaches_the_model_as_that_quantity(tmp_path):
    # -p a=20Hz is a = 0.02 per ms, not 20 per ms; -p bias=10mV with C_m = 200 pF and tau = 20 ms is
    # 10 mV * C_m / tau = 100 pA, not 10 pA: each equals the run given the model's own plain numbers, bitwise
    (tmp_path / "own").mkdir()
    result, out = _sweep(tmp_path, OWN_READING, "-p", "a=20Hz", "-p", "bias=10mV")
    assert result.exit_code == 0, result.output
    ref, _ = _sweep(tmp_path / "own", OWN_READING, "-p", "a=0.02", "-p", "bias=100.0")
    assert ref.exit_code == 0, ref.output
    ds, plain = xr.open_zarr(out), xr.open_zarr(tmp_path / "own" / "s.zarr")
    assert ds.a.values.tolist() == [20.0] and ds.a.attrs["units"] == "Hz"
    assert ds.bias.values.tolist() == [10.0] and ds.bias.attrs["units"] == "mV"
    for name in ("V", "u", "LV"):
        np.testing.assert_array_equal(ds[name].values, plain[name].values)


KEPT_FOR_THE_STEP = """
import jax.numpy as jnp
import brainbatch as bb

monitors = {"V": "G.V"}
duration = 0.5


class Leaky(bb.NeuGroup):
    # keeps `drive` as it is given and meets it only in its step, on a unitless V
    def __init__(self, size, drive=1.0):
        super().__init__(size)
        self.drive = drive
        self.V = bb.Variable(jnp.zeros(size))

    def update(self, x=None):
        self.V.value = self.V.value * 0.5 + self.drive


def build(drive=1.0):
    return bb.Network(G=Leaky(2, drive=drive))
"""


def test_a_model_that_meets_the_quantity_only_in_its_step_gets_the_plain_number(tmp_path):
    # the build takes 5 ms as it is, but the step adds it to a unitless V: a quantity would fail every run
    # after the store is made, so the model gets the convention's plain numbers, as one that refuses it in build
    (tmp_path / "plain").mkdir()
    result, out = _sweep(tmp_path, KEPT_FOR_THE_STEP, "-p", "drive=5ms,0.006s")
    assert result.exit_code == 0, result.output
    ref, _ = _sweep(tmp_path / "plain", KEPT_FOR_THE_STEP, "-p", "drive=5,6")
    assert ref.exit_code == 0, ref.output
    ds, plain = xr.open_zarr(out), xr.open_zarr(tmp_path / "plain" / "s.zarr")
    assert ds.drive.values.tolist() == [5.0, 6.0] and ds.drive.attrs["units"] == "ms"
    assert (ds.status.values == ds.status.attrs["flag_meanings"].split().index("done")).all()
    np.testing.assert_array_equal(ds.V.values, plain.V.values)
    np.testing.assert_allclose(ds.V.values[..., -1, 0], [[2 * 5.0 * (1 - 0.5 ** 5), 2 * 6.0 * (1 - 0.5 ** 5)]], rtol=1e-6)


MODULE_SWEEP = """
import brainunit as u
import brainbatch as bb

sweep = {"tau": [10 * u.ms, 0.02 * u.second]}
monitors = {"V": "G.V"}
duration = 1.0

def build(tau=20.0):
    return bb.Network(G=bb.LIF(2, tau=tau))
"""


def test_the_dry_run_shows_each_axis_with_its_unit_and_reads_a_module_sweep_of_quantities(tmp_path):
    result, out = _sweep(tmp_path, MODULE_SWEEP, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "tau = [10.0, 20.0] ms (module sweep)" in result.output
    result, _ = _sweep(tmp_path, MODULE_SWEEP, "--dry-run", "-p", "tau=5ms")
    assert result.exit_code == 0 and "tau = [5.0] ms (-p, replaces the module's values)" in result.output
    # -p giving exactly the module's values was labelled "(module sweep)", as if no -p had been typed
    result, _ = _sweep(tmp_path, MODULE_SWEEP, "--dry-run", "-p", "tau=10ms,0.02s")
    assert result.exit_code == 0 and "tau = [10.0, 20.0] ms (-p, the module's own values)" in result.output
    # a sampled range shows its unit too, the module's own range (bb.Range of quantities) as -p's
    for args, body in ((("-p", "tau=0.01s:30ms"), MODULE_SWEEP),
                       ((), MODULE_SWEEP.replace("[10 * u.ms, 0.02 * u.second]", "bb.Range(10 * u.ms, 0.03 * u.second)"))):
        result, _ = _sweep(tmp_path, body, "--dry-run", "--samples", "2", *args)
        assert result.exit_code == 0, result.output
        assert "sample seed 0: tau in 10:30 ms (dim 'sample'" in result.output, result.output
        assert "points      sample 0: tau=" in result.output and result.output.count(" ms\n") >= 2, result.output
    assert not out.exists()


def test_show_gives_a_fixed_parameter_the_unit_its_default_was_declared_in(tmp_path):
    body = WITH_UNITS.replace("def build(tau=20.0 * u.ms, g=1.0 * u.nS)", "def build(tau=0.02 * u.second, g=1.0 * u.nS)")
    result, out = _sweep(tmp_path, body, "-p", "g=1,2")
    assert result.exit_code == 0, result.output
    shown = CliRunner().invoke(main, ["show", str(out)])
    assert shown.exit_code == 0, shown.output
    assert "fixed: tau=0.02 s" in shown.output  # 0.02 is seconds, not the convention's ms
