"""Projections: spikes of a presynaptic group, delivered event-driven through sparse synapses.

>>> from brainbatch.models.projections import Projection, event_sum
"""
from ._align_pre import AlignPreProjection as AlignPreProjection
from ._event import event_sum as event_sum
from ._pathways import Pathways as Pathways
from ._projection import Projection as Projection
from ._projection import check_wiring as check_wiring
from ._weights import WeightSpec as WeightSpec

__all__ = ["AlignPreProjection", "Pathways", "Projection", "WeightSpec", "check_wiring", "event_sum"]
