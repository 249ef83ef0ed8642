"""JAX's persistent compilation cache for sweeps: compile a model once per machine, not per command.

A resumed or extended sweep, ``brainbatch run`` after ``sweep``, and dask workers reuse programs
compiled before. Location: ``$BRAINBATCH_JAX_CACHE`` (``0`` turns it off), default ``jax/`` in the
cache root (``$BRAINBATCH_CACHE``, else ``$XDG_CACHE_HOME/brainbatch``, else ``~/.cache/brainbatch``);
``$BRAINBATCH_JAX_CACHE_MIN_SECS`` (default 0.5) is the shortest compile worth keeping
(docs/configuration.md).

The cache also serves the other CPU devices of one process (``--devices cpu:N``): JAX keys a CPU
program by the device it was compiled for, so each device compiled the same batch program again
(3 microcircuit seeds on 2 devices: 274 s against 147 s on one). ``share_between_cpu_devices`` keys
CPU programs without their device assignment, as JAX does on GPU for multi-process runs; the
executable read back is loaded with the asking device's options. With the sweep giving every batch
of a group the same lane count (``BatchTask.lanes``), the second device reads what the first compiled.
"""
from __future__ import annotations

import os

from ..settings import cache_root
from ..settings import get as get_setting


def enable_compile_cache() -> str | None:
    """Turn the cache on (idempotent); returns its folder, or None when disabled."""
    if os.environ.get("BRAINBATCH_JAX_CACHE", "").strip().lower() in ("0", "off", "false", "no"):
        return None
    folder = get_setting("BRAINBATCH_JAX_CACHE") or str(cache_root() / "jax")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:  # a read-only home: sweeps still work, they just compile every time
        return None
    import jax

    if jax.config.jax_compilation_cache_dir != folder:
        jax.config.update("jax_compilation_cache_dir", folder)
        # programs that compile faster than this are not worth a disk entry
        min_secs = get_setting("BRAINBATCH_JAX_CACHE_MIN_SECS")
        jax.config.update("jax_persistent_cache_min_compile_time_secs", min_secs)
    share_between_cpu_devices()
    return folder


def share_between_cpu_devices() -> bool:
    """Key CPU programs without their device assignment (once; True if in force). Only for the JAX
    versions this was tested with; if JAX's internals differ, JAX's own keys stay."""
    from ..core.jax_compat import cache_keys_without_devices  # JAX internals: core/jax_compat.py

    return cache_keys_without_devices()
