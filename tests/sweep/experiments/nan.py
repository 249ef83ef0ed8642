"""A toy population whose V becomes NaN when drive < 0 (a NaN run is marked failed)."""
import jax
import jax.numpy as jnp

import brainbatch as bb
from brainbatch.core.initializers import Normal


class Sqrt(bb.NeuGroup):
    def __init__(self, n, drive):
        super().__init__(n)
        self.drive = drive
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("V", Normal(0.0, 0.3), units="mV")
        self.init_variable("spike", False, dtype=bool)

    def update(self):
        noise = jax.random.normal(self.step_key(), self.V.shape)
        V = self.V.value + jnp.sqrt(self.drive) * bb.share.dt + 0.3 * noise  # NaN for drive < 0
        spike = V > 1.0
        self.V.value = jnp.where(spike, 0.0, V)
        self.spike.value = spike


params = {"n": 8, "drive": 1.0}
sweep = {"drive": [1.0, -1.0]}
monitors = {"spikes": "G.spike", "V": "G.V"}
duration = 5.0


def build(n=8, drive=1.0):
    return bb.Network(G=Sqrt(n, drive))
