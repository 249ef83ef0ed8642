"""Models: neuron groups, inputs, readouts, synapses, connectivity and projections.

Every public name of the subpackages is re-exported here.

>>> from brainbatch.models import LIF, Projection, FixedProb, Exponential, COBA
"""
from .channels import CondNeuGroup as CondNeuGroup
from .channels import CondNeuGroupLTC as CondNeuGroupLTC
from .channels import GatedChannel as GatedChannel
from .channels import IKA1_HM1992 as IKA1_HM1992
from .channels import IKA2_HM1992 as IKA2_HM1992
from .channels import IKDR_Ba2002 as IKDR_Ba2002
from .channels import IKK2A_HM1992 as IKK2A_HM1992
from .channels import IKK2B_HM1992 as IKK2B_HM1992
from .channels import IKL as IKL
from .channels import IKNI_Ya1989 as IKNI_Ya1989
from .channels import IonInfo as IonInfo
from .channels import HostedChannel as HostedChannel
from .channels import Ion as Ion
from .channels import Sodium as Sodium
from .channels import Potassium as Potassium
from .channels import Calcium as Calcium
from .channels import SodiumFixed as SodiumFixed
from .channels import PotassiumFixed as PotassiumFixed
from .channels import CalciumFixed as CalciumFixed
from .channels import CalciumDyna as CalciumDyna
from .channels import CalciumDetailed as CalciumDetailed
from .channels import CalciumFirstOrder as CalciumFirstOrder
from .channels import ICaT_HM1992 as ICaT_HM1992
from .channels import ICaT_HP1992 as ICaT_HP1992
from .channels import ICaHT_HM1992 as ICaHT_HM1992
from .channels import ICaHT_Re1993 as ICaHT_Re1993
from .channels import ICaL_IS2008 as ICaL_IS2008
from .channels import ICaN_IS2008 as ICaN_IS2008
from .channels import IAHP_De1994 as IAHP_De1994
from .channels import IAHP_De1994v2 as IAHP_De1994v2
from .channels import Ih_De1996 as Ih_De1996
from .channels import IonGatedChannel as IonGatedChannel
from .channels import MixIons as MixIons
from .channels import mix_ions as mix_ions
from .channels import INa_Ba2002v2 as INa_Ba2002v2
from .channels import INa_TM1991v2 as INa_TM1991v2
from .channels import INa_HH1952v2 as INa_HH1952v2
from .channels import IKDR_Ba2002v2 as IKDR_Ba2002v2
from .channels import IK_TM1991v2 as IK_TM1991v2
from .channels import IK_HH1952v2 as IK_HH1952v2
from .channels import IKA1_HM1992v2 as IKA1_HM1992v2
from .channels import IKA2_HM1992v2 as IKA2_HM1992v2
from .channels import IKK2A_HM1992v2 as IKK2A_HM1992v2
from .channels import IKK2B_HM1992v2 as IKK2B_HM1992v2
from .channels import IKNI_Ya1989v2 as IKNI_Ya1989v2
from .channels import IK_Leak as IK_Leak
from .channels import IK_HH1952 as IK_HH1952
from .channels import IK_TM1991 as IK_TM1991
from .channels import IL as IL
from .channels import INa_Ba2002 as INa_Ba2002
from .channels import INa_HH1952 as INa_HH1952
from .channels import INa_TM1991 as INa_TM1991
from .channels import Ih_HM1992 as Ih_HM1992
from .channels import IonChannel as IonChannel
from .connectivity import AbstractConnector as AbstractConnector
from .connectivity import AllToAll as AllToAll
from .connectivity import Connectivity as Connectivity
from .connectivity import ConnectivityOverflowError as ConnectivityOverflowError
from .connectivity import Explicit as Explicit
from .connectivity import FixedInDegree as FixedInDegree
from .connectivity import FixedOutDegree as FixedOutDegree
from .connectivity import FixedPostNum as FixedPostNum
from .connectivity import FixedPreNum as FixedPreNum
from .connectivity import FixedProb as FixedProb
from .connectivity import FixedTotalNumber as FixedTotalNumber
from .connectivity import OneToOne as OneToOne
from .inputs import PoissonGroup as PoissonGroup
from .inputs import SpikeTimeGroup as SpikeTimeGroup
from .inputs import PoissonInput as PoissonInput
from .inputs import constant_input as constant_input
from .inputs import ramp_input as ramp_input
from .inputs import section_input as section_input
from .inputs import ou_process as ou_process
from .inputs import sinusoidal_input as sinusoidal_input
from .inputs import spike_input as spike_input
from .inputs import square_input as square_input
from .inputs import wiener_process as wiener_process
from .neurons import ALIF as ALIF
from .neurons import AdEx as AdEx
from .neurons import AdQuaIF as AdQuaIF
from .neurons import ExpIF as ExpIF
from .neurons import FHNNeuron as FHNNeuron
from .neurons import GIF as GIF
from .neurons import HH as HH
from .neurons import HindmarshRose as HindmarshRose
from .neurons import Izhikevich as Izhikevich
from .neurons import LIF as LIF
from .neurons import LifRef as LifRef
from .neurons import MorrisLecar as MorrisLecar
from .neurons import QuaIF as QuaIF
from .neurons import SpikingNeuron as SpikingNeuron
from .neurons import WangBuzsakiHH as WangBuzsakiHH
from .plasticity import PlasticityRule as PlasticityRule
from .plasticity import Rule as Rule
from .plasticity import STDP as STDP
from .plasticity import STP as STP
from .plasticity import Trace as Trace
from .plasticity import TripletSTDP as TripletSTDP
from .plasticity import Vogels2011 as Vogels2011
from .projections import AlignPreProjection as AlignPreProjection
from .projections import Pathways as Pathways
from .projections import Projection as Projection
from .rates import AdditiveCoupling as AdditiveCoupling
from .rates import DelayCoupling as DelayCoupling
from .rates import DiffusiveCoupling as DiffusiveCoupling
from .rates import FeedbackFHN as FeedbackFHN
from .rates import FHN as FHN
from .rates import LeakyIntegrator as LeakyIntegrator
from .rates import OUProcess as OUProcess
from .rates import QIF as QIF
from .rates import RateModel as RateModel
from .rates import XYRateModel as XYRateModel
from .rates import StuartLandauOscillator as StuartLandauOscillator
from .rates import ThresholdLinearModel as ThresholdLinearModel
from .rates import WilsonCowanModel as WilsonCowanModel
from .readouts import Dense as Dense
from .synapses import AbstractOutput as AbstractOutput
from .synapses import AbstractSynapse as AbstractSynapse
from .synapses import Alpha as Alpha
from .synapses import COBA as COBA
from .synapses import CUBA as CUBA
from .synapses import Delta as Delta
from .synapses import DualExpon as DualExpon
from .synapses import DualExponential as DualExponential
from .synapses import Expon as Expon
from .synapses import Exponential as Exponential
from .synapses import MgBlock as MgBlock
from .synapses import NMDA as NMDA
from .synapses import AMPA as AMPA
from .synapses import GABAa as GABAa
from .synapses import BioNMDA as BioNMDA
from ..core.jax_compat import replace_random_cpu_lowerings, replace_threefry_cpu_lowering
from ..kernels import native_when_lowering, random_bits_native, random_split_native, threefry_cpu_rule

