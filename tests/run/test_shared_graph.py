"""One graph for every run: a ``graph_seed`` draws it from a key that is not the run's, and a batch
holds one copy of it (run/sharing.py, docs/random.md "One graph for every run", docs/large-models.md).

Memory is measured with XLA's buffer assignment of the compiled programs (``memory_analysis``), never
with time; results are compared bitwise with each run alone.
"""
import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.models import COBA, CUBA, STDP, Exponential, FixedProb, FixedTotalNumber, LifRef, Pathways, Projection
from brainbatch.run import Simulation
from brainbatch.run.monitors import normalize_monitors
from brainbatch.run.sharing import lane_dependence

DT = 0.1
SEEDS = np.arange(8)


def table_net(params, graph_seed=0, weight=None, n=200):
    """An E/I table of n + n/4 LIF neurons (in-degrees 60 and 15) with Poisson drive from the step key."""
    E, I = LifRef(n, name="E"), LifRef(n // 4, name="I")
    w = 1.0 if weight is None else weight
    m = n // 4
    pw = Pathways({"E": E, "I": I}, {"E": E, "I": I}, FixedTotalNumber.table([[60 * n, 15 * n], [60 * m, 15 * m]]),
                  Exponential(0.5), CUBA(), weight=[[w, -4.0], [w, -4.0]], delay=bb.Normal(1.5, 0.75),
                  graph_seed=graph_seed)
    drive = bb.PoissonInput(E.V, 100, 25.0, 1.0)
    drive_i = bb.PoissonInput(I.V, 100, 25.0, 1.0)
    return bb.Network(E=E, I=I, pw=pw, drive=drive, drive_i=drive_i)


def sim_of(factory, lanes="auto"):
    return Simulation(factory, normalize_monitors({"sE": "E.spike", "sI": "I.spike"}), dt=DT, lanes=lanes)


def chunk_memory(sim):
    compiled = [p for k, p in sim._programs._programs.items() if k.kind == "chunk" and k.placement and k.lanes == "vmap"]
    assert len(compiled) == 1
    return compiled[0].memory_analysis()


def init_memory(sim):
    """The memory of the init program the run compiled (its keys: the 8 seeds)."""
    compiled = [p for k, p in sim._programs._programs.items() if k.kind == "init" and k.placement]
    assert len(compiled) == 1
    return compiled[0].memory_analysis()


def nbytes(state, paths):
    return sum(state[p].nbytes for p in paths)


#: the batches run in calls of CHUNK steps: the 200 steps of the lane tests and the 10 of the batch without a
#: graph_seed use one compiled chunk program per lane mode and Simulation, whose scratch is measured below
CHUNK = 10


@functools.cache
def _batch():
    """One Simulation of the n=200 table with graph_seed=3 for every batch of the 8 seeds (one init program,
    ``ProgramKey``: it does not depend on the lane mode) and for the memory test; each lane mode its own chunk."""
    return sim_of(lambda p: table_net(p, 3), "vmap")


@functools.cache
def _batch_run(lanes):
    """``(state, records, lane mode of the chunk program the run compiled)``: the 8 seeds for 200 steps."""
    batch = _batch()
    batch.lanes = lanes
    state, recs = batch.run(SEEDS, {}, 200, chunk_steps=CHUNK)
    return state, recs, [k.lanes for k in batch._programs._programs if k.kind == "chunk" and k.placement][-1]


@functools.cache
def _own():
    """``(own_sim, own_state)``: the same table without a graph_seed, the 8 seeds for 10 steps (vmap)."""
    own_sim = sim_of(lambda p: table_net(p, None), "vmap")
    own_state, _ = own_sim.run(SEEDS, {}, CHUNK)
    return own_sim, own_state


def test_a_batch_of_seeds_sharing_a_graph_holds_one_copy_of_it():
    shared_sim, (shared_state, _, _), (own_sim, own_state) = _batch(), _batch_run("vmap"), _own()
    table = ("pw.targets", "pw.weights")
    assert set(table) <= shared_sim.shared_paths({}) and not set(table) & own_sim.shared_paths({})
    one_table = nbytes(shared_state, table)
    assert own_state["pw.targets"].shape == (len(SEEDS), *shared_state["pw.targets"].shape)  # no lane axis
    assert nbytes(own_state, table) == len(SEEDS) * one_table
    shared = shared_sim.shared_paths({})  # the table and its overflow flag
    assert nbytes(shared_state, shared) < 1.01 * one_table
    # the compiled chunk: its arguments hold the table once, and its scratch holds no copy per lane
    shared_mem, own_mem = chunk_memory(shared_sim), chunk_memory(own_sim)
    saved = own_mem.argument_size_in_bytes - shared_mem.argument_size_in_bytes
    assert 0 <= saved - (len(SEEDS) - 1) * nbytes(shared_state, shared) < 64  # (XLA aligns small buffers)
    # (the native delivery loops over the rows; the pure-JAX twin, where the kernels are off, gathers every
    # row a spike may reach as a window of max_row slots per lane: about one table of scratch per lane, by
    # design of that path, while the arguments above still hold the table once)
    bound = one_table if bb.kernels.active_backend() == "native" else len(SEEDS) * one_table
    assert shared_mem.temp_size_in_bytes < bound, (shared_mem.temp_size_in_bytes, one_table)
    # the init programs' outputs: 8 lanes' own variables and one table (the per-lane constants, filled on
    # the host, are left out of both alike)
    assert abs(init_memory(own_sim).output_size_in_bytes - init_memory(shared_sim).output_size_in_bytes - saved) < 64


@functools.cache
def _alone():
    """One Simulation of the graph_seed=3 table for the runs of one seed alone (compiled once, shared)."""
    return sim_of(lambda p: table_net(p, 3))


@functools.cache
def run_alone(seed):
    """``(state, records)`` of seed ``seed`` run alone for 200 steps with graph_seed=3 (each run once)."""
    return _alone().run(np.asarray([seed]), {}, 200)


@pytest.mark.parametrize("lanes", ["vmap", "loop"])
def test_each_lane_equals_its_seed_run_alone_with_the_same_graph_seed(lanes):
    _, recs, compiled = _batch_run(lanes)
    assert compiled == lanes
    for lane, seed in enumerate(SEEDS[:3]):
        _, one = run_alone(int(seed))
        for name in ("sE", "sI"):
            assert np.array_equal(recs[name][lane], one[name][0]), (lanes, seed, name)
    assert recs["sE"][:3].sum() > 300  # the network is active
    assert not np.array_equal(recs["sE"][0], recs["sE"][1])  # the noise differs


def test_graph_seed_g_draws_the_graph_of_run_seed_g():
    # one rule for the key (docs/random.md): a graph_seed stands in for the run's seed, so run seed 3
    # with graph_seed=3 is exactly run seed 3 without one (the batches of 8 seeds of the memory test)
    with_seed, without = _batch_run("vmap")[0], _own()[1]
    assert SEEDS[3] == 3
    for path in ("pw.targets", "pw.weights"):  # numpy: eager jnp indexing would compile programs
        assert np.array_equal(np.asarray(with_seed[path]), np.asarray(without[path])[3])
    # another graph_seed, another graph (the graph is all there is to compare: its init program alone)
    other = sim_of(lambda p: table_net(p, 4)).init(jax.vmap(jax.random.key)(jnp.asarray([3], jnp.uint32)), {})
    assert other["pw.targets"].shape == with_seed["pw.targets"].shape
    assert not np.array_equal(other["pw.targets"], with_seed["pw.targets"])


def test_a_graph_that_depends_on_a_swept_parameter_is_not_shared():
    # the weights follow the swept value w (traced): one copy per lane; the synapses themselves do not
    sim = sim_of(lambda p: table_net(p, 0, weight=bb.Normal(p["w"], 0.1, keep_sign=True)))
    params = {"w": jnp.asarray([1.0, 1.5, 2.0])}
    shared = sim.shared_paths(params)
    assert "pw.targets" in shared and "pw.weights" not in shared
    state, _ = sim.run(SEEDS[:3], params, 10)
    # one table without a lane axis: the shape of the model's own variable (traced, not built)
    one = {info.path: info.shape for info in sim.probe({"w": 1.0})[1]}
    assert state["pw.weights"].shape == (3, *one["pw.weights"]) and state["pw.targets"].shape == one["pw.targets"]
    weights = np.asarray(state["pw.weights"])  # numpy: eager jnp indexing and means would compile programs
    means = [float(weights[k][weights[k] > 0].mean()) for k in range(3)]
    assert means[0] < means[1] < means[2]


def test_what_a_step_writes_or_the_run_key_draws_is_never_shared():
    def net(p):
        E = LifRef(100, name="E", V_initializer=bb.Uniform(-70.0, -50.0))
        stdp = Projection(E, E, FixedProb(0.1), Exponential(5.0), COBA(0.0), weight=0.5, plasticity=STDP(),
                          graph_seed=1)
        fixed = Projection(E, E, FixedProb(0.1), Exponential(5.0), COBA(0.0), weight=0.5, graph_seed=1)
        own = Projection(E, E, FixedProb(0.1), Exponential(5.0), COBA(0.0), weight=0.5)
        return bb.Network(E=E, stdp=stdp, fixed=fixed, own=own)

    shared = Simulation(net, [], dt=DT).shared_paths({})
    assert {"stdp.targets", "stdp.post_index", "fixed.targets"} <= shared
    # plastic weights and traces are written by the steps; V is drawn from the run key; own's graph too
    assert not {"stdp.w", "E.V", "own.targets"} & shared


def test_lane_dependence_follows_values_through_calls():
    inner = jax.jit(lambda a, b: (a * 2, b + 1))

    def f(key, p):
        a, b = inner(jnp.ones(3), p)
        return {"const": a, "param": b, "key": jax.random.uniform(key, (2,)),
                "graph": jax.random.uniform(jax.random.key(5), (2,))}

    assert lane_dependence(f, jax.random.key(0), 1.0) == {"const": False, "param": True, "key": True, "graph": False}


def test_lane_dependence_goes_around_loops_and_into_branches():
    def f(key, p):
        def body(c, x):
            a, b, c2 = c
            return (a + 1, b * p, c2 + b), x
        (a, b, c2), _ = jax.lax.scan(body, (jnp.zeros(()), jnp.ones(()), jnp.zeros(())), jnp.arange(3.0))
        w_a, w_b = jax.lax.while_loop(lambda c: c[0] < 5, lambda c: (c[0] + 1, c[1] + p), (0, 0.0))
        lane_count = jax.lax.while_loop(lambda c: c[0] < p, lambda c: (c[0] + 1, c[1] + 1), (0.0, 0))[1]
        branch = jax.lax.cond(a > 1, lambda: (a * 2, b), lambda: (a, b))
        return {"a": a, "b": b, "c2": c2, "w_a": w_a, "w_b": w_b, "n": lane_count, "br_a": branch[0], "br_b": branch[1]}

    # c2 only depends through the carry b after one turn of the loop; n counts a lane's own iterations
    assert lane_dependence(f, jax.random.key(0), 2.0) == {
        "a": False, "b": True, "c2": True, "w_a": False, "w_b": True, "n": True, "br_a": False, "br_b": True}


def test_the_runner_continues_a_run_whose_graph_is_shared():
    # one Runner (one compiled init): two runs of 5 ms, then the whole 10 ms again from the seed (reset),
    # in chunks of 5 ms inside that one run (one compiled chunk; that chunks of a run whose graph is
    # shared equal one chunk is the lane test's: its batches run in chunks, each seed alone in one)
    runner = bb.Runner(table_net({}, 2), monitors=["E.spike"], progress_bar=False, seed=1, chunk_steps=50)
    built = runner.target.pw.targets.value.shape
    first, second = runner.run(5.0)["E.spike"], runner.run(5.0)["E.spike"]
    assert runner.target.pw.targets.value.shape == built
    whole = runner.run(10.0, reset=True)["E.spike"]
    assert np.array_equal(whole, np.concatenate([first, second]))


def test_graph_seed_is_checked():
    E = LifRef(10, name="E")
    with pytest.raises(ValueError, match="graph_seed must be None .* or an integer >= 0, got -1"):
        Projection(E, E, FixedProb(0.1), Exponential(5.0), COBA(0.0), graph_seed=-1)
    with pytest.raises(ValueError, match="graph_seed must be None .* got 1.5"):
        Pathways([E], [E], FixedTotalNumber(10), Exponential(0.5), CUBA(), graph_seed=1.5)
