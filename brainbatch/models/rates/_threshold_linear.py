"""``ThresholdLinearModel``: rectified-linear E/I rates (Chaudhuri et al. 2015; BrainPy's ``ThresholdLinearModel``)."""
from __future__ import annotations

from typing import Any

import jax
import brainunit as u
import jax.numpy as jnp
import numpy as np

from ...core import share
from ...core.checks import check_bool, is_traced
from ...core.initializers import ZeroInit
from ...core.modes import Mode
from ...core.random import normal
from ...core.variable import Variable
from ..neurons._base import check_initializer
from ._base import RateModel

__all__ = ["ThresholdLinearModel"]


class ThresholdLinearModel(RateModel):
    r"""Excitatory and inhibitory rates ``e``, ``i`` driven by rectified inputs ``Ie``, ``Ii``::

        tau_e de/dt = -e + beta_e [Ie]_+          tau_i di/dt = -i + beta_i [Ii]_+

    BrainPy 2.8.2's step, its defaults and initial values (0): Euler, plus ``noise_e / tau_e
    sqrt(dt) N(0, 1)`` where ``noise_e`` is not 0 (same for i; normals from the run key, one per
    element and batch row), then each rate is clipped at 0. ``Ie``/``Ii`` are zeroed after every step;
    ``update(inp_e, inp_i)`` adds to them. ``tau_e``/``tau_i`` are in ms (BrainPy's defaults 0.02 and
    0.01 come from a model in seconds: with dt = 0.1 ms they are unstable, give your own).

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> tl = ThresholdLinearModel(2, tau_e=2., tau_i=1.)
    >>> _ = bb.for_loop(lambda i: tl.step_run(i, 1., 2.), jnp.arange(300), dyn_vars=tl)  # 30 ms
    >>> round(float(tl.e.value[0]), 3), round(float(tl.i.value[0]), 3)  # beta_e * 1, beta_i * 2
    (0.066, 0.702)
    """

    # made by reset_state (init_variable): declared for the type checker only
    e: Variable
    i: Variable
    Ie: Variable
    Ii: Variable

    #: units (docs/units.md): rates are plain numbers here, times in ms, noise per sqrt(ms)
    param_units = {"tau_e": u.ms, "tau_i": u.ms, "beta_e": u.UNITLESS, "beta_i": u.UNITLESS,
                   "noise_e": u.ms ** 0.5, "noise_i": u.ms ** 0.5, "e_initializer": u.UNITLESS,
                   "i_initializer": u.UNITLESS}

    def __init__(self, size: Any, tau_e: Any = 2e-2, tau_i: Any = 1e-2, beta_e: Any = 0.066, beta_i: Any = 0.351,
                 noise_e: Any = 0.0, noise_i: Any = 0.0, e_initializer: Any = ZeroInit(),
                 i_initializer: Any = ZeroInit(), keep_size: bool = False, name: str | None = None,
                 mode: Mode | None = None, input_var: bool = True) -> None:
        super().__init__(size, keep_size=keep_size, method="euler", name=name, mode=mode)
        self.tau_e, self.tau_i = self.param("tau_e", tau_e, positive=True), self.param("tau_i", tau_i, positive=True)
        self.beta_e, self.beta_i = self.param("beta_e", beta_e), self.param("beta_i", beta_i)
        self.noise_e = self.param("noise_e", noise_e, nonnegative=True)  # a noise amplitude, as the others
        self.noise_i = self.param("noise_i", noise_i, nonnegative=True)
        self._noise_on = (self._noisy(self.noise_e), self._noisy(self.noise_i))
        self.input_var = check_bool("input_var", input_var)  # bool('no') was True
        self._e_initializer = check_initializer("e_initializer", e_initializer)
        self._i_initializer = check_initializer("i_initializer", i_initializer)
        self.reset_state()

    def reset_state(self, batch_size: int | None = None) -> None:
        self.init_variable("e", self._e_initializer, batch_size=batch_size, description="excitatory rate")
        self.init_variable("i", self._i_initializer, batch_size=batch_size, description="inhibitory rate")
        if self.input_var:
            self.init_variable("Ie", 0.0, batch_size=batch_size, description="excitatory input, zeroed after every step")
            self.init_variable("Ii", 0.0, batch_size=batch_size, description="inhibitory input, zeroed after every step")

    def _inputs(self, inp_e: Any, inp_i: Any) -> tuple:
        if not self.input_var:
            return (0.0 if inp_e is None else inp_e), (0.0 if inp_i is None else inp_i)
        if inp_e is not None:
            self.Ie.value = self.Ie.value + inp_e
        if inp_i is not None:
            self.Ii.value = self.Ii.value + inp_i
        return self.Ie.value, self.Ii.value

    @staticmethod
    def _noisy(noise: Any) -> bool:
        # BrainPy adds the term iff any noise != 0 (numpy: decided once, not traced); a swept (traced)
        # value always adds it, and a 0 then adds nothing
        return is_traced(noise) or bool(np.any(np.asarray(noise) != 0))

    def update(self, inp_e: Any = None, inp_i: Any = None) -> jax.Array:
        dt = jnp.float32(share.dt)
        input_e, input_i = self._inputs(inp_e, inp_i)
        input_e = input_e + self.sum_current_inputs(self.e.value)
        keys = jax.random.split(self.step_key())
        for k, (var, tau, beta, inp, noise) in enumerate((("e", self.tau_e, self.beta_e, input_e, self.noise_e),
                                                          ("i", self.tau_i, self.beta_i, input_i, self.noise_i))):
            rate = getattr(self, var)
            new = rate.value + dt * (-rate.value + beta * jnp.maximum(inp, 0.0)) / tau
            if self._noise_on[k]:
                new = new + noise / tau * jnp.sqrt(dt) * normal(keys[k], rate.shape, jnp.float32)
            rate.value = jnp.maximum(new, 0.0)
        return self.e.value

    def clear_input(self, *args: Any, **kwargs: Any) -> None:
        if self.input_var:
            self.Ie.value = jnp.zeros_like(self.Ie.value)
            self.Ii.value = jnp.zeros_like(self.Ii.value)
