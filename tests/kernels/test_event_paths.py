"""The native event kernel against its pure-JAX twin: counts bitwise, weights to float rounding, any batch layout."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import brainbatch.kernels as kernels
from brainbatch.kernels import event_ring, event_ring_csr, event_sum, use_kernels

pytestmark = pytest.mark.skipif(not kernels.native_available(), reason="the native kernels could not be built here")


def _graph(rng, n_pre, k, n_out, p_spike):
    targets = rng.integers(0, n_out + 3, (n_pre, k)).astype(np.int32)  # >= n_out is padding
    spike = rng.random(n_pre) < p_spike
    weights = rng.standard_normal((n_pre, k)).astype(np.float32)
    # numpy, not jnp.asarray: jit takes numpy arguments as they are, while each jnp.asarray of a new shape
    # compiles a program of its own (most of this file's compiles were those)
    return spike, targets, weights


def _both_jit(fn):
    """``fn`` on the native path and on the pure path, as one jitted program returning both.

    The path is chosen when ``fn`` is traced; both are traced here, each under its own choice, into one
    program (one compile per example instead of two)."""
    def both(*a):
        with use_kernels("native"):
            native = fn(*a)
        with use_kernels("jax"):
            pure = fn(*a)
        return native, pure
    return jax.jit(both)


def _both(fn, *args):
    """``fn(*args)`` on the native path and on the pure path (``_both_jit``)."""
    return _both_jit(fn)(*args)


@settings(max_examples=12, deadline=None)
@given(n_pre=st.integers(1, 300), k=st.integers(1, 40), n_out=st.integers(1, 200),
       p=st.sampled_from([0.0, 0.05, 0.5, 1.0]), seed=st.integers(0, 2**31 - 1))
def test_counts_are_bitwise_equal_on_both_paths(n_pre, k, n_out, p, seed):
    spike, targets, _ = _graph(np.random.default_rng(seed), n_pre, k, n_out, p)
    native, pure = _both(lambda s, t: event_sum(s, t, n_out), spike, targets)
    assert native.dtype == pure.dtype == jnp.float32
    np.testing.assert_array_equal(native, pure)


@settings(max_examples=10, deadline=None)
@given(n_pre=st.integers(1, 200), k=st.integers(1, 30), n_out=st.integers(1, 150), seed=st.integers(0, 2**31 - 1))
def test_weighted_sums_agree_to_float_rounding(n_pre, k, n_out, seed):
    spike, targets, weights = _graph(np.random.default_rng(seed), n_pre, k, n_out, 0.3)
    native, pure = _both(lambda s, t, w: event_sum(s, t, n_out, w), spike, targets, weights)
    # the two paths add the same terms in different orders: a few ulps of the absolute sum
    scale = np.abs(np.asarray(weights)).sum() + 1.0
    np.testing.assert_allclose(native, pure, rtol=0, atol=1e-5 * scale)


def test_offsets_rotate_targets_and_keep_padding():
    spike, targets, _ = _graph(np.random.default_rng(3), 50, 9, 40, 0.4)
    both = _both_jit(lambda s, t, off: event_sum(s, t, 40, offset=off))  # the offset an argument: one program
    for off in (0, 1, 17, 39, 40, 123):
        native, pure = both(spike, targets, np.int32(off))
        np.testing.assert_array_equal(native, pure, err_msg=f"offset {off}")


@pytest.mark.parametrize("shared_graph", [True, False])
def test_a_lane_of_a_batch_equals_the_lane_alone(shared_graph):
    rng = np.random.default_rng(7)
    lanes = [_graph(rng, 120, 12, 90, 0.2) for _ in range(5)]
    spikes = np.stack([s for s, _, _ in lanes])
    targets = lanes[0][1] if shared_graph else np.stack([t for _, t, _ in lanes])
    weights = lanes[0][2] if shared_graph else np.stack([w for _, _, w in lanes])
    axes = (0, None, None) if shared_graph else (0, 0, 0)
    for choice in ("native", "jax"):
        with use_kernels(choice):
            f = jax.jit(lambda s, t, w: event_sum(s, t, 90, w))
            batch = np.asarray(jax.jit(jax.vmap(lambda s, t, w: event_sum(s, t, 90, w), in_axes=axes))(
                spikes, targets, weights))
            for b in range(5):
                alone = f(spikes[b], targets if shared_graph else targets[b], weights if shared_graph else weights[b])
                np.testing.assert_array_equal(batch[b], alone)


def test_nested_vmaps_broadcast_shared_inputs():
    rng = np.random.default_rng(11)
    spike = rng.random((3, 4, 60)) < 0.3
    _, targets, _ = _graph(rng, 60, 7, 30, 0.0)
    fn = jax.vmap(jax.vmap(lambda s: event_sum(s, targets, 30)))
    native, pure = _both(fn, spike)
    assert native.shape == (3, 4, 30)
    np.testing.assert_array_equal(native, pure)


@pytest.mark.parametrize("per_synapse", [False, True])
def test_ring_of_future_inputs_matches_the_pure_path(per_synapse):
    rng = np.random.default_rng(5)
    n_pre, k, n_post, length = 40, 6, 25, 4
    targets = rng.integers(0, length * n_post + 2, (n_pre, k)).astype(np.int32)
    weight = rng.random((n_pre, k)).astype(np.float32) if per_synapse else np.float32(1.0)
    spikes = rng.random((30, n_pre)) < 0.2

    def steps(spikes):
        def body(carry, s):
            pending, ring = carry
            pending, now = event_ring(s, targets, weight, ring, pending)
            return (pending, (ring + 1) % length), now
        return jax.lax.scan(body, (jnp.zeros((length, n_post)), jnp.int32(0)), spikes)[1]

    native, pure = _both(steps, spikes)
    if per_synapse:
        np.testing.assert_allclose(native, pure, rtol=1e-6, atol=1e-6)
    else:  # weight 1: counts, exact on both paths
        np.testing.assert_array_equal(native, pure)
    # batched with one shared graph, and a ring that is not batched at all
    batch = np.stack([spikes, spikes[::-1]])
    with use_kernels("native"):
        out = np.asarray(jax.jit(jax.vmap(steps))(batch))
    np.testing.assert_allclose(out[0], native, rtol=1e-6, atol=1e-6)


def test_bad_choice_names_the_allowed_values():
    with pytest.raises(ValueError, match=r"auto, native, jax.*Did you mean 'native'"):
        with use_kernels("nativ"):
            pass


@pytest.mark.skipif(not hasattr(jax, "make_user_context"), reason="JAX < 0.6 has no jit-key context")
def test_a_users_jit_is_traced_again_under_another_choice():
    # JAX keeps one trace per function and arguments; the choice is part of its key, so the block's path
    # runs, not whichever path the first call traced (a silent trap before: both calls ran native)
    spike, targets, _ = _graph(np.random.default_rng(5), 20, 4, 10, 0.5)
    fn = jax.jit(lambda s, t: event_sum(s, t, 10))
    texts = {}
    for choice in ("native", "jax", "native"):
        with use_kernels(choice):
            texts.setdefault(choice, []).append(fn.lower(spike, targets).as_text())
            np.testing.assert_array_equal(fn(spike, targets), np.bincount(targets[spike].ravel(), minlength=13)[:10])
    assert all("bb_event_count" in text for text in texts["native"])
    assert "bb_event_count" not in texts["jax"][0]
    assert fn._cache_size() == 2  # back to native: the first trace again, not a third


def _compressed(targets, weights, pad, spare=3):
    """The padded rows ``(n_pre, K)`` as compressed rows: ``(indptr, targets, weights)`` with ``spare`` unused
    slots at the end (padding ``pad``), each row's synapses in slot order."""
    valid = targets < pad
    indptr = np.concatenate([[0], np.cumsum(valid.sum(axis=1))]).astype(np.int32)
    flat_t = np.concatenate([targets[valid], np.full(spare, pad)]).astype(np.int32)
    flat_w = np.concatenate([weights[valid], np.zeros(spare)]).astype(np.float32)
    return indptr, flat_t, flat_w


