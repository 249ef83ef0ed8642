"""Conductance-based neurons assembled from ion channels (BrainPy 2.8.2's ``CondNeuGroup`` and
``bp.channels``): ``CondNeuGroupLTC``, ``CondNeuGroup``; channels ``INa_HH1952``, ``IK_HH1952``, ``IL``;
base ``IonChannel`` for new channels."""
from ._base import IonChannel as IonChannel
from ._hh1952 import IL as IL
from ._hh1952 import IK_HH1952 as IK_HH1952
from ._hh1952 import INa_HH1952 as INa_HH1952
from ._neugroup import CondNeuGroup as CondNeuGroup
from ._neugroup import CondNeuGroupLTC as CondNeuGroupLTC

__all__ = ["CondNeuGroup", "CondNeuGroupLTC", "IK_HH1952", "IL", "INa_HH1952", "IonChannel"]
