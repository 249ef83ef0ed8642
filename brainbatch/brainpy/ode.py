"""``bp.ode``: BrainPy's ODE integrator classes, the classes of what ``bp.odeint`` returns (``bp.ode.ODEIntegrator``
to check against or ``subset`` by, ``bp.ode.RK4(f, dt=0.01)`` to make one directly).

>>> import brainbatch.brainpy as bp
>>> @bp.ode.RK4
... def int_v(v, t, p):
...     return -v * p
>>> isinstance(int_v, bp.ode.ODEIntegrator), int_v.variables
(True, ['v'])
"""
from __future__ import annotations

from typing import Any

from ._compat import unsupported
from ._odeint import RK2, RK3, RK4, SSPRK3, Euler, ExponentialEuler, Heun2, Heun3, MidPoint, ODEIntegrator, Ralston2
from ._odeint import Ralston3, Ralston4, RK4Rule38, odeint
from .integrators import get_default_odeint, set_default_odeint

__all__ = ["ODEIntegrator", "Euler", "MidPoint", "Heun2", "Ralston2", "RK2", "RK3", "Heun3", "Ralston3", "SSPRK3",
           "RK4", "Ralston4", "RK4Rule38", "ExponentialEuler", "odeint", "get_default_odeint", "set_default_odeint"]

_ADAPTIVE = ("the adaptive Runge-Kutta methods are not provided: every run of a batch steps with one fixed dt; use "
             "a fixed-step class (bp.ode.RK4, bp.ode.ExponentialEuler...)")
_HINTS = {**dict.fromkeys(("RKF45", "RKF12", "DormandPrince", "CashKarp", "BogackiShampine", "HeunEuler",
                           "AdaptiveRKIntegrator"), _ADAPTIVE),
          "ExplicitRKIntegrator": "check against bp.ode.ODEIntegrator",
          "register_ode_integrator": "a scheme of one's own is not supported; the provided ones are bp.ode's classes"}


def __getattr__(name: str) -> Any:
    raise unsupported("brainbatch.brainpy.ode", name, _HINTS, __all__)
