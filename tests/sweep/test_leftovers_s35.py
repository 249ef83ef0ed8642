"""What a stopped sweep leaves behind: runs left 'running' by workers closed with it, and what it says it finished."""
import json
import subprocess
import time

import pytest
from _support import RAISES, TOY, invoke

import brainbatch as bb
from brainbatch.faults import HOOKS
from brainbatch.store import ResultStore
from brainbatch.store._lease import owner_id, run_key


def _held_by_a_dead_process(out, idx):
    """Run ``idx`` marked running under the lease of a process that has exited (a dask worker closed mid-batch)."""
    gone = subprocess.Popen(["true"])
    gone.wait()  # exited and reaped: no process has its pid now
    now = time.time()
    doc = {"owner": {**owner_id(), "pid": gone.pid, "token": "a-closed-worker"}, "gen": 0, "since": now,
           "heartbeat": now}
    (out / "leases" / run_key(idx)).write_text(json.dumps(doc))
    ResultStore.open(out).set_status(idx, "running")


def test_fail_fast_resets_the_runs_its_closed_workers_left_running(tmp_path):
    # A dask sweep with --fail-fast closes its local cluster after the stop: a batch still under way dies with its
    # worker, its runs left 'running' under a dead lease until the next sweep, and `brainbatch status` showed them
    # running. The local executor stands in: its first batch (n=13, which fails) finds the other run so left.
    out = tmp_path / "ff.zarr"
    messages = []

    def a_worker_closed_mid_batch():
        HOOKS.pop("run")  # once
        store = ResultStore.open(out, "r")
        _held_by_a_dead_process(out, store.run_index(seed=0, n=10))

    HOOKS["run"] = a_worker_closed_mid_batch
    try:
        result = bb.sweep(RAISES, seeds=1, params={"n": [13, 10]}, out=str(out), batch_size=1, devices="cpu",
                          fail_fast=True, progress=False, echo=messages.append)
    finally:
        HOOKS.pop("run", None)
    assert len(result.failed) == 1 and result.unfinished == 1
    store = ResultStore.open(out, "r")
    idx = store.run_index(seed=0, n=10)
    assert store.status_of(idx) == "pending" and store.lease(idx) is None  # the dead lease is gone too
    assert store.counts() == {"pending": 1, "running": 0, "done": 0, "failed": 1}
    assert any(m.startswith("1 run(s) not finished: fail_fast stopped the sweep at its first failure; they stay "
                            "pending (run the command again; 1 of them were under way") for m in messages), messages
    status = invoke("status", out)
    lines = [line.split() for line in status.stdout.splitlines()]
    assert ["running", "0"] in lines and ["pending", "1"] in lines, status.stdout


def test_fail_fast_leaves_alone_a_run_a_live_process_holds(tmp_path):
    # the reset takes only runs whose owner is gone: one that a live process runs (a worker of a --scheduler that
    # goes on with a cancelled task) stays its own
    out = tmp_path / "live.zarr"

    def another_live_process_runs_it():
        HOOKS.pop("run")
        live = subprocess.Popen(["sleep", "30"])
        try:
            store = ResultStore.open(out)
            idx = store.run_index(seed=0, n=10)
            now = time.time()
            doc = {"owner": {**owner_id(), "pid": live.pid, "start": _start(live.pid), "token": "live-worker"},
                   "gen": 0, "since": now, "heartbeat": now}
            (out / "leases" / run_key(idx)).write_text(json.dumps(doc))
            store.set_status(idx, "running")
        finally:
            held.append(live)

    held = []
    HOOKS["run"] = another_live_process_runs_it
    try:
        bb.sweep(RAISES, seeds=1, params={"n": [13, 10]}, out=str(out), batch_size=1, devices="cpu",
                 fail_fast=True, progress=False)
        store = ResultStore.open(out, "r")
        assert store.status_of(store.run_index(seed=0, n=10)) == "running"  # still that process's
    finally:
        HOOKS.pop("run", None)
        for p in held:
            p.kill()
            p.wait()


def _start(pid):
    from brainbatch.store._lease import _start_time

    return _start_time(pid)


