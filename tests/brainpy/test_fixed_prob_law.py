"""``bp.conn.FixedProb`` draws BrainPy 2.8.2's graphs: its sparse structures (CSR/COO, so ``bp.dnn.CSRLinear``,
the projections, ``bp.synapses.Exponential``/``Delta``) give every presynaptic neuron exactly
``round(prob * n_post)`` targets, its dense matrix (``comp_method='dense'``) connects pairs independently.
The law is read from BrainPy 2.8.2's ``FixedProb._iii``/``build_csr``/``build_mat`` and checked there:
``FixedProb(0.05)(50, 50)`` gives 2 targets per row (2.5 rounds to even), ``FixedProb(0.15,
include_self=False)(30, 30)`` rows of 4 and 3 (a neuron that drew itself loses it), ``pre_ratio=0.5`` of 100
neurons 50 empty rows, ``include_self=False`` on a 10 x 20 pair of groups no ``i -> i`` pair."""
import math

import numpy as np
import pytest

import brainbatch as bb
import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm


def degrees(conn, n_pre, n_post, structure="pre2post"):
    indices, indptr = conn(n_pre, n_post).require(structure)
    return np.diff(np.asarray(indptr)), np.asarray(indices), np.asarray(indptr)


@pytest.mark.parametrize("prob, n_post, k", [(0.05, 50, 2), (0.15, 30, 4), (0.1, 100, 10), (0.02, 4000, 80),
                                             (0.001, 100, 0), (1.0, 7, 7)])
def test_every_presynaptic_neuron_has_round_p_n_distinct_targets(prob, n_post, k):
    deg, indices, indptr = degrees(bp.conn.FixedProb(prob, seed=1), 40, n_post)
    assert deg.tolist() == [k] * 40
    rows = [indices[a:b] for a, b in zip(indptr[:-1], indptr[1:])]
    assert all(len(set(r.tolist())) == len(r) and np.all((r >= 0) & (r < n_post)) for r in rows)


def test_include_self_false_drops_the_pairs_a_neuron_drew_to_itself():
    n, k = 400, 40  # a row loses one synapse with probability k / n
    deg, indices, indptr = degrees(bp.conn.FixedProb(0.1, seed=2, include_self=False), n, n)
    assert set(deg.tolist()) <= {k - 1, k}
    pre = np.repeat(np.arange(n), deg)
    assert not np.any(pre == indices)
    lost = int(np.sum(deg == k - 1))
    sd = math.sqrt(n * (k / n) * (1 - k / n))
    assert abs(lost - k) < 4 * sd, lost  # Binomial(400, 0.1): mean 40, sd 6
    # BrainPy compares indices, so two different groups lose their i -> i pairs too
    pre_ids, post_ids = bp.conn.FixedProb(0.5, seed=1, include_self=False)(10, 20).require("pre_ids", "post_ids")
    assert not np.any(np.asarray(pre_ids) == np.asarray(post_ids))


def test_pre_ratio_connects_that_share_of_the_presynaptic_neurons():
    deg, _, _ = degrees(bp.conn.FixedProb(0.1, seed=3, pre_ratio=0.5), 100, 100)
    assert np.sum(deg == 10) == 50 and np.sum(deg == 0) == 50
    with pytest.raises(ValueError, match=r"pre_ratio must be a number in \[0, 1\], got 1.5"):
        bp.conn.FixedProb(0.1, pre_ratio=1.5)


def test_the_dense_matrix_connects_pairs_independently():
    n, p = 300, 0.1
    mat = np.asarray(bp.conn.FixedProb(p, seed=4)(n, n).require("conn_mat"))
    rows = mat.sum(axis=1)
    # Binomial(300, 0.1) rows: variance 27 (a fixed degree has 0); the total within 5 sd of n^2 p
    assert 27 * 0.7 < rows.var() < 27 * 1.3
    assert abs(mat.sum() - n * n * p) < 5 * math.sqrt(n * n * p * (1 - p))
    no_self = np.asarray(bp.conn.FixedProb(0.5, seed=4, include_self=False)(10, 20).require("conn_mat"))
    assert not np.any(np.diagonal(no_self))


def run_targets(make_syn):
    E = bp.neurons.LIF(200)
    syn = make_syn(E)
    bp.DSRunner(bp.Network(E=E, syn=syn), progress_bar=False, seed=0).run(0.2)
    t = np.asarray(syn.targets.value)
    return np.sum(t < 200, axis=1)


