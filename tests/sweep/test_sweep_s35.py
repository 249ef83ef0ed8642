"""The sweep layer against interrupted, concurrent and failing sweeps, session 35:

- a dry run knew that the real sweep would be refused only by the store's words at the end of its note
  ("(refused without --force)"): now a typed ``Prepared.refused`` (``sweep/reconcile.py::Refusal``);
- ``--fail-fast`` left the runs it never started pending without a word: the summary read "0 run(s) done, 1
  failed, 0 already done" for a sweep of 6 runs, 5 of them never run;
- two sweeps of one store in one process (threads of a notebook, a dask worker running two sweeps' tasks side
  by side) both ran the same runs (a run's lease is a process's, and ``claim`` gives it to the same process
  again), and the first to end deleted the leases the other still ran under, its lease on the store too.
"""
import os
import threading

import pytest
from _support import RAISES, TOY, invoke, status_codes

import brainbatch as bb
from brainbatch.faults import HOOKS
from brainbatch.sweep.api import dry_run_refusal, prepare

FAST = {"seeds": 1, "params": {"drive": [1.5]}, "duration": 3, "progress": False}


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    out = tmp_path_factory.mktemp("refused") / "s.zarr"
    res = bb.sweep(TOY, out=str(out), **FAST)
    assert res.done == 1
    return str(out)


def _dry(out, **changes):
    options = {**FAST, **changes}
    options.pop("progress")
    return prepare(TOY, out=out, dry_run=True, **options)


def test_a_dry_run_says_why_the_sweep_would_be_refused_in_a_typed_field(made):
    same = _dry(made)
    assert same.existing == "exists" and same.refused is None and dry_run_refusal(same) is None
    shorter = _dry(made, duration=2)
    assert shorter.refused is not None and shorter.refused.shorter
    assert shorter.refused.why == "exists, written with a different n_steps" and shorter.refused.store_duration == 3
    said = dry_run_refusal(shorter)
    assert said.startswith(f"the sweep would be refused: {made} exists, written with a different n_steps; ")
    assert "give the store's duration='3' or more (a longer one extends its runs in time)" in said  # the API's words
    other_dt = _dry(made, dt=0.05, duration=3)
    assert other_dt.refused is not None and not other_dt.refused.shorter
    assert other_dt.refused.why == "exists, written with a different dt"
    assert other_dt.existing.endswith("(refused without --force)")  # the plan's line is unchanged
    # force: nothing is refused (the store is rebuilt), as a longer duration extends it
    assert _dry(made, dt=0.05, duration=3, force=True).refused is None
    longer = _dry(made, duration=4)
    assert longer.refused is None and dry_run_refusal(longer) is None and "extended in time" in longer.existing


def test_fail_fast_says_how_many_runs_it_left_pending(tmp_path):
    out = tmp_path / "ff.zarr"
    res = invoke("sweep", RAISES, "--seeds", "3", "-p", "n=13,10", "--batch-size", "1", "--fail-fast",
                 "--devices", "cpu", "--out", out)
    assert res.returncode == 1
    codes = status_codes(out)
    assert (codes == 3).sum() == 1 and (codes == 0).sum() == 5  # one failed, the rest never started
    assert f"0 run(s) done, 1 failed, 0 already done, 5 left pending (run the command again) -> {out}" in res.stdout
    assert "5 run(s) not started: --fail-fast stopped the sweep at its first failure" in res.stderr


def test_two_sweeps_of_one_store_in_one_process_never_run_one_run_twice(tmp_path):
    out = str(tmp_path / "two.zarr")
    reached, go, first = threading.Event(), threading.Event(), {}

    def hold_first():  # the first sweep's batch waits with its runs marked running, before anything is built
        if threading.current_thread().name == "first":  # a sweep outside the main thread runs its batches in it
            reached.set()
            go.wait(60)

    def sweep_first():
        first["result"] = bb.sweep(TOY, out=out, seeds=1, batch_size=2, duration=3, devices="cpu", progress=False)

    thread = threading.Thread(target=sweep_first, name="first")
    HOOKS["run"] = hold_first
    try:
        thread.start()
        assert reached.wait(60)
        leases = sorted(os.listdir(os.path.join(out, "leases")))
        assert len([k for k in leases if k.startswith("0_")]) == 2 and any(k.startswith("sweep-") for k in leases)
        second = bb.sweep(TOY, out=out, seeds=1, batch_size=2, duration=3, devices="cpu", progress=False)
        # left to the sweep running them, and its leases (on the runs and on the store) kept
        assert second.done == 0 and second.elsewhere == 2 and not second.failed
        assert sorted(os.listdir(os.path.join(out, "leases"))) == leases
    finally:
        go.set()
        thread.join(120)
        HOOKS.pop("run", None)
    assert first["result"].done == 2 and first["result"].elsewhere == 0
    assert (status_codes(out) == 2).all()
    assert sorted(os.listdir(os.path.join(out, "leases"))) == ["zarr.json"]


def test_a_larger_group_than_the_store_holds_is_refused_with_the_way_out(tmp_path):
    # docs/sampling.md: a larger --samples extends a sampled store, but a sampled integer range that sets a group's
    # size drew a larger group among the new samples (36 neurons where the store pads to 32): refused, and the
    # generic "different setup ... --force" message sent the user to discard every finished run
    out = str(tmp_path / "n.zarr")
    args = ("sweep", TOY, "--seeds", "1", "-p", "n=5:40:int", "--duration", "2", "--out", out, "-q")
    assert invoke(*args, "--samples", "2").returncode == 0
    before = status_codes(out)
    res = invoke(*args, "--samples", "8")
    assert res.returncode == 2, res.stdout + res.stderr
    text = " ".join((res.stdout + res.stderr).split())
    assert "holds runs of smaller groups than this sweep adds" in text, text
    assert "shape=(32,)" in text and "shape=(36,)" in text, text
    assert "Sweep them into another store (CLI --out)" in text and "would discard every finished run" in text, text
    after = status_codes(out)  # nothing of the refused sweep was written
    assert after.shape == before.shape and (after == before).all()
