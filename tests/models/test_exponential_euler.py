"""``Exponential(method="euler")``: ``g`` decays by ``1 - dt / tau`` per step, the model of a script integrating
``dg/dt = -g / tau`` with forward Euler (Brian2's STDP example, ``method='euler'``; experiments/stdp_song2000.py)."""
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.models.projections._projection import post_current


@pytest.mark.parametrize("method, per_step", [("exact", np.exp(np.float32(-0.1) / np.float32(5.0))),
                                              ("euler", np.float32(1) - np.float32(0.1) / np.float32(5.0))])
def test_a_pulse_decays_by_the_methods_factor_each_step(method, per_step):
    syn = bb.Exponential(5.0, size=1, method=method)
    with bb.environment(dt=0.1):
        g = [float(syn.update(1.0)[0])] + [float(syn.update(0.0)[0]) for _ in range(50)]
    expected = np.float32(1.0) * np.cumprod(np.r_[np.float32(1), np.full(50, per_step, np.float32)], dtype=np.float32)
    np.testing.assert_allclose(g, expected, rtol=2e-6)
    # Euler's pulse integrates to tau (5 ms); the exact decay's to dt / (1 - exp(-dt / tau)) = 5.0502 ms
    area = 0.1 / (1 - float(per_step))
    assert area == pytest.approx(5.0 if method == "euler" else 5.0502, abs=1e-3)


def test_euler_changes_only_the_decay_and_is_not_integrated_as_an_exponential_current():
    # LIF(method="exact") integrates an Exponential + CUBA current in closed form, which only the exact decay has
    exact, euler = bb.Exponential(5.0, size=1), bb.Exponential(5.0, size=1, method="euler")
    assert type(post_current(exact, bb.CUBA(), None)).__name__ == "ExponentialCurrent"
    assert post_current(euler, bb.CUBA(), "plain") == "plain"


def test_a_bad_method_is_named_with_what_is_allowed():
    with pytest.raises(ValueError, match=r"method must be one of 'exact', 'euler', got 'Euler '\. Did you mean 'euler'\?"):
        bb.Exponential(5.0, method="Euler ")
