"""Opening a store's root group and checking it is a brainbatch store of this schema version."""
from __future__ import annotations

import os
import warnings

import zarr

from ._errors import StoreError
from ._layout import SCHEMA_VERSION
from ._location import exists, zarr_store


def open_root(path: str | os.PathLike, mode: str = "r") -> zarr.Group:
    """The root group of the brainbatch store at ``path``; ``StoreError`` for anything else.

    Only reads while checking (the group is opened read-only unless ``mode`` is ``"r+"``), so a
    path that turns out not to be a store is left exactly as it was.
    """
    if mode not in ("r", "r+"):
        raise StoreError(f"mode must be 'r' (read) or 'r+' (read and write runs), got {mode!r}")
    if not exists(path):
        raise StoreError(f"no store at {os.fspath(path)!r}: the path does not exist or is empty")
    try:
        # use_consolidated=False: always read each node's own metadata, never a possibly stale summary
        root = zarr.open_group(zarr_store(path, read_only=mode == "r"), mode=mode, use_consolidated=False)
    except Exception as exc:  # zarr raises several types for "not a group here"
        raise StoreError(
            f"{os.fspath(path)!r} is not a brainbatch store (not a Zarr group: {exc}). "
            "Choose another path, or remove this one if it is yours to remove."
        ) from None
    attrs = root.attrs.asdict()
    if "brainbatch_schema" not in attrs:
        raise StoreError(
            f"{os.fspath(path)!r} is a Zarr group but not a brainbatch store (no 'brainbatch_schema' "
            "attribute). Choose another path."
        )
    if attrs["brainbatch_schema"] != SCHEMA_VERSION or root.metadata.zarr_format != 3:
        raise StoreError(
            f"{os.fspath(path)!r} is a brainbatch store of schema version {attrs['brainbatch_schema']!r}; "
            f"this brainbatch reads and writes version {SCHEMA_VERSION} only. Use the brainbatch version "
            "that wrote it, or write a new store."
        )
    return root


def consolidate(path: str | os.PathLike) -> None:
    """Refresh consolidated metadata, so plain ``xarray.open_zarr(path)`` opens without a warning.

    Called by the coordinator after every metadata change; workers and brainbatch's own readers
    never rely on it.
    """
    with warnings.catch_warnings():
        # zarr warns that consolidated metadata is not in the v3 spec yet; other readers ignore it
        warnings.simplefilter("ignore")
        zarr.consolidate_metadata(zarr_store(path, read_only=False), zarr_format=3)
