"""Channels a CondNeuGroup subclass adds in its own __init__ start as in BrainPy 2.8.2: at the zeros the
channel was made with (the group reset before they existed, and a runner does not reset), until
reset_state() puts them at their steady state. Numbers from a run of BrainPy 2.8.2 of this model
(examples/dynamics_simulation/hh_model.py's HH at V0 = -65 mV, no input)."""
import numpy as np
import pytest

import brainbatch.brainpy as bp


class HH(bp.dyn.CondNeuGroup):
    def __init__(self, size):
        super().__init__(size, V_initializer=bp.init.Constant(-65.))
        self.INa = bp.channels.INa_HH1952(size)
        self.IK = bp.channels.IK_HH1952(size)
        self.IL = bp.channels.IL(size, E=-54.387, g_max=0.03)


def _run(hh):
    mon = bp.DSRunner(hh, monitors=["V", "INa.q", "IK.p"], inputs=[hh.input, 0.], progress_bar=False, seed=0).run(20.)
    V = np.asarray(mon["V"])[:, 0]
    return mon, V, np.asarray(mon.ts)[1:][(V[1:] >= 0) & (V[:-1] < 0)]


def test_channels_added_by_a_subclass_start_at_zero_until_reset():
    mon, V, spikes = _run(HH(1))
    # BrainPy 2.8.2: h, n after step 1 = 0.0069591, 0.0057668; V(10 ms) = 42.598; one spike, at 9.5 ms
    assert float(mon["INa.q"][0, 0]) == pytest.approx(0.0069591, rel=1e-4)
    assert float(mon["IK.p"][0, 0]) == pytest.approx(0.0057668, rel=1e-4)
    assert V[99] == pytest.approx(42.598, abs=1e-2) and spikes.tolist() == pytest.approx([9.5])
    hh = HH(1)
    hh.reset_state()  # BrainPy: the gates at their steady state for V = -65 mV, and no spike
    mon, V, spikes = _run(hh)
    assert float(mon["INa.q"][0, 0]) == pytest.approx(0.596, abs=1e-3) and len(spikes) == 0
