"""Delta synapses: jumps of a postsynaptic Variable, with the connectors, weights and delays of any
projection, and Brian2's refractory boundary for jumps onto a clamped V."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.models import (CUBA, AllToAll, Delta, Exponential, FixedInDegree, FixedProb, LifRef,
                               PoissonInput, Projection)

from _projection_support import DT, Probe, Source, simulate

# Brian2 2.9, `bench/brunel_brian2.py trace`: two LIF neurons (tau 20 ms, V_rest 0, V_th 20 mV, V_r 10 mV,
# refractory 2 ms "(unless refractory)", dt 0.1 ms) start at 25 mV and spike in step 0; neuron 0 -> 1 by
# `on_pre='v_post += 1*mV'`. v of neuron 1 recorded when="before_synapses" (after the step's integration,
# before synaptic writes: brainbatch's V at the end of a step without a spike), steps 17..23.
BRIAN2_TRACE = {
    1.8: [10.0, 10.0, 10.0, 9.950125, 9.900498, 9.851119, 9.801987],
    1.9: [10.0, 10.0, 10.0, 9.950125, 9.900498, 9.851119, 9.801987],
    2.0: [10.0, 10.0, 10.0, 9.950125, 10.895511, 10.841169, 10.787099],
}


@pytest.fixture(scope="module")
def brian2_pairs():
    """``{delay: (V, spike)}`` of the two neurons of BRIAN2_TRACE for each delay: the three pairs (each a group of
    its own) in one network, one compiled loop."""
    nodes = {}
    for k, delay in enumerate(sorted(BRIAN2_TRACE)):
        G = LifRef(2, V_rest=0.0, V_reset=10.0, V_th=20.0, tau=20.0, tau_ref=2.0, V_initializer=bb.Constant(25.0))
        nodes[f"G{k}"] = G
        nodes[f"syn{k}"] = Projection(G, G, AllToAll(), Delta(), weight=np.array([[0.0, 1.0], [0.0, 0.0]]), delay=delay)
    rec = simulate(bb.Network(**nodes), 24, lambda: {k: (G.V.value, G.spike.value) for k, G in nodes.items()
                                                      if k.startswith("G")})
    return {delay: tuple(map(np.asarray, rec[f"G{k}"])) for k, delay in enumerate(sorted(BRIAN2_TRACE))}


@pytest.mark.parametrize("delay", sorted(BRIAN2_TRACE))
def test_jump_near_the_end_of_the_refractory_period_follows_brian2(brian2_pairs, delay):
    V, spike = brian2_pairs[delay]
    assert spike[0].all() and not spike[1:].any()  # both spike in step 0, then never
    # 1.9 ms: the jump reaches step 20 (the first free step) and is dropped, as Brian2 drops it in the
    # synapse slot of its last refractory step 19; 2.0 ms: it counts.
    np.testing.assert_allclose(V[17:24, 1], BRIAN2_TRACE[delay], atol=2e-5)
    np.testing.assert_allclose(V[17:24, 0], BRIAN2_TRACE[1.8], atol=2e-5)  # neuron 0 receives nothing


def test_poisson_input_onto_v_has_the_same_boundary():
    # p = 1: exactly 2 x 0.5 mV every step. Brian2 (PoissonInput(G, 'v', N=2, rate=10 kHz, weight=0.5 mV),
    # same neuron): 10, 10, 10, 9.950125, 10.895511, 11.836182, 12.772161, 13.703472 in steps 17..24.
    G = LifRef(1, V_rest=0.0, V_reset=10.0, V_th=20.0, tau=20.0, tau_ref=2.0, V_initializer=bb.Constant(25.0))
    net = bb.Network(G=G, drive=PoissonInput(G.V, 2, 1000.0 / DT, 0.5))
    V = np.asarray(simulate(net, 25, lambda: G.V.value))
    np.testing.assert_allclose(V[17:25, 0], [10.0, 10.0, 10.0, 9.950125, 10.895511, 11.836182, 12.772161, 13.703472],
                               atol=2e-5)


def test_a_delta_category_input_counts_from_the_first_free_step():
    # add_inp_fun(..., category="delta") is added after integration: dropped only while refractory
    G = LifRef(1, V_rest=0.0, V_reset=10.0, V_th=20.0, tau=20.0, tau_ref=2.0, V_initializer=bb.Constant(25.0))
    G.add_inp_fun("kick", lambda: 0.01, category="delta")
    V = np.asarray(simulate(bb.Network(G=G), 22, lambda: G.V.value))[:, 0]
    assert np.all(V[1:20] == 10.0)  # refractory in steps 1..19
    np.testing.assert_allclose(V[20], 10.0 * np.exp(-DT / 20.0) + 0.01, rtol=1e-6)


def test_conductance_increments_are_never_dropped():
    # the same spike onto an Exponential synapse of a refractory neuron: g holds it while V is clamped
    G = LifRef(2, V_rest=0.0, V_reset=10.0, V_th=20.0, tau=20.0, tau_ref=2.0, V_initializer=bb.Constant(25.0))
    proj = Projection(G, G, AllToAll(), Exponential(5.0), CUBA(), weight=np.array([[0.0, 1.0], [0.0, 0.0]]),
                      delay=1.0)
    g = np.asarray(simulate(bb.Network(G=G, proj=proj), 16, lambda: proj.syn.g.value))
    assert g[10, 1] == 0.0 and g[11, 1] == pytest.approx(1.0) and g[15, 1] == pytest.approx(np.exp(-0.4 / 5.0), rel=1e-5)


# -- the same connectors, weights and delays as every projection ------------------------------------
class Free(Probe):
    """V moves only by what lands on it; a current a projection registers is read and ignored."""

    def update(self):
        self.sum_current_inputs(self.V.value)  # read (an unread registered input is an error), not used


def _delta_and_reference(cases, n_steps=14):
    """``{case: (V, g)}``: arrivals per step through a Delta onto a free V, and through Exponential(1e9) (g sums
    arrivals), for every case ``(conn, weight, delay, raster, n_post)`` of ``cases``. One network per synapse kind
    holds every case (one compiled loop each); a projection draws its table, weights and delays from its path, and
    the two networks name each case's projection alike, so both draw the same."""
    out = {}
    for syn, out_ in ((Delta, None), (lambda: Exponential(1e9), CUBA)):
        nodes, reads = {}, {}
        for name, (conn, weight, delay, raster, n_post) in cases.items():
            pre, post = Source(raster), (Free if out_ is None else Probe)(n_post, V=0.0)
            proj = Projection(pre, post, conn, syn(), *([out_()] if out_ else []), weight=weight, delay=delay)
            nodes.update({f"pre_{name}": pre, f"post_{name}": post, name: proj})
            reads[name] = (lambda post=post: post.V.value) if out_ is None else (lambda proj=proj: proj.syn.g.value)
        rec = simulate(bb.Network(**nodes), n_steps, lambda: {name: read() for name, read in reads.items()}, seed=3)
        for name in cases:
            out.setdefault(name, []).append(np.asarray(rec[name]))
    return out


