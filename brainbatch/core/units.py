"""Physical units at the edges: ``brainunit`` quantities in, the internal convention's numbers out.

brainbatch computes in one convention (docs/units.md): **ms** for times, **mV** for potentials, **Hz**
for rates, currents as ``R * I`` in mV, conductances relative to the leak. A bare number is read in
that convention, as it always was. A ``brainunit`` quantity (``20 * u.ms``, ``0.02 * u.second``) is
converted once, when the model is built, to the unit its parameter declares; a quantity of the wrong
dimension is a one-line ``UnitMismatch`` naming the parameter, the unit given and the one expected.
Nothing inside the compiled step ever sees a unit, so units cost no speed.

A class declares its parameters' units once, in ``param_units`` (merged along the class hierarchy);
the models guide's tables, the errors and the store read them from there.

>>> import brainunit as u, brainbatch as bb
>>> bb.LifRef(2, tau=0.02 * u.second, V_th=-50 * u.mV).tau
20.0
>>> bb.LifRef(2, tau=-50 * u.mV)
Traceback (most recent call last):
...
brainbatch.core.units.UnitMismatch: LifRef: tau takes a time (ms), got -50 mV (a potential)
"""
from __future__ import annotations

import copy
import functools
import inspect
import math
import reprlib
import sys
from typing import TYPE_CHECKING, Any, Callable, Mapping

import numpy as np

from ..errors import BrainbatchError, NamedKeywords, did_you_mean
from .errors import ParameterShapeError

__all__ = ["UnitMismatch", "Quantity", "is_quantity", "to_convention", "declared_units", "accept_quantities",
           "unit_text", "unit_code", "parse_unit", "conductance_units", "strict_units", "DIMENSIONLESS", "brainunit"]


class _Brainunit:
    """The ``brainunit`` module, imported when one of its names is first used (``brainunit.ms``).

    Importing brainunit costs ~1 s of CPU (it brings matplotlib and scipy); a model, a sweep or a CLI
    command that meets no quantity never needs it. The models, whose classes declare their units, and
    any quantity a user makes import it as before.
    """

    def __getattr__(self, name: str) -> Any:
        import brainunit

        return getattr(brainunit, name)


#: ``brainunit``, loaded on first use (what the other layers write ``u.ms`` with)
brainunit: Any = _Brainunit()
u = brainunit


if TYPE_CHECKING:  # brainunit's, read from it when first asked for (__getattr__)
    Quantity: Any
    DIMENSIONLESS: Any


def __getattr__(name: str) -> Any:
    if name == "Quantity":
        return u.Quantity
    if name == "DIMENSIONLESS":  # the declaration of a parameter that is a plain number (a ratio, a count...)
        return u.UNITLESS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class UnitMismatch(BrainbatchError, TypeError):
    """A quantity of the wrong dimension, or a unit where a parameter takes none."""


@functools.cache
def _dim_names() -> dict[Any, str]:
    return {
        u.get_dim(u.ms): "a time",
        u.get_dim(u.mV): "a potential",
        u.get_dim(u.Hz): "a rate",
        u.get_dim(u.nA): "a current",
        u.get_dim(u.nS): "a conductance",
        u.get_dim(u.UNITLESS): "a plain number",
        u.get_dim(u.mS / u.cm**2): "a conductance density",
        u.get_dim(u.uF / u.cm**2): "a capacitance density",
        u.get_dim(u.uA / u.cm**2): "a current density",
        u.get_dim(u.pF): "a capacitance",
        u.get_dim(u.Mohm): "a resistance",
        u.get_dim(u.mM): "a concentration",
        u.get_dim(u.um): "a length",
        u.get_dim(u.cm**2): "an area",
    }


_STRICT = {"on": False}
_CONSTRUCTING: set[int] = set()


def _dim_name(dim: Any) -> str | None:
    """What a dimension is called (``"a time"``); ``None`` for one without a name (``s^-0.5``), which a message
    names by its unit instead of by raw SI exponents."""
    return _dim_names().get(dim)


def _takes(unit: Any, joint: str = " ({})") -> str:
    """What a parameter takes, for a message: ``a time (ms)``, or ``a value in 1 / ms^0.5``."""
    name = _dim_name(u.get_dim(unit))
    return f"{name}{joint.format(unit_text(unit))}" if name else f"a value in {unit_text(unit)}"


def _given_kind(value: Any) -> str:
    """`` (a potential)`` after a shown value; nothing where the dimension has no name (its unit is shown)."""
    name = _dim_name(u.get_dim(value))
    return f" ({name})" if name else ""


