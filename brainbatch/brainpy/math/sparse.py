"""``bm.sparse``: BrainPy 2.8.2's products of a sparse matrix and a dense vector or matrix, and its conversions
between CSR, COO and dense matrices (its "Dedicated Operators" tutorial; hand-written synapses that keep their
weights as CSR, from ``conn.require('pre2post')``). The products are segment sums over the synapses, so they run
alike outside a step, inside one, under ``jax.jit``/``jax.vmap`` and in ``bm.for_loop``; their numbers are
BrainPy's to float32 rounding (the order of a sum may differ).

A CSR matrix of ``shape`` ``(rows, columns)`` is ``data`` (one value per entry, or one number for all),
``indices`` (each entry's column) and ``indptr`` (``rows + 1`` row starts): row ``i`` holds the entries
``indptr[i]:indptr[i + 1]``. ``transpose=True`` computes ``v @ M`` (a vector over the rows gives one over the
columns: BrainPy's ``(pre, post)`` synapses sending to the postsynaptic neurons), ``False`` ``M @ v``.

>>> import brainbatch.brainpy.math as bm
>>> data, indices, indptr = bm.asarray([1., 2., 3.]), bm.asarray([0, 2, 1]), bm.asarray([0, 2, 3])
>>> bm.sparse.csrmv(data, indices, indptr, bm.asarray([1., 10.]), shape=(2, 3), transpose=True).tolist()
[1.0, 30.0, 2.0]
>>> bm.sparse.csr_to_dense(data, indices, indptr, shape=(2, 3)).tolist()
[[1.0, 0.0, 2.0], [0.0, 3.0, 0.0]]
"""
from __future__ import annotations

import functools
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ...core.checks import is_traced
from ...core.variable import unwrap
from .._compat import unsupported

__all__ = ["csrmv", "coomv", "csrmm", "seg_matmul", "csr_to_dense", "csr_to_coo", "coo_to_csr"]


def _shape(shape: Any, where: str) -> tuple[int, int]:
    ok = isinstance(shape, (tuple, list)) and len(shape) == 2 and all(
        isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n >= 0 for n in shape)
    if not ok:
        raise ValueError(f"{where}: shape must be a (rows, columns) pair of counts, got {shape!r}")
    return int(shape[0]), int(shape[1])


def _index(x: Any, name: str, where: str) -> jax.Array:
    x = jnp.asarray(unwrap(x))
    if x.ndim != 1 or not jnp.issubdtype(x.dtype, jnp.integer):
        raise ValueError(f"{where}: {name} must be a 1-d array of integer indices, got shape {x.shape} of "
                         f"{x.dtype}")
    return x


def _in_range(x: jax.Array, n: int, name: str, what: str, where: str) -> None:
    """Indices known now (not traced) lie in [0, n): JAX would clamp or drop one outside without a word."""
    if x.size and not is_traced(x):
        found = np.asarray(x)
        if found.min() < 0 or found.max() >= n:
            bad = int(found.min()) if found.min() < 0 else int(found.max())
            raise ValueError(f"{where}: {name} holds {bad}, outside [0, {n - 1}] ({n} {what})")


def _data(data: Any, nnz: int, where: str) -> jax.Array:
    """One value per entry, or one number for every entry (BrainPy's homogeneous weight)."""
    data = jnp.asarray(unwrap(data))
    if data.ndim and data.shape != (nnz,):
        raise ValueError(f"{where}: data must be one number or one value per entry ({nnz},), got shape "
                         f"{data.shape}")
    return data


def _csr(data: Any, indices: Any, indptr: Any, shape: Any, where: str) -> tuple[jax.Array, jax.Array, jax.Array,
                                                                              tuple[int, int]]:
    """Checked ``(data per entry, indptr, column of each entry, shape)`` of a CSR matrix."""
    rows_n, cols_n = _shape(shape, where)
    indices = _index(indices, "indices", where)
    indptr = _index(indptr, "indptr", where)
    if indptr.shape[0] != rows_n + 1:
        raise ValueError(f"{where}: indptr must hold rows + 1 = {rows_n + 1} row starts for shape {(rows_n, cols_n)}, "
                         f"got {indptr.shape[0]}")
    nnz = indices.shape[0]
    if not is_traced(indptr):
        ptr = np.asarray(indptr)
        if ptr[0] != 0 or ptr[-1] != nnz or np.any(np.diff(ptr) < 0):
            raise ValueError(f"{where}: indptr must rise from 0 to the number of entries ({nnz}), got "
                             f"{ptr[0]} ... {ptr[-1]}" + (" (falling somewhere)" if np.any(np.diff(ptr) < 0) else ""))
    _in_range(indices, cols_n, "indices", "columns", where)
    return _data(data, nnz, where), indptr, indices, (rows_n, cols_n)


