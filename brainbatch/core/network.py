"""``Network``: a container that updates its children in the step order of docs/step-order.md."""
from __future__ import annotations

from typing import Any, cast

from .base import DynamicalSystem
from .graph import iter_attr_nodes, positional_key
from .modes import Mode
from .node import UPDATE_PHASES

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
        for child in flat:
            if isinstance(child, dict):
                named_children.update(child)
                continue
            if not isinstance(child, DynamicalSystem):
                raise TypeError(f"Network children must be DynamicalSystems, got {child!r}")
            self.implicit_nodes[positional_key(self.implicit_nodes, child)] = child
        for key, child in named_children.items():
            if not isinstance(child, DynamicalSystem):
                raise TypeError(f"Network child {key!r} must be a DynamicalSystem, got {child!r}")
            if not key.isidentifier():
                raise ValueError(f"Network child names must be identifiers, got {key!r}")
            setattr(self, key, child)

    def children(self) -> dict[str, DynamicalSystem]:
        """Direct children in update order."""
        items = [(k, cast(DynamicalSystem, v)) for k, v in iter_attr_nodes(self)]
        items.sort(key=lambda kv: UPDATE_PHASES.index(kv[1].update_phase))
        return dict(items)

    def update(self, *args: Any, **kwargs: Any) -> None:
        for child in self.children().values():
            if child.update_phase != "record":
                child()
