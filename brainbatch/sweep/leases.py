"""The sweep's hold on its store: a lease on the whole store while it works, and cleaning up after an interrupt."""
from __future__ import annotations

import numpy as np

__all__ = ["hold_store", "reset_abandoned"]


def hold_store(info: dict, path: str) -> None:
    """Take the lease on the whole store at ``path``; ``info["held"]`` keeps it for the release."""
    from ..store._lease import Leases

    info["store"] = path
    leases = Leases(path)
    info["held"] = (leases, leases.hold_store())


def reset_abandoned(path: str) -> None:
    """After an interrupt: runs left ``running`` by a process that is gone (a closed dask worker) become pending."""
    from ..store import ResultStore
    from ..store._lease import is_me, lease_alive

    try:
        store = ResultStore.open(path)
        status = store.status()
        for idx in zip(*np.nonzero(status == "running")):
            idx = tuple(int(i) for i in idx)
            doc = store.lease(idx)
            if doc is None or not lease_alive(doc) or is_me(doc.get("owner")):
                store.set_status(idx, "pending", error="interrupted; run the sweep again to finish it")
                store.release(idx)
    except Exception:  # noqa: BLE001 - best effort while exiting: the next sweep takes such runs back anyway
        pass
