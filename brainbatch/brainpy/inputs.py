"""``brainbatch.brainpy.inputs``: BrainPy's input currents (arrays with one row per step of ``dt``).

``sinusoidal_input``, ``square_input``, ``spike_input``, ``wiener_process`` and ``ou_process`` give
BrainPy 2.8.2's arrays: the same rows and values, and for the noise with a ``seed`` the same numbers
(numpy's ``RandomState(seed)``; ``brainbatch/models/inputs/_noise_inputs.py``).

>>> import brainbatch.brainpy as bp
>>> bp.inputs.section_input([0., 1.], [0.2, 0.1], dt=0.1).tolist()
[0.0, 0.0, 1.0]
>>> bp.inputs.spike_input([0.1], 0.2, 5., duration=0.4, dt=0.1).tolist()
[0.0, 5.0, 5.0, 0.0]
"""
from __future__ import annotations

from typing import Any, Sequence

import jax.numpy as jnp
import numpy as np

from ..models import inputs as _native
from ..models.inputs import dt_ms, duration_ms, float_dtype, in_one_unit, ou_process, sinusoidal_input, spike_input, square_input, wiener_process, \
    with_unit
from ._compat import holds_numbers, unsupported

__all__ = ["section_input", "constant_input", "ramp_input", "constant_current", "section_current",
           "ramp_current", "sinusoidal_input", "square_input", "spike_input", "spike_current", "wiener_process",
           "ou_process"]


def _time(value: Any, name: str) -> float:
    """A time in ms; text is refused by name (``float('5')`` made the string '5' a duration of 5 ms)."""
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a number of ms, got {value!r}")  # duration_ms' words
    return duration_ms(value, name)


def _steps(duration: Any, dt: float, name: str) -> int:
    """BrainPy 2.8.2's rows for ``duration`` ms: ``ceil(duration / dt)`` in float32 (0.15 ms of dt 0.1 is 2 rows,
    1.1 ms is 11), so a duration that is not a whole number of steps is rounded up, as there."""
    return int(np.ceil(np.float32(_time(duration, name)) / np.float32(dt)))


def _check_current(value: Any, name: str) -> None:
    """Refuse a current that is no number (``'a'`` failed in numpy as "could not convert string to float")."""
    if not holds_numbers(value):
        raise TypeError(f"{name} must be a number or an array of numbers (or a quantity), got {value!r}")


def section_input(values: Sequence[Any], durations: Sequence[Any], dt: float | None = None,
                  return_length: bool = False) -> Any:
    """``values[k]`` for ``durations[k]`` ms each (BrainPy's rows: a duration rounded up to whole steps);
    with ``return_length`` also the total of ``durations``."""
    step = dt_ms(dt)
    if len(values) != len(durations):
        raise ValueError(f"section_input: values and durations need one entry each, got {len(values)} values and "
                         f"{len(durations)} durations")
    for k, v in enumerate(values):
        _check_current(v, f"section_input: values[{k}]")
    whole = [_steps(d, step, f"durations[{k}]") * step for k, d in enumerate(durations)]
    out = _native.section_input(values, whole, dt=step)
    return (out, float(sum(_time(d, f"durations[{k}]") for k, d in enumerate(durations)))) if return_length \
        else out


def constant_input(I_and_duration: Sequence[tuple[Any, Any]], dt: float | None = None) -> Any:
    """``(current, total duration)`` from ``[(value, duration), ...]``, BrainPy's rows (see ``section_input``)."""
    pairs = list(I_and_duration)
    for k, pair in enumerate(pairs):
        if isinstance(pair, (str, bytes)) or not hasattr(pair, "__len__"):
            raise TypeError(f"constant_input: I_and_duration[{k}] must be a (value, duration) pair, got {pair!r}")
        if len(pair) != 2:
            raise ValueError(f"constant_input: I_and_duration[{k}] must be a (value, duration) pair, got {pair!r}")
    return section_input([v for v, _ in pairs], [d for _, d in pairs], dt=dt, return_length=True)


def ramp_input(c_start: Any, c_end: Any, duration: Any, t_start: Any = 0.0, t_end: Any = None,
               dt: float | None = None) -> Any:
    """Zero, a linear ramp from ``c_start`` to ``c_end`` over rows ``ceil(t_start / dt)`` to ``ceil(t_end / dt)``
    (both ends included, as BrainPy's ``linspace``), then zero; ``ceil(duration / dt)`` rows in all. Needs
    ``0 <= t_start <= t_end <= duration`` (``t_end`` defaults to ``duration``).

    >>> ramp_input(0., 1., 1., t_start=0.8, t_end=0.2, dt=0.1)
    Traceback (most recent call last):
    ValueError: ramp_input: t_start must be <= t_end, got t_start=0.8, t_end=0.2
    """
    step = dt_ms(dt)
    n = _steps(duration, step, "duration")
    p1 = _steps(t_start, step, "t_start")
    p2 = _steps(duration if t_end is None else t_end, step, "t_end")
    # BrainPy 2.8.2 errors on both where the rows differ (numpy's "Number of samples, -6, must be non-negative"
    # and "could not broadcast input array from shape (50,) into shape (10,)"); here a reversed ramp was all
    # zeros and one past the duration was cut short. t_end past the duration is judged in rows, as there.
    if t_end is not None and _time(t_start, "t_start") > _time(t_end, "t_end"):
        raise ValueError(f"ramp_input: t_start must be <= t_end, got t_start={t_start!r}, t_end={t_end!r}")
    if p2 > n:
        raise ValueError(f"ramp_input: t_end must be <= duration, got t_end={t_end!r}, duration={duration!r}")
    if p1 > n:
        raise ValueError(f"ramp_input: t_start must be <= duration, got t_start={t_start!r}, duration={duration!r}")
    _check_current(c_start, "ramp_input: c_start")
    _check_current(c_end, "ramp_input: c_end")
    (c_start, c_end), unit = in_one_unit([c_start, c_end], ["c_start", "c_end"])
    out = np.zeros(n, float_dtype())
    out[p1:p2] = np.linspace(float(c_start), float(c_end), p2 - p1)
    return with_unit(jnp.asarray(out), unit)


# BrainPy's older names (deprecated there since 2.1.13)
constant_current, section_current, ramp_current, spike_current = constant_input, section_input, ramp_input, spike_input


def __getattr__(name: str) -> Any:
    raise unsupported("brainbatch.brainpy.inputs", name, {}, __all__)
