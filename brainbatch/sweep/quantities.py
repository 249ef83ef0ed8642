"""Swept values with units (docs/units.md, "Sweeps"): ``-p tau=20ms,30ms``, ``-p we=0.4:0.8nS``.

A swept parameter has at most one unit, decided before anything runs:

- the unit of its default when ``build`` declares one (``def build(tau=20 * u.ms)``): values without
  a unit are read in it, values with one are converted to it, and ``build`` receives quantities;
- else, for values given with a unit, the convention's unit of their dimension (ms, mV, Hz): the
  store's coordinate holds ms whether you typed ``20ms`` or ``0.02s``, and ``build`` receives them as
  quantities in that unit if it takes them (``limits.check_convention_units``: a model converts them
  to its own reading), else the convention's plain numbers;
- else none (plain numbers, as always).

The store's parameter coordinates carry that unit (a CF ``units`` attribute).
"""
from __future__ import annotations

import functools
import math
import re
import sys
from typing import Any

import numpy as np

from ..core.units import brainunit as u
from ..core.units import decimal_float, is_quantity, parse_unit, unit_code, unit_hint, unit_text
from .errors import UsageError

__all__ = ["unit_as_typed", "split_default", "values_in_unit", "value_in_named_unit", "range_in_unit", "with_units", "milliseconds",
           "seconds"]


@functools.cache
def _convention() -> dict[Any, Any]:
    """The dimensions a plain number has a meaning for (the models' convention, docs/units.md)."""
    return {u.get_dim(unit): unit for unit in (u.ms, u.mV, u.Hz)}

_NUMBER = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
# a unit begins with a letter (ms, µs, mV / ms) or is a rate written as a reciprocal (10/s, 0.5 1/ms); an
# exponent may be negative or fractional (s^-1, ms^0.5), as the store and the messages write units. A ``*`` may join
# the number to its unit, as Brian2 and brainunit code write it (``10*ms``, ``10 * u.ms``): it read as no number at
# all ("takes a number, got '10*ms'")
_WITH_UNIT = re.compile(rf"^\s*({_NUMBER})\s*(?:\*\s*)?((?:1\s*)?/\s*[A-Za-z\u00b5\u03bc(]|[A-Za-z\u00b5\u03bc(])"
                        r"([A-Za-z\u00b5\u03bc0-9/^*(). \-]*?)\s*$")
#: brainunit's module prefix in a unit copied from code (``u.mV / u.ms``)
_MODULE_PREFIX = re.compile(r"(?<![A-Za-z0-9_.])u\.(?=[A-Za-z\u00b5\u03bc])")


def split_default(name: str, default: Any) -> tuple[Any, Any]:
    """``(plain default, unit or None)``: a quantity default becomes its number in its own unit."""
    if is_quantity(default):
        unit = u.get_unit(default)
        return _number(default.to_decimal(unit)), unit
    return default, None


def _number(x: Any) -> Any:
    """A quantity's mantissa as a Python float; a float32 one (brainunit keeps ``u.Quantity([0.1, 0.2], u.ms)`` and
    ``u.math.linspace(...)`` as JAX float32) as the decimal typed, 0.1, not 0.10000000149011612: the value was
    labelled 0.100000001490116 ms in the store (``ds.sel(tau=0.1)`` found nothing) while the model, converting the
    same quantity, ran 0.1 (``core.units.decimal_float``)."""
    try:
        return float(decimal_float(x))
    except TypeError:
        return x


def _parse(name: str, value: Any, strict: bool = True) -> tuple[Any, Any]:
    """``(number or the value as given, unit or None)`` for one value: a quantity, ``"20ms"``, ``"0.5 mV"``."""
    if is_quantity(value):
        unit = u.get_unit(value)
        if u.get_dim(unit) == u.get_dim(u.UNITLESS):  # 0.05 * u.UNITLESS: a plain number ("1 has no convention")
            return _number(value.to_decimal(u.UNITLESS)), None
        return _number(value.to_decimal(unit)), unit
    if isinstance(value, str):
        try:  # a plain number, exponent included ("1E5": not 1 in a unit "E5")
            float(value)
            return value, None
        except ValueError:
            pass
        match = _WITH_UNIT.match(value)
        if match:
            typed = (match.group(2) + match.group(3)).strip()
            written = _MODULE_PREFIX.sub("", typed).replace(" ", "").replace("**", "^")
            try:
                unit = parse_unit("1" + written if written.startswith("/") else written)  # 10/s: 10 * (1/s)
            except ValueError:  # noqa: BLE001 - brainunit raises several types for a text that is no unit
                if not strict:  # an untyped parameter keeps text that is no number with a unit
                    return value, None
                raise UsageError(f"{f'parameter {name!r}: ' if name else ''}unknown unit {typed!r} in {value!r} "
                                 f"(units such as ms, second, mV, Hz, nS, pA).{unit_hint(typed)}"
                                 .rstrip(".")) from None
            _refuse_case_slip(name, value, match.group(1), written, unit)
            return match.group(1), unit
    return value, None


