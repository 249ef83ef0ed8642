"""Progress display for long runs: a rich bar on a terminal, silence otherwise."""
from __future__ import annotations

import sys
from contextlib import contextmanager


@contextmanager
def step_progress(total: int, enabled: bool = True, description: str = "simulating"):
    """Yield ``advance(n)``; draws a bar only when ``enabled`` and stderr is a terminal."""
    if not enabled or not sys.stderr.isatty():
        yield lambda n: None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} steps"),
                  TimeElapsedColumn(), TimeRemainingColumn(), transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)
