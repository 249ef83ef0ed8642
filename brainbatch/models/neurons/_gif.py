"""``GIF``: the generalized integrate-and-fire group of Mihalaş & Niebur (2009), BrainPy's defaults."""
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

__all__ = ["GIF"]


class GIF(HeldRefractory):
    r"""Generalized integrate-and-fire neurons: two spike-triggered currents and a moving threshold.

    ::

        dI1/dt = -k1 * I1
        dI2/dt = -k2 * I2
        dV_th/dt = a * (V - V_rest) - b * (V_th - V_th_inf)
        tau * dV/dt = -(V - V_rest) + R * (I(t) + I1 + I2)
        I(t) = input + sum_current_inputs(V);  V += sum_delta_inputs() after integration
        spike = V >= V_th (the threshold the step started with, as BrainPy):
            V = V_reset,  I1 = R1 * I1 + A1,  I2 = R2 * I2 + A2,  V_th = max(V_th_reset, V_th)

    Defaults and initial values are BrainPy 2.8.2's ``Gif`` (``brainpy/dyn/neurons/lif.py``; V starts
    at -70 mV, ``V_th`` at -50 mV, I1 = I2 = 0). ``V_th`` is a state here (the threshold parameter is
    ``V_th_inf``). ``tau_ref`` (ms) adds BrainPy's refractory period (``GifRef``: V is held, the other
    states keep integrating; ``_refractory.py``). ``noise`` (mV/sqrt(ms)): membrane noise, ``dV = f dt + noise dW``
    (Euler-Maruyama after the step's integration, from the group's step key; ``MembraneNoise``).

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> from brainbatch.models.neurons import GIF
    >>> g = GIF(1, a=0.005, A1=-0.5)  # a rising threshold and an after-spike current
    >>> spikes = bb.for_loop(lambda i: g.step_run(i, 1.5), jnp.arange(1000), dyn_vars=g)  # 100 ms
    >>> int(spikes.sum())
    3
    """

    #: the state ``noise=`` drives: "V" (membrane noise), or "I1", where BrainPy 2.8.2's ``Gif`` puts it
    #: (its diffusion goes to the first of its equations, ``dI1``); ``bp.dyn.Gif`` sets "I1"
    noise_on = "V"

    # made by reset_state (init_variable): declared for the type checker only
    V: Variable
    V_th: Variable
    I1: Variable
    I2: Variable

    #: units of the physical parameters (docs/units.md); bare numbers are read in these units
    param_units = {"V_rest": u.mV, "V_reset": u.mV, "V_th_inf": u.mV, "V_th_reset": u.mV, "R": u.UNITLESS,
                   "tau": u.ms, "a": u.ms**-1, "b": u.ms**-1, "k1": u.ms**-1, "k2": u.ms**-1,
                   "R1": u.UNITLESS, "R2": u.UNITLESS, "A1": u.mV, "A2": u.mV, "V_initializer": u.mV,
                   "I1_initializer": u.mV, "I2_initializer": u.mV, "Vth_initializer": u.mV, "tau_ref": u.ms,
                   "noise": u.mV / u.ms ** 0.5}

    def __init__(self, size: Any, keep_size: bool = False, V_rest: Any = -70.0, V_reset: Any = -70.0,
                 V_th_inf: Any = -50.0, V_th_reset: Any = -60.0, R: Any = 20.0, tau: Any = 20.0, a: Any = 0.0,
                 b: Any = 0.01, k1: Any = 0.2, k2: Any = 0.02, R1: Any = 0.0, R2: Any = 1.0, A1: Any = 0.0,
                 A2: Any = 0.0, V_initializer: Any = Constant(-70.0), I1_initializer: Any = Constant(0.0),
                 I2_initializer: Any = Constant(0.0), Vth_initializer: Any = Constant(-50.0),
                 method: str = "exp_euler", name: str | None = None, mode: Mode | None = None, *,
                 tau_ref: Any = None, noise: Any = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.V_rest = self.param("V_rest", V_rest)
        self.V_reset = self.param("V_reset", V_reset)
        self.V_th_inf = self.param("V_th_inf", V_th_inf)
        self.V_th_reset = self.param("V_th_reset", V_th_reset)
        self.R = self.param("R", R)
        self.tau = self.param("tau", tau, positive=True)
        self.a = self.param("a", a)
        self.b = self.param("b", b)
        self.k1 = self.param("k1", k1, nonnegative=True)  # decay rates of the spike-triggered currents
        self.k2 = self.param("k2", k2, nonnegative=True)
        self.R1 = self.param("R1", R1)
        self.R2 = self.param("R2", R2)
        self.A1 = self.param("A1", A1)
        self.A2 = self.param("A2", A2)
        self.set_tau_ref(tau_ref)
        self._initializers = {name: check_initializer(f"{name}_initializer", init) for name, init in
                              (("V", V_initializer), ("I1", I1_initializer), ("I2", I2_initializer))}
        self._initializers["V_th"] = check_initializer("Vth_initializer", Vth_initializer)
        self.set_noise(noise)
        self.reset_state()

    def reset_state(self, batch_size: int | None = None) -> None:
        described = {"V": "membrane potential", "V_th": "spike threshold",
                     "I1": "fast spike-triggered current", "I2": "slow spike-triggered current"}
        for name, description in described.items():
            units = "mV" if name in ("V", "V_th") else self.current_units
            self.init_variable(name, self._initializers[name], batch_size=batch_size, units=units,
                               description=description)
        self.init_input_and_spike(batch_size)
        self.init_refractory(batch_size)

    def derivative(self, y: tuple, t: Any, I_ext: jax.Array) -> tuple:
        I1, I2, V_th, V = y
        I = I_ext + self.sum_current_inputs(V)
        dI1 = -self.k1 * I1
        dI2 = -self.k2 * I2
        dV_th = self.a * (V - self.V_rest) - self.b * (V_th - self.V_th_inf)
        dV = (-(V - self.V_rest) + self.R * (I + I1 + I2)) / self.tau
        return dI1, dI2, dV_th, dV

    def update(self, x: Any = None) -> jax.Array:
        self.add_external(x)
        y = (self.I1.value, self.I2.value, self.V_th.value, self.V.value)
        I1, I2, V_th, V = self.integrate(self.derivative, y, self.input.value)
        if self.noise_on == "I1":
            I1 = self.membrane_noise(I1)
        else:
            V = self.membrane_noise(V)
        V, refractory = self.hold_V(V + self.sum_delta_inputs())
        # the threshold the step started with (BrainPy's GifLTC.update: ``self.V_th <= V`` before V_th is
        # written); with a != 0 the integrated one differs, and a spike would come a step late
        spike = V >= self.V_th.value
        self.V.value = jnp.where(spike, self.V_reset, V)
        self.I1.value = jnp.where(spike, self.R1 * I1 + self.A1, I1)
        self.I2.value = jnp.where(spike, self.R2 * I2 + self.A2, I2)
        self.V_th.value = jnp.where(spike, jnp.maximum(self.V_th_reset, V_th), V_th)
        self.spike.value = spike
        self.note_spikes(spike, refractory)
        return spike
