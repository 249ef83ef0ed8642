"""``AllToAll``: every pre neuron projects to every post neuron."""
from __future__ import annotations

import jax
import jax.numpy as jnp

from ._base import AbstractConnector, Connectivity, skip_diagonal
from ...core.checks import check_bool

__all__ = ["AllToAll"]


class AllToAll(AbstractConnector):
    """Every pre -> post pair (``K = n_post``, or ``n_post - 1`` without self-connections).

    The rows hold ``n_pre * n_post`` indices: meant for small groups.

    Args:
        allow_self_conn: keep ``i -> i`` when pre and post are the same group (default True).

    >>> import jax
    >>> AllToAll(allow_self_conn=False)(jax.random.key(0), 3, 3, same_group=True).targets.tolist()
    [[1, 2], [0, 2], [0, 1]]
    """

    def __init__(self, allow_self_conn: bool = True):
        self.allow_self_conn = check_bool("allow_self_conn", allow_self_conn)

    def fan_out(self, n_pre: int, n_post: int, same_group: bool = False) -> int:
        return max(1, n_post - self.excludes_self(n_pre, n_post, same_group))

    def build(self, key: jax.Array, n_pre: int, n_post: int, same_group: bool) -> Connectivity:
        exclude = self.excludes_self(n_pre, n_post, same_group)
        cols = jnp.broadcast_to(jnp.arange(n_post - exclude, dtype=jnp.int32), (n_pre, n_post - exclude))
        if exclude:
            cols = skip_diagonal(cols, jnp.arange(n_pre, dtype=jnp.int32)[:, None])
        if cols.shape[1] == 0:  # a single neuron without its self-connection
            cols = jnp.full((n_pre, 1), n_post, jnp.int32)
        return Connectivity(cols, jnp.zeros((), jnp.bool_), n_post)
