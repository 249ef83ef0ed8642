"""Each monitor is recorded at its own stride inside the compiled loop.

The reference is the every-step path the engine used before: record every monitor at every step and
keep one sample in ``every`` on the host. Both must give the same values, bit for bit.

The cases share what does not depend on them, so the file compiles each program once: one reference
Simulation (``V`` and the two spikes recorded at every step, one step per compiled call, so every case
runs the same one-step program) and one initial state (the same model and seeds in every Simulation
here, so each run starts from it instead of compiling its own init program).
"""
import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.core.random import run_key
from brainbatch.run.engine import Simulation
from brainbatch.run.monitors import Monitor, normalize_monitors
from brainbatch.run.stride import stride_plan

SEEDS = np.array([3, 4])
# one input ramp for every case (the longest run's); a run of n steps reads its first n values
RAMP = np.linspace(0.0, 0.5, 317, dtype=np.float32)
INPUTS = bb.run.normalize_inputs([("input", RAMP, "iter")])
SPIKE_INDEX = [0, 3]


@functools.cache
def _reference(noisy):
    """The every-step Simulation: V and spikes [0, 3] at every step; its initial state for SEEDS."""
    sim = Simulation(lambda p: noisy(n=8), normalize_monitors(
        {"V": Monitor("V"), "s": Monitor("spike", index=SPIKE_INDEX)}), INPUTS, dt=0.1)
    return sim, sim.init(jax.vmap(run_key)(jnp.asarray(SEEDS, jnp.uint32)), {})


def _start(noisy):
    """A copy of the initial state (a run donates the state it starts from)."""
    return {p: jnp.array(v, copy=True) for p, v in _reference(noisy)[1].items()}


def _run(noisy, monitors, n_steps, chunk_steps):
    sim = Simulation(lambda p: noisy(n=8), normalize_monitors(monitors), INPUTS, dt=0.1)
    state, recs = sim.run(SEEDS, {}, n_steps, chunk_steps=chunk_steps, initial_state=_start(noisy))
    ref = _reference(noisy)[0]
    state_ref, every = ref.run(SEEDS, {}, n_steps, chunk_steps=1, initial_state=_start(noisy))
    return state, recs, state_ref, every


@pytest.mark.parametrize("everys, n_steps, chunk", [
    ((1, 10), 200, 40),        # a chain: spikes every step, V every 10
    ((1, 10, 30), 317, 60),    # three levels; the run ends inside a block
    ((2, 6), 95, 12),          # the chain starts above 1
    ((2, 3), 50, 12),          # not a chain: 3 is recorded at stride 1 and thinned
    ((5,), 23, None),          # one stride, default chunks
])
def test_stride_recording_equals_every_step_then_thin(noisy, everys, n_steps, chunk):
    monitors = {f"V{e}": Monitor("V", every=e) for e in everys}
    monitors["s"] = Monitor("spike", index=SPIKE_INDEX, every=everys[-1])
    state, recs, state_ref, every = _run(noisy, monitors, n_steps, chunk)
    assert every["V"].shape[1] == n_steps
    for name, m in monitors.items():
        expected = every["V" if m.target == "V" else "s"][:, ::m.every]
        assert recs[name].shape == expected.shape
        np.testing.assert_array_equal(recs[name], expected)
    for path in state_ref:
        np.testing.assert_array_equal(np.asarray(state[path]), np.asarray(state_ref[path]))
    assert every["V"].std() > 0  # the model really moved


def test_stride_plan_levels():
    plan = stride_plan([1, 10, 10, 30])
    assert plan.chain == (1, 10, 30)
    assert [plan.stride(k) for k in range(4)] == [1, 10, 10, 30]
    off = stride_plan([2, 3])
    assert off.chain == (1, 2) and [off.stride(k) for k in range(2)] == [2, 1]


def test_a_chunks_record_bytes_count_a_stride_off_the_chain_at_the_stride_it_is_recorded_at(noisy):
    # V every 10 and every 25: the chain is (5, 10), so "every 25" is recorded every 5 steps on the device and
    # thinned on the host; a chunk holds that, five times what every=25 alone would hold
    from brainbatch.run.probe import record_bytes_per_step
    sim = Simulation(lambda p: noisy(n=8), normalize_monitors(
        {"a": Monitor("V", every=10), "b": Monitor("V", every=25)}), INPUTS, dt=0.1)
    assert stride_plan([10, 25]).chain == (5, 10)
    assert record_bytes_per_step(sim, {}) == pytest.approx(8 * 4 / 10 + 8 * 4 / 5)
