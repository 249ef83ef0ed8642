"""Simulation: the Runner, monitors, inputs, and the batched engine the sweep uses."""
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
