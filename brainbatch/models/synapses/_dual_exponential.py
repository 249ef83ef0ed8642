"""``DualExponential``: a difference of two exponentials (separate rise and decay times)."""
from __future__ import annotations

from typing import Any

import jax
import brainunit as u
import jax.numpy as jnp

from ...core import share
from ...core.modes import Mode
from ...core.variable import Variable
from ._base import AbstractSynapse, check_time_constant

__all__ = ["DualExponential", "DualExpon"]


class DualExponential(AbstractSynapse):
    r"""Dual-exponential synapse (BrainPy's form): ``dg/dt = -g / tau_decay + h``,
    ``dh/dt = -h / tau_rise``; a spike adds its weight to ``h``.

    Integrated exactly. A spike delivered at step ``s`` gives, at step ``s + n`` (``t = n dt``)::

        g = w * tau_decay * tau_rise / (tau_decay - tau_rise) * (exp(-t / tau_decay) - exp(-t / tau_rise))

    (``w * t * exp(-t / tau)`` when the two are equal). ``DualExpon`` is BrainPy's name.

    Args:
        tau_rise, tau_decay: time constants in ms (scalars, per-neuron arrays or JAX values).
        size: postsynaptic geometry; left out when a Projection attaches it.

    >>> import brainbatch as bb
    >>> syn = DualExponential(tau_rise=1.0, tau_decay=10.0, size=1)
    >>> with bb.environment(dt=0.1):
    ...     gs = [float(syn.update(1.0 if i == 0 else 0.0)[0]) for i in range(11)]
    >>> round(gs[10], 4)  # 10/9 * (exp(-0.1) - exp(-1))
    0.5966
    """

    # made by reset_state (init_variable): declared for the type checker only
    h: Variable

    #: units of the physical parameters (docs/units.md); bare numbers are read in these units
    param_units = {"tau_rise": u.ms, "tau_decay": u.ms}

    def __init__(self, tau_rise: Any = 1.0, tau_decay: Any = 10.0, size: Any = None, keep_size: bool = False,
                 name: str | None = None, mode: Mode | None = None) -> None:
        super().__init__(size, keep_size, name=name, mode=mode)
        self.tau_rise = check_time_constant("tau_rise", tau_rise)
        self.tau_decay = check_time_constant("tau_decay", tau_decay)
        self.reset_state()

    def init_state(self, batch_size: int | None = None) -> None:
        self.state_var("g", batch_size, "synaptic conductance or current, in the unit of the weights it sums")
        self.state_var("h", batch_size, "auxiliary variable that spikes add to; g follows it")

    def update(self, x: Any = None) -> jax.Array:
        dt = jnp.float32(share.dt)
        e_d, e_r = self.decay(self.tau_decay, share.dt), self.decay(self.tau_rise, share.dt)
        rate_gap = 1.0 / jnp.asarray(self.tau_rise, jnp.float32) - 1.0 / jnp.asarray(self.tau_decay, jnp.float32)
        # What h contributes to g over one step: (e_d - e_r) / rate_gap, whose limit at equal taus is
        # dt * e_d; the double where keeps both the value and its gradient finite there.
        near = jnp.abs(rate_gap * dt) < 1e-4
        safe_gap = jnp.where(near, 1.0, rate_gap)
        gain = jnp.where(near, dt * e_d, (e_d - e_r) / safe_gap)
        h = self.h.value
        self.g.value = self.g.value * e_d + h * gain
        self.h.value = h * e_r if x is None else h * e_r + x
        return self.g.value


DualExpon = DualExponential
