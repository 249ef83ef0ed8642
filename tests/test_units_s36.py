"""Units, session 36: what a COBA weight is in, for each kind of group, and the hint a refused conductance gets.

A COBA current is ``g * (E - V)`` added to the group's synaptic current, so ``g`` is in that current's unit per mV.
The expected slopes come from the membrane equations themselves (``tau dV/dt = -(V - V_rest) + R I`` with
``R = tau / C_m``; HH's ``C dV/dt = ... + I`` in uA/cm^2, Hodgkin & Huxley 1952), not from brainbatch.
"""

import brainunit as u
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.core.units import UnitMismatch, conductance_units, in_units_of
from brainbatch.sweep.quantities import range_in_unit, values_in_unit

DT = 0.01  # ms


@pytest.fixture(scope="module")
def slopes():
    """dV (mV) over one step of DT from a constant COBA conductance of plain weight W (E = 0 mV), minus the same
    group's step without it, for a LIF, a LIF given C_m and an HH: one compiled run for all three."""
    W = 0.1
    groups = {"lif": bb.LIF(2, tau=20.0, V_rest=-60.0, V_th=100.0, V_initializer=-60.0),
              "cm": bb.LIF(2, tau=20.0, C_m=200.0, V_rest=-60.0, V_th=100.0, V_initializer=-60.0),
              "hh": bb.HH(2, V_initializer=bb.Constant(-65.0))}
    src = bb.SpikeTimeGroup(1, indices=[0], times=[0.0])
    nodes = {"src": src, **groups}
    for name, g in groups.items():  # neuron 0 gets the conductance, neuron 1 is the same group without it
        nodes[f"p_{name}"] = bb.Projection(src, g, bb.Explicit([0], [0]), bb.Exponential(1e9), bb.COBA(E=0.0),
                                           weight=W)
    out = bb.Runner(bb.Network(**nodes), monitors=[f"{n}.V" for n in groups], dt=DT).run(3 * DT)
    result = {}
    for name in groups:
        V = np.asarray(out[f"{name}.V"], np.float64)
        # the conductance is on from step 1: the step's change with it, minus the change without it
        result[name] = ((V[2, 0] - V[1, 0]) - (V[2, 1] - V[1, 1]), V[1, 0])
    return W, result


def test_a_plain_coba_weight_is_relative_to_the_leak_nS_with_C_m_and_mS_per_cm2_onto_hh(slopes):
    W, result = slopes
    dv, V = result["lif"]  # tau dV/dt = W (E - V): W in units of the leak conductance
    assert dv == pytest.approx(W * (0.0 - V) / 20.0 * DT, rel=0.02)
    dv, V = result["cm"]  # C_m dV/dt = g (E - V), g in nS: pA / pF = mV/ms
    assert dv == pytest.approx(W * (0.0 - V) / 200.0 * DT, rel=0.02)
    dv, V = result["hh"]  # C dV/dt = g (E - V) with C = 1 uF/cm^2: g in mS/cm^2
    assert dv == pytest.approx(W * (0.0 - V) / 1.0 * DT, rel=0.02)


def test_conductance_units_is_the_current_unit_per_mV():
    assert conductance_units("mV") == "1"  # R * I in mV: relative to the leak
    assert conductance_units("pA") == "nS"
    assert conductance_units("uA/cm^2") == "mS / cm^2"
    assert conductance_units("mV/ms") == "1 / ms"
    assert conductance_units("nA") == "uS"
    assert conductance_units("") == ""


def test_a_refused_conductance_weight_gets_the_number_to_write_for_each_kind_of_group():
    # the hint told a group given C_m to divide by g_L (0.6 nS -> 0.06), a conductance g_L times too small there:
    # a plain number onto such a group is nS (the first test), so 0.6 nS is 0.6
    with pytest.raises(UnitMismatch) as err:
        in_units_of("weight", 0.6 * u.nS, "1", "Projection")
    text = str(err.value)
    assert text.startswith("Projection: weight takes a plain number (1), got 0.6 nS (a conductance): a COBA weight "
                           "is a conductance relative to the leak, g / g_L")
    assert "onto a LIF given C_m (pF), whose currents are in pA, it is in nS (0.6 nS is 0.6), and a quantity is taken there as it is" in text
    assert "C_m = 200 pF" not in text
    with pytest.raises(UnitMismatch, match=r"got 1.0 S / m\^2 \(a conductance density\): a COBA weight onto a group "
                                           r"whose currents are densities .* plain number of mS/cm\^2 "
                                           r"\(1.0 S / m\^2 is 0.1\)$"):
        in_units_of("weight", 1 * u.siemens / u.meter**2, "1", "Projection")
    # a projection onto HH takes it (its COBA weight is in mS/cm^2 there: tests/models/test_weight_units_s36.py)
    proj = bb.Projection(bb.HH(1), bb.HH(1), bb.AllToAll(), bb.Exponential(5 * u.ms), bb.COBA(E=0 * u.mV),
                         weight=0.1 * u.mS / u.cm**2)
    assert float(proj._weight.value) == pytest.approx(0.1, rel=1e-7)


def test_reciprocal_units_are_read_with_a_space_before_their_1():
    # how a value in a reciprocal unit is written so that its number stays whole (Range.text() wrote
    # "0.051 / mV" for 0.05 per mV: read as 0.051)
    assert values_in_unit("c", ["0.05 1/mV", "70 1/V"], u.mV ** -1)[0] == [0.05, 0.07]
    assert range_in_unit("c", "0.05 1 / mV:0.1 1 / mV", u.mV ** -1)[0] == "0.05:0.1"
    assert range_in_unit("c", "0.05:0.1 1/mV", u.mV ** -1)[0] == "0.05:0.1"


def test_a_range_with_a_unit_keeps_its_bounds_through_its_text():
    # Range.text() wrote "0.051 / mV:0.11 / mV" for 0.05 to 0.1 per mV (a sweep sampled 0.051 to 0.11) and kept six
    # digits (0.0123456789 s to 0.0123457 s: "low must be below high"); the plan reads the Range through that text
    from brainbatch.sweep.ranges import Range

    for rng, unit, want in ((Range(0.05 / u.mV, 0.1 / u.mV), u.mV ** -1, "0.05:0.1"),
                            (Range(2 / u.mV, 3 / u.mV), u.mV ** -1, "2:3"),
                            (Range(0.0123456789 * u.second, 0.0123457 * u.second), u.ms, "12.3456789:12.3457"),
                            (Range(10 * u.ms, 0.03 * u.second), u.ms, "10:30")):
        assert range_in_unit("c", rng.text(), unit)[0] == want, rng
    assert Range(10 * u.ms, 0.03 * u.second).text() == "10ms:30ms" and Range(0.4, 0.8).text() == "0.4:0.8"
