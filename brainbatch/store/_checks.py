"""The store's checkers: the rules of ``brainbatch/errors.py`` (an integer is never a bool), raising ``StoreError``.

The store never imports jax (docs/architecture.md: it reads results in processes that have no JAX); the
checkers live in the jax-free leaf ``brainbatch/errors.py``, shared with the core.
"""
from __future__ import annotations

from typing import Any

from ..errors import check_int as _check_int
from ..errors import is_bool as is_bool
from ..errors import is_int as is_int
from ..errors import is_real as is_real
from ._errors import StoreError

__all__ = ["is_bool", "is_int", "is_real", "check_int"]


def check_int(what: str, value: Any, *, minimum: int | None = None, none: bool = False) -> Any:
    """``value`` as an ``int`` if it is an integer ``>= minimum`` (or ``None`` when ``none``), else a ``StoreError``.

    >>> check_int("n_steps", 10, minimum=1)
    10
    """
    return _check_int(what, value, minimum=minimum, none=none, exc=StoreError)
