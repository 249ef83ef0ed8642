"""Executors run batch tasks and report each batch's outcome to the coordinator."""
from __future__ import annotations

from typing import Callable, Sequence

from ..task import BatchReport, BatchTask


class AbstractExecutor:
    """``run(tasks, on_report)`` executes every task and calls ``on_report(task, report)`` as each ends."""

    name = "abstract"

    def run(self, tasks: Sequence[BatchTask], on_report: Callable[[BatchTask, BatchReport], None],
            should_stop: Callable[[], bool] = lambda: False) -> None:  # pragma: no cover - abstract
        raise NotImplementedError