def test_an_interrupted_sweep_counts_only_the_runs_it_finished(tmp_path):
    # Ctrl-C: the note said "N finished in this session" from every run done in the store meanwhile, those another
    # process finished (runs this sweep was never given) included
    out = tmp_path / "i.zarr"
    bb.sweep(TOY, seeds=2, out=str(out), duration=3, batch_size=1, devices="cpu", progress=False)  # compiled once
    store = ResultStore.open(out)
    for idx in [store.run_index(seed=s, drive=d) for s in (0, 1) for d in (1.2, 1.5)]:
        store.set_status(idx, "pending")  # four runs to do again
    calls = []

    def another_process_finishes_seed_1_then_stop():
        calls.append(True)
        if len(calls) == 2:  # this sweep's first batch is done
            other = ResultStore.open(out)
            for d in (1.2, 1.5):
                other.set_status(other.run_index(seed=1, drive=d), "done")
            raise KeyboardInterrupt("stopped on request")

    HOOKS["run"] = another_process_finishes_seed_1_then_stop
    try:
        with pytest.raises(KeyboardInterrupt) as stopped:
            bb.sweep(TOY, seeds=[0], out=str(out), duration=3, batch_size=1, devices="cpu", progress=False)
    finally:
        HOOKS.pop("run", None)
    assert stopped.value.brainbatch["done"] == 1
    assert ResultStore.open(out, "r").counts()["done"] == 3  # the two of the other process are there, not counted


@pytest.mark.slow  # a local dask cluster of 2 spawned workers (about 9 s)
def test_a_dask_sweep_stopped_by_fail_fast_leaves_no_run_running(tmp_path, monkeypatch):
    # the case itself: one worker fails its batch (n=13), the other waits with its run marked running (before it is
    # done); --fail-fast closes the cluster, the waiting worker dies with it, and its run was left 'running'
    from _support import paused

    out, gate = tmp_path / "d.zarr", tmp_path / "gate"
    for name, value in {**paused("before-done", gate), "BRAINBATCH_PAUSE_MAX_S": "60"}.items():
        monkeypatch.setenv(name, value)
    result = bb.sweep(RAISES, seeds=1, params={"n": [13, 10]}, out=str(out), batch_size=1, executor="dask",
                      workers=2, fail_fast=True, progress=False, echo=lambda _: None)
    assert len(result.failed) == 1 and result.unfinished == 1
    assert ResultStore.open(out, "r").counts() == {"pending": 1, "running": 0, "done": 0, "failed": 1}


def test_an_interrupt_leaves_alone_the_runs_another_sweep_of_this_process_runs(tmp_path):
    # After an interrupt, reset_abandoned set every run under this process's lease pending and deleted the lease:
    # a run another sweep of this process (a notebook thread) was running lost its lease under it, free for any
    # other process to run at the same time. It now leaves the runs a batch of this process holds, and takes a dead
    # owner's lease over before resetting a run.
    from brainbatch.sweep.leases import reset_abandoned
    from brainbatch.sweep.task import _hold_here, _let_go_here, _store_key

    out = tmp_path / "ra.zarr"
    assert bb.sweep(TOY, seeds=3, params={"drive": [1.5]}, duration=2, out=str(out), progress=False).done == 3
    store = ResultStore.open(out)
    busy, mine, dead = (store.run_index(seed=s, drive=1.5) for s in (0, 1, 2))
    for idx in (busy, mine):
        assert store.claim(idx)
        store.set_status(idx, "running")
    _held_by_a_dead_process(out, dead)
    key = _store_key(str(out))
    assert _hold_here(key, busy)
    try:
        reset_abandoned(str(out), own={mine, dead})  # the interrupted sweep's runs: not the busy one
        store = ResultStore.open(out, "r")
        assert store.status_of(busy) == "running" and store.lease(busy) is not None and store.lease(busy).mine
        assert store.status_of(mine) == "pending" and store.lease(mine) is None
        assert store.status_of(dead) == "pending" and store.lease(dead) is None
    finally:
        _let_go_here(key, busy)
