"""BrainPy 2.8.2's rate models (``bp.rates``/``bp.dyn``): WilsonCowanModel, StuartLandauOscillator, QIF,
FeedbackFHN, ThresholdLinearModel against BrainPy 2.8.2's own numbers, in one network (one compile).

Reference numbers: ``tests/brainpy/reference/rate_models_bp282.py`` run with BrainPy 2.8.2 (3 nodes per
model, fixed initial values, constant inputs, no noise, dt 0.1 ms, 30 ms; monitors after each step).
"""
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
import brainbatch.brainpy as bp

X0, Y0 = [0.1, 0.3, -0.2], [0.05, -0.1, 0.2]

BRAINPY = {  # model -> variable -> step -> 3 nodes; printed by BrainPy 2.8.2 (reference/rate_models_bp282.py)
    "WilsonCowanModel": {
        "x": {
            0: [0.10270305722951889, 0.3324127197265625, -0.18135012686252594],
            9: [0.14754119515419006, 0.45940420031547546, 0.07415404915809631],
            49: [0.4754256308078766, 0.48743510246276855, 0.4906402826309204],
            149: [0.47675901651382446, 0.48744839429855347, 0.49082082509994507],
            299: [0.47675901651382446, 0.48744839429855347, 0.49082082509994507],
        },
        "y": {
            0: [0.0477568656206131, -0.023366428911685944, 0.1795959770679474],
            9: [0.04544582962989807, 0.22215157747268677, 0.06591420620679855],
            49: [0.261736661195755, 0.2712021768093109, 0.2732056677341461],
            149: [0.26386865973472595, 0.2712264657020569, 0.2735433280467987],
            299: [0.26386865973472595, 0.2712264657020569, 0.2735433280467987],
        },
    },
    "StuartLandauOscillator": {
        "x": {
            0: [0.1114996150135994, 0.3164752125740051, -0.19738827645778656],
            9: [0.22637449204921722, 0.45388689637184143, -0.16915181279182434],
            49: [0.5605908036231995, 0.60538250207901, 0.16506634652614594],
            149: [0.43311649560928345, 0.44263944029808044, 0.522497832775116],
            299: [0.36186254024505615, 0.3635590672492981, 0.3788289427757263],
        },
        "y": {
            0: [0.048166267573833466, -0.10050326585769653, 0.19437474012374878],
            9: [0.04073156788945198, -0.08544151484966278, 0.14430467784404755],
            49: [0.18920588493347168, 0.15092380344867706, -0.05970072001218796],
            149: [0.3771652579307556, 0.37076258659362793, 0.2992016077041626],
            299: [0.41404789686203003, 0.41338643431663513, 0.40696582198143005],
        },
    },
    "QIF": {
        "x": {
            0: [-0.2802569568157196, 0.14451231062412262, -0.08773864060640335],
            9: [-1.520978569984436, 0.43271470069885254, 5.168753147125244],
            49: [-1.790938377380371, -1.0790263414382935, -5.897245407104492],
            149: [-1.7911369800567627, -1.0272616147994995, -20.045089721679688],
            299: [-1.7911369800567627, 2.4293813705444336, -0.8241169452667236],
        },
        "y": {
            0: [0.08417153358459473, 0.14001961052417755, 0.22434093058109283],
            9: [0.12574395537376404, 0.47224828600883484, 3.144829273223877],
            49: [0.0916718915104866, 0.14387136697769165, 0.01483992300927639],
            149: [0.09164846688508987, 0.1518041342496872, 0.004099205136299133],
            299: [0.09164846688508987, 1.8379402160644531, 0.1295495182275772],
        },
    },
    "FeedbackFHN": {
        "x": {
            0: [0.3037456274032593, 0.5700613856315613, 0.0404852069914341],
            9: [2.0843987464904785, 2.29925537109375, 2.24849271774292],
            49: [2.9196791648864746, 3.0020437240600586, 3.029952049255371],
            149: [2.7105088233947754, 2.770965576171875, 2.8390488624572754],
            299: [2.4765076637268066, 2.544572591781616, 2.638275384902954],
        },
        "y": {
            0: [0.05606056749820709, -0.09138761460781097, 0.2027113139629364],
            9: [0.1873525083065033, 0.07302189618349075, 0.32287314534187317],
            49: [1.0808502435684204, 1.0247753858566284, 1.220714807510376],
            149: [2.6523118019104004, 2.6581993103027344, 2.7950174808502197],
            299: [3.529033660888672, 3.581644296646118, 3.6990838050842285],
        },
    },
    "ThresholdLinearModel": {
        "e": {
            0: [0.09830000251531601, 0.0, 0.48489999771118164],
            9: [0.08635704964399338, 0.0, 0.3788185715675354],
            49: [0.06861612945795059, 0.0, 0.2212373912334442],
            149: [0.06601548939943314, 0.0, 0.198137566447258],
            299: [0.0660000666975975, 0.0, 0.19800013303756714],
        },
        "i": {
            0: [0.1975499987602234, 0.3402000069618225, 0.0],
            9: [0.18404261767864227, 0.5618312954902649, 0.0],
            49: [0.1756262630224228, 0.6999282240867615, 0.0],
            149: [0.1755000650882721, 0.7019997835159302, 0.0],
            299: [0.1755000650882721, 0.7019997835159302, 0.0],
        },
    },
}


