"""Binomial counts from ONE uniform per element: exact inverse-CDF search, or a normal approximation.

``jax.random.binomial`` costs about ten times a whole LIF update (docs/performance.md). Here every element
draws one uniform ``u`` and its count is the number of ``k`` with ``F(k) < u`` (``F`` the binomial CDF),
found by walking ``k = 0, 1, 2, ...`` once for all elements: ``n`` and ``p`` are scalars, so ``F(k)`` is
one scalar per iteration and each iteration is a compare-and-add over the array. The walk stops when
``F(k)`` passes the largest ``u``, i.e. after ``max(count) + 1`` iterations — a handful for ``n p ~ 1``.
Where ``n p (1 - p) >= NORMAL_MIN_VARIANCE`` the walk would be long and the normal law is accurate, so the
count is the rounded Cornish-Fisher (skew-corrected normal) quantile of the same ``u``, clipped to ``[0, n]``.

The thresholds ``F(k)`` come from a table of the pmf's ratios to its mode (``pmf(k + 1) / pmf(k) =
(n - k) / (k + 1) * p / (1 - p)``), multiplied out and normalised by their sum; the upper half reads
``1 - P(X > k)`` from the tail summed on its own. Float32 sums of ``exp(log pmf)`` terms, as here before,
missed 1 by ~1e-5 at ``n p ~ 100`` (the far tail then piled up at one count or was cut). Only ``+ - * /``
build the table, so a concrete ``p`` (the table computed once by numpy, while tracing) and a traced one (a
swept rate: the table computed in the program) give the same thresholds, hence the same counts.
"""
from __future__ import annotations

from typing import Any, Sequence

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy.special import ndtri

from ...core.random import uniform as fast_uniform
from ...core.checks import is_traced

__all__ = ["binomial_counts", "NORMAL_MIN_VARIANCE"]

#: ``n p (1 - p)`` from which the normal approximation replaces the exact search.
NORMAL_MIN_VARIANCE = 100.0
# The exact search's counts (of successes, or of failures for p > 1/2) stay below this: with
# n p (1 - p) < 100 and p <= 1/2, n p < 200 and the sd < 10, so 320 is 12 sd above the largest mean
# (tail mass < 1e-30).
_TABLE = 320
# 1 / k, rounded once (numpy's float32 division is IEEE's); index 0 is never used
_RECIPROCALS = np.concatenate([[0.0], 1.0 / np.arange(1, _TABLE)]).astype(np.float32)


def binomial_counts(key: jax.Array, n: Any, p: Any, shape: Sequence[int]) -> jax.Array:
    """Independent Binomial(n, p) counts of ``shape`` (float32), one uniform per element.

    ``n`` (>= 1) and ``p`` (in [0, 1]) are scalars, Python or JAX (possibly traced). With concrete
    values the method is chosen once, while tracing; traced ones compute both and select (the exact walk
    then iterates only when the exact method is the one selected).

    >>> import jax
    >>> c = binomial_counts(jax.random.key(0), 1000, 0.001, (4000,))
    >>> float(c.mean()) < 1.1 and bool((c == jnp.round(c)).all())
    True
    """
    shape = tuple(shape)
    if np.ndim(n) or np.ndim(p):
        raise ValueError(f"binomial_counts needs scalar n and p, got shapes {np.shape(n)} and {np.shape(p)}")
    if not is_traced((n, p)):
        n_np, p_np = np.float32(n), np.clip(np.float32(p), np.float32(0.0), np.float32(1.0))
        if p_np in (0.0, 1.0):  # nothing random left: no draw, no search
            return jnp.broadcast_to(jnp.float32(n_np * p_np), shape)
        u = fast_uniform(key, shape, jnp.float32)
        n_, p_ = jnp.float32(n_np), jnp.float32(p_np)
        if n_np * p_np * (np.float32(1.0) - p_np) >= NORMAL_MIN_VARIANCE:
            return _normal(u, n_, p_)
        # a constant of the program, made once by numpy: no compile (jax's eager ops cost ~3 s of CPU the
        # first time in a process) and nothing per step
        thresholds = jnp.asarray(_thresholds(n_np, p_np, np))
        return _exact(u, n_, p_, thresholds, True)
    n_ = jnp.asarray(n, jnp.float32)
    p_ = jnp.clip(jnp.asarray(p, jnp.float32), 0.0, 1.0)
    u = fast_uniform(key, shape, jnp.float32)
    use_normal = n_ * p_ * (1.0 - p_) >= NORMAL_MIN_VARIANCE
    exact = _exact(u, n_, p_, _thresholds(n_, p_), jnp.logical_not(use_normal))
    return jnp.where(use_normal, _normal(u, n_, p_), exact)


