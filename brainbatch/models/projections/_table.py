"""Drawing a ``Pathways`` table in chunks, with memory proportional to the table (docs/large-models.md).

The table is compressed rows by presynaptic neuron (CSR): row ``i`` is ``targets[indptr[i]:indptr[i + 1]]``
with ``weights`` alongside, ``int32`` and ``float32``: 8 bytes per synapse and no row padding (a table of
rows padded to one static width held 15-19 bytes per synapse). It is drawn in two passes over chunks of
synapses: the first counts each presynaptic neuron's synapses (so ``indptr``), the second draws them
again and writes each chunk's synapses, sorted by presynaptic neuron (stably), after those a row
already holds. A row therefore lists its synapses in the order they were drawn, whatever the chunk
size, and the scratch is a few arrays of one chunk, not of the whole table (drawing everything at once
and sorting it kept ~96 bytes per synapse: 27.6 GB at full scale).

For a table of ``FixedTotalNumber`` pathways with weights and delays from the families of
``_families.py`` every random number is a counter-based hash of (pathway key, stream, synapse index):
``threefry2x32(key, (stream, j))``, the function ``jax.random.bits`` itself evaluates for element ``j``.
Synapse ``j`` of a pathway is then the same in one chunk or in many, in either pass, alone or inside a
batch of runs, and one small program draws any number of pathways.
"""
from __future__ import annotations

import functools
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax.extend.random import threefry2x32_p

from ._families import families_from_uniform, kinds_of
from ...kernels import cumsum_exact

__all__ = ["CHUNK", "TableSpec", "chunk_for", "draw_total_numbers", "empty_table", "count", "row_pointers", "place",
           "counter_words", "below"]

#: at most this many synapses drawn per iteration: ~100 bytes of scratch each (3 MB, in cache: chunks of
#: 2**12-2**15 draw at ~100 ns per synapse on the 2-core CPU, 2**18 at 166 ns)
CHUNK = 2**15


