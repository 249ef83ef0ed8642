"""BrainPy 2.8.2's two places for the current inputs of a neuron (``brainpy/dyn/neurons/lif.py``, ``hh.py``).

The ``...LTC`` classes (``LifLTC``, ``LifRefLTC``, ``HHLTC``...) sum the current inputs
inside the derivative, with the V being integrated, as brainbatch's models do: ``exp_auto`` then steps a
conductance input ``g (E - V)`` together with the leak. The classes without ``LTC`` (``Lif``, ``LifRef``,
``bp.neurons.LIF``...) sum them once, at the V the step starts from, and hold that current over the step.
The two differ only for inputs that depend on V (COBA, ``MgBlock``, gap junctions): 0.02 mV after 6 ms of one
COBA input on a ``Lif``, and other spike times after a few hundred steps of a network.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class CurrentAtStepStart:
    """Mixin (before the model class): ``update`` sums the current inputs at the step's starting V, and
    ``sum_current_inputs`` gives that sum for the rest of the step, as BrainPy's non-LTC classes."""

    #: False in a subclass that is BrainPy's LTC twin (the sum inside the derivative)
    hold_current_inputs: bool = True

    @contextmanager
    def held_currents(self) -> Iterator[None]:
        """Within it (one step), ``sum_current_inputs`` gives the sum at the V the step starts from."""
        if not self.hold_current_inputs:
            yield
            return
        # kept out of the Variables: a value of this step only, dropped when the step ends
        self.__dict__["_held_current"] = super().sum_current_inputs(self.V.value)  # type: ignore[misc,attr-defined]
        try:
            yield
        finally:
            self.__dict__.pop("_held_current", None)

    def update(self, *args: Any, **kwargs: Any) -> Any:
        with self.held_currents():
            return super().update(*args, **kwargs)  # type: ignore[misc]

    def sum_current_inputs(self, *args: Any, init: Any = 0.0, label: str | None = None, **kwargs: Any) -> Any:
        held = self.__dict__.get("_held_current")
        if held is None or label is not None:
            return super().sum_current_inputs(*args, init=init, label=label, **kwargs)  # type: ignore[misc]
        return init + held

    sum_inputs = sum_current_inputs


def ltc_twin(cls: type, name: str) -> type:
    """BrainPy's ``...LTC`` class of ``cls`` (a ``CurrentAtStepStart`` class): the same model, with the current
    inputs summed inside the derivative."""
    doc = f"BrainPy's ``{name}``: ``{cls.__name__}`` with the current inputs summed inside the derivative."
    return type(name, (cls,), {"hold_current_inputs": False, "__doc__": doc, "__module__": cls.__module__})
