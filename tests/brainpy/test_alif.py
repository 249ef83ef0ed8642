"""``bp.neurons.ALIFBellec2020`` (and the native ``bb.ALIF``) against BrainPy 2.8.2's numbers, both groups in one
network (one compile). Reference: ``tests/brainpy/reference/alif_bp282.py`` (3 neurons each, constant inputs,
dt 0.1 ms; ``defaults`` for 30 ms, ``bellec`` for 300 ms)."""
import numpy as np
import pytest

import brainbatch as bb
import brainbatch.brainpy as bp

SPIKES = {  # neuron -> BrainPy's spike steps ("defaults": its third neuron spikes in every step from 81 on)
    "defaults": [[], [], list(range(81, 300))],
    "bellec": [[], [219, 523, 882, 1303, 1788, 2327, 2903],
               [81, 198, 320, 449, 583, 724, 872, 1026, 1186, 1353, 1526, 1704, 1888, 2077, 2270, 2467, 2667, 2870]],
}
STATES = {  # (group, step) -> BrainPy's V and a
    ("defaults", 99): ([-68.03266906738281, -65.27833557128906, 1032.0499267578125], [0.0, 0.0, 18.9914493560791]),
    ("defaults", 299): ([-66.11567687988281, -60.67755889892578, 7958.798828125], [0.0, 0.0, 217.81051635742188]),
    ("bellec", 99): ([3.1477625370025635, 5.902054786682129, 0.09051799774169922], [0.0, 0.0, 0.9910398721694946]),
    ("bellec", 999): ([7.946101188659668, 7.3029704093933105, 16.918535232543945], [0.0, 2.4084086418151855,
                                                                                    5.395732879638672]),
    ("bellec", 2999): ([7.99995231628418, 7.701855182647705, 20.252649307250977], [0.0, 3.5277249813079834,
                                                                                   8.652754783630371]),
}


@pytest.fixture(scope="module")
def traces():
    net = bb.Network(
        defaults=bp.neurons.ALIFBellec2020(3),
        bellec=bp.neurons.ALIFBellec2020(3, V_rest=0., V_th=10., tau_a=200., tau_ref=2.,
                                         V_initializer=bp.init.Constant(0.)),
        # the native model with V_rest = 0 (Bellec et al.'s convention): its reset V_th - V_rest is BrainPy's V_th
        native=bb.ALIF(3, V_rest=0., V_th=10., tau_a=200., tau_ref=2., V_initializer=bb.Constant(0.)))
    inputs = [("defaults.input", np.array([5., 12., 30.])), ("bellec.input", np.array([8., 15., 30.])),
              ("native.input", np.array([8., 15., 30.]))]
    monitors = [f"{g}.{v}" for g in ("defaults", "bellec", "native") for v in ("V", "a", "spike")]
    out = bb.Runner(net, monitors=monitors, inputs=inputs, dt=0.1, progress_bar=False).run(300.)
    return {k: np.asarray(out[k]) for k in monitors}


@pytest.mark.parametrize("group", ["defaults", "bellec"])
def test_spike_steps_and_states_are_brainpys(traces, group):
    steps = 300 if group == "defaults" else 3000
    spikes = traces[f"{group}.spike"][:steps]
    assert [np.flatnonzero(spikes[:, k]).tolist() for k in range(3)] == SPIKES[group]
    for (g, step), (V, a) in STATES.items():
        if g == group:  # float32 in both; the runaway neuron's V is in the thousands
            np.testing.assert_allclose(traces[f"{g}.V"][step], V, rtol=1e-4, atol=1e-4, err_msg=f"{g} V {step}")
            np.testing.assert_allclose(traces[f"{g}.a"][step], a, rtol=1e-4, atol=1e-5, err_msg=f"{g} a {step}")


def test_the_native_model_with_v_rest_zero_is_brainpys(traces):
    for var in ("V", "a", "spike"):
        np.testing.assert_array_equal(traces[f"native.{var}"], traces[f"bellec.{var}"], err_msg=var)


def test_the_native_reset_subtracts_the_threshold_distance_from_rest():
    # BrainPy's defaults (V_rest -70, V_th -60): bb.ALIF drops V by 10 mV at a spike, where BrainPy adds 60 mV
    g = bb.ALIF(1, tau_a=200.)
    spikes = bb.for_loop(lambda i: g.step_run(i, 30.), np.arange(1000), dyn_vars=g)
    assert 3 <= int(spikes.sum()) <= 12 and float(g.V.value[0]) < -50.0


def test_refused_arguments_say_why():
    with pytest.raises(TypeError, match="eprop=True is not supported"):
        bp.neurons.ALIFBellec2020(2, eprop=True)
    with pytest.raises(TypeError, match="input_var=False"):
        bp.neurons.ALIFBellec2020(2, input_var=False)
    with pytest.raises(ValueError, match="tau_a must be > 0"):
        bb.ALIF(2, tau_a=0.)
