"""Store paths: plain local paths, ``file://`` URLs and other fsspec URLs, and which of them may hold a store.

Local paths (and ``file://`` URLs, turned into local paths) go to zarr as strings, so zarr uses
its ``LocalStore``, whose chunk writes are atomic (write to a temporary file, then rename): a
worker killed mid-write leaves the old chunk or the new one, never half of one.

``check_location`` is the one gate for paths a user types: it refuses, before anything is read
or written, every path that could make brainbatch touch what it did not create (an empty path,
``.``, ``..``, ``/``, the home folder, the working folder or one of its parents) and every URL
scheme that cannot hold a store. It never connects anywhere.
"""
from __future__ import annotations

import importlib.util
import os
from typing import Any
from urllib.parse import unquote, urlparse

import fsspec

from ._errors import StoreError, did_you_mean

# Schemes fsspec knows that can never hold a store, and why (said to the user as is).
_REFUSED_SCHEMES = {
    "memory": "memory:// keeps the store inside this one process: nothing would be kept after it ends "
              "(and dask workers could not see it)",
    "http": "http:// is read-only for fsspec", "https": "https:// is read-only for fsspec",
    "zip": "zip:// archives cannot be changed in place (zip a finished store instead)",
    "tar": "tar:// archives are read-only",
    "ftp": "FTP has no atomic writes, so a crash could leave half-written chunks",
    "github": "github:// is read-only", "git": "git:// is read-only", "data": "data: URLs are read-only",
    "reference": "reference:// is read-only", "libarchive": "libarchive:// is read-only",
    "simplecache": "caching wrappers keep no store of their own", "filecache": "caching wrappers keep no store of their own",
    "blockcache": "caching wrappers keep no store of their own", "cached": "caching wrappers keep no store of their own",
    "dask": "dask:// is a worker file view, not storage", "jupyter": "jupyter:// is not suited to stores",
}
# Read-only schemes a reading command may still use (when their package is installed).
_READ_ONLY_OK = {"http", "https", "zip"}


def local_path(path: str | os.PathLike) -> str | None:
    """The local filesystem path of ``path``, or None for a remote URL.

    The one resolution of a local path, for creating and opening alike: ``..`` and ``.`` are resolved
    by the text (``nosuchdir/../b.zarr`` is ``b.zarr``), so a store made at a path is found at it again.

    >>> local_path("file:///tmp/a.zarr"), local_path("results/a.zarr"), local_path("s3://b/a.zarr")
    ('/tmp/a.zarr', 'results/a.zarr', None)
    >>> local_path("nosuchdir/../b.zarr")
    'b.zarr'
    """
    raw = _raw_local(path)
    return os.path.normpath(raw) if raw else raw


def _raw_local(path: str | os.PathLike) -> str | None:
    text = os.fspath(path)
    if text.startswith("file://"):
        return unquote(urlparse(text).path)
    return None if "://" in text else text


def scheme(path: str | os.PathLike) -> str | None:
    """The URL scheme of ``path`` (``"s3"``), or None for a local path or ``file://`` URL."""
    text = os.fspath(path)
    return None if local_path(text) is not None else text.split("://", 1)[0].lower()


def check_location(path: str | os.PathLike, *, write: bool, what: str = "store path") -> None:
    """Raise ``StoreError`` (one line) unless ``path`` may name a store; reads nothing, connects nowhere.

    ``write=True`` (sweep, run): local paths, ``file://`` and installed fsspec backends that can be
    written. ``write=False`` (show, status, plot) also allows read-only ``http(s)://`` and ``zip://``.

    >>> check_location("results/a.zarr", write=True)
    >>> check_location("", write=True)
    Traceback (most recent call last):
    ...
    brainbatch.store._errors.StoreError: the store path is empty; give a folder name such as results/run.zarr
    """
    if not isinstance(path, (str, os.PathLike)):
        raise StoreError(f"the {what} must be a path or URL string, got {type(path).__name__}")
    text = os.fspath(path)
    if not text.strip():
        raise StoreError(f"the {what} is {'empty' if not text else 'blank'}; give a folder name such as results/run.zarr")
    if text.strip() == "-":
        raise StoreError(f"the {what} '-' is not a folder name: a store is a folder, not a stream; "
                         "give a name such as results/run.zarr")
    if text != text.strip():
        raise StoreError(f"the {what} {text!r} starts or ends with blanks; remove them (a typing slip?)")
    proto = scheme(text)
    if proto is None:
        _check_local(text, what, write)
        return
    _check_scheme(text, proto, write, what)


