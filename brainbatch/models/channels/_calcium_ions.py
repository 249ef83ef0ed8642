"""Calcium ions whose concentration has dynamics (BrainPy 2.8.2's ``CalciumDyna``, ``CalciumDetailed``,
``CalciumFirstOrder``): ``C`` (mM) is state, driven by the calcium current and relaxing to rest, and the
reversal potential follows it by Nernst's equation as BrainPy writes it, ``E = R (273.15 + T) / (2 F) ln(C0 / C)``
with ``R = 8.31441``, ``F = 96.489`` (E in mV). Each step (BrainPy's order): the ion's channels advance with
the ``C`` and ``E`` of the step start, then ``C`` is integrated (``method``) with the channels' new gates,
then ``E`` is recomputed.

The channels' currents are inward positive (``g (E - V)``), so the influx is ``+I_Ca`` here. BrainPy 2.8.2
writes ``-I_Ca`` (its docstring's outward-positive convention) and clips the drive at 0, so there calcium never
rises while calcium flows in; and it adds the currents of ``MixIons`` channels reading the ion
(``IAHP_De1994v2``'s potassium current) to ``I_Ca``. ``brainbatch.brainpy``'s classes reproduce both
(``influx_sign``, ``mixed_in_influx``; docs/migrating-from-brainpy.md).
"""
from __future__ import annotations

from typing import Any, ClassVar

import brainunit as u
import jax
import jax.numpy as jnp
import numpy as np

from ...core.initializers import OneInit
from ...core.modes import Mode
from ...core.variable import Variable
from ..neurons._base import check_initializer, is_concrete
from ._ion import Calcium, HostedChannel

__all__ = ["CalciumDyna", "CalciumDetailed", "CalciumFirstOrder"]


class CalciumDyna(Calcium):
    """Base of calcium ions with concentration dynamics: ``C0`` outside (mM), temperature ``T`` (°C),
    ``C`` from ``C_initializer``; a subclass gives ``derivative(C, t, V)``.
    """

    # made by reset_state (init_variable): declared for the type checker only
    C: Variable
    E: Variable

    R: ClassVar[float] = 8.31441  # gas constant, J / (mol K)
    F: ClassVar[float] = 96.489  # Faraday's constant, as BrainPy scales it (E in mV)
    #: the sign of the calcium current in the influx: +1, inward currents bring calcium in (BrainPy: -1)
    influx_sign: ClassVar[float] = 1.0
    #: whether the currents of MixIons channels reading this ion count in the influx (BrainPy: True)
    mixed_in_influx: ClassVar[bool] = False

    param_units = {"C0": u.mM, "T": u.UNITLESS, "C_initializer": u.mM}

    def __init__(self, size: Any, keep_size: bool = False, C0: Any = 2.0, T: Any = 36.0,
                 C_initializer: Any = OneInit(2.4e-4), method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None, **channels: HostedChannel) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode, **channels)
        self.C0 = self.param("C0", C0, positive=True)
        self.T = self.param("T", T)
        if is_concrete(self.T) and not np.all(np.asarray(self.T) > -273.15):
            raise ValueError(f"{type(self).__name__}: T is the temperature in °C and must lie above -273.15, got {T!r}")
        self._C_initializer = check_initializer("C_initializer", C_initializer)
        self._constant = self.R / (2 * self.F) * (273.15 + self.T)
        self._init_state(None)
        self._add_pending()

    def reversal_potential(self, C: Any) -> Any:
        """Nernst's potential (mV) of calcium at inner concentration ``C`` (mM), BrainPy's constants.

        >>> round(float(CalciumDetailed(1).reversal_potential(2.4e-4)), 2)
        120.25
        """
        return self._constant * jnp.log(self.C0 / C)

    def _init_state(self, batch_size: int | None) -> None:
        C = self.init_variable("C", self._C_initializer, batch_size=batch_size, units="mM",
                               description="intracellular calcium concentration")
        if is_concrete(C.value) and not np.all(np.asarray(C.value) > 0):  # log(C0 / C) would be NaN or inf
            raise ValueError(f"{type(self).__name__}: the calcium concentration must start > 0 mM (its reversal "
                             f"potential is log(C0 / C)), got {self._C_initializer!r}")
        self.init_variable("E", self.reversal_potential(C.value), batch_size=batch_size, units="mV",
                           description="calcium reversal potential")

    def reset_state(self, V: Any = None, batch_size: int | None = None) -> None:  # type: ignore[override]
        self._init_state(batch_size)
        self.reset_channels(V, batch_size)

    def calcium_current(self, V: Any, C: Any) -> Any:
        """``I_Ca`` of the influx (µA/cm², inward positive): the channels' currents at ``C`` and the step's ``E``."""
        return self.current(V, C, self.E.value, external=self.mixed_in_influx)

    def derivative(self, C: jax.Array, t: Any, V: jax.Array) -> jax.Array:
        raise NotImplementedError(f"{type(self).__name__} must implement derivative(C, t, V)")

    def update(self, V: Any = None) -> None:
        super().update(V)  # the channels, with the C and E of the step start
        C = self.integrate(self.derivative, self.C.value, V)
        self.C.value = C
        self.E.value = self.reversal_potential(C)


