"""Units of what reaches a conductance group, of a projection's stored weights and traces, of a plasticity
rule's amplitudes and bounds, and of a monitor's ``every`` (session 34).

References: BrainPy 2.8.2's ``CondNeuGroupLTC.update`` scales its input by ``x * 1e-3 / A`` (``A`` in cm²) into
the density its channels' currents are in (``g_max`` mS/cm² times mV: µA/cm²), so the input is in nA;
``CondNeuGroup``/``CondNeuGroupLTC`` add synaptic currents unscaled, as densities. Brian2's Song 2000 example
(examples/synapses/STDP.py) writes ``Apre += dApre`` and ``w = clip(w + Apre, 0, gmax)`` with ``dApre = 0.01
gmax``: the traces and amplitudes are in the weight's unit; its Vogels 2011 example writes ``Apre += 1.`` and
``w = clip(w + (Apost - alpha) * eta, 0, gmax)``: counting traces, ``eta`` in the weight's unit.
"""
import brainunit as u
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.core.units import UnitMismatch


def _one_euler_step(x, A):
    g = bb.CondNeuGroupLTC(1, A=A, V_initializer=bb.Constant(-65.0), method="euler", IL=bb.IL(1, g_max=0.0))
    with bb.environment(dt=0.1):
        bb.for_loop(lambda i: g.step_run(i, x), jnp.arange(1), dyn_vars=g)
    return float(g.V.value[0])


def test_a_conductance_groups_input_is_a_current_in_nA_scaled_by_its_area():
    g = bb.CondNeuGroupLTC(2, IL=bb.IL(2))
    assert g.input.units == "nA" and bb.CondNeuGroup(2, IL=bb.IL(2)).input.units == "nA"
    with pytest.raises(UnitMismatch, match=r"^CondNeuGroupLTC: x takes a current \(nA\), got 10 mV \(a potential\)$"):
        g.update(10 * u.mV)
    # BrainPy: C dV/dt = x * 1e-3 / A; 10 nA on A = 2e-3 cm^2 is 5 uA/cm^2, C = 1 uF/cm^2: 0.5 mV in 0.1 ms
    assert _one_euler_step(10 * u.nA, 2e-3) == pytest.approx(-65.0 + 0.5, abs=1e-5)
    assert _one_euler_step(0.01 * u.uA, 2e-3) == _one_euler_step(10.0, 2e-3)


def test_a_cuba_weight_onto_a_conductance_group_is_a_current_density():
    pre = bb.LifRef(2)
    post = bb.CondNeuGroupLTC(3, IL=bb.IL(3))
    proj = bb.Projection(pre, post, bb.AllToAll(), bb.Exponential(5.0), bb.CUBA(), weight=2 * u.uA / u.cm**2)
    assert proj._weight.value == 2.0 and proj.syn.g.units == "uA/cm^2"
    with pytest.raises(UnitMismatch, match=r"weight takes a current density \(uA / cm\^2\), got 1 mV"):
        bb.Projection(pre, post, bb.AllToAll(), bb.Exponential(5.0), bb.CUBA(), weight=1 * u.mV)
    # a Delta onto input adds to what is scaled by 1e-3 / A: a current in nA
    delta = bb.Projection(pre, post, bb.AllToAll(), bb.Delta("input"), weight=0.002 * u.uA)
    assert delta._weight.value == 2.0


def test_static_per_synapse_weights_carry_the_weights_unit():
    pre, post = bb.LifRef(3), bb.LifRef(3)
    cuba = bb.Projection(pre, post, bb.AllToAll(), bb.Exponential(5.0), bb.CUBA(),
                         weight=bb.Uniform(0.1 * u.mV, 0.3 * u.mV))
    coba = bb.Projection(pre, post, bb.AllToAll(), bb.Exponential(5.0), bb.COBA(E=0.0), weight=bb.Uniform(0.1, 0.3))
    assert (cuba.weights.units, coba.weights.units) == ("mV", "1")
    groups = {"E": bb.LifRef(4, C_m=250.0), "I": bb.LifRef(2, C_m=250.0)}
    paths = bb.Pathways(groups, groups, [[bb.FixedTotalNumber(4), None], [None, bb.FixedTotalNumber(2)]],
                        bb.Exponential(tau=0.5), bb.CUBA(), weight=87.8, delay=1.0)
    assert (paths.weights.units, paths.pending.units) == ("pA", "pA")


def test_stdp_traces_are_in_the_weights_unit_and_counting_traces_are_counts():
    pre, post = bb.LifRef(3), bb.LifRef(3)

    def units(rule, out=bb.CUBA()):
        proj = bb.Projection(pre, post, bb.AllToAll(), bb.Exponential(5.0), out, weight=0.5, plasticity=rule)
        return {n: getattr(proj, n).units for n in ["w", *proj.plasticity.trace_names()]}

    assert units(bb.STDP()) == {"w": "mV", "apre": "mV", "apost": "mV"}
    assert units(bb.STDP(), bb.COBA(E=0.0)) == {"w": "1", "apre": "1", "apost": "1"}
    assert units(bb.Vogels2011()) == {"w": "mV", "apre": "1", "apost": "1"}
    assert units(bb.TripletSTDP()) == {"w": "mV", "r1": "1", "r2": "1", "o1": "1", "o2": "1"}


