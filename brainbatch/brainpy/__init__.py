"""``brainbatch.brainpy``: BrainPy 2.x's dynamics-simulation names over brainbatch's own classes.

A BrainPy script ports by its imports::

    import brainbatch.brainpy as bp
    import brainbatch.brainpy.math as bm

Every name is an alias or a thin adapter (BrainPy's arguments mapped onto brainbatch's classes); a
BrainPy name with no brainbatch counterpart raises an error that says what to use instead. The
table of names and the deliberate differences are in docs/migrating-from-brainpy.md.

>>> import brainbatch.brainpy as bp
>>> net = bp.Network(E=bp.neurons.LIF(4, tau_ref=5.))
>>> list(net.vars())[:2]
['E.V', 'E.input']
"""
from __future__ import annotations

from typing import Any as _Any  # not a name of the bp namespace

from ..core import share as share
from . import channels as channels
from . import check as check
from . import conn as conn
from . import measure as measure
from . import mixin as mixin
from . import dnn as dnn
from . import dyn as dyn
from . import errors as errors
from . import init as init
from . import inputs as inputs
from . import integrators as integrators
from . import math as math
from . import neurons as neurons
from . import ode as ode
from . import rates as rates
from . import running as running
from . import sde as sde
from . import synapses as synapses
from . import synouts as synouts
from . import synplast as synplast
from . import tools as tools
from . import visualize as visualize
from ._base import DynamicalSystem as DynamicalSystem
from ._base import DynSysGroup as DynSysGroup
from ._base import Network as Network
from ._base import Dynamic as Dynamic
from ._base import NeuDyn as NeuDyn
from ._base import NeuGroup as NeuGroup
from ._collector import ArrayCollector as ArrayCollector
from ._collector import Collector as Collector
from ._compat import BrainPyDifferenceWarning as BrainPyDifferenceWarning
from ._compat import unsupported as _unsupported
from ._halfproj import VarDelay as VarDelay
from ._integrator import Integrator as Integrator
from ._odeint import JointEq as JointEq
from ._odeint import odeint as odeint
from ._sdeint import sdeint as sdeint
from ._runner import DSRunner as DSRunner
from ._synconn import Projection as Projection
from ._synconn import SynConn as SynConn
from ._integrator_runner import IntegratorRunner as IntegratorRunner
from ._synconn import TwoEndConn as TwoEndConn

connect = conn
SynOut = synouts.SynOut  # for annotations and isinstance (EI_net_with_1m_neurons' ``output: bp.SynOut``)
initialize = init  # BrainPy's other name of bp.init (Brette 2007's EINet_V2 uses it)
# BrainPy 2.4-2.6's older top-level names, which it still takes (Li 2017's thalamus model, multi_scale_COBAHH)
CondNeuGroup = dyn.CondNeuGroup
Channel = dyn.IonChannel
NeuGroupNS = NeuGroup
# BrainPy's base of every object holding Variables (its math and transform tutorials subclass it for jit, cond,
# while_loop): a DynamicalSystem here, which has what those objects use (vars, nodes, implicit vars, transforms)
BrainPyObject = DynamicalSystem
DynamicalSystemNS = DynamicalSystem  # BrainPy 2.8.2's other name of bp.DynamicalSystem (the same class there)

#: The BrainPy release whose dynamics-simulation API this namespace follows.
__version__ = "2.8.2"

__all__ = ["DSRunner", "DynSysGroup", "DynamicalSystem", "Dynamic", "JointEq", "Network", "NeuDyn", "NeuGroup", "Projection",
           "SynConn", "TwoEndConn", "IntegratorRunner", "VarDelay", "channels", "check", "conn", "connect", "dnn", "dyn", "errors", "init", "inputs", "math", "measure", "mixin",
           "neurons", "odeint", "sdeint", "rates", "reset_state", "clear_input", "running", "share", "synapses", "synouts", "synplast", "tools", "visualize", "initialize",
           "integrators", "CondNeuGroup", "Channel", "NeuGroupNS", "BrainPyObject", "BrainPyDifferenceWarning",
           "Collector", "ArrayCollector", "DynamicalSystemNS", "Integrator", "ode", "sde", "SynOut"]

_TRAIN = "training is out of scope for brainbatch; fit readouts with brainbatch.Dense"
_HINTS = {
    "train": _TRAIN, "layers": _TRAIN, "optim": _TRAIN, "losses": _TRAIN, "OnlineTrainer": _TRAIN,
    "OfflineTrainer": _TRAIN, "BPTT": _TRAIN, "BPFF": _TRAIN, "algorithms": _TRAIN, "Sequential": _TRAIN,
    "analysis": "phase-plane and bifurcation analysis are not part of brainbatch",
    "fdeint": "not part of brainbatch", "fde": "fractional-order equations are not part of brainbatch", "ddeint": "delay equations are bp.odeint(f, state_delays={'x': bm.TimeDelay(...)})",
    "ReportRunner": "use bp.DSRunner", "Runner": "use bp.DSRunner",
    # BrainPy 1.x's names (its 2014_CorticalModel example), gone from BrainPy 2.8.2 too
    "StructRunner": "BrainPy 1.x's runner: use bp.DSRunner",
    "ConstantDelay": "BrainPy 1.x's delay: use bm.LengthDelay, or a projection's delay_step=",
    "Delay": "use register_delay / get_delay_data on the node, or Projection(delay=...)",
    "Container": "use bp.DynSysGroup",
    "SynSTP": "use bp.synplast.STD or STP",
    "save_state": "model.state_dict() gives the values (a dict of arrays: save it with numpy.savez); a sweep keeps "
                  "each run's final state in its store (docs/store.md)",
    "load_state": "model.load_state_dict(d) with the dict state_dict() gave",
    "checkpoints": "model.state_dict() / load_state_dict(); sweeps checkpoint themselves",
    "LoopOverTime": "run the model with bp.DSRunner(model, ...).run(duration, inputs=xs), or bm.for_loop over "
                    "model.step_run",
}


def reset_state(target: _Any, *args: _Any, **kwargs: _Any) -> None:
    """BrainPy's ``bp.reset_state(net)``: every node of ``target`` back to its initial state (``net.reset()``)."""
    target.reset(*args, **kwargs)


def clear_input(target: _Any, *args: _Any, **kwargs: _Any) -> None:
    """BrainPy's ``bp.clear_input(net)``: the per-step inputs of every node of ``target`` cleared (each node's
    ``clear_input``; a step clears them itself after its update, so a script calls this only between its own loops)."""
    for node in target.nodes().values():
        node.clear_input(*args, **kwargs)


def __getattr__(name: str) -> _Any:
    raise _unsupported("brainbatch.brainpy", name, _HINTS, __all__)
