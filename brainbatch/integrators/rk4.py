"""The classical fourth-order Runge-Kutta scheme."""

from __future__ import annotations

from .explicit_rk import ExplicitRK


class RK4(ExplicitRK):
    """Classical Runge-Kutta: fourth order, four evaluations of ``f`` per step.

    >>> from brainbatch.integrators import RK4
    >>> y = RK4().step(lambda y, t: -y, 1.0, 0.0, 0.1)
    >>> round(float(y), 6)  # exp(-0.1) = 0.9048374...
    0.904837
    """

    name = "rk4"
    order = 4
    a = ((), (0.5,), (0.0, 0.5), (0.0, 0.0, 1.0))
    b = (1 / 6, 1 / 3, 1 / 3, 1 / 6)
    c = (0.0, 0.5, 0.5, 1.0)
