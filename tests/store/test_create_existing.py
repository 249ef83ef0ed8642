"""ResultStore.create on a path that already holds something: refuse, extend, or re-stamp with force."""
from __future__ import annotations

import json

import warnings

import numpy as np
import pytest
import zarr

from brainbatch.store import ResultStore, StoreError, StoreMismatchError, VarSpec, load_state, open_results


def _refused_unchanged(path, spec, tree, match):
    before = tree(path)
    for attempt in (lambda: ResultStore.create(path, spec), lambda: ResultStore.create(path, spec, force=True),
                    lambda: ResultStore.open(path), lambda: open_results(path),
                    lambda: load_state(path, seed=0, we=0.4)):
        with pytest.raises(StoreError, match=match):
            attempt()
    assert tree(path) == before


def test_not_a_store_is_refused_and_left_alone(tmp_path, spec, tree):
    folder = tmp_path / "thesis"
    folder.mkdir()
    (folder / "chapter1.tex").write_text("precious")
    _refused_unchanged(folder, spec, tree, "not a brainbatch store.*not a Zarr group")

    plain = tmp_path / "plain.zarr"
    zarr.open_group(plain, mode="w", zarr_format=3).create_array("x", shape=(3,), dtype="f4")
    _refused_unchanged(plain, spec, tree, "Zarr group but not a brainbatch store")

    file = tmp_path / "notes.txt"
    file.write_text("x")
    _refused_unchanged(file, spec, tree, "not a brainbatch store")


def test_other_experiment_and_schema_refused(tmp_path, spec, make_spec, tree, worker):
    path = tmp_path / "s.zarr"
    store = ResultStore.create(path, spec)
    worker["write_run"](store, store.runs()[0])
    before = tree(path)
    with pytest.raises(StoreError, match="holds results of experiment 'coba', not 'cuba'.*--out"):
        ResultStore.create(path, make_spec(experiment="cuba"), force=True)
    assert tree(path) == before

    meta = path / "zarr.json"
    doc = json.loads(meta.read_text())
    doc["attributes"]["brainbatch_schema"] = 2
    meta.write_text(json.dumps(doc))
    _refused_unchanged(path, spec, tree, "schema version 2; this brainbatch reads and writes version 1")


def test_missing_path_is_an_error_for_readers(tmp_path):
    with pytest.raises(StoreError, match="no store at .*does not exist"):
        ResultStore.open(tmp_path / "nope.zarr")
    assert not (tmp_path / "nope.zarr").exists()


def test_extension_keeps_old_runs(tmp_path, spec, make_spec, worker):
    path = tmp_path / "s.zarr"
    store = ResultStore.create(path, spec)
    for run in store.runs():
        worker["write_run"](store, run)
    created = open_results(path).attrs["created"]

    wider = make_spec(seeds=[0, 1, 2, 3], params={"we": [0.6, 0.4, 0.8]})  # reordered + one new value
    store = ResultStore.create(path, wider)
    assert store.spec.seeds == [0, 1, 2, 3] and store.spec.params == {"we": [0.4, 0.6, 0.8]}
    status = store.status()
    assert status.shape == (4, 3)
    assert (status[:2, :2] == "done").all()
    assert {(r.seed, r.params["we"]) for r in store.pending_runs()} == {
        (s, w) for s in range(4) for w in (0.4, 0.6, 0.8)} - {(s, w) for s in (0, 1) for w in (0.4, 0.6)}
    ds = open_results(path, states=True)
    assert ds.attrs["created"] == created
    for run in ResultStore.open(path).runs():
        if run.seed < 2 and run.params["we"] != 0.8:
            want = worker["record_values"](spec.records[1], spec.n_steps, run.seed, run.params["we"])
            np.testing.assert_array_equal(ds["E.V"].sel(seed=run.seed, we=run.params["we"]), want)
        else:
            assert np.isnan(ds["E.V"].sel(seed=run.seed, we=run.params["we"])).all()
            assert not ds["E.spike"].sel(seed=run.seed, we=run.params["we"]).any()
    # the new runs can be written like any other
    for run in store.pending_runs():
        worker["write_run"](store, run)
    assert bool(open_results(path)["done"].all())

    # the same sweep again changes nothing; a narrower one keeps the wider store
    ResultStore.create(path, spec)
    assert ResultStore.open(path).spec.seeds == [0, 1, 2, 3] and not ResultStore.open(path).pending_runs()


