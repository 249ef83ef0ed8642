"""A store behind an fsspec URL (the in-memory backend stands in for s3:// and the like, which the CLI
takes when their package is installed): created with its marker written last, leased, extended."""
import uuid

import pytest
import zarr

from brainbatch.store import ResultStore, StoreError
from brainbatch.store._lease import owner_id
from brainbatch.store._location import zarr_store
from brainbatch.store._root import BUILDING


def test_url_store_is_created_leased_and_extended(make_spec):
    url = f"memory://bb-{uuid.uuid4().hex}/a.zarr"
    store = ResultStore.create(url, make_spec())
    assert store.counts()["pending"] == 4
    assert "brainbatch_schema" in store._root.attrs and BUILDING not in store._root.attrs
    run = store.run_index(seed=0, we=0.4)
    assert store.claim(run) and store.lease(run).owner.token == owner_id()["token"]
    store.release(run)
    assert store.lease(run) is None
    wider = ResultStore.create(url, make_spec(seeds=[0, 1, 2]))
    assert wider.counts()["pending"] == 6 and wider.verify(full=True) == {}


def test_a_cut_off_url_creation_is_reported_then_finished(make_spec):
    url = f"memory://bb-{uuid.uuid4().hex}/c.zarr"
    gone = {**owner_id(), "host": "a-node-that-is-gone", "pid": 999999, "since": 0.0}
    zarr.create_group(zarr_store(url, read_only=False), zarr_format=3, attributes={BUILDING: gone})
    with pytest.raises(StoreError, match="still being created, or whose creation was cut off"):
        ResultStore.open(url)
    assert ResultStore.create(url, make_spec()).counts()["pending"] == 4
