"""Bad monitor input that passed unseen (session 41)."""
import numpy as np
import pytest

import brainbatch as bb


@pytest.mark.parametrize("start", [True, np.bool_(False)])
def test_a_monitor_start_is_a_time_not_a_switch(start):
    # float(True) is 1.0: Monitor("E.V", start=True) left out the first millisecond
    with pytest.raises(TypeError, match=r"^Monitor start must be a time in ms \(a number >= 0\), got "):
        bb.Monitor("E.V", start=start)
    assert bb.Monitor("E.V", start=0).start == 0.0
