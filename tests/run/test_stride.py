"""Each monitor is recorded at its own stride inside the compiled loop.

The reference is the every-step path the engine used before: record every monitor at every step and
keep one sample in ``every`` on the host. Both must give the same values, bit for bit.
"""
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.run.engine import Simulation
from brainbatch.run.monitors import Monitor, normalize_monitors
from brainbatch.run.stride import stride_plan


def _run(noisy, monitors, n_steps, chunk_steps, inputs=()):
    sim = Simulation(lambda p: noisy(n=8), normalize_monitors(monitors), bb.run.normalize_inputs(inputs), dt=0.1)
    sim_every = Simulation(lambda p: noisy(n=8), normalize_monitors(
        {name: Monitor(m.target, index=m.index, every=1) for name, m in monitors.items()}),
        bb.run.normalize_inputs(inputs), dt=0.1)
    kw = dict(chunk_steps=chunk_steps)
    state, recs = sim.run(np.array([3, 4]), {}, n_steps, **kw)
    state_ref, every = sim_every.run(np.array([3, 4]), {}, n_steps, **kw)
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
    monitors["s"] = Monitor("spike", index=[0, 3], every=everys[-1])
    ramp = np.linspace(0.0, 0.5, n_steps, dtype=np.float32)
    state, recs, state_ref, every = _run(noisy, monitors, n_steps, chunk, inputs=[("input", ramp, "iter")])
    for name, m in monitors.items():
        expected = every[name][:, ::m.every]
        assert recs[name].shape == expected.shape
        np.testing.assert_array_equal(recs[name], expected)
    for path in state_ref:
        np.testing.assert_array_equal(np.asarray(state[path]), np.asarray(state_ref[path]))
    assert every["V1" if 1 in everys else f"V{everys[0]}"].std() > 0  # the model really moved


def test_stride_plan_levels():
    plan = stride_plan([1, 10, 10, 30])
    assert plan.chain == (1, 10, 30)
    assert [plan.stride(k) for k in range(4)] == [1, 10, 10, 30]
    off = stride_plan([2, 3])
    assert off.chain == (1, 2) and [off.stride(k) for k in range(2)] == [2, 1]
