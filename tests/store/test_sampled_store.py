"""A sampled design in the store: the spec's rules, the `sample` dim with non-dimension coordinates
that plain xarray reads, growth by more samples, and the refusals of a different design."""
import numpy as np
import pytest
import xarray as xr
import zarr

from brainbatch.store import ResultStore, StoreError, StoreMismatchError, StoreSpec, VarSpec, open_results

REC = (VarSpec("E.spike", ("E_neuron",), (3,), "bool"),)
STATES = (VarSpec("E.V", ("E_neuron",), (3,), "float32"),)
DESIGN = {"sampler": "sobol", "sample_seed": 0, "samples": 4, "parameters": ["we"], "extendable": True,
          "ranges": {"we": {"low": 0.4, "high": 0.8, "scale": "linear", "integer": False}}}
WE = [0.7, 0.5, 0.45, 0.6, 0.41, 0.79]


def spec(n=4, design=DESIGN, we=WE, **kw):
    return StoreSpec("x", "h", {"wi": [1.0, 2.0], "sample": list(range(n))}, [0, 1], 10, 0.1, records=REC,
                     states=STATES, samples={"we": we[:n]}, design={**design, "samples": n}, **kw)


@pytest.mark.parametrize("kwargs, fragment", [
    ({"params": {"sample": [0, 2]}, "samples": {"we": [0.5, 0.6]}}, "'sample' = 0..1"),
    ({"params": {}, "samples": {"we": [0.5]}}, "'sample' = 0..0"),
    ({"params": {"sample": [0, 1]}, "samples": {"we": [0.5]}}, "'sample' = 0..0"),
    ({"params": {"sample": [0, 1]}, "samples": {"we": [0.5, float("nan")]}}, "finite numbers"),
    ({"params": {"sample": [0, 1]}, "samples": {"we": [0.5, 0.6], "wi": [1.0]}}, "has 1 values for 2 samples"),
    ({"params": {"sample": [0, 1]}, "samples": {"seed": [0.5, 0.6]}}, "clashes"),
    ({"params": {"sample": [0, 1], "we": [1.0]}, "samples": {"we": [0.5, 0.6]}}, "clashes with a swept parameter"),
    ({"params": {}, "design": {"sampler": "sobol"}}, "needs its sampled values"),
])
def test_spec_rules_of_sampled_parameters(kwargs, fragment):
    base = {"experiment": "x", "source_hash": "h", "seeds": [0], "n_steps": 10, "dt": 0.1}
    with pytest.raises(StoreError, match=fragment):
        StoreSpec(**{**base, **kwargs})


def test_spec_round_trips_through_json():
    s = spec()
    assert StoreSpec.from_json(s.to_json()) == s
    old = {k: v for k, v in StoreSpec("x", "h", {}, [0], 10, 0.1).to_json().items() if k not in ("samples", "design")}
    assert StoreSpec.from_json(old).samples == {}  # stores written before designs existed


def test_sampled_coordinates_read_with_plain_xarray_and_zarr(tmp_path):
    path = str(tmp_path / "s.zarr")
    ResultStore.create(path, spec())
    ds = xr.open_zarr(path)
    assert ds.we.dims == ("sample",) and "we" in ds.coords and ds.status.dims == ("seed", "wi", "sample")
    assert list(ds.sortby("we").we.values) == sorted(WE[:4])
    assert ds.attrs["design"]["sampler"] == "sobol" and "coordinates" not in ds.attrs  # xarray consumed it
    assert xr.open_zarr(path, group="states").we.dims == ("sample",)
    root = zarr.open_group(path, mode="r")
    assert root["we"].metadata.dimension_names == ("sample",) and list(root["we"][...]) == WE[:4]
    assert root.attrs["coordinates"] == "we"
    ds = open_results(path)
    assert ds.we.dims == ("sample",) and ds.done.dims == ("seed", "wi", "sample")


def test_more_samples_grow_the_sample_dim_and_keep_every_run(tmp_path):
    path = str(tmp_path / "s.zarr")
    store = ResultStore.create(path, spec(4))
    idx = store.run_index(seed=1, wi=2.0, sample=3)
    store.write_record(idx, "E.spike", 0, np.ones((10, 3), bool))
    store.mark_done(idx)
    store = ResultStore.create(path, spec(6))
    assert store.spec.params["sample"] == list(range(6)) and store.spec.design["samples"] == 6
    assert store.status_of(store.run_index(seed=1, wi=2.0, sample=3)) == "done"
    assert store.counts()["pending"] == 2 * 2 * 6 - 1
    ds = xr.open_zarr(path)
    assert list(ds.we.values) == WE and bool(ds["E.spike"].sel(seed=1, wi=2.0, sample=3).all())
    # a narrower design keeps the wider store
    store = ResultStore.create(path, spec(2))
    assert store.spec.samples["we"] == WE and store.spec.design["samples"] == 6


def test_a_store_holds_one_design(tmp_path):
    path = str(tmp_path / "s.zarr")
    ResultStore.create(path, spec(4))
    with pytest.raises(StoreMismatchError, match=r"different design \(sample_seed differ\)"):
        ResultStore.create(path, spec(4, design={**DESIGN, "sample_seed": 9}))
    with pytest.raises(StoreMismatchError, match="sample 2 has we=0.45 in the store but we=0.44"):
        ResultStore.create(path, spec(6, we=[0.7, 0.5, 0.44, 0.6, 0.41, 0.79]))
    grid = StoreSpec("x", "h", {"wi": [1.0, 2.0], "sample": [0, 1, 2, 3]}, [0, 1], 10, 0.1, records=REC, states=STATES)
    with pytest.raises(StoreMismatchError, match="holds sobol design.*but this sweep is a grid"):
        ResultStore.create(path, grid)
    for force in (False, True):  # not even force changes the design
        with pytest.raises(StoreMismatchError):
            ResultStore.create(path, spec(4, design={**DESIGN, "sampler": "halton"}), force=force)


def test_a_design_that_cannot_grow_says_why(tmp_path):
    path = str(tmp_path / "s.zarr")
    lhs = {**DESIGN, "sampler": "lhs", "extendable": False, "not_extendable_because": "use --sampler sobol"}
    ResultStore.create(path, spec(4, design=lhs))
    with pytest.raises(StoreMismatchError, match="cannot change to 6: use --sampler sobol"):
        ResultStore.create(path, spec(6, design=lhs))
