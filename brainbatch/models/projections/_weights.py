"""Synaptic weights of a projection: one scalar, or one value per synapse."""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ...core.initializers import Initializer, concrete_numbers, init_array
from ...core.checks import is_bool, refuse_beyond_float32

__all__ = ["WeightSpec"]


class WeightSpec:
    """A checked weight: a scalar (number or JAX value, possibly traced), an initializer or callable
    ``(shape, dtype, key)`` drawn per synapse, or a dense ``(n_pre, n_post)`` array gathered onto the
    synapses (for small groups).

    >>> WeightSpec(0.6, 4, 3).is_scalar
    True
    """

    def __init__(self, weight: Any, n_pre: int, n_post: int):
        self.n_pre, self.n_post = n_pre, n_post
        if is_bool(weight) or isinstance(weight, str) or weight is None:
            raise TypeError(f"weight must be a number, a JAX value, an initializer or an array, got {weight!r}")
        if not callable(weight) and np.iscomplexobj(weight):  # it failed in the run, as "float() argument must be..."
            raise TypeError(f"weight must be real numbers, got {weight!r}")
        if isinstance(weight, Initializer) or (callable(weight) and not hasattr(weight, "shape")):
            self.kind, self.value = "init", weight
            return
        shape = tuple(np.shape(weight))
        numbers = concrete_numbers(weight)
        if numbers is not None and not np.all(np.isfinite(numbers)):  # a NaN would reach every target
            raise ValueError(f"weight must be finite, got {weight!r}" if shape == () else
                             f"weight holds {int(np.sum(~np.isfinite(numbers)))} value(s) that are NaN or infinite")
        if numbers is not None:
            refuse_beyond_float32("weight", numbers, weight, largest=shape != ())
        if shape == ():
            self.kind, self.value = "scalar", weight
        elif shape == (n_pre, n_post):
            self.kind, self.value = "dense", jnp.asarray(weight, jnp.float32)
        else:
            raise ValueError(
                f"weight has shape {shape}; give a scalar, an initializer (drawn per synapse), or a dense "
                f"array of shape (n_pre, n_post) = {(n_pre, n_post)}"
            )

    @property
    def is_scalar(self) -> bool:
        return self.kind == "scalar"

    def per_synapse(self, key: jax.Array, targets: jax.Array) -> jax.Array:
        """``float32 (n_pre, K)`` weights aligned with ``targets`` (0 on padding)."""
        valid = targets < self.n_post
        if self.kind == "dense":
            rows = jnp.arange(self.n_pre)[:, None]
            w = self.value[rows, jnp.where(valid, targets, 0)]
        elif self.kind == "init":
            w = init_array(self.value, targets.shape, jnp.float32, key=key)
        else:
            w = jnp.broadcast_to(jnp.asarray(self.value, jnp.float32), targets.shape)
        return jnp.where(valid, w, 0.0).astype(jnp.float32)
