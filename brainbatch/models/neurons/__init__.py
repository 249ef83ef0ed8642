"""Spiking neuron groups with BrainPy's names, signatures and defaults.

``LIF`` and ``LifRef`` (leaky integrate-and-fire, without and with a clamped refractory period),
``AdEx`` (adaptive exponential), ``Izhikevich`` and ``HH`` (Hodgkin-Huxley). Each is a ``NeuGroup``
with ``V`` (mV), ``spike`` (bool), ``input`` (cleared every step) and its own state Variables.
"""
from ._adex import AdEx as AdEx
from ._base import SpikingNeuron as SpikingNeuron
from ._hh import HH as HH
from ._izhikevich import Izhikevich as Izhikevich
from ._lif import LIF as LIF
from ._lif_ref import LifRef as LifRef

__all__ = ["AdEx", "HH", "Izhikevich", "LIF", "LifRef", "SpikingNeuron"]
