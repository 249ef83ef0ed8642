"""``bm.LengthDelay`` as BrainPy 2.8.2 keeps it: a delayed feedback x(t+1) = 0.9 x(t) + 0.1 x(t - d_i) + 0.01 per
element (d = 2, 5, 7 updates; initial delay data 0.2; a DSRunner of 30 steps) gives BrainPy's numbers exactly
(reference: the same script run with BrainPy 2.8.2); the delay's Variables are part of the model."""
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

# BrainPy 2.8.2, steps 0, 1, 5, 9, 15, 29 of the monitor 'x'
REFERENCE = [[0.9299999475479126, -0.41999998688697815, 0.2549999952316284],
             [0.8669999241828918, -0.3479999899864197, 0.25949999690055847],
             [0.9185185432434082, -0.19515275955200195, 0.2734278738498688],
             [0.9520812034606934, -0.200431689620018, 0.29751598834991455],
             [1.0020829439163208, -0.15376511216163635, 0.3331216871738434],
             [1.1187494993209839, -0.05999716371297836, 0.4155586361885071]]


class Ring(bp.DynamicalSystem):
    def __init__(self, method="rotation"):
        super().__init__()
        self.x = bm.Variable(bm.asarray([1.0, -0.5, 0.25]))
        self.delay = bm.LengthDelay(self.x, 7, initial_delay_data=0.2, update_method=method)
        self.d = bm.asarray([2, 5, 7])

    def update(self):
        past = self.delay(bm.as_jax(self.d), bm.as_jax(bm.arange(3)))
        self.x.value = 0.9 * self.x.value + 0.1 * past + 0.01
        self.delay.update(self.x.value)


@pytest.mark.parametrize("method", ["rotation", "concat"])
def test_a_delayed_feedback_gives_brainpys_numbers(method):
    ring = Ring(method)
    assert {"delay.data", "delay.idx"} <= set(ring.vars())
    runner = bp.DSRunner(ring, monitors=["x"], progress_bar=False)
    runner.run(3.0)
    np.testing.assert_allclose(np.asarray(runner.mon["x"])[[0, 1, 5, 9, 15, 29]], REFERENCE, rtol=1e-6, atol=1e-7)


def test_retrieve_update_and_bad_delays():
    d = bm.LengthDelay(bm.zeros(2), delay_len=3, initial_delay_data=lambda shape: np.arange(6.0).reshape(shape))
    assert d.retrieve(0).tolist() == [0.0, 0.0] and d.retrieve(3).tolist() == [4.0, 5.0]
    d.update(bm.ones(2) * 9.0)
    assert d(0).tolist() == [9.0, 9.0] and d(1).tolist() == [0.0, 0.0] and d(3).tolist() == [2.0, 3.0]
    with pytest.raises(ValueError, match="delay 4 is outside \\[0, 3\\]"):
        d.retrieve(4)
    with pytest.raises(ValueError, match="needs a value"):
        d.update()
    with pytest.raises(ValueError, match="update_method"):
        bm.LengthDelay(bm.zeros(2), 3, update_method="shift")
    for given in (bm.ones(4), lambda shape: bm.ones(4)):  # was XLA's "Incompatible types for broadcasting"
        with pytest.raises(ValueError, match=r"^LengthDelay: initial_delay_data.* has shape \(4,\), which does not "
                                             r"fit the delay's history \(3, 2\)"):
            bm.LengthDelay(bm.zeros(2), 3, initial_delay_data=given)
