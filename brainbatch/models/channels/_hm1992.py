"""Huguenard & McCormick (1992) potassium channels and hyperpolarisation-activated current (BrainPy's
``IKA1_HM1992``, ``IKA2_HM1992``, ``IKK2A_HM1992``, ``IKK2B_HM1992``, ``Ih_HM1992``): gates given by a
steady state and a time constant, ``dx/dt = phi_x (x_inf - x) / tau_x``, with BrainPy's parameters, defaults
and functions (including where its time constants switch to a constant: ``V < V_sh - 63`` for the A
current's inactivation, ``V < V_sh - 70`` for K2b's)."""
from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from ...core.modes import Mode
from ...core.variable import Variable
from ._gated import GatedChannel, units_of

__all__ = ["IKA1_HM1992", "IKA2_HM1992", "IKK2A_HM1992", "IKK2B_HM1992", "Ih_HM1992"]


class _TwoGatePotassium(GatedChannel):
    """A potassium current of an activation p and an inactivation q with their own temperature factors."""

    # made by the base's __init__ and reset_state (init_variable): declared for the type checker only
    p: Variable
    q: Variable

    kinetics = "relax"
    gate_descriptions = {"p": "potassium activation", "q": "potassium inactivation"}
    param_units = units_of("V_sh", "phi_p", "phi_q")

    def _set(self, E: Any, g_max: Any, V_sh: Any, phi_p: Any, phi_q: Any) -> None:
        self.set_conductance(E, g_max)
        self.V_sh = self.param("V_sh", V_sh)
        self.phi_p, self.phi_q = self.param("phi_p", phi_p, positive=True), self.param("phi_q", phi_q, positive=True)


class _IKA(_TwoGatePotassium):
    """The A current ``g_max p^4 q (E - V)``: IKA1 and IKA2 differ in ``p_inf`` (and ``g_max``)."""

    gates = {"p": 4, "q": 1}

    def f_p_tau(self, V: Any) -> Any:
        return 1.0 / (jnp.exp((V - self.V_sh + 35.8) / 19.7) + jnp.exp(-(V - self.V_sh + 79.7) / 12.7)) + 0.37

    def f_q_inf(self, V: Any) -> Any:
        return 1.0 / (1.0 + jnp.exp((V - self.V_sh + 78.0) / 6.0))

    def f_q_tau(self, V: Any) -> Any:
        return jnp.where(V < -63.0 + self.V_sh,
                         1.0 / (jnp.exp((V - self.V_sh + 46.0) / 5.0) + jnp.exp(-(V - self.V_sh + 238.0) / 37.5)), 19.0)


