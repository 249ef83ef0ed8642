"""ODE integrators for neuron and synapse models: pure JAX, one scheme per file.

Every integrator steps ``f(y, t, *args) -> dy/dt`` for a pytree ``y`` and declares its ``order``.

>>> from brainbatch.integrators import odeint
>>> step = odeint(lambda v, t, tau: -v / tau, method="rk4")
>>> round(float(step(1.0, 0.0, 0.1, 10.0)), 6)  # exp(-0.01) = 0.99005
0.99005
"""

from .base import AbstractIntegrator as AbstractIntegrator
from .euler import Euler as Euler
from .exp_euler import ExponentialEuler as ExponentialEuler
from .registry import get_integrator as get_integrator
from .registry import odeint as odeint
from .rk2 import RK2 as RK2
from .rk4 import RK4 as RK4

__all__ = [
    "AbstractIntegrator",
    "Euler",
    "ExponentialEuler",
    "RK2",
    "RK4",
    "get_integrator",
    "odeint",
]
