"""Synaptic plasticity rules for ``Projection(..., plasticity=rule)`` and short-term plasticity for
``Projection(..., stp=STP(...))`` (docs/plasticity.md).

>>> from brainbatch.models.plasticity import STDP, Vogels2011, TripletSTDP, Rule, Trace, STP
"""
from ._rule import PlasticityRule as PlasticityRule
from ._rule import Rule as Rule
from ._rule import Trace as Trace
from ._short_term import STP as STP
from ._stdp import STDP as STDP
from ._stdp import song2000 as song2000
from ._triplet import TripletSTDP as TripletSTDP
from ._vogels import Vogels2011 as Vogels2011

__all__ = ["PlasticityRule", "Rule", "Trace", "STP", "STDP", "song2000", "TripletSTDP", "Vogels2011"]
