"""The worker side of the dask executor: a batch run so that its sweep's stop request reaches it.

A graceful stop (docs/executors.md, "Stopping"): the coordinator calls ``stop_sweep`` on every worker
(``Client.run``, once); from then on the chunk loops of that sweep's batches on the worker read the
request after every compiled call (``live.stop_when``: an in-memory flag, no scheduler round trip per
chunk), stop at their next chunk boundary with a checkpoint, and come back as stopped; a batch of the
sweep that starts later on that worker starts nothing. ``stop_sweep`` answers with the batches under way
there, the ones the coordinator waits for; it cancels the others.

Imported by the coordinator only when a dask sweep runs, and by the workers with the first batch.
"""
from __future__ import annotations

import signal
import threading
from typing import Any

from distributed import WorkerPlugin

from .. import live
from ..task import BatchReport, BatchTask, execute_batch

__all__ = ["CoordinatorSignals", "SweepStopped", "run_batch", "stop_sweep"]

#: Sweeps (``run_batch``'s ``sweep`` key) whose stop the coordinator asked for in this process. A few bytes per
#: stopped sweep, kept for the life of the worker: a batch of one that starts however late starts nothing
_STOPPED: set[str] = set()
#: The batches (task keys) of each sweep that this process runs now
_RUNNING: dict[str, set[str]] = {}
_LOCK = threading.Lock()


def run_batch(task: BatchTask, sweep: str, key: str) -> BatchReport:
    """``execute_batch(task)`` on a worker, stopping at a chunk boundary once the sweep ``sweep`` asks it to
    (``stop_sweep``): then (or when the stop came before it started) its report lists its runs in ``stopped``,
    left pending, each continuing from its last checkpoint next time."""
    from ...run.engine import RunStopped

    every = [{"seed": seed, **dict(params)} for seed, params in task.runs]
    with _LOCK:
        if sweep in _STOPPED:  # the stop came before this batch started: nothing of it runs
            return BatchReport(stopped=every)
        _RUNNING.setdefault(sweep, set()).add(key)
    try:
        with live.stop_when(lambda: sweep in _STOPPED):
            return execute_batch(task)
    except RunStopped:  # a KeyboardInterrupt: out of a dask task it would end the worker process
        return BatchReport(stopped=every)  # execute_batch left them pending, their checkpoints saved
    finally:
        with _LOCK:
            mine = _RUNNING.get(sweep, set())
            mine.discard(key)
            if not mine:
                _RUNNING.pop(sweep, None)


def stop_sweep(sweep: str) -> list[str]:
    """Ask the batches of the sweep ``sweep`` in this process to stop at their next chunk boundary, and every later
    one not to start (run on each worker by ``Client.run``); returns the keys of its batches under way here."""
    with _LOCK:
        _STOPPED.add(sweep)
        return sorted(_RUNNING.get(sweep, ()))


class SweepStopped(WorkerPlugin):
    """The stop of the sweep ``sweep`` (``stop_sweep``) on every worker of the cluster, registered by the coordinator
    as it stops: the workers there now run it at once, and the scheduler gives it to each worker that joins later as
    it registers, before the worker takes a task (``Client.run`` reached only the workers there at the time: one
    that joined a ``--scheduler`` cluster just after it and took a batch of the sweep ran that batch to its end,
    unwaited for). Its teardown (the coordinator unregisters it as the sweep ends) keeps the sweep stopped there."""

    def __init__(self, sweep: str):
        self.sweep = sweep
        self.name = f"brainbatch-stop-{sweep}"

    def setup(self, worker: Any) -> None:
        stop_sweep(self.sweep)


class CoordinatorSignals(WorkerPlugin):
    """A worker of the sweep's own local cluster ignores Ctrl-C, SIGTERM and SIGHUP: a terminal sends Ctrl-C to the
    coordinator's whole process group and SLURM its SIGTERM to every process of the job, which ended the workers
    (their batches' work since the last checkpoint lost) before the coordinator could stop them at a chunk
    boundary. The coordinator stops them, then closes them; they end with it if it is killed."""

    name = "brainbatch-coordinator-signals"

    def setup(self, worker: Any) -> None:
        if threading.current_thread() is not threading.main_thread():  # signals are set from the main thread only
            return
        for name in ("SIGINT", "SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), signal.SIG_IGN)
