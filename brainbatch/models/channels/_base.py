"""``IonChannel``: a membrane current of a conductance-based group (BrainPy's ``IonChannel`` protocol).

A channel lives on its group (an attribute of a ``CondNeuGroup``) and follows BrainPy's three methods:
``reset_state(V, batch_size=None)`` (initial gates from the membrane potential), ``update(V)`` (advance
the gates one step with V held) and ``current(V)`` (the current it adds to ``C dV/dt``, ``g (E - V)``).
"""
from __future__ import annotations

from typing import Any, Callable

import jax
import jax.numpy as jnp

from ...core import NeuGroup, share
from ...core.checks import is_int
from ...core.modes import Mode
from ...integrators import get_integrator
from ..neurons._base import check_param

__all__ = ["IonChannel", "exprel"]


def exprel(x: jax.Array) -> jax.Array:
    """``(exp(x) - 1) / x`` with its limit 1 at 0, finite in value and gradient (the rate functions' 0/0).

    >>> float(exprel(jnp.float32(0.0)))
    1.0
    """
    small = jnp.abs(x) < 1e-4
    safe = jnp.where(small, 1.0, x)
    return jnp.where(small, 1.0 + x / 2.0, jnp.expm1(safe) / safe)


def _from_graph(args: tuple, kwargs: dict) -> bool:
    """Whether ``reset_state`` was called by a graph reset (``(batch_size)``), not by the group (``(V, ...)``)."""
    if "V" in kwargs:
        return False
    return not args or args[0] is None or is_int(args[0])


class IonChannel(NeuGroup):
    """Base of ion channels: ``size`` as the group's, parameters checked, gates integrated by ``method``.

    Subclasses implement ``reset_state(V, batch_size=None)``, ``update(V)`` and ``current(V)``. A graph
    reset (the runner's) calls ``reset_state(batch_size)`` on every node: here that is routed to
    ``reset_state(V_of_the_group, batch_size)``, so the gates always start from the group's V.
    """

    def __init__(self, size: Any, keep_size: bool = False, method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, name=name, mode=mode)
        self.method = method
        self._integrator = get_integrator(method)
        self._master: Any = None  # the group it belongs to, set by the group (a reference, not a child)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("reset_state")
        if own is None or getattr(own, "_routes_graph_reset", False):
            return

        def reset_state(self: Any, *args: Any, **kw: Any) -> None:
            if _from_graph(args, kw):
                first = self._graph_reset_args()
                if first is None:  # not on a group yet: the group resets its channels itself
                    return None
                batch = args[0] if args else kw.get("batch_size")
                return own(self, *first, batch)
            return own(self, *args, **kw)

        setattr(reset_state, "_routes_graph_reset", True)
        reset_state.__doc__ = own.__doc__
        setattr(reset_state, "__wrapped__", own)
        setattr(cls, "reset_state", reset_state)

    def _master_V(self) -> Any:
        master = self._master
        return None if master is None else master.V.value

    def _graph_reset_args(self) -> tuple | None:
        """What a graph reset passes to ``reset_state`` before ``batch_size`` (None: not on a group yet)."""
        V = self._master_V()
        return None if V is None else (V,)

    def param(self, name: str, value: Any, *, positive: bool = False, nonnegative: bool = False) -> Any:
        return check_param(name, value, self.varshape, positive=positive, nonnegative=nonnegative)

    def integrate(self, f: Callable, y: Any, *args: Any) -> Any:
        """One step of ``f(y, t, *args)`` with the channel's method (``V`` is held over the step)."""
        return self._integrator.step(f, y, share.t, share.dt, *args)

    # takes the group's V first (a graph reset is routed here by __init_subclass__): not Node's signature
    def reset_state(self, V: Any = None, batch_size: int | None = None) -> None:  # type: ignore[override]  # noqa: D102
        pass

    def update(self, V: Any) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement update(V)")

    def current(self, V: Any) -> jax.Array:
        raise NotImplementedError(f"{type(self).__name__} must implement current(V)")
