"""Errors of the sweep layer. ``UsageError`` means bad input (the CLI exits with code 2)."""
from __future__ import annotations

from ..errors import BrainbatchError
from ..errors import did_you_mean as did_you_mean  # the one hint rule (brainbatch/errors.py)


class UsageError(BrainbatchError, ValueError):
    """Bad input from the user: a file, a name, a value, a seed spec, a device, a path."""


class ExperimentError(UsageError):
    """An experiment module that cannot be loaded or breaks the module contract."""


class NearMissWarning(UserWarning):
    """Input brainbatch accepts that is likely not what was meant: a name one letter away from one the experiment
    declares (``-p mdoe=``), an experiment that records nothing."""



class PrecisionMismatch(BrainbatchError, RuntimeError):
    """A worker in the other JAX precision (``JAX_ENABLE_X64``) than its sweep: its runs fail, unwritten."""


class VersionMismatch(PrecisionMismatch):
    """A worker running another brainbatch (version or source) or jax than its sweep: its runs fail, unwritten."""