def _check_local(text: str, what: str, write: bool) -> None:
    if text.startswith("file://"):
        host = urlparse(text).netloc
        if host not in ("", "localhost"):
            raise StoreError(f"the {what} {text!r} names host {host!r}; file:// URLs must be local "
                             "(file:///abs/path.zarr)")
    local = _raw_local(text)  # as typed: "x/." and "x/.." are refused below, not resolved away
    if not local:
        raise StoreError(f"the {what} {text!r} names no folder; give one such as file:///tmp/run.zarr")
    if not write:  # reading never changes anything, so a store may be read from where it is
        return
    if local == "~" or local.startswith(("~/", "~" + os.sep)) or (local.startswith("~") and "/" not in local):
        # a quoted ~ reaches us unexpanded: a folder literally named '~' is a trap (rm -rf ~ later)
        raise StoreError(f"the {what} {text!r} starts with '~', which the shell did not expand (was it quoted?); "
                         "write the full path, e.g. $HOME/results/run.zarr")
    if os.path.basename(local.rstrip("/")) in (".", ".."):
        raise StoreError(f"the {what} {text!r} ends in '.' or '..': a store needs a folder of its own, "
                         "e.g. results/run.zarr")
    real = os.path.realpath(os.path.normpath(local))  # where the store would go (local_path's resolution)
    cwd = os.path.realpath(os.getcwd())
    home = os.path.realpath(os.path.expanduser("~"))
    reason = None
    if real == os.path.realpath(os.sep):
        reason = "is the filesystem root"
    elif real == home:
        reason = "is your home folder"
    elif real == cwd:
        reason = "is the working folder"
    elif cwd.startswith(real.rstrip(os.sep) + os.sep):
        reason = "is a parent of the working folder"
    if reason:
        raise StoreError(f"the {what} {text!r} {reason}: a store needs a folder of its own, "
                         f"e.g. {os.path.join(local, 'run.zarr')}")


def _check_scheme(text: str, proto: str, write: bool, what: str) -> None:
    from fsspec.registry import known_implementations, registry

    if proto in _REFUSED_SCHEMES and (write or proto not in _READ_ONLY_OK):
        raise StoreError(f"the {what} {text!r} cannot hold a store: {_REFUSED_SCHEMES[proto]}. "
                         "Use a local path, file://, or an object store such as s3:// (with s3fs installed)")
    if proto not in known_implementations and proto not in registry:
        known = sorted(set(known_implementations) - set(_REFUSED_SCHEMES))
        raise StoreError(f"the {what} {text!r} has an unknown URL scheme {proto + '://'!r}; use a local path, "
                         f"file://, or an installed fsspec backend such as s3://.{did_you_mean(proto, known)}")
    if proto in registry:
        return
    entry = known_implementations[proto]
    module = entry["class"].rsplit(".", 1)[0]
    # find the backend's package without importing it (importing may start clients or threads)
    top = module.split(".")[0]
    if importlib.util.find_spec(top) is None or (top == "fsspec" and not _fsspec_backend_ready(proto)):
        raise StoreError(f"the {what} {text!r} needs a package that is not installed: "
                         f"{entry.get('err') or 'install the fsspec backend for ' + proto + '://'}")
    if not urlparse(text).netloc and proto not in ("hdfs",):
        raise StoreError(f"the {what} {text!r} names no bucket or host; write {proto}://BUCKET/path/run.zarr")


def _fsspec_backend_ready(proto: str) -> bool:
    """Whether a backend shipped inside fsspec has its extra dependencies (sftp needs paramiko, ...)."""
    try:
        fsspec.get_filesystem_class(proto)
    except (ImportError, ValueError):
        return False
    return True


def zarr_store(path: str | os.PathLike, *, read_only: bool) -> Any:
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
