"""Delays as ring buffers of whole steps (docs/step-order.md).

A read with ``n >= 1`` steps during step ``i`` returns the value recorded at the end of step ``i - n``;
``n = 0`` is the current value; reads before enough history exist return the initial value. All delays
of one variable share one buffer, held by the variable's owner as the implicit child ``<var>_delay``.
Slot ``idx`` is the next one to write, so ``n`` steps ago is slot ``(idx - n) % L`` — one rule for every
reader, which is what BrainPy's shared buffers got wrong.

A ``Delay`` is a ``Node`` (not a ``DynamicalSystem``): the registry that makes them for users
(``delay_registry.py``) sits below ``base.py``, and core imports point one way.
"""
from __future__ import annotations

from typing import Any, cast

import jax
import jax.numpy as jnp
import numpy as np

from .checks import is_traced
from .context import share
from .errors import unknown_name_error
from .node import Node
from .units import is_quantity, to_convention
from .variable import Variable

__all__ = ["Delay", "delay_steps_from_time"]


#: what a delay that is not whole steps should be instead, where round_to_step is not an option
WHOLE_STEPS = "use a multiple of dt (or a dt that divides it)"


def delay_steps_from_time(delay_ms: Any, dt: float, round_to_step: bool = False,
                          how: str = "use a multiple of dt or pass round_to_step=True") -> Any:
    """``round(delay/dt)`` as int (or int array); an error names ``delay`` if it is not a whole number of steps.

    >>> delay_steps_from_time(1.5, 0.1)
    15
    """
    if is_traced(delay_ms):
        raise TypeError(
            "a delay sets the size of a buffer and must be a concrete number, not a traced value; "
            "sweep it as a static parameter"
        )
    delay_ms = _in_ms(delay_ms)
    raw = np.asarray(delay_ms)
    if raw.dtype.kind not in "iuf":  # '1' would read as 1 ms, True as 1 ms: a delay is a number of ms
        raise TypeError(f"a delay is a number of milliseconds (or an array of them), got {delay_ms!r}")
    arr = raw.astype(np.float64)
    if np.any(~np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"delays must be finite and >= 0 ms, got {delay_ms!r}")
    steps = arr / dt
    rounded = np.rint(steps)
    off = np.abs(steps - rounded) > 1e-6
    if off.any():
        # a float32 delay (a list of quantities converts to float32, as a model's parameters do) is a whole number
        # of steps when it is the float32 of one: 100.1 ms was "not a whole number of steps (1001 steps)"
        off &= np.float32(arr) != np.float32(rounded * dt)
    if not round_to_step and np.any(off):
        bad = arr.ravel()[np.argmax((np.abs(steps - rounded) * off).ravel())]
        digits = 7 if raw.dtype.itemsize <= 4 else 10  # 100.10001 ms is not "100.1 ms"; a float32 0.15 is 0.15
        shown, shown_steps = f"{float(bad):.{digits}g}", f"{float(bad) / dt:.{digits}g}"
        raise ValueError(
            f"delay {shown} ms is not a whole number of steps of dt={dt:g} ms ({shown_steps} steps); {how} "
            "(the dt in force: bb.set_dt or `with bb.environment(dt=...)` where a model is built, a Runner's dt "
            "while it runs; build a model under the dt it runs with)"
        )
    if np.any(rounded > MAX_DELAY_STEPS):  # its ring buffer would hold that many past values of every neuron
        bad = float(arr.ravel()[np.argmax(rounded.ravel())])
        raise ValueError(f"delay {bad:g} ms is {bad / dt:.3g} steps of dt={dt:g} ms, more than a delay buffer holds "
                         f"({MAX_DELAY_STEPS} steps, {MAX_DELAY_STEPS * dt:g} ms at this dt)")
    rounded = rounded.astype(np.int32)
    return int(rounded) if rounded.ndim == 0 else rounded


def _in_ms(delay: Any) -> Any:
    """A delay given with a unit (``1.5 * u.ms``, a list or array of them) as plain ms; any other value as given."""
    if is_quantity(delay) or (isinstance(delay, (list, tuple)) and any(is_quantity(d) for d in delay)):
        return to_convention("delay", delay, "ms", strict=False)  # a potential is a UnitMismatch naming it
    return delay


#: The longest delay in steps: a ring buffer of every neuron's last 16.7 M values is already far past any
#: conduction delay (28 minutes at dt 0.1 ms), and past 2**31 the step counts overflow int32.
MAX_DELAY_STEPS = 2**24


