"""The store's checkers: the rules of ``core/checks.py`` (an integer is never a bool), without jax.

The store never imports jax or anything of brainbatch outside it (docs/architecture.md: it reads
results in processes that have no JAX), so it keeps this small copy instead of importing the core's.
``tests/test_checks_agree.py`` holds the two copies to the same answers.
"""
from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ._errors import StoreError

__all__ = ["is_bool", "is_int", "is_real", "check_int"]


def is_bool(value: Any) -> bool:
    """A Python or NumPy bool."""
    return isinstance(value, (bool, np.bool_))


def is_int(value: Any) -> bool:
    """An integer (Python or NumPy), never a bool.

    >>> is_int(3), is_int(True)
    (True, False)
    """
    return isinstance(value, (int, np.integer)) and not is_bool(value)


def is_real(value: Any) -> bool:
    """A real number (int or float, Python or NumPy), never a bool."""
    return isinstance(value, (numbers.Real, np.integer, np.floating)) and not is_bool(value)


def check_int(what: str, value: Any, *, minimum: int | None = None, none: bool = False) -> Any:
    """``value`` as an ``int`` if it is an integer ``>= minimum`` (or ``None`` when ``none``), else a ``StoreError``.

    >>> check_int("n_steps", 10, minimum=1)
    10
    """
    if value is None and none:
        return None
    if not is_int(value) or (minimum is not None and value < minimum):
        allowed = "an integer" + (f" >= {minimum}" if minimum is not None else "")
        raise StoreError(f"{what} must be {'None or ' if none else ''}{allowed}, got {value!r}")
    return int(value)
