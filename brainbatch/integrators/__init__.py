"""ODE integrators for neuron and synapse models: pure JAX; the explicit Runge-Kutta schemes share one
tableau-driven step (``explicit_rk.py``).

Every integrator steps ``f(y, t, *args) -> dy/dt`` for a pytree ``y`` and declares its ``order``.

>>> from brainbatch.integrators import odeint
>>> step = odeint(lambda v, t, tau: -v / tau, method="rk4")
>>> round(float(step(1.0, 0.0, 0.1, 10.0)), 6)  # exp(-0.01) = 0.99005
0.99005
"""

from .base import AbstractIntegrator as AbstractIntegrator
from .euler import Euler as Euler
from .exp_euler import ColumnExponentialEuler as ColumnExponentialEuler
from .exp_euler import ExponentialEuler as ExponentialEuler
from .explicit_rk import SSPRK3 as SSPRK3
from .explicit_rk import ExplicitRK as ExplicitRK
from .explicit_rk import GenericRK2 as GenericRK2
from .explicit_rk import Heun3 as Heun3
from .explicit_rk import Kutta3 as Kutta3
from .explicit_rk import Midpoint as Midpoint
from .explicit_rk import Ralston2 as Ralston2
from .explicit_rk import Ralston3 as Ralston3
from .explicit_rk import Ralston4 as Ralston4
from .explicit_rk import RK4Rule38 as RK4Rule38
from .registry import get_integrator as get_integrator
from .registry import odeint as odeint
from .rk2 import RK2 as RK2
from .rk4 import RK4 as RK4

__all__ = [
    "AbstractIntegrator",
    "ColumnExponentialEuler",
    "Euler",
    "ExplicitRK",
    "ExponentialEuler",
    "GenericRK2",
    "Heun3",
    "Kutta3",
    "Midpoint",
    "RK2",
    "RK4",
    "RK4Rule38",
    "Ralston2",
    "Ralston3",
    "Ralston4",
    "SSPRK3",
    "get_integrator",
    "odeint",
]
