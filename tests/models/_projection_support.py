"""Small groups and a stepping helper shared by the projection and synaptic-delay tests."""
import jax
import jax.numpy as jnp
import numpy as np

import brainbatch as bb
from brainbatch.core import share

DT = 0.1


class Source(bb.NeuGroup):
    """Replays a spike raster: in step i, ``spike = raster[i]``."""

    def __init__(self, raster):
        super().__init__(np.shape(raster)[1])
        self.raster = bb.Variable(jnp.asarray(raster, bool))
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("spike", False, dtype=jnp.bool_)

    def update(self):
        self.spike.value = self.raster.value[share.i]
        self.discard_inputs()  # as a postsynaptic group (plasticity tests) it ignores what arrives


class Probe(bb.NeuGroup):
    """Records the summed current inputs at a fixed V."""

    def __init__(self, n, V=-60.0):
        super().__init__(n)
        self._V0 = V
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("V", self._V0)
        self.init_variable("I", 0.0)
        self.init_variable("spike", False, dtype=jnp.bool_)

    def update(self):
        self.I.value = self.sum_current_inputs(self.V.value)


def simulate(net, n_steps, record, seed=0):
    with bb.environment(key=jax.random.key(seed), dt=DT):
        bb.core.assign_paths(net)
        net.reset()
        return bb.for_loop(lambda i: (net.step_run(i), record())[1], jnp.arange(n_steps), dyn_vars=net)