class CalciumDetailed(CalciumDyna):
    r"""Calcium in a shell of depth ``d`` (µm) under the membrane (Destexhe et al. 1993, Bazhenov et al. 1998)::

        dC/dt = max(I_Ca / (2 F d), 0) + (C_rest - C) / tau

    ``C_rest`` (mM) at rest, removal time constant ``tau`` (ms); BrainPy's defaults (``d`` 1, ``tau`` 5,
    ``C_rest`` = ``C`` = 2.4e-4 mM, ``C0`` 2 mM, ``T`` 36 °C).

    >>> from brainbatch.models.channels import ICaT_HP1992
    >>> ca = CalciumDetailed(1, C_rest=5e-5, tau=100., d=0.5, IT=ICaT_HP1992(1)); float(ca.C.value[0])
    0.00023999999393709004
    """

    param_units = {"d": u.um, "tau": u.ms, "C_rest": u.mM}

    def __init__(self, size: Any, keep_size: bool = False, T: Any = 36.0, d: Any = 1.0, C_rest: Any = 2.4e-4,
                 tau: Any = 5.0, C0: Any = 2.0, C_initializer: Any = OneInit(2.4e-4), method: str = "exp_euler",
                 name: str | None = None, mode: Mode | None = None, **channels: HostedChannel) -> None:
        super().__init__(size, keep_size=keep_size, C0=C0, T=T, C_initializer=C_initializer, method=method,
                         name=name, mode=mode, **channels)
        self.d = self.param("d", d, positive=True)
        self.tau = self.param("tau", tau, positive=True)
        self.C_rest = self.param("C_rest", C_rest, nonnegative=True)

    def derivative(self, C: jax.Array, t: Any, V: jax.Array) -> jax.Array:
        I_Ca = self.influx_sign * self.calcium_current(V, C)
        drive = jnp.maximum(I_Ca / (2 * self.F * self.d), 0.0)
        return drive + (self.C_rest - C) / self.tau


class CalciumFirstOrder(CalciumDyna):
    r"""Calcium of first-order dynamics, ``dC/dt = max(alpha I_Ca, 0) - beta C`` (BrainPy's defaults
    ``alpha`` 0.13, ``beta`` 0.075 /ms).

    >>> ca = CalciumFirstOrder(1); float(ca.derivative(ca.C.value, 0.0, ca.C.value * 0)[0]) < 0
    True
    """

    param_units = {"alpha": u.UNITLESS, "beta": u.kHz}

    def __init__(self, size: Any, keep_size: bool = False, T: Any = 36.0, alpha: Any = 0.13, beta: Any = 0.075,
                 C0: Any = 2.0, C_initializer: Any = OneInit(2.4e-4), method: str = "exp_euler",
                 name: str | None = None, mode: Mode | None = None, **channels: HostedChannel) -> None:
        super().__init__(size, keep_size=keep_size, C0=C0, T=T, C_initializer=C_initializer, method=method,
                         name=name, mode=mode, **channels)
        self.alpha = self.param("alpha", alpha, nonnegative=True)
        self.beta = self.param("beta", beta, positive=True)

    def derivative(self, C: jax.Array, t: Any, V: jax.Array) -> jax.Array:
        drive = jnp.maximum(self.alpha * (self.influx_sign * self.calcium_current(V, C)), 0.0)
        return drive - self.beta * C
