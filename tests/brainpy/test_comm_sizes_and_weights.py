"""BrainPy forms the layer took wrongly (bad-input audit): ``bp.dnn.OneToOne(n, weight)`` with one weight per neuron
(BrainPy's ``x * weight``) and ``bp.conn.FixedPreNum``/``FixedPostNum`` with a fraction were refused; sizes that
are not whole numbers were truncated and a pre-sized connector was drawn at other groups' sizes without a word
(BrainPy 2.8.2 refuses: "Shape mismatch"); a negative gap-junction conductance was accepted."""
import numpy as np
import pytest

import brainbatch.brainpy as bp


def test_a_one_to_one_weight_per_neuron_weighs_each_neurons_synapse():
    pre = bp.dyn.SpikeTimeGroup(3, indices=[0, 1, 2], times=[1.0, 1.0, 1.0])
    post = bp.dyn.Lif(3, V_th=1e9)
    proj = bp.dyn.FullProjAlignPost(pre=pre, delay=None, comm=bp.dnn.OneToOne(3, np.array([1., 2., 3.])),
                                    syn=bp.dyn.Expon(3, tau=5.), out=bp.dyn.CUBA(), post=post)
    runner = bp.DSRunner(bp.DynSysGroup(pre=pre, proj=proj, post=post), monitors={"g": proj.refs["syn"].g},
                         progress_bar=False)
    peak = np.asarray(runner.run(3.)["g"]).max(axis=0)
    np.testing.assert_allclose(peak / peak[0], [1., 2., 3.], rtol=1e-6)
    # BrainPy's proj.comm (scripts read proj.comm.weight): the bp.dnn object, as refs['comm']
    assert proj.comm is proj.refs["comm"] and proj.comm.weight.tolist() == [1., 2., 3.]
    with pytest.raises(ValueError, match=r"a one-to-one weight vector needs one value per neuron \(3 pre, 3 post\), "
                                         r"got 2"):
        bp.dyn.FullProjAlignPost(pre=pre, delay=None, comm=bp.dnn.OneToOne(3, np.ones(2)), syn=bp.dyn.Expon(3),
                                 out=bp.dyn.CUBA(), post=post)


def test_a_fixed_degree_given_as_a_fraction_is_brainpys_count():
    # BrainPy 2.8.2: int(n * num) synapses per neuron, n the other side's size
    post_num = np.asarray(bp.conn.FixedPostNum(0.5, seed=1)(4, 6).require("conn_mat")).sum(axis=1)
    pre_num = np.asarray(bp.conn.FixedPreNum(0.5, seed=1)(4, 6).require("conn_mat")).sum(axis=0)
    assert post_num.tolist() == [3] * 4 and pre_num.tolist() == [2] * 6
    assert np.asarray(bp.conn.FixedPostNum(0.3, seed=1)(4, 6).require("conn_mat")).sum(axis=1).tolist() == [1] * 4
    with pytest.raises(ValueError, match=r"conn.FixedPostNum: num must be an integer >= 0 or a fraction in \[0, 1\]"):
        bp.conn.FixedPostNum(1.5)


