"""Several worker processes writing one store, and a worker killed in the middle of a run."""
from __future__ import annotations

import multiprocessing as mp
import os
import runpy
import signal
import time
from pathlib import Path

import numpy as np
import pytest

from brainbatch.store import ResultStore, open_results

WORKER = Path(__file__).with_name("_worker.py")
REPO = Path(__file__).resolve().parents[2]


def _worker_process(store_path, runs, stop_after=None, signal_file=None) -> mp.Process:
    # target is runpy.run_path (importable in any child), so the child needs nothing from this test module
    job = {"REPO": str(REPO), "STORE": str(store_path), "RUNS": [tuple(r) for r in runs],
           "STOP_AFTER": stop_after, "SIGNAL": str(signal_file) if signal_file else None}
    return mp.get_context("spawn").Process(
        target=runpy.run_path, args=(str(WORKER),), kwargs={"init_globals": job, "run_name": "__bb_worker__"})


def _check_runs(path, spec, worker, runs):
    ds = open_results(path, states=True)
    for run in runs:
        sel = {"seed": run.seed, "we": run.params["we"]}
        assert ds["done"].sel(sel).item()
        for var in spec.records:
            want = worker["record_values"](var, spec.n_steps, run.seed, run.params["we"])
            np.testing.assert_array_equal(ds[var.name].sel(sel).values, want, err_msg=f"{var.name} {sel}")
        for var in spec.states:
            np.testing.assert_array_equal(ds[f"states/{var.name}"].sel(sel).values,
                                          worker["state_values"](var, run.seed, run.params["we"]))


def test_four_processes_write_different_runs(tmp_path, make_spec, worker):
    spec = make_spec(seeds=[0, 1, 2, 3], params={"we": [0.4, 0.6, 0.8]}, n_steps=60)
    store = ResultStore.create(tmp_path / "s.zarr", spec)
    runs = [r.index for r in store.runs()]
    procs = [_worker_process(store.path, runs[k::4]) for k in range(4)]  # interleaved: neighbours in different processes
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    assert set(ResultStore.open(store.path, "r").status().ravel()) == {"done"}
    _check_runs(store.path, spec, worker, store.runs())


def test_killed_worker_leaves_its_run_rerunnable(tmp_path, spec, worker):
    store = ResultStore.create(tmp_path / "s.zarr", spec)
    victim = store.run_index(seed=1, we=0.4)
    others = [r for r in store.runs() if r.index != victim]
    worker["write_run"](store, others[0])  # done before the crash
    flag = tmp_path / "mid-run"
    proc = _worker_process(store.path, [victim], stop_after=4, signal_file=flag)
    proc.start()
    deadline = time.monotonic() + 60
    while not flag.exists():
        assert proc.is_alive(), f"worker exited early with code {proc.exitcode}"
        if time.monotonic() > deadline:  # a hang guard, not a speed check
            pytest.fail("worker never reached the middle of its run")
        time.sleep(0.05)
    for run in others[1:]:  # written while the victim is mid-run
        worker["write_run"](store, run)
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(10)
    assert proc.exitcode == -signal.SIGKILL

    store = ResultStore.open(store.path)
    assert store.status()[victim] == "running"
    assert [r.index for r in store.pending_runs()] == [victim]
    ds = open_results(store.path)
    assert np.isnan(ds["E.g"].sel(seed=1, we=0.4)).all()  # its float data read as missing
    _check_runs(store.path, spec, worker, others)

    worker["write_run"](store, store.run_at(victim))  # the re-run
    assert not store.pending_runs()
    _check_runs(store.path, spec, worker, store.runs())


@pytest.fixture(autouse=True)
def _no_stray_children():
    yield
    for child in mp.active_children():  # a failed test must not leave a sleeping worker behind
        child.kill()