@pytest.mark.parametrize("change", [{"dt": 0.05}, {"t0": 5.0}])
def test_force_with_another_time_base_redoes_every_run(tmp_path, spec, make_spec, worker, change):
    """Kept runs are never relabelled onto another time axis nor continued at another dt (issue 19, item 6)."""
    path = tmp_path / "s.zarr"
    store = ResultStore.create(path, spec)
    worker["write_run"](store, store.runs()[0])
    key = next(iter(change))
    with pytest.raises(StoreMismatchError, match=f"(?s){key}: store has .*time base.*every run becomes pending"):
        ResultStore.create(path, make_spec(**change))
    note, every_run_runs = ResultStore.open(path).merge_note(make_spec(**change), force=True)
    assert every_run_runs and "every run is redone" in note
    store = ResultStore.create(path, make_spec(**change), force=True)
    assert getattr(store.spec, key) == change[key] and set(store.status().ravel()) == {"pending"}
    assert (store.resume_steps() == 0).all()
    ds = open_results(path)
    np.testing.assert_allclose(ds["time"], store.spec.t0 + store.spec.dt * np.arange(spec.n_steps))
    assert np.isnan(ds["E.V"].sel(seed=0, we=0.4)).all()


@pytest.mark.parametrize("change", [{"source_hash": "b" * 64}])
def test_mismatch_needs_force_and_force_keeps_data(tmp_path, spec, make_spec, worker, tree, change):
    path = tmp_path / "s.zarr"
    store = ResultStore.create(path, spec)
    worker["write_run"](store, store.runs()[0])
    before = tree(path)
    key = next(iter(change))
    with pytest.raises(StoreMismatchError, match=f"(?s){key}: store has .*this sweep has.*force=True \\(CLI --force\\)"):
        ResultStore.create(path, make_spec(**change))
    assert tree(path) == before

    store = ResultStore.create(path, make_spec(**change), force=True)
    assert getattr(store.spec, key) == change[key]
    ds = open_results(path)
    assert ds.attrs[key] == change[key] and ds["done"].sum() == 1
    np.testing.assert_allclose(ds["time"], spec.t0 + store.spec.dt * np.arange(spec.n_steps))
    want = worker["record_values"](spec.records[1], spec.n_steps, 0, 0.4)
    np.testing.assert_array_equal(ds["E.V"].sel(seed=0, we=0.4), want)


def test_changed_variables_with_force_rebuild(tmp_path, spec, make_spec, worker):
    path = tmp_path / "s.zarr"
    store = ResultStore.create(path, spec)
    worker["write_run"](store, store.runs()[0])
    new = make_spec(records=spec.records[:2] + (VarSpec("I.spike", ("I_neuron",), (3,), "bool"),), n_steps=20)
    with pytest.raises(StoreMismatchError, match=r"(?s)n_steps: store has 30, this sweep has 20 \(a shorter run.*records \['E.g', 'I.spike'\] differ.*discarded"):
        ResultStore.create(path, new)
    store = ResultStore.create(path, new, force=True)
    assert set(store.status().ravel()) == {"pending"}
    ds = open_results(path)
    assert "E.g" not in ds and ds["I.spike"].shape == (2, 2, 20, 3) and ds.sizes["time"] == 20
    worker["write_run"](store, store.runs()[0])
    ds = open_results(path)
    assert ds["done"].sum() == 1
    np.testing.assert_array_equal(ds["I.spike"].sel(seed=0, we=0.4),
                                  worker["record_values"](new.records[2], 20, 0, 0.4))


