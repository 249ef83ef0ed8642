"""A saved state is used only when every chunk of it is there and decodes (issue 19 items 5 and 9).

Before: a missing chunk of a saved state read as fill values (0, False, NaN) and a resume started
from them; ``load_state`` returned them; ``verify`` looked at done runs only, so a damaged checkpoint
of an unfinished run failed it on every sweep while ``status --verify`` said all was well.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from brainbatch.store import ResultStore, StoreDamagedError, load_state


def _chunk(path, name, idx) -> Path:
    return Path(path, name, "c", *map(str, idx))  # a 0-d state: the run's chunk is its run index


def _resumable(tmp_path, spec, worker):
    """A store with run (0, 0) done and run (1, 1) interrupted after a checkpoint at step 10."""
    store = ResultStore.create(tmp_path / "s.zarr", spec)
    worker["write_run"](store, store.runs()[0])
    store.save_state((0, 0), {v.name: worker["state_values"](v, 0, 0.4) for v in spec.states}, spec.n_steps,
                     final=True)
    run = store.run_index(seed=1, we=0.6)
    for var in spec.records:  # the records of its first 10 steps, then the state at step 10
        store.write_record(run, var.name, 0, worker["record_values"](var, spec.n_steps, 1, 0.6)[:-(-10 // var.every)])
    state = {v.name: worker["state_values"](v, 1, 0.6) for v in spec.states}
    store.save_state(run, state, 10)  # slot 1: checkpoint/
    store.set_status(run, "pending", error="interrupted")
    return store, run, state


def test_a_missing_chunk_of_a_checkpoint_is_refused_not_read_as_zeros(tmp_path, spec, worker):
    store, run, state = _resumable(tmp_path, spec, worker)
    step, got = store.checkpoint(run)
    assert step == 10 and all(np.array_equal(got[k], v) for k, v in state.items())
    _chunk(store.path, "checkpoint/E.count", run).unlink()  # an int: it would read as 0
    with pytest.raises(StoreDamagedError, match=r"seed=1, we=0.6 .*chunk c/1/1 of 'checkpoint/E.count' is missing"):
        store.checkpoint(run)
    assert store.verify_resume(full=False) == {run: "its saved state at step 10 is damaged: chunk c/1/1 of "
                                                    "'checkpoint/E.count' is missing"}
    assert store.verify(full=True) == {}  # the done run is intact


def test_a_chunk_failing_its_checksum_is_found_by_the_full_check(tmp_path, spec, worker):
    store, run, _ = _resumable(tmp_path, spec, worker)
    chunk = _chunk(store.path, "checkpoint/E.V", (*run, 0))
    data = bytearray(chunk.read_bytes())
    data[-1] ^= 0xFF  # a flipped bit in the crc32c
    chunk.write_bytes(bytes(data))
    assert store.verify_resume(full=False) == {}  # every chunk is present
    why = store.verify_resume(full=True)[run]
    assert "chunk c/1/1/0 of 'checkpoint/E.V' is damaged (crc32c checksum mismatch)" in why
    with pytest.raises(StoreDamagedError, match="'checkpoint/E.V' is damaged"):
        store.checkpoint(run)


def test_an_unreadable_checkpoint_record_means_starting_from_step_0(tmp_path, spec, worker):
    store, run, _ = _resumable(tmp_path, spec, worker)
    _chunk(store.path, "checkpoint/slot_step", (*run, 0)).write_bytes(b"garbage")
    assert store.checkpoint_step(run) == 0 and store.resume_steps()[run] == 0
    assert "checkpoint record cannot be read" in store.verify_resume(full=True)[run]
    store.set_steps_done(run, 10)
    _chunk(store.path, "checkpoint/steps_done", run).write_bytes(b"garbage")  # progress only: never a traceback
    assert store.steps_done()[run] == 0 and store.steps_done()[0, 0] == spec.n_steps
    store.forget_progress(run)  # what a sweep does: the record is whole again
    assert store.verify_resume(full=True) == {}


def test_load_state_refuses_a_state_with_a_missing_chunk(tmp_path, spec, worker):
    store, _, _ = _resumable(tmp_path, spec, worker)
    assert set(load_state(store.path, seed=0, we=0.4)) == {"E.V", "E.count"}
    _chunk(store.path, "states/E.V", (0, 0, 0)).unlink()  # would read as NaN
    with pytest.raises(StoreDamagedError, match=r"chunk c/0/0/0 of 'states/E.V' is missing.*--verify"):
        load_state(store.path, seed=0, we=0.4)


def test_a_missing_chunk_of_the_records_a_resume_keeps_is_found(tmp_path, spec, worker):
    store, run, _ = _resumable(tmp_path, spec, worker)
    assert store.verify_resume(full=True) == {}
    Path(store.path, "E.spike", "c", "1", "1", "1", "0").unlink()  # samples 8..15 of a spike raster: read as False
    assert store.verify_resume(full=False) == {run: "its records before its saved state are damaged: chunk "
                                                    "c/1/1/1/0 of 'E.spike' is missing"}


def test_a_damaged_or_missing_error_chunk_of_a_done_run_is_found(tmp_path, spec, worker):
    # left item of the fourth store audit: a garbage chunk in the error array of a done run passed the full check
    store, _, _ = _resumable(tmp_path, spec, worker)
    chunk = _chunk(store.path, "error", (0, 0, 0))
    assert store.error((0, 0)) == "" and chunk.is_file()  # written, empty, when the run was marked done
    chunk.write_bytes(bytes(reversed(chunk.read_bytes())))
    assert store.verify(full=False) == {}  # every chunk is present
    assert store.verify(full=True) == {(0, 0): "chunk c/0/0/0 of 'error' is damaged (crc32c checksum mismatch)"}
    chunk.unlink()
    assert store.verify(full=False) == {(0, 0): "chunk c/0/0/0 of 'error' is missing"}
