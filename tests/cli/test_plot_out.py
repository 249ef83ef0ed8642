"""``plot`` writes into ``--out`` as ``sweep`` does (``--out-dir``, its older name, still works), and an
unknown ``--var`` is one clean line with its hint at the end (issue 21)."""
from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

from brainbatch.cli import main
from brainbatch.store import ResultStore, StoreSpec, VarSpec


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    spec = StoreSpec("toy", "h" * 64, {"we": [0.4]}, seeds=[0], n_steps=40, dt=0.1,
                     records=(VarSpec("E.spike", ("E_neuron",), (5,), "bool"),
                              VarSpec("E.V", ("E_neuron",), (5,), "float32", units="mV")))
    rs = ResultStore.create(tmp_path_factory.mktemp("plot") / "s.zarr", spec)
    idx = rs.run_index(seed=0, we=0.4)
    spikes = np.random.default_rng(0).random((40, 5)) < 0.2
    rs.write_record(idx, "E.spike", 0, spikes)
    rs.write_record(idx, "E.V", 0, np.linspace(-70, -50, 200, dtype=np.float32).reshape(40, 5))
    rs.mark_done(idx)
    return str(rs.path)


@pytest.mark.parametrize("option", ["--out", "--out-dir"])
def test_plot_writes_into_out_or_its_older_name(store, tmp_path, option):
    folder = tmp_path / option.strip("-")
    res = CliRunner().invoke(main, ["plot", store, option, str(folder)])
    assert res.exit_code == 0, res.output
    written = sorted(p.name for p in folder.iterdir())
    assert written and all(name.endswith(".png") for name in written), written
    assert f"wrote {folder}" in res.output


def test_an_unknown_var_is_one_line_with_the_hint_at_its_end(store, tmp_path):
    res = CliRunner().invoke(main, ["plot", store, "--var", "E.v", "--out", str(tmp_path)])
    assert res.exit_code == 2, res.output
    line = res.output.strip().splitlines()[-1]
    assert "--var 'E.v': " in line and "has no variable 'E.v'; plot draws spike variables (E.spike)" in line, line
    assert line.endswith("recorded numbers. Did you mean 'E.V'?") and ".;" not in line, line
    none = CliRunner().invoke(main, ["plot", store, "--var", "zzz", "--out", str(tmp_path)])
    assert none.output.strip().endswith("and traces of recorded numbers"), none.output


@pytest.mark.parametrize("window, fragment", [
    (["--t0", "3", "--t1", "1"], "--t0 3 must be below --t1 1 (ms)"),
    (["--t0", "50"], "select no sample of 'E.spike': its samples span 0..3.9 ms, the window is 50.. ms"),
    (["--t0", "10", "--t1", "20"], "select no sample"),
    (["--t1", "nan"], "--t1 must be a finite time in ms, got nan"),
    (["--bin-ms", "0"], "--bin-ms must be a positive number of ms, got 0.0"),
    (["--bin-ms", "1000"], "bin_ms 1000 is longer than the 4 ms 'E.spike' holds (40 samples of 0.1 ms)"),
])
def test_a_window_that_selects_nothing_is_one_line_and_writes_nothing(store, tmp_path, window, fragment):
    # an empty or reversed window failed inside the drawing with a traceback (cannot reshape an array of size 0)
    res = CliRunner().invoke(main, ["plot", store, *window, "--out", str(tmp_path / "p")])
    assert res.exit_code == 2, res.output
    assert fragment in res.output and "Traceback" not in res.output, res.output
    assert not list(tmp_path.glob("p/*.png"))


def test_plots_never_go_inside_a_zarr_store(store, tmp_path):
    # PNGs inside the store: every later read of it warned about objects that are no part of a Zarr hierarchy
    for out in (store, f"{store}/plots"):
        res = CliRunner().invoke(main, ["plot", store, "--out", out])
        assert res.exit_code == 2 and f"is inside the Zarr store {store!r}; give a folder outside it" in res.output
    assert not [p for p in __import__("pathlib").Path(store).rglob("*.png")]


def test_a_window_inside_the_run_draws(store, tmp_path):
    res = CliRunner().invoke(main, ["plot", store, "--t0", "1", "--t1", "2", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert any("t1-2" in p.name for p in tmp_path.iterdir())


def test_a_window_takes_a_unit_of_time_as_duration_and_dt_do(store, tmp_path):
    # --t0 1000us was 'not a valid float'
    res = CliRunner().invoke(main, ["plot", store, "--t0", "1000us", "--t1", "0.002s", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert any("t1-2" in p.name for p in tmp_path.iterdir())
    bad = CliRunner().invoke(main, ["plot", store, "--t0", "3mV", "--out", str(tmp_path / "q")])
    assert bad.exit_code == 2 and "--t0" in bad.output and "mV" in bad.output, bad.output
    # --bin-ms too ('5ms' was 'not a valid float'): the same figure as 0.4 (ms)
    drawn = {}
    for text in ("0.4", "0.4ms", "400us"):
        res = CliRunner().invoke(main, ["plot", store, "--bin-ms", text, "--out", str(tmp_path / text)])
        assert res.exit_code == 0, res.output
        drawn[text] = sorted(p.name for p in (tmp_path / text).iterdir())
    assert drawn["0.4"] and drawn["0.4"] == drawn["0.4ms"] == drawn["400us"], drawn
    bad = CliRunner().invoke(main, ["plot", store, "--bin-ms", "2mV", "--out", str(tmp_path / "r")])
    assert bad.exit_code == 2 and "--bin-ms" in bad.output and "mV" in bad.output, bad.output


def test_show_with_a_missing_experiment_file_says_so_before_any_summary(store, tmp_path):
    res = CliRunner().invoke(main, ["show", store, "--experiment", str(tmp_path / "nowhere.py")])
    assert res.exit_code == 2, res.output
    assert res.output.strip().splitlines() == [f"Error: --experiment '{tmp_path / 'nowhere.py'}' is not a file"]
    (tmp_path / "notes.txt").write_text("mine")  # a file that is no experiment: it printed the summary, then failed
    res = CliRunner().invoke(main, ["show", store, "--experiment", str(tmp_path / "notes.txt")])
    assert res.exit_code == 2 and res.output.strip().splitlines() == [
        f"Error: --experiment '{tmp_path / 'notes.txt'}' is not an experiment: give its Python file (.py)"], res.output


def test_a_parameter_given_twice_gets_plots_one_value_advice(store, tmp_path):
    # the advice was a sweep's, "list all values in one -p we=V1,V2", which plot then refused ("plot draws one run")
    res = CliRunner().invoke(main, ["plot", store, "-p", "we=0.4", "-p", "we=0.6", "--out", str(tmp_path)])
    assert res.exit_code == 2, res.output
    assert res.output.strip().splitlines()[-1] == (
        "Error: parameter 'we' is given twice; plot draws one run: select it with one value, -p we=V")
