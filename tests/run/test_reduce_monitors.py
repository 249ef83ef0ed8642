"""Monitors that record a reduction per step (issue 23, item 14): the population's spike count or mean
potential instead of a dense record, equal to reducing the dense record afterwards."""
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.run.monitors import Monitor


def _net():
    return bb.Network(G=bb.LIF(30, V_rest=-65.0, V_reset=-65.0, V_th=-50.0, tau=10.0, I_bias=20.0,
                               V_initializer=bb.Uniform(-65.0, -50.0)))


def test_a_reduction_equals_the_dense_record_reduced():
    monitors = {"spike": "G.spike", "V": "G.V", "count": Monitor("G.spike", reduce="sum"),
                "V_mean": Monitor("G.V", reduce="mean"), "V_max_of_two": Monitor("G.V", index=[3, 7], reduce="max")}
    out = bb.Runner(_net(), monitors=monitors, dt=0.1, progress_bar=False).run(30.0)
    assert out["count"].shape == (300,) and out["count"].dtype == np.int32
    np.testing.assert_array_equal(out["count"], out["spike"].sum(axis=-1))
    assert out["count"].sum() > 0
    np.testing.assert_allclose(out["V_mean"], out["V"].mean(axis=-1), rtol=1e-6)
    np.testing.assert_array_equal(out["V_max_of_two"], out["V"][:, [3, 7]].max(axis=-1))


def test_a_reduction_is_described_as_one_number_per_step():
    from brainbatch.run import Simulation, normalize_monitors

    sim = Simulation(lambda p: _net(), normalize_monitors({"count": Monitor("G.spike", reduce="sum"),
                                                           "V_mean": Monitor("G.V", reduce="mean")}), dt=0.1)
    infos = {m.name: m for m in sim.describe({})[0]}
    assert infos["count"].shape == () and infos["count"].dims == () and infos["count"].kind == ""
    assert infos["count"].units == "1" and infos["V_mean"].units == "mV"
    assert infos["V_mean"].description.startswith("mean over the group of: ")


def test_a_reduction_is_checked():
    with pytest.raises(ValueError, match="Monitor reduce must be one of 'sum', 'mean', 'max', 'min', got 'median'"):
        Monitor("G.V", reduce="median")
    with pytest.raises(TypeError, match="reduce= applies to a variable path"):
        Monitor(lambda: 0.0, reduce="sum")
