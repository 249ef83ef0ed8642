"""The checkers every layer above core uses, and the invalid-state checks nodes declare.

One rule each: ``is_int`` (an integer, never a bool: ``True`` is an ``int`` to Python but never a
count here), ``is_real``, ``is_traced`` (a value being traced by a JAX transform, so it cannot size a
buffer or be checked now), ``check_int``/``check_bool``/``check_choice`` (a one-line error naming the
bad value and what is allowed, with a close match for a misspelled name). All but ``is_traced`` live
once in the jax-free leaf ``brainbatch/errors.py``, which the store imports too; they are re-exported here.

A node declares a check with ``declare_init_check(var_name, message)`` on a bool Variable: after the
model is initialised (``reset()``), a set flag in any element means the model is invalid (e.g. a
connectivity row needed more synapses than its static bound) and the runner stops with ``message``.
The check is declared where the flag is made, not guessed from a variable's name.
"""
from __future__ import annotations

from typing import Any

import jax
import numpy as np

from ..errors import check_bool as check_bool
from ..errors import check_choice as check_choice
from ..errors import check_int as check_int
from ..errors import is_bool as is_bool
from ..errors import is_int as is_int
from ..errors import is_real as is_real

__all__ = ["is_bool", "is_int", "is_real", "is_traced", "fits_shape", "beyond_float32", "refuse_beyond_float32", "check_int", "check_bool", "check_choice",
           "init_checks", "register_wiring_check", "check_wiring"]


def is_traced(value: Any) -> bool:
    """True while ``value`` (or any leaf of it) is traced by a JAX transform: it has no concrete value yet.

    >>> is_traced(1.0), is_traced([np.zeros(2)])
    (False, False)
    """
    return any(isinstance(leaf, jax.core.Tracer) for leaf in jax.tree_util.tree_leaves(value))


def fits_shape(shape: Any, target: Any) -> bool:
    """Whether a value of ``shape`` broadcasts into ``target`` without growing it (one value, or one per element).

    >>> fits_shape((3,), (2, 3)), fits_shape((2,), (2, 3)), fits_shape((2, 3), (3,))
    (True, False, False)
    """
    target = tuple(target)
    try:
        return tuple(np.broadcast_shapes(tuple(shape), target)) == target
    except ValueError:
        return False


#: the largest float32: a finite Python number above it becomes inf in the model (every state is float32)
FLOAT32_MAX = float(np.finfo(np.float32).max)


def beyond_float32(numbers: Any) -> bool:
    """Whether finite ``numbers`` (concrete, float64) hold one too large for float32, where it becomes inf.

    >>> beyond_float32(np.array([1e38, -1e39])), beyond_float32(3e38)
    (True, False)
    """
    arr = np.abs(np.asarray(numbers, dtype=np.float64))
    return bool(np.any(np.isfinite(arr) & (arr > FLOAT32_MAX)))


def refuse_beyond_float32(name: str, numbers: Any, value: Any, largest: bool = False) -> None:
    """Raise a ``ValueError`` naming ``name`` when ``numbers`` (``value`` read as float64) hold one that is finite
    but beyond float32: it passed as finite, then became inf in the model (NaN states, a spike every step). The
    message shows ``value``, or with ``largest`` (a long array) its largest magnitude.

    >>> refuse_beyond_float32("tau", 1e39, 1e39)
    Traceback (most recent call last):
    ...
    ValueError: tau is too large for float32 (at most 3.4e+38 in magnitude, the model would hold inf), got 1e+39
    """
    arr = np.asarray(numbers, dtype=np.float64)
    if not beyond_float32(arr):
        return
    where = f": it holds {float(np.max(np.abs(arr))):.3g}" if largest else f", got {value!r}"
    raise ValueError(f"{name} is too large for float32 (at most 3.4e+38 in magnitude, the model would hold inf){where}")


def init_checks(root: Any) -> dict[str, str]:
    """``{variable path: message}`` of the init checks declared by the nodes under ``root``."""
    paths = {id(var): path for path, var in root.vars().items()}
    out = {}
    for node in root.nodes().values():
        for attr, message in getattr(node, "_init_checks", {}).items():
            var = node.__dict__.get(attr)
            if var is not None and id(var) in paths:
                out[paths[id(var)]] = message
    return out


#: Checks of how a model's nodes are wired (``fn(root)``, raising on a model that cannot run as written),
#: registered by the node families that define a rule (the projections: models/projections), so that the
#: runner checks every model without importing what a model does not use.
_WIRING_CHECKS: list[Any] = []


def register_wiring_check(fn: Any) -> Any:
    """Add ``fn(root)`` to the checks ``check_wiring`` runs (a decorator; each function once)."""
    if fn not in _WIRING_CHECKS:
        _WIRING_CHECKS.append(fn)
    return fn


def check_wiring(root: Any) -> None:
    """Run every registered wiring check on the model ``root`` (when it is built for a run)."""
    for fn in _WIRING_CHECKS:
        fn(root)
