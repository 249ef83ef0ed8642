"""Synaptic outputs: how a synaptic variable ``g`` becomes a current for the postsynaptic group.

A projection registers ``out.current(g, V)`` with ``post.add_inp_fun``; the neuron sums it in its
derivative through ``sum_current_inputs(V)``, so exponential Euler linearises ``g * (E - V)`` in ``V``.
"""
from __future__ import annotations

import abc
from typing import Any

import jax
import numpy as np
import brainunit as u
from ...core.checks import is_bool, is_traced, refuse_beyond_float32
from ...core.errors import NamedKeywords
from ...core.units import to_convention

__all__ = ["AbstractOutput", "CUBA", "COBA"]


class AbstractOutput(abc.ABC, NamedKeywords):
    """Maps the synaptic variable ``g`` and the membrane potential ``V`` to an input current."""

    @abc.abstractmethod
    def current(self, g: jax.Array, V: jax.Array | None) -> jax.Array:
        """The current added to the postsynaptic group in this step."""

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"


class CUBA(AbstractOutput):
    """Current-based: ``g`` itself is the current (``V`` is ignored).

    >>> CUBA().current(2.0, -60.0)
    2.0
    """

    def current(self, g: jax.Array, V: jax.Array | None = None) -> jax.Array:
        return g


class COBA(AbstractOutput):
    """Conductance-based with reversal potential ``E`` (mV): current ``g * (E - V)``.

    With ``g`` in units of the leak conductance and ``R = 1`` this is the COBA model of docs/reference-models.md:
    ``tau_m dV/dt = ge (E_e - V) + gi (E_i - V) - (V - V_rest) + I``.

    >>> COBA(E=0.0).current(0.5, -60.0)
    30.0
    """

    def __init__(self, E: Any):
        E = to_convention("E", E, u.mV, "COBA")
        if is_bool(E) or isinstance(E, str) or E is None:
            raise TypeError(f"E must be a reversal potential in mV (a number or array), got {E!r}")
        if not is_traced(E):
            if not np.all(np.isfinite(np.asarray(E, dtype=np.float64))):
                raise ValueError(f"E must be finite, got {E!r}")
            refuse_beyond_float32("E", E, E)
        self.E = E

    def current(self, g: jax.Array, V: jax.Array | None) -> jax.Array:
        if V is None:
            raise ValueError("COBA needs the membrane potential: the group must call sum_current_inputs(V)")
        return g * (self.E - V)
