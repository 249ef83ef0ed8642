"""brainbatch: batches of brain-dynamics simulations on JAX.

BrainPy-style models (``NeuGroup``, ``PoissonInput``, ``Network``...), compiled into one scanned,
vmapped program; sweeps over seeds and parameter grids; results in Zarr v3 stores that open as
labelled xarray datasets.

>>> import brainbatch as bb
>>> bb.NeuGroup(10).num
10
"""
from importlib.metadata import PackageNotFoundError as _NotFound
from importlib.metadata import version as _version

try:
    __version__ = _version("brainbatch")
except _NotFound:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

from . import core as core
from .core import BatchingMode as BatchingMode
from .core import Delay as Delay
from .core import DynamicalSystem as DynamicalSystem
from .core import Mode as Mode
from .core import Network as Network
from .core import NeuGroup as NeuGroup
from .core import NonBatchingMode as NonBatchingMode
from .core import TrainingMode as TrainingMode
from .core import TrainVar as TrainVar
from .core import Variable as Variable
from .core import environment as environment
from .core import for_loop as for_loop
from .core import get_dt as get_dt
from .core import jit as jit
from .core import scan as scan
from .core import set_dt as set_dt
from .core import share as share
from .core import vmap as vmap
from .core.initializers import Constant as Constant
from .core.initializers import Normal as Normal
from .core.initializers import Uniform as Uniform
from .core import Delay as Delay  # noqa: F811
from .run import DSRunner as DSRunner
from .run import Monitor as Monitor
from .run import Runner as Runner
