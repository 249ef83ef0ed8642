"""``brainbatch.brainpy.synouts`` (and the outputs of ``dyn``): brainbatch's ``COBA`` and ``CUBA``.

>>> import brainbatch.brainpy as bp
>>> bp.synouts.COBA(E=0.).current(0.5, -60.)
30.0
"""
from __future__ import annotations

from typing import Any

from ..models.synapses import COBA as _COBA
from ..models.synapses import CUBA as _CUBA
from ._base import Desc
from ._nmda import SynoutsMgBlock as MgBlock
from ._compat import check_none, unsupported

__all__ = ["COBA", "CUBA", "MgBlock"]


def _target(what: str, target_var: Any) -> None:
    if target_var not in (None, "input"):
        raise TypeError(f"{what}: target_var={target_var!r} is not supported; outputs add to the postsynaptic "
                        "group's current inputs (sum_current_inputs), as target_var='input' does")


class COBA(_COBA):
    """Conductance-based output: current ``g * (E - V)``."""

    def __init__(self, E: Any = 0.0, target_var: Any = "input", name: str | None = None, sharding: Any = None,
                 mode: Any = None):
        _target("COBA", target_var)
        check_none("COBA", sharding=sharding)
        super().__init__(E)

    @classmethod
    def desc(cls, *args: Any, **kwargs: Any) -> Desc:
        return Desc(cls, args, kwargs)


class CUBA(_CUBA):
    """Current-based output: ``g`` is the current."""

    def __init__(self, target_var: Any = "input", name: str | None = None, sharding: Any = None, mode: Any = None):
        _target("CUBA", target_var)
        check_none("CUBA", sharding=sharding)

    @classmethod
    def desc(cls, *args: Any, **kwargs: Any) -> Desc:
        return Desc(cls, args, kwargs)


def __getattr__(name: str) -> Any:
    raise unsupported("brainbatch.brainpy.synouts", name, {}, __all__)
