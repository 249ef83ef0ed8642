"""The modelling core: variables, nodes, modes, delays, step context, random streams, transforms.

JAX only. See ``core/README.md`` for the one rule it keeps: stateful outside, pure inside.
"""
from . import cpu_threads as _cpu_threads

_cpu_threads.install()  # before anything can start JAX's CPU backend (see cpu_threads.py)

from . import initializers as initializers  # noqa: E402
from . import random as random
from .base import DynamicalSystem as DynamicalSystem
from .base import finish_step as finish_step
from .context import environment as environment
from .context import get_dt as get_dt
from .context import set_dt as set_dt
from .context import share as share
from .delays import Delay as Delay
from .delays import delay_steps_from_time as delay_steps_from_time
from .devices import available_devices as available_devices
from .devices import resolve_device as resolve_device
from .errors import InputNotReadError as InputNotReadError
from .errors import LateInputWarning as LateInputWarning
from .errors import UnreadInputWarning as UnreadInputWarning
from .errors import MissingKeyError as MissingKeyError
from .errors import ParameterShapeError as ParameterShapeError
from .errors import did_you_mean as did_you_mean
from .modes import BatchingMode as BatchingMode
from .modes import Mode as Mode
from .modes import NonBatchingMode as NonBatchingMode
from .modes import TrainingMode as TrainingMode
from .naming import unique_name as unique_name
from .network import Network as Network
from .neugroup import NeuGroup as NeuGroup
from .transforms import assign_paths as assign_paths
from .transforms import for_loop as for_loop
from .transforms import functional as functional
from .transforms import jit as jit
from .transforms import scan as scan
from .transforms import vmap as vmap
from .variable import TrainVar as TrainVar
from .variable import Variable as Variable
