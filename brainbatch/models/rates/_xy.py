"""``XYRateModel``: the two-variable rate models' shared part (BrainPy 2.8.2's FHN family).

BrainPy's ``FHN``, ``FeedbackFHN``, ``QIF``, ``StuartLandauOscillator`` and ``WilsonCowanModel`` share
one rule for inputs and noise; it lives here once, each model adds its parameters and ``dxdy``.
"""
from __future__ import annotations

from typing import Any

import jax
import brainunit as u
import jax.numpy as jnp

from ...core.modes import Mode
from ...core.variable import Variable
from ...core.checks import check_bool
from ..neurons._base import check_initializer
from ._base import RateModel, noise_gate
from ._ou import OUProcess

__all__ = ["XYRateModel", "NOISE_UNITS"]

#: the units of the six noise parameters every XY model takes (docs/units.md): as ``FHN``'s
NOISE_UNITS = {"x_ou_mean": u.UNITLESS, "x_ou_sigma": u.ms ** -0.5, "x_ou_tau": u.ms, "y_ou_mean": u.UNITLESS,
               "y_ou_sigma": u.ms ** -0.5, "y_ou_tau": u.ms, "x_initializer": u.UNITLESS,
               "y_initializer": u.UNITLESS}


def _total(*terms: Any) -> Any:
    present = [t for t in terms if t is not None]
    return sum(present[1:], present[0]) if present else 0.0


class XYRateModel(RateModel):
    """Nodes with state ``x``, ``y``, inputs ``input`` (to dx/dt) and ``input_y``, and OU noise on each.

    ``I_x = input + x_ou + sum_current_inputs(x)``, ``I_y = input_y + y_ou``; an OU process exists iff
    its mean or sigma is > 0 (a traced one always, switched by the same rule). Each step the OU
    processes advance first, then x and y together; ``input``/``input_y`` are zeroed after the step;
    ``update(inp_x, inp_y)`` adds to them. A subclass sets its parameters, then calls ``_setup`` and
    implements ``dxdy(x, y, x_ext, y_ext)``.
    """

    # made by reset_state (init_variable): declared for the type checker only
    x: Variable
    y: Variable
    input: Variable
    input_y: Variable

    #: descriptions of x and y for the recorded variables
    _x_description = "fast variable"
    _y_description = "slow variable"

    def __init__(self, size: Any, keep_size: bool = False, method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)

    def _setup(self, x_ou: tuple, y_ou: tuple, x_initializer: Any, y_initializer: Any, input_var: bool) -> None:
        """Noise processes (``(mean, sigma, tau)`` each), initializers, then the first ``reset_state``."""
        self.input_var = check_bool("input_var", input_var)  # bool('no') was True
        self._x_initializer = check_initializer("x_initializer", x_initializer)
        self._y_initializer = check_initializer("y_initializer", y_initializer)
        self._gates: dict[str, Any] = {}
        for var, (mean, sigma, tau_) in (("x", x_ou), ("y", y_ou)):
            # checked by its own name even while the noise is off (a NaN or 'abc' passed unseen, and with the noise
            # on, the process's error named "tau", which is another parameter of FHN and QIF)
            self.param(f"{var}_ou_tau", tau_, positive=True)
            gate = noise_gate(self.param(f"{var}_ou_mean", mean), self.param(f"{var}_ou_sigma", sigma, nonnegative=True))
            ou = None
            if gate is not False:
                # keep_size: varshape is already this group's shape (flattened or not)
                ou = OUProcess(self.varshape, mean=mean, sigma=sigma, tau=tau_, keep_size=True, mode=self.mode)
                self._gates[var] = gate
            setattr(self, f"{var}_ou", ou)
        self.reset_state()

    def reset_state(self, batch_size: int | None = None) -> None:
        name = type(self).__name__
        self.init_variable("x", self._x_initializer, batch_size=batch_size, description=f"{name} {self._x_description}")
        self.init_variable("y", self._y_initializer, batch_size=batch_size, description=f"{name} {self._y_description}")
        if self.input_var:
            self.init_variable("input", 0.0, batch_size=batch_size,
                               description="input to dx/dt (noise and couplings included), zeroed after every step")
            self.init_variable("input_y", 0.0, batch_size=batch_size,
                               description="input to dy/dt, zeroed after every step")

    def dxdy(self, x: Any, y: Any, x_ext: Any, y_ext: Any) -> tuple:
        raise NotImplementedError(f"{type(self).__name__} must implement dxdy()")

    def derivative(self, state: tuple, t: Any, x_ext: jax.Array, y_ext: jax.Array, *extra: Any) -> tuple:
        x, y = state
        return self.dxdy(x, y, x_ext + self.sum_current_inputs(x), y_ext, *extra)

    def _noise(self, var: str) -> Any:
        ou = getattr(self, f"{var}_ou")
        if ou is None:
            return None
        gate = self._gates[var]
        return ou() if gate is True else ou() * gate

    def external_inputs(self, inp_x: Any = None, inp_y: Any = None) -> tuple:
        """This step's ``(I_x, I_y)`` before the couplings' current inputs: BrainPy's order (noise drawn first)."""
        x_noise, y_noise = self._noise("x"), self._noise("y")
        if not self.input_var:
            return _total(inp_x, x_noise), _total(inp_y, y_noise)
        for name, extra in (("input", inp_x), ("input", x_noise), ("input_y", inp_y), ("input_y", y_noise)):
            if extra is not None:
                var = getattr(self, name)
                var.value = var.value + extra
        return self.input.value, self.input_y.value

    def update(self, inp_x: Any = None, inp_y: Any = None) -> jax.Array:
        x_ext, y_ext = self.external_inputs(inp_x, inp_y)
        x, y = self.integrate(self.derivative, (self.x.value, self.y.value), x_ext, y_ext)
        self.x.value, self.y.value = x, y
        return x

    def clear_input(self, *args: Any, **kwargs: Any) -> None:
        if self.input_var:
            self.input.value = jnp.zeros_like(self.input.value)
            self.input_y.value = jnp.zeros_like(self.input_y.value)
