"""Parsing of command-line style specs: seeds (``8``, ``3-10``, ``1,5,9``) and ``NAME=V1,V2``."""
from __future__ import annotations

import re
from typing import Any

from ..core.checks import is_bool, is_int, is_real
from .errors import UsageError

__all__ = ["parse_seeds", "parse_param", "cast_value", "MAX_SEED", "MAX_RUNS"]

_RANGE = re.compile(r"^(\d+)-(\d+)$")
#: Largest seed: a run's key is made from its seed as one unsigned 32-bit word (docs/random.md).
MAX_SEED = 2**32 - 1
#: Most runs one store (so one sweep) may hold; see ``brainbatch.store`` README.
from ..store._spec import MAX_RUNS  # noqa: E402

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


def parse_seeds(spec: Any) -> list[int]:
    """Seeds from a count (``8`` -> 0..7), a range (``3-10``, inclusive) or a list (``1,5,9``).

    >>> parse_seeds("3-5"), parse_seeds(2), parse_seeds("1,5,9")
    ([3, 4, 5], [0, 1], [1, 5, 9])
    """
    if is_bool(spec):
        raise UsageError(f"bad seeds {spec!r}: give a count (8), a range (3-10) or a list (1,5,9)")
    if isinstance(spec, int):
        if spec < 1:
            raise UsageError(f"bad seeds {spec!r}: a seed count must be >= 1")
        _check_count(spec, spec)
        return list(range(spec))
    if isinstance(spec, (list, tuple)):
        _check_count(len(spec), spec)
        seeds = []
        for s in spec:
            if not is_int(s) or s < 0:
                raise UsageError(f"bad seed {s!r}: {_SEED_RULE}")
            seeds.append(_check_seed(int(s), spec))
        return _unique(seeds, spec)
    text = str(spec).strip()
    help_ = "give a count (8 = seeds 0..7), a range (3-10) or a list (1,5,9)"
    if text.isascii() and text.isdigit():
        n = int(text)
        if n < 1:
            raise UsageError(f"bad seeds {spec!r}: a seed count must be >= 1")
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


def _unique(seeds: list[int], spec: Any) -> list[int]:
    if not seeds:
        raise UsageError(f"bad seeds {spec!r}: no seeds")
    if len(set(seeds)) != len(seeds):
        raise UsageError(f"bad seeds {spec!r}: a seed appears twice")
    return seeds


def cast_value(text: Any, default: Any, name: str) -> Any:
    """Parse one value for parameter ``name``, typed like its default (float default -> float)."""
    if not isinstance(text, str):
        value = text
    else:
        value = _literal(text.strip(), name)
    if is_bool(default):
        if is_bool(value):
            return value
        raise UsageError(f"parameter {name!r} is a boolean (true/false), got {text!r}")
    if isinstance(default, float) and is_real(value):
        return float(value)
    if is_int(default):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if not is_int(value):
            raise UsageError(f"parameter {name!r} is an integer, got {text!r}")
    if isinstance(default, (int, float)) and not isinstance(value, (int, float)):
        raise UsageError(f"parameter {name!r} takes numbers, got {text!r}")
    return value


def _literal(text: str, name: str) -> Any:
    if text == "":
        raise UsageError(f"empty value for parameter {name!r}")
    low = text.lower()
    if low in ("true", "false"):
        return low == "true"
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return text
    if value != value or value in (float("inf"), float("-inf")):
        raise UsageError(f"parameter {name!r} must be finite, got {text!r}")
    return value


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
        raise UsageError(f"bad parameter {spec!r}: a value appears twice")
    return name, parts
