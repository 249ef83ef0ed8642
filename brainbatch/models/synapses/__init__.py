"""Synapse dynamics (exponential, alpha, dual-exponential, delta) and outputs (CUBA, COBA).

A synapse holds its state on the postsynaptic neurons and is integrated exactly (the models are
linear); an output turns its ``g`` into a current for the postsynaptic group. Both are used through
``brainbatch.models.Projection``.
"""
from ._alpha import Alpha as Alpha
from ._base import AbstractSynapse as AbstractSynapse
from ._base import check_time_constant as check_time_constant  # for synapse classes built elsewhere (brainpy)
from ._delta import Delta as Delta
from ._dual_exponential import DualExpon as DualExpon
from ._dual_exponential import DualExponential as DualExponential
from ._exponential import Expon as Expon
from ._exponential import Exponential as Exponential
from ._exact import ExponentialCurrent as ExponentialCurrent
from ._kinetic import AMPA as AMPA
from ._kinetic import BioNMDA as BioNMDA
from ._kinetic import GABAa as GABAa
from ._nmda import NMDA as NMDA
from ._nmda import MgBlock as MgBlock
from ._outputs import COBA as COBA
from ._outputs import CUBA as CUBA
from ._outputs import AbstractOutput as AbstractOutput

__all__ = ["AMPA", "AbstractOutput", "AbstractSynapse", "Alpha", "BioNMDA", "COBA", "CUBA", "Delta", "DualExpon", "DualExponential",
           "Expon", "Exponential", "GABAa", "MgBlock", "NMDA"]
