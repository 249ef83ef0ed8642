"""BrainPy 2.x's ``bm.LengthDelay``: a ring of the last ``delay_len`` values of an array, updated by hand.

``retrieve(d)`` (or calling it) gives the value ``update`` received ``d`` updates ago (``d = 0``: the
latest); before that many updates, the initial data: row 0 the target at construction, rows
``1..delay_len`` ``initial_delay_data`` (0 by default). BrainPy's own rules, rotation and concatenation
alike (both give the same values). It is a node, so its ``data`` and ``idx`` Variables are part of the
model that holds it (saved, resumed, per lane of a batch); a network does not update it: the model's
``update`` calls ``delay.update(x)``, as in BrainPy.
"""
from __future__ import annotations

import inspect
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ...core import DynamicalSystem
from ...core.checks import check_int, fits_shape
from ...errors import check_choice
from ...core.variable import Variable, unwrap

__all__ = ["LengthDelay", "NeuLenDelay"]

#: The largest history a delay holds (rows times the target's bytes): LengthDelay's delay_len=1e10 asked XLA for
#: 80 GB, TimeDelay's 1e12 ms 80 TB.
MAX_DELAY_BYTES = 2**32


class LengthDelay(DynamicalSystem):
    """``bm.LengthDelay(delay_target, delay_len, initial_delay_data=None, update_method='rotation')``.

    >>> import brainbatch.brainpy.math as bm
    >>> d = bm.LengthDelay(bm.zeros(2), delay_len=2)
    >>> for k in (1.0, 2.0, 3.0):
    ...     d.update(bm.ones(2) * k)
    >>> d.retrieve(0).tolist(), d(2).tolist()
    ([3.0, 3.0], [1.0, 1.0])
    """

    # made in reset: declared for the type checker only
    data: Variable
    idx: Variable
    _target: Variable | None

    def __init__(self, delay_target: Any, delay_len: int, initial_delay_data: Any = None, name: str | None = None,
                 batch_axis: int | None = None, update_method: str = "rotation") -> None:
        super().__init__(name=name)
        self.update_method = check_choice("LengthDelay update_method", update_method, ("rotation", "concat"))
        object.__setattr__(self, "_target", delay_target if isinstance(delay_target, Variable) else None)
        self.num_delay_step = 0
        self.reset(delay_target, delay_len, initial_delay_data, batch_axis)

    def reset(self, delay_target: Any, delay_len: int | None = None,  # type: ignore[override]  # BrainPy's reset
              initial_delay_data: Any = None, batch_axis: int | None = None) -> None:
        """Start over: row 0 the target, rows ``1..delay_len`` ``initial_delay_data``, the ring at 0."""
        if delay_len is None:
            if not self.num_delay_step:
                raise ValueError("LengthDelay: delay_len is needed the first time")
            delay_len = self.num_delay_step - 1
        check_int("LengthDelay delay_len", delay_len, minimum=0)
        target = jnp.asarray(unwrap(delay_target))
        if batch_axis is None and isinstance(delay_target, Variable) and delay_target.batch_axis is not None:
            batch_axis = delay_target.batch_axis + 1
        check_history(f"LengthDelay: delay_len {delay_len}", int(delay_len) + 1, target, "give a shorter delay")
        self.num_delay_step = int(delay_len) + 1
        data = jnp.zeros((self.num_delay_step,) + target.shape, target.dtype).at[0].set(target)
        if initial_delay_data is not None:
            rest = _initial(initial_delay_data, (int(delay_len),) + target.shape, target.dtype)
            data = data.at[1:].set(rest)
        for name, value, axis, text in (("data", data, batch_axis, "the delayed values, the newest at row idx"),
                                        ("idx", jnp.zeros((1,), jnp.int32), None, "the row of the newest value")):
            existing = self.__dict__.get(name)
            if isinstance(existing, Variable):  # refilled in place: references to it stay valid
                existing._value, existing.batch_axis = value, axis
            else:
                setattr(self, name, Variable(value, batch_axis=axis, description=text))

    @property
    def delay_shape(self) -> tuple[int, ...]:
        return tuple(self.data.shape)

    @property
    def delay_target_shape(self) -> tuple[int, ...]:
        return tuple(self.data.shape[1:])

    def retrieve(self, delay_len: Any, *indices: Any) -> jax.Array:
        """The value ``delay_len`` updates ago (at ``indices`` of it, if given)."""
        delay_len = unwrap(delay_len)
        if isinstance(delay_len, (int, np.integer)) and not 0 <= int(delay_len) < self.num_delay_step:
            raise ValueError(f"LengthDelay: delay {int(delay_len)} is outside [0, {self.num_delay_step - 1}] "
                             "(the delay_len it was made with)")
        if hasattr(delay_len, "dtype") and not jnp.issubdtype(delay_len.dtype, jnp.integer):
            raise ValueError(f"LengthDelay: the delay must be a whole number of updates, got {delay_len!r}")
        row = (self.idx.value[0] + delay_len) % self.num_delay_step
        return self.data.value[(row,) + tuple(unwrap(i) for i in indices)]

    def __call__(self, *args: Any) -> Any:
        # BrainPy: calling the delay retrieves; a network's own update (no arguments) leaves it alone, as
        # BrainPy's DynSysGroup does
        return self.retrieve(*args) if args else None

    def update(self, value: Any = None) -> None:
        """Push ``value`` (default: the target given as a Variable) as the newest entry."""
        if value is None:
            if self._target is None:
                raise ValueError("LengthDelay.update needs a value (the delay was not made from a Variable)")
            value = self._target.value
        value = jnp.asarray(unwrap(value), self.data.dtype)
        idx = (self.idx.value - 1) % self.num_delay_step
        self.idx.value = idx
        self.data.value = self.data.value.at[idx[0]].set(jnp.broadcast_to(value, self.delay_target_shape))

    def reset_state(self, batch_size: int | None = None) -> None:
        """Nothing to draw: the data stay as ``reset`` made them (BrainPy's delay has no reset_state)."""

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(num_delay_step={self.num_delay_step}, "
                f"delay_target_shape={self.delay_target_shape}, update_method={self.update_method})")


