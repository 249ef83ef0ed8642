"""The sweep's hold on its store: a lease on the whole store while it works, and cleaning up after an interrupt."""
from __future__ import annotations

import numpy as np

__all__ = ["hold_store", "reset_abandoned"]


def hold_store(info: dict, path: str) -> None:
    """Take the lease on the whole store at ``path``; ``info["held"]`` keeps it for the release."""
    from ..store import Leases

    info["store"] = path
    leases = Leases(path)
    info["held"] = (leases, leases.hold_store())


def reset_abandoned(path: str, generation: str | None = None) -> None:
    """After an interrupt: runs left ``running`` by a process that is gone (a closed dask worker) become pending.

    ``generation``: the store's generation the sweep planned its runs under; a store rebuilt since (another
    sweep's ``--force``) is left alone, its runs being that sweep's."""
    from ..store import ResultStore

    try:
        store = ResultStore.open(path)
        store.check_generation(generation)
        status = store.status()
        for found in zip(*np.nonzero(status == "running")):
            idx = tuple(int(i) for i in found)
            lease = store.lease(idx)
            if lease is None or not lease.alive or lease.mine:
                store.set_status(idx, "pending", error="interrupted; run the sweep again to finish it")
                store.release(idx)
    except Exception:  # noqa: BLE001 - best effort while exiting: the next sweep takes such runs back anyway
        pass
