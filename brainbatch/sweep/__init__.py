"""Sweeps: experiment loading, plans (seeds x grid -> runs), executors, and the Python API.

>>> import brainbatch as bb
>>> path = bb.sweep("experiments/coba.py", seeds=2, params={"we": [0.4, 0.6]}, duration=100)  # doctest: +SKIP
>>> path = bb.sweep("experiments/coba.py", params={"we": bb.Range(0.4, 0.8)}, samples=16)  # doctest: +SKIP
"""
import sys as _sys
import types as _types
from typing import Any as _Any

from .api import SweepResult as SweepResult
from .api import prepare as prepare
from .api import run as run
from .api import run_sweep as run_sweep
from .api import sweep as sweep
from .errors import ExperimentError as ExperimentError
from .errors import UsageError as UsageError
from .experiment import Experiment as Experiment
from .experiment import load_experiment as load_experiment
from .options import SweepOptions as SweepOptions
from .plan import SweepPlan as SweepPlan
from .ranges import Range as Range
from .plan import make_plan as make_plan
from .specs import parse_param as parse_param
from .specs import parse_seeds as parse_seeds


class _CallableModule(_types.ModuleType):
    """``brainbatch.sweep`` is both this package and the function ``sweep``.

    Python sets ``brainbatch.sweep`` to this subpackage whenever it is imported, which would hide the
    function of the same name re-exported by ``brainbatch``; calling the package calls the function.
    """

    def __call__(self, *args: _Any, **kwargs: _Any) -> _Any:
        return sweep(*args, **kwargs)


_sys.modules[__name__].__class__ = _CallableModule
