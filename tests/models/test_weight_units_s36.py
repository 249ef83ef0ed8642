"""Units, session 36: a COBA (or MgBlock) weight is a conductance in the unit of its target group's synaptic current per
mV, and everything summing it (``g``, per-synapse ``weights``/``w``, STDP's traces and bounds) is labelled and converted
in that unit.

A COBA current ``g * (E - V)`` is added to the group's synaptic current, so ``g`` is that current's unit per mV: relative
to the leak onto a LIF without ``C_m`` (``tau dV/dt = ... + R I``, ``R I`` in mV), nS onto a LIF given ``C_m`` (pA / mV),
mS/cm^2 onto HH-type groups (uA/cm^2 / mV, Hodgkin & Huxley 1952), 1/ms onto Izhikevich (mV/ms / mV). It was labelled
``1`` everywhere, so a store said ``1`` of values in nS or mS/cm^2, and ``weight=0.6 * u.nS`` onto a LIF given ``C_m`` was
refused instead of taken as the 0.6 a plain number means there.
"""
import brainunit as u
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.core.units import UnitMismatch


def _lif_cm(n=2):
    return bb.LIF(n, tau=20.0, C_m=200.0, V_rest=-60.0, V_th=100.0, V_initializer=-60.0)


def _coba(pre, post, weight, syn=None, **kw):
    return bb.Projection(pre, post, bb.AllToAll(), syn or bb.Exponential(5.0), bb.COBA(E=0.0), weight=weight, **kw)


def test_a_conductance_with_its_unit_is_the_plain_number_bitwise_onto_a_LIF_given_C_m_and_onto_HH():
    # neuron 0 of each group gets the weight given with its unit, neuron 1 the plain number: the same step for both
    src = bb.SpikeTimeGroup(1, indices=[0, 0], times=[0.0, 0.3])
    cm, hh = _lif_cm(), bb.HH(2, V_initializer=bb.Constant(-65.0))

    def one(post, target, weight):
        return bb.Projection(src, post, bb.Explicit([0], [target]), bb.Exponential(2.0), bb.COBA(E=0.0), weight=weight)

    nodes = {"src": src, "cm": cm, "hh": hh,
             "cm_q": one(cm, 0, 0.0006 * u.uS), "cm_p": one(cm, 1, 0.6),  # 0.0006 uS: converted, then 15 digits
             "hh_q": one(hh, 0, 1 * u.siemens / u.meter**2), "hh_p": one(hh, 1, 0.1)}
    assert nodes["cm_q"]._weight.value == 0.6 and nodes["hh_q"]._weight.value == 0.1
    out = bb.Runner(bb.Network(**nodes), monitors=["cm.V", "hh.V", "cm_q.syn.g", "hh_q.syn.g"], dt=0.05,
                    progress_bar=False).run(1.0)
    for name in ("cm", "hh"):
        V = np.asarray(out[f"{name}.V"])
        assert V[-1, 0] > V[0, 0] + 1e-3  # the conductance acted (E = 0 mV above V)
        np.testing.assert_array_equal(V[:, 0], V[:, 1])
    assert out.units["cm_q.syn.g"] == "nS" and out.units["hh_q.syn.g"] == "mS / cm^2"


