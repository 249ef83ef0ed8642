"""The sampled design of a store in words, for ``brainbatch show``: read from its attributes, no scipy needed."""
from __future__ import annotations

from typing import Any

#: Points ``show`` lists.
SHOWN_POINTS = 5


def design_lines(ds: Any) -> list[str]:
    """Lines describing ``ds.attrs["design"]`` (none for a grid store): sampler, ranges, first points.

    >>> design_lines(type("D", (), {"attrs": {}})())
    []
    """
    design = ds.attrs.get("design")
    if not isinstance(design, dict):
        return []
    try:
        n = int(design.get("samples", 0))
    except (TypeError, ValueError):  # hand-edited: show what the store holds
        n = 0
    lines = [f"design: {design.get('sampler')}, {n} samples, sample seed {design.get('sample_seed')} "
             f"({design.get('rule', '')})"]
    ranges = design.get("ranges")
    ranges = ranges if isinstance(ranges, dict) else {}
    for name, r in ranges.items():
        if not isinstance(r, dict):
            continue
        kind = ("log-uniform" if r.get("scale") == "log" else "uniform") + (", integers" if r.get("integer") else "")
        unit = _unit(ds[name]) if name in ds.coords else ""
        lines.append(f"  {name}: {r.get('low')}:{r.get('high')}{unit} ({kind}); coordinate {name}(sample)")
    if not design.get("extendable", True):
        lines.append(f"  cannot be extended: {design.get('not_extendable_because', '')}")
    names = [k for k in ranges if k in ds.coords]
    for i in range(min(n, SHOWN_POINTS, ds.sizes.get("sample", 0))):  # never past the points the store holds
        point = ", ".join(f"{k}={_value(ds[k].values[i].item())}{_unit(ds[k])}" for k in names)
        lines.append(f"  sample {i}: {point}")
    if n > SHOWN_POINTS:
        lines.append(f"  ... ({n - SHOWN_POINTS} more)")
    return lines


def _unit(coord: Any) -> str:
    """`` ms`` for a coordinate with a CF units attribute (docs/units.md: swept values keep their unit)."""
    unit = coord.attrs.get("units", "")
    return f" {unit}" if unit else ""


def _value(v: object) -> str:
    return f"{v:.6g}" if isinstance(v, float) else str(v)
