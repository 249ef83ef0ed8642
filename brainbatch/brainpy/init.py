"""``brainbatch.brainpy.init``: BrainPy's initializers as brainbatch's (drawn from the run's key at reset).

>>> import brainbatch.brainpy as bp
>>> bp.init.Normal(-55., 2.).scale
2.0
"""
from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np

from ..core import initializers as _init
from ..core.modes import BatchingMode, Mode
from ..core.variable import Variable, unwrap
from ..models.inputs import float_dtype  # JAX's default float: float64 after bm.enable_x64()
from ._compat import check_none, holds_numbers, unsupported

__all__ = ["Constant", "ZeroInit", "OneInit", "Uniform", "Normal", "Initializer", "parameter", "variable_"]

Initializer, Constant, ZeroInit, OneInit = _init.Initializer, _init.Constant, _init.ZeroInit, _init.OneInit


def _draw(init: Any, shape: tuple[int, ...], dtype: Any = jnp.float32) -> Any:
    """``init(shape)`` as BrainPy calls an initializer: without a key, a random one draws from ``bm.random``'s
    stream (the run's, inside a step; else the construction-time one ``bm.random.seed`` sets)."""
    from .math.random import _key

    if isinstance(init, _init.Initializer):
        return init(shape, dtype, key=_key() if _init.draws_random(init) else None)
    return init(shape)


class _KeyOptional:
    def __call__(self, shape: Any, dtype: Any = None, key: Any = None) -> Any:
        if key is None:  # called by a script (bp.init.Uniform(-65., -50.)(n)): float64 under x64, as BrainPy's
            from .math.random import _key

            key = _key()
            dtype = float_dtype() if dtype is None else dtype
        dtype = jnp.float32 if dtype is None else dtype
        return super().__call__(_sizes(shape, f"{type(self).__name__}", "shape"), dtype, key=key)  # type: ignore[misc]


class Uniform(_KeyOptional, _init.Uniform):
    """``Uniform(min_val, max_val)``; ``seed`` must stay unset (values come from the run's key). Called
    without a key (``bp.init.Uniform(-65., -50.)(10)``), it draws from ``bm.random``'s stream."""

    def __init__(self, min_val: Any = 0.0, max_val: Any = 1.0, seed: Any = None):
        check_none("init.Uniform", seed=seed)
        super().__init__(min_val, max_val)


class Normal(_KeyOptional, _init.Normal):
    """``Normal(mean, scale)``; ``seed`` must stay unset (values come from the run's key). Called without a
    key, it draws from ``bm.random``'s stream."""

    def __init__(self, mean: Any = 0.0, scale: Any = 1.0, seed: Any = None):
        check_none("init.Normal", seed=seed)
        super().__init__(mean, scale)


def _sizes(sizes: Any, what: str = "init", name: str = "sizes") -> tuple[int, ...]:
    """``sizes`` as a shape. int() made 2.5 the size 2, and a negative size reached JAX ("broadcast_in_dim
    shape must be nonnegative"); BrainPy 2.8.2 refuses 2.5 ("Cannot make a size for 2.5")."""
    return _init.as_shape(sizes, what, name)


def _check_numbers(what: str, name: str, value: Any) -> None:
    """Refuse text, dicts and other non-numbers: BrainPy 2.8.2 refuses them ("Unknown param type <class 'str'>:
    abc"); ``parameter`` returned 'abc' as a scalar."""
    if not holds_numbers(value, "biufc"):
        raise TypeError(f"{what}: {name} must be an initializer, a callable, a number or an array of numbers, "
                        f"got {value!r}")


