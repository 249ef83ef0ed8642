"""Session 35's hunt for runs that read as done and are not (docs/store.md, "When a run is done"): ``mark_done`` of
a run written short of its end, headers whose attributes brainbatch's readers go by, chunk files that are symbolic
links, and groups whose ``zarr.json`` was emptied (real Zarr stores on disk, the real CLI)."""
from __future__ import annotations

import json
import os
import runpy
import shutil
import warnings
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from brainbatch.cli import main
from brainbatch.store import ResultStore, RunIncompleteError, StoreDamagedWarning, StoreSpec, VarSpec, open_results

HERE = Path(__file__).parent
WORKER = runpy.run_path(str(HERE / "_worker.py"))


def _spec() -> StoreSpec:
    return StoreSpec("coba", "a" * 64, {"we": [0.4, 0.6]}, seeds=[0], n_steps=30, dt=0.1,
                     records=(VarSpec("E.spike", ("E_neuron",), (4,), "bool", units="1", kind="spikes"),
                              VarSpec("E.V", ("E_neuron",), (4,), "float32", units="mV")),
                     states=(VarSpec("E.V", ("E_neuron",), (4,), "float32", units="mV"),),
                     time_chunk=8, attrs={"command": "brainbatch sweep coba.py", "defaults": {"we": 0.6}})


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    """A store whose two runs are done (written by the store tests' worker); copied by tests that change it."""
    path = tmp_path_factory.mktemp("inv35") / "done.zarr"
    WORKER["write_store"](path, _spec())
    return path


def _copy(written: Path, tmp_path: Path) -> Path:
    return WORKER["copy_store"](written, tmp_path)


def _done_for_readers(path: Path) -> tuple[dict, list[bool], str]:
    """What the cheap checks, ``open_results`` and plain ``brainbatch status`` say of the store's runs."""
    cheap = ResultStore.open(path, "r").verify(full=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StoreDamagedWarning)
        done = open_results(path)["done"].values.ravel().tolist()
    res = CliRunner().invoke(main, ["status", str(path)])
    return cheap, done, res.output


def _values(store: ResultStore, run, name: str) -> np.ndarray:
    var = store.spec.var(name)
    return WORKER["record_values"](var, store.spec.n_steps, run.seed, *[run.params[p] for p in store.spec.params])


# ------------------------------------------------------------------------------------ 1. mark_done short of the end
def test_mark_done_refuses_a_run_whose_last_time_chunk_is_written_in_part(tmp_path):
    # A worker of the Python API wrote every record but the last step (inside the last time chunk, so every chunk
    # is there and its digest matches) and called mark_done without steps: it was done, and every reader agreed
    store = ResultStore.create(tmp_path / "s.zarr", _spec())
    run = store.runs()[0]
    for var in store.spec.records:
        store.write_record(run, var.name, 0, _values(store, run, var.name)[:29])
    with pytest.raises(RunIncompleteError, match=r"run seed=0, we=0.4 is not done: its records are written through "
                                                 r"step 29 of 30 \(record 'E.spike': its first 29 of 30 samples; its "
                                                 r"progress record \(checkpoint/steps_done\) says 0\)"):
        store.mark_done(run)
    assert store.status_of(run) == "pending" and "written through step 29 of 30" in store.error(run)
    with pytest.raises(RunIncompleteError, match="steps=30 was given, but its records are written through step 29"):
        store.mark_done(run, steps=30)  # this object wrote them: the claim is checked against what it wrote
    store.write_record(run, "E.spike", 29, _values(store, run, "E.spike")[29:])
    with pytest.raises(RunIncompleteError, match="record 'E.V': its first 29 of 30 samples"):
        store.mark_done(run)  # every record must reach the end, not only one
    store.write_record(run, "E.V", 29, _values(store, run, "E.V")[29:])
    store.mark_done(run)
    assert store.status_of(run) == "done" and store.error(run) == ""
    assert int(store.steps_done()[run.index]) == 30
    assert int(np.asarray(zarr_array(store, "checkpoint/steps_done")[run.index])) == 30  # the progress record says it


def zarr_array(store: ResultStore, name: str):
    import zarr

    return zarr.open_array(os.path.join(store.path, name), mode="r")


def test_mark_done_goes_by_the_progress_record_where_this_object_wrote_nothing(tmp_path):
    store = ResultStore.create(tmp_path / "s.zarr", _spec())
    run = store.runs()[1]
    for var in store.spec.records:  # another worker object wrote the first 16 steps and recorded them
        store.write_record(run, var.name, 0, _values(store, run, var.name)[:16])
    store.set_steps_done(run, 16)
    other = ResultStore.open(store.path)
    with pytest.raises(RunIncompleteError, match=r"written through step 16 of 30 \(this ResultStore object wrote "
                                                 r"none of its records; its progress record .* says 16\).*"
                                                 r"set_steps_done\(run, 30\) or pass mark_done\(run, steps=30\)"):
        other.mark_done(run)
    assert other.status_of(run) == "pending"
    # continued from its progress record by this object: done
    for var in store.spec.records:
        other.write_record(run, var.name, 16, _values(store, run, var.name)[16:])
    other.save_state(run, {"E.V": WORKER["state_values"](store.spec.states[0], run.seed, 0.6)}, 30, final=True)
    other.mark_done(run)
    assert other.status_of(run) == "done"
    assert ResultStore.open(store.path, "r").verify(full=True) == {}


