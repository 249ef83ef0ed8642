"""The dask executor on a real LocalCluster of 2 spawned workers: the same store as the local executor.

One test (spawning workers and compiling in each is the expensive part).
"""
import numpy as np
import pytest
from _support import TOY, arrays, paused, wait_for_file

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


def test_a_worker_killed_after_one_run_of_its_batch_is_done_keeps_that_run_done(tmp_path, monkeypatch):
    # A dask task marks each run done as it finishes; its worker killed before the batch's last run (a pre-empted
    # job, the scheduler's allowed failures used up) made the coordinator mark every run of the task failed: a
    # finished run overwritten as failed, its data redone by the next sweep (and one that another sweep had
    # finished meanwhile lost the same way). Now a run found done stays done; the others are failed.
    import json
    import os
    import signal
    import threading

    import dask

    from brainbatch.store import ResultStore

    gate, out = tmp_path / "gate", tmp_path / "k.zarr"
    for name, value in paused("before-done@2", gate).items():  # the worker pauses before its second run is done
        monkeypatch.setenv(name, value)
    result = {}

    def sweep():
        with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
            result["r"] = bb.sweep(TOY, seeds=1, out=str(out), executor="dask", workers=1, batch_size=2,
                                   duration=5, progress=False, echo=lambda _: None)

    thread = threading.Thread(target=sweep)
    thread.start()
    wait_for_file(gate / "before-done.reached", thread)
    store = ResultStore.open(out, "r")
    first, second = store.run_index(seed=0, drive=1.2), store.run_index(seed=0, drive=1.5)
    assert store.status_of(first) == "done" and store.status_of(second) == "running"
    owner = json.loads((out / "leases" / "_".join(map(str, second))).read_text())["owner"]
    os.kill(owner["pid"], signal.SIGKILL)  # the worker process, holding the second run
    thread.join(240)
    res = result["r"]
    assert [c for c, _ in res.failed] == [{"seed": 0, "drive": 1.5}] and res.skipped == 1
    store = ResultStore.open(out, "r")
    assert store.status_of(first) == "done" and store.status_of(second) == "failed"
    assert not store.verify(full=True)
