"""``bp.integrators``: the names of BrainPy's SDE kinds, as its SDE tutorial spells them
(``bp.sdeint(f, g, intg_type=bp.integrators.STRA_SDE, wiener_type=bp.integrators.VECTOR_WIENER)``); they are
the texts ``bp.sdeint`` takes; the integrator classes (``Integrator``, ``ODEIntegrator``, ``SDEIntegrator``, and
``bp.integrators.ode``/``sde``: ``bp.ode``, ``bp.sde``), of which ``bp.odeint`` and ``bp.sdeint`` return objects.

>>> import brainbatch.brainpy as bp
>>> bp.integrators.ITO_SDE, bp.integrators.VECTOR_WIENER
('Ito', 'vector')
"""
from __future__ import annotations

import importlib
from typing import Any

from . import _odeint, _sdeint
from ._compat import method_name, unsupported
from ._integrator import Integrator
from ._integrator_runner import IntegratorRunner
from ._odeint import JointEq, ODEIntegrator, odeint
from ._sdeint import METHODS as _SDE_METHODS
from ._sdeint import SDEIntegrator, sdeint

__all__ = ["ITO_SDE", "STRA_SDE", "SCALAR_WIENER", "VECTOR_WIENER", "odeint", "sdeint", "JointEq", "IntegratorRunner",
           "get_default_odeint", "set_default_odeint", "get_default_sdeint", "set_default_sdeint", "Integrator",
           "ODEIntegrator", "SDEIntegrator"]  # and ode, sde: bp.ode, bp.sde (__getattr__)

ITO_SDE = "Ito"
STRA_SDE = "Stratonovich"
SCALAR_WIENER = "scalar"
VECTOR_WIENER = "vector"


def get_default_odeint() -> str:
    """The method ``bp.odeint`` uses without ``method=`` (``'euler'``, as BrainPy 2.8.2's)."""
    return str(_odeint.DEFAULT["method"])


def set_default_odeint(method: str) -> None:
    """Make ``method`` the one ``bp.odeint`` uses without ``method=`` (the classes keep their own defaults).

    >>> import brainbatch.brainpy as bp
    >>> bp.integrators.set_default_odeint("rk4"); bp.integrators.get_default_odeint()
    'rk4'
    >>> bp.integrators.set_default_odeint("euler")
    """
    method_name(method)  # a name brainbatch does not provide is refused here, with the list
    _odeint.DEFAULT["method"] = method


def get_default_sdeint() -> str:
    """The method ``bp.sdeint`` uses without ``method=`` (``'euler'``)."""
    return str(_sdeint.DEFAULT["method"])


def set_default_sdeint(method: str) -> None:
    """Make ``method`` the one ``bp.sdeint`` uses without ``method=``."""
    if _sdeint.ALIASES.get(method, method) not in _SDE_METHODS:
        raise ValueError(f"sdeint method must be one of {list(_SDE_METHODS)} (or BrainPy's other names of "
                         f"'exp_euler': {list(_sdeint.ALIASES)}), got {method!r}")
    _sdeint.DEFAULT["method"] = method


def __getattr__(name: str) -> Any:
    if name in ("ode", "sde"):  # bp.integrators.ode is bp.ode, which imports this module's defaults
        return importlib.import_module(f"{__package__}.{name}")
    raise unsupported("brainbatch.brainpy.integrators", name, {}, __all__)
