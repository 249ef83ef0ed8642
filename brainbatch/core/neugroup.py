"""``NeuGroup``: the base of neuron groups (BrainPy's ``NeuGroup`` with the same arguments)."""
from __future__ import annotations

import math
from typing import Any, Sequence

import jax.numpy as jnp

from .checks import check_bool, is_int
from .base import DynamicalSystem
from .modes import Mode
from .variable import Variable

__all__ = ["NeuGroup", "normalize_size"]


#: The most neurons one group may hold: indices into a group (synapse targets, spike lists) are int32.
MAX_GROUP_SIZE = 2**31 - 1


def normalize_size(size: Any) -> tuple[int, ...]:
    """``size`` (int, tuple or list of positive ints) as a tuple; a clear error otherwise.

    >>> normalize_size([10, 10])
    (10, 10)
    """
    items = (size,) if not isinstance(size, (tuple, list)) else tuple(size)
    if not items:
        raise ValueError(f"size must be a positive integer or a non-empty tuple of them, got {size!r}")
    out = []
    for item in items:
        if not (is_int(item) and item >= 1):
            raise ValueError(f"size must be a positive integer or a tuple of them, got {size!r} (bad entry {item!r})")
        out.append(int(item))
    if math.prod(out) > MAX_GROUP_SIZE:  # a typo (1e12 for 1e4) was an allocation failure deep inside XLA
        raise ValueError(f"size {size!r} is {math.prod(out):,} neurons, more than one group holds "
                         f"({MAX_GROUP_SIZE:,}: neuron and synapse indices are int32); split it into several groups")
    return tuple(out)


class NeuGroup(DynamicalSystem):
    """A group of neurons with geometry ``size``.

    Args:
        size: int, tuple or list of ints (the geometry).
        keep_size: variables keep the geometry (``varshape == size``) instead of ``(num,)``.
        name: display name.
        mode: computing mode.

    >>> g = NeuGroup((10, 10)); (g.num, g.varshape)
    (100, (100,))
    """

    # a spiking group's raster (SpikingNeuron, PoissonGroup make it; a Projection's pre needs it):
    # declared for the type checker only
    spike: Variable

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, name: str | None = None,
                 mode: Mode | None = None):
        self.size = normalize_size(size)
        self.keep_size = check_bool("keep_size", keep_size, exc=ValueError)
        self.num = math.prod(self.size)
        super().__init__(name=name, mode=mode)

    @property
    def varshape(self) -> tuple[int, ...]:
        """Shape of the group's variables (without batch axis)."""
        return self.size if self.keep_size else (self.num,)

    @property
    def dims(self) -> tuple[str, ...]:
        """Names of the variable dims for stores: ``("neuron",)`` or ``("y", "x")``-style for 2-D groups."""
        if not self.keep_size or len(self.size) == 1:
            return ("neuron",)
        names = {2: ("y", "x"), 3: ("z", "y", "x")}
        return names.get(len(self.size), tuple(f"d{k}" for k in range(len(self.size))))

    def update(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement update()")

    def clear_input(self, *args: Any, **kwargs: Any) -> None:
        """Zero the per-step ``input`` variable, if the group has one."""
        inp = self.__dict__.get("input")
        if isinstance(inp, Variable):
            inp.value = jnp.zeros_like(inp.value)
