"""Output paths of a sweep: checked before any work, and made absolute for workers.

Every path or URL rule (``file://`` included) is the store's (``store/_location.py``); this file
only adds what a sweep needs before it writes: a writable place that is not a file.
"""
from __future__ import annotations

import os

from .errors import UsageError

__all__ = ["check_out", "absolute"]


def absolute(out: str) -> str:
    """``out`` as workers running in another folder must see it (URLs unchanged)."""
    from ..store._location import local_path

    local = local_path(out)
    return out if local is None else os.path.abspath(local)


def check_out(out: str) -> None:
    """Refuse, before any work, a path that cannot hold a store or could touch what brainbatch did not make."""
    from ..store import StoreError
    from ..store._location import check_location, local_path

    try:
        check_location(out, write=True, what="output path")
    except StoreError as err:
        raise UsageError(str(err)) from None
    path = local_path(out)
    if path is None:
        return  # a URL whose backend is installed: the server is contacted only when the sweep writes
    if os.path.isfile(path):
        raise UsageError(f"output path {out!r} is a file; give a directory path ending in .zarr")
    parent = os.path.dirname(os.path.abspath(path))
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
