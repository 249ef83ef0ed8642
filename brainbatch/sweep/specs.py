"""Parsing of command-line style specs: seeds (``8``, ``3-10``, ``1,5,9``) and ``NAME=V1,V2``."""
from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterator
from typing import Any

import numpy as np

from ..core.checks import is_bool, is_int, is_real
from .errors import UsageError

__all__ = ["parse_seeds", "parse_param", "cast_value", "check_kinds", "as_sequence", "MAX_SEED", "MAX_RUNS"]

_RANGE = re.compile(r"^(\d+)-(\d+)$")
#: Largest seed: a run's key is made from its seed as one unsigned 32-bit word (docs/random.md).
MAX_SEED = 2**32 - 1
#: Most runs one store (so one sweep) may hold; see ``brainbatch.store`` README.
from ..store import MAX_RUNS  # noqa: E402

_SEED_RULE = f"seeds are integers 0..{MAX_SEED}"


def _check_seed(seed: int, spec: Any) -> int:
    if not 0 <= seed <= MAX_SEED:
        raise UsageError(f"bad seed {seed} in {spec!r}: {_SEED_RULE} (the run key takes a 32-bit seed)")
    return seed


def _check_count(n: int, spec: Any) -> None:
    if n > MAX_RUNS:
        lone = " (a lone number is a count; one seed S is written S-S)" if str(spec).strip().isdigit() else ""
        raise UsageError(f"bad seeds {spec!r}: {n} seeds is more than one store holds ({MAX_RUNS} runs){lone}; "
                         "split the sweep into several stores (e.g. --seeds 0-999, then 1000-1999 into another --out)")


#: what a count of 0 (meant as "seed 0") is told
_ZERO_HINT = "a count n is seeds 0..n-1: seed 0 alone is a count of 1, or the range 0-0; seeds=[0] in Python"


def parse_seeds(spec: Any) -> list[int]:
    """Seeds from a count (``8`` -> 0..7), a range (``3-10``, inclusive), a list (``1,5,9``), or in Python a
    list, tuple, ``range`` or 1-d array of seeds.

    >>> parse_seeds("3-5"), parse_seeds(2), parse_seeds("1,5,9"), parse_seeds(range(2, 4))
    ([3, 4, 5], [0, 1], [1, 5, 9], [2, 3])
    """
    if is_bool(spec):
        raise UsageError(f"bad seeds {spec!r}: give a count (8), a range (3-10) or a list (1,5,9)")
    if isinstance(spec, int):
        if spec < 1:
            raise UsageError(f"bad seeds {spec!r}: a seed count must be >= 1 ({_ZERO_HINT})")
        _check_count(spec, spec)
        return list(range(spec))
    spec = as_sequence(spec, "seeds")
    if isinstance(spec, range) or (type(spec).__module__ == "numpy" and getattr(spec, "ndim", None) == 1):
        _check_count(len(spec), spec)  # before the list is made: range(10**12) must not run out of memory
        spec = list(spec)  # seeds=range(3), or an array of seeds: the seeds it holds
    if isinstance(spec, (list, tuple)):
        _check_count(len(spec), spec)
        listed: list[int] = []
        for s in spec:
            if not is_int(s) or s < 0:
                raise UsageError(f"bad seed {s!r}: {_SEED_RULE}")
            listed.append(_check_seed(int(s), spec))
        return _unique(listed, spec)
    text = str(spec).strip()
    help_ = "give a count (8 = seeds 0..7), a range (3-10) or a list (1,5,9)"
    if text.isascii() and text.isdigit():
        n = int(text)
        if n < 1:
            raise UsageError(f"bad seeds {spec!r}: a seed count must be >= 1 ({_ZERO_HINT})")
        _check_count(n, spec)  # before the list is made: a huge count must not hang or run out of memory
        return list(range(n))
    seeds: list[int] = []
    for part in text.split(","):
        part = part.strip()
        m = _RANGE.match(part) if part.isascii() else None
        if m:
            lo, hi = int(m.group(1)), int(m.group(2))
            if hi < lo:
                raise UsageError(f"bad seeds {spec!r}: range {part!r} ends before it starts")
            _check_seed(hi, spec)
            _check_count(len(seeds) + hi - lo + 1, spec)
            seeds.extend(range(lo, hi + 1))
        elif part.isascii() and part.isdigit() and "," in text:
            seeds.append(_check_seed(int(part), spec))
            _check_count(len(seeds), spec)
        else:
            raise UsageError(f"bad seeds {spec!r}: {help_}; {_SEED_RULE}")
    return _unique(seeds, spec)