def is_quantity(x: Any) -> bool:
    """Whether ``x`` is a ``brainunit`` quantity (a number with a unit).

    A quantity exists only once brainunit (or saiunit, whose ``Quantity`` brainunit's is) is imported:
    until then nothing is one, and brainunit is not imported to tell.
    """
    if "brainunit" not in sys.modules and "saiunit" not in sys.modules:
        return False
    return isinstance(x, u.Quantity)


def unit_text(unit: Any) -> str:
    """The unit as the store and the guide write it: ``"ms"``, ``"mS / cm^2"``, ``"1"`` (alternatives: ``"mV or pA"``).
    A unit given by its name (``"ms"``, as ``to_convention`` takes it) is that name."""
    if isinstance(unit, tuple):
        return " or ".join(unit_text(x) for x in unit)
    if isinstance(unit, str):
        return unit
    if unit is not None and getattr(unit, "dim", None) == u.get_dim(u.UNITLESS):
        return "1"
    return str(unit.dispname if hasattr(unit, "dispname") else unit) if unit is not None else ""


def units_label(units: Any, what: str = "units") -> str:
    """The text a Variable's ``units`` holds for stores and results: a text as given, a brainunit unit
    (``u.mV``, natural to write) as its name, ``None`` as ``""``; anything else is an error naming it.

    >>> units_label("mV"), units_label(None)
    ('mV', '')
    """
    if units is None:
        return ""
    if isinstance(units, str):
        return units
    if ("brainunit" in sys.modules or "saiunit" in sys.modules) and isinstance(units, u.Unit):
        return unit_text(units)  # a Unit object kept as is reached the store's JSON and out.quantity(...)
    hint = f" (a quantity: give its unit alone, {unit_text(u.get_unit(units))!r})" if is_quantity(units) else ""
    raise TypeError(f"{what} must be a unit's name such as 'mV' or a brainunit unit (u.mV), got {units!r}{hint}")


def parse_unit(text: str) -> Any:
    """A unit from its name (``"ms"``, ``"mV/ms"``, ``"nS"``); an unknown name is a ``ValueError``.

    >>> parse_unit("ms"), parse_unit("µV")
    (Unit("ms"), Unit("uV"))
    """
    # the micro sign and the Greek mu (both typed for "micro") are brainunit's "u"
    text = text.strip().replace("\u00b5", "u").replace("\u03bc", "u")
    try:
        return u.parse_unit(text)
    except Exception:  # noqa: BLE001 - brainunit raises several types for a text that is no unit
        raise ValueError(f"unknown unit {text!r}: use a unit such as ms, second, mV, Hz, nS, pA.{unit_hint(text)}"
                         .rstrip(".")) from None


#: the units a neuroscientist types most, for the hint after an unknown one
_COMMON_UNITS = ("ms", "second", "us", "mV", "volt", "uV", "Hz", "kHz", "nS", "uS", "mS", "pA", "nA", "uA", "pF",
                 "nF", "uF", "Mohm", "Gohm", "mM", "uM", "cm", "um", "mS/cm^2", "uF/cm^2", "uA/cm^2")


#: SI prefixes and units spelled out in English, by their symbols (``millisecond`` is ``ms``)
_PREFIX_WORDS = {"milli": "m", "micro": "u", "nano": "n", "pico": "p", "kilo": "k", "mega": "M", "giga": "G"}
_BASE_WORDS = {"seconds": "s", "second": "s", "secs": "s", "sec": "s", "volts": "V", "volt": "V", "hertz": "Hz",
               "siemens": "S", "amperes": "A", "ampere": "A", "amps": "A", "amp": "A", "farads": "F", "farad": "F",
               "ohms": "ohm", "ohm": "ohm", "molar": "M"}


def unit_hint(text: str) -> str:
    """``" Did you mean 'mV'?"`` for a unit typed in the wrong case (``mv``, ``hz``), spelled out with its
    prefix (``millisecond``, ``nanosiemens``) or close to a common one (``msec``), else ``""``.

    >>> unit_hint("millisecond"), unit_hint("nanosiemens"), unit_hint("hz")
    (" Did you mean 'ms'?", " Did you mean 'nS'?", " Did you mean 'Hz'?")
    """
    lowered = {name.lower(): name for name in _COMMON_UNITS}
    if text.lower() in lowered:
        return f" Did you mean {lowered[text.lower()]!r}?"
    spelled = _spelled_out(text)  # "millisecond" was "Did you mean 'second'?", 10^3 times what was meant
    if spelled is not None:
        return f" Did you mean {spelled!r}?"
    return did_you_mean(text, _COMMON_UNITS, cutoff=0.6)


