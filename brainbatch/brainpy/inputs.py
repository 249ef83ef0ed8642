"""``brainbatch.brainpy.inputs``: BrainPy's input currents (arrays with one row per step of ``dt``).

>>> import brainbatch.brainpy as bp
>>> bp.inputs.section_input([0., 1.], [0.2, 0.1], dt=0.1).tolist()
[0.0, 0.0, 1.0]
"""
from __future__ import annotations

from typing import Any

from ..models.inputs import constant_input, ramp_input, section_input
from ._compat import unsupported

__all__ = ["section_input", "constant_input", "ramp_input", "constant_current", "section_current",
           "ramp_current"]

constant_current, section_current, ramp_current = constant_input, section_input, ramp_input

_NOISE = "draw it in update() from self.step_key() (per-run random streams), or build the array with numpy"


def __getattr__(name: str) -> Any:
    raise unsupported("brainbatch.brainpy.inputs", name,
                      {"wiener_process": _NOISE, "ou_process": _NOISE, "spike_input": "use a PoissonGroup, or "
                       "an 'iter' DSRunner input of a bool array", "spike_current": "use a PoissonGroup",
                       "sinusoidal_input": "build it with numpy: amplitude * np.sin(2 * np.pi * f * t)",
                       "square_input": "build it with numpy, or section_input"}, __all__)
