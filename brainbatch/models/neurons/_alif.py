"""``ALIF``: leaky integrate-and-fire with an adaptive threshold (Bellec et al. 2020; BrainPy's ``ALIFBellec2020``)."""
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

__all__ = ["ALIF"]


class ALIF(HeldRefractory):
    r"""Adaptive leaky integrate-and-fire neurons: every spike raises the threshold, which relaxes back slowly.

    ::

        tau   * dV/dt = -(V - V_rest) + R * I(t)
        tau_a * da/dt = -a
        I(t) = input + sum_current_inputs(V);  V += sum_delta_inputs() after integration
        spike = V >= V_th + beta * a   (a as the step started):  V -= V_th - V_rest,  a += 1

    The reset subtracts the threshold's distance from rest (Bellec et al. 2020, "A solution to the learning
    dilemma for recurrent networks of spiking neurons", whose V is measured from rest): what is left above
    threshold carries over. Defaults are BrainPy 2.8.2's ``ALIFBellec2020`` (``V_rest`` -70, ``V_th`` -60 mV,
    ``beta`` 1.6 mV, ``tau`` 20 ms, ``tau_a`` 2 s; V starts at -70 mV, a at 0). BrainPy subtracts ``V_th``
    itself, the same when ``V_rest = 0``; with its negative default ``V_th`` a spike raises V by 60 mV and the
    neuron runs away (``brainbatch.brainpy``'s ``ALIFBellec2020`` does as BrainPy). ``tau_ref`` (ms) holds V
    for ``tau_ref / dt`` steps after a spike (BrainPy's rule, ``_refractory.py``); ``noise`` (mV/sqrt(ms)):
    membrane noise on V, ``dV = f dt + noise dW`` (``MembraneNoise``).

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> from brainbatch.models.neurons import ALIF
    >>> g = ALIF(1, tau_a=200.)
    >>> spikes = bb.for_loop(lambda i: g.step_run(i, 30.), jnp.arange(3000), dyn_vars=g)  # 300 ms
    >>> steps = jnp.flatnonzero(spikes[:, 0])
    >>> int(steps[1] - steps[0]), int(steps[-1] - steps[-2])  # the threshold climbs: intervals grow
    (97, 197)
    """

    # made by reset_state (init_variable): declared for the type checker only
    V: Variable
    a: Variable

    #: units of the physical parameters (docs/units.md); bare numbers are read in these units
    param_units = {"V_rest": u.mV, "V_th": u.mV, "R": u.UNITLESS, "beta": u.mV, "tau": u.ms, "tau_a": u.ms,
                   "V_initializer": u.mV, "a_initializer": u.UNITLESS, "tau_ref": u.ms, "noise": u.mV / u.ms ** 0.5}

    def __init__(self, size: Any, keep_size: bool = False, V_rest: Any = -70.0, V_th: Any = -60.0, R: Any = 1.0,
                 beta: Any = 1.6, tau: Any = 20.0, tau_a: Any = 2000.0, V_initializer: Any = Constant(-70.0),
                 a_initializer: Any = Constant(0.0), method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None, *, tau_ref: Any = None, noise: Any = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.V_rest = self.param("V_rest", V_rest)
        self.V_th = self.param("V_th", V_th)
        self.R = self.param("R", R)
        self.beta = self.param("beta", beta)
        self.tau = self.param("tau", tau, positive=True)
        self.tau_a = self.param("tau_a", tau_a, positive=True)
        self.set_tau_ref(tau_ref)
        self.set_noise(noise)
        self._V_initializer = check_initializer("V_initializer", V_initializer)
        self._a_initializer = check_initializer("a_initializer", a_initializer)
        self.reset_state()

    def reset_state(self, batch_size: int | None = None) -> None:
        self.init_variable("V", self._V_initializer, batch_size=batch_size, units="mV",
                           description="membrane potential")
        self.init_variable("a", self._a_initializer, batch_size=batch_size, units="1",
                           description="threshold adaptation (+1 per spike; the threshold is V_th + beta a)")
        self.init_input_and_spike(batch_size)
        self.init_refractory(batch_size)

    def derivative(self, y: tuple, t: Any, I_ext: jax.Array) -> tuple:
        V, a = y
        I = I_ext + self.sum_current_inputs(V)
        return (-(V - self.V_rest) + self.R * I) / self.tau, -a / self.tau_a

    def reset_drop(self) -> Any:
        """What a spike subtracts from V: the threshold's distance from rest."""
        return self.V_th - self.V_rest

    def update(self, x: Any = None) -> jax.Array:
        self.add_external(x)
        V, a = self.integrate(self.derivative, (self.V.value, self.a.value), self.input.value)
        V, refractory = self.hold_V(self.membrane_noise(V) + self.sum_delta_inputs())
        spike = V >= self.V_th + self.beta * self.a.value
        self.V.value = jnp.where(spike, V - self.reset_drop(), V)
        self.a.value = a + spike.astype(a.dtype)
        self.spike.value = spike
        self.note_spikes(spike, refractory)
        return spike
