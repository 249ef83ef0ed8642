"""``Izhikevich``: the Izhikevich (2003) simple model, BrainPy's defaults (regular spiking)."""
from __future__ import annotations

from typing import Any

import jax
import brainunit as u
import jax.numpy as jnp

from ...core.initializers import Constant
from ...core.modes import Mode
from ...core.variable import Variable
from ._base import check_initializer
from ._refractory import HeldRefractory

__all__ = ["Izhikevich"]


class Izhikevich(HeldRefractory):
    r"""Izhikevich neurons.

    ::

        dV/dt = 0.04 V^2 + 5 V + 140 - u + I(t)
        du/dt = a (b V - u)
        I(t) = input + sum_current_inputs(V);  V += sum_delta_inputs() after integration
        spike = V >= V_th:  V = c,  u += d

    Defaults are BrainPy 2.8.2's (a = 0.02, b = 0.2, c = -65, d = 8, V_th = 30: regular spiking),
    initial values included: V = -70 mV and, unless ``u_initializer`` is given, u = b * V (the
    ``IzhikevichLTC.reset_state`` of ``brainpy/dyn/neurons/lif.py``). ``tau_ref`` (ms) adds BrainPy's
    refractory period (``IzhikevichRef``: V is held, u keeps integrating; ``_refractory.py``); without it
    (the default) the group has no refractory state.

    ``noise`` (mV/sqrt(ms)): membrane noise, ``dV = f dt + noise dW`` on V only, as BrainPy's ``noise=``
    (Euler-Maruyama after the step's integration, drawn from the group's step key: ``MembraneNoise``).

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> from brainbatch.models.neurons import Izhikevich
    >>> g = Izhikevich(1)
    >>> spikes = bb.for_loop(lambda i: g.step_run(i, 10.), jnp.arange(2000), dyn_vars=g)
    >>> bool(spikes.sum() > 3)
    True
    """

    #: units of the physical parameters (docs/units.md); bare numbers are read in these units
    param_units = {"a": u.ms**-1, "b": u.ms**-1, "c": u.mV, "d": u.mV / u.ms, "V_th": u.mV,
                   "V_initializer": u.mV, "u_initializer": u.mV / u.ms, "tau_ref": u.ms,
                   "noise": u.mV / u.ms ** 0.5}

    # made by reset_state (init_variable): declared for the type checker only (after param_units, which
    # reads the module brainunit as u)
    V: Variable
    u: Variable

    current_units = "mV/ms"  # u and I enter dV/dt directly

    def __init__(self, size: Any, keep_size: bool = False, a: Any = 0.02, b: Any = 0.20, c: Any = -65.0,
                 d: Any = 8.0, V_th: Any = 30.0, V_initializer: Any = Constant(-70.0),
                 u_initializer: Any = None, method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None, *, tau_ref: Any = None, noise: Any = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.a = self.param("a", a)
        self.b = self.param("b", b)
        self.c = self.param("c", c)
        self.d = self.param("d", d)
        self.V_th = self.param("V_th", V_th)
        self.set_tau_ref(tau_ref)
        self._V_initializer = check_initializer("V_initializer", V_initializer)
        self._u_initializer = check_initializer("u_initializer", u_initializer, allow_none=True)
        self.set_noise(noise)
        self.reset_state()

    def reset_state(self, batch_size: int | None = None) -> None:
        V = self.init_variable("V", self._V_initializer, batch_size=batch_size, units="mV",
                               description="membrane potential")
        start_b = getattr(self, "_u_start_b", None)  # a subclass's fixed b for u's start (brainpy/neurons.py)
        b = self.b if start_b is None else start_b
        u0 = b * V.value if self._u_initializer is None else self._u_initializer
        self.init_variable("u", u0, batch_size=batch_size, units="mV/ms",
                           description="recovery variable")
        self.init_input_and_spike(batch_size)
        self.init_refractory(batch_size)

    def derivative(self, y: tuple, t: Any, I_ext: jax.Array) -> tuple:
        V, u = y
        I = I_ext + self.sum_current_inputs(V)
        dV = 0.04 * V * V + 5.0 * V + 140.0 - u + I
        du = self.a * (self.b * V - u)
        return dV, du

    def update(self, x: Any = None) -> jax.Array:
        self.add_external(x)
        V, u = self.integrate(self.derivative, (self.V.value, self.u.value), self.input.value)
        V, refractory = self.hold_V(self.membrane_noise(V) + self.sum_delta_inputs())
        spike = V >= self.V_th
        self.V.value = jnp.where(spike, self.c, V)
        self.u.value = jnp.where(spike, u + self.d, u)
        self.spike.value = spike
        self.note_spikes(spike, refractory)
        return spike
