"""The delay registry of a node: ``register_delay``/``get_delay_data`` and the local-delay methods.

Each registered delay reads the shared ring buffer (``delays.Delay``) of its target variable, held by
the variable's owner as the implicit child ``<var>_delay`` (docs/step-order.md has the read rule).
"""
from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from .delays import Delay, delay_of
from .errors import unknown_name_error
from .graph import iter_attr_vars
from .variable import Variable

__all__ = ["DelayRegistry"]


if TYPE_CHECKING:  # mixed into DynamicalSystem (base.py), a Node
    from .node import Node as _Host
else:
    _Host = object


class DelayRegistry(_Host):
    """Delay methods of a node (BrainPy's names). The node keeps ``{identifier: (buffer, target)}``."""

    @property
    def registered_delays(self) -> dict:
        """``{identifier: (delay buffer, target)}`` of the delays registered on this node."""
        return self._delays

    @property
    def global_delay_data(self) -> dict:
        """Deprecated name of ``registered_delays`` (it was never global: it is per node)."""
        _deprecated("global_delay_data", "registered_delays")
        return self._delays

    def register_delay(self, identifier: str, delay_step: Any, delay_target: Variable,
                       initial_delay_data: Any = None) -> Any:
        """Keep a history of ``delay_target`` long enough for ``delay_step`` (int or per-element ints).

        Every delay of one variable shares one ring buffer held by the variable's owner.
        """
        if not isinstance(identifier, str):
            raise TypeError(f"identifier must be a string, got {identifier!r}")
        if not isinstance(delay_target, Variable):
            raise TypeError(f"delay_target must be a Variable, got {type(delay_target).__name__}")
        delay = delay_of(delay_target, self, initial_delay_data)
        delay.register_steps(identifier, delay_step)
        self._delays[identifier] = (delay, delay_target)
        return delay_step

    def get_delay_data(self, identifier: str, delay_step: Any, *indices: Any) -> Any:
        """The value of the registered target ``delay_step`` steps ago (the rule of docs/step-order.md)."""
        if identifier not in self._delays:
            raise unknown_name_error("delay", identifier, self._delays)
        delay, target = self._delays[identifier]
        if delay_step is None:
            out = target.value
        else:
            out = delay.retrieve_steps(delay_step)
        return out[indices] if indices else out

    def register_local_delay(self, var_name: str, delay_name: str, delay: Any = 0.0, *,
                             round_to_step: bool = False) -> None:
        """Register a delay of ``delay`` ms for this node's variable ``var_name`` under ``delay_name``.

        ``delay/dt`` must be an integer (within 1e-6) unless ``round_to_step=True``.
        """
        var = self.__dict__.get(var_name)
        if not isinstance(var, Variable):
            own = [n for n, _ in iter_attr_vars(self)]
            raise unknown_name_error(f"variable of {self.name}", var_name, own)
        delay_of(var, self, None).register_time(delay_name, delay, round_to_step=round_to_step)

    def get_local_delay(self, var_name: str, delay_name: str) -> Any:
        """The delayed value registered with ``register_local_delay``."""
        return self.get_delay_buffer(var_name).retrieve(delay_name)

    def get_delay_var(self, name: str) -> Any:
        """Deprecated name of ``get_delay_buffer`` (it returns the buffer node, not a Variable)."""
        _deprecated("get_delay_var", "get_delay_buffer")
        return self.get_delay_buffer(name)

    def get_delay_buffer(self, name: str) -> Any:
        """The ring buffer (``Delay`` node) of this node's variable ``name``."""
        delays = self.__dict__.get("implicit_nodes", {})
        key = f"{name}_delay"
        if key not in delays:
            have = [k[: -len("_delay")] for k in delays if k.endswith("_delay")]
            raise unknown_name_error(f"delayed variable of {self.name}", name, have)
        return delays[key]

    def update_local_delays(self, nodes: Any = None) -> None:
        """Record this step's values in the delay buffers of ``nodes`` (default: the whole graph)."""
        for delay in _delays_in(self, nodes):
            delay.update()

    def reset_local_delays(self, nodes: Any = None) -> None:
        """Refill the delay buffers of ``nodes`` with their initial values."""
        for delay in _delays_in(self, nodes):
            delay.reset_state()


def _deprecated(old: str, new: str) -> None:
    warnings.warn(f"DynamicalSystem.{old} is deprecated; use {new}", DeprecationWarning, stacklevel=3)


def _delays_in(root: Any, nodes: Any) -> list:
    nodes = root.nodes().values() if nodes is None else (nodes.values() if isinstance(nodes, dict) else nodes)
    return [n for n in nodes if isinstance(n, Delay)]
