"""``bp.check``: BrainPy's switch for its argument checks. brainbatch always checks what it is given (every
error names the value), so turning the checks off or on changes nothing here; scripts that call it run on.

>>> import brainbatch.brainpy as bp
>>> bp.check.turn_off(); bp.check.is_checking()
False
>>> bp.check.turn_on(); bp.check.is_checking()
True
"""
from __future__ import annotations

__all__ = ["turn_off", "turn_on", "is_checking"]

_STATE = {"on": True}


def turn_off() -> None:
    """BrainPy's ``bp.check.turn_off()``: recorded only; brainbatch's own checks always run."""
    _STATE["on"] = False


def turn_on() -> None:
    """BrainPy's ``bp.check.turn_on()``."""
    _STATE["on"] = True


def is_checking() -> bool:
    """What the script last asked for (brainbatch checks its arguments either way)."""
    return _STATE["on"]