def _spelled_out(text: str) -> str | None:
    """The symbol of a unit written in words with an SI prefix (``milliseconds`` -> ``ms``), if brainunit knows it."""
    word = text.strip().lower()
    prefix = next((p for p in _PREFIX_WORDS if word.startswith(p)), None)
    if prefix is None or word[len(prefix):] not in _BASE_WORDS:
        return None
    symbol = _PREFIX_WORDS[prefix] + _BASE_WORDS[word[len(prefix):]]
    try:
        u.parse_unit(symbol)
    except Exception:  # noqa: BLE001 - brainunit raises several types for a text that is no unit
        return None
    return symbol


class strict_units(NamedKeywords):
    """Within this context (or after ``strict_units(True)``), a bare number for a parameter that has a
    physical unit is an error: every value must say its unit.

    >>> import brainbatch as bb
    >>> with bb.strict_units():
    ...     bb.LifRef(2, tau=20.)
    Traceback (most recent call last):
    ...
    brainbatch.core.units.UnitMismatch: LifRef: tau takes a time in ms and strict units are on: write 20.0 * u.ms
    """

    def __init__(self, on: bool = True):
        self._previous = _STRICT["on"]
        self._on = bool(on)
        _STRICT["on"] = self._on

    def __enter__(self) -> "strict_units":
        _STRICT["on"] = self._on  # strict_units(False) as a block turns it off inside, not on
        return self

    def __exit__(self, *exc: Any) -> None:
        _STRICT["on"] = self._previous


def _spelled(value: Any, unit: Any) -> str:
    """How to write ``value`` in ``unit`` with brainunit: ``20.0 * u.ms``, ``0.5 / u.ms``, ``0.02 * u.ms ** -1``."""
    if isinstance(value, (np.generic, np.ndarray, list, tuple)) or _is_bare_number(value):
        value = np.asarray(value).tolist()  # np.float32(20.0) and jnp.asarray(20.) as 20.0, arrays as lists
    code = unit_code(unit)
    return f"{value!r} / {code[4:]}" if code.startswith("1 / ") else f"{value!r} * {code}"


def _product(text: str) -> str | None:
    """``"cm^2 * kohm"`` as Python on brainunit (``"u.cm ** 2 * u.kohm"``); ``"1"`` as itself; ``None`` if a
    factor is no unit name."""
    if text == "1":
        return "1"
    factors = []
    for factor in text.split(" * "):
        name, _, power = factor.partition("^")
        attr = _attribute(name) if name.isidentifier() else None
        if attr is None:
            return None
        factors.append(f"u.{attr}" + (f" ** {power}" if power else ""))
    return " * ".join(factors)


#: the names brainunit shows a unit by (``"s"``, ``"pS"``) where its attribute is spelled out (``u.second``)
_SPELLED_OUT = {"s": "second", "V": "volt", "S": "siemens", "A": "amp", "F": "farad", "M": "molar", "m": "meter",
                "g": "gram", "mol": "mole"}


def _attribute(name: str) -> str | None:
    """The brainunit attribute of a unit shown as ``name``: ``ms`` itself, ``s`` as ``second``, ``pS`` as
    ``psiemens``; ``None`` where brainunit has none (the message then writes ``u.Unit(...)``)."""
    for attr in (name, _SPELLED_OUT.get(name), name[:1] + _SPELLED_OUT.get(name[1:], "\0")):
        if attr and attr.isidentifier() and isinstance(getattr(u, attr, None), u.Unit):
            return attr
    return None


def decimal_float(value: Any) -> Any:
    """A float32 scalar (NumPy's, or a concrete JAX one such as the ``jnp`` mantissa of a quantity) as the Python
    float of its shortest decimal, the number a user typed: 0.1, not 0.10000000149011612 (a dt of that made every
    time label and step count of a run carry the error). Anything else is returned unchanged.

    >>> decimal_float(np.float32(0.1)), float(np.float32(0.1)), decimal_float(np.zeros(2, np.float32)).shape
    (0.1, 0.10000000149011612, (2,))
    """
    if getattr(value, "ndim", None) != 0 or getattr(value, "dtype", None) not in (np.float32, np.float16):
        return value
    try:
        return float(str(np.asarray(value).astype(np.float32)[()]))
    except Exception:  # noqa: BLE001 - a traced value (a sweep's parameter): no number yet
        return value


