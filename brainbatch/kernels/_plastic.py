"""``plastic_pair``: one step of a pair-based plasticity rule in one native CPU call (``event.cc``).

The rules of the pair family (``STDP`` in every form, ``Vogels2011``) reduce to
``w += c_pre (x_post - b_pre)`` on a presynaptic spike and ``w += c_post x_pre`` on a postsynaptic one,
with decaying traces that jump (or are set) at each spike; ``PAIR_PARAMS`` names the 13 numbers. The
caller gives a pure-JAX twin for other platforms (``jax.lax.platform_dependent``); the native path
runs only where ``active_backend()`` is ``"native"``.
"""
from __future__ import annotations

from typing import Any, Callable

import jax
import jax.numpy as jnp

__all__ = ["PAIR_PARAMS", "plastic_pair"]

PAIR_PARAMS = ("decay_pre", "decay_post", "jump_pre", "jump_post", "set_pre", "set_post", "c_pre", "b_pre", "c_post",
               "w_min", "w_max", "multiplicative", "deliver_after")


@jax.custom_batching.custom_vmap
def _pair_native(spike_pre: jax.Array, spike_post: jax.Array, targets: jax.Array, post_index: jax.Array,
                 params: jax.Array, w: jax.Array, xpre: jax.Array, xpost: jax.Array) -> tuple[jax.Array, ...]:
    lead = w.shape[:-1]
    n_post = xpost.shape[-1]
    shapes = (jax.ShapeDtypeStruct(lead + (n_post,), jnp.float32), jax.ShapeDtypeStruct(w.shape, jnp.float32),
              jax.ShapeDtypeStruct(xpre.shape, jnp.float32), jax.ShapeDtypeStruct(xpost.shape, jnp.float32))
    return tuple(jax.ffi.ffi_call("bb_plastic_pair", shapes, input_output_aliases={5: 1, 6: 2, 7: 3})(
        spike_pre, spike_post, targets, post_index, params, w, xpre, xpost))


@_pair_native.def_vmap
def _pair_batched(axis_size: int, in_batched: tuple[bool, ...], *arrays: jax.Array) -> tuple[Any, tuple[bool, ...]]:
    # shared inputs keep a batch dim of 1 (read by every lane); the state gets one copy per lane
    args = list(arrays)
    for k in range(5):
        if not in_batched[k]:
            args[k] = jnp.expand_dims(args[k], 0)
    for k in range(5, 8):
        if not in_batched[k]:
            args[k] = jnp.broadcast_to(args[k], (axis_size,) + args[k].shape)
    return _pair_native(*args), (True, True, True, True)


def plastic_pair(spike_pre: jax.Array, spike_post: jax.Array, targets: jax.Array, post_index: jax.Array,
                 params: jax.Array, w: jax.Array, xpre: jax.Array, xpost: jax.Array,
                 twin: Callable) -> tuple[jax.Array, ...]:
    """``(delivered, w, xpre, xpost)`` after one step; ``twin`` (same arguments) off the CPU.

    ``w`` is ``float32 (n_pre * K,)``; ``params`` ``float32 (13,)`` in the order of ``PAIR_PARAMS``.
    """
    def native(spike_pre: jax.Array, spike_post: jax.Array, targets: jax.Array, post_index: jax.Array,
               params: jax.Array, w: jax.Array, xpre: jax.Array, xpost: jax.Array) -> tuple[jax.Array, ...]:
        return _pair_native(spike_pre, spike_post, targets, post_index, params, w, xpre, xpost)

    args = (spike_pre, spike_post, jnp.asarray(targets, jnp.int32), jnp.asarray(post_index, jnp.int32),
            jnp.asarray(params, jnp.float32), jnp.asarray(w, jnp.float32), jnp.asarray(xpre, jnp.float32),
            jnp.asarray(xpost, jnp.float32))
    return jax.lax.platform_dependent(*args, cpu=native, default=twin)
