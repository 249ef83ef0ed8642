"""The parts of zarr-python below its public API that the store uses, in one place.

zarr-python 3 offers no public call to run its coroutines from synchronous code, nor to read or write
one key of the store under a group; the store needs both (raw ``zarr.json`` repair, one round trip for
a run's many small state arrays, chunk listings). Everything private (``zarr.core.*``, an array's
``_async_array``) is reached through this module only (``tests/test_imports.py``), and
``tests/store/test_zarr_compat.py`` checks it against the zarr versions ``pyproject.toml`` allows.
"""
from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

import zarr

__all__ = ["async_array", "get_bytes", "put_bytes", "run", "store_of"]


def run(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine on zarr's own event loop and wait for its result (what zarr's synchronous API does)."""
    from zarr.core.sync import sync

    return sync(coroutine)


def _prototype() -> Any:
    try:
        from zarr.buffer import default_buffer_prototype
    except ImportError:  # zarr 3.0: not public yet
        from zarr.core.buffer import default_buffer_prototype
    return default_buffer_prototype()


def store_of(group: zarr.Group) -> Any:
    """The ``zarr.abc.store.Store`` a group lives in (its keys are relative to the store's root)."""
    return group.store_path.store


def get_bytes(group: zarr.Group, key: str) -> bytes:
    """The raw bytes at ``key`` of the group's store; raises where there is nothing."""
    return run(store_of(group).get(key, _prototype())).to_bytes()


def put_bytes(group: zarr.Group, key: str, data: bytes) -> None:
    """Write raw bytes at ``key`` of the group's store."""
    run(store_of(group).set(key, _prototype().buffer.from_bytes(data)))


def async_array(array: zarr.Array) -> Any:
    """The asynchronous array behind a ``zarr.Array`` (its ``setitem`` is a coroutine); None where absent."""
    return getattr(array, "_async_array", None)
