"""Channel-based neurons: BrainPy 2.8.2's numbers, the same equations as brainbatch's HH, the step's
order (gates with the step-start V, synaptic currents held or linearised), traced parameters, errors.

Reference numbers: bench/brainpy_ported_references.py (BrainPy 2.8.2), section "hh_channels".
"""
import math

import numpy as np
import pytest

import brainbatch as bb
from brainbatch.run import Simulation, normalize_inputs, normalize_monitors

# V (mV) of one neuron of hh_model.py's HH (INa_HH1952, IK_HH1952 at their defaults, IL(E=-54.387,
# g_max=0.03)), V0 = -65 mV, gates at their steady state, input 10 for 100 ms; the same for the LTC class.
BRAINPY_V = {0: -64.10714721679688, 9: -55.113731384277344, 49: -45.02090835571289, 99: -73.99589538574219,
             199: -82.80164337158203, 499: -52.1719970703125, 999: 45.14163589477539}
BRAINPY_SPIKES = 9


def hh(cls, n=1, **kw):
    return cls(n, V_initializer=bb.Constant(-65.0), INa=bb.INa_HH1952(n), IK=bb.IK_HH1952(n),
               IL=bb.IL(n, E=-54.387, g_max=0.03), **kw)


@pytest.mark.parametrize("cls", [bb.CondNeuGroup, bb.CondNeuGroupLTC])
def test_hh_from_channels_gives_brainpys_trace(cls):
    out = bb.Runner(hh(cls), monitors=["V", "spike"], inputs=("input", 10.0), progress_bar=False).run(100.0)
    V = np.asarray(out["V"])[:, 0]
    assert int(np.asarray(out["spike"]).sum()) == BRAINPY_SPIKES
    for step, ref in BRAINPY_V.items():
        assert abs(V[step] - ref) < 2e-3, (step, V[step], ref)  # float32 rounding along 1000 steps


def test_channels_with_classic_parameters_are_brainbatchs_hh():
    group = bb.CondNeuGroup(3, V_initializer=bb.Constant(-65.0), INa=bb.INa_HH1952(3),
                            IK=bb.IK_HH1952(3, E=-77.0, g_max=36.0), IL=bb.IL(3, E=-54.387, g_max=0.03))
    ref = bb.HH(3, V_initializer=bb.Constant(-65.0))
    net = bb.Network(a=group, b=ref)
    out = bb.Runner(net, monitors=["a.V", "b.V", "a.INa.p", "b.m"], inputs=[("a.input", 8.0), ("b.input", 8.0)],
                    progress_bar=False).run(50.0)
    # same equations and the same step (gates advance with the step-start V): only rounding differs
    np.testing.assert_allclose(np.asarray(out["a.V"]), np.asarray(out["b.V"]), atol=5e-3)
    np.testing.assert_allclose(np.asarray(out["a.INa.p"]), np.asarray(out["b.m"]), atol=1e-4)


def test_a_reset_starts_the_gates_at_their_steady_state_for_V():
    import jax

    g = bb.CondNeuGroup(50, INa=bb.INa_HH1952(50), IK=bb.IK_HH1952(50))  # V uniform in [-70, -60)
    net = bb.Network(g=g)
    with bb.environment(key=jax.random.key(1), dt=0.1):
        net.reset()  # what a run does first: every node's reset_state, channels routed to the group's V
    V0 = np.asarray(g.V.value)
    for ch, gate, alpha, beta in ((g.INa, "p", "f_p_alpha", "f_p_beta"), (g.INa, "q", "f_q_alpha", "f_q_beta"),
                                  (g.IK, "p", "f_p_alpha", "f_p_beta")):
        a, b = np.asarray(getattr(ch, alpha)(V0)), np.asarray(getattr(ch, beta)(V0))
        np.testing.assert_allclose(np.asarray(getattr(ch, gate).value), a / (a + b), rtol=1e-5)
    assert np.ptp(V0) > 1.0  # the initial V is drawn per neuron


