"""``FixedInDegree`` (each post gets ``num`` distinct pre) and ``FixedOutDegree`` (each pre reaches
``num`` distinct post)."""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from ._base import AbstractConnector, Connectivity, binomial_bound, skip_diagonal
from ._sampling import distinct_per_row
from ...kernels import cumsum_exact
from ...core.checks import check_bool, check_int

__all__ = ["FixedInDegree", "FixedOutDegree", "FixedPreNum", "FixedPostNum"]


#: The most synapses one fixed-degree draw makes (they are counted and indexed in int32).
MAX_SYNAPSES = 2**31 - 1


def _check_num(num: Any, allow_self_conn: Any) -> tuple[int, bool]:
    # int32 counts, as FixedTotalNumber's (2**40 failed inside the draw: "out of bounds for int32")
    return check_int("num", num, minimum=0, maximum=MAX_SYNAPSES), check_bool("allow_self_conn", allow_self_conn)


class _FixedDegree(AbstractConnector):
    def __init__(self, num: int, allow_self_conn: bool = True, allow_multapses: bool = False):
        self.num, self.allow_self_conn = _check_num(num, allow_self_conn)
        self.allow_multapses = check_bool("allow_multapses", allow_multapses)

    def _draw(self, key: jax.Array, rows: int, n: int, exclude: bool, side: str) -> jax.Array:
        available = n - exclude
        if self.allow_multapses:  # with replacement: any num, as NEST's and Brian2's multapses
            if available < 1 and self.num:
                raise ValueError(f"num={self.num} synapses need at least one {side} neuron to draw from"
                                 + (" other than the neuron itself (self-connections excluded)" if exclude else ""))
            if rows * self.num > MAX_SYNAPSES:  # (rows, num) int32 draws: 2**31 and more failed, or ran out of memory
                raise ValueError(f"num={self.num} synapses for each of {rows} neurons make {rows * self.num:.3g} "
                                 f"synapses, more than one projection holds ({MAX_SYNAPSES:.3g}, int32 indices)")
            out = jax.random.randint(key, (rows, self.num), 0, max(available, 1), dtype=jnp.int32)
            return skip_diagonal(out, jnp.arange(rows, dtype=jnp.int32)[:, None]) if exclude else out
        if self.num > available:
            raise ValueError(
                f"num={self.num} exceeds the {available} distinct {side} neurons available"
                + (" (self-connections excluded)" if exclude else "")
                + "; allow_multapses=True draws with replacement"
            )
        return distinct_per_row(key, rows, n, self.num, skip_own=exclude)


class FixedInDegree(_FixedDegree):
    """Each postsynaptic neuron receives exactly ``num`` distinct presynaptic neurons.

    The fan-out of a presynaptic neuron is then Binomial(n_post, num / n_pre), so rows are padded to
    ``K = binomial_bound(n_post, num / n_pre)`` and a row that needs more sets ``overflow``.
    ``FixedPreNum`` is BrainPy's name for it.

    >>> import jax
    >>> c = FixedInDegree(3)(jax.random.key(0), 20, 10)
    >>> c.dense().sum(axis=0).tolist() == [3] * 10
    True
    """

    def fan_out(self, n_pre: int, n_post: int, same_group: bool = False) -> int:
        exclude = self.excludes_self(n_pre, n_post, same_group)
        if self.allow_multapses:  # out-degree Binomial(n_post * num, 1 / n_pre)
            return binomial_bound(n_post * self.num, 1.0 / max(n_pre - exclude, 1))
        return binomial_bound(n_post - exclude, min(1.0, self.num / max(n_pre - exclude, 1)))

    def out_degree_moments(self, n_pre: int, n_post: int, same_group: bool = False) -> tuple[float, float]:
        n = max(n_pre - self.excludes_self(n_pre, n_post, same_group), 1)
        if self.allow_multapses:  # Binomial(n_post * num, 1 / n): num may exceed n
            return n_post * self.num / n, n_post * self.num / n * (1.0 - 1.0 / n)
        p = min(1.0, self.num / n)
        return n_post * p, n_post * p * (1.0 - p)

    def num_pairs(self, n_pre: int, n_post: int, same_group: bool = False) -> int:
        return n_post * self.num

    def pairs(self, key: jax.Array, n_pre: int, n_post: int, same_group: bool) -> tuple[jax.Array, jax.Array]:
        """``(pre, post)`` int32 arrays of length ``n_post * num``."""
        exclude = self.excludes_self(n_pre, n_post, same_group)
        sources = self._draw(key, n_post, n_pre, exclude, "presynaptic")
        return sources.reshape(-1), jnp.repeat(jnp.arange(n_post, dtype=jnp.int32), self.num)

    def build(self, key: jax.Array, n_pre: int, n_post: int, same_group: bool) -> Connectivity:
        exclude = self.excludes_self(n_pre, n_post, same_group)
        sources = self._draw(key, n_post, n_pre, exclude, "presynaptic")  # (n_post, num)
        return by_pre(sources, n_pre, n_post, self.fan_out(n_pre, n_post, same_group))


