"""BrainPy's NMDA synapses and magnesium-block output (``bp.dyn.NMDA``, ``bp.dyn.BioNMDA``, ``bp.dyn.MgBlock``,
``bp.synouts.MgBlock``).

>>> import brainbatch.brainpy as bp
>>> syn = bp.dyn.NMDA.desc(size=100, a=0.5, tau_decay=100., tau_rise=2.)
>>> syn.build(size=None).tau_decay, bp.dyn.MgBlock(E=0., cc_Mg=1.0).cc_Mg
(100.0, 1.0)
"""
from __future__ import annotations

from typing import Any

from ..models.synapses import NMDA as _NMDA
from ..models.synapses import BioNMDA as _BioNMDA
from ..models.synapses import MgBlock as _MgBlock
from ._base import Desc
from ._compat import BrainPyCalls, check_none, method_name

__all__ = ["NMDA", "BioNMDA", "MgBlock", "SynoutsMgBlock"]


class NMDA(BrainPyCalls, _NMDA):
    """NMDA gating ``g`` with rise variable ``x`` (``a`` 0.5 /ms, ``tau_decay`` 100 ms, ``tau_rise`` 2 ms)."""

    def __init__(self, size: Any = None, keep_size: bool = False, sharding: Any = None, method: str = "exp_auto",
                 name: str | None = None, mode: Any = None, a: Any = 0.5, tau_decay: Any = 100.0,
                 tau_rise: Any = 2.0) -> None:
        check_none("NMDA", sharding=sharding)
        method_name(method)  # integrated as BrainPy's exp_auto does; the name is only checked
        super().__init__(tau_decay=tau_decay, tau_rise=tau_rise, a=a, size=size, keep_size=keep_size, name=name,
                         mode=mode)

    @classmethod
    def desc(cls, *args: Any, **kwargs: Any) -> Desc:
        """The arguments of an NMDA synapse a projection builds (``NMDA.desc(pre.num, tau_decay=100.)``)."""
        return Desc(cls, args, kwargs)


class BioNMDA(BrainPyCalls, _BioNMDA):
    """BrainPy 2.8.2's ``BioNMDA``: second-order kinetics (``g`` driven by ``x``, ``x`` by the transmitter pulse);
    in an align-pre projection with ``bp.dyn.MgBlock``."""

    def __init__(self, size: Any = None, keep_size: bool = False, sharding: Any = None, method: str = "exp_auto",
                 name: str | None = None, mode: Any = None, alpha1: Any = 2.0, beta1: Any = 0.01, alpha2: Any = 1.0,
                 beta2: Any = 0.5, T: Any = 1.0, T_dur: Any = 0.5) -> None:
        check_none("BioNMDA", sharding=sharding)
        method_name(method)  # exponential Euler on the joint equation, as BrainPy's exp_auto
        super().__init__(alpha1=alpha1, beta1=beta1, alpha2=alpha2, beta2=beta2, T=T, T_duration=T_dur, size=size,
                         keep_size=keep_size, name=name, mode=mode)

    @classmethod
    def desc(cls, *args: Any, **kwargs: Any) -> Desc:
        """The arguments of a BioNMDA synapse a projection builds (``BioNMDA.desc(pre.num, T_dur=1.)``)."""
        return Desc(cls, args, kwargs)


class MgBlock(_MgBlock):
    """``g (E - V) / (1 + cc_Mg / beta exp(alpha (V_offset - V)))`` (BrainPy 2.4's ``bp.dyn.MgBlock``)."""

    def __init__(self, E: Any = 0.0, cc_Mg: Any = 1.2, alpha: Any = 0.062, beta: Any = 3.57, V_offset: Any = 0.0,
                 sharding: Any = None, name: str | None = None, scaling: Any = None):
        check_none("MgBlock", sharding=sharding)
        if scaling is not None:
            raise TypeError(f"MgBlock: scaling={scaling!r} is not supported; potentials are in mV")
        super().__init__(E=E, cc_Mg=cc_Mg, alpha=alpha, beta=beta, V_offset=V_offset)

    @classmethod
    def desc(cls, *args: Any, **kwargs: Any) -> Desc:
        return Desc(cls, args, kwargs)


class SynoutsMgBlock(_MgBlock):
    """BrainPy 2.3's ``bp.synouts.MgBlock(E, cc_Mg, alpha, beta, target_var='input', membrane_var='V')``."""

    def __init__(self, E: Any = 0.0, cc_Mg: Any = 1.2, alpha: Any = 0.062, beta: Any = 3.57,
                 target_var: Any = "input", membrane_var: Any = "V", name: str | None = None):
        if target_var not in (None, "input") or membrane_var != "V":
            raise TypeError(f"MgBlock: target_var={target_var!r}, membrane_var={membrane_var!r} are not supported; "
                            "outputs add to the postsynaptic group's current inputs with its V")
        super().__init__(E=E, cc_Mg=cc_Mg, alpha=alpha, beta=beta)
