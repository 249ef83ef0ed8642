"""docs/random.md: a run gives the same result alone and inside a batch, at any position, on any device.

The tests share one Simulation (programs compiled once per batch shape and device) and its run of
seeds 0..7 (the batch of the first test serves the test of each lane's own noise). Every run passes the
drive as a parameter (1.5, the model's default, where it is not swept), so the swept test's batch of 3 and
its run alone are the programs the other tests compiled.
"""
import functools

import jax
import numpy as np

from brainbatch.run import Simulation, normalize_monitors


@functools.cache
def _simulation(noisy):
    return Simulation(lambda p: noisy(32, drive=p.get("drive", 1.5)), normalize_monitors(["V", "spike"]), dt=0.1)


def drive(*values):
    """The parameters of a batch: one drive per lane (1.5 where not swept)."""
    return {"drive": np.array(values, np.float32)}


@functools.cache
def _eight_seeds(noisy):
    """Seeds 0..7 in one batch, 300 steps."""
    return _simulation(noisy).run(list(range(8)), drive(*[1.5] * 8), 300, keep=True)[1]


def test_lane_equals_run_alone_bitwise(noisy):
    sim = _simulation(noisy)
    _, alone = sim.run([3], drive(1.5), 300, keep=True)
    batch = _eight_seeds(noisy)
    np.testing.assert_array_equal(alone["spike"][0], batch["spike"][3])
    np.testing.assert_array_equal(alone["V"][0], batch["V"][3])
    _, shuffled = sim.run([5, 3, 1], drive(1.5, 1.5, 1.5), 300, keep=True)
    np.testing.assert_array_equal(alone["spike"][0], shuffled["spike"][1])


def test_lanes_draw_their_own_noise(noisy):
    out = _eight_seeds(noisy)  # seeds 0..3 are its lanes 0..3
    for k in range(1, 4):
        assert not np.array_equal(out["V"][0], out["V"][k])


def test_same_result_on_another_device(noisy):
    sim = _simulation(noisy)  # on device 0, the batch of 3 above is the same program
    _, a = sim.run([5, 3, 1], drive(1.5, 1.5, 1.5), 300, keep=True, device=jax.devices("cpu")[0])
    _, b = sim.run([5, 3, 1], drive(1.5, 1.5, 1.5), 300, keep=True, device=jax.devices("cpu")[1])
    np.testing.assert_array_equal(a["spike"], b["spike"])


def test_swept_parameter_is_vmapped_with_common_random_numbers(noisy):
    sim = _simulation(noisy)
    _, out = sim.run([7, 7, 7], drive(1.5, 3.0, 4.5), 300, keep=True)
    assert out["spike"][1].sum() > out["spike"][0].sum()  # stronger drive, more spikes
    _, ref = sim.run([7], drive(3.0), 300, keep=True)
    np.testing.assert_array_equal(ref["spike"][0], out["spike"][1])
