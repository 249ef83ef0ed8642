import os
import sys

import jax
import jax.numpy as jnp
import pytest

import brainbatch as bb
from brainbatch.core.initializers import Normal

sys.path.insert(0, os.path.dirname(__file__))  # _models.py, the test models several files share


class Noisy(bb.NeuGroup):
    """A noisy leaky integrator with threshold: random initial values and per-step noise."""

    def __init__(self, n=16, drive=1.5, mode=None):
        super().__init__(n, mode=mode)
        self.drive = drive
        self.reset_state(self.mode.batch_size if isinstance(self.mode, bb.BatchingMode) else None)

    def reset_state(self, batch_size=None):
        self.init_variable("V", Normal(0.0, 0.3), batch_size=batch_size, units="mV")
        self.init_variable("spike", False, batch_size=batch_size, dtype=bool)
        self.init_variable("input", 0.0, batch_size=batch_size)

    def update(self):
        noise = jax.random.normal(self.step_key(), self.V.shape)
        V = self.V.value + (self.drive - self.V.value) / 10.0 * bb.share.dt + 0.3 * noise + self.input.value
        spike = V > 1.0
        self.V.value = jnp.where(spike, 0.0, V)
        self.spike.value = spike


@pytest.fixture
def noisy():
    return Noisy
