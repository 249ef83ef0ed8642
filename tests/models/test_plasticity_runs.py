"""Plastic projections inside the runner: a lane equals the run alone, resume equals one run, both kernel
paths agree, weights are recorded with a synapse dim, and bad input names the projection."""
import jax
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.models import AllToAll, Exponential, FixedProb, Projection
from brainbatch.models.plasticity import STDP, Rule, Trace
from brainbatch.run import Monitor, Simulation, normalize_monitors


def song(rate=50.0, n=100, gmax=0.1, conn=None, rule=None):
    inp = bb.PoissonGroup(n, freqs=rate)
    neu = bb.LIF(3, V_rest=-74.0, V_reset=-60.0, V_th=-54.0, tau=10.0, V_initializer=bb.Constant(-60.0))
    rule = rule or STDP(dApre=0.01 * gmax, dApost=-0.0105 * gmax, w_max=gmax)
    S = Projection(inp, neu, conn or FixedProb(0.5), Exponential(5.0), bb.COBA(0.0), weight=bb.Uniform(0.0, gmax),
                   plasticity=rule)
    return bb.Network(inp=inp, neu=neu, S=S)


@pytest.fixture(scope="module")
def sim():
    return Simulation(lambda p: song(), normalize_monitors({"spk": "neu.spike", "w": Monitor("S.w", every=500)}),
                      dt=0.1)


@pytest.fixture(scope="module")
def alone(sim):
    """Seed 2 run alone for 2000 steps: its final state and its records. In chunks of 1000 steps, as the batch below
    and the halves of the resumed run: one compiled program for all the single-lane runs of the module."""
    return sim.run([2], {}, 2000, keep=True, chunk_steps=1000)


def test_a_lane_equals_the_run_alone_bitwise(sim, alone):
    _, alone = alone
    state, batch = sim.run([0, 1, 2], {}, 2000, keep=True, chunk_steps=1000)  # vmapped lanes (lax.map lanes are plain runs)
    np.testing.assert_array_equal(alone["w"][0], batch["w"][2])
    np.testing.assert_array_equal(alone["spk"][0], batch["spk"][2])
    assert not np.array_equal(batch["w"][0], batch["w"][1])  # each lane learns its own weights
    assert batch["w"].shape == (3, 4, state["S.w"].shape[1]) and alone["spk"][0].sum() > 0


def test_resuming_from_a_saved_state_equals_one_run(sim, alone):
    whole, _ = alone  # seed 2, 2000 steps at once (recording, as the halves do: the same compiled program)
    half, _ = sim.run([2], {}, 1000, keep=True, total_steps=2000, chunk_steps=1000)
    saved = [{p: np.asarray(v)[0] for p, v in half.items() if not np.issubdtype(v.dtype, np.dtype("V"))
              and "key" not in str(v.dtype)}]  # lane 0 sliced in numpy: an eager slice compiles a program
    restored = sim.restore([2], {}, saved)
    resumed, _ = sim.run([2], {}, 1000, keep=True, initial_state=restored, start_step=1000, total_steps=2000,
                         chunk_steps=1000)
    for path in ("S.w", "S.apre", "S.apost", "neu.V"):
        np.testing.assert_array_equal(np.asarray(whole[path]), np.asarray(resumed[path]))


def test_state_dict_holds_the_weights_and_traces():
    net = song()
    with bb.environment(key=jax.random.key(1), dt=0.1):
        bb.core.assign_paths(net)
        net.reset()
    state = net.state_dict()
    assert {"S.w", "S.apre", "S.apost", "S.post_index"} <= set(state)
    w = np.asarray(state["S.w"]).copy()
    net.S.w.value = net.S.w.value * 0
    net.load_state_dict(state)
    np.testing.assert_array_equal(np.asarray(net.S.w.value), w)


