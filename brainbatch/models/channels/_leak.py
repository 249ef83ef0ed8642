"""BrainPy's potassium leak ``IKL``: the leak ``IL`` with potassium's defaults."""
from __future__ import annotations

from typing import Any

from ...core.modes import Mode
from ._hh1952 import IL

__all__ = ["IKL"]


class IKL(IL):
    """Potassium leak current ``g_max (E - V)`` (BrainPy's defaults ``g_max`` = 0.005 mS/cm², ``E`` = -90 mV).

    >>> float(IKL(1).current(-80.0))
    -0.05000000074505806
    """

    def __init__(self, size: Any, keep_size: bool = False, g_max: Any = 0.005, E: Any = -90.0, method: Any = None,
                 name: str | None = None, mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, g_max=g_max, E=E, method=method, name=name, mode=mode)
