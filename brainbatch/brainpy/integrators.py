"""``bp.integrators``: the names of BrainPy's SDE kinds, as its SDE tutorial spells them
(``bp.sdeint(f, g, intg_type=bp.integrators.STRA_SDE, wiener_type=bp.integrators.VECTOR_WIENER)``); they are
the texts ``bp.sdeint`` takes. The integrator classes themselves are not part of brainbatch: ``bp.odeint`` and
``bp.sdeint`` return plain callables.

>>> import brainbatch.brainpy as bp
>>> bp.integrators.ITO_SDE, bp.integrators.VECTOR_WIENER
('Ito', 'vector')
"""
from __future__ import annotations

from typing import Any

from ._compat import unsupported

__all__ = ["ITO_SDE", "STRA_SDE", "SCALAR_WIENER", "VECTOR_WIENER"]

ITO_SDE = "Ito"
STRA_SDE = "Stratonovich"
SCALAR_WIENER = "scalar"
VECTOR_WIENER = "vector"


def __getattr__(name: str) -> Any:
    raise unsupported("brainbatch.brainpy.integrators", name,
                      {"ODEIntegrator": "bp.odeint returns a plain callable",
                       "SDEIntegrator": "bp.sdeint returns a plain callable"}, __all__)
