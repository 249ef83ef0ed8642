"""Ions of fixed reversal potential and concentration (BrainPy 2.8.2's ``SodiumFixed``, ``PotassiumFixed``,
``CalciumFixed``): parameters, not state; their channels read ``E`` and ``C`` from them."""
from __future__ import annotations

from typing import Any

import brainunit as u

from ...core.modes import Mode
from ._ion import Calcium, HostedChannel, Potassium, Sodium

__all__ = ["SodiumFixed", "PotassiumFixed", "CalciumFixed"]

_UNITS = {"E": u.mV, "C": u.mM}


class _Fixed:
    """``E`` (mV) and ``C`` (mM) as checked parameters, then the channels given as keywords."""

    param_units = _UNITS

    def _fix(self, E: Any, C: Any) -> None:
        self.E = self.param("E", E)  # type: ignore[attr-defined]
        self.C = self.param("C", C, positive=True)  # type: ignore[attr-defined]
        self._add_pending()  # type: ignore[attr-defined]


class SodiumFixed(_Fixed, Sodium):
    """A sodium ion of fixed ``E`` (50 mV) and ``C`` (0.0400811 mM), hosting the ``*_v2`` sodium channels.

    >>> from brainbatch.models.channels import INa_HH1952v2
    >>> na = SodiumFixed(1, E=55.0, INa=INa_HH1952v2(1)); float(na.info().E)
    55.0
    """

    def __init__(self, size: Any, keep_size: bool = False, E: Any = 50.0, C: Any = 0.0400811,
                 method: str = "exp_euler", name: str | None = None, mode: Mode | None = None,
                 **channels: HostedChannel) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode, **channels)
        self._fix(E, C)


class PotassiumFixed(_Fixed, Potassium):
    """A potassium ion of fixed ``E`` (-95 mV) and ``C`` (0.0400811 mM), hosting the ``*_v2`` potassium
    channels and ``IK_Leak``.

    >>> from brainbatch.models.channels import IK_Leak
    >>> k = PotassiumFixed(1, E=-90.0); k.add_elem(IKL=IK_Leak(1, g_max=0.01)); float(k.current(-70.0))
    -0.20000000298023224
    """

    def __init__(self, size: Any, keep_size: bool = False, E: Any = -95.0, C: Any = 0.0400811,
                 method: str = "exp_euler", name: str | None = None, mode: Mode | None = None,
                 **channels: HostedChannel) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode, **channels)
        self._fix(E, C)


class CalciumFixed(_Fixed, Calcium):
    """A calcium ion of fixed ``E`` (120 mV) and ``C`` (2.4e-4 mM), hosting calcium channels (not those that
    need the concentration's dynamics, ``ICaN_IS2008``).

    >>> from brainbatch.models.channels import ICaL_IS2008
    >>> ca = CalciumFixed(1, IL=ICaL_IS2008(1)); float(ca.E)
    120.0
    """

    def __init__(self, size: Any, keep_size: bool = False, E: Any = 120.0, C: Any = 2.4e-4,
                 method: str = "exp_euler", name: str | None = None, mode: Mode | None = None,
                 **channels: HostedChannel) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode, **channels)
        self._fix(E, C)