@settings(max_examples=8, deadline=None)
@given(n_pre=st.integers(1, 120), k=st.integers(1, 20), n_post=st.integers(1, 60), length=st.integers(1, 6),
       p=st.sampled_from([0.0, 0.1, 0.5, 1.0]), seed=st.integers(0, 2**31 - 1))
def test_compressed_rows_deliver_what_padded_rows_deliver(n_pre, k, n_post, length, p, seed):
    # the same synapses as padded rows (event_ring) and as compressed rows (event_ring_csr): the native
    # kernels visit them in the same order, so bitwise equal; the pure path to float rounding
    rng = np.random.default_rng(seed)
    pad = length * n_post
    targets = rng.integers(0, pad + pad // 3 + 1, (n_pre, k)).astype(np.int32)
    targets[targets >= pad] = pad
    weights = rng.standard_normal((n_pre, k)).astype(np.float32)
    indptr, flat_t, flat_w = _compressed(targets, weights, pad)
    spikes = rng.random((12, n_pre)) < p

    def steps(ring_fn):
        def run(spikes):
            def body(carry, s):
                pending, ring = carry
                pending, now = ring_fn(s, ring, pending)
                return (pending, (ring + 1) % length), now
            return jax.lax.scan(body, (jnp.zeros((length, n_post)), jnp.int32(0)), spikes)[1]
        return run

    padded = steps(lambda s, r, q: event_ring(s, targets, weights, r, q))
    compressed = steps(lambda s, r, q: event_ring_csr(s, indptr, flat_t, flat_w, r, q, max_row=k))
    # both tables on both paths in one program: one compile per example, not two
    (native_p, native_c), (pure_p, pure_c) = _both(lambda x: (padded(x), compressed(x)), spikes)
    np.testing.assert_array_equal(native_c, native_p)
    scale = np.abs(weights).sum() + 1.0
    np.testing.assert_allclose(pure_c, native_p, rtol=0, atol=1e-5 * scale)
    np.testing.assert_allclose(pure_c, pure_p, rtol=0, atol=1e-5 * scale)


@pytest.mark.parametrize("shared_graph", [True, False])
def test_a_lane_of_compressed_rows_equals_the_lane_alone(shared_graph):
    rng = np.random.default_rng(13)
    n_pre, k, n_post, length = 50, 8, 30, 3
    pad = length * n_post
    lanes = []
    for _ in range(4):
        targets = rng.integers(0, pad + 20, (n_pre, k)).astype(np.int32)
        targets[targets >= pad] = pad
        lanes.append(_compressed(targets, rng.random((n_pre, k)).astype(np.float32), pad, spare=0))
    size = max(t.shape[0] for _, t, _ in lanes)  # one capacity for the batch: pad the shorter tables
    lanes = [(i, np.pad(t, (0, size - t.shape[0]), constant_values=pad), np.pad(w, (0, size - w.shape[0])))
             for i, t, w in lanes]
    spikes = rng.random((4, n_pre)) < 0.3
    graph = lanes[0] if shared_graph else tuple(np.stack(x) for x in zip(*lanes))
    axes = (0, None, None, None) if shared_graph else (0, 0, 0, 0)

    def one(s, i, t, w):
        return event_ring_csr(s, i, t, w, jnp.int32(1), jnp.ones((length, n_post)), k)

    for choice in ("native", "jax"):
        with use_kernels(choice):
            batch = [np.asarray(x) for x in jax.jit(jax.vmap(one, in_axes=axes))(spikes, *graph)]
            # one program for the four lanes (they share shapes), a fresh trace for each path: JAX's trace
            # cache does not see use_kernels, so jax.jit(one) again would rerun the first path's trace
            alone_fn = jax.jit(lambda *a: one(*a))
            for b in range(4):
                alone = alone_fn(spikes[b], *(lanes[0] if shared_graph else lanes[b]))
                for got, want in zip(batch, alone):
                    if choice == "native":  # one loop per lane, the same order: bitwise
                        np.testing.assert_array_equal(got[b], want)
                    else:  # XLA may fold the pending inputs into the scatter-add alone but not batched
                        np.testing.assert_allclose(got[b], want, rtol=2e-7 * k, atol=0)


def test_compressed_rows_of_the_wrong_shape_are_named():
    with pytest.raises(ValueError, match=r"indptr \(n_pre \+ 1,\)"):
        event_ring_csr(jnp.zeros(3, bool), jnp.zeros(3, jnp.int32), jnp.zeros(4, jnp.int32), jnp.zeros(4),
                       jnp.int32(0), jnp.zeros((2, 2)), 2)


def test_a_damaged_indptr_never_reads_past_the_table():
    # a row end past the capacity (a damaged saved state): the native kernel reads only entries [0, capacity)
    indptr = np.array([0, 2**30, 3], np.int32)
    targets, weights = np.array([0, 1, 0, 1], np.int32), np.array([1.0, 2.0, 3.0, 4.0], np.float32)
    with use_kernels("native"):
        _, now = jax.jit(lambda *a: event_ring_csr(*a, 4))(np.array([True, True]), indptr, targets, weights,
                                                              np.int32(0), np.zeros((2, 2), np.float32))
    assert now.tolist() == [4.0, 6.0]  # row 0 is the whole table; row 1 starts past it: nothing
