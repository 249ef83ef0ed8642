"""BrainPy 2.8.2's periodic and pulse inputs: ``sinusoidal_input``, ``square_input``, ``spike_input``.

BrainPy 2.8.2 (``brainpy/inputs/currents.py``) builds them with ``braintools.input`` (0.3:
``_functional_waveforms.py``, ``_functional_pulses.py``); these follow that code step for step, so
the arrays are the same numbers: the waveform is computed in float64 and stored as float32 (float64 in JAX's 64-bit mode), the
array has ``ceil(duration / dt)`` rows and a time ``t`` falls in row ``int(t / dt)`` (truncated, as
BrainPy does: ``int(0.3 / 0.1)`` is 2, so a wave over 0.6 ms at dt = 0.1 leaves its 6th row at 0). Times are in ms, frequencies in Hz; ``brainunit``
quantities of those dimensions are converted.
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import brainunit as u
import jax
import jax.numpy as jnp
import numpy as np

from ...core.checks import is_traced
from ...core.errors import keywords_named
from ._currents import dt_ms, float_dtype

__all__ = ["sinusoidal_input", "square_input", "spike_input"]


def number(name: str, value: Any, unit: Any = None) -> float:
    """A concrete scalar (a quantity read in ``unit``) as a Python float; an error names ``name``."""
    if isinstance(value, u.Quantity):
        if unit is None:
            raise TypeError(f"{name} must be a plain number, got the quantity {value!r}")
        value = value.to(unit).mantissa
    if is_traced(value):
        raise TypeError(f"{name} shapes the input array and must be a concrete number, not a traced value")
    if np.ndim(value) != 0:
        raise TypeError(f"{name} must be a scalar, got an array of shape {np.shape(value)}")
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(out):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return out


def window(duration: Any, t_start: Any, t_end: Any, dt: float) -> tuple[int, int, int]:
    """BrainPy's rows: ``(ceil(duration/dt), int(t_start/dt), int(t_end/dt))``, ``t_end`` defaulting to
    ``duration``; an error when the window is not inside the array."""
    d = number("duration", duration, u.ms)
    t0 = number("t_start", t_start, u.ms)
    t1 = d if t_end is None else number("t_end", t_end, u.ms)
    n, i0, i1 = int(np.ceil(d / dt)), int(t0 / dt), int(t1 / dt)
    if not (d >= 0 and t0 >= 0 and 0 <= i0 <= i1 <= n):
        raise ValueError(f"need 0 <= t_start <= t_end <= duration, got t_start={t_start!r}, t_end={t_end!r}, "
                         f"duration={duration!r} (rows {i0}:{i1} of {n} at dt={dt} ms)")
    return n, i0, i1


def _phase(frequency: Any, steps: int, dt: float) -> np.ndarray:
    # braintools: times = arange * dt, then 2 pi f t with f in kHz (times in ms), in this order
    freq = number("frequency", frequency, u.Hz)
    times = np.arange(steps) * dt
    return 2 * np.pi * (freq / 1000.0) * times


def _place(values: np.ndarray, n: int, i0: int, i1: int) -> jax.Array:
    current = np.zeros(n, float_dtype())
    current[i0:i1] = values
    return jnp.asarray(current)


@keywords_named
def sinusoidal_input(amplitude: Any, frequency: Any, duration: Any, dt: float | None = None, t_start: Any = 0.0,
                     t_end: Any = None, bias: bool = False) -> jax.Array:
    """``amplitude * sin(2 pi frequency t)`` (Hz, t in ms from ``t_start``) on ``[t_start, t_end)``, zero elsewhere.

    With ``bias`` the wave is lifted by ``amplitude`` (between 0 and 2 amplitude).

    >>> sinusoidal_input(1., 2500., 0.4, dt=0.1).round(3).tolist()   # a quarter period per step
    [0.0, 1.0, 0.0, -1.0]
    """
    dt = dt_ms(dt)
    a = number("amplitude", amplitude)
    n, i0, i1 = window(duration, t_start, t_end, dt)
    values = a * np.sin(_phase(frequency, i1 - i0, dt))
    if bias:
        values += a
    return _place(values, n, i0, i1)


@keywords_named
def square_input(amplitude: Any, frequency: Any, duration: Any, dt: float | None = None, bias: bool = False,
                 t_start: Any = 0.0, t_end: Any = None) -> jax.Array:
    """A square wave: ``+amplitude`` for the first half of each period, ``-amplitude`` for the second.

    Same window and ``bias`` as ``sinusoidal_input`` (note BrainPy's argument order: ``bias`` before
    ``t_start``).

    >>> square_input(2., 2500., 0.8, dt=0.1, bias=True).tolist()
    [4.0, 4.0, 0.0, 0.0, 4.0, 4.0, 0.0, 0.0]
    """
    dt = dt_ms(dt)
    a = number("amplitude", amplitude)
    n, i0, i1 = window(duration, t_start, t_end, dt)
    phase = np.mod(_phase(frequency, i1 - i0, dt), 2 * np.pi)
    values = a * np.where(phase < 0.5 * 2 * np.pi, 1.0, -1.0)  # duty cycle 0.5, as BrainPy passes
    if bias:
        values += a
    return _place(values, n, i0, i1)


def _per_spike(name: str, value: Any, count: int, unit: Any = None) -> list[float]:
    # BrainPy repeats a scalar for every spike; a list must give one value per spike
    size = value.size if isinstance(value, u.Quantity) else np.size(value)
    if not isinstance(value, (tuple, list)) and size == 1:
        scalar = value.reshape(()) if isinstance(value, u.Quantity) else np.asarray(value).reshape(())
        return [number(name, scalar, unit)] * count
    values = list(value)
    if len(values) != count:
        raise ValueError(f"{name} needs one value per spike time ({count}), got {len(values)}")
    return [number(f"{name}[{k}]", v, unit) for k, v in enumerate(values)]


@keywords_named
def spike_input(sp_times: Sequence[Any], sp_lens: Any, sp_sizes: Any, duration: Any,
                dt: float | None = None) -> jax.Array:
    """Rectangular pulses: ``sp_sizes[k]`` from ``sp_times[k]`` for ``sp_lens[k]`` ms (scalars repeat).

    Pulse ``k`` fills rows ``int(t/dt)`` to ``int((t + len)/dt)`` (cut at the end of the array); a later
    pulse overwrites an earlier one where they overlap, as in BrainPy.

    >>> spike_input([0.1, 0.4], 0.2, [1., 3.], duration=0.6, dt=0.1).tolist()
    [0.0, 1.0, 1.0, 0.0, 3.0, 3.0]
    """
    dt = dt_ms(dt)
    if isinstance(sp_times, (str, bytes)) or not hasattr(sp_times, "__iter__"):
        raise TypeError(f"sp_times must be a list of spike times (ms), got {sp_times!r}")
    times = [number(f"sp_times[{k}]", t, u.ms) for k, t in enumerate(sp_times)]
    lens = _per_spike("sp_lens", sp_lens, len(times), u.ms)
    sizes = _per_spike("sp_sizes", sp_sizes, len(times))
    for name, vals in (("sp_times", times), ("sp_lens", lens)):
        bad = [v for v in vals if v < 0]
        if bad:
            raise ValueError(f"{name} must be >= 0 ms, got {bad[0]!r}")
    n, _, _ = window(duration, 0.0, None, dt)
    current = np.zeros(n, float_dtype())
    for t, length, size in zip(times, lens, sizes):
        start, end = int(t / dt), int((t + length) / dt)
        if start < n:
            current[start:min(end, n)] = size
    return jnp.asarray(current)
