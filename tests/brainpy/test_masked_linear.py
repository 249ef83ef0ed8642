"""``bp.dnn.MaskedLinear(conn, weight)``: BrainPy 2.8.2's ``y = x @ (weight * conn.require('conn_mat'))`` in the
2.4 projections (the synapse tutorial's ``MaskedLinear(bp.conn.FixedProb(...), g)`` was refused), with its
refusals. Reference numbers: tests/brainpy/reference/masked_linear_bp282.py, run under BrainPy 2.8.2."""
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

STEPS = [10, 30, 60, 99]
BRAINPY = {  # V and g at steps 10, 30, 60 and 99 (masked_linear_bp282.py)
    "post_matrix": {"V": [[-65.0, -65.0], [-64.59732, -64.659], [-63.76635, -62.64325], [-63.08436, -61.59351]],
                    "g": [[0.0, 0.0], [3.12651, 3.27492], [4.99079, 8.36511], [2.28781, 3.83462]]},
    "pre_noself": {"V": [[-65.0, -65.0, -65.0], [-64.6521, -64.7002, -64.02846], [-62.74958, -62.66662, -62.48788],
                         [-62.23098, -61.99196, -62.01589]],
                   "g": [[1.0, 0.0, 0.0], [0.67032, 0.81873, 1.0], [1.0382, 0.44933, 0.54881],
                         [0.47592, 0.20598, 0.25158]]},
    "tutorial": {"V": [[-60.0], [-59.61302], [-58.58867], [-57.29167]], "g": [[0.0], [3.3516], [8.67711], [6.77713]]},
}


def _lif(n):
    return bp.dyn.Lif(n, V_rest=-65.0, V_reset=-65.0, V_th=-50.0, tau=10.0, V_initializer=bp.init.Constant(-65.0))


def _run(pre, proj, post):
    net = bp.DynSysGroup(pre=pre, proj=proj, post=post)
    runner = bp.DSRunner(net, monitors={"V": post.V, "g": proj.refs["syn"].g}, progress_bar=False)
    runner.run(10.0)
    return {k: np.asarray(runner.mon[k])[STEPS] for k in ("V", "g")}


def _case(name):
    if name == "post_matrix":  # which entry of the weight matrix weighs which pair, through a hand-made mask
        pre = bp.dyn.SpikeTimeGroup(3, indices=[0, 1, 2, 0, 1], times=[1.0, 2.0, 3.0, 5.0, 5.0])
        post = _lif(2)
        W = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], dtype=np.float32)
        comm = bp.dnn.MaskedLinear(bp.conn.MatConn(np.array([[1, 0], [1, 1], [0, 1]])), W)
        return pre, bp.dyn.ProjAlignPostMg2(pre=pre, delay=None, comm=comm, syn=bp.dyn.Expon.desc(2, tau=5.0),
                                            out=bp.dyn.CUBA.desc(), post=post), post
    if name == "pre_noself":  # FixedProb's dense matrix without i -> i; g (not spikes) through the product
        pre = bp.dyn.SpikeTimeGroup(3, indices=[0, 1, 2, 0], times=[1.0, 2.0, 3.0, 4.0])
        post = _lif(3)
        W = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], dtype=np.float32)
        comm = bp.dnn.MaskedLinear(bp.conn.FixedProb(1.0, include_self=False, pre=3, post=3), W)
        return pre, bp.dyn.ProjAlignPreMg2(pre=pre, delay=None, syn=bp.dyn.Expon.desc(3, tau=5.0), comm=comm,
                                           out=bp.dyn.CUBA(), post=post), post
    pre = bp.dyn.SpikeTimeGroup(1, indices=(0, 0, 0, 0), times=(1.0, 3.0, 5.0, 7.0))
    post = bp.dyn.LifRef(1, V_rest=-60.0, V_th=-50.0, V_reset=-60.0, tau=20.0, tau_ref=5.0,
                         V_initializer=bp.init.Constant(-60.0))
    comm = bp.dnn.MaskedLinear(bp.conn.FixedProb(1.0, pre=1, post=1), np.array([5.0]))  # one value: a scalar
    return pre, bp.dyn.ProjAlignPostMg2(pre=pre, delay=None, comm=comm, syn=bp.dyn.Expon.desc(1, tau=5.0),
                                        out=bp.dyn.CUBA.desc(), post=post), post


@pytest.mark.parametrize("name", sorted(BRAINPY))
def test_masked_linear_gives_brainpys_numbers(name):
    with bm.environment(dt=0.1):
        got = _run(*_case(name))
    # align-pre too: proj.refs['syn'].g is BrainPy's presynaptic g (it was the postsynaptic sum here)
    for key in ("V", "g"):
        np.testing.assert_allclose(got[key], BRAINPY[name][key], atol=2e-4, err_msg=f"{name} {key}")


def test_the_mask_is_fixedprobs_dense_matrix_and_the_weight_brainpys():
    comm = bp.dnn.MaskedLinear(bp.conn.FixedProb(0.3, pre=20, post=30, seed=4), 0.5)
    assert (comm.num_in, comm.num_out) == (20, 30) and comm.weight == 0.5
    assert "dense_law" in repr(comm.conn)  # each pair with probability prob, as BrainPy's conn_mat
    drawn = bp.dnn.MaskedLinear(bp.conn.FixedProb(1.0, pre=2, post=3), lambda shape: np.full(shape, 0.25))
    assert np.asarray(drawn.weight).shape == (2, 3)  # a function of the shape: called with (pre, post), as BrainPy
    init = bp.init.Uniform(0.1, 1.0)
    assert bp.dnn.MaskedLinear(bp.conn.FixedProb(1.0, pre=2, post=3), init).weight is init  # drawn per synapse


@pytest.mark.parametrize("args, kwargs, error, words", [
    ((bp.conn.FixedProb(0.5), 1.0), {}, ValueError, "no sizes"),
    ((np.ones((3, 2)), 1.0), {}, TypeError, "conn must be a connector"),
    ((bp.conn.FixedProb(0.5, pre=3, post=2), np.ones(2)), {}, ValueError, "(pre.num, post.num) = (3, 2)"),
    ((bp.conn.FixedProb(0.5, pre=3, post=2), "x"), {}, TypeError, "weight must be"),
    ((bp.conn.FixedProb(0.5, pre=3, post=2), 1.0), {"mask_fun": np.abs}, TypeError, "mask_fun"),
    ((bp.conn.FixedProb(0.5, pre=3, post=2), 1.0), {"sharding": [bm.sharding.NEU_AXIS]}, ValueError, "2"),
])
def test_what_brainpy_refuses_or_brainbatch_cannot_do_is_refused(args, kwargs, error, words):
    with pytest.raises(error, match="MaskedLinear") as info:
        bp.dnn.MaskedLinear(*args, **kwargs)
    assert words in str(info.value)


def test_two_axis_names_are_accepted_and_ignored():
    comm = bp.dnn.MaskedLinear(bp.conn.FixedProb(1.0, pre=2, post=2), 1.0,
                               sharding=[bm.sharding.PRE_AXIS, bm.sharding.POST_AXIS])
    assert comm.num_in == 2
