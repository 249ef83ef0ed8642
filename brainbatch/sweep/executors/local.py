"""The local executor: batches run in this process, one thread per device.

JAX releases the GIL while a compiled call runs, so two host devices (``--devices cpu:2``) keep both
cores busy from one process.
"""
from __future__ import annotations

import queue
import threading
from typing import Callable, Sequence

from ..task import BatchReport, BatchTask, execute_batch
from .base import AbstractExecutor


class LocalExecutor(AbstractExecutor):
    name = "local"

    def __init__(self, devices: Sequence[str]):
        self.devices = list(devices) or [None]

    def run(self, tasks: Sequence[BatchTask], on_report: Callable[[BatchTask, BatchReport], None],
            should_stop: Callable[[], bool] = lambda: False) -> None:
        if len(self.devices) == 1:
            for task in tasks:
                if should_stop():
                    return
                on_report(task, execute_batch(task))
            return
        todo: queue.Queue = queue.Queue()
        for task in tasks:
            todo.put(task)
        results: queue.Queue = queue.Queue()

        def worker(device):
            while not should_stop():
                try:
                    task = todo.get_nowait()
                except queue.Empty:
                    return
                from dataclasses import replace

                task = replace(task, device=device)
                try:
                    results.put((task, execute_batch(task)))
                except BaseException as err:  # surfaced in the main thread
                    results.put((task, err))

        threads = [threading.Thread(target=worker, args=(d,), daemon=True) for d in self.devices]
        for t in threads:
            t.start()
        remaining = len(tasks)
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
        for t in threads:
            t.join()