def test_synapses_draw_by_the_law_of_the_structure_brainpy_builds_them_from():
    # sparse (Exponential's default, CSRLinear): 20 each; dense (Alpha's default): binomial rows
    sparse = run_targets(lambda E: bp.synapses.Exponential(E, E, bp.conn.FixedProb(0.1), g_max=0.1))
    assert sparse.tolist() == [20] * 200
    aligned = run_targets(lambda E: bp.dyn.FullProjAlignPostMg(
        pre=E, delay=None, comm=bp.dnn.EventCSRLinear(bp.conn.FixedProb(0.1, pre=200, post=200), 0.1),
        syn=bp.dyn.Expon.desc(200, tau=5.0), out=bp.dyn.CUBA(), post=E))
    assert aligned.tolist() == [20] * 200
    dense = run_targets(lambda E: bp.synapses.Alpha(E, E, bp.conn.FixedProb(0.1), g_max=0.1,
                                                        output=bp.synouts.CUBA()))
    assert dense.var() > 5 and abs(dense.mean() - 20) < 2  # Binomial(200, 0.1): variance 18
    # brainbatch's own FixedProb keeps independent pairs in a projection
    E = bb.LifRef(200)
    proj = bb.Projection(E, E, bb.FixedProb(0.1), bb.Exponential(5.0), bb.CUBA(), weight=0.1)
    bb.Runner(bb.Network(E=E, syn=proj), progress_bar=False, seed=0).run(0.2)
    assert np.sum(np.asarray(proj.targets.value) < 200, axis=1).var() > 5


def test_ampa_multiplies_by_the_graph_of_its_comp_method():
    E = bp.neurons.LIF(200)
    sparse = bp.synapses.AMPA(E, E, bp.conn.FixedProb(0.1), comp_method="sparse")
    assert np.asarray(sparse._mat).sum(axis=1).tolist() == [20] * 200
    dense = bp.synapses.AMPA(E, E, bp.conn.FixedProb(0.1))  # BrainPy's default: 'dense'
    assert np.asarray(dense._mat).sum(axis=1).var() > 5
    with pytest.raises(ValueError, match="comp_method must be 'sparse' or 'dense', got 'csc'"):
        bp.synapses.AMPA(E, E, bp.conn.FixedProb(0.1), comp_method="csc")


def test_gap_junctions_draw_by_the_law_of_their_comp_method():
    conn = bp.conn.FixedProb(0.2, seed=1)
    sparse = bp.synapses.GapJunction(bp.neurons.LIF(40), bp.neurons.LIF(50), conn, comp_method='sparse')
    assert (np.asarray(sparse.weights) > 0).sum(axis=1).tolist() == [10] * 40
    dense = bp.synapses.GapJunction(bp.neurons.LIF(40), bp.neurons.LIF(50), bp.conn.FixedProb(0.2, seed=1))
    assert (np.asarray(dense.weights) > 0).sum(axis=1).var() > 2  # Binomial(50, 0.2): variance 8


def test_brainpys_require_forms_names_and_attributes():
    conn = bp.conn.FixedProb(0.1, seed=2, include_self=False)
    assert conn.require(10, 20, 'conn_mat').shape == (10, 20)  # the sizes first, as BrainPy's docstring
    indices, indptr = conn.require('csr')
    assert np.array_equal(indices, conn.require('pre2post')[0]) and np.diff(np.asarray(indptr)).tolist() == [2] * 10
    pre, post = conn.require('coo')
    assert np.array_equal(pre, conn.require('pre_ids')) and np.array_equal(post, conn.require('post_ids'))
    assert np.array_equal(conn.require('csc')[0], conn.require('post2pre')[0])
    assert conn.include_self is False and conn.seed == 2
    assert repr(conn) == "FixedProb(prob=0.1, pre_ratio=1.0, include_self=False, allow_multi_conn=False, seed=2)"
    assert bp.conn.FixedProb(bm.asarray(0.2)).prob == pytest.approx(0.2)  # a 0-d array is its number
    with pytest.raises(ValueError, match="unknown connection structure 'csv'.*'csr'"):
        conn.require('csv')


def test_just_in_time_connectivity_connects_pairs_independently_as_brainpys():
    # BrainPy 2.8.2's EventJitFPHomoLinear(200, 300, prob=0.1, seed=1): 60 one-hot inputs reach 30.3 neurons
    # on average with variance 31.7 (binomial rows), not a fixed 30
    comm = bp.dnn.EventJitFPHomoLinear(200, 300, prob=0.1, weight=1.0, seed=1)
    assert repr(comm.conn) == "FixedProb(prob=0.1, pre_ratio=1.0, include_self=True, seed=1).dense_law()"
    E, I = bp.dyn.LifRefLTC(200), bp.dyn.LifRefLTC(300)
    proj = bp.dyn.FullProjAlignPost(pre=E, delay=None, comm=comm, syn=bp.dyn.Expon(300, tau=5.),
                                    out=bp.dyn.CUBA(), post=I)
    bp.DSRunner(bp.Network(E=E, I=I, p=proj), progress_bar=False).run(0.2)
    rows = np.sum(np.asarray(proj.targets.value) < 300, axis=1)
    assert abs(rows.mean() - 30) < 4 * np.sqrt(27 / 200) and rows.var() > 15  # Binomial(300, 0.1): variance 27
