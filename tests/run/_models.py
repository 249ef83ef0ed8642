"""Test models shared by the Runner's test files (tests/run/conftest.py puts this folder on the path)."""
import jax.numpy as jnp

import brainbatch as bb


class Clock(bb.NeuGroup):
    """x counts simulated time plus its input; i records the step index seen in the context."""

    def __init__(self, n=3):
        super().__init__(n)
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("x", 0.0, batch_size=batch_size)
        self.init_variable("i", 0.0, batch_size=batch_size)
        self.init_variable("input", 0.0, batch_size=batch_size)

    def update(self):
        self.x.value = self.x.value + bb.share.dt + self.input.value
        self.i.value = jnp.zeros_like(self.i.value) + bb.share.i
