"""Heun's method (explicit trapezoidal rule), the second-order Runge-Kutta scheme."""

from __future__ import annotations

from .explicit_rk import ExplicitRK


class RK2(ExplicitRK):
    """Heun's method: an Euler predictor, then the average of the slopes at both ends.

    Second order, two evaluations of ``f`` per step.

    >>> from brainbatch.integrators import RK2
    >>> y = RK2().step(lambda y, t: -y, 1.0, 0.0, 0.1)
    >>> round(float(y), 6)  # exp(-0.1) = 0.904837...
    0.905
    """

    name = "rk2"
    order = 2
    a = ((), (1.0,))
    b = (0.5, 0.5)
    c = (0.0, 1.0)
