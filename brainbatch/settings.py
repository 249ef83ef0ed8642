"""Every ``BRAINBATCH_*`` environment variable, in one place: its default, what it allows, and its check.

A value is read when it is used (a parent process or a test may change it) and parsed once per value;
a malformed one is a ``SettingError`` (a ``BrainbatchError``) naming the variable, the value and what
is allowed, which the CLI prints in one line. The variables are documented in docs/configuration.md.

This module is a leaf: no JAX and nothing of brainbatch but ``errors``, so the store uses it too.

>>> get("BRAINBATCH_LEASE_STALE_S") > 0
True
>>> parse("BRAINBATCH_KERNELS", "jax"), parse("BRAINBATCH_JAX_CACHE", "off")
('jax', None)
>>> parse("BRAINBATCH_LEASE_STALE_S", "soon")
Traceback (most recent call last):
brainbatch.settings.SettingError: BRAINBATCH_LEASE_STALE_S must be a number of seconds > 0, got 'soon'
"""
from __future__ import annotations

import functools
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .errors import BrainbatchError, did_you_mean

__all__ = ["FAULT_POINTS", "SETTINGS", "Setting", "SettingError", "check_all", "get", "parse", "cache_root"]

#: Every fault point brainbatch calls (brainbatch/faults.py); kept here so that a misspelled point in
#: ``BRAINBATCH_FAULTS`` is refused where the variable is read, not only when some point is reached.
FAULT_POINTS = ("extend-locked", "extend-written", "coord-sized", "lock-wait", "run", "checkpointed", "before-done", "fail-write", "fenced-write",
                "layout-change", "layout-arrays")


class SettingError(BrainbatchError, ValueError):
    """A ``BRAINBATCH_*`` environment variable with a value it does not allow."""


@dataclass(frozen=True)
class Setting:
    """One environment variable: ``parse(text)`` turns its text into the value (``None`` when unset)."""

    name: str
    default: str          # the text used when the variable is unset or empty ("" = no value)
    allowed: str          # what is allowed, as the error message and the docs say it
    parse: Callable[[str], Any]
    doc: str


def _seconds(positive: bool) -> Callable[[str], float]:
    def parse_seconds(text: str) -> float:
        value = float(text)
        if not math.isfinite(value) or value < 0 or (positive and value == 0):
            raise ValueError(text)
        return value
    return parse_seconds


def _choice(*choices: str) -> Callable[[str], str]:
    def parse_choice(text: str) -> str:
        value = text.strip().lower()
        if value not in choices:
            raise ValueError(text)
        return value
    parse_choice.choices = choices  # type: ignore[attr-defined]
    return parse_choice


