"""Which variables may hold NaN in a done run: the user's explicit allowance (docs/store.md, "When a run is done").

By default a NaN or an Inf in any float record or state fails the run. An allowance relaxes that rule,
and only that rule, for named variables or for all of them (NaN and Inf alike: a blow-up reaches Inf
before NaN, and a parameter corner that makes one makes the other): the experiment's ``allow_nan``
(``True`` or a list of names), ``sweep(..., allow_nan=...)`` or ``--allow-nan [all|NAME,...]``. A name is a
record (``"V"``) or a state path (``"G.V"``); naming one covers the other when the record monitors that
state. The store records the allowance (provenance ``allow_nan``: ``"all"`` or a sorted list, ``[]`` for
none) and refuses a sweep under another one unless forced.

>>> normalize("all"), normalize(None), normalize("V_E, E.V")
('all', (), ('E.V', 'V_E'))
>>> expand(("V",), {"V": "G.V", "spikes": "G.spike"})
('G.V', 'V')
"""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from ..errors import did_you_mean
from .errors import UsageError

__all__ = ["normalize", "check_names", "expand", "recorded", "allows", "describe", "first_nonfinite"]


def normalize(value: Any, what: str = "allow_nan") -> str | tuple[str, ...]:
    """``"all"`` or a sorted tuple of names from what a user wrote (``True``, ``"all"``, ``"a,b"``, a list)."""
    if value is None or value is False:
        return ()
    if value is True:
        return "all"
    if isinstance(value, str):
        value = [part for part in value.split(",")]
    if not isinstance(value, (list, tuple, set, frozenset)) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{what} must be True, 'all' or a list of record / state names (e.g. ['V', 'E.V']), "
                         f"got {value!r}")
    names = {v.strip() for v in value}
    if "" in names:
        raise UsageError(f"{what} has an empty name in {value!r}; give 'all' or names separated by commas")
    if "all" in names:
        if len(names) > 1:
            raise UsageError(f"{what} is either 'all' or a list of names, got {sorted(names)!r}")
        return "all"
    return tuple(sorted(names))


def check_names(allow: str | tuple[str, ...], records: Iterable[str], states: Iterable[str],
                what: str = "allow_nan") -> None:
    """Each allowed name must be a record or a float state of the experiment (one line, a close match)."""
    if allow == "all":
        return
    known = sorted({*records, *states})
    for name in allow:
        if name not in known:
            # 'ALL' is no name either: the hint and the list offer 'all' too (it listed only the names)
            raise UsageError(f"{what} names {name!r}, which is no record or state of this experiment."
                             f"{did_you_mean(name, [*known, 'all'])} Records and states: {', '.join(known) or '(none)'}"
                             "; or 'all' for every one")


def expand(allow: str | tuple[str, ...], targets: dict[str, str]) -> str | tuple[str, ...]:
    """The allowance with each named record's state and each named state's records added (``targets``:
    record name -> the state path it monitors): a NaN in a record is a NaN in its state too."""
    if allow == "all":
        return "all"
    names = set(allow)
    names |= {targets[n] for n in allow if n in targets}
    names |= {r for r, path in targets.items() if path in allow}
    return tuple(sorted(names))


def recorded(value: Any) -> str | tuple[str, ...]:
    """The allowance a store's provenance records (absent in stores made before allowances: none)."""
    if value == "all":
        return "all"
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return tuple(sorted(value))
    return ()


def allows(allow: str | tuple[str, ...], name: str) -> bool:
    """Whether a NaN or an Inf in ``name`` is allowed.

    >>> allows("all", "V"), allows(("V",), "V"), allows((), "V")
    (True, True, False)
    """
    return allow == "all" or name in allow


def describe(allow: Any) -> str:
    """The allowance in words, for ``show`` and errors.

    >>> describe("all"), describe(["V"]), describe([])
    ('all variables', 'V', 'none (a NaN fails the run)')
    """
    allow = recorded(allow)
    if allow == "all":
        return "all variables"
    return ", ".join(allow) if allow else "none (a NaN fails the run)"


def first_nonfinite(arr: np.ndarray) -> dict[int, tuple[int, str]]:
    """``{lane: (sample, "NaN" | "Inf")}``: the first sample holding NaN or Inf of each lane of a float
    record chunk ``(lanes, samples, ...)`` (lanes without any are left out), so an error names the time
    it went wrong, not the chunk's start.

    >>> first_nonfinite(np.array([[[0.0], [np.inf], [np.nan]], [[1.0], [2.0], [3.0]]]))
    {0: (1, 'Inf')}
    """
    lanes, samples = arr.shape[0], arr.shape[1]
    flat = arr.reshape(lanes, samples, -1) if arr.size else np.zeros((lanes, samples, 0), arr.dtype)
    bad: np.ndarray = np.logical_not(np.isfinite(flat).all(axis=2))
    out: dict[int, tuple[int, str]] = {}
    for lane in np.flatnonzero(bad.any(axis=1)):
        sample = int(np.argmax(bad[lane]))
        out[int(lane)] = (sample, "NaN" if np.isnan(flat[lane, sample]).any() else "Inf")
    return out
