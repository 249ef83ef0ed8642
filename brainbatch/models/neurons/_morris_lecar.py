"""``MorrisLecar``: the two-variable Ca/K conductance neuron (BrainPy 2.8.2's ``MorrisLecar``)."""
from __future__ import annotations

from typing import Any

import jax
import brainunit as u
import jax.numpy as jnp

from ...core.initializers import OneInit, Uniform
from ...core.modes import Mode
from ...core.variable import Variable
from ._base import SpikingNeuron, check_initializer
from ._crossing import upward_crossing

__all__ = ["MorrisLecar"]

_CONDUCTANCE = u.mS / u.cm**2


class MorrisLecar(SpikingNeuron):
    r"""Morris-Lecar neurons (1981), BrainPy's parameters and defaults (V in mV, W the open K+ fraction)::

        C dV/dt = -g_Ca M_inf(V) (V - V_Ca) - g_K W (V - V_K) - g_leak (V - V_leak) + I(t)
        dW/dt   = phi cosh((V - V3) / (2 V4)) (W_inf(V) - W)
        M_inf = (1 + tanh((V - V1) / V2)) / 2,   W_inf = (1 + tanh((V - V3) / V4)) / 2
        I(t) = input + sum_current_inputs(V);  V += sum_delta_inputs() after integration
        spike = V >= V_th in this step and V < V_th before it (no reset)

    V and W advance together, each linearised on its own (BrainPy's ``JointEq`` with ``exp_auto``).
    V starts uniform in [-70, -60) mV and W at 0.02, as in BrainPy.

    ``noise`` (mV/sqrt(ms)): membrane noise, ``dV = f dt + noise dW`` on V only, as BrainPy's ``noise=``
    (Euler-Maruyama after the step's integration, drawn from the group's step key: ``MembraneNoise``).

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> ml = MorrisLecar(2, V_initializer=bb.Constant(-40.))
    >>> spikes = bb.for_loop(lambda i: ml.step_run(i, 150.), jnp.arange(1000), dyn_vars=ml)  # 100 ms
    >>> [int(s) for s in spikes.sum(0)]
    [2, 2]
    """

    # made by reset_state (init_variable): declared for the type checker only
    V: Variable
    W: Variable

    #: units (docs/units.md): BrainPy's table (conductances in mS/cm^2, C in uF/cm^2, phi a rate)
    param_units = {"V_Ca": u.mV, "g_Ca": _CONDUCTANCE, "V_K": u.mV, "g_K": _CONDUCTANCE, "V_leak": u.mV,
                   "g_leak": _CONDUCTANCE, "C": u.uF / u.cm**2, "V1": u.mV, "V2": u.mV, "V3": u.mV, "V4": u.mV,
                   "phi": u.ms ** -1, "V_th": u.mV, "V_initializer": u.mV, "W_initializer": u.UNITLESS,
                   "noise": u.mV / u.ms ** 0.5}

    current_units = "uA/cm^2"

    def __init__(self, size: Any, keep_size: bool = False, V_Ca: Any = 130.0, g_Ca: Any = 4.4, V_K: Any = -84.0,
                 g_K: Any = 8.0, V_leak: Any = -60.0, g_leak: Any = 2.0, C: Any = 20.0, V1: Any = -1.2,
                 V2: Any = 18.0, V3: Any = 2.0, V4: Any = 30.0, phi: Any = 0.04, V_th: Any = 10.0,
                 V_initializer: Any = Uniform(-70.0, -60.0), W_initializer: Any = OneInit(0.02),
                 method: str = "exp_euler", name: str | None = None, mode: Mode | None = None, *, noise: Any = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.V_Ca, self.V_K, self.V_leak = self.param("V_Ca", V_Ca), self.param("V_K", V_K), self.param("V_leak", V_leak)
        self.g_Ca = self.param("g_Ca", g_Ca, nonnegative=True)
        self.g_K = self.param("g_K", g_K, nonnegative=True)
        self.g_leak = self.param("g_leak", g_leak, nonnegative=True)
        self.C = self.param("C", C, positive=True)
        self.V1, self.V2 = self.param("V1", V1), self.param("V2", V2)
        self.V3, self.V4 = self.param("V3", V3), self.param("V4", V4)
        self.phi = self.param("phi", phi, positive=True)
        self.V_th = self.param("V_th", V_th)
        self._V_initializer = check_initializer("V_initializer", V_initializer)
        self._W_initializer = check_initializer("W_initializer", W_initializer)
        self.set_noise(noise)
        self.reset_state()

    def reset_state(self, batch_size: int | None = None) -> None:
        self.init_variable("V", self._V_initializer, batch_size=batch_size, units="mV", description="membrane potential")
        self.init_variable("W", self._W_initializer, batch_size=batch_size, units="1",
                           description="recovery variable (open fraction of the K+ channels)")
        self.init_input_and_spike(batch_size)

    def derivative(self, state: tuple, t: Any, I_ext: Any) -> tuple:
        V, W = state
        M_inf = 0.5 * (1 + jnp.tanh((V - self.V1) / self.V2))
        I_ion = self.g_Ca * M_inf * (V - self.V_Ca) + self.g_K * W * (V - self.V_K) + self.g_leak * (V - self.V_leak)
        dV = (-I_ion + I_ext + self.sum_current_inputs(V)) / self.C
        W_inf = 0.5 * (1 + jnp.tanh((V - self.V3) / self.V4))
        dW = self.phi * jnp.cosh((V - self.V3) / (2 * self.V4)) * (W_inf - W)
        return dV, dW

    def update(self, x: Any = None) -> jax.Array:
        self.add_external(x)
        V, W = self.integrate(self.derivative, (self.V.value, self.W.value), self.input.value)
        V = self.membrane_noise(V) + self.sum_delta_inputs()
        self.spike.value = upward_crossing(V, self.V.value, self.V_th)
        self.V.value, self.W.value = V, W
        return self.spike.value
