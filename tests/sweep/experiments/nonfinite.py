"""A probe whose records hold Inf (x, 0.5 <= t < 1 ms) and NaN (y, 1 <= t < 1.5 ms) when bad = 1, and are
finite again by the end: only the records tell (issue 19 leftovers: Inf in records, the first bad time)."""
import jax.numpy as jnp

import brainbatch as bb


class Probe(bb.NeuGroup):
    def __init__(self, n, bad):
        super().__init__(n)
        self.bad = bad
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("x", 0.0, units="mV")
        self.init_variable("y", 0.0, units="mV")

    def update(self):
        t, ones = bb.share.t, jnp.ones(self.x.shape)
        big = 1.0 / (1.0 - self.bad)  # Inf when bad = 1
        self.x.value = jnp.where((t > 0.45) & (t < 0.95), big, 0.0) * ones
        self.y.value = jnp.where((t > 0.95) & (t < 1.45), 0.0 * big, 0.0) * ones


monitors = {"x": "P.x", "y": "P.y"}
duration = 2.0
dt = 0.1


def build(n=3, bad=0.0):
    return bb.Network(P=Probe(n, bad))
