"""The sweep's hold on its store: a lease on the whole store while it works, and cleaning up after an interrupt."""
from __future__ import annotations

import threading

import numpy as np

__all__ = ["hold_store", "release_store", "reset_abandoned"]

#: Sweeps of this process holding the lease on each store: the lease is the process's (one key per process), so
#: the first of two sweeps of one store in one process to end gave it up under the other, which a --force rebuild
#: elsewhere then no longer saw between two of its batches
_HOLDERS: dict[tuple[str, str], int] = {}
_LOCK = threading.Lock()


def hold_store(info: dict, path: str) -> None:
    """Take the lease on the whole store at ``path``; ``info["held"]`` keeps it for ``release_store``."""
    from ..store import Leases

    info["store"] = path
    leases = Leases(path)
    with _LOCK:
        key = leases.hold_store()
        _HOLDERS[(leases.path, key)] = _HOLDERS.get((leases.path, key), 0) + 1
    info["held"] = (leases, key)


def release_store(info: dict) -> None:
    """Give back the lease ``hold_store`` took, once no other sweep of this process holds it."""
    held, info["held"] = info.get("held"), None
    if held is None:
        return
    leases, key = held
    with _LOCK:
        left = _HOLDERS.get((leases.path, key), 1) - 1
        if left > 0:
            _HOLDERS[(leases.path, key)] = left
            return
        _HOLDERS.pop((leases.path, key), None)
        leases.release_store(key)


def reset_abandoned(path: str, generation: str | None = None, own: set | None = None) -> None:
    """After an interrupt: runs left ``running`` by a process that is gone (a closed dask worker), or by this one,
    become pending.

    ``generation``: the store's generation the sweep planned its runs under; a store rebuilt since (another
    sweep's ``--force``) is left alone, its runs being that sweep's. ``own``: the interrupted sweep's runs (store
    indices); a run a batch of this process still holds that is not among them is another sweep's of this process
    (a notebook thread) and is left alone (None: none is left alone, as before)."""
    from ..store import ResultStore
    from .task import held_here

    try:
        store = ResultStore.open(path)
        store.check_generation(generation)
        status = store.status()
        # runs a batch of this process holds that the interrupted sweep did not plan: another sweep's, under way
        others = held_here(path) - own if own is not None else set()
        for found in zip(*np.nonzero(status == "running")):
            idx = tuple(int(i) for i in found)
            if idx in others:
                continue
            # a dead owner's lease taken over (this process's is its own already; a live owner's is refused), so no
            # other sweep takes the run between the check and the reset, and its lease is not deleted under it
            if not store.claim(idx):
                continue
            try:
                if store.status_of(idx) == "running":
                    store.set_status(idx, "pending", error="interrupted; run the sweep again to finish it")
            finally:
                store.release(idx)
    except Exception:  # noqa: BLE001 - best effort while exiting: the next sweep takes such runs back anyway
        pass
