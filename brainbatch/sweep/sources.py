"""What an experiment's source is: its file plus every local module it imports (docs/experiments.md).

A *local* module is one whose file lies outside the standard library, site-packages and brainbatch
itself: a helper next to the experiment, a folder on ``PYTHONPATH``, a package installed editable.
Its bytes are part of the experiment's source hash, so a changed helper is refused like a changed
experiment file, and a store never mixes two models (issue 19, item 4).

While an experiment file runs, a finder placed first on ``sys.meta_path`` sees every module it
imports. A local one is read once, hashed, and run from exactly those bytes; with an expected set
of hashes (a store's record), a helper that is not in it or differs is refused *before* it runs.
Local modules already in ``sys.modules`` (a notebook, a dask worker that loaded an older version)
are set aside for the duration, so they are imported afresh and can never be reused stale.

>>> combined_hash("ab" * 32, {})  == "ab" * 32
True
"""
from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import os
import site
import sys
import sysconfig
import threading
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Iterator

from ..errors import BrainbatchError

__all__ = ["combined_hash", "is_local", "tracking", "imports_checked", "helpers_changed", "file_sha256"]

#: Loading runs one experiment at a time per process: the finder and the set-aside modules are global.
LOCK = threading.RLock()


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def combined_hash(source_sha: str, helpers: dict[str, str]) -> str:
    """The experiment's source hash: its file's sha256 alone when it imports no local module (so stores
    of such experiments keep their hash), else a sha256 over it and each helper's ``name sha256``."""
    if not helpers:
        return source_sha
    text = source_sha + "\n" + "".join(f"{name} {sha}\n" for name, sha in sorted(helpers.items()))
    return file_sha256(text.encode())


