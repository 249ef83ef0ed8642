"""Event-driven spike propagation over padded rows by presynaptic neuron: exact, any spike count.

Per step the first ``chunk`` spiking neurons are found with one ``top_k`` over the spike vector (on
CPU several times cheaper than ``nonzero``'s cumulative sums, and shared by XLA between projections
from the same group); their ``(chunk, K)`` target rows are gathered and scatter-added into the
postsynaptic accumulator (the padding index ``n_post`` is dropped). Steps with more spikes go on in
a ``lax.while_loop``, ``chunk`` more per iteration, so nothing is ever truncated. Both parts are
while loops rather than ``cond``s: under ``vmap`` a ``cond`` becomes a select that always pays for
the expensive branch, while a loop only runs as long as the busiest lane needs.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp

__all__ = ["event_sum"]


def event_sum(spike: jax.Array, targets: jax.Array, n_post: int, weights: jax.Array | None = None,
              chunk: int = 16, offset: jax.Array | None = None) -> jax.Array:
    """``sum_i spike[i] * W[i, :]`` for the sparse ``W`` given by ``targets`` (and ``weights``).

    Args:
        spike: ``bool (n_pre,)``.
        targets: ``int32 (n_pre, K)``, padding ``n_post``.
        n_post: number of postsynaptic neurons.
        weights: ``float32 (n_pre, K)`` per synapse, or None to count spikes (weight 1).
        chunk: spikes handled per loop iteration.
        offset: added to every target index modulo ``n_post`` (padding stays padding): how per-synapse
            delays rotate their ring of future inputs without rewriting ``targets`` each step.

    Returns ``float32 (n_post,)``. Without weights the counts are summed as integers, so the result
    is exact and does not depend on summation order (bitwise the same alone and in a vmapped batch).

    >>> import jax.numpy as jnp
    >>> t = jnp.array([[1, 2], [0, 3]], jnp.int32)  # 3 is the padding for n_post = 3
    >>> event_sum(jnp.array([True, True]), t, 3).tolist()
    [1.0, 1.0, 1.0]
    """
    n_pre = spike.shape[0]
    chunk = min(chunk, n_pre)
    score = spike.astype(jnp.float32)
    n_chunks = (jnp.sum(spike, dtype=jnp.int32) + chunk - 1) // chunk

    def first_spikes(score):
        # top_k returns the lowest indices first among equal values: a deterministic order.
        value, rows = jax.lax.top_k(score, chunk)
        return jnp.where(value > 0, rows, n_pre).astype(jnp.int32)  # row n_pre is padding

    def add(acc, rows):
        tg = jnp.take(targets, rows, axis=0, mode="fill", fill_value=n_post)
        if offset is not None:
            tg = jnp.where(tg >= n_post, n_post, (tg + offset) % n_post)
        if weights is None:
            return acc.at[tg].add(1, mode="drop")
        w = jnp.take(weights, rows, axis=0, mode="fill", fill_value=0.0)
        return acc.at[tg].add(w, mode="drop")

    rows = first_spikes(score)
    acc = jnp.zeros(n_post, jnp.int32 if weights is None else jnp.float32)
    # Runs once if there is any spike, else not at all.
    _, acc = jax.lax.while_loop(lambda s: s[0] < jnp.minimum(n_chunks, 1),
                                lambda s: (s[0] + 1, add(s[1], rows)), (jnp.int32(0), acc))

    def more(state):  # the next chunk: remove the rows just handled, find the next ones
        c, score, prev, acc = state
        score = score.at[prev].set(0.0, mode="drop")
        rows = first_spikes(score)
        return c + 1, score, rows, add(acc, rows)

    acc = jax.lax.while_loop(lambda s: s[0] < n_chunks, more, (jnp.int32(1), score, rows, acc))[3]
    return acc.astype(jnp.float32)
