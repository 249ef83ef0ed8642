"""``AdQuaIF``: the adaptive quadratic integrate-and-fire group (BrainPy's ``AdQuaIF`` defaults)."""
from __future__ import annotations

from typing import Any

import jax
import brainunit as u

from ...core.initializers import Constant
from ...core.modes import Mode
from ...core.variable import Variable
from ._base import check_initializer
from ._refractory import AdaptiveIF

__all__ = ["AdQuaIF"]


class AdQuaIF(AdaptiveIF):
    r"""Adaptive quadratic integrate-and-fire neurons (Izhikevich 2004, Touboul 2008).

    ::

        tau   * dV/dt = c * (V - V_rest) * (V - V_c) - w + I(t)
        tau_w * dw/dt = a * (V - V_rest) - w
        I(t) = input + sum_current_inputs(V);  V += sum_delta_inputs() after integration
        spike = V >= V_th:  V = V_reset,  w += b

    There is no ``R``: BrainPy's ``AdQuaIF`` adds ``I`` (and ``w``) as they are. Defaults are BrainPy
    2.8.2's (``brainpy/dyn/neurons/lif.py``: ``b`` 0.1, ``tau_w`` 10 ms), except that V starts at
    ``V_rest``'s default, -65 mV (BrainPy's at 0 mV; ``brainbatch.brainpy``'s ``AdQuaIF`` does as
    BrainPy); w starts at 0. ``tau_ref`` (ms) adds BrainPy's refractory period (``AdQuaIFRef``:
    V is held, w keeps integrating; ``_refractory.py``).

    ``noise`` (mV/sqrt(ms)): membrane noise, ``dV = f dt + noise dW`` on V only, as BrainPy's ``noise=``
    (Euler-Maruyama after the step's integration, drawn from the group's step key: ``MembraneNoise``).

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> from brainbatch.models.neurons import AdQuaIF
    >>> g = AdQuaIF(1)
    >>> spikes = bb.for_loop(lambda i: g.step_run(i, 20.), jnp.arange(1000), dyn_vars=g)  # 100 ms
    >>> int(spikes.sum())
    3
    """

    # made by reset_state (init_variable): declared for the type checker only
    V: Variable
    w: Variable

    #: units of the physical parameters (docs/units.md); bare numbers are read in these units
    param_units = {"V_rest": u.mV, "V_reset": u.mV, "V_th": u.mV, "V_c": u.mV, "a": u.UNITLESS, "b": u.mV,
                   "c": u.mV**-1, "tau": u.ms, "tau_w": u.ms, "V_initializer": u.mV, "w_initializer": u.mV,
                   "tau_ref": u.ms, "noise": u.mV / u.ms ** 0.5}

    def __init__(self, size: Any, keep_size: bool = False, V_rest: Any = -65.0, V_reset: Any = -68.0,
                 V_th: Any = -30.0, V_c: Any = -50.0, a: Any = 1.0, b: Any = 0.1, c: Any = 0.07, tau: Any = 10.0,
                 tau_w: Any = 10.0, V_initializer: Any = Constant(-65.0), w_initializer: Any = Constant(0.0),
                 method: str = "exp_euler", name: str | None = None, mode: Mode | None = None, *,
                 tau_ref: Any = None, noise: Any = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.V_rest = self.param("V_rest", V_rest)
        self.V_reset = self.param("V_reset", V_reset)
        self.V_th = self.param("V_th", V_th)
        self.V_c = self.param("V_c", V_c)
        self.a = self.param("a", a)
        self.b = self.param("b", b)
        self.c = self.param("c", c)
        self.tau = self.param("tau", tau, positive=True)
        self.tau_w = self.param("tau_w", tau_w, positive=True)
        self.set_tau_ref(tau_ref)
        self._V_initializer = check_initializer("V_initializer", V_initializer)
        self._w_initializer = check_initializer("w_initializer", w_initializer)
        self.set_noise(noise)
        self.reset_state()

    def reset_state(self, batch_size: int | None = None) -> None:
        self.init_variable("V", self._V_initializer, batch_size=batch_size, units="mV",
                           description="membrane potential")
        self.init_variable("w", self._w_initializer, batch_size=batch_size, units=self.current_units,
                           description="adaptation current")
        self.init_input_and_spike(batch_size)
        self.init_refractory(batch_size)

    def derivative(self, y: tuple, t: Any, I_ext: jax.Array) -> tuple:
        V, w = y
        I = I_ext + self.sum_current_inputs(V)
        dV = (self.c * (V - self.V_rest) * (V - self.V_c) - w + I) / self.tau
        dw = (self.a * (V - self.V_rest) - w) / self.tau_w
        return dV, dw
