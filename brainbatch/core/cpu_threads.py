"""One thread per op on CPU: the cores are used through devices (one run or batch per core) instead.

XLA:CPU splits a large elementwise fusion (the exponential-Euler update of a few thousand neurons)
over its intra-op thread pool. Per step that work is a few microseconds, and handing half of it to
another thread and waiting costs more than it saves: COBA's step took 52 us of CPU split and 32 us
whole on a 2-core machine, and a sweep already keeps every core busy with one device per core.

XLA derives the split from the CPU affinity of the thread that creates the CPU client, and offers no
option for it. So when brainbatch is imported before JAX has started its CPU backend, the backend is
created with the creating thread pinned to one core; right after, that thread and every thread the
client started get their full affinity back, so devices still run on all cores. Set
``BRAINBATCH_INTRA_OP=1`` to keep XLA's own splitting (one huge model on a many-core machine).
If JAX's internals differ from what this expects, or JAX is newer than the versions this was tested
with (``UNTESTED_JAX``), nothing is changed.
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
from typing import Iterator

from ..settings import get as get_setting

__all__ = ["install", "split_ops_disabled"]

ENV = "BRAINBATCH_INTRA_OP"
#: The first JAX version this was not tested with (the factory table is private): it leaves JAX alone.
UNTESTED_JAX = (0, 11)
_state = {"installed": False, "applied": False}


def _threads() -> set[int]:
    try:
        return {int(t) for t in os.listdir("/proc/self/task")}
    except OSError:
        return set()


@contextlib.contextmanager
def _created_on_one_core() -> Iterator[None]:
    try:
        full = os.sched_getaffinity(0)
        before = _threads()
        os.sched_setaffinity(0, {min(full)})
    except (AttributeError, OSError):  # no affinity here (macOS, a sandbox): create as usual
        yield
        return
    try:
        yield
        _state["applied"] = True
    finally:
        for tid in (_threads() - before) | {0}:
            try:
                os.sched_setaffinity(tid, full)
            except OSError:  # a thread that already ended
                pass


def _version(text: str) -> tuple[int, ...]:
    """``"0.10.2"`` -> ``(0, 10, 2)`` (a suffix such as ``.dev1`` ends the numbers).

    >>> _version("0.10.2"), _version("0.11.0.dev20260101")
    ((0, 10, 2), (0, 11, 0))
    """
    out = []
    for part in text.split("."):
        if not part.isdigit():
            break
        out.append(int(part))
    return tuple(out)


def install() -> None:
    """Wrap JAX's CPU backend factory (once, and only before the backend exists)."""
    if _state["installed"] or get_setting(ENV) or not hasattr(os, "sched_setaffinity"):
        return
    try:
        import jax

        if _version(jax.__version__) >= UNTESTED_JAX:  # private JAX internals: only where they were tested
            return
        from jax._src import xla_bridge

        registration = xla_bridge._backend_factories.get("cpu")
        if registration is None or xla_bridge._backends:
            return
        make = registration.factory

        def factory(*args, **kwargs):
            with _created_on_one_core():
                return make(*args, **kwargs)

        xla_bridge._backend_factories["cpu"] = dataclasses.replace(registration, factory=factory)
        _state["installed"] = True
    except Exception:  # noqa: BLE001 - JAX internals moved: keep JAX's default
        return


def split_ops_disabled() -> bool:
    """Whether this process's CPU backend was created with one thread per op."""
    return _state["applied"]