# ------------------------------------------------------------------------------- 2. attributes the readers go by
@pytest.mark.parametrize("name, key, value, shown", [
    ("E.V", "kind", "spikes", "kind='spikes' (the store writes 'values')"),  # ds.bb took the trace as a raster
    ("E.spike", "kind", None, "no kind (the store writes 'spikes')"),  # ds.bb found no spike raster
    ("E.spike", "every", 2, "every=2 (the store writes 1)"),  # rates over twice the time
    ("E.V", "first_step", 10, "first_step=10 (the store writes none)"),
    ("states/E.V", "kind", "spikes", "kind='spikes' (the store writes 'state')"),
])
def test_an_edited_attribute_the_readers_go_by_makes_the_done_runs_damaged_until_the_next_sweep(
        written, tmp_path, name, key, value, shown):
    out = _copy(written, tmp_path)
    meta = out / name / "zarr.json"
    doc = json.loads(meta.read_text())
    if value is None:
        del doc["attributes"][key]
    else:
        doc["attributes"][key] = value
    meta.write_text(json.dumps(doc))
    cheap, done, status = _done_for_readers(out)
    assert set(cheap) == {(0, 0), (0, 1)} and shown in cheap[(0, 0)] and "an edit" in cheap[(0, 0)]
    assert done == [False, False]
    assert "damaged       2" in status
    ResultStore.create(out, _spec())  # what a sweep's coordinator does first: the header is rewritten from the spec
    assert ResultStore.open(out, "r").verify(full=True) == {}
    assert open_results(out)["done"].values.ravel().tolist() == [True, True]


# ------------------------------------------------------------------------------------ 3. chunks that are links
def test_a_chunk_file_that_is_a_symbolic_link_is_not_the_stores_and_the_file_it_names_is_left_alone(written, tmp_path):
    out = _copy(written, tmp_path)
    chunk = out / "E.V" / "c" / "0" / "0" / "3" / "0"  # run (0, 0), last time chunk
    other = out / "E.V" / "c" / "0" / "1" / "3" / "0"
    outside = tmp_path / "kept.bin"
    shutil.copyfile(chunk, outside)
    before = outside.read_bytes()
    chunk.unlink()
    chunk.symlink_to(outside)  # the same bytes, outside the store: read as done and verified before
    cheap, done, status = _done_for_readers(out)
    assert cheap[(0, 0)] == (f"chunk c/0/0/3/0 of 'E.V' is not a file of the store: 'E.V/c/0/0/3/0' is a symbolic "
                             f"link (to {str(outside)!r})")
    assert done == [False, True] and "damaged       1" in status
    chunk.unlink()
    chunk.symlink_to(other)  # another run's chunk (only the full check's digests found it)
    assert "is a symbolic link" in ResultStore.open(out, "r").verify(full=False)[(0, 0)]
    folder = tmp_path / "elsewhere"
    shutil.move(str(out / "E.spike"), folder)
    (out / "E.spike").symlink_to(folder)  # a whole array's folder
    damaged = ResultStore.open(out, "r").verify(full=True)
    assert set(damaged) == {(0, 0), (0, 1)} and "'E.spike' is a symbolic link" in damaged[(0, 1)]
    assert outside.read_bytes() == before and (folder / "zarr.json").is_file()


# ------------------------------------------------------------------------------ 4. a group's zarr.json emptied
@pytest.mark.parametrize("group", ["states", "checkpoint"])
def test_an_emptied_group_header_is_damage_for_every_reader_and_the_next_sweep_rewrites_it(written, tmp_path, group):
    # open_results could not open the store (xarray opens the group) while status --verify said "verified", and an
    # emptied checkpoint/ header made the full check raise a bare JSONDecodeError (a traceback from status --verify)
    out = _copy(written, tmp_path)
    (out / group / "zarr.json").write_text("")
    why = f"the metadata of group {group!r} cannot be read (JSONDecodeError)"
    store = ResultStore.open(out, "r")
    assert store.verify(full=False) == {(0, 0): why, (0, 1): why} == store.verify(full=True)
    res = CliRunner().invoke(main, ["status", str(out), "--verify"])
    assert res.exit_code == 1 and "Traceback" not in res.output and why in res.output
    ResultStore.create(out, _spec())  # the coordinator rewrites the group's header; the runs stay done
    assert ResultStore.open(out, "r").verify(full=True) == {}
    assert open_results(out, states=True)["done"].values.ravel().tolist() == [True, True]
