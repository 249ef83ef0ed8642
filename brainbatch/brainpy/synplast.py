"""``brainbatch.brainpy.synplast`` (BrainPy 2.3): short-term plasticity for ``stp=`` of a synapse.

>>> import brainbatch.brainpy as bp
>>> bp.synplast.STP(U=0.2, tau_f=2., tau_d=150.)
STP(U=0.2, tau_f=2.0, tau_d=150.0)
"""
from __future__ import annotations

from typing import Any

from ._compat import unsupported
from ._stp import SynapticSTD as STD
from ._stp import SynapticSTP as STP

__all__ = ["STP", "STD"]


def __getattr__(name: str) -> Any:
    raise unsupported("brainbatch.brainpy.synplast", name, {}, __all__)
