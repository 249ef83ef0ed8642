"""brainbatch/models/README.md: "Everything here is re-exported from brainbatch" held but for BrainPy 2.8.2's
waveforms and noise inputs and XYRateModel, which only brainbatch.models.inputs / .rates had (session 40)."""
import brainbatch as bb
import brainbatch.models as models
from brainbatch.models import inputs, rates

NAMES = {"sinusoidal_input": inputs, "square_input": inputs, "spike_input": inputs, "wiener_process": inputs,
         "ou_process": inputs, "XYRateModel": rates}


def test_the_waveforms_noise_inputs_and_xy_rate_model_are_public_names():
    for name, module in NAMES.items():
        assert getattr(bb, name) is getattr(module, name) is getattr(models, name), name
        assert name in dir(bb) and name in models.__all__, name
