"""Recorded synaptic states carry their unit (issue 23 item 5): the unit of the weights spikes add to."""
import brainbatch as bb


def _pair(n=3):
    return bb.LifRef(n), bb.LifRef(n)


def test_a_conductance_is_relative_to_the_leak_and_a_current_in_mV_or_pA():
    pre, post = _pair()
    coba = bb.Projection(pre, post, bb.AllToAll(), bb.Exponential(tau=5.0), bb.COBA(E=0.0), weight=0.6)
    assert coba.syn.g.units == "1"
    pre, post = _pair()
    cuba = bb.Projection(pre, post, bb.AllToAll(), bb.Alpha(tau=2.0), bb.CUBA(), weight=0.5)
    assert cuba.syn.g.units == "mV" and cuba.syn.h.units == "mV"
    pre, post = bb.LifRef(3), bb.LifRef(3, C_m=250.0)
    pa = bb.Projection(pre, post, bb.AllToAll(), bb.Exponential(tau=0.5), bb.CUBA(), weight=87.8)
    assert pa.syn.g.units == "pA"
    cuba.syn.reset_state(batch_size=2)  # a new state keeps its unit
    assert cuba.syn.g.units == "mV" and cuba.syn.g.value.shape == (2, 3)


def test_nmda_gating_is_a_fraction_whatever_the_weight():
    pre, post = _pair()
    nmda = bb.AlignPreProjection(pre, post, bb.AllToAll(), bb.NMDA(), bb.COBA(E=0.0), weight=0.1)
    assert nmda.syn.g.units == "1" and nmda.syn.x.units == "1"


def test_pathways_states_carry_the_weights_unit():
    groups = {"E": bb.LifRef(4, C_m=250.0), "I": bb.LifRef(2, C_m=250.0)}
    conn = [[bb.FixedTotalNumber(4), bb.FixedTotalNumber(2)], [bb.FixedTotalNumber(2), None]]
    paths = bb.Pathways(groups, groups, conn, bb.Exponential(tau=0.5), bb.CUBA(), weight=87.8, delay=1.0)
    assert {name: s.g.units for name, s in paths.syn.items()} == {"E": "pA", "I": "pA"}
