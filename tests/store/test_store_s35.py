"""Session 35's store hunt: the accessor's one window, integers past 64 bits, a lazy dataset read after a rebuild,
``status --verify`` and the digests of unfinished runs' kept records (real Zarr stores on disk)."""
from __future__ import annotations

import json
import re
import runpy
import shutil
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from brainbatch.store import ResultStore, StoreDamagedError, StoreError, StoreRebuiltError, StoreSpec, VarSpec, open_results

HERE = Path(__file__).parent
WORKER = runpy.run_path(str(HERE / "_worker.py"))


def _spec(**overrides) -> StoreSpec:
    kw = dict(experiment="coba", source_hash="a" * 64, params={"we": [0.4, 0.6]}, seeds=[0, 1], n_steps=30, dt=0.1,
              records=(VarSpec("E.spike", ("E_neuron",), (6,), "bool", units="1"),
                       VarSpec("E.V", ("E_neuron",), (6,), "float32", units="mV")),
              states=(VarSpec("E.V", ("E_neuron",), (6,), "float32", units="mV"),),
              time_chunk=8, attrs={"command": "brainbatch sweep coba.py", "defaults": {"we": 0.6}})
    kw.update(overrides)
    return StoreSpec(**kw)


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    """A store whose four runs are all done (the store tests' worker writes them); copied by tests that change it."""
    path = tmp_path_factory.mktemp("s35") / "done.zarr"
    WORKER["write_store"](path, _spec())
    return path


def _copy(written: Path, tmp_path: Path) -> Path:
    return WORKER["copy_store"](written, tmp_path)


# ---------------------------------------------------------------------------------------------- 1. one window
def _raster() -> xr.Dataset:
    """One neuron firing at 0, 1, 2 and 3 ms (dt 0.1 ms, 5 ms); a second firing at 0.5 and 3 ms."""
    s = np.zeros((1, 50, 2), bool)
    s[0, [0, 10, 20, 30], 0] = True
    s[0, [5, 30], 1] = True
    return xr.Dataset({"sp": xr.DataArray(s, dims=("trial", "time", "neuron"),
                                          coords={"time": np.round(np.arange(50) * 0.1, 1)})})


def test_every_window_of_the_accessor_is_t0_up_to_not_including_t1():
    # isi_hist counted a spike at exactly t1 (its window was xarray's closed slice): [1, 3] gave the intervals
    # 1 -> 2 -> 3 (two of 1 ms) and 0.5 -> 3 ms was cut at 0.5 only; [t0, t1) is a run's own span (to_neo's
    # [t_start, t_stop)) and what the binned statistics count
    ds = _raster()
    edges = [0.0, 0.75, 1.25, 5.0]
    hist = ds.bb.isi_hist(edges, t0=1.0, t1=3.0).isel(trial=0).values
    np.testing.assert_array_equal(hist, np.histogram([1.0], bins=edges)[0])  # 1 -> 2 ms only: 3 ms is not in it
    # the whole record: 0 -> 1 -> 2 -> 3 (three of 1 ms) and 0.5 -> 3 (2.5 ms), by hand
    np.testing.assert_array_equal(ds.bb.isi_hist(edges).isel(trial=0).values, np.histogram([1, 1, 1, 2.5], bins=edges)[0])
    # t1 just past 3 ms takes it in; a t1 written as a sum (0.30000000000000004 * 10) is the label 3.0
    assert int(ds.bb.isi_hist(edges, t0=1.0, t1=3.05).isel(trial=0).sum()) == 2  # 1 -> 2 -> 3 ms
    np.testing.assert_array_equal(ds.bb.isi_hist(edges, t0=1.0, t1=0.1 * 3 * 10).isel(trial=0).values, hist)
    # 1-sample bins: a window of 2 ms is 20 bins, none starting at t1 (the closed window made a 21st, [3, 3.1))
    fano = ds.bb.fano(0.1, t0=1.0, t1=3.0)
    counts = ds.sp.isel(trial=0).values[10:30].astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        want = counts.var(axis=0) / np.where(counts.mean(axis=0) > 0, counts.mean(axis=0), np.nan)
    np.testing.assert_allclose(fano.isel(trial=0).values, want, equal_nan=True)
    assert ds.bb.spectrum(0.1, t0=1.0, t1=3.0).sizes["frequency"] == 20 // 2 + 1  # rfft of 20 bins
    with pytest.raises(StoreError, match=r"no sample of 'sp' lies between t0=3.0 and t1=3.0 .*\[t0, t1\)"):
        ds.bb.fano(0.1, t0=3.0, t1=3.0)


