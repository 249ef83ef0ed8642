"""BrainPy 2.8.2's ion-free channel families through ``bp.dyn``: channels a ``CondNeuGroup`` subclass adds in its
``__init__`` start at 0 as in BrainPy, the COBA-HH E/I network of BrainPy's examples fires at BrainPy's
rates. The channels that read an ion object: tests/brainpy/test_ions.py.

Reference numbers: tests/brainpy/reference/hh_channels_bp282.py (BrainPy 2.8.2); the native equations'
traces are in tests/models/test_channel_families.py.
"""
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

# ``zero`` of the reference script: V and gates of HM (below) when its channels keep the zeros they were
# made with (no reset_state() after construction), dt 0.05 ms, a constant current per neuron.
ZERO_V = {59: [-76.93781, -57.60937, -32.28975], 199: [-62.07523, -73.69003, -39.68317], 599: [-60.74214, -57.47918, -41.6225]}
ZERO_GATES_199 = {'INa.p': [0.003126775, 0.0002111006, 0.1470327], 'INa.q': [0.999545, 0.9659909, 0.9510362], 'IK.p': [0.008054122, 0.02885327, 0.1098114], 'IA1.p': [0.3380889, 0.2327887, 0.7289472], 'IA1.q': [0.08712953, 0.0550642, 0.02204829], 'IA2.p': [0.1522818, 0.1428712, 0.2821612], 'IA2.q': [0.07460947, 0.04569761, 0.02257717], 'IK2A.p': [0.03748271, 0.07311451, 0.07408114], 'IK2A.q': [0.01100734, 0.007001032, 0.004679958], 'IK2B.p': [0.04084912, 0.08082364, 0.08207958], 'IK2B.q': [0.3008971, 0.2008272, 0.2024764], 'INI.p': [0.01399133, 0.41022, 0.3393341], 'Ih.p': [0.009443696, 0.003734343, 0.002620735]}
ZERO_SPIKES = [[], [122], [46, 206, 582]]


class HM(bp.dyn.CondNeuGroup):
    def __init__(self, V_init):
        super().__init__(3, V_initializer=bm.asarray(V_init))
        self.INa = bp.dyn.INa_TM1991(3, g_max=100., V_sh=-55.)
        self.IK = bp.dyn.IK_TM1991(3, g_max=20., V_sh=-55.)
        self.IA1 = bp.dyn.IKA1_HM1992(3, g_max=3., phi_q=2.)
        self.IA2 = bp.dyn.IKA2_HM1992(3, g_max=2., V_sh=5.)
        self.IK2A = bp.dyn.IKK2A_HM1992(3, g_max=1.)
        self.IK2B = bp.dyn.IKK2B_HM1992(3, g_max=1., V_sh=-5.)
        self.INI = bp.dyn.IKNI_Ya1989(3, g_max=0.5, tau_max=100.)
        self.Ih = bp.dyn.Ih_HM1992(3, g_max=0.5, phi=2.)
        self.IL = bp.dyn.IL(3, E=-70., g_max=0.05)


def test_channels_a_subclass_adds_start_at_zero_as_in_brainpy():
    hm = HM([-85.0, -75.0, -62.0])
    assert float(np.abs(np.asarray(hm.IA1.q.value)).max()) == 0.0  # made with bm.zeros, as in BrainPy
    with bm.environment(dt=0.05):
        runner = bp.DSRunner(hm, monitors=["V", "spike", *ZERO_GATES_199], inputs=[(hm.input, bm.asarray([2., 6., 12.]))],
                             progress_bar=False)
        mon = runner.run(30.0)
    V = np.asarray(mon["V"])
    for step, ref in ZERO_V.items():
        # float32 rounding along 600 steps: 2.2e-3 mV at most in V (a spike's upstroke), 5e-5 in a gate
        np.testing.assert_allclose(V[step], ref, atol=1e-2, err_msg=f"V at step {step}")
    for gate, ref in ZERO_GATES_199.items():
        np.testing.assert_allclose(np.asarray(mon[gate])[199], ref, atol=2e-4, err_msg=gate)
    spikes = np.asarray(mon["spike"])
    assert [np.flatnonzero(spikes[:, k]).tolist() for k in range(3)] == ZERO_SPIKES


def test_coba_hh_network_of_channels_fires_at_brainpy_rates(script):
    # docs/brainpy/coba_hh_channels.py, 400 + 100 neurons, 200 ms, input 2. BrainPy 2.8.2 over seeds 0-19
    # (bm.random.seed(s); the reference script's ``network``): E 45.57 +- 1.14 Hz, I 44.30 +- 2.68 Hz
    # (standard deviations over seeds); uncoupled (zero weights) 65.6 Hz. brainbatch over seeds 0-19:
    # E 45.89 +- 1.68, I 44.04 +- 4.81 (its FixedProb graphs spread more: docs/migrating-from-brainpy.md).
    # One seed lies within 4 of BrainPy's standard deviations of its mean, widened by sqrt(1 + 1/20) for
    # the error of that mean; the coupled network is far from the uncoupled rate.
    e, i = script("coba_hh_channels").run(200.)
    widen = np.sqrt(1 + 1 / 20)
    assert abs(e - 45.57) < 4 * 1.14 * widen, e
    assert abs(i - 44.30) < 4 * 2.68 * widen, i
    assert max(e, i) < 60.0


def test_the_ion_free_channels_are_in_both_namespaces_with_brainpys_defaults():
    for name in ("INa_TM1991", "IK_TM1991", "INa_Ba2002", "IKDR_Ba2002", "IKA1_HM1992", "IKA2_HM1992",
                 "IKK2A_HM1992", "IKK2B_HM1992", "IKNI_Ya1989", "Ih_HM1992", "IKL"):
        assert getattr(bp.dyn, name) is getattr(bp.channels, name)
    ch = bp.dyn.IK_TM1991(2)
    assert (float(ch.E), float(ch.g_max), float(ch.V_sh), ch.method) == (-90.0, 10.0, -60.0, "exp_euler")
    assert float(bp.dyn.IKA1_HM1992(1).g_max) == 30.0 and float(bp.dyn.IKL(1).g_max) == 0.005
    with pytest.raises(ValueError, match="method"):
        bp.dyn.INa_Ba2002(2, method="no_such_method")


def test_the_adapters_show_their_parameters():
    import inspect

    params = inspect.signature(bp.dyn.INa_TM1991).parameters
    assert list(params)[:6] == ["size", "keep_size", "E", "g_max", "phi", "V_sh"]
    assert params["method"].default == "exp_auto"  # BrainPy's default, mapped when the class is made
