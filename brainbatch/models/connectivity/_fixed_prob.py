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

#: Below this probability gaps are drawn by ``fine_gaps``. At and above it one 23-bit uniform per gap, as
#: always (so every network drawn there stays the same, bit for bit): a gap of g has probability p (1-p)^g
#: to within one step 2**-23 of the uniform, 1 / (p 2**23) <= 1.2e-4 relative for p >= 1e-3, but 7 % at
#: p = 1e-6 for the pair that starts a row or follows a synapse.
FINE_BELOW = 1e-3
#: The base of a fine gap's digits: each digit's 24-bit uniform resolves its 256 values to ~256 / 2**24.
_BASE = 256


def log_uniform(bits_a: jax.Array, bits_b: jax.Array) -> jax.Array:
    """``log U`` for ``U`` uniform on (0, 1), from two uint32 words, resolved near both ends.

    ``w``, uniform on (0, 1/2) with 2**-23 relative resolution at every scale (its binade from the leading
    zeros of ``bits_b``, 23 mantissa bits from ``bits_a``), is ``U`` or ``1 - U`` by the last bit of
    ``bits_a``: ``log U`` is ``log w`` or ``log1p(-w)``, so ``P(-log U < t) = 1 - e^-t`` holds to about
    2**-23 relative even for t ~ 1e-9, where ``1 - uniform`` (a 2**-23 grid) has nothing between 0 and 1.2e-7.
    """
    mantissa = ((bits_a >> 9) + jnp.uint32(2**23)).astype(jnp.float32)  # whole numbers in [2**23, 2**24)
    zeros = jax.lax.clz(bits_b).astype(jnp.int32)  # z with probability 2**-(z + 1)
    w = jnp.ldexp(mantissa, -(zeros + 25))  # in [2**-(z + 2), 2**-(z + 1)): uniform on (0, 1/2)
    return jnp.where((bits_a & 1) == 1, jnp.log(w), jnp.log1p(-w))


def gap_digit(bits: jax.Array, prob: float, k: int) -> jax.Array:
    """Digit ``k`` (base 256) of a Geometric(``prob``) gap, as float32 in [0, 255], from uint32 words.

    A geometric variable's digits are independent: digit ``k`` has ``P(d) ∝ r^d`` on 0..255 with
    ``r = (1 - prob)**(256**k)``, drawn by its inverse CDF from a 24-bit uniform ``v``.
    """
    log_r = _BASE**k * math.log1p(-prob)
    mass = -math.expm1(_BASE * log_r)  # 1 - r**256: the normaliser of the truncated law
    v = (bits >> 8).astype(jnp.float32) * jnp.float32(2.0**-24)  # [0, 1) on a 2**-24 grid
    d = jnp.floor(jnp.log1p(-v * jnp.float32(mass)) / jnp.float32(log_r))
    return jnp.clip(d, 0.0, _BASE - 1.0)


def fine_gaps(key: jax.Array, shape: tuple[int, ...], prob: float, n_cand: int) -> jax.Array:
    """Geometric(``prob``) gaps (``0 < prob < 1``), float32 whole numbers, those of ``n_cand`` or more as
    ``n_cand`` (they end the row).

    The gap is its base-256 digits below ``256**n`` (``n`` digits, ``256**n >= n_cand``), each from a
    24-bit uniform, plus whether it reaches ``256**n`` (probability ``(1 - prob)**(256**n)``, from
    ``log_uniform``): every value of each part is resolved to about 256 / 2**24 relative, whatever
    ``prob``, where one float32 ``floor(log u / log(1 - prob))`` rounds positions ~1/prob into a row to
    float32's grid as well.
    """
    n = 0
    while _BASE**n < n_cand:
        n += 1
    words = jax.random.bits(key, (n + 2,) + tuple(shape), jnp.uint32)
    reaches = log_uniform(words[0], words[1]) < jnp.float32(_BASE**n * math.log1p(-prob))
    low = jnp.zeros(reaches.shape, jnp.float32)
    for k in range(n):  # whole numbers below 2**24: exact in float32
        low = low + jnp.float32(_BASE**k) * gap_digit(words[2 + k], prob, k)
    # (where prob is so small that float32 rounds a digit's log(1 - prob) to 0, its digits are NaN, and every
    # gap reaches the end: log U < -0.0 always)
    return jnp.where(reaches, jnp.float32(n_cand), low)


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

    A row is sampled as a Bernoulli process through its geometric gaps: ``K + 1`` gaps per row
    instead of ``n_post`` draws, so memory and time scale with the number of synapses, not with
    ``n_pre * n_post``. ``K = binomial_bound(n_post, prob)``; a row with more than ``K`` synapses
    sets ``overflow`` (it is never truncated silently). From ``prob = 1e-3`` up a gap is one 23-bit
    uniform, which gives every pair its probability to within ``1 / (prob 2**23)`` (1.2e-4 relative,
    or less); below, where that grid would be coarse (7 % at 1e-6), a gap is drawn as its base-256
    digits (independent truncated geometrics, one 24-bit uniform each, plus one finely resolved
    uniform for reaching the row's end): every pair within about 1e-4 relative at any ``prob``.

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
        if self.prob < FINE_BELOW:
            gaps = fine_gaps(key, (n_pre, width + 1), self.prob, n_cand)
        else:
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
