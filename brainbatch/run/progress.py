"""Progress display for long runs: a rich bar on a terminal, silence otherwise."""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


#: With a bar, a run is cut into about this many compiled calls (each one moves the bar) ...
BAR_CALLS = 20
#: ... of at least this many steps (a call costs a host round trip).
BAR_MIN_CALL_STEPS = 200


def bar_chunk_steps(n_steps: int) -> int | None:
    """Steps per compiled call of a run drawn with a bar, so the bar moves during the run: about
    ``BAR_CALLS`` equal calls of at least ``BAR_MIN_CALL_STEPS`` steps; ``None`` (the runner's own
    rule) where no equal cut exists, as unequal calls would compile a second program.

    >>> bar_chunk_steps(10_000), bar_chunk_steps(2_000), bar_chunk_steps(150), bar_chunk_steps(10_007)
    (500, 200, 150, None)
    """
    from .chunk_loop import chunk_steps_for

    chunk = chunk_steps_for(n_steps, 0.0, 1, max(BAR_MIN_CALL_STEPS, -(-n_steps // BAR_CALLS)))
    return chunk if n_steps % chunk == 0 else None


def shows_bar(enabled: bool = True) -> bool:
    """Whether ``step_progress`` draws a bar: asked for, and stderr is a terminal."""
    return bool(enabled) and sys.stderr.isatty()


@contextmanager
def step_progress(total: int, enabled: bool = True,
                  description: str = "simulating") -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``; draws a bar only when ``enabled`` and stderr is a terminal."""
    if not shows_bar(enabled):
        yield lambda n: None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} steps"),
                  TimeElapsedColumn(), TimeRemainingColumn(), transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)
