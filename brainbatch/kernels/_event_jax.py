"""The pure-JAX event path: exact for any spike count, used on GPU/TPU and where no kernel builds.

Per step the first ``chunk`` spiking neurons are found with one ``top_k`` over the spike vector (on
CPU several times cheaper than ``nonzero``'s cumulative sums); their ``(chunk, K)`` target rows are
gathered and scatter-added into the accumulator (the padding index is dropped). Steps with more
spikes go on in a ``lax.while_loop``, ``chunk`` more per iteration, so nothing is ever truncated.
Both parts are while loops rather than ``cond``s: under ``vmap`` a ``cond`` becomes a select that
always pays for the expensive branch, while a loop only runs as long as the busiest lane needs.
"""
from __future__ import annotations

from typing import Callable

import jax
import jax.numpy as jnp

__all__ = ["event_sum_jax", "event_ring_jax", "event_ring_csr_jax"]


def event_sum_jax(spike: jax.Array, targets: jax.Array, n_post: int, weights: jax.Array | None = None,
                  chunk: int = 16, offset: jax.Array | None = None,
                  rows_of: Callable[[jax.Array], tuple[jax.Array, jax.Array]] | None = None,
                  scale: jax.Array | None = None) -> jax.Array:
    """Pure-JAX ``event_sum`` (same arguments and result; see ``brainbatch.kernels.event_sum``).

    ``rows_of(rows)``, if given, returns the ``(targets, weights)`` of those rows (``(chunk, K)`` each,
    padding for row ``n_pre``) instead of gathering rows of ``targets`` and ``weights``. ``scale``
    (``float32 (n_pre,)``), if given, multiplies every weight of a row (short-term plasticity).
    """
    n_pre = spike.shape[0]
    chunk = max(1, min(chunk, n_pre))
    score = spike.astype(jnp.float32)
    n_chunks = (jnp.sum(spike, dtype=jnp.int32) + chunk - 1) // chunk

    def first_spikes(score: jax.Array) -> jax.Array:
        # top_k returns the lowest indices first among equal values: a deterministic order.
        value, rows = jax.lax.top_k(score, chunk)
        return jnp.where(value > 0, rows, n_pre).astype(jnp.int32)  # row n_pre is padding

    def add(acc: jax.Array, rows: jax.Array) -> jax.Array:
        if rows_of is not None:
            tg, w = rows_of(rows)
        else:
            tg = jnp.take(targets, rows, axis=0, mode="fill", fill_value=n_post)
        if offset is not None:
            tg = jnp.where(tg >= n_post, n_post, (tg + offset) % n_post)
        if weights is None and scale is None:
            return acc.at[tg].add(1, mode="drop")
        if rows_of is None:
            w = (jnp.ones(tg.shape, jnp.float32) if weights is None
                 else jnp.take(weights, rows, axis=0, mode="fill", fill_value=0.0))
        if scale is not None:
            w = w * jnp.take(scale, rows, mode="fill", fill_value=0.0)[:, None]
        return acc.at[tg].add(w, mode="drop")

    rows = first_spikes(score)
    acc = jnp.zeros(n_post, jnp.int32 if weights is None and scale is None else jnp.float32)
    # Runs once if there is any spike, else not at all.
    _, acc = jax.lax.while_loop(lambda s: s[0] < jnp.minimum(n_chunks, 1),
                                lambda s: (s[0] + 1, add(s[1], rows)), (jnp.int32(0), acc))

    def more(state: tuple[jax.Array, ...]) -> tuple[jax.Array, ...]:  # the next chunk: remove the rows just handled, find the next ones
        c, score, prev, acc = state
        score = score.at[prev].set(0.0, mode="drop")
        rows = first_spikes(score)
        return c + 1, score, rows, add(acc, rows)

    acc = jax.lax.while_loop(lambda s: s[0] < n_chunks, more, (jnp.int32(1), score, rows, acc))[3]
    return acc.astype(jnp.float32)


def event_ring_jax(spike: jax.Array, targets: jax.Array, weight: jax.Array, ring: jax.Array, pending: jax.Array,
                   chunk: int = 16, scale: jax.Array | None = None) -> tuple[jax.Array, jax.Array]:
    """Pure-JAX ``event_ring`` (see ``brainbatch.kernels.event_ring``)."""
    length, n_post = pending.shape
    per_synapse = jnp.ndim(weight) == 2
    added = event_sum_jax(spike, targets, length * n_post, weight if per_synapse else None, chunk,
                          offset=ring * n_post, scale=scale).reshape(length, n_post)
    if not per_synapse:
        added = added * jnp.asarray(weight, jnp.float32)
    pending = pending + added
    now = jax.lax.dynamic_index_in_dim(pending, ring, axis=0, keepdims=False)
    pending = jax.lax.dynamic_update_index_in_dim(pending, jnp.zeros_like(now), ring, axis=0)
    return pending, now


def event_ring_csr_jax(spike: jax.Array, indptr: jax.Array, targets: jax.Array, weights: jax.Array, ring: jax.Array,
                       pending: jax.Array, max_row: int, chunk: int = 16) -> tuple[jax.Array, jax.Array]:
    """Pure-JAX ``event_ring_csr`` (see ``brainbatch.kernels.event_ring_csr``): each spiking row is gathered
    as a window of ``max_row`` slots from its start, the slots past its end masked as padding."""
    length, n_post = pending.shape
    size = length * n_post
    n_pre = spike.shape[0]
    ends = jnp.concatenate([indptr[1:], indptr[-1:]])  # row n_pre (padding) is empty
    starts = jnp.concatenate([indptr[:-1], indptr[-1:]])
    window = jnp.arange(max_row, dtype=jnp.int32)

    def rows_of(rows: jax.Array) -> tuple[jax.Array, jax.Array]:
        start, end = starts[rows], ends[rows]  # rows <= n_pre
        idx = start[:, None] + window[None, :]
        inside = idx < end[:, None]
        idx = jnp.where(inside, idx, 0)
        return (jnp.where(inside, targets[idx], size), jnp.where(inside, weights[idx], 0.0))

    added = event_sum_jax(spike, jnp.zeros((n_pre, 1), jnp.int32), size, weights, chunk,
                          offset=ring * n_post, rows_of=rows_of).reshape(length, n_post)
    pending = pending + added
    now = jax.lax.dynamic_index_in_dim(pending, ring, axis=0, keepdims=False)
    pending = jax.lax.dynamic_update_index_in_dim(pending, jnp.zeros_like(now), ring, axis=0)
    return pending, now
