"""Sampled sweeps end to end on the toy model: one store, extension by more samples (never redoing a
run), lanes equal to runs alone, plain xarray reading, and the errors of a mismatched design."""
import numpy as np
import pytest
import xarray as xr
from _support import TOY, arrays

import brainbatch as bb
from brainbatch.sweep import ExperimentError, UsageError
from brainbatch.sweep.api import describe_plan, prepare

FAST = {"duration": 2, "progress": False, "devices": "cpu"}


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """A 16-sample store extended to 32, and one 32-sample sweep, over the same design."""
    tmp = tmp_path_factory.mktemp("sampled")
    grown, whole = str(tmp / "grown.zarr"), str(tmp / "whole.zarr")
    first = bb.sweep(TOY, params={"drive": bb.Range(1.0, 2.0)}, samples=16, out=grown, batch_size=16, **FAST)
    second = bb.sweep(TOY, params={"drive": "1:2"}, samples=32, out=grown, batch_size=16, **FAST)
    bb.sweep(TOY, params={"drive": "1:2"}, samples=32, out=whole, batch_size=16, **FAST)
    return {"grown": grown, "whole": whole, "first": first, "second": second, "tmp": tmp}


def test_extending_16_to_32_samples_equals_one_32_sample_sweep_bitwise(stores):
    assert stores["first"].done == 16
    assert stores["second"].done == 16 and stores["second"].skipped == 16  # the 16 finished runs are not redone
    grown, whole = arrays(stores["grown"]), arrays(stores["whole"])
    assert grown.keys() == whole.keys()
    for name in grown:
        assert np.array_equal(grown[name], whole[name], equal_nan=grown[name].dtype.kind == "f"), name
    assert (grown["status"] == 2).all() and grown["drive"].shape == (32,)
    ds = xr.open_zarr(stores["grown"])
    assert ds.attrs["design"]["samples"] == 32 and ds.attrs["design"]["sampler"] == "sobol"


def test_a_lane_equals_the_same_point_run_alone(stores):
    sampled = bb.open_results(stores["whole"])
    k = 21
    value = float(sampled.drive.values[k])
    alone_path = str(stores["tmp"] / "alone.zarr")
    bb.sweep(TOY, seeds=[0], params={"drive": [value]}, out=alone_path, **FAST)
    alone = bb.open_results(alone_path).sel(seed=0, drive=value)
    lane = sampled.sel(seed=0, sample=k)
    assert np.array_equal(alone.spikes.values, lane.spikes.values)
    assert np.array_equal(alone.V.values, lane.V.values)


def test_the_store_reads_with_plain_xarray(stores):
    ds = xr.open_zarr(stores["whole"])
    assert ds.drive.dims == ("sample",) and "drive" in ds.coords and "drive" not in ds.dims
    ordered = ds.sortby("drive")
    assert np.all(np.diff(ordered.drive.values) > 0)
    assert list(ordered.sample.values) == list(np.argsort(ds.drive.values))
    # the README's first-order sensitivity, from plain xarray (a summary that varies in 2 ms: the mean V)
    y = ds.V.where(ds.status == 2).mean(["time", "G_neuron", "seed"]).load()
    edges = np.quantile(ds.drive.values, np.linspace(0, 1, 5))
    s1 = float(y.groupby_bins("drive", edges, include_lowest=True).mean().var() / y.var())
    assert 0.5 < s1 <= 1.0  # drive is the only parameter: it explains most of the variance
    states = xr.open_zarr(stores["whole"], group="states")
    assert states.drive.dims == ("sample",)


def test_accessor_scatter_of_a_summary_against_each_sampled_parameter(stores):
    ds = bb.open_results(stores["whole"])
    assert ds.bb.sampled == ["drive"]
    rate = ds.bb.mean_rate()
    assert rate.dims == ("seed", "sample") and np.isfinite(rate.values).all()
    axes = ds.bb.scatter()
    assert len(axes) == 1 and axes[0].get_xlabel() == "drive"
    xs = axes[0].collections[0].get_offsets()[:, 0]
    assert sorted(xs) == sorted(ds.drive.values)  # one point per run
    with pytest.raises(bb.store.StoreError, match="no sampled parameters"):
        bb.open_results(str(stores["tmp"] / "alone.zarr")).bb.scatter()


def test_a_different_design_on_an_existing_store_says_why(stores):
    with pytest.raises(UsageError, match=r"different design \(sample_seed differ\)"):
        bb.sweep(TOY, params={"drive": "1:2"}, samples=32, sample_seed=1, out=stores["grown"], **FAST)
    with pytest.raises(UsageError, match=r"different design \(ranges differ\)"):
        bb.sweep(TOY, params={"drive": "1:3"}, samples=32, out=stores["grown"], **FAST)
    with pytest.raises(UsageError, match="holds sobol design.*but this sweep is a grid"):
        bb.sweep(TOY, params={"drive": [1.0]}, out=stores["grown"], **FAST)
    # a narrower design (the first points) is already done: nothing runs
    again = bb.sweep(TOY, params={"drive": "1:2"}, samples=8, out=stores["grown"], **FAST)
    assert again.done == 0 and again.skipped == 8