# ---------------------------------------------------------------------------------------------- 2. big integers
def _strict_ints(text: str) -> dict:
    """The JSON as serde_json (zarrs) or nlohmann (tensorstore) hold it exactly: an integer past 64 bits is refused."""
    def parse_int(digits: str) -> int:
        value = int(digits)
        if not -(2**63) <= value <= 2**64 - 1:
            raise ValueError(f"integer {digits} is past 64 bits")
        return value

    return json.loads(text, parse_int=parse_int)


def test_a_default_past_64_bits_is_written_as_marked_text_and_read_back_as_the_integer(tmp_path):
    path = tmp_path / "big.zarr"
    attrs = {"command": "x", "defaults": {"we": 0.6, "big": 2**70, "low": -(2**64), "top": 2**64 - 1}}
    ResultStore.create(path, _spec(attrs=attrs))
    root = _strict_ints((path / "zarr.json").read_text())  # refused before: 1180591620717411303424 as a JSON number
    assert root["attributes"]["defaults"]["big"] == {"integer": "1180591620717411303424"}
    assert root["attributes"]["defaults"]["top"] == 2**64 - 1  # within 64 bits: a plain number, as before
    ds = open_results(path)
    assert ds.attrs["defaults"] == {"we": 0.6, "big": 2**70, "low": -(2**64), "top": 2**64 - 1}
    assert ds.attrs["provenance"]["defaults"]["big"] == 2**70
    ResultStore.create(path, _spec(attrs=attrs))  # the same sweep again: the same defaults, no "defaults differ"
    with pytest.raises(StoreError, match=r"defaults: .*big=1180591620717411303424, this sweep's are big=1180591620717411303425"):
        ResultStore.create(path, _spec(attrs={**attrs, "defaults": {**attrs["defaults"], "big": 2**70 + 1}}))


@pytest.mark.parametrize("values, shown", [
    ([2**70], "not held at all"),  # zarr's "data type resolution from object failed" half-way through creating
    ([2**63 + 1, 1], "read back as 9.223372036854776e+18"),  # numpy made the coordinate float64: another label
    ([2**53 + 1, 0.5], "read back as 9007199254740992.0"),
])
def test_a_swept_integer_its_coordinate_cannot_hold_is_refused_before_anything_is_written(tmp_path, values, shown):
    path = tmp_path / "x.zarr"
    with pytest.raises(StoreError, match=rf"swept axis 'we' has the integer {values[0]}, .*\({re.escape(shown)}\)"):
        ResultStore.create(path, _spec(params={"we": values}))
    assert not path.exists()
    with pytest.raises(StoreError, match=r"sampled parameter 'we' has the integer 1180591620717411303424"):
        _spec(params={"sample": [0, 1]}, samples={"we": [2**70, 1]})


# ---------------------------------------------------------------------------------------------- 3. lazy datasets
def test_a_lazy_dataset_refuses_to_read_a_store_rebuilt_under_it(written, tmp_path):
    path = _copy(written, tmp_path)
    ds = open_results(path)
    assert bool(ds.done.all()) and int(ds["E.spike"].sum()) > 0
    lazy = open_results(path)
    ResultStore.create(path, _spec(dt=0.05), force=True)  # another process's --force: every run pending, empty
    # read the rebuilt, empty chunks under its old mask: every done run silent (0 spikes), its V all NaN
    with pytest.raises(StoreRebuiltError, match="was rebuilt or removed .* open it again with open_results"):
        int(lazy["E.spike"].sel(seed=0, we=0.4).sum())
    shutil.rmtree(path)  # removed: the same
    with pytest.raises(StoreRebuiltError, match="was rebuilt or removed"):
        lazy["E.V"].values