def _batch(batch_or_mode: Any) -> int | None:
    """The batch size ``batch_or_mode`` asks for, as BrainPy 2.8.2 reads it: None, False and 0 (and a
    non-batching mode) none, True one; anything else is refused there ("Unknown batch_size_or_mode: x") and here."""
    if isinstance(batch_or_mode, BatchingMode):
        return int(batch_or_mode.batch_size)
    if batch_or_mode is None or isinstance(batch_or_mode, Mode):
        return None
    if not isinstance(batch_or_mode, (int, np.integer)):
        raise TypeError(f"init.variable_: batch_or_mode must be None, a batch size (an int >= 0) or a mode, "
                        f"got {batch_or_mode!r}")
    if batch_or_mode < 0:
        raise ValueError(f"init.variable_: batch_or_mode (a batch size) must be >= 0, got {batch_or_mode!r}")
    return int(batch_or_mode) or None


def parameter(param: Any, sizes: Any, allow_none: bool = True, allow_scalar: bool = True, sharding: Any = None) -> Any:
    """BrainPy's ``bp.init.parameter``: a parameter of ``sizes`` from an initializer, a scalar (kept as it is
    with ``allow_scalar``) or an array of that shape.

    >>> import brainbatch.brainpy as bp
    >>> bp.init.parameter(bp.init.Constant(2.), 3).tolist(), bp.init.parameter(0.5, 3)
    ([2.0, 2.0, 2.0], 0.5)
    """
    check_none("init.parameter", sharding=sharding)
    if param is None:
        if allow_none:
            return None
        raise ValueError(f"init.parameter: expected a parameter of shape {_sizes(sizes)}, got None")
    shape = _sizes(sizes, "init.parameter")
    if callable(param) and not hasattr(param, "shape"):
        return _draw(param, shape)
    value = unwrap(param)
    _check_numbers("init.parameter", "param", value)
    if np.ndim(value) == 0 and allow_scalar:
        return value
    if allow_scalar and np.shape(value) == (1,):
        return jnp.asarray(value)  # BrainPy 2.8.2 keeps a one-value array as a scalar too
    value = jnp.asarray(value)
    if value.shape != shape:
        raise ValueError(f"init.parameter: expected a parameter of shape {shape}, got one of shape {value.shape}")
    return value


def variable_(init: Any, sizes: Any = None, batch_or_mode: Any = None, batch_axis: int = 0,
              axis_names: Any = None, batch_axis_name: Any = None) -> Variable:
    """BrainPy's ``bp.init.variable_``: a ``bm.Variable`` of ``sizes`` from an initializer or an array, with a
    batch axis at ``batch_axis`` when ``batch_or_mode`` is a batch size or a ``BatchingMode``.

    >>> import brainbatch.brainpy as bp
    >>> bp.init.variable_(bp.init.ZeroInit(), 3, 2).shape
    (2, 3)
    """
    check_none("init.variable_", axis_names=axis_names, batch_axis_name=batch_axis_name)
    batch = _batch(batch_or_mode)
    if callable(init) and not hasattr(init, "shape"):
        if sizes is None:
            raise ValueError("init.variable_: an initializer needs sizes")
        shape = _sizes(sizes, "init.variable_")
        if batch is not None:
            shape = shape[:batch_axis] + (int(batch),) + shape[batch_axis:]
        value = jnp.asarray(_draw(init, shape, float_dtype()))  # a script's Variable: float64 under x64
    else:
        _check_numbers("init.variable_", "init", unwrap(init))
        value = jnp.asarray(unwrap(init))
        if sizes is not None and value.shape != _sizes(sizes, "init.variable_"):
            raise ValueError(f"init.variable_: expected an array of shape {_sizes(sizes)}, got {value.shape}")
        if batch is not None:
            value = jnp.repeat(jnp.expand_dims(value, batch_axis), int(batch), axis=batch_axis)
    return Variable(value, batch_axis=batch_axis if batch is not None else None)


def __getattr__(name: str) -> Any:
    hint = "give a callable (shape, dtype, key) -> array, drawn from the key it is given"
    raise unsupported("brainbatch.brainpy.init", name,
                      {k: hint for k in ("KaimingNormal", "KaimingUniform", "XavierNormal", "XavierUniform",
                                         "LecunNormal", "Orthogonal", "TruncatedNormal", "GaussianDecay",
                                         "DOGDecay", "Gamma", "Exponential")}, __all__)
