"""Traub & Miles (1991) sodium and potassium channels (BrainPy's ``INa_TM1991``, ``IK_TM1991``: their
parameters, defaults and rate functions), the channels of BrainPy's COBA-HH examples."""
from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from ...core.modes import Mode
from ...core.variable import Variable
from ._base import exprel
from ._gated import GatedChannel, units_of

__all__ = ["INa_TM1991", "IK_TM1991"]


class INa_TM1991(GatedChannel):
    r"""Sodium current ``g_max p^3 q (E - V)``, ``dp/dt = phi (alpha_p (1 - p) - beta_p p)``, same for q, with
    ``alpha_p = 0.32 (13 - V + V_sh) / (exp((13 - V + V_sh)/4) - 1)``,
    ``beta_p = 0.28 (V - V_sh - 40) / (exp((V - V_sh - 40)/5) - 1)``, ``alpha_q = 0.128 exp((17 - V + V_sh)/18)``,
    ``beta_q = 4 / (1 + exp(-(V - V_sh - 40)/5))`` (``V_sh`` = -63 mV; the 0/0 points are their limits).

    >>> ch = INa_TM1991(1); ch.reset_state(jnp.array([-65.0]))
    >>> round(float(ch.p.value[0]), 4), round(float(ch.q.value[0]), 4)
    (0.0097, 0.9976)
    """

    # made by the base's __init__ and reset_state (init_variable): declared for the type checker only
    p: Variable
    q: Variable

    gates = {"p": 3, "q": 1}
    gate_descriptions = {"p": "sodium activation (m)", "q": "sodium inactivation (h)"}
    param_units = units_of("phi", "V_sh")

    def __init__(self, size: Any, keep_size: bool = False, E: Any = 50.0, g_max: Any = 120.0, phi: Any = 1.0,
                 V_sh: Any = -63.0, method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.set_conductance(E, g_max)
        self.phi, self.V_sh = self.param("phi", phi, positive=True), self.param("V_sh", V_sh)

    def f_p_alpha(self, V: Any) -> Any:
        return 1.28 / exprel((13.0 - V + self.V_sh) / 4.0)  # 0.32 x / (exp(x/4) - 1), finite at x = 0

    def f_p_beta(self, V: Any) -> Any:
        return 1.4 / exprel((V - self.V_sh - 40.0) / 5.0)

    def f_q_alpha(self, V: Any) -> Any:
        return 0.128 * jnp.exp((17.0 - V + self.V_sh) / 18.0)

    def f_q_beta(self, V: Any) -> Any:
        return 4.0 / (1.0 + jnp.exp(-(V - self.V_sh - 40.0) / 5.0))


class IK_TM1991(GatedChannel):
    r"""Potassium current ``g_max p^4 (E - V)`` with ``alpha_p = 0.032 (15 - V + V_sh) / (exp((15 - V + V_sh)/5) - 1)``,
    ``beta_p = 0.5 exp((10 - V + V_sh)/40)`` (BrainPy's defaults: ``E`` -90 mV, ``g_max`` 10 mS/cm², ``V_sh`` -60 mV).

    >>> ch = IK_TM1991(1, V_sh=-63.0); ch.reset_state(jnp.array([-65.0])); round(float(ch.p.value[0]), 4)
    0.0271
    """

    # made by the base's __init__ and reset_state (init_variable): declared for the type checker only
    p: Variable

    gates = {"p": 4}
    gate_descriptions = {"p": "potassium activation (n)"}
    param_units = units_of("phi", "V_sh")

    def __init__(self, size: Any, keep_size: bool = False, E: Any = -90.0, g_max: Any = 10.0, phi: Any = 1.0,
                 V_sh: Any = -60.0, method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.set_conductance(E, g_max)
        self.phi, self.V_sh = self.param("phi", phi, positive=True), self.param("V_sh", V_sh)

    def f_p_alpha(self, V: Any) -> Any:
        return 0.16 / exprel((15.0 - V + self.V_sh) / 5.0)

    def f_p_beta(self, V: Any) -> Any:
        return 0.5 * jnp.exp((10.0 - V + self.V_sh) / 40.0)
