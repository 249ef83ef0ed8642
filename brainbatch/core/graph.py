"""Discovery of child nodes and variables by attribute: the paths everything stable is keyed by.

Rules (documented in core/README.md):
- children are public attributes holding a node, or a list/tuple/dict of nodes, plus implicit nodes;
  attributes whose name starts with ``_`` are references, never children;
- the graph is walked breadth first in attribute order; a node reached twice keeps its first path;
- a Variable's path is taken at the node that first held it (its owner), so ``inp.target_var`` that
  points at ``E.V`` is stored once, as ``"E.V"``, whatever order the nodes were built in.

``GraphNode`` is what makes an object a node of the graph: every node class derives from it, and the
walk recognises children by it. This file imports nothing of the node classes built on it (core is a
DAG, checked by tests/test_imports.py).
"""
from __future__ import annotations

import copy
import weakref
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, ClassVar, Iterator, cast

from .checks import check_choice, check_int, is_traced
from .variable import TrainVar, Variable

_METHODS = ("relative", "absolute")
# Containers of implicit children/variables: their entries are listed under their own keys, not
# under ``implicit_nodes.<key>`` (they are public attributes, so the plain attribute walk would).
_IMPLICIT = ("implicit_nodes", "implicit_vars")


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def iter_attr_nodes(node: "GraphNode") -> Iterator[tuple[str, "GraphNode"]]:
    """Direct children of ``node`` as (attribute path, child)."""
    for name, value in node.__dict__.items():
        if name.startswith("_") or name in _IMPLICIT:
            continue
        if isinstance(value, GraphNode):
            if value.graph_child:
                yield name, value
        elif isinstance(value, (list, tuple)):
            for k, item in enumerate(value):
                if isinstance(item, GraphNode) and item.graph_child:
                    yield f"{name}.{k}", item
        elif isinstance(value, dict):
            for k, item in value.items():
                if isinstance(item, GraphNode) and item.graph_child:
                    yield f"{name}.{k}", item
    yield from node.__dict__.get("implicit_nodes", {}).items()


def iter_attr_vars(node: "GraphNode") -> Iterator[tuple[str, Variable]]:
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


class Collector(OrderedDict):
    """``{path: node or Variable}`` as BrainPy's collector: ``net.nodes().subset(bp.NeuGroup)``.

    A name it holds is not given to another object (``ValueError``; ``replace`` does that), ``+`` merges two
    (a name held by two objects: ``ValueError``), ``-`` removes names or objects, ``subset``/``not_subset``
    filter by class (subclasses included), ``include``/``exclude`` by exact class, ``unique`` keeps each
    object once.

    >>> c = Collector(a=1, b="x")
    >>> c.subset(int), list(c + {"z": 2}), list(c - ["a"])
    ({'a': 1}, ['a', 'b', 'z'], ['b'])
    >>> c["a"] = 5
    Traceback (most recent call last):
    ValueError: Name "a" conflicts: same name for 5 and 1.
    """

    def __repr__(self) -> str:
        return dict.__repr__(self)  # a dict's, as BrainPy's collectors print: {'E.V': Variable(...)}

    def __setitem__(self, key: Any, value: Any) -> None:
        # one name, one object: a second object under a held name is a clash (two nodes given one absolute
        # name, two collectors merged), which BrainPy refuses rather than keep one of the two silently
        if key in self and self[key] is not value:
            raise ValueError(f'Name "{key}" conflicts: same name for {value} and {self[key]}.')
        super().__setitem__(key, value)

    def replace(self, key: Any, new_value: Any) -> None:
        """``key`` now names ``new_value``."""
        self.pop(key)
        self[key] = new_value

    def update(self, other: Any = (), **kwargs: Any) -> "Collector":  # type: ignore[override]
        """Add the entries of a dict (the values of a list or tuple: under ``_var<i>``), each checked as ``[]=``."""
        if isinstance(other, dict):
            items = list(other.items())
        elif isinstance(other, (list, tuple)):
            items = [(f"_var{i + len(self)}", value) for i, value in enumerate(other)]
        else:
            raise ValueError(f"Collector.update takes a dict, list or tuple, got {type(other).__name__}")
        for key, value in [*items, *kwargs.items()]:
            self[key] = value
        return self

    def __add__(self, other: Any) -> "Collector":
        """A new collector with the entries of both."""
        return type(self)(self).update(other)

    def __sub__(self, other: Any) -> "Collector":
        """A new collector without the entries of a dict (each name with its own object), or without the names
        and the objects a list or tuple gives (an object: every name it is held under)."""
        if not isinstance(other, (dict, list, tuple)):
            raise ValueError(f"Collector - other: other must be a dict, list or tuple, got {type(other).__name__}")
        gather = type(self)(self)
        if isinstance(other, dict):
            for key, value in other.items():
                if key not in gather:
                    raise ValueError(f"Cannot remove {key}, because we do not find it in {list(self.keys())}.")
                if gather[key] is not value:
                    raise ValueError(f"Cannot remove {key}, because we got two different values: {value} != "
                                     f"{gather[key]}")
                gather.pop(key)
            return gather
        for name in dict.fromkeys(self._names_of(other)):  # a name or object given twice is removed once
            gather.pop(name)
        return gather

    def _names_of(self, items: Any) -> list:
        names = []
        for item in items:
            if isinstance(item, str):
                found = [item] if item in self else []
            else:
                found = [k for k, v in self.items() if v is item]
            if not found:
                raise ValueError(f"Cannot remove {item}, because we do not find it in {list(self.keys())}.")
            names += found
        return names

    def subset(self, cls: type | tuple) -> "Collector":
        """The entries that are instances of ``cls``."""
        return type(self)((k, v) for k, v in self.items() if isinstance(v, cls))

    def not_subset(self, cls: type | tuple) -> "Collector":
        """The entries that are not instances of ``cls``."""
        return type(self)((k, v) for k, v in self.items() if not isinstance(v, cls))

    def include(self, *types: type) -> "Collector":
        """The entries whose class is one of ``types`` exactly (a subclass's instance is left out)."""
        return type(self)((k, v) for k, v in self.items() if v.__class__ in types)

    def exclude(self, *types: type) -> "Collector":
        """The entries whose class is none of ``types`` exactly."""
        return type(self)((k, v) for k, v in self.items() if v.__class__ not in types)

    def unique(self) -> "Collector":
        """Each object once (its first path)."""
        seen: set = set()
        out = type(self)()
        for k, v in self.items():
            if id(v) not in seen:
                seen.add(id(v))
                out[k] = v
        return out


