"""``Network``: a container that updates its children in the step order of docs/step-order.md."""
from __future__ import annotations

from typing import Any, cast

from .base import DynamicalSystem
from .graph import iter_attr_nodes, positional_key
from .modes import Mode
from .context import share
from .node import STEP_TOKEN, UPDATE_PHASES, StepRecord

__all__ = ["Network"]



class Network(DynamicalSystem):
    """Children given positionally (keyed by class and position) or by name.

    ``update()`` runs the children that deliver (projections, synapses, inputs) first, then the
    dynamics (neuron groups); delays record and inputs clear after the whole step (``step_run``).

    >>> import brainbatch as bb
    >>> net = bb.Network(E=bb.NeuGroup(4))
    >>> list(net.nodes())
    ['', 'E']
    """

    def __init__(self, *children: Any, name: str | None = None, mode: Mode | None = None,
                 **named_children: Any) -> None:
        super().__init__(name=name, mode=mode)
        flat: list[Any] = []
        for child in children:
            flat.extend(child if isinstance(child, (list, tuple)) else [child])
        seen: dict[int, str] = {}  # id(child) -> its key: a child given twice would run once, under one name

        def take(key: str, child: Any) -> None:
            if id(child) in seen:
                raise ValueError(f"Network: the same {type(child).__name__} is given twice, as {seen[id(child)]!r} and "
                                 f"{key!r}; a node runs once per step: give it once")
            if key in seen.values():
                raise ValueError(f"Network: two children are named {key!r}; the second would replace the first: "
                                 "give each its own name")
            seen[id(child)] = key

        for child in flat:
            if isinstance(child, dict):
                for key, value in child.items():  # as keywords, in order, refusing the same name twice
                    if key in named_children:
                        raise ValueError(f"Network: two children are named {key!r}; give each its own name")
                    named_children[key] = value
                continue
            if not isinstance(child, DynamicalSystem):
                raise TypeError(f"Network children must be DynamicalSystems, got {child!r}")
            key = positional_key(self.implicit_nodes, child)
            take(key, child)
            self.implicit_nodes[key] = child
        for key, child in named_children.items():
            if not isinstance(child, DynamicalSystem):
                raise TypeError(f"Network child {key!r} must be a DynamicalSystem, got {child!r}")
            if not key.isidentifier():
                raise ValueError(f"Network child names must be identifiers, got {key!r}")
            if hasattr(type(self), key):  # vars, nodes, children, update...: the child would hide a method
                raise ValueError(f"Network child name {key!r} is the name of a Network method or attribute; "
                                 f"choose another (e.g. {key}_)")
            take(key, child)
            setattr(self, key, child)

    def children(self) -> dict[str, DynamicalSystem]:
        """Direct children in update order."""
        # a child held under two attribute names (self.exc = self.E) is one node: it runs once per step, at
        # its first name, as Network(E=g, exc=g) refuses and BrainPy's unique() children do
        items: list[tuple[str, DynamicalSystem]] = []
        seen: set[int] = set()
        for k, v in iter_attr_nodes(self):
            # only dynamical systems are stepped: another node held here (an integrator, which its owner calls
            # with its own arguments) is listed by nodes() but never run by the step, as in BrainPy's DynSysGroup
            if id(v) not in seen and isinstance(v, DynamicalSystem):
                seen.add(id(v))
                items.append((k, cast(DynamicalSystem, v)))
        items.sort(key=lambda kv: UPDATE_PHASES.index(kv[1].update_phase))
        return dict(items)

    def update(self, *args: Any, **kwargs: Any) -> None:
        if self.__dict__.get("_bb_updating"):
            # a network reached again from its own children (self.me = self, or a child's self.net = net) stepped
            # itself until Python's RecursionError, a thousand frames deep
            raise ValueError(f"Network {self.name!r} is among its own children ({_cycle(self)}), so its update would "
                             "call itself without end; hold a reference back to a parent under a name starting "
                             "with '_' (self._net = net), which is a reference, not a child")
        object.__setattr__(self, "_bb_updating", True)
        record = share.load(STEP_TOKEN, None)
        try:
            for key, child in self.children().items():
                if child.update_phase == "record":
                    continue
                if record is not None:
                    _check_stepped_once(self, key, child, record)
                child()
        finally:
            object.__setattr__(self, "_bb_updating", False)


def _check_stepped_once(net: Network, key: str, child: DynamicalSystem, record: StepRecord) -> None:
    """A child of two Networks of one model (``outer.E = g``, ``outer.sub = Network(E=g)``) was stepped by both:
    twice per step, silently twice as fast. Refused, as ``Network(E=g, exc=g)`` is. (One Network called twice in a
    step by a custom ``update``, substeps, steps its children twice on purpose.)"""
    here = repr(net._path) if net._path else "the root"
    other = record.stepped.get(id(child))
    if other is not None and other[0] != id(net):
        raise ValueError(f"{type(child).__name__} {child.name!r} is a child of two Networks ({other[1]} and {here}, "
                         f"as {key!r}), so it would be stepped twice in every step; a node runs once per step: keep "
                         f"it in one of them and hold it in the other under a name starting with '_' "
                         f"(self._{key} = ...), which is a reference, not a child")
    record.stepped[id(child)] = (id(net), here)


def _cycle(net: Network) -> str:
    """The attribute path from ``net`` back to itself, for the message (``"me"``, ``"b.a"``)."""
    seen: set[int] = set()
    stack: list[tuple[str, Any]] = [(k, v) for k, v in iter_attr_nodes(net)]
    while stack:
        path, node = stack.pop(0)
        if node is net:
            return f"through {path!r}"
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.extend((f"{path}.{k}", v) for k, v in iter_attr_nodes(node))
    return "through a child's update"
