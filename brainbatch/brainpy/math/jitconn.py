"""``bm.jitconn``: BrainPy's just-in-time connectivity. ``y = M @ v`` with a random ``M`` that is never stored: each
product draws it again from ``seed``, a block of rows at a time, so memory grows with the vector and not with ``M``.

``M`` has ``shape`` (rows, columns); ``transpose=True`` computes ``M.T @ v`` with the same ``M``, and
``get_*_weight_matrix`` gives that ``M`` (``M.T`` with ``transpose=True``), so ``mv_prob_homo(v, ...) ==
get_homo_weight_matrix(...) @ v`` to float32 rounding. Each entry is connected with probability ``conn_prob``,
independently of all others (a binomial number per row and per column), with ``weight``, a Uniform(``w_low``,
``w_high``) or a Normal(``w_mu``, ``w_sigma``) weight; for one seed the three kinds connect the same pairs.
``outdim_parallel=True`` (the default) draws ``M`` row by row, ``False`` column by column: another ``M`` of the same
law, as in BrainPy. The ``event_`` versions take spikes (a nonzero entry is one spike) and visit only the spiking
rows where the spikes index the rows drawn (``transpose=True`` with ``outdim_parallel=True``, BrainPy's ``(pre,
post)`` synapses, or ``transpose=False`` with ``outdim_parallel=False``); they equal the plain versions on 0/1
vectors.

BrainPy's own matrices cannot be reproduced: its kernels draw from their own random streams (and its taichi-era
kernels skipped a uniform number of columns between connections, so its per-row counts were not binomial). The
same ``seed`` gives the same ``M`` here in every call, inside a step, ``jax.vmap`` and ``bm.for_loop`` alike.

>>> import jax.numpy as jnp
>>> import brainbatch.brainpy.math as bm
>>> v = jnp.arange(4.)
>>> y = bm.jitconn.mv_prob_homo(v, 0.5, conn_prob=0.5, seed=1, shape=(3, 4))
>>> M = bm.jitconn.get_homo_weight_matrix(0.5, conn_prob=0.5, seed=1, shape=(3, 4))
>>> bool(jnp.allclose(y, M @ v)), M.shape
(True, (3, 4))
"""
from __future__ import annotations

import functools
import math
import operator
from typing import Any, Callable, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from ...core.checks import is_traced
from ...core.variable import unwrap
from .._compat import unsupported
from . import random as _random

__all__ = ["mv_prob_homo", "mv_prob_uniform", "mv_prob_normal", "event_mv_prob_homo", "event_mv_prob_uniform",
           "event_mv_prob_normal", "get_homo_weight_matrix", "get_uniform_weight_matrix", "get_normal_weight_matrix"]

#: draws held at once (rows of a block x draws per row): the memory of one product, whatever the size of M
_BLOCK_DRAWS = 1 << 17
#: the same for the spiking rows of an event product: smaller blocks, so few spikes cost little
_EVENT_BLOCK_DRAWS = 1 << 13
#: rows and columns stay below this, so a position plus a run of skips fits an int32
_MAX_DIM = 1 << 30


class _Spec(NamedTuple):
    """What fixes a compiled product: the generated matrix ``G`` (``M``, or ``M.T`` drawn column by column) has
    ``rows`` x ``cols`` entries; a row's connections come from ``chunk`` geometric skips at a time."""

    rows: int
    cols: int
    rate: float  # -log(1 - conn_prob): a skip of k columns has probability exp(-rate k) (1 - exp(-rate))
    chunk: int
    kind: str  # "homo", "uniform", "normal"


class _Draw(NamedTuple):
    """A ``_Spec`` with its keys and weight parameters (traced inside the compiled product)."""

    conn_key: jax.Array
    weight_key: jax.Array
    rows: int
    cols: int
    rate: float
    chunk: int
    kind: str
    a: Any  # weight, w_low or w_mu
    b: Any  # 0, w_high or w_sigma


