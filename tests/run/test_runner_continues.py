"""A second ``run`` continues (BrainPy's DSRunner); ``reset=True`` starts over; a user's batch size stays."""
import jax.numpy as jnp
import numpy as np

import brainbatch as bb
from brainbatch.run import Monitor, Runner


def test_two_runs_equal_one_long_run(noisy):
    whole = Runner(noisy(), monitors=["V", "spike"], progress_bar=False, seed=4).run(30.0)
    runner = Runner(noisy(), monitors=["V", "spike"], progress_bar=False, seed=4)
    first, second = runner.run(10.0), runner.run(20.0)
    for name in ("V", "spike"):  # same state, same step keys: bitwise equal
        np.testing.assert_array_equal(np.concatenate([first[name], second[name]]), whole[name])
    np.testing.assert_allclose(second["ts"], whole["ts"][100:])
    assert runner.mon is second


def test_reset_true_starts_over_from_the_seed(noisy):
    runner = Runner(noisy(), monitors=["V"], progress_bar=False, seed=2)
    first = runner.run(5.0)
    runner.run(5.0)
    again = runner.run(5.0, reset=True)
    np.testing.assert_array_equal(again["V"], first["V"])
    np.testing.assert_allclose(again["ts"], first["ts"])


def test_edits_between_runs_are_picked_up(noisy):
    net = noisy()
    runner = Runner(net, monitors=["V"], progress_bar=False, dt=0.1)
    runner.run(1.0)
    net.V.value = jnp.full(net.V.shape, 0.5)
    net.drive = 0.5  # V stays at its fixed point but for the noise
    out = runner.run(0.1)
    assert abs(float(out["V"][0].mean()) - 0.5) < 0.3 * 3 / 4  # 3 sigma of the mean of 16 noise draws


def test_a_batch_size_set_by_reset_state_is_kept(noisy):
    net = noisy()
    net.reset_state(3)
    out = Runner(net, monitors=["V", "spike"], progress_bar=False).run(2.0)
    assert out["V"].shape == (3, 20, 16) and net.V.shape == (3, 16)
    assert not np.array_equal(out["V"][0], out["V"][1])


def test_reset_false_starts_from_the_current_values_and_monitor_times_continue():
    class Clock(bb.NeuGroup):
        def __init__(self):
            super().__init__(1)
            self.reset_state()

        def reset_state(self, batch_size=None):
            self.init_variable("x", 0.0, batch_size=batch_size)

        def update(self):
            self.x += bb.share.dt

    clock = Clock()
    clock.x.value = jnp.full(1, 10.0)
    runner = Runner(clock, monitors={"x": "x", "thin": Monitor("x", every=3)}, dt=1.0, reset=False,
                    progress_bar=False)
    first = runner.run(4.0)
    assert first["x"][:, 0].tolist() == [11.0, 12.0, 13.0, 14.0]
    second = runner.run(4.0)
    assert second["x"][:, 0].tolist() == [15.0, 16.0, 17.0, 18.0]
    assert second.times["thin"].tolist() == [6.0] and second["thin"][:, 0].tolist() == [17.0]
    assert runner.run(2.0, reset=True)["x"][:, 0].tolist() == [1.0, 2.0]
