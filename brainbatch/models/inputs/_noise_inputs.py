"""BrainPy 2.8.2's noise inputs as arrays: ``wiener_process`` and ``ou_process``.

BrainPy 2.8.2 builds them with ``braintools.input`` 0.3 (``_functional_stochastic.py``), drawing
from numpy: ``numpy.random.RandomState(seed)`` when ``seed`` is given, numpy's global generator
(``numpy.random``, which ``numpy.random.seed`` sets) when it is ``None``. These draw from the same
numpy stream with the same calls and the same float64 arithmetic, so a given ``seed`` gives
BrainPy's numbers exactly. The arrays are fixed before any run: every run and every lane of a
sweep reads the same noise. For noise that differs per run or per lane, draw it in ``update()``
from ``self.step_key()`` (or use ``brainbatch.OUProcess``).
"""
from __future__ import annotations

from typing import Any

import brainunit as u
import jax
import jax.numpy as jnp
import numpy as np

from ...core.errors import keywords_named
from ._currents import dt_ms, float_dtype
from ._waveforms import number, window

__all__ = ["wiener_process", "ou_process"]


def _rng(seed: Any) -> Any:
    if seed is None:
        return np.random  # BrainPy 2.8.2: the global numpy generator
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be None or an int (a numpy RandomState seed), got {seed!r}")
    return np.random.RandomState(int(seed))


def _count(n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n (the number of independent processes) must be an int >= 1, got {n!r}")
    return int(n)


def _place(values: np.ndarray, n: int, rows: int, i0: int, i1: int) -> jax.Array:
    # one process: shape (rows,); several: (rows, n), as BrainPy
    current = np.zeros((rows,) if n == 1 else (rows, n), float_dtype())
    current[i0:i1] = values.reshape(current[i0:i1].shape)
    return jnp.asarray(current)


@keywords_named
def wiener_process(duration: Any, dt: float | None = None, n: int = 1, t_start: Any = 0.0, t_end: Any = None,
                   seed: Any = None) -> jax.Array:
    """Increments of a Wiener process: independent ``N(0, dt)`` values on ``[t_start, t_end)``, zero elsewhere.

    Shape ``(steps,)`` for ``n=1``, ``(steps, n)`` otherwise. The draws are
    ``RandomState(seed).standard_normal((rows, n)) * 1.0 * sqrt(dt)``, row by row (see the module).

    >>> w = wiener_process(1.0, dt=0.1, n=2, seed=0)
    >>> w.shape, round(float(w[0, 0]), 4)
    ((10, 2), 0.5578)
    """
    dt = dt_ms(dt)
    n = _count(n)
    rows, i0, i1 = window(duration, t_start, t_end, dt)
    draws = _rng(seed).standard_normal((i1 - i0,) if n == 1 else (i1 - i0, n))
    return _place(draws * 1.0 * np.sqrt(dt), n, rows, i0, i1)


@keywords_named
def ou_process(mean: Any, sigma: Any, tau: Any, duration: Any, dt: float | None = None, n: int = 1,
               t_start: Any = 0.0, t_end: Any = None, seed: Any = None) -> jax.Array:
    """An Ornstein-Uhlenbeck process ``dX = (mean - X)/tau dt + sigma dW`` by Euler-Maruyama, from ``X = mean``.

    Each row of ``[t_start, t_end)`` is ``X`` after one more step
    ``X += (mean - X) dt/tau + sigma sqrt(dt) z`` (``z`` standard normal, one per process and step);
    zero outside. Shapes as ``wiener_process``. ``tau`` in ms, ``sigma`` in units of X per sqrt(ms).

    >>> x = ou_process(1., 0.5, 10., 100., dt=0.1, n=3, seed=1)
    >>> x.shape, bool(abs(float(x.mean()) - 1.) < 0.3)
    ((1000, 3), True)
    """
    dt = dt_ms(dt)
    n = _count(n)
    mean_, sigma_ = number("mean", mean), number("sigma", sigma)
    tau_ = number("tau", tau, u.ms)
    if not tau_ > 0 or sigma_ < 0:
        raise ValueError(f"need tau > 0 ms and sigma >= 0, got tau={tau!r}, sigma={sigma!r}")
    rows, i0, i1 = window(duration, t_start, t_end, dt)
    draws = _rng(seed).standard_normal((i1 - i0, n))  # the same stream as one draw per step
    # BrainPy's arithmetic, operation for operation: X starts as float32 (its dtype; float64 under x64) and the
    # float64 noise term makes it float64 from the first step on
    x: np.ndarray = np.full(n, mean_, dtype=float_dtype())
    dt_over_tau, dt_sqrt = dt / tau_, np.sqrt(dt)
    values = np.empty((i1 - i0, n))
    for k in range(i1 - i0):
        x = x + (mean_ - x) * dt_over_tau + sigma_ * dt_sqrt * draws[k]
        values[k] = x
    return _place(values, n, rows, i0, i1)
