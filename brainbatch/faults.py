"""Named fault points, so tests reach races and failure paths deterministically (a barrier or an injected
fault, never timing). One mechanism for every layer: a leaf (no JAX, nothing of brainbatch but the
other leaves, ``settings`` and ``errors``), called by the store and the sweep alike.

A process calls ``fault_point(name)`` where a test may want to act. Production runs set nothing, and
then a point costs one dict look-up and one environment look-up. In a test:

- in-process: ``HOOKS["before-done"] = fn`` calls ``fn()`` when this process reaches that point;
- across processes: ``BRAINBATCH_FAULTS="point[@n][=action],..."`` acts at ``point``, from its n-th
  reach on (``before-done@3``: two runs are done, the third acts; n is 1 when left out). The actions:

  - ``pause`` (the default): create ``$BRAINBATCH_PAUSE_DIR/point.reached`` and wait until
    ``point.go`` exists there (at most ``BRAINBATCH_PAUSE_MAX_S`` seconds, 300 by default, so a test
    never hangs forever);
  - ``memory``: raise ``MemoryError``, an allocation that fails;
  - ``hang``: block forever, swallowing the exceptions signal handlers raise, as a C call stuck on a
    futex would.

  ``BRAINBATCH_PAUSE_AT="point[@n],..."`` is the older spelling of ``BRAINBATCH_FAULTS`` with every
  action ``pause``; both are read.

The points: ``extend-locked`` (a coordinator holds the store's metadata lock and has read the store,
before changing anything), ``extend-written`` (a coordinator extending a store in time has written
its new number of steps), ``coord-sized`` (a coordinate array has its new shape and its values are about
to be written: more seeds or parameter values), ``lock-wait`` (a coordinator found the metadata lock held by another
process and waits for it), ``run`` (a batch's runs are marked running, nothing is built yet),
``checkpointed`` (a task has saved a checkpoint of its runs, which are not finished), ``before-done``
(a task is about to mark a run done), ``fail-write`` (a task is about to write a failed run's status),
``fenced-write`` (a task has checked the store's generation and is about to write records or states),
``layout-change`` (a coordinator has marked the store's layout change, a rebuild or a longer duration, and
changed no array yet), ``layout-arrays`` (it has changed the arrays and not yet written the new spec).

>>> fault_point("nothing-waits-here")
>>> from .settings import parse
>>> parse("BRAINBATCH_FAULTS", "run=memory, before-done@3")
(('run', 1, 'memory'), ('before-done', 3, 'pause'))
"""
from __future__ import annotations

import os
import time
from typing import Callable

from .settings import FAULT_POINTS
from .settings import get as get_setting

__all__ = ["HOOKS", "POINTS", "fault_point"]

#: Every point brainbatch calls (a test naming another one would wait for nothing).
POINTS = FAULT_POINTS

#: In-process hooks, by point name (tests only).
HOOKS: dict[str, Callable[[], None]] = {}
_REACHED: dict[str, int] = {}  # how often this process reached each point named in the environment


def _actions(name: str) -> list[tuple[int, str]]:
    """``[(nth, action)]`` the environment asks for at ``name`` (a point brainbatch never calls is refused
    where the setting is read: settings.FAULT_POINTS)."""
    items = list(get_setting("BRAINBATCH_FAULTS") or ())
    items += [(point, nth, "pause") for point, nth in (get_setting("BRAINBATCH_PAUSE_AT") or ())]
    return [(nth, action) for point, nth, action in items if point == name]


def fault_point(name: str) -> None:
    """Run the hook of ``name``, then pause, fail or hang here if the environment asks for it (see the
    module text)."""
    hook = HOOKS.get(name)
    if hook is not None:
        hook()
    if not (os.environ.get("BRAINBATCH_FAULTS") or os.environ.get("BRAINBATCH_PAUSE_AT")):
        return
    actions = _actions(name)
    if not actions:
        return
    _REACHED[name] = reached = _REACHED.get(name, 0) + 1
    for nth, action in actions:
        if reached >= nth:
            _ACT[action](name)


def _pause(name: str) -> None:
    folder = get_setting("BRAINBATCH_PAUSE_DIR")
    with open(os.path.join(folder, f"{name}.reached"), "w") as fh:
        fh.write(str(os.getpid()))
    deadline = time.monotonic() + get_setting("BRAINBATCH_PAUSE_MAX_S")
    while not os.path.exists(os.path.join(folder, f"{name}.go")) and time.monotonic() < deadline:
        time.sleep(0.02)


def _memory(name: str) -> None:
    raise MemoryError(f"injected at {name!r} by BRAINBATCH_FAULTS")


def _hang(name: str) -> None:
    while True:  # a call that never returns to the interpreter's signal handling
        try:
            time.sleep(3600)
        except BaseException:  # noqa: BLE001 - on purpose: the handler's exception is lost
            continue


_ACT: dict[str, Callable[[str], None]] = {"pause": _pause, "memory": _memory, "hang": _hang}