# JAX's threefry hash (every jax.random draw, split, fold_in) lowers on CPU to the native kernel, same
# bits, far less to compile (brainbatch/kernels/README.md). Here because every model build and every
# sweep worker imports this package; once per process, and nothing is built until a program needs it.
# A draw's or a split's counts and broadcast key are built inside the kernel too (four fusions less each).
replace_threefry_cpu_lowering(threefry_cpu_rule)
replace_random_cpu_lowerings(random_bits_native, random_split_native, native_when_lowering)

__all__ = [
    "ALIF", "AMPA", "AbstractConnector", "AbstractOutput", "AbstractSynapse", "AdEx", "AdQuaIF", "AdditiveCoupling",
    "AlignPreProjection", "AllToAll", "Alpha", "BioNMDA", "COBA", "CUBA", "CondNeuGroup", "CondNeuGroupLTC", "Connectivity",
    "ConnectivityOverflowError", "DelayCoupling", "Delta", "Dense", "DiffusiveCoupling", "DualExpon",
    "DualExponential", "ExpIF", "Explicit", "Expon", "Exponential", "FHN", "FHNNeuron", "FeedbackFHN",
    "FixedInDegree", "FixedOutDegree", "FixedPostNum", "FixedPreNum", "FixedProb", "FixedTotalNumber", "GABAa",
    "GIF", "GatedChannel", "HH", "HindmarshRose", "IKA1_HM1992", "IKA2_HM1992", "IKDR_Ba2002", "IKK2A_HM1992",
    "IKK2B_HM1992", "IKL", "IKNI_Ya1989", "IonInfo", "HostedChannel", "Ion", "Sodium", "Potassium", "Calcium",
    "SodiumFixed", "PotassiumFixed", "CalciumFixed", "CalciumDyna", "CalciumDetailed", "CalciumFirstOrder",
    "ICaT_HM1992", "ICaT_HP1992", "ICaHT_HM1992", "ICaHT_Re1993", "ICaL_IS2008", "ICaN_IS2008", "IAHP_De1994",
    "IAHP_De1994v2", "Ih_De1996", "IonGatedChannel", "MixIons", "mix_ions", "INa_Ba2002v2", "INa_TM1991v2",
    "INa_HH1952v2", "IKDR_Ba2002v2", "IK_TM1991v2", "IK_HH1952v2", "IKA1_HM1992v2", "IKA2_HM1992v2",
    "IKK2A_HM1992v2", "IKK2B_HM1992v2", "IKNI_Ya1989v2", "IK_Leak", "IK_HH1952", "IK_TM1991", "IL",
    "INa_Ba2002", "INa_HH1952", "INa_TM1991",
    "Ih_HM1992", "IonChannel", "Izhikevich", "LIF", "LeakyIntegrator", "LifRef", "MgBlock", "MorrisLecar", "NMDA",
    "OUProcess", "OneToOne", "Pathways", "PlasticityRule", "PoissonGroup", "PoissonInput", "Projection", "QIF",
    "QuaIF", "RateModel", "Rule", "STDP", "STP", "SpikeTimeGroup", "SpikingNeuron", "StuartLandauOscillator",
    "ThresholdLinearModel", "Trace", "TripletSTDP", "Vogels2011", "WangBuzsakiHH", "WilsonCowanModel",
    "XYRateModel", "constant_input", "ou_process", "ramp_input", "section_input", "sinusoidal_input", "spike_input",
    "square_input", "wiener_process",
]
