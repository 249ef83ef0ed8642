"""ResultStore basics: create, address runs, write, status and error text, read back."""
from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from brainbatch.store import FailedRun, ResultStore, Run, RunNotFoundError, StoreError, load_state, open_results


def _write_all(store, worker, runs=None):
    for run in runs if runs is not None else store.runs():
        worker["write_run"](store, run)


def test_create_full_size_all_pending(tmp_path, spec):
    store = ResultStore.create(tmp_path / "s.zarr", spec)
    assert store.spec == spec
    assert store.status().shape == (2, 2) and set(store.status().ravel()) == {"pending"}
    assert len(store.pending_runs()) == 4
    assert store.runs()[1] == Run((0, 1), 0, {"we": 0.6})
    assert store.time_chunk("E.V") == 8 and store.time_chunk("E.g") == 1  # 8 steps // every 7


def test_round_trip_and_layout(tmp_path, spec, worker):
    path = tmp_path / "s.zarr"
    store = ResultStore.create(path, spec)
    _write_all(store, worker)
    ds = open_results(path, states=True)
    assert dict(ds.sizes) == {"seed": 2, "we": 2, "time": 30, "E_neuron": 6, "time_every7": 5}
    assert ds["E.spike"].dims == ("seed", "we", "time", "E_neuron") and ds["E.spike"].dtype == bool
    assert ds["E.g"].dims == ("seed", "we", "time_every7", "E_neuron")
    np.testing.assert_allclose(ds["time"], 0.1 * np.arange(30))
    np.testing.assert_allclose(ds["time_every7"], 0.7 * np.arange(5))
    assert ds["E.V"].attrs["units"] == "mV" and ds["E.spike"].attrs["kind"] == "spikes"
    for run in store.runs():
        sel = {"seed": run.seed, "we": run.params["we"]}
        for var in spec.records:
            want = worker["record_values"](var, spec.n_steps, run.seed, run.params["we"])
            np.testing.assert_array_equal(ds[var.name].sel(sel).values, want)
        state = load_state(path, **sel)
        for var in spec.states:
            want = worker["state_values"](var, run.seed, run.params["we"])
            np.testing.assert_array_equal(state[var.name], want)
            np.testing.assert_array_equal(ds[f"states/{var.name}"].sel(sel).values, want)
    assert ds.attrs["experiment"] == "coba" and ds.attrs["command"] == "brainbatch sweep coba.py"
    assert ds.attrs["brainbatch_schema"] == 1 and ds.attrs["defaults"] == {"we": 0.6}
    assert bool(ds["done"].all())


def test_masking_of_unfinished_runs(tmp_path, spec, worker):
    path = tmp_path / "s.zarr"
    store = ResultStore.create(path, spec)
    run = store.runs()[0]
    worker["write_run"](store, run)
    other = store.run_index(seed=1, we=0.6)
    store.write_record(other, "E.V", 0, np.ones((30, 6)))  # written but never marked done
    store.write_record(other, "E.spike", 0, np.ones((30, 6), bool))
    ds = open_results(path)
    assert ds["done"].values.tolist() == [[True, False], [False, False]]
    assert np.isnan(ds["E.V"].sel(seed=1, we=0.6)).all()  # floats of unfinished runs: NaN
    assert ds["E.spike"].sel(seed=1, we=0.6).all()  # bools keep their values; use ds.done
    assert ds["E.V"].dtype == np.float32 and ds["E.V"].attrs["units"] == "mV"
    assert not np.isnan(ds["E.V"].sel(seed=0, we=0.4)).any()
    assert ds["status"].sel(seed=1, we=0.6).item() == "pending"


def test_status_and_error_text(tmp_path, spec):
    store = ResultStore.create(tmp_path / "s.zarr", spec)
    idx = store.run_index(seed=1, we=0.4)
    store.set_status(idx, "running")
    assert store.status()[idx] == "running"
    store.set_status(idx, "failed", "FloatingPointError: NaN in E.V ☃")
    assert store.failed_runs() == [FailedRun(idx, 1, {"we": 0.4}, "FloatingPointError: NaN in E.V ☃")]
    assert store.counts() == {"pending": 3, "running": 0, "done": 0, "failed": 1}
    ds = open_results(store.path)
    assert ds["error"].sel(seed=1, we=0.4).item() == "FloatingPointError: NaN in E.V ☃"
    assert ds["error"].sel(seed=0, we=0.4).item() == ""
    store.set_status(idx, "failed", "é" * 5000)  # cut at a character boundary, marked
    assert store.error(idx).endswith("[error text cut]") and len(store.error(idx).encode()) <= 4096
    store.mark_done(idx, steps=store.spec.n_steps)  # the caller vouches for its records (here only its error text counts)
    assert store.error(idx) == "" and store.status()[idx] == "done"
    with pytest.raises(StoreError, match="'pending', 'running', 'done', 'failed'.*Did you mean 'done'"):
        store.set_status(idx, "dnoe")