def test_swept_parameters_cannot_change(tmp_path, spec, make_spec, tree):
    path = tmp_path / "s.zarr"
    ResultStore.create(path, spec)
    before = tree(path)
    with pytest.raises(StoreMismatchError, match=r"sweeps parameters \['we'\] but this sweep has \['wi'\].*not even with force"):
        ResultStore.create(path, make_spec(params={"wi": [1.0]}), force=True)
    assert tree(path) == before


def test_more_steps_extend_the_store_in_time(tmp_path, spec, make_spec, worker):
    """A longer run grows every time axis, keeps the data, and makes done runs pending to continue."""
    path = tmp_path / "s.zarr"
    store = ResultStore.create(path, spec)
    run = store.runs()[0]
    worker["write_run"](store, run)
    store.save_state(run, {v.name: np.zeros(v.shape, v.dtype) for v in spec.states}, spec.n_steps, final=True)
    before = worker["record_values"](spec.records[1], spec.n_steps, run.seed, run.params["we"])
    store = ResultStore.create(path, make_spec(n_steps=2 * spec.n_steps))
    assert store.spec.n_steps == 2 * spec.n_steps
    assert set(store.status().ravel()) == {"pending"}
    assert store.checkpoint(run)[0] == spec.n_steps  # the done run continues from its final state
    ds = open_results(path)
    assert ds.sizes["time"] == 2 * spec.n_steps
    np.testing.assert_allclose(ds["time"], spec.t0 + spec.dt * np.arange(2 * spec.n_steps))
    raw = zarr.open_group(str(path), mode="r")[spec.records[1].name][0, 0]
    np.testing.assert_array_equal(raw[: len(before)], before)


def test_fewer_steps_are_refused_with_what_to_do(tmp_path, spec, make_spec, tree):
    path = tmp_path / "s.zarr"
    ResultStore.create(path, spec)
    before = tree(path)
    with pytest.raises(StoreMismatchError, match=r"n_steps: store has 30, this sweep has 10 \(a shorter run: give "
                                                 r"the store's duration, 3 ms, or more to extend it in time\)"):
        ResultStore.create(path, make_spec(n_steps=10))
    assert tree(path) == before


def test_checkpoint_slots_alternate_and_keep_the_newest(tmp_path, spec):
    store = ResultStore.create(tmp_path / "s.zarr", spec)
    run = store.runs()[1]
    assert store.checkpoint(run) == (0, None)
    state = lambda x: {v.name: np.full(v.shape, x, v.dtype) for v in spec.states}  # noqa: E731
    for step in (5, 10, 15):
        store.save_state(run, state(step), step)
        got_step, got = store.checkpoint(run)
        assert got_step == step and all(np.all(a == step) for a in got.values())
    store.save_state(run, state(30), 30, final=True)
    assert store.checkpoint(run)[0] == 30 and all(np.all(a == 30) for a in store.read_states(run).values())


def test_precision_is_part_of_the_store_and_force_redoes_every_run(tmp_path, spec, make_spec, worker, tree):
    """Runs computed with JAX's 64-bit mode on are never extended or continued with it off, nor the other way;
    a store written before the ``x64`` attribute was recorded counts as 64-bit mode off (what brainbatch ran)."""
    path = tmp_path / "s.zarr"
    store = ResultStore.create(path, spec)  # no "x64" in its provenance: an older store
    worker["write_run"](store, store.runs()[0])
    off = make_spec(attrs={**spec.attrs, "x64": False})
    assert ResultStore.create(path, off).counts()["done"] == 1  # the same precision: merged, runs kept
    before = tree(path)
    on = make_spec(seeds=[0, 1, 2], attrs={**spec.attrs, "x64": True})
    with pytest.raises(StoreMismatchError) as err:
        ResultStore.create(path, on)
    message = str(err.value)
    assert "\n" not in message and "64-bit mode off" in message and "64-bit mode on" in message
    assert "JAX_ENABLE_X64 unset" in message and "--force" in message and "--out" in message
    assert tree(path) == before
    note, every_run_runs = ResultStore.open(path).merge_note(on, force=True)
    assert every_run_runs and "x64" in note
    store = ResultStore.create(path, on, force=True)  # kept runs would mix two precisions: all redone
    assert store.spec.attrs["x64"] is True and set(store.status().ravel()) == {"pending"}
    assert store.spec.run_shape == (3, 2) and (store.resume_steps() == 0).all()
    with pytest.raises(StoreMismatchError, match="JAX_ENABLE_X64=1 as the store was made"):
        ResultStore.create(path, off)


