"""``Pathways``: a table of projections, one synaptic state per target and one ring of delayed inputs.

What arrives is checked against the drawn table decoded on the host (spike of step s from pre i on a
synapse of d steps reaches its target in step s + 1 + d); each pathway's rule is checked by counting.
"""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.models import CUBA, Exponential, FixedInDegree, FixedProb, FixedTotalNumber, Pathways

from _projection_support import DT, Probe, Source

N_A, N_B, N_X, N_Y, STEPS = 30, 20, 25, 15, 40


def _build(seed=0):
    rng = np.random.default_rng(seed)
    A, B = Source(rng.random((STEPS, N_A)) < 0.2), Source(rng.random((STEPS, N_B)) < 0.2)
    X, Y = Probe(N_X), Probe(N_Y)
    conn = [[FixedTotalNumber(200), FixedProb(0.2)],
            [FixedInDegree(50, allow_multapses=True), None]]  # 50 > 30 sources: multapses, as NEST allows
    weight = [[bb.Normal(1.0, 0.5, keep_sign=True), -2.0], [0.5, 1.0]]
    delay = [[bb.Normal(0.3, 0.1), 0.2], [None, bb.Uniform(0.0, 0.5)]]
    pw = Pathways({"A": A, "B": B}, {"X": X, "Y": Y}, conn, Exponential(1e9), CUBA(), weight=weight, delay=delay)
    net = bb.Network(A=A, B=B, X=X, Y=Y, pw=pw)
    raster = np.concatenate([np.asarray(A.raster.value), np.asarray(B.raster.value)], axis=1)
    return pw, raster, _run(net, pw, seed), net


def _run(net, pw, seed, kernels=None):
    """Reset ``net`` (the table drawn from ``seed``), then the conductances of X and Y in each of STEPS steps, the
    steps traced under ``use_kernels(kernels)`` where given (the table is drawn outside it: the draw uses no kernel,
    and under the block it would compile again)."""
    from contextlib import nullcontext

    from brainbatch.kernels import use_kernels

    with bb.environment(key=jax.random.key(seed), dt=DT):
        net.reset()
        with use_kernels(kernels) if kernels else nullcontext():
            g = bb.for_loop(lambda i: (net.step_run(i), jnp.concatenate([pw.syn["X"].g.value, pw.syn["Y"].g.value]))[1],
                            jnp.arange(STEPS), dyn_vars=net)
    return np.asarray(g)


