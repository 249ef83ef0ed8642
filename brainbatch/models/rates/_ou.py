"""``OUProcess``: Ornstein-Uhlenbeck noise, one process per element (BrainPy's ``OUProcess``)."""
from __future__ import annotations

from typing import Any

import jax
import brainunit as u
import jax.numpy as jnp

from ...core import NeuGroup, share
from ...core.modes import Mode
from ...core.random import normal
from ...core.variable import Variable
from ..neurons._base import check_param

__all__ = ["OUProcess"]


class OUProcess(NeuGroup):
    r"""``dx = (mean - x) / tau dt + sigma dW``, one independent process per element.

    Each step (exponential Euler, as BrainPy's ``exp_euler`` SDE integrator)::

        x <- mean + (x - mean) exp(-dt / tau) + sigma sqrt(dt) N(0, 1)

    with the normal drawn from this node's step key. ``x`` starts at ``mean``. Units: ``sigma`` in
    units of x per sqrt(ms), ``tau`` in ms. Every parameter may be traced (swept).

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> import math
    >>> ou = OUProcess(2000, mean=0., sigma=0.1, tau=5.)
    >>> xs = bb.for_loop(lambda i: ou.step_run(i), jnp.arange(500), dyn_vars=ou)
    >>> 0.9 < float(xs[-1].std()) / (0.1 * (0.1 / (1 - math.exp(-0.04))) ** 0.5) < 1.1  # stationary std
    True
    """

    # made by reset_state (init_variable): declared for the type checker only
    x: Variable

    #: units of the physical parameters (docs/units.md): the process is a plain number, tau in ms
    param_units = {"mean": u.UNITLESS, "sigma": u.ms ** -0.5, "tau": u.ms}  # sigma: x per sqrt(ms)

    def __init__(self, size: Any, mean: Any = 0.0, sigma: Any = 1.0, tau: Any = 10.0, keep_size: bool = False,
                 name: str | None = None, mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, name=name, mode=mode)
        self.mean = check_param("mean", mean, self.varshape)
        self.sigma = check_param("sigma", sigma, self.varshape, nonnegative=True)
        self.tau = check_param("tau", tau, self.varshape, positive=True)
        self.reset_state()

    def reset_state(self, batch_size: int | None = None) -> None:
        self.init_variable("x", jnp.broadcast_to(jnp.asarray(self.mean, jnp.float32), self.varshape),
                           batch_size=batch_size, description="Ornstein-Uhlenbeck process")

    def update(self) -> jax.Array:
        dt = jnp.float32(share.dt)
        mean = jnp.asarray(self.mean, jnp.float32)
        decay = jnp.exp(-dt / jnp.asarray(self.tau, jnp.float32))
        noise = normal(self.step_key(), self.x.shape, jnp.float32)
        self.x.value = mean + (self.x.value - mean) * decay + jnp.asarray(self.sigma, jnp.float32) * jnp.sqrt(dt) * noise
        return self.x.value
