"""``FHNNeuron``: the spiking FitzHugh-Nagumo neuron (BrainPy 2.8.2's ``neurons.FHN``; ``FHN`` is the rate model)."""
from __future__ import annotations

from typing import Any

import jax
import brainunit as u

from ...core.initializers import ZeroInit
from ...core.modes import Mode
from ...core.variable import Variable
from ._base import SpikingNeuron, check_initializer
from ._crossing import upward_crossing

__all__ = ["FHNNeuron"]


class FHNNeuron(SpikingNeuron):
    r"""FitzHugh-Nagumo neurons, BrainPy's ``bp.neurons.FHN`` (its defaults; V and w start at 0)::

        dV/dt = V - V^3 / 3 - w + I(t)
        tau dw/dt = V + a - b w
        I(t) = input + sum_current_inputs(V);  V += sum_delta_inputs() after integration
        spike = V >= Vth in this step and V < Vth before it (no reset)

    V and w advance together, each linearised on its own (BrainPy's ``JointEq`` with ``exp_auto``).
    Not the rate model ``FHN`` (``bp.rates.FHN``), whose nodes have OU noise and no spikes.

    ``noise`` (mV/sqrt(ms)): membrane noise, ``dV = f dt + noise dW`` on V only, as BrainPy's ``noise=``
    (Euler-Maruyama after the step's integration, drawn from the group's step key: ``MembraneNoise``).

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> fhn = FHNNeuron(2)
    >>> spikes = bb.for_loop(lambda i: fhn.step_run(i, 1.5), jnp.arange(1000), dyn_vars=fhn)  # 100 ms
    >>> int(spikes[:, 0].sum())
    1
    """

    # made by reset_state (init_variable): declared for the type checker only
    V: Variable
    w: Variable

    #: units (docs/units.md): BrainPy's table gives Vth in mV; tau in ms
    param_units = {"a": u.UNITLESS, "b": u.UNITLESS, "tau": u.ms, "Vth": u.mV, "V_initializer": u.mV,
                   "w_initializer": u.mV, "noise": u.mV / u.ms ** 0.5}

    def __init__(self, size: Any, keep_size: bool = False, a: Any = 0.7, b: Any = 0.8, tau: Any = 12.5,
                 Vth: Any = 1.8, V_initializer: Any = ZeroInit(), w_initializer: Any = ZeroInit(),
                 method: str = "exp_euler", name: str | None = None, mode: Mode | None = None, *,
                 noise: Any = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.a, self.b = self.param("a", a), self.param("b", b)
        self.tau, self.Vth = self.param("tau", tau, positive=True), self.param("Vth", Vth)
        self._V_initializer = check_initializer("V_initializer", V_initializer)
        self._w_initializer = check_initializer("w_initializer", w_initializer)
        self.set_noise(noise)
        self.reset_state()

    def reset_state(self, batch_size: int | None = None) -> None:
        self.init_variable("V", self._V_initializer, batch_size=batch_size, units="mV", description="membrane potential")
        self.init_variable("w", self._w_initializer, batch_size=batch_size, units="mV", description="recovery variable")
        self.init_input_and_spike(batch_size)

    def derivative(self, state: tuple, t: Any, I_ext: Any) -> tuple:
        V, w = state
        I = I_ext + self.sum_current_inputs(V)
        return V - V * V * V / 3 - w + I, (V + self.a - self.b * w) / self.tau

    def update(self, x: Any = None) -> jax.Array:
        self.add_external(x)
        V, w = self.integrate(self.derivative, (self.V.value, self.w.value), self.input.value)
        V = self.membrane_noise(V) + self.sum_delta_inputs()
        self.spike.value = upward_crossing(V, self.V.value, self.Vth)
        self.V.value, self.w.value = V, w
        return self.spike.value
