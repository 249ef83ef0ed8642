"""A range of a parameter to sample: ``bb.Range(0.4, 0.8)``, or ``we=0.4:0.8`` on the command line.

A ranged parameter gets one value per sample of the sweep's design (``design.py``), not a grid axis.
Scales: ``linear`` (uniform between the bounds) or ``log`` (uniform in log space, bounds > 0).
``integer=True`` floors the values onto the integers ``low..high``, both bounds included
(docs/sampling.md says how); parameters that size arrays need it.
"""
from __future__ import annotations

import decimal
import math
from dataclasses import dataclass, field
from typing import Any

from ..core.checks import is_bool, is_int, is_real
from ..errors import did_you_mean, keywords_named
from .errors import UsageError

__all__ = ["Range", "SCALES", "parse_range", "looks_like_range", "check_range_fits"]

SCALES = ("linear", "log")
_FORM = "write LOW:HIGH, LOW:HIGH:log, LOW:HIGH:int or LOW:HIGH:log:int (e.g. -p we=0.4:0.8)"


@keywords_named
@dataclass(frozen=True)
class Range:
    """Values between ``low`` and ``high`` for a sampled sweep (``samples=N``), one per sample.

    >>> Range(0.4, 0.8)
    Range(low=0.4, high=0.8, scale='linear', integer=False)
    >>> Range(1, 100, scale="log").text()
    '1:100:log'

    Bounds with a unit (``Range(10 * u.ms, 0.03 * u.second)``) are read in the first one's unit and
    converted to the parameter's when the sweep is planned, as ``-p tau=10ms:30ms`` is.

    >>> import brainunit as u
    >>> Range(10 * u.ms, 0.03 * u.second)
    Range(low=10.0, high=30.0, scale='linear', integer=False, unit='ms')

    ``unit`` (a name, ``"ms"``, or a brainunit unit, ``u.ms``) is the unit plain bounds are in, and the one bounds
    with another unit are converted to: ``Range(0.01 * u.second, 20, unit=u.ms)`` is ``10ms:20ms``.
    """

    low: float
    high: float
    scale: str = "linear"
    integer: bool = False
    unit: str | None = field(default=None, compare=True)

    def __post_init__(self) -> None:
        named = self.unit
        if self.unit is not None:  # "" (no unit, as ``text()`` always read it) is None, and so is "1"
            object.__setattr__(self, "unit", _unit_name(self.unit) if self.unit != "" else None)
        if _is_quantity(self.low) or _is_quantity(self.high):
            plain = named is not None and named != "" and self.unit is None  # unit="1": bounds of no dimension
            low, high, unit = _in_one_unit(self.low, self.high, "1" if plain else self.unit)
            object.__setattr__(self, "low", low)
            object.__setattr__(self, "high", high)
            object.__setattr__(self, "unit", None if plain else unit)
        _validate(self.low, self.high, self.scale, self.integer, self.text())
        cast = int if self.integer else float  # plain numbers, so 100.0:1000 and 100:1000 are one design
        object.__setattr__(self, "low", cast(self.low))
        object.__setattr__(self, "high", cast(self.high))

    def __repr__(self) -> str:
        unit = f", unit={self.unit!r}" if self.unit is not None else ""
        return (f"Range(low={self.low!r}, high={self.high!r}, scale={self.scale!r}, "
                f"integer={self.integer!r}{unit})")

    def text(self) -> str:
        """The command-line form, ``LOW:HIGH[:log][:int]`` (``10ms:30ms`` with a unit)."""
        tail = (":log" if self.scale == "log" else "") + (":int" if self.integer else "")
        # a unit that starts with a digit ("1 / mV") after a space: "0.05" + "1 / mV" read back as 0.051 / mV
        unit = "" if not self.unit else f" {self.unit}" if self.unit[:1].isdigit() else self.unit
        return f"{_num(self.low)}{unit}:{_num(self.high)}{unit}{tail}"

    def to_json(self) -> dict[str, Any]:
        out = {"low": self.low, "high": self.high, "scale": self.scale, "integer": self.integer}
        return out if self.unit is None else {**out, "unit": self.unit}


def _is_quantity(value: Any) -> bool:
    from ..core.units import is_quantity

    return is_quantity(value)