def test_sizes_that_are_not_whole_numbers_or_not_the_groups_are_refused():
    with pytest.raises(ValueError, match=r"a connector's size must be a whole number of neurons >= 0.*got 4.5"):
        bp.conn.FixedProb(0.5, seed=1)(4.5, 4)
    with pytest.raises(ValueError, match=r"^JitFPHomoLinear: num_in must be a whole number of neurons >= 0, got 3.7"):
        bp.dnn.JitFPHomoLinear(3.7, 2, prob=0.5, weight=0.5)
    with pytest.raises(ValueError, match=r"^AllToAll: num_post must be a whole number"):
        bp.dnn.AllToAll(3, -1, 1.0)
    for bad in (True, "4"):
        with pytest.raises(ValueError, match=r"a connector's size must be a whole number"):
            bp.conn.FixedProb(0.5, seed=1)(bad, 4)
    import jax.numpy as jnp  # integers of any kind are sizes, as int() took them

    assert bp.conn.FixedProb(0.5, seed=1)(jnp.int32(4), (2, np.int64(3))).require("conn_mat").shape == (4, 6)
    assert bp.dnn.JitFPHomoLinear(jnp.int32(3), np.int64(2), prob=0.5, weight=0.5).num_in == 3
    pre, post = bp.dyn.Lif(3), bp.dyn.Lif(2)
    with pytest.raises(ValueError, match=r"^FullProjAlignPost: comm.num_in=5 but the group has 3 neurons"):
        bp.dyn.FullProjAlignPost(pre=pre, delay=None, comm=bp.dnn.CSRLinear(bp.conn.FixedProb(0.5, pre=5, post=5), .5),
                                 syn=bp.dyn.Expon(2, tau=5.), out=bp.dyn.CUBA(), post=post)


def test_a_gap_junction_conductance_must_be_finite_and_not_negative():
    pre = bp.neurons.LIF(2)
    for g_max, shown in ((-1.0, "got -1.0"), (np.array([[0., -1.], [1., 0.]]), "got 1 value"),
                         (float("nan"), "got nan")):
        with pytest.raises(ValueError, match=rf"^GapJunction: g_max is a conductance and must be finite and >= 0, "
                                             rf"{shown}"):
            bp.synapses.GapJunction(pre, pre, bp.conn.All2All(include_self=False), g_max=g_max)


def test_a_runner_or_projection_given_something_else_than_a_model_is_named():
    # bad-input audit: "'NoneType' object has no attribute 'vars'", "'int' object has no attribute 'num'",
    # "'int' object is not callable", and no close match for a misspelled connector keyword
    with pytest.raises(TypeError, match=r"^Runner target must be a DynamicalSystem, got NoneType"):
        bp.DSRunner(None, monitors=["V"], progress_bar=False)
    lif = bp.dyn.Lif(3)
    with pytest.raises(TypeError, match=r"^DSRunner: fun_monitors must map names to functions of the step"):
        bp.DSRunner(lif, fun_monitors={"a": 3}, progress_bar=False)
    with pytest.raises(TypeError, match=r"^FullProjAlignPost: pre must be a neuron group .*got int 3"):
        bp.dyn.FullProjAlignPost(pre=3, delay=None, comm=bp.dnn.AllToAll(3, 3, 1.0), syn=bp.dyn.Expon(3),
                                 out=bp.dyn.CUBA(), post=lif)
    with pytest.raises(TypeError, match=r"got unexpected arguments \['include_slef'\]. Did you mean 'include_self'"):
        bp.conn.FixedProb(0.1, include_slef=False)
    # an output described as syn (syn and out swapped) said "COBA() got an unexpected keyword argument 'size'"
    with pytest.raises(TypeError, match=r"^\w+: syn describes the output COBA, not a synapse; give that "
                                        r"as out="):
        bp.dyn.FullProjAlignPostMg(pre=lif, delay=None, comm=bp.dnn.AllToAll(3, 3, 1.0), syn=bp.dyn.COBA.desc(E=0.),
                                   out=bp.dyn.Expon.desc(3), post=lif)


def test_a_plastic_projection_sizes_its_index_by_the_count_a_fraction_makes():
    # review: the fan-in bound read num (0 for a fraction), so every plastic projection overflowed its index
    from brainbatch.models.projections._plastic import fan_in_bound

    for fraction, count in ((0.5, 5), (0.3, 3)):
        assert fan_in_bound(bp.conn.FixedPreNum(fraction), 10, 10, False) == fan_in_bound(
            bp.conn.FixedPreNum(count), 10, 10, False) == count
        assert fan_in_bound(bp.conn.FixedPostNum(fraction), 10, 10, False) == fan_in_bound(
            bp.conn.FixedPostNum(count), 10, 10, False)