WEIGHTS, DELAYS = ["scalar", "normal", "dense"], [None, 0.3, "per_pre", "dense", "uniform"]


@pytest.fixture(scope="module")
def delivered():
    """Every case of the two tests below, simulated together (see ``_delta_and_reference``)."""
    rng = np.random.default_rng(0)
    n_pre, n_post = 6, 5
    raster = rng.random((14, n_pre)) < 0.3
    weights = {"scalar": 0.7, "normal": bb.Normal(0.5, 0.2), "dense": rng.normal(size=(n_pre, n_post))}
    delays = {None: None, 0.3: 0.3, "per_pre": np.arange(n_pre) * 0.1,
              "dense": rng.integers(0, 4, size=(n_pre, n_post)) * 0.1, "uniform": bb.Uniform(0.0, 0.5)}
    cases = {f"c{i}_{j}": (FixedProb(0.6), weights[w], delays[d], raster, n_post)
             for i, w in enumerate(WEIGHTS) for j, d in enumerate(DELAYS)}
    one = np.zeros((14, 1), bool)
    one[2, 0] = True
    cases["arrival"] = (AllToAll(), 0.25, 0.5, one, 3)
    return _delta_and_reference(cases)


@pytest.mark.parametrize("delay", DELAYS)
@pytest.mark.parametrize("weight", WEIGHTS)
def test_delta_delivers_what_any_synapse_receives(delivered, weight, delay):
    V, g = delivered[f"c{WEIGHTS.index(weight)}_{DELAYS.index(delay)}"]
    np.testing.assert_allclose(V, g, atol=1e-5)
    assert np.abs(V).max() > 0.5  # something arrived


def test_a_spike_arrives_one_step_later_plus_the_delay(delivered):
    V, _ = delivered["arrival"]  # one spike in step 2 (of 14), onto 3 targets
    assert np.all(V[:8] == 0.0) and np.allclose(V[8:], 0.25)  # step 2 + 1 + 5