class IKA1_HM1992(_IKA):
    r"""A-type potassium current (first component), ``g_max p^4 q (E - V)``: ``p_inf = 1 / (1 + exp(-(V - V_sh + 60)/8.5))``,
    ``tau_p = 1 / (exp((V - V_sh + 35.8)/19.7) + exp(-(V - V_sh + 79.7)/12.7)) + 0.37``,
    ``q_inf = 1 / (1 + exp((V - V_sh + 78)/6))``, ``tau_q`` = 19 ms from ``V_sh - 63`` mV up.

    >>> ch = IKA1_HM1992(1); ch.reset_state(jnp.array([-65.0])); round(float(ch.q.value[0]), 4)
    0.1028
    """

    def __init__(self, size: Any, keep_size: bool = False, E: Any = -90.0, g_max: Any = 30.0, V_sh: Any = 0.0,
                 phi_p: Any = 1.0, phi_q: Any = 1.0, method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self._set(E, g_max, V_sh, phi_p, phi_q)

    def f_p_inf(self, V: Any) -> Any:
        return 1.0 / (1.0 + jnp.exp(-(V - self.V_sh + 60.0) / 8.5))


class IKA2_HM1992(_IKA):
    r"""A-type potassium current (second component): as ``IKA1_HM1992`` with ``p_inf = 1 / (1 + exp(-(V - V_sh + 36)/20))``
    and ``g_max`` 20 mS/cm².

    >>> ch = IKA2_HM1992(1); ch.reset_state(jnp.array([-65.0])); round(float(ch.p.value[0]), 4)
    0.19
    """

    def __init__(self, size: Any, keep_size: bool = False, E: Any = -90.0, g_max: Any = 20.0, V_sh: Any = 0.0,
                 phi_p: Any = 1.0, phi_q: Any = 1.0, method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self._set(E, g_max, V_sh, phi_p, phi_q)

    def f_p_inf(self, V: Any) -> Any:
        return 1.0 / (1.0 + jnp.exp(-(V - self.V_sh + 36.0) / 20.0))


class _IKK2(_TwoGatePotassium):
    """The slowly inactivating K2 current ``g_max p q (E - V)``: K2a and K2b differ in ``tau_q``."""

    gates = {"p": 1, "q": 1}

    def f_p_inf(self, V: Any) -> Any:
        return 1.0 / (1.0 + jnp.exp(-(V - self.V_sh + 43.0) / 17.0))

    def f_p_tau(self, V: Any) -> Any:
        return 1.0 / (jnp.exp((V - self.V_sh - 81.0) / 25.6) + jnp.exp(-(V - self.V_sh + 132.0) / 18.0)) + 9.9

    def f_q_inf(self, V: Any) -> Any:
        return 1.0 / (1.0 + jnp.exp((V - self.V_sh + 58.0) / 10.6))

    def _q_tau_slow(self, V: Any) -> Any:
        return 1.0 / (jnp.exp((V - self.V_sh - 1329.0) / 200.0) + jnp.exp(-(V - self.V_sh + 130.0) / 7.1))


class IKK2A_HM1992(_IKK2):
    r"""Slowly inactivating potassium current K2a, ``g_max p q (E - V)``: ``p_inf = 1 / (1 + exp(-(V - V_sh + 43)/17))``,
    ``tau_p = 1 / (exp((V - V_sh - 81)/25.6) + exp(-(V - V_sh + 132)/18)) + 9.9``,
    ``q_inf = 1 / (1 + exp((V - V_sh + 58)/10.6))``, ``tau_q = 1 / (exp((V - V_sh - 1329)/200) + exp(-(V - V_sh + 130)/7.1))``.

    >>> ch = IKK2A_HM1992(1); ch.reset_state(jnp.array([-65.0])); round(float(ch.q.value[0]), 4)
    0.6593
    """

    def __init__(self, size: Any, keep_size: bool = False, E: Any = -90.0, g_max: Any = 10.0, V_sh: Any = 0.0,
                 phi_p: Any = 1.0, phi_q: Any = 1.0, method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self._set(E, g_max, V_sh, phi_p, phi_q)

    def f_q_tau(self, V: Any) -> Any:
        return self._q_tau_slow(V)


class IKK2B_HM1992(_IKK2):
    r"""Slowly inactivating potassium current K2b: as ``IKK2A_HM1992`` but ``tau_q`` = 8.9 ms from ``V_sh - 70`` mV up.

    >>> ch = IKK2B_HM1992(1); float(ch.f_q_tau(jnp.array([-60.0]))[0])
    8.899999618530273
    """

    def __init__(self, size: Any, keep_size: bool = False, E: Any = -90.0, g_max: Any = 10.0, V_sh: Any = 0.0,
                 phi_p: Any = 1.0, phi_q: Any = 1.0, method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self._set(E, g_max, V_sh, phi_p, phi_q)

    def f_q_tau(self, V: Any) -> Any:
        return jnp.where(V < -70.0 + self.V_sh, self._q_tau_slow(V), 8.9)


class Ih_HM1992(GatedChannel):
    r"""Hyperpolarisation-activated cation current ``g_max p (E - V)`` (BrainPy's defaults ``E`` 43 mV,
    ``g_max`` 10 mS/cm²): ``p_inf = 1 / (1 + exp((V + 75)/5.5))``,
    ``tau_p = 1 / (exp(-0.086 V - 14.59) + exp(0.0701 V - 1.87))``, ``dp/dt = phi (p_inf - p) / tau_p``.

    >>> ch = Ih_HM1992(1); ch.reset_state(jnp.array([-75.0])); float(ch.p.value[0])
    0.5
    """

    # made by the base's __init__ and reset_state (init_variable): declared for the type checker only
    p: Variable

    gates = {"p": 1}
    kinetics = "relax"
    gate_descriptions = {"p": "h-current activation"}
    param_units = units_of("phi")

    def __init__(self, size: Any, keep_size: bool = False, g_max: Any = 10.0, E: Any = 43.0, phi: Any = 1.0,
                 method: str = "exp_euler", name: str | None = None, mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.set_conductance(E, g_max)
        self.phi = self.param("phi", phi, positive=True)

    def f_p_inf(self, V: Any) -> Any:
        return 1.0 / (1.0 + jnp.exp((V + 75.0) / 5.5))

    def f_p_tau(self, V: Any) -> Any:
        return 1.0 / (jnp.exp(-0.086 * V - 14.59) + jnp.exp(0.0701 * V - 1.87))
