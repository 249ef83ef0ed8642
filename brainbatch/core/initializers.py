"""Initializers for variables and parameters: constant, uniform, normal (optionally truncated), lognormal.

An initializer is called as ``init(shape, dtype, key)``; random ones need the key, which a node passes
from its init stream (``DynamicalSystem.init_key``), so initial values come from the run key.
"""
from __future__ import annotations

import functools
import math
import operator
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from .checks import fits_shape, is_real, is_traced, refuse_beyond_float32
from .errors import MissingKeyError, NamedKeywords, ParameterShapeError

__all__ = ["Initializer", "Constant", "ZeroInit", "OneInit", "Uniform", "Normal", "TruncatedNormal", "LogNormal",
           "truncate", "parameter", "init_array", "draws_random"]


def as_shape(shape: Any, what: str = "init", name: str = "shape") -> tuple[int, ...]:
    """``shape`` (an int or a sequence of ints, as BrainPy's ``to_size`` takes) as a tuple; a float,
    a bool, text or a negative size is refused, naming ``what`` asked for it.

    >>> as_shape(3), as_shape((2, 4))
    ((3,), (2, 4))
    >>> as_shape(-1, "ZeroInit")
    Traceback (most recent call last):
    ...
    ValueError: ZeroInit: shape must not be negative, got -1
    """
    try:
        if isinstance(shape, (str, bytes)):
            raise TypeError
        items = [shape] if np.ndim(shape) == 0 else list(shape)
        if any(isinstance(n, (bool, np.bool_)) for n in items):
            raise TypeError
        out = tuple(operator.index(n) for n in items)
    except (TypeError, ValueError):
        raise TypeError(f"{what}: {name} must be an int or a tuple of ints, got {shape!r}") from None
    if any(n < 0 for n in out):
        raise ValueError(f"{what}: {name} must not be negative, got {shape!r}")
    return out


class Initializer(NamedKeywords):
    """Base class: ``__call__(shape, dtype=jnp.float32, key=None) -> array``."""

    #: the fields that hold values in the unit of what is initialized (converted with it, docs/units.md)
    unit_fields: tuple[str, ...] = ()

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

    unit_fields = ("value",)

    def __init__(self, value: Any = 0.0):
        self.value = value
        if value is None or isinstance(value, (str, bytes, dict)):
            raise TypeError(f"Constant(value): value must be a number, an array or a quantity, got {value!r}")
        arr = concrete_numbers(value)
        if arr is not None and not np.all(np.isfinite(arr)):  # a NaN start made every later value NaN, silently
            raise ValueError(f"Constant(value): value must be finite, got {value!r}")
        if arr is not None:
            refuse_beyond_float32("Constant(value): value", arr, value)

    def __call__(self, shape, dtype=jnp.float32, key=None):
        return _fitted(jnp.asarray(self.value, dtype=dtype), as_shape(shape, type(self).__name__), self)


class ZeroInit(Constant):
    def __init__(self):
        super().__init__(0.0)


class OneInit(Constant):
    def __init__(self, value: Any = 1.0):
        super().__init__(value)


def _one_unit(init: Initializer, **fields: Any) -> None:
    """Refuse an initializer given some values with a unit and others as plain numbers: the plain ones
    would be read in the target's unit, not in the one the others show (``Uniform(-0.07 * u.volt, -60.)``).
    Zero and infinity mean the same in every unit and may stay plain.

    >>> import brainunit as u
    >>> Uniform(-70 * u.mV, -60.)
    Traceback (most recent call last):
    ...
    brainbatch.core.units.UnitMismatch: Uniform: min_val is given with a unit (-70 mV) but max_val is a plain number (-60.0); give max_val with its unit too
    """
    from .units import UnitMismatch, _bare_fields, _shown, is_quantity

    given = [(k, v) for k, v in fields.items() if is_quantity(v)]
    bare = _bare_fields(init, fields) if given else {}
    if bare:
        (name, value), plain = given[0], ", ".join(bare)
        shown = ", ".join(repr(np.asarray(v).tolist()) for v in bare.values())
        raise UnitMismatch(f"{type(init).__name__}: {name} is given with a unit ({_shown(value)}) but {plain} "
                           f"{'is a plain number' if len(bare) == 1 else 'are plain numbers'} ({shown}); give "
                           f"{plain} with {'its unit' if len(bare) == 1 else 'their units'} too")


