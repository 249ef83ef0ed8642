"""Named pause points, so tests of concurrent sweeps are deterministic (a barrier, not timing).

Production runs never set either switch, and then a pause point costs one dict and one environment
look-up. In a test:

- in-process: ``HOOKS["before-done"] = fn`` calls ``fn()`` when a process reaches that point;
- across processes: ``BRAINBATCH_PAUSE_AT=point[,point...]`` and ``BRAINBATCH_PAUSE_DIR=folder`` make
  a process reaching ``point`` create ``folder/point.reached`` and wait until ``folder/point.go``
  exists (at most ``BRAINBATCH_PAUSE_MAX_S`` seconds, 300 by default, so a test never hangs forever);
  ``point@n`` passes the first n-1 times and pauses from the n-th on (e.g. ``before-done@3``: two runs
  are done, the third waits).

The points: ``extend-locked`` (a coordinator holds the store's metadata lock and has read the store,
before changing anything), ``lock-wait`` (a coordinator found the metadata lock held by another
process and waits for it), ``before-done`` (a task is about to mark its runs done), ``checkpointed``
(a task has saved a checkpoint of its runs, which are not finished).

>>> pause_point("nothing-waits-here")
>>> _nth("before-done", ("lock-wait", "before-done@3"))
3
"""
from __future__ import annotations

import os
import time
from typing import Callable

from ..settings import get as get_setting

__all__ = ["HOOKS", "pause_point"]

#: In-process hooks, by point name (tests only).
HOOKS: dict[str, Callable[[], None]] = {}
_REACHED: dict[str, int] = {}  # how often this process reached each point named in BRAINBATCH_PAUSE_AT


def _nth(name: str, points: tuple[str, ...]) -> int | None:
    """From which reach on ``name`` pauses (``point`` or ``point@n`` in ``points``), or None."""
    for point in points:
        base, _, nth = point.partition("@")
        if base == name:
            return int(nth) if nth.strip().isdigit() else 1
    return None


def pause_point(name: str) -> None:
    """Run the hook of ``name``, or pause here if the environment asks for it (see the module text)."""
    hook = HOOKS.get(name)
    if hook is not None:
        hook()
    if not os.environ.get("BRAINBATCH_PAUSE_AT"):
        return
    nth = _nth(name, get_setting("BRAINBATCH_PAUSE_AT"))
    if nth is None:
        return
    _REACHED[name] = _REACHED.get(name, 0) + 1
    if _REACHED[name] < nth:
        return
    folder = get_setting("BRAINBATCH_PAUSE_DIR")
    with open(os.path.join(folder, f"{name}.reached"), "w") as fh:
        fh.write(str(os.getpid()))
    deadline = time.monotonic() + get_setting("BRAINBATCH_PAUSE_MAX_S")
    while not os.path.exists(os.path.join(folder, f"{name}.go")) and time.monotonic() < deadline:
        time.sleep(0.02)
