"""Event-driven weight updates of plastic synapses, in pure JAX (every platform).

``update_rows`` visits the neurons that spiked, ``chunk`` at a time in increasing index (the same
``top_k`` compaction as ``event_sum_jax``), and rewrites the weights of their synapses with a user
function: the presynaptic side passes each spiking neuron's row of ``targets``, the postsynaptic
side its row of the post -> pre index. Cost ~ spikes x row width; no dense pass over the synapses.
A synapse appears in one row only, so each step writes every weight at most once per side, and the
result does not depend on the batch a lane runs in (``vmap`` turns the loop into a masked loop that
runs as long as the busiest lane needs).
"""
from __future__ import annotations

from typing import Callable

import jax
import jax.numpy as jnp

__all__ = ["update_rows"]


def update_rows(spike: jax.Array, index: jax.Array | Callable, w: jax.Array, fn: Callable,
                chunk: int = 16) -> jax.Array:
    """Rewrite the weights of the rows of ``index`` whose neuron spiked.

    Args:
        spike: ``bool (n,)``: which rows to visit.
        index: ``int32 (n, R)``: flat synapse ids of each row (ids outside ``[0, w.size)`` are padding),
            or a function ``rows (c,) -> ids (c, R)`` (``rows`` is ``n`` on padding rows).
        w: ``float32 (S,)`` the weights.
        fn: ``fn(rows (c,), ids (c, R), w (c, R)) -> w (c, R)``; ``rows`` is ``n`` on padding rows,
            ``w`` is 0 on padding ids (whatever ``fn`` returns there is dropped).
        chunk: rows per loop iteration.

    >>> import jax.numpy as jnp
    >>> idx = jnp.array([[0, 1], [2, 3]], jnp.int32)          # id 3 is padding for S = 3
    >>> update_rows(jnp.array([False, True]), idx, jnp.ones(3), lambda r, i, w: w + 1).tolist()
    [1.0, 1.0, 2.0]
    """
    n = spike.shape[0]
    size = w.shape[0]
    chunk = max(1, min(chunk, n))
    n_chunks = (jnp.sum(spike, dtype=jnp.int32) + chunk - 1) // chunk

    def first_spikes(score: jax.Array) -> jax.Array:
        value, rows = jax.lax.top_k(score, chunk)  # lowest indices first among equal values
        return jnp.where(value > 0, rows, n).astype(jnp.int32)

    def apply(w: jax.Array, rows: jax.Array) -> jax.Array:
        ids = index(rows) if callable(index) else jnp.take(index, rows, axis=0, mode="fill", fill_value=size)
        old = jnp.take(w, ids, mode="fill", fill_value=0.0)
        new = jnp.asarray(fn(rows, ids, old), w.dtype)
        return w.at[ids].set(new, mode="drop")

    def body(state: tuple[jax.Array, jax.Array, jax.Array]) -> tuple[jax.Array, jax.Array, jax.Array]:
        c, score, w = state
        rows = first_spikes(score)
        score = score.at[rows].set(0.0, mode="drop")
        return c + 1, score, apply(w, rows)

    return jax.lax.while_loop(lambda s: s[0] < n_chunks, body, (jnp.int32(0), spike.astype(jnp.float32), w))[2]