def test_every_form_of_weight_takes_the_conductance_unit_of_its_target():
    pre = bb.LIF(3)
    # arrays and lists of quantities (dense (n_pre, n_post)), and initializers drawn per synapse
    dense = _coba(pre, _lif_cm(), np.full((3, 2), 0.6) * u.nS)
    assert dense._weight.kind == "dense"
    np.testing.assert_array_equal(np.asarray(dense._weight.value), np.float32([[0.6, 0.6]] * 3))
    listed = _coba(pre, _lif_cm(), [[0.6 * u.nS, 0.0007 * u.uS]] * 3)
    np.testing.assert_array_equal(np.asarray(listed._weight.value), np.float32([[0.6, 0.7]] * 3))
    drawn = _coba(pre, _lif_cm(), bb.Normal(0.6 * u.nS, 0.1 * u.nS), graph_seed=3)
    plain = _coba(pre, _lif_cm(), bb.Normal(0.6, 0.1), graph_seed=3)
    np.testing.assert_array_equal(np.asarray(drawn.weights.value), np.asarray(plain.weights.value))
    assert drawn.weights.units == drawn.syn.g.units == "nS"
    # each kind of group: its synaptic current's unit per mV
    for post, weight, want, number in ((bb.HH(2), bb.Uniform(0.05 * u.mS / u.cm**2, 0.1 * u.mS / u.cm**2),
                                        "mS / cm^2", None),
                                       (bb.MorrisLecar(2), 0.1 * u.mS / u.cm**2, "mS / cm^2", 0.1),
                                       (bb.WangBuzsakiHH(2), 0.1 * u.mS / u.cm**2, "mS / cm^2", 0.1),
                                       (bb.CondNeuGroupLTC(2, IL=bb.IL(2)), 0.1 * u.mS / u.cm**2, "mS / cm^2", 0.1),
                                       (bb.Izhikevich(2), 20 * u.Hz, "1 / ms", 0.02),
                                       (bb.LIF(2), 0.5, "1", 0.5)):
        proj = _coba(pre, post, weight, delay=bb.Uniform(1.0, 2.0))  # per-synapse delays: a ring of pending inputs
        assert (proj.syn.g.units, proj.pending.units) == (want, want), type(post).__name__
        if number is not None:
            assert proj._weight.value == number
    # a PoissonInput (or a Runner input) onto such a g reads its unit from it
    assert bb.PoissonInput(dense.syn.g, 10, 5 * u.Hz, 0.0008 * u.uS).weight == 0.8
    # NMDA's gating stays a fraction; what the align-pre projection sums, w * g_pre, is the weight's
    nmda = bb.AlignPreProjection(pre, _lif_cm(), bb.AllToAll(), bb.NMDA(), bb.MgBlock(E=0.0), weight=0.1 * u.nS)
    assert (nmda.syn.g.units, nmda.syn.x.units, nmda.g_post.units, nmda._weight.value) == ("1", "1", "nS", 0.1)
    # a conductance of the other kind is refused by name
    with pytest.raises(UnitMismatch, match=r"^Projection: weight takes a conductance \(nS\), got 0.6 mV \(a potential\)$"):
        _coba(pre, _lif_cm(), 0.6 * u.mV)
    with pytest.raises(UnitMismatch, match=r"weight takes a conductance density \(mS / cm\^2\), got 0.6 nS"):
        _coba(pre, bb.HH(2), 0.6 * u.nS)


def test_a_linear_synapse_kept_on_pre_counts_spikes_and_its_sum_carries_the_weights_unit():
    # BrainPy's align-pre classes keep even a linear g per presynaptic neuron, fed 1 per spike: it was labelled with
    # the weight's unit (mV, nS), a count there; g_post = sum w g_pre is in the weight's unit
    class OnPre(bb.AlignPreProjection):
        syn_on_pre = True

    pre = bb.LIF(3)
    coba = OnPre(pre, _lif_cm(), bb.AllToAll(), bb.Exponential(5.0), bb.COBA(E=0.0), weight=0.6 * u.nS)
    cuba = OnPre(pre, bb.LIF(2), bb.AllToAll(), bb.Exponential(5.0), bb.CUBA(), weight=0.6 * u.mV)
    assert coba.syn.g.shape == (3,) and (coba.syn.g.units, coba.g_post.units) == ("1", "nS")
    assert (cuba.syn.g.units, cuba.g_post.units) == ("1", "mV")


def test_plasticity_bounds_onto_a_conductance_are_in_its_unit():
    pre = bb.LIF(3)
    rule = bb.STDP(dApre=0.01 * u.nS, dApost=-0.0105 * u.nS, w_max=0.001 * u.uS)
    proj = _coba(pre, _lif_cm(), 0.5 * u.nS, plasticity=rule)
    assert (proj.plasticity.w_max, proj.plasticity.dApre, proj.plasticity.dApost) == (1.0, 0.01, -0.0105)
    assert proj.w.units == proj.apre.units == proj.apost.units == "nS"
    hh = _coba(pre, bb.HH(2), 0.05, plasticity=bb.Vogels2011(eta=0.001 * u.mS / u.cm**2, w_max=1 * u.siemens / u.meter**2))
    assert (hh.plasticity.eta, hh.plasticity.w_max, hh.w.units, hh.apre.units) == (0.001, 0.1, "mS / cm^2", "1")
    with pytest.raises(UnitMismatch, match=r"^STDP on projection .*: w_max takes a conductance \(nS\), got 5 mV"):
        _coba(pre, _lif_cm(), 0.5, plasticity=bb.STDP(w_max=5 * u.mV))
    # the start weight is checked against the converted bounds
    with pytest.raises(ValueError, match=r"start weight 2.0 lies outside the bounds of STDP, \[w_min, w_max\] = \[0, 1\]"):
        _coba(pre, _lif_cm(), 2 * u.nS, plasticity=bb.STDP(w_max=1 * u.nS))
    # onto a LIF without C_m the weight stays relative to the leak: nS is refused (tests/models/test_units_models_s34.py)
    with pytest.raises(UnitMismatch, match=r"w_max takes a plain number \(1\), got 1 nS"):
        _coba(pre, bb.LIF(2), 0.5, plasticity=bb.STDP(w_max=1 * u.nS))