def _unit_name(unit: Any) -> str | None:
    """``Range``'s ``unit=`` as the text a ``-p`` value writes after its number: a unit's name (``"ms"``) or a brainunit
    unit (``u.ms``, which reached ``text()`` as "'Unit' object is not subscriptable"); a name brainunit does not know
    (``"msec"``) is refused here, naming it, not when the sweep is planned. A dimensionless unit (``"1"``,
    ``u.UNITLESS``) is ``None``: its bounds are plain numbers (``text()`` wrote "10 1:20 1", read back as no number)."""
    from ..core.units import brainunit as u, is_quantity, parse_unit, unit_hint, unit_text

    if isinstance(unit, str) and unit.strip():
        try:
            parsed = parse_unit(unit)
        except ValueError:
            raise UsageError(f"bad range: unit={unit!r} is no unit brainunit knows (units such as ms, second, mV, Hz, "
                             f"nS, pA).{unit_hint(unit.strip())}".rstrip(".")) from None
        return None if u.get_dim(parsed) == u.get_dim(u.UNITLESS) else unit.strip()
    if not isinstance(unit, (str, bool)) and isinstance(unit, u.Unit):
        from .quantities import unit_as_typed

        return None if u.get_dim(unit) == u.get_dim(u.UNITLESS) else unit_as_typed(unit)
    hint = f" (a quantity: give its unit alone, unit={unit_text(u.get_unit(unit))!r})" if is_quantity(unit) else ""
    raise UsageError(f"bad range: unit must be a unit's name such as 'ms' or a brainunit unit (u.ms), got {unit!r}{hint}")


def _in_one_unit(low: Any, high: Any, named: str | None = None) -> tuple[Any, Any, str | None]:
    """Two bounds, one of them at least a quantity, as numbers in the unit ``named`` (``Range(..., unit="ms")``), else
    in the first quantity's unit (a bare zero means the same in every unit; another bare number is a slip: which unit
    did it mean?), and that unit's name (``None``: dimensionless quantities, ``0.05 * u.UNITLESS``, are plain numbers,
    whose text "0.05 1:0.1 1" read back as no number). A bound converted from another unit keeps 15 significant
    digits, and a float32 one (JAX's) is the decimal typed: ``Range(10000 * u.us, 20 * u.ms, integer=True)`` was
    refused for a high bound of 20000.000000000004 us, and ``jnp.float32(0.1) * u.ms`` was a bound of
    0.10000000149011612."""
    from ..core.units import brainunit as u, decimal_float, parse_unit, unit_text
    from .quantities import unit_as_typed

    unit = parse_unit(named) if named is not None else u.get_unit(low if _is_quantity(low) else high)
    plain = named is None and u.get_dim(unit) == u.get_dim(u.UNITLESS)
    if plain:
        unit = u.UNITLESS
    numbers = []
    for what, bound in (("low", low), ("high", high)):
        if not _is_quantity(bound):
            if plain or named is not None or (is_real(bound) and bound == 0):
                numbers.append(bound)  # in the unit named (Range(10, 0.02 * u.second, unit="ms")); _validate names a
                continue               # bound that is no number
            raise UsageError(f"bad range: {what} bound {bound!r} has no unit but the other bound has one "
                             f"({unit_text(unit)}); give both with a unit, e.g. Range(10 * u.ms, 30 * u.ms)")
        if u.get_dim(bound) != u.get_dim(unit):
            if named is not None:
                raise UsageError(f"bad range: {what} bound {bound} is not {_kind(unit)}, as unit={named!r} is")
            raise UsageError(f"bad range: the bounds {low} and {high} have different dimensions")
        rescaled = u.get_unit(bound) != unit
        value = decimal_float(bound.mantissa if not rescaled else bound.to_decimal(unit))
        if is_real(value) or getattr(value, "ndim", 1) == 0:
            value = float(value)
            if rescaled and math.isfinite(value):
                value = float(f"{value:.15g}")  # 15 digits: all a double holds exactly
        numbers.append(value)
    return numbers[0], numbers[1], None if plain else named if named is not None else unit_as_typed(unit)


