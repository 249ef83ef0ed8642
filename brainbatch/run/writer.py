"""``ChunkWriter``: hands finished chunks to a writer thread while the next chunk computes.

The compiled chunks run asynchronously, so the host thread only dispatches them; the writer thread
turns each chunk's records into numpy arrays, compresses and stores them (through the sink). The
queue holds at most ``depth`` chunks, so memory stays flat however long the run. The first error of
the writer stops the run: later chunks are dropped and ``put`` / ``close`` raise it.
"""
from __future__ import annotations

import queue
import threading
from typing import Any, Callable

from ..errors import BrainbatchError

__all__ = ["ChunkWriter", "WriterError"]


class WriterError(BrainbatchError, RuntimeError):
    """Writing a chunk's results failed; the message carries the writer's own error."""


class ChunkWriter:
    """Call ``handle(item)`` for every ``put(item)``, in order, on one background thread.

    >>> seen = []
    >>> w = ChunkWriter(seen.append)
    >>> w.put(1); w.put(2); w.close(); seen
    [1, 2]
    """

    def __init__(self, handle: Callable[[Any], None], depth: int = 1):
        self._handle = handle
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._loop, name="brainbatch-writer", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            if self._error is None:  # after an error, drain without writing so put() never blocks forever
                try:
                    self._handle(item)
                except BaseException as err:  # noqa: BLE001 - handed to the host thread
                    self._error = err

    def put(self, item: Any) -> None:
        """Queue ``item`` (blocks while the queue is full); raises the writer's error if it has one."""
        self._raise()
        self._queue.put(item)

    def close(self) -> None:
        """Wait until everything queued is handled; raises the writer's error if it has one."""
        self._queue.put(_STOP)
        self._thread.join()
        self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            err = self._error
            raise WriterError(f"writing results failed: {type(err).__name__}: {err}") from err


_STOP = object()
