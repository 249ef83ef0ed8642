"""Error helpers shared by every layer above core: close-match suggestions."""
from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(name: object, choices: Iterable[object]) -> str:
    """Return ``" Did you mean 'x'?"`` for the closest choice (shown as given: ``0.6``, ``'E.V'``), or ``""``.

    The one rule of every layer (the store keeps a jax-free copy in ``store/_errors.py``): the
    closest choice by text similarity (at least 0.5), else one equal but for letter case.

    >>> did_you_mean("E.v", ["E.V", "I.V"])
    " Did you mean 'E.V'?"
    """
    by_text = {str(c): c for c in choices}
    match = difflib.get_close_matches(str(name), list(by_text), n=1, cutoff=0.5)
    if not match:
        lowered = {c.lower(): c for c in by_text}
        if str(name).lower() in lowered:
            match = [lowered[str(name).lower()]]
    return f" Did you mean {by_text[match[0]]!r}?" if match else ""


def unknown_name_error(kind: str, name: str, choices: Iterable[str], exc=KeyError) -> Exception:
    """An error naming an unknown ``name``, the allowed ones, and the closest one."""
    choices = list(choices)
    shown = ", ".join(repr(c) for c in choices[:20]) + (" ..." if len(choices) > 20 else "")
    msg = f"unknown {kind} {name!r}.{did_you_mean(name, choices)} Known: {shown or '(none)'}"
    err = exc(msg)
    return err