def _chunk(draw: _Draw, rows: jax.Array, start: jax.Array, c: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array]:
    """The ``c``-th chunk of connections of ``rows`` whose next connection is at ``start`` or later: their columns
    (``cols`` where there is none), whether each is one, and their weights. A row's skips are the gaps between
    successes of independent Bernoulli(conn_prob) trials, so its row of ``G`` has exactly the Bernoulli law; the
    draws depend only on (seed, row, chunk), so every block size and every call gives the same matrix."""
    keys = jax.vmap(lambda r: jax.random.fold_in(jax.random.fold_in(draw.conn_key, r), c))(rows)
    e = jax.vmap(lambda k: jax.random.exponential(k, (draw.chunk,)))(keys)
    # an exponential over the rate, floored, is geometric; clipped before the cast so a huge skip stays an int32
    skip = jnp.minimum(jnp.floor(e / draw.rate), draw.cols).astype(jnp.int32) + 1
    offsets = _running_sum(skip, draw.cols + 1)
    cols = start[:, None] + offsets - 1
    valid = cols < draw.cols
    cols = jnp.where(valid, cols, draw.cols)
    return cols, valid, _weights(draw, rows, c)


def _running_sum(skip: jax.Array, limit: int) -> jax.Array:
    """The running sums of ``skip`` (each in [1, ``limit``]) along its last axis, exact up to ``limit``: a plain
    int32 sum where neither it nor a start (< ``limit``) plus it can overflow, else one saturating at ``limit``."""
    if (skip.shape[-1] + 1) * limit < 2**31:
        return jnp.cumsum(skip, axis=-1)

    def saturating_add(x: jax.Array, y: jax.Array) -> jax.Array:  # associative for x, y >= 0
        return jnp.minimum(x + y, limit)

    return jax.lax.associative_scan(saturating_add, skip, axis=skip.ndim - 1)


def _weights(draw: _Draw, rows: jax.Array, c: jax.Array) -> jax.Array:
    if draw.kind == "homo":
        return jnp.broadcast_to(jnp.asarray(draw.a, jnp.float32), (rows.shape[0], draw.chunk))
    keys = jax.vmap(lambda r: jax.random.fold_in(jax.random.fold_in(draw.weight_key, r), c))(rows)
    if draw.kind == "uniform":
        u = jax.vmap(lambda k: jax.random.uniform(k, (draw.chunk,)))(keys)
        return draw.a + (draw.b - draw.a) * u
    z = jax.vmap(lambda k: jax.random.normal(k, (draw.chunk,)))(keys)
    return draw.a + draw.b * z


def _over_rows(draw: _Draw, rows: jax.Array, init: Any,
               add: Callable[[Any, jax.Array, jax.Array, jax.Array], Any]) -> Any:
    """``add(acc, cols, valid, weights)`` over every chunk of ``rows`` (a row ``>= draw.rows`` is padding: none)."""
    start = jnp.where(rows < draw.rows, 0, draw.cols).astype(jnp.int32)

    def more(carry: tuple) -> jax.Array:
        return jnp.any(carry[1] < draw.cols)

    def step(carry: tuple) -> tuple:
        c, start, acc = carry
        cols, valid, w = _chunk(draw, rows, start, c)
        # the next connection of a row follows its last column; a finished row stays at draw.cols
        last = jnp.max(jnp.where(valid, cols, -1), axis=1)
        start = jnp.where(start < draw.cols, jnp.where(valid[:, -1], last + 1, draw.cols), draw.cols)
        return c + 1, start.astype(jnp.int32), add(acc, cols, valid, w)

    return jax.lax.while_loop(more, step, (jnp.uint32(0), start, init))[2]


