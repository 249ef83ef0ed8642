"""``bp.sde``: BrainPy's SDE integrator classes, the classes of what ``bp.sdeint`` returns (``bp.sde.SDEIntegrator``,
``bp.sde.Euler``, ``Heun``, ``Milstein``, ``ExponentialEuler``).

>>> import brainbatch.brainpy as bp
>>> intg = bp.sdeint(lambda x, t: -x, lambda x, t: 0.1 * x, method='milstein')
>>> isinstance(intg, bp.sde.SDEIntegrator), type(intg).__name__
(True, 'Milstein')
"""
from __future__ import annotations

from typing import Any

from ._compat import unsupported
from ._sdeint import Euler, ExponentialEuler, Heun, Milstein, SDEIntegrator, sdeint
from .integrators import get_default_sdeint, set_default_sdeint

__all__ = ["SDEIntegrator", "Euler", "Heun", "Milstein", "ExponentialEuler", "sdeint", "get_default_sdeint", "set_default_sdeint"]

_OTHER = ("use bp.sde.Euler, Heun, Milstein or ExponentialEuler (bp.sdeint(method='euler', 'heun', 'milstein' or "
          "'exp_euler'))")
_HINTS = {"MilsteinGradFree": _OTHER, "SRK1W1": _OTHER, "SRK2W1": _OTHER, "KlPl": _OTHER,
          "register_sde_integrator": "a method of one's own is not supported; the provided ones are bp.sde's classes"}


def __getattr__(name: str) -> Any:
    raise unsupported("brainbatch.brainpy.sde", name, _HINTS, __all__)
