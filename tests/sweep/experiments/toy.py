"""A tiny noisy integrate-and-fire population, written with the core only (fast sweep tests)."""
import jax
import jax.numpy as jnp

import brainbatch as bb
from brainbatch.core.initializers import Normal


class Toy(bb.NeuGroup):
    def __init__(self, n, drive, tau=10.0):
        super().__init__(n)
        self.drive, self.tau = drive, tau
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("V", Normal(0.0, 0.3), units="mV", description="membrane potential")
        self.init_variable("spike", False, dtype=bool, description="spike")

    def update(self):
        noise = jax.random.normal(self.step_key(), self.V.shape)
        V = self.V.value + (self.drive - self.V.value) / self.tau * bb.share.dt + 0.3 * noise
        spike = V > 1.0
        self.V.value = jnp.where(spike, 0.0, V)
        self.spike.value = spike


params = {"n": 20, "drive": 1.5}
sweep = {"drive": [1.2, 1.5]}
monitors = {"spikes": "G.spike", "V": "G.V"}
duration = 20.0


def build(n=20, drive=1.5):
    return bb.Network(G=Toy(n, drive))


def analyse(ds):
    return {"mean_rate_hz": float(ds.spikes.mean()) / (ds.attrs["dt"] / 1000)}  # spikes per step / dt in s