def _case_slip(written: str, unit: Any) -> Any:
    """The convention unit (ms, mV, Hz...) that ``written`` is in another case with the same dimension (``Ms`` for
    ``ms``, ``MV`` for ``mV``), else None: text that reads as a unit 10^6 or 10^9 times the one most often meant."""
    for conv in _convention().values():
        text = unit_text(conv)
        if written != text and written.lower() == text.lower() and u.get_dim(unit) == u.get_dim(conv):
            return conv
    return None


def unit_as_typed(unit: Any) -> str:
    """A unit's text as a ``-p`` value (or a ``Range``'s text) writes it so that it reads back as that unit: its short
    text (``ms``, ``kHz``), or its name where the short text is a convention unit's in another case (``Msecond``, not
    ``Ms``, which reads back as ``10Ms`` typed for ``10ms`` and is refused).

    >>> unit_as_typed(u.ms), unit_as_typed(u.Msecond), unit_as_typed(u.khertz)
    ('ms', 'Msecond', 'kHz')
    """
    text = unit_text(unit)
    return getattr(unit, "name", text) if _case_slip(text, unit) is not None else text


def _refuse_case_slip(name: str, value: str, number: str, written: str, unit: Any) -> None:
    """``10Ms`` or ``-50MV`` typed for ``10ms``/``-50mV`` is a megasecond or a megavolt, a number 10^9 times the one
    meant, run without a word: refused with the slip named. The unit spelled out (``10Msecond``) is taken; a unit of
    another dimension (``mS``, millisiemens, beside ``ms``) is its own and is read as written."""
    conv = _case_slip(written, unit)
    if conv is None:
        return
    text, spelled = unit_text(conv), getattr(unit, "name", written)
    raise UsageError(f"{f'parameter {name!r}: ' if name else ''}{value!r} is in {written}, a {spelled} "
                     f"({_converted(1.0, unit, conv):g} {text}); the case of a unit matters (m is milli, M mega): "
                     f"write {number}{text}, or {number}{spelled} if that is what you mean")


def milliseconds(name: str, text: str) -> float:
    """A time typed on the command line (``--duration 1s``, ``--dt 0.05ms``, ``--duration 200``: ms) in ms;
    ``name`` (the option) leads the error for text that is no time.

    >>> milliseconds("--duration", "1.5 s"), milliseconds("--dt", "100us"), milliseconds("--duration", "200")
    (1500.0, 0.1, 200.0)
    """
    return _time(name, text, u.ms, "milliseconds", "1s or 500ms")


def seconds(name: str, text: str) -> float:
    """A wall time typed on the command line (``--checkpoint-every 30``: seconds, ``5min``, ``500ms``) in seconds.

    >>> seconds("--checkpoint-every", "5min"), seconds("--checkpoint-every", "30"), seconds("", "500 ms")
    (300.0, 30.0, 0.5)
    """
    return _time(name, text, u.second, "seconds", "30s or 5min")


def _time(name: str, text: str, target: Any, plain: str, examples: str) -> float:
    """``text`` as a number of ``target``: a plain number is one already, a number with a unit of time is converted."""
    number, unit = _parse(name, text.strip())
    try:
        value = float(number)
    except (TypeError, ValueError):
        raise UsageError(f"{name + ' ' if name else ''}{text!r} is not a time: give {plain} (a number) or a number with a unit "
                         f"of time, e.g. {examples}") from None
    if not math.isfinite(value):  # 1e400 read as inf, and was refused as "got inf", a value no one typed
        raise UsageError(f"{name + ' ' if name else ''}{text!r} is not a finite time" + (
            f" (past the largest number, {sys.float_info.max:.3g})" if "inf" not in text.lower() and
            "nan" not in text.lower() else "") + f": give {plain} (a number) or a number with a unit of time, e.g. "
            f"{examples}")
    if unit is None:
        return value
    if u.get_dim(unit) != u.get_dim(u.ms):
        raise UsageError(f"{name + ' ' if name else ''}{text!r} is not a time ({unit_text(unit)}): give {plain} (a number) or a "
                         f"number with a unit of time, e.g. {examples}")
    return _converted(value, unit, target)


