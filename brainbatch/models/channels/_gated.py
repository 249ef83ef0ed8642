"""``GatedChannel``: the shape every BrainPy 2.8.2 sodium and potassium channel shares, written once.

A current ``g_max * x1^n1 * x2^n2 ... * (E - V)`` whose gates relax with V held over the step, each either
by rates (``dx/dt = phi (alpha_x (1 - x) - beta_x x)``, steady state ``alpha / (alpha + beta)``) or by a
steady state and a time constant (``dx/dt = phi_x (x_inf - x) / tau_x``). A family file (``_tm1991.py``,
``_ba2002.py``, ...) only names the gates, their powers and their rate functions (``f_<gate>_alpha`` /
``f_<gate>_beta`` or ``f_<gate>_inf`` / ``f_<gate>_tau``), with BrainPy's parameter names and defaults.
"""
from __future__ import annotations

from typing import Any, ClassVar

import brainunit as u
import jax
import jax.numpy as jnp

from ...core.modes import Mode
from ._base import IonChannel

__all__ = ["GatedChannel", "units_of"]

#: units of the channels' parameters (docs/units.md); T is a temperature in °C, read as a plain number
_UNITS = {"E": u.mV, "g_max": u.mS / u.cm**2, "phi": u.UNITLESS, "phi_p": u.UNITLESS, "phi_q": u.UNITLESS,
          "V_sh": u.mV, "T": u.UNITLESS, "T_base": u.UNITLESS, "tau_max": u.ms}


def units_of(*names: str) -> dict[str, Any]:
    """The ``param_units`` entries of ``names`` (a class's own parameters, after the base's ``E``, ``g_max``).

    >>> sorted(units_of("V_sh", "tau_max"))
    ['V_sh', 'tau_max']
    """
    return {name: _UNITS[name] for name in names}