def as_sequence(values: Any, what: str) -> Any:
    """``values`` as given, but an array of another library (JAX, pandas, xarray: ``__array__``) as a NumPy array; a
    set, or a generator or other one-pass iterator, refused in one line naming ``what``: a set has no order (the store's
    axis has one, and Python's order of a set of numbers is no promise), and an iterator is used up by the first look
    at it (a plan, then its dry run, would see different values)."""
    if isinstance(values, (set, frozenset)):
        raise UsageError(f"{what} {values!r}: a set has no order, and a store's axis has one; give a list in the "
                         "order wanted (e.g. sorted(...))")
    if isinstance(values, Iterator) and not isinstance(values, (str, bytes)):
        raise UsageError(f"{what} {values!r}: a generator or iterator is used up once read; give a list (list(...))")
    if not isinstance(values, (str, bytes)) and type(values).__module__.split(".")[0] != "numpy" \
            and hasattr(values, "__array__") and not hasattr(values, "mantissa"):  # not a quantity: its unit counts
        try:
            return np.asarray(values)
        except Exception:  # noqa: BLE001 - not an array after all: the caller says what is allowed
            return values
    return values


def _twice(items: list) -> str:
    """The items that appear more than once, in order, the first few (``"3, 4"``)."""
    twice = [item for item, n in Counter(items).items() if n > 1]
    return ", ".join(map(str, twice[:5])) + (f" and {len(twice) - 5} more" if len(twice) > 5 else "")


def _unique(seeds: list[int], spec: Any) -> list[int]:
    if not seeds:
        raise UsageError(f"bad seeds {spec!r}: no seeds")
    if len(set(seeds)) != len(seeds):  # named: in '0-99,50-60' the overlap is not plain to see
        raise UsageError(f"bad seeds {spec!r}: a seed appears twice ({_twice(seeds)}); list each seed once")
    return seeds


#: A number written plainly: ``12``, ``-3``, ``0.5``, ``1e-3``, ``.5``; not ``007`` (an id), ``0x1f`` or ``nan``.
_NUMBER = re.compile(r"^[+-]?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?$|^[+-]?\.[0-9]+(?:[eE][+-]?[0-9]+)?$")
#: Integers a store coordinate (int64) can hold.
_INT64 = (-(2**63), 2**63 - 1)


_ANOTHER = re.compile(r"^[A-Za-z_]\w*\s*=")


def cast_value(text: Any, default: Any, name: str) -> Any:
    """Parse one value for parameter ``name``, typed like its default (docs/experiments.md, "Parameter values").

    A text default keeps the text as written (``007`` stays ``"007"``); a float default takes any
    finite number, an int default an integer, a bool default ``true``/``false``. A parameter
    without a typed default (``None``, or ``build(**kw)``) takes text as a number only when it is
    one written plainly (``12``, ``0.5``, ``1e-3``), else keeps the text.

    >>> cast_value("007", "a", "label"), cast_value("007", None, "gain"), cast_value("2", 1.0, "we")
    ('007', '007', 2.0)
    """
    if isinstance(default, str) and not is_bool(default):
        if isinstance(text, str):
            return text
        raise UsageError(f"parameter {name!r} is text (its default is {default!r}), got {text!r}")
    value = text
    if isinstance(text, str):
        text = text.strip()
        if text == "":
            raise UsageError(f"empty value for parameter {name!r}")
        if _ANOTHER.match(text):  # -p n_exc=400,n_inh=100: two parameters in one -p
            other = text.partition("=")[0].strip()
            raise UsageError(f"parameter {name!r} got the value {text!r}, which names another parameter; give "
                             f"each parameter its own -p: -p {name}=... -p {other}=...")
        if is_bool(default):
            low = text.lower()
            if low not in ("true", "false"):
                raise UsageError(f"parameter {name!r} is a boolean (true/false), got {text!r}")
            return low == "true"
        if isinstance(default, (int, float)):
            value = _number(text, name, default)
        else:  # untyped: a plain number, or the text itself
            return _number(text, name, None) if _NUMBER.match(text) else text
    if is_bool(default):
        if is_bool(value):
            return value
        raise UsageError(f"parameter {name!r} is a boolean (true/false), got {text!r}")
    if isinstance(default, (int, float)) and not is_bool(default) and is_bool(value):
        raise UsageError(f"parameter {name!r} takes numbers, got {text!r} (its default is {default!r})")
    if isinstance(default, float) and is_real(value) and not is_bool(value):
        return float(value)
    if is_int(default):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not is_int(value) or is_bool(value):
            raise UsageError(f"parameter {name!r} is an integer, got {text!r}")
        _fits(int(value), name, text)
    if isinstance(default, (int, float)) and not isinstance(value, (int, float)):
        raise UsageError(f"parameter {name!r} takes numbers, got {text!r}")
    return value


