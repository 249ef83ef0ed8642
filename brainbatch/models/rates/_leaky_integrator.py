"""``LeakyIntegrator``: a leaky membrane without spikes (BrainPy 2.8.2's ``neurons.LeakyIntegrator``)."""
from __future__ import annotations

from typing import Any

import jax
import brainunit as u

from ...core.initializers import ZeroInit
from ...core.modes import Mode
from ...core.variable import Variable
from ...core.checks import check_bool
from ..neurons._base import MembraneNoise, check_initializer
from ._base import RateModel

__all__ = ["LeakyIntegrator"]


class LeakyIntegrator(MembraneNoise, RateModel):
    r"""Leaky integrators, BrainPy's parameters and defaults (V starts at 0)::

        tau dV/dt = -(V - V_rest) + R I(t)
        I(t) = update's x + input + sum_current_inputs(V)     (no threshold, no spikes)

    ``input_var=False``: no ``input`` Variable (only ``update(x)`` drives it). ``update`` returns V.
    BrainPy 2.8.2 never reads its current inputs here (a projection onto it delivers nothing); brainbatch
    adds them, as for every other group. ``noise`` (mV/sqrt(ms)): ``dV = f dt + noise dW``, BrainPy's ``noise=``
    (Euler-Maruyama after the step's integration, from the group's step key: ``MembraneNoise``).

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> li = LeakyIntegrator(2, tau=5.)
    >>> V = bb.for_loop(lambda i: li.step_run(i, 2.), jnp.arange(500), dyn_vars=li)  # 50 ms: V -> R I
    >>> round(float(V[-1, 0]), 3)
    2.0
    """

    # made by reset_state (init_variable): declared for the type checker only
    V: Variable
    input: Variable  # only with input_var=True

    #: units (docs/units.md): BrainPy's table (V_rest in mV, tau in ms; R I is in mV)
    param_units = {"V_rest": u.mV, "R": u.UNITLESS, "tau": u.ms, "V_initializer": u.mV, "noise": u.mV / u.ms ** 0.5}

    #: the state Variable's name and units (``bp.dyn.Integrator`` calls it ``x``, without units)
    _state, _state_units = "V", "mV"

    def __init__(self, size: Any, keep_size: bool = False, V_rest: Any = 0.0, R: Any = 1.0, tau: Any = 10.0,
                 V_initializer: Any = ZeroInit(), input_var: bool = True, method: str = "exp_euler",
                 name: str | None = None, mode: Mode | None = None, *, noise: Any = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.V_rest, self.R = self.param("V_rest", V_rest), self.param("R", R)
        self.tau = self.param("tau", tau, positive=True)
        self.input_var = check_bool("input_var", input_var)  # bool('no') was True
        self._V_initializer = check_initializer(f"{self._state}_initializer", V_initializer)
        self.set_noise(noise)
        self.reset_state()

    def reset_state(self, batch_size: int | None = None) -> None:
        self.init_variable(self._state, self._V_initializer, batch_size=batch_size, units=self._state_units,
                           description="the integrated value")
        if self.input_var:
            self.init_variable("input", 0.0, batch_size=batch_size, units=self._state_units,
                               description="external input I, added to I(t) and zeroed after every step")

    def derivative(self, V: Any, t: Any, I_ext: Any) -> Any:
        return (-V + self.V_rest + self.R * (I_ext + self.sum_current_inputs(V))) / self.tau

    def update(self, x: Any = None) -> jax.Array:
        state: Variable = getattr(self, self._state)
        I_ext = 0.0 if x is None else x
        if self.input_var:
            I_ext = I_ext + self.input.value
        state.value = self.membrane_noise(self.integrate(self.derivative, state.value, I_ext))
        return state.value
