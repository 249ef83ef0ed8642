"""``brainbatch.brainpy.dyn`` (BrainPy 2.4 names): neurons, synapse dynamics, outputs and projections.

>>> import brainbatch.brainpy as bp
>>> syn = bp.dyn.Expon(size=4, tau=5.)
>>> syn.g.shape
(4,)
"""
from __future__ import annotations

from typing import Any

from ..models.synapses import AMPA as _AMPA
from ..models.synapses import GABAa as _GABAa
from ..models.synapses import Exponential as _Exponential
from ._dualexp import TwoGateDualExponential
from ._method_pair import MethodAlpha, MethodDualExpon
from ._base import Desc, DynamicalSystem, DynSysGroup, InputVar, NeuDyn, NeuGroup
from ._compat import BrainPyCalls, MethodDecay, check_none, method_name, unsupported
from ._projections import (FullProjAlignPost, FullProjAlignPostMg, FullProjAlignPreDS, FullProjAlignPreDSMg,
                           FullProjAlignPreSD, FullProjAlignPreSDMg, ProjAlignPostMg2, ProjAlignPreMg1, ProjAlignPreMg2)
from ._halfproj import HalfProjAlignPost, ProjAlignPostMg1, VanillaProj
from ._deltaproj import FullProjDelta, HalfProjDelta
from ._plasticity import STDP_Song2000
from ._stp import STDNode as STD
from ._stp import STPNode as STP
from ._nmda import NMDA, BioNMDA, MgBlock
from ._synconn import SynConn
from .channels import (IKL, IL, CondNeuGroup, CondNeuGroupLTC, IK_HH1952, IK_TM1991, IKA1_HM1992, IKA2_HM1992,
                       IKDR_Ba2002, IKK2A_HM1992, IKK2B_HM1992, IKNI_Ya1989, Ih_HM1992, INa_Ba2002, INa_HH1952, INa_TM1991,
                       IonChannel, IonChaDyn, HHTypedNeuron)
from .channels import (CalciumDetailed, CalciumFirstOrder, CalciumFixed, IAHP_De1994, IAHP_De1994v2, ICaHT_HM1992,
                       ICaHT_Re1993, ICaL_IS2008, ICaN_IS2008, ICaT_HM1992, ICaT_HP1992, Ih_De1996, IK_Leak, MixIons,
                       PotassiumFixed, SodiumFixed, mix_ions)
from .channels import Calcium, Potassium, Sodium
from .channels import (IK_HH1952v2, IK_TM1991v2, IKA1_HM1992v2, IKA2_HM1992v2, IKDR_Ba2002v2, IKK2A_HM1992v2,
                       IKK2B_HM1992v2, IKNI_Ya1989v2, INa_Ba2002v2, INa_HH1952v2, INa_TM1991v2)
from .rates import (FHN, QIF, AdditiveCoupling, DiffusiveCoupling, FeedbackFHN, OUProcess, StuartLandauOscillator,
                    ThresholdLinearModel, WilsonCowanModel)
from .neurons import (HH, HHLTC, AdExIF, AdExIFLTC, AdExIFRef, AdExIFRefLTC, AdQuaIF, AdQuaIFLTC, AdQuaIFRef,
                      AdQuaIFRefLTC, ExpIF, ExpIFLTC, ExpIFRef, ExpIFRefLTC, Gif, GifLTC, GifRef, GifRefLTC, Izhikevich,
                      IzhikevichLTC, IzhikevichRef, IzhikevichRefLTC, Lif, LifLTC, LifRef, LifRefLTC, PoissonGroup,
                      QuaIF, QuaIFLTC, QuaIFRef, QuaIFRefLTC, SpikeTimeGroup)
from ._conductance_neurons import MorrisLecar, MorrisLecarLTC, WangBuzsakiHH, WangBuzsakiHHLTC
from ._leaky import IF, IFLTC, Integrator
from .synapses import PoissonInput
from .synouts import COBA, CUBA

__all__ = ["LifRef", "LifRefLTC", "Lif", "LifLTC", "HH", "HHLTC", "PoissonGroup", "Izhikevich", "IzhikevichLTC",
           "IzhikevichRef", "IzhikevichRefLTC", "AdExIF", "AdExIFLTC", "AdExIFRef", "AdExIFRefLTC", "PoissonInput", "Expon",
           "Alpha", "DualExpon", "DualExponV2", "COBA", "CUBA", "FullProjAlignPost", "FullProjAlignPostMg", "ProjAlignPostMg2", "FullProjAlignPreSDMg",
           "FullProjAlignPreDSMg", "ProjAlignPreMg1", "ProjAlignPreMg2", "HalfProjAlignPost", "ProjAlignPostMg1",
           "VanillaProj", "InputVar", "DynamicalSystem", "DynSysGroup",
           "NeuDyn", "NeuGroup", "FHN", "OUProcess", "DiffusiveCoupling", "AdditiveCoupling", "CondNeuGroup",
           "CondNeuGroupLTC", "HHTypedNeuron", "IonChannel", "IonChaDyn", "INa_HH1952", "IK_HH1952", "IL", "NMDA", "MgBlock"]
