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
from ..core.modes import BatchingMode
from ..core.variable import Variable, unwrap
from ._compat import check_none, unsupported

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
    def __call__(self, shape: Any, dtype: Any = jnp.float32, key: Any = None) -> Any:
        if key is None:
            from .math.random import _key

            key = _key()
        return super().__call__(_sizes(shape), dtype, key=key)  # type: ignore[misc]


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


def _sizes(sizes: Any) -> tuple[int, ...]:
    return (int(sizes),) if isinstance(sizes, (int, np.integer)) else tuple(int(s) for s in sizes)


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
    shape = _sizes(sizes)
    if callable(param) and not hasattr(param, "shape"):
        return _draw(param, shape)
    value = unwrap(param)
    if np.ndim(value) == 0 and allow_scalar:
        return value
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
    batch = batch_or_mode.batch_size if isinstance(batch_or_mode, BatchingMode) else \
        batch_or_mode if isinstance(batch_or_mode, (int, np.integer)) and not isinstance(batch_or_mode, bool) else None
    if callable(init) and not hasattr(init, "shape"):
        if sizes is None:
            raise ValueError("init.variable_: an initializer needs sizes")
        shape = _sizes(sizes)
        if batch is not None:
            shape = shape[:batch_axis] + (int(batch),) + shape[batch_axis:]
        value = jnp.asarray(_draw(init, shape))
    else:
        value = jnp.asarray(unwrap(init))
        if sizes is not None and value.shape != _sizes(sizes):
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
