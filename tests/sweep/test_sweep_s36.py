"""The sweep layer against hostile use, session 36:

- an interrupted sweep's note ("N finished in this session") counted a run of one of its batches that never
  started when another process finished it meanwhile (the runs of every batch of the sweep were counted);
- a run resumed at its end (nothing left to write, so ``mark_done(steps=n)`` takes the sweep's word) whose record
  chunk was lost is redone, never marked done with the hole (checked: the sweep was right);
- ``--dry-run`` of a grid of 1001 values printed every value on one line of 7 kB (and a long seed list likewise);
- Ctrl-C on a dask sweep said "stopping after the current chunk (the runs under way save a checkpoint ...)", what
  the local executor does, while dask's workers never saw the request (they do since: test_dask_stop_s36.py; the
  note says what a stop does there).
"""
import signal

import pytest
from _support import TOY, invoke

import brainbatch as bb
from brainbatch.faults import HOOKS
from brainbatch.store import ResultStore

FAST = {"duration": 3, "batch_size": 1, "devices": "cpu", "progress": False}


@pytest.fixture(scope="module")
def toy_store(tmp_path_factory):
    """A done store of 2 seeds x 2 drives of the toy (compiled once for the module)."""
    out = tmp_path_factory.mktemp("toy") / "t.zarr"
    assert bb.sweep(TOY, seeds=2, out=str(out), **FAST).done == 4
    return out


def _all_pending(out):
    store = ResultStore.open(out)
    for s in (0, 1):
        for d in (1.2, 1.5):
            idx = store.run_index(seed=s, drive=d)
            store.set_status(idx, "pending")
            store.forget_progress(idx)
    return store


def test_an_interrupt_does_not_count_a_run_of_a_batch_that_never_started(toy_store):
    # four batches of one run; after the first, another process finishes the last batch's run and Ctrl-C lands:
    # this sweep finished one run, not two
    _all_pending(toy_store)
    calls = []

    def another_process_finishes_the_last_run_then_stop():
        calls.append(True)
        if len(calls) == 2:  # the second batch starts: the first is done
            other = ResultStore.open(toy_store)
            idx = other.run_index(seed=1, drive=1.5)
            other.set_steps_done(idx, other.spec.n_steps)
            other.set_status(idx, "done")
            raise KeyboardInterrupt("stopped on request")

    HOOKS["run"] = another_process_finishes_the_last_run_then_stop
    try:
        with pytest.raises(KeyboardInterrupt) as stopped:
            bb.sweep(TOY, seeds=2, out=str(toy_store), **FAST)
    finally:
        HOOKS.pop("run", None)
    assert ResultStore.open(toy_store, "r").counts()["done"] == 2
    assert stopped.value.brainbatch["done"] == 1


def _chunk_files(out, name, idx):
    """The chunk files of record ``name`` of the run at store index ``idx`` (zarr v3 default key encoding)."""
    folder = out / name / "c"
    for part in idx:
        folder = folder / str(part)
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_a_run_resumed_at_its_end_with_a_record_chunk_lost_is_not_marked_done_short(toy_store, tmp_path):
    # mark_done(steps=n) takes the caller's word for a run its ResultStore object wrote nothing of: the sweep's run
    # resumed at its end (stopped just before it was marked done) writes nothing. A spike chunk deleted meanwhile
    # reads as silence (False); the run must be redone from step 0, never marked done with the hole
    import numpy as np

    reference = {k: np.asarray(v) for k, v in bb.open_results(str(toy_store)).load().items()}
    _all_pending(toy_store)

    def stop_before_done():
        HOOKS.pop("before-done")
        raise KeyboardInterrupt("stopped on request")

    HOOKS["before-done"] = stop_before_done
    try:
        with pytest.raises(KeyboardInterrupt):
            bb.sweep(TOY, seeds=[0], params={"drive": [1.2]}, out=str(toy_store), **FAST)
    finally:
        HOOKS.pop("before-done", None)
    store = ResultStore.open(toy_store, "r")
    idx = store.run_index(seed=0, drive=1.2)
    assert store.status_of(idx) == "pending" and store.checkpoint_step(idx) == store.spec.n_steps
    lost = _chunk_files(toy_store, "spikes", idx)
    assert lost
    lost[0].unlink()
    messages = []
    res = bb.sweep(TOY, seeds=[0], params={"drive": [1.2]}, out=str(toy_store), echo=messages.append, **FAST)
    assert res.done == 1
    assert reference["spikes"][0, 0].any() and any("start again from step 0" in m and "'spikes' is missing" in m
                                                   for m in messages), messages
    again = bb.open_results(str(toy_store)).sel(seed=0, drive=1.2)
    assert np.array_equal(np.asarray(again.spikes), reference["spikes"][0, 0])


def test_a_dry_run_of_a_long_grid_shows_its_ends_and_its_length(tmp_path):
    res = invoke("sweep", TOY, "--out", tmp_path / "g.zarr", "--duration", "3", "-p", "drive=1:2:0.001",
                 "--seeds", "0,5,7,100,200,300,400,500,600,700,800,900,1000", "--dry-run")
    assert res.returncode == 0, res.stderr
    lines = {line.split(None, 1)[0]: line for line in res.stdout.splitlines() if line.strip()}
    assert lines["grid"] == ("grid        drive = [1.0, 1.001, 1.002, 1.003, 1.004, 1.005, ..., 1.998, 1.999, 2.0] "
                             "(1001 values) (-p, replaces the module's values)")
    assert lines["seeds"] == "seeds       0, 5, 7, 100, 200, 300, ..., 800, 900, 1000 (13 seeds)"
    assert lines["runs"].startswith("runs        13013 (13013 to run)")


def test_ctrl_c_on_a_dask_sweep_says_what_a_stop_does_there():
    from brainbatch.sweep import live

    said = {}
    for executor in ("local", "dask"):
        notes = []
        with live.graceful_stop(notes.append, executor):
            signal.raise_signal(signal.SIGINT)  # handled in this (main) thread: a stop requested, not an abort
            assert live.stop_requested()
        said[executor] = notes
    with live.graceful_stop(lambda _: None):  # entering clears the request: later sweeps of this process run
        pass
    assert not live.stop_requested()
    assert said["local"] == ["\nCtrl-C: stopping after the current chunk (the runs under way save a checkpoint and "
                             "continue from it next time); Ctrl-C again to abort"]
    assert said["dask"][0].startswith("\nCtrl-C: stopping after the current chunk on the dask workers")
    assert "batches not started yet do not start" in said["dask"][0] and "Ctrl-C again to abort" in said["dask"][0]
