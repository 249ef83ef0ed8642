"""Forward (explicit) Euler: ``y + dt * f(y, t)``."""

from __future__ import annotations

from .explicit_rk import ExplicitRK


class Euler(ExplicitRK):
    """Forward Euler, first order; the cheapest scheme, one evaluation of ``f`` per step.

    >>> from brainbatch.integrators import Euler
    >>> y = Euler().step(lambda y, t, tau: -y / tau, 1.0, 0.0, 0.5, 10.0)
    >>> round(float(y), 6)
    0.95
    """

    name = "euler"
    order = 1
    a = ((),)
    b = (1.0,)
    c = (0.0,)
