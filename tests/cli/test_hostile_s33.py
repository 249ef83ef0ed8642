"""A careless or hostile user at the command line (session 33): options that contradict each other, empty
values and stores named oddly are refused in one line (exit 2) or handled, never a silent wrong result.
Stores are written with the store layer (no JAX); only ``show --experiment`` loads a small module."""
from __future__ import annotations

import os

import numpy as np
import pytest
from _support import TOY, invoke, tree, write_experiment

from brainbatch.store import ResultStore, StoreSpec, VarSpec


def _done_store(path, records, source_hash="h" * 64, experiment="toy", seeds=(0, 1)) -> str:
    """A store of ``records`` over seeds x we = 0.4, 0.6 whose every run is done (random spikes, a ramp of V)."""
    spec = StoreSpec(experiment, source_hash, {"we": [0.4, 0.6]}, seeds=list(seeds), n_steps=40, dt=0.1,
                     records=records)
    rs = ResultStore.create(str(path), spec)
    rng = np.random.default_rng(0)
    for seed in seeds:
        for we in (0.4, 0.6):
            idx = rs.run_index(seed=seed, we=we)
            for var in records:
                if var.dtype == "bool":
                    rs.write_record(idx, var.name, 0, rng.random((40, 5)) < 0.2)
                else:
                    rs.write_record(idx, var.name, 0, np.linspace(-70, -50, 200, dtype=np.float32).reshape(40, 5))
            rs.mark_done(idx)
    return str(rs.path)


SPIKES = VarSpec("spikes", ("E_neuron",), (5,), "bool")
V = VarSpec("V", ("E_neuron",), (5,), "float32", units="mV")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return _done_store(tmp_path_factory.mktemp("hostile") / "s.zarr", (SPIKES, V))


def refused(res, *fragments):
    assert res.returncode == 2, res.stdout + res.stderr
    assert "Traceback" not in res.stdout + res.stderr, res.stderr
    for fragment in fragments:
        assert fragment in res.stderr, res.stderr
    return res


def test_plot_refuses_a_seed_given_twice_that_disagrees(store, tmp_path):
    # -p seed=1 after --seed 0 silently won: the plot of seed 1 came out of a command that asked for seed 0
    refused(invoke("plot", store, "--seed", "0", "-p", "seed=1", "--out", tmp_path),
            "--seed 0 and -p seed=1 both select the seed and disagree")
    refused(invoke("plot", store, "--seed", "0", "-p", "seed=x", "--out", tmp_path), "--seed 0 and -p seed=x")
    assert not any(tmp_path.iterdir())
    same = invoke("plot", store, "--seed", "1", "-p", "seed=1", "-p", "we=0.4", "--out", tmp_path)
    assert same.returncode == 0, same.stderr
    assert "s_raster_seed1_we0.4.png" in same.stdout


@pytest.mark.parametrize("var", ["", " "])
def test_plot_refuses_an_empty_var(store, tmp_path, var):
    # --var '' drew every spike variable, as if --var were left out
    refused(invoke("plot", store, "--var", var, "--out", tmp_path), f"--var {var!r} names no variable")
    assert not any(tmp_path.iterdir())


def test_plot_hints_only_at_variables_it_draws(store, tmp_path):
    # 'nope' got "Did you mean 'done'?": the store's bookkeeping, which plot then refused as no spike raster
    res = refused(invoke("plot", store, "--var", "nope", "--out", tmp_path), "has no variable 'nope'")
    assert "Did you mean" not in res.stderr and res.stderr.strip().endswith("and traces of recorded numbers")
    refused(invoke("plot", store, "--var", "spikez", "--out", tmp_path), "Did you mean 'spikes'?")
    refused(invoke("plot", store, "--var", "v", "--out", tmp_path), "Did you mean 'V'?")


def test_plot_refuses_a_rate_bin_with_a_trace(store, tmp_path):
    # --bin-ms was ignored without a word: a trace has no population rate
    refused(invoke("plot", store, "--var", "V", "--bin-ms", "0.5", "--out", tmp_path),
            "--bin-ms is the bin of a spike variable's population rate; --var V draws traces")
    assert not any(tmp_path.iterdir())


def test_plot_of_a_store_path_ending_in_a_dot_names_its_files_by_the_store(store, tmp_path):
    # "s.zarr/." named every PNG "._raster_...": hidden files, named after no store
    res = invoke("plot", os.path.join(store, "."), "-p", "we=0.4", "--seed", "0", "--out", tmp_path)
    assert res.returncode == 0, res.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names and all(name.startswith("s_") for name in names), names


def test_plot_of_a_store_without_spikes_names_what_it_can_draw(tmp_path):
    path = _done_store(tmp_path / "v.zarr", (V,))
    refused(invoke("plot", path, "--out", tmp_path / "p"), "records no spike variable to plot",
            "with --var NAME (V)")
    assert invoke("plot", path, "--var", "V", "--out", tmp_path / "p").returncode == 0


