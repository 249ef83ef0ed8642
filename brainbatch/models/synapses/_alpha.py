"""``Alpha``: a conductance shaped ``w * (t / tau) * exp(-t / tau)`` after a spike."""
from __future__ import annotations

from typing import Any

import jax
import brainunit as u
import jax.numpy as jnp

from ...core import share
from ...core.modes import Mode
from ...core.variable import Variable
from ._base import AbstractSynapse, check_time_constant

__all__ = ["Alpha"]


class Alpha(AbstractSynapse):
    r"""Alpha synapse (BrainPy's form): ``dg/dt = (-g + h) / tau``, ``dh/dt = -h / tau``; a spike adds
    its weight to ``h``.

    Integrated exactly: ``g <- (g + h dt / tau) e``, ``h <- h e + x`` with ``e = exp(-dt / tau)``. A
    spike delivered at step ``s`` gives ``g = w (t / tau) exp(-t / tau)`` with ``t = n dt`` at step
    ``s + n`` (peak ``w / e`` at ``t = tau``).

    Args:
        tau: time constant in ms (scalar, per-neuron array or JAX value).
        size: postsynaptic geometry; left out when a Projection attaches it.

    >>> import brainbatch as bb
    >>> syn = Alpha(tau=1.0, size=1)
    >>> with bb.environment(dt=0.1):
    ...     gs = [float(syn.update(1.0 if i == 0 else 0.0)[0]) for i in range(11)]
    >>> round(gs[10], 5)  # 1 * exp(-1)
    0.36788
    """

    # made by reset_state (init_variable): declared for the type checker only
    h: Variable

    #: units of the physical parameters (docs/units.md); bare numbers are read in these units
    param_units = {"tau": u.ms}

    def __init__(self, tau: Any = 8.0, size: Any = None, keep_size: bool = False, name: str | None = None,
                 mode: Mode | None = None) -> None:
        super().__init__(size, keep_size, name=name, mode=mode)
        self.tau = check_time_constant("tau", tau)
        self.reset_state()

    def init_state(self, batch_size: int | None = None) -> None:
        self.state_var("g", batch_size, "synaptic conductance or current, in the unit of the weights it sums")
        self.state_var("h", batch_size, "auxiliary variable that spikes add to; g follows it")

    def update(self, x: Any = None) -> jax.Array:
        e = self.decay(self.tau, share.dt)
        ratio = jnp.float32(share.dt) / jnp.asarray(self.tau, jnp.float32)
        h = self.h.value
        self.g.value = (self.g.value + h * ratio) * e
        self.h.value = h * e if x is None else h * e + x
        return self.g.value