def _kind(unit: Any) -> str:
    """``a time``, ``a potential``...: what a unit measures, for a message."""
    from ..core.units import brainunit as u, unit_text

    names = {u.get_dim(u.ms): "a time", u.get_dim(u.mV): "a potential", u.get_dim(u.Hz): "a rate",
             u.get_dim(u.nS): "a conductance", u.get_dim(u.pA): "a current", u.get_dim(u.UNITLESS): "a plain number"}
    return names.get(u.get_dim(unit), f"in a unit of {unit_text(unit)}")


def _num(x: Any) -> str:
    """``x`` as text that reads back as ``x`` (``:g`` alone kept six digits: 0.0123456789 read back as 0.0123457)."""
    if not isinstance(x, float):
        return str(x)
    short = f"{x:g}"
    return short if float(short) == x else repr(x)


def looks_like_range(text: Any) -> bool:
    """Whether a ``-p`` value is written as a range (it holds a ``:``).

    >>> looks_like_range("0.4:0.8"), looks_like_range("0.4")
    (True, False)
    """
    return isinstance(text, str) and ":" in text


#: The most values ``LOW:HIGH:STEP`` may spell out (a grid of more is a typo, or belongs in --samples).
MAX_GRID_VALUES = 10_000


def grid_values(name: str, values: Any) -> Any:
    """``"0:4:0.5"`` (a number as third part) -> the evenly spaced grid ``[0.0, 0.5, ..., 4.0]``, each value
    rounded to the decimals written; anything else is returned as it is (``"0.4:0.8"`` is a range).

    >>> grid_values("b", "0:4:0.5"), grid_values("n", ["100:400:100"]), grid_values("we", "0.4:0.8")
    ([0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0], [100, 200, 300, 400], '0.4:0.8')
    >>> grid_values("w", "5e-13:1.5e-12:5e-13"), grid_values("w", "1.5e2:2.5e2:50")
    ([5e-13, 1e-12, 1.5e-12], [150.0, 200.0, 250.0])
    """
    if isinstance(values, (list, tuple)) and len(values) == 1 and isinstance(values[0], str):
        spelled = grid_values(name, values[0])  # the command line's -p b=0:4:0.5 arrives as ["0:4:0.5"]
        return spelled if isinstance(spelled, list) else values
    if not isinstance(values, str) or values.count(":") != 2:
        return values
    parts = [p.strip() for p in values.split(":")]
    try:
        low, high, step = (float(p) for p in parts)
    except ValueError:
        return values  # LOW:HIGH:log and friends: a range
    spec = f"{name}={values}"
    if not all(math.isfinite(v) for v in (low, high, step)) or step <= 0 or high < low:
        raise UsageError(f"bad grid {spec!r}: LOW:HIGH:STEP needs finite LOW <= HIGH and STEP > 0")
    count = int(math.floor((high - low) / step + 1e-9)) + 1
    last = low + (count - 1) * step
    if abs(high - last) > 1e-9 * max(abs(high), abs(step)):
        # the grid spells HIGH out, so a HIGH between two grid points is a typo, not a value to drop
        raise UsageError(f"bad grid {spec!r}: HIGH {parts[1]} is not LOW plus a whole number of STEPs; "
                         f"write {parts[0]}:{_number(last)}:{parts[2]} or {parts[0]}:{_number(last + step)}:{parts[2]}")
    if count > MAX_GRID_VALUES:
        raise UsageError(f"bad grid {spec!r}: {count} values, more than {MAX_GRID_VALUES}; use a larger STEP")
    if all(_is_int_text(p) for p in parts):
        return [int(low) + k * int(step) for k in range(count)]
    # the decimals written, exponents included (5e-13 has 13): rounding to fewer turned 5e-13 into 0.0
    decimals = max(max(0, -int(decimal.Decimal(p).as_tuple().exponent)) for p in parts)
    return [round(low + k * step, decimals) for k in range(count)]


def _number(value: float) -> str:
    return f"{round(value, 12):g}"


