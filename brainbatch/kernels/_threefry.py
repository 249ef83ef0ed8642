"""JAX's threefry hash on CPU as one native call (``threefry.cc``), the same bits as JAX's own lowering.

Every ``jax.random`` draw, ``split`` and ``fold_in`` binds JAX's ``threefry2x32`` primitive, which JAX
lowers on CPU to a rolled loop of 5 iterations: a ``while`` with its own fusions that XLA:CPU compiles
separately for every use (a network's init program held ~34 of them, half its compile time).
``threefry_cpu_rule(original)`` is a lowering rule for that primitive on CPU: it broadcasts the four
operands to the output shape and calls ``bb_threefry2x32``. Where the native path is not chosen
(``BRAINBATCH_KERNELS=jax``) or cannot be had (no compiler, a failed build) it is JAX's own rule,
``original``, decided each time a program is lowered. ``core/jax_compat.py`` installs it (the models
layer calls it once on import). ``random_bits_native`` and ``random_split_native`` go further for a whole
draw or split (JAX's ``random_bits`` / ``random_split`` primitives): the counts and the key's broadcast,
four fusions of XLA's apiece, are built inside one call (``bb_threefry_bits``, ``bb_threefry_split``).
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import jax
import jax.numpy as jnp
from jax.interpreters import mlir

from ._select import native_when_lowering

__all__ = ["random_bits_native", "random_split_native", "threefry_cpu_rule", "threefry_native"]

TARGET = "bb_threefry2x32"
BITS_TARGET = "bb_threefry_bits"
SPLIT_TARGET = "bb_threefry_split"


def threefry_native(k1: jax.Array, k2: jax.Array, x1: jax.Array, x2: jax.Array) -> list[jax.Array]:
    """Threefry-2x32 (20 rounds) of counts ``(x1, x2)`` under keys ``(k1, k2)`` (``uint32``, broadcast
    against each other) by the native kernel: CPU only, and only once ``native_available()``."""
    shape = jnp.broadcast_shapes(k1.shape, k2.shape, x1.shape, x2.shape)
    if 0 in shape:
        zeros = jnp.zeros(shape, jnp.uint32)
        return [zeros, zeros]
    args = [jnp.broadcast_to(jnp.asarray(a, jnp.uint32), shape) for a in (k1, k2, x1, x2)]
    out = jax.ShapeDtypeStruct(shape, jnp.uint32)
    return list(jax.ffi.ffi_call(TARGET, (out, out))(*args))


def random_bits_native(data: jax.Array, bit_width: int, shape: tuple) -> jax.Array:
    """JAX's partitionable threefry bits (``jax/_src/random/threefry2x32.py``) of ``shape`` under each key
    of ``data`` (``uint32[*batch, 2]``): the hash of the 64-bit iota over ``shape`` in one native call
    (``bb_threefry_bits``), the words combined as JAX combines them. CPU only, ``native_available()``."""
    out = jax.ShapeDtypeStruct((*data.shape[:-1], *shape), jnp.uint32)
    bits1, bits2 = jax.ffi.ffi_call(BITS_TARGET, (out, out))(data)
    if bit_width == 64:
        return (bits1.astype(jnp.uint64) << jnp.uint64(32)) | bits2.astype(jnp.uint64)
    bits = bits1 ^ bits2
    return bits if bit_width == 32 else bits.astype(jnp.dtype(f"uint{bit_width}"))


def random_split_native(data: jax.Array, shape: tuple) -> jax.Array:
    """JAX's partitionable threefry split (``_threefry_split_foldlike``) of each key of ``data`` into
    ``shape`` new keys: their data ``uint32[*batch, *shape, 2]`` from one native call (``bb_threefry_split``)."""
    out = jax.ShapeDtypeStruct((*data.shape[:-1], *shape, 2), jnp.uint32)
    return jax.ffi.ffi_call(SPLIT_TARGET, out)(data)


def threefry_cpu_rule(original: Callable[..., Sequence[Any]]) -> Callable[..., Sequence[Any]]:
    """A CPU lowering rule for JAX's ``threefry2x32`` primitive: the native kernel, else ``original``."""
    native = mlir.lower_fun(threefry_native, multiple_results=True)

    def rule(ctx: Any, k1: Any, k2: Any, x1: Any, x2: Any) -> Sequence[Any]:
        if native_when_lowering():
            return native(ctx, k1, k2, x1, x2)
        return original(ctx, k1, k2, x1, x2)

    return rule