def _plain(value: Any, rescaled: bool = False) -> Any:
    """A converted mantissa as the convention's number: Python float for scalars (what a user would type).

    ``rescaled``: the number was converted from another unit, so its last bits carry the conversion's rounding
    (0.1 nA is 100.00000000000001 pA): a scalar keeps its 15 significant digits, all a double holds exactly,
    so ``0.02 * u.second`` is the 20.0 ms a bare number gives, bitwise, in float64 runs too.

    >>> _plain(100.00000000000001, rescaled=True), _plain(100.00000000000001)
    (100.0, 100.00000000000001)
    """
    value = decimal_float(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if rescaled and math.isfinite(value):
            return float(f"{float(value):.15g}")
        return float(value)
    if isinstance(value, np.ndarray) and value.dtype.kind in "iuf":
        if not _x64():
            return value.astype(np.float32)
        # JAX's 64-bit mode: float64, as the same plain array runs (float32 made ``tau=np.array([0.1, 0.3]) * u.ms``
        # another model than ``np.array([0.1, 0.3])`` there), each element to 15 digits where it was converted
        value = value.astype(np.float64)
        return _fifteen_digits(value) if rescaled else value
    return value


#: arrays up to this size are rounded element by element (exactly as a scalar is); larger ones in numpy
_EXACT_ROUNDING = 4096


def _fifteen_digits(values: np.ndarray) -> np.ndarray:
    """Each element to 15 significant digits, as ``float(f"{x:.15g}")`` rounds a scalar. A large array (a weight
    matrix converted from nS to mS) in numpy: the mantissa ``round(x * 10**k)`` over ``10**k``, the same number but
    where ``x * 10**k`` lands within a rounding of a half-way tie (element by element it took 1.7 s per 10^6).

    >>> _fifteen_digits(np.array([100.00000000000001, 0.30000000000000004, np.inf]))
    array([100. ,   0.3,   inf])
    """
    if values.size <= _EXACT_ROUNDING:
        return np.asarray([float(f"{x:.15g}") if math.isfinite(x) else x for x in values.ravel().tolist()],
                          np.float64).reshape(values.shape)
    out = values.copy()
    flat = out.reshape(-1)
    x = values.reshape(-1)
    nonzero = np.isfinite(x) & (x != 0)
    k = np.zeros_like(x)
    k[nonzero] = 14 - np.floor(np.log10(np.abs(x[nonzero])))
    up = nonzero & (k >= 0) & (k <= 22)  # 10**k exact: the division rounds the 15-digit integer once
    down = nonzero & (k < 0) & (k >= -22)
    scaled = np.zeros_like(x)
    scaled[up] = x[up] * 10.0 ** k[up]
    scaled[down] = x[down] / 10.0 ** -k[down]
    # a scaled value on a half (x * 10**k rounded onto it) may be either side of it in decimal: those exactly; and
    # log10 of a value just below a power of ten (9999.99999999999) rounds up onto it, a digit too few: those too
    tie = (up | down) & ((np.abs(scaled - np.trunc(scaled)) == 0.5)
                         | (np.abs(scaled) < 1e14) | (np.abs(scaled) > 1e15))
    up, down = up & ~tie, down & ~tie
    flat[up] = np.round(scaled[up]) / 10.0 ** k[up]
    flat[down] = np.round(scaled[down]) * 10.0 ** -k[down]
    rest = np.flatnonzero(nonzero & ~up & ~down)  # ties, subnormal or huge: element by element
    flat[rest] = [float(f"{v:.15g}") for v in x[rest].tolist()]
    return out


def _x64() -> bool:
    """Whether JAX computes in 64 bits (``jax_enable_x64``, or inside ``jax.enable_x64(True)``): the float type plain
    arrays of parameters get, and so converted ones."""
    jax = sys.modules.get("jax")
    return bool(jax is not None and jax.config.read("jax_enable_x64"))


def _float_type() -> Any:
    return np.float64 if _x64() else np.float32


def to_convention(name: str, value: Any, unit: Any, where: str = "", strict: bool = True) -> Any:
    """``value`` in the number convention of ``unit`` (a ``brainunit`` Unit, or ``DIMENSIONLESS``).

    Bare numbers pass unchanged (they already are in the convention); quantities are converted, and
    a wrong dimension names the parameter, the unit given and the one expected. Initializers holding
    quantities (``bb.Uniform(-70 * u.mV, -60 * u.mV)``) are converted field by field.

    >>> import brainunit as u
    >>> to_convention("tau", 0.02 * u.second, u.ms)
    20.0

    ``unit`` may be a unit's name (``"ms"``): brainunit is then imported only where a quantity, or
    strict units, need it (a bare number passes without it).

    >>> to_convention("duration", 2 * u.second, "ms")
    2000.0

    ``strict=False``: for a value brainbatch already converted (a bare number is then never refused).
    """
    prefix = f"{where}: " if where else ""
    strict = strict and _STRICT["on"]
    if isinstance(unit, str) and (is_quantity(value) or strict or _has_quantity_fields(value)):
        unit = parse_unit(unit)
    if isinstance(unit, tuple):  # alternatives: the first whose dimension matches
        given = value_unit(value)
        match = next((un for un in unit if given is not None and u.get_dim(given) == u.get_dim(un)), None)
        if match is None and given is not None:  # the message names every unit the parameter takes
            shown = _first_quantity(list(vars(value).values()) if _has_quantity_fields(value) else value)
            raise UnitMismatch(f"{prefix}{name} takes {' or '.join(_takes(un) for un in unit)}, got "
                               f"{_shown(shown)}{_given_kind(shown)}")
        return to_convention(name, value, unit[0] if match is None else match, where, strict)
    if isinstance(value, (list, tuple)) and _is_list_of_quantities(value):  # [10 * u.ms, 20 * u.ms]
        converted = _converted_items(name, value, unit, where, strict, prefix, _first_quantity(value), "")
        try:
            return np.asarray(converted, _float_type())
        except ValueError:  # NumPy's "inhomogeneous shape after 1 dimensions" named nothing
            raise ParameterShapeError(f"{prefix}{name}: the values given with units do not form an array (rows of "
                                      f"different lengths?): {reprlib.repr(value)}") from None
    if is_quantity(value):
        if u.get_dim(value) != u.get_dim(unit):
            raise UnitMismatch(f"{prefix}{name} takes {_takes(unit)}, got {_shown(value)}{_given_kind(value)}")
        return _plain(value.to_decimal(unit), rescaled=u.get_unit(value) != unit)
    if _has_quantity_fields(value):
        init = copy.copy(value)
        for field, v in vars(value).items():
            if _first_quantity(v) is not None:
                setattr(init, field, to_convention(f"{name}.{field}", v, unit, where))
        return init
    if not strict or u.get_dim(unit) == u.get_dim(u.UNITLESS):
        return value
    # a bare zero means the same in every unit of a dimension (Runner's t0, a Monitor's start): not refused
    if _is_bare_number(value) and not np.all(np.asarray(value) == 0):
        raise UnitMismatch(f"{prefix}{name} takes {_takes(unit, ' in {}')} and strict "
                           f"units are on: write {_spelled(value, unit)}")
    bare = _bare_fields(value)
    if bare:  # an initializer of plain numbers: bb.Uniform(-70., -60.)
        fields = ", ".join(f"{f}={_spelled(v, unit)}" for f, v in bare.items())
        raise UnitMismatch(f"{prefix}{name} takes {_takes(unit, ' in {}')} and strict "
                           f"units are on: give {type(value).__name__}'s {', '.join(bare)} with the unit ({fields})")
    return value


def _first_quantity(value: Any, depth: int = 0) -> Any:
    """The first quantity in ``value`` (itself, or inside nested lists and tuples: ``[[10 * u.ms, ...], ...]`` for a
    2-D group), or ``None``."""
    if is_quantity(value):
        return value
    if isinstance(value, (list, tuple)) and depth < _MAX_NESTING:
        return next((q for q in (_first_quantity(v, depth + 1) for v in value) if q is not None), None)
    return None


#: how deep lists of quantities are searched (a parameter is at most an array of a few dimensions)
_MAX_NESTING = 8


def _is_list_of_quantities(value: list | tuple) -> bool:
    """A list converted element by element: one holding a quantity itself (``[10 * u.ms, 0.02 * u.second]``), or
    nested lists of quantities (``[[10 * u.ms, 20 * u.ms], ...]``, an array of a 2-D group; a plain zero or infinity
    may stand among them). A table of other entries (``Pathways``' delays: initializers, ``None``, plain numbers in
    ms beside quantities, each entry read on its own) is its class's to read."""
    if any(is_quantity(v) for v in value):
        return True
    return _first_quantity(value) is not None and _quantities_only(value)


def _quantities_only(value: Any, depth: int = 0) -> bool:
    if isinstance(value, (list, tuple)):
        return depth < _MAX_NESTING and all(_quantities_only(v, depth + 1) for v in value)
    if is_quantity(value):
        return True
    return _is_bare_number(value) and not np.all(np.isfinite(np.asarray(value, np.float64)) & (np.asarray(value) != 0))


def _converted_items(name: str, items: Any, unit: Any, where: str, strict: bool, prefix: str, first: Any,
                     index: str) -> list:
    """The items of a list holding quantities, each converted (nested lists element by element).

    A plain number among them (``[0.01 * u.second, 0.03]``) is refused, as an initializer's fields are: it would be
    read in the parameter's unit (0.03 ms), not in the one beside it. Zero, infinity and NaN are the same in every
    unit and may stay plain. Anything else (``None``, ``True``, a text) is refused by name, where NumPy read ``None``
    as NaN and ``True`` as 1 (1 ms)."""
    out = []
    for i, v in enumerate(items):
        at = f"{index}[{i}]"
        if isinstance(v, (list, tuple)):
            out.append(_converted_items(name, v, unit, where, strict, prefix, first, at))
        elif is_quantity(v):
            out.append(to_convention(name, v, unit, where, strict))
        elif _is_bare_number(v):
            if np.all(np.isfinite(np.asarray(v, np.float64))) and not np.all(np.asarray(v) == 0):
                raise UnitMismatch(f"{prefix}{name}{at} is a plain number ({v!r}) beside values with a unit "
                                   f"({_shown(first)}): a plain number would be read in the parameter's own unit, not "
                                   f"in theirs; give it its unit too ({_spelled(v, u.get_unit(first))})")
            out.append(v)
        else:
            raise UnitMismatch(f"{prefix}{name}{at} is {reprlib.repr(v)} beside values with a unit ({_shown(first)}): "
                               f"each value must be a number with its unit (e.g. {_spelled(1.0, u.get_unit(first))})")
    return out


def unit_code(unit: Any) -> str:
    """How a unit is written in Python with brainunit (``u.mV / u.ms``), for a message that shows the code.

    >>> import brainunit as u
    >>> unit_code(u.mV / u.ms), unit_code(u.nS), unit_code(u.ms ** -1)
    ('u.mV / u.ms', 'u.nS', '1 / u.ms')
    """
    text = unit_text(unit)
    numerator, _, denominator = text.partition(" / ")
    top, bottom = _product(numerator), _product(denominator) if denominator else ""
    if top is None or bottom is None:  # a unit text that is no product of names: brainunit parses it
        return f"u.Unit({text!r})"
    if bottom and " * " in bottom:
        bottom = f"({bottom})"
    return top + (f" / {bottom}" if bottom else "")


def _shown(value: Any) -> str:
    """A quantity as a message shows it: its number, or only its unit when the number is traced (swept)."""
    import jax

    mantissa, unit = getattr(value, "mantissa", None), unit_text(u.get_unit(value))
    if isinstance(mantissa, jax.core.Tracer):
        return f"a value in {unit} (a swept one)"
    # the number itself: brainunit's own text turns it into a tracer inside a trace ("JitTracer(...) mV")
    number = np.asarray(mantissa)
    shown = repr(number.item()) if number.ndim == 0 else np.array2string(number, threshold=6)
    return shown if unit in ("", "1") else f"{shown} {unit}"  # a dimensionless quantity's unit reads "1"


def _is_bare_number(value: Any) -> bool:
    """A number, NumPy number or array, or a list of numbers (not a bool, a quantity or a traced value)."""
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, float, np.number)):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "iuf"
    if isinstance(value, (list, tuple)):
        return bool(value) and all(_is_bare_number(v) for v in value)
    jax = sys.modules.get("jax")  # a concrete JAX array (jnp.asarray(20.)); a traced one is a swept value
    if jax is not None and isinstance(value, jax.Array) and not isinstance(value, jax.core.Tracer):
        return value.dtype.kind in "iuf"
    return False


