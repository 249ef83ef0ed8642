"""Inputs: ``PoissonInput`` (Poisson trains added to a Variable), ``PoissonGroup`` (Poisson sources),
and current waveforms (``section_input``, ``constant_input``, ``ramp_input``) for the runner."""
from ._binomial import binomial_counts as binomial_counts
from ._currents import constant_input as constant_input
from ._currents import ramp_input as ramp_input
from ._currents import section_input as section_input
from ._poisson_group import PoissonGroup as PoissonGroup
from ._poisson_input import PoissonInput as PoissonInput

__all__ = ["PoissonInput", "PoissonGroup", "binomial_counts", "section_input", "constant_input", "ramp_input"]
