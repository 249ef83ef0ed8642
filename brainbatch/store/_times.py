"""Times given to the ``ds.bb`` accessor (bin widths, windows, ISI edges): numbers in ms, quantities, timedeltas, or
texts as the CLI takes them (``"5ms"``, ``"1 second"``, ``"10*ms"``, ``"1 h"``: ``text_ms``).

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
from ._errors import StoreError, did_you_mean


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


#: SI prefixes of ``s`` / ``second`` as brainunit reads them (``msecond``, ``ks``, ``das``), as powers of ten
_PREFIXES = {"y": -24, "z": -21, "a": -18, "f": -15, "p": -12, "n": -9, "u": -6, "\u00b5": -6, "\u03bc": -6, "m": -3,
             "c": -2, "d": -1, "": 0, "da": 1, "h": 2, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18, "Z": 21, "Y": 24}
#: every unit of time the CLI reads (``brainbatch/sweep/quantities.py`` through brainunit's names), in ms: ``(power of
#: ten, factor)``, so that 0.0071 s is 0.0071 * 10**3 without a product's last-bit noise
_UNITS: dict[str, tuple[int, float]] = {
    **{p + base: (e + 3, 1.0) for p, e in _PREFIXES.items() for base in ("s", "second")},
    "min": (0, 6e4), "minute": (0, 6e4), "h": (0, 3.6e6), "hour": (0, 3.6e6), "d": (0, 8.64e7), "day": (0, 8.64e7),
    "week": (0, 6.048e8), "wk": (0, 6.048e8), "year": (0, 31556952e3), "yr": (0, 31556952e3)}
#: the units named in a message, and offered for a misspelled one
_SHOWN = ("ms", "s", "us", "ns", "min", "h", "d", "msecond", "second", "usecond", "minute", "hour", "day", "week")
#: how a unit is often spelled out, in brainunit's spelling (the CLI takes neither ``5 milliseconds`` nor ``5 sec``)
_SPELLED = (("milli", "m"), ("micro", "u"), ("nano", "n"), ("pico", "p"), ("kilo", "k"), ("mega", "M"))
_ALIASES = {"sec": "second", "secs": "second", "msec": "ms", "msecs": "ms", "usec": "us", "mins": "min", "hr": "h",
            "hrs": "h", "hours": "hour", "days": "day", "weeks": "week", "minutes": "minute", "seconds": "second"}
#: a time written as text, as the CLI takes it: a number (ms), or a number and a unit of time (``5ms``, ``1.5 s``,
#: ``50us``, ``1 second``, ``2 min``, ``1 h``), a ``*`` between them and brainunit's module prefix allowed (``10*ms``,
#: ``10 * u.ms``, as code writes them)
_TIME_TEXT = re.compile(r"\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(?:\*\s*)?(?:u\.)?"
                        r"([A-Za-z\u00b5\u03bc][A-Za-z\u00b5\u03bc0-9_./^*() -]*?)?\s*")
_TAKES = "a time: ms, a quantity (5 * u.ms) or a text such as '5ms' or '0.5 s'"


def text_ms(name: str, text: str) -> float:
    """A time written as text in ms, as the CLI reads it (``sweep/quantities.py::milliseconds``, which the store cannot
    import: it imports brainunit and jax): a number alone is ms, a unit of time is converted, the result rounded to 15
    digits (all a double holds exactly: 0.0071 s is 7.1 ms, not 7.1000000000000005). A unit of another case that is
    another time (``10Ms``: a megasecond typed for ``10ms``) is refused naming the slip, as the CLI refuses it; an
    unknown unit is named, with the close unit of time.

    >>> text_ms("t1", "1 second"), text_ms("bin_ms", "10*ms"), text_ms("t0", "0.0071s"), text_ms("t1", "1 h")
    (1000.0, 10.0, 7.1, 3600000.0)
    """
    try:  # a plain number (``"200"``, ``"1e3"``, ``"inf"``), as the CLI's: ms
        return float(text)
    except ValueError:
        pass
    match = _TIME_TEXT.fullmatch(text)
    if match is None:
        raise StoreError(f"{name} takes {_TAKES}, got {text!r}")
    number, unit = match.group(1), match.group(2)
    if unit is None:
        return float(number)
    if unit not in _UNITS:
        raise StoreError(f"{name} takes {_TAKES}, got {text!r}: {unit!r} is no unit of time (ms, s, us, ns, min, h, "
                         f"d, or spelled out as brainunit spells them: msecond, second, minute, hour, day)."
                         f"{_unit_hint(unit)}".rstrip("."))
    if unit != "ms" and unit.lower() == "ms":  # Ms: a megasecond, 10^9 times the 10ms meant
        raise StoreError(f"{name}: {text!r} is in Ms, a megasecond (1e+09 ms); the case of a unit matters (m is milli, "
                         f"M mega): write {number}ms, or {number}Msecond if that is what you mean")
    power, factor = _UNITS[unit]
    value = float(number)
    exact = (value * 10 ** power if power >= 0 else value / 10 ** -power) * factor
    return float(f"{exact:.15g}") if math.isfinite(exact) else exact


def _unit_hint(unit: str) -> str:
    """`` Did you mean 'msecond'?`` for ``millisecond`` (brainunit's spelling of a unit spelled out), ``sec``, ``mS``
    (a unit of time in the wrong case), ``msce``; else ``""``."""
    spelled = unit
    for long, short in _SPELLED:
        if spelled.lower().startswith(long):
            spelled = short + spelled[len(long):]
    spelled = _ALIASES.get(spelled, spelled)
    if spelled not in _UNITS and spelled.endswith("s") and spelled[:-1] in _UNITS and len(spelled) > 3:
        spelled = spelled[:-1]  # a plural: seconds, minutes, mseconds
    if spelled != unit and spelled in _UNITS:
        return f" Did you mean {spelled!r}?"
    return did_you_mean(unit, _SHOWN, cutoff=0.6)


def in_ms(name: str, value: Any) -> Any:
    """``value`` in ms: a bare number (or array, or ``None``) as given, a quantity of time converted
    (``5 * u.ms`` and ``0.005 * u.second`` alike, brainunit's or ``quantities``'), a list (or array) of quantities,
    texts or timedeltas element by element, a ``timedelta``, or a text with a unit of time (``"5ms"``, ``"0.005 s"``,
    ``"1 second"``, ``"10*ms"``; a text without one is ms). A converted time keeps 15 digits, as the CLI's
    (``0.0071 * u.second`` is 7.1 ms, not 7.1000000000000005)."""
    if isinstance(value, str):
        return text_ms(name, value)
    if isinstance(value, (list, tuple)) and any(isinstance(v, (str, datetime.timedelta, np.timedelta64))
                                                or _brainunit_of(v) is not None or _is_pq(v) for v in value):
        return np.asarray([in_ms(name, v) for v in value], dtype=np.float64)
    if isinstance(value, np.ndarray) and value.dtype.kind in "USO" and not _is_pq(value):  # an array of texts
        return np.asarray([in_ms(name, v) for v in value.ravel().tolist()], dtype=np.float64).reshape(value.shape)
    if isinstance(value, datetime.timedelta):  # pandas' Timedelta too, to its nanosecond
        ns = getattr(value, "value", None)
        if isinstance(ns, (int, np.integer)) and not isinstance(ns, bool):
            return int(ns) / 1e6
        return (value.days * 86_400_000_000 + value.seconds * 1_000_000 + value.microseconds) / 1e3
    if isinstance(value, np.timedelta64) or (isinstance(value, np.ndarray) and value.dtype.kind == "m"):
        number = np.asarray(value / np.timedelta64(1, "us"), dtype=np.float64) / 1e3
        return _digits(number)
    if _is_pq(value):
        try:
            number = np.asarray(value.rescale("ms").magnitude, dtype=np.float64)
        except ValueError:  # another dimension: quantities cannot rescale mV to ms
            raise StoreError(f"{name} takes {_TAKES}, got {value}") from None
        return _digits(number)
    u = _brainunit_of(value)
    if u is None:
        if not isinstance(value, (np.ndarray, np.generic)) and _has_unit(value):
            raise StoreError(f"{name} takes {_TAKES}; {type(value).__name__} {value!r} carries a unit brainbatch does "
                             f"not read: give its value in ms (e.g. value.to('ms').magnitude)")
        return value
    if u.get_dim(value) != u.get_dim(u.ms):
        raise StoreError(f"{name} takes {_TAKES.split(':')[0]} (ms, or a quantity of time such as 5 * u.ms), got {value}")
    return _digits(np.asarray(value.to_decimal(u.ms), dtype=np.float64))


def _digits(number: np.ndarray) -> Any:
    """A converted time (or array of them) with 15 significant digits, all a double holds exactly: the conversion's
    last-bit noise dropped, as the CLI drops it (``sweep/quantities.py::_converted``); a 0-d array as a float."""
    flat = [float(f"{x:.15g}") if math.isfinite(x) else float(x) for x in number.ravel().tolist()]
    return flat[0] if number.ndim == 0 else np.asarray(flat, dtype=np.float64).reshape(number.shape)


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
