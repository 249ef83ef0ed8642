"""``HindmarshRose``: the bursting three-variable neuron (BrainPy 2.8.2's ``neurons.HindmarshRose``)."""
from __future__ import annotations

from typing import Any

import jax
import brainunit as u

from ...core.initializers import OneInit, ZeroInit
from ...core.modes import Mode
from ...core.variable import Variable
from ._base import SpikingNeuron, check_initializer
from ._crossing import upward_crossing

__all__ = ["HindmarshRose"]


class HindmarshRose(SpikingNeuron):
    r"""Hindmarsh-Rose neurons (1984), BrainPy's parameters, defaults and start (V = 0, y = -10, z = 0)::

        dV/dt = y - a V^3 + b V^2 - z + I(t)
        dy/dt = c - d V^2 - y
        dz/dt = r (s (V - V_rest) - z)
        I(t) = input + sum_current_inputs(V);  V += sum_delta_inputs() after integration
        spike = V >= V_th in this step and V < V_th before it (no reset)

    V, y, z advance together, each linearised on its own (BrainPy's ``JointEq`` with ``exp_auto``).

    ``noise`` (mV/sqrt(ms)): membrane noise, ``dV = f dt + noise dW`` on V only, as BrainPy's ``noise=``
    (Euler-Maruyama after the step's integration, drawn from the group's step key: ``MembraneNoise``).

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> hr = HindmarshRose(2)
    >>> spikes = bb.for_loop(lambda i: hr.step_run(i, 3.), jnp.arange(1000), dyn_vars=hr)  # 100 ms
    >>> int(spikes[:, 0].sum()) > 3   # bursts under I = 3
    True
    """

    # made by reset_state (init_variable): declared for the type checker only
    V: Variable
    y: Variable
    z: Variable

    #: units (docs/units.md): BrainPy's table gives V_rest and V_th in mV; time in ms, r a rate
    param_units = {"a": u.UNITLESS, "b": u.UNITLESS, "c": u.UNITLESS, "d": u.UNITLESS, "r": u.ms ** -1,
                   "s": u.UNITLESS, "V_rest": u.mV, "V_th": u.mV, "V_initializer": u.mV, "y_initializer": u.UNITLESS,
                   "z_initializer": u.UNITLESS, "noise": u.mV / u.ms ** 0.5}

    def __init__(self, size: Any, keep_size: bool = False, a: Any = 1.0, b: Any = 3.0, c: Any = 1.0, d: Any = 5.0,
                 r: Any = 0.01, s: Any = 4.0, V_rest: Any = -1.6, V_th: Any = 1.0, V_initializer: Any = ZeroInit(),
                 y_initializer: Any = OneInit(-10.0), z_initializer: Any = ZeroInit(), method: str = "exp_euler",
                 name: str | None = None, mode: Mode | None = None, *, noise: Any = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.a, self.b, self.c, self.d = (self.param(k, v) for k, v in (("a", a), ("b", b), ("c", c), ("d", d)))
        self.r, self.s = self.param("r", r), self.param("s", s)
        self.V_rest, self.V_th = self.param("V_rest", V_rest), self.param("V_th", V_th)
        self._V_initializer = check_initializer("V_initializer", V_initializer)
        self._y_initializer = check_initializer("y_initializer", y_initializer)
        self._z_initializer = check_initializer("z_initializer", z_initializer)
        self.set_noise(noise)
        self.reset_state()

    def reset_state(self, batch_size: int | None = None) -> None:
        self.init_variable("V", self._V_initializer, batch_size=batch_size, units="mV", description="membrane potential")
        self.init_variable("y", self._y_initializer, batch_size=batch_size, description="spiking (fast recovery) variable")
        self.init_variable("z", self._z_initializer, batch_size=batch_size, description="bursting (slow adaptation) variable")
        self.init_input_and_spike(batch_size)

    def derivative(self, state: tuple, t: Any, I_ext: Any) -> tuple:
        V, y, z = state
        I = I_ext + self.sum_current_inputs(V)
        dV = y - self.a * V * V * V + self.b * V * V - z + I
        return dV, self.c - self.d * V * V - y, self.r * (self.s * (V - self.V_rest) - z)

    def update(self, x: Any = None) -> jax.Array:
        self.add_external(x)
        V, y, z = self.integrate(self.derivative, (self.V.value, self.y.value, self.z.value), self.input.value)
        V = self.membrane_noise(V) + self.sum_delta_inputs()
        self.spike.value = upward_crossing(V, self.V.value, self.V_th)
        self.V.value, self.y.value, self.z.value = V, y, z
        return self.spike.value