@functools.partial(jax.jit, static_argnames=("nnz",))
def _rows(indptr: jax.Array, nnz: int) -> jax.Array:
    """The row of each of the ``nnz`` entries of a CSR matrix."""
    return jnp.searchsorted(indptr, jnp.arange(nnz, dtype=indptr.dtype), side="right") - 1


def _dense(x: Any, length: int, name: str, where: str, ndim: int = 1) -> jax.Array:
    x = jnp.asarray(unwrap(x))
    if x.ndim != ndim or x.shape[0] != length:
        want = f"({length},)" if ndim == 1 else f"({length}, k)"
        raise ValueError(f"{where}: {name} must have shape {want} for this shape and transpose, got {x.shape}")
    return x


@functools.partial(jax.jit, static_argnames=("n_out", "transpose", "csr", "events"))
def _product(data: jax.Array, ptr_or_rows: jax.Array, cols: jax.Array, x: jax.Array, n_out: int, transpose: bool,
             csr: bool, events: bool = False) -> jax.Array:
    """``x @ M`` (transpose) or ``M @ x`` of the matrix with ``data`` at ``(rows, cols)`` (rows from a CSR's indptr
    or given, COO), x a vector or matrix; ``events``: each nonzero entry of x counts as 1. One compiled program per
    shape (op by op, every call outside a step compiled each operation again)."""
    rows = _rows(ptr_or_rows, cols.shape[0]) if csr else ptr_or_rows
    src, dst = (rows, cols) if transpose else (cols, rows)
    if events:
        x = x != 0
    if x.dtype == jnp.bool_:
        x = x.astype(data.dtype)
    gathered = x[src]
    data = jnp.broadcast_to(data, cols.shape)
    weights = data.reshape(data.shape + (1,) * (gathered.ndim - 1))
    return jax.ops.segment_sum(weights * gathered, dst, n_out)


def csrmv(data: Any, indices: Any, indptr: Any, vector: Any, *, shape: Any, transpose: bool = False) -> jax.Array:
    """``M @ vector`` (``vector @ M`` with ``transpose=True``) for the CSR matrix ``M`` (``data``, ``indices``,
    ``indptr``) of ``shape``: a vector of ``shape[0]`` rows with ``transpose``, of ``shape[1]`` without."""
    where = "bm.sparse.csrmv"
    data, indptr, cols, shape = _csr(data, indices, indptr, shape, where)
    vector = _dense(vector, shape[0] if transpose else shape[1], "vector", where)
    return _product(data, indptr, cols, vector, shape[1] if transpose else shape[0], bool(transpose), True)


def csrmm(data: Any, indices: Any, indptr: Any, matrix: Any, *, shape: Any, transpose: bool = False) -> jax.Array:
    """``M @ matrix`` (``M.T @ matrix`` with ``transpose=True``) for the CSR matrix ``M`` of ``shape``."""
    where = "bm.sparse.csrmm"
    data, indptr, cols, shape = _csr(data, indices, indptr, shape, where)
    matrix = _dense(matrix, shape[0] if transpose else shape[1], "matrix", where, ndim=2)
    return _product(data, indptr, cols, matrix, shape[1] if transpose else shape[0], bool(transpose), True)


def coomv(data: Any, row: Any, col: Any, vector: Any, *, shape: Any, transpose: bool = False) -> jax.Array:
    """``M @ vector`` (``vector @ M`` with ``transpose=True``) for the COO matrix ``M``: ``data`` at ``(row,
    col)`` (entries at one place add up)."""
    where = "bm.sparse.coomv"
    shape = _shape(shape, where)
    row, col = _index(row, "row", where), _index(col, "col", where)
    if row.shape != col.shape:
        raise ValueError(f"{where}: row and col must have one index per entry each, got {row.shape} and {col.shape}")
    _in_range(row, shape[0], "row", "rows", where)
    _in_range(col, shape[1], "col", "columns", where)
    vector = _dense(vector, shape[0] if transpose else shape[1], "vector", where)
    return _product(_data(data, row.shape[0], where), row, col, vector, shape[1] if transpose else shape[0],
                    bool(transpose), False)


def csr_to_dense(data: Any, indices: Any, indptr: Any, *, shape: Any) -> jax.Array:
    """The dense ``shape`` matrix of a CSR one (entries at one place add up)."""
    data, indptr, cols, shape = _csr(data, indices, indptr, shape, "bm.sparse.csr_to_dense")
    return _to_dense(data, indptr, cols, shape)


@functools.partial(jax.jit, static_argnames=("shape",))
def _to_dense(data: jax.Array, indptr: jax.Array, cols: jax.Array, shape: tuple[int, int]) -> jax.Array:
    return jnp.zeros(shape, data.dtype).at[_rows(indptr, cols.shape[0]), cols].add(jnp.broadcast_to(data, cols.shape))


