"""BrainPy 2.x's ``bm.TimeDelay``: the recent history of an array, read at a time, updated by hand.

A ring of ``ceil(delay_len / dt) + 1`` rows; ``update(x)`` writes the newest and advances the delay's own
clock by ``dt``; ``delay(t)`` reads the value at time ``t`` (at most ``delay_len`` back), between two rows
by linear interpolation or at the nearest row (``interp_method='round'``). Before ``t0`` it reads
``before_t0`` (0 by default; a number or array fills the rows before the target's own value at ``t0``,
a function of ``t`` is called for times before ``t0``). BrainPy 2.8.2's arithmetic, float32 clock included
(tests/brainpy/test_time_delay.py; float64 after ``bm.enable_x64()``, as BrainPy's:
tests/brainpy/test_examples_s41.py). As ``LengthDelay``: a node whose ``data``, ``idx`` and ``current_time``
Variables belong to the model that holds it; the model's ``update`` calls
``delay.update(x)``. A read outside the kept history inside a run (where the time is traced and cannot be
refused, as BrainPy does) reads NaN, which a sweep's checks name, instead of wrapping around the ring.
"""
from __future__ import annotations

from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np

from ...core import DynamicalSystem
from ...core.checks import is_traced
from ...core.context import get_dt
from ...core.units import to_convention
from ...core.variable import Variable, unwrap
from ...errors import check_choice, is_real
from ...models.inputs import float_dtype
from ._delays import check_history, fit_history

__all__ = ["TimeDelay", "NeuTimeDelay"]

_METHODS = ("linear_interp", "round")


