"""``brainbatch.brainpy.inputs`` (BrainPy's ``bp.inputs``): current waveforms as arrays over time.

>>> import brainbatch.brainpy as bp
>>> bp.inputs.section_input([0., 1.], [0.2, 0.1], dt=0.1).tolist()
[0.0, 0.0, 1.0]
"""
from ..models.inputs import constant_input as constant_input
from ..models.inputs import ramp_input as ramp_input
from ..models.inputs import section_input as section_input

__all__ = ["constant_input", "ramp_input", "section_input"]