__all__ += ["STDP_Song2000"]  # plasticity (docs/plasticity.md)
__all__ += ["ExpIF", "ExpIFLTC", "ExpIFRef", "ExpIFRefLTC", "QuaIF", "QuaIFLTC", "QuaIFRef", "QuaIFRefLTC", "AdQuaIF",
            "AdQuaIFLTC", "AdQuaIFRef", "AdQuaIFRefLTC", "Gif", "GifLTC", "GifRef", "GifRefLTC"]  # _if_neurons.py
__all__ += ["SpikeTimeGroup"]
__all__ += ["STP", "STD"]  # short-term plasticity (_stp.py)
__all__ += ["MorrisLecar", "MorrisLecarLTC", "WangBuzsakiHH", "WangBuzsakiHHLTC", "Integrator"]  # _conductance_neurons.py, _leaky.py
__all__ += ["HalfProjDelta", "FullProjDelta"]  # _deltaproj.py
__all__ += ["SynConn"]  # the hand-written synapse base, where BrainPy 2.8.2 keeps it (bp.dyn.SynConn)
__all__ += ["FeedbackFHN", "QIF", "StuartLandauOscillator", "WilsonCowanModel", "ThresholdLinearModel"]  # rates.py
__all__ += ["INa_TM1991", "IK_TM1991", "INa_Ba2002", "IKDR_Ba2002", "IKA1_HM1992", "IKA2_HM1992", "IKK2A_HM1992",
            "IKK2B_HM1992", "IKNI_Ya1989", "Ih_HM1992", "IKL"]  # channels.py
__all__ += ["SodiumFixed", "PotassiumFixed", "CalciumFixed", "CalciumDetailed", "CalciumFirstOrder", "MixIons",
            "mix_ions", "ICaT_HM1992", "ICaT_HP1992", "ICaHT_HM1992", "ICaHT_Re1993", "ICaL_IS2008", "ICaN_IS2008",
            "IAHP_De1994", "IAHP_De1994v2", "Ih_De1996", "IK_Leak", "INa_Ba2002v2", "INa_TM1991v2", "INa_HH1952v2",
            "IKDR_Ba2002v2", "IK_TM1991v2", "IK_HH1952v2", "IKA1_HM1992v2", "IKA2_HM1992v2", "IKK2A_HM1992v2",
            "IKK2B_HM1992v2", "IKNI_Ya1989v2"]  # channels.py: ions and the channels reading them
__all__ += ["Sodium", "Potassium", "Calcium"]  # channels.py: ion types (a channel's master_type)


class _SynDesc:
    @classmethod
    def desc(cls, *args: Any, **kwargs: Any) -> Desc:
        """The arguments of a synapse a projection builds (BrainPy's ``Expon.desc(size, tau=5.)``)."""
        return Desc(cls, args, kwargs)


class Expon(_SynDesc, BrainPyCalls, MethodDecay, _Exponential):
    """Exponential synapse dynamics on ``size`` neurons: ``g`` decays with ``tau`` (stepped by ``method``, as
    BrainPy's; exactly for ``exp_auto``) and adds its input."""

    def __init__(self, size: Any = None, keep_size: bool = False, sharding: Any = None, method: str = "exp_auto",
                 name: str | None = None, mode: Any = None, tau: Any = 8.0) -> None:
        check_none("Expon", sharding=sharding)
        super().__init__(tau=tau, size=size, keep_size=keep_size, name=name, mode=mode)
        self.set_method(method)  # after: BrainPy's method name replaces the native "exact"


class Alpha(_SynDesc, BrainPyCalls, MethodAlpha):
    """BrainPy's ``Alpha``: ``dg/dt = (-g + h) / tau_decay``, ``dh/dt = -h / tau_decay``, input into ``h``;
    stepped by ``method`` as BrainPy's ``odeint`` steps it (``_method_pair.py``)."""

    def __init__(self, size: Any = None, keep_size: bool = False, sharding: Any = None, method: str = "exp_auto",
                 name: str | None = None, mode: Any = None, tau_decay: Any = 10.0) -> None:
        check_none("Alpha", sharding=sharding)
        self.set_method(method)
        super().__init__(tau=tau_decay, size=size, keep_size=keep_size, name=name, mode=mode)


class DualExpon(_SynDesc, BrainPyCalls, MethodDualExpon):
    """BrainPy 2.5+'s ``DualExpon``: with ``A=None`` one unit of input makes ``g`` peak at 1 (``_dualexp.py``);
    stepped by ``method`` as BrainPy's ``odeint`` steps it (``_method_pair.py``)."""

    def __init__(self, size: Any = None, keep_size: bool = False, sharding: Any = None, method: str = "exp_auto",
                 name: str | None = None, mode: Any = None, tau_decay: Any = 10.0, tau_rise: Any = 1.0,
                 A: Any = None) -> None:
        check_none("DualExpon", sharding=sharding)
        self.set_method(method)
        super().__init__(tau_rise=tau_rise, tau_decay=tau_decay, A=A, size=size, keep_size=keep_size, name=name,
                         mode=mode)


