"""The checkers every layer above core uses, and the invalid-state checks nodes declare.

One rule each: ``is_int`` (an integer, never a bool: ``True`` is an ``int`` to Python but never a
count here), ``is_real``, ``is_traced`` (a value being traced by a JAX transform, so it cannot size a
buffer or be checked now), ``check_int``/``check_bool``/``check_choice`` (a one-line error naming the
bad value and what is allowed, with a close match for a misspelled name). The store layer never
imports jax, so it keeps its own jax-free copy of the same rules (``store/_errors.py``).

A node declares a check with ``declare_init_check(var_name, message)`` on a bool Variable: after the
model is initialised (``reset()``), a set flag in any element means the model is invalid (e.g. a
connectivity row needed more synapses than its static bound) and the runner stops with ``message``.
The check is declared where the flag is made, not guessed from a variable's name.
"""
from __future__ import annotations

import numbers
from typing import Any

import jax
import numpy as np

from .errors import did_you_mean

__all__ = ["is_bool", "is_int", "is_real", "is_traced", "check_int", "check_bool", "check_choice", "init_checks"]


def is_int(value: Any) -> bool:
    """An integer (Python or NumPy), never a bool.

    >>> is_int(3), is_int(np.int32(3)), is_int(True), is_int(3.0)
    (True, True, False, False)
    """
    return isinstance(value, (int, np.integer)) and not is_bool(value)


def is_bool(value: Any) -> bool:
    """A Python or NumPy bool (which Python would otherwise take for the integers 0 and 1).

    >>> is_bool(True), is_bool(np.True_), is_bool(1)
    (True, True, False)
    """
    return isinstance(value, (bool, np.bool_))


def is_real(value: Any) -> bool:
    """A real number (int or float, Python or NumPy), never a bool.

    >>> is_real(0.5), is_real(2), is_real(False), is_real("1")
    (True, True, False, False)
    """
    return isinstance(value, (numbers.Real, np.integer, np.floating)) and not is_bool(value)


def is_traced(value: Any) -> bool:
    """True while ``value`` (or any leaf of it) is traced by a JAX transform: it has no concrete value yet.

    >>> is_traced(1.0), is_traced([np.zeros(2)])
    (False, False)
    """
    return any(isinstance(leaf, jax.core.Tracer) for leaf in jax.tree_util.tree_leaves(value))


def check_int(what: str, value: Any, *, minimum: int | None = None, maximum: int | None = None,
              none: bool = False, exc: type = ValueError, allowed: str | None = None) -> Any:
    """``value`` as an ``int`` if it is an integer in ``[minimum, maximum]`` (or ``None`` when ``none``).

    ``exc`` is the error raised (``ValueError`` unless the caller's contract says ``TypeError``);
    ``allowed`` replaces the default description of what is allowed in the message.

    >>> check_int("batch_size", 4, minimum=1)
    4
    >>> check_int("batch_size", True, minimum=1)
    Traceback (most recent call last):
    ValueError: batch_size must be an integer >= 1, got True
    """
    if value is None and none:
        return None
    ok = is_int(value) and (minimum is None or value >= minimum) and (maximum is None or value <= maximum)
    if not ok:
        if allowed is None:
            bounds = [f">= {minimum}"] if minimum is not None else []
            bounds += [f"<= {maximum}"] if maximum is not None else []
            allowed = "an integer" + (" " + " and ".join(bounds) if bounds else "")
            allowed = ("None or " if none else "") + allowed
        raise exc(f"{what} must be {allowed}, got {value!r}")
    return int(value)


def check_bool(what: str, value: Any, exc: type = TypeError) -> bool:
    """``value`` if it is ``True`` or ``False`` (NumPy's bools too), else an error naming it.

    >>> check_bool("keep_size", False)
    False
    """
    if not is_bool(value):
        raise exc(f"{what} must be True or False, got {value!r}")
    return bool(value)


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
