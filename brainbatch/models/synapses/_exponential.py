"""``Exponential``: a conductance that jumps by the weight at a spike and decays with ``tau``."""
from __future__ import annotations

from typing import Any

import brainunit as u
import jax
import jax.numpy as jnp

from ...core import share
from ...core.modes import Mode
from ...errors import did_you_mean
from ._base import AbstractSynapse, check_time_constant

__all__ = ["Exponential", "Expon"]

_METHODS = ("exact", "euler")


class Exponential(AbstractSynapse):
    r"""Single-exponential synapse: ``dg/dt = -g / tau``, and a spike adds its weight to ``g``.

    One step: ``g <- g * exp(-dt / tau) + x`` (exact decay). A spike delivered at step ``s`` gives
    ``g = w * exp(-(n * dt) / tau)`` at step ``s + n``. ``Expon`` is BrainPy's name.
    ``method="euler"`` steps the decay as forward Euler does, ``g <- g * (1 - dt / tau) + x``: the model of a
    script that integrates ``dg/dt = -g / tau`` with Euler (Brian2's STDP example, ``method='euler'``), whose
    pulses integrate to ``tau`` instead of ``dt / (1 - exp(-dt / tau))`` (1 % more at dt / tau = 0.02).

    Args:
        tau: decay time constant in ms (scalar, per-neuron array or JAX value).
        size: postsynaptic geometry; left out when a Projection attaches it.
        method: ``"exact"`` (the default) or ``"euler"``.

    >>> import brainbatch as bb
    >>> syn = Exponential(tau=5.0, size=2)
    >>> with bb.environment(dt=0.1):
    ...     _ = syn.update(1.0); g = syn.update(0.0)
    >>> [round(v, 5) for v in g.tolist()]  # exp(-0.1 / 5)
    [0.9802, 0.9802]
    """

    #: units of the physical parameters (docs/units.md); bare numbers are read in these units
    param_units = {"tau": u.ms}

    def __init__(self, tau: Any = 8.0, size: Any = None, keep_size: bool = False, name: str | None = None,
                 mode: Mode | None = None, method: str = "exact") -> None:
        super().__init__(size, keep_size, name=name, mode=mode)
        self.tau = check_time_constant("tau", tau)
        if method not in _METHODS:
            raise ValueError(f"Exponential: method must be one of {', '.join(map(repr, _METHODS))}, got {method!r}."
                             + did_you_mean(method, _METHODS))
        self.method = method
        self.reset_state()

    def init_state(self, batch_size: int | None = None) -> None:
        self.state_var("g", batch_size, "synaptic conductance or current, in the unit of the weights it sums")

    def step_decay(self, dt: float) -> jax.Array:
        """What ``g`` is multiplied by over one step of ``dt``: ``exp(-dt / tau)``, or ``1 - dt / tau`` (euler)."""
        if self.method == "euler":
            return 1 - jnp.float32(dt) / jnp.asarray(self.tau, jnp.float32)
        return self.decay(self.tau, dt)

    def update(self, x: Any = None) -> jax.Array:
        g = self.g.value * self.step_decay(share.dt)
        self.g.value = g if x is None else g + x
        return self.g.value


Expon = Exponential
