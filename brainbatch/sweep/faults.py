"""Fault injection, for tests of the failure paths a real fault is too slow or too flaky to reach
(issue 19, item 18: an allocation that fails, a call that never returns).

``BRAINBATCH_FAULTS="run=memory"`` makes every batch raise ``MemoryError`` where its runs start
(after they are marked running, before anything is built); ``run=hang`` makes it block forever,
swallowing the exceptions signal handlers raise, as a C call stuck on a futex would. Unset (the
default), ``inject`` does nothing.

>>> inject("run")  # BRAINBATCH_FAULTS unset: nothing happens
"""
from __future__ import annotations

import time

from ..settings import get as get_setting

__all__ = ["inject"]

_VARIABLE = "BRAINBATCH_FAULTS"


def inject(point: str) -> None:
    """Raise or hang at ``point`` when ``BRAINBATCH_FAULTS`` asks for it (``point=memory|hang``)."""
    spec = get_setting(_VARIABLE)
    if not spec:
        return
    for item in spec.split(","):
        where, _, what = item.strip().partition("=")
        if where != point:
            continue
        if what == "memory":
            raise MemoryError(f"injected at {point!r} by {_VARIABLE}")
        if what == "hang":
            while True:  # a call that never returns to the interpreter's signal handling
                try:
                    time.sleep(3600)
                except BaseException:  # noqa: BLE001, S110 - on purpose: the handler's exception is lost
                    continue
