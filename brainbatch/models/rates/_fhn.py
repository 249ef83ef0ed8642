"""``FHN``: FitzHugh-Nagumo population model with Ornstein-Uhlenbeck noise (BrainPy's ``rates.FHN``)."""
from __future__ import annotations

from typing import Any

import jax
import brainunit as u
import jax.numpy as jnp

from ...core.initializers import Uniform
from ...core.modes import Mode
from ...core.variable import Variable
from ..neurons._base import check_initializer
from ._base import RateModel, noise_gate
from ._ou import OUProcess

__all__ = ["FHN"]


def _total(*terms: Any) -> Any:
    present = [t for t in terms if t is not None]
    return sum(present[1:], present[0]) if present else 0.0


class FHN(RateModel):
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

    # made by reset_state (init_variable): declared for the type checker only
    x: Variable
    y: Variable
    input: Variable
    input_y: Variable

    #: units of the physical parameters (docs/units.md): x and y are plain numbers, times in ms
    param_units = {"alpha": u.UNITLESS, "beta": u.UNITLESS, "gamma": u.UNITLESS, "delta": u.UNITLESS,
                   "epsilon": u.UNITLESS, "tau": u.ms, "x_ou_mean": u.UNITLESS, "x_ou_sigma": u.ms ** -0.5,
                   "x_ou_tau": u.ms, "y_ou_mean": u.UNITLESS, "y_ou_sigma": u.ms ** -0.5, "y_ou_tau": u.ms,
                   "x_initializer": u.UNITLESS, "y_initializer": u.UNITLESS}

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
        self.input_var = bool(input_var)
        self._x_initializer = check_initializer("x_initializer", x_initializer)
        self._y_initializer = check_initializer("y_initializer", y_initializer)
        self._gates = {}
        for var, mean, sigma, tau_ in (("x", x_ou_mean, x_ou_sigma, x_ou_tau), ("y", y_ou_mean, y_ou_sigma, y_ou_tau)):
            gate = noise_gate(self.param(f"{var}_ou_mean", mean), self.param(f"{var}_ou_sigma", sigma, nonnegative=True))
            ou = None
            if gate is not False:
                ou = OUProcess(size, mean=mean, sigma=sigma, tau=tau_, keep_size=keep_size, mode=mode)
                self._gates[var] = gate
            setattr(self, f"{var}_ou", ou)
        self.reset_state()

    def reset_state(self, batch_size: int | None = None) -> None:
        self.init_variable("x", self._x_initializer, batch_size=batch_size, description="FHN fast variable")
        self.init_variable("y", self._y_initializer, batch_size=batch_size, description="FHN recovery variable")
        if self.input_var:
            self.init_variable("input", 0.0, batch_size=batch_size,
                               description="input to dx/dt (noise and couplings included), zeroed after every step")
            self.init_variable("input_y", 0.0, batch_size=batch_size,
                               description="input to dy/dt, zeroed after every step")

    def derivative(self, state: tuple, t: Any, x_ext: jax.Array, y_ext: jax.Array) -> tuple:
        x, y = state
        x_ext = x_ext + self.sum_current_inputs(x)
        dx = -self.alpha * x ** 3 + self.beta * x ** 2 + self.gamma * x - y + x_ext
        dy = (x - self.delta - self.epsilon * y) / self.tau + y_ext
        return dx, dy

    def _noise(self, var: str) -> Any:
        ou = getattr(self, f"{var}_ou")
        if ou is None:
            return None
        gate = self._gates[var]
        return ou() if gate is True else ou() * gate

    def update(self, inp_x: Any = None, inp_y: Any = None) -> jax.Array:
        x_noise, y_noise = self._noise("x"), self._noise("y")
        if self.input_var:
            for name, extra in (("input", inp_x), ("input", x_noise), ("input_y", inp_y), ("input_y", y_noise)):
                if extra is not None:
                    var = getattr(self, name)
                    var.value = var.value + extra
            x_ext, y_ext = self.input.value, self.input_y.value
        else:
            x_ext, y_ext = _total(inp_x, x_noise), _total(inp_y, y_noise)
        x, y = self.integrate(self.derivative, (self.x.value, self.y.value), x_ext, y_ext)
        self.x.value, self.y.value = x, y
        return x

    def clear_input(self, *args: Any, **kwargs: Any) -> None:
        if self.input_var:
            self.input.value = jnp.zeros_like(self.input.value)
            self.input_y.value = jnp.zeros_like(self.input_y.value)