def test_run_index_errors_suggest(tmp_path, spec):
    store = ResultStore.create(tmp_path / "s.zarr", spec)
    assert store.run_index(seed=1, we=0.6) == (1, 1)
    assert store.run_index(seed=1, we=0.6000000000000001) == (1, 1)  # last-bit float noise
    with pytest.raises(RunNotFoundError, match=r"we=0.66 is not in the store.*\[0.4, 0.6\].*Did you mean 0.6"):
        store.run_index(seed=0, we=0.66)
    with pytest.raises(LookupError, match="no parameter 'wee'.*Did you mean 'we'"):
        store.run_index(seed=0, wee=0.4)
    with pytest.raises(RunNotFoundError, match="missing: \\['we'\\]"):
        store.run_index(seed=0)
    with pytest.raises(RunNotFoundError, match="seed=7 is not in the store"):
        store.run_index(seed=7, we=0.4)
    with pytest.raises(RunNotFoundError, match="run index must be 2 integers"):
        store.set_status((0, 5), "done")


def test_write_validation(tmp_path, spec):
    store = ResultStore.create(tmp_path / "s.zarr", spec)
    idx = (0, 0)
    with pytest.raises(RunNotFoundError, match="no recorded variable 'E.spkie'.*Did you mean 'E.spike'"):
        store.write_record(idx, "E.spkie", 0, np.zeros((1, 6), bool))
    with pytest.raises(StoreError, match=r"shape \(T, 6\).*got \(3, 5\)"):
        store.write_record(idx, "E.V", 0, np.zeros((3, 5)))
    with pytest.raises(StoreError, match="has 30 samples; start=28 with 5 samples"):
        store.write_record(idx, "E.V", 28, np.zeros((5, 6)))
    with pytest.raises(StoreError, match="stored as bool; values of dtype float64"):
        store.write_record(idx, "E.spike", 0, np.zeros((5, 6)))
    with pytest.raises(RunNotFoundError, match="no state 'E.v'.*Did you mean 'E.V'"):
        store.write_states(idx, {"E.v": np.zeros(6)})
    with pytest.raises(StoreError, match="load_state|is 'pending'"):
        load_state(store.path, seed=0, we=0.4)


def test_read_only_and_file_url(tmp_path, spec, worker):
    url = (tmp_path / "s.zarr").as_uri()
    assert url.startswith("file://")
    store = ResultStore.create(url, spec)
    _write_all(store, worker, store.runs()[:1])
    reader = ResultStore.open(url, mode="r")
    with pytest.raises(StoreError, match="read-only.*mode='r\\+'"):
        reader.mark_done((0, 1))
    ds = open_results(url)
    assert ds["done"].sum().item() == 1
    store.finish(wall_time_s=1.5)
    ds = open_results(tmp_path / "s.zarr")
    assert ds.attrs["finished"] and ds.attrs["wall_time_s"] == 1.5
    # the coordinator's metadata change is visible to plain xarray too (consolidated metadata refreshed)
    assert xr.open_zarr(tmp_path / "s.zarr").attrs["wall_time_s"] == 1.5


def test_string_int_params_and_no_params(tmp_path, make_spec, worker):
    spec = make_spec(params={"model": ["lif", "adex"], "n": [10, 20, 30]}, seeds=[3])
    store = ResultStore.create(tmp_path / "s.zarr", spec)
    _write_all(store, worker)
    ds = open_results(store.path)
    assert ds["model"].values.tolist() == ["lif", "adex"] and ds["n"].dtype == np.int64
    want = worker["record_values"](spec.records[1], spec.n_steps, 3, "adex", 20)
    np.testing.assert_array_equal(ds["E.V"].sel(seed=3, model="adex", n=20), want)
    with pytest.raises(RunNotFoundError, match="Did you mean 'adex'"):
        store.run_index(seed=3, model="adx", n=10)

    bare = ResultStore.create(tmp_path / "bare.zarr", make_spec(params={}, seeds=[0, 1, 2]))
    _write_all(bare, worker)
    assert bare.runs()[2] == Run((2,), 2, {})
    assert open_results(bare.path)["E.V"].dims == ("seed", "time", "E_neuron")


def test_a_state_slot_is_checked_against_its_checksum_and_write_states_keeps_it(tmp_path, spec):
    # save_state stamps each slot's CRC (checkpoint/slot_crc); a slot whose arrays change behind it is damaged, but
    # write_states (the public write of slot 0) keeps the checksum in step with what it writes
    import zarr

    from brainbatch.store import StoreDamagedError

    store = ResultStore.create(tmp_path / "s.zarr", spec)
    idx = (0, 0)
    full = {"E.V": np.arange(6, dtype=np.float32), "E.count": np.int32(3)}
    store.save_state(idx, full, 30, final=True)
    np.testing.assert_array_equal(store.read_states(idx)["E.V"], full["E.V"])
    store.write_states(idx, {**full, "E.V": np.ones(6, np.float32)})  # a whole state: checked against its own CRC
    np.testing.assert_array_equal(store.read_states(idx)["E.V"], np.ones(6))
    store.write_states(idx, {"E.count": np.int32(4)})  # part of it: the checksum covers the arrays it kept too
    assert int(store.read_states(idx)["E.count"]) == 4
    store.save_state(idx, full, 30, final=True)
    zarr.open_group(str(tmp_path / "s.zarr"), mode="r+")["states/E.V"][0, 0, 2] = 7.0  # behind the store's back
    with pytest.raises(StoreDamagedError, match="not those saved with its step"):
        store.read_states(idx)
