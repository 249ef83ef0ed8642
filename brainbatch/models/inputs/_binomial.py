"""Binomial counts from ONE uniform per element: exact inverse-CDF search, or a normal approximation.

``jax.random.binomial`` costs about ten times a whole LIF update (docs/performance.md). Here every element
draws one uniform ``u`` and its count is the smallest ``k`` with ``F(k) >= u`` (``F`` the binomial
CDF), found by walking ``k = 0, 1, 2, ...`` once for all elements: ``n`` and ``p`` are scalars, so
``F(k)`` is one scalar per iteration and each iteration is a compare-and-add over the array. The walk
stops when ``F(k)`` passes the largest ``u``, i.e. after ``max(count) + 1`` iterations — a handful
for ``n p ~ 1``. Where ``n p (1 - p) >= NORMAL_MIN_VARIANCE`` the walk would be long and the normal
law is accurate, so the count is the rounded Cornish-Fisher (skew-corrected normal) quantile of the
same ``u``, clipped to ``[0, n]``.
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
# The walk never goes past mean + 10 sd + 10 (tail mass < 1e-20): a guard against float32 rounding
# leaving the summed CDF just below a uniform close to 1.
_TAIL_SDS = 10.0
_LOG_NEGLIGIBLE = float(np.log(1e-8))


def binomial_counts(key: jax.Array, n: Any, p: Any, shape: Sequence[int]) -> jax.Array:
    """Independent Binomial(n, p) counts of ``shape`` (float32), one uniform per element.

    ``n`` (>= 1) and ``p`` (in [0, 1]) are scalars, Python or JAX (possibly traced). With concrete
    values the method is chosen once; traced ones compute both and select (the exact walk then
    iterates only when the exact method is the one selected).

    >>> import jax
    >>> c = binomial_counts(jax.random.key(0), 1000, 0.001, (4000,))
    >>> float(c.mean()) < 1.1 and bool((c == jnp.round(c)).all())
    True
    """
    shape = tuple(shape)
    n_ = jnp.asarray(n, jnp.float32)
    p_ = jnp.clip(jnp.asarray(p, jnp.float32), 0.0, 1.0)
    if n_.ndim or p_.ndim:
        raise ValueError(f"binomial_counts needs scalar n and p, got shapes {n_.shape} and {p_.shape}")
    variance = n_ * p_ * (1.0 - p_)
    concrete = not is_traced(variance)
    if concrete and float(p_) in (0.0, 1.0):  # nothing random left: no draw, no search
        return jnp.broadcast_to(n_ * p_, shape)
    u = fast_uniform(key, shape, jnp.float32)
    if concrete:
        return _normal(u, n_, p_) if float(variance) >= NORMAL_MIN_VARIANCE else _exact(u, n_, p_, True)
    use_normal = variance >= NORMAL_MIN_VARIANCE
    return jnp.where(use_normal, _normal(u, n_, p_), _exact(u, n_, p_, jnp.logical_not(use_normal)))


def _exact(u: jax.Array, n: jax.Array, p: jax.Array, enabled: jax.Array) -> jax.Array:
    """Inverse-CDF search; for p > 1/2 it counts failures (n - Binomial(n, 1 - p)), so it stays short."""
    flip = p > 0.5
    q = jnp.where(flip, 1.0 - p, p)
    log_odds = jnp.log(q) - jnp.log1p(-q)  # -inf at q = 0: every pmf after k = 0 is exactly 0
    cap = jnp.minimum(n, jnp.ceil(n * q + _TAIL_SDS * jnp.sqrt(n * q * (1.0 - q)) + _TAIL_SDS))
    # u = 0 (one draw in 2^24) is the bottom of its cell, not a count below every F(k): F(0) may be 1e-39
    u = jnp.maximum(u, 2.0 ** -25)
    u_max = jnp.max(u)
    mean = n * q

    def cond(carry: Any) -> Any:
        k, log_pmf, cdf, _ = carry
        # past the mode, a term under 1e-8 leaves a tail of about one uniform's cell (6e-8): stop there.
        # The float32 sum of the terms may stay a few cells short of 1, and without this stop the top
        # uniforms walked on to the cap (25 inputs where 12 is the realistic top)
        negligible = (k > mean) & (log_pmf < _LOG_NEGLIGIBLE)
        return enabled & (k < cap) & (cdf < u_max) & jnp.logical_not(negligible)

    def body(carry: Any) -> Any:
        k, log_pmf, cdf, count = carry
        count = count + (u > cdf).astype(jnp.float32)  # count = #{j : F(j) < u}
        log_pmf = log_pmf + jnp.log((n - k) / (k + 1.0)) + log_odds
        return k + 1.0, log_pmf, cdf + jnp.exp(log_pmf), count

    log_pmf0 = n * jnp.log1p(-q)
    init = (jnp.zeros((), jnp.float32), log_pmf0, jnp.exp(log_pmf0), jnp.zeros(u.shape, jnp.float32))
    count = jax.lax.while_loop(cond, body, init)[3]
    return jnp.where(flip, n - count, count)


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


