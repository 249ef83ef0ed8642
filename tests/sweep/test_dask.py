"""The dask executor on a real LocalCluster of 2 spawned workers: the same store as the local executor.

One test (spawning workers and compiling in each is the expensive part).
"""
import numpy as np
import pytest
from _support import TOY, arrays

import brainbatch as bb

pytestmark = pytest.mark.slow  # spawned workers, each importing JAX and compiling


def test_dask_cluster_writes_the_same_store_as_local(tmp_path):
    messages = []
    dask_out = tmp_path / "dask.zarr"
    result = bb.sweep(TOY, seeds=8, out=str(dask_out), executor="dask", workers=2, retries=1, batch_size=8,
                      progress=False, echo=messages.append)
    assert result.done == 16 and not result.failed and len(result.batches) == 2  # one dask task per batch
    assert any(m.startswith("dask dashboard: http") for m in messages)

    local_out = tmp_path / "local.zarr"
    bb.sweep(TOY, seeds=8, out=str(local_out), batch_size=16, progress=False)
    d, loc = arrays(dask_out), arrays(local_out)
    assert (d["status"] == 2).all()
    assert np.array_equal(d["spikes"], loc["spikes"])
    np.testing.assert_allclose(d["V"], loc["V"], rtol=0, atol=1e-6)
    np.testing.assert_allclose(d["states/G.V"], loc["states/G.V"], rtol=0, atol=1e-6)

    # seed 3 alone (local) equals seed 3 inside a dask batch of 8 lanes
    alone_out = tmp_path / "alone.zarr"
    bb.sweep(TOY, seeds=[3], params={"drive": [1.2]}, out=str(alone_out), progress=False)
    alone = bb.open_results(alone_out).sel(seed=3, drive=1.2)
    in_batch = bb.open_results(dask_out).sel(seed=3, drive=1.2)
    assert np.array_equal(alone.spikes.values, in_batch.spikes.values)
    np.testing.assert_allclose(alone.V.values, in_batch.V.values, rtol=0, atol=1e-6)


def test_a_sampled_design_on_a_dask_cluster_equals_local(tmp_path):
    params = {"drive": bb.Range(1.0, 2.0)}
    dask_out, local_out = tmp_path / "dask.zarr", tmp_path / "local.zarr"
    result = bb.sweep(TOY, seeds=2, params=params, samples=4, out=str(dask_out), executor="dask", workers=1,
                      batch_size=4, duration=5, progress=False)
    assert result.done == 8 and not result.failed
    bb.sweep(TOY, seeds=2, params=params, samples=4, out=str(local_out), batch_size=4, duration=5, progress=False)
    d, loc = arrays(dask_out), arrays(local_out)
    assert (d["status"] == 2).all() and np.array_equal(d["drive"], loc["drive"])
    assert np.array_equal(d["spikes"], loc["spikes"])
    np.testing.assert_allclose(d["V"], loc["V"], rtol=0, atol=1e-6)
