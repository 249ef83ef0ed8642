"""Initializers for variables and parameters: constant, uniform, normal.

An initializer is called as ``init(shape, dtype, key)``; random ones need the key, which a node passes
from its init stream (``DynamicalSystem.init_key``), so initial values come from the run key.
"""
from __future__ import annotations

from typing import Any, Callable

import jax
import jax.numpy as jnp

from .checks import is_real

__all__ = ["Initializer", "Constant", "ZeroInit", "OneInit", "Uniform", "Normal", "parameter", "init_array"]


class Initializer:
    """Base class: ``__call__(shape, dtype=jnp.float32, key=None) -> array``."""

    needs_key = False

    def __call__(self, shape, dtype=jnp.float32, key=None) -> jax.Array:  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"


class Constant(Initializer):
    """Every element equals ``value``.

    >>> Constant(-60.)((3,)).tolist()
    [-60.0, -60.0, -60.0]
    """

    def __init__(self, value: Any = 0.0):
        self.value = value

    def __call__(self, shape, dtype=jnp.float32, key=None):
        return jnp.broadcast_to(jnp.asarray(self.value, dtype=dtype), tuple(shape))


class ZeroInit(Constant):
    def __init__(self):
        super().__init__(0.0)


class OneInit(Constant):
    def __init__(self, value: Any = 1.0):
        super().__init__(value)


class Uniform(Initializer):
    """Uniform on ``[min_val, max_val)``."""

    needs_key = True

    def __init__(self, min_val: Any = 0.0, max_val: Any = 1.0):
        self.min_val, self.max_val = min_val, max_val

    def __call__(self, shape, dtype=jnp.float32, key=None):
        _need_key(self, key)
        return jax.random.uniform(key, tuple(shape), dtype, 0.0, 1.0) * (self.max_val - self.min_val) + self.min_val


class Normal(Initializer):
    """Normal with mean ``mean`` and standard deviation ``scale``.

    >>> Normal(-55., 2.)((2,), key=jax.random.key(0)).shape
    (2,)
    """

    needs_key = True

    def __init__(self, mean: Any = 0.0, scale: Any = 1.0):
        self.mean, self.scale = mean, scale

    def __call__(self, shape, dtype=jnp.float32, key=None):
        _need_key(self, key)
        return (jax.random.normal(key, tuple(shape), dtype) * self.scale + self.mean).astype(dtype)


def _need_key(init: Initializer, key) -> None:
    if key is None:
        raise ValueError(f"{init!r} draws random numbers and needs a key (pass key=...)")


def init_array(init: Any, shape, dtype=jnp.float32, key=None) -> jax.Array:
    """Turn ``init`` (initializer, callable, scalar or array) into an array of ``shape``.

    Arrays must match ``shape`` or broadcast to it; the error names both shapes.
    """
    shape = tuple(shape)
    if isinstance(init, Initializer):
        return init(shape, dtype, key)
    if callable(init):
        try:
            out = init(shape, dtype, key)
        except TypeError:
            out = init(shape)
        return jnp.asarray(out, dtype=dtype)
    arr = jnp.asarray(init, dtype=dtype)
    try:
        return jnp.broadcast_to(arr, shape)
    except ValueError:
        raise ValueError(f"initial value of shape {arr.shape} does not fit the variable shape {shape}") from None


def parameter(value: Any, shape, *, name: str = "parameter", allow_none: bool = False,
              dtype=jnp.float32, key=None) -> Any:
    """Check a model parameter: a scalar, a per-element array of ``shape``, an initializer, or a JAX value.

    Scalars (Python or JAX, possibly traced under vmap) are returned unchanged so sweeps can vmap
    over them; arrays must broadcast to ``shape``.
    """
    if value is None:
        if allow_none:
            return None
        raise ValueError(f"{name} must be given, got None")
    if isinstance(value, (int, float)) and is_real(value):
        return value
    if isinstance(value, Initializer) or callable(value):
        return init_array(value, shape, dtype, key)
    arr = jnp.asarray(value)
    if arr.ndim == 0:
        return arr
    try:
        jnp.broadcast_shapes(arr.shape, tuple(shape))
    except ValueError:
        raise ValueError(f"{name} has shape {arr.shape}, which does not broadcast to {tuple(shape)}") from None
    return arr
