"""Local execution: batches, devices, shape groups, and results independent of batch and device (docs/random.md)."""
import numpy as np
import pytest
from _support import TOY, arrays

import brainbatch as bb


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """Seeds 0..7 x drive (1.2, 1.5) as ONE batch of 16 lanes on one CPU device."""
    out = tmp_path_factory.mktemp("ref") / "ref.zarr"
    result = bb.sweep(TOY, seeds=8, out=str(out), batch_size=16, devices="cpu", progress=False)
    assert result.done == 16 and not result.failed and len(result.batches) == 1
    return out


def test_store_holds_every_run(reference):
    ds = bb.open_results(reference)
    assert dict(ds.sizes) == {"seed": 8, "drive": 2, "time": 200, "G_neuron": 20}
    assert bool(ds.done.all())
    assert ds.spikes.dtype == bool and ds.V.attrs["units"] == "mV"
    spikes = ds.spikes.values
    assert 0 < spikes.mean() < 0.5
    # every lane has its own noise stream: no two runs share a raster
    flat = spikes.reshape(16, -1)
    assert len({row.tobytes() for row in flat}) == 16


def test_cpu2_spreads_batches_and_matches_one_device(reference, tmp_path):
    out = tmp_path / "two.zarr"
    result = bb.sweep(TOY, seeds=8, out=str(out), batch_size=8, devices="cpu:2", progress=False)
    assert result.done == 16 and len(result.batches) == 2
    assert sorted(device for _, device in result.batches) == ["cpu:0", "cpu:1"]  # where the arrays lived
    a, b = arrays(reference), arrays(out)
    assert np.array_equal(a["spikes"], b["spikes"])
    assert np.array_equal(a["V"], b["V"], equal_nan=True)
    assert np.array_equal(a["states/G.V"], b["states/G.V"])


def test_a_run_alone_equals_the_same_run_inside_a_batch(reference, tmp_path):
    out = tmp_path / "alone.zarr"
    bb.sweep(TOY, seeds=[3], params={"drive": [1.5]}, out=str(out), progress=False)
    alone = bb.open_results(out)
    batch = bb.open_results(reference)
    assert np.array_equal(alone.spikes.sel(seed=3, drive=1.5).values, batch.spikes.sel(seed=3, drive=1.5).values)
    assert np.array_equal(alone.V.sel(seed=3, drive=1.5).values, batch.V.sel(seed=3, drive=1.5).values)


def test_shape_changing_parameter_compiles_per_group_and_pads(tmp_path):
    out = tmp_path / "n.zarr"
    result = bb.sweep(TOY, seeds=2, params={"drive": [1.5], "n": "10,20"}, out=str(out), progress=False,
                      devices="cpu")  # one device: the groups are not spread over devices
    assert result.done == 4 and not result.failed
    assert sorted(len(runs) for runs, _ in result.batches) == [2, 2]  # one batch per shape group
    assert {dict(runs[0][1])["n"] for runs, _ in result.batches} == {10, 20}
    ds = bb.open_results(out, states=True)
    assert ds.sizes["G_neuron"] == 20  # the largest shape
    small, big = ds.sel(seed=1, drive=1.5, n=10), ds.sel(seed=1, drive=1.5, n=20)
    # padding reads as missing (NaN) in floats and spikes alike, so plain xarray means count real neurons only
    assert np.isnan(small.V.values[:, 10:]).all() and np.isnan(small.spikes.values[:, 10:]).all()
    assert np.isnan(small["states/G.V"].values[10:]).all()
    assert np.isfinite(small.V.values[:, :10]).all() and np.isfinite(big.V.values).all()
    # the small run's own values are those of the same run swept alone
    alone_out = tmp_path / "n10.zarr"
    bb.sweep(TOY, seeds=[1], params={"drive": [1.5], "n": [10]}, out=str(alone_out), progress=False)
    alone = bb.open_results(alone_out).sel(seed=1, drive=1.5, n=10)
    assert alone.sizes["G_neuron"] == 10
    assert np.array_equal(alone.V.values, small.V.values[:, :10])
    assert np.array_equal(alone.spikes.values, small.spikes.values[:, :10])
