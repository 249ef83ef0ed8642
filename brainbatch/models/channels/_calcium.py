"""BrainPy 2.8.2's voltage-gated calcium channels, on a calcium ion (``E`` is the ion's): the T-type
``ICaT_HM1992`` (thalamic relay), ``ICaT_HP1992`` (reticular), the high-threshold ``ICaHT_HM1992`` and
``ICaHT_Re1993``, the L-type ``ICaL_IS2008``, all ``g_max p^2 q (E - V)``; and the calcium-activated cation
current ``ICaN_IS2008``, ``g_max C / (C + 0.2) p (E - V)`` with its own ``E``. Gates start at 0 and at their
steady state for V when the group resets them; temperature factors ``T_base ** ((T - T_ref) / 10)`` unless
``phi_p``/``phi_q`` are given, as in BrainPy."""
from __future__ import annotations

from typing import Any

import brainunit as u
import jax
import jax.numpy as jnp

from ...core.modes import Mode
from ...core.variable import Variable
from ._base import exprel
from ._calcium_ions import CalciumDyna
from ._gated import units_of
from ._hosted_gated import IonGatedChannel
from ._ion import Calcium, IonInfo

__all__ = ["ICaT_HM1992", "ICaT_HP1992", "ICaHT_HM1992", "ICaHT_Re1993", "ICaL_IS2008", "ICaN_IS2008"]

_TEMPERATURE = {"T_base_p": u.UNITLESS, "T_base_q": u.UNITLESS}


