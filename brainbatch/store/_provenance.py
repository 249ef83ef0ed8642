"""Package versions and timestamps written into a store's root attributes."""
from __future__ import annotations

import math
import re

import platform
from datetime import datetime, timezone
from importlib import metadata
from typing import Any


def now() -> str:
    """Current UTC time, ISO 8601 to the second.

    >>> now().endswith("+00:00")
    True
    """
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def versions() -> dict[str, str]:
    """Versions of brainbatch and of the packages that wrote the store ('unknown' when not installed)."""
    out = {}
    for pkg in ("brainbatch", "zarr", "xarray", "numpy", "dask"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "unknown"
    out["python"] = platform.python_version()
    return out


#: The integers every strict JSON reader holds exactly: serde_json (zarrs) and nlohmann (tensorstore) parse into a
#: 64-bit signed or unsigned integer and turn a larger one into a rounded float, or refuse it.
JSON_INTEGERS = (-(2**63), 2**64 - 1)
#: The key of the one-key object that holds an integer beyond ``JSON_INTEGERS`` as its decimal text.
BIG_INTEGER = "integer"


def jsonable(value: Any) -> Any:
    """``value`` made storable as a Zarr attribute: numpy scalars/arrays, tuples and paths to JSON types.

    >>> import numpy as np
    >>> jsonable({"a": np.float32(0.5), "b": (1, 2), "c": np.arange(2)})
    {'a': 0.5, 'b': [1, 2], 'c': [0, 1]}
    >>> jsonable([float("inf"), np.float64("nan")])  # JSON has neither: Zarr v3's strings for them
    ['Infinity', 'NaN']
    >>> jsonable(2**70)  # beyond 64 bits: its digits, marked (``attribute_value`` reads it back)
    {'integer': '1180591620717411303424'}
    """
    import numpy as np

    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, np.generic):
        return jsonable(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        # JSON has no NaN or infinity (strict parsers refuse Python's bare NaN): Zarr v3's own spelling
        return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, int) and not isinstance(value, bool) and not JSON_INTEGERS[0] <= value <= JSON_INTEGERS[1]:
        # a build() default of 2**70 was written as a JSON number past 64 bits, which strict readers of other Zarr
        # implementations round or refuse: its exact digits as text, marked so a reader gives back the integer
        try:
            return {BIG_INTEGER: str(value)}
        except ValueError:  # past Python's limit on decimal digits (4300): in hexadecimal, which has none
            return {BIG_INTEGER: hex(value)}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)  # paths, devices, versions objects: their text is what a reader needs


def attribute_value(value: Any) -> Any:
    """``value`` as read from a store's attributes with each integer ``jsonable`` wrote as marked text (one beyond
    64 bits) an integer again; everything else as it is.

    >>> attribute_value({"n": {"integer": "1180591620717411303424"}, "m": {"integer": "5"}})
    {'n': 1180591620717411303424, 'm': {'integer': '5'}}
    """
    if isinstance(value, dict):
        text = value.get(BIG_INTEGER)
        if len(value) == 1 and isinstance(text, str) and re.fullmatch(r"-?(?:[0-9]+|0x[0-9a-f]+)", text):
            try:
                number = int(text, 0)
            except ValueError:  # leading zeros, too many digits: not what jsonable writes
                number = 0
            if not JSON_INTEGERS[0] <= number <= JSON_INTEGERS[1]:  # only what jsonable writes so: a dict stays one
                return number
        return {k: attribute_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [attribute_value(v) for v in value]
    return value


def generation_of(attrs: Any) -> str | None:
    """A store's generation as its root attributes hold it: a non-empty text, else None (absent, or edited to
    something else: a new one is written at the next sweep)."""
    value = attrs.get("generation") if isinstance(attrs, dict) else None
    return value if isinstance(value, str) and value else None


def sources_seen_of(attrs: Any) -> list[str]:
    """Every experiment source (``source_hash``) a store's kept runs were computed by, oldest first, the current
    one last (root attribute ``sources_seen``; a store from before it lists its current source only)."""
    if not isinstance(attrs, dict):
        return []
    seen = attrs.get("sources_seen")
    seen = [str(s) for s in seen if isinstance(s, str) and s] if isinstance(seen, list) else []
    current = attrs.get("source_hash")
    if isinstance(current, str) and current and current not in seen:
        seen.append(current)
    return seen


def versions_seen_of(attrs: Any) -> list[dict]:
    """Every (brainbatch, jax) version pair a store's runs were computed with, oldest first (root attribute
    ``versions_seen``; a store from before it lists its last recorded pair)."""
    if not isinstance(attrs, dict):
        return []
    seen = attrs.get("versions_seen")
    if isinstance(seen, list):
        return [dict(x) for x in seen if isinstance(x, dict)]
    return [version_pair(attrs.get("versions"), attrs.get("provenance"))]


def version_pair(versions: Any, provenance: Any) -> dict:
    """``{"brainbatch", "jax"}`` from a store's ``versions`` and ``provenance`` attributes (None where absent), and
    ``"platform"`` (``"cpu"``, ``"gpu"``...) where the provenance records the kind of device the runs were computed
    on: rounding differs between kinds as between versions (docs/random.md), so a run continued on another is
    recorded as one continued after an upgrade is."""
    pair = {"brainbatch": versions.get("brainbatch") if isinstance(versions, dict) else None,
            "jax": provenance.get("jax_version") if isinstance(provenance, dict) else None}
    platform = provenance.get("platform") if isinstance(provenance, dict) else None
    if isinstance(platform, str) and platform:
        pair["platform"] = platform
    return pair


def same_versions(a: Any, b: Any) -> bool:
    """Whether two entries of ``versions_seen`` name the same computation: the same brainbatch and jax, on the same
    kind of device where both record it (entries written before the platform was recorded have none).

    >>> same_versions({"brainbatch": "1", "jax": "2"}, {"brainbatch": "1", "jax": "2", "platform": "cpu"})
    True
    >>> same_versions({"brainbatch": "1", "jax": "2", "platform": "gpu"}, {"brainbatch": "1", "jax": "2", "platform": "cpu"})
    False
    """
    if not isinstance(a, dict) or not isinstance(b, dict):
        return False
    if (a.get("brainbatch"), a.get("jax")) != (b.get("brainbatch"), b.get("jax")):
        return False
    return "platform" not in a or "platform" not in b or a["platform"] == b["platform"]


def versions_text(pair: Any) -> str:
    """One entry of ``versions_seen`` in words: ``brainbatch 0.1.0 and jax 0.4.30 on cpu``."""
    pair = pair if isinstance(pair, dict) else {}
    text = f"brainbatch {pair.get('brainbatch')} and jax {pair.get('jax')}"
    return f"{text} on {pair['platform']}" if pair.get("platform") else text
