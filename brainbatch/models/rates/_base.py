"""``RateModel``: the base of population (rate) models: checked parameters, an integrator, inputs."""
from __future__ import annotations

from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np

from ...core import NeuGroup, share
from ...core.checks import is_traced
from ...core.modes import Mode
from ...integrators import get_integrator
from ..neurons._base import check_param

__all__ = ["RateModel", "noise_gate"]


def noise_gate(mean: Any, sigma: Any) -> Any:
    """Whether an OU process is on: BrainPy creates one iff ``any(mean > 0) or any(sigma > 0)``.

    ``False``/``True`` for concrete values (no process is built when off); a traced 0/1 float when a
    sweep vmaps over ``mean`` or ``sigma`` (the process is built and its output multiplied by it).

    >>> noise_gate(0.0, 0.0), noise_gate(0.0, 0.01)
    (False, True)
    """
    if is_traced(mean) or is_traced(sigma):
        on = jnp.any(jnp.asarray(mean) > 0) | jnp.any(jnp.asarray(sigma) > 0)
        return on.astype(jnp.float32)
    return bool(np.any(np.asarray(mean) > 0) or np.any(np.asarray(sigma) > 0))  # numpy: no tracer under jit


class RateModel(NeuGroup):
    """A population model with continuous state (no spikes): parameters checked like the neurons',
    the integrator picked by ``method`` (``"exp_euler"``, ``"euler"``, ``"rk2"``, ``"rk4"``, ... any name of
    ``integrators.get_integrator``)."""

    def __init__(self, size: Any, keep_size: bool = False, method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, name=name, mode=mode)
        self.method = method
        self._integrator = get_integrator(method)  # an unknown name fails here, with suggestions

    def param(self, name: str, value: Any, *, positive: bool = False, nonnegative: bool = False) -> Any:
        """Check a parameter against this group's shape (``models.neurons.check_param``)."""
        return check_param(name, value, self.varshape, positive=positive, nonnegative=nonnegative)

    def integrate(self, f: Callable, y: Any, *args: Any) -> Any:
        """One step of ``f(y, t, *args)`` from ``share.t`` to ``share.t + share.dt``."""
        return self._integrator.step(f, y, share.t, share.dt, *args)

    def update(self, *args: Any) -> jax.Array:
        raise NotImplementedError(f"{type(self).__name__} must implement update()")