def _converted(number: float, unit: Any, target: Any) -> float:
    """``number`` in ``unit`` as a number in ``target``, without the conversion's last-bit noise: the label
    a user reads (0.0071 s is 7.1 ms, not 7.1000000000000005) and selects by (``ds.sel(tau=7.1)``).

    >>> _converted(0.0071, u.second, u.ms), _converted(20.0, u.ms, u.ms)
    (7.1, 20.0)
    """
    exact = float((number * unit).to_decimal(target))
    return float(f"{exact:.15g}") if math.isfinite(exact) else exact  # 15 digits: all a double holds exactly


def _target_unit(name: str, default_unit: Any, units: list[Any], shown: list[Any]) -> Any:
    if default_unit is not None:
        return default_unit
    given = [x for x in units if x is not None]
    if not given:
        return None
    dims = {u.get_dim(x) for x in given}
    if len(dims) > 1:
        raise UsageError(f"parameter {name!r} mixes units of different dimensions: "
                         f"{', '.join(str(v) for v in shown)}")
    unit = _convention().get(dims.pop())
    if unit is None:
        raise UsageError(f"parameter {name!r} has a plain default, and {unit_text(given[0])} has no plain-number "
                         f"convention (ms, mV and Hz do): give plain numbers, or declare the unit in the experiment "
                         f"(def build({name}=... * {unit_code(given[0])})){_case_hint(given[0])}")
    return unit


def _case_hint(unit: Any) -> str:
    """`` Did you mean 'ms'?`` for a unit that is a convention's unit typed in another case (``mS``: millisiemens)."""
    text = unit_text(unit)
    close = [unit_text(c) for c in _convention().values() if unit_text(c).lower() == text.lower()]
    return f". Did you mean {close[0]!r}?" if close else ""


def _convert(name: str, number: Any, unit: Any, target: Any, shown: Any) -> Any:
    if unit is None:
        return number
    if u.get_dim(unit) != u.get_dim(target):
        raise UsageError(f"parameter {name!r} is in {unit_text(target)}, got {shown} (another dimension)")
    try:
        return _converted(float(number), unit, target)
    except ValueError:
        raise UsageError(f"parameter {name!r}: {shown!r} is not a number with a unit") from None


def values_in_unit(name: str, values: list[Any], default_unit: Any, strict: bool = True) -> tuple[list[Any], Any]:
    """The values as numbers in the parameter's unit (see the module's rule), and that unit.

    >>> import brainunit as u
    >>> values_in_unit("tau", ["20ms", "0.03s"], None)
    ([20.0, 30.0], Unit("ms"))
    >>> values_in_unit("tau", [10, "20 ms"], u.ms)                 # a plain 10 is in the parameter's unit
    ([10, 20.0], Unit("ms"))
    """
    values = _one_value_each(name, values)
    parsed = [_parse(name, v, strict) for v in values]
    target = _target_unit(name, default_unit, [p[1] for p in parsed], values)
    if target is None:
        return [p[0] for p in parsed], None
    if default_unit is None:
        _refuse_plain_beside_other_units(name, parsed, values, target)
    return [_convert(name, n, unit, target, v) for (n, unit), v in zip(parsed, values)], target


def _one_value_each(name: str, values: list[Any]) -> list[Any]:
    """The values, an array quantity given alone (``sweep = {"tau": np.array([10., 20.]) * u.ms}``, as ``-p`` and
    ``params=`` take it) as its elements; an array quantity among other values, or one of more dimensions, is
    refused by name (it reached ``float()``: "only 0-dimensional arrays can be converted to Python scalars").

    >>> import brainunit as u, numpy as np
    >>> _one_value_each("tau", [np.array([10., 20.]) * u.ms])
    [Quantity(10., "ms"), Quantity(20., "ms")]
    """
    if len(values) == 1 and is_quantity(values[0]) and np.ndim(values[0].mantissa) == 1:
        return [values[0][i] for i in range(values[0].shape[0])]
    for v in values:
        if is_quantity(v) and np.ndim(v.mantissa) > 0:
            raise UsageError(f"parameter {name!r}: each value is one number with its unit, got an array of shape "
                             f"{tuple(np.shape(v.mantissa))} in {unit_text(u.get_unit(v))}; give a list of values "
                             f"or one 1-D array (np.array([10., 20.]) * u.ms)")
    return values


