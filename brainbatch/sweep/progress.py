"""A live bar of runs done / failed / total with rate and time left (rich); silent off a terminal."""
from __future__ import annotations

import sys


def _rate_column():
    from rich.progress import ProgressColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        """Runs per second (or seconds per run when slower than one a second)."""

        def render(self, task) -> Text:
            speed = task.finished_speed or task.speed
            if not speed:
                return Text("-- runs/s", style="progress.data.speed")
            text = f"{speed:.2f} runs/s" if speed >= 1 else f"{1 / speed:.1f} s/run"
            return Text(text, style="progress.data.speed")

    return RateColumn()


class RunProgress:
    """``with RunProgress(total) as bar: bar.update(done, failed)``; shown only when stderr is a terminal."""

    def __init__(self, total: int, enabled: bool = True):
        self.total = total
        self.enabled = enabled and sys.stderr.isatty() and total > 0
        self.done = self.failed = 0
        self._bar = None

    def __enter__(self):
        if self.enabled:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                       TimeRemainingColumn)

            self._bar = Progress(TextColumn("runs"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("[red]{task.fields[failed]} failed"), _rate_column(),
                                 TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                                 console=Console(stderr=True), transient=False)
            self._bar.__enter__()
            self._task = self._bar.add_task("sweep", total=self.total, failed=0)
        return self

    def update(self, done: int, failed: int) -> None:
        self.done += done
        self.failed += failed
        if self._bar is not None:
            self._bar.update(self._task, advance=done + failed, failed=self.failed)

    def print(self, text: str, fallback) -> None:
        """A line above the live bar (or through ``fallback`` when there is no bar)."""
        if self._bar is not None:
            self._bar.console.print(text, markup=False, highlight=False)
        else:
            fallback(text)

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.__exit__(*exc)
