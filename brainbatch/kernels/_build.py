"""Build and load the native CPU kernels: compiled once per (jaxlib, source, compiler) into a cache.

The library is compiled against the FFI headers of the jaxlib that will load it
(``jax.ffi.include_dir()``), so it always matches the runtime. ``make setup`` builds it; otherwise the
first use does (a few seconds). Concurrent builders each write a private file and rename it into
place, so two processes never see a half-written library. Where nothing can be built (no C++
compiler), the pure-JAX path is used and one warning says why.
"""
from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import warnings
from pathlib import Path
from types import FrameType

from ..settings import cache_root

__all__ = ["NativeKernelWarning", "cache_dir", "load_library", "build_error"]

#: compiled each on its own, at once, and linked into one library
SOURCES = [Path(__file__).with_name(name) for name in ("event.cc", "threefry.cc", "cumsum.cc")]
FLAGS = ["-O3", "-std=c++17", "-shared", "-fPIC", "-fno-math-errno", "-w"]

_lock = threading.Lock()
_state: dict = {}


class NativeKernelWarning(RuntimeWarning):
    """The native kernels could not be built or loaded; brainbatch uses its pure-JAX path."""


def cache_dir() -> Path:
    """Where built kernels live: ``kernels/`` in the cache root (``$BRAINBATCH_CACHE``, else
    ``$XDG_CACHE_HOME/brainbatch``, else ``~/.cache/brainbatch``; brainbatch/settings.py)."""
    return cache_root() / "kernels"


def _compiler() -> str | None:
    cxx = os.environ.get("CXX")
    if cxx:
        return cxx if shutil.which(cxx) else None
    for name in ("c++", "g++", "clang++"):
        if shutil.which(name):
            return name
    return None


def _library_path(cxx: str) -> Path:
    import jaxlib

    digest = hashlib.sha256()
    for source in SOURCES:
        digest.update(source.read_bytes())
    digest.update(" ".join([cxx, *FLAGS, jaxlib.__version__, sys.platform]).encode())
    return cache_dir() / f"bbevent-{jaxlib.__version__}-{digest.hexdigest()[:16]}.so"


def _build(cxx: str, target: Path) -> None:
    import jax

    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".build-", suffix=".so", dir=target.parent)
    os.close(fd)
    objects = [f"{tmp[:-3]}-{source.stem}.o" for source in SOURCES]
    running: list[tuple[list[str], subprocess.Popen]] = []
    try:
        # each source compiled on its own, all at once (the FFI headers make each take seconds), then linked
        compile_flags = [f for f in FLAGS if f != "-shared"]
        for source, obj in zip(SOURCES, objects):
            cmd = [cxx, *compile_flags, f"-I{jax.ffi.include_dir()}", "-c", str(source), "-o", obj]
            running.append((cmd, subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)))
        for cmd, proc in running:
            _, err = proc.communicate(timeout=300)
            if proc.returncode != 0:
                raise RuntimeError(f"{' '.join(cmd)} failed:\n{err.strip()[-2000:]}")
        cmd = [cxx, *FLAGS, *objects, "-o", tmp]
        linked = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        if linked.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{linked.stderr.strip()[-2000:]}")
        os.replace(tmp, target)
    finally:
        for _, proc in running:  # a failed or interrupted build leaves no compiler running
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        for path in (tmp, *objects):
            if os.path.exists(path):
                os.unlink(path)


def load_library(*, warn: bool = True) -> ctypes.CDLL | None:
    """The loaded kernel library, building it first if needed; ``None`` (and one warning) if impossible."""
    with _lock:
        if "lib" in _state:
            return _state["lib"]
        lib, error = None, None
        try:
            cxx = _compiler()
            if cxx is None:
                raise RuntimeError("no C++ compiler found (set CXX, or install g++ or clang++)")
            path = _library_path(cxx)
            if not path.exists():
                _build(cxx, path)
            lib = ctypes.cdll.LoadLibrary(str(path))
        except Exception as exc:  # noqa: BLE001 - any failure means: use the pure-JAX path
            error = f"{type(exc).__name__}: {exc}" if not isinstance(exc, RuntimeError) else str(exc)
        _state["lib"], _state["error"] = lib, error
    if lib is None and warn:
        # the first native call may be a random draw or a connectivity build, not only event propagation
        warnings.warn(f"brainbatch's native CPU kernels are unavailable, so the slower pure-JAX paths (event "
                      f"propagation, random draws, cumulative sums) run instead ({error})", NativeKernelWarning,
                      stacklevel=_caller_level())
    return lib


#: Packages whose frames a warning skips: brainbatch, JAX under it, and Click over its CLI.
_INFRASTRUCTURE = ("brainbatch", "jax", "jaxlib", "click")


def _caller_level() -> int:
    """``stacklevel`` of the first frame outside brainbatch, JAX, Click and the standard library: the
    warning names the user's line (their script or experiment), not the kernel loader that happened to
    be reached first; under the CLI, where no such frame exists, the command's own entry point."""
    import sys
    import sysconfig

    stdlib = sysconfig.get_paths()["stdlib"]
    frame: FrameType | None = sys._getframe(2)  # the caller of load_library
    level, outermost = 2, 2
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if name.split(".")[0] not in _INFRASTRUCTURE and not frame.f_code.co_filename.startswith(stdlib):
            return level
        outermost = level
        frame, level = frame.f_back, level + 1
    return outermost


def build_error() -> str | None:
    """Why the library could not be loaded (``None`` if it loaded or was not tried)."""
    return _state.get("error")
