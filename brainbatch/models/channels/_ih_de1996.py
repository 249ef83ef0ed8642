"""Calcium-modulated hyperpolarisation-activated current (Destexhe et al. 1996; BrainPy 2.8.2's ``Ih_De1996``),
on a calcium ion with its own ``E`` (-40 mV): ``g_max (O + g_inc O_L) (E - V)``. Closed/open channels
(``O``; rates ``alpha = m_inf / tau_m``, ``beta = (1 - m_inf) / tau_m``), a regulating factor bound by four calcium
ions (``P1``; ``k1 = k2 / Ca_half^4``) and the locked-open form ``O_L`` (``k3 = k4 / 0.01``)::

    dO/dt  = alpha (1 - O - O_L) - beta O
    dO_L/dt = k3 P1 O - k4 O_L
    dP1/dt = k1 C^4 (1 - P1) - k2 P1

with ``m_inf = 1 / (1 + exp((V + 75 - V_sh)/5.5))``, ``tau_m = (20 + 1000 / (exp((V + 71.5 - V_sh)/14.2) +
exp(-(V + 89 - V_sh)/11.6))) / phi``, ``phi = T_base ** ((T - 24)/10)`` unless given. All three start at 0,
and at their steady state for V and C when the group resets them.
"""
from __future__ import annotations

from typing import Any

import brainunit as u
import jax
import jax.numpy as jnp

from ...core.modes import Mode
from ...core.variable import Variable
from ._ion import Calcium, HostedChannel, IonInfo

__all__ = ["Ih_De1996"]


class Ih_De1996(HostedChannel):
    """Destexhe's calcium-modulated h-current (docstring of the module).

    >>> ch = Ih_De1996(1); ch.reset_state(jnp.array([-75.0]), IonInfo(C=jnp.array([2e-3]), E=120.))
    >>> round(float(ch.P1.value[0]), 4), round(float(ch.OL.value[0] / ch.O.value[0]), 4)
    (0.5, 50.0)
    """

    # made by __init__ and reset_state (init_variable): declared for the type checker only
    O: Variable
    OL: Variable
    P1: Variable

    ions = (Calcium,)
    param_units = {"E": u.mV, "k2": u.kHz, "k4": u.kHz, "V_sh": u.mV, "g_max": u.mS / u.cm**2,
                   "g_inc": u.UNITLESS, "Ca_half": u.mM, "T": u.UNITLESS, "T_base": u.UNITLESS, "phi": u.UNITLESS}

    def __init__(self, size: Any, keep_size: bool = False, E: Any = -40.0, k2: Any = 4e-4, k4: Any = 1e-3,
                 V_sh: Any = 0.0, g_max: Any = 0.02, g_inc: Any = 2.0, Ca_half: Any = 2e-3, T: Any = 36.0,
                 T_base: Any = 3.0, phi: Any = None, method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.T = self.param("T", T)
        self.T_base = self.param("T_base", T_base, positive=True)
        self.phi = self.param("phi", self.T_base ** ((self.T - 24.0) / 10) if phi is None else phi, positive=True)
        self.E = self.param("E", E)
        self.k2 = self.param("k2", k2, positive=True)
        self.Ca_half = self.param("Ca_half", Ca_half, positive=True)
        self.k1 = self.k2 / self.Ca_half ** 4
        self.k4 = self.param("k4", k4, positive=True)
        self.k3 = self.k4 / 0.01
        self.V_sh = self.param("V_sh", V_sh)
        self.g_max = self.param("g_max", g_max, nonnegative=True)
        self.g_inc = self.param("g_inc", g_inc, nonnegative=True)
        for var in ("O", "OL", "P1"):
            self.init_variable(var, 0.0)  # 0 until the group resets them (as in BrainPy)

    def f_inf(self, V: Any) -> Any:
        return 1 / (1 + jnp.exp((V + 75 - self.V_sh) / 5.5))

    def f_tau(self, V: Any) -> Any:
        return (20.0 + 1000 / (jnp.exp((V + 71.5 - self.V_sh) / 14.2) + jnp.exp(-(V + 89 - self.V_sh) / 11.6))) / self.phi

    def derivative(self, y: Any, t: Any, V: Any, C: Any) -> Any:
        O, OL, P1 = y
        inf, tau = self.f_inf(V), self.f_tau(V)
        alpha, beta = inf / tau, (1 - inf) / tau
        dO = alpha * (1 - O - OL) - beta * O
        dOL = self.k3 * P1 * O - self.k4 * OL
        dP1 = self.k1 * C ** 4 * (1 - P1) - self.k2 * P1
        return dO, dOL, dP1

    def reset_state(self, V: Any = None, ca: Any = None, batch_size: int | None = None) -> None:  # type: ignore[override]
        shape = self.get_batch_shape(batch_size) + tuple(self.varshape)
        P1 = jnp.broadcast_to(self.k1 * ca.C ** 4 / (self.k1 * ca.C ** 4 + self.k2), shape)
        inf, tau = self.f_inf(V), self.f_tau(V)
        alpha, beta = inf / tau, (1 - inf) / tau
        O = alpha / (alpha + alpha * self.k3 * P1 / self.k4 + beta)
        self.init_variable("P1", P1, batch_size=batch_size, description="calcium-bound regulating factor")
        self.init_variable("O", O, batch_size=batch_size, description="open h channels")
        self.init_variable("OL", self.k3 * P1 * O / self.k4, batch_size=batch_size,
                           description="locked-open h channels")

    def update(self, V: Any, ca: IonInfo, *others: IonInfo) -> None:  # type: ignore[override]
        new = self.integrate(self.derivative, (self.O.value, self.OL.value, self.P1.value), V, ca.C)
        self.O.value, self.OL.value, self.P1.value = new

    def current(self, V: Any, ca: IonInfo, *others: IonInfo) -> jax.Array:  # type: ignore[override]
        return jnp.asarray(self.g_max * (self.O.value + self.g_inc * self.OL.value) * (self.E - V))
