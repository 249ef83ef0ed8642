"""Spiking neuron groups with BrainPy's names, signatures and defaults.

``LIF`` and ``LifRef`` (leaky integrate-and-fire, without and with a clamped refractory period),
``AdEx`` (adaptive exponential), ``ALIF`` (adaptive threshold), ``ExpIF`` (exponential), ``QuaIF`` and ``AdQuaIF`` (quadratic, and
adaptive quadratic), ``GIF`` (generalized, moving threshold), ``Izhikevich``, ``HH`` (Hodgkin-Huxley), and
BrainPy's reset-free ``HindmarshRose``, ``FHNNeuron`` (spiking FitzHugh-Nagumo), ``MorrisLecar`` and
``WangBuzsakiHH`` (spikes are upward crossings). All but LIF, LifRef and the reset-free ones take ``tau_ref`` for BrainPy's refractory period (``_refractory.py``). Each is a ``NeuGroup``
with ``V`` (mV), ``spike`` (bool), ``input`` (cleared every step) and its own state Variables.
"""
from ._adex import AdEx as AdEx
from ._alif import ALIF as ALIF
from ._adquaif import AdQuaIF as AdQuaIF
from ._base import SpikingNeuron as SpikingNeuron
from ._expif import ExpIF as ExpIF
from ._fhn_neuron import FHNNeuron as FHNNeuron
from ._gif import GIF as GIF
from ._hh import HH as HH
from ._hindmarsh_rose import HindmarshRose as HindmarshRose
from ._izhikevich import Izhikevich as Izhikevich
from ._lif import LIF as LIF
from ._lif_ref import LifRef as LifRef
from ._morris_lecar import MorrisLecar as MorrisLecar
from ._quaif import QuaIF as QuaIF
from ._refractory import HeldRefractory as HeldRefractory
from ._refractory import init_spike_clock as init_spike_clock
from ._wang_buzsaki import WangBuzsakiHH as WangBuzsakiHH

__all__ = ["ALIF", "AdEx", "AdQuaIF", "ExpIF", "FHNNeuron", "GIF", "HH", "HindmarshRose", "Izhikevich", "LIF", "LifRef", "MorrisLecar", "QuaIF",
           "SpikingNeuron", "WangBuzsakiHH", "HeldRefractory", "init_spike_clock"]