def _plastic(rule, post=None, out=None, weight=0.5):
    return bb.Projection(bb.LifRef(3), post or bb.LifRef(3), bb.AllToAll(), bb.Exponential(5.0), out or bb.CUBA(),
                         weight=weight, plasticity=rule).plasticity


def test_stdp_amplitudes_and_bounds_take_the_weights_unit():
    # Brian2's Song 2000 in a CUBA weight's mV: dApre = 0.01 gmax, dApost = -1.05 dApre, w in [0, gmax]
    gmax = 5 * u.mV
    rule = bb.STDP(dApre=0.01 * gmax, dApost=-1.05 * 0.01 * gmax, w_max=gmax)
    assert rule.w_max == gmax  # kept as given until a projection gives the weight's unit
    plain = _plastic(bb.STDP(dApre=0.05, dApost=-0.0525, w_max=5.0))
    converted = _plastic(rule)
    assert (converted.dApre, converted.dApost, converted.w_max) == pytest.approx((0.05, -0.0525, 5.0))
    assert converted.pre_traces["apre"].jump == pytest.approx(0.05)
    np.testing.assert_allclose(np.asarray(converted.pair_params(0.1), np.float64),
                               np.asarray(plain.pair_params(0.1), np.float64), rtol=1e-12)
    assert _plastic(bb.STDP(w_max=0.005 * u.volt, dApre=50 * u.uvolt)).w_max == 5.0
    # onto a LIF given C_m the weight is a current in pA
    assert _plastic(bb.STDP(w_max=0.1 * u.nA), post=bb.LifRef(3, C_m=250.0), weight=10.0).w_max == pytest.approx(100.0)
    # a plain number keeps meaning the weight's unit, and a rule without quantities is used as it is
    rule = bb.STDP(w_max=5.0)
    assert _plastic(rule) is rule


def test_plasticity_amplitudes_of_the_wrong_unit_are_refused_by_name():
    with pytest.raises(UnitMismatch, match=r"^STDP on projection .*: w_max takes a potential \(mV\), got 5 nS"):
        _plastic(bb.STDP(w_max=5 * u.nS))
    with pytest.raises(UnitMismatch, match=r"^STDP on projection .*: dApre takes a plain number \(1\), got 0.01 mV "
                                           r"\(a potential\)$"):
        _plastic(bb.STDP(dApre=0.01 * u.mV), out=bb.COBA(E=0.0))
    with pytest.raises(UnitMismatch, match=r"^STDP on projection .*: w_max takes a plain number \(1\), got 1 nS.*"
                                           r"a COBA weight is a conductance relative to the leak"):
        _plastic(bb.STDP(w_max=1 * u.nS), out=bb.COBA(E=0.0))
    with pytest.raises(UnitMismatch, match=r"^STDP: w_max takes a potential \(mV\), got 5 nS .*w_max and dApre are "
                                           r"both in the unit of the projection's weight"):
        bb.STDP(dApre=0.01 * u.mV, w_max=5 * u.nS)
    # bounds given in two units are compared in one: 6 mV > 5 mV
    with pytest.raises(ValueError, match=r"w_min must be <= w_max, got w_min=6.0 > w_max=5.0 \(the values in mV\)"):
        bb.STDP(w_min=6 * u.mV, w_max=0.005 * u.volt)
    # the start weight is checked against the converted bounds
    with pytest.raises(ValueError, match=r"start weight 3.0 lies outside the bounds of STDP, \[w_min, w_max\] = \[0, 2\]"):
        _plastic(bb.STDP(w_max=2 * u.mV), weight=3 * u.mV)


def test_triplet_vogels_and_user_rules_take_the_weights_unit():
    triplet = _plastic(bb.TripletSTDP(A2p=5e-10 * u.mV, A3p=6.2e-3 * u.mV, A2m=7e-6 * u.volt, A3m=2.3e-4 * u.mV,
                                      w_max=2 * u.mV))
    assert (triplet.A2p, triplet.A3p, triplet.A2m, triplet.A3m, triplet.w_max) == pytest.approx(
        (5e-10, 6.2e-3, 7e-3, 2.3e-4, 2.0))
    vogels = _plastic(bb.Vogels2011(eta=1e-5 * u.volt, w_max=2 * u.mV))
    assert (vogels.eta, vogels.w_max, vogels.alpha) == pytest.approx((1e-2, 2.0, 0.12))
    assert _plastic(bb.Rule(w_max=2 * u.mV)).w_max == 2.0


def test_a_monitors_every_counts_steps_and_a_time_is_refused_with_its_count():
    with pytest.raises(UnitMismatch, match=r"^Monitor every counts steps of dt \(an integer >= 1\), not a time: got 1 ms; "
                                           r"to record every 1 ms give every = 1 ms / dt \(every=10 at dt = 0.1 ms\)$"):
        bb.Monitor("E.V", every=1 * u.ms)
    with bb.environment(dt=0.05), pytest.raises(UnitMismatch, match=r"every=20 at dt = 0.05 ms"):
        bb.Monitor("E.V", every=1 * u.ms)
    with pytest.raises(UnitMismatch, match=r"^Monitor every counts steps of dt \(an integer >= 1\), got 5 mV$"):
        bb.Monitor("E.V", every=5 * u.mV)
    assert bb.Monitor("E.V", every=10).every == 10
