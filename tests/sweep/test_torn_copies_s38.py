"""A store copied while a sweep writes it (``cp -r``, ``rsync``), session 38: a chunk file written in two pieces, and
copied between them, held the first piece (and fill values after it) under a ``done`` status copied later, which
plain ``status`` and ``open_results`` took for a whole run (NaN in a record, spikes missing as silence):

- a monitor with a ``start`` off the store's time chunks: every chunk of its record straddled a call's end. A new
  store's time chunks now start on the record's first step where that keeps them at least a 16th of their length;
- else (such a start, a store made before), and where a longer duration continues a partly written last chunk, the
  cheap checks of every reader compare those chunks (only those) with their digests;
- the steps of a run's last call after its whole stride blocks (211 steps, a monitor every 10) went into the last
  chunk in a second write: it is now held back and written with them.
"""
import shutil
from pathlib import Path

import numpy as np
import pytest
from _support import EXPERIMENTS, TOY, invoke, write_experiment

import brainbatch as bb
from brainbatch.faults import HOOKS
from brainbatch.store import ResultStore

STRIDED = str(EXPERIMENTS / "strided.py")
KW = dict(seeds=[0], params={"drive": [1.5]}, checkpoint_every=0, progress=False)


def _late(folder: Path, start: float) -> str:
    """The toy experiment with its V recorded from ``start`` ms on."""
    return write_experiment(folder, f"late{str(start).replace('.', '_')}.py", Path(TOY).read_text().replace(
        'monitors = {"spikes": "G.spike", "V": "G.V"}',
        f'monitors = {{"spikes": "G.spike", "V": bb.Monitor("G.V", start={start})}}'))


def _copied_at(point: str, out: Path, copies: list[Path]):
    def copy_now():
        copies.append(out.parent / f"copy{len(copies)}.zarr")
        shutil.copytree(out, copies[-1])
    HOOKS[point] = copy_now


def _torn(live: Path, early: Path, records=("V", "spikes")) -> Path:
    """``live`` as a copy reads it where it took the records' chunk files when ``early`` was copied (those that were
    there then) and everything else, status and digests included, after the sweep ended."""
    torn = early.with_name(early.stem + "-torn.zarr")
    shutil.copytree(live, torn)
    for name in records:
        for f in (early / name / "c").rglob("*"):
            if f.is_file():
                shutil.copy(f, torn / f.relative_to(early))
    return torn


def _status_done(path: Path) -> int:
    """The runs plain ``brainbatch status`` counts as done."""
    res = invoke("status", path)
    return int(next(line.split()[1] for line in res.stdout.splitlines() if line.strip().startswith("done ")))


def test_a_start_off_the_calls_grid_gets_time_chunks_that_begin_on_it(tmp_path):
    """V from 5 ms (step 50) in calls of 40 steps: its chunks of 40 from step 50 straddled the call ending at 80."""
    out = tmp_path / "s.zarr"
    copies: list[Path] = []
    _copied_at("checkpointed", out, copies)
    try:
        res = bb.sweep(_late(tmp_path, 5.0), out=str(out), duration=12.0, chunk_steps=40, **KW)
    finally:
        HOOKS.pop("checkpointed", None)
    assert res.done == 1 and len(copies) == 2  # at steps 40 and 80
    live = bb.open_results(out)["V"].values
    for early in copies:  # each chunk file was written once: a torn copy has it whole, or not at all
        ds = bb.open_results(_torn(out, early))  # no warning: nothing is damaged
        assert ds["done"].values.ravel().tolist() == [True]
        np.testing.assert_array_equal(ds["V"].values, live)
    store = ResultStore.open(out, "r")
    assert 50 % store.time_chunk("V") == 0 and 40 % store.time_chunk("V") == 0  # chunks of 10 steps


def test_a_start_no_chunk_grid_fits_is_compared_with_its_digests_by_every_reader(tmp_path):
    """V from 0.5 ms (step 5) in calls of 100 steps: chunks of 5 steps would be 20 times as many files, so the store
    keeps chunks of 100 from step 5, which the call ending at step 100 writes in part."""
    out = tmp_path / "s.zarr"
    copies: list[Path] = []
    _copied_at("checkpointed", out, copies)
    try:
        bb.sweep(_late(tmp_path, 0.5), out=str(out), duration=20.0, chunk_steps=100, **KW)
    finally:
        HOOKS.pop("checkpointed", None)
    assert ResultStore.open(out, "r").time_chunk("V") == 100 and len(copies) == 1
    torn = _torn(out, copies[0])
    with pytest.warns(UserWarning, match="1 run.s. marked done have damaged data"):
        ds = bb.open_results(torn)
    assert ds["done"].values.ravel().tolist() == [False]
    assert "chunk c/0/0/0/0 of 'V'" in str(ds["error"].values.ravel()[0])
    assert _status_done(torn) == 0
    assert _status_done(out) == 1  # the live store's chunks agree with their digests


def test_a_longer_duration_continuing_a_partial_last_chunk_is_compared_with_its_digests(tmp_path):
    """21.1 ms of 0.1 ms is 211 steps, no multiple of the chunks of 40: growing the store to 30 ms writes the last
    chunk file of each record again, from step 211 on; a copy taken before holds it as the 211-step store had it."""
    out = tmp_path / "s.zarr"
    bb.sweep(TOY, out=str(out), duration=21.1, chunk_steps=40, **KW)
    copies: list[Path] = []
    _copied_at("run", out, copies)
    try:
        res = bb.sweep(TOY, out=str(out), duration=30.0, chunk_steps=40, **KW)
    finally:
        HOOKS.pop("run", None)
    assert res.done == 1 and len(copies) == 1
    torn = _torn(out, copies[0])
    with pytest.warns(UserWarning, match="1 run.s. marked done have damaged data"):
        ds = bb.open_results(torn)
    assert ds["done"].values.ravel().tolist() == [False]
    assert "chunk c/0/0/5/0 of " in str(ds["error"].values.ravel()[0])
    assert _status_done(torn) == 0 and _status_done(out) == 1
    assert ResultStore.open(out, "r").spec.extended_from == (211,)


def test_a_runs_steps_after_its_last_whole_stride_block_join_its_last_chunk_in_one_write(tmp_path):
    """211 steps, V every 10: the runner's last call is steps 200-209 (whole blocks of 10) and then step 210 alone,
    and each wrote the last chunk of both records: a copy between the two held step 210 as unwritten (no spike, V
    NaN) under the run's later ``done``. Both now go in one write, after the second."""
    out = tmp_path / "s.zarr"
    copies: list[Path] = []

    def copy_records():  # as cp -r finds the records' folders at each write of the batch, once the last chunk is there
        if (out / "spikes" / "c" / "0" / "0" / "5").exists():
            copies.append(tmp_path / f"copy{len(copies)}.zarr")
            for name in ("V", "spikes"):
                shutil.copytree(out / name, copies[-1] / name)

    HOOKS["fenced-write"] = copy_records
    try:
        res = bb.sweep(STRIDED, out=str(out), duration=21.1, chunk_steps=40, **KW)
    finally:
        HOOKS.pop("fenced-write", None)
    assert res.done == 1 and copies
    live = bb.open_results(out)
    for early in copies:
        ds = bb.open_results(_torn(out, early))  # no warning: nothing is damaged
        assert ds["done"].values.ravel().tolist() == [True]
        for name in ("V", "spikes"):
            np.testing.assert_array_equal(ds[name].values, live[name].values)