def _thresholds(n: Any, p: Any, xp: Any = jnp) -> Any:
    """``t[k]``, ``k < _TABLE``: the count of a uniform ``u`` is ``#{k : t[k] < u}`` (of failures for p > 1/2).

    ``t[k] = F(k)`` while ``F(k) < 1/2``, then ``1 - P(X > k)`` with the tail summed from its own small
    terms, so the far tail keeps its relative precision. Past ``n`` the pmf is 0 and ``t`` is 1.

    ``xp``: ``jax.numpy`` inside a program (a traced rate), ``numpy`` while tracing (a concrete one: no
    compile, ~0.1 ms). The same bits either way, and jitted, eager or under ``vmap``: float32 throughout,
    only multiplications, sums and divisions by values of their own, each correctly rounded (XLA turns a
    division by a broadcast into a product by its reciprocal in some programs and not others), and no
    product added to (compiled programs fuse such a pair into one rounding, FMA; numpy does not).
    """
    f32 = np.float32
    n, p = xp.asarray(n, dtype=f32), xp.asarray(p, dtype=f32)
    q = xp.where(p > f32(0.5), f32(1.0) - p, p)
    k = xp.arange(_TABLE, dtype=f32)
    odds = q / (f32(1.0) - q)
    mode = xp.floor((n + f32(1.0)) * q)
    # pmf(k) / pmf(start), from 9 sd below the mode: its mass below is < 1e-20 (no uniform is that small)
    # and the products stay below 1e37 (float32 ends at 3e38; checked over every n, p of the exact method)
    start = xp.maximum(xp.floor(mode - xp.sqrt(f32(81.0) * n * q * (f32(1.0) - q))) - f32(1.0), f32(0.0))
    rise = xp.maximum(n - k + f32(1.0), f32(0.0)) * _RECIPROCALS * odds  # pmf(k) / pmf(k - 1), 0 past n
    # the first factor 2^-40 (exact) keeps the sum of the products below 1e25
    rise = xp.where(k > start, rise, xp.where(k == start, f32(2.0 ** -40), f32(1.0)))
    ratio = xp.where(k >= start, _scan(xp, xp.multiply, rise, 1.0), f32(0.0))
    # the sums up to k and (reversed) from the far end, in one scan: the tail keeps its small terms' precision
    sums = _scan(xp, xp.add, xp.stack([ratio, ratio[..., ::-1]], axis=-2), 0.0)
    upto = sums[..., 0, :]
    above = sums[..., 1, ::-1] - ratio  # the tail past k
    total = upto[..., -1:]
    inverse = f32(1.0) / total
    cdf = upto * inverse
    return xp.where(cdf < f32(0.5), cdf, (total - above) * inverse)


def _scan(xp: Any, op: Any, x: Any, identity: float) -> Any:
    """Inclusive scan of ``op`` along the last axis by doubling steps (Hillis-Steele), elementwise ops only.

    ``jnp.cumsum``/``cumprod`` lower to a reduce-window whose order of operations XLA chooses per program
    (alone, fused, under ``vmap``, op by op): their last bits differ. Here every element is the same
    sequence of correctly rounded operations wherever it runs, numpy's included.
    """
    size, step = x.shape[-1], 1
    while step < size:
        fill = xp.full(x.shape[:-1] + (step,), identity, dtype=np.float32)
        x = op(x, xp.concatenate([fill, x[..., :-step]], axis=-1))
        step *= 2
    return x


def _exact(u: jax.Array, n: jax.Array, p: jax.Array, thresholds: jax.Array, enabled: Any) -> jax.Array:
    """Inverse-CDF search; for p > 1/2 it counts failures (n - Binomial(n, 1 - p)), so it stays short."""
    # u = 0 (one draw in 2^24) is the bottom of its cell, not a count below every F(k): F(0) may be 1e-39
    u = jnp.maximum(u, 2.0 ** -25)
    u_max = jnp.max(u)

    def cond(carry: Any) -> Any:
        k, _ = carry
        # t[_TABLE - 1] is 1 and every uniform is below 1: the walk ends inside the table
        return enabled & (thresholds[jnp.minimum(k, _TABLE - 1)] < u_max)

    def body(carry: Any) -> Any:
        k, count = carry
        return k + 1, count + (u > thresholds[k]).astype(jnp.float32)

    count = jax.lax.while_loop(cond, body, (jnp.int32(0), jnp.zeros(u.shape, jnp.float32)))[1]
    return jnp.where(p > 0.5, n - count, count)


def _exact_search(u: jax.Array, n: jax.Array, p: jax.Array) -> jax.Array:
    """The exact method alone, its table made where it runs (a check's entry point)."""
    return _exact(u, n, p, _thresholds(n, p), True)


def _normal(u: jax.Array, n: jax.Array, p: jax.Array) -> jax.Array:
    """Rounded skew-corrected normal quantile (Cornish-Fisher, first order) of ``u``, clipped to [0, n]."""
    mean = n * p
    sd = jnp.sqrt(jnp.maximum(n * p * (1.0 - p), 1e-12))
    # u is a multiple of 2^-24 in [0, 1): off 0, and never 1 (the top uniform plus 2^-24 is 1: an infinite
    # quantile, a count of n or NaN)
    z = ndtri(jnp.minimum(u + 2.0 ** -24, 1.0 - 2.0 ** -24))
    skew = (1.0 - 2.0 * p) / sd
    z = z + skew * (z * z - 1.0) / 6.0
    return jnp.clip(jnp.floor(mean + sd * z + 0.5), 0.0, n)