def _check_steps(steps: Any, name: str) -> Any:
    if is_quantity(steps) or (isinstance(steps, (list, tuple)) and any(is_quantity(s) for s in steps)):
        # brainunit's "Only dimensionless quantities can be converted to NumPy arrays" named nothing
        raise TypeError(f"delay steps of {name!r} are a number of steps, got {steps!r}; a delay in time is "
                        "register_local_delay(var_name, delay_name, delay) (ms or a time quantity), or "
                        "bb.delay_steps_from_time(delay, dt) steps")
    if is_traced(steps):
        raise TypeError(
            f"delay steps of {name!r} must be concrete integers when registered (they size a buffer), "
            "got a traced value; reads may be traced"
        )
    arr = np.asarray(steps)
    if arr.dtype.kind == "f" and np.all(arr == np.rint(arr)):
        arr = arr.astype(np.int64)
    if arr.dtype.kind not in "iu" or np.any(arr < 0):
        raise ValueError(f"delay steps must be integers >= 0, got {steps!r} for {name!r}")
    if np.any(arr > MAX_DELAY_STEPS):
        raise ValueError(f"delay steps of {name!r} must be at most {MAX_DELAY_STEPS}, got {int(np.max(arr))}")
    return int(arr) if arr.ndim == 0 else arr.astype(np.int32)


class Delay(Node):
    """The ring buffer of one variable. Created through ``register_delay``/``register_local_delay``."""

    update_phase = "record"
    #: refilled after its owner's ``reset_state`` (node.py, ``_initial_values``), whatever that method does
    follows_owner_reset = True

    def __init__(self, target: Variable, initial: Any = None):
        super().__init__()
        self._target = target
        self._initial = initial
        self._requests: dict[str, tuple] = {}
        self._reset_value = None  # the target's value at the last reset (concrete), for rows added later
        self.data = Variable(jnp.zeros((0,) + target.shape, target.dtype))
        self.idx = Variable(jnp.zeros((), jnp.int32))

    @property
    def target(self) -> Variable:
        return self._target

    def _steps_of(self, request: tuple) -> Any:
        if request[0] == "steps":
            return request[1]
        return delay_steps_from_time(request[1], share.dt, request[2])

    @property
    def max_steps(self) -> int:
        """Buffer length: the longest registered delay in steps."""
        return max((int(np.max(self._steps_of(r))) for r in self._requests.values()), default=0)

    def register_steps(self, name: str, steps: Any) -> None:
        if steps is None:
            steps = 0
        self._requests[name] = ("steps", _check_steps(steps, name))
        self._grow()

    def register_time(self, name: str, delay_ms: Any, round_to_step: bool = False) -> None:
        delay_ms = _in_ms(delay_ms)  # converted once: resolved again with the dt of each run
        delay_steps_from_time(delay_ms, share.dt, round_to_step)  # validate now, resolve with the run's dt
        self._requests[name] = ("ms", delay_ms, round_to_step)
        self._grow()

    def history_from(self, value: Any, rows: int) -> jax.Array | None:
        """The ``rows`` a run that starts its target at ``value`` (set by hand, not by reset) holds before any
        step: ``value`` in each, as a reset fills them from the reset value; None when the delay has its own
        initial data (``initial_delay_data``), which a start value does not change."""
        if self._initial is not None:
            return None
        value = jnp.asarray(value, self._target.dtype)
        return jnp.broadcast_to(value, (rows,) + value.shape)

    def _initial_rows(self, n: int) -> jax.Array:
        shape = (n,) + self._target.shape
        init = self._initial
        if init is None:
            kept = self._reset_value
            row = kept if kept is not None and kept.shape == self._target.shape else self._target.value
        elif callable(init):
            row = jnp.asarray(init(self._target.shape, self._target.dtype))
        else:
            row = jnp.asarray(init, self._target.dtype)
        return jnp.broadcast_to(jnp.asarray(row, self._target.dtype), shape)

    def _grow(self) -> None:
        """Lengthen the buffer, keeping its history in order (oldest first, next write at slot 0)."""
        length, old = self.max_steps, self.data.value
        if length <= old.shape[0] and old.shape[1:] == self._target.shape:
            return
        if old.shape[0] == 0 or old.shape[1:] != self._target.shape:
            self.reset_state()
            return
        history = jnp.roll(old, -self.idx.value, axis=0)
        self.data._value = jnp.concatenate([self._initial_rows(length - old.shape[0]), history], axis=0)
        self.idx._value = jnp.zeros((), jnp.int32)

    def reset_state(self, batch_size: int | None = None) -> None:
        value = self._target.value
        # Rows added when a longer delay is registered later hold this initial value too. A reset
        # under a transform sees a tracer: never keep one on the object.
        self._reset_value = None if is_traced(value) else value
        self.data._value = self._initial_rows(self.max_steps)
        axis = self._target.batch_axis
        self.data.batch_axis = None if axis is None else axis + 1
        self.idx._value = jnp.zeros((), jnp.int32)

    def update(self, *args: Any) -> None:
        """Record the target's value of this step."""
        length = self.data.value.shape[0]
        if length == 0:
            return
        idx = self.idx.value
        self.data.value = jax.lax.dynamic_update_index_in_dim(self.data.value, self._target.value, idx, 0)
        self.idx.value = (idx + 1) % length

    def retrieve_steps(self, steps: Any) -> jax.Array:
        """The target's value ``steps`` steps ago (an int or per-element ints, concrete or traced).

        Reads are bounded by the buffer length ``L`` (the longest registered delay): a concrete step
        outside ``[0, L]`` is an error; a traced one cannot be checked, so it is clipped to ``[0, L]``.
        """
        length = self.data.value.shape[0]
        if is_traced(steps):
            steps = jnp.asarray(steps)
            if not jnp.issubdtype(steps.dtype, jnp.integer):
                raise TypeError(f"traced delay steps must be integers, got dtype {steps.dtype}")
            return self._read(jnp.clip(steps, 0, length), length)
        steps = _check_steps(steps, "read")
        if np.max(steps) > length:
            raise ValueError(
                f"a delay of {int(np.max(steps))} steps was not registered for this variable "
                f"(its buffer holds {length} steps); register it first"
            )
        if np.ndim(steps) == 0 and steps == 0:
            return self._target.value
        return self._read(steps, length)

    def _read(self, steps: Any, length: int) -> jax.Array:
        """Slot ``(idx - n) % L`` holds the value ``n`` steps ago; ``n = 0`` is the current value."""
        current = self._target.value
        if length == 0:
            return current
        data = self.data.value
        if np.ndim(steps) == 0:
            past = jax.lax.dynamic_index_in_dim(data, (self.idx.value - steps) % length, 0, keepdims=False)
            return past if isinstance(steps, (int, np.integer)) else jnp.where(steps == 0, current, past)
        shape = tuple(np.shape(steps))
        try:
            fits = np.broadcast_shapes(shape, data.shape[1:]) == data.shape[1:]
        except ValueError:  # JAX's "Incompatible types for broadcasting: input type=int32[2] ..." named no delay
            fits = False
        if not fits:
            raise ValueError(f"per-element delay steps of shape {shape} do not fit the delayed variable's shape "
                             f"{tuple(data.shape[1:])}: give one step count, or one per element")
        per = jnp.broadcast_to(jnp.asarray(steps), data.shape[1:])
        slots = (self.idx.value - per) % length
        past = jnp.take_along_axis(data, slots[None], axis=0)[0]
        return jnp.where(per == 0, current, past)

    def retrieve(self, name: str) -> jax.Array:
        """The value at the delay registered under ``name``."""
        if name not in self._requests:
            raise unknown_name_error("delay", name, self._requests)
        return self.retrieve_steps(self._steps_of(self._requests[name]))


