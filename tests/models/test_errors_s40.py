"""A misspelled choice of a plasticity trace gets the close match, session 40."""
import pytest

import brainbatch as bb


def test_a_misspelled_trace_mode_names_the_mode_it_means():
    with pytest.raises(ValueError, match=r"Trace mode must be 'add' \(all-to-all\) or 'set' \(nearest spike\), "
                                         r"got 'sett'. Did you mean 'set'\?$"):
        bb.Trace(20.0, 0.1, "sett")
    with pytest.raises(ValueError, match=r"got 3$"):  # not text: no guess
        bb.Trace(20.0, 0.1, 3)


def test_nmda_like_the_other_saturating_synapses_is_refused_where_its_state_would_be_per_postsynaptic_neuron():
    # NMDA's docstring: "a projection must keep one NMDA state per presynaptic neuron" (g saturates); a Projection
    # kept one per postsynaptic neuron, fed by all its synapses, silently (AMPA and the others were refused), and
    # Pathways kept every such synapse so
    pre, post = bb.LifRef(3), bb.LifRef(2)
    with pytest.raises(TypeError, match=r"Projection: NMDA keeps one state per presynaptic neuron .*"
                                        r"bb\.AlignPreProjection\(pre, post, conn, bb\.NMDA\(\), out, weight=w\)"):
        bb.Projection(pre, post, bb.AllToAll(), bb.NMDA(), bb.MgBlock(E=0.0), weight=0.1)
    assert bb.AlignPreProjection(pre, post, bb.AllToAll(), bb.NMDA(), bb.MgBlock(E=0.0), weight=0.1).syn.g.shape == (3,)
    groups = {"E": bb.LifRef(4), "I": bb.LifRef(2)}
    conn = [[bb.FixedTotalNumber(4), bb.FixedTotalNumber(2)], [bb.FixedTotalNumber(2), None]]
    for syn in (bb.NMDA(), bb.AMPA()):
        with pytest.raises(TypeError, match=rf"Pathways: {type(syn).__name__} keeps one state per presynaptic neuron"):
            bb.Pathways(groups, groups, conn, syn, bb.COBA(E=0.0), weight=0.1, delay=1.0)
