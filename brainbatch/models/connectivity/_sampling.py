"""Draw ``k`` distinct integers from ``range(n)`` for every row, inside jit and vmap.

Two exact samplers, chosen statically by cost: Floyd's algorithm (``k`` draws and ``k`` membership
tests per row, O(k^2)) for small ``k``, and the ``k`` smallest of ``n`` random 32-bit keys per row
(a sort, O(n log n)) when ``k`` is a large fraction of ``n``. Both give every k-subset the same
probability; 64k rows x 80 draws from 64k costs a fraction of a second.
"""
from __future__ import annotations

from typing import Any

import math

import jax
import jax.numpy as jnp

from ._base import skip_diagonal
from ...kernels import cumsum_exact

__all__ = ["distinct_per_row"]


def distinct_per_row(key: jax.Array, rows: int, n: int, k: int, skip_own: bool = False) -> jax.Array:
    """``int32 (rows, k)``: row ``r`` holds ``k`` distinct values of ``range(n)``, uniformly at random.

    With ``skip_own`` the values are drawn from ``range(n)`` without ``r`` itself (``k <= n - 1``).

    >>> import jax
    >>> x = distinct_per_row(jax.random.key(0), 3, 10, 4)
    >>> x.shape, [len(set(r)) for r in x.tolist()]
    ((3, 4), [4, 4, 4])
    """
    m = n - 1 if skip_own else n
    if not 0 <= k <= m:
        raise ValueError(f"cannot draw {k} distinct values from {m} candidates")
    if k == 0:
        return jnp.zeros((rows, 0), jnp.int32)
    if k * k <= 4 * m * max(1, math.ceil(math.log2(m))):
        out = _floyd(key, rows, m, k)
    else:
        out = _smallest_keys(key, rows, m, k)
    if skip_own:
        out = skip_diagonal(out, jnp.arange(rows, dtype=jnp.int32)[:, None])
    return out


def _floyd(key: jax.Array, rows: int, n: int, k: int) -> jax.Array:
    """Floyd's algorithm: for j = n-k .. n-1 draw t in [0, j]; take t, or j if t is already taken."""
    js = jnp.arange(n - k, n, dtype=jnp.int32)
    draws = jax.random.randint(key, (rows, k), 0, js + 1, dtype=jnp.int32)  # per-column upper bounds
    chosen = jnp.full((rows, k), -1, jnp.int32)

    def body(c: Any, chosen: Any) -> Any:
        t = draws[:, c]
        taken = jnp.any(chosen == t[:, None], axis=1)
        return chosen.at[:, c].set(jnp.where(taken, js[c], t))

    return jax.lax.fori_loop(0, k, body, chosen)


def _smallest_keys(key: jax.Array, rows: int, n: int, k: int) -> jax.Array:
    """The positions of the ``k`` smallest of ``n`` random uint32 keys per row (a random k-subset).

    A row whose k-th and (k+1)-th smallest keys tie (probability about n / 2**32) is drawn again:
    the event is symmetric in the positions, so the accepted subset stays exactly uniform.
    """
    def draw(key: Any) -> Any:
        bits = jax.random.bits(key, (rows, n), jnp.uint32)
        kth = jnp.sort(bits, axis=1)[:, k - 1:k]  # one-operand sorts are far cheaper than argsort on CPU
        mask = bits <= kth
        return mask, jnp.sum(mask, axis=1) != k

    def redraw(state: Any) -> Any:
        it, mask, bad = state
        new, new_bad = draw(jax.random.fold_in(key, it))
        return it + 1, jnp.where(bad[:, None], new, mask), bad & new_bad

    mask, bad = draw(key)
    _, mask, _ = jax.lax.while_loop(lambda s: jnp.any(s[2]), redraw, (jnp.int32(1), mask, bad))
    slot = cumsum_exact(mask.astype(jnp.int32)) - 1
    row = jnp.arange(rows, dtype=jnp.int32)[:, None]
    col = jnp.broadcast_to(jnp.arange(n, dtype=jnp.int32), (rows, n))
    out = jnp.zeros((rows, k), jnp.int32)
    return out.at[row, jnp.where(mask, slot, k)].set(col, mode="drop")