def chunk_for(total: int) -> int:
    """Synapses per iteration for a table of ``total``: a power of two near ``total / 32`` (so the
    scratch, ~100 bytes per synapse of a chunk, stays under half the table's 8 bytes per synapse),
    between 2**10 and ``CHUNK``.

    >>> chunk_for(3_000_000), chunk_for(100)
    (32768, 1024)
    """
    return int(min(CHUNK, max(2**10, 1 << max(0, (total // 32 - 1).bit_length()))))


class TableSpec(NamedTuple):
    """Static description of a table of ``FixedTotalNumber`` pathways (one row per pathway).

    ``counts``: synapses per pathway; ``geometry`` columns: n_pre, n_post, no-autapse flag, pre offset,
    post offset; ``weights`` and ``delays``: rows of ``family_row``; ``dt``, ``length`` (ring length,
    delays are clipped to ``length - 1`` steps), ``n_pre_total``, ``n_post_total``, ``width`` (``K``).
    """

    # tuples, not arrays: a TableSpec is a static (hashable) argument of compiled code
    counts: tuple
    geometry: tuple
    weights: tuple
    delays: tuple
    dt: float
    length: int
    n_pre_total: int
    n_post_total: int
    width: int


def counter_words(k1: jax.Array, k2: jax.Array, stream: int, index: jax.Array) -> tuple[jax.Array, jax.Array]:
    """Two uint32 words of ``threefry2x32(key, (stream, index))``: element ``index`` of stream ``stream``.

    For ``stream=0`` their xor is ``jax.random.bits(key, (n,), uint32)[index]``.

    >>> import jax, jax.numpy as jnp
    >>> k = jax.random.key(3)
    >>> k1, k2 = jax.random.key_data(k)
    >>> hi, lo = counter_words(k1, k2, 0, jnp.arange(4, dtype=jnp.uint32))
    >>> bool(jnp.all((hi ^ lo) == jax.random.bits(k, (4,), jnp.uint32)))
    True
    """
    index = index.astype(jnp.uint32)
    hi, lo = threefry2x32_p.bind(k1, k2, jnp.full(index.shape, stream, jnp.uint32), index)
    return hi, lo


def below(word: jax.Array, n: jax.Array) -> jax.Array:
    """``floor(word * n / 2**32)`` as int32: a uniform integer in ``[0, n)`` from a uniform uint32 word
    (each value has probability within ``n / 2**32`` of ``1/n`` relative; n < 2**24 here).

    >>> import jax.numpy as jnp
    >>> below(jnp.array([0, 2**31, 2**32 - 1], jnp.uint32), jnp.uint32(10)).tolist()
    [0, 5, 9]
    """
    w, n = word.astype(jnp.uint32), jnp.asarray(n).astype(jnp.uint32)
    a, b = w >> 16, w & 0xFFFF
    c, d = n >> 16, n & 0xFFFF
    ad, bc = a * d, b * c
    mid = ((b * d) >> 16) + (ad & 0xFFFF) + (bc & 0xFFFF)  # < 3 * 2**16: no overflow
    return (a * c + (ad >> 16) + (bc >> 16) + (mid >> 16)).astype(jnp.int32)


def _unit(word: jax.Array) -> jax.Array:
    """A float32 in (0, 1), never 0 or 1, from the top 23 bits of ``word``."""
    return ((word >> 9).astype(jnp.float32) + 0.5) * jnp.float32(2.0**-23)


def empty_table(n_pre: int, capacity: int, pad: int) -> Any:
    """``(targets, weights, fill, overflow)`` of a table of ``capacity`` synapses before anything is placed
    (``fill``: synapses each row holds so far)."""
    return (jnp.full((capacity,), pad, jnp.int32), jnp.zeros((capacity,), jnp.float32),
            jnp.zeros((n_pre,), jnp.int32), jnp.zeros((), jnp.bool_))


def count(counts: jax.Array, src: jax.Array) -> jax.Array:
    """``counts`` plus one for each synapse of ``src`` (``src == n_pre`` is dropped): the first pass."""
    return counts.at[src].add(1, mode="drop")


def row_pointers(counts: jax.Array, capacity: int, width: int) -> tuple[jax.Array, jax.Array]:
    """``(indptr, overflow)`` from each row's synapse count: ``indptr`` ``int32 (n_pre + 1,)``, clipped to
    ``capacity``; ``overflow`` if the rows need more than ``capacity`` or a row more than ``width``.

    >>> import jax.numpy as jnp
    >>> [x.tolist() for x in row_pointers(jnp.array([2, 0, 3]), 5, 3)]
    [[0, 2, 2, 5], False]
    """
    ends = cumsum_exact(jnp.asarray(counts).astype(jnp.int32))
    overflow = (ends[-1] > capacity) | jnp.any(counts > width)
    return jnp.concatenate([jnp.zeros((1,), jnp.int32), jnp.minimum(ends, capacity)]), overflow


def place(table: Any, starts: jax.Array, src: jax.Array, tgt: jax.Array, w: jax.Array) -> Any:
    """Append synapses ``(src, tgt, w)`` to their rows (row ``i`` begins at ``starts[i]``), in their order;
    ``src == n_pre`` is dropped, and so is a synapse past the capacity (``row_pointers`` flags it).
    """
    targets, weights, fill, overflow = table
    n_pre, capacity = fill.shape[0], targets.shape[0]
    n = src.shape[0]
    pos_bits = max(1, (n - 1).bit_length())
    if n_pre.bit_length() + pos_bits <= 32:
        # one packed uint32 key (row, position): unique, so the sort is stable, and a one-operand sort
        # is ~6x cheaper on CPU than sorting (row, position) pairs (it was 85 % of the draw)
        packed = jnp.sort((src.astype(jnp.uint32) << pos_bits) | jnp.arange(n, dtype=jnp.uint32))
        src, order = (packed >> pos_bits).astype(jnp.int32), (packed & ((1 << pos_bits) - 1)).astype(jnp.int32)
    else:
        order = jnp.arange(n, dtype=jnp.int32)
        src, order = jax.lax.sort((src.astype(jnp.int32), order), num_keys=1, is_stable=True)
    tgt, w = tgt[order], w[order]
    first = jnp.concatenate([jnp.ones((1,), jnp.bool_), src[1:] != src[:-1]])
    pos = jnp.arange(src.shape[0], dtype=jnp.int32)
    run_start = jax.lax.cummax(jnp.where(first, pos, 0))
    base = starts.at[src].get(mode="fill", fill_value=0) + fill.at[src].get(mode="fill", fill_value=0)
    slot = jnp.where(src < n_pre, base + pos - run_start, capacity)  # out of bounds: dropped
    targets = targets.at[slot].set(tgt, mode="drop")
    weights = weights.at[slot].set(w.astype(jnp.float32), mode="drop")
    fill = fill.at[src].add(1, mode="drop")
    return targets, weights, fill, overflow


def draw_total_numbers(keys: jax.Array, spec: TableSpec, chunk: int | None = None) -> Any:
    """``(indptr, targets, weights, overflow)`` of a table of ``FixedTotalNumber`` pathways drawn chunk by
    chunk, in two passes (count, then place). ``keys``: ``uint32 (P, 2)``, the key data of each pathway.
    The result does not depend on ``chunk``.
    """
    counts = np.asarray(spec.counts, np.int64)
    total = int(counts.sum())
    if chunk is None:  # small enough for place()'s packed sort key: (row, position) in 32 bits
        chunk = min(chunk_for(total), max(2**10, 2 ** (32 - spec.n_pre_total.bit_length())))
    chunk = int(chunk)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int32)
    table = empty_table(spec.n_pre_total, total, spec.length * spec.n_post_total)
    n_chunks = -(-total // chunk)
    if n_chunks == 0:
        return jnp.zeros((spec.n_pre_total + 1,), jnp.int32), table[0], table[1], table[3]
    # The barrier keeps XLA from constant-folding the per-pathway tables into per-synapse constants.
    params = jax.lax.optimization_barrier((
        jnp.asarray(starts), jnp.asarray(spec.geometry, jnp.int32),
        jnp.asarray(np.concatenate([np.asarray(spec.weights), np.asarray(spec.delays)]).T, jnp.float32)))
    draw = functools.partial(_chunk, keys=keys, params=params, total=total, chunk=chunk, spec=spec)
    row_counts = jax.lax.fori_loop(0, n_chunks, lambda c, n: count(n, draw(c, pre_only=True)),
                                   jnp.zeros((spec.n_pre_total,), jnp.int32))
    indptr, overflow = row_pointers(row_counts, total, spec.width)
    table = jax.lax.fori_loop(0, n_chunks, lambda c, t: place(t, indptr[:-1], *draw(c)), table)
    return indptr, table[0], table[1], table[3] | overflow


def _chunk(c: Any, *, keys: Any, params: Any, total: Any, chunk: Any, spec: TableSpec, pre_only: bool = False) -> Any:
    """Chunk ``c``'s synapses as ``(src, tgt, w)`` (``src == n_pre_total`` past the end), or only ``src``."""
    starts, geometry, cols = params
    i = c * chunk + jnp.arange(chunk, dtype=jnp.int32)
    valid = i < total
    n_paths = starts.shape[0]
    if n_paths == 1:  # static: one pathway needs no search
        p = jnp.zeros_like(i)
    else:
        p = jnp.clip(jnp.searchsorted(starts, i, side="right") - 1, 0, n_paths - 1)
    j = i - starts[p]
    n_pre, n_post, exclude, pre_off, post_off = (geometry[p, k] for k in range(5))
    k1, k2 = keys[p, 0], keys[p, 1]
    w_pre, w_post = counter_words(k1, k2, 0, j)
    pre = below(w_pre, n_pre)
    src = jnp.where(valid, pre + pre_off, spec.n_pre_total)
    if pre_only:
        return src
    w_weight, w_delay = counter_words(k1, k2, 1, j)
    post = below(w_post, n_post - exclude)
    post = post + ((exclude > 0) & (post >= pre)).astype(jnp.int32)  # no autapse: skip the own index
    # only the families the table holds are compiled (kinds_of: a static set), for weights and delays apart
    w = families_from_uniform(_unit(w_weight), cols, p, kinds_of(spec.weights))
    ms = families_from_uniform(_unit(w_delay), cols, p + n_paths, kinds_of(spec.delays))
    steps = jnp.clip(jnp.round(ms / spec.dt), 0, spec.length - 1).astype(jnp.int32)
    tgt = steps * spec.n_post_total + post + post_off
    return src, tgt, w