def _numeric(init: Initializer, **fields: Any) -> None:
    """Refuse a field that is no number, array or quantity (text, None, a dict): unchecked, it failed deep inside
    the first draw ("Only integer scalar arrays can be converted to a scalar index")."""
    from .units import is_quantity

    for name, value in fields.items():
        if is_traced(value) or is_quantity(value):
            continue
        bad = value is None or isinstance(value, (str, bytes, dict, bool))
        if not bad:
            try:
                bad = np.asarray(value).dtype.kind not in "iuf"
            except Exception:  # noqa: BLE001 - ragged lists and objects
                bad = True
        if bad:
            raise TypeError(f"{type(init).__name__}: {name} must be a number or an array of numbers (or a quantity), "
                            f"got {value!r}")


def concrete_numbers(value: Any, like: Any = None) -> np.ndarray | None:
    """``value`` as a float NumPy array when it is concrete numbers, else ``None`` (a traced swept
    parameter, an array JAX still computes): what a constructor can check right away. A quantity gives
    its numbers in the unit of ``like`` (another quantity: two bounds compared in one unit), else in its
    own; one whose dimension differs from ``like``'s gives ``None`` (its conversion reports it).

    >>> concrete_numbers(2), concrete_numbers("x")
    (array(2.), None)
    """
    if is_traced(value) or isinstance(value, (str, bytes)):
        return None
    from .units import brainunit as u, is_quantity

    if is_quantity(value):
        unit = u.get_unit(like) if is_quantity(like) else u.get_unit(value)
        try:
            return concrete_numbers(value.to_decimal(unit))
        except Exception:  # noqa: BLE001 - another dimension than like's, or a traced mantissa
            return None
    try:
        return np.asarray(value, dtype=np.float64)
    except Exception:  # noqa: BLE001 - quantities, tracers and objects: checked where they are used
        return None


class Uniform(Initializer):
    """Uniform on ``[min_val, max_val)``.

    >>> Uniform(1.0, 0.0)
    Traceback (most recent call last):
    ...
    ValueError: Uniform(min_val, max_val) needs finite bounds with min_val <= max_val, got 1.0, 0.0
    """

    unit_fields = ("min_val", "max_val")

    def __init__(self, min_val: Any = 0.0, max_val: Any = 1.0):
        _numeric(self, min_val=min_val, max_val=max_val)
        _one_unit(self, min_val=min_val, max_val=max_val)
        low, high = concrete_numbers(min_val), concrete_numbers(max_val, like=min_val)
        if low is not None and high is not None and not (np.all(np.isfinite(low)) and np.all(np.isfinite(high))
                                                         and np.all(low <= high)):
            raise ValueError(f"Uniform(min_val, max_val) needs finite bounds with min_val <= max_val, "
                             f"got {min_val!r}, {max_val!r}")
        if low is not None and high is not None and np.any(np.abs(np.asarray(high, float) - low) > _F32_MAX):
            raise ValueError(f"Uniform(min_val, max_val): the range {min_val!r} .. {max_val!r} is wider than float32 "
                             "holds (the values are drawn in float32)")
        self.min_val, self.max_val = min_val, max_val

    def __call__(self, shape, dtype=jnp.float32, key=None):
        _need_key(self, key)
        shape = as_shape(shape, type(self).__name__)
        return jax.random.uniform(key, shape, dtype, 0.0, 1.0) * (self.max_val - self.min_val) + self.min_val


