"""SIGTERM and SIGHUP always end the command (issue 19, item 18).

The command turns them into an exception in the main thread (``main.py``), which ends it cleanly,
but only once the main thread runs Python again: a call stuck in C (an allocation waiting on a
futex, a thread that never finishes) would keep the process, its lease heartbeat and its run
``running`` forever. So the C-level handler also writes the signal number to a pipe
(``signal.set_wakeup_fd``), which a daemon thread reads whatever the main thread does; if the
command has not ended ``grace_seconds()`` seconds later, the thread exits the process with 128 + the
signal's number. Its runs' leases then die with it (store README, "Leases"): the next sweep
continues them from their last checkpoint.
"""
from __future__ import annotations

import os
import signal
import threading
from typing import Callable

from ..settings import get as get_setting

__all__ = ["arm", "grace_seconds"]


def grace_seconds() -> float:
    """Seconds a terminated command gets to finish its clean-up before it is ended (SLURM sends SIGKILL
    30 s after SIGTERM by default): ``BRAINBATCH_TERM_GRACE_S``, read when a command starts (a malformed
    value is a ``SettingError``, which the command prints in one line)."""
    return float(get_setting("BRAINBATCH_TERM_GRACE_S"))


def arm(signums: tuple[int, ...], grace_s: float) -> Callable[[], None]:
    """Start watching for ``signums``; returns the function that stops watching (no-op off the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    read, write = os.pipe()
    os.set_blocking(write, False)
    try:
        previous = signal.set_wakeup_fd(write, warn_on_full_buffer=False)
    except ValueError:
        os.close(read)
        os.close(write)
        return lambda: None
    done = threading.Event()

    def watch() -> None:
        while True:
            try:
                data = os.read(read, 64)
            except OSError:
                return
            if not data or done.is_set():
                return
            hit = next((s for s in data if s in signums), None)
            if hit is None:
                continue
            if done.wait(grace_s):
                return
            name = signal.Signals(hit).name
            os.write(2, (f"\n{name}: the command did not stop within {grace_s:g} s (a call that cannot be "
                         "interrupted); ending it now. Its runs under way continue from their last checkpoint "
                         "in the next sweep\n").encode())
            os._exit(128 + hit)

    thread = threading.Thread(target=watch, name="brainbatch-term-watchdog", daemon=True)
    thread.start()

    def disarm() -> None:
        done.set()
        try:
            signal.set_wakeup_fd(previous)
        except ValueError:
            pass
        os.close(write)  # the reader sees the end of the pipe and returns
        thread.join(timeout=1.0)
        os.close(read)

    return disarm