class DualExponV2(_SynDesc, BrainPyCalls, TwoGateDualExponential):
    """BrainPy 2.8.2's ``DualExponV2``: two gates, ``g = A (g_decay - g_rise)`` (``_dualexp.py``); aligned pre or
    post, merged (``ProjAlignPostMg2``: the input decays with its step, as BrainPy's ``add_current``) or not.

    >>> import brainbatch.brainpy as bp
    >>> syn = bp.dyn.DualExponV2(2, tau_decay=5., tau_rise=1.)
    >>> syn.g_rise.shape, syn.g_decay.shape
    ((2,), (2,))
    """

    def __init__(self, size: Any = None, keep_size: bool = False, sharding: Any = None, method: str = "exp_auto",
                 name: str | None = None, mode: Any = None, tau_decay: Any = 10.0, tau_rise: Any = 1.0,
                 A: Any = None) -> None:
        check_none("DualExponV2", sharding=sharding)
        method_name(method)
        super().__init__(tau_rise=tau_rise, tau_decay=tau_decay, A=A, size=size, keep_size=keep_size, name=name,
                         mode=mode)


class AMPA(_SynDesc, BrainPyCalls, _AMPA):
    """BrainPy 2.8.2's ``AMPA`` kinetics (``dg/dt = alpha T (1 - g) - beta g``, ``T`` for ``T_dur`` ms after a
    spike); ``g`` saturates, so it goes in an align-pre projection (``FullProjAlignPreDSMg`` / ``SDMg``).

    >>> import brainbatch.brainpy as bp
    >>> bp.dyn.AMPA(4).g.shape, bp.dyn.GABAa(2).T_duration
    ((4,), 1.0)
    """

    def __init__(self, size: Any = None, keep_size: bool = False, sharding: Any = None, method: str = "exp_auto",
                 name: str | None = None, mode: Any = None, alpha: Any = 0.98, beta: Any = 0.18, T: Any = 0.5,
                 T_dur: Any = 0.5) -> None:
        check_none(type(self).__name__, sharding=sharding)
        method_name(method)  # exact for the step (T fixed over it), as exponential Euler is
        _AMPA.__init__(self, alpha=alpha, beta=beta, T=T, T_duration=T_dur, size=size, keep_size=keep_size,
                       name=name, mode=mode)


class GABAa(AMPA, _GABAa):
    """BrainPy 2.8.2's ``GABAa``: ``AMPA`` with ``alpha=0.53``, ``beta=0.18``, ``T=1``, ``T_dur=1``."""

    def __init__(self, size: Any = None, keep_size: bool = False, sharding: Any = None, method: str = "exp_auto",
                 name: str | None = None, mode: Any = None, alpha: Any = 0.53, beta: Any = 0.18, T: Any = 1.0,
                 T_dur: Any = 1.0) -> None:
        super().__init__(size=size, keep_size=keep_size, sharding=sharding, method=method, name=name, mode=mode,
                         alpha=alpha, beta=beta, T=T, T_dur=T_dur)


__all__ += ["AMPA", "GABAa", "BioNMDA"]

_PROJ = "use bp.dyn.FullProjAlignPost (or brainbatch.Projection)"
_HINTS: dict[str, str] = {
    "SynDyn": "a hand-written synapse dynamics: write the whole synapse as a bp.dyn.SynConn (bp.synapses.TwoEndConn) "
              "subclass, or use bp.dyn.Expon, Alpha, DualExpon, DualExponV2, AMPA, GABAa or NMDA in a projection",
    "SynOut": "use bp.dyn.COBA, bp.dyn.CUBA or bp.dyn.MgBlock (a hand-written output: compute the current in "
              "your projection's or group's update)",
    "Dynamic": "use bp.dyn.NeuDyn (bp.Dynamic(size) is a group of size units)",
    "Container": "use bp.DynSysGroup",
}


#: BrainPy 2.4's older names of two projections (deprecated aliases there too)
ProjAlignPost1 = HalfProjAlignPost
ProjAlignPost2 = FullProjAlignPost
HalfProjAlignPostMg = ProjAlignPostMg1  # BrainPy's own alias, the other way round
__all__ += ["IF", "IFLTC"]  # _leaky.py
__all__ += ["ProjAlignPost1", "ProjAlignPost2", "HalfProjAlignPostMg", "FullProjAlignPreSD", "FullProjAlignPreDS"]


def __getattr__(name: str) -> Any:
    if name in ("DSRunner", "Network"):  # BrainPy 2.3's bp.dyn.DSRunner and bp.dyn.Network (bp.* since)
        from . import _base, _runner

        return getattr(_runner if name == "DSRunner" else _base, name)
    from . import channels, neurons, rates  # their models' names are bp.dyn's too: the same hints

    hints = {**channels._HINTS, **neurons._HINTS, **rates._HINTS, **_HINTS}
    raise unsupported("brainbatch.brainpy.dyn", name, hints, __all__)
