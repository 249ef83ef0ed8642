"""BrainPy 2.8.2's ion-free Hodgkin-Huxley-family channels (Traub-Miles, Bazhenov, Huguenard-McCormick,
Yamada, the leaks): a step current into small groups of each gives BrainPy's V and gates, and bad
parameters are refused.

Reference numbers: tests/brainpy/reference/hh_channels_bp282.py (``traces``, BrainPy 2.8.2): dt 0.05 ms,
600 steps, 3 neurons per group, a constant current per neuron from t = 0 with the gates starting at their
steady state for V0. Literal values at steps 59, 199, 599 (V) and 199 (gates), and the spike steps.
Tolerances: float32 rounding along 600 steps differs with the order of operations; the largest difference
seen is 4e-4 mV in V (on a spike's upstroke) and 1.3e-5 in a gate, so 5e-3 mV and 1e-4.
"""
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.core.units import UnitMismatch

TM_V = {59: [-65.81549, -46.27537, -83.60576], 199: [-57.05604, -61.86156, -74.71834], 599: [-60.54697, -55.27007, -55.07024]}
TM_GATES_199 = {'INa.p': [0.04486551, 0.01690471, 0.0009438968], 'INa.q': [0.9919872, 0.9804237, 0.8051556], 'IK.p': [0.06952035, 0.02641194, 0.1257561]}
TM_SPIKES = [[242], [65, 250, 435], [28, 146, 264, 381, 499]]
BA_V = {59: [-68.37641, -58.91156, -46.69379], 199: [-65.68493, -48.7564, -68.31383], 599: [-62.4781, -55.3319, -3.221128]}
BA_GATES_199 = {'INa.p': [0.0004477611, 0.01813059, 0.000206117], 'INa.q': [0.9999387, 0.9980257, 0.7970986], 'IK.p': [0.001972827, 0.02859367, 0.1636288]}
BA_SPIKES = [[], [332], [106, 339, 572]]
HM_V = {59: [-83.59854, -76.27206, -50.42265], 199: [-72.60657, -70.48631, -71.62632], 599: [-67.52951, -64.81715, -60.63414]}
HM_GATES_199 = {'INa.p': [0.000284985, 0.0004677245, 0.0003379002], 'INa.q': [0.9997972, 0.9992809, 0.9251258], 'IK.p': [0.001491861, 0.002369813, 0.05642985], 'IA1.p': [0.1667717, 0.2034308, 0.3149518], 'IA1.q': [0.5791379, 0.3065547, 0.06246773], 'IA2.p': [0.1067249, 0.1173566, 0.1883668], 'IA2.q': [0.7798297, 0.5213274, 0.1200914], 'IK2A.p': [0.118713, 0.1638141, 0.2762194], 'IK2A.q': [0.9247184, 0.8306479, 0.5915399], 'IK2B.p': [0.1466814, 0.2039288, 0.335733], 'IK2B.q': [0.7323376, 0.640956, 0.3517843], 'INI.p': [0.2670317, 0.2981872, 0.4456616], 'Ih.p': [0.07951911, 0.04822449, 0.009819514]}
HM_SPIKES = [[27], [37], [133]]

V0 = {"tm": [-70.0, -65.0, -60.0], "ba": [-70.0, -65.0, -60.0], "hm": [-85.0, -75.0, -62.0]}
CURRENT = {"tm": [1.0, 4.0, 8.0], "ba": [1.0, 3.0, 6.0], "hm": [2.0, 6.0, 12.0]}
REF = {"tm": (TM_V, TM_GATES_199, TM_SPIKES), "ba": (BA_V, BA_GATES_199, BA_SPIKES),
       "hm": (HM_V, HM_GATES_199, HM_SPIKES)}


def _groups():
    n = 3
    tm = bb.CondNeuGroup(n, V_initializer=jnp.asarray(V0["tm"]), INa=bb.INa_TM1991(n, g_max=100., V_sh=-63.),
                         IK=bb.IK_TM1991(n, g_max=30., V_sh=-63.), IL=bb.IL(n, E=-60., g_max=0.05))
    ba = bb.CondNeuGroupLTC(n, V_initializer=jnp.asarray(V0["ba"]), INa=bb.INa_Ba2002(n, T=30.),
                            IK=bb.IKDR_Ba2002(n, T=30.), IKL=bb.IKL(n, g_max=0.02), IL=bb.IL(n, E=-70., g_max=0.05))
    hm = bb.CondNeuGroup(n, V_initializer=jnp.asarray(V0["hm"]), INa=bb.INa_TM1991(n, g_max=100., V_sh=-55.),
                         IK=bb.IK_TM1991(n, g_max=20., V_sh=-55.), IA1=bb.IKA1_HM1992(n, g_max=3., phi_q=2.),
                         IA2=bb.IKA2_HM1992(n, g_max=2., V_sh=5.), IK2A=bb.IKK2A_HM1992(n, g_max=1.),
                         IK2B=bb.IKK2B_HM1992(n, g_max=1., V_sh=-5.), INI=bb.IKNI_Ya1989(n, g_max=0.5, tau_max=100.),
                         Ih=bb.Ih_HM1992(n, g_max=0.5, phi=2.), IL=bb.IL(n, E=-70., g_max=0.05))
    return bb.Network(tm=tm, ba=ba, hm=hm)


