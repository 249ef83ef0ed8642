"""``PoissonGroup``: a group of independent Poisson spike sources (usable as a projection source)."""
from __future__ import annotations

from typing import Any

import jax
import brainunit as u
import jax.numpy as jnp
import numpy as np

from ...core import NeuGroup, share
from ...core.random import uniform as fast_uniform
from ...core.modes import Mode
from ...core.variable import Variable
from ..neurons._base import check_param, is_concrete

__all__ = ["PoissonGroup"]


class PoissonGroup(NeuGroup):
    """Neurons that spike independently with probability ``freqs * dt / 1000`` in every step.

    ``freqs`` (Hz) is a scalar or one value per neuron, Python or JAX (possibly traced). Each step
    draws one uniform per neuron (and per batch lane) from this node's step key.

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> g = PoissonGroup(1000, freqs=50.)
    >>> spikes = bb.for_loop(lambda i: g.step_run(i), jnp.arange(200), dyn_vars=g)  # 20 ms
    >>> 0.8 < float(spikes.mean()) / 0.005 < 1.2
    True
    """

    # made by reset_state (init_variable): declared for the type checker only
    spike: Variable

    #: units of the physical parameters (docs/units.md); bare numbers are read in these units
    param_units = {"freqs": u.Hz}

    def __init__(self, size: Any, freqs: Any, keep_size: bool = False, name: str | None = None,
                 mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, name=name, mode=mode)
        self.freqs = check_param("freqs", freqs, self.varshape, nonnegative=True)
        if is_concrete(self.freqs):
            self._check_probability(share.dt)
        self.reset_state()

    def _check_probability(self, dt: float) -> None:
        p_max = float(np.max(np.asarray(self.freqs, np.float64))) * dt / 1000.0
        if p_max > 1.0 + 1e-9:
            raise ValueError(f"freqs * dt / 1000 must be <= 1, got freqs up to {p_max * 1000 / dt!r} Hz with "
                             f"dt={dt} ms; lower freqs or dt")

    def reset_state(self, batch_size: int | None = None) -> None:
        self.init_variable("spike", False, batch_size=batch_size, dtype=jnp.bool_, units="1", kind="spikes",
                           description="whether the source spiked in this step")

    def update(self) -> jax.Array:
        if is_concrete(self.freqs):
            self._check_probability(share.dt)
        u = fast_uniform(self.step_key(), self.spike.shape, jnp.float32)
        spike = u < jnp.asarray(self.freqs, jnp.float32) * (share.dt / 1000.0)
        self.spike.value = spike
        return spike
