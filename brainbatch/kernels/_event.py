"""Event-driven spike propagation: ``event_sum`` and ``event_ring``, native on CPU, pure JAX elsewhere.

On CPU (unless ``BRAINBATCH_KERNELS=jax``) the work is one XLA FFI call into ``event.cc``: a loop over
the spike vector that adds each spiking row's synapses, the batch axis looped inside, so its cost is
spikes x fan-out and one shared connectivity table serves every lane of a vmapped batch. On other
platforms ``jax.lax.platform_dependent`` picks the pure-JAX path (``_event_jax.py``). Both visit rows
in index order, so counts are bitwise equal between the paths and a lane equals the run alone.
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from ._event_jax import event_ring_csr_jax, event_ring_jax, event_sum_jax
from ._select import active_backend

__all__ = ["event_sum", "event_ring", "event_ring_csr"]


def _check_rows(spike: jax.Array, targets: jax.Array, weights: jax.Array | None, what: str) -> None:
    if spike.ndim != 1 or targets.ndim != 2 or targets.shape[0] != spike.shape[0]:
        raise ValueError(f"{what}: spike must be (n_pre,) and targets (n_pre, K); got {spike.shape} and "
                         f"{targets.shape} (vmap over a batch)")
    if weights is not None and jnp.ndim(weights) == 2 and tuple(weights.shape) != tuple(targets.shape):
        raise ValueError(f"{what}: per-synapse weights must have targets' shape {targets.shape}, got {weights.shape}")


def _check_scale(spike: jax.Array, scale: jax.Array, what: str) -> None:
    if jnp.shape(scale) != spike.shape:
        raise ValueError(f"{what}: scale must have the spike vector's shape {spike.shape}, got {jnp.shape(scale)}")


def event_sum(spike: jax.Array, targets: jax.Array, n_post: int, weights: jax.Array | None = None,
              chunk: int = 16, offset: jax.Array | None = None, scale: jax.Array | None = None) -> jax.Array:
    """``sum_i spike[i] * W[i, :]`` for the sparse ``W`` given by ``targets`` (and ``weights``).

    Args:
        spike: ``bool (n_pre,)`` (``vmap`` for a batch).
        targets: ``int32 (n_pre, K)``; entries outside ``[0, n_post)`` are padding.
        n_post: length of the result.
        weights: ``float32 (n_pre, K)`` per synapse, or None to count spikes (weight 1).
        chunk: spikes per loop iteration of the pure-JAX path (the native path needs none).
        offset: added to every target index modulo ``n_post`` (padding stays padding): how per-synapse
            delays rotate their ring of future inputs without rewriting ``targets`` each step.
        scale: ``float32 (n_pre,)``, a factor on every weight of a row (short-term plasticity: what
            each spike releases); not with ``offset``.

    Returns ``float32 (n_post,)``. Without weights the result counts spikes exactly, so it is the same
    on both paths and does not depend on the batch a lane runs in.

    >>> import jax.numpy as jnp
    >>> t = jnp.array([[1, 2], [0, 3]], jnp.int32)  # 3 is the padding for n_post = 3
    >>> event_sum(jnp.array([True, True]), t, 3).tolist()
    [1.0, 1.0, 1.0]
    """
    spike, targets = jnp.asarray(spike), jnp.asarray(targets, jnp.int32)
    _check_rows(spike, targets, weights, "event_sum")
    scaled = scale is not None
    if scaled:
        _check_scale(spike, scale, "event_sum")
        if offset is not None:
            raise ValueError("event_sum: scale and offset together are not supported")
        scale = jnp.asarray(scale, jnp.float32)
    if active_backend() == "jax":
        return event_sum_jax(spike, targets, n_post, weights, chunk, offset, scale=scale)
    # the per-lane last argument: each row's scale, or the offset (0 without one)
    last = scale if scaled else (jnp.zeros((), jnp.int32) if offset is None else jnp.asarray(offset, jnp.int32) % n_post)
    kernel = ("bb_event_count" if weights is None else "bb_event_weighted") + ("_scaled" if scaled else "")

    def native(spike: jax.Array, targets: jax.Array, weights: jax.Array | None, last: jax.Array) -> jax.Array:
        out = jax.ShapeDtypeStruct((n_post,), jnp.float32)
        arrays = (spike, targets, last) if weights is None else (spike, targets, weights, last)
        return jax.ffi.ffi_call(kernel, out, vmap_method="expand_dims")(*arrays)

    def pure(spike: jax.Array, targets: jax.Array, weights: jax.Array | None, last: jax.Array) -> jax.Array:
        if scaled:
            return event_sum_jax(spike, targets, n_post, weights, chunk, scale=last)
        return event_sum_jax(spike, targets, n_post, weights, chunk, None if offset is None else last)

    w = None if weights is None else jnp.asarray(weights, jnp.float32)
    return jax.lax.platform_dependent(spike, targets, w, last, cpu=native, default=pure)


@jax.custom_batching.custom_vmap
def _ring_native(spike: jax.Array, targets: jax.Array, weight: jax.Array, ring: jax.Array,
                 pending: jax.Array) -> tuple[jax.Array, jax.Array]:
    # every argument carries the same number of leading batch dims (0 outside vmap); see _ring_batched
    name = "bb_event_ring_weighted" if weight.ndim == targets.ndim else "bb_event_ring_scalar"
    shapes = (jax.ShapeDtypeStruct(pending.shape, jnp.float32),
              jax.ShapeDtypeStruct(pending.shape[:-2] + pending.shape[-1:], jnp.float32))
    return tuple(jax.ffi.ffi_call(name, shapes, input_output_aliases={4: 0})(spike, targets, weight, ring, pending))


@_ring_native.def_vmap
def _ring_batched(axis_size: int, in_batched: tuple[bool, ...], spike: jax.Array, targets: jax.Array,
                  weight: jax.Array, ring: jax.Array, pending: jax.Array) -> tuple[Any, tuple[bool, bool]]:
    # Shared inputs keep a batch dim of 1 (the kernel broadcasts it: one connectivity table for every
    # lane); the ring of pending inputs is state, so each lane gets its own.
    args = [a if b else jnp.expand_dims(a, 0) for a, b in zip((spike, targets, weight, ring), in_batched[:4])]
    if not in_batched[4]:
        pending = jnp.broadcast_to(pending, (axis_size,) + pending.shape)
    return _ring_native(*args, pending), (True, True)


def event_ring(spike: jax.Array, targets: jax.Array, weight: jax.Array, ring: jax.Array, pending: jax.Array,
               chunk: int = 16, scale: jax.Array | None = None) -> tuple[jax.Array, jax.Array]:
    """One step of a ring of future inputs (per-synapse delays): returns ``(pending, now)``.

    ``pending`` is ``float32 (L, n_post)``, row ``(ring + d) % L`` holding what arrives in ``d`` steps;
    ``targets[i, k] = d * n_post + target`` (padding: ``>= L * n_post``); ``weight`` a scalar or
    ``float32 (n_pre, K)``. This step's spikes are added at their delays, then row ``ring`` is returned
    as ``now`` and cleared (the caller advances ``ring``). ``scale`` as in ``event_sum``.

    >>> import jax.numpy as jnp
    >>> t = jnp.array([[1 * 2 + 0]], jnp.int32)          # one synapse onto neuron 0, delay 1 step
    >>> p, now = event_ring(jnp.array([True]), t, 0.5, jnp.int32(0), jnp.zeros((2, 2)))
    >>> now.tolist(), p.tolist()
    ([0.0, 0.0], [[0.0, 0.0], [0.5, 0.0]])
    """
    spike, targets = jnp.asarray(spike), jnp.asarray(targets, jnp.int32)
    weight = jnp.asarray(weight, jnp.float32)
    _check_rows(spike, targets, weight, "event_ring")
    ring, pending = jnp.asarray(ring, jnp.int32), jnp.asarray(pending, jnp.float32)
    if scale is not None:
        _check_scale(spike, scale, "event_ring")
        return event_ring_jax(spike, targets, weight, ring, pending, chunk, scale=jnp.asarray(scale, jnp.float32))
    if active_backend() == "jax":
        return event_ring_jax(spike, targets, weight, ring, pending, chunk)

    def pure(spike: jax.Array, targets: jax.Array, weight: jax.Array, ring: jax.Array,
             pending: jax.Array) -> tuple[jax.Array, jax.Array]:
        return event_ring_jax(spike, targets, weight, ring, pending, chunk)

    return jax.lax.platform_dependent(spike, targets, weight, ring, pending, cpu=_ring_native, default=pure)


@jax.custom_batching.custom_vmap
def _ring_csr_native(spike: jax.Array, indptr: jax.Array, targets: jax.Array, weights: jax.Array, ring: jax.Array,
                     pending: jax.Array) -> tuple[jax.Array, jax.Array]:
    shapes = (jax.ShapeDtypeStruct(pending.shape, jnp.float32),
              jax.ShapeDtypeStruct(pending.shape[:-2] + pending.shape[-1:], jnp.float32))
    return tuple(jax.ffi.ffi_call("bb_event_ring_csr", shapes, input_output_aliases={5: 0})(
        spike, indptr, targets, weights, ring, pending))


@_ring_csr_native.def_vmap
def _ring_csr_batched(axis_size: int, in_batched: tuple[bool, ...], spike: jax.Array, indptr: jax.Array,
                      targets: jax.Array, weights: jax.Array, ring: jax.Array,
                      pending: jax.Array) -> tuple[Any, tuple[bool, bool]]:
    # as _ring_batched: shared inputs keep a batch dim of 1 (one table for every lane), pending is per lane
    args = [a if b else jnp.expand_dims(a, 0) for a, b in zip((spike, indptr, targets, weights, ring), in_batched[:5])]
    if not in_batched[5]:
        pending = jnp.broadcast_to(pending, (axis_size,) + pending.shape)
    return _ring_csr_native(*args, pending), (True, True)


def event_ring_csr(spike: jax.Array, indptr: jax.Array, targets: jax.Array, weights: jax.Array, ring: jax.Array,
                   pending: jax.Array, max_row: int, chunk: int = 16) -> tuple[jax.Array, jax.Array]:
    """``event_ring`` for synapses in compressed rows (CSR): returns ``(pending, now)``.

    Row ``i`` (presynaptic neuron ``i``) is ``targets[indptr[i]:indptr[i + 1]]`` with ``weights``
    alongside (``int32`` and ``float32 (capacity,)``; entries past ``indptr[-1]`` are unused), so a
    table costs 8 bytes per synapse and no row padding. ``targets`` hold ``d * n_post + target`` as in
    ``event_ring``. ``max_row`` (static) bounds a row's length: the pure-JAX path gathers rows in
    windows of that width (the native one needs no bound).

    >>> import jax.numpy as jnp
    >>> indptr = jnp.array([0, 1, 1], jnp.int32)          # neuron 0: one synapse; neuron 1: none
    >>> t, w = jnp.array([1 * 2 + 0], jnp.int32), jnp.array([0.5], jnp.float32)
    >>> p, now = event_ring_csr(jnp.array([True, True]), indptr, t, w, jnp.int32(0), jnp.zeros((2, 2)), 1)
    >>> now.tolist(), p.tolist()
    ([0.0, 0.0], [[0.0, 0.0], [0.5, 0.0]])
    """
    spike, indptr = jnp.asarray(spike), jnp.asarray(indptr, jnp.int32)
    targets, weights = jnp.asarray(targets, jnp.int32), jnp.asarray(weights, jnp.float32)
    if spike.ndim != 1 or indptr.shape != (spike.shape[0] + 1,) or targets.ndim != 1 or weights.shape != targets.shape:
        raise ValueError(f"event_ring_csr: spike must be (n_pre,), indptr (n_pre + 1,) and targets, weights one "
                         f"shape (capacity,); got {spike.shape}, {indptr.shape}, {targets.shape}, {weights.shape} "
                         "(vmap over a batch)")
    ring, pending = jnp.asarray(ring, jnp.int32), jnp.asarray(pending, jnp.float32)
    max_row = max(1, int(max_row))
    if active_backend() == "jax":
        return event_ring_csr_jax(spike, indptr, targets, weights, ring, pending, max_row, chunk)

    def pure(spike: jax.Array, indptr: jax.Array, targets: jax.Array, weights: jax.Array, ring: jax.Array,
             pending: jax.Array) -> tuple[jax.Array, jax.Array]:
        return event_ring_csr_jax(spike, indptr, targets, weights, ring, pending, max_row, chunk)

    return jax.lax.platform_dependent(spike, indptr, targets, weights, ring, pending, cpu=_ring_csr_native,
                                      default=pure)