def _switch(text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(text)


def _folder(text: str) -> str:
    """A folder's path: one that exists as a file is refused (every cache in it would fail, one warning each)."""
    if os.path.exists(text) and not os.path.isdir(text):
        raise ValueError(text)
    return text


def _folder_or_off(text: str) -> str | None:
    return None if text.strip().lower() in ("0", "off", "false", "no") else _folder(text)


def _size_or_off(text: str) -> float:
    """``12G``, ``800M``, ``1.5T`` (or ``12GiB``, ``12gb``) or bytes -> bytes; ``0``/``off`` -> ``inf`` (no limit)."""
    value = text.strip().lower()
    if value in ("0", "off", "false", "no"):
        return math.inf
    match = re.fullmatch(r"([0-9.]+(?:e[0-9]+)?)\s*([kmgt]?)(?:i?b)?", value)
    if match is None or float(match.group(1)) <= 0:
        raise ValueError(text)
    size = float(match.group(1)) * {"": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}[match.group(2)]
    if size < 2**20 and value == match.group(1):
        # a bare number is bytes, and under a MiB of them "12" is a size whose unit was left out
        raise ValueError(text, " A bare number is bytes: write the unit (12G, 800M), or 12B for bytes (under 1M, a "
                               "bare number is taken for a size whose unit was left out)")
    return size


_FAULT = re.compile(r"([a-z][a-z-]*)(?:@([1-9][0-9]*))?(?:=(pause|memory|hang))?")


def _faults(text: str) -> tuple[tuple[str, int, str], ...]:
    """``"run=memory, before-done@3"`` -> ``(("run", 1, "memory"), ("before-done", 3, "pause"))`` (faults.py)."""
    items = []
    for item in (i.strip() for i in text.split(",")):
        match = _FAULT.fullmatch(item.lower())
        if item and match is None:
            raise ValueError(text)
        if match is not None:
            point = match.group(1)
            if point not in FAULT_POINTS:
                raise ValueError(text, f" It names no fault point {point!r}.{did_you_mean(point, FAULT_POINTS)} "
                                     f"The points: {', '.join(FAULT_POINTS)}")
            items.append((point, int(match.group(2) or 1), match.group(3) or "pause"))
    return tuple(items)


def _pauses(text: str) -> tuple[tuple[str, int], ...]:
    """``"run, before-done@2"`` -> ``(("run", 1), ("before-done", 2))``: ``BRAINBATCH_FAULTS`` items whose
    action is pause."""
    items = _faults(text)
    if any(action != "pause" for _, _, action in items):
        raise ValueError(text)
    return tuple((point, nth) for point, nth, _ in items)


_ALL = [
    Setting("BRAINBATCH_KERNELS", "auto", "one of auto, native, jax", _choice("auto", "native", "jax"),
            "Event propagation on CPU: the native C++ kernel where it builds (auto), always native (an error "
            "where it cannot be built) or pure JAX. `--kernels` of the CLI and `use_kernels()` choose per call."),
    Setting("BRAINBATCH_CACHE", "", "a folder (not a file)", _folder,
            "Root of brainbatch's caches (built kernels in kernels/, compiled programs in jax/); default "
            "$XDG_CACHE_HOME/brainbatch, else ~/.cache/brainbatch."),
    Setting("BRAINBATCH_JAX_CACHE", "", "a folder (not a file), or 0/off", _folder_or_off,
            "JAX's persistent compilation cache of sweeps; default the jax/ folder of the cache root; 0 or "
            "off turns it off."),
    Setting("BRAINBATCH_JAX_CACHE_MIN_SECS", "0.5", "a number of seconds >= 0", _seconds(positive=False),
            "The shortest compile worth a disk entry in the JAX cache."),
    Setting("BRAINBATCH_INTRA_OP", "0", "1 or 0 (or true/false, yes/no, on/off)", _switch,
            "1 keeps XLA's own splitting of one op over CPU threads (one huge model on a many-core machine); "
            "by default each op runs on one thread and the cores run devices (core/cpu_threads.py)."),
    Setting("BRAINBATCH_LEASE_HEARTBEAT_S", "10", "a number of seconds > 0", _seconds(positive=True),
            "How often a running sweep renews the leases of its runs."),
    Setting("BRAINBATCH_LEASE_STALE_S", "120", "a number of seconds > 0", _seconds(positive=True),
            "A lease from another host is live while its heartbeat is younger than this."),
    Setting("BRAINBATCH_LOCK_WAIT_S", "600", "a number of seconds > 0", _seconds(positive=True),
            "The longest a sweep waits for the metadata lock of a store that another live process holds."),
    Setting("BRAINBATCH_TERM_GRACE_S", "20", "a number of seconds > 0", _seconds(positive=True),
            "Seconds a terminated command (SIGTERM, SIGHUP) gets to finish its clean-up before it is ended "
            "(SLURM sends SIGKILL 30 s after SIGTERM by default)."),
    Setting("BRAINBATCH_PROGRESS_EVERY_S", "10", "a number of seconds > 0", _seconds(positive=True),
            "Seconds between two plain progress lines of a sweep off a terminal (a log file, a notebook; "
            "sweep/progress.py, docs/executors.md \"Progress\")."),
    Setting("BRAINBATCH_MEMORY_LIMIT", "", "a size such as 12G or 800M, or 0/off", _size_or_off,
            "The memory a sweep may count on; a sweep whose runs need more is refused before it starts "
            "(sweep/memory.py, docs/large-models.md). Default: the memory the machine has available now; "
            "0 or off never refuses."),
    Setting("BRAINBATCH_FAULTS", "", "point[@n][=action] items separated by commas, action one of pause, memory, hang", _faults,
            "Tests only: what a process does at a fault point, from its n-th reach on (brainbatch/faults.py), "
            "e.g. run=memory or before-done@3 (pause); never set in production."),
    Setting("BRAINBATCH_PAUSE_AT", "", "point or point@n names separated by commas", _pauses,
            "Tests only: the older spelling of BRAINBATCH_FAULTS with every action pause; never set in "
            "production."),
    Setting("BRAINBATCH_PAUSE_DIR", ".", "a folder", str,
            "Tests only: where pausing fault points leave their .reached files and wait for .go files."),
    Setting("BRAINBATCH_PAUSE_MAX_S", "300", "a number of seconds > 0", _seconds(positive=True),
            "Tests only: the longest a pausing fault point waits."),
]
#: name -> Setting, for every environment variable brainbatch reads
SETTINGS: dict[str, Setting] = {s.name: s for s in _ALL}


@functools.lru_cache(maxsize=256)
def parse(name: str, text: str | None) -> Any:
    """The value of setting ``name`` for the text ``text`` (``None``: unset), checked; parsed once per text."""
    setting = SETTINGS.get(name)
    if setting is None:
        raise KeyError(f"no setting {name!r}.{did_you_mean(name, SETTINGS)}")  # a bug in brainbatch
    if text is None or not text.strip():
        text = setting.default
        if not text:
            return None
    try:
        return setting.parse(text)
    except ValueError as err:
        choices = getattr(setting.parse, "choices", ())
        # a parser may give a hint as its error's second argument (a close match, the rule broken)
        hint = (err.args[1] if len(err.args) > 1 else "") or (did_you_mean(text.strip().lower(), choices) if choices else "")
        raise SettingError(f"{name} must be {setting.allowed}, got {text!r}.{hint}".rstrip(".")) from None


def misspelled(environ: Any = None) -> list[str]:
    """A warning for each ``BRAINBATCH_*`` variable brainbatch does not read but that is close to one it does:
    ``BRAINBATCH_KERNELS`` spelled without its S was ignored, silently, and the native kernels ran.

    >>> typo, own = "BRAINBATCH_" + "KERNEL", "BRAINBATCH_" + "OWN"
    >>> warnings = misspelled({typo: "jax", "BRAINBATCH_KERNELS": "jax", own: "1"})
    >>> len(warnings), warnings[0].startswith(typo + " is not a variable"), warnings[0].split("nothing.")[1]
    (1, True, " Did you mean 'BRAINBATCH_KERNELS'?")
    """
    names = [n for n in (os.environ if environ is None else environ) if n.startswith("BRAINBATCH_")]
    out = []
    for name in sorted(n for n in names if n not in SETTINGS):
        hint = did_you_mean(name, SETTINGS, cutoff=0.85)
        if hint:
            out.append(f"{name} is not a variable brainbatch reads, so it changes nothing.{hint}")
    return out


def get(name: str) -> Any:
    """The current value of the environment variable ``name`` (its default when unset), checked."""
    return parse(name, os.environ.get(name))


def lease_times() -> tuple[float, float]:
    """``(heartbeat, stale)`` seconds of the store's leases, checked together: a heartbeat that is not
    shorter than the stale time would let other processes take a live sweep's runs between two renewals.

    >>> lease_times()
    (10.0, 120.0)
    """
    heartbeat, stale = get("BRAINBATCH_LEASE_HEARTBEAT_S"), get("BRAINBATCH_LEASE_STALE_S")
    if heartbeat >= stale:
        raise SettingError(f"BRAINBATCH_LEASE_HEARTBEAT_S must be shorter than BRAINBATCH_LEASE_STALE_S, got "
                           f"{heartbeat:g} s and {stale:g} s: other processes would take a live sweep's runs "
                           "between two renewals of its leases")
    return heartbeat, stale


def check_all() -> None:
    """Every setting read and checked, and the pairs that must agree: the CLI calls this before a command
    starts, so a malformed value is refused before any work, not when the code first reads it."""
    for name in SETTINGS:
        get(name)
    lease_times()


def cache_root() -> Path:
    """The folder of brainbatch's caches: ``$BRAINBATCH_CACHE``, else ``$XDG_CACHE_HOME/brainbatch``, else
    ``~/.cache/brainbatch``.

    >>> cache_root().name in ("brainbatch", os.path.basename(os.environ.get("BRAINBATCH_CACHE", "")))
    True
    """
    root = get("BRAINBATCH_CACHE")
    if root:
        return Path(root)
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(xdg) / "brainbatch"
