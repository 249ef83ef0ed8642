"""Runner arguments do what they say; monitor functions are called as their signature says."""
import jax
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.run import Monitor


class Clock(bb.NeuGroup):
    def __init__(self):
        super().__init__(2)
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("x", 0.0, batch_size=batch_size)

    def update(self):
        self.x.value = self.x.value + bb.share.dt


def _run(monitors, **kw):
    return bb.Runner(Clock(), monitors=monitors, progress_bar=False, **kw).run(0.5)


def test_monitor_functions_get_share_only_when_their_signature_asks():
    net = Clock()
    out = bb.Runner(net, monitors={"none": lambda: net.x.value.sum(), "t": lambda s: s.t},
                    progress_bar=False).run(0.5)
    np.testing.assert_allclose(out["t"], 0.1 * np.arange(5), atol=1e-6)
    np.testing.assert_allclose(out["none"], 2 * 0.1 * np.arange(1, 6), rtol=1e-5)
    assert Monitor(lambda share, scale=2.0: 0.0).takes_share and not Monitor(lambda *a: 0.0).takes_share


def test_a_type_error_raised_by_a_monitor_function_reaches_the_user():
    def broken():
        raise TypeError("my own bug")

    with pytest.raises(TypeError, match="my own bug"):
        _run({"b": broken})


def test_a_monitor_function_with_two_required_arguments_is_refused_up_front():
    def two(a, b):
        return 0.0

    with pytest.raises(TypeError, match=r"fn\(\) or fn\(share\); 'two' requires a, b"):
        bb.Runner(Clock(), monitors={"two": two}, progress_bar=False)


def test_jit_false_runs_the_steps_one_by_one_and_gives_the_same_records():
    seen = []

    class Spy(Clock):
        def update(self):
            seen.append(int(bb.share.i))  # concrete only when the steps are not compiled
            super().update()

    compiled = _run(["x"])
    eager = bb.Runner(Spy(), monitors=["x"], progress_bar=False, jit=False).run(0.5)
    np.testing.assert_array_equal(compiled["x"], eager["x"])
    assert seen == [0, 1, 2, 3, 4]


def test_numpy_mon_after_run_chooses_numpy_or_jax_arrays():
    assert isinstance(_run(["x"])["x"], np.ndarray)
    out = _run(["x"], numpy_mon_after_run=False)
    assert isinstance(out["x"], jax.Array)
    with pytest.raises(TypeError, match="True or False"):
        _run(["x"], jit="yes")
