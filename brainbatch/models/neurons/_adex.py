"""``AdEx``: the adaptive exponential integrate-and-fire group (BrainPy's ``AdExIF`` defaults)."""
from __future__ import annotations

from typing import Any

import jax
import brainunit as u
import jax.numpy as jnp

from ...core.initializers import Constant
from ...core.modes import Mode
from ...core.variable import Variable
from ._base import check_initializer
from ._refractory import AdaptiveIF

__all__ = ["AdEx"]

# exp() of more than this many slope factors is cut off: it only happens above threshold, within the
# step that resets the neuron, and keeps exponential Euler finite instead of inf/NaN.
_MAX_EXP_ARG = 30.0


class AdEx(AdaptiveIF):
    r"""Adaptive exponential integrate-and-fire neurons (Brette & Gerstner 2005).

    ::

        tau   * dV/dt = -(V - V_rest) + delta_T * exp((V - V_T) / delta_T) - R * w + R * I(t)
        tau_w * dw/dt = a * (V - V_rest) - w
        I(t) = input + sum_current_inputs(V);  V += sum_delta_inputs() after integration
        spike = V >= V_th:  V = V_reset,  w += b

    Defaults are BrainPy 2.8.2's ``AdExIF`` parameters (as in its code, ``brainpy/dyn/neurons/lif.py``:
    V_th = -55 mV; its docstring's table says -30). Unlike BrainPy, whose V starts at 0 mV, above
    threshold, so that every neuron spikes in its first step, V starts at ``V_rest``'s default,
    -65 mV; w starts at 0 as there. ``brainbatch.brainpy``'s ``AdExIF`` starts at 0 mV, as BrainPy.
    ``tau_ref`` (ms) adds BrainPy's refractory period (``AdExIFRef``: V is held, w keeps integrating;
    ``_refractory.py``); without it (the default) the group has no refractory state.

    ``noise`` (mV/sqrt(ms)): membrane noise, ``dV = f dt + noise dW`` on V only, as BrainPy's ``noise=``
    (Euler-Maruyama after the step's integration, drawn from the group's step key: ``MembraneNoise``).

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> from brainbatch.models.neurons import AdEx
    >>> g = AdEx(1)
    >>> spikes = bb.for_loop(lambda i: g.step_run(i, 20.), jnp.arange(2000), dyn_vars=g)
    >>> bool(spikes.sum() > 3)  # adapting regular firing under 20 units of current
    True
    """

    # made by reset_state (init_variable): declared for the type checker only
    V: Variable
    w: Variable

    #: units of the physical parameters (docs/units.md); bare numbers are read in these units
    param_units = {"V_rest": u.mV, "V_reset": u.mV, "V_th": u.mV, "V_T": u.mV, "delta_T": u.mV,
                   "a": u.UNITLESS, "b": u.mV, "tau": u.ms, "tau_w": u.ms, "R": u.UNITLESS,
                   "V_initializer": u.mV, "w_initializer": u.mV, "tau_ref": u.ms,
                   "noise": u.mV / u.ms ** 0.5}

    def __init__(self, size: Any, keep_size: bool = False, V_rest: Any = -65.0, V_reset: Any = -68.0,
                 V_th: Any = -55.0, V_T: Any = -59.9, delta_T: Any = 3.48, a: Any = 1.0, b: Any = 1.0,
                 tau: Any = 10.0, tau_w: Any = 30.0, R: Any = 1.0, V_initializer: Any = Constant(-65.0),
                 w_initializer: Any = Constant(0.0), method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None, *, tau_ref: Any = None, noise: Any = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.V_rest = self.param("V_rest", V_rest)
        self.V_reset = self.param("V_reset", V_reset)
        self.V_th = self.param("V_th", V_th)
        self.V_T = self.param("V_T", V_T)
        self.delta_T = self.param("delta_T", delta_T, positive=True)
        self.a = self.param("a", a)
        self.b = self.param("b", b)
        self.tau = self.param("tau", tau, positive=True)
        self.tau_w = self.param("tau_w", tau_w, positive=True)
        self.R = self.param("R", R)
        self.set_tau_ref(tau_ref)
        self._V_initializer = check_initializer("V_initializer", V_initializer)
        self._w_initializer = check_initializer("w_initializer", w_initializer)
        self.set_noise(noise)
        self.reset_state()

    def reset_state(self, batch_size: int | None = None) -> None:
        self.init_variable("V", self._V_initializer, batch_size=batch_size, units="mV",
                           description="membrane potential")
        self.init_variable("w", self._w_initializer, batch_size=batch_size, units=self.current_units,
                           description="adaptation current (R * w is in mV)")
        self.init_input_and_spike(batch_size)
        self.init_refractory(batch_size)

    def derivative(self, y: tuple, t: Any, I_ext: jax.Array) -> tuple:
        V, w = y
        spike_drive = self.delta_T * jnp.exp(jnp.minimum((V - self.V_T) / self.delta_T, _MAX_EXP_ARG))
        I = I_ext + self.sum_current_inputs(V)
        dV = (-(V - self.V_rest) + spike_drive - self.R * w + self.R * I) / self.tau
        dw = (self.a * (V - self.V_rest) - w) / self.tau_w
        return dV, dw
