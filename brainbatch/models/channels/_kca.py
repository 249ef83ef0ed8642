"""Calcium-dependent potassium current of the after-hyperpolarisation (Destexhe et al. 1994; BrainPy 2.8.2's
``IAHP_De1994`` on a calcium ion with its own ``E``, ``IAHP_De1994v2`` on ``mix_ions(K, Ca)`` with the
potassium ion's ``E``): ``g_max p^2 (E - V)``, ``dp/dt = phi (alpha C^n / (alpha C^n + beta) - p)
(alpha C^n + beta)`` with ``C`` the calcium ion's concentration (mM); ``p`` starts at 0, and at its steady state
for ``C`` when the group resets it."""
from __future__ import annotations

from typing import Any

import brainunit as u
import jax
import jax.numpy as jnp

from ...core.checks import is_int
from ...core.modes import Mode
from ...core.variable import Variable
from ._ion import Calcium, HostedChannel, IonInfo, Potassium

__all__ = ["IAHP_De1994", "IAHP_De1994v2"]


class _IAHP(HostedChannel):
    """The gate ``p`` driven by calcium, and the parameters both forms share."""

    # made by __init__ and reset_state (init_variable): declared for the type checker only
    p: Variable

    param_units = {"E": u.mV, "g_max": u.mS / u.cm**2, "n": u.UNITLESS, "beta": u.kHz, "phi": u.UNITLESS,
                   "alpha": u.UNITLESS}

    def _set(self, g_max: Any, n: Any, alpha: Any, beta: Any, phi: Any) -> None:
        self.g_max = self.param("g_max", g_max, nonnegative=True)
        # an integer n stays one: C ** 2 is C * C, as in BrainPy
        self.n = n if is_int(n) and n > 0 else self.param("n", n, positive=True)
        self.alpha = self.param("alpha", alpha, nonnegative=True)
        self.beta = self.param("beta", beta, positive=True)
        self.phi = self.param("phi", phi, positive=True)
        self.init_variable("p", 0.0)  # 0 until the group resets it (as in BrainPy)

    def derivative(self, p: jax.Array, t: Any, C: Any) -> jax.Array:
        C2 = self.alpha * jnp.power(C, self.n)
        C3 = C2 + self.beta
        return self.phi * (C2 / C3 - p) * C3

    def steady_state(self, C: Any) -> Any:
        """``p`` at rest for calcium ``C``."""
        C2 = self.alpha * jnp.power(C, self.n)
        return C2 / (C2 + self.beta)

    def _reset(self, ca: IonInfo, batch_size: int | None) -> None:
        p = jnp.broadcast_to(self.steady_state(ca.C), self.get_batch_shape(batch_size) + tuple(self.varshape))
        self.init_variable("p", p, batch_size=batch_size, description="AHP activation")

    def _step(self, ca: IonInfo) -> None:
        self.p.value = self.integrate(self.derivative, self.p.value, ca.C)


class IAHP_De1994(_IAHP):
    r"""AHP potassium current on a calcium ion, ``g_max p^2 (E - V)`` with its own ``E`` (-95 mV); BrainPy's
    defaults ``n`` 2, ``g_max`` 10 mS/cm², ``alpha`` 48, ``beta`` 0.09 /ms, ``phi`` 1.

    >>> ch = IAHP_De1994(1); ch.reset_state(jnp.array([-60.]), IonInfo(C=jnp.array([0.01]), E=120.)); round(float(ch.p.value[0]), 4)
    0.0506
    """

    ions = (Calcium,)

    def __init__(self, size: Any, keep_size: bool = False, E: Any = -95.0, n: Any = 2, g_max: Any = 10.0,
                 alpha: Any = 48.0, beta: Any = 0.09, phi: Any = 1.0, method: str = "exp_euler",
                 name: str | None = None, mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.E = self.param("E", E)
        self._set(g_max, n, alpha, beta, phi)

    def reset_state(self, V: Any = None, ca: Any = None, batch_size: int | None = None) -> None:  # type: ignore[override]
        self._reset(ca, batch_size)

    def update(self, V: Any, ca: IonInfo, *others: IonInfo) -> None:  # type: ignore[override]
        self._step(ca)

    def current(self, V: Any, ca: IonInfo, *others: IonInfo) -> jax.Array:  # type: ignore[override]
        return jnp.asarray(self.g_max * self.p.value * self.p.value * (self.E - V))


class IAHP_De1994v2(_IAHP):
    r"""AHP potassium current on ``mix_ions`` of a calcium and a potassium ion: ``g_max p^2 (E_K - V)``, ``p``
    driven by the calcium ion's ``C`` (BrainPy's defaults as ``IAHP_De1994``).

    >>> from brainbatch.models.channels import CalciumDetailed, PotassiumFixed, mix_ions
    >>> kca = mix_ions(PotassiumFixed(1, E=-90.), CalciumDetailed(1)); kca.add_elem(IAHP=IAHP_De1994v2(1))
    >>> sorted(kca.channels())
    ['IAHP']
    """

    ions = (Calcium, Potassium)

    def __init__(self, size: Any, keep_size: bool = False, n: Any = 2, g_max: Any = 10.0, alpha: Any = 48.0,
                 beta: Any = 0.09, phi: Any = 1.0, method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self._set(g_max, n, alpha, beta, phi)

    def reset_state(self, V: Any = None, ca: Any = None, k: Any = None,  # type: ignore[override]
                    batch_size: int | None = None) -> None:
        self._reset(ca, batch_size)

    def update(self, V: Any, ca: IonInfo, k: IonInfo) -> None:  # type: ignore[override]
        self._step(ca)

    def current(self, V: Any, ca: IonInfo, k: IonInfo) -> jax.Array:  # type: ignore[override]
        return jnp.asarray(self.g_max * self.p.value * self.p.value * (k.E - V))
