"""Simulation: the Runner, monitors, inputs, and the batched engine the sweep uses."""
import sys as _sys
import types as _types
from typing import Any as _Any

from .engine import MonitorInfo as MonitorInfo
from .engine import Simulation as Simulation
from .engine import StateInfo as StateInfo
from .engine import steps_for as steps_for
from .inputs import RunnerInput as RunnerInput
from .inputs import normalize_inputs as normalize_inputs
from .monitors import Monitor as Monitor
from .monitors import normalize_monitors as normalize_monitors
from .runner import DSRunner as DSRunner
from .runner import RunResult as RunResult
from .runner import Runner as Runner


class _RunPackage(_types.ModuleType):
    """``brainbatch.run`` is this package, not a function: ``bb.run(net, 100.)`` (BrainPy's and Brian2's habit of
    one call that runs a model) raised "'module' object is not callable"; it now says what runs a model here."""

    def __call__(self, *args: _Any, **kwargs: _Any) -> _Any:
        raise TypeError("brainbatch.run is the package of runners, not a function: run a network with "
                        "bb.Runner(net, monitors=[...]).run(duration), or many seeds and parameters with "
                        "bb.sweep('experiment.py', seeds=..., params=...)")


_sys.modules[__name__].__class__ = _RunPackage