def test_delta_onto_any_float_variable_by_name():
    class Counter(bb.NeuGroup):
        def __init__(self, n):
            super().__init__(n)
            self.reset_state()

        def reset_state(self, batch_size=None):
            self.init_variable("x", 0.0, batch_size=batch_size)
            self.init_variable("spike", False, batch_size=batch_size, dtype=jnp.bool_)

        def update(self):
            self.x.value = self.x.value * 0.5  # halves every step after the jump landed

    raster = np.zeros((4, 2), bool)
    raster[0] = True
    pre, post = Source(raster), Counter(3)
    proj = Projection(pre, post, AllToAll(), Delta("x"), weight=2.0)
    x = np.asarray(simulate(bb.Network(pre=pre, post=post, proj=proj), 4, lambda: post.x.value))
    np.testing.assert_allclose(x[:, 0], [0.0, 2.0, 1.0, 0.5])  # 2 spikes x 2.0, halved in the same step


def test_delta_network_lanes_of_a_vmapped_batch_equal_single_runs():
    # a random LifRef network with delta synapses and Poisson drive onto V
    E = LifRef(200, V_rest=0.0, V_reset=10.0, V_th=20.0, tau=20.0, tau_ref=2.0, V_initializer=bb.Uniform(0.0, 20.0))
    ee = Projection(E, E, FixedInDegree(20, allow_self_conn=False), Delta(), weight=0.5, delay=1.5)
    net = bb.Network(E=E, ee=ee, drive=PoissonInput(E.V, 50, 50.0, 0.5))  # V_inf 25 mV
    n_steps = 300
    single = np.asarray(simulate(net, n_steps, lambda: E.spike.value, seed=5))
    assert 0 < single.mean() < 0.05
    variables = net.vars()

    def run(key):
        with bb.environment(key=key, dt=DT):
            net.reset()
            step = bb.core.functional(lambda i: (net.step_run(i), E.spike.value)[1], variables)
            state = {p: v.value for p, v in variables.items()}
            return jax.lax.scan(lambda s, i: step.pure(s, {"key": key}, i), state, jnp.arange(n_steps))[1]

    batched = np.asarray(jax.jit(jax.vmap(run))(jnp.stack([jax.random.key(5), jax.random.key(6)])))
    np.testing.assert_array_equal(batched[0], single)
    assert not np.array_equal(batched[0], batched[1])


# -- errors -------------------------------------------------------------------------------------------
def test_delta_errors_name_the_problem():
    pre, post = Source(np.zeros((2, 3), bool)), Probe(4)
    with pytest.raises(ValueError, match="Did you mean 'V'"):
        Projection(pre, post, AllToAll(), Delta("v"))
    with pytest.raises(TypeError, match="float Variable"):
        Projection(pre, post, AllToAll(), Delta("spike"))
    with pytest.raises(TypeError, match="takes no output"):
        Projection(pre, post, AllToAll(), Delta(), CUBA())
    with pytest.raises(TypeError, match="out is required"):
        Projection(pre, post, AllToAll(), Exponential(5.0))
    with pytest.raises(TypeError, match="name of a Variable"):
        Delta(3)
    with pytest.raises(ValueError, match="not attached"):
        Delta().target_var


# -- the method that tells what a subclass receives ----------------------------------------------------
def test_delivered_applies_per_synapse_delays_and_spikes_sent_says_it_does_not():
    class Jump(Projection):  # a user's own delta projection: V += what arrives now
        def update(self, *args):
            self.seen.value = self.spikes_sent()
            self.post.V.value = self.post.V.value + self.delivered()

    raster = np.zeros((20, 1), bool)
    raster[1, 0] = True
    pre, post = Source(raster), Free(2, V=0.0)
    proj = Jump(pre, post, AllToAll(), Exponential(5.0), CUBA(), delay=np.array([[0.5, 1.5]]))
    proj.seen = bb.Variable(jnp.zeros(1, bool))
    V, sent = simulate(bb.Network(pre=pre, post=post, proj=proj), 20, lambda: (post.V.value, proj.seen.value))
    V, sent = np.asarray(V), np.asarray(sent)
    assert np.nonzero(V[:, 0])[0][0] == 1 + 1 + 5 and np.nonzero(V[:, 1])[0][0] == 1 + 1 + 15
    # per-synapse delays act after spikes_sent(): it shows pre's spike of step 1 in step 2, undelayed
    assert np.nonzero(sent[:, 0])[0].tolist() == [2]
