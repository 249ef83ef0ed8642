"""State dicts and their files (``.npz``, ``.zarr``), keyed by relative variable paths.

``StateMixin`` gives a node its ``state_dict``/``load_state_dict``/``save_states``/``load_states``
methods; the functions below are the rules they follow.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, NamedTuple, cast
import os
import warnings
import jax
import jax.numpy as jnp
import numpy as np

from .checks import is_traced
from .errors import did_you_mean, unknown_name_error
from .graph import GraphNode
from .variable import Variable, _as_array

_FORMATS = (".npz", ".zarr")


class StateLoadResult(NamedTuple):
    """What loading states returns, as BrainPy's: a pair ``(missing_keys, unexpected_keys)`` that also names
    them (``result.missing_keys``; a plain tuple raised AttributeError there).

    >>> r = StateLoadResult(["E.V"], []); r.missing_keys, r == (["E.V"], [])
    (['E.V'], True)
    """

    missing_keys: list[str]
    unexpected_keys: list[str]


def _flat(state: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in state.items():
        path = f"{prefix}.{key}" if prefix and key != "" else (prefix or str(key))
        if isinstance(value, dict):
            out.update(_flat(value, path))
        else:
            out[path] = value
    return out


def state_value(path: str, value: Any, shape: tuple, dtype: Any) -> jnp.ndarray:
    """``value`` as variable ``path`` of ``shape`` and ``dtype`` holds it: the one rule every restore follows
    (``load_state_dict``, and a sweep resuming a run from the state saved in its store).

    >>> state_value("E.V", [1, 2], (2,), jnp.float32).dtype
    dtype('float32')
    """
    # a quantity, None or a text is named (jnp.asarray said "None is not a valid value for jnp.array")
    arr = _as_array(value, lambda: f"state {path!r}")
    if arr.shape != tuple(shape):
        raise ValueError(f"state {path!r} has shape {arr.shape}, the model's variable has shape {tuple(shape)}")
    target = jnp.dtype(dtype)
    if jnp.issubdtype(arr.dtype, jnp.complexfloating) and not jnp.issubdtype(target, jnp.complexfloating):
        # the cast dropped the imaginary part without a word, where assigning .value refuses it
        raise ValueError(f"state {path!r} holds complex values ({arr.dtype}), the model's variable is {target}: "
                         "the cast would drop the imaginary part; give real values")
    out = arr.astype(target)
    if arr.dtype != target and not jnp.issubdtype(target, jnp.inexact) and not is_traced(arr):
        # an integer or bool variable (a count, a pointer, a flag) never takes a value the cast would change
        lost = np.asarray(out.astype(arr.dtype) != arr)
        if lost.any():
            bad = np.asarray(arr)[lost].ravel()[0]
            allowed = "True/False or 0/1" if target == jnp.bool_ else f"whole numbers in the range of {target}"
            raise ValueError(f"state {path!r} holds {arr.dtype} values the model's {target} variable cannot hold "
                             f"(e.g. {str(bad)}); give {allowed}")
    return out


def load_state_dict(node: GraphNode, state_dict: dict, warn: bool = True,
                    compatible: str = "v2") -> StateLoadResult:
    """Copy ``state_dict`` into ``node``'s variables; returns ``(missing, unexpected)`` (a ``StateLoadResult``).

    ``compatible='v2'`` takes ``{path: value}``; ``'v1'`` also accepts nested ``{node: {var: value}}``.
    """
    if compatible not in ("v1", "v2"):
        raise ValueError(f"compatible must be 'v1' or 'v2', got {compatible!r}")
    if not isinstance(state_dict, dict):
        raise TypeError(f"state_dict must be a dict of path -> array, got {type(state_dict).__name__}")
    flat = _flat(state_dict) if compatible == "v1" or any(isinstance(v, dict) for v in state_dict.values()) else state_dict
    variables = node.vars()
    missing = [p for p in variables if p not in flat]
    unexpected = [p for p in flat if p not in variables]
    for path, value in flat.items():
        var = variables.get(path)
        if var is None:
            continue
        var._value = state_value(path, value, _loaded_shape(var, value), var.dtype)
        if not is_traced(var._value):
            var._edited = True  # a Runner's first run starts from a loaded state, as from one set by hand
    if warn and (missing or unexpected):
        # a misspelled key is both unexpected and, under its real name, missing: say which it meant
        hints = "".join(f" {key!r}:{did_you_mean(key, missing)}" for key in unexpected if did_you_mean(key, missing))
        warnings.warn(f"load_state_dict: missing keys {missing}, unexpected keys {unexpected}{hints}", UserWarning,
                      stacklevel=3)
    return StateLoadResult(missing, unexpected)


def _loaded_shape(var: Variable, value: Any) -> tuple:
    """The shape ``var`` takes from a loaded ``value``: its own, or the value's where only the size of its batch
    axis differs (a state saved at one batch size, loaded after ``reset_state`` of another), as BrainPy loads it."""
    try:
        given = tuple(np.shape(value))
    except Exception:  # noqa: BLE001 (not an array: state_value names it)
        return var.shape
    if given != var.shape and var._new_batch_size(jax.ShapeDtypeStruct(given, var.dtype)):
        return given
    return var.shape


def _select(node: GraphNode, variables: Any) -> dict:
    all_vars = node.vars()
    if variables is None:
        return {p: v.value for p, v in all_vars.items()}
    if isinstance(variables, dict):
        return {p: (v.value if isinstance(v, Variable) else v) for p, v in variables.items()}
    by_id = {id(v): p for p, v in all_vars.items()}
    out = {}
    for item in variables:
        if isinstance(item, Variable):
            if id(item) not in by_id:
                raise ValueError(f"{item!r} is not a variable of {node.name}")
            out[by_id[id(item)]] = item.value
        elif item in all_vars:
            out[item] = all_vars[item].value
        else:
            raise unknown_name_error("variable", item, all_vars)
    return out


def _check_format(filename: str) -> str:
    ext = os.path.splitext(str(filename).rstrip("/"))[1].lower()
    if ext not in _FORMATS:
        raise ValueError(f"state files must end in {' or '.join(_FORMATS)}, got {filename!r}")
    return ext


def save_states(node: GraphNode, filename: str, variables: Any = None) -> None:
    ext = _check_format(filename)
    values = {p: np.asarray(v) for p, v in _select(node, variables).items()}
    if ext == ".npz":
        np.savez(filename, **cast(dict[str, Any], values))
        return
    import zarr

    _check_replaceable(str(filename))
    group = zarr.open_group(str(filename), mode="w", zarr_format=3)  # only empty, absent or our own states
    group.attrs["brainbatch_states"] = 1
    for path, arr in values.items():
        group.create_array(path, data=arr)


def _check_replaceable(filename: str) -> None:
    """A ``.zarr`` state file may replace nothing but an earlier state file (``mode="w"`` empties a folder)."""
    if not os.path.exists(filename) or (os.path.isdir(filename) and not os.listdir(filename)):
        return
    try:
        with open(os.path.join(filename, "zarr.json")) as fh:
            ours = json.load(fh).get("attributes", {}).get("brainbatch_states") == 1
    except (OSError, ValueError, AttributeError):
        ours = False
    if not ours:
        raise FileExistsError(f"{filename!r} exists and is not a brainbatch state file; save_states replaces only "
                              "its own files: choose another name or remove it yourself")


def load_states(node: GraphNode, filename: str, verbose: bool = False) -> StateLoadResult:
    ext = _check_format(filename)
    if not os.path.exists(filename):
        raise FileNotFoundError(f"no state file at {filename!r}")
    if ext == ".npz":
        with np.load(filename) as data:
            state = {k: data[k] for k in data.files}
    else:
        import zarr

        group = zarr.open_group(str(filename), mode="r", zarr_format=3)
        state = {name: arr[...] for name, arr in group.arrays()}
    if verbose:
        print(f"loading {len(state)} variables from {filename}: {sorted(state)}")
    return load_state_dict(node, state, warn=True)


if TYPE_CHECKING:  # mixed into DynamicalSystem (base.py), a GraphNode
    _Host = GraphNode
else:
    _Host = object


class StateMixin(_Host):
    """The state methods of a node (BrainPy's names), keyed by relative variable paths."""

    def state_dict(self) -> dict[str, jax.Array]:
        """``{path: value}`` of every variable, keyed by relative path (independent of build order)."""
        return {path: var.value for path, var in self.vars().items()}

    def load_state_dict(self, state_dict: dict, warn: bool = True,
                        compatible: str = "v2") -> StateLoadResult:
        """Copy values into the variables; returns ``(missing, unexpected)`` in that order, a ``StateLoadResult``
        (``.missing_keys``, ``.unexpected_keys``) as BrainPy's."""
        return load_state_dict(self, state_dict, warn=warn, compatible=compatible)

    def save_state(self) -> dict[str, jax.Array]:
        """Same as ``state_dict()``."""
        return self.state_dict()

    def load_state(self, state_dict: dict, **kwargs: Any) -> StateLoadResult:
        """Same as ``load_state_dict``."""
        return self.load_state_dict(state_dict, **kwargs)

    def save_states(self, filename: str, variables: Any = None) -> None:
        """Save variables to ``.npz`` or ``.zarr`` (all, or the given paths / Variables)."""
        save_states(self, filename, variables)

    def load_states(self, filename: str, verbose: bool = False) -> StateLoadResult:
        """Load variables saved with ``save_states``; returns ``(missing, unexpected)``."""
        return load_states(self, filename, verbose)
