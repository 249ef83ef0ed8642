"""Extensions of one store by several coordinators at once (issue 19 items 2 and 3).

Before: two sweeps extending a store with different seeds both read the old spec and wrote their own
seeds at the same new positions (a zarr traceback, or one job's runs missing / under another's
labels), and a sweep extending the store in time while another wrote left that sweep's runs done
with half the time axis. Now metadata changes hold the store's lock (``leases/metadata``), an
extension in time is refused while another sweep works on the store, and a run is never marked
done short of the store's current time axis. The races are forced with pause points
(``brainbatch/faults.py``), never with timing.
"""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from brainbatch.store import ResultStore, StoreError
from brainbatch.store._errors import RunIncompleteError

REPO = Path(__file__).resolve().parents[2]
# a coordinator without jax (the store never imports it): brainbatch/__init__ is skipped
CHILD = """
import json, sys, types
pkg = types.ModuleType("brainbatch"); pkg.__path__ = [sys.argv[1] + "/brainbatch"]; sys.modules["brainbatch"] = pkg
from brainbatch.store import ResultStore, StoreSpec
from brainbatch.store._lease import Leases
if sys.argv[3] == "hold":  # a sweep working on the store: its lease, until stdin closes
    Leases(sys.argv[2]).hold_store(); print("held", flush=True); sys.stdin.read()
else:
    ResultStore.create(sys.argv[2], StoreSpec.from_json(json.loads(sys.argv[3])))
"""


def _child(path, arg, pause_at=None, pause_dir=None, **kw) -> subprocess.Popen:
    env = {**os.environ, "BRAINBATCH_PAUSE_MAX_S": "60"}
    if pause_at:
        env.update(BRAINBATCH_FAULTS=pause_at, BRAINBATCH_PAUSE_DIR=str(pause_dir))
    return subprocess.Popen([sys.executable, "-c", CHILD, str(REPO), str(path), arg], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def _wait_for(path: Path, proc: subprocess.Popen, limit_s: float = 60) -> None:
    deadline = time.monotonic() + limit_s
    while not path.exists():
        if proc.poll() is not None:
            pytest.fail(f"the child ended before {path.name}: {proc.communicate()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the child never reached {path.name}")
        time.sleep(0.02)


def test_two_extensions_with_different_seeds_at_once_keep_every_run(tmp_path, make_spec, worker):
    path = tmp_path / "s.zarr"
    one = {"we": [0.4]}
    store = ResultStore.create(path, make_spec(seeds=[0, 1, 2, 3], params=one))
    for run in store.runs():
        worker["write_run"](store, run)
    gate = tmp_path / "gate"
    gate.mkdir()
    (gate / "lock-wait.go").touch()  # B only says that it waits; A pauses until we let it go
    a = _child(path, json.dumps(make_spec(seeds=[4, 5, 6, 7], params=one).to_json()), "extend-locked", gate)
    _wait_for(gate / "extend-locked.reached", a)  # A holds the lock and has read seeds 0-3
    b = _child(path, json.dumps(make_spec(seeds=[8, 9, 10, 11], params=one).to_json()), "lock-wait", gate)
    _wait_for(gate / "lock-wait.reached", b)  # B found the lock taken: it waits instead of reading seeds 0-3
    (gate / "extend-locked.go").touch()
    for proc in (a, b):
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err

    store = ResultStore.open(path)
    assert store.spec.seeds == list(range(12))
    import zarr

    root = zarr.open_group(str(path), mode="r")
    assert root["seed"][...].tolist() == list(range(12)) and root["states/seed"][...].tolist() == list(range(12))
    assert root["status"].shape == (12, 1) and root["E.V"].shape[:2] == (12, 1)
    assert (store.status()[:4] == "done").all() and (store.status()[4:] == "pending").all()
    for run in store.pending_runs():  # every new run is there, under its own label
        worker["write_run"](store, run)
    for run in store.runs():
        want = worker["record_values"](store.spec.records[1], store.spec.n_steps, run.seed, run.params["we"])
        np.testing.assert_array_equal(root["E.V"][run.index], want)
    assert not (path / "leases" / "metadata").exists()  # given back


def test_an_extension_in_time_is_refused_while_another_sweep_works_on_the_store(tmp_path, spec, tree):
    path = tmp_path / "s.zarr"
    ResultStore.create(path, spec)
    holder = _child(path, "hold", stdin=subprocess.PIPE)
    assert holder.stdout.readline().strip() == "held"
    before = tree(path)
    try:
        with pytest.raises(StoreError, match=r"another sweep is working on .* right now \(pid \d+ on .*\); extending "
                                             r"it in time \(30 -> 60 steps\) now would leave the runs"):
            ResultStore.create(path, dataclasses.replace(spec, n_steps=60))
        assert tree(path) == before  # nothing changed, not even a lock file
        ResultStore.create(path, dataclasses.replace(spec, seeds=[0, 1, 2]))  # more seeds: fine meanwhile
    finally:
        holder.communicate(input="", timeout=60)
    ResultStore.create(path, dataclasses.replace(spec, seeds=[0, 1, 2], n_steps=60))  # once it has ended
    assert ResultStore.open(path).spec.n_steps == 60


def test_a_run_is_never_done_short_of_the_stores_current_time_axis(tmp_path, spec, worker):
    path = tmp_path / "s.zarr"
    writer = ResultStore.create(path, spec)  # a worker opened the store at 30 steps
    run = writer.run_index(seed=0, we=0.4)
    for var in spec.records:
        writer.write_record(run, var.name, 0, worker["record_values"](var, spec.n_steps, 0, 0.4))
    ResultStore.create(path, dataclasses.replace(spec, n_steps=60))  # grown in time meanwhile (no lease seen)
    with pytest.raises(RunIncompleteError, match=r"seed=0, we=0.4 is not done: its records cover 30 steps but the "
                                                 r"store now has 60"):
        writer.mark_done(run)
    assert ResultStore.open(path).status_of(run) == "pending"
    fresh = ResultStore.open(path)  # opened after the extension, but given the steps it really wrote
    with pytest.raises(RunIncompleteError):
        fresh.mark_done(run, steps=30)
    fresh.mark_done(run, steps=60)
    assert fresh.status_of(run) == "done"