@pytest.fixture(scope="module")
def traces():
    monitors = [f"{g}.{v}" for g in REF for v in ("V", "spike", *REF[g][1])]
    return bb.Runner(_groups(), monitors=monitors, dt=0.05, progress_bar=False,
                     inputs=[(f"{g}.input", np.asarray(CURRENT[g], np.float32)) for g in REF]).run(30.0)


@pytest.mark.parametrize("group", list(REF))
def test_a_step_current_gives_brainpys_V_gates_and_spikes(traces, group):
    V_ref, gates_ref, spikes_ref = REF[group]
    V = np.asarray(traces[f"{group}.V"])
    for step, ref in V_ref.items():
        np.testing.assert_allclose(V[step], ref, atol=5e-3, err_msg=f"{group}.V at step {step}")
    for gate, ref in gates_ref.items():
        np.testing.assert_allclose(np.asarray(traces[f"{group}.{gate}"])[199], ref, atol=1e-4, err_msg=gate)
    spikes = np.asarray(traces[f"{group}.spike"])
    assert [np.flatnonzero(spikes[:, k]).tolist() for k in range(3)] == spikes_ref


def test_temperature_factors_follow_brainpy():
    # INa_Ba2002: phi = 3 ** ((T - 36) / 10); IKDR_Ba2002: T_base ** ((T - 36) / 10) unless phi is given
    assert float(bb.INa_Ba2002(1, T=46.).phi) == pytest.approx(3.0)
    assert float(bb.IKDR_Ba2002(1, T=26., T_base=2.).phi) == pytest.approx(0.5)
    assert float(bb.IKDR_Ba2002(1, T=26., phi=1.5).phi) == 1.5


def test_gates_are_zero_until_the_group_resets_them():
    ch = bb.IKA1_HM1992(2)
    assert np.all(np.asarray(ch.p.value) == 0) and np.all(np.asarray(ch.q.value) == 0)
    ch.reset_state(jnp.asarray([-80.0, -40.0]))
    np.testing.assert_allclose(np.asarray(ch.q.value), np.asarray(ch.f_q_inf(jnp.asarray([-80.0, -40.0]))))


@pytest.mark.parametrize("build, match", [
    (lambda: bb.INa_TM1991(2, g_max=-1.0), "g_max must be >= 0"),
    (lambda: bb.IK_TM1991(2, phi=0.0), "phi must be > 0"),
    (lambda: bb.IKDR_Ba2002(2, T_base=-3.0), "T_base must be > 0"),
    (lambda: bb.IKA2_HM1992(2, phi_q=-1.0), "phi_q must be > 0"),
    (lambda: bb.IKNI_Ya1989(2, tau_max=0.0), "tau_max must be > 0"),
    (lambda: bb.Ih_HM1992(2, E=float("nan")), "E must be finite"),
    (lambda: bb.IKL(2, g_max=-0.1), "g_max must be >= 0"),
])
def test_bad_parameters_are_refused(build, match):
    with pytest.raises(ValueError, match=match):
        build()


def test_parameters_take_quantities_in_their_declared_units():
    import brainunit as u

    ch = bb.IK_TM1991(2, g_max=30 * u.mS / u.cm ** 2, V_sh=-0.063 * u.volt)
    assert (float(ch.g_max), float(ch.V_sh)) == (30.0, pytest.approx(-63.0))
    assert float(bb.IKNI_Ya1989(1, tau_max=0.1 * u.second).tau_max) == pytest.approx(100.0)
    with pytest.raises(UnitMismatch, match="tau_max takes a time"):
        bb.IKNI_Ya1989(1, tau_max=5 * u.mV)


def test_a_gated_channel_subclass_missing_part_of_its_contract_is_named_before_it_runs():
    class NoTau(bb.GatedChannel):
        gates, kinetics = {"n": 4}, "relax"

        def f_n_inf(self, V):
            return 0.5

    with pytest.raises(TypeError, match=r"gate 'n' with kinetics 'relax' needs .* missing \['f_n_tau'\]"):
        NoTau(2)

    class NoConductance(NoTau):
        def __init__(self, size):
            super().__init__(size)
            self.phi = 1.0

        def f_n_tau(self, V):
            return 1.0

    with pytest.raises(TypeError, match=r"NoConductance has no E or g_max: call self.set_conductance"):
        NoConductance(2).reset_state(jnp.zeros(2))

    class NoPhi(NoConductance):
        def __init__(self, size):
            bb.GatedChannel.__init__(self, size)
            self.set_conductance(-90.0, 10.0)

    with pytest.raises(TypeError, match=r"NoPhi has no phi"):
        NoPhi(2).reset_state(jnp.zeros(2))