def _fits(value: int, name: str, text: Any) -> int:
    if not _INT64[0] <= value <= _INT64[1]:
        shown = text if len(str(text)) <= 40 else f"{str(text)[:20]}...({len(str(text))} digits)"
        raise UsageError(f"parameter {name!r}: {shown} does not fit a 64-bit integer "
                         f"({_INT64[0]}..{_INT64[1]})")
    return value


def _number(text: str, name: str, default: Any) -> int | float:
    """``text`` as a number (an int where it is written as one and the default is not a float)."""
    if len(text) > 100:  # int() of thousands of digits is slow, and no parameter needs them
        raise UsageError(f"parameter {name!r}: {text[:20]}...({len(text)} characters) is not a usable number")
    if not isinstance(default, float):
        try:
            whole = int(text)
        except ValueError:
            whole = None
        if whole is not None:
            return _fits(whole, name, text)
    try:
        value = float(text)
    except ValueError:
        kind = "an integer" if is_int(default) else "a number"
        raise UsageError(f"parameter {name!r} takes {kind}, got {text!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise UsageError(f"parameter {name!r} must be finite, got {text!r}")
    if value == 0 and any(c in "123456789" for c in text.lower().partition("e")[0]):
        # 1e-400 reads as 0.0: the runs would get 0 under the label of the value written
        raise UsageError(f"parameter {name!r}: {text} is too small for a number (it reads as 0); give 0 or a "
                         f"value of magnitude at least {sys.float_info.min:.4g}")
    return value


def check_kinds(name: str, values: list) -> None:
    """One parameter's values are all numbers, all text or all booleans (a store coordinate has one type)."""
    kinds = {"text" if isinstance(v, str) else "true/false" if is_bool(v) else "numbers" if is_real(v)
             else type(v).__name__ for v in values}
    if len(kinds) > 1:
        shown = ", ".join(repr(v) for v in values[:6])
        raise UsageError(f"parameter {name!r} mixes {' and '.join(sorted(kinds))} ({shown}): give values of one "
                         "kind; a parameter without a typed default reads a value as a number only when it is "
                         "written as one (12, 0.5, 1e-3), and as text otherwise")


def parse_param(spec: str) -> tuple[str, list[str]]:
    """``"we=0.4,0.6"`` -> ``("we", ["0.4", "0.6"])``; errors name the bad spec.

    >>> parse_param("we=0.4,0.6")
    ('we', ['0.4', '0.6'])
    """
    if not isinstance(spec, str) or "=" not in spec:
        raise UsageError(f"bad parameter {spec!r}: write NAME=V1,V2,... (e.g. -p we=0.4,0.6)")
    name, _, values = spec.partition("=")
    name = name.strip()
    if not name.isidentifier():
        raise UsageError(f"bad parameter name {name!r} in {spec!r}")
    parts = [v.strip() for v in values.split(",")]
    if not values.strip() or any(p == "" for p in parts):
        raise UsageError(f"bad parameter {spec!r}: empty value (write NAME=V1,V2,...)")
    if len(set(parts)) != len(parts):
        raise UsageError(f"bad parameter {spec!r}: a value appears twice ({_twice(parts)}); list each value once")
    return name, parts
