"""Other readers: plain xarray in a process that never imports brainbatch, zarr itself, tensorstore."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import zarr

from brainbatch.store import ResultStore

PLAIN_READER = textwrap.dedent("""
    import json, sys, warnings
    import xarray as xr
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ds = xr.open_zarr(sys.argv[1])
        states = xr.open_zarr(sys.argv[1], group="states")
    row = ds["error"].sel(seed=1, we=0.4).values
    print(json.dumps({
        "sizes": dict(ds.sizes), "dims": {n: list(ds[n].dims) for n in ds.data_vars},
        "coords": sorted(ds.coords), "time": ds["time"].values.tolist(), "we": ds["we"].values.tolist(),
        "E.V": ds["E.V"].sel(seed=0, we=0.6).values.tolist(),
        "E.spike": ds["E.spike"].sel(seed=0, we=0.6).values.tolist(),
        "spike_dtype": str(ds["E.spike"].dtype), "status": ds["status"].values.tolist(),
        "flag_meanings": ds["status"].attrs["flag_meanings"],
        "error": bytes(row.astype("uint8")).rstrip(b"\\0").decode(),
        "state_dims": {n: list(states[n].dims) for n in states.data_vars},
        "experiment": ds.attrs["experiment"], "units": ds["E.V"].attrs["units"],
        "warnings": [str(w.message) for w in caught],
        "brainbatch_imported": any(m.split(".")[0] == "brainbatch" for m in sys.modules),
    }))
""")


@pytest.fixture
def filled(tmp_path, spec, worker):
    store = ResultStore.create(tmp_path / "s.zarr", spec)
    for run in store.runs()[:2]:
        worker["write_run"](store, run)
    store.set_status(store.run_index(seed=1, we=0.4), "failed", "ValueError: boom")
    return store


def test_plain_xarray_without_brainbatch(filled, spec, worker, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-c", PLAIN_READER, filled.path], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    assert not got["brainbatch_imported"]
    assert got["sizes"] == {"seed": 2, "we": 2, "time": 30, "E_neuron": 6, "time_every7": 5, "error_byte": 4096}
    assert got["dims"]["E.V"] == ["seed", "we", "time", "E_neuron"]
    assert got["dims"]["E.g"] == ["seed", "we", "time_every7", "E_neuron"]
    assert got["dims"]["status"] == ["seed", "we"] and got["dims"]["error"] == ["seed", "we", "error_byte"]
    assert {"seed", "we", "time", "time_every7", "E_neuron"} <= set(got["coords"])
    np.testing.assert_allclose(got["time"], 0.1 * np.arange(30))
    assert got["we"] == [0.4, 0.6]
    np.testing.assert_array_equal(np.float32(got["E.V"]), worker["record_values"](spec.records[1], 30, 0, 0.6))
    assert got["spike_dtype"] == "bool"
    np.testing.assert_array_equal(got["E.spike"], worker["record_values"](spec.records[0], 30, 0, 0.6))
    assert got["status"] == [[2, 2], [3, 0]] and got["flag_meanings"] == "pending running done failed"
    assert got["error"] == "ValueError: boom"
    assert got["state_dims"] == {"E.V": ["seed", "we", "E_neuron"], "E.count": ["seed", "we"]}
    assert got["experiment"] == "coba" and got["units"] == "mV"
    assert not [w for w in got["warnings"] if "onsolidated" in w], got["warnings"]


def test_tensorstore_reads_numeric_arrays(filled):
    ts = pytest.importorskip("tensorstore")
    root = zarr.open_group(filled.path, mode="r")
    names = [n for n in root.array_keys()] + [f"states/{n}" for n in root["states"].array_keys()]
    checked = 0
    for name in names:
        expected = root[name][...]
        if expected.dtype.kind not in "biuf":
            continue  # string coordinates are a zarr extension type outside tensorstore's support
        arr = ts.open({"driver": "zarr3", "kvstore": {"driver": "file", "path": os.path.join(filled.path, name)}},
                      read=True).result()
        got = arr.read().result()
        np.testing.assert_array_equal(got, expected, err_msg=name)
        assert list(arr.domain.labels) == list(root[name].metadata.dimension_names), name
        checked += 1
    assert checked >= 12


def test_ds_bb_to_netcdf_writes_every_attribute_as_json_text_where_netcdf_cannot_hold_it(filled, tmp_path):
    import xarray as xr

    from brainbatch.store import open_results

    for n, ds in enumerate([open_results(filled.path), xr.open_zarr(filled.path)]):
        with pytest.raises(TypeError, match="netCDF"):
            ds.to_netcdf(tmp_path / "plain.nc")  # why the helper exists: the root holds dicts
        path = tmp_path / f"runs{n}.nc"
        ds.bb.to_netcdf(path)
        back = xr.open_dataset(path)  # scipy's netCDF-3 writer and reader: the weakest engine
        assert json.loads(back.attrs["defaults"]) == {"we": 0.6} and back.attrs["experiment"] == "coba"
        assert json.loads(back.attrs["params"]) == {"we": [0.4, 0.6]}
        assert isinstance(ds.attrs["defaults"], dict)  # the dataset itself is left as it was
        for name in ("E.V", "E.g", "E.spike"):
            np.testing.assert_array_equal(back[name].values, ds[name].values)
            assert back[name].dims == ds[name].dims and back[name].attrs["units"] == ds[name].attrs["units"]
        np.testing.assert_array_equal(back["status"].values, ds["status"].values)
        np.testing.assert_array_equal(back["we"].values, [0.4, 0.6])


def test_an_error_text_beyond_ascii_goes_to_netcdf3_and_back(tmp_path):
    # the error rows are UTF-8 bytes (uint8); netCDF-3 holds signed bytes only, and a byte >= 128 failed the
    # export ("could not safely cast array from uint8 to int8") of a plainly opened store
    import xarray as xr

    from brainbatch.store import StoreSpec, VarSpec

    spec = StoreSpec("toy", "h" * 64, {"we": [0.4]}, seeds=[0], n_steps=4, dt=0.1,
                     records=(VarSpec("E.V", ("E_neuron",), (2,), "float32", units="mV"),))
    store = ResultStore.create(tmp_path / "u.zarr", spec)
    store.set_status(store.run_index(seed=0, we=0.4), "failed", "ValueError: Ünïcödé — ∑")
    ds = xr.open_zarr(store.path)
    ds.bb.to_netcdf(tmp_path / "u.nc", engine="scipy")
    back = xr.open_dataset(tmp_path / "u.nc", engine="scipy")
    assert back["error"].dtype == np.uint8
    np.testing.assert_array_equal(back["error"].values, ds["error"].values)
    row = back["error"].sel(seed=0, we=0.4).values
    assert bytes(row).rstrip(b"\0").decode("utf-8") == "ValueError: Ünïcödé — ∑"
    raw = xr.open_dataset(tmp_path / "u.nc", engine="scipy", decode_cf=False)["status"]
    assert raw.attrs["flag_values"].dtype == raw.dtype  # CF: flag_values of the variable's own type