class GatedChannel(IonChannel):
    """Base of channels ``g_max * prod(gate ** power) * (E - V)`` with gates of first-order kinetics.

    Subclasses set ``gates`` (name -> power in the conductance, in the order of the product),
    ``kinetics`` (``"rates"``: ``f_<gate>_alpha``/``f_<gate>_beta``, or ``"relax"``: ``f_<gate>_inf``/
    ``f_<gate>_tau``) and call ``super().__init__`` then ``set_conductance(E, g_max)``. The temperature factor
    of a gate is ``phi_<gate>`` where the channel has one, else ``phi``. Gates are 0 when the channel is
    made (as in BrainPy) and start at their steady state for V when the group resets them.

    >>> import jax.numpy as jnp
    >>> class Ik(GatedChannel):  # a potassium current with one gate, n^4
    ...     gates, kinetics = {"n": 4}, "relax"
    ...     def __init__(self, size):
    ...         super().__init__(size); self.set_conductance(E=-90.0, g_max=10.0); self.phi = 1.0
    ...     def f_n_inf(self, V): return 1.0 / (1.0 + jnp.exp(-(V + 40.0) / 10.0))
    ...     def f_n_tau(self, V): return 5.0
    >>> ch = Ik(1); ch.reset_state(jnp.array([-40.0])); float(ch.n.value[0]), float(ch.current(-40.0)[0])
    (0.5, -31.25)
    """

    #: the temperature factor of gates without their own phi_<gate> (set by the subclass)
    phi: Any
    #: gate name -> its power in the conductance (the product's order is this dict's)
    gates: ClassVar[dict[str, int]] = {}
    #: "rates" (alpha, beta) or "relax" (steady state, time constant)
    kinetics: ClassVar[str] = "rates"
    #: what each gate is, for the Variables' descriptions
    gate_descriptions: ClassVar[dict[str, str]] = {}

    param_units = units_of("E", "g_max")

    def __init__(self, size: Any, keep_size: bool = False, method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None) -> None:
        if self.kinetics not in ("rates", "relax"):
            raise TypeError(f"{type(self).__name__}.kinetics must be 'rates' or 'relax', got {self.kinetics!r}")
        kinds = ("alpha", "beta") if self.kinetics == "rates" else ("inf", "tau")
        for gate in self.gates:
            missing = [f"f_{gate}_{k}" for k in kinds if not callable(getattr(type(self), f"f_{gate}_{k}", None))]
            if missing:
                raise TypeError(f"{type(self).__name__}: gate {gate!r} with kinetics {self.kinetics!r} needs the "
                                f"methods f_{gate}_{kinds[0]}(V) and f_{gate}_{kinds[1]}(V); missing {missing}")
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        for gate in self.gates:
            self.init_variable(gate, 0.0)  # 0 until the group resets it (as in BrainPy)

    def set_conductance(self, E: Any, g_max: Any) -> None:
        """Check and keep the reversal potential and the maximal conductance (>= 0)."""
        self.E, self.g_max = self.param("E", E), self.param("g_max", g_max, nonnegative=True)

    def _check_set(self) -> None:
        """A subclass that forgot a part of its contract is named here, before a step fails deep inside."""
        name = type(self).__name__
        # a channel on an ion reads E from it (its own current()); the others need their own
        needs_E = type(self).current is GatedChannel.current
        if not hasattr(self, "g_max") or (needs_E and not hasattr(self, "E")):
            raise TypeError(f"{name} has no E or g_max: call self.set_conductance(E, g_max) in its __init__")
        if any(self.__dict__.get(f"phi_{g}") is None for g in self.gates) and not hasattr(self, "phi"):
            raise TypeError(f"{name} has no phi, the temperature factor of its gates: set self.phi (1.0 for none) "
                            "in its __init__, or phi_<gate> for each gate")

    def gate_phi(self, gate: str) -> Any:
        """The temperature factor of ``gate``: ``phi_<gate>`` if the channel has one, else ``phi``."""
        own = self.__dict__.get(f"phi_{gate}")
        return self.phi if own is None else own

    def steady_state(self, gate: str, V: Any) -> Any:
        """``gate``'s value at rest for ``V`` (where BrainPy's ``reset_state`` puts it)."""
        if self.kinetics == "rates":
            alpha, beta = getattr(self, f"f_{gate}_alpha")(V), getattr(self, f"f_{gate}_beta")(V)
            return alpha / (alpha + beta)
        return getattr(self, f"f_{gate}_inf")(V)

    def gate_derivative(self, gate: str, x: jax.Array, V: jax.Array) -> jax.Array:
        phi = self.gate_phi(gate)
        if self.kinetics == "rates":
            return phi * (getattr(self, f"f_{gate}_alpha")(V) * (1.0 - x) - getattr(self, f"f_{gate}_beta")(V) * x)
        return phi * (getattr(self, f"f_{gate}_inf")(V) - x) / getattr(self, f"f_{gate}_tau")(V)

    def reset_state(self, V: Any, batch_size: int | None = None) -> None:  # type: ignore[override]
        self._check_set()
        for gate in self.gates:
            self.init_variable(gate, self.steady_state(gate, V), batch_size=batch_size,
                               description=self.gate_descriptions.get(gate, f"gate {gate}"))

    def derivative(self, y: Any, t: Any, V: jax.Array) -> Any:
        if len(self.gates) == 1:
            return self.gate_derivative(next(iter(self.gates)), y, V)
        return tuple(self.gate_derivative(gate, x, V) for gate, x in zip(self.gates, y))

    def update(self, V: Any) -> None:
        names = tuple(self.gates)
        if len(names) == 1:
            gate = getattr(self, names[0])
            gate.value = self.integrate(self.derivative, gate.value, V)
            return
        new = self.integrate(self.derivative, tuple(getattr(self, g).value for g in names), V)
        for g, value in zip(names, new):
            getattr(self, g).value = value

    def conductance(self) -> Any:
        """``g_max * prod(gate ** power)`` (mS/cm²) with the gates' present values."""
        # left to right, as BrainPy writes it (g_max * p ** 3 * q * (E - V)): the same float32 rounding
        g = self.g_max
        for gate, power in self.gates.items():
            x = getattr(self, gate).value
            g = g * (x if power == 1 else x ** power)
        return g

    def current(self, V: Any) -> jax.Array:
        return jnp.asarray(self.conductance() * (self.E - V))
