"""brainbatch: batches of brain-dynamics simulations on JAX.

BrainPy-style models (``NeuGroup``, ``PoissonInput``, ``Network``...), compiled into one scanned,
vmapped program; sweeps over seeds and parameter grids; results in Zarr v3 stores that open as
labelled xarray datasets.

Public names are imported on first use, so ``import brainbatch.store`` (results only) never loads
JAX and ``brainbatch --help`` starts fast.

>>> import brainbatch as bb
>>> bb.NeuGroup(10).num
10
"""
from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError as _NotFound
from importlib.metadata import version as _version
from typing import Any

try:
    __version__ = _version("brainbatch")
except _NotFound:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

# public name -> module that defines it
_EXPORTS = {
    # core
    "Variable": "brainbatch.core", "TrainVar": "brainbatch.core", "DynamicalSystem": "brainbatch.core",
    "NeuGroup": "brainbatch.core", "Network": "brainbatch.core", "Delay": "brainbatch.core",
    "Mode": "brainbatch.core", "NonBatchingMode": "brainbatch.core", "BatchingMode": "brainbatch.core",
    "TrainingMode": "brainbatch.core", "jit": "brainbatch.core", "for_loop": "brainbatch.core",
    "scan": "brainbatch.core", "vmap": "brainbatch.core", "share": "brainbatch.core",
    "environment": "brainbatch.core", "set_dt": "brainbatch.core", "get_dt": "brainbatch.core",
    "InputNotReadError": "brainbatch.core", "LateInputWarning": "brainbatch.core", "UnreadInputWarning": "brainbatch.core",
    "Constant": "brainbatch.core.initializers", "Uniform": "brainbatch.core.initializers",
    "Normal": "brainbatch.core.initializers", "TruncatedNormal": "brainbatch.core.initializers",
    "LogNormal": "brainbatch.core.initializers",
    "strict_units": "brainbatch.core.units", "UnitMismatch": "brainbatch.core.units",
    # run
    "Runner": "brainbatch.run", "DSRunner": "brainbatch.run", "Monitor": "brainbatch.run",
    # store
    "open_results": "brainbatch.store", "load_state": "brainbatch.store",
    # sweep
    "load_experiment": "brainbatch.sweep", "Range": "brainbatch.sweep", "SweepOptions": "brainbatch.sweep",
    # the root of brainbatch's own errors (brainbatch/errors.py)
    "BrainbatchError": "brainbatch.errors",
}
_MODELS = "brainbatch.models"
# brainbatch.models.__all__, listed here so that dir(bb) names them without importing JAX
# (tests/test_public_names.py keeps the two equal)
_MODEL_NAMES: tuple[str, ...] = (
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
)
_SUBMODULES = ("core", "kernels", "integrators", "models", "run", "store", "sweep", "cli", "brainpy")
__all__ = sorted(set(_EXPORTS) | set(_MODEL_NAMES) | set(_SUBMODULES) - {"cli"})


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"brainbatch.{name}")
    module = _EXPORTS.get(name)
    if module is None:
        models = importlib.import_module(_MODELS)
        if hasattr(models, name) and not name.startswith("_"):
            value = getattr(models, name)
            globals()[name] = value
            return value
        from .errors import did_you_mean

        hint = did_you_mean(name, list(_EXPORTS) + list(getattr(models, "__all__", ())), cutoff=0.6)
        # name=None, obj=None: one hint, not Python's own "Did you mean" as well
        raise AttributeError(f"module 'brainbatch' has no attribute {name!r}.{hint}", name=None, obj=None)
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names (every class and function of the API, the subpackages) and the module dunders."""
    return sorted(set(__all__) | set(_SUBMODULES) | {n for n in globals() if n.startswith("__")})
