"""Display names for nodes.

Names are for humans: nothing stored depends on them. Automatic names come from one small counter per
class name, so building ten thousand models in one process keeps no growing registry (BrainPy kept
every name it ever handed out in a global dict and refused to reuse one).
"""
from __future__ import annotations

import itertools
import re

_counters: dict[str, itertools.count] = {}
_VALID = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")


def unique_name(name: str | None = None, type_: str | None = None) -> str:
    """Return ``name`` after checking it, or a fresh ``"<type_><k>"``.

    >>> unique_name("E")
    'E'
    >>> unique_name(type_="LIF").startswith("LIF")
    True
    """
    if name is not None:
        if not isinstance(name, str) or not _VALID.match(name):
            raise ValueError(
                f"name must be a string of letters, digits, '_' or '-' that starts with a letter or '_', got {name!r}"
            )
        return name
    type_ = type_ or "Node"
    counter = _counters.setdefault(type_, itertools.count())
    return f"{type_}{next(counter)}"