def test_a_forced_rebuild_deletes_only_what_brainbatch_made(tmp_path, spec, make_spec, worker, tree):
    """Nothing a user types deletes what brainbatch did not create: arrays and groups a user added to the
    store survive --force, in the root and in states/ and checkpoint/ alike."""
    path = tmp_path / "s.zarr"
    store = ResultStore.create(path, spec)
    worker["write_run"](store, store.runs()[0])
    root = zarr.open_group(str(path), mode="r+")
    root.create_array("my_notes", shape=(3,), dtype="int64", dimension_names=("note",))[:] = [7, 8, 9]
    root["states"].create_array("mine", shape=(2,), dtype="int64", dimension_names=("mine",))[:] = [1, 2]
    root["checkpoint"].create_array("mine", shape=(2,), dtype="int64")[:] = [3, 4]
    root.create_group("analysis").create_array("rates", shape=(2,), dtype="float64")[:] = [1.5, 2.5]
    (path / "E.g" / "README.txt").write_text("mine")  # files a user kept in brainbatch's array folders
    (path / "E.V" / "c" / "notes.txt").write_text("mine too")

    new = make_spec(dt=0.05, records=spec.records[:2], states=spec.states[:1])  # E.g and E.count dropped
    store = ResultStore.create(path, new, force=True)
    assert (path / "E.g" / "README.txt").read_text() == "mine"  # the whole folder went, with them
    assert (path / "E.V" / "c" / "notes.txt").read_text() == "mine too"
    (path / "E.g" / "README.txt").unlink()  # the user moves it (zarr warns about a folder that holds no array)
    (path / "E.g").rmdir()
    assert set(store.status().ravel()) == {"pending"}
    root = zarr.open_group(str(path), mode="r")
    assert list(root["my_notes"][...]) == [7, 8, 9] and list(root["states/mine"][...]) == [1, 2]
    assert list(root["checkpoint/mine"][...]) == [3, 4] and list(root["analysis/rates"][...]) == [1.5, 2.5]
    for gone in ("E.g", "time_every7", "states/E.count", "checkpoint/E.count"):  # the old layout's own arrays
        assert gone not in root
    ds = open_results(path)
    assert np.isnan(ds["E.V"]).all() and ds.sizes["time"] == spec.n_steps

    # a name this sweep needs for its own array, taken by a user's: refused before anything changes
    before = tree(path)
    taken = make_spec(records=spec.records[:2] + (VarSpec("my_notes", ("E_neuron",), (6,), "float32"),))
    with pytest.raises(StoreError, match=r"holds 'my_notes', which brainbatch did not create.*nothing was changed"):
        ResultStore.create(path, taken, force=True)
    assert tree(path) == before and list(zarr.open_group(str(path), mode="r")["my_notes"][...]) == [7, 8, 9]


class _Stopped(Exception):
    """A coordinator stopped at a fault point (as kill -9 would stop it, its lock then dead)."""


def _cut_off_extension(path, spec):
    """Extend the store at ``path`` to ``spec`` but stop once its arrays are resized, before its new
    coordinates and spec are written: what a coordinator killed mid-extension leaves."""
    from brainbatch.faults import HOOKS

    def stop():
        raise _Stopped

    HOOKS["coord-sized"] = stop
    try:
        with pytest.raises(_Stopped):
            ResultStore.create(path, spec)
    finally:
        HOOKS.pop("coord-sized")


