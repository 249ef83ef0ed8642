"""Nodes as JAX pytrees: the leaves are the variable values in path order; unflattening gives a copy.

There is one registration: ``PytreeNode.__init_subclass__`` registers every node class when it is
created (``tree_flatten``/``tree_unflatten`` are the same two functions, as methods for BrainPy users).
``jax.jit(f)(net)`` therefore works on a copy of ``net``, never on ``net`` itself.

The copy shares what cannot change: JAX arrays held by nodes and Variables (immutable), functions,
and the leaves it is given; it copies the nodes, the Variables and the plain containers and objects
around them, so writing the copy's variables never touches the original. Inputs and hooks of the copy
(``add_inp_fun``, ``add_aft_update`` functions) are rebuilt so that the Variables and nodes named in
their closures are the copy's (one level: objects named directly in a closure, not inside containers
or globals); bound methods are copied with their node already.
"""
from __future__ import annotations

import copy
import types
import weakref
from typing import Any

import jax

from .graph import collect_nodes, collect_vars
from .variable import _SERIAL

__all__ = ["PytreeNode", "flatten", "unflatten"]


class PytreeNode:
    """Makes each subclass a JAX pytree (see the module docstring)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        jax.tree_util.register_pytree_node(cls, flatten, unflatten)

    def tree_flatten(self) -> tuple[list, tuple]:
        """Leaves: variable values in path order; aux: the graph. Unflatten gives a copy."""
        return flatten(self)

    @classmethod
    def tree_unflatten(cls, aux: tuple, dynamic_values: Any) -> Any:
        return unflatten(aux, dynamic_values)


def flatten(node: Any) -> tuple[list, tuple]:
    variables = collect_vars(node)
    return [v.value for v in variables.values()], (node, tuple(variables))


def unflatten(aux: tuple, leaves: Any) -> Any:
    node, paths = aux
    variables = collect_vars(node)
    memo = _shared(node, variables)
    clone = copy.deepcopy(node, memo)
    for var in variables.values():  # owners are weak references: point them at the cloned nodes
        owner = var._owner() if var._owner is not None else None
        twin = memo.get(id(var))
        if twin is not None and owner is not None and id(owner) in memo:
            twin._owner = weakref.ref(memo[id(owner)])
    _rebind_closures(clone, memo)
    clone_vars = collect_vars(clone)
    for path, leaf in zip(paths, leaves):
        clone_vars[path]._value = leaf
        clone_vars[path]._serial = next(_SERIAL)  # a copy made now: transforms running now don't guard it
    return clone


def _shared(root: Any, variables: dict) -> dict:
    """A ``deepcopy`` memo that maps every immutable array the graph holds to itself (shared, not copied)."""
    memo = {id(v._value): v._value for v in variables.values()}

    def share(value: Any, depth: int) -> None:
        if isinstance(value, jax.Array):
            memo[id(value)] = value
        elif depth and isinstance(value, (list, tuple)):
            for item in value:
                share(item, depth - 1)
        elif depth and isinstance(value, dict):
            for item in value.values():
                share(item, depth - 1)

    for node in collect_nodes(root).values():
        for value in node.__dict__.values():
            share(value, 2)
    return memo


def _rebind_closures(clone: Any, memo: dict) -> None:
    """Point the inputs and hooks of a copy at the copy's Variables and nodes (module docstring)."""

    def rebind(fun: Any) -> Any:
        cells = getattr(fun, "__closure__", None)
        if not isinstance(fun, types.FunctionType) or not cells:
            return fun
        new = []
        for cell in cells:
            try:
                content = cell.cell_contents
            except ValueError:  # an empty cell
                new.append(cell)
                continue
            new.append(types.CellType(memo.get(id(content), content)))
        if all(a is b for a, b in zip(new, cells)):
            return fun
        out = types.FunctionType(fun.__code__, fun.__globals__, fun.__name__, fun.__defaults__, tuple(new))
        out.__kwdefaults__, out.__dict__ = fun.__kwdefaults__, dict(fun.__dict__)
        return out

    for node in collect_nodes(clone).values():
        tables = [getattr(node, n) for n in ("_current_inputs", "_delta_inputs", "_before_updates", "_after_updates")]
        for table in tables:  # a Node's tables (node.py); this file imports no node class
            for key, fun in table.items():
                table[key] = rebind(fun)