def _models():
    x0, y0 = jnp.asarray(X0), jnp.asarray(Y0)
    return dict(
        WilsonCowanModel=bp.rates.WilsonCowanModel(3, x_initializer=x0, y_initializer=y0),
        StuartLandauOscillator=bp.rates.StuartLandauOscillator(3, x_initializer=x0, y_initializer=y0),
        QIF=bp.rates.QIF(3, x_initializer=x0, y_initializer=jnp.asarray([0.05, 0.1, 0.2])),
        FeedbackFHN=bp.dyn.FeedbackFHN(3, delay=2.0, x_initializer=x0, y_initializer=y0),
        ThresholdLinearModel=bp.rates.ThresholdLinearModel(3, tau_e=2.0, tau_i=1.0,
                                                           e_initializer=jnp.asarray([0.1, 0.0, 0.5]),
                                                           i_initializer=jnp.asarray([0.2, 0.3, 0.0])),
    )


_INPUTS = [("WilsonCowanModel.input", np.array([0.5, 1.5, 3.0])), ("WilsonCowanModel.input_y", 0.2),
           ("StuartLandauOscillator.input", 0.1), ("StuartLandauOscillator.input_y", -0.05),
           ("QIF.input", np.array([0.5, 2.0, 3.5])), ("QIF.input_y", 0.01),
           ("FeedbackFHN.input", np.array([0.2, 0.5, 1.0])),
           ("ThresholdLinearModel.Ie", np.array([1.0, -1.0, 3.0])),
           ("ThresholdLinearModel.Ii", np.array([0.5, 2.0, -0.5]))]
_MONITORS = [f"{m}.{v}" for m, vs in BRAINPY.items() for v in vs]


@pytest.fixture(scope="module")
def traces():
    runner = bb.Runner(bb.Network(**_models()), monitors=_MONITORS, inputs=_INPUTS, dt=0.1, progress_bar=False)
    out = runner.run(30.0)
    return {k: np.asarray(out[k]) for k in _MONITORS}


@pytest.mark.parametrize("model", list(BRAINPY))
def test_rate_model_gives_brainpys_trajectory(traces, model):
    for var, steps in BRAINPY[model].items():
        trace = traces[f"{model}.{var}"]
        assert trace.shape == (300, 3)
        for step, ref in steps.items():
            # float32 in both: they differ in rounding only; QIF's third node bursts (|x| up to 20), where
            # rounding grows most
            np.testing.assert_allclose(trace[step], ref, rtol=1e-4, atol=1e-4, err_msg=f"{model}.{var} step {step}")


