"""Current waveforms as arrays over time (BrainPy's builders), for the runner's ``"iter"`` inputs.

Each returns an array whose leading axis is time, one row per step of ``dt`` (default: the global
``brainbatch.get_dt()``). Durations must be whole numbers of steps; values may be scalars, arrays
(one per neuron) or JAX values. Durations and ``dt`` may be quantities of time (``10 * u.ms``), and values
quantities (``[0 * u.pA, 50 * u.pA]``, or ``[0., 50 * u.pA]``: a plain zero is zero in any unit, another plain
number beside quantities is refused): the array is then a quantity in the first value's unit, which a Runner
input converts to its target's (docs/units.md).
"""
from __future__ import annotations

from typing import Any, Sequence

import jax
import jax.numpy as jnp
import numpy as np

from ...core import share
from ...core.checks import is_traced
from ...core.errors import keywords_named
from ...core.units import UnitMismatch, to_convention, unit_text, value_unit

__all__ = ["section_input", "constant_input", "ramp_input"]


def float_dtype() -> np.dtype:
    """JAX's default float, the input arrays' type: float32, float64 in JAX's 64-bit mode (``bm.enable_x64()``,
    ``JAX_ENABLE_X64=1``), as BrainPy's inputs follow it, so that ``1. + 1e-6`` keeps its digits there."""
    return np.dtype(jax.dtypes.canonicalize_dtype(np.float64))


def duration_ms(duration: Any, name: str) -> float:
    """``duration`` as a float of ms >= 0 that sets an input array's length; an error names it otherwise."""
    if is_traced(duration):
        raise TypeError(f"{name} sets the length of the input array and must be a concrete number, not a traced value")
    duration = to_convention(name, duration, "ms", strict=False)
    try:
        d = float(duration)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number of ms, got {duration!r}") from None
    if not np.isfinite(d) or d < 0:
        raise ValueError(f"{name} must be a finite number of ms >= 0, got {duration!r}")
    return d


def _steps(duration: Any, dt: float, name: str) -> int:
    """``duration / dt`` as an int; an error names ``duration`` when it is not a whole number of steps."""
    d = duration_ms(duration, name)
    steps = d / dt
    if abs(steps - round(steps)) > 1e-6 * max(1.0, abs(steps)):
        raise ValueError(f"{name} = {duration!r} ms is not a whole number of steps of dt = {dt} ms "
                         f"({steps:.6g} steps); use a multiple of dt")
    return int(round(steps))


def in_one_unit(values: Sequence[Any], names: Sequence[str]) -> tuple[list[Any], Any]:
    """``values`` as plain numbers in the unit of the first quantity among them, and that unit (``None``
    when none is a quantity: the values as given). A bare zero among quantities means the same in every unit;
    another bare number is refused, as BrainPy 2.8.2 refuses it (which unit did it mean? ``ramp_input(1.,
    1 * u.volt, ...)`` read the 1. as 1 V, a flat ramp); a quantity of another dimension is refused by name.

    >>> import brainunit as u
    >>> in_one_unit([0., 50 * u.pA], ["a", "b"])[0]
    [0.0, 50.0]
    """
    unit = next((value_unit(v) for v in values if value_unit(v) is not None), None)
    if unit is None:
        return list(values), None
    for value, name in zip(values, names):
        if value_unit(value) is None and not _all_zero(value):
            raise UnitMismatch(f"{name} is the plain number {value!r} among values with units ({unit_text(unit)}): "
                               f"give it a unit too, e.g. {value!r} * u.{unit_text(unit)} (a plain 0 may stay plain)")
    return [to_convention(n, v, unit, strict=False) for v, n in zip(values, names)], unit


def _all_zero(value: Any) -> bool:
    try:
        return is_traced(value) is False and not np.any(np.asarray(value, dtype=float))
    except (TypeError, ValueError):  # not numbers: to_convention names it
        return True


def with_unit(array: Any, unit: Any) -> Any:
    """``array`` as a quantity in ``unit``, or as it is when ``unit`` is ``None``."""
    return array if unit is None else array * unit


