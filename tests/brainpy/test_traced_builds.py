"""BrainPy's 2.3 synapses that build a dense connection matrix at construction (``bp.synapses.AMPA``, ``GABAa``,
``NMDA``, ``GapJunction``, ``conn.require``) inside a sweep's ``build()``, which JAX traces once per program: each run
draws its own graph from its key, a ``seed=`` graph is the one BrainPy's construction draws, and a lane of a batch
equals its run alone."""
import numpy as np
import pytest

import brainbatch.brainpy as bp
from brainbatch.brainpy.conn import conn_matrix
from brainbatch.run import Simulation, normalize_monitors

N_PRE, N_POST = 12, 6


def _simulation(seed=None, seen=None):
    def build(params):
        pre = bp.neurons.SpikeTimeGroup(N_PRE, times=[1.0] * N_PRE, indices=list(range(N_PRE)))
        post = bp.neurons.LIF(N_POST, V_rest=-60.0, V_reset=-60.0, V_th=100.0, tau=20.0)
        conn = bp.conn.FixedProb(0.5, seed=seed)
        ampa = bp.synapses.AMPA(pre, post, conn)
        gaba = bp.synapses.GABAa(pre, post, conn, g_max=0.01)  # the same connector: the same graph
        if seen is not None:
            seen.append((conn_matrix(conn), conn_matrix(conn) is conn_matrix(conn)))
        return bp.Network(pre=pre, post=post, ampa=ampa, gaba=gaba)

    return Simulation(build, normalize_monitors({"V": "post.V", "g": "ampa.g"}), dt=0.1)


def test_each_run_of_a_sweep_draws_its_own_graph_once_for_every_synapse_of_its_connector():
    seen = []
    _, out = _simulation(seen=seen).run([0, 1, 2], {}, 60, keep=True)
    assert all(same for _, same in seen)  # drawn once per run, read by both synapses
    V = out["V"][:, -1]
    assert not np.array_equal(V[0], V[1]) and not np.array_equal(V[1], V[2])  # one spike volley, three graphs
    _, alone = _simulation().run([1], {}, 60, keep=True)
    for name in ("V", "g"):  # a lane equals its run alone, bitwise
        np.testing.assert_array_equal(out[name][1], alone[name][0], err_msg=name)


def test_a_seeded_connector_gives_every_run_brainpys_graph():
    seen = []
    _, out = _simulation(seed=7, seen=seen).run([0, 1], {}, 60, keep=True)
    eager = np.asarray(bp.conn.FixedProb(0.5, seed=7)(N_PRE, N_POST).require("conn_mat"))
    assert 0 < eager.sum() < eager.size
    for mat, _ in seen:
        np.testing.assert_array_equal(mat, eager)  # concrete, even in the traced build
    np.testing.assert_array_equal(out["V"][0], out["V"][1])  # no noise, one graph: the runs are the same


def test_a_sparse_structure_of_a_per_run_graph_is_refused_with_the_way_out():
    def build(params):
        pre, post = bp.neurons.LIF(4), bp.neurons.LIF(3)
        bp.conn.FixedProb(0.5)(pre.size, post.size).require("pre2post")
        return bp.Network(pre=pre, post=post)

    with pytest.raises(TypeError, match=r"FixedProb.require\('pre2post'\) inside a sweep's build\(\).*seed=G"):
        Simulation(build, normalize_monitors({"V": "post.V"}), dt=0.1).run([0], {}, 2, keep=True)


def test_a_gap_junction_in_a_sweep_build():
    def build(params):
        a = bp.neurons.LIF(4, V_rest=-60.0, V_initializer=bp.init.Uniform(-70.0, -50.0))
        b = bp.neurons.LIF(4, V_rest=-60.0, V_initializer=bp.init.Uniform(-70.0, -50.0))
        return bp.Network(a=a, b=b, gj=bp.synapses.GapJunction(a, b, bp.conn.FixedProb(0.5), g_max=0.1))

    sim = Simulation(build, normalize_monitors({"V": "b.V"}), dt=0.1)
    _, out = sim.run([0, 1], {}, 20, keep=True)
    _, alone = sim.run([1], {}, 20, keep=True)
    np.testing.assert_array_equal(out["V"][1], alone["V"][0])
