"""Writes runs into a store from another process (spawned by the store tests through ``runpy``).

Loaded two ways: by a test with ``runpy.run_path`` to reuse ``record_values`` / ``write_run``, and as a
child process's target with ``run_name="__bb_worker__"`` and the job in ``init_globals``.
"""
from __future__ import annotations

import sys
import time
import types
import zlib
from pathlib import Path

import numpy as np


def _rng(var, seed, params) -> np.random.Generator:
    # deterministic in (variable name, seed, parameter values), so any process can recompute it
    return np.random.default_rng([zlib.crc32(var.name.encode()), int(seed), *(zlib.crc32(repr(p).encode()) for p in params)])


def record_values(var, n_steps, seed, *params) -> np.ndarray:
    """The samples a run writes for record ``var`` (a VarSpec)."""
    return _draw(_rng(var, seed, params), (-(-n_steps // var.every), *var.shape), var.dtype)


def state_values(var, seed, *params) -> np.ndarray:
    """The saved state a run writes for ``var``."""
    return _draw(_rng(var, seed, params), var.shape, var.dtype)


def _draw(rng, shape, dtype):
    if dtype == "bool":
        return rng.random(shape) < 0.2
    if np.dtype(dtype).kind == "f":
        return rng.normal(size=shape).astype(dtype)
    return rng.integers(-50 if np.dtype(dtype).kind == "i" else 0, 50, size=shape).astype(dtype)


def write_store(path, spec):
    """A new store of ``spec`` at ``path`` with every run written by ``write_run`` (so done); the ``ResultStore``."""
    from brainbatch.store import ResultStore

    store = ResultStore.create(path, spec)
    for run in store.runs():
        write_run(store, run)
    return store


def copy_store(path, folder) -> Path:
    """A copy of the store at ``path`` in ``folder`` (``x.zarr``; links copied as links), for a test that changes it."""
    import shutil

    out = Path(folder) / "x.zarr"
    shutil.copytree(path, out, symlinks=True)
    return out


def write_run(store, run, chunk=5, stop_after=None, signal_file=None) -> None:
    """Write one run chunk by chunk, then its states, then mark it done.

    With ``stop_after`` chunks written, touch ``signal_file`` and sleep: the test kills us there.
    """
    idx = run.index
    params = [run.params[p] for p in store.spec.params]
    store.set_status(idx, "running")
    written = 0
    for var in store.spec.records:
        full = record_values(var, store.spec.n_steps, run.seed, *params)
        for start in range(0, len(full), chunk):
            store.write_record(idx, var.name, start, full[start:start + chunk])
            written += 1
            if stop_after is not None and written >= stop_after:
                Path(signal_file).touch()
                time.sleep(600)
    store.write_states(idx, {v.name: state_values(v, run.seed, *params) for v in store.spec.states})
    store.mark_done(idx, steps=store.spec.n_steps)  # as a sweep's worker says it: checked against what it wrote


def _import_store(repo):
    # brainbatch/__init__ imports jax; a worker of the store needs none of it (and starts faster)
    if "brainbatch" not in sys.modules:
        pkg = types.ModuleType("brainbatch")
        pkg.__path__ = [str(Path(repo) / "brainbatch")]
        sys.modules["brainbatch"] = pkg
    import brainbatch.store

    return brainbatch.store


if __name__ == "__bb_worker__":
    store = _import_store(REPO).ResultStore.open(STORE)  # noqa: F821 - given in init_globals
    for r in [x for x in store.runs() if x.index in RUNS]:  # noqa: F821
        write_run(store, r, stop_after=STOP_AFTER, signal_file=SIGNAL)  # noqa: F821
    assert "jax" not in sys.modules, "the store worker imported jax"