def test_a_lazy_dataset_reads_on_through_an_extension_and_calls_a_chunk_deleted_since_damage(written, tmp_path):
    path = _copy(written, tmp_path)
    lazy = open_results(path)
    want = lazy["E.V"].sel(seed=1, we=0.6).values
    store = ResultStore.create(path, _spec(seeds=[0, 1, 2]))  # more seeds: the same store, its runs kept
    store.finish()
    np.testing.assert_array_equal(lazy["E.V"].sel(seed=1, we=0.6).values, want)
    run = store.run_index(0, we=0.4)
    (path / "E.spike" / "c" / "/".join(map(str, (*run, 1, 0)))).unlink()  # a done run's chunk lost after opening
    with pytest.raises(StoreDamagedError, match=r"chunk 'E.spike/c/0/0/1/0' of a run that was done .* is missing"):
        lazy["E.spike"].sel(seed=0, we=0.4).values
    assert int(lazy["E.spike"].sel(seed=1, we=0.4).sum()) > 0  # the others read as before


# ---------------------------------------------------------------------------------------------- 4. status --verify
def test_full_checks_compare_the_digests_of_an_unfinished_runs_kept_records(written, tmp_path):
    # a resume starts such a run again from step 0 (sweep/task.py::_earlier_records); status --verify said all was well
    path = _copy(written, tmp_path)
    store = ResultStore.create(path, _spec(seeds=[0, 1, 2]))
    a, b = store.run_index(2, we=0.4), store.run_index(0, we=0.4)
    for var in store.spec.records:
        values = WORKER["record_values"](var, store.spec.n_steps, 2, 0.4)
        store.write_record(a, var.name, 0, values[:20])  # two whole time chunks of 8 and a part of the third
    store.save_state(a, {"E.V": WORKER["state_values"](store.spec.states[0], 2, 0.4)}, 20)
    store.set_steps_done(a, 20)
    assert store.verify_resume(full=True) == {}
    for t in (0, 2):  # a whole chunk from another run; the chunk holding step 20 (written again in part) is not compared
        key = f"c/{b[0]}/{b[1]}/{t}/0", f"c/{a[0]}/{a[1]}/{t}/0"
        shutil.copyfile(path / "E.V" / key[0], path / "E.V" / key[1])
    assert store.verify_resume(full=False) == {}  # the cheap check reads no record data
    assert store.verify_resume(full=True) == {a: "its records before its saved state are damaged: chunk c/2/0/0/0 of "
                                                 "'E.V': its values are not those written there for this run (their "
                                                 "digest differs: a chunk file copied from another run or time block, "
                                                 "or values written there by hand)"}
    assert str(ResultStore.open(path, "r").status()[a]) == "pending"  # listed, never done


# ---------------------------------------------------------------------------------------------- 5. the hunt
@pytest.mark.parametrize("key", ["versions_seen", "brainbatch_layout_change", "generation_note"])
def test_finish_never_writes_over_an_attribute_the_store_reads(written, tmp_path, key):
    # finish(brainbatch_layout_change=...) made the next sweep take the store for a cut-off rebuild and restart every
    # done run; finish(versions_seen=...) replaced the record of the versions that computed them
    path = _copy(written, tmp_path)
    store = ResultStore.open(path)
    if key == "generation_note":  # a name of the user's own is written, as before
        assert store.finish(generation_note="x") and json.loads((path / "zarr.json").read_text())[
            "attributes"]["generation_note"] == "x"
        return
    with pytest.raises(StoreError, match=rf"finish\(\) cannot overwrite the store's own attributes \['{key}'\]"):
        store.finish(**{key: {"structural": True}})
    assert ResultStore.create(path, _spec()).counts()["done"] == 4


def test_a_lease_owner_killed_but_not_yet_reaped_is_not_alive():
    # a zombie (killed with kill -9, its parent has not waited for it yet) still passes kill(pid, 0) and keeps its
    # start time in /proc: its leases held the runs it no longer ran until the parent reaped it
    import dataclasses
    import os
    import signal
    import subprocess
    import sys

    from brainbatch.store import Owner

    if not os.path.exists("/proc/self/stat"):
        pytest.skip("no /proc")
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        def stat() -> list[str]:
            with open(f"/proc/{child.pid}/stat") as fh:
                return fh.read().rsplit(")", 1)[1].split()

        owner = dataclasses.replace(Owner.me(), pid=child.pid, start=stat()[19], token="another")
        assert owner.alive()  # running: alive
        os.kill(child.pid, signal.SIGKILL)
        os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)  # until it has died, without reaping it
        assert stat()[0] == "Z"  # killed, not reaped
        assert stat()[19] == owner.start
        assert not owner.alive()
    finally:
        child.kill()
        child.wait()
