"""Small checked contracts of the core: allowed choices, and the invalid-state checks nodes declare.

A node declares a check with ``declare_init_check(var_name, message)`` on a bool Variable: after the
model is initialised (``reset()``), a set flag in any element means the model is invalid (e.g. a
connectivity row needed more synapses than its static bound) and the runner stops with ``message``.
The check is declared where the flag is made, not guessed from a variable's name.
"""
from __future__ import annotations

from typing import Any

from .errors import did_you_mean

__all__ = ["check_choice", "init_checks"]


def check_choice(what: str, value: Any, allowed: tuple) -> Any:
    """``value`` if it is one of ``allowed``, else a ``ValueError`` that lists them.

    >>> check_choice("update_phase", "deliver", ("deliver", "dynamics"))
    'deliver'
    """
    if value not in allowed:
        hint = did_you_mean(value, allowed) if isinstance(value, str) else ""
        raise ValueError(f"{what} must be one of {', '.join(map(repr, allowed))}, got {value!r}.{hint}".rstrip("."))
    return value


def init_checks(root) -> dict[str, str]:
    """``{variable path: message}`` of the init checks declared by the nodes under ``root``."""
    paths = {id(var): path for path, var in root.vars().items()}
    out = {}
    for node in root.nodes().values():
        for attr, message in getattr(node, "_init_checks", {}).items():
            var = node.__dict__.get(attr)
            if var is not None and id(var) in paths:
                out[paths[id(var)]] = message
    return out