def test_rate_models_batch_rows_like_the_unbatched_run():
    models = _models()
    net = bb.Network(**models)
    net.reset(batch_size=2)
    for name, m in models.items():
        first = "e" if name == "ThresholdLinearModel" else "x"
        assert getattr(m, first).shape == (2, 3), name
    assert models["FeedbackFHN"].x_history.shape == (2, 3, 21)  # 20 steps of past and x(0)
    out = bb.Runner(net, monitors=_MONITORS, inputs=_INPUTS, dt=0.1, progress_bar=False).run(5.0)
    for key in ("FeedbackFHN.x", "QIF.y", "ThresholdLinearModel.i"):
        rows = np.asarray(out[key])  # (batch, step, node)
        assert rows.shape == (2, 50, 3)
        np.testing.assert_array_equal(rows[0], rows[1])
        np.testing.assert_allclose(rows[0, 9], BRAINPY[key.split(".")[0]][key.split(".")[1]][9], rtol=1e-4,
                                   atol=1e-4)


def test_ou_noise_and_threshold_linear_noise_are_built_as_in_brainpy():
    wc = bb.WilsonCowanModel(3, x_ou_sigma=0.1)
    assert isinstance(wc.x_ou, bb.OUProcess) and wc.y_ou is None
    assert bb.QIF(2).x_ou is None and isinstance(bb.StuartLandauOscillator(2, y_ou_mean=0.1).y_ou, bb.OUProcess)
    noisy = bb.ThresholdLinearModel(200, tau_e=2.0, tau_i=1.0, noise_e=0.5)
    quiet = bb.ThresholdLinearModel(200, tau_e=2.0, tau_i=1.0)
    run = bb.Runner(bb.Network(noisy=noisy, quiet=quiet), monitors=["noisy.e", "quiet.e", "noisy.i"],
                    inputs=[("noisy.Ie", 10.0), ("quiet.Ie", 10.0)], dt=0.1, progress_bar=False).run(20.0)
    assert np.allclose(run["quiet.e"][-1], 0.66, atol=1e-3)  # beta_e * 10, no spread
    assert 0.05 < float(np.std(run["noisy.e"][-1])) < 0.5  # noise_e / tau_e sqrt(dt) per step, Euler-Maruyama
    assert not np.any(run["noisy.i"])  # noise_i = 0: no draw, i stays at 0


@pytest.mark.parametrize("build, match", [
    (lambda: bb.FeedbackFHN(2, delay=np.array([1.0, 2.0])), "delay must be one concrete number"),
    (lambda: bb.WilsonCowanModel(2, E_tau=0.0), "E_tau"),
    (lambda: bb.QIF(2, x_ou_sigma=-1.0), "x_ou_sigma"),
    (lambda: bp.rates.StuartLandauOscillator(2, method="dopri5"), "dopri5"),
])
def test_bad_arguments_name_the_value(build, match):
    with pytest.raises((ValueError, TypeError), match=match):
        build()


def test_feedback_fhn_history_follows_the_runs_dt_and_refuses_a_stale_one():
    fhn = bb.FeedbackFHN(2, delay=1.0)
    assert fhn.x_history.shape == (2, 11)
    bb.Runner(fhn, monitors=["x"], dt=0.05, progress_bar=False).run(0.2)  # a Runner resets under its dt
    assert fhn.x_history.shape == (2, 21)
    with pytest.raises(ValueError, match="built for dt = 0.05"):
        bb.for_loop(lambda i: fhn.step_run(i), jnp.arange(2), dyn_vars=fhn)  # default dt 0.1, no reset


def test_jansen_rit_stays_refused_with_its_hint():
    with pytest.raises(AttributeError, match="JansenRitModel is not supported"):
        bp.rates.JansenRitModel  # noqa: B018
