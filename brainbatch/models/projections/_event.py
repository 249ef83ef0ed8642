"""Event-driven spike propagation over padded rows by presynaptic neuron: exact, any spike count.

Per step the indices of the neurons that spiked are compacted, then handled ``chunk`` at a time in a
``lax.while_loop`` of ``ceil(n_spikes / chunk)`` iterations; each gathers the ``(chunk, K)`` target
rows and scatter-adds into the postsynaptic accumulator (the padding index ``n_post`` is dropped).
Cost grows with spikes x fan-out plus one O(n_pre) compaction; nothing is truncated. Under ``vmap``
the loop runs until the busiest lane is done (there is no ``cond``, which vmap would turn into a
select that always pays for the expensive branch).
"""
from __future__ import annotations

import jax
import jax.numpy as jnp

__all__ = ["event_sum"]


def event_sum(spike: jax.Array, targets: jax.Array, n_post: int, weights: jax.Array | None = None,
              chunk: int = 16) -> jax.Array:
    """``sum_i spike[i] * W[i, :]`` for the sparse ``W`` given by ``targets`` (and ``weights``).

    Args:
        spike: ``bool (n_pre,)``.
        targets: ``int32 (n_pre, K)``, padding ``n_post``.
        n_post: number of postsynaptic neurons.
        weights: ``float32 (n_pre, K)`` per synapse, or None to count spikes (weight 1).
        chunk: spikes handled per loop iteration.

    Returns ``float32 (n_post,)``. Without weights the counts are summed as integers, so the result
    is exact and does not depend on summation order (bitwise the same alone and in a vmapped batch).

    >>> import jax.numpy as jnp
    >>> t = jnp.array([[1, 2], [0, 3]], jnp.int32)  # 3 is the padding for n_post = 3
    >>> event_sum(jnp.array([True, True]), t, 3).tolist()
    [1.0, 1.0, 1.0]
    """
    n_pre = spike.shape[0]
    size = -(-n_pre // chunk) * chunk  # whole chunks, so the last dynamic slice stays in bounds
    ids = jnp.nonzero(spike, size=size, fill_value=n_pre)[0].astype(jnp.int32)
    n_chunks = (jnp.sum(spike, dtype=jnp.int32) + chunk - 1) // chunk
    dtype = jnp.int32 if weights is None else jnp.float32

    def body(state):
        c, acc = state
        rows = jax.lax.dynamic_slice(ids, (c * chunk,), (chunk,))
        # Row n_pre (the fill value) does not exist: mode="fill" turns it into padding targets.
        tg = jnp.take(targets, rows, axis=0, mode="fill", fill_value=n_post)
        if weights is None:
            acc = acc.at[tg].add(1, mode="drop")
        else:
            w = jnp.take(weights, rows, axis=0, mode="fill", fill_value=0.0)
            acc = acc.at[tg].add(w, mode="drop")
        return c + 1, acc

    init = (jnp.zeros((), jnp.int32), jnp.zeros(n_post, dtype))
    _, acc = jax.lax.while_loop(lambda s: s[0] < n_chunks, body, init)
    return acc.astype(jnp.float32)
