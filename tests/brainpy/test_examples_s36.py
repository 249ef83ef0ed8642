"""BrainPy's examples and scripts run by their imports (session 36): what they showed.

References are BrainPy 2.8.2's numbers and rules (its source: ``brainpy/math/event/csr_matmat.py``,
``brainpy/math/sparse/jax_prim.py``, ``brainpy/math/environment.py``, ``brainpy/math/ndarray.py``), the same
calls run with ``.venv-bench`` (BrainPy 2.8.2, jax 0.10.2, CPU).
"""
from __future__ import annotations

import os

import jax
import numpy as np
import pytest

import brainbatch.brainpy.math as bm

# the "Dedicated Operators" tutorial's matrix, as CSR (its rows: 0 0 1 2 3 / 4 0 5 0 6 / 0 7 0 0 0)
DATA = np.array([1., 2., 3., 4., 5., 6., 7.], np.float32)
INDICES = np.array([2, 3, 4, 0, 2, 4, 1], np.int32)
INDPTR = np.array([0, 3, 6, 7], np.int32)
DENSE = np.array([[0, 0, 1, 2, 3], [4, 0, 5, 0, 6], [0, 7, 0, 0, 0]], np.float32)


# --- bm.event.csrmm (BrainPy's benchmarks of its event operators) was refused with a hint


def test_event_csrmm_counts_each_nonzero_event_as_one():
    # BrainPy 2.8.2 wraps the matrix in brainevent.BinaryArray: a nonzero entry is one spike whatever its value.
    # Column 0 sends rows 0 and 1 ([4, 0, 6, 2, 9], the tutorial's csrmv), column 1 rows 0 and 2 ([0, 7, 1, 2, 3])
    events = bm.asarray([[1., 0.5], [1., 0.], [0., 2.]])
    got = bm.event.csrmm(DATA, INDICES, INDPTR, events, shape=(3, 5), transpose=True)
    np.testing.assert_array_equal(np.asarray(got), [[4., 0.], [0., 7.], [6., 1.], [2., 2.], [9., 3.]])
    # M @ events over the 5 columns, a homogeneous weight, under jax.jit: the dense product of the 0/1 pattern
    spikes = np.array([[True, False], [False, False], [True, True], [False, True], [False, False]])
    got = jax.jit(lambda e: bm.event.csrmm(1.5, INDICES, INDPTR, e, shape=(3, 5)))(spikes)
    np.testing.assert_allclose(np.asarray(got), 1.5 * (DENSE != 0) @ spikes.astype(np.float32))
    with pytest.raises(ValueError, match=r"bm.event.csrmm: matrix must have shape \(3, k\)"):
        bm.event.csrmm(DATA, INDICES, INDPTR, np.ones((5, 2)), shape=(3, 5), transpose=True)


# --- bm.sparse.seg_matmul (reservoir scripts' sparse input weights) was refused with a hint

SPARSE = {'data': bm.asarray([2, 4, 1, 3, 2]), 'index': (bm.asarray([0, 0, 1, 2, 2]), bm.asarray([1, 3, 0, 1, 3])),
          'shape': (3, 4)}


def test_seg_matmul_gives_brainpys_documented_products():
    # the examples of BrainPy 2.8.2's docstring: sparse @ arange(4) = [14, 0, 9], arange(3) @ sparse = [1, 6, 0, 4]
    np.testing.assert_array_equal(np.asarray(bm.sparse.seg_matmul(SPARSE, bm.arange(4))), [14, 0, 9])
    np.testing.assert_array_equal(np.asarray(bm.sparse.seg_matmul(bm.arange(3), SPARSE)), [1, 6, 0, 4])
    dense = np.zeros((3, 4), np.float32)
    dense[[0, 0, 1, 2, 2], [1, 3, 0, 1, 3]] = [2, 4, 1, 3, 2]
    B = np.arange(8, dtype=np.float32).reshape(4, 2)
    A = np.arange(6, dtype=np.float32).reshape(2, 3)
    np.testing.assert_allclose(np.asarray(bm.sparse.seg_matmul(SPARSE, B)), dense @ B)
    np.testing.assert_allclose(np.asarray(bm.sparse.seg_matmul(A, SPARSE)), A @ dense)
    with pytest.raises(ValueError, match="exactly one of A and B must be a sparse matrix"):
        bm.sparse.seg_matmul(A, B)
    with pytest.raises(ValueError, match="A must have 3 columns"):
        bm.sparse.seg_matmul(np.ones((2, 4)), SPARSE)
    with pytest.raises(ValueError, match=r"lacks \['shape'\]"):
        bm.sparse.seg_matmul({'data': 1., 'index': ([0], [0])}, B)


# --- HostArray.value was a writable view: old = x.value kept changing with x, and x.value[i] = v wrote into x.
# BrainPy's Array.value is its JAX array: the values at that moment, which cannot be written into.


def test_host_array_value_is_the_values_at_that_moment():
    x = bm.zeros(3)
    old = x.value
    x[0] = 5.
    x.value += 1                      # still writes into x, as BrainPy's x.value = x.value + 1
    np.testing.assert_array_equal(old, [0., 0., 0.])
    np.testing.assert_array_equal(x, [6., 1., 1.])
    with pytest.raises(TypeError, match="read-only copy"):
        x.value[1] = 7.
    np.testing.assert_array_equal(x, [6., 1., 1.])
    y = bm.ones(2)
    before = y.value
    y += 1
    np.testing.assert_array_equal(before, [1., 1.])
    np.testing.assert_array_equal(y.value * 2, [4., 4.])


# --- environment calls of BrainPy scripts (trial loops, GPU benchmarks) were AttributeErrors


def test_environment_helpers_of_brainpy_scripts_are_accepted(monkeypatch):
    monkeypatch.delenv("XLA_PYTHON_CLIENT_PREALLOCATE", raising=False)
    monkeypatch.delenv("XLA_PYTHON_CLIENT_ALLOCATOR", raising=False)
    bm.disable_gpu_memory_preallocation()
    assert os.environ["XLA_PYTHON_CLIENT_PREALLOCATE"] == "false"
    assert os.environ["XLA_PYTHON_CLIENT_ALLOCATOR"] == "platform"
    bm.enable_gpu_memory_preallocation()
    assert os.environ["XLA_PYTHON_CLIENT_PREALLOCATE"] == "true"
    assert "XLA_PYTHON_CLIENT_ALLOCATOR" not in os.environ
    assert bm.get_platform() == jax.devices()[0].platform
    assert bm.clear_name_cache() is None
    assert bm.clear_name_cache(ignore_warn=False) is None