class _ICa_p2q(IonGatedChannel):
    """``g_max p^2 q (E_Ca - V)`` with temperature factors from ``T`` unless given."""

    # made by the base's __init__ and reset_state (init_variable): declared for the type checker only
    p: Variable
    q: Variable

    ions = (Calcium,)
    gates = {"p": 2, "q": 1}
    kinetics = "relax"
    gate_descriptions = {"p": "calcium activation", "q": "calcium inactivation"}
    param_units = {**units_of("T", "V_sh", "phi_p", "phi_q"), **_TEMPERATURE}
    #: the temperature (°C) at which the rate functions were measured
    T_ref = 24.0

    def __init__(self, size: Any, keep_size: bool, T: Any, T_base_p: Any, T_base_q: Any, g_max: Any, V_sh: Any,
                 phi_p: Any, phi_q: Any, method: str, name: str | None, mode: Mode | None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.g_max = self.param("g_max", g_max, nonnegative=True)
        self.T = self.param("T", T)
        self.T_base_p = self.param("T_base_p", T_base_p, positive=True)
        self.T_base_q = self.param("T_base_q", T_base_q, positive=True)
        self.V_sh = self.param("V_sh", V_sh)
        phi_p = self.T_base_p ** ((self.T - self.T_ref) / 10) if phi_p is None else phi_p
        phi_q = self.T_base_q ** ((self.T - self.T_ref) / 10) if phi_q is None else phi_q
        self.phi_p = self.param("phi_p", phi_p, positive=True)
        self.phi_q = self.param("phi_q", phi_q, positive=True)


class _HM1992(_ICa_p2q):
    """The T-type kinetics of Huguenard & McCormick (1992), shared by ``ICaT_HM1992`` and ``ICaHT_HM1992``."""

    def f_p_inf(self, V: Any) -> Any:
        return 1.0 / (1 + jnp.exp(-(V + 59.0 - self.V_sh) / 6.2))

    def f_p_tau(self, V: Any) -> Any:
        return 1.0 / (jnp.exp(-(V + 132.0 - self.V_sh) / 16.7) + jnp.exp((V + 16.8 - self.V_sh) / 18.2)) + 0.612

    def f_q_inf(self, V: Any) -> Any:
        return 1.0 / (1.0 + jnp.exp((V + 83.0 - self.V_sh) / 4.0))

    def f_q_tau(self, V: Any) -> Any:
        return jnp.where(V >= (-80.0 + self.V_sh), jnp.exp(-(V + 22.0 - self.V_sh) / 10.5) + 28.0,
                         jnp.exp((V + 467.0 - self.V_sh) / 66.6))


class ICaT_HM1992(_HM1992):
    r"""Low-threshold T-type calcium current of thalamic relay cells (Huguenard & McCormick 1992),
    ``g_max p^2 q (E_Ca - V)``: ``p_inf = 1 / (1 + exp(-(V + 59 - V_sh)/6.2))``,
    ``tau_p = 1 / (exp(-(V + 132 - V_sh)/16.7) + exp((V + 16.8 - V_sh)/18.2)) + 0.612``,
    ``q_inf = 1 / (1 + exp((V + 83 - V_sh)/4))``, ``tau_q = exp(-(V + 22 - V_sh)/10.5) + 28`` from ``V_sh - 80``
    up, ``exp((V + 467 - V_sh)/66.6)`` below; ``phi_p = 3.55 ** ((T - 24)/10)``, ``phi_q = 3 ** ((T - 24)/10)``.

    >>> ch = ICaT_HM1992(1); round(float(ch.phi_p), 4), float(ch.g_max), float(ch.V_sh)
    (4.5738, 2.0, -3.0)
    """

    def __init__(self, size: Any, keep_size: bool = False, T: Any = 36.0, T_base_p: Any = 3.55,
                 T_base_q: Any = 3.0, g_max: Any = 2.0, V_sh: Any = -3.0, phi_p: Any = None, phi_q: Any = None,
                 method: str = "exp_euler", name: str | None = None, mode: Mode | None = None) -> None:
        super().__init__(size, keep_size, T, T_base_p, T_base_q, g_max, V_sh, phi_p, phi_q, method, name, mode)


class ICaHT_HM1992(_HM1992):
    r"""High-threshold calcium current (Huguenard & McCormick 1992): ``ICaT_HM1992``'s functions with ``V_sh``
    25 mV; its temperature factors always come from ``T`` (BrainPy takes no ``phi_p``/``phi_q`` here).

    >>> float(ICaHT_HM1992(1).V_sh)
    25.0
    """

    param_units = units_of("T", "V_sh")

    def __init__(self, size: Any, keep_size: bool = False, T: Any = 36.0, T_base_p: Any = 3.55,
                 T_base_q: Any = 3.0, g_max: Any = 2.0, V_sh: Any = 25.0, method: str = "exp_euler",
                 name: str | None = None, mode: Mode | None = None) -> None:
        super().__init__(size, keep_size, T, T_base_p, T_base_q, g_max, V_sh, None, None, method, name, mode)


class ICaT_HP1992(_ICa_p2q):
    r"""Low-threshold T-type calcium current of reticular cells (Huguenard & Prince 1992), ``g_max p^2 q (E_Ca - V)``:
    ``p_inf = 1 / (1 + exp(-(V + 52 - V_sh)/7.4))``, ``tau_p = 3 + 1 / (exp((V + 27 - V_sh)/10) + exp(-(V + 102 - V_sh)/15))``,
    ``q_inf = 1 / (1 + exp((V + 80 - V_sh)/5))``, ``tau_q = 85 + 1 / (exp((V + 48 - V_sh)/4) + exp(-(V + 407 - V_sh)/50))``;
    ``phi_p = 5 ** ((T - 24)/10)``, ``phi_q = 3 ** ((T - 24)/10)``; ``g_max`` 1.75 mS/cm².

    >>> ch = ICaT_HP1992(1, phi_p=3.); float(ch.phi_p), round(float(ch.phi_q), 4)
    (3.0, 3.7372)
    """

    def __init__(self, size: Any, keep_size: bool = False, T: Any = 36.0, T_base_p: Any = 5.0,
                 T_base_q: Any = 3.0, g_max: Any = 1.75, V_sh: Any = -3.0, phi_p: Any = None, phi_q: Any = None,
                 method: str = "exp_euler", name: str | None = None, mode: Mode | None = None) -> None:
        super().__init__(size, keep_size, T, T_base_p, T_base_q, g_max, V_sh, phi_p, phi_q, method, name, mode)

    def f_p_inf(self, V: Any) -> Any:
        return 1.0 / (1.0 + jnp.exp(-(V + 52.0 - self.V_sh) / 7.4))

    def f_p_tau(self, V: Any) -> Any:
        return 3.0 + 1.0 / (jnp.exp((V + 27.0 - self.V_sh) / 10.0) + jnp.exp(-(V + 102.0 - self.V_sh) / 15.0))

    def f_q_inf(self, V: Any) -> Any:
        return 1.0 / (1.0 + jnp.exp((V + 80.0 - self.V_sh) / 5.0))

    def f_q_tau(self, V: Any) -> Any:
        return 85.0 + 1.0 / (jnp.exp((V + 48.0 - self.V_sh) / 4.0) + jnp.exp(-(V + 407.0 - self.V_sh) / 50.0))


class ICaL_IS2008(_ICa_p2q):
    r"""L-type calcium current (Inoue & Strowbridge 2008), ``g_max p^2 q (E_Ca - V)``:
    ``p_inf = 1 / (1 + exp(-(V + 10 - V_sh)/4))``, ``tau_p = 0.4 + 0.7 / (exp(-(V + 5 - V_sh)/15) + exp((V + 5 - V_sh)/15))``,
    ``q_inf = 1 / (1 + exp((V + 25 - V_sh)/2))``, ``tau_q = 300 + 100 / (exp((V + 40 - V_sh)/9.5) + exp(-(V + 40 - V_sh)/9.5))``;
    temperature factors from ``T`` (no ``phi_p``/``phi_q`` in BrainPy).

    >>> float(ICaL_IS2008(1).g_max)
    1.0
    """

    param_units = units_of("T", "V_sh")

    def __init__(self, size: Any, keep_size: bool = False, T: Any = 36.0, T_base_p: Any = 3.55,
                 T_base_q: Any = 3.0, g_max: Any = 1.0, V_sh: Any = 0.0, method: str = "exp_euler",
                 name: str | None = None, mode: Mode | None = None) -> None:
        super().__init__(size, keep_size, T, T_base_p, T_base_q, g_max, V_sh, None, None, method, name, mode)

    def f_p_inf(self, V: Any) -> Any:
        return 1.0 / (1 + jnp.exp(-(V + 10.0 - self.V_sh) / 4.0))

    def f_p_tau(self, V: Any) -> Any:
        return 0.4 + 0.7 / (jnp.exp(-(V + 5.0 - self.V_sh) / 15.0) + jnp.exp((V + 5.0 - self.V_sh) / 15.0))

    def f_q_inf(self, V: Any) -> Any:
        return 1.0 / (1.0 + jnp.exp((V + 25.0 - self.V_sh) / 2.0))

    def f_q_tau(self, V: Any) -> Any:
        return 300.0 + 100.0 / (jnp.exp((V + 40 - self.V_sh) / 9.5) + jnp.exp(-(V + 40 - self.V_sh) / 9.5))


class ICaHT_Re1993(_ICa_p2q):
    r"""High-threshold calcium current (Reuveni et al. 1993), ``g_max p^2 q (E_Ca - V)`` by rates:
    ``alpha_p = 0.055 (-27 - V + V_sh) / (exp((-27 - V + V_sh)/3.8) - 1)``, ``beta_p = 0.94 exp((-75 - V + V_sh)/17)``,
    ``alpha_q = 0.000457 exp((-13 - V + V_sh)/50)``, ``beta_q = 0.0065 / (exp((-15 - V + V_sh)/28) + 1)``;
    ``phi = 2.3 ** ((T - 23)/10)`` unless given.

    >>> round(float(ICaHT_Re1993(1).phi_p), 4)
    2.9529
    """

    kinetics = "rates"
    T_ref = 23.0

    def __init__(self, size: Any, keep_size: bool = False, T: Any = 36.0, T_base_p: Any = 2.3,
                 T_base_q: Any = 2.3, phi_p: Any = None, phi_q: Any = None, g_max: Any = 1.0, V_sh: Any = 0.0,
                 method: str = "exp_euler", name: str | None = None, mode: Mode | None = None) -> None:
        super().__init__(size, keep_size, T, T_base_p, T_base_q, g_max, V_sh, phi_p, phi_q, method, name, mode)

    def f_p_alpha(self, V: Any) -> Any:
        return (0.055 * 3.8) / exprel((-27 - V + self.V_sh) / 3.8)

    def f_p_beta(self, V: Any) -> Any:
        return 0.94 * jnp.exp((-75.0 - V + self.V_sh) / 17.0)

    def f_q_alpha(self, V: Any) -> Any:
        return 0.000457 * jnp.exp((-13.0 - V + self.V_sh) / 50.0)

    def f_q_beta(self, V: Any) -> Any:
        return 0.0065 / (jnp.exp((-15.0 - V + self.V_sh) / 28.0) + 1.0)


class ICaN_IS2008(IonGatedChannel):
    r"""Calcium-activated non-selective cation current (Inoue & Strowbridge 2008; Destexhe et al. 1994),
    ``g_max C / (C + 0.2) p (E - V)`` with its own ``E`` (10 mV): ``p_inf = 1 / (1 + exp(-(V + 43)/5.2))``,
    ``tau_p = 2.7 / (exp(-(V + 55)/15) + exp((V + 55)/15)) + 1.6``; needs a calcium ion with dynamics.

    >>> ch = ICaN_IS2008(1); ch.reset_state(jnp.array([-43.0]), None); float(ch.p.value[0])
    0.5
    """

    p: Variable

    ions = (CalciumDyna,)
    gates = {"p": 1}
    kinetics = "relax"
    gate_descriptions = {"p": "CAN activation"}
    param_units = units_of("phi")

    def __init__(self, size: Any, keep_size: bool = False, E: Any = 10.0, g_max: Any = 1.0, phi: Any = 1.0,
                 method: str = "exp_euler", name: str | None = None, mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.set_conductance(E, g_max)
        self.phi = self.param("phi", phi, positive=True)

    def f_p_inf(self, V: Any) -> Any:
        return 1.0 / (1 + jnp.exp(-(V + 43.0) / 5.2))

    def f_p_tau(self, V: Any) -> Any:
        return 2.7 / (jnp.exp(-(V + 55.0) / 15.0) + jnp.exp((V + 55.0) / 15.0)) + 1.6

    def current(self, V: Any, ca: IonInfo, *others: IonInfo) -> jax.Array:  # type: ignore[override]
        M = ca.C / (ca.C + 0.2)
        return jnp.asarray(self.g_max * M * self.p.value * (self.E - V))
