"""Bad durations name the way out, session 39: a duration that is not a whole number of steps said so and
stopped there; it now gives the step count and the two nearest durations that are whole."""
import pytest

import brainbatch as bb


@pytest.mark.parametrize("duration, dt, said", [
    (1.05, 0.1, "(10.5 steps): give a multiple of dt, such as 1 or 1.1 ms"),
    (300.0, 0.07, "(4285.71 steps): give a multiple of dt, such as 299.95 or 300.02 ms"),
])
def test_a_duration_between_two_whole_step_counts_names_both(duration, dt, said):
    runner = bb.Runner(bb.LIF(1), dt=dt)
    with pytest.raises(ValueError) as err:
        runner.run(duration)
    assert f"duration {duration} ms is not a whole number of steps of dt={dt} ms {said}" in str(err.value)