class Normal(Initializer):
    """Normal with mean ``mean`` and standard deviation ``scale``.

    ``keep_sign=True`` draws again every value whose sign differs from the mean's (NEST's
    ``redraw(normal(...), min=0)`` for excitatory and ``max=0`` for inhibitory weights): the
    normal truncated to the mean's half-line, sampled exactly by inverse CDF, not clipped.

    >>> Normal(-55., 2.)((2,), key=jax.random.key(0)).shape
    (2,)
    >>> bool((Normal(0.1, 1.0, keep_sign=True)((1000,), key=jax.random.key(0)) >= 0).all())
    True
    """

    unit_fields = ("mean", "scale")

    def __init__(self, mean: Any = 0.0, scale: Any = 1.0, keep_sign: bool = False):
        _numeric(self, mean=mean, scale=scale)
        _one_unit(self, mean=mean, scale=scale)
        m, s = concrete_numbers(mean), concrete_numbers(scale, like=mean)
        if m is not None and not np.all(np.isfinite(m)):
            raise ValueError(f"Normal mean must be finite, got {mean!r}")
        if s is not None and not np.all(np.isfinite(s) & (s >= 0)):
            raise ValueError(f"Normal scale must be a finite number >= 0, got {scale!r}")
        # drawn in float32: a finite mean or scale beyond it drew inf for every neuron, silently
        for name, numbers, value in (("mean", m, mean), ("scale", s, scale)):
            if numbers is not None:
                refuse_beyond_float32(f"Normal {name}", numbers, value)
        self.mean, self.scale, self.keep_sign = mean, scale, bool(keep_sign)

    def __call__(self, shape, dtype=jnp.float32, key=None):
        _need_key(self, key)
        shape = as_shape(shape, type(self).__name__)
        if self.keep_sign:
            positive = jnp.asarray(self.mean) >= 0
            low = jnp.where(positive, 0.0, -jnp.inf)
            high = jnp.where(positive, jnp.inf, 0.0)
            return TruncatedNormal(self.mean, self.scale, low, high)(shape, dtype, key)
        return (jax.random.normal(key, shape, dtype) * self.scale + self.mean).astype(dtype)


