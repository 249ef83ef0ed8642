"""cumsum_exact (kernels/cumsum.cc): bitwise jnp.cumsum on both paths for the sums it takes, any batch
layout, and the connectors that use it draw the same tables on both paths."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import brainbatch as bb
import brainbatch.kernels as kernels
from brainbatch.kernels import cumsum_exact, use_kernels

pytestmark = pytest.mark.skipif(not kernels.native_available(), reason="the native kernels could not be built here")


def _fresh(choice, fn, *args):
    """``fn(*args)`` in a program lowered now under ``choice`` (a new jit: JAX's trace cache ignores the choice)."""
    with use_kernels(choice):
        return jax.tree.map(np.asarray, jax.jit(lambda *a: fn(*a))(*args))


def _lowered(choice, fn, *args):
    with use_kernels(choice):
        return jax.jit(lambda *a: fn(*a)).lower(*args).as_text()


#: rows of every rank, a last axis of one, long rows, and arrays with nothing in them
SHAPES = [(1,), (37,), (5, 1), (3, 64), (2, 3, 41), (0,), (4, 0), (0, 3)]


def _sums(*xs):
    return [cumsum_exact(x) for x in xs]


# one program per path for every example (the values are arguments, the shapes fixed)
_SUMS = {choice: jax.jit(lambda *xs: _sums(*xs)) for choice in ("native", "jax")}


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_int32_sums_are_bitwise_jnp_cumsum_even_where_they_wrap(seed):
    rng = np.random.default_rng(seed)
    xs = [rng.integers(-2**31, 2**31, shape, dtype=np.int64).astype(np.int32) for shape in SHAPES]
    with use_kernels("native"):
        native = _SUMS["native"](*xs)
    with use_kernels("jax"):
        pure = _SUMS["jax"](*xs)
    for x, n, p in zip(xs, native, pure):
        np.testing.assert_array_equal(n, np.cumsum(x, axis=-1, dtype=np.int32))  # numpy wraps as int32 does
        np.testing.assert_array_equal(n, p)


def test_float_whole_numbers_and_batches():
    rng = np.random.default_rng(1)
    x = np.floor(rng.exponential(300.0, (3, 5, 257))).astype(np.float32)  # partial sums well below 2**24
    want = np.asarray(jnp.cumsum(x, axis=-1))
    np.testing.assert_array_equal(_fresh("native", cumsum_exact, x), want)
    # vmapped (the batch becomes more rows) and a row per call
    np.testing.assert_array_equal(_fresh("native", jax.vmap(cumsum_exact), x), want)
    np.testing.assert_array_equal(_fresh("native", jax.vmap(jax.vmap(cumsum_exact)), x), want)
    text = _lowered("native", cumsum_exact, x)
    assert "bb_cumsum_f32" in text and "reduce_window" not in text
    assert "bb_cumsum" not in _lowered("jax", cumsum_exact, x)


def test_other_dtypes_are_refused_by_name():
    with pytest.raises(TypeError, match="int32 or float32, got bool"):
        cumsum_exact(jnp.array([True, False]))


# FixedProb sums gaps, FixedInDegree counts rows by pre (after Floyd's sampler), FixedOutDegree(60) of 90 or
# 99 candidates takes the distinct-per-row sampler's smallest-keys branch (num**2 > 4 m log2 m), which
# sums its mask (a smaller num, Floyd's branch, sums nothing)
@pytest.mark.parametrize("conn", [bb.FixedProb(0.1), bb.FixedProb(0.3, allow_self_conn=False), bb.FixedInDegree(7),
                                  bb.FixedOutDegree(60, allow_self_conn=False)], ids=repr)
def test_connectors_draw_the_same_table_on_both_paths(conn):
    keys = jax.random.split(jax.random.key(5), 3)

    def tables(keys):
        def one(k):
            # another population, and the same one (where a connector without self-connections skips i -> i)
            a, b = conn(k, 120, 90, same_group=False), conn(k, 100, 100, same_group=True)
            return a.targets, a.overflow, b.targets, b.overflow
        return jax.vmap(one)(keys)

    with use_kernels("native"):
        lowered = jax.jit(tables).lower(keys)
    assert "bb_cumsum" in lowered.as_text()  # the connector sums with cumsum_exact, natively here
    native = jax.tree.map(np.asarray, lowered.compile()(keys))
    for n, p in zip(native, _fresh("jax", tables, keys)):
        np.testing.assert_array_equal(n, p)


def test_a_connector_traced_once_follows_the_choice_of_each_program():
    # the connector's own jit is traced once and cached by JAX whatever the choice; the path is chosen
    # when each program is lowered
    conn, key = bb.FixedProb(0.2), jax.random.key(1)
    texts = [_lowered(choice, lambda k: conn(k, 50, 40).targets, key) for choice in ("native", "jax", "native")]
    assert ["bb_cumsum_f32" in t for t in texts] == [True, False, True]


def test_an_exported_program_keeps_jnp_cumsum():
    # an exported program may only call custom targets JAX guarantees stable
    x = np.arange(12, dtype=np.int32).reshape(3, 4)
    with use_kernels("native"):
        exported = jax.export.export(jax.jit(lambda a: cumsum_exact(a)))(x)
    assert "bb_cumsum" not in exported.mlir_module()
    np.testing.assert_array_equal(exported.call(x), np.cumsum(x, axis=-1))
