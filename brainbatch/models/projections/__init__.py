"""Projections: spikes of a presynaptic group, delivered event-driven through sparse synapses.

>>> from brainbatch.models.projections import Projection, event_sum
"""
from ._align_pre import AlignPreProjection as AlignPreProjection
from ._event import event_sum as event_sum
from ._pathways import Pathways as Pathways
from ._projection import Projection as Projection
from ._weights import WeightSpec as WeightSpec

__all__ = ["AlignPreProjection", "Pathways", "Projection", "WeightSpec", "event_sum"]
