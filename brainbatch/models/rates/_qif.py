"""``QIF``: the exact mean field of a population of quadratic integrate-and-fire neurons (BrainPy's ``rates.QIF``)."""
from __future__ import annotations

from typing import Any

import brainunit as u
import jax.numpy as jnp

from ...core.initializers import Uniform
from ...core.modes import Mode
from ._xy import NOISE_UNITS, XYRateModel

__all__ = ["QIF"]


class QIF(XYRateModel):
    r"""Montbrió-Pazó-Roxin (2015) mean field: ``x`` the mean membrane potential v, ``y`` the rate r::

        tau dy/dt = Delta / (pi tau) + 2 x y + I_y
        tau dx/dt = x^2 + eta + I_x + J y tau - (pi y tau)^2

    (BrainPy's ``rates.QIF``, its defaults ``tau = 1`` ms, ``eta = -5``, ``delta = 1``, ``J = 15``.)
    ``I_x``/``I_y``, the OU noise and the step order are ``FHN``'s (``XYRateModel``); x and y start
    ``Uniform(0, 0.05)``. Not the spiking neuron: that is ``QuaIF``.

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> qif = QIF(1, x_initializer=bb.Constant(0.), y_initializer=bb.Constant(0.1))
    >>> _ = bb.for_loop(lambda i: qif.step_run(i), jnp.arange(300), dyn_vars=qif)  # 30 ms
    >>> round(float(qif.y.value[0]), 3)  # the low-activity fixed point at eta = -5
    0.081
    """

    #: units (docs/units.md): the model is dimensionless but for its time constant
    param_units = {"tau": u.ms, "eta": u.UNITLESS, "delta": u.UNITLESS, "J": u.UNITLESS, **NOISE_UNITS}

    _x_description, _y_description = "mean membrane potential", "firing rate"

    def __init__(self, size: Any, keep_size: bool = False, tau: Any = 1.0, eta: Any = -5.0, delta: Any = 1.0,
                 J: Any = 15.0, x_ou_mean: Any = 0.0, x_ou_sigma: Any = 0.0, x_ou_tau: Any = 5.0,
                 y_ou_mean: Any = 0.0, y_ou_sigma: Any = 0.0, y_ou_tau: Any = 5.0,
                 x_initializer: Any = Uniform(0.0, 0.05), y_initializer: Any = Uniform(0.0, 0.05),
                 method: str = "exp_euler", name: str | None = None, mode: Mode | None = None,
                 input_var: bool = True) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.tau = self.param("tau", tau, positive=True)
        self.eta, self.J = self.param("eta", eta), self.param("J", J)
        self.delta = self.param("delta", delta, nonnegative=True)  # a width of the distribution of eta
        self._setup((x_ou_mean, x_ou_sigma, x_ou_tau), (y_ou_mean, y_ou_sigma, y_ou_tau), x_initializer,
                    y_initializer, input_var)

    def dxdy(self, x: Any, y: Any, x_ext: Any, y_ext: Any) -> tuple:
        tau = self.tau
        dy = (self.delta / (jnp.pi * tau) + 2.0 * x * y + y_ext) / tau
        dx = (x ** 2 + self.eta + x_ext + self.J * y * tau - (jnp.pi * y * tau) ** 2) / tau
        return dx, dy
