"""``bm.event``: BrainPy 2.8.2's event-driven product of a CSR matrix and a vector of events (its "Dedicated
Operators" tutorial, hand-written synapses sending spikes through ``conn.require('pre2post')``). As in BrainPy,
an event is any nonzero entry and counts as one: ``[0.5, 0, 2]`` sends the first and third rows' full weights
(bm.sparse.csrmv multiplies by the values instead). The matrix is as in ``bm.sparse`` (its module docstring).

>>> import brainbatch.brainpy.math as bm
>>> data, indices, indptr = bm.asarray([1., 2., 3.]), bm.asarray([0, 2, 1]), bm.asarray([0, 2, 3])
>>> bm.event.csrmv(data, indices, indptr, bm.asarray([True, True]), shape=(2, 3), transpose=True).tolist()
[1.0, 3.0, 2.0]
"""
from __future__ import annotations

from typing import Any

import jax

from .._compat import unsupported
from .sparse import _csr, _dense, _product

__all__ = ["csrmv", "csrmm"]


def csrmv(data: Any, indices: Any, indptr: Any, events: Any, *, shape: Any, transpose: bool = False) -> jax.Array:
    """``M @ events`` (``events @ M`` with ``transpose=True``) for the CSR matrix ``M`` of ``shape``, each nonzero
    event counting as 1: with ``transpose``, the sum of the rows of the neurons that spiked."""
    where = "bm.event.csrmv"
    data, indptr, cols, shape = _csr(data, indices, indptr, shape, where)
    events = _dense(events, shape[0] if transpose else shape[1], "events", where)
    return _product(data, indptr, cols, events, shape[1] if transpose else shape[0], bool(transpose), True, True)


def csrmm(data: Any, indices: Any, indptr: Any, matrix: Any, *, shape: Any, transpose: bool = False) -> jax.Array:
    """``M @ matrix`` (``M.T @ matrix`` with ``transpose=True``) for the CSR matrix ``M`` of ``shape`` and a matrix of
    events, each nonzero entry counting as 1 (``bm.event.csrmv`` column by column).

    >>> import brainbatch.brainpy.math as bm
    >>> data, indices, indptr = bm.asarray([1., 2., 3.]), bm.asarray([0, 2, 1]), bm.asarray([0, 2, 3])
    >>> bm.event.csrmm(data, indices, indptr, bm.asarray([[0.5, 0.], [0., 1.]]), shape=(2, 3), transpose=True).tolist()
    [[1.0, 0.0], [0.0, 3.0], [2.0, 0.0]]
    """
    where = "bm.event.csrmm"
    data, indptr, cols, shape = _csr(data, indices, indptr, shape, where)
    matrix = _dense(matrix, shape[0] if transpose else shape[1], "matrix", where, ndim=2)
    return _product(data, indptr, cols, matrix, shape[1] if transpose else shape[0], bool(transpose), True, True)


def __getattr__(name: str) -> Any:
    raise unsupported("brainbatch.brainpy.math.event", name, {}, __all__)