class TruncatedNormal(Initializer):
    """Normal(``mean``, ``scale``) restricted to ``[low, high]``: values outside are drawn again
    (NEST's ``redraw``), sampled exactly by the inverse CDF, one uniform per value (no loop).

    >>> x = TruncatedNormal(1.5, 0.75, low=0.1, high=5.)((10000,), key=jax.random.key(0))
    >>> bool(x.min() >= 0.1), bool(x.max() <= 5.)
    (True, True)
    """

    unit_fields = ("mean", "scale", "low", "high")

    def __init__(self, mean: Any = 0.0, scale: Any = 1.0, low: Any = -math.inf, high: Any = math.inf):
        _numeric(self, mean=mean, scale=scale, low=low, high=high)
        _one_unit(self, mean=mean, scale=scale, low=low, high=high)
        self.mean, self.scale, self.low, self.high = mean, scale, low, high
        # bounds with units are compared in one unit (low's); the model converts every field to its own
        lo, hi = concrete_numbers(low), concrete_numbers(high, like=low)
        _no_nan_bounds("TruncatedNormal", lo, low, hi, high)
        if lo is not None and hi is not None and np.any(lo >= hi):
            raise ValueError(f"TruncatedNormal needs low < high, got low={low!r}, high={high!r}")
        m, sd = concrete_numbers(mean), concrete_numbers(scale, like=mean)
        if m is not None and not np.all(np.isfinite(m)):
            raise ValueError(f"TruncatedNormal mean must be finite, got {mean!r}")
        if sd is not None and not np.all(np.isfinite(sd) & (sd >= 0)):
            raise ValueError(f"TruncatedNormal scale must be a finite number >= 0, got {scale!r}")
        for name, numbers, value in (("mean", m, mean), ("scale", sd, scale), ("low", lo, low), ("high", hi, high)):
            if numbers is not None:  # drawn in float32, as Normal's (infinite bounds are no bounds)
                refuse_beyond_float32(f"TruncatedNormal {name}", numbers, value)

    def __call__(self, shape, dtype=jnp.float32, key=None):
        _need_key(self, key)
        shape = as_shape(shape, type(self).__name__)
        mean, scale = jnp.asarray(self.mean, jnp.float32), jnp.asarray(self.scale, jnp.float32)
        a = (jnp.asarray(self.low, jnp.float32) - mean) / scale
        b = (jnp.asarray(self.high, jnp.float32) - mean) / scale
        z = jax.random.truncated_normal(key, a, b, shape, jnp.float32)
        # far in a tail that sampler's float32 erf rounds to 1 (6..7 sd gave 7 every time): there the inverse
        # CDF runs on the tail's own side, where ndtr keeps its precision (a right tail mirrored to the left)
        tail = (a > _TAIL) | (b < -_TAIL)
        if self._may_reach_a_tail():  # bounds known now (the usual case): the tail sampler only where needed
            z = jnp.where(tail, _tail_normal(key, a, b, shape), z)
        # the bounds hold exactly even where float32 rounding of mean + scale * z would step over them
        x = jnp.clip(mean + scale * z, self.low, self.high)
        return x.astype(dtype)

    def _may_reach_a_tail(self) -> bool:
        """False when the bounds, mean and scale are concrete numbers with no interval wholly beyond ``_TAIL``
        standard deviations (inside a trace, in NumPy: those values are the constructor's, not traced)."""
        m, sd = concrete_numbers(self.mean), concrete_numbers(self.scale, like=self.mean)
        lo, hi = concrete_numbers(self.low, like=self.mean), concrete_numbers(self.high, like=self.mean)
        if m is None or sd is None or lo is None or hi is None:
            return True
        with np.errstate(divide="ignore", invalid="ignore"):
            a, b = (lo - m) / sd, (hi - m) / sd
        return bool(np.any((a > _TAIL) | (b < -_TAIL)))


#: The largest float32: a range wider than this draws inf.
_F32_MAX = float(np.finfo(np.float32).max)

#: Standard deviations beyond which a truncated normal lying wholly on one side is drawn by ``_tail_normal``.
_TAIL = 3.0


def _tail_normal(key: jax.Array, a: jax.Array, b: jax.Array, shape: tuple) -> jax.Array:
    """Standard normal on ``[a, b]`` by the inverse CDF on the left side (``[a, b]`` mirrored when right of
    0), where float32 ``ndtr`` and ``ndtri`` resolve tail probabilities down to 1e-38 (about 13 sd)."""
    from jax.scipy.special import ndtr, ndtri

    right = a > 0
    lo, hi = jnp.where(right, -b, a), jnp.where(right, -a, b)
    p_lo, p_hi = ndtr(lo), ndtr(hi)
    u = jax.random.uniform(key, shape, jnp.float32)
    p = jnp.clip(p_lo + u * (p_hi - p_lo), jnp.maximum(p_lo, jnp.finfo(jnp.float32).tiny), p_hi)
    z = jnp.clip(ndtri(p), lo, hi)
    return jnp.where(right, -z, z)


