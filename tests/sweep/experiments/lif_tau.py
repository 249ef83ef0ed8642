"""A hand-written LIF without a check on tau: tau=0 divides by zero, so V becomes -Inf then NaN (issue 19)."""
import jax.numpy as jnp

import brainbatch as bb
from brainbatch.core.initializers import Normal


class Leaky(bb.NeuGroup):
    def __init__(self, n, tau):
        super().__init__(n)
        self.tau = tau
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("V", Normal(-55.0, 2.0), units="mV")
        self.init_variable("spike", False, dtype=bool)

    def update(self):
        V = self.V.value + (-(self.V.value + 60.0)) / self.tau * bb.share.dt
        spike = V > -50.0
        self.V.value = jnp.where(spike, -60.0, V)
        self.spike.value = spike


monitors = {"V_E": "E.V", "spikes": "E.spike"}
duration = 2.0


def build(n=4, tau=20.0):
    return bb.Network(E=Leaky(n, tau))
