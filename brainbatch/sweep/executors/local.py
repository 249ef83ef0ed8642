"""The local executor: batches run in this process, one thread per device.

Batches go round-robin to the devices (batch k to device k mod N). JAX releases the GIL while a
compiled call runs, so two host devices (``--devices cpu:2``) keep both cores busy from one process.
"""
from __future__ import annotations

import contextvars
import queue
import threading
from dataclasses import replace
from typing import Callable, Sequence

from ..task import BatchReport, BatchTask, execute_batch
from .base import AbstractExecutor


class LocalExecutor(AbstractExecutor):
    name = "local"

    def __init__(self, devices: Sequence[str]):
        self.devices: list[str | None] = [*devices] or [None]

    def run(self, tasks: Sequence[BatchTask], on_report: Callable[[BatchTask, BatchReport], None],
            should_stop: Callable[[], bool] = lambda: False) -> None:
        if len(self.devices) == 1:
            for task in tasks:
                if should_stop():
                    return
                task = replace(task, device=self.devices[0] or task.device)
                on_report(task, execute_batch(task))
            return
        shares = {k: [replace(t, device=d) for t in tasks[k::len(self.devices)]] for k, d in enumerate(self.devices)}
        results: queue.Queue = queue.Queue()
        halt = threading.Event()

        def worker(mine: list[BatchTask]) -> None:
            for task in mine:
                if halt.is_set():
                    return
                try:
                    results.put((task, execute_batch(task)))
                except BaseException as err:  # noqa: BLE001 - surfaced in the main thread
                    results.put((task, err))
                    return

        # each thread runs in a copy of this context (command_line(): messages in the CLI's spelling)
        threads = [threading.Thread(target=contextvars.copy_context().run, args=(worker, shares[k]), daemon=True)
                   for k in shares]
        for t in threads:
            t.start()
        remaining = len(tasks)
        stopped = False
        try:
            while remaining:
                try:
                    task, outcome = results.get(timeout=0.2)
                except queue.Empty:
                    if not any(t.is_alive() for t in threads) and results.empty():
                        break
                    continue
                remaining -= 1
                if isinstance(outcome, BaseException):
                    raise outcome
                on_report(task, outcome)
                if should_stop():
                    stopped = True
                    break
        finally:
            halt.set()  # no new batch starts; batches under way finish (a compiled call cannot be cut)
            for t in threads:
                t.join()
        if stopped:  # what the batches under way on the other devices did after the stop (--fail-fast) is in the
            _report_late(results, on_report)  # store: the summary counts it too


def _report_late(results: queue.Queue, on_report: Callable[[BatchTask, BatchReport], None]) -> None:
    """Reports of batches that finished after the sweep stopped; the first error among them is raised after."""
    error = None
    while not results.empty():
        task, outcome = results.get_nowait()
        if isinstance(outcome, BaseException):
            error = error or outcome
        else:
            on_report(task, outcome)
    if error is not None:
        raise error
