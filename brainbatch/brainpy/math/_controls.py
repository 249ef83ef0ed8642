"""BrainPy's control flow with Variables: ``bm.cond``, ``bm.ifelse`` and ``bm.while_loop`` (``bm.scan`` is beside
``bm.for_loop``, on which it runs).

Each branch or body may read and write the Variables it reaches (closures, globals, ``self``), as in BrainPy.
With a concrete condition (outside a compiled step) the chosen branch simply runs; with a traced one the
Variables go through ``jax.lax.cond``/``switch``/``while_loop`` as values and are written back after.

>>> import brainbatch.brainpy.math as bm
>>> a, b = bm.Variable(bm.zeros(2)), bm.Variable(bm.ones(2))
>>> def true_f(): a.value += 1
>>> def false_f(): b.value -= 1
>>> bm.cond(True, true_f, false_f); bm.cond(False, true_f, false_f)
>>> a.value.tolist(), b.value.tolist()
([1.0, 1.0], [0.0, 0.0])
>>> [float(x) for x in bm.while_loop(lambda x, y: (x + 1., y * 2.), lambda x, y: x < 3., operands=(0., 1.))]
[3.0, 8.0]
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import jax
import jax.numpy as jnp

from ...core import transforms as _transforms
from ...core.checks import is_traced
from ...core.variable import Variable, unwrap

__all__ = ["cond", "ifelse", "while_loop"]


def _tuple(operands: Any) -> tuple:
    if operands is None:
        return ()
    return tuple(operands) if isinstance(operands, (tuple, list)) else (operands,)


def _branch(branch: Any) -> Callable:
    """A branch as a function of the operands; a constant (array, number) is returned as it is."""
    if callable(branch):
        return branch
    value = unwrap(branch)
    return lambda *_: value


def _variables(funs: Sequence[Callable]) -> dict[str, Variable]:
    """The Variables every function reaches, each once. Each function's are keyed by position ("0", "1"...): merged
    by key, one function's "0" replaced another's, and the Variable left out raised "assigned a traced value", or
    not, as the order of a set of global names fell (PYTHONHASHSEED)."""
    found: dict[str, Variable] = {}
    seen: set[int] = set()
    for k, fun in enumerate(funs):
        for path, var in _transforms.resolve_variables(None, fun).items():
            if id(var) not in seen:
                seen.add(id(var))
                found[f"{k}.{path}"] = var
    return found


def _concrete(value: Any) -> bool:
    return not is_traced(unwrap(value))


def _condition(where: str, value: Any) -> Any:
    """``value`` as one boolean or number, shape ``()`` (as ``jax.lax.cond`` takes it): a text, ``None`` or an
    array of several values is named, not read as Python's truth value (``"x"`` was true)."""
    v = unwrap(value)
    dtype = getattr(v, "dtype", None)
    if dtype is None:
        if isinstance(v, (bool, int, float)):
            return v
        raise TypeError(f"{where}: a condition must be a boolean (or a number), got {type(v).__name__} {v!r}")
    if not (jnp.issubdtype(dtype, jnp.bool_) or jnp.issubdtype(dtype, jnp.number)) or jnp.size(v) != 1:
        raise TypeError(f"{where}: a condition must be one boolean (or number), got an array of shape "
                        f"{tuple(jnp.shape(v))} and dtype {dtype}")
    return jnp.reshape(v, ()) if is_traced(v) else v.reshape(()) if hasattr(v, "reshape") else v


def _switch(index: Any, funs: list[Callable], operands: tuple) -> Any:
    """``funs[index](*operands)`` with the Variables the functions reach threaded through ``lax.switch``."""
    variables = _variables(funs)
    pures = [_transforms.functional(f, variables, "cond") for f in funs]
    branches = [lambda state, ops, p=p: p.pure(state, {}, *ops) for p in pures]
    ops = tuple(unwrap(o) for o in operands)
    new, out = jax.lax.switch(jnp.asarray(index, jnp.int32), branches, {p: v.value for p, v in variables.items()}, ops)
    pures[0].write_back(new)
    return out