def csr_to_coo(indices: Any, indptr: Any) -> tuple[jax.Array, jax.Array]:
    """``(row, col)`` of each entry of a CSR matrix, in its order."""
    where = "bm.sparse.csr_to_coo"
    indices, indptr = _index(indices, "indices", where), _index(indptr, "indptr", where)
    return _rows(indptr, indices.shape[0]), indices


def coo_to_csr(pre_ids: Any, post_ids: Any, *, num_row: int) -> tuple[jax.Array, jax.Array]:
    """``(indices, indptr)`` of the CSR matrix with entries at ``(pre_ids, post_ids)``: the entries sorted by row,
    in their order within a row, as BrainPy's. Made from known indices (outside ``jax.jit``), as BrainPy's."""
    where = "bm.sparse.coo_to_csr"
    pre_ids, post_ids = _index(pre_ids, "pre_ids", where), _index(post_ids, "post_ids", where)
    if is_traced(pre_ids) or is_traced(post_ids):
        raise ValueError(f"{where}: the indices must be known (not traced): the CSR's layout depends on them")
    if pre_ids.shape != post_ids.shape:
        raise ValueError(f"{where}: pre_ids and post_ids must have one index per entry each, got {pre_ids.shape} and "
                         f"{post_ids.shape}")
    if not isinstance(num_row, (int, np.integer)) or isinstance(num_row, bool) or num_row < 0:
        raise ValueError(f"{where}: num_row must be a count of rows, got {num_row!r}")
    _in_range(pre_ids, int(num_row), "pre_ids", "rows", where)
    pre = np.asarray(pre_ids)
    order = np.argsort(pre, kind="stable")
    indptr = np.zeros(int(num_row) + 1, np.int32)
    np.cumsum(np.bincount(pre, minlength=int(num_row)), out=indptr[1:])
    return post_ids[jnp.asarray(order)], jnp.asarray(indptr)


def seg_matmul(A: Any, B: Any) -> jax.Array:
    """``A @ B`` where one of the two is a sparse matrix given as BrainPy's dict ``{'data': values, 'index': (rows,
    cols), 'shape': (n, m)}`` (COO: entries at one place add up) and the other a dense vector or matrix.

    >>> import brainbatch.brainpy.math as bm
    >>> S = {'data': bm.asarray([2., 4., 1.]), 'index': (bm.asarray([0, 0, 1]), bm.asarray([1, 3, 0])), 'shape': (2, 4)}
    >>> bm.sparse.seg_matmul(S, bm.asarray([1., 2., 3., 4.])).tolist(), bm.sparse.seg_matmul(bm.asarray([1., 2.]), S).tolist()
    ([20.0, 1.0], [2.0, 2.0, 0.0, 4.0])
    """
    where = "bm.sparse.seg_matmul"
    left = isinstance(A, dict)
    if left == isinstance(B, dict):
        raise ValueError(f"{where}: exactly one of A and B must be a sparse matrix (a dict with 'data', 'index' and "
                         f"'shape'), got {type(A).__name__} and {type(B).__name__}")
    sparse, dense = (A, B) if left else (B, A)
    missing = {"data", "index", "shape"} - sparse.keys()
    if missing:
        raise ValueError(f"{where}: the sparse matrix must be a dict with 'data', 'index' (rows, cols) and 'shape'; "
                         f"it lacks {sorted(missing)}")
    shape = _shape(tuple(sparse["shape"]) if isinstance(sparse["shape"], (tuple, list)) else sparse["shape"], where)
    index = sparse["index"]
    if not isinstance(index, (tuple, list)) or len(index) != 2:
        raise ValueError(f"{where}: the sparse matrix's 'index' must be a (rows, cols) pair of index arrays")
    row, col = _index(index[0], "rows", where), _index(index[1], "cols", where)
    if row.shape != col.shape:
        raise ValueError(f"{where}: rows and cols must have one index per entry each, got {row.shape} and "
                         f"{col.shape}")
    _in_range(row, shape[0], "rows", "rows", where)
    _in_range(col, shape[1], "cols", "columns", where)
    data = _data(sparse["data"], row.shape[0], where)
    dense = jnp.asarray(unwrap(dense))
    if dense.ndim not in (1, 2):
        raise ValueError(f"{where}: the dense operand must be a vector or a matrix, got shape {dense.shape}")
    if left:  # (n, m) @ (m,) or (m, k)
        _dense(dense, shape[1], "B", where, ndim=dense.ndim)
        return _product(data, row, col, dense, shape[0], False, False)
    # (m,) @ (m, k) or (n, m) @ (m, k) = ((m, k).T @ (n, m).T).T
    if dense.shape[-1] != shape[0]:
        raise ValueError(f"{where}: A must have {shape[0]} columns (the sparse matrix's rows), got shape {dense.shape}")
    out = _product(data, row, col, dense.T, shape[1], True, False)
    return out.T


def __getattr__(name: str) -> Any:
    raise unsupported("brainbatch.brainpy.math.sparse", name, {}, __all__)
