"""``StuartLandauOscillator``: the normal form of a Hopf bifurcation (BrainPy 2.8.2's model)."""
from __future__ import annotations

from typing import Any

import brainunit as u

from ...core.initializers import Uniform
from ...core.modes import Mode
from ._xy import NOISE_UNITS, XYRateModel

__all__ = ["StuartLandauOscillator"]


class StuartLandauOscillator(XYRateModel):
    r"""Stuart-Landau oscillators (BrainPy's defaults ``a = 0.25``, ``w = 0.2``)::

        dx/dt = (a - x^2 - y^2) x - w y + I_x
        dy/dt = (a - x^2 - y^2) y + w x + I_y

    For ``a > 0`` each node circles at radius ``sqrt(a)`` with angular frequency ``w`` (rad/ms).
    ``I_x``/``I_y``, the OU noise and the step order are ``FHN``'s (``XYRateModel``); x and y start
    ``Uniform(0, 0.5)``.

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> sl = StuartLandauOscillator(2, x_initializer=bb.Constant(0.1), y_initializer=bb.Constant(0.))
    >>> xs = bb.for_loop(lambda i: sl.step_run(i), jnp.arange(1000), dyn_vars=sl)  # 100 ms
    >>> round(float((sl.x.value[0] ** 2 + sl.y.value[0] ** 2) ** 0.5), 2)  # the limit cycle: sqrt(a)
    0.5
    """

    #: units (docs/units.md): x and y are plain numbers; a and w are rates, per ms
    param_units = {"a": u.ms ** -1, "w": u.ms ** -1, **NOISE_UNITS}

    _x_description, _y_description = "first coordinate", "second coordinate"

    def __init__(self, size: Any, keep_size: bool = False, a: Any = 0.25, w: Any = 0.2, x_ou_mean: Any = 0.0,
                 x_ou_sigma: Any = 0.0, x_ou_tau: Any = 5.0, y_ou_mean: Any = 0.0, y_ou_sigma: Any = 0.0,
                 y_ou_tau: Any = 5.0, x_initializer: Any = Uniform(0.0, 0.5), y_initializer: Any = Uniform(0.0, 0.5),
                 method: str = "exp_euler", name: str | None = None, mode: Mode | None = None,
                 input_var: bool = True) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.a, self.w = self.param("a", a), self.param("w", w)
        self._setup((x_ou_mean, x_ou_sigma, x_ou_tau), (y_ou_mean, y_ou_sigma, y_ou_tau), x_initializer,
                    y_initializer, input_var)

    def dxdy(self, x: Any, y: Any, x_ext: Any, y_ext: Any) -> tuple:
        growth = self.a - x * x - y * y
        return growth * x - self.w * y + x_ext, growth * y + self.w * x + y_ext