class ArrayCollector(Collector):
    """``{path: Variable}``: what ``vars()`` gives, a ``Collector`` with the Variables' values by path (``dict()``)
    and in order (``data()``), as BrainPy's.

    >>> ArrayCollector(v=Variable(1.0)).dict()
    {'v': Array(1., dtype=float32, weak_type=True)}
    """

    def dict(self) -> dict:
        """``{path: value}`` of the Variables held."""
        return {k: v.value for k, v in self.items()}

    def data(self) -> list:
        """The values of the Variables held, in order."""
        return [v.value for v in self.values()]


def collect_nodes(root: "GraphNode", method: str = "relative", level: int = -1,
                  include_self: bool = True) -> Collector:
    """Ordered ``{path: node}`` of the graph under ``root`` (breadth first, first path wins)."""
    _check_method(method)
    check_int("level", level, minimum=-1, exc=ValueError, allowed="-1 (all levels) or an integer >= 0")
    found = Collector()
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
        return Collector(_absolute(found))
    return found


def collect_vars(root: "GraphNode", method: str = "relative", level: int = -1,
                 include_self: bool = True, trainable_only: bool = False) -> ArrayCollector:
    """Ordered ``{path: variable}``; each variable appears once, at its owner's path."""
    _check_method(method)
    nodes = collect_nodes(root, "relative", level, include_self=True)
    candidates: OrderedDict[int, list[tuple[str, str, Variable, bool]]] = OrderedDict()
    for npath, node in nodes.items():
        if not include_self and node is root:
            continue
        for name, var in iter_attr_vars(node):
            if trainable_only and not isinstance(var, TrainVar):
                continue
            is_owner = var._owner is not None and var._owner() is node
            candidates.setdefault(id(var), []).append((npath, name, var, is_owner))
    out = ArrayCollector()
    for cands in candidates.values():
        npath, name, var, _ = next((c for c in cands if c[3]), cands[0])
        # absolute: the owner's display name and the variable's name in it. The owner's path is kept, not read
        # back from the joined path: a Variable in a dict (``self.d = {'a': v}``, path ``E.d.a``) was keyed
        # ``<root>.a``, so two groups holding such dicts made net.vars('absolute') raise a name conflict
        key = f"{nodes[npath].name}.{name}" if method == "absolute" else _join(npath, name)
        out[key] = var
    return out


def _absolute(found: "OrderedDict[str, GraphNode]") -> "OrderedDict[str, GraphNode]":
    out: OrderedDict[str, GraphNode] = OrderedDict()
    for path, node in found.items():
        if node.name in out and out[node.name] is not node:
            raise ValueError(
                f"two nodes share the name {node.name!r} (at {path!r} and another path); names are for "
                "display only — use nodes(method='relative') for unique keys"
            )
        out[node.name] = node
    return out


def _check_method(method: str) -> None:
    check_choice("method", method, _METHODS)


