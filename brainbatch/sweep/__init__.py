"""Sweeps: experiment loading, plans (seeds x grid -> runs), executors, and the Python API."""
from .api import SweepResult as SweepResult
from .api import prepare as prepare
from .api import run as run
from .api import sweep as sweep
from .errors import ExperimentError as ExperimentError
from .errors import UsageError as UsageError
from .experiment import Experiment as Experiment
from .experiment import load_experiment as load_experiment
from .plan import SweepPlan as SweepPlan
from .plan import make_plan as make_plan
from .specs import parse_param as parse_param
from .specs import parse_seeds as parse_seeds