class LogNormal(Initializer):
    """``exp(N(mu, sigma))`` (NumPy's and NEST's parameters: mean and sd of the log), optionally
    restricted to ``[low, high]`` by redrawing (inverse CDF on the log scale).

    >>> x = LogNormal(0.0, 0.5)((20000,), key=jax.random.key(0))
    >>> abs(float(jnp.log(x).mean())) < 0.02, bool(x.min() > 0)
    (True, True)
    """

    unit_fields = ("low", "high")  # mu and sigma are of the log

    def __init__(self, mu: Any = 0.0, sigma: Any = 1.0, low: Any = 0.0, high: Any = math.inf):
        _numeric(self, mu=mu, sigma=sigma, low=low, high=high)
        from .units import is_quantity

        for name, value in (("mu", mu), ("sigma", sigma)):
            if is_quantity(value):  # log(x) has no unit: a unit here was the value's, meant for another field
                raise TypeError(f"LogNormal: {name} is of log(x) and takes a plain number, got {value!r}; the value "
                                "in the target's unit is exp(mu), and low/high may carry units")
        _one_unit(self, low=low, high=high)
        self.mu, self.sigma, self.low, self.high = mu, sigma, low, high
        m, sd = concrete_numbers(mu), concrete_numbers(sigma, like=mu)
        if m is not None and not np.all(np.isfinite(m)):
            raise ValueError(f"LogNormal mu must be finite, got {mu!r}")
        if sd is not None and not np.all(np.isfinite(sd) & (sd >= 0)):
            raise ValueError(f"LogNormal sigma must be a finite number >= 0, got {sigma!r}")
        lo, hi = concrete_numbers(low), concrete_numbers(high, like=low)
        _no_nan_bounds("LogNormal", lo, low, hi, high)
        if lo is not None and hi is not None and np.any(lo >= hi):
            raise ValueError(f"LogNormal needs low < high, got low={low!r}, high={high!r}")
        for name, numbers, value in (("mu", m, mu), ("sigma", sd, sigma), ("low", lo, low), ("high", hi, high)):
            if numbers is not None:  # drawn in float32: 1e40 became inf (every value inf, or 0 for a bound)
                refuse_beyond_float32(f"LogNormal {name}", numbers, value)

    def __call__(self, shape, dtype=jnp.float32, key=None):
        _need_key(self, key)
        shape = as_shape(shape, type(self).__name__)
        log_low = jnp.log(jnp.maximum(jnp.asarray(self.low, jnp.float32), 0.0))
        log_high = jnp.log(jnp.asarray(self.high, jnp.float32))
        x = jnp.exp(TruncatedNormal(self.mu, self.sigma, log_low, log_high)(shape, jnp.float32, key))
        return jnp.clip(x, self.low, self.high).astype(dtype)


def _no_nan_bounds(cls: str, lo: Any, low: Any, hi: Any, high: Any) -> None:
    """A NaN bound passed ``low < high`` (every comparison with NaN is false) and drew NaN values."""
    for name, numbers, value in (("low", lo, low), ("high", hi, high)):
        if numbers is not None and np.any(np.isnan(numbers)):
            raise ValueError(f"{cls} {name} must be a number (-inf and inf are no bound), got {value!r}")


def truncate(init: Any, low: float, high: float | None = None) -> Initializer:
    """``init`` restricted to ``[low, high]`` (values outside drawn again), for a distribution of delays.

    ``Normal`` and ``TruncatedNormal`` become a ``TruncatedNormal``, ``LogNormal`` keeps its family,
    ``Uniform`` and ``Constant`` must already lie inside (their bounds are checked by the caller).
    ``high=None`` keeps the initializer's own upper bound (for a normal: ``mean + 5 sd``).

    >>> truncate(Normal(1.5, 0.75), 0.1)
    TruncatedNormal(mean=1.5, scale=0.75, low=0.1, high=5.25)
    """
    top = upper_bound(init) if high is None else high
    if isinstance(init, (Normal, TruncatedNormal, LogNormal)):
        try:  # concrete parameters only: a traced mean (a swept delay) is checked by the distribution itself
            lo = float(max(low, getattr(init, "low", low)))
            hi = float(min(top, getattr(init, "high", top), upper_bound(init)))
        except (TypeError, ValueError, jax.errors.ConcretizationTypeError):
            lo, hi = 0.0, 1.0
        if not lo < hi:  # Normal(-5, 1) as a delay: the truncated normal's own "low < high" named neither
            raise ValueError(f"the delay distribution {init!r} has no value in [{lo:g}, {hi:g}] ms: delays are at "
                             f"least one step ({low:g} ms) and at most its mean + {SD_BOUND:g} sd (or its own bounds); "
                             "give a distribution of positive delays")
    if isinstance(init, TruncatedNormal):
        return TruncatedNormal(init.mean, init.scale, max(low, init.low), min(top, init.high))
    if isinstance(init, Normal):
        return TruncatedNormal(init.mean, init.scale, low if not init.keep_sign else max(low, 0.0), top)
    if isinstance(init, LogNormal):
        return LogNormal(init.mu, init.sigma, max(low, init.low), min(top, init.high))
    return init