def test_both_kernel_paths_learn_the_same_weights():
    out = {}
    for choice in ("jax", "native"):
        if choice == "native" and not bb.kernels.native_available():
            pytest.skip("no C++ compiler: the native path cannot be built here")
        with bb.kernels.use_kernels(choice):  # 200 ms, the model built and reset inside one compiled init
            state, _ = Simulation(lambda p: song(conn=AllToAll()), {}, dt=0.1).run([3], {}, 2000, keep=False)
            out[choice] = np.asarray(state["S.w"]), np.asarray(state["neu.V"])
    np.testing.assert_allclose(out["jax"][0], out["native"][0], rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(out["jax"][1], out["native"][1], rtol=1e-5)


def test_weight_monitor_describes_a_synapse_dim_and_records_subsets():
    net_sim = Simulation(lambda p: song(n=10), normalize_monitors({"w": "S.w", "ws": Monitor("S.w", index=[0, 3, 5])}),
                         dt=0.1)
    infos, states = net_sim.describe({})
    dims = {i.name: i.dims for i in infos}
    assert dims == {"w": ("S_synapse",), "ws": ("ws_synapse",)}
    assert {s.path: s.dims for s in states}["S.w"] == ("S_synapse",)
    _, rec = net_sim.run([0], {}, 20, keep=True)
    np.testing.assert_array_equal(rec["ws"][0], rec["w"][0][:, [0, 3, 5]])


def _static():
    inp = bb.PoissonGroup(10, freqs=10.0)
    neu = bb.LIF(2)
    return bb.Network(inp=inp, neu=neu, S=Projection(inp, neu, AllToAll(), Exponential(5.0), bb.COBA(0.0), weight=0.1))


def test_bad_input_names_the_projection():
    with pytest.raises(KeyError, match=r"'S.w'.*projection 'S' is static.*plasticity="):
        bb.Runner(_static(), monitors={"w": "S.w"}, progress_bar=False)
    with pytest.raises(ValueError, match=r"w_min must be <= w_max.*w_min=2.*w_max=1"):
        STDP(w_min=2.0, w_max=1.0)
    inp, neu = bb.PoissonGroup(4, freqs=1.0), bb.LIF(2)
    with pytest.raises(TypeError, match="plasticity must be an instance.*STDP"):
        Projection(inp, neu, AllToAll(), Exponential(5.0), bb.COBA(0.0), plasticity=STDP, name="EE")
    with pytest.raises(TypeError, match="projection 'EE'.*plasticity must be a rule"):
        Projection(inp, neu, AllToAll(), Exponential(5.0), bb.COBA(0.0), plasticity="stdp", name="EE")
    with pytest.raises(ValueError, match="projection 'EE2'.*per-synapse delays"):
        Projection(inp, neu, AllToAll(), Exponential(5.0), bb.COBA(0.0), delay=bb.Uniform(0.0, 1.0),
                   plasticity=STDP(), name="EE2")
    wrong_side = Rule(on_pre=lambda w, pre, post: w + pre["y"], pre_traces={"x": Trace(10.0)},
                      post_traces={"y": Trace(10.0)})
    with pytest.raises(KeyError, match="projection 'S'.*pre trace 'y'.*declared on the post side"):
        bb.Runner(song(rule=wrong_side), progress_bar=False).run(5.0)
    with pytest.raises(ValueError, match="mode must be 'add'"):
        Trace(10.0, mode="sum")
    # a made-up name says which groups the projection joins (the network's attribute is not known yet)
    with pytest.raises(TypeError, match=r"projection 'Projection\d+' \(from a PoissonGroup of 4 to a LIF of 2\): "
                                        "plasticity must be an instance"):
        Projection(inp, neu, AllToAll(), Exponential(5.0), bb.COBA(0.0), plasticity=STDP)
    # the projection's own state is made after construction: a trace named `targets` or `post_index` reshaped
    # or indexed by it ("cannot reshape array", "indices must have an integer type")
    for name in ("w", "targets", "post_index", "post_overflow"):
        with pytest.raises(ValueError, match=rf"projection 'EE3': trace name\(s\) \['{name}'\] clash with the "
                                             "projection's own attributes"):
            Projection(inp, neu, AllToAll(), Exponential(5.0), bb.COBA(0.0), name="EE3",
                       plasticity=Rule(on_pre=lambda w, pre, post: w, pre_traces={name: Trace(20.0, 1.0)}))


def _ruled(on_pre):
    A, B = bb.LIF(3), bb.LIF(2)
    w0 = np.array([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]])
    p = Projection(A, B, AllToAll(), Exponential(5.0), bb.CUBA(), weight=w0, name="p",
                   plasticity=Rule(on_pre=on_pre, w_max=10.0))
    return bb.Runner(bb.Network(A=A, B=B, p=p), monitors=["p.w"], inputs=[("A.input", 100.0)], progress_bar=False)


def test_a_rule_returning_weights_of_another_shape_is_refused_and_multiplicative_bounds_checked():
    # one row returned was broadcast onto every row: row 0's weights copied onto the others (bad-input audit)
    for bad, shape in ((lambda w, pre, post: (w + 0.01)[:1], r"\(1, 2\)"), (lambda w, pre, post: "w", "str")):
        with pytest.raises(ValueError, match=r"projection 'p': the rule's on_pre must return the new weights shaped as "
                                             rf"the weights it is given \(\(3, 2\)\) or one number, got {shape}"):
            _ruled(bad).run(1.0)
    # one number is every visited weight
    assert np.asarray(_ruled(lambda w, pre, post: 0.25).run(5.0)["p.w"])[-1].tolist() == [0.25] * 6
    # the multiplicative form divides by w_max - w_min: every weight and V was NaN
    for bounds in (dict(w_min=1.0, w_max=1.0), dict(w_max=float("inf"))):
        with pytest.raises(ValueError, match="form='multiplicative' needs finite bounds with w_min < w_max"):
            STDP(form="multiplicative", **bounds)
