"""``bp.sde``: BrainPy's SDE integrator classes, the classes of what ``bp.sdeint`` returns (``bp.sde.SDEIntegrator``,
``bp.sde.Euler``, ``Heun``, ``Milstein``).

>>> import brainbatch.brainpy as bp
>>> intg = bp.sdeint(lambda x, t: -x, lambda x, t: 0.1 * x, method='milstein')
>>> isinstance(intg, bp.sde.SDEIntegrator), type(intg).__name__
(True, 'Milstein')
"""
from __future__ import annotations

from typing import Any

from ._compat import unsupported
from ._sdeint import Euler, Heun, Milstein, SDEIntegrator, sdeint
from .integrators import get_default_sdeint, set_default_sdeint

__all__ = ["SDEIntegrator", "Euler", "Heun", "Milstein", "sdeint", "get_default_sdeint", "set_default_sdeint"]

_OTHER = "use bp.sde.Euler, Heun or Milstein (bp.sdeint(method='euler', 'heun' or 'milstein'))"
_HINTS = {"MilsteinGradFree": _OTHER, "ExponentialEuler": _OTHER, "SRK1W1": _OTHER, "SRK2W1": _OTHER, "KlPl": _OTHER,
          "register_sde_integrator": "a method of one's own is not supported; the provided ones are bp.sde's classes"}


def __getattr__(name: str) -> Any:
    raise unsupported("brainbatch.brainpy.sde", name, _HINTS, __all__)
