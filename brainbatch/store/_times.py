"""Times given to the ``ds.bb`` accessor (bin widths, windows, ISI edges): numbers in ms, or quantities.

The store never imports JAX, so it never imports brainunit either: a quantity is recognised by its
methods and converted with the brainunit module that made it (already imported, since it exists).

>>> in_ms("bin_ms", 5), in_ms("t0", None)
(5, None)
"""
from __future__ import annotations

import sys
from typing import Any

import numpy as np

from ._errors import StoreError


def _brainunit_of(value: Any) -> Any:
    """The brainunit module of a quantity (``None`` for anything else)."""
    if not (hasattr(value, "to_decimal") and hasattr(value, "unit") and hasattr(value, "mantissa")):
        return None
    return sys.modules.get("brainunit")


def in_ms(name: str, value: Any) -> Any:
    """``value`` in ms: a bare number (or array, or ``None``) as given, a quantity of time converted
    (``5 * u.ms`` and ``0.005 * u.second`` alike), a list of quantities element by element."""
    if isinstance(value, (list, tuple)) and any(_brainunit_of(v) is not None for v in value):
        return np.asarray([in_ms(name, v) for v in value], dtype=np.float64)
    u = _brainunit_of(value)
    if u is None:
        return value
    if u.get_dim(value) != u.get_dim(u.ms):
        raise StoreError(f"{name} takes a time (ms, or a quantity of time such as 5 * u.ms), got {value}")
    number = np.asarray(value.to_decimal(u.ms), dtype=np.float64)
    return float(number) if number.ndim == 0 else number
