"""Runner inputs (BrainPy's format): ``(path, value, type='fix', operation='+')``.

- ``fix``: the same value every step; ``iter``: an array whose leading axis is time (one row per step);
- ``func``: a function of the time ``t`` (ms) returning the value.
Inputs are applied at the start of each step, before the network updates; a group clears ``input``
when its update has read it, so ``+`` on ``E.input`` is a current for that step only.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from collections.abc import Iterable
from typing import Any

import jax.numpy as jnp
import numpy as np

from ..core.errors import did_you_mean
from ..core.checks import fits_shape, is_traced, refuse_beyond_float32

__all__ = ["RunnerInput", "normalize_inputs"]

_TYPES = ("fix", "iter", "func")
_OPS = {"+": jnp.add, "-": jnp.subtract, "*": jnp.multiply, "/": jnp.divide, "=": lambda old, new: new}


@dataclass(frozen=True)
class RunnerInput:
    path: str
    value: Any
    type: str = "fix"
    op: str = "+"
    #: the value was converted to its target's unit (``check_input_paths``): strict units checked it then
    converted: bool = dataclasses.field(default=False, compare=False)


def normalize_inputs(inputs: Any) -> list[RunnerInput]:
    """Accept a tuple, a list of tuples, or a dict ``{path: value}`` (fixed, added)."""
    if inputs is None or (isinstance(inputs, (list, tuple)) and len(inputs) == 0):
        return []
    if not isinstance(inputs, (list, tuple, dict)):
        raise TypeError(f"inputs must be a (path, value[, type[, operation]]) tuple, a list of them or a dict "
                        f"{{path: value}}, got {inputs!r}")
    if isinstance(inputs, dict):
        inputs = [(k, v) for k, v in inputs.items()]
    elif isinstance(inputs, tuple) and inputs and isinstance(inputs[0], str):
        inputs = [inputs]
    out = []
    for item in inputs:
        if not isinstance(item, (tuple, list)) or not 2 <= len(item) <= 4 or not isinstance(item[0], str):
            raise ValueError(f"an input is (path, value[, type[, operation]]), got {item!r}")
        path, value = item[0], item[1]
        typ = item[2] if len(item) > 2 else "fix"
        op = item[3] if len(item) > 3 else "+"
        if typ not in _TYPES:
            raise ValueError(f"input type must be one of {_TYPES}, got {typ!r}.{did_you_mean(typ, _TYPES)}")
        if op not in _OPS:
            raise ValueError(f"input operation must be one of {tuple(_OPS)}, got {op!r}")
        if typ == "func" and not callable(value):
            raise TypeError(f"a 'func' input needs a function of t, got {value!r}")
        if op == "/" and typ in ("fix", "iter") and _holds_zero(value):
            # every step would divide by it: inf or NaN from the first step, in every run
            where = (f"{value!r}" if np.ndim(value) == 0 else f"an array of shape {np.shape(value)} that holds 0 at "
                     f"{tuple(int(i) for i in np.argwhere(np.asarray(value) == 0)[0])}")
            raise ValueError(f"input {path!r} divides by {where}; give a nonzero divisor, or multiply ('*') by "
                             "its inverse where 0 is meant")
        out.append(RunnerInput(path, value, typ, op))
    return out


def _holds_zero(value: Any) -> bool:
    """Whether a value given as numbers (not a traced one, not a quantity) has a 0 in it."""
    try:
        arr = np.asarray(value)
        return arr.dtype.kind in "biuf" and bool((arr == 0).any())
    except Exception:  # noqa: BLE001 - a quantity or a traced value: checked where it is converted
        return False


def input_number(inp: RunnerInput, value: Any, units: str, strict: bool = False) -> Any:
    """``value`` as a number in ``units`` (the target Variable's) when it is a quantity (docs/units.md); a
    factor (``*``, ``/``) must be a plain number. Numbers pass unchanged, unless ``strict`` (a value the user
    gave, checked once) and strict units are on."""
    from ..core.units import in_units_of

    return in_units_of(f"input {inp.path!r}", value, units if inp.op in ("+", "-", "=") else "1", "Runner", strict)


def apply_input(variables: dict, inp: RunnerInput, value: Any) -> None:
    var = variables[inp.path]
    if inp.type == "func":  # fixed and 'iter' values were converted once, by check_input_paths
        value = input_number(inp, value, getattr(var, "units", ""))
    var.value = jnp.broadcast_to(_OPS[inp.op](var.value, jnp.asarray(value, var.dtype)), var.shape)


def check_input_paths(inputs: list[RunnerInput], paths: Iterable[str]) -> None:
    """Every input names a variable of the model; given the variables (a dict), fixed and 'iter' values
    that are quantities become numbers in their target's unit, in place (``input_number``)."""
    variables = paths if isinstance(paths, dict) else None
    paths = list(paths)
    for k, inp in enumerate(inputs):
        if inp.path not in paths:
            raise KeyError(f"input target {inp.path!r} is not a variable of the model.{did_you_mean(inp.path, paths)}")
        if variables is not None and inp.type == "func":
            _check_func(inp, variables[inp.path])
        if variables is not None and inp.type != "func":
            value = input_number(inp, inp.value, getattr(variables[inp.path], "units", ""), strict=not inp.converted)
            if not inp.converted:
                inputs[k] = dataclasses.replace(inp, value=value, converted=True)
            _check_values(inp, value, variables[inp.path])


def _check_func(inp: RunnerInput, var: Any) -> None:
    """A 'func' input is called with a traced time, as in the run, without computing anything (its output's shape
    only): a function that fails there, or whose value does not fit its target, is named before any run starts
    (it failed every run of a sweep, after the store was made, as "add got incompatible shapes")."""
    import jax

    units = getattr(var, "units", "")
    try:
        out = jax.eval_shape(lambda t: jnp.asarray(input_number(inp, inp.value(t), units)),
                             jax.ShapeDtypeStruct((), jnp.float32))
    except Exception as err:  # noqa: BLE001 - the user's function: any failure is reported with its input
        why = str(err).strip().splitlines()[0] if str(err).strip() else ""
        hint = ("; t is a traced value inside the compiled run: write jnp.where(t < 5.0, a, b), not `if t < 5.0`"
                if isinstance(err, jax.errors.ConcretizationTypeError) else "")
        raise TypeError(f"'func' input for {inp.path!r} fails when called with the step's time t (ms): "
                        f"{type(err).__name__}: {why}{hint}") from None
    shape = tuple(getattr(var, "shape", ()))
    if not fits_shape(out.shape, shape):
        raise ValueError(f"'func' input for {inp.path!r} returns shape {tuple(out.shape)}, which does not broadcast "
                         f"to the variable's shape {shape}")


def _check_values(inp: RunnerInput, value: Any, var: Any) -> None:
    """A fixed or 'iter' input holds numbers, all finite, for a numeric variable: NaN would turn the target NaN
    everywhere, inf pin it; a text or None fails deep inside the compiled run; a bool Variable (a spike raster)
    is the model's own output, not an input."""
    if getattr(var, "dtype", None) == jnp.bool_:
        raise TypeError(f"input {inp.path!r}: that variable is bool (the model's spikes or flags), not an input; "
                        "drive the group's input current instead")
    if is_traced(value):
        return
    try:
        if value is None or isinstance(value, (str, bytes)):
            raise TypeError
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"input {inp.path!r} must be a number or an array of numbers, got {value!r}") from None
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"input {inp.path!r} must be finite, got {value!r}" if arr.ndim == 0 else
                         f"input {inp.path!r} holds NaN or inf (first at index {int(np.argmax(~np.isfinite(arr)))})")
    refuse_beyond_float32(f"input {inp.path!r}", arr, value, largest=arr.ndim != 0)
    shape = tuple(getattr(var, "shape", ()))
    if inp.type == "iter" and arr.ndim == 0:
        raise ValueError(f"'iter' input for {inp.path!r} needs a leading time axis (one row per step), got a "
                         f"single number {value!r}; a value for every step is a 'fix' input")
    step = arr.shape[1:] if inp.type == "iter" else arr.shape
    if not fits_shape(step, shape):  # it failed inside the compiled run ("add got incompatible shapes for broadcasting")
        what = (f"'iter' input for {inp.path!r} has shape {arr.shape}: each step's value, shape {step}, "
                f"must broadcast to the variable's shape {shape}; 'iter' arrays are time first, (steps, ...)"
                if inp.type == "iter" else
                f"input {inp.path!r} has shape {arr.shape}, which does not broadcast to the variable's shape {shape}")
        raise ValueError(what)
