"""Projections: spikes of a presynaptic group, delivered event-driven through sparse synapses.

>>> from brainbatch.models.projections import Projection, event_sum
"""
from ._event import event_sum as event_sum
from ._projection import Projection as Projection
from ._weights import WeightSpec as WeightSpec

__all__ = ["Projection", "WeightSpec", "event_sum"]
