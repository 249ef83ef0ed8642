"""Hodgkin-Huxley (1952) sodium and potassium channels and the leak (BrainPy's ``INa_HH1952``,
``IK_HH1952``, ``IL``: their parameters, defaults and rate functions)."""
from __future__ import annotations

from typing import Any

import brainunit as u
import jax
import jax.numpy as jnp

from ...core.modes import Mode
from ...core.transforms import eager_exact
from ...core.variable import Variable
from ._base import IonChannel, exprel
from ._gated import GatedChannel, units_of

__all__ = ["INa_HH1952", "IK_HH1952", "IL"]



def _steady(alpha: jax.Array, beta: jax.Array) -> jax.Array:
    return alpha / (alpha + beta)


# the rate functions of V and the shift V_sh (the channels' f_*_alpha / f_*_beta methods call them)
def _na_p_alpha(V: Any, V_sh: Any) -> Any:
    return 1.0 / exprel(-(V - V_sh - 5.0) / 10.0)


def _na_p_beta(V: Any, V_sh: Any) -> Any:
    return 4.0 * jnp.exp(-(V - V_sh + 20.0) / 18.0)


def _na_q_alpha(V: Any, V_sh: Any) -> Any:
    return 0.07 * jnp.exp(-(V - V_sh + 20.0) / 20.0)


def _na_q_beta(V: Any, V_sh: Any) -> Any:
    return 1.0 / (1.0 + jnp.exp(-(V - V_sh - 10.0) / 10.0))


def _k_p_alpha(V: Any, V_sh: Any) -> Any:
    return 0.1 / exprel(-(V - V_sh + 10.0) / 10.0)


def _k_p_beta(V: Any, V_sh: Any) -> Any:
    return 0.125 * jnp.exp(-(V - V_sh + 20.0) / 80.0)


@eager_exact
def _na_at_rest(V: Any, V_sh: Any) -> tuple:
    """INa's (p, q) steady states: one compiled program per shape outside a trace, the eager values bit for bit."""
    return (_steady(_na_p_alpha(V, V_sh), _na_p_beta(V, V_sh)), _steady(_na_q_alpha(V, V_sh), _na_q_beta(V, V_sh)))


@eager_exact
def _k_at_rest(V: Any, V_sh: Any) -> jax.Array:
    """IK's p steady state (as ``_na_at_rest``)."""
    return _steady(_k_p_alpha(V, V_sh), _k_p_beta(V, V_sh))


def _own_rates(channel: IonChannel, base: type, gates: str) -> bool:
    """Whether ``channel`` uses ``base``'s rate methods for ``gates`` (a subclass may override them)."""
    return all(getattr(type(channel), f"f_{g}_{r}") is getattr(base, f"f_{g}_{r}") for g in gates
               for r in ("alpha", "beta"))


