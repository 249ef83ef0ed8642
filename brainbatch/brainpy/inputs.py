"""``brainbatch.brainpy.inputs``: BrainPy's input currents (arrays with one row per step of ``dt``).

``sinusoidal_input``, ``square_input``, ``spike_input``, ``wiener_process`` and ``ou_process`` give
BrainPy 2.8.2's arrays: the same rows and values, and for the noise with a ``seed`` the same numbers
(numpy's ``RandomState(seed)``; ``brainbatch/models/inputs/_noise_inputs.py``).

>>> import brainbatch.brainpy as bp
>>> bp.inputs.section_input([0., 1.], [0.2, 0.1], dt=0.1).tolist()
[0.0, 0.0, 1.0]
>>> bp.inputs.spike_input([0.1], 0.2, 5., duration=0.4, dt=0.1).tolist()
[0.0, 5.0, 5.0, 0.0]
"""
from __future__ import annotations

from typing import Any

from ..models.inputs import (constant_input, ou_process, ramp_input, section_input, sinusoidal_input, spike_input,
                             square_input, wiener_process)
from ._compat import unsupported

__all__ = ["section_input", "constant_input", "ramp_input", "constant_current", "section_current",
           "ramp_current", "sinusoidal_input", "square_input", "spike_input", "spike_current", "wiener_process",
           "ou_process"]

# BrainPy's older names (deprecated there since 2.1.13)
constant_current, section_current, ramp_current, spike_current = constant_input, section_input, ramp_input, spike_input


def __getattr__(name: str) -> Any:
    raise unsupported("brainbatch.brainpy.inputs", name, {}, __all__)
