"""A live bar of runs done / failed / total with rate and time left (rich); silent off a terminal."""
from __future__ import annotations

import sys


class RunProgress:
    def __init__(self, total: int, enabled: bool = True):
        self.total = total
        self.enabled = enabled and sys.stderr.isatty() and total > 0
        self.done = self.failed = 0
        self._bar = None

    def __enter__(self):
        if self.enabled:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                       TimeRemainingColumn)

            self._bar = Progress(TextColumn("runs"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("[red]{task.fields[failed]} failed"), TextColumn("{task.speed} runs/s"),
                                 TimeElapsedColumn(), TimeRemainingColumn(), transient=False)
            self._bar.__enter__()
            self._task = self._bar.add_task("sweep", total=self.total, failed=0)
        return self

    def update(self, done: int, failed: int) -> None:
        self.done += done
        self.failed += failed
        if self._bar is not None:
            self._bar.update(self._task, advance=done + failed, failed=self.failed)

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.__exit__(*exc)
