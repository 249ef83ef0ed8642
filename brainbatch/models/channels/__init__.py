"""Conductance-based neurons assembled from ion channels (BrainPy 2.8.2's ``CondNeuGroup`` and
``bp.channels``): ``CondNeuGroupLTC``, ``CondNeuGroup``; the sodium and potassium channels that take their
reversal potential ``E`` (``INa_HH1952``, ``IK_HH1952``, ``INa_TM1991``, ``IK_TM1991``, ``INa_Ba2002``,
``IKDR_Ba2002``, ``IKA1_HM1992``, ``IKA2_HM1992``, ``IKK2A_HM1992``, ``IKK2B_HM1992``, ``IKNI_Ya1989``,
``Ih_HM1992``), the leaks ``IL``, ``IKL``; bases ``IonChannel`` for new channels and ``GatedChannel`` for
``g_max * gates * (E - V)`` ones; the ions (``SodiumFixed``, ``PotassiumFixed``, ``CalciumFixed``,
``CalciumDetailed``, ``CalciumFirstOrder``, ``mix_ions``) with the channels that read them (the calcium channels,
``IAHP_De1994``/``v2``, ``Ih_De1996``, the ``*_v2`` channels, ``IK_Leak``; base ``HostedChannel``)."""
from ._base import IonChannel as IonChannel
from ._ba2002 import IKDR_Ba2002 as IKDR_Ba2002
from ._ba2002 import INa_Ba2002 as INa_Ba2002
from ._gated import GatedChannel as GatedChannel
from ._hh1952 import IL as IL
from ._hh1952 import IK_HH1952 as IK_HH1952
from ._hh1952 import INa_HH1952 as INa_HH1952
from ._hm1992 import IKA1_HM1992 as IKA1_HM1992
from ._hm1992 import IKA2_HM1992 as IKA2_HM1992
from ._hm1992 import IKK2A_HM1992 as IKK2A_HM1992
from ._hm1992 import IKK2B_HM1992 as IKK2B_HM1992
from ._hm1992 import Ih_HM1992 as Ih_HM1992
from ._leak import IKL as IKL
from ._neugroup import CondNeuGroup as CondNeuGroup
from ._neugroup import CondNeuGroupLTC as CondNeuGroupLTC
from ._tm1991 import IK_TM1991 as IK_TM1991
from ._tm1991 import INa_TM1991 as INa_TM1991
from ._ya1989 import IKNI_Ya1989 as IKNI_Ya1989
from ._ion import IonInfo as IonInfo
from ._ion import HostedChannel as HostedChannel
from ._ion import Ion as Ion
from ._ion import Sodium as Sodium
from ._ion import Potassium as Potassium
from ._ion import Calcium as Calcium
from ._fixed_ions import SodiumFixed as SodiumFixed
from ._fixed_ions import PotassiumFixed as PotassiumFixed
from ._fixed_ions import CalciumFixed as CalciumFixed
from ._calcium_ions import CalciumDyna as CalciumDyna
from ._calcium_ions import CalciumDetailed as CalciumDetailed
from ._calcium_ions import CalciumFirstOrder as CalciumFirstOrder
from ._calcium import ICaT_HM1992 as ICaT_HM1992
from ._calcium import ICaT_HP1992 as ICaT_HP1992
from ._calcium import ICaHT_HM1992 as ICaHT_HM1992
from ._calcium import ICaHT_Re1993 as ICaHT_Re1993
from ._calcium import ICaL_IS2008 as ICaL_IS2008
from ._calcium import ICaN_IS2008 as ICaN_IS2008
from ._kca import IAHP_De1994 as IAHP_De1994
from ._kca import IAHP_De1994v2 as IAHP_De1994v2
from ._ih_de1996 import Ih_De1996 as Ih_De1996
from ._hosted_gated import IonGatedChannel as IonGatedChannel
from ._mix import MixIons as MixIons
from ._mix import mix_ions as mix_ions
from ._v2 import INa_Ba2002v2 as INa_Ba2002v2
from ._v2 import INa_TM1991v2 as INa_TM1991v2
from ._v2 import INa_HH1952v2 as INa_HH1952v2
from ._v2 import IKDR_Ba2002v2 as IKDR_Ba2002v2
from ._v2 import IK_TM1991v2 as IK_TM1991v2
from ._v2 import IK_HH1952v2 as IK_HH1952v2
from ._v2 import IKA1_HM1992v2 as IKA1_HM1992v2
from ._v2 import IKA2_HM1992v2 as IKA2_HM1992v2
from ._v2 import IKK2A_HM1992v2 as IKK2A_HM1992v2
from ._v2 import IKK2B_HM1992v2 as IKK2B_HM1992v2
from ._v2 import IKNI_Ya1989v2 as IKNI_Ya1989v2
from ._v2 import IK_Leak as IK_Leak

__all__ = ["Calcium", "CalciumDetailed", "CalciumDyna", "CalciumFirstOrder", "CalciumFixed", "CondNeuGroup",
           "CondNeuGroupLTC", "GatedChannel", "HostedChannel", "IAHP_De1994", "IAHP_De1994v2", "ICaHT_HM1992",
           "ICaHT_Re1993", "ICaL_IS2008", "ICaN_IS2008", "ICaT_HM1992", "ICaT_HP1992", "IKA1_HM1992",
           "IKA1_HM1992v2", "IKA2_HM1992", "IKA2_HM1992v2", "IKDR_Ba2002", "IKDR_Ba2002v2", "IKK2A_HM1992",
           "IKK2A_HM1992v2", "IKK2B_HM1992", "IKK2B_HM1992v2", "IKL", "IKNI_Ya1989", "IKNI_Ya1989v2", "IK_HH1952",
           "IK_HH1952v2", "IK_Leak", "IK_TM1991", "IK_TM1991v2", "IL", "INa_Ba2002", "INa_Ba2002v2", "INa_HH1952",
           "INa_HH1952v2", "INa_TM1991", "INa_TM1991v2", "Ih_De1996", "Ih_HM1992", "Ion", "IonChannel",
           "IonGatedChannel", "IonInfo", "MixIons", "Potassium", "PotassiumFixed", "Sodium", "SodiumFixed",
           "mix_ions"]
