"""BrainPy 2.3's ``bp.synapses.AMPA``, ``GABAa``, ``NMDA`` and ``BioNMDA`` on ``bp.conn.All2All`` or ``One2One`` sum
the presynaptic gates without the connection matrix, as BrainPy does (``sum(g) * g_max``, ``g * g_max``): the same
input as through the matrix of the same pairs, up to float32 rounding, and no value of n_pre x n_post in the step.

Multiplying ``g`` by the dense 2000 x 2000 matrix of an All2All NMDA synapse at every step ran 4.4x slower than
BrainPy (Wang 2002's decision-making net has 16 of them).
"""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch.brainpy as bp
from brainbatch.brainpy._synconn import _weighted
from brainbatch.run import Simulation, normalize_monitors

N_PRE, N_POST, N = 30, 20, 25

# name: (connector, n_pre, n_post, its pairs as a bool matrix)
CONNS = {
    "all2all": (lambda: bp.conn.All2All(), N_PRE, N_POST, np.ones((N_PRE, N_POST), bool)),
    "all2all_no_self": (lambda: bp.conn.All2All(include_self=False), N, N, ~np.eye(N, dtype=bool)),
    # two groups of other sizes have no self-connections to leave out
    "all2all_no_self_other_sizes": (lambda: bp.conn.All2All(include_self=False), N_PRE, N_POST,
                                    np.ones((N_PRE, N_POST), bool)),
    "one2one": (lambda: bp.conn.One2One(), N, N, np.eye(N, dtype=bool)),
}


def _g_max(kind, n_pre, n_post):
    rng = np.random.default_rng(1)
    return {"scalar": 0.3, "one": np.array([0.3]), "per_target": rng.uniform(0.1, 1.0, n_post),
            "per_target_row": rng.uniform(0.1, 1.0, (1, n_post)), "per_source": rng.uniform(0.1, 1.0, (n_pre, 1)),
            "per_synapse": rng.uniform(0.1, 1.0, (n_pre, n_post))}[kind]


@pytest.mark.parametrize("batch", [(), (3,)])
@pytest.mark.parametrize("kind", ["scalar", "one", "per_target", "per_target_row", "per_source", "per_synapse"])
@pytest.mark.parametrize("conn", sorted(CONNS))
def test_the_sums_are_the_matrix_products_of_the_same_pairs(conn, kind, batch):
    make, n_pre, n_post, pairs = CONNS[conn]
    syn = bp.synapses.NMDA(bp.neurons.LIF(n_pre), bp.neurons.LIF(n_post), make(), g_max=_g_max(kind, n_pre, n_post))
    assert not hasattr(syn._mat, "shape")  # no matrix kept
    g = np.random.default_rng(2).uniform(0.0, 1.0, batch + (n_pre,)).astype(np.float32)
    got = np.asarray(_weighted(jnp.asarray(g), syn.g_max, syn._mat))
    # float64 reference: every synapse's g_max (broadcast to the pairs) times its gate, summed per target
    weights = np.broadcast_to(np.asarray(syn.g_max, np.float64), (n_pre, n_post)) * pairs
    want = g.astype(np.float64) @ weights
    assert got.shape == batch + (n_post,) and got.dtype == np.float32
    # float32 sums in another order, and sum(g) - g_i (a rounding of about 1e-7 of sum(g))
    np.testing.assert_allclose(got, want, rtol=2e-6, atol=2e-6 * g.sum(axis=-1, keepdims=True).max())


def _circuit(synapse, conn, n_pre, n_post, g_max):
    times = np.random.default_rng(3).uniform(1.0, 40.0, 3 * n_pre)
    pre = bp.neurons.SpikeTimeGroup(n_pre, times=times.tolist(), indices=(np.arange(3 * n_pre) % n_pre).tolist())
    post = bp.neurons.LIF(n_post, V_rest=-65., V_reset=-65., V_th=100., tau=10., V_initializer=bp.init.Constant(-65.))
    syn = getattr(bp.synapses, synapse)(pre, post, conn, g_max=g_max, delay_step=2)
    return pre, syn, post


