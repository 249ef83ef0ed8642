"""``Variable``: a named slot for a state array that changes during a simulation.

A Variable holds a concrete ``jax.Array`` outside transforms. Inside ``jit``/``scan``/``vmap`` the
transform temporarily puts tracers in it and takes them out again before it returns.
"""
from __future__ import annotations

import operator
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

__all__ = ["Variable", "TrainVar"]


def _as_array(value: Any) -> jax.Array:
    if isinstance(value, Variable):
        value = value.value
    if isinstance(value, jax.Array) or isinstance(value, jax.core.Tracer):
        return value
    return jnp.asarray(value)


class Variable:
    """A mutable state array.

    Args:
        value: initial value (array-like or an int shape for zeros).
        dtype: optional dtype to cast to.
        batch_axis: the axis that indexes the batch in batching mode, or ``None``.
        dims, units, description: metadata for result stores (dims exclude the batch axis).

    >>> v = Variable(jnp.zeros(3))
    >>> v.value = v.value + 1.0
    >>> float(v.value.sum())
    3.0
    """

    __slots__ = ("_value", "batch_axis", "_owner", "dims", "units", "description", "__weakref__")

    def __init__(self, value: Any, dtype: Any = None, batch_axis: int | None = None, *,
                 dims: tuple[str, ...] | None = None, units: str = "", description: str = ""):
        if isinstance(value, int) and not isinstance(value, bool):
            value = jnp.zeros(value)
        arr = _as_array(value)
        if dtype is not None:
            arr = arr.astype(dtype)
        if batch_axis is not None:
            if not isinstance(batch_axis, int) or not (-arr.ndim <= batch_axis < max(arr.ndim, 1)):
                raise ValueError(f"batch_axis {batch_axis!r} is not an axis of a {arr.ndim}-d value")
            batch_axis = batch_axis % max(arr.ndim, 1)
        self._value = arr
        self.batch_axis = batch_axis
        self._owner = None  # weakref to the node that first held it; decides its path
        # Declared where the variable is defined, so stores write labelled, documented arrays.
        self.dims = None if dims is None else tuple(dims)
        self.units = units
        self.description = description

    # -- value -----------------------------------------------------------------------------------
    @property
    def value(self) -> jax.Array:
        return self._value

    @value.setter
    def value(self, new: Any) -> None:
        arr = _as_array(new)
        old = self._value
        if tuple(arr.shape) != tuple(old.shape):
            raise ValueError(
                f"cannot assign a value of shape {tuple(arr.shape)} to a Variable of shape "
                f"{tuple(old.shape)}; re-create it (reset_state) to change its shape"
            )
        if arr.dtype != old.dtype:
            if jnp.issubdtype(old.dtype, jnp.floating) and jnp.issubdtype(arr.dtype, jnp.number):
                arr = arr.astype(old.dtype)  # promotion from python floats/ints is harmless
            elif old.dtype == jnp.bool_ or arr.dtype == jnp.bool_:
                raise TypeError(f"cannot assign dtype {arr.dtype} to a Variable of dtype {old.dtype}")
            else:
                arr = arr.astype(old.dtype)
        self._value = arr

    def update(self, value: Any) -> None:
        """Assign a new value (same shape and dtype)."""
        self.value = value

    # -- array protocol --------------------------------------------------------------------------
    shape = property(lambda self: tuple(self._value.shape))
    dtype = property(lambda self: self._value.dtype)
    ndim = property(lambda self: self._value.ndim)
    size = property(lambda self: self._value.size)

    def devices(self) -> set:
        """Devices holding the value."""
        return self._value.devices()

    def numpy(self) -> np.ndarray:
        return np.asarray(self._value)

    def __array__(self, dtype=None, copy=None):
        arr = np.asarray(self._value)
        return arr if dtype is None else arr.astype(dtype)

    def __jax_array__(self):
        return self._value

    def __len__(self) -> int:
        return len(self._value)

    def __getitem__(self, index):
        return self._value[index]

    def __setitem__(self, index, item):
        self.value = self._value.at[index].set(_as_array(item))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(shape={self.shape}, dtype={self.dtype}, batch_axis={self.batch_axis})"

    def __bool__(self):
        return bool(self._value)

    def __float__(self):
        return float(self._value)

    def __int__(self):
        return int(self._value)

    # Variables are identities, not values: hash and compare by object.
    __hash__ = object.__hash__

    def __eq__(self, other):
        return self._value == _as_array(other)


def _binary(op, reflected=False):
    def method(self, other):
        other = other.value if isinstance(other, Variable) else other
        return op(other, self._value) if reflected else op(self._value, other)

    return method


for _name, _op in [
    ("add", operator.add), ("sub", operator.sub), ("mul", operator.mul), ("truediv", operator.truediv),
    ("floordiv", operator.floordiv), ("mod", operator.mod), ("pow", operator.pow),
    ("matmul", operator.matmul), ("and", operator.and_), ("or", operator.or_), ("xor", operator.xor),
]:
    setattr(Variable, f"__{_name}__", _binary(_op))
    setattr(Variable, f"__r{_name}__", _binary(_op, reflected=True))
for _name, _op in [("lt", operator.lt), ("le", operator.le), ("gt", operator.gt), ("ge", operator.ge),
                   ("ne", operator.ne)]:
    setattr(Variable, f"__{_name}__", _binary(_op))
Variable.__neg__ = lambda self: -self._value
Variable.__invert__ = lambda self: ~self._value
Variable.__abs__ = lambda self: abs(self._value)


class TrainVar(Variable):
    """A trainable Variable (weights of a readout). ``train_vars()`` collects these."""

    __slots__ = ()