ANALYSE = """
import os
import sys

def build(we=0.4):
    raise RuntimeError("show never builds")

def analyse(ds):
    how = os.environ.get("HOSTILE_ANALYSE")
    if how == "exit":
        sys.exit(0)
    if how == "none":
        return None
    if how == "lazy":
        return {"mean V": ds.V.mean()}
    class Unprintable:
        def __str__(self):
            raise ValueError("no text")
        __repr__ = __str__
    return {"odd": Unprintable()}
"""


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    from brainbatch.sweep.experiment import load_experiment

    folder = tmp_path_factory.mktemp("analyse")
    path = write_experiment(folder, "an.py", ANALYSE)
    store = _done_store(folder / "an.zarr", (V,), source_hash=load_experiment(path).source_hash, experiment="an",
                        seeds=(0,))
    return path, store


@pytest.mark.parametrize("how, line", [
    # sys.exit(0) in analyse ended show in silence with exit 0, its summary never printed nor explained
    ("exit", "analysis: analyse(ds) of {path} called sys.exit(0) instead of returning its summary"),
    ("none", "analysis: analyse(ds) of {path} returned None"),
    # a lazy 0-d mean printed as the multi-line repr of a dask array, its line breaks escaped on one line
    ("lazy", "  mean V: -60.0"),
    # a value whose text raises was a traceback, after the whole store summary
    ("odd", "  odd: <Unprintable: its text raised ValueError: no text>"),
])
def test_show_reports_what_analyse_did(analysed, monkeypatch, how, line):
    path, store = analysed
    monkeypatch.setenv("HOSTILE_ANALYSE", how)
    res = invoke("show", store, "--experiment", path)
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr
    lines = (res.stdout + res.stderr).splitlines()
    assert any(shown.startswith(line.format(path=path)) for shown in lines), res.stdout + res.stderr


def test_dask_refuses_devices_it_would_ignore(in_tmp):
    # --devices was silently ignored by the dask executor (its workers take their own device)
    for devices in ("cpu:2", "gpu"):
        refused(invoke("sweep", TOY, "--executor", "dask", "--devices", devices, "--dry-run"),
                f"--devices {devices} is an option of the local executor")
    refused(invoke("sweep", TOY, "--executor", "dask", "--devices", "cpu", "--out", in_tmp / "o.zarr"),
            "--devices cpu is an option of the local executor")
    assert tree(in_tmp) == []


def test_allow_nan_all_in_capitals_gets_all_as_its_hint(in_tmp):
    res = refused(invoke("sweep", TOY, "--allow-nan", "ALL", "--dry-run"), "names 'ALL'", "Did you mean 'all'?")
    assert res.stderr.strip().endswith("or 'all' for every one")
    assert tree(in_tmp) == []


@pytest.mark.parametrize("args, fragment", [
    # "a seed appears twice" left the user to find the overlap of two ranges
    (["--seeds", "3-5,1-4"], "bad seeds '3-5,1-4': a seed appears twice (3, 4); list each seed once"),
    (["-p", "drive=1.2,1.5,1.2"], "bad parameter 'drive=1.2,1.5,1.2': a value appears twice (1.2)"),
])
def test_a_repeated_seed_or_value_is_named(in_tmp, args, fragment):
    refused(invoke("sweep", TOY, *args, "--dry-run"), fragment)
    assert tree(in_tmp) == []


def test_quiet_wins_over_verbose_in_a_dry_run_as_in_the_sweep(in_tmp):
    # the real sweep lets -q win; the dry run printed the batch list all the same
    loud = invoke("sweep", TOY, "--seeds", "2", "--duration", "5", "-v", "--dry-run")
    quiet = invoke("sweep", TOY, "--seeds", "2", "--duration", "5", "-q", "-v", "--dry-run")
    assert loud.returncode == quiet.returncode == 0, loud.stderr + quiet.stderr
    extra = [line for line in loud.stdout.splitlines() if line not in quiet.stdout.splitlines()]
    assert extra and quiet.stdout.endswith("dry run: nothing was written\n"), (loud.stdout, quiet.stdout)


def test_names_that_differ_only_in_case_are_refused_before_anything_is_written(tmp_path, in_tmp):
    # on macOS's and Windows' file systems (case-insensitive) records 'V' and 'v' are one folder: one
    # record's chunks overwrote the other's and both read back as done
    from pathlib import Path

    source = Path(TOY).read_text().replace('monitors = {"spikes": "G.spike", "V": "G.V"}',
                                           'monitors = {"spikes": "G.spike", "V": "G.V", "v": "G.V"}')
    exp = write_experiment(tmp_path, "cased.py", source)
    out = tmp_path / "c.zarr"
    for dry in ((), ("--dry-run",)):
        refused(invoke("sweep", exp, "--seeds", "1", "--duration", "1", "--out", out, *dry),
                "record 'v' and record 'V' differ only in case")
        assert not out.exists()
