"""``FixedProb``: every pre -> post pair is a synapse independently with probability ``prob``."""
from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ._base import AbstractConnector, Connectivity, binomial_bound, padded, skip_diagonal
from ...kernels import cumsum_exact
from ...core.checks import check_bool, is_real, is_traced
from ...core.units import UnitMismatch, is_quantity, u

__all__ = ["FixedProb"]


def check_prob(prob: Any) -> float:
    if is_traced(prob):
        raise TypeError(
            "prob sets the static size of the connectivity arrays and must be a concrete number, not a "
            "traced value; sweep it as a static parameter"
        )
    if is_quantity(prob):  # a probability has no unit: a unitless quantity is its number, any other is refused
        if not u.get_dim(prob).is_dimensionless:
            raise UnitMismatch(f"prob is a probability (no unit), a number in [0, 1]; got {prob!r}")
        prob = u.get_mantissa(prob)
    if isinstance(prob, (np.ndarray, np.generic, jax.Array)) and np.ndim(prob) == 0 and not isinstance(prob, bool):
        prob = np.asarray(prob).item()  # a 0-d array (bm.asarray(0.2)) is its number
    if not is_real(prob):
        raise TypeError(f"prob must be a number in [0, 1], got {prob!r}")
    if not 0.0 <= float(prob) <= 1.0:
        raise ValueError(f"prob must be in [0, 1], got {prob!r}")
    return float(prob)


class FixedProb(AbstractConnector):
    """Each pre -> post pair independently with probability ``prob`` (exact Bernoulli sampling).

    A row is sampled as a Bernoulli process through its geometric gaps: ``K + 1`` uniforms per row
    instead of ``n_post``, so memory and time scale with the number of synapses, not with
    ``n_pre * n_post``. ``K = binomial_bound(n_post, prob)``; a row with more than ``K`` synapses
    sets ``overflow`` (it is never truncated silently).

    Args:
        prob: connection probability in [0, 1].
        allow_self_conn: keep ``i -> i`` when pre and post are the same group (default True).

    >>> import jax
    >>> c = FixedProb(0.02)(jax.random.key(0), 4000, 4000)
    >>> c.fan_out, bool(c.overflow)
    (179, False)
    """

    def __init__(self, prob: float, allow_self_conn: bool = True):
        self.prob = check_prob(prob)
        self.allow_self_conn = check_bool("allow_self_conn", allow_self_conn)

    def fan_out(self, n_pre: int, n_post: int, same_group: bool = False) -> int:
        return binomial_bound(n_post - self.excludes_self(n_pre, n_post, same_group), self.prob)

    def out_degree_moments(self, n_pre: int, n_post: int, same_group: bool = False) -> tuple[float, float]:
        n = n_post - self.excludes_self(n_pre, n_post, same_group)
        return n * self.prob, n * self.prob * (1.0 - self.prob)

    def build(self, key: jax.Array, n_pre: int, n_post: int, same_group: bool) -> Connectivity:
        exclude = self.excludes_self(n_pre, n_post, same_group)
        n_cand = n_post - exclude
        width = self.fan_out(n_pre, n_post, same_group)
        if self.prob == 0.0 or n_cand == 0:
            empty = jnp.full((n_pre, width), n_post, jnp.int32)
            return Connectivity(empty, jnp.zeros((), jnp.bool_), n_post)
        # Gaps between successes of a Bernoulli(p) sequence are Geometric(p): floor(log u / log(1 - p)).
        # u in (0, 1] keeps log finite; p = 1 gives log1p(-1) = -inf and gaps of 0, as it should.
        u = 1.0 - jax.random.uniform(key, (n_pre, width + 1), jnp.float32)
        log_q = -math.inf if self.prob == 1.0 else math.log1p(-self.prob)
        gaps = jnp.floor(jnp.log(u) / jnp.float32(log_q))
        gaps = jnp.minimum(gaps, n_cand)  # any gap this long already ends the row; keeps sums small
        # Float32 sums of whole numbers are exact below 2**24 (n_post is checked to be smaller), and
        # rounding is monotone, so a sum that should exceed n_cand never falls below it.
        # (cumsum_exact: the same sums, one native loop instead of XLA's blocked scan)
        positions = cumsum_exact(gaps + 1.0) - 1.0
        valid = positions[:, :width] < n_cand
        overflow = jnp.any(positions[:, width] < n_cand)  # a (K+1)-th synapse exists: K was too small
        cols = positions[:, :width].astype(jnp.int32)
        cols = jnp.where(valid, cols, 0)
        if exclude:
            cols = skip_diagonal(cols, jnp.arange(n_pre, dtype=jnp.int32)[:, None])
        return Connectivity(padded(cols, valid, n_post), overflow, n_post)
