"""A tiny noisy population recording spikes every step and V every 10 steps (long-run tests)."""
import jax
import jax.numpy as jnp

import brainbatch as bb
from brainbatch.core.initializers import Normal


class Noisy(bb.NeuGroup):
    def __init__(self, n, drive):
        super().__init__(n)
        self.drive = drive
        self.reset_state()
        self.register_delay("past", 20, self.V)  # V from 2 ms ago: a resumed run must restore the ring too

    def reset_state(self, batch_size=None):
        self.init_variable("V", Normal(0.0, 0.3), units="mV", description="membrane potential")
        self.init_variable("spike", False, dtype=bool, description="spike")

    def update(self):
        old = self.get_delay_data("past", 20)
        noise = jax.random.normal(self.step_key(), self.V.shape)
        V = self.V.value + (self.drive - self.V.value) / 10.0 * bb.share.dt + 0.3 * noise + 0.01 * old
        spike = V > 1.0
        self.V.value = jnp.where(spike, 0.0, V)
        self.spike.value = spike


params = {"n": 12, "drive": 1.5}
sweep = {"drive": [1.2, 1.5]}
monitors = {"spikes": "G.spike", "V": bb.Monitor("G.V", every=10)}
duration = 200.0


def build(n=12, drive=1.5):
    return bb.Network(G=Noisy(n, drive))