@pytest.fixture(scope="module")
def built():
    pw, raster, g, net = _build()
    pre, t, w = _decoded(pw)
    n_post = N_X + N_Y
    syn = dict(pre=pre, d=t // n_post, post=t % n_post, w=w)
    return pw, raster, g, syn, net


def _decoded(pw):
    """``(pre, target, weight)`` of each drawn synapse, from the compressed rows (``indptr``), in row order."""
    indptr, t, w = (np.asarray(getattr(pw, n).value) for n in ("indptr", "targets", "weights"))
    n = indptr[-1]
    assert indptr[0] == 0 and np.all(np.diff(indptr) >= 0) and np.all(t[:n] < pw.pad) and np.all(t[n:] == pw.pad)
    return np.repeat(np.arange(indptr.size - 1), np.diff(indptr)), t[:n], w[:n]


def _block(syn, pre_lo, pre_hi, post_lo, post_hi):
    return (syn["pre"] >= pre_lo) & (syn["pre"] < pre_hi) & (syn["post"] >= post_lo) & (syn["post"] < post_hi)


def test_each_pathway_follows_its_rule(built):
    pw, _, _, syn, _ = built
    # the mean count, static (the dry run's): an in-degree of 50 from 30 sources is 50 per target, multapses
    assert pw.expected_synapses() == pytest.approx(200 + 0.2 * N_B * N_X + 50 * N_Y)
    xa, xb = _block(syn, 0, N_A, 0, N_X), _block(syn, N_A, N_A + N_B, 0, N_X)
    ya, yb = _block(syn, 0, N_A, N_X, N_X + N_Y), _block(syn, N_A, N_A + N_B, N_X, N_X + N_Y)
    assert xa.sum() == 200  # fixed total number
    assert 0 < xb.sum() < N_B * N_X and yb.sum() == 0  # None: no pathway
    assert np.all(np.bincount(syn["post"][ya] - N_X, minlength=N_Y) == 50)  # in-degree 50 from 30 sources
    assert np.all(syn["w"][xa] > 0) and np.all(syn["w"][xb] == -2.0) and np.all(syn["w"][ya] == 0.5)
    assert syn["d"][xa].min() >= 1 and np.all(syn["d"][xb] == 2) and np.all(syn["d"][ya] == 0)


def test_arrivals_equal_the_decoded_table(built):
    pw, raster, g, syn, _ = built
    expected = np.zeros((STEPS, N_X + N_Y))
    for s in range(STEPS):
        for i in np.flatnonzero(raster[s]):
            m = syn["pre"] == i
            arrive = s + 1 + syn["d"][m]
            keep = arrive < STEPS
            np.add.at(expected, (arrive[keep], syn["post"][m][keep]), syn["w"][m][keep])
    np.testing.assert_allclose(g, np.cumsum(expected, axis=0), atol=1e-4)
    assert len(pw.syn) == 2 and pw.pending.shape == (round(pw._max_delay_ms / DT) + 1, N_X + N_Y)


def test_the_seed_reproduces_the_table(built):
    pw, net = built[0], built[4]
    first = tuple(np.asarray(getattr(pw, n).value) for n in ("indptr", "targets", "weights"))
    for seed, same in ((1, False), (0, True)):
        with bb.environment(key=jax.random.key(seed), dt=DT):
            net.reset()
        again = tuple(np.asarray(getattr(pw, n).value) for n in ("indptr", "targets", "weights"))
        assert all(np.array_equal(a, b) for a, b in zip(first, again)) == same


def test_bad_tables_are_named():
    X = Probe(3)
    A = Source(np.zeros((2, 4), bool))
    with pytest.raises(ValueError, match=r"\(targets, sources\) = \(1, 1\)"):
        Pathways({"A": A}, {"X": X}, [[FixedProb(0.1), FixedProb(0.1)]], Exponential(1.0), CUBA())
    with pytest.raises(TypeError, match=r"conn\[0\]\[0\] must be a connector or None"):
        Pathways({"A": A}, {"X": X}, [[0.1]], Exponential(1.0), CUBA())
    # a ragged table said "(2, 2), got (2, 2)" (audit)
    with pytest.raises(ValueError, match=r"got 2 rows whose row 1 \(target 'Y'\) has 1 entries, not 2"):
        Pathways({"A": A, "B": A}, {"X": X, "Y": Probe(3)}, FixedProb(0.1), Exponential(1.0), CUBA(),
                 weight=[[0.1, 0.2], [0.3]])
    with pytest.raises(ValueError, match="no pathway"):
        Pathways({"A": A}, {"X": X}, FixedProb.table([[0.0]]), Exponential(1.0), CUBA())
    with pytest.raises(ValueError, match="allow_multapses=True draws with replacement"):
        FixedInDegree(5)(jax.random.key(0), 4, 3)


def test_a_table_of_total_numbers_is_drawn_in_one_program():
    # every pathway FixedTotalNumber and every weight and delay a family: one vectorised draw
    E, I = Probe(300), Probe(100)
    conn = [[FixedTotalNumber(6000, allow_self_conn=False), FixedTotalNumber(3000)],
            [FixedTotalNumber(2000), FixedTotalNumber(500)]]
    weight = [[bb.Normal(1.0, 1.0, keep_sign=True), bb.Normal(-4.0, 0.4, keep_sign=True)],
              [bb.LogNormal(0.0, 0.5), bb.Uniform(-1.0, -0.5)]]
    delay = [[bb.Normal(1.5, 0.75), bb.Normal(0.75, 0.375)], [1.0, None]]
    pw = Pathways({"E": E, "I": I}, {"E": E, "I": I}, conn, Exponential(0.5), CUBA(), weight=weight, delay=delay)
    assert pw._total_numbers(DT, pw.pending.shape[0]) is not None
    pre, t, w = _decoded(pw)
    post, d = t % 400, t // 400
    blocks = {(h, g): (post // 300 == h) & (pre // 300 == g) for h in (0, 1) for g in (0, 1)}
    assert [blocks[k].sum() for k in ((0, 0), (0, 1), (1, 0), (1, 1))] == [6000, 3000, 2000, 500]
    ee = blocks[(0, 0)]
    assert not np.any(pre[ee] == post[ee])  # no autapses where excluded
    from scipy import stats
    ref = stats.truncnorm(-1.0, np.inf, loc=1.0, scale=1.0)
    assert w[ee].min() >= 0 and abs(w[ee].mean() - ref.mean()) < 5 * ref.std() / np.sqrt(6000)
    assert w[blocks[(0, 1)]].max() <= 0
    assert abs(np.log(w[blocks[(1, 0)]]).std() - 0.5) < 0.05
    assert np.all((w[blocks[(1, 1)]] >= -1.0) & (w[blocks[(1, 1)]] <= -0.5))
    assert d[ee].min() >= 1 and np.all(d[blocks[(1, 0)]] == 10) and np.all(d[blocks[(1, 1)]] == 0)
    ref = stats.truncnorm((0.1 - 1.5) / 0.75, 5.0, loc=1.5, scale=0.75)
    assert abs(d[ee].mean() * DT - ref.mean()) < 5 * ref.std() / np.sqrt(6000) + 0.005


def test_a_store_keeps_no_connectivity_when_asked_and_a_resume_redraws_it(tmp_path):
    exp = tmp_path / "tiny_pathways.py"
    exp.write_text('''
import brainbatch as bb
monitors = {"spikes": "E.spike"}
duration = 20.0


def build(save=False):
    E = bb.LifRef(40, V_rest=0.0, V_reset=0.0, V_th=10.0, tau=10.0, tau_ref=2.0, I_bias=11.0,
                  V_initializer=bb.Uniform(0.0, 10.0), name="E")
    rec = bb.Pathways({"E": E}, {"E": E}, bb.FixedTotalNumber.table([[400]]), bb.Exponential(0.5), bb.CUBA(),
                      weight=bb.Normal(-3.0, 1.0, keep_sign=True), delay=bb.Normal(1.0, 0.5), save_connectivity=save)
    return bb.Network(E=E, rec=rec)
''')
    short = bb.sweep(exp, seeds=1, out=str(tmp_path / "a.zarr"), progress=False)
    states = bb.load_state(short, seed=0)
    assert "rec.targets" not in states and "rec.weights" not in states and "rec.pending" in states
    longer = bb.sweep(exp, seeds=1, duration=40.0, out=str(tmp_path / "a.zarr"), progress=False)  # resumes at 20 ms
    whole = bb.sweep(exp, seeds=1, duration=40.0, out=str(tmp_path / "b.zarr"), progress=False)
    a, b = bb.open_results(longer)["spikes"].values, bb.open_results(whole)["spikes"].values
    assert a.sum() > 0
    np.testing.assert_array_equal(a, b)


def test_a_step_holds_one_copy_of_the_state():
    # XLA's buffer assignment of one compiled step: the state is updated in place (donated and aliased)
    # and the step's scratch is small next to it, so a run needs about 1x its state, not 4-7x
    # (the table of the tests below, 600 E + 150 I with 36000/9000/9000/2250 synapses: its draw compiles once)
    from brainbatch.core.transforms import functional

    with bb.environment(key=jax.random.key(0), dt=DT):
        net, pw = _total_number_table()
        net.reset()
        variables = dict(net.vars())
        state = {p: v.value for p, v in variables.items()}
        f = functional(lambda: net.step_run(0), variables)
        step = jax.jit(lambda s: f.pure(s, {"key": jax.random.key(0)})[0], donate_argnums=0)
        mem = step.lower(state).compile().memory_analysis()
    state_bytes = sum(v.nbytes for v in state.values())
    assert mem.alias_size_in_bytes == mem.argument_size_in_bytes == state_bytes
    # the native delivery loops over the rows; the pure-JAX twin (BRAINBATCH_KERNELS=jax, or no compiler)
    # gathers each spiking row as a window of max_row slots: more scratch, still well under one state
    bound = 0.25 if bb.kernels.active_backend() == "native" else 1.0
    assert mem.temp_size_in_bytes < bound * state_bytes, (mem.temp_size_in_bytes, state_bytes)
    # compressed rows: int32 target + float32 weight per synapse, int32 row start per presynaptic neuron
    assert pw.bytes_per_synapse() == 8 + 4 * 751 / 56250


def _total_number_table(n_e=600, n_i=150, group=None):
    from brainbatch.models import LifRef

    group = group or (lambda n, name: LifRef(n, name=name))
    E, I = group(n_e, "E"), group(n_i, "I")
    pw = Pathways({"E": E, "I": I}, {"E": E, "I": I},
                  FixedTotalNumber.table([[60 * n_e, 15 * n_e], [60 * n_i, 15 * n_i]]), Exponential(0.5), CUBA(),
                  weight=[[bb.Normal(1.0, 0.1, keep_sign=True), -4.0], [1.0, bb.Normal(-4.0, 0.4, keep_sign=True)]],
                  delay=[[bb.Normal(1.5, 0.75), bb.Normal(0.75, 0.375)]] * 2)
    return bb.Network(E=E, I=I, pw=pw), pw


def test_the_same_seed_gives_the_same_table_in_one_piece_or_in_chunks():
    # every random number is a counter-based hash of (pathway key, stream, synapse index), and each chunk
    # appends its synapses to their rows in drawing order: the chunk size cannot change the table
    from brainbatch.models.projections._table import chunk_for, draw_total_numbers

    # the table of the tests above (600 E + 150 I): its eager draw, compiled there, serves the constructor here
    net, pw = _total_number_table()
    with bb.environment(key=jax.random.key(0), dt=DT):  # the constructor drew the table of seed 0 already
        spec = pw._total_numbers(DT, pw.pending.shape[0])
        keys = np.stack([np.asarray(pw._keys(("pathway",))),
                         np.asarray(jax.random.key_data(jax.random.split(jax.random.key(5), 4)))])
    total = sum(spec.counts)
    assert total == 750 * 75 and chunk_for(total) == 2048  # the default: 28 chunks of 2048, the last partial
    starts = np.cumsum(spec.counts)[:-1]
    assert np.all(starts % 1100)  # chunks of 1100 end inside every pathway, and the last is partial too
    # chunks of 1100 inside a batch of two runs, against the default draw alone
    # (to numpy first: eager jnp indexing would compile a program per shape)
    indptr, targets, weights, _ = map(np.asarray, jax.jit(jax.vmap(lambda k: draw_total_numbers(k, spec, 1100)))(keys))
    np.testing.assert_array_equal(indptr[0], np.asarray(pw.indptr.value))
    np.testing.assert_array_equal(targets[0], np.asarray(pw.targets.value))
    np.testing.assert_array_equal(weights[0], np.asarray(pw.weights.value))
    assert not np.array_equal(targets[1], targets[0])  # the other key differs


def test_drawing_a_table_allocates_little_beyond_the_state():
    # XLA's buffer assignment of the whole init program (every group and the table drawn): the scratch
    # it allocates is a fraction of the state it returns, so the peak of a run's start is ~1x the state
    from brainbatch.run import Simulation

    sim = Simulation(lambda p: _total_number_table()[0], [], dt=DT)
    keys = jax.random.key(0)[None]
    mem = sim._programs.init(keys, {}).memory_analysis()
    state_bytes = mem.output_size_in_bytes
    assert state_bytes > 750 * 75 * 8  # the table at least: 8 bytes per synapse
    assert mem.temp_size_in_bytes < 0.5 * state_bytes, (mem.temp_size_in_bytes, state_bytes)


def test_a_drawn_table_holds_8_bytes_per_synapse_and_4_per_neuron():
    # compressed rows: an int32 target and a float32 weight per synapse, an int32 row start per presynaptic
    # neuron. A table whose size is random (FixedProb) has a capacity of mean + 10 sd + 10 synapses in all,
    # a margin of ~10 / sqrt(N) (rows padded to a per-row bound of mean + 10 sd + 10 cost 15-19 bytes)
    from brainbatch.models import LifRef

    E, I = LifRef(800, name="E"), LifRef(200, name="I")
    pw = Pathways({"E": E, "I": I}, {"E": E, "I": I}, FixedProb.table([[0.1, 0.1], [0.1, 0.1]]), Exponential(0.5),
                  CUBA(), weight=[[1.0, -4.0], [1.0, -4.0]], delay=bb.Normal(1.5, 0.75))
    drawn = int(pw.indptr.value[-1])
    mean = pw.expected_synapses()
    assert mean == 0.1 * 1000 * 1000 and abs(drawn - mean) < 5 * np.sqrt(mean)  # Binomial(10^6, 0.1)
    nbytes = sum(getattr(pw, n).value.nbytes for n in ("indptr", "targets", "weights"))
    assert pw.connectivity_bytes() == nbytes == 4 * 1001 + 8 * pw.capacity()  # the static figure is the real one
    assert pw.capacity() == int(np.ceil(mean + 10 * np.sqrt(1000 * 1000 * 0.1 * 0.9) + 10))
    assert pw.bytes_per_synapse() == nbytes / drawn
    assert 8.0 < pw.bytes_per_synapse() < 8 * (1 + 11 * np.sqrt(0.9 / mean)) + 4 * 1001 / drawn


def _live_since():
    """A function giving the bytes of the JAX arrays alive now that were not alive when it was made (those
    are kept alive by it, so their ids cannot be reused)."""
    import gc

    gc.collect()
    before = jax.live_arrays()
    ids = {id(a) for a in before}

    def live(held=before):
        return sum(a.nbytes for a in jax.live_arrays() if id(a) not in ids)

    return live


def test_a_runner_of_an_eagerly_built_model_holds_one_table():
    # bb.Runner(build()): build() draws a table eagerly, and the run's init draws its own from the run's seed.
    # The model's copy is dropped first (mark_redrawn), so the arrays alive during the run (jax.live_arrays,
    # bytes, sampled at each chunk) stay near one state, not two
    live = _live_since()
    with bb.environment(dt=DT):
        net, pw = _total_number_table()
        state = sum(v.value.nbytes for v in net.vars().values())
        assert pw.connectivity_bytes() > 0.7 * state  # the table is most of it
        seen = []
        runner = bb.Runner(net, monitors={"n": bb.Monitor("E.spike", reduce="sum")}, chunk_steps=20, progress_bar=False,
                           sink=lambda records, starts: seen.append(live()))
        runner.run(10.0)
    assert len(seen) == 5 and max(seen) < 1.2 * state, (max(seen) / state)  # was 2.0x: both tables
    assert live() < 1.05 * state  # after the run the model holds the run's final state
    # ... whose lane axis is dropped in place (XLA's buffer assignment: every byte aliased, no scratch);
    # x[0] was a copy of each variable, 1.5x the state at the end of the run where the table is most of it
    from brainbatch.run.runner import _first_lane

    lanes = {p: jax.ShapeDtypeStruct((1,) + tuple(v.shape), v.dtype) for p, v in net.vars().items()}
    mem = _first_lane.lower(lanes).compile().memory_analysis()
    assert mem.alias_size_in_bytes == mem.argument_size_in_bytes == state and mem.temp_size_in_bytes == 0
    assert int(pw.indptr.value[-1]) == 56250 and pw.targets.value.shape == (56250,)


def test_an_eager_reset_lets_the_old_table_go_before_drawing(monkeypatch):
    # at the moment the new table starts being drawn (eagerly) the old one is no longer held
    from brainbatch.models.projections import _pathways

    at_draw = []
    draw = _pathways._DRAW_TOTAL_NUMBERS

    def measured(*args):
        at_draw.append(live())
        return draw(*args)

    monkeypatch.setattr(_pathways, "_DRAW_TOTAL_NUMBERS", measured)
    live = _live_since()
    with bb.environment(key=jax.random.key(1), dt=DT):
        net, pw = _total_number_table()
        table = pw.connectivity_bytes()
        net.reset()
    assert len(at_draw) == 2 and at_draw[1] < 0.5 * table, (at_draw, table)
    assert int(pw.indptr.value[-1]) == 56250


def test_the_pure_jax_path_delivers_what_the_native_kernel_delivers(built):
    # the same table and spikes through event_ring_csr's pure-JAX twin (rows gathered in windows of
    # row_width(), as on GPU): the same arrivals to float rounding (sums of a few weights of ~1)
    from brainbatch.kernels import native_available

    if not native_available():
        pytest.skip("the native kernels could not be built here: the fixture ran the pure path already")
    pw, net = built[0], built[4]
    g = _run(net, pw, 0, kernels="jax")  # the same model, its table redrawn from seed 0
    np.testing.assert_allclose(g, built[2], rtol=0, atol=1e-4)
    assert np.abs(built[2]).sum() > 0


def test_a_pathway_of_distinct_pairs_draws_num_synapses_no_pair_twice():
    """``FixedTotalNumber(allow_multapses=False)`` in a table: the pathway's pairs come from its ``pairs``."""
    A, X = Source(np.zeros((1, N_A), bool)), Probe(N_X)
    num = N_A * N_X // 2
    pw = Pathways({"A": A}, {"X": X}, [[FixedTotalNumber(num, allow_multapses=False)]], Exponential(5.0), CUBA(),
                  weight=1.0)
    with bb.environment(key=jax.random.key(4), dt=DT):
        bb.Network(A=A, X=X, pw=pw).reset()
    pre, t, _ = _decoded(pw)
    pairs = set(zip(pre.tolist(), (t % N_X).tolist()))
    assert len(pre) == num and len(pairs) == num