def dt_ms(dt: float | None) -> float:
    """The step of an input array in ms: ``dt``, else the current one; an error names a ``dt`` that is not > 0."""
    dt = share.dt if dt is None else float(to_convention("dt", dt, "ms", strict=False))
    if not dt > 0:
        raise ValueError(f"dt must be > 0 ms, got {dt!r}")
    return dt


@keywords_named
def section_input(values: Sequence[Any], durations: Sequence[Any], dt: float | None = None,
                  return_length: bool = False) -> Any:
    """Piecewise-constant input: ``values[k]`` for ``durations[k]`` ms, one after the other.

    Returns the array (time first), and the total duration in ms when ``return_length``.

    >>> section_input([0., 1., 0.], [0.2, 0.3, 0.1], dt=0.1).tolist()
    [0.0, 0.0, 1.0, 1.0, 1.0, 0.0]
    """
    values, durations = list(values), list(durations)
    if len(values) != len(durations):
        raise ValueError(f"section_input needs one duration per value, got {len(values)} values and "
                         f"{len(durations)} durations")
    if not values:
        raise ValueError("section_input needs at least one (value, duration) section")
    dt = dt_ms(dt)
    values, unit = in_one_unit(values, [f"values[{k}]" for k in range(len(values))])
    arrays = [jnp.asarray(v, float_dtype()) for v in values]
    shape = jnp.broadcast_shapes(*(a.shape for a in arrays))
    parts = [jnp.broadcast_to(a, (_steps(d, dt, f"durations[{k}]"),) + shape)
             for k, (a, d) in enumerate(zip(arrays, durations))]
    current = with_unit(jnp.concatenate(parts, axis=0), unit)
    if return_length:
        return current, float(sum(duration_ms(d, f"durations[{k}]") for k, d in enumerate(durations)))
    return current


@keywords_named
def constant_input(I_and_duration: Sequence[tuple[Any, Any]], dt: float | None = None) -> Any:
    """Piecewise-constant input from ``[(value, duration), ...]``; returns ``(current, total_duration)``.

    >>> current, duration = constant_input([(0., 0.1), (2., 0.2)], dt=0.1)
    >>> current.tolist(), duration
    ([0.0, 2.0, 2.0], 0.30000000000000004)
    """
    pairs = list(I_and_duration)
    for pair in pairs:
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(f"constant_input takes (value, duration) pairs, got {pair!r}")
    values = [v for v, _ in pairs]
    durations = [d for _, d in pairs]
    return section_input(values, durations, dt=dt, return_length=True)


@keywords_named
def ramp_input(c_start: Any, c_end: Any, duration: Any, t_start: Any = 0.0, t_end: Any = None,
               dt: float | None = None) -> jax.Array:
    """Zero, then a linear ramp from ``c_start`` to ``c_end`` over ``[t_start, t_end)``, then zero.

    The array covers ``duration`` ms; ``t_end`` defaults to ``duration``.

    >>> ramp_input(0., 3., 0.6, t_start=0.1, t_end=0.5, dt=0.1).tolist()
    [0.0, 0.0, 1.0, 2.0, 3.0, 0.0]
    """
    dt = dt_ms(dt)
    n = _steps(duration, dt, "duration")
    p1 = _steps(t_start, dt, "t_start")
    p2 = n if t_end is None else _steps(t_end, dt, "t_end")
    if not p1 <= p2 <= n:
        raise ValueError(f"need 0 <= t_start <= t_end <= duration, got t_start={t_start!r}, t_end={t_end!r}, "
                         f"duration={duration!r}")
    (c_start, c_end), unit = in_one_unit([c_start, c_end], ["c_start", "c_end"])
    c_start, c_end = jnp.asarray(c_start, float_dtype()), jnp.asarray(c_end, float_dtype())
    shape = jnp.broadcast_shapes(c_start.shape, c_end.shape)
    frac = jnp.linspace(0.0, 1.0, p2 - p1, dtype=float_dtype()).reshape((-1,) + (1,) * len(shape))
    ramp = c_start + (c_end - c_start) * frac
    zeros = jnp.zeros(shape, float_dtype())
    return with_unit(jnp.concatenate([jnp.broadcast_to(zeros, (p1,) + shape), ramp,
                                      jnp.broadcast_to(zeros, (n - p2,) + shape)], axis=0), unit)
