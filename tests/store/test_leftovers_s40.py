"""Leftovers of session 40 on the store's invariant: a done run is complete, one setup's and loadable.

- A whole ``checkpoint/slot_step`` array lost (``rm -r``): the readers take the steps the next sweep writes back (each
  done run's final state at ``n_steps``), so the cheap checks call a run done exactly when ``load_state`` loads its
  final state (its checksum, over that step, still decides), and ``status`` / ``status --verify`` answer in words.
- ``brainbatch status`` reads the status array once: its counts and the runs it lists come from one read.
- A store moved away while a process writes it: nothing is written at the old path (no stray half-store).
"""
import os
import shutil
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
import zarr

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "sweep"))
from _support import TOY, arrays, invoke  # noqa: E402

import brainbatch as bb  # noqa: E402
from brainbatch.store import ResultStore, StoreDamagedError, StoreDamagedWarning, StoreRebuiltError  # noqa: E402

SWEEP = dict(seeds=2, params={"drive": [1.5]}, duration=2, progress=False, devices="cpu")


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    out = tmp_path_factory.mktemp("s40") / "whole.zarr"
    bb.sweep(TOY, out=str(out), **SWEEP)
    return out


@pytest.fixture
def store(swept, tmp_path):
    """A copy of the module's swept store (two done runs of the toy), for one test to change."""
    out = tmp_path / "s.zarr"
    shutil.copytree(swept, out)
    return out


def test_a_lost_slot_step_array_leaves_done_runs_loadable_and_every_reader_agrees(store):
    whole = arrays(store)
    shutil.rmtree(store / "checkpoint" / "slot_step")  # the whole record, not one run's chunk

    for seed in (0, 1):  # was: StoreDamagedError "the metadata of its array 'checkpoint/slot_step' cannot be read"
        np.testing.assert_array_equal(bb.load_state(store, seed=seed, drive=1.5)["G.V"], whole["states/G.V"][seed, 0])
    with warnings.catch_warnings():
        warnings.simplefilter("error", StoreDamagedWarning)
        assert bb.open_results(store).done.values.all()
    for args in ((), ("--verify",)):  # was: exit 2 with that error, and no run listed
        shown = invoke("status", store, *args)
        assert shown.returncode == 1 and "Error" not in shown.stderr, (shown.stdout, shown.stderr)
        assert "done          2" in shown.stdout and "'checkpoint/slot_step'" in shown.stdout, shown.stdout
    dry = invoke("sweep", TOY, "--seeds", "2", "-p", "drive=1.5", "--duration", "2", "--out", store, "--dry-run")
    assert "runs        2 (0 to run)" in dry.stdout, dry.stdout

    res = bb.sweep(TOY, out=str(store), **SWEEP)  # what the dry run said: the record is written back, runs kept
    assert (res.done, res.skipped) == (0, 2)
    assert invoke("status", store, "--verify").returncode == 0


def test_a_lost_slot_step_array_does_not_vouch_for_a_state_written_over(store):
    shutil.rmtree(store / "checkpoint" / "slot_step")
    states = zarr.open_group(str(store / "states"), mode="r+")
    states["G.V"][0, 0] = np.asarray(states["G.V"][0, 0]) + 1.0  # valid values, not the state saved with the run

    with pytest.raises(StoreDamagedError, match="seed=0"):
        bb.load_state(store, seed=0, drive=1.5)
    assert sorted(bb.load_state(store, seed=1, drive=1.5)) == ["G.V", "G.spike"]
    shown = invoke("status", store, "--verify")
    assert shown.returncode == 1 and "damaged: 1 done run(s)" in shown.stdout and "seed=0" in shown.stdout, shown.stdout


def test_status_counts_and_lists_the_runs_of_one_read(store, monkeypatch):
    # a live sweep marks a run failed right after the command's first read of the status array
    real = ResultStore.status
    reads = []

    def status_then_a_sweep_writes(self):
        codes = real(self)
        if not reads:
            ResultStore.open(store, "r+").set_status((1, 0), "failed", "boom")
        reads.append(1)
        return codes

    monkeypatch.setattr(ResultStore, "status", status_then_a_sweep_writes)
    shown = invoke("status", store)
    counted = "failed        1" in shown.stdout
    listed = "failures:" in shown.stdout
    assert counted == listed, shown.stdout  # was: "failed 0" in the counts above the failure it listed
    assert len(reads) == 1, reads


def test_a_store_moved_away_while_a_process_writes_it_gets_nothing_at_its_old_path(store, tmp_path):
    rs = ResultStore.open(store, "r+")
    rs.set_status((1, 0), "done")  # its arrays opened (cached), as a sweep's are once its runs are marked running
    moved = tmp_path / "moved.zarr"
    os.rename(store, moved)

    with pytest.raises(StoreRebuiltError, match="no longer there"):
        rs.set_status((0, 0), "failed", "boom")  # was: status/ and error/ chunk folders made at the old path
    with pytest.raises(StoreRebuiltError, match="no longer there"):  # said as moved, not "not a brainbatch store"
        rs.check_generation(rs.generation)
    assert not store.exists()
    assert ResultStore.open(moved, "r").counts()["done"] == 2
