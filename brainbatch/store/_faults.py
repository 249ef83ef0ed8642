"""Named pause points, so tests of concurrent sweeps are deterministic (a barrier, not timing).

Production runs never set either switch, and then a pause point costs one dict and one environment
look-up. In a test:

- in-process: ``HOOKS["before-done"] = fn`` calls ``fn()`` when a process reaches that point;
- across processes: ``BRAINBATCH_PAUSE_AT=point[,point...]`` and ``BRAINBATCH_PAUSE_DIR=folder`` make
  a process reaching ``point`` create ``folder/point.reached`` and wait until ``folder/point.go``
  exists (at most ``BRAINBATCH_PAUSE_MAX_S`` seconds, 300 by default, so a test never hangs forever).

The points: ``extend-locked`` (a coordinator holds the store's metadata lock and has read the store,
before changing anything), ``lock-wait`` (a coordinator found the metadata lock held by another
process and waits for it), ``before-done`` (a task is about to mark its runs done).

>>> pause_point("nothing-waits-here")
"""
from __future__ import annotations

import os
import time
from typing import Callable

from ..settings import get as get_setting

__all__ = ["HOOKS", "pause_point"]

#: In-process hooks, by point name (tests only).
HOOKS: dict[str, Callable[[], None]] = {}


def pause_point(name: str) -> None:
    """Run the hook of ``name``, or pause here if the environment asks for it (see the module text)."""
    hook = HOOKS.get(name)
    if hook is not None:
        hook()
    points = os.environ.get("BRAINBATCH_PAUSE_AT")
    if not points or name not in get_setting("BRAINBATCH_PAUSE_AT"):
        return
    folder = get_setting("BRAINBATCH_PAUSE_DIR")
    with open(os.path.join(folder, f"{name}.reached"), "w") as fh:
        fh.write(str(os.getpid()))
    deadline = time.monotonic() + get_setting("BRAINBATCH_PAUSE_MAX_S")
    while not os.path.exists(os.path.join(folder, f"{name}.go")) and time.monotonic() < deadline:
        time.sleep(0.02)
