"""A done run whose final state's step record is lost, session 40.

A sweep stamps each run's final state with its step (slot 0 of ``checkpoint/slot_step``, ``n_steps``), and the
state's checksum covers that step. With the stamp's chunk deleted (a copy or ``rsync`` that skipped a file, a
clean-up by hand) the step reads as 0, which the cheap checks took for "never recorded": ``open_results``, plain
``brainbatch status`` and ``sweep --dry-run`` ("0 to run") called the run done and a plain sweep skipped it, while
``load_state`` refused its final state and ``status --verify`` listed it as damaged. The cheap checks now read the
final state of exactly such runs and check it as the full check does (``_verify.py::_unstamped_final_states``).
"""
import os
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "sweep"))
from _support import TOY, arrays, invoke  # noqa: E402

import brainbatch as bb  # noqa: E402
from brainbatch.store import ResultStore, StoreDamagedError, StoreDamagedWarning  # noqa: E402

SWEEP = dict(seeds=2, params={"drive": [1.5]}, duration=2, progress=False, devices="cpu")


def test_a_done_run_whose_final_state_lost_its_step_is_damaged_for_every_cheap_check(tmp_path):
    out = tmp_path / "s.zarr"
    bb.sweep(TOY, out=str(out), **SWEEP)
    whole = arrays(out)
    key = ResultStore.open(out, "r")._root["checkpoint/slot_step"].metadata.encode_chunk_key((0, 0, 0))
    os.remove(out / "checkpoint" / "slot_step" / key)  # seed 0's stamp

    with pytest.raises(StoreDamagedError, match="the step it was saved at is not recorded"):
        bb.load_state(out, seed=0, drive=1.5)
    with pytest.warns(StoreDamagedWarning):
        ds = bb.open_results(out)
    assert ds.done.values.ravel().tolist() == [False, True]
    assert "its final state (states/): the step it was saved at is not recorded" in str(ds.error.values.ravel()[0])
    shown = invoke("status", out)
    assert shown.returncode == 1 and "damaged       1" in shown.stdout, shown.stdout
    dry = invoke("sweep", TOY, "--seeds", "2", "-p", "drive=1.5", "--duration", "2", "--out", out, "--dry-run")
    assert "runs        2 (1 to run)" in dry.stdout, dry.stdout

    res = bb.sweep(TOY, out=str(out), **SWEEP)  # a plain sweep redoes exactly it
    assert (res.done, res.skipped) == (1, 1)
    assert sorted(bb.load_state(out, seed=0, drive=1.5)) == ["G.V", "G.spike"]
    again = arrays(out)
    assert all(np.array_equal(again[k], whole[k], equal_nan=True) for k in ("spikes", "V", "states/G.V"))


def test_a_state_written_without_a_stamp_stays_done(tmp_path, make_spec, worker):
    # the store API's own way: write_states alone keeps a checksum over step 0 and writes no stamp
    store = ResultStore.create(tmp_path / "api.zarr", make_spec())
    run = store.runs()[0]
    worker["write_run"](store, run, chunk=8)
    assert store.status_of(run.index) == "done" and store._slot_step_missing(run.index)  # no stamp written
    with warnings.catch_warnings():
        warnings.simplefilter("error", StoreDamagedWarning)
        assert bool(bb.open_results(tmp_path / "api.zarr").done.values.ravel()[0])
    assert store.verify(full=False) == {} and store.verify(full=True) == {}


def test_a_none_or_list_default_is_held_to_where_both_record_it_and_its_absence_is_no_change(make_spec):
    from brainbatch.store._create import compare_specs

    def spec(source, **defaults):
        return make_spec(source_hash=source * 64, attrs={"defaults": {"we": 0.6, **defaults}})

    # a store made before None and lists were recorded, resumed by the same source: not another setup
    assert "defaults" not in compare_specs(spec("a"), spec("a", boost=None, sizes=[80, 20]), "s.zarr").names
    # an edit that changed such a default: refused (with force, every run is redone)
    change = compare_specs(spec("a", boost=None, sizes=[80, 20]), spec("b", boost=0.5, sizes=[80, 20]), "s.zarr")
    assert "defaults" in change.names and change.structural
    assert "boost=None, this sweep's are boost=0.5" in " ".join(change.diffs)
    change = compare_specs(spec("a", sizes=[80, 20]), spec("b", sizes=[40, 20]), "s.zarr")
    assert "defaults" in change.names and "sizes=[80, 20]" in " ".join(change.diffs)
    # the same source with a default that only one side records as a number still is
    assert "defaults" in compare_specs(spec("a"), spec("a", boost=0.5), "s.zarr").names