class FixedOutDegree(_FixedDegree):
    """Each presynaptic neuron projects to exactly ``num`` distinct postsynaptic neurons (``K = num``).

    ``FixedPostNum`` is BrainPy's name for it.

    >>> import jax
    >>> c = FixedOutDegree(3)(jax.random.key(0), 20, 10)
    >>> c.dense().sum(axis=1).tolist() == [3] * 20
    True
    """

    def fan_out(self, n_pre: int, n_post: int, same_group: bool = False) -> int:
        return max(1, self.num)

    def out_degree_moments(self, n_pre: int, n_post: int, same_group: bool = False) -> tuple[float, float]:
        return float(self.num), 0.0

    def num_pairs(self, n_pre: int, n_post: int, same_group: bool = False) -> int:
        return n_pre * self.num

    def pairs(self, key: jax.Array, n_pre: int, n_post: int, same_group: bool) -> tuple[jax.Array, jax.Array]:
        """``(pre, post)`` int32 arrays of length ``n_pre * num``."""
        targets = self._draw(key, n_pre, n_post, self.excludes_self(n_pre, n_post, same_group), "postsynaptic")
        return jnp.repeat(jnp.arange(n_pre, dtype=jnp.int32), self.num), targets.reshape(-1)

    def build(self, key: jax.Array, n_pre: int, n_post: int, same_group: bool) -> Connectivity:
        exclude = self.excludes_self(n_pre, n_post, same_group)
        targets = self._draw(key, n_pre, n_post, exclude, "postsynaptic")
        if self.num == 0:
            targets = jnp.full((n_pre, 1), n_post, jnp.int32)
        return Connectivity(jnp.sort(targets, axis=1), jnp.zeros((), jnp.bool_), n_post)


def by_pre(sources: jax.Array, n_pre: int, n_post: int, width: int) -> Connectivity:
    """Turn ``sources (n_post, k)`` (the pre neurons of each post) into rows by pre of width ``width``.

    A stable sort by source keeps each row's targets in increasing order; a row longer than ``width``
    sets ``overflow``.
    """
    k = sources.shape[1]
    return rows_from_pairs(sources.reshape(-1), jnp.repeat(jnp.arange(n_post, dtype=jnp.int32), k), n_pre, n_post,
                           width)


def rows_from_pairs(src: jax.Array, post: jax.Array, n_pre: int, n_post: int, width: int) -> Connectivity:
    """Synapses given as ``(pre, post)`` pairs as rows by pre of width ``width`` (targets increasing)."""
    if n_pre * n_post <= 2**32:
        # One packed uint32 key: a one-operand sort is several times faster than a two-operand one on CPU.
        packed = jnp.sort(src.astype(jnp.uint32) * jnp.uint32(n_post) + post.astype(jnp.uint32))
        src, post = (packed // n_post).astype(jnp.int32), (packed % n_post).astype(jnp.int32)
    else:
        src, post = jax.lax.sort((src, post), num_keys=1, is_stable=True)
    counts = jnp.zeros(n_pre, jnp.int32).at[src].add(1)
    starts = cumsum_exact(counts) - counts
    rank = jnp.arange(src.shape[0], dtype=jnp.int32) - starts[src]
    targets = jnp.full((n_pre, width), n_post, jnp.int32).at[src, rank].set(post, mode="drop")
    return Connectivity(targets, jnp.any(counts > width), n_post)


FixedPreNum = FixedInDegree
FixedPostNum = FixedOutDegree
