"""Heun's method (explicit trapezoidal rule), the second-order Runge-Kutta scheme."""

from __future__ import annotations

from typing import Any

from .base import AbstractIntegrator, PyTree, VectorField, _as_arrays, _combine, _eval


class RK2(AbstractIntegrator):
    """Heun's method: an Euler predictor, then the average of the slopes at both ends.

    Second order, two evaluations of ``f`` per step.

    >>> from brainbatch.integrators import RK2
    >>> y = RK2().step(lambda y, t: -y, 1.0, 0.0, 0.1)
    >>> round(float(y), 6)  # exp(-0.1) = 0.904837...
    0.905
    """

    name = "rk2"
    order = 2

    def step(self, f: VectorField, y: PyTree, t: Any, dt: Any, *args: Any) -> PyTree:
        y = _as_arrays(y)
        k1 = _eval(f, y, t, args)
        k2 = _eval(f, _combine(y, dt, [(1.0, k1)]), t + dt, args)
        return _combine(y, dt, [(0.5, k1), (0.5, k2)])