#: how many standard deviations above the mean a distribution without an upper bound is cut when a
#: finite bound is needed (delay buffers): values beyond are redrawn; P(z > 5) = 2.9e-7
SD_BOUND = 5.0


def upper_bound(init: Any) -> float:
    """The largest value ``init`` can give (concrete), used to size delay buffers.

    >>> upper_bound(Normal(1.5, 0.75)), upper_bound(Uniform(0., 2.))
    (5.25, 2.0)
    """
    if isinstance(init, Constant):
        return float(np.max(np.asarray(init.value, np.float64)))
    if isinstance(init, Uniform):
        return float(np.max(np.asarray(init.max_val, np.float64)))
    if isinstance(init, TruncatedNormal):
        if math.isfinite(float(np.max(init.high))):
            return float(np.max(init.high))
        return float(np.max(np.asarray(init.mean) + SD_BOUND * np.asarray(init.scale)))
    if isinstance(init, Normal):
        return float(np.max(np.asarray(init.mean) + SD_BOUND * np.abs(np.asarray(init.scale))))
    if isinstance(init, LogNormal):
        if math.isfinite(float(np.max(init.high))):
            return float(np.max(init.high))
        return float(np.max(np.exp(np.asarray(init.mu) + SD_BOUND * np.asarray(init.sigma))))
    raise TypeError(f"cannot bound the values of {init!r}; give Constant, Uniform, Normal, TruncatedNormal "
                    "or LogNormal")


def _need_key(init: Initializer, key) -> None:
    if key is None:
        raise MissingKeyError(f"{init!r} draws random numbers and needs a key (pass key=...)")


def draws_random(init: Any) -> bool:
    """Whether ``init`` may need a key: a non-constant initializer or a callable (not a value).

    >>> draws_random(Normal(0., 1.)), draws_random(Constant(1.)), draws_random(0.5)
    (True, False, False)
    """
    if isinstance(init, Constant):
        return False
    return isinstance(init, Initializer) or (callable(init) and not hasattr(init, "shape"))


def init_array(init: Any, shape, dtype=jnp.float32, key=None) -> jax.Array:
    """Turn ``init`` (initializer, callable, scalar or array) into an array of ``shape``.

    Arrays must match ``shape`` or broadcast to it; the error names both shapes. Outside any trace
    (a model built eagerly) constants are made with NumPy and the built-in random initializers draw
    through one cached program per size bucket (``_eager_draw``), so building a model of many groups
    does not compile one small program per group shape; the values are those a trace gives.
    """
    shape = as_shape(shape, "init_array")
    if isinstance(init, Constant):
        init = init.value
    if isinstance(init, Initializer):
        if key is not None and type(init) in _BUCKETED and _eager():
            return _eager_draw(init, shape, dtype, key)
        return _fitted(init(shape, dtype, key), shape, init)
    if callable(init):
        try:
            out = init(shape, dtype, key)
        except TypeError:
            out = init(shape)
        # a wrong shape was kept as the variable's and failed far away (as an ODE's derivative shape)
        return _fitted(jnp.asarray(out, dtype=dtype), shape, init)
    if isinstance(init, jax.Array) and tuple(init.shape) == shape and init.dtype == np.dtype(dtype):
        # already the array wanted: kept, not copied (through the host, a drawn table of GBs was held
        # three times over while it was copied)
        return init
    if _eager() and not isinstance(init, jax.core.Tracer):
        arr = np.asarray(init, dtype=np.dtype(dtype))
        try:
            return jax.device_put(np.array(np.broadcast_to(arr, shape)))  # a transfer, not a compile (0-d kept)
        except ValueError:
            raise ValueError(f"initial value of shape {arr.shape} does not fit the variable shape {shape}") from None
    arr = jnp.asarray(init, dtype=dtype)
    try:
        return jnp.broadcast_to(arr, shape)
    except ValueError:
        raise ValueError(f"initial value of shape {arr.shape} does not fit the variable shape {shape}") from None


