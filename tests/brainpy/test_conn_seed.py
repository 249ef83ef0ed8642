"""A BrainPy connector's ``seed=G`` fixes the graph whatever the run's seed: it is the projection's
``graph_seed`` (docs/random.md, "One graph for every run")."""
import re

import numpy as np
import pytest

import brainbatch as bb
import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

N = 120


# every check runs a fresh model, often one compiled before (the same connector under another run
# seed): the cache serves the repeats (this file's CPU time 38.6 -> 25.5 s)
pytestmark = pytest.mark.usefixtures("compile_cache")


def bp_targets(conn, seed):
    E = bp.neurons.LIF(N)
    syn = bp.synapses.Exponential(E, E, conn, g_max=0.1)
    bp.DSRunner(bp.Network(E=E, syn=syn), progress_bar=False, seed=seed).run(0.2)
    return np.asarray(syn.targets.value)


def bb_targets(graph_seed, seed):
    E = bb.LifRef(N)
    proj = bb.Projection(E, E, bp.conn.FixedProb(0.1), bb.Exponential(5.0), bb.CUBA(), weight=0.1,
                         graph_seed=graph_seed)
    bb.Runner(bb.Network(E=E, syn=proj), progress_bar=False, seed=seed).run(0.2)
    return np.asarray(proj.targets.value)


def test_a_connector_seed_gives_one_graph_in_every_run_the_graph_of_that_graph_seed():
    runs = [bp_targets(bp.conn.FixedProb(0.1, seed=3), s) for s in (0, 1, 7)]
    assert all(np.array_equal(runs[0], r) for r in runs[1:])
    assert np.array_equal(runs[0], bb_targets(3, 5))
    # without a seed each run draws its own; another connector seed is another graph
    assert not np.array_equal(bp_targets(bp.conn.FixedProb(0.1), 0), bp_targets(bp.conn.FixedProb(0.1), 1))
    assert not np.array_equal(runs[0], bp_targets(bp.conn.FixedProb(0.1, seed=4), 0))


@pytest.mark.parametrize("conn", [bp.conn.FixedPreNum, bp.conn.FixedPostNum])
def test_fixed_number_connectors_take_a_seed_too(conn):
    a, b = (bp_targets(conn(5, seed=np.int64(2)), s) for s in (0, 1))
    assert np.array_equal(a, b) and conn(5, seed=np.int64(2)).graph_seed == 2


def test_a_dnn_seed_fixes_the_synapses_of_an_aligned_projection():
    def targets(seed, run_seed):
        E = bp.dyn.LifRefLTC(N)
        comm = bp.dnn.EventJitFPHomoLinear(N, N, prob=0.1, weight=0.1, seed=seed)
        proj = bp.dyn.FullProjAlignPostMg(pre=E, delay=None, comm=comm, syn=bp.dyn.Expon.desc(N, tau=5.0),
                                          out=bp.dyn.CUBA(), post=E)
        bp.DSRunner(bp.Network(E=E, syn=proj), progress_bar=False, seed=run_seed).run(0.2)
        return np.asarray(proj.targets.value)

    first = targets(3, 0)  # one run serves both comparisons (each run compiles its own programs)
    assert np.array_equal(first, targets(3, 1)) and not np.array_equal(first, targets(4, 0))


def test_a_half_projection_draws_its_synapses_from_the_connector_seed():
    def targets(run_seed):
        class Net(bp.DynSysGroup):
            def __init__(self):
                super().__init__()
                self.E = bp.dyn.LifRefLTC(N)
                comm = bp.dnn.CSRLinear(bp.conn.FixedProb(0.1, seed=3, pre=N, post=N), 0.1)
                self.proj = bp.dyn.HalfProjAlignPost(comm, bp.dyn.Expon(N, tau=5.0), bp.dyn.CUBA(), self.E)

            def update(self):
                self.proj(self.E.spike.value)
                self.E()

        net = Net()
        bp.DSRunner(net, progress_bar=False, seed=run_seed).run(0.2)
        return np.asarray(net.proj.targets.value)

    assert np.array_equal(targets(0), targets(1))


def test_require_structures_come_from_the_seed_not_the_bm_random_stream():
    mats = []
    for s in (0, 1):
        bm.random.seed(s)
        mats.append(np.asarray(bp.conn.FixedProb(0.2, seed=3)(N, N).require("conn_mat")))
    assert np.array_equal(*mats)


@pytest.mark.parametrize("seed", [-1, 1.5, True, "3", np.float32(2.0)])
def test_bad_seeds_are_refused_naming_the_value(seed):
    with pytest.raises(ValueError, match=re.escape("or an integer >= 0 ") + ".*" + re.escape(f"got {seed!r}")):
        bp.conn.FixedProb(0.1, seed=seed)


def test_a_connector_seed_and_another_graph_seed_are_refused():
    E = bb.LifRef(N)
    with pytest.raises(ValueError, match="graph_seed=4 differs from the connector's seed=3"):
        bb.Projection(E, E, bp.conn.FixedProb(0.1, seed=3), bb.Exponential(5.0), bb.CUBA(), graph_seed=4)
    assert bb.Projection(E, E, bp.conn.FixedProb(0.1, seed=3), bb.Exponential(5.0), bb.CUBA(), graph_seed=3).graph_seed == 3
    assert bb.Projection(E, E, bp.conn.FixedProb(0.1, seed=3), bb.Exponential(5.0), bb.CUBA()).graph_seed == 3


def test_pathways_take_the_seed_of_their_connectors_one_for_the_table():
    E, I = bb.LifRef(40, name="E"), bb.LifRef(10, name="I")
    same = [[bp.conn.FixedProb(0.1, seed=3), bp.conn.FixedProb(0.2, seed=3)]] * 2
    assert bb.Pathways([E, I], [E, I], same, bb.Exponential(5.0), bb.CUBA()).graph_seed == 3
    mixed = [[bp.conn.FixedProb(0.1, seed=3), bp.conn.FixedProb(0.2, seed=4)], [None, bp.conn.FixedProb(0.1)]]
    with pytest.raises(ValueError, match=r"different graph seeds \[3, 4, None\]"):
        bb.Pathways([E, I], [E, I], mixed, bb.Exponential(5.0), bb.CUBA())
    with pytest.raises(ValueError, match="graph_seed=4 differs from the connector's seed=3"):
        bb.Pathways([E, I], [E, I], same, bb.Exponential(5.0), bb.CUBA(), graph_seed=4)
