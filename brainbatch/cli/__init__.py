"""The command line: a thin Click shell over ``brainbatch.sweep`` and ``brainbatch.store``."""
from .main import main as main

__all__ = ["main"]
