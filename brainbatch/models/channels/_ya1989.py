"""Yamada et al. (1989) non-inactivating potassium channel (BrainPy's ``IKNI_Ya1989``: its parameters,
defaults and functions)."""
from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from ...core.modes import Mode
from ...core.variable import Variable
from ._gated import GatedChannel, units_of

__all__ = ["IKNI_Ya1989"]


class IKNI_Ya1989(GatedChannel):
    r"""Slow non-inactivating potassium current ``g_max p (E - V)``, ``dp/dt = phi_p (p_inf - p) / tau_p`` with
    ``p_inf = 1 / (1 + exp(-(V - V_sh + 35)/10))``, ``tau_p = tau_max / (3.3 exp((V - V_sh + 35)/20) + exp(-(V - V_sh + 35)/20))``.
    ``phi_q`` is accepted and unused, as in BrainPy (the channel has no q).

    >>> ch = IKNI_Ya1989(1); ch.reset_state(jnp.array([-35.0])); float(ch.p.value[0])
    0.5
    """

    # made by the base's __init__ and reset_state (init_variable): declared for the type checker only
    p: Variable

    gates = {"p": 1}
    kinetics = "relax"
    gate_descriptions = {"p": "potassium activation"}
    param_units = units_of("phi_p", "phi_q", "tau_max", "V_sh")

    def __init__(self, size: Any, keep_size: bool = False, E: Any = -90.0, g_max: Any = 0.004, phi_p: Any = 1.0,
                 phi_q: Any = 1.0, tau_max: Any = 4e3, V_sh: Any = 0.0, method: str = "exp_euler",
                 name: str | None = None, mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.set_conductance(E, g_max)
        self.phi_p, self.phi_q = self.param("phi_p", phi_p, positive=True), self.param("phi_q", phi_q, positive=True)
        self.tau_max, self.V_sh = self.param("tau_max", tau_max, positive=True), self.param("V_sh", V_sh)

    def f_p_inf(self, V: Any) -> Any:
        return 1.0 / (1.0 + jnp.exp(-(V - self.V_sh + 35.0) / 10.0))

    def f_p_tau(self, V: Any) -> Any:
        temp = V - self.V_sh + 35.0
        return self.tau_max / (3.3 * jnp.exp(temp / 20.0) + jnp.exp(-temp / 20.0))
