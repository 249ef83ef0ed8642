"""``cumsum_exact``: a cumulative sum along the last axis that is exact in any order, native on CPU.

``jnp.cumsum`` lowers to a reduce-window that XLA:CPU rewrites into a blocked two-level scan: about five
fusions per sum, each compiled on its own, in every connectivity build (a COBA init program held 16 of
its 44 fusions in four of them). On CPU the sum is one FFI call into ``cumsum.cc``, a loop per row.
Only for sums whose order cannot change a bit: ``int32`` (which wraps) and ``float32`` whole numbers
whose partial sums stay below 2**24; there the result is bitwise ``jnp.cumsum``'s, on either path.

The path is chosen when a program is lowered, as for the threefry hash (``_threefry.py``): the op is a
primitive of its own whose CPU rule asks ``use_kernels`` / ``BRAINBATCH_KERNELS`` then
(``native_when_lowering``), so a connector traced once (module-level jits are cached by JAX without
regard to the choice) still follows the choice of each program it lands in, and a program lowered for
``jax.export`` keeps ``jnp.cumsum``.
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
from jax.interpreters import batching, mlir

from ._select import native_when_lowering

try:
    from jax.extend.core import Primitive
except ImportError:  # older JAX
    from jax.core import Primitive  # type: ignore[no-redef,attr-defined,unused-ignore]

__all__ = ["cumsum_exact"]

_TARGETS = {jnp.dtype(jnp.int32): "bb_cumsum_i32", jnp.dtype(jnp.float32): "bb_cumsum_f32"}


def _pure(x: jax.Array) -> jax.Array:
    return jnp.cumsum(x, axis=-1)


cumsum_p = Primitive("bb_cumsum_exact")
_compiled = jax.jit(lambda x: cumsum_p.bind(x))
cumsum_p.def_impl(_compiled)  # eager use: compiled like any other op, once per shape
cumsum_p.def_abstract_eval(lambda x: jax.core.ShapedArray(x.shape, x.dtype))


def _batch(args: tuple, dims: tuple) -> tuple[jax.Array, int]:
    # the batch axis in front: the sum's axis stays the last one, and a batch is more rows
    (x,), (d,) = args, dims
    return cumsum_p.bind(jnp.moveaxis(x, d, 0)), 0


batching.primitive_batchers[cumsum_p] = _batch
_pure_rule = mlir.lower_fun(_pure, multiple_results=False)
mlir.register_lowering(cumsum_p, _pure_rule)


def _native(x: jax.Array) -> jax.Array:
    return jax.ffi.ffi_call(_TARGETS[x.dtype], jax.ShapeDtypeStruct(x.shape, x.dtype))(x)


_native_rule = mlir.lower_fun(_native, multiple_results=False)


def _cpu_rule(ctx: Any, x: Any) -> Any:
    return _native_rule(ctx, x) if native_when_lowering(ctx) else _pure_rule(ctx, x)


mlir.register_lowering(cumsum_p, _cpu_rule, platform="cpu")


def cumsum_exact(x: jax.Array) -> jax.Array:
    """``jnp.cumsum(x, axis=-1)`` for ``int32``, or ``float32`` whole numbers with partial sums below 2**24.

    Beyond 2**24 a float32 sum is rounded in row order, where XLA's blocked scan may round differently;
    a sum of non-negative whole numbers that reaches 2**24 stays at or above it in any order, which is
    what the connectors' bound checks rely on (``connectivity/_base.py``).

    >>> import jax.numpy as jnp
    >>> cumsum_exact(jnp.array([[1, 2, 3], [4, 5, 6]], jnp.int32)).tolist()
    [[1, 3, 6], [4, 9, 15]]
    """
    x = jnp.asarray(x)
    if x.dtype not in _TARGETS:
        raise TypeError(f"cumsum_exact takes int32 or float32, got {x.dtype}")
    if x.ndim == 0 or x.size == 0:
        return _pure(x)
    return cumsum_p.bind(x)