def _bare_fields(value: Any, fields: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The fields in a unit (an initializer's ``unit_fields``; or ``fields`` given) that ``value`` holds as
    plain finite non-zero numbers."""
    if fields is None:
        fields = {f: getattr(value, f, None) for f in getattr(type(value), "unit_fields", ())}
    return {f: v for f, v in fields.items() if _is_bare_number(v) and np.all(np.isfinite(np.asarray(v)))
            and not np.all(np.asarray(v) == 0)}


def _has_quantity_fields(value: Any) -> bool:
    # an initializer object (Constant, Uniform, Normal, ...) whose fields hold quantities (or lists of them:
    # bb.Constant([-70 * u.mV, -65 * u.mV]))
    fields = getattr(value, "__dict__", None)
    return (fields is not None and not isinstance(value, type)
            and any(_first_quantity(v) is not None for v in fields.values()))


def declared_units(cls: type) -> dict[str, Any]:
    """Every parameter unit a class declares, its own ``param_units`` over its bases'."""
    out: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        out.update(klass.__dict__.get("param_units", {}) or {})
    return out


def value_unit(value: Any) -> Any:
    """The unit ``value`` is given in: a quantity's, the first quantity's of a list (``[5 * u.mV, ...]``) or of
    an initializer's fields (``bb.Constant(5 * u.mV)``); ``None`` for bare numbers."""
    if is_quantity(value):
        return u.get_unit(value)
    if isinstance(value, (list, tuple)):
        first = _first_quantity(value)
    elif _has_quantity_fields(value):
        first = _first_quantity(list(vars(value).values()))
    else:
        return None
    return None if first is None else u.get_unit(first)


def _holds_quantities(args: tuple, kwargs: Mapping[str, Any]) -> bool:
    return any(value_unit(a) is not None for a in (*args, *kwargs.values()))


def _needs_conversion(args: tuple, kwargs: Mapping[str, Any]) -> bool:
    return _STRICT["on"] or _holds_quantities(args, kwargs)


def accept_quantities(cls: type) -> None:
    """Wrap ``cls.__init__`` (if the class defines one) so declared parameters accept quantities.

    Called for every ``DynamicalSystem`` subclass. A call without quantities goes straight through
    (nothing changes for bare numbers); parameters a class does not declare are passed as given, so a
    user's own classes may take quantities for their own use.
    """
    init = cls.__dict__.get("__init__")
    if init is None or getattr(init, "_bb_units", False) or not declared_units(cls):
        return

    @functools.wraps(init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        outermost = id(self) not in _CONSTRUCTING  # a subclass's super().__init__ gets converted values
        if outermost and _needs_conversion(args, kwargs):
            args, kwargs = _convert_call(cls, init, self, args, kwargs)
        elif not outermost and _holds_quantities(args, kwargs):
            # quantities a subclass's own __init__ passes on (class MyLIF(bb.LifRef): super().__init__(n,
            # tau=20 * u.ms)); the values it got converted stay as they are, even under strict units
            args, kwargs = _convert_call(cls, init, self, args, kwargs, strict=False)
        _CONSTRUCTING.add(id(self))
        try:
            init(self, *args, **kwargs)
        finally:
            if outermost:
                _CONSTRUCTING.discard(id(self))

    __init__._bb_units = True  # type: ignore[attr-defined]
    cls.__init__ = __init__  # type: ignore[misc]


def _convert_call(cls: type, init: Callable, self: Any, args: tuple, kwargs: dict,
                  strict: bool = True) -> tuple[tuple, dict]:
    try:
        bound = inspect.signature(init).bind(self, *args, **kwargs)
    except TypeError:
        return args, kwargs  # let the call itself raise Python's own message
    units = declared_units(cls)
    where = cls.__name__
    given: dict[str, Any] = {}
    for pname, param in inspect.signature(init).parameters.items():
        if pname not in bound.arguments:
            continue
        if param.kind is inspect.Parameter.VAR_KEYWORD:
            extra = bound.arguments[pname]
            bound.arguments[pname] = {k: (to_convention(k, v, units[k], where, strict) if k in units else v)
                                      for k, v in extra.items()}
        elif pname in units:
            value = bound.arguments[pname]
            given[pname] = value_unit(value)
            bound.arguments[pname] = to_convention(pname, value, units[pname], where, strict)
    # which unit each quantity came in, for models whose parameters mean one of two things
    # (LIF's I_bias: mV as R * I, or pA with C_m); read with ``given_unit``. A subclass's super().__init__
    # adds what it converts to what the subclass's call converted.
    before = getattr(self, "_units_given", {}) if id(self) in _CONSTRUCTING else {}
    object.__setattr__(self, "_units_given", {**before, **{k: v for k, v in given.items() if v is not None or k not in before}})
    return bound.args[1:], bound.kwargs


def given_unit(node: Any, name: str) -> Any:
    """The unit a quantity for ``name`` was given in at construction, or ``None`` (a bare number)."""
    return getattr(node, "_units_given", {}).get(name)


def in_units_of(name: str, value: Any, units: str, where: str = "", strict: bool = False) -> Any:
    """``value`` converted to the units a target Variable records (``"mV"``), or a plain number.

    For weights, whose unit is their target's: a ``PoissonInput`` onto ``V`` takes ``0.5 * u.mV``; a
    target without a known unit (or ``"1"``) takes plain numbers only.

    >>> import brainunit as u
    >>> in_units_of("weight", 500 * u.uvolt, "mV")
    0.5

    ``strict=True`` for a value the user gives (a weight, a Runner input): under ``strict_units`` a plain
    number for a target with a unit is refused, as a model's parameter is.
    """
    given = value_unit(value)  # a quantity, a list of them, or an initializer holding them
    if given is None and not (strict and _STRICT["on"]):
        return value
    try:
        unit = u.parse_unit(units) if units and units != "1" else u.UNITLESS
    except Exception:  # noqa: BLE001 - a declaration brainunit cannot read: the value is taken as a plain number
        unit = u.UNITLESS
    try:
        return to_convention(name, value, unit, where, strict)
    except UnitMismatch as err:
        hint = _conductance_hint(value, given, unit)
        if hint:
            raise UnitMismatch(f"{err}: {hint}") from None
        raise


def _conductance_hint(value: Any, given: Any, unit: Any) -> str:
    """What a conductance refused as a plain-number weight means (a COBA weight labelled ``1``), or ``""``.

    A COBA current is ``g * (E - V)`` added to the group's synaptic current, so ``g`` is in that current's unit per
    mV: relative to the leak for a LIF-family group without ``C_m`` (its current is ``R * I`` in mV), nS for a LIF given
    ``C_m`` (pA), mS/cm^2 for HH-type groups (uA/cm^2). (The hint used to tell a ``C_m`` group to divide by g_L, which
    gave it a conductance g_L times too small: a plain number onto such a group is read in nS.)"""
    if given is None or u.get_dim(unit) != u.get_dim(u.UNITLESS):
        return ""
    for target, hint in (
            (u.nS, "a COBA weight is a conductance relative to the leak, g / g_L, onto a group whose current is "
                         "R * I in mV (0.6 nS with g_L = 10 nS is 0.06); onto a LIF given C_m (pF), whose currents are "
                         "in pA, it is in nS{}, and a quantity is taken there as it is"),
            (u.mS / u.cm**2, "a COBA weight onto a group whose currents are densities (uA/cm^2: HH, Morris-Lecar, "
                             "Wang-Buzsaki, CondNeuGroup) is a plain number of mS/cm^2{}")):
        if u.get_dim(given) == u.get_dim(target):
            number = value.to_decimal(target) if is_quantity(value) and np.ndim(value.mantissa) == 0 else None
            return hint.format(f" ({_shown(value)} is {_plain(number, rescaled=True)!r})" if number is not None else "")
    return ""


def conductance_units(current_units: str) -> str:
    """The unit of a conductance ``g`` whose current ``g * (E - V)`` (``V`` in mV) is in ``current_units``: what a
    COBA weight, and the synaptic state summing it, are in onto a group with those synaptic currents.

    >>> conductance_units("mV"), conductance_units("pA"), conductance_units("uA/cm^2"), conductance_units("mV/ms")
    ('1', 'nS', 'mS / cm^2', '1 / ms')

    ``"1"`` (relative to the leak) for the LIF family's ``R * I`` in mV; ``""`` for a current without a known unit.
    """
    if current_units in ("", None):
        return ""
    if current_units == "mV":
        return "1"
    try:
        g = parse_unit(current_units) / u.mV
    except ValueError:
        return ""
    for named in (u.UNITLESS, u.nS, u.uS, u.mS / u.cm**2, u.ms**-1):  # the names a user writes them in
        if u.get_dim(named) == u.get_dim(g) and math.isclose(float((1 * g).to_decimal(named)), 1.0, rel_tol=1e-12):
            return unit_text(named)
    return unit_text(g)


def units_table(classes: Mapping[str, type]) -> str:
    """A Markdown table of the units each class declares (the models guide embeds it; a test keeps it current)."""
    rows = ["| class | parameter units |", "|---|---|"]
    for name, cls in classes.items():
        units = declared_units(cls)
        weight = set(getattr(cls, "weight_params", ()))  # a plasticity rule's amplitudes and bounds
        if units:
            rows.append(f"| `{name}` | " + ", ".join(f"`{k}` " + ("the weight's unit" if k in weight else unit_text(v))
                                                    for k, v in units.items()) + " |")
    return "\n".join(rows)