class INa_HH1952(GatedChannel):
    r"""Sodium current ``g_max p^3 q (E - V)`` with ``dp/dt = phi (alpha_p (1 - p) - beta_p p)``, same for q.

    With ``V_sh`` = -45 mV the rates are the classic ones: ``alpha_p = 0.1 (V+40) / (1 - exp(-(V+40)/10))``,
    ``beta_p = 4 exp(-(V+65)/18)``, ``alpha_q = 0.07 exp(-(V+65)/20)``, ``beta_q = 1 / (1 + exp(-(V+35)/10))``
    (V shifted by ``V_sh + 45``). Gates start at their steady state for the group's V.

    >>> ch = INa_HH1952(1)
    >>> ch.reset_state(jnp.array([-65.0])); round(float(ch.p.value[0]), 4), round(float(ch.q.value[0]), 4)
    (0.0529, 0.5961)
    """

    # made by reset_state (init_variable): declared for the type checker only
    p: Variable
    q: Variable

    gates = {"p": 3, "q": 1}
    gate_descriptions = {"p": "sodium activation (m)", "q": "sodium inactivation (h)"}
    param_units = units_of("phi", "V_sh")

    def __init__(self, size: Any, keep_size: bool = False, E: Any = 50.0, g_max: Any = 120.0, phi: Any = 1.0,
                 V_sh: Any = -45.0, method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.set_conductance(E, g_max)
        self.phi, self.V_sh = self.param("phi", phi, positive=True), self.param("V_sh", V_sh)

    def f_p_alpha(self, V: Any) -> Any:
        return _na_p_alpha(V, self.V_sh)

    def f_p_beta(self, V: Any) -> Any:
        return _na_p_beta(V, self.V_sh)

    def f_q_alpha(self, V: Any) -> Any:
        return _na_q_alpha(V, self.V_sh)

    def f_q_beta(self, V: Any) -> Any:
        return _na_q_beta(V, self.V_sh)

    def reset_state(self, V: Any, batch_size: int | None = None) -> None:  # type: ignore[override]
        if not _own_rates(self, INa_HH1952, "pq"):  # a subclass's rates: the base's generic steady states
            return super().reset_state(V, batch_size)
        p, q = _na_at_rest(V, self.V_sh)
        self.init_variable("p", p, batch_size=batch_size, description="sodium activation (m)")
        self.init_variable("q", q, batch_size=batch_size, description="sodium inactivation (h)")


class IK_HH1952(GatedChannel):
    r"""Potassium current ``g_max p^4 (E - V)``, ``alpha_p = 0.01 (V+55) / (1 - exp(-(V+55)/10))``,
    ``beta_p = 0.125 exp(-(V+65)/80)`` at ``V_sh`` = -45 mV. BrainPy's defaults: ``E`` = -90 mV and
    ``g_max`` = 10 mS/cm² (the classic squid axon has -77 and 36).

    >>> ch = IK_HH1952(1); ch.reset_state(jnp.array([-65.0])); round(float(ch.p.value[0]), 4)
    0.3177
    """

    # made by reset_state (init_variable): declared for the type checker only
    p: Variable

    gates = {"p": 4}
    gate_descriptions = {"p": "potassium activation (n)"}
    param_units = units_of("phi", "V_sh")

    def __init__(self, size: Any, keep_size: bool = False, E: Any = -90.0, g_max: Any = 10.0, phi: Any = 1.0,
                 V_sh: Any = -45.0, method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.set_conductance(E, g_max)
        self.phi, self.V_sh = self.param("phi", phi, positive=True), self.param("V_sh", V_sh)

    def f_p_alpha(self, V: Any) -> Any:
        return _k_p_alpha(V, self.V_sh)

    def f_p_beta(self, V: Any) -> Any:
        return _k_p_beta(V, self.V_sh)

    def reset_state(self, V: Any, batch_size: int | None = None) -> None:  # type: ignore[override]
        if not _own_rates(self, IK_HH1952, "p"):  # a subclass's rates: the base's generic steady state
            return super().reset_state(V, batch_size)
        self.init_variable("p", _k_at_rest(V, self.V_sh), batch_size=batch_size, description="potassium activation (n)")


class IL(IonChannel):
    """Leak current ``g_max (E - V)`` (BrainPy's defaults ``g_max`` = 0.1 mS/cm², ``E`` = -70 mV).

    >>> float(IL(1, g_max=0.03, E=-54.387).current(-64.387))
    0.30000001192092896
    """

    param_units = {"E": u.mV, "g_max": u.mS / u.cm**2}

    def __init__(self, size: Any, keep_size: bool = False, g_max: Any = 0.1, E: Any = -70.0, method: Any = None,
                 name: str | None = None, mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, name=name, mode=mode)
        self.E, self.g_max = self.param("E", E), self.param("g_max", g_max, nonnegative=True)

    def reset_state(self, V: Any = None, batch_size: int | None = None) -> None:  # type: ignore[override]
        pass

    def update(self, V: Any) -> None:
        pass

    def current(self, V: Any) -> jax.Array:
        return jnp.asarray(self.g_max * (self.E - V), jnp.float32)
