"""Variables that every lane of a batch shares: one copy, passed to the vmapped step unbatched.

A variable is **shared** when its initial value does not depend on the lane — neither on the run's
key nor on its swept parameters — and no step writes it: a graph drawn from a ``graph_seed``
(docs/random.md, "One graph for every run"), weights that are a constant of the model. A batch of B
lanes then holds one copy instead of B (``vmap`` with ``in_axes=None``; the event kernels read a
shared table without copying it).

Both facts are found from the model's own trace, never from a flag:

- ``lane_dependence``: a forward dependence analysis of the init program's jaxpr from its lane inputs
  (the run key and the parameter values) to each initial value. An equation's outputs depend on the
  lane where any of its inputs does; calls of ``jit`` are followed inside, a ``scan`` or ``while``
  carries dependence around its loop until nothing changes and a ``cond`` on a value no lane changes
  takes what its branches make depend, as ``vmap``'s batching rules do. Anything else counts whole, so
  the answer errs only towards "depends".
- ``written_paths``: the variables one step writes (a variable a step leaves alone is the very value
  it was given), traced once without running.

The init program is then ``vmap``-ed with ``out_axes=None`` for the shared values, so ``vmap`` itself
checks the analysis: a value it would have to batch is an error, never a silent copy.

The same trace finds the initial values that are one number everywhere (``constant_fills``: the zeros
of a conductance, a refractory flag's ``False``). The init program leaves those out and the host fills
them (``Simulation.init``): in a compiled program each would be a kernel of its own (a quarter of
COBA's init program), costing compile time and nothing else.
"""
from __future__ import annotations

from typing import Any, Callable

import jax
import numpy as np
from jax.extend.core import ClosedJaxpr, Jaxpr, Literal

__all__ = ["lane_dependence", "traced_dependence", "traced_analysis", "constant_fills", "split_state",
           "shared_bytes"]

#: primitives whose body is followed inside (a call: its inputs are the body's inputs, in order)
_CALLS = ("jit", "pjit", "closed_call", "core_call")

def lane_dependence(fn: Callable, *args: Any) -> Any:
    """For each output leaf of ``fn(*args)``: whether it depends on any input (a pytree of bools).

    Every leaf of ``args`` counts as a lane input (abstract ``jax.ShapeDtypeStruct`` values are fine:
    nothing runs). Constants ``fn`` closes over do not.

    >>> import jax.numpy as jnp
    >>> const = jnp.arange(3.0)
    >>> lane_dependence(lambda k, p: {"a": const * 2, "b": const + p, "c": jnp.zeros(2)}, 1, 2.0)
    {'a': False, 'b': True, 'c': False}
    """
    return traced_dependence(fn, *args)[0]


def traced_dependence(fn: Callable, *args: Any) -> tuple[Any, Any]:
    """``(lane_dependence(fn, *args), the outputs' shapes and dtypes)`` from one trace."""
    return traced_analysis(fn, *args)[:2]


def traced_analysis(fn: Callable, *args: Any) -> tuple[Any, Any, Any]:
    """``(lane_dependence, shapes and dtypes, constant_fills)`` of ``fn(*args)``'s outputs from one trace."""
    closed, shape = jax.make_jaxpr(fn, return_shape=True)(*args)
    jaxpr = closed.jaxpr
    flags = _dependent_outputs(jaxpr, [True] * len(jaxpr.invars))
    producers = _producers(jaxpr)
    fills = [_fill_value(producers, v) for v in jaxpr.outvars]
    tree = jax.tree.structure(shape)
    return jax.tree.unflatten(tree, flags), shape, jax.tree.unflatten(tree, fills)


def constant_fills(fn: Callable, *args: Any) -> Any:
    """For each output leaf of ``fn(*args)``: the one number it holds everywhere (a 0-d NumPy array of
    its dtype), or ``None`` where it is not a single constant. Found from the trace: a literal
    broadcast to the output's shape, possibly through calls and dtype conversions; nothing runs.

    >>> import jax.numpy as jnp
    >>> fills = constant_fills(lambda k: {"g": jnp.zeros(3), "V": jnp.full(2, -65.0) + k, "r": jnp.zeros(2, bool)}, 1.0)
    >>> fills["g"], fills["V"], fills["r"]
    (array(0., dtype=float32), None, array(False))
    """
    return traced_analysis(fn, *args)[2]


def _producers(jaxpr: Jaxpr) -> dict:
    """The equation that makes each variable of ``jaxpr`` (inputs and closed-over constants have none)."""
    return {v: eqn for eqn in jaxpr.eqns for v in eqn.outvars}


