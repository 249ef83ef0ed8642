"""A model whose step cannot be traced is refused when the batch's sharing is analysed (the step is traced
there first: ``Simulation._find_shared``), before the init program compiles, not after it."""
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.run.engine import Simulation


class Broken(bb.NeuGroup):
    """Initialises fine; its step reads a name it never declared (as a rule reading the other side's trace)."""

    def __init__(self):
        super().__init__(3)
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("V", 0.0)
        self.init_variable("spike", False, dtype=bool)

    def update(self):
        raise KeyError("trace 'y' is declared on the post side")


def test_a_step_that_cannot_be_traced_is_refused_before_anything_compiles():
    sim = Simulation(lambda params: bb.Network(G=Broken()), [], dt=0.1)
    with pytest.raises(KeyError, match="declared on the post side"):
        sim.run(np.array([0, 1]), {}, 10)
    assert len(sim._programs) == 0  # no init program was made (it compiled before being refused)
