"""Store paths: plain local paths, ``file://`` URLs and other fsspec URLs.

Local paths (and ``file://`` URLs, turned into local paths) go to zarr as strings, so zarr uses
its ``LocalStore``, whose chunk writes are atomic (write to a temporary file, then rename): a
worker killed mid-write leaves the old chunk or the new one, never half of one.
"""
from __future__ import annotations

import os
from urllib.parse import unquote, urlparse

import fsspec


def local_path(path: str | os.PathLike) -> str | None:
    """The local filesystem path of ``path``, or None for a remote URL.

    >>> local_path("file:///tmp/a.zarr"), local_path("results/a.zarr"), local_path("s3://b/a.zarr")
    ('/tmp/a.zarr', 'results/a.zarr', None)
    """
    text = os.fspath(path)
    if text.startswith("file://"):
        return unquote(urlparse(text).path)
    return None if "://" in text else text


def zarr_store(path: str | os.PathLike, *, read_only: bool):
    """What to hand to ``zarr.open_group``: a local path string, or an ``FsspecStore`` for URLs."""
    local = local_path(path)
    if local is not None:
        return local
    from zarr.storage import FsspecStore

    return FsspecStore.from_url(os.fspath(path), read_only=read_only)


def exists(path: str | os.PathLike) -> bool:
    """Whether anything (file or non-empty directory) is at ``path``."""
    local = local_path(path)
    if local is not None:
        return os.path.isfile(local) or (os.path.isdir(local) and bool(os.listdir(local)))
    fs, p = fsspec.core.url_to_fs(os.fspath(path))
    return bool(fs.exists(p)) and (fs.isfile(p) or bool(fs.ls(p)))