def cond(pred: Any, true_fun: Any, false_fun: Any, operands: Any = (), dyn_vars: Any = None,
         child_objs: Any = None) -> Any:
    """BrainPy's ``bm.cond``: ``true_fun(*operands)`` if ``pred`` else ``false_fun(*operands)``; a branch may be
    a constant, and may write the Variables it reaches (``dyn_vars``/``child_objs``, deprecated in BrainPy 2.4,
    are accepted and not needed)."""
    funs, ops = [_branch(false_fun), _branch(true_fun)], _tuple(operands)
    pred = _condition("cond", pred)
    if _concrete(pred):
        return unwrap(funs[int(bool(pred))](*ops))
    return _switch(jnp.asarray(pred).astype(bool).astype(jnp.int32), funs, ops)


def ifelse(conditions: Any, branches: Sequence[Any], operands: Any = None, show_code: bool = False,
           dyn_vars: Any = None, child_objs: Any = None) -> Any:
    """BrainPy's ``bm.ifelse``: the branch of the first true condition, else the last branch
    (``len(branches) == len(conditions) + 1``).

    >>> import brainbatch.brainpy.math as bm
    >>> bm.ifelse([1 > 10, 1 > 5, 1 > 0], [1, 2, 3, 4])
    3
    """
    conds = list(conditions) if isinstance(conditions, (list, tuple)) else [conditions]
    branches = list(branches)
    if len(branches) != len(conds) + 1:
        raise ValueError(f"ifelse: {len(conds)} condition(s) need {len(conds) + 1} branches (the last one for "
                         f"'none holds'), got {len(branches)}")
    funs, ops = [_branch(b) for b in branches], _tuple(operands)
    conds = [_condition("ifelse", c) for c in conds]
    if all(_concrete(c) for c in conds):
        index = next((i for i, c in enumerate(conds) if bool(unwrap(c))), len(conds))
        return unwrap(funs[index](*ops))
    held = jnp.stack([jnp.asarray(unwrap(c), bool).reshape(()) for c in conds] + [jnp.asarray(True)])
    return _switch(jnp.argmax(held), funs, ops)


def while_loop(body_fun: Callable, cond_fun: Callable, operands: Any, dyn_vars: Any = None,
               child_objs: Any = None) -> Any:
    """BrainPy's ``bm.while_loop``: while ``cond_fun(*operands)``, ``operands = body_fun(*operands)`` (a body
    that returns None keeps them and only writes Variables); returns the final operands, a tuple."""
    ops = tuple(jnp.asarray(unwrap(o)) for o in _tuple(operands))
    variables = _variables([body_fun, cond_fun])
    body = _transforms.functional(body_fun, variables, "while_loop")
    test = _transforms.functional(cond_fun, variables, "while_loop")

    def step(carry: tuple) -> tuple:
        state, x = carry
        new, out = body.pure(state, {}, *x)
        if out is None:
            return new, x
        out = _tuple(out)
        if len(out) != len(x):
            raise ValueError(f"while_loop: body_fun returned {len(out)} value(s) for {len(x)} operand(s); it "
                             "returns the operands' next values (or None)")
        out = tuple(jnp.asarray(unwrap(o)) for o in out)
        for k, (o, a) in enumerate(zip(out, x)):  # a cast would hide it: 0 + 0.5 back to the int 0, forever
            if o.dtype != a.dtype or o.shape != a.shape:
                raise TypeError(f"while_loop: body_fun returns operand {k} as {o.dtype}{list(o.shape)} where it "
                                f"came in as {a.dtype}{list(a.shape)}; give the operands the type and shape the "
                                "body returns (e.g. 0. instead of 0)")
        return new, out

    def going(carry: tuple) -> Any:
        state, x = carry
        held = jnp.asarray(unwrap(test.pure(state, {}, *x)[1]))
        if held.dtype != jnp.bool_ or held.size != 1:
            raise TypeError(f"while_loop: cond_fun must return one boolean (x < 5.), got {held.dtype}"
                            f"{list(held.shape)}; did you swap body_fun and cond_fun? (BrainPy's order: "
                            "while_loop(body_fun, cond_fun, operands))")
        return held.reshape(())

    new, out = jax.lax.while_loop(going, step, ({p: v.value for p, v in variables.items()}, ops))
    body.write_back(new)
    return out
