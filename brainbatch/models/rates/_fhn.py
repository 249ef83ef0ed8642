"""``FHN``: FitzHugh-Nagumo population model with Ornstein-Uhlenbeck noise (BrainPy's ``rates.FHN``)."""
from __future__ import annotations

from typing import Any

import brainunit as u

from ...core.initializers import Uniform
from ...core.modes import Mode
from ._xy import NOISE_UNITS, XYRateModel

__all__ = ["FHN"]


class FHN(XYRateModel):
    r"""FitzHugh-Nagumo nodes, BrainPy 2.8.2's ``FHN`` (its parameters, defaults and step)::

        dx/dt = -alpha x^3 + beta x^2 + gamma x - y + I_x
        dy/dt = (x - delta - epsilon y) / tau + I_y

    ``I_x = input + x_ou + sum_current_inputs(x)``, ``I_y = input_y + y_ou``, where ``x_ou``/``y_ou``
    are ``OUProcess`` es (mean ``x_ou_mean``, ``x_ou_sigma``, ``x_ou_tau``; same for y) that exist iff
    their mean or sigma is > 0 (a swept, traced mean or sigma always builds one, switched by the same
    rule). Each step the OU processes advance first, then x and y together (each linearised on its
    own by exponential Euler, the other held at its start-of-step value: BrainPy's ``JointEq`` with
    ``exp_auto``). ``input`` and ``input_y`` are zeroed after every step; ``update(inp_x, inp_y)`` adds
    to them. Couplings between nodes: ``DiffusiveCoupling`` / ``AdditiveCoupling``.

    Args:
        size: number of nodes (regions).
        alpha, beta, gamma, delta, epsilon, tau: model parameters (scalars, per-node arrays or JAX
            values; ``tau`` in ms).
        x_ou_mean, x_ou_sigma, x_ou_tau, y_ou_mean, y_ou_sigma, y_ou_tau: the noise (sigma in units
            of x per ms per sqrt(ms), tau in ms).
        x_initializer, y_initializer: initial values (``Uniform(0, 0.05)``, drawn from the run key).

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> fhn = FHN(3, x_initializer=bb.Constant(0.), y_initializer=bb.Constant(0.))
    >>> xs = bb.for_loop(lambda i: fhn.step_run(i, 0.72), jnp.arange(2000), dyn_vars=fhn)  # 200 ms
    >>> bool(xs.max() > 1.0)   # under 0.72 the node oscillates
    True
    """

    #: units of the physical parameters (docs/units.md): x and y are plain numbers, times in ms
    param_units = {"alpha": u.UNITLESS, "beta": u.UNITLESS, "gamma": u.UNITLESS, "delta": u.UNITLESS,
                   "epsilon": u.UNITLESS, "tau": u.ms, **NOISE_UNITS}

    _x_description, _y_description = "fast variable", "recovery variable"

    def __init__(self, size: Any, keep_size: bool = False, alpha: Any = 3.0, beta: Any = 4.0, gamma: Any = -1.5,
                 delta: Any = 0.0, epsilon: Any = 0.5, tau: Any = 20.0, x_ou_mean: Any = 0.0, x_ou_sigma: Any = 0.0,
                 x_ou_tau: Any = 5.0, y_ou_mean: Any = 0.0, y_ou_sigma: Any = 0.0, y_ou_tau: Any = 5.0,
                 x_initializer: Any = Uniform(0.0, 0.05), y_initializer: Any = Uniform(0.0, 0.05),
                 method: str = "exp_euler", name: str | None = None, mode: Mode | None = None,
                 input_var: bool = True) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.alpha, self.beta, self.gamma = self.param("alpha", alpha), self.param("beta", beta), self.param("gamma", gamma)
        self.delta, self.epsilon = self.param("delta", delta), self.param("epsilon", epsilon)
        self.tau = self.param("tau", tau, positive=True)
        self._setup((x_ou_mean, x_ou_sigma, x_ou_tau), (y_ou_mean, y_ou_sigma, y_ou_tau), x_initializer,
                    y_initializer, input_var)

    def dxdy(self, x: Any, y: Any, x_ext: Any, y_ext: Any) -> tuple:
        dx = -self.alpha * x ** 3 + self.beta * x ** 2 + self.gamma * x - y + x_ext
        dy = (x - self.delta - self.epsilon * y) / self.tau + y_ext
        return dx, dy
