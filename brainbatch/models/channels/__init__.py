"""Conductance-based neurons assembled from ion channels (BrainPy 2.8.2's ``CondNeuGroup`` and
``bp.channels``): ``CondNeuGroupLTC``, ``CondNeuGroup``; the sodium and potassium channels that take their
reversal potential ``E`` (``INa_HH1952``, ``IK_HH1952``, ``INa_TM1991``, ``IK_TM1991``, ``INa_Ba2002``,
``IKDR_Ba2002``, ``IKA1_HM1992``, ``IKA2_HM1992``, ``IKK2A_HM1992``, ``IKK2B_HM1992``, ``IKNI_Ya1989``,
``Ih_HM1992``), the leaks ``IL``, ``IKL``; bases ``IonChannel`` for new channels and ``GatedChannel`` for
``g_max * gates * (E - V)`` ones."""
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

__all__ = ["CondNeuGroup", "CondNeuGroupLTC", "GatedChannel", "IKA1_HM1992", "IKA2_HM1992", "IKDR_Ba2002",
           "IKK2A_HM1992", "IKK2B_HM1992", "IKL", "IKNI_Ya1989", "IK_HH1952", "IK_TM1991", "IL", "INa_Ba2002",
           "INa_HH1952", "INa_TM1991", "Ih_HM1992", "IonChannel"]
