"""Discovery of child nodes and variables by attribute: the paths everything stable is keyed by.

Rules (documented in core/README.md):
- children are public attributes holding a node, or a list/tuple/dict of nodes, plus implicit nodes;
  attributes whose name starts with ``_`` are references, never children;
- the graph is walked breadth first in attribute order; a node reached twice keeps its first path;
- a Variable's path is taken at the node that first held it (its owner), so ``inp.target_var`` that
  points at ``E.V`` is stored once, as ``"E.V"``, whatever order the nodes were built in.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Iterator

from .variable import TrainVar, Variable

if TYPE_CHECKING:  # pragma: no cover
    from .base import DynamicalSystem

_METHODS = ("relative", "absolute")
# Containers of implicit children/variables: their entries are listed under their own keys, not
# under ``implicit_nodes.<key>`` (they are public attributes, so the plain attribute walk would).
_IMPLICIT = ("implicit_nodes", "implicit_vars")


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def iter_attr_nodes(node: "DynamicalSystem") -> Iterator[tuple[str, "DynamicalSystem"]]:
    """Direct children of ``node`` as (attribute path, child)."""
    from .base import DynamicalSystem

    for name, value in node.__dict__.items():
        if name.startswith("_") or name in _IMPLICIT:
            continue
        if isinstance(value, DynamicalSystem):
            yield name, value
        elif isinstance(value, (list, tuple)):
            for k, item in enumerate(value):
                if isinstance(item, DynamicalSystem):
                    yield f"{name}.{k}", item
        elif isinstance(value, dict):
            for k, item in value.items():
                if isinstance(item, DynamicalSystem):
                    yield f"{name}.{k}", item
    yield from node.__dict__.get("implicit_nodes", {}).items()


def iter_attr_vars(node: "DynamicalSystem") -> Iterator[tuple[str, Variable]]:
    """Variables held directly by ``node`` as (attribute name, variable)."""
    for name, value in node.__dict__.items():
        if name.startswith("_") or name in _IMPLICIT:
            continue
        if isinstance(value, Variable):
            yield name, value
        elif isinstance(value, dict) and value and all(isinstance(v, Variable) for v in value.values()):
            for k, v in value.items():
                yield f"{name}.{k}", v
    yield from node.__dict__.get("implicit_vars", {}).items()


def collect_nodes(root: "DynamicalSystem", method: str = "relative", level: int = -1,
                  include_self: bool = True) -> "OrderedDict[str, DynamicalSystem]":
    """Ordered ``{path: node}`` of the graph under ``root`` (breadth first, first path wins)."""
    _check_method(method)
    if not isinstance(level, int) or isinstance(level, bool) or level < -1:
        raise ValueError(f"level must be -1 (all levels) or an integer >= 0, got {level!r}")
    found: OrderedDict[str, DynamicalSystem] = OrderedDict()
    seen = {id(root)}
    frontier = [("", root)]
    if include_self:
        found[""] = root
    depth = 0
    while frontier and (level == -1 or depth < level):
        depth += 1
        nxt = []
        for prefix, node in frontier:
            for name, child in iter_attr_nodes(node):
                if id(child) in seen:
                    continue
                seen.add(id(child))
                path = _join(prefix, name)
                found[path] = child
                nxt.append((path, child))
        frontier = nxt
    if method == "absolute":
        return _absolute(found)
    return found


def collect_vars(root: "DynamicalSystem", method: str = "relative", level: int = -1,
                 include_self: bool = True, trainable_only: bool = False) -> "OrderedDict[str, Variable]":
    """Ordered ``{path: variable}``; each variable appears once, at its owner's path."""
    _check_method(method)
    nodes = collect_nodes(root, "relative", level, include_self=True)
    candidates: OrderedDict[int, list[tuple[str, Variable, bool]]] = OrderedDict()
    for npath, node in nodes.items():
        if not include_self and node is root:
            continue
        for name, var in iter_attr_vars(node):
            if trainable_only and not isinstance(var, TrainVar):
                continue
            is_owner = var._owner is not None and var._owner() is node
            candidates.setdefault(id(var), []).append((_join(npath, name), var, is_owner))
    out: OrderedDict[str, Variable] = OrderedDict()
    for cands in candidates.values():
        path, var, _ = next((c for c in cands if c[2]), cands[0])
        out[path] = var
    if method == "absolute":
        abs_out: OrderedDict[str, Variable] = OrderedDict()
        names = {p: n.name for p, n in nodes.items()}
        for path, var in out.items():
            npath, _, vname = path.rpartition(".")
            abs_out[f"{names.get(npath, root.name)}.{vname}"] = var
        return abs_out
    return out


def _absolute(found: "OrderedDict[str, DynamicalSystem]") -> "OrderedDict[str, DynamicalSystem]":
    out: OrderedDict[str, DynamicalSystem] = OrderedDict()
    for path, node in found.items():
        if node.name in out and out[node.name] is not node:
            raise ValueError(
                f"two nodes share the name {node.name!r} (at {path!r} and another path); names are for "
                "display only — use nodes(method='relative') for unique keys"
            )
        out[node.name] = node
    return out


def _check_method(method: str) -> None:
    if method not in _METHODS:
        from .errors import did_you_mean

        raise ValueError(f"method must be one of {_METHODS}, got {method!r}.{did_you_mean(method, _METHODS)}")