def _row_blocks(draw: _Draw, draws: int) -> jax.Array:
    """The row numbers of ``G`` in blocks of about ``draws`` draws (the last one padded with ``draw.rows``)."""
    size = max(1, min(draw.rows, draws // draw.chunk))
    n = -(-draw.rows // size)
    rows = jnp.full(n * size, draw.rows, jnp.int32).at[:draw.rows].set(jnp.arange(draw.rows, dtype=jnp.int32))
    return rows.reshape(n, size)


def _rows_times(draw: _Draw, x: jax.Array) -> jax.Array:
    """``G @ x``: each row's sum over its connections, a block of rows at a time."""
    def block(rows: jax.Array) -> jax.Array:
        def add(acc: jax.Array, cols: jax.Array, valid: jax.Array, w: jax.Array) -> jax.Array:
            return acc + jnp.sum(jnp.where(valid, w * x[jnp.minimum(cols, draw.cols - 1)], 0.0), axis=1)

        return _over_rows(draw, rows, jnp.zeros(rows.shape, jnp.float32), add)

    return jax.lax.map(block, _row_blocks(draw, _BLOCK_DRAWS)).reshape(-1)[:draw.rows]


def _scatter(draw: _Draw, x_of_rows: jax.Array) -> Callable[[jax.Array, jax.Array, jax.Array, jax.Array], jax.Array]:
    def add(acc: jax.Array, cols: jax.Array, valid: jax.Array, w: jax.Array) -> jax.Array:
        return acc.at[cols].add(jnp.where(valid, w * x_of_rows[:, None], 0.0), mode="drop")

    return add


def _transposed_times(draw: _Draw, x: jax.Array) -> jax.Array:
    """``G.T @ x``: each row's connections add its value of ``x``, a block of rows at a time."""
    def block(y: jax.Array, rows: jax.Array) -> tuple[jax.Array, None]:
        return _over_rows(draw, rows, y, _scatter(draw, x[jnp.minimum(rows, draw.rows - 1)])), None

    return jax.lax.scan(block, jnp.zeros(draw.cols, jnp.float32), _row_blocks(draw, _BLOCK_DRAWS))[0]


def _transposed_events(draw: _Draw, events: jax.Array) -> jax.Array:
    """``G.T @ spikes``: only the spiking rows are drawn, a block of them at a time, until none is left."""
    size = max(1, min(draw.rows, _EVENT_BLOCK_DRAWS // draw.chunk))
    n_blocks = -(-draw.rows // size)
    spiking = events != 0
    rows = jnp.nonzero(spiking, size=n_blocks * size, fill_value=draw.rows)[0].astype(jnp.int32)
    count = jnp.sum(spiking, dtype=jnp.int32)
    add = _scatter(draw, jnp.ones(size, jnp.float32))

    def more(carry: tuple) -> jax.Array:
        return carry[0] * size < count

    def step(carry: tuple) -> tuple:
        b, y = carry
        return b + 1, _over_rows(draw, jax.lax.dynamic_slice(rows, (b * size,), (size,)), y, add)

    return jax.lax.while_loop(more, step, (jnp.int32(0), jnp.zeros(draw.cols, jnp.float32)))[1]


def _dense(draw: _Draw) -> jax.Array:
    """``G`` itself, a block of rows at a time (what the products draw)."""
    def block(rows: jax.Array) -> jax.Array:
        local = jnp.arange(rows.shape[0])

        def add(acc: jax.Array, cols: jax.Array, valid: jax.Array, w: jax.Array) -> jax.Array:
            return acc.at[local[:, None], cols].add(jnp.where(valid, w, 0.0), mode="drop")

        return _over_rows(draw, rows, jnp.zeros((rows.shape[0], draw.cols), jnp.float32), add)

    return jax.lax.map(block, _row_blocks(draw, _BLOCK_DRAWS)).reshape(-1, draw.cols)[:draw.rows]


@functools.partial(jax.jit, static_argnames=("spec", "op"))
def _compiled(spec: _Spec, op: str, key: jax.Array, a: Any, b: Any, x: jax.Array | None) -> jax.Array:
    """One compiled program per matrix size, law and operation (``op``: ``rows``, ``transposed``, ``events``,
    ``dense``); the seed, weights and vector are its arguments."""
    draw = _Draw(jax.random.fold_in(key, 0), jax.random.fold_in(key, 1), *spec[:4], spec.kind,
                 jnp.asarray(a, jnp.float32), jnp.asarray(b, jnp.float32))
    if op == "dense":
        return _dense(draw)
    assert x is not None
    return {"rows": _rows_times, "transposed": _transposed_times, "events": _transposed_events}[op](draw, x)


# ------------------------------------------------------------------------------------------------ the arguments


def _shape(where: str, shape: Any) -> tuple[int, int]:
    rule = f"{where}: shape must be two whole numbers >= 0 (the matrix's rows and columns, each below 2**30)"
    try:
        dims = tuple(operator.index(unwrap(d)) for d in shape)
    except TypeError:
        raise ValueError(f"{rule}, got {shape!r}") from None
    if len(dims) != 2 or any(isinstance(d, (bool, np.bool_)) for d in shape) or not all(0 <= d < _MAX_DIM for d in dims):
        raise ValueError(f"{rule}, got {shape!r}")
    return dims[0], dims[1]


def _prob(where: str, conn_prob: Any) -> float:
    value = unwrap(conn_prob)
    if is_traced(value):
        raise TypeError(f"{where}: conn_prob must be a number known when the step is traced (how many draws a row "
                        f"takes depends on it), got a traced value; pass a Python float")
    try:
        p = float(value) if not isinstance(value, (bool, str)) and np.ndim(value) == 0 else None
    except (TypeError, ValueError):
        p = None
    if p is None or not 0.0 <= p <= 1.0:
        raise ValueError(f"{where}: conn_prob must be a probability in [0, 1], got {conn_prob!r}")
    return p


def _flag(where: str, name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{where}: {name} must be True or False, got {value!r}")
    return bool(value)


def _seed(where: str, seed: Any) -> jax.Array:
    """A key from ``seed``: a whole number in [0, 2**32), or a traced integer (a swept seed)."""
    if seed is None:
        if _random._in_run():
            raise ValueError(f"{where}: seed=None inside a step, a loop or a bm.jit call draws a seed that the "
                             f"compiled step would keep for every call (BrainPy warns of the same); pass seed=, a "
                             f"whole number, so that the matrix is the same in every product")
        # outside a run BrainPy draws a host seed at each call: here from bm.random's stream (bm.random.seed(s)
        # repeats it)
        with jax.ensure_compile_time_eval():
            seed = int(jax.random.randint(_random.stream_key(), (), 0, 1_000_000_000))
    value = unwrap(seed)
    if is_traced(value):
        if not jnp.issubdtype(jnp.asarray(value).dtype, jnp.integer) or jnp.ndim(value) != 0:
            raise TypeError(f"{where}: seed must be one whole number, got a traced {jnp.asarray(value).dtype} "
                            f"array of shape {jnp.shape(value)}")
        return jax.random.key(jnp.asarray(value).astype(jnp.uint32))
    try:
        number = -1 if isinstance(value, (bool, np.bool_)) else operator.index(value)
    except TypeError:
        number = -1
    if not 0 <= number < 2**32:
        raise ValueError(f"{where}: seed must be a whole number in [0, 2**32) or None, got {seed!r}")
    return jax.random.key(np.uint32(number))


def _number(where: str, name: str, value: Any) -> Any:
    """A weight parameter: a number (traced ones, a swept weight, are taken as they are)."""
    x = unwrap(value)
    if is_traced(x):
        if jnp.ndim(x) != 0:
            raise ValueError(f"{where}: {name} must be one number, got an array of shape {jnp.shape(x)}")
        return jnp.asarray(x, jnp.float32)
    if isinstance(x, (bool, str, np.bool_)) or np.ndim(x) != 0:
        raise ValueError(f"{where}: {name} must be one number, got {value!r}")
    try:
        number = float(x)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: {name} must be one number, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{where}: {name} must be a finite number, got {value!r}")
    return number


def _law(where: str, kind: str, a: Any, b: Any) -> tuple[Any, Any]:
    first, second = {"homo": ("weight", ""), "uniform": ("w_low", "w_high"), "normal": ("w_mu", "w_sigma")}[kind]
    a = _number(where, first, a)
    if kind == "homo":
        return a, None
    b = _number(where, second, b)
    if kind == "uniform" and isinstance(a, float) and isinstance(b, float) and a > b:
        raise ValueError(f"{where}: w_low must be <= w_high (weights are drawn in [w_low, w_high)), got w_low={a!r} "
                         f"and w_high={b!r}")
    if kind == "normal" and isinstance(b, float) and b < 0:
        raise ValueError(f"{where}: w_sigma must be >= 0 (a standard deviation), got {b!r}")
    return a, b


class _Call(NamedTuple):
    spec: _Spec
    key: jax.Array
    a: Any
    b: Any
    by_rows: bool
    transpose: bool
    empty: bool  # conn_prob 0 or a side of 0: nothing to draw


def _call(where: str, kind: str, a: Any, b: Any, conn_prob: Any, seed: Any, shape: Any, transpose: Any,
          outdim_parallel: Any) -> _Call:
    m, n = _shape(where, shape)
    p = _prob(where, conn_prob)
    a, b = _law(where, kind, a, b)
    by_rows = _flag(where, "outdim_parallel", outdim_parallel)
    transpose = _flag(where, "transpose", transpose)
    key = _seed(where, seed)
    rows, cols = (m, n) if by_rows else (n, m)
    mean = cols * p
    # enough draws that a row almost never needs a second chunk (6 standard deviations); never more than cols,
    # after which a row has certainly passed its last column
    chunk = int(max(1, min(cols, math.ceil(mean + 6.0 * math.sqrt(mean * (1.0 - p)) + 10.0))))
    rate = math.inf if p == 1.0 else -math.log1p(-p)
    return _Call(_Spec(rows, cols, rate, chunk, kind), key, a, 0.0 if b is None else b, by_rows, transpose,
                 p == 0.0 or rows == 0 or cols == 0)


def _vector(where: str, vector: Any, shape: tuple[int, int], transpose: bool, name: str) -> jax.Array:
    x = jnp.asarray(unwrap(vector))
    m, n = shape
    length, side = (m, "shape[0]") if transpose else (n, "shape[1]")
    if x.ndim != 1:
        raise ValueError(f"{where}: {name} must be a 1-D vector of length {length} ({side} with transpose="
                         f"{transpose}), got shape {tuple(x.shape)}; map a batch with jax.vmap or bm.vmap")
    if x.shape[0] != length:
        other, other_side = (n, "shape[1]") if transpose else (m, "shape[0]")
        raise ValueError(f"{where}: {name} has length {x.shape[0]}, and a {shape} matrix with transpose={transpose} "
                         f"takes a vector of length {length} ({side}; with transpose={not transpose}, {other}, "
                         f"{other_side})")
    return x


def _product(where: str, kind: str, vector: Any, a: Any, b: Any, conn_prob: Any, seed: Any, shape: Any,
             transpose: Any, outdim_parallel: Any, event: bool) -> jax.Array:
    call = _call(where, kind, a, b, conn_prob, seed, shape, transpose, outdim_parallel)
    rows, cols = call.spec.rows, call.spec.cols
    x = _vector(where, vector, (rows, cols) if call.by_rows else (cols, rows), call.transpose,
                "events" if event else "vector")
    # M @ v is G @ v when M was drawn by rows (G = M), G.T @ v when by columns (G = M.T); M.T @ v the other one
    through_columns = call.transpose == call.by_rows
    if call.empty:
        return jnp.zeros(cols if through_columns else rows, jnp.float32)
    if event and through_columns:
        return _compiled(call.spec, "events", call.key, call.a, call.b, x)
    x = (x != 0).astype(jnp.float32) if event else x.astype(jnp.float32)
    return _compiled(call.spec, "transposed" if through_columns else "rows", call.key, call.a, call.b, x)


def _matrix(where: str, kind: str, a: Any, b: Any, conn_prob: Any, seed: Any, shape: Any, transpose: Any,
            outdim_parallel: Any) -> jax.Array:
    call = _call(where, kind, a, b, conn_prob, seed, shape, transpose, outdim_parallel)
    rows, cols = call.spec.rows, call.spec.cols
    g = jnp.zeros((rows, cols), jnp.float32) if call.empty else _compiled(call.spec, "dense", call.key, call.a,
                                                                          call.b, None)
    m = g if call.by_rows else g.T
    return m.T if call.transpose else m


# ------------------------------------------------------------------------------------------------ BrainPy's names


def mv_prob_homo(vector: Any, weight: Any, conn_prob: float, seed: int | None = None, *, shape: tuple[int, int],
                 transpose: bool = False, outdim_parallel: bool = True) -> jax.Array:
    """``M @ vector`` (``M.T @ vector`` with ``transpose=True``), ``M`` of ``shape`` with ``weight`` at each entry
    connected with probability ``conn_prob``, drawn from ``seed`` at each call and never stored (module docstring).
    ``seed=None`` outside a run draws one from ``bm.random``'s stream, as BrainPy draws a host seed; inside a step
    it is refused (a compiled step would keep one seed). BrainPy's own matrices are not reproduced bit for bit.

    >>> import jax.numpy as jnp, brainbatch.brainpy.math as bm
    >>> bm.jitconn.mv_prob_homo(jnp.ones(3), 2., conn_prob=1., seed=0, shape=(2, 3)).tolist()
    [6.0, 6.0]
    """
    return _product("mv_prob_homo", "homo", vector, weight, None, conn_prob, seed, shape, transpose,
                    outdim_parallel, event=False)


def mv_prob_uniform(vector: Any, w_low: Any, w_high: Any, conn_prob: float, seed: int | None = None, *,
                    shape: tuple[int, int], transpose: bool = False, outdim_parallel: bool = True) -> jax.Array:
    """``mv_prob_homo`` with a weight drawn from Uniform[``w_low``, ``w_high``) at each connection."""
    return _product("mv_prob_uniform", "uniform", vector, w_low, w_high, conn_prob, seed, shape, transpose,
                    outdim_parallel, event=False)


def mv_prob_normal(vector: Any, w_mu: Any, w_sigma: Any, conn_prob: float, seed: int | None = None, *,
                   shape: tuple[int, int], transpose: bool = False, outdim_parallel: bool = True) -> jax.Array:
    """``mv_prob_homo`` with a weight drawn from Normal(``w_mu``, ``w_sigma``) at each connection."""
    return _product("mv_prob_normal", "normal", vector, w_mu, w_sigma, conn_prob, seed, shape, transpose,
                    outdim_parallel, event=False)


def event_mv_prob_homo(events: Any, weight: Any, conn_prob: float, seed: int | None = None, *,
                       shape: tuple[int, int], transpose: bool = False, outdim_parallel: bool = True) -> jax.Array:
    """``mv_prob_homo`` of spikes (each nonzero entry one spike): the same ``M``; only the spiking rows are drawn
    where the spikes index ``M``'s drawn rows (``transpose=True``, ``outdim_parallel=True``: BrainPy's
    ``shape=(pre.num, post.num)`` synapses).

    >>> import jax.numpy as jnp, brainbatch.brainpy.math as bm
    >>> spikes = jnp.array([True, False, True])
    >>> a = bm.jitconn.event_mv_prob_homo(spikes, 1., conn_prob=0.3, seed=4, shape=(3, 5), transpose=True)
    >>> b = bm.jitconn.mv_prob_homo(spikes * 1., 1., conn_prob=0.3, seed=4, shape=(3, 5), transpose=True)
    >>> bool((a == b).all())
    True
    """
    return _product("event_mv_prob_homo", "homo", events, weight, None, conn_prob, seed, shape, transpose,
                    outdim_parallel, event=True)


def event_mv_prob_uniform(events: Any, w_low: Any, w_high: Any, conn_prob: float, seed: int | None = None, *,
                          shape: tuple[int, int], transpose: bool = False, outdim_parallel: bool = True) -> jax.Array:
    """``mv_prob_uniform`` of spikes (``event_mv_prob_homo``)."""
    return _product("event_mv_prob_uniform", "uniform", events, w_low, w_high, conn_prob, seed, shape, transpose,
                    outdim_parallel, event=True)


def event_mv_prob_normal(events: Any, w_mu: Any, w_sigma: Any, conn_prob: float, seed: int | None = None, *,
                         shape: tuple[int, int], transpose: bool = False, outdim_parallel: bool = True) -> jax.Array:
    """``mv_prob_normal`` of spikes (``event_mv_prob_homo``)."""
    return _product("event_mv_prob_normal", "normal", events, w_mu, w_sigma, conn_prob, seed, shape, transpose,
                    outdim_parallel, event=True)


def get_homo_weight_matrix(weight: Any, conn_prob: float, seed: int | None = None, *, shape: tuple[int, int],
                           transpose: bool = False, outdim_parallel: bool = True) -> jax.Array:
    """The ``M`` that ``mv_prob_homo`` multiplies by (``M.T`` with ``transpose=True``), as a dense array."""
    return _matrix("get_homo_weight_matrix", "homo", weight, None, conn_prob, seed, shape, transpose,
                   outdim_parallel)


def get_uniform_weight_matrix(w_low: Any, w_high: Any, conn_prob: float, seed: int | None = None, *,
                              shape: tuple[int, int], transpose: bool = False,
                              outdim_parallel: bool = True) -> jax.Array:
    """The ``M`` of ``mv_prob_uniform`` (``M.T`` with ``transpose=True``), as a dense array."""
    return _matrix("get_uniform_weight_matrix", "uniform", w_low, w_high, conn_prob, seed, shape, transpose,
                   outdim_parallel)


def get_normal_weight_matrix(w_mu: Any, w_sigma: Any, conn_prob: float, seed: int | None = None, *,
                             shape: tuple[int, int], transpose: bool = False,
                             outdim_parallel: bool = True) -> jax.Array:
    """The ``M`` of ``mv_prob_normal`` (``M.T`` with ``transpose=True``), as a dense array."""
    return _matrix("get_normal_weight_matrix", "normal", w_mu, w_sigma, conn_prob, seed, shape, transpose,
                   outdim_parallel)


#: BrainPy 2.2-2.3's names of the same products (``bm.event_matvec_prob_conn_homo_weight(spikes, w, conn_prob=p,
#: shape=s, seed=k)``, an earlier version of the 1m-neuron notebook), then in ``bm`` and ``bm.jitconn``: their
#: arguments after the vector and the homogeneous weight were keyword-only, under the names these take
OLD_NAMES: dict[str, Callable[..., jax.Array]] = {
    "matvec_prob_conn_homo_weight": mv_prob_homo, "matvec_prob_conn_uniform_weight": mv_prob_uniform,
    "matvec_prob_conn_normal_weight": mv_prob_normal, "event_matvec_prob_conn_homo_weight": event_mv_prob_homo,
    "event_matvec_prob_conn_uniform_weight": event_mv_prob_uniform,
    "event_matvec_prob_conn_normal_weight": event_mv_prob_normal}


def __getattr__(name: str) -> Any:
    if name in OLD_NAMES:
        return OLD_NAMES[name]
    raise unsupported("brainbatch.brainpy.math.jitconn", name, {}, __all__)
