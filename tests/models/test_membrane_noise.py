"""Membrane noise of the neuron groups (``noise=sigma``, mV/sqrt(ms): ``dV = f dt + sigma dW``, BrainPy's
``noise=``): the stationary variance of a free membrane is the Ornstein-Uhlenbeck value sigma^2 tau / 2 (LIF,
LeakyIntegrator, GIF, AdEx with its w left alone), ``noise=0`` is the noiseless model bit for bit, a lane equals
its run alone, and bad values are named."""
import math

import brainunit as u
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.core import ParameterShapeError
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


def test_free_membranes_of_the_other_models_have_the_ornstein_uhlenbeck_variance():
    # one network, one compile: V is an OU process of time constant 10 ms in each (GIF: threshold out of reach;
    # AdEx: a = 0 and V_T far above, so w stays 0 and exp((V - V_T)/delta_T) ~ e^-130). V starts from the
    # stationary law, so the whole run counts.
    sigma, tau, n = 0.8, 10.0, 4000
    want = sigma ** 2 * DT / (1 - math.exp(-2 * DT / tau))
    start = bb.Normal(-65.0, math.sqrt(want))
    net = bb.Network(
        li=bb.LeakyIntegrator(n, V_rest=-65.0, tau=tau, V_initializer=start, noise=sigma),
        gif=bb.GIF(n, V_rest=-65.0, tau=tau, V_th_inf=1e9, Vth_initializer=bb.Constant(1e9), V_initializer=start,
                   noise=sigma),
        adex=bb.AdEx(n, a=0.0, V_T=0.0, delta_T=0.5, V_th=1e9, tau=tau, V_initializer=start, noise=sigma))
    out = bb.Runner(net, monitors=["li.V", "gif.V", "adex.V", "adex.w"], dt=DT, progress_bar=False,
                    seed=3).run(50.0)
    for name in ("li", "gif", "adex"):
        V = np.asarray(out[f"{name}.V"])
        assert float(V.var(axis=1).mean()) == pytest.approx(want, rel=0.04), name  # ~1 % sampling error
        assert float(V.mean()) == pytest.approx(-65.0, abs=0.05), name
    assert not np.any(np.asarray(out["adex.w"]))  # BrainPy's noise= is on V alone: w never moves


# every model with noise= (fixed initial values) and a current that makes it spike, or move
MODELS = {
    "adex": (lambda nz: bb.AdEx(3, noise=nz), 20.0), "adquaif": (lambda nz: bb.AdQuaIF(3, noise=nz), 20.0),
    "izh": (lambda nz: bb.Izhikevich(3, tau_ref=1.0, noise=nz), 10.0),
    "gif": (lambda nz: bb.GIF(3, noise=nz), 1.5), "hh": (lambda nz: bb.HH(3, V_initializer=bb.Constant(-65.0), noise=nz), 10.0),
    "wb": (lambda nz: bb.WangBuzsakiHH(3, noise=nz), 1.0), "ml": (lambda nz: bb.MorrisLecar(3, V_initializer=bb.Constant(-60.0), noise=nz), 90.0),
    "hr": (lambda nz: bb.HindmarshRose(3, noise=nz), 3.0), "fhn": (lambda nz: bb.FHNNeuron(3, noise=nz), 0.8),
    "li": (lambda nz: bb.LeakyIntegrator(3, noise=nz), 2.0),
}


# one model per update rule that adds the noise (AdaptiveIF, HeldRefractory, GIF, the conductance models, the rate
# LeakyIntegrator): the others call the same membrane_noise at the same place; one compile each test
SOME = ("adex", "izh", "gif", "hh", "li")


def test_zero_noise_is_the_noiseless_model_bit_for_bit():
    groups = {f"{name}_{tag}": MODELS[name][0](nz) for name in SOME for tag, nz in (("none", None), ("zero", 0.0))}
    inputs = [(f"{name}_{tag}.input", MODELS[name][1]) for name in SOME for tag in ("none", "zero")]
    out = bb.Runner(bb.Network(**groups), monitors=[f"{g}.V" for g in groups], inputs=inputs, dt=DT,
                    progress_bar=False, seed=4).run(30.0)
    for name in SOME:
        V = np.asarray(out[f"{name}_none.V"])
        np.testing.assert_array_equal(np.asarray(out[f"{name}_zero.V"]), V, err_msg=name)
        assert np.all(np.isfinite(V)) and np.ptp(V) > 0, name


def _net(p):
    E = bb.LifRef(50, V_rest=-60.0, V_reset=-60.0, V_th=-50.0, tau=20.0, tau_ref=2.0, I_bias=p["bias"],
                  noise=3.0)
    # the other models, small, without input, their noise swept (traced): each lane's noise must be its run's own
    return bb.Network(E=E, **{name: MODELS[name][0](p["noise"]) for name in SOME})


def test_noise_driven_spikes_of_a_lane_equal_its_run_alone():
    monitors = {"s": "E.spike", **{name: f"{name}.V" for name in SOME}}
    sim = Simulation(_net, normalize_monitors(monitors), dt=DT)
    _, batch = sim.run([5, 5, 6, 6, 7], {"bias": np.array([8.0, 9.0, 9.0, 9.0, 9.0], np.float32),
                                         "noise": np.array([0.5, 0.5, 0.5, 0.0, 0.0], np.float32)}, 500, keep=True)
    _, alone = sim.run([5], {"bias": np.array([9.0], np.float32), "noise": np.array([0.5], np.float32)}, 500,
                       keep=True)
    for key in monitors:
        np.testing.assert_array_equal(batch[key][1], alone[key][0], err_msg=key)
        assert not np.array_equal(batch[key][1], batch[key][2]), key  # seeds 5 and 6: other noise
        if key != "s":  # a swept noise of 0 adds nothing: seeds 6 and 7 give the same (noiseless) trace
            np.testing.assert_array_equal(batch[key][3], batch[key][4], err_msg=key)
    assert batch["s"][1].sum() > 0  # subthreshold bias (9 < 10 mV): every spike comes from the noise


def test_noise_takes_a_quantity_and_refuses_bad_values():
    E = bb.LIF(3, noise=0.5 * u.mV / u.ms ** 0.5)
    assert float(E.noise) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="noise must be >= 0"):
        bb.LIF(3, noise=-1.0)
    with pytest.raises(TypeError, match="noise must be a number"):
        bb.LIF(3, noise="loud")
    with pytest.raises(ValueError, match=r"noise must be a number or one value per neuron \(shape \(3,\)\), got "
                                         r"shape \(2,\)"):
        bb.HH(3, noise=[0.1, 0.2])
    # the wrong shape is told by the error's type, not by its words: (3, 1) would widen (3,) to (3, 3)
    with pytest.raises(ParameterShapeError, match=r"noise must be a number or one value per neuron"):
        bb.LIF(3, noise=np.full((3, 1), 0.1))
    with pytest.raises(ValueError, match="noise must be >= 0, got -0.5"):
        bb.Izhikevich(2, noise=-0.5)
    assert float(bb.GIF(2, noise=0.3 * u.mV / u.ms ** 0.5).noise) == pytest.approx(0.3)
