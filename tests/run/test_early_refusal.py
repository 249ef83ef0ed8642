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


@pytest.mark.parametrize("kwargs, error, fragment", [
    (dict(sink=5), TypeError, "Runner: sink must be a function sink(records, starts) or None, got 5"),
    (dict(device="xyz"), ValueError, "unknown device 'xyz'; available: ['cpu:0'"),
    (dict(device=3), TypeError, "device must be a jax Device or a string like 'cpu' or 'gpu:0', got 3"),
    (dict(chunk_steps=0), ValueError, "chunk_steps must be None or an integer >= 1, got 0"),
    (dict(chunk_steps=2.5), ValueError, "chunk_steps must be None or an integer >= 1, got 2.5"),
])
def test_a_bad_sink_device_or_chunk_length_is_refused_when_the_runner_is_made(kwargs, error, fragment):
    # a sink of 5 failed every run in the writer thread ("'int' object is not callable"), a device name in
    # jax.device_put with JAX's own words
    with pytest.raises(error) as err:
        bb.Runner(bb.LIF(2), monitors=["V"], progress_bar=False, **kwargs)
    assert fragment in str(err.value)


def test_a_bool_is_no_duration():
    # float(True) is 1: run(True) ran 1 ms, as dt=True was already refused
    with pytest.raises(ValueError, match="duration must be a number of milliseconds, got True"):
        bb.Runner(bb.LIF(2), progress_bar=False).run(True)


@pytest.mark.timeout(60)
def test_a_chunk_longer_than_the_run_runs_the_run_in_one_call():
    # chunk_steps=10**12 on a 10-step run searched 10**11 candidate lengths for a divisor of 10 and never ran
    out = bb.Runner(bb.LIF(2), monitors=["V"], chunk_steps=10**12, progress_bar=False).run(1.0)
    assert out["V"].shape == (10, 2)
