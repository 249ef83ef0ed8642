"""Current builders: section_input, constant_input, ramp_input (arrays over time)."""
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.models.inputs import constant_input, ramp_input, section_input


def test_section_input_concatenates_sections_and_broadcasts_per_neuron_values():
    out = section_input([0.0, jnp.array([1.0, 2.0]), 3.0], [0.2, 0.1, 0.3], dt=0.1)
    assert out.shape == (6, 2) and out.dtype == jnp.float32
    np.testing.assert_array_equal(np.asarray(out[:, 1]), [0, 0, 2, 3, 3, 3])
    current, length = section_input([1.0], [1.0], dt=0.1, return_length=True)
    assert current.shape == (10,) and length == 1.0  # 1.0 / 0.1 is 9.999...: rounded, not truncated


def test_constant_input_returns_the_total_duration_and_uses_the_global_dt():
    with bb.environment(dt=0.5):
        current, duration = constant_input([(0.0, 1.0), (5.0, 2.0)])
    np.testing.assert_array_equal(np.asarray(current), [0, 0, 5, 5, 5, 5])
    assert duration == 3.0


def test_ramp_input_is_zero_outside_the_ramp():
    out = np.asarray(ramp_input(1.0, 2.0, 1.0, t_start=0.2, t_end=0.8, dt=0.1))
    assert out.shape == (10,)
    np.testing.assert_allclose(out, [0, 0, 1, 1.2, 1.4, 1.6, 1.8, 2.0, 0, 0], atol=1e-6)
    np.testing.assert_allclose(np.asarray(ramp_input(0.0, 1.0, 0.5, dt=0.1)), [0, 0.25, 0.5, 0.75, 1.0])


@pytest.mark.parametrize("call, match", [
    (lambda: section_input([1.0, 2.0], [1.0], dt=0.1), "one duration per value"),
    (lambda: section_input([1.0], [0.25], dt=0.1), r"durations\[0\] = 0.25 ms is not a whole number of steps"),
    (lambda: section_input([1.0], [-1.0], dt=0.1), "durations\\[0\\] must be a finite number of ms >= 0"),
    (lambda: constant_input([(1.0, 1.0, 2.0)], dt=0.1), r"\(value, duration\) pairs"),
    (lambda: ramp_input(0.0, 1.0, 1.0, t_start=0.5, t_end=0.2, dt=0.1), "t_start <= t_end <= duration"),
])
def test_bad_arguments_are_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()