@pytest.mark.parametrize("V_sh", [-45.0, -50.0])
def test_the_gates_steady_states_are_the_eager_values_bit_for_bit(V_sh):
    # a channel's reset computes its steady states as one compiled program per shape
    # (core.transforms.eager_exact): the values of the rate methods run op by op, bit for bit, on a grid
    # dense around the rates' removable 0/0 (alpha_p of INa at V = V_sh + 5, of IK at V = V_sh - 10)
    import jax.numpy as jnp

    near = [np.float32(V_sh + d) + np.arange(-2000, 2001, dtype=np.float32) * np.float32(1e-5) for d in (5.0, -10.0)]
    V = jnp.asarray(np.concatenate([np.linspace(-120.0, 60.0, 4001, dtype=np.float32), *near]))
    na, k = bb.INa_HH1952(V.size, V_sh=V_sh), bb.IK_HH1952(V.size, V_sh=V_sh)
    na.reset_state(V)
    k.reset_state(V)
    for ch, gate in ((na, "p"), (na, "q"), (k, "p")):
        a, b = getattr(ch, f"f_{gate}_alpha")(V), getattr(ch, f"f_{gate}_beta")(V)
        eager = np.asarray(a / (a + b))  # op by op, outside any trace
        np.testing.assert_array_equal(np.asarray(getattr(ch, gate).value).view(np.int32), eager.view(np.int32))


def test_a_channel_that_overrides_its_rates_starts_at_its_own_steady_state():
    import jax.numpy as jnp

    class Slow(bb.INa_HH1952):
        def f_q_beta(self, V):
            return 0.5 * super().f_q_beta(V)

    V = jnp.asarray([-70.0, -65.0, -40.0])
    slow, base = Slow(3), bb.INa_HH1952(3)
    slow.reset_state(V)
    base.reset_state(V)
    np.testing.assert_array_equal(np.asarray(slow.p.value), np.asarray(base.p.value))
    a, b = np.asarray(slow.f_q_alpha(V)), np.asarray(slow.f_q_beta(V))
    np.testing.assert_allclose(np.asarray(slow.q.value), a / (a + b), rtol=1e-6)
    assert np.all(np.asarray(slow.q.value) > np.asarray(base.q.value))


def _one_step(cls, g_syn, V0=-60.0, dt=0.1):
    group = cls(1, V_initializer=bb.Constant(V0), IL=bb.IL(1, E=-70.0, g_max=0.1))
    group.add_inp_fun("syn", lambda V: g_syn * (0.0 - V))
    with bb.environment(dt=dt):
        group.reset()
        group.update()
    return float(group.V.value[0])


def test_synaptic_current_is_held_in_condneugroup_and_linearised_in_the_ltc_class():
    g_syn, V0, dt, gL, EL = 2.0, -60.0, 0.1, 0.1, -70.0
    f = gL * (EL - V0) + g_syn * (0.0 - V0)
    held = V0 + f * math.expm1(-gL * dt) / -gL           # only the channels' conductance linearised
    ltc = V0 + f * math.expm1(-(gL + g_syn) * dt) / -(gL + g_syn)
    assert _one_step(bb.CondNeuGroup, g_syn) == pytest.approx(held, abs=1e-4)
    assert _one_step(bb.CondNeuGroupLTC, g_syn) == pytest.approx(ltc, abs=1e-4)


def test_traced_conductances_under_a_sweep():
    def build(p):
        return bb.CondNeuGroup(2, V_initializer=bb.Constant(-65.0), INa=bb.INa_HH1952(2),
                               IK=bb.IK_HH1952(2, g_max=p["gK"]), IL=bb.IL(2, E=-54.387, g_max=0.03))

    sim = Simulation(build, normalize_monitors(["spike"]), normalize_inputs([("input", 10.0)]), dt=0.1)
    _, recs = sim.run([0, 0], {"gK": np.array([10.0, 36.0], np.float32)}, 1000, keep=True)
    counts = np.asarray(recs["spike"]).sum(axis=(1, 2)) / 2
    assert counts[0] == BRAINPY_SPIKES and counts[1] != counts[0]


def test_bad_channel_arguments():
    with pytest.raises(ValueError, match="channel 'IK' has 3 elements but the group"):
        bb.CondNeuGroup(2, IK=bb.IK_HH1952(3))
    with pytest.raises(TypeError, match="channel 'IK' must be an IonChannel"):
        bb.CondNeuGroup(2, IK=bb.LIF(2))
    with pytest.raises(ValueError, match="noise must be >= 0"):
        bb.CondNeuGroup(2, noise=-0.1)
    with pytest.raises(ValueError, match="g_max must be >= 0"):
        bb.INa_HH1952(2, g_max=-1.0)
