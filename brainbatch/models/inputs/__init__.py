"""Inputs: ``PoissonInput`` (Poisson trains added to a Variable), ``PoissonGroup`` (Poisson sources),
``SpikeTimeGroup`` (spikes at given times), current waveforms (``section_input``, ``constant_input``,
``ramp_input``) for the runner, and BrainPy 2.8.2's waveforms and noise arrays (``sinusoidal_input``,
``square_input``, ``spike_input``, ``wiener_process``, ``ou_process``: reached as ``bp.inputs.*``)."""
from ._binomial import binomial_counts as binomial_counts
from ._currents import constant_input as constant_input
from ._currents import dt_ms as dt_ms
from ._currents import duration_ms as duration_ms
from ._currents import float_dtype as float_dtype
from ._currents import in_one_unit as in_one_unit
from ._currents import ramp_input as ramp_input
from ._currents import section_input as section_input
from ._currents import with_unit as with_unit
from ._noise_inputs import ou_process as ou_process
from ._noise_inputs import wiener_process as wiener_process
from ._poisson_group import PoissonGroup as PoissonGroup
from ._poisson_input import PoissonInput as PoissonInput
from ._spike_times import SpikeTimeGroup as SpikeTimeGroup
from ._waveforms import sinusoidal_input as sinusoidal_input
from ._waveforms import spike_input as spike_input
from ._waveforms import square_input as square_input

__all__ = ["PoissonInput", "PoissonGroup", "SpikeTimeGroup", "binomial_counts", "section_input", "constant_input",
           "ramp_input", "dt_ms", "duration_ms", "sinusoidal_input", "square_input", "spike_input", "wiener_process", "ou_process"]
