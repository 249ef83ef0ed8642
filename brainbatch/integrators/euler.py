"""Forward (explicit) Euler: ``y + dt * f(y, t)``."""

from __future__ import annotations

from typing import Any

from .base import AbstractIntegrator, PyTree, VectorField, _as_arrays, _combine, _eval


class Euler(AbstractIntegrator):
    """Forward Euler, first order; the cheapest scheme, one evaluation of ``f`` per step.

    >>> from brainbatch.integrators import Euler
    >>> y = Euler().step(lambda y, t, tau: -y / tau, 1.0, 0.0, 0.5, 10.0)
    >>> round(float(y), 6)
    0.95
    """

    name = "euler"
    order = 1

    def step(self, f: VectorField, y: PyTree, t: Any, dt: Any, *args: Any) -> PyTree:
        y = _as_arrays(y)
        k1 = _eval(f, y, t, args)
        return _combine(y, dt, [(1.0, k1)])