def _fill_value(producers: dict, var: Any) -> np.ndarray | None:
    """The single value ``var`` holds in every element (``producers``: its jaxpr's), or ``None``."""
    if isinstance(var, Literal):
        return _scalar(var.val, var.aval.dtype)
    eqn = producers.get(var)
    if eqn is None:
        return None  # an input or a closed-over constant
    name, ins = eqn.primitive.name, eqn.invars
    if name == "broadcast_in_dim" and isinstance(ins[0], Literal) and not ins[1:]:
        return _scalar(ins[0].val, eqn.outvars[0].aval.dtype)
    if name == "convert_element_type" and len(eqn.outvars) == 1:
        inner = _fill_value(producers, ins[0])
        return None if inner is None else _scalar(inner, eqn.outvars[0].aval.dtype)
    body = _call_body(eqn)
    if body is not None:  # a call's output: the body's (None where the body passes an input through)
        return _fill_value(_producers(body), body.outvars[eqn.outvars.index(var)])
    return None


def _scalar(value: Any, dtype: Any) -> np.ndarray | None:
    value = np.asarray(value)
    if value.ndim != 0 or jax.numpy.issubdtype(dtype, jax.dtypes.prng_key):
        return None
    return value.astype(dtype)


def _dependent_outputs(jaxpr: Jaxpr, in_dep: list[bool]) -> list[bool]:
    dep = {v for v, d in zip(jaxpr.invars, in_dep) if d}
    for eqn in jaxpr.eqns:
        ins = [not isinstance(v, Literal) and v in dep for v in eqn.invars]
        if not any(ins):
            continue
        outs = _equation(eqn, ins)
        dep.update(o for o, d in zip(eqn.outvars, outs) if d)
    return [not isinstance(v, Literal) and v in dep for v in jaxpr.outvars]


def _equation(eqn: Any, ins: list[bool]) -> list[bool]:
    """Which outputs of one equation depend on the lane, given which inputs do. Calls are followed
    inside; a loop carries dependence around until nothing changes (what ``vmap``'s batching rules do:
    a ``while`` whose condition depends on the lane makes every carry depend); anything else: all."""
    name, params, everything = eqn.primitive.name, eqn.params, [True] * len(eqn.outvars)
    body = _call_body(eqn)
    if body is not None:
        return _dependent_outputs(body, ins)
    if name == "scan":
        n_consts, n_carry = params["num_consts"], params["num_carry"]
        consts, carry, xs = ins[:n_consts], ins[n_consts:n_consts + n_carry], ins[n_consts + n_carry:]
        inner = _jaxpr(params["jaxpr"])
        while True:
            outs = _dependent_outputs(inner, consts + carry + xs)
            new = [a or b for a, b in zip(carry, outs[:n_carry])]
            if new == carry:
                return carry + outs[n_carry:]
            carry = new
    if name == "while":
        nc, nb = params["cond_nconsts"], params["body_nconsts"]
        cond_consts, body_consts, carry = ins[:nc], ins[nc:nc + nb], ins[nc + nb:]
        cond, inner = _jaxpr(params["cond_jaxpr"]), _jaxpr(params["body_jaxpr"])
        while True:
            if any(_dependent_outputs(cond, cond_consts + carry)):  # a lane's own number of iterations
                return everything
            outs = _dependent_outputs(inner, body_consts + carry)
            new = [a or b for a, b in zip(carry, outs)]
            if new == carry:
                return carry
            carry = new
    if name == "cond" and not ins[0]:  # the same branch in every lane: what any branch makes depend
        outs = [False] * len(eqn.outvars)
        for branch in params["branches"]:
            outs = [a or b for a, b in zip(outs, _dependent_outputs(_jaxpr(branch), ins[1:]))]
        return outs
    return everything


def _jaxpr(body: Any) -> Jaxpr:
    return body.jaxpr if isinstance(body, ClosedJaxpr) else body


def _call_body(eqn: Any) -> Jaxpr | None:
    """The body of a call (``jit``...) whose inputs and outputs are the equation's, else ``None``."""
    if eqn.primitive.name not in _CALLS:
        return None
    body = eqn.params.get("jaxpr", eqn.params.get("call_jaxpr"))
    if isinstance(body, ClosedJaxpr):
        body = body.jaxpr
    if not isinstance(body, Jaxpr) or len(body.invars) != len(eqn.invars) or len(body.outvars) != len(eqn.outvars):
        return None
    return body


def split_state(state: dict, shared: frozenset) -> tuple[dict, dict]:
    """``(per-lane values, shared values)`` of a batch's state.

    >>> split_state({"V": 1, "targets": 2}, frozenset({"targets"}))
    ({'V': 1}, {'targets': 2})
    """
    lanes = {p: v for p, v in state.items() if p not in shared}
    return lanes, {p: v for p, v in state.items() if p in shared}


def shared_bytes(state: dict, shared: frozenset) -> tuple[int, int]:
    """``(bytes of the per-lane values, bytes of the shared ones)`` of a state (arrays or shapes)."""
    lanes = common = 0
    for p, v in state.items():
        n = int(np.prod(v.shape)) * (np.dtype(v.dtype).itemsize if not _is_key(v) else 8)
        if p in shared:
            common += n
        else:
            lanes += n
    return lanes, common


def _is_key(v: Any) -> bool:
    return jax.numpy.issubdtype(v.dtype, jax.dtypes.prng_key)
