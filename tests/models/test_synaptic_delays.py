"""Per-synapse delays: a spike of step s on a synapse of d steps reaches post in step s + 1 + d."""
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.models import CUBA, AllToAll, Exponential, FixedProb, Projection

from _projection_support import DT, Probe, Source, simulate


def _arrivals(delays_ms, raster, n_steps):
    pre, post = Source(raster), Probe(delays_ms.shape[1])
    # tau huge: g is the running sum of what arrived, so its increments are the arrivals
    proj = Projection(pre, post, AllToAll(), Exponential(1e9), CUBA(), weight=1.0, delay=delays_ms)
    g = np.asarray(simulate(bb.Network(pre=pre, post=post, proj=proj), n_steps, lambda: proj.syn.g.value))
    return np.diff(np.concatenate([np.zeros((1, g.shape[1])), g]), axis=0), proj


def test_each_synapse_delivers_after_its_own_delay():
    n_steps = 12
    raster = np.zeros((n_steps, 2), bool)
    raster[0, 0] = True  # pre 0 spikes in step 0
    raster[3, 1] = True  # pre 1 spikes in step 3
    delays = np.array([[0.0, 0.2, 0.5], [0.1, 0.0, 0.3]])  # ms at dt = 0.1: 0..5 steps
    arrivals, proj = _arrivals(delays, raster, n_steps)
    expected = np.zeros((n_steps, 3))
    for pre_i, step in ((0, 0), (1, 3)):
        for post_j in range(3):
            expected[step + 1 + int(round(delays[pre_i, post_j] / DT)), post_j] += 1.0
    np.testing.assert_allclose(arrivals, expected, atol=1e-6)
    assert proj.pending.shape == (6, 3)  # the longest delay (5 steps) plus the current step


def test_zero_delays_equal_no_delay_and_drawn_delays_are_bounded():
    rng = np.random.default_rng(0)
    raster = rng.random((30, 8)) < 0.3
    zero, _ = _arrivals(np.zeros((8, 5)), raster, 30)
    pre, post = Source(raster), Probe(5)
    proj = Projection(pre, post, AllToAll(), Exponential(1e9), CUBA(), weight=1.0)
    g = np.asarray(simulate(bb.Network(pre=pre, post=post, proj=proj), 30, lambda: proj.syn.g.value))
    np.testing.assert_allclose(np.cumsum(zero, axis=0), g, atol=1e-5)

    pre, post = Source(raster), Probe(50)
    proj = Projection(pre, post, FixedProb(0.5), Exponential(5.0), CUBA(), delay=bb.Uniform(0.0, 1.0))
    simulate(bb.Network(pre=pre, post=post, proj=proj), 5, lambda: proj.syn.g.value)
    steps = np.asarray(proj.delay_steps.value)
    assert steps.min() >= 0 and steps.max() <= 10 and len(np.unique(steps)) > 5


def test_bad_per_synapse_delays_are_named():
    pre, post = Source(np.zeros((2, 3), bool)), Probe(4)
    with pytest.raises(ValueError, match=r"shape \(n_pre, n_post\) = \(3, 4\)"):
        Projection(pre, post, AllToAll(), Exponential(5.0), CUBA(), delay=np.zeros((4, 3)))
    with pytest.raises(ValueError, match="not a whole number of steps"):
        with bb.environment(dt=0.1):
            Projection(pre, post, AllToAll(), Exponential(5.0), CUBA(), delay=np.full((3, 4), 0.15))
    with pytest.raises(ValueError, match=r"\[0, max\]"):
        Projection(pre, post, AllToAll(), Exponential(5.0), CUBA(), delay=bb.Uniform(-1.0, 1.0))
    with pytest.raises(ValueError, match="min_val <= max_val, got 2.0, 1.0"):  # refused where it is made
        bb.Uniform(2.0, 1.0)
