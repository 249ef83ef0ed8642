"""Session 36's store hunt: a swept parameter's edited ``units`` (reported, read back as the spec says, rewritten by
the next sweep), and what an independent Zarr v3 reader or a hostile edit finds (real Zarr stores on disk)."""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
import zarr

from brainbatch.store import ResultStore, StoreDamagedWarning, StoreSpec, VarSpec, open_results


def _unit_spec(make_spec):
    return make_spec(attrs={"command": "brainbatch sweep coba.py", "defaults": {"we": 0.6}, "param_units": {"we": "nS"}})


def _attrs(path: Path, name: str) -> dict:
    return json.loads((path / name / "zarr.json").read_text())["attributes"]


# ------------------------------------------------------------------------------- 1. a parameter coordinate's units
def test_an_edited_unit_of_a_parameter_coordinate_is_reported_restored_and_rewritten(tmp_path, make_spec):
    # session 35's note #4: `we` in nS edited to "pF" (every value read 1000x off by a unit-aware reader) and a
    # seed given units="days since ..." (plain xarray read the seeds as dates): verify_coordinates said nothing,
    # open_results kept "pF" without a word, and the next sweep left both edits in place
    path = tmp_path / "s.zarr"
    spec = _unit_spec(make_spec)
    ResultStore.create(path, spec)
    assert _attrs(path, "we") == {"long_name": "swept parameter we", "units": "nS"}
    we = zarr.open_array(str(path / "we"), mode="r+")
    we.attrs.update({"units": "pF", "comment": "a note of the user's"})
    zarr.open_array(str(path / "states" / "we"), mode="r+").attrs["units"] = "pF"
    zarr.open_array(str(path / "seed"), mode="r+").attrs["units"] = "days since 2000-01-01"

    found = ResultStore.open(path, "r").verify_coordinates()
    assert set(found) == {"we", "states/we", "seed"}
    assert "carries units='pF' (the store writes 'nS')" in found["we"]
    assert "carries units='days since 2000-01-01', by which readers decode its values (the store writes no units" \
        in found["seed"]

    with pytest.warns(StoreDamagedWarning, match=r"coordinate\(s\) \['seed', 'we', 'states/we'\] of the store do not "
                                                 r"hold the labels or attributes"):
        ds = open_results(path, states=True)
    assert ds["we"].attrs == {"long_name": "swept parameter we", "units": "nS"}
    assert "units" not in ds["seed"].attrs and ds["seed"].dtype == np.int64
    np.testing.assert_array_equal(ds["seed"].values, [0, 1])
    np.testing.assert_array_equal(ds["we"].values, [0.4, 0.6])

    again = ResultStore.create(path, spec)  # the next sweep: the spec's attributes again, the user's note kept
    assert _attrs(path, "we") == {"long_name": "swept parameter we", "units": "nS", "comment": "a note of the user's"}
    assert _attrs(path, "states/we")["units"] == "nS" and "units" not in _attrs(path, "seed")
    assert again.verify_coordinates() == {} and again.verify_consolidated() == {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert open_results(path)["we"].attrs["units"] == "nS"


def test_parameter_units_that_are_the_specs_are_no_damage(tmp_path, make_spec):
    # the check compares with the spec: a store whose parameters carry no unit, and one whose carry theirs, are whole
    for name, spec in (("plain.zarr", make_spec()), ("units.zarr", _unit_spec(make_spec))):
        store = ResultStore.create(tmp_path / name, spec)
        assert store.verify_coordinates() == {}


# ------------------------------------------------------------------------------- 2. root attributes that lie
@pytest.fixture(scope="module")
def written(tmp_path_factory, worker) -> Path:
    """A store of four done runs whose provenance records build() defaults, precision and NaN rule."""
    path = tmp_path_factory.mktemp("s36") / "done.zarr"
    worker["write_store"](path, StoreSpec(
        experiment="coba", source_hash="a" * 64, params={"we": [0.4, 0.6]}, seeds=[0, 1], n_steps=12, dt=0.1,
        records=(VarSpec("E.V", ("E_neuron",), (3,), "float32", units="mV"),), time_chunk=8,
        attrs={"command": "brainbatch sweep coba.py", "defaults": {"we": 0.6, "tau": 20.0}, "x64": False, "allow_nan": []}))
    return path


@pytest.mark.parametrize("edit, named", [
    (lambda a: a["defaults"].update(tau=10.0), "'defaults.tau' is 10.0 where its spec says 20.0"),
    (lambda a: a.update(x64=True), "'x64' is True where its spec says False"),
    (lambda a: a.update(allow_nan="all"), "'allow_nan' is 'all' where its spec says []"),
    (lambda a: a.update(seeds=[1, 0]), "'seeds' is [1, 0] where its spec says [0, 1]"),
    (lambda a: a.update(params={"we": [0.6, 0.4]}), "'params.we' is [0.6, 0.4] where its spec says [0.4, 0.6]"),
], ids=["defaults", "x64", "allow_nan", "seeds", "params"])
def test_a_root_attribute_that_lies_about_the_runs_is_damage_for_every_reader(written, tmp_path, worker, edit, named):
    # the runs were computed with tau = 20 (build() default), 32-bit, no NaN allowed, seeds [0, 1] in store order: an
    # edited flat copy (what xr.open_zarr's ds.attrs shows) said otherwise, and `status` exited 0, open_results
    # served the lie in ds.attrs without a word (the sweep compares the spec's copy, so nothing noticed)
    from click.testing import CliRunner

    from brainbatch.cli.main import main
    from brainbatch.store import StoreDamagedError

    path = worker["copy_store"](written, tmp_path)
    meta = json.loads((path / "zarr.json").read_text())
    edit(meta["attributes"])
    (path / "zarr.json").write_text(json.dumps(meta))
    res = CliRunner().invoke(main, ["status", str(path)])
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    assert f"is a damaged brainbatch store: its root attribute {named}" in " ".join(res.output.split())
    with pytest.raises(StoreDamagedError, match="the root zarr.json was edited by hand"):
        open_results(path)


def test_the_root_attributes_as_written_and_finish_keeps_them(written, tmp_path, worker):
    from brainbatch.store import StoreError

    path = worker["copy_store"](written, tmp_path)
    store = ResultStore.open(path)
    assert open_results(path).attrs["defaults"] == {"we": 0.6, "tau": 20.0}
    with pytest.raises(StoreError, match=r"finish\(\) cannot overwrite the store's own attributes \['defaults'\]"):
        store.finish(defaults={"tau": 1.0}, wall_time_s=1.0)
    assert store.finish(wall_time_s=1.0)  # another name: kept beside them, the store whole
    assert ResultStore.open(path, "r").spec.attrs["defaults"]["tau"] == 20.0
    assert open_results(path).attrs["wall_time_s"] == 1.0
