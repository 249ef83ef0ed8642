"""A running sweep's live controls in this process: steps done flow out (progress), a stop request
flows in (Ctrl-C / SIGTERM stop at the next chunk boundary, docs/executors.md "Stopping").

Batches of the local executor run in this process, so their chunk loops report steps here and read
the stop request here after every compiled call. A dask worker's batches report their progress per batch;
the stop request reaches them once, pushed by the executor to every worker (``executors/dask_worker.py``),
and their chunk loops read it there (``stop_when``), so they stop at their next chunk boundary too.
"""
from __future__ import annotations

import contextvars
import signal
import sys
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator

__all__ = ["stop_requested", "stop_when", "request_stop", "stop_signal", "steps_done", "listening", "graceful_stop",
           "run_in_thread"]

_STOP = threading.Event()
_SIGNAL: list[int] = []  # the signal that asked for the stop (SIGINT for a KeyboardInterrupt)
_LISTENERS: list[Callable[[int], None]] = []
_LOCK = threading.Lock()
_THREAD = threading.local()  # ``asked``: the stop request of the batch this thread runs (``stop_when``)


def stop_requested() -> bool:
    """Whether a stop was requested (read by each batch after every compiled call): this process's, or the one
    of the sweep whose batch this thread runs (``stop_when``)."""
    if _STOP.is_set():
        return True
    asked = getattr(_THREAD, "asked", None)
    return asked is not None and bool(asked())


@contextmanager
def stop_when(asked: Callable[[], bool]) -> Iterator[None]:
    """While the block runs, ``stop_requested()`` in this thread is true also when ``asked()`` is: a batch on a
    dask worker stops when its own sweep asks (``executors/dask_worker.py``), not the worker's other sweeps."""
    previous = getattr(_THREAD, "asked", None)
    _THREAD.asked = asked
    try:
        yield
    finally:
        _THREAD.asked = previous


def request_stop(signum: int = signal.SIGINT) -> None:
    """Ask every batch of this process to stop at its next chunk boundary, with a checkpoint."""
    if not _STOP.is_set():
        _SIGNAL[:] = [signum]
    _STOP.set()


def stop_signal() -> int | None:
    """The signal that requested the stop (``None`` when none did)."""
    return _SIGNAL[0] if _STOP.is_set() and _SIGNAL else None


def steps_done(n: int) -> None:
    """``n`` more simulated steps (summed over a batch's runs) are written: tell the listeners."""
    for fn in list(_LISTENERS):
        fn(n)


@contextmanager
def listening(fn: Callable[[int], None]) -> Iterator[None]:
    """``steps_done`` calls ``fn`` while the block runs."""
    with _LOCK:
        _LISTENERS.append(fn)
    try:
        yield
    finally:
        with _LOCK:
            _LISTENERS.remove(fn)


_WORDS = {signal.SIGINT: "Ctrl-C", getattr(signal, "SIGTERM", -1): "SIGTERM", getattr(signal, "SIGHUP", -2): "SIGHUP"}


@contextmanager
def graceful_stop(say: Callable[[str], None] | None = None, executor: str = "local") -> Iterator[None]:
    """While the block runs (in the main thread): the first Ctrl-C / SIGTERM / SIGHUP requests a stop
    at the next chunk boundary and says so at once; a second one raises ``KeyboardInterrupt`` (abort).
    ``executor``: where the batches run; on ``"dask"`` the note says so (the executor passes the request on to its
    workers, and batches not started never start: docs/executors.md, "Stopping").

    Elsewhere than the main thread (signals cannot be caught there) it changes nothing.
    """
    say = say or (lambda text: print(text, file=sys.stderr, flush=True))
    _STOP.clear()
    _SIGNAL.clear()
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        if _STOP.is_set():
            raise KeyboardInterrupt  # the second one: abort now
        request_stop(signum)
        what = ("stopping after the current chunk (the runs under way save a checkpoint and continue from it next "
                "time)" if executor != "dask" else
                "stopping after the current chunk on the dask workers (the runs under way there save a checkpoint "
                "and continue from it next time; batches not started yet do not start)")
        say(f"\n{_WORDS.get(signum, f'signal {signum}')}: {what}; Ctrl-C again to abort")

    with _stop_signals_to(handler):
        yield


@contextmanager
def _stop_signals_to(handler: Callable[[int, Any], None]) -> Iterator[dict[str, Any]]:
    """SIGINT, SIGTERM and SIGHUP go to ``handler`` while the block runs; yields the handlers they had,
    which they get back after it."""
    names = [n for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n)]
    old = {n: signal.getsignal(getattr(signal, n)) for n in names}
    for n in names:
        signal.signal(getattr(signal, n), handler)
    try:
        yield old
    finally:
        for n in names:
            signal.signal(getattr(signal, n), old[n])


@contextmanager
def signals_held() -> Iterator[None]:
    """While the block runs (in the main thread), Ctrl-C / SIGTERM / SIGHUP wait; the first one that came is
    acted on when the block ends. For the store's layout change (its arrays and spec, written in seconds): a
    sweep stopped inside it left arrays of one spec under another's, and said "nothing was written"
    (docs/store.md). A kill -9 cannot wait: the store finishes or undoes such a change on the next sweep.

    Elsewhere than the main thread it changes nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    got: list[tuple[int, Any]] = []

    def handler(signum: int, frame: Any) -> None:
        got.append((signum, frame))

    with _stop_signals_to(handler) as old:
        yield
    if got:  # the block is complete: the signal now does what it would have done
        signum, frame = got[0]
        previous = old[signal.Signals(signum).name]
        if callable(previous):
            previous(signum, frame)
        elif previous == signal.SIG_DFL:
            signal.raise_signal(signum)


def run_in_thread(fn: Callable[[], Any], poll_s: float = 0.1) -> Any:
    """``fn()`` in a worker thread while this thread waits, so a signal is handled here at once (never
    inside a compiled call, where raising aborts the process); returns its result or raises its error.

    A ``KeyboardInterrupt`` here (a second Ctrl-C) propagates at once; the worker stops at its next
    chunk boundary by itself (the stop was requested first).
    """
    if threading.current_thread() is not threading.main_thread():
        return fn()
    box: dict[str, Any] = {}
    context = contextvars.copy_context()  # the caller's context (command_line(): errors in the CLI's spelling)

    def target() -> None:
        try:
            box["result"] = context.run(fn)
        except BaseException as err:  # noqa: BLE001 - handed to the waiting thread
            box["error"] = err

    worker = threading.Thread(target=target, name="brainbatch-sweep", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(poll_s)
    if "error" in box:
        raise box["error"]
    return box.get("result")