def parse_range(name: str, text: str) -> Range:
    """``"0.4:0.8"``, ``"1:100:log"``, ``"100:1000:int"`` -> ``Range``; errors name the bad spec.

    >>> parse_range("rate", "1:100:log")
    Range(low=1.0, high=100.0, scale='log', integer=False)
    """
    spec = f"{name}={text}"
    parts = [p.strip() for p in str(text).split(":")]
    if len(parts) < 2 or len(parts) > 4:
        raise UsageError(f"bad range {spec!r}: {_FORM}")
    bounds, flags = parts[:2], [p.lower() for p in parts[2:]]
    values = []
    for what, part in zip(("low", "high"), bounds):
        try:
            value = float(part)
        except ValueError:
            raise UsageError(f"bad range {spec!r}: {what} bound {part!r} is not a number; {_FORM}") from None
        if not math.isfinite(value):
            raise UsageError(f"bad range {spec!r}: {what} bound {part!r} is not finite")
        values.append(int(value) if _is_int_text(part) else value)
    unknown = [f for f in flags if f not in ("log", "int", "linear")]
    if unknown:
        raise UsageError(f"bad range {spec!r}: unknown option {unknown[0]!r}; allowed after LOW:HIGH: log, int")
    if len(set(flags)) != len(flags):
        raise UsageError(f"bad range {spec!r}: an option appears twice")
    scale, integer = ("log" if "log" in flags else "linear"), "int" in flags
    _validate(values[0], values[1], scale, integer, spec)  # first, so errors name the spec as written
    return Range(values[0], values[1], scale=scale, integer=integer)


#: The largest magnitude of an integer range's bounds: float64, in which the points are drawn and scaled, holds
#: every integer up to 2^53 and only some beyond (10**17:10**17+10 drew low and low+16, past high).
MAX_INTEGER_BOUND = 2**53


def _finite(bound: Any) -> bool:
    try:
        return math.isfinite(bound)
    except OverflowError:  # a Python int beyond float64 (10**400)
        return False


def _validate(low: Any, high: Any, scale: Any, integer: Any, spec: str) -> None:
    for what, bound in (("low", low), ("high", high)):
        if not is_real(bound) or not _finite(bound):
            raise UsageError(f"bad range {spec!r}: {what} bound {bound!r} is not a finite number; {_FORM}")
    if scale not in SCALES:
        raise UsageError(f"bad range {spec!r}: unknown scale {scale!r}; allowed: {', '.join(SCALES)}."
                         f"{did_you_mean(scale, SCALES)}")
    if not is_bool(integer):
        raise UsageError(f"bad range {spec!r}: integer must be True or False, got {integer!r}")
    if not low < high:
        raise UsageError(f"bad range {spec!r}: low {low!r} must be below high {high!r} "
                         "(one value is a plain -p NAME=V)")
    if scale == "log" and low <= 0:
        raise UsageError(f"bad range {spec!r}: a log scale needs bounds > 0, got low {low!r}")
    if integer and not all(float(b).is_integer() for b in (low, high)):
        raise UsageError(f"bad range {spec!r}: an integer range needs integer bounds, got {low!r}:{high!r}")
    if integer and max(abs(low), abs(high)) > MAX_INTEGER_BOUND:
        raise UsageError(f"bad range {spec!r}: an integer range needs bounds within -2^53..2^53 "
                         f"({MAX_INTEGER_BOUND}): beyond that float64, in which the points are drawn, does not "
                         "hold every integer, so some could never be drawn and others would fall past the bounds")
    if not math.isfinite(float(high) - float(low)):
        raise UsageError(f"bad range {spec!r}: its width {high!r} - {low!r} overflows float64 (every point would "
                         "be inf or a bound); give a narrower range")


def _is_int_text(text: str) -> bool:
    try:
        int(text)
        return True
    except ValueError:
        return False


def check_range_fits(name: str, rng: Range, default: Any, static: bool) -> None:
    """A range must suit its parameter: numbers only; integer (array-sizing) or static ones need ``:int``."""
    if is_bool(default):
        raise UsageError(f"parameter {name!r} is a boolean (true/false); a range {rng.text()!r} needs a number "
                         f"parameter; give values instead (-p {name}=true,false)")
    if isinstance(default, str):
        raise UsageError(f"parameter {name!r} takes text; a range {rng.text()!r} needs a number parameter")
    if is_int(default) and not rng.integer:
        raise UsageError(f"parameter {name!r} is an integer (it may size arrays, compiled once per value): "
                         f"sample it on integers with -p {name}={rng.text()}:int")
    if static and not rng.integer:
        raise UsageError(f"parameter {name!r} is static (compiled once per value), so a float range would compile "
                         f"one program per sample: use -p {name}={rng.text()}:int, or give values (-p {name}=V1,V2)")