def test_pathways_conductances_take_their_target_populations_unit():
    groups = {"E": _lif_cm(4), "I": _lif_cm(2)}
    conn = [[bb.FixedTotalNumber(4), bb.FixedTotalNumber(2)], [bb.FixedTotalNumber(2), None]]
    paths = bb.Pathways(groups, groups, conn, bb.Exponential(5.0), bb.COBA(E=0.0),
                        weight=[[0.6 * u.nS, 0.0067 * u.uS], [0.6 * u.nS, 0.0]], delay=1.0)
    assert (paths.weights.units, paths.pending.units) == ("nS", "nS")
    assert {h: s.g.units for h, s in paths.syn.items()} == {"E": "nS", "I": "nS"}
    assert paths._weight[0][1] == 6.7
    # targets whose conductances differ (nS and relative to the leak): each synapse its own, the table none
    mixed = {"E": _lif_cm(4), "I": bb.LIF(2)}
    paths = bb.Pathways(mixed, mixed, conn, bb.Exponential(5.0), bb.COBA(E=0.0), weight=0.5)
    assert {h: s.g.units for h, s in paths.syn.items()} == {"E": "nS", "I": "1"} and paths.weights.units == ""


def test_strict_units_ask_a_conductance_for_its_unit_where_it_has_one():
    pre, cm, lif = bb.LIF(3), _lif_cm(), bb.LIF(2)
    with bb.strict_units():
        with pytest.raises(UnitMismatch, match=r"weight takes a conductance in nS and strict units are on: "
                                               r"write 0.6 \* u.nS"):
            bb.Projection(pre, cm, bb.AllToAll(), bb.Exponential(5 * u.ms), bb.COBA(E=0 * u.mV), weight=0.6)
        # relative to the leak: a plain number, as before
        bb.Projection(pre, lif, bb.AllToAll(), bb.Exponential(5 * u.ms), bb.COBA(E=0 * u.mV), weight=0.6)


EXPERIMENT = '''
import brainunit as u
import brainbatch as bb

sweep = {"we": [0.6 * u.nS, 0.0008 * u.uS]}
monitors = {"g_cm": "cm_p.syn.g", "w": "cm_p.w", "apre": "cm_p.apre"}
duration = 0.2 * u.ms
dt = 0.1 * u.ms


def build(we=0.6 * u.nS):
    src = bb.SpikeTimeGroup(2, indices=[0, 1], times=[0.0, 0.1])
    cm = bb.LIF(2, C_m=200 * u.pF, V_rest=-60 * u.mV, V_th=-50 * u.mV, V_initializer=-60 * u.mV)
    rule = bb.STDP(dApre=0.01 * u.nS, dApost=-0.01 * u.nS, w_max=1 * u.nS)
    return bb.Network(src=src, cm=cm, cm_p=bb.Projection(src, cm, bb.AllToAll(), bb.Exponential(5 * u.ms),
                                                         bb.COBA(E=0 * u.mV), weight=we, plasticity=rule))
'''


def test_a_sweep_store_labels_each_conductance_in_its_unit(tmp_path):
    (tmp_path / "exp.py").write_text(EXPERIMENT)
    bb.sweep(str(tmp_path / "exp.py"), out=str(tmp_path / "s.zarr"), progress=False, devices="cpu")
    ds = bb.open_results(str(tmp_path / "s.zarr"), states=True)
    assert ds.we.values.tolist() == [0.6, 0.8] and ds.we.attrs["units"] == "nS"
    units = {name: ds[name].attrs["units"] for name in ("g_cm", "w", "apre", "states/cm_p.syn.g", "states/cm_p.w",
                                                        "states/cm_p.apost", "states/cm.input")}
    assert units == {"g_cm": "nS", "w": "nS", "apre": "nS", "states/cm_p.syn.g": "nS", "states/cm_p.w": "nS",
                     "states/cm_p.apost": "nS", "states/cm.input": "pA"}
    # the swept conductance reached every synapse as its number of nS (the first spike arrives in step 1)
    w0 = ds.w.isel(seed=0, time=0).values
    np.testing.assert_array_equal(w0, np.float32([[0.6] * 4, [0.8] * 4]))
    np.testing.assert_allclose(ds.g_cm.isel(seed=0, time=1).values, [[0.6, 0.6], [0.8, 0.8]], rtol=1e-6)