def test_lhs_cannot_be_extended_and_suggests_sobol(tmp_path):
    out = str(tmp_path / "lhs.zarr")
    bb.sweep(TOY, params={"drive": "1:2"}, samples=4, sampler="lhs", out=out, **FAST)
    with pytest.raises(UsageError, match="cannot change to 8.*use --sampler sobol"):
        bb.sweep(TOY, params={"drive": "1:2"}, samples=8, sampler="lhs", out=out, **FAST)


def test_static_int_ranges_group_by_value_and_float_ranges_are_lanes(tmp_path):
    prep = prepare(TOY, params={"drive": "1:2", "n": "10:13:int"}, samples=16, out=str(tmp_path / "x.zarr"),
                   duration=2, dry_run=True)
    assert prep.traced == ("drive",)
    assert prep.groups == len(set(prep.plan.samples["n"])) == 4  # one compiled program per n
    for task in prep.tasks:  # every lane of a batch shares n; drive varies across lanes
        ns = {dict(p)["n"] for _, p in task.runs}
        assert len(ns) == 1 and dict(task.fixed)["n"] in ns
    text = describe_plan(prep)
    assert "design      sobol, 16 samples, sample seed 0: drive in 1:2, n in 10:13:int" in text
    assert "points      sample 0: drive=" in text and "... (11 more)" in text
    assert "runs        16 (16 to run)" in text and "size        about" in text


def test_an_interrupted_sampled_sweep_resumes_like_any_sweep(tmp_path):
    from brainbatch.store import ResultStore

    out = str(tmp_path / "r.zarr")
    bb.sweep(TOY, params={"drive": "1:2"}, samples=4, out=out, **FAST)
    store = ResultStore.open(out)
    lost = store.run_index(seed=0, sample=2)
    store.set_status(lost, "running")  # as a killed worker leaves it
    again = bb.sweep(TOY, params={"drive": "1:2"}, samples=4, out=out, **FAST)
    assert again.done == 1 and again.skipped == 3
    assert (arrays(out)["status"] == 2).all()


def test_a_float_range_on_a_parameter_that_cannot_be_traced_is_refused(tmp_path):
    from _support import write_experiment

    path = write_experiment(tmp_path, "branch.py", """
        import brainbatch as bb
        monitors = {"spikes": "G.spike"}
        def build(n=4, tau=10.0):
            if tau > 5:  # a Python branch on a parameter: it cannot be traced
                tau = 5.0
            return bb.Network(G=bb.LifRef(n, tau=tau))
    """)
    with pytest.raises(UsageError, match=r"'tau' cannot be a traced value .*-p tau=1:9:int"):
        prepare(path, params={"tau": "1:9"}, samples=4, out=str(tmp_path / "b.zarr"), duration=1, dry_run=True)


def test_a_range_in_the_modules_sweep_is_sampled_as_the_same_range_given_by_p(stores, tmp_path):
    # a module's sweep = {"drive": bb.Range(1.0, 2.0)} was refused ("mixes or uses unsupported value types
    # (Range)"): it is the design -p drive=1:2 gives, and needs --samples as that does
    source = open(TOY).read().replace('sweep = {"drive": [1.2, 1.5]}', 'sweep = {"drive": bb.Range(1.0, 2.0)}')
    assert "bb.Range(1.0, 2.0)" in source
    ranged = tmp_path / "ranged_toy.py"
    ranged.write_text(source)
    with pytest.raises(UsageError, match=r"the experiment's sweep gives 'drive' a range \(1:2\): give --samples N"):
        bb.sweep(str(ranged), out=str(tmp_path / "none.zarr"), **FAST)
    out = bb.sweep(str(ranged), samples=16, out=str(tmp_path / "ranged.zarr"), batch_size=16, **FAST)
    assert out.done == 16
    mine, given = xr.open_zarr(out), xr.open_zarr(stores["grown"])
    np.testing.assert_array_equal(mine["drive"].values, given["drive"].values[:16])
    np.testing.assert_array_equal(mine["spikes"].values, given["spikes"].isel(sample=slice(0, 16)).values)
    # -p for the same parameter replaces the module's range, a grid as a range
    grid = prepare(str(ranged), params={"drive": [1.2, 1.5]}, out=str(tmp_path / "g.zarr"), duration=2, dry_run=True)
    assert grid.plan.design is None and grid.plan.axes["drive"] == [1.2, 1.5]
    with pytest.raises(ExperimentError, match="puts a range in a list"):
        bad = tmp_path / "bad_toy.py"
        bad.write_text(source.replace("bb.Range(1.0, 2.0)}", "[bb.Range(1.0, 2.0)]}"))
        bb.sweep(str(bad), samples=4, out=str(tmp_path / "bad.zarr"), **FAST)


def test_a_design_attribute_edited_by_hand_is_a_damaged_store(stores, tmp_path):
    """Audit: the root 'design' edited (other ranges and sample seed) passed `status --verify`, and `show` and
    `open_results(...).attrs['design']` reported the false design."""
    import json
    import shutil

    copy = tmp_path / "edited.zarr"
    shutil.copytree(stores["whole"], copy)
    doc = json.loads((copy / "zarr.json").read_text())
    doc["attributes"]["design"]["sample_seed"] = 7
    doc.pop("consolidated_metadata", None)
    (copy / "zarr.json").write_text(json.dumps(doc))
    with pytest.raises(bb.store.StoreDamagedError, match="its root attribute 'design.sample_seed' is 7 where its spec says"):
        bb.open_results(str(copy))
