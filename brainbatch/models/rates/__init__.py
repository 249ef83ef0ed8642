"""Rate (population) models for whole-brain networks: ``FHN`` nodes with ``OUProcess`` noise, coupled by
``DiffusiveCoupling`` / ``AdditiveCoupling`` with per-pair delays (BrainPy 2.8.2's ``bp.rates``)."""
from ._base import RateModel as RateModel
from ._coupling import AdditiveCoupling as AdditiveCoupling
from ._coupling import DelayCoupling as DelayCoupling
from ._coupling import DiffusiveCoupling as DiffusiveCoupling
from ._fhn import FHN as FHN
from ._ou import OUProcess as OUProcess

__all__ = ["AdditiveCoupling", "DelayCoupling", "DiffusiveCoupling", "FHN", "OUProcess", "RateModel"]
