"""``WilsonCowanModel``: excitatory/inhibitory population rates (BrainPy 2.8.2's ``WilsonCowanModel``)."""
from __future__ import annotations

from typing import Any

import brainunit as u
import jax.numpy as jnp

from ...core.initializers import Uniform
from ...core.modes import Mode
from ._xy import NOISE_UNITS, XYRateModel

__all__ = ["WilsonCowanModel"]


def _sigmoid(x: Any, a: Any, theta: Any) -> Any:
    """Wilson and Cowan's response function, shifted so that it is 0 at x = 0."""
    return 1 / (1 + jnp.exp(-a * (x - theta))) - 1 / (1 + jnp.exp(a * theta))


class WilsonCowanModel(XYRateModel):
    r"""Wilson-Cowan nodes: ``x`` the excitatory, ``y`` the inhibitory activity (BrainPy's defaults)::

        E_tau dx/dt = -x + (1 - r x) F(wEE x - wIE y + I_x; E_a, E_theta)
        I_tau dy/dt = -y + (1 - r y) F(wEI x - wII y + I_y; I_a, I_theta)
        F(z; a, theta) = 1 / (1 + exp(-a (z - theta))) - 1 / (1 + exp(a theta))

    The inputs enter inside ``F``. ``I_x``/``I_y``, the OU noise (``x_ou_*``, ``y_ou_*``) and the step
    order are ``FHN``'s (``XYRateModel``); x and y start ``Uniform(0, 0.05)``.

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> wc = WilsonCowanModel(2, x_initializer=bb.Constant(0.1), y_initializer=bb.Constant(0.05))
    >>> xs = bb.for_loop(lambda i: wc.step_run(i, 1.5), jnp.arange(500), dyn_vars=wc)  # 50 ms
    >>> round(float(xs[-1, 0]), 2)  # the excitatory fixed point under I_x = 1.5
    0.49
    """

    #: units (docs/units.md): activities are plain numbers, time constants in ms
    param_units = {"E_tau": u.ms, "E_a": u.UNITLESS, "E_theta": u.UNITLESS, "I_tau": u.ms, "I_a": u.UNITLESS,
                   "I_theta": u.UNITLESS, "wEE": u.UNITLESS, "wIE": u.UNITLESS, "wEI": u.UNITLESS, "wII": u.UNITLESS,
                   "r": u.UNITLESS, **NOISE_UNITS}

    _x_description, _y_description = "excitatory activity", "inhibitory activity"

    def __init__(self, size: Any, keep_size: bool = False, E_tau: Any = 1.0, E_a: Any = 1.2, E_theta: Any = 2.8,
                 I_tau: Any = 1.0, I_a: Any = 1.0, I_theta: Any = 4.0, wEE: Any = 12.0, wIE: Any = 4.0,
                 wEI: Any = 13.0, wII: Any = 11.0, r: Any = 1.0, x_ou_mean: Any = 0.0, x_ou_sigma: Any = 0.0,
                 x_ou_tau: Any = 5.0, y_ou_mean: Any = 0.0, y_ou_sigma: Any = 0.0, y_ou_tau: Any = 5.0,
                 x_initializer: Any = Uniform(0.0, 0.05), y_initializer: Any = Uniform(0.0, 0.05),
                 method: str = "exp_euler", name: str | None = None, mode: Mode | None = None,
                 input_var: bool = True) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.E_tau, self.I_tau = self.param("E_tau", E_tau, positive=True), self.param("I_tau", I_tau, positive=True)
        self.E_a, self.E_theta = self.param("E_a", E_a), self.param("E_theta", E_theta)
        self.I_a, self.I_theta = self.param("I_a", I_a), self.param("I_theta", I_theta)
        self.wEE, self.wIE = self.param("wEE", wEE), self.param("wIE", wIE)
        self.wEI, self.wII = self.param("wEI", wEI), self.param("wII", wII)
        self.r = self.param("r", r)
        self._setup((x_ou_mean, x_ou_sigma, x_ou_tau), (y_ou_mean, y_ou_sigma, y_ou_tau), x_initializer,
                    y_initializer, input_var)

    def dxdy(self, x: Any, y: Any, x_ext: Any, y_ext: Any) -> tuple:
        fx = _sigmoid(self.wEE * x - self.wIE * y + x_ext, self.E_a, self.E_theta)
        fy = _sigmoid(self.wEI * x - self.wII * y + y_ext, self.I_a, self.I_theta)
        return (-x + (1 - self.r * x) * fx) / self.E_tau, (-y + (1 - self.r * y) * fy) / self.I_tau
