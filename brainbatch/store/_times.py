"""Times given to the ``ds.bb`` accessor (bin widths, windows, ISI edges): numbers in ms, or quantities.

The store never imports JAX, so it never imports brainunit either: a quantity is recognised by its
methods and converted with the brainunit module that made it (already imported, since it exists).

>>> in_ms("bin_ms", 5), in_ms("t0", None), in_ms("bin_ms", "5ms"), in_ms("t1", "1.5 s")
(5, None, 5.0, 1500.0)
"""
from __future__ import annotations

import re
import sys
from typing import Any

import numpy as np

from ._errors import StoreError


def _brainunit_of(value: Any) -> Any:
    """The brainunit module of a quantity (``None`` for anything else)."""
    if not (hasattr(value, "to_decimal") and hasattr(value, "unit") and hasattr(value, "mantissa")):
        return None
    return sys.modules.get("brainunit")


#: a time written as text, as the CLI takes it (``5ms``, ``1.5 s``, ``50us``), in ms per unit
_TIME_TEXT = re.compile(r"\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(ms|s|us|\u00b5s|\u03bcs|ns|min)?\s*")
_MS_PER = {None: 1.0, "ms": 1.0, "s": 1e3, "us": 1e-3, "\u00b5s": 1e-3, "\u03bcs": 1e-3, "ns": 1e-6, "min": 6e4}


def in_ms(name: str, value: Any) -> Any:
    """``value`` in ms: a bare number (or array, or ``None``) as given, a quantity of time converted
    (``5 * u.ms`` and ``0.005 * u.second`` alike), a list of quantities element by element, or a text with a
    unit of time (``"5ms"``, ``"0.005 s"``; a text without one is ms)."""
    if isinstance(value, str):
        match = _TIME_TEXT.fullmatch(value)
        if match is None:
            raise StoreError(f"{name} takes a time: ms, a quantity (5 * u.ms) or a text such as '5ms' or '0.5 s', "
                             f"got {value!r}")
        return float(match.group(1)) * _MS_PER[match.group(2)]
    if isinstance(value, (list, tuple)) and any(_brainunit_of(v) is not None for v in value):
        return np.asarray([in_ms(name, v) for v in value], dtype=np.float64)
    u = _brainunit_of(value)
    if u is None:
        return value
    if u.get_dim(value) != u.get_dim(u.ms):
        raise StoreError(f"{name} takes a time (ms, or a quantity of time such as 5 * u.ms), got {value}")
    number = np.asarray(value.to_decimal(u.ms), dtype=np.float64)
    return float(number) if number.ndim == 0 else number