class TimeDelay(DynamicalSystem):
    """``bm.TimeDelay(delay_target, delay_len, before_t0=None, t0=0., dt=None, interp_method='linear_interp')``.

    >>> import brainbatch.brainpy.math as bm
    >>> d = bm.TimeDelay(bm.zeros(2), delay_len=0.2, dt=0.1)
    >>> for k in (1.0, 2.0, 3.0):
    ...     d.update(bm.ones(2) * k)
    >>> d(0.3).tolist(), d(0.15).tolist()
    ([3.0, 3.0], [1.5, 1.5])
    """

    # made in reset: declared for the type checker only
    data: Variable
    idx: Variable
    current_time: Variable

    def __init__(self, delay_target: Any, delay_len: Any, before_t0: Any = None, t0: Any = 0.0, dt: Any = None,
                 name: str | None = None, interp_method: str = "linear_interp") -> None:
        super().__init__(name=name)
        self.interp_method = check_choice("TimeDelay interp_method", interp_method, _METHODS)
        self.dt = get_dt() if dt is None else to_convention("TimeDelay dt", dt, "ms")
        if not is_real(self.dt) or not float(self.dt) > 0 or not np.isfinite(float(self.dt)):
            raise ValueError(f"TimeDelay: dt must be a number of ms > 0, got {dt!r}")
        self.reset(delay_target, delay_len, t0, before_t0)

    def reset(self, delay_target: Any, delay_len: Any, t0: Any = 0.0,  # type: ignore[override]  # BrainPy's reset
              before_t0: Any = None) -> None:
        """Start over at ``t0``: the target's value there, ``before_t0`` before it."""
        target = unwrap(delay_target)
        if not hasattr(target, "shape"):
            raise ValueError(f"TimeDelay: delay_target must be an array or a Variable, got {type(target).__name__} "
                             f"{target!r}")
        target = jnp.asarray(target)
        delay_len, t0 = to_convention("TimeDelay delay_len", delay_len, "ms"), to_convention("TimeDelay t0", t0, "ms")
        if not is_real(delay_len) or not float(delay_len) >= 0 or not np.isfinite(float(delay_len)):
            raise ValueError(f"TimeDelay: delay_len must be a time in ms >= 0, got {delay_len!r}")
        if not is_real(t0) or not np.isfinite(float(t0)):
            raise ValueError(f"TimeDelay: t0 must be a time in ms, got {t0!r}")
        self.t0, self.delay_len = t0, delay_len
        # BrainPy divides in Python and rounds up in JAX's default float (jnp.ceil of a weakly typed float): float32,
        # float64 after bm.enable_x64() (0.07 / 0.01 = 7.000000000000001: 9 rows there, 8 in float32); its clock
        # is a Variable of that float too (bm.get_float()), so x64 delay equations read their times in float64
        wide = float_dtype()
        rows = int(np.ceil(np.asarray(delay_len / self.dt, wide))) + 1
        check_history(f"TimeDelay: delay_len {delay_len} ms at dt {self.dt} ms", rows, target,
                      "give a shorter delay or a larger dt")
        self.num_delay_step = rows
        data = jnp.zeros((self.num_delay_step,) + target.shape, target.dtype)
        self._before: Callable[[Any], jax.Array] | None = None
        if before_t0 is None:
            pass
        elif callable(before_t0):
            fn = before_t0

            def before(t: Any) -> jax.Array:  # read at each time before t0: its value has the target's shape
                value = jnp.asarray(unwrap(fn(t)), target.dtype)
                try:
                    return jnp.broadcast_to(value, target.shape)
                except ValueError:
                    raise ValueError(f"TimeDelay: before_t0(t) returned shape {tuple(value.shape)}; it must return "
                                     f"a number or an array of the target's shape {tuple(target.shape)}") from None

            self._before = before
        elif is_real(before_t0) or hasattr(unwrap(before_t0), "shape"):
            data = data.at[:-1].set(fit_history("TimeDelay: before_t0", jnp.asarray(unwrap(before_t0), target.dtype),
                                                (rows - 1, *target.shape)))
        else:
            raise ValueError(f"TimeDelay: before_t0 must be a number, an array or a function of t, got "
                             f"{type(before_t0).__name__} {before_t0!r}")
        data = data.at[-1].set(target)
        axis = delay_target.batch_axis + 1 if isinstance(delay_target, Variable) and \
            delay_target.batch_axis is not None else None
        for name, value, batch_axis, text in (
                ("data", data, axis, "the delayed values: the oldest at row idx, the newest just before it"),
                ("idx", jnp.zeros((1,), jnp.int32), None, "the row the next update writes"),
                ("current_time", jnp.asarray([t0], wide), None, "the time of the newest value (ms)")):
            existing = self.__dict__.get(name)
            if isinstance(existing, Variable):  # refilled in place: references to it stay valid
                existing._value, existing.batch_axis = value, batch_axis
            else:
                setattr(self, name, Variable(value, batch_axis=batch_axis, description=text))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # BrainPy: calling the delay reads it; a network's own update (no arguments) leaves it alone
        return self.retrieve(*args, **kwargs) if args or kwargs else None

    def retrieve(self, time: Any, indices: Any = None) -> jax.Array:
        """The value at ``time`` (ms), in ``[current_time - delay_len, current_time]``; at ``indices`` of it."""
        time = to_convention("TimeDelay time", unwrap(time), "ms")
        now = self.current_time.value[0]
        if not is_traced(time) and not is_traced(now):
            if not np.isfinite(float(time)):
                raise ValueError(f"TimeDelay: the time read must be a finite time in ms, got {time!r}")
            if float(time) > float(now) + 1e-6:
                raise ValueError(f"TimeDelay: the time read ({float(time):g} ms) is after the newest value "
                                 f"({float(now):g} ms)")
            if float(time) < float(now) - float(self.delay_len) - float(self.dt):
                raise ValueError(f"TimeDelay: the time read ({float(time):g} ms) is before the oldest value kept "
                                 f"({float(now) - float(self.delay_len):g} ms: delay_len {self.delay_len} back)")
        out = self._after_t0(time)
        if self._before is not None:
            out = jnp.where(time < self.t0, self._before(time), out)
        if jnp.issubdtype(out.dtype, jnp.inexact) and (is_traced(time) or is_traced(now)):
            # inside a run the time is traced and cannot be refused (BrainPy raises there): a read outside the kept
            # history would wrap around the ring onto other values, so it reads NaN, which the run's checks name
            outside = (time > now + 1e-6) | (time < now - self.delay_len - self.dt) | ~jnp.isfinite(time)
            out = jnp.where(outside, jnp.nan, out)
        if indices is None:
            return out
        indices = unwrap(indices)
        if not out.shape:
            raise ValueError("TimeDelay: indices need an array target; this delay holds one number")
        if not is_traced(indices):
            picked = np.asarray(indices)
            if picked.dtype.kind in "iu" and ((picked >= out.shape[0]) | (picked < -out.shape[0])).any():
                raise ValueError(f"TimeDelay: indices {indices!r} are out of range for a target of "
                                 f"{out.shape[0]} elements")
        return out[indices]

    def _after_t0(self, time: Any) -> jax.Array:
        diff = self.delay_len - (self.current_time.value[0] - time)
        idx, n, data = self.idx.value[0], self.num_delay_step, self.data.value
        if self.interp_method == "round":
            return data[(idx + jnp.round(diff / self.dt).astype(jnp.int32)) % n]
        steps = jnp.asarray(diff / self.dt).astype(jnp.int32)  # toward zero, as BrainPy's int32 cast
        extra = diff - steps * self.dt
        rows = data[jnp.stack([idx + steps, idx + steps + 1]) % n]
        flat = rows.reshape(2, -1)
        # BrainPy's jnp.interp over [0, dt], one element at a time (the same float32 arithmetic)
        between = jax.vmap(jnp.interp, in_axes=(None, None, 1))(extra, jnp.asarray([0.0, self.dt]), flat)
        return jnp.where(extra == 0.0, rows[0], between.reshape(rows.shape[1:]))

    def update(self, value: Any) -> None:
        """Write ``value`` as the newest entry; the delay's clock moves on by ``dt``."""
        value = jnp.broadcast_to(jnp.asarray(unwrap(value), self.data.dtype), self.data.shape[1:])
        idx = self.idx.value
        self.data.value = self.data.value.at[idx[0]].set(value)
        self.current_time.value = self.current_time.value + self.dt
        self.idx.value = (idx + 1) % self.num_delay_step

    def reset_state(self, batch_size: int | None = None) -> None:
        """Nothing to draw: the data stay as ``reset`` made them (BrainPy's delay has no reset_state)."""

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(delay_len={self.delay_len}, num_delay_step={self.num_delay_step}, "
                f"interp_method={self.interp_method!r})")


NeuTimeDelay = TimeDelay
