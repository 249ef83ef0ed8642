"""Times given to the ``ds.bb`` accessor (bin widths, windows, ISI edges): numbers in ms, or quantities.

The store never imports JAX, so it never imports brainunit either: a quantity is recognised by its
methods and converted with the brainunit module that made it (already imported, since it exists).
A ``quantities`` quantity (neo's and elephant's units: ``5 * pq.ms``) is converted with its own
``rescale``; any other object that carries a unit is refused, never read as a bare number of ms.

>>> in_ms("bin_ms", 5), in_ms("t0", None), in_ms("bin_ms", "5ms"), in_ms("t1", "1.5 s")
(5, None, 5.0, 1500.0)
>>> time_ms("bin_ms", "2.5ms"), time_ms("t1", None, none=True)
(2.5, None)
"""
from __future__ import annotations

import datetime
import math
import re
import sys
from typing import Any

import numpy as np

from ._checks import is_bool, is_real
from ._errors import StoreError


def _brainunit_of(value: Any) -> Any:
    """The brainunit module of a quantity (``None`` for anything else)."""
    if not (hasattr(value, "to_decimal") and hasattr(value, "unit") and hasattr(value, "mantissa")):
        return None
    return sys.modules.get("brainunit")


def _is_pq(value: Any) -> bool:
    """A ``quantities`` quantity (neo's units): an ndarray with ``rescale`` and ``dimensionality``."""
    return isinstance(value, np.ndarray) and hasattr(value, "rescale") and hasattr(value, "dimensionality")


def _has_unit(value: Any) -> bool:
    """Something that carries a unit this module does not convert (pint's or astropy's quantities)."""
    return any(hasattr(value, a) for a in ("units", "unit", "dimensionality", "magnitude"))


#: a time written as text, as the CLI takes it (``5ms``, ``1.5 s``, ``50us``), in ms per unit
_TIME_TEXT = re.compile(r"\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(ms|s|us|\u00b5s|\u03bcs|ns|min)?\s*")
_MS_PER = {None: 1.0, "ms": 1.0, "s": 1e3, "us": 1e-3, "\u00b5s": 1e-3, "\u03bcs": 1e-3, "ns": 1e-6, "min": 6e4}
_TAKES = "a time: ms, a quantity (5 * u.ms) or a text such as '5ms' or '0.5 s'"


def in_ms(name: str, value: Any) -> Any:
    """``value`` in ms: a bare number (or array, or ``None``) as given, a quantity of time converted
    (``5 * u.ms`` and ``0.005 * u.second`` alike, brainunit's or ``quantities``'), a list of quantities or
    texts element by element, a ``timedelta``, or a text with a unit of time (``"5ms"``, ``"0.005 s"``; a
    text without one is ms)."""
    if isinstance(value, str):
        match = _TIME_TEXT.fullmatch(value)
        if match is None:
            raise StoreError(f"{name} takes {_TAKES}, got {value!r}")
        return float(match.group(1)) * _MS_PER[match.group(2)]
    if isinstance(value, (list, tuple)) and any(isinstance(v, str) or _brainunit_of(v) is not None or _is_pq(v)
                                                for v in value):
        return np.asarray([in_ms(name, v) for v in value], dtype=np.float64)
    if isinstance(value, datetime.timedelta):  # pandas' Timedelta too
        return value.total_seconds() * 1e3
    if isinstance(value, np.timedelta64) or (isinstance(value, np.ndarray) and value.dtype.kind == "m"):
        number = np.asarray(value / np.timedelta64(1, "us"), dtype=np.float64) / 1e3
        return float(number) if number.ndim == 0 else number
    if _is_pq(value):
        try:
            number = np.asarray(value.rescale("ms").magnitude, dtype=np.float64)
        except ValueError:  # another dimension: quantities cannot rescale mV to ms
            raise StoreError(f"{name} takes {_TAKES}, got {value}") from None
        return float(number) if number.ndim == 0 else number
    u = _brainunit_of(value)
    if u is None:
        if not isinstance(value, (np.ndarray, np.generic)) and _has_unit(value):
            raise StoreError(f"{name} takes {_TAKES}; {type(value).__name__} {value!r} carries a unit brainbatch does "
                             f"not read: give its value in ms (e.g. value.to('ms').magnitude)")
        return value
    if u.get_dim(value) != u.get_dim(u.ms):
        raise StoreError(f"{name} takes {_TAKES.split(':')[0]} (ms, or a quantity of time such as 5 * u.ms), got {value}")
    number = np.asarray(value.to_decimal(u.ms), dtype=np.float64)
    return float(number) if number.ndim == 0 else number


def time_ms(name: str, value: Any, *, none: bool = False, finite: bool = True) -> float | None:
    """One time in ms (``in_ms``), checked: a real number, never a bool, NaN or, unless ``finite`` is
    False, an infinity (``t1=inf``: no end); ``None`` where ``none`` allows it."""
    if value is None and none:
        return None
    ms = in_ms(name, value)
    if isinstance(ms, np.ndarray) and ms.ndim == 0:
        ms = ms.item()
    if not is_real(ms) or is_bool(ms) or math.isnan(ms) or (finite and math.isinf(ms)):
        allowed = ("None or " if none else "") + ("a finite time" if finite else "a time") + _TAKES[len("a time"):]
        raise StoreError(f"{name} takes {allowed}, got {value!r}")
    return float(ms)