def test_a_run_is_the_run_through_an_explicit_connector_of_the_same_pairs():
    # every (synapse, connector) case twice, through the connector and through bp.conn.MatConn of its pairs (the
    # general path: the matrix product), as independent circuits of one network run once: nothing is random, so
    # each circuit's g and V are those of its own run (checked bit for bit when the cases were merged)
    parts, monitors, cases = {}, {}, []
    for synapse in ("AMPA", "NMDA"):  # GABAa is AMPA's code, BioNMDA NMDA's
        for conn in sorted(CONNS):
            make, n_pre, n_post, pairs = CONNS[conn]
            g_max = 0.02 if conn.startswith("all2all") else 0.5  # V moves a few mV, far from E
            for how, connector in (("sum", make()), ("mat", bp.conn.MatConn(pairs))):
                pre, syn, post = _circuit(synapse, connector, n_pre, n_post, g_max)
                name = f"c{len(parts) // 3}"
                parts.update({f"{name}_pre": pre, f"{name}_syn": syn, f"{name}_post": post})
                monitors.update({f"{synapse} {conn} {how} g": syn.g, f"{synapse} {conn} {how} V": post.V})
            cases.append((synapse, conn))
    runner = bp.DSRunner(bp.DynSysGroup(**parts), monitors=monitors, progress_bar=False)
    runner.run(50.)
    mon = {k: np.asarray(runner.mon[k]) for k in monitors}
    for synapse, conn in cases:
        case = f"{synapse} on {conn}"
        g_sum, V_sum = mon[f"{synapse} {conn} sum g"], mon[f"{synapse} {conn} sum V"]
        g_mat, V_mat = mon[f"{synapse} {conn} mat g"], mon[f"{synapse} {conn} mat V"]
        np.testing.assert_array_equal(g_sum, g_mat, err_msg=case)  # the gates do not depend on the connector
        assert np.ptp(V_mat) > 1.0, case  # the synapse moved V
        np.testing.assert_allclose(V_sum, V_mat, rtol=0, atol=2e-5, err_msg=case)


def _largest_value(closed) -> int:
    """The most elements of any value a program holds or computes (its constants, inputs, and equations' outputs,
    in sub-programs too)."""
    return max([int(np.prod(np.shape(c))) for c in closed.consts] + [_largest_in(closed.jaxpr)])


def _largest_in(jaxpr) -> int:
    most = 0
    for var in [*jaxpr.constvars, *jaxpr.invars]:
        most = max(most, int(np.prod(getattr(var.aval, "shape", ()))))
    for eqn in jaxpr.eqns:
        for out in eqn.outvars:
            most = max(most, int(np.prod(getattr(out.aval, "shape", ()))))
        for value in eqn.params.values():
            for sub in value if isinstance(value, (list, tuple)) else [value]:
                sub = getattr(sub, "jaxpr", sub)
                if hasattr(sub, "eqns"):
                    most = max(most, _largest_in(sub))
    return most


@pytest.mark.parametrize("kind", ["scalar", "per_target", "per_source"])
@pytest.mark.parametrize("synapse", ["GABAa", "BioNMDA"])
@pytest.mark.parametrize("conn", ["all2all", "all2all_no_self", "one2one"])
def test_a_step_holds_no_value_per_pair(conn, synapse, kind):
    make, n_pre, n_post, pairs = CONNS[conn]
    if conn == "one2one" and kind == "per_source":
        kind = "per_target"  # one value per neuron either way
    g_max = _g_max(kind, n_pre, n_post)
    pre, post = bp.neurons.LIF(n_pre), bp.neurons.LIF(n_post)
    for connector, expected_per_pair in ((make(), False), (bp.conn.MatConn(pairs), True)):
        syn = getattr(bp.synapses, synapse)(pre, post, connector, g_max=g_max, delay_step=1)
        largest = _largest_value(jax.make_jaxpr(lambda syn=syn: syn.update())())
        # the check sees the matrix of the general path
        assert (largest >= n_pre * n_post) == expected_per_pair, (connector, largest)


def test_a_sweep_build_draws_the_graphs_after_an_all2all_synapse_as_after_an_explicit_one():
    # each connector drawn in a traced build() advances the count that keys the next one's graph
    def simulation(first):
        def build(params):
            pre = bp.neurons.SpikeTimeGroup(12, times=[1.0] * 12, indices=list(range(12)))
            post = bp.neurons.LIF(6, V_rest=-60.0, V_reset=-60.0, V_th=100.0, tau=20.0)
            nmda = bp.synapses.NMDA(pre, post, first(), g_max=0.01)
            ampa = bp.synapses.AMPA(pre, post, bp.conn.FixedProb(0.5))
            return bp.Network(pre=pre, post=post, nmda=nmda, ampa=ampa)

        return Simulation(build, normalize_monitors({"V": "post.V"}), dt=0.1).run([0, 1], {}, 60, keep=True)[1]["V"]

    after_all2all = simulation(bp.conn.All2All)
    after_matrix = simulation(lambda: bp.conn.MatConn(np.ones((12, 6), bool)))
    assert np.abs(after_matrix[0] - after_matrix[1]).max() > 0.1  # two runs, two AMPA graphs: V tells them apart
    np.testing.assert_allclose(after_all2all, after_matrix, rtol=0, atol=2e-5)
