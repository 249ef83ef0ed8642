"""The classical fourth-order Runge-Kutta scheme."""

from __future__ import annotations

from typing import Any

from .base import AbstractIntegrator, PyTree, VectorField, _as_arrays, _combine, _eval


class RK4(AbstractIntegrator):
    """Classical Runge-Kutta: fourth order, four evaluations of ``f`` per step.

    >>> from brainbatch.integrators import RK4
    >>> y = RK4().step(lambda y, t: -y, 1.0, 0.0, 0.1)
    >>> round(float(y), 6)  # exp(-0.1) = 0.9048374...
    0.904837
    """

    name = "rk4"
    order = 4

    def step(self, f: VectorField, y: PyTree, t: Any, dt: Any, *args: Any) -> PyTree:
        y = _as_arrays(y)
        half = 0.5 * dt
        k1 = _eval(f, y, t, args)
        k2 = _eval(f, _combine(y, dt, [(0.5, k1)]), t + half, args)
        k3 = _eval(f, _combine(y, dt, [(0.5, k2)]), t + half, args)
        k4 = _eval(f, _combine(y, dt, [(1.0, k3)]), t + dt, args)
        return _combine(y, dt, [(1 / 6, k1), (1 / 3, k2), (1 / 3, k3), (1 / 6, k4)])
