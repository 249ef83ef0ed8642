"""Membrane noise of LIF groups (``noise=sigma``, mV/sqrt(ms): ``dV = f dt + sigma dW``, BrainPy's ``noise=``):
the stationary variance of a free membrane is the Ornstein-Uhlenbeck value sigma^2 tau / 2, a lane equals its
run alone, and bad values are named."""
import math

import brainunit as u
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.run import Simulation, normalize_monitors

DT = 0.1


@pytest.mark.parametrize("cls", [bb.LIF, bb.LifRef])
def test_a_free_membrane_has_the_ornstein_uhlenbeck_variance(cls):
    sigma, tau = 0.8, 10.0
    E = cls(4000, V_rest=-60.0, V_th=1e9, tau=tau, V_initializer=bb.Constant(-60.0), noise=sigma)
    runner = bb.Runner(bb.Network(E=E), monitors={"V": "E.V"}, dt=DT, progress_bar=False, seed=2)
    runner.run(50.0)
    V = np.asarray(runner.mon["V"])[200:]  # after 2 tau
    # exact drift + sigma sqrt(dt) xi per step: Var = sigma^2 dt / (1 - e^(-2 dt / tau)) = 1.005 sigma^2 tau / 2
    want = sigma ** 2 * DT / (1 - math.exp(-2 * DT / tau))
    # 4000 neurons x 3 tau of time: the variance is known to ~1 %
    assert float(V.var(axis=1).mean()) == pytest.approx(want, rel=0.04)
    assert float(V.mean()) == pytest.approx(-60.0, abs=0.05)


def _net(p):
    E = bb.LifRef(50, V_rest=-60.0, V_reset=-60.0, V_th=-50.0, tau=20.0, tau_ref=2.0, I_bias=p["bias"],
                  noise=3.0)
    return bb.Network(E=E)


def test_noise_driven_spikes_of_a_lane_equal_its_run_alone():
    sim = Simulation(_net, normalize_monitors({"s": "E.spike"}), dt=DT)
    _, batch = sim.run([5, 5, 6], {"bias": np.array([8.0, 9.0, 9.0], np.float32)}, 2000, keep=True)
    _, alone = sim.run([5], {"bias": np.array([9.0], np.float32)}, 2000, keep=True)
    np.testing.assert_array_equal(batch["s"][1], alone["s"][0])
    assert batch["s"][1].sum() > 0  # subthreshold bias (9 < 10 mV): every spike comes from the noise
    assert not np.array_equal(batch["s"][1], batch["s"][2])


def test_noise_takes_a_quantity_and_refuses_bad_values():
    E = bb.LIF(3, noise=0.5 * u.mV / u.ms ** 0.5)
    assert float(E.noise) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="noise must be >= 0"):
        bb.LIF(3, noise=-1.0)
    with pytest.raises(TypeError, match="noise must be a number"):
        bb.LIF(3, noise="loud")
