"""The command line against a newcomer and a hostile user (session 36): ``plot --t0/--t1`` draws the window
``[t0, t1)`` that every ``t0``/``t1`` of ``ds.bb`` uses, and bad input answered in one line (exit 2), never a
traceback."""
from __future__ import annotations

import numpy as np
import pytest
from _support import invoke, refused_in_one_line

from brainbatch.store import ResultStore, StoreSpec, VarSpec, open_results


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """One done run: 40 steps of 0.1 ms (samples at 0.0 .. 3.9 ms), a spike of every neuron at every step."""
    spec = StoreSpec("toy", "h" * 64, {"we": [0.4]}, seeds=[0], n_steps=40, dt=0.1,
                     records=(VarSpec("E.spike", ("E_neuron",), (3,), "bool"),
                              VarSpec("E.V", ("E_neuron",), (3,), "float32", units="mV")))
    rs = ResultStore.create(tmp_path_factory.mktemp("s36") / "s.zarr", spec)
    idx = rs.run_index(seed=0, we=0.4)
    rs.write_record(idx, "E.spike", 0, np.ones((40, 3), bool))
    rs.write_record(idx, "E.V", 0, np.linspace(-70, -50, 120, dtype=np.float32).reshape(40, 3))
    rs.mark_done(idx)
    return str(rs.path)


def test_plot_window_is_the_accessors_half_open_window(store):
    from brainbatch.cli.plots import _window

    ds = open_results(store)
    for var in ("E.spike", "E.V"):
        # [1, 2) holds the samples 1.0 .. 1.9 ms: ten, not the closed window's eleven (2.0 was drawn too)
        times = ds[var].sel(_window(ds, var, (1.0, 2.0, None)))["time"].values
        assert np.allclose(times, np.arange(10, 20) / 10), times
        # 0.1 * 3 is 0.30000000000000004: the label 0.3 counts as on the bound, as in ds.bb
        assert ds[var].sel(_window(ds, var, (0.1 * 3, 0.1 * 6, None)))["time"].size == 3
    # the samples ds.bb's statistics use: every neuron spikes at every step, so isi_hist over [1, 2) counts one
    # interval fewer per neuron than the window holds samples
    isis = ds.bb.isi_hist([0.05, 0.15], var="E.spike", t0=1.0, t1=2.0).sel(seed=0, we=0.4)
    assert int(isis.sum()) == 3 * (len(times) - 1), isis.values

def test_plot_t1_on_the_first_sample_selects_nothing_and_writes_nothing(store, tmp_path):
    # --t1 0 drew the sample at 0 ms (a closed window); [.., 0) holds none, as ds.bb.fano(t1=0) says
    res = invoke("plot", store, "--t1", "0", "--out", tmp_path / "p")
    assert refused_in_one_line(res), res.stderr
    assert "select no sample of 'E.spike'" in res.stderr and "not including, --t1" in res.stderr, res.stderr
    assert not (tmp_path / "p").exists() or not list((tmp_path / "p").iterdir())
    # a window of one sample at the run's end draws
    res = invoke("plot", store, "--t0", "3.9", "--t1", "4", "--out", tmp_path / "q")
    assert res.returncode == 0, res.stderr
    assert any("t3.9-4" in p.name for p in (tmp_path / "q").iterdir())


def test_a_misspelled_folder_gets_the_path_that_exists(tmp_path):
    # 'Experiments/coba.py' and 'results/cob/we.zarr' named the missing folder only, with no close match
    (tmp_path / "experiments").mkdir()
    (tmp_path / "experiments" / "coba.py").write_text("def build():\n    pass\n")
    spec = StoreSpec("coba", "h" * 64, {"we": [0.4]}, seeds=[0], n_steps=4, dt=0.1,
                     records=(VarSpec("E.spike", ("E_neuron",), (2,), "bool"),))
    ResultStore.create(tmp_path / "results" / "coba" / "we.zarr", spec)
    for args, meant in ((["sweep", "Experiments/coba.py", "--dry-run"], "experiments/coba.py"),
                        (["run", "experiment/cob.py"], "experiments/coba.py"),
                        (["status", "results/cob/we.zarr"], "results/coba/we.zarr"),
                        (["show", "Results/coba/we"], "results/coba/we.zarr")):
        res = invoke(*args, cwd=tmp_path)
        assert refused_in_one_line(res), res.stderr
        assert "does not exist" in res.stderr and res.stderr.strip().endswith(f"Did you mean {meant!r}?"), res.stderr
    # nothing close: the folder that is missing, and no guess
    res = invoke("status", "results/cob/other.zarr", cwd=tmp_path)
    assert refused_in_one_line(res) and "Did you mean" not in res.stderr, res.stderr
    assert "results/cob does not exist" in res.stderr, res.stderr


def test_show_says_a_store_no_sweep_finished_is_not_finished(store):
    # a store whose sweep was killed (or is under way) printed "finished: None"
    res = invoke("show", store)
    assert res.returncode == 0, res.stderr
    line = next(ln for ln in res.stdout.splitlines() if ln.strip().startswith("finished:"))
    assert "not yet" in line and "None" not in line, line


def test_plot_names_the_stored_values_with_their_unit(tmp_path):
    spec = StoreSpec("toy", "h" * 64, {"tau": [10.0, 20.0]}, seeds=[0], n_steps=4, dt=0.1,
                     records=(VarSpec("E.spike", ("E_neuron",), (2,), "bool"),), attrs={"param_units": {"tau": "ms"}})
    rs = ResultStore.create(tmp_path / "u.zarr", spec)
    res = invoke("plot", rs.path, "-p", "tau=15", "--out", tmp_path / "p")
    assert refused_in_one_line(res), res.stderr
    assert res.stderr.strip().endswith("tau=15 is not in the store; tau values are [10.0, 20.0] ms"), res.stderr


def test_an_experiment_after_allow_nan_is_named_as_taken_by_it(tmp_path):
    # --allow-nan takes an optional value: 'sweep --allow-nan exp.py' said only "Missing argument 'EXPERIMENT'"
    exp = tmp_path / "exp.py"
    exp.write_text("def build():\n    pass\n")
    for command in ("sweep", "run"):
        res = invoke(command, "--allow-nan", "exp.py", cwd=tmp_path)
        assert res.returncode == 2, res.stderr
        assert ("Missing argument 'EXPERIMENT': --allow-nan took 'exp.py' as its value" in res.stderr
                and f"(brainbatch {command} exp.py --allow-nan ...), or write --allow-nan=all" in res.stderr), res.stderr
    # a value that is no experiment: Click's own message
    res = invoke("sweep", "--allow-nan", "V", cwd=tmp_path)
    assert res.returncode == 2 and "Missing argument 'EXPERIMENT'." in res.stderr and "took" not in res.stderr