@lru_cache(maxsize=1)
def _library_roots() -> tuple[str, ...]:
    roots: set[str] = set()
    for paths in (sysconfig.get_paths(),
                  sysconfig.get_paths(vars={"base": sys.base_prefix, "platbase": sys.base_exec_prefix})):
        roots.update(p for k in ("stdlib", "platstdlib", "purelib", "platlib") if (p := paths.get(k)))
    for get in (getattr(site, "getsitepackages", None), getattr(site, "getusersitepackages", None)):
        try:
            found = get() if get else []
        except Exception:  # noqa: BLE001 - some embedded interpreters lack these
            found = []
        roots.update([found] if isinstance(found, str) else found)
    roots.add(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # brainbatch itself
    return tuple(sorted(os.path.join(os.path.realpath(r), "") for r in roots if r))


@lru_cache(maxsize=8192)
def is_local(path: str) -> bool:
    """Whether a module file is the user's own code (outside stdlib, site-packages and brainbatch).

    Cached by path: ``tracking`` asks it of every imported module at every experiment load, and
    resolving thousands of paths (a notebook's or a test session's modules) took longer than the load."""
    real = os.path.realpath(path)
    parts = real.split(os.sep)
    if "site-packages" in parts or "dist-packages" in parts:
        return False
    return not any(real.startswith(root) for root in _library_roots())


def _local_file(module: Any) -> str | None:
    spec = getattr(module, "__spec__", None)
    origin = spec.origin if spec is not None and spec.has_location else getattr(module, "__file__", None)
    return origin if isinstance(origin, str) and is_local(origin) and os.path.isfile(origin) else None


def helpers_changed(helpers: dict[str, tuple[str, str]]) -> list[str]:
    """Names of recorded helpers (``{name: (path, sha256)}``) whose file now differs or is gone."""
    changed = []
    for name, (path, sha) in helpers.items():
        try:
            with open(path, "rb") as fh:
                now = file_sha256(fh.read())
        except OSError:
            now = None
        if now != sha:
            changed.append(name)
    return changed


# Data files (``data_files``) as they were when last hashed: ``{path: (stat signature, sha256)}``. A build reads
# the file again: data_files_now hashes it again only when its stat differs from this one
_DATA_SEEN: dict[str, tuple[tuple, str]] = {}


def _signature(path: str) -> tuple:
    st = os.stat(path)
    return st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns


def hash_data_file(path: str) -> str:
    """The sha256 of a data file, remembered with its stat signature (``data_files_written``); a file written
    while it was read raises ``OSError``."""
    before = _signature(path)
    with open(path, "rb") as fh:
        sha = file_sha256(fh.read())
    if _signature(path) != before:
        raise OSError(f"{path} was written while it was read")
    _DATA_SEEN[path] = (before, sha)
    return sha


def data_files_now(helpers: dict[str, tuple[str, str]]) -> tuple[list[str], dict[str, tuple]]:
    """``(changed, signatures)`` of the data files among ``helpers`` (``data:<name>``), called before a build:
    the names of those whose bytes now differ from their recorded sha256 (or that are gone), and each file's stat
    signature, which ``data_files_written`` compares after the build. A file whose stat is the one seen when it
    was last hashed is not read again; one touched, or put back, is hashed again."""
    changed, signatures = [], {}
    for name, (path, sha) in helpers.items():
        if not name.startswith("data:"):
            continue
        try:
            now = _signature(path)
            if _DATA_SEEN.get(path) != (now, sha):
                hash_data_file(path)
                now = _DATA_SEEN[path][0]
        except OSError:
            changed.append(name[len("data:"):])
            continue
        if _DATA_SEEN[path][1] != sha:
            changed.append(name[len("data:"):])
        signatures[name] = (path, now)
    return changed, signatures


def data_files_written(signatures: dict[str, tuple]) -> list[str]:
    """Names of the data files whose stat is no longer ``signatures``' (``data_files_now``, taken before a
    build): written, replaced or removed while the build may have read them. A stat per file, no read."""
    out = []
    for name, (path, before) in signatures.items():
        try:
            now = _signature(path)
        except OSError:
            now = None
        if now != before:
            out.append(name[len("data:"):])
    return out


class HelperMismatch(BrainbatchError, ImportError):
    """A local module whose bytes are not those a store recorded (raised before it runs)."""

    module: str = ""     # its name
    origin: str = ""     # its file
    listed: bool = False  # among the recorded modules (with other bytes)


class _HashedLoader(importlib.machinery.SourceFileLoader):
    """Runs exactly the bytes that were hashed (never a cached .pyc of some other version)."""

    def __init__(self, fullname: str, path: str, data: bytes):
        super().__init__(fullname, path)
        self._data = data

    def get_code(self, fullname: str) -> Any:
        return compile(self._data, self.path, "exec", dont_inherit=True)

    def get_data(self, path: str) -> bytes:
        return self._data if path == self.path else super().get_data(path)


class _Tracker(importlib.abc.MetaPathFinder):
    def __init__(self, expected: dict[str, str] | None):
        self.expected = expected
        self.seen: dict[str, tuple[str, str]] = {}
        self.refused: list[HelperMismatch] = []

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        spec = None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        origin = spec.origin if spec is not None and spec.has_location else None
        if not isinstance(origin, str) or not os.path.isfile(origin) or not is_local(origin):
            return spec
        with open(origin, "rb") as fh:
            data = fh.read()
        sha = file_sha256(data)
        if self.expected is not None and self.expected.get(name) != sha:
            why = "is not among the modules" if name not in self.expected else "differs from the module"
            err = HelperMismatch(
                f"local module {name!r} ({origin}, sha256 {sha[:16]}…) {why} the store was written with; "
                "it was not run")
            err.module, err.origin, err.listed = name, origin, name in self.expected
            self.refused.append(err)  # kept: a build's `except ImportError:` fallback must not hide it
            raise err
        self.seen[name] = (origin, sha)
        assert spec is not None  # it has an origin
        if isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            spec.loader = _HashedLoader(name, origin, data)
        return spec


@contextmanager
def tracking(expected: dict[str, str] | None = None) -> Iterator[dict[str, tuple[str, str]]]:
    """Within the block, every local module imported is hashed into the yielded ``{name: (path, sha256)}``
    (and, with ``expected`` ``{name: sha256}``, refused unless listed with that hash). Local modules
    already imported are set aside, so the block imports them afresh; afterwards those it did not
    import again are put back. Callers hold ``LOCK``."""
    aside = {name: mod for name, mod in list(sys.modules.items())
             if name != "__main__" and _local_file(mod) is not None}
    for name in aside:
        del sys.modules[name]
    tracker = _Tracker(expected)
    sys.meta_path.insert(0, tracker)
    try:
        yield tracker.seen
    finally:
        sys.meta_path.remove(tracker)
        for name, mod in aside.items():
            sys.modules.setdefault(name, mod)


@contextmanager
def imports_checked(expected: dict[str, str]) -> Iterator[None]:
    """Within the block (a ``build()`` call), a local module imported for the first time in this process must be one
    of ``expected`` (``{name: sha256}``, the experiment's recorded helpers) with those bytes, and runs from them; any
    other raises ``HelperMismatch`` before it runs, and again when the block ends should the block catch it.
    ``build()`` importing a module of the user's own (``import helper`` inside the function) was not part of the
    source hash, which covers what the file imports as it loads: an edit of it between two sweeps joined runs of the
    new code to the store's as one source's."""
    with LOCK:
        tracker = _Tracker(expected)
        sys.meta_path.insert(0, tracker)
        try:
            yield
        finally:
            sys.meta_path.remove(tracker)
        if tracker.refused:  # raised inside the block, and caught there (`except ImportError:` and a fallback)
            raise tracker.refused[0]
