"""``WangBuzsakiHH``: the fast-spiking interneuron of Wang & Buzsaki (1996), a reduced Hodgkin-Huxley model."""
from __future__ import annotations

from typing import Any

import jax
import brainunit as u
import jax.numpy as jnp

from ...core.initializers import OneInit
from ...core.modes import Mode
from ...core.variable import Variable
from ._base import SpikingNeuron, check_initializer
from ._crossing import upward_crossing
from ._hh import _x_over_expm1

__all__ = ["WangBuzsakiHH"]

_CONDUCTANCE = u.mS / u.cm**2


def m_inf(V: Any) -> Any:
    """The instantaneous Na+ activation: ``alpha_m / (alpha_m + beta_m)``."""
    alpha = 0.1 * _x_over_expm1(V + 35.0, 10.0)  # 0.1 (V+35) / (1 - exp(-0.1 (V+35))): finite at V = -35
    beta = 4.0 * jnp.exp(-(V + 60.0) / 18.0)
    return alpha / (alpha + beta)


def h_rates(V: Any) -> tuple:
    return 0.07 * jnp.exp(-(V + 58.0) / 20.0), 1.0 / (jnp.exp(-0.1 * (V + 28.0)) + 1.0)


def n_alpha(V: Any) -> Any:
    """The paper's ``0.01 (V+34) / (1 - exp(-0.1 (V+34)))``."""
    return 0.01 * _x_over_expm1(V + 34.0, 10.0)


def n_beta(V: Any) -> Any:
    return 0.125 * jnp.exp(-(V + 44.0) / 80.0)


class WangBuzsakiHH(SpikingNeuron):
    r"""Wang-Buzsaki neurons (rates in 1/ms, V in mV, conductances in mS/cm^2, C in uF/cm^2)::

        C dV/dt = -gNa m_inf(V)^3 h (V - ENa) - gK n^4 (V - EK) - gL (V - EL) + I(t)
        dh/dt = phi (alpha_h (1 - h) - beta_h h),   dn/dt = phi (alpha_n (1 - n) - beta_n n)
        I(t) = input + sum_current_inputs(V);  V += sum_delta_inputs() after integration
        spike when V crosses V_th upward in a step (V_start < V_th <= V_end); there is no reset

    alpha_m = 0.1 (V+35) / (1 - exp(-0.1 (V+35))), beta_m = 4 exp(-(V+60)/18), m_inf = alpha_m / (alpha_m + beta_m),
    alpha_h = 0.07 exp(-(V+58)/20),                beta_h = 1 / (1 + exp(-0.1 (V+28))),
    alpha_n = 0.01 (V+34) / (1 - exp(-0.1 (V+34))), beta_n = 0.125 exp(-(V+44)/80).
    Defaults and start (V = -65 mV, h = 0.6, n = 0.32) are BrainPy's ``WangBuzsakiHH``; its alpha_n is ten
    times the paper's (``bp.dyn.WangBuzsakiHH`` keeps that, docs/migrating-from-brainpy.md). V, h, n advance
    together, each linearised on its own (BrainPy's ``JointEq`` with ``exp_auto``).

    ``noise`` (mV/sqrt(ms)): membrane noise, ``dV = f dt + noise dW`` on V only, as BrainPy's ``noise=``
    (Euler-Maruyama after the step's integration, drawn from the group's step key: ``MembraneNoise``).

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> wb = WangBuzsakiHH(1)
    >>> spikes = bb.for_loop(lambda i: wb.step_run(i, 1.), jnp.arange(1000), dyn_vars=wb)  # 100 ms
    >>> int(spikes.sum())  # tonic firing under 1 uA/cm^2 (BrainPy's alpha_n: none)
    4
    """

    # made by reset_state (init_variable): declared for the type checker only
    V: Variable
    h: Variable
    n: Variable

    #: units of the physical parameters (docs/units.md); bare numbers are read in these units
    param_units = {"ENa": u.mV, "gNa": _CONDUCTANCE, "EK": u.mV, "gK": _CONDUCTANCE, "EL": u.mV, "gL": _CONDUCTANCE,
                   "V_th": u.mV, "phi": u.UNITLESS, "C": u.uF / u.cm**2, "V_initializer": u.mV,
                   "h_initializer": u.UNITLESS, "n_initializer": u.UNITLESS, "noise": u.mV / u.ms ** 0.5}

    current_units = "uA/cm^2"

    #: the gates' rate functions of V (a subclass may put others: ``bp.dyn.WangBuzsakiHH`` does for alpha_n)
    n_alpha = staticmethod(n_alpha)

    def __init__(self, size: Any, keep_size: bool = False, ENa: Any = 55.0, gNa: Any = 35.0, EK: Any = -90.0,
                 gK: Any = 9.0, EL: Any = -65.0, gL: Any = 0.1, V_th: Any = 20.0, phi: Any = 5.0, C: Any = 1.0,
                 V_initializer: Any = OneInit(-65.0), h_initializer: Any = OneInit(0.6),
                 n_initializer: Any = OneInit(0.32), method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None, *, noise: Any = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.ENa, self.EK, self.EL = self.param("ENa", ENa), self.param("EK", EK), self.param("EL", EL)
        self.gNa = self.param("gNa", gNa, nonnegative=True)
        self.gK = self.param("gK", gK, nonnegative=True)
        self.gL = self.param("gL", gL, nonnegative=True)
        self.V_th = self.param("V_th", V_th)
        self.phi = self.param("phi", phi, positive=True)
        self.C = self.param("C", C, positive=True)
        self._V_initializer = check_initializer("V_initializer", V_initializer)
        self._h_initializer = check_initializer("h_initializer", h_initializer)
        self._n_initializer = check_initializer("n_initializer", n_initializer)
        self.set_noise(noise)
        self.reset_state()

    def reset_state(self, batch_size: int | None = None) -> None:
        self.init_variable("V", self._V_initializer, batch_size=batch_size, units="mV", description="membrane potential")
        self.init_variable("h", self._h_initializer, batch_size=batch_size, units="1",
                           description="Na+ inactivation gate (open fraction)")
        self.init_variable("n", self._n_initializer, batch_size=batch_size, units="1",
                           description="K+ activation gate (open fraction)")
        self.init_input_and_spike(batch_size)

    def derivative(self, state: tuple, t: Any, I_ext: Any) -> tuple:
        V, h, n = state
        I_Na = self.gNa * m_inf(V) ** 3 * h * (V - self.ENa)
        I_K = self.gK * n ** 4 * (V - self.EK)
        I_L = self.gL * (V - self.EL)
        dV = (-I_Na - I_K - I_L + I_ext + self.sum_current_inputs(V)) / self.C
        alpha_h, beta_h = h_rates(V)
        dh = self.phi * (alpha_h * (1 - h) - beta_h * h)
        dn = self.phi * (self.n_alpha(V) * (1 - n) - n_beta(V) * n)
        return dV, dh, dn

    def update(self, x: Any = None) -> jax.Array:
        self.add_external(x)
        V, h, n = self.integrate(self.derivative, (self.V.value, self.h.value, self.n.value), self.input.value)
        V = self.membrane_noise(V) + self.sum_delta_inputs()
        self.spike.value = upward_crossing(V, self.V.value, self.V_th)
        self.V.value, self.h.value, self.n.value = V, h, n
        return self.spike.value
