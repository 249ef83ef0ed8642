"""BrainPy 2.8.2's reset-free spiking neurons: ``bp.neurons.HindmarshRose`` and ``bp.neurons.FHN`` (spiking
FitzHugh-Nagumo) against BrainPy 2.8.2's own numbers, in one network (one compile).

Reference numbers: ``tests/brainpy/reference/reduced_neurons_bp282.py`` run with BrainPy 2.8.2 (3 neurons
per model, fixed initial values, constant input, dt 0.1 ms, 100 ms; monitors after each step).
"""
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
import brainbatch.brainpy as bp

BRAINPY = {  # model -> variable -> step -> 3 neurons, and spike steps; printed by BrainPy 2.8.2
    # (reference/reduced_neurons_bp282.py)
    "HindmarshRose": {
        "V": {
            0: [-1.1648417711257935, -0.800000011920929, 0.17758768796920776],
            99: [-1.129397988319397, -0.7837153673171997, -0.4968702793121338],
            499: [-1.001381278038025, -0.7056657075881958, -1.1665288209915161],
            999: [-1.5438295602798462, -1.082280158996582, -1.1791963577270508],
        },
        "y": {
            0: [-7.619349479675293, -8.953211784362793, -4.547977924346924],
            99: [-6.262960433959961, -3.729844093322754, -1.7483477592468262],
            499: [-4.234682083129883, -2.470466375350952, -6.293407917022705],
            999: [-10.97749137878418, -5.14661979675293, -6.230459213256836],
        },
        "z": {
            0: [0.0023988245520740747, 1.0053973197937012, 2.006396770477295],
            99: [0.378603458404541, 1.2850067615509033, 2.2179043292999268],
            499: [1.244572401046753, 2.175118923187256, 2.8059117794036865],
            999: [1.3438849449157715, 2.5912094116210938, 3.04004168510437],
        },
        "spike_steps": [[61, 165, 310, 644], [50, 123, 205, 298, 404, 530, 682, 873], [25, 115, 215, 327, 453, 596, 757, 936]],
    },
    "FHN": {
        "V": {
            0: [-1.0366666316986084, 0.13672225177288055, 1.1666666269302368],
            99: [-1.1877844333648682, 1.5538520812988281, 1.624959945678711],
            499: [-0.9808796048164368, 1.276034951210022, 1.0209602117538452],
            999: [-1.0223438739776611, -1.6211903095245361, 1.0315217971801758],
        },
        "w": {
            0: [-0.0023923292756080627, -0.4912281334400177, 0.5103667378425598],
            99: [-0.3701397776603699, 1.1817699670791626, 1.7448432445526123],
            499: [-0.3361020088195801, 1.475921869277954, 2.171154022216797],
            999: [-0.3649771213531494, 0.5275617837905884, 2.1654255390167236],
        },
        "spike_steps": [[], [11, 401, 766], [5]],
    },
}


def _net():
    hr = bp.neurons.HindmarshRose(3, V_initializer=jnp.asarray([-1.0, 0.0, 0.5]),
                                  y_initializer=jnp.asarray([-8.0, -10.0, -5.0]),
                                  z_initializer=jnp.asarray([0.0, 1.0, 2.0]))
    fhn = bp.neurons.FHN(3, V_initializer=jnp.asarray([-1.0, 0.0, 1.0]), w_initializer=jnp.asarray([0.0, -0.5, 0.5]))
    return bb.Network(HindmarshRose=hr, FHN=fhn)


_INPUTS = [("HindmarshRose.input", np.array([1.5, 3.0, 3.5])), ("FHN.input", np.array([0.3, 0.8, 1.5]))]
_MONITORS = ["HindmarshRose.V", "HindmarshRose.y", "HindmarshRose.z", "HindmarshRose.spike", "FHN.V", "FHN.w",
             "FHN.spike"]


@pytest.fixture(scope="module")
def traces():
    out = bb.Runner(_net(), monitors=_MONITORS, inputs=_INPUTS, dt=0.1, progress_bar=False).run(100.0)
    return {k: np.asarray(out[k]) for k in _MONITORS}


@pytest.mark.parametrize("model", list(BRAINPY))
def test_neuron_gives_brainpys_states_and_spike_steps(traces, model):
    spikes = traces[f"{model}.spike"]
    assert [np.flatnonzero(spikes[:, k]).tolist() for k in range(3)] == BRAINPY[model]["spike_steps"]
    for var, steps in BRAINPY[model].items():
        if var == "spike_steps":
            continue
        for step, ref in steps.items():
            # float32 in both: rounding differences only, grown over up to 1000 steps of a bursting neuron
            np.testing.assert_allclose(traces[f"{model}.{var}"][step], ref, rtol=2e-3, atol=2e-3,
                                       err_msg=f"{model}.{var} step {step}")


def test_batched_rows_match_the_unbatched_run():
    net = _net()
    net.reset(batch_size=2)
    out = bb.Runner(net, monitors=["HindmarshRose.V", "FHN.spike"], inputs=_INPUTS, dt=0.1,
                    progress_bar=False).run(10.0)
    V = np.asarray(out["HindmarshRose.V"])  # (batch, step, neuron)
    assert V.shape == (2, 100, 3)
    np.testing.assert_array_equal(V[0], V[1])
    np.testing.assert_allclose(V[0, 99], BRAINPY["HindmarshRose"]["V"][99], rtol=1e-4, atol=1e-4)
    assert np.flatnonzero(np.asarray(out["FHN.spike"])[1, :, 1]).tolist() == [11]


@pytest.mark.parametrize("build, match", [
    (lambda: bp.neurons.HindmarshRose(2, noise=-0.1), "noise must be >= 0, got -0.1"),
    (lambda: bp.neurons.FHN(2, noise="loud"), "noise must be a number"),
    (lambda: bp.neurons.FHN(2, input_var=False), "input_var=False"),
    (lambda: bp.neurons.HindmarshRose(2, spike_fun=lambda x: x), "spike_fun"),
    (lambda: bb.FHNNeuron(2, tau=-1.0), "tau"),
])
def test_refused_arguments_say_why(build, match):
    with pytest.raises((TypeError, ValueError), match=match):
        build()


def test_the_rest_of_bp_neurons_stays_refused_with_its_hint():
    with pytest.raises(AttributeError, match="InputGroup is not supported"):
        bp.neurons.InputGroup  # noqa: B018
    assert bp.dyn.FHN is bp.rates.FHN and bp.neurons.FHN is not bp.rates.FHN


def test_izhikevich_u_starts_from_the_b_it_was_made_with():
    """BrainPy 2.3-2.8 freeze u's start, b V, when the group is made (IzhikevichLTC.reset_state's initializer):
    its Izhikevich notebook sets neu.a, neu.b, neu.c, neu.d afterwards. u started from the new b (-28, not
    -14), and 'tonic spiking' fired 7 spikes in 50 ms without input, where BrainPy fires 2."""
    neu = bp.neurons.Izhikevich(1)
    neu.a, neu.b, neu.c, neu.d = 0.02, 0.40, -65.0, 2.0
    mon = bp.DSRunner(neu, monitors=["u", "spike"], progress_bar=False).run(50.)
    same = bp.neurons.Izhikevich(1, a=0.02, b=0.40, c=-65.0, d=2.0, u_initializer=bp.init.Constant(-14.0))
    ref = bp.DSRunner(same, monitors=["u", "spike"], progress_bar=False).run(50.)
    np.testing.assert_array_equal(mon["u"], ref["u"])
    assert int(np.asarray(mon["spike"]).sum()) == int(np.asarray(ref["spike"]).sum()) == 2