def _fitted(arr: Any, shape: tuple[int, ...], init: Any) -> jax.Array:
    """``arr`` broadcast to ``shape``, or an error naming the initializer ``init`` that made it and both shapes."""
    if tuple(jnp.shape(arr)) == shape:
        return arr
    if not fits_shape(jnp.shape(arr), shape):
        # named only here: the repr of an initializer holding arrays is long and slow to make
        what = repr(init) if isinstance(init, Constant) else f"initializer {getattr(init, '__qualname__', None) or init!r}"
        raise ParameterShapeError(f"{what} gave a value of shape {tuple(jnp.shape(arr))}, which does not fit the "
                                  f"variable shape {shape}; give one value or one of that shape")
    return jnp.broadcast_to(arr, shape)


def _eager() -> bool:
    """True outside any trace (jit, vmap, eval_shape): values are concrete and may be made on the host."""
    from .jax_compat import trace_state_clean  # JAX internals: jax_compat.py

    return trace_state_clean()


#: random initializers whose element i depends only on (key, i), not on the shape (JAX's partitionable
#: threefry draws element i from counter i): a draw of a larger size, cut, equals the draw of the size
_BUCKETED = (Uniform, Normal, TruncatedNormal, LogNormal)
#: the smallest bucket: every group up to this many neurons shares one compiled draw
_MIN_BUCKET = 4096


def _eager_draw(init: Initializer, shape: tuple, dtype, key) -> jax.Array:
    n = math.prod(shape)
    params = tuple(vars(init).items())
    if not all(isinstance(v, (bool, int, float)) for _, v in params) or not jax.config.jax_threefry_partitionable:
        return init(shape, dtype, key)
    bucket = max(_MIN_BUCKET, 1 << max(0, n - 1).bit_length())
    out = _drawer(type(init).__name__, params, bucket, np.dtype(dtype).name)(key)
    return jax.device_put(np.array(np.asarray(out)[:n].reshape(shape)))


@functools.lru_cache(maxsize=64)
def _drawer(cls_name: str, params: tuple, bucket: int, dtype: str):
    cls = next(c for c in _BUCKETED if c.__name__ == cls_name)
    init = cls.__new__(cls)
    init.__dict__.update(params)
    return jax.jit(lambda key: init((bucket,), jnp.dtype(dtype), key))


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
        if key is None and draws_random(value):
            try:
                return init_array(value, shape, dtype, key)
            except MissingKeyError:
                pass
            raise ValueError(f"{name}={value!r} draws random numbers, but a parameter is fixed when the model is "
                             f"made: give the values as an array (e.g. {value!r}({tuple(shape)}, "
                             "key=jax.random.key(0))), or keep them in a Variable set in reset_state") from None
        return init_array(value, shape, dtype, key)
    arr = jnp.asarray(value)
    if arr.ndim == 0:
        return arr
    try:
        full = jnp.broadcast_shapes(arr.shape, tuple(shape))
    except ValueError:
        raise ParameterShapeError(f"{name} has shape {arr.shape}, which does not broadcast to {tuple(shape)}") from None
    if full != tuple(shape):  # (n, 1) against (n,) would turn every per-neuron value into an (n, n) matrix
        raise ParameterShapeError(f"{name} has shape {arr.shape}, which would make the shape {full} out of {tuple(shape)}: "
                         f"give one value, or one per element ({tuple(shape)})")
    return arr
