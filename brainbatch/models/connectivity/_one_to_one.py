"""``OneToOne``: neuron ``i`` of pre projects to neuron ``i`` of post."""
from __future__ import annotations

import jax
import jax.numpy as jnp

from ._base import AbstractConnector, Connectivity

__all__ = ["OneToOne"]


class OneToOne(AbstractConnector):
    """``i -> i`` for every ``i``; pre and post must have the same number of neurons (``K = 1``).

    >>> import jax
    >>> OneToOne()(jax.random.key(0), 3, 3).targets.tolist()
    [[0], [1], [2]]
    """

    def fan_out(self, n_pre: int, n_post: int, same_group: bool = False) -> int:
        return 1

    def build(self, key: jax.Array, n_pre: int, n_post: int, same_group: bool) -> Connectivity:
        if n_pre != n_post:
            raise ValueError(f"OneToOne needs as many pre as post neurons, got n_pre={n_pre} and n_post={n_post}")
        targets = jnp.arange(n_pre, dtype=jnp.int32)[:, None]
        return Connectivity(targets, jnp.zeros((), jnp.bool_), n_post)
