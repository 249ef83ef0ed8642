"""Errors of the sweep layer. ``UsageError`` means bad input (the CLI exits with code 2)."""
from __future__ import annotations


class UsageError(ValueError):
    """Bad input from the user: a file, a name, a value, a seed spec, a device, a path."""


class ExperimentError(UsageError):
    """An experiment module that cannot be loaded or breaks the module contract."""


def did_you_mean(name: str, choices) -> str:
    """The close-match hint of the core, for the CLI (which may import only sweep and store)."""
    from ..core.errors import did_you_mean as _hint

    return _hint(name, choices)