def _refuse_plain_beside_other_units(name: str, parsed: list[tuple[Any, Any]], shown: list[Any], target: Any) -> None:
    """``-p tau=0.01,0.02s`` onto a plain default is refused: the plain 0.01 would be read in the convention's unit
    (0.01 ms), which nothing on the line names, not in the seconds beside it. A plain number beside values in that
    unit (``10,20ms`` for a time in ms) means what it says, and a zero is zero in every unit. (A unit the experiment
    declares, ``def build(we=0.6 * u.nS)``, is the one its plain numbers are read in: ``-p we=1,2000pS`` is taken.)"""
    other = next((v for (_, unit), v in zip(parsed, shown) if unit is not None and unit != target), None)
    if other is None:
        return
    for (number, unit), v in zip(parsed, shown):
        try:
            plain = unit is None and float(number) != 0 and math.isfinite(float(number))
        except (TypeError, ValueError):
            continue
        if plain:
            raise UsageError(f"parameter {name!r}: {v} has no unit beside {other}, and a plain number is read in "
                             f"{unit_text(target)}, not in the unit beside it: write its unit ({_with_unit_of(v, other)}) "
                             f"or give every value in {unit_text(target)}")


def _with_unit_of(value: Any, other: Any) -> str:
    """``value`` written in the unit of ``other``: ``0.01s`` beside ``"0.02s"``, ``0.01 * u.second`` beside a quantity."""
    if is_quantity(other):
        return f"{value} * {unit_code(u.get_unit(other))}"
    match = _WITH_UNIT.match(str(other))
    return f"{value}{(match.group(2) + match.group(3)).strip() if match else ''}"


def value_in_named_unit(name: str, text: str, unit: str) -> Any:
    """One value (``"0.02V"``) as a number in the unit named ``unit`` (a store's CF ``units``: ``"mV"``).

    >>> value_in_named_unit("bias", "0.02V", "mV")
    20.0
    """
    return values_in_unit(name, [text], parse_unit(unit))[0][0]


def range_in_unit(name: str, text: str, default_unit: Any) -> tuple[str, Any]:
    """A range's text with its bounds in the parameter's unit: ``"0.4:0.8nS"``, ``"1ms:100ms:log"``.

    >>> range_in_unit("tau", "1ms:0.1s:log", None)
    ('1:100:log', Unit("ms"))
    >>> range_in_unit("tau", "10:30:5ms", None)[0]                 # LOW:HIGH:STEP (a grid) likewise
    '10:30:5'
    """
    parts = text.split(":")
    if len(parts) < 2:
        return text, default_unit
    low, high, rest = parts[0], parts[1], parts[2:]
    shown = [low, high]
    if len(rest) == 1 and rest[0].strip().lower() not in ("log", "int", "linear"):  # LOW:HIGH:STEP, a grid
        shown, rest = [low, high, rest[0]], []
    parsed = [_parse(name, part) for part in shown]
    if parsed[-1][1] is not None:  # "0.4:0.8nS", "18:22:2mV": the unit written once, at the end
        parsed = [(n, parsed[-1][1] if unit is None else unit) for n, unit in parsed]
    target = _target_unit(name, default_unit, [p[1] for p in parsed], shown)
    if target is None:
        return text, None
    if default_unit is None:
        _refuse_plain_beside_other_units(name, parsed, shown, target)
    bounds = [_convert(name, n, unit, target, part) for (n, unit), part in zip(parsed, shown)]
    return ":".join([*(_text(b) for b in bounds), *rest]), target


def _text(x: Any) -> str:
    if isinstance(x, float):
        return str(int(x)) if x.is_integer() else repr(x)
    return str(x)


def with_units(arguments: dict[str, Any], units: dict[str, Any]) -> dict[str, Any]:
    """``build``'s keyword arguments with quantities for the parameters whose default has a unit."""
    if not units:
        return arguments
    return {k: (v * units[k] if k in units and not is_quantity(v) and not isinstance(v, str) else v)
            for k, v in arguments.items()}
