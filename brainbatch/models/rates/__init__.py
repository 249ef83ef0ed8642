"""Rate (population) models for whole-brain networks (BrainPy 2.8.2's ``bp.rates``): ``FHN``,
``FeedbackFHN``, ``QIF``, ``StuartLandauOscillator``, ``WilsonCowanModel`` nodes (their shared part:
``XYRateModel``) with ``OUProcess`` noise, ``ThresholdLinearModel``, ``LeakyIntegrator`` (BrainPy's
``neurons.LeakyIntegrator``: a membrane without spikes), coupled by ``DiffusiveCoupling`` /
``AdditiveCoupling`` with per-pair delays."""
from ._base import RateModel as RateModel
from ._coupling import AdditiveCoupling as AdditiveCoupling
from ._coupling import DelayCoupling as DelayCoupling
from ._coupling import DiffusiveCoupling as DiffusiveCoupling
from ._feedback_fhn import FeedbackFHN as FeedbackFHN
from ._fhn import FHN as FHN
from ._leaky_integrator import LeakyIntegrator as LeakyIntegrator
from ._ou import OUProcess as OUProcess
from ._qif import QIF as QIF
from ._stuart_landau import StuartLandauOscillator as StuartLandauOscillator
from ._threshold_linear import ThresholdLinearModel as ThresholdLinearModel
from ._wilson_cowan import WilsonCowanModel as WilsonCowanModel
from ._xy import XYRateModel as XYRateModel

__all__ = ["AdditiveCoupling", "DelayCoupling", "DiffusiveCoupling", "FHN", "FeedbackFHN", "LeakyIntegrator", "OUProcess", "QIF",
           "RateModel", "StuartLandauOscillator", "ThresholdLinearModel", "WilsonCowanModel", "XYRateModel"]