NeuLenDelay = LengthDelay


def check_history(what: str, rows: int, target: Any, hint: str) -> None:
    """Refuse a delay whose ``rows`` copies of ``target`` exceed ``MAX_DELAY_BYTES`` (``what`` opens the message)."""
    size = rows * int(np.prod(target.shape)) * target.dtype.itemsize
    if size > MAX_DELAY_BYTES:
        raise ValueError(f"{what} keeps {rows} rows of the target ({size / 2**30:.3g} GiB, more than "
                         f"{MAX_DELAY_BYTES / 2**30:g} GiB); {hint}")


def _initial(init: Any, shape: tuple[int, ...], dtype: Any) -> jax.Array:
    if callable(init) and not hasattr(init, "shape"):
        takes_dtype = "dtype" in inspect.signature(init).parameters if _has_signature(init) else False
        value = jnp.asarray(init(shape, dtype=dtype) if takes_dtype else init(shape), dtype)
        what = f"initial_delay_data({shape})"
    else:
        value, what = jnp.asarray(unwrap(init), dtype), "initial_delay_data"
    return fit_history(f"LengthDelay: {what}", value, shape)


def fit_history(what: str, value: jax.Array, rows: tuple[int, ...]) -> jax.Array:
    """``value`` broadcast to the history's ``rows`` (a delay's rows, then its target's shape); a value of
    another shape is named with the shapes that fit, instead of XLA's "Incompatible types for broadcasting"."""
    if not fits_shape(np.shape(value), rows):
        raise ValueError(f"{what} has shape {tuple(np.shape(value))}, which does not fit the delay's history "
                         f"{tuple(rows)} ({rows[0]} rows of the target's shape {tuple(rows[1:])}): give a number, an "
                         f"array of the target's shape or of shape {tuple(rows)}")
    return jnp.broadcast_to(value, rows)


def _has_signature(fn: Any) -> bool:
    try:
        inspect.signature(fn)
    except (TypeError, ValueError):
        return False
    return True
