"""Output paths of a sweep: checked before any work, and made absolute for workers.

Every path or URL rule (``file://`` included) is the store's (``store/_location.py``); this file
only adds what a sweep needs before it writes: a writable place that is not a file.
"""
from __future__ import annotations

import os

from .errors import UsageError

__all__ = ["check_out", "absolute", "free_bytes", "size_check", "enclosing_zarr"]


def absolute(out: str) -> str:
    """``out`` as workers running in another folder must see it (URLs unchanged)."""
    from ..store import local_path

    local = local_path(out)
    return out if local is None else os.path.abspath(local)


def check_out(out: str) -> None:
    """Refuse, before any work, a path that cannot hold a store or could touch what brainbatch did not make."""
    from ..store import StoreError
    from ..store import check_location, local_path

    try:
        check_location(out, write=True, what="output path")
    except StoreError as err:
        raise UsageError(str(err)) from None
    path = local_path(out)
    if path is None:
        return  # a URL whose backend is installed: the server is contacted only when the sweep writes
    if os.path.islink(path) and not os.path.exists(path):
        raise UsageError(f"output path {out!r} is a symbolic link to {os.readlink(path)!r}, which does not exist; "
                         "remove the link or give another path")
    if os.path.isfile(path):
        raise UsageError(f"output path {out!r} is a file; give a directory path ending in .zarr")
    parent = os.path.dirname(os.path.abspath(path))
    # the folders the store would really be written in: a link on the way (or the path itself a link) may lead
    # into a store's arrays, where a store made would be deleted with them, as one typed there is refused
    outer = enclosing_zarr(os.path.dirname(os.path.realpath(path)))
    if outer is not None:  # its arrays and groups are its own: a store inside would be listed as one of them
        raise UsageError(f"output path {out!r} is inside the Zarr store {outer!r}; give a path outside it")
    probe = parent
    while not os.path.exists(probe):
        probe = os.path.dirname(probe)
    if os.path.isfile(probe):
        raise UsageError(f"output path {out!r} is inside a file ({probe!r})")
    if os.path.exists(path) and not os.path.isdir(path):
        raise UsageError(f"output path {out!r} is not a directory")
    target = path if os.path.isdir(path) else probe
    if not os.access(target, os.W_OK) or not _can_create_in(target):
        raise UsageError(f"output path {out!r} is not writable ({target!r} does not accept new files)")


def enclosing_zarr(folder: str) -> str | None:
    """The nearest folder at or above ``folder`` that is a Zarr node (holds ``zarr.json``), or a brainbatch store
    whose root ``zarr.json`` was lost (a damaged store: its ``status`` array is still there), or None."""
    while True:
        if os.path.isfile(os.path.join(folder, "zarr.json")) or _lost_its_root(folder):
            return folder
        up = os.path.dirname(folder)
        if up == folder:
            return None
        folder = up


def _lost_its_root(folder: str) -> bool:
    """Whether ``folder`` holds a brainbatch store's ``status`` array (a folder holding another store named
    ``status`` is no store: that one's root is a group)."""
    import json

    try:
        with open(os.path.join(folder, "status", "zarr.json"), "rb") as fh:
            doc = json.loads(fh.read(1 << 20))
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(doc, dict) and doc.get("node_type") == "array"


def _can_create_in(folder: str) -> bool:
    """Whether a file can really be made in ``folder`` (``os.access`` says yes to root on read-only places)."""
    import tempfile

    try:
        fd, name = tempfile.mkstemp(prefix=".brainbatch-probe-", dir=folder)
    except OSError:
        return False
    os.close(fd)
    os.unlink(name)
    return True


#: How much zstd shrinks a time coordinate (measured on 1e8 steps of dt 0.1: 800 MB -> 101 MB).
TIME_COMPRESSION = 8
#: A store estimated above this size (before compression) gets a warning in the plan, whatever the free space.
WARN_STORE_BYTES = 2**40


def free_bytes(out: str) -> int | None:
    """Free space on the filesystem that will hold ``out`` (None for URLs, or where it cannot be told)."""
    import shutil

    from ..store import local_path

    path = local_path(out)
    if path is None:
        return None
    probe = os.path.abspath(path)
    while not os.path.exists(probe) and os.path.dirname(probe) != probe:
        probe = os.path.dirname(probe)
    try:
        return shutil.disk_usage(probe).free
    except OSError:
        return None


def size_check(out: str, store_bytes: int, time_bytes: int) -> str:
    """Refuse a store whose time coordinates alone cannot fit on its filesystem; return a warning (or "")
    for one whose estimated size is huge or more than the free space (compression may still save it)."""
    from .plan_text import _bytes

    free = free_bytes(out)
    # zstd keeps an evenly spaced float64 coordinate at about 1/8 of its size (1e8 steps: 800 MB -> 101 MB)
    if free is not None and time_bytes // TIME_COMPRESSION > free:
        raise UsageError(f"the store's time coordinates alone need about {_bytes(time_bytes // TIME_COMPRESSION)} "
                         f"compressed ({_bytes(time_bytes)} before), but only {_bytes(free)} are free where {out!r} "
                         "goes; give a shorter --duration or a larger --dt")
    if free is not None and store_bytes > free:
        return (f"the store may take up to {_bytes(store_bytes)} before compression, more than the {_bytes(free)} "
                f"free where it goes; spike rasters compress well, float records much less")
    if store_bytes > WARN_STORE_BYTES:
        return f"the store may take up to {_bytes(store_bytes)} before compression"
    return ""
