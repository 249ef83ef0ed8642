"""A sweep's progress in simulated steps over all its runs, with rate and time left.

On a terminal: a live bar (rich). Anywhere else (a log file, a notebook, a pipe): a plain line
every ``PLAIN_EVERY_S`` seconds, as Brian2's ``report`` does, e.g.

    progress  42.0%  4,200 / 10,000 steps over 8 runs (2 done, 0 failed), 12 s elapsed, about 17 s left

Steps arrive from the batches of this process after every compiled call (``live.steps_done``);
batches of dask workers count when they finish.
"""
from __future__ import annotations

import sys
import threading
import time
from typing import Any, Callable, TextIO

__all__ = ["SweepProgress", "PLAIN_EVERY_S"]

#: Seconds between two plain progress lines off a terminal (``BRAINBATCH_PROGRESS_EVERY_S`` overrides it).
PLAIN_EVERY_S = 10.0


def _plain_every() -> float:
    from ..settings import get

    return float(get("BRAINBATCH_PROGRESS_EVERY_S"))


def _duration(seconds: float) -> str:
    seconds = max(0.0, seconds)
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


class SweepProgress:
    """``with SweepProgress(runs, steps, dt) as p: p.steps(n); p.update(done, failed, steps)``.

    ``every`` (seconds) spaces the plain lines written off a terminal; ``enabled=False`` shows nothing.

    >>> import io
    >>> out = io.StringIO()
    >>> with SweepProgress(2, 100, 0.1, stream=out, every=1e9) as p:
    ...     p.steps(50)
    >>> p.line().split(",")[0]
    'progress  50.0%  50 / 100 steps over 2 runs (0 done'
    """

    def __init__(self, runs: int, total_steps: int, dt: float, enabled: bool = True, stream: TextIO | None = None,
                 every: float | None = None):
        self.runs, self.total, self.dt = runs, max(int(total_steps), 0), dt
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = bool(enabled) and runs > 0
        self.tty = self.enabled and bool(getattr(self.stream, "isatty", lambda: False)())
        self.every = _plain_every() if every is None else float(every)
        self.done = self.failed = 0
        self._live = self._reported = 0
        self._lock = threading.Lock()
        self._start = time.monotonic()
        self._bar: Any = None
        self._closed = threading.Event()
        self._ticker: threading.Thread | None = None
        self.lines = 0

    # ------------------------------------------------------------------ counting
    @property
    def completed(self) -> int:
        return min(self.total, max(self._live, self._reported))

    def steps(self, n: int) -> None:
        """``n`` steps more were simulated and written (a compiled call of a batch, all its runs)."""
        with self._lock:
            self._live += int(n)
        self._refresh()

    def update(self, done: int, failed: int, steps: int = 0) -> None:
        """A batch finished: its runs done and failed, and the steps they took (for batches elsewhere)."""
        with self._lock:
            self.done += done
            self.failed += failed
            self._reported += int(steps)
        self._refresh()

    def line(self) -> str:
        """The plain progress line (what a log file gets)."""
        elapsed = time.monotonic() - self._start
        done = self.completed
        share = done / self.total if self.total else 1.0
        left = elapsed * (1 - share) / share if share > 0 else None
        rate = done * self.dt / elapsed if elapsed > 0 else 0.0
        return (f"progress {100 * share:5.1f}%  {done:,} / {self.total:,} steps over {self.runs} runs "
                f"({self.done} done, {self.failed} failed), {_duration(elapsed)} elapsed, "
                + (f"about {_duration(left)} left" if left is not None else "time left unknown")
                + f", {rate:,.0f} ms simulated per s")

    # ------------------------------------------------------------------ display
    def __enter__(self) -> SweepProgress:
        self._start = time.monotonic()
        if self.tty:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

            self._bar = Progress(TextColumn("sweep"), BarColumn(), TextColumn("{task.percentage:>5.1f}%"),
                                 TextColumn("{task.fields[sim]}"), TextColumn("runs {task.fields[runs]}"),
                                 TextColumn("[red]{task.fields[failed]} failed"), TextColumn("{task.fields[rate]}"),
                                 TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                                 console=Console(file=self.stream), transient=False)
            self._bar.__enter__()
            self._task = self._bar.add_task("sweep", total=self.total or 1, **self._fields())
        elif self.enabled:
            self._ticker = threading.Thread(target=self._tick, name="brainbatch-progress", daemon=True)
            self._ticker.start()
        return self

    def _fields(self) -> dict[str, str]:
        elapsed = max(time.monotonic() - self._start, 1e-9)
        done = self.completed
        sim_s, total_s = done * self.dt / 1000.0, self.total * self.dt / 1000.0
        return {"sim": f"{sim_s:,.1f} / {total_s:,.1f} s simulated", "runs": f"{self.done}/{self.runs}",
                "failed": str(self.failed), "rate": f"{done * self.dt / elapsed:,.0f} ms/s"}

    def _refresh(self) -> None:
        if self._bar is not None:
            self._bar.update(self._task, completed=self.completed, **self._fields())

    def _tick(self) -> None:
        while not self._closed.wait(self.every):
            self._say(self.line())

    def _say(self, text: str) -> None:
        try:
            print(text, file=self.stream, flush=True)
            self.lines += 1
        except (OSError, ValueError):  # a closed stream: progress is never worth a failure
            pass

    def print(self, text: str, fallback: Callable[[str], None]) -> None:
        """A line above the live bar (or through ``fallback`` when there is no bar)."""
        if self._bar is not None:
            self._bar.console.print(text, markup=False, highlight=False)
        else:
            fallback(text)

    def __exit__(self, *exc: Any) -> None:
        self._closed.set()
        if self._ticker is not None:
            self._ticker.join()
            if self.lines:  # a log that had progress lines also gets the last one
                self._say(self.line())
        if self._bar is not None:
            self._refresh()
            self._bar.__exit__(*exc)
