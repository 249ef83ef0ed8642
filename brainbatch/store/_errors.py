"""Errors raised by the store, and the close-match hint they share."""
from __future__ import annotations

import difflib
from collections.abc import Iterable


class StoreError(Exception):
    """A path is not a usable brainbatch store, or a store operation is not allowed.

    >>> isinstance(StoreError("x"), Exception)
    True
    """


class StoreMismatchError(StoreError):
    """An existing store was made by a different experiment setup (source, dt, steps, variables)."""


class StoreDamagedError(StoreError):
    """A brainbatch store whose files were damaged (truncated, deleted, changed): not foreign, broken."""


class RunIncompleteError(StoreError):
    """A run cannot be marked done: its records do not cover the store's time axis (extended meanwhile)."""


class RunNotFoundError(StoreError, LookupError):
    """A run (seed and parameter values) or a variable name that the store does not hold.

    Also a ``LookupError`` so callers may catch it like a ``KeyError``.
    """


def did_you_mean(name: object, choices: Iterable[object]) -> str:
    """A ``" Did you mean ...?"`` hint for a misspelled name or value ('' when nothing is close).

    The rule of ``core/errors.py::did_you_mean``, copied because the store never imports the (JAX)
    core; ``tests/test_checks_agree.py`` holds the two to the same answers.

    >>> did_you_mean("E.spiek", ["E.spike", "E.V"])
    " Did you mean 'E.spike'?"
    """
    by_text = {str(c): c for c in choices}
    match = difflib.get_close_matches(str(name), list(by_text), n=1, cutoff=0.5)
    if not match:
        lowered = {c.lower(): c for c in by_text}
        if str(name).lower() in lowered:
            match = [lowered[str(name).lower()]]
    return f" Did you mean {by_text[match[0]]!r}?" if match else ""