def _summary(value: Any, depth: int = 0) -> Any:
    """What ``parameters`` compares of one attribute: a number or text by value, an array by identity, shape and
    dtype (one replaced by another is seen; one changed in place is not), a small container by its items."""
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes)):
        return value
    if isinstance(value, Variable) or isinstance(value, GraphNode):
        return None  # a Variable's value is read anew by every run; children are walked on their own
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        if not getattr(value, "shape", None) and not is_traced(value):
            try:  # a scalar array (np.float32(3.0)): by value
                return ("scalar", str(value.dtype), value.item())
            except (TypeError, ValueError, AttributeError):
                pass
        return ("array", id(value), tuple(value.shape), str(value.dtype))
    if depth < 2 and isinstance(value, (list, tuple)) and len(value) <= 64:
        return (type(value).__name__, tuple(_summary(v, depth + 1) for v in value))
    if depth < 2 and isinstance(value, dict) and len(value) <= 64:
        return ("dict", tuple((str(k), _summary(v, depth + 1)) for k, v in value.items()))
    return ("object", id(value))


#: Bumped whenever a node's public attribute is set or deleted (Node.__setattr__/__delattr__): what ``vars()`` finds
#: can change only then, or by a list or dict of children changed in place, which ``threaded_vars`` compares itself
_STRUCTURE = [0]


def structure_changed() -> None:
    _STRUCTURE[0] += 1


def threaded_vars(root: "GraphNode") -> dict[str, Variable]:
    """``dict(root.vars())``, kept between calls while the graph stays as it was: a compiled step called from a
    Python loop (``model.jit_step_run(i)``, BrainPy's way to monitor every n steps) walked every node's attributes
    at every call, 0.4 ms of a 0.7 ms call for a 4000-neuron network.

    >>> class G(GraphNode):
    ...     pass
    >>> g = G(); g.v = Variable(0.0); first = threaded_vars(g)
    >>> threaded_vars(g) is first, list(first)
    (True, ['v'])
    """
    kept = root.__dict__.get("_threaded_vars")
    if kept is not None and kept[0] == _STRUCTURE[0] and all(_unchanged(c, seen) for c, seen in kept[1]):
        return kept[2]
    stamp = _STRUCTURE[0]
    variables = dict(collect_vars(root))
    containers = [(value, _contents(value)) for node in collect_nodes(root).values()
                  for name, value in node.__dict__.items()
                  if isinstance(value, (list, dict)) and (not name.startswith("_") or name in _IMPLICIT)]
    object.__setattr__(root, "_threaded_vars", (stamp, containers, variables))
    return variables


def _contents(container: list | dict) -> tuple:
    # the items themselves, not their ids: an item replaced after the old one was freed may get its id
    return tuple(container.items() if isinstance(container, dict) else enumerate(container))


def _unchanged(container: list | dict, seen: tuple) -> bool:
    now = _contents(container)
    return len(now) == len(seen) and all(k == k0 and v is v0 for (k, v), (k0, v0) in zip(now, seen))


def parameters(root: "GraphNode") -> tuple:
    """The plain attributes of every node of ``root`` (numbers, text, arrays, functions, not Variables): a
    compiled program holds them as constants, so a Runner compares them between runs and traces anew when
    one changed (``g.rate = 5.0`` between two runs), as BrainPy, which traces every run, does.

    >>> class G(GraphNode):
    ...     pass
    >>> g = G(); g.rate = 1.0; before = parameters(g); g.rate = 5.0
    >>> parameters(g) == before
    False
    """
    out = []
    for path, node in collect_nodes(root).items():
        for name, value in node.__dict__.items():
            if not name.startswith("_") and name not in _IMPLICIT:
                out.append((path, name, _summary(value)))
    return tuple(out)


def assign_paths(root: "GraphNode") -> None:
    """Give every node of the graph its relative path (which seeds its random stream)."""
    for path, node in collect_nodes(root).items():
        object.__setattr__(node, "_path", path)


def positional_key(table: dict, node: "GraphNode") -> str:
    """The key of a child given without a name: its own name if given, else its class and a counter."""
    if node._name_given:
        return node.name
    base = type(node).__name__
    k = sum(1 for key in table if key.startswith(base) and key[len(base):].isdigit())
    while f"{base}{k}" in table:  # a child named "G1" beside an unnamed G: the next free key, not the taken one
        k += 1
    return f"{base}{k}"