def delay_of(var: Variable, requester: Node, initial: Any) -> Delay:
    """The shared buffer of ``var``, created on its owner the first time."""
    owner = var._owner() if var._owner is not None else None
    owner = owner if owner is not None else requester
    attr = next((k for k, v in owner.__dict__.items() if v is var), None)
    if attr is None:
        attr = next((k for k, v in owner.implicit_vars.items() if v is var), f"var{id(var)}")
    key = f"{attr.lstrip('_')}_delay"
    delay = cast("Delay | None", owner.implicit_nodes.get(key))
    if delay is None:
        delay = Delay(var, initial)
        owner.register_implicit_nodes(**cast(dict[str, Any], {key: delay}))
    elif initial is not None and delay._initial is None:
        delay._initial = initial
        delay.reset_state()
    elif initial is not None and not _same_initial(initial, delay._initial):
        # one buffer per variable (docs/step-order.md): one history before the run, so two differing asks
        # cannot both hold; the second was dropped without a word
        raise ValueError(f"the delays of {owner.name}.{attr} share one buffer, whose history before the run is "
                         f"already {delay._initial!r} (an earlier initial_delay_data); this one asks "
                         f"{initial!r}: give them the same initial_delay_data, or none")
    return delay


def _same_initial(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if callable(a) or callable(b):
        return False
    try:
        return bool(np.array_equal(np.asarray(a), np.asarray(b)))
    except (TypeError, ValueError):
        return False
