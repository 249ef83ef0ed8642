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
If JAX's internals differ from what this expects, or JAX is outside the versions this was tested
with (``jax_compat.TESTED_JAX``), nothing is changed.
"""
from __future__ import annotations

import contextlib
import os
from typing import Any, Callable, Iterator

from ..settings import get as get_setting
from .jax_compat import wrap_cpu_backend_factory

__all__ = ["install", "split_ops_disabled"]

ENV = "BRAINBATCH_INTRA_OP"
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


def install() -> None:
    """Wrap JAX's CPU backend factory (once, and only before the backend exists)."""
    if _state["installed"] or get_setting(ENV) or not hasattr(os, "sched_setaffinity"):
        return

    def wrap(make: Callable[..., Any]) -> Callable[..., Any]:
        def factory(*args: Any, **kwargs: Any) -> Any:
            with _created_on_one_core():
                return make(*args, **kwargs)

        return factory

    # private JAX internals: only where they were tested (jax_compat), else JAX's default
    if wrap_cpu_backend_factory(wrap):
        _state["installed"] = True


def split_ops_disabled() -> bool:
    """Whether this process's CPU backend was created with one thread per op."""
    return _state["applied"]