def test_an_extension_cut_off_before_its_spec_is_written_stays_readable_and_is_completed(
        tmp_path, spec, make_spec, worker):
    import shutil

    import xarray as xr

    path = tmp_path / "s.zarr"
    store = ResultStore.create(path, spec)
    for run in store.runs():
        worker["write_run"](store, run)
    _cut_off_extension(path, make_spec(seeds=[0, 1, 2]))
    raw = zarr.open_group(str(path), mode="r", use_consolidated=False)
    assert raw["status"].shape == (3, 2) and raw.attrs["seeds"] == [0, 1]  # the state the audit found
    for name in ("grow", "same", "values"):
        shutil.copytree(path, tmp_path / f"{name}.zarr")

    # readers take the spec's runs, the leading block: the data are intact
    store = ResultStore.open(path, "r")
    assert store.counts() == {"pending": 0, "running": 0, "done": 4, "failed": 0}
    assert store.resume_steps().shape == (2, 2) and (store.steps_done() == spec.n_steps).all()
    assert store.verify_coordinates() == {}  # the grown seed coordinate holds the spec's seeds first
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing read as damaged
        ds = open_results(path, states=False)
    assert ds.sizes["seed"] == 2 and bool(ds["done"].all())
    np.testing.assert_array_equal(ds["E.V"].sel(seed=1, we=0.6),
                                  worker["record_values"](spec.records[1], spec.n_steps, 1, 0.6))

    # re-running the extending sweep completes it; a sweep that is not wider undoes the cut-off part; another
    # extension grows from where the store is
    for name, new, shape in (("grow", make_spec(seeds=[0, 1, 2]), (3, 2)), ("same", spec, (2, 2)),
                             ("values", make_spec(params={"we": [0.4, 0.6, 0.8]}), (2, 3))):
        store = ResultStore.create(tmp_path / f"{name}.zarr", new)
        assert store.spec.run_shape == shape and store.counts()["done"] == 4, name
        assert all(store.status_of(r) == "done" for r in store.runs() if r.seed < 2 and r.params["we"] < 0.7)
        raw = zarr.open_group(str(tmp_path / f"{name}.zarr"), mode="r", use_consolidated=False)
        for arr in ("status", "error", "E.V", "states/E.V", "checkpoint/slot_step", "checkpoint/E.count"):
            assert raw[arr].shape[:2] == shape, (name, arr)
        plain = xr.open_zarr(str(tmp_path / f"{name}.zarr"), consolidated=False)  # plain xarray opens it again
        assert plain.sizes["seed"] == shape[0] and plain.sizes["we"] == shape[1]
        ds = open_results(tmp_path / f"{name}.zarr", states=True)
        np.testing.assert_array_equal(ds["E.V"].sel(seed=1, we=0.6),
                                      worker["record_values"](spec.records[1], spec.n_steps, 1, 0.6))


def test_runs_beyond_a_stale_spec_are_refused_not_cut_away(tmp_path, spec, make_spec, worker, tree):
    """A zarr.json older than the arrays (restored from a backup) lists fewer runs than ran: readers and
    sweeps refuse in one line instead of hiding, cutting away or relabelling those runs."""
    path = tmp_path / "s.zarr"
    ResultStore.create(path, spec)
    old_root = (path / "zarr.json").read_bytes()
    store = ResultStore.create(path, make_spec(seeds=[0, 1, 2]))
    worker["write_run"](store, store.runs()[-1])  # seed 2, we 0.6: done
    (path / "zarr.json").write_bytes(old_root)
    before = tree(path)
    for attempt in (lambda: ResultStore.open(path, "r").status(), lambda: open_results(path),
                    lambda: ResultStore.create(path, spec), lambda: ResultStore.create(path, make_spec(seeds=[0, 1, 5]))):
        with pytest.raises(StoreError, match=r"older than its arrays.*Restore the zarr.json written with these arrays"):
            attempt()
    assert tree(path) == before