class GraphNode:
    """The graph part of a node: its children and variables, found by attribute (rules above).

    A node keeps extra children and variables that are not attributes in ``implicit_nodes`` and
    ``implicit_vars`` (made by the node's ``__init__``).
    """

    #: False for a node that stands for part of another (a BrainPy group view, ``N[:3200]``): held as an attribute
    #: it is no child of its holder, so its Variables (its parent's) are neither listed twice nor stepped
    graph_child: ClassVar[bool] = True

    if TYPE_CHECKING:  # set by Node.__init__ (node.py): this file imports no node class
        implicit_nodes: OrderedDict[str, GraphNode]
        implicit_vars: OrderedDict[str, Variable]
        _name_given: bool

        @property
        def name(self) -> str: ...

    def __deepcopy__(self, memo: dict) -> "GraphNode":
        """A deep copy whose Variables are owned by the copied nodes (``copy.deepcopy(net)``).

        A Variable's owner is a weak reference, which ``deepcopy`` shares: the copy's Variables still named the
        original nodes as owners, so a variable also held by another node took that node's path in the copy
        (``inp.target_var`` for ``E.V``), and monitors, state dicts and stores keyed by ``E.V`` missed it.
        """
        cls = type(self)
        clone = cls.__new__(cls)
        memo[id(self)] = clone
        clone.__dict__.update(copy.deepcopy(self.__dict__, memo))
        for _, var in iter_attr_vars(self):
            twin = memo.get(id(var))
            if isinstance(twin, Variable) and twin is not var and var._owner is not None and var._owner() is self:
                twin._owner = weakref.ref(clone)
        return clone

    def nodes(self, method: str = "relative", level: int = -1, include_self: bool = True) -> Collector:
        """Ordered ``{path: node}``; relative paths like ``"E"``, ``"E.syn"``; self is ``""``."""
        return collect_nodes(self, method, level, include_self)

    def vars(self, method: str = "relative", level: int = -1, include_self: bool = True) -> ArrayCollector:
        """Ordered ``{path: Variable}`` with paths like ``"E.V"``: the names used by monitors and stores."""
        return collect_vars(self, method, level, include_self)

    def train_vars(self, method: str = "relative", level: int = -1, include_self: bool = True) -> ArrayCollector:
        """Like ``vars()``, trainable variables (``TrainVar``) only."""
        return collect_vars(self, method, level, include_self, trainable_only=True)

    def register_implicit_nodes(self, *nodes: Any, node_cls: type | None = None, **named_nodes: Any) -> None:
        """Add children that are not attributes. Positional ones are keyed by their class and order."""
        node_cls = node_cls or GraphNode
        for node in nodes:
            if isinstance(node, (list, tuple)):
                self.register_implicit_nodes(*node, node_cls=node_cls)
                continue
            if isinstance(node, dict):
                self.register_implicit_nodes(node_cls=node_cls, **node)
                continue
            if not isinstance(node, node_cls):
                raise TypeError(f"implicit node {node!r} must be a {_kind(node_cls)}, got {type(node).__name__}")
            _take(self.implicit_nodes, positional_key(self.implicit_nodes, cast(GraphNode, node)), node, "node")
        for key, node in named_nodes.items():
            if not isinstance(node, node_cls):
                raise TypeError(f"implicit node {key!r} must be a {_kind(node_cls)}, got {type(node).__name__}")
            _take(self.implicit_nodes, key, node, "node")

    def register_implicit_vars(self, *variables: Any, var_cls: type | None = None, **named_vars: Any) -> None:
        """Add variables that are not attributes. Positional ones are keyed ``var0``, ``var1``..."""
        var_cls = var_cls or Variable
        for var in variables:
            if isinstance(var, dict):
                self.register_implicit_vars(var_cls=var_cls, **var)
                continue
            if isinstance(var, (list, tuple)):
                self.register_implicit_vars(*var, var_cls=var_cls)
                continue
            k = len(self.implicit_vars)
            while f"var{k}" in self.implicit_vars:  # after a variable named "var1": the next free key
                k += 1
            self.register_implicit_vars(var_cls=var_cls, **{f"var{k}": var})
        for key, var in named_vars.items():
            if not isinstance(var, var_cls):
                raise TypeError(f"implicit variable {key!r} must be a {var_cls.__name__}, got {type(var).__name__}")
            var = cast(Variable, var)
            _take(self.implicit_vars, key, var, "variable")
            if var._owner is None:
                var._owner = weakref.ref(self)


def _take(table: dict, key: str, item: Any, kind: str) -> None:
    """``table[key] = item``, refusing a key that holds another object (BrainPy: 'Name "w" conflicts'): the first
    was replaced without a word, and a node dropped that way was never stepped again."""
    old = table.get(key)
    if old is not None and old is not item:
        raise ValueError(f"an implicit {kind} is already registered as {key!r} ({old!r}); register this one under "
                         "another name")
    table[key] = item


def _kind(cls: type) -> str:
    # Every node is a DynamicalSystem to its users; GraphNode is the part of it this file knows.
    return "DynamicalSystem" if cls is GraphNode else cls.__name__
