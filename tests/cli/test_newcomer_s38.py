"""Session 38, a hostile newcomer: what the docs' commands and bad input met that was not said well.

One small store (module scope) serves the CLI checks; the experiments' helpers are checked on plain arrays.
"""
import os

import numpy as np
import pytest
from click.testing import CliRunner

import brainbatch as bb
from brainbatch.cli.main import main
from brainbatch.core.units import unit_hint
from brainbatch.sweep import load_experiment

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

EXPERIMENT = '''"""A tiny LIF group for the newcomer checks."""
import brainunit as u

import brainbatch as bb

monitors = {"spikes": "E.spike"}
duration = 1.0


def build(w=0.5, gain=1.0 * u.UNITLESS):
    E = bb.LifRef(3, V_initializer=bb.Constant(-55.0))
    return bb.Network(E=E, drive=bb.PoissonInput(E.V, num_input=5, freq=100.0, weight=w))
'''


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("newcomer")
    (folder / "tiny.py").write_text(EXPERIMENT)
    out = folder / "w.zarr"
    bb.sweep(str(folder / "tiny.py"), params={"w": [0.5, 0.7]}, out=str(out), progress=False)
    return folder, str(out)


def test_show_names_the_experiment_file_a_misspelled_one_means(store):
    """``show --experiment tini.py`` said only "is not a file", where ``sweep tini.py`` names ``tiny.py``."""
    folder, path = store
    res = CliRunner().invoke(main, ["show", path, "--experiment", str(folder / "tini.py")])
    assert res.exit_code == 2, res.output
    assert res.output.strip().splitlines() == [
        f"Error: --experiment '{folder / 'tini.py'}' is not a file. Did you mean '{folder / 'tiny.py'}'?"]
    res = CliRunner().invoke(main, ["show", path, "--experiment", str(folder / "elsewhere.py")])
    assert res.output.strip().splitlines() == [f"Error: --experiment '{folder / 'elsewhere.py'}' is not a file"]


def test_plot_names_one_run_the_same_however_it_was_picked(store, tmp_path):
    """``plot -p w=0.5`` wrote ``w_raster_w0.5_seed0.png``, ``plot`` (the first done run, the same run)
    ``w_raster_seed0_w0.5.png``: two files of one picture, named in two orders."""
    _, path = store
    names = {}
    for args in ([], ["-p", "w=0.5"], ["--seed", "0", "-p", "w=0.5"]):
        out = tmp_path / str(len(args))
        res = CliRunner().invoke(main, ["plot", path, "--out", str(out), *args])
        assert res.exit_code == 0, res.output
        names[len(args)] = sorted(p.name for p in out.iterdir())
    assert names[0] == names[2] == names[4], names
    assert "w_raster_seed0_w0.5.png" in names[0], names


def test_show_gives_a_dimensionless_default_no_unit_1(store):
    """``def build(gain=1.0 * u.UNITLESS)`` showed ``fixed: gain=1.0 1``: a unit "1" read as a second number."""
    _, path = store
    res = CliRunner().invoke(main, ["show", path])
    assert res.exit_code == 0, res.output
    assert "fixed: gain=1.0\n" in res.output, res.output


def test_a_unit_spelled_out_gets_its_symbol():
    """``--duration '1 millisecond'`` got "Did you mean 'second'?", a thousand times what was meant."""
    assert [unit_hint(t) for t in ("millisecond", "microseconds", "nanosiemens", "picoamps", "kilohertz")] == [
        f" Did you mean {s!r}?" for s in ("ms", "us", "nS", "pA", "kHz")]
    assert unit_hint("msec") == " Did you mean 'ms'?" and unit_hint("milli") == ""
    res = CliRunner().invoke(main, ["sweep", "whatever.py", "--duration", "1 millisecond"])
    assert res.exit_code == 2 and "unknown unit 'millisecond'" in res.output, res.output
    assert res.output.rstrip().endswith("Did you mean 'ms'?"), res.output


@pytest.fixture(scope="module")
def experiments():
    return {name: load_experiment(os.path.join(ROOT, "experiments", f"{name}.py")).module
            for name in ("brunel", "whole_brain")}


def test_whole_brain_refuses_too_few_regions_to_connect(experiments):
    """``-p n=2`` (or 1, 3) made a connectome of 0 / 0: every run failed with "NaN in recorded variable 'x' at
    t = 0 ms; try a smaller dt"; ``n=0`` raised an IndexError."""
    connectome = experiments["whole_brain"].connectome
    for n in (-2, 0, 1, 3, True, 4.0):
        with pytest.raises(ValueError, match=rf"n must be a whole number of regions >= 4 .*got {n!r}$"):
            connectome(n)
    C, _ = connectome(4)
    assert np.isfinite(C).all() and C.max() == 1.0


def test_statistics_of_a_run_no_longer_than_the_transient_say_so(experiments):
    """``--duration 100`` (the statistics start at 200 ms): brunel's analyse raised "cannot reshape array of size
    0", whole_brain's gave NaN for every number without a word."""
    silent = np.zeros((1000, 4), bool)  # 100 ms at dt 0.1 ms
    with pytest.raises(ValueError, match=r"first 200 ms .* this run lasts 100 ms: sweep with a --duration of more "
                                         r"than 201 ms"):
        experiments["brunel"].statistics(silent, silent, dt=0.1)
    longer = np.zeros((2020, 4), bool)  # 1 ms after the transient: enough
    assert experiments["brunel"].statistics(longer, longer, dt=0.1)["rate"] == 0.0
    with pytest.raises(ValueError, match=r"first 200 ms .* 150 sample\(s\) every 1 ms: sweep with a --duration of "
                                         r"more than 202 ms"):
        experiments["whole_brain"].statistics(np.ones((150, 5)), 1.0)


def test_a_monitor_function_reading_an_unknown_shared_value_gets_the_names_it_can_read():
    """``monitors = {"f": lambda share: share["time"]}`` said "it holds ['dt', 'key', 't0', 'dt']": 'dt' twice, the
    documented 't' not at all, and no hint."""
    from brainbatch.core.context import share

    for name, meant in (("time", "t"), ("dtt", "dt"), ("step", "i")):
        with pytest.raises(AttributeError, match=rf"no value '{name}'; it holds \['dt', 'i', 'key', 't', 't0'\]\. "
                                                 rf"Did you mean '{meant}'\?$"):
            share[name]
