"""Bazhenov et al. (2002) sodium and delayed-rectifier potassium channels (BrainPy's ``INa_Ba2002``,
``IKDR_Ba2002``: their parameters, defaults, temperature factors and rate functions)."""
from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from ...core.modes import Mode
from ...core.variable import Variable
from ._base import exprel
from ._gated import GatedChannel, units_of

__all__ = ["INa_Ba2002", "IKDR_Ba2002"]


class INa_Ba2002(GatedChannel):
    r"""Sodium current ``g_max p^3 q (E - V)`` with ``alpha_p = 0.32 (V - V_sh - 13) / (1 - exp(-(V - V_sh - 13)/4))``,
    ``beta_p = -0.28 (V - V_sh - 40) / (1 - exp((V - V_sh - 40)/5))``, ``alpha_q = 0.128 exp(-(V - V_sh - 17)/18)``,
    ``beta_q = 4 / (1 + exp(-(V - V_sh - 40)/5))``; temperature factor ``phi = 3 ** ((T - 36) / 10)`` (T in °C).

    >>> ch = INa_Ba2002(1); ch.reset_state(jnp.array([-65.0]))
    >>> round(float(ch.p.value[0]), 4), round(float(ch.q.value[0]), 4)
    (0.0005, 0.9999)
    """

    # made by the base's __init__ and reset_state (init_variable): declared for the type checker only
    p: Variable
    q: Variable

    gates = {"p": 3, "q": 1}
    gate_descriptions = {"p": "sodium activation (m)", "q": "sodium inactivation (h)"}
    param_units = units_of("T", "V_sh")

    def __init__(self, size: Any, keep_size: bool = False, T: Any = 36.0, E: Any = 50.0, g_max: Any = 90.0,
                 V_sh: Any = -50.0, method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.set_conductance(E, g_max)
        self.T, self.V_sh = self.param("T", T), self.param("V_sh", V_sh)
        self.phi = 3.0 ** ((self.T - 36.0) / 10.0)

    def f_p_alpha(self, V: Any) -> Any:
        return 1.28 / exprel(-(V - self.V_sh - 13.0) / 4.0)

    def f_p_beta(self, V: Any) -> Any:
        return 1.4 / exprel((V - self.V_sh - 40.0) / 5.0)

    def f_q_alpha(self, V: Any) -> Any:
        return 0.128 * jnp.exp(-(V - self.V_sh - 17.0) / 18.0)

    def f_q_beta(self, V: Any) -> Any:
        return 4.0 / (1.0 + jnp.exp(-(V - self.V_sh - 40.0) / 5.0))


class IKDR_Ba2002(GatedChannel):
    r"""Delayed-rectifier potassium current ``g_max p^4 (E - V)`` with
    ``alpha_p = 0.032 (V - V_sh - 15) / (1 - exp(-(V - V_sh - 15)/5))``, ``beta_p = 0.5 exp(-(V - V_sh - 10)/40)``;
    ``phi`` (when None) is ``T_base ** ((T - 36) / 10)``.

    >>> ch = IKDR_Ba2002(1); ch.reset_state(jnp.array([-65.0])); round(float(ch.p.value[0]), 4)
    0.0025
    """

    # made by the base's __init__ and reset_state (init_variable): declared for the type checker only
    p: Variable

    gates = {"p": 4}
    gate_descriptions = {"p": "potassium activation (n)"}
    param_units = units_of("V_sh", "T_base", "T", "phi")

    def __init__(self, size: Any, keep_size: bool = False, E: Any = -90.0, g_max: Any = 10.0, V_sh: Any = -50.0,
                 T_base: Any = 3.0, T: Any = 36.0, phi: Any = None, method: str = "exp_euler",
                 name: str | None = None, mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.set_conductance(E, g_max)
        self.V_sh, self.T = self.param("V_sh", V_sh), self.param("T", T)
        self.T_base = self.param("T_base", T_base, positive=True)
        self.phi = self.T_base ** ((self.T - 36.0) / 10.0) if phi is None else self.param("phi", phi, positive=True)

    def f_p_alpha(self, V: Any) -> Any:
        return 0.16 / exprel(-(V - self.V_sh - 15.0) / 5.0)

    def f_p_beta(self, V: Any) -> Any:
        return 0.5 * jnp.exp(-(V - self.V_sh - 10.0) / 40.0)
