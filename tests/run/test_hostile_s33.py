"""A demanding Runner user (session 33): 'iter' inputs too short, monitors given as a tuple, jit=False for
debugging, a batch's parameters of the wrong length, a model handed to a Runner of another dt."""
import numpy as np
import pytest
from _models import Clock

import brainbatch as bb
from brainbatch.run import Runner, Simulation
from brainbatch.run.monitors import normalize_monitors


def test_a_short_iter_input_is_refused_before_any_chunk_runs():
    # it failed at the first chunk past its end ("the run needs 12"), after two chunks had run and gone to the sink
    seen = []
    clock = Clock()
    runner = Runner(clock, monitors=["x"], dt=1.0, chunk_steps=4, progress_bar=False,
                    inputs=[("input", np.ones(10, np.float32), "iter")], sink=lambda recs, starts: seen.append(starts))
    with pytest.raises(ValueError, match=r"'iter' input for 'input' has 10 time steps \(rows\); this run takes "
                                         r"steps 0\.\.19, so it needs 20$"):
        runner.run(20.0)
    assert seen == []
    np.testing.assert_array_equal(clock.x.value, 0.0)


def test_a_continued_run_past_an_iter_input_says_where_it_reads():
    ramp = np.arange(6, dtype=np.float32)
    runner = Runner(Clock(1), monitors=["x"], dt=1.0, progress_bar=False, inputs=[("input", ramp, "iter")])
    first, second = runner.run(3.0)["x"][:, 0], runner.run(3.0)["x"][:, 0]
    # row i is step i of the runner (BrainPy's rule): the second run reads rows 3..5
    np.testing.assert_allclose(np.concatenate([first, second]), np.cumsum(1.0 + ramp))
    with pytest.raises(ValueError, match=r"has 6 time steps \(rows\); this run takes steps 6\.\.6, so it needs 7; "
                                         r"a run that goes on .* reads on from row 6 .*reset=True"):
        runner.run(1.0)


def test_a_tuple_of_monitors_may_hold_a_variable():
    clock = Clock()
    # ("x", clock.i) was taken for a (path, index) pair, its Variable left unresolved: "needs a name"
    runner = Runner(clock, monitors=("x", clock.i), progress_bar=False)
    assert [m.name for m in runner.monitors] == ["x", "i"]


def test_a_lone_path_index_pair_says_where_it_goes():
    with pytest.raises(TypeError, match=r"monitors=\('x', \[0, 1\]\) reads as two monitors, and \[0, 1\] is not one; "
                                        r"a \(path, index\) pair goes inside a list or dict: monitors=\[\('x', \[0, 1\]\)\]"):
        normalize_monitors(("x", [0, 1]))


class Branchy(bb.NeuGroup):
    """Python control flow on a value: what a user debugging with jit=False writes."""

    def __init__(self):
        super().__init__(2)
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("V", 0.0, batch_size=batch_size)

    def update(self):
        self.V.value = self.V.value + (10.0 if self.V.value[0] > 1 else 1.0)


def test_jit_false_gives_update_concrete_values():
    # the one lane was vmapped, so update saw BatchTracers: `if V[0] > 1` failed and print showed no numbers
    out = Runner(Branchy(), monitors=["V"], dt=1.0, jit=False, progress_bar=False).run(4.0)
    np.testing.assert_array_equal(out["V"][:, 0], [1.0, 2.0, 12.0, 22.0])


@pytest.fixture(scope="module")
def sim():
    return Simulation(lambda params: Clock(), normalize_monitors(["x"]), dt=1.0)


@pytest.mark.parametrize("params, got", [({"drive": np.ones(3)}, r"3 value\(s\) \(shape \(3,\)\)"),
                                         ({"drive": 1.0}, "one value")])
def test_a_parameter_not_one_per_run_is_named(sim, params, got):
    # it failed inside jax.vmap: "vmap got inconsistent sizes for array axes to be mapped"
    with pytest.raises(ValueError, match=rf"parameter 'drive' has {got}; a batch of 2 run\(s\) .* takes one per run"):
        sim.run([1, 2], params, 3)


@pytest.mark.parametrize("n_steps", [-1, 2.5])
def test_a_step_count_that_is_no_count_is_refused(sim, n_steps):
    # -1 ran nothing and 2.5 ran 2 steps, without a word
    with pytest.raises(ValueError, match=rf"n_steps must be an integer >= 0, got {n_steps}"):
        sim.run([1], {}, n_steps)


def test_a_runner_of_another_dt_recounts_the_refractory_period_under_way():
    # the step of the last spike was read in the new runner's steps: 8 steps of 0.1 ms became 4 ms ago, and the
    # 5 ms refractory period ended 3.2 ms early
    def neuron():
        return bb.LifRef(1, tau_ref=5.0, V_rest=0.0, V_th=20.0, V_reset=0.0, tau=10.0)

    model = neuron()
    warm = Runner(model, monitors=["spike"], dt=0.1, inputs=("input", 100.0), progress_bar=False).run(3.0)
    spike = float(warm["ts"][warm["spike"][:, 0]][0])  # the only spike of the warm-up, 0.8 ms before its end
    assert warm["spike"].sum() == 1 and 2.0 < spike < 3.0
    on = Runner(model, monitors=["spike", "V"], dt=0.5, t0=3.0, reset=False, inputs=("input", 100.0),
                progress_bar=False).run(5.0)
    # the period runs 5 ms from the spike, to the nearest step of 0.5 ms: V held at its reset value through 6.5 ms
    held = on["ts"] < spike + 5.0 - 0.5
    np.testing.assert_array_equal(on["V"][held, 0], 0.0)
    assert on["V"][-1, 0] > 0.0 and not on["spike"].any()


def test_a_reduction_over_plastic_weights_skips_the_padding():
    # the record of a plastic w holds NaN on padding slots (docs/plasticity.md), and reduce="mean" (max, min,
    # sum) recorded NaN at every step; a reduction of another variable keeps a NaN (a diverged V must show)
    from brainbatch.models import COBA, Exponential, FixedProb, Projection

    pre = bb.PoissonGroup(12, freqs=200.0)
    post = bb.LIF(6, V_rest=-74.0, V_reset=-60.0, V_th=-54.0, tau=10.0, V_initializer=bb.Constant(-60.0))
    proj = Projection(pre, post, FixedProb(0.3), Exponential(5.0), COBA(0.0), weight=bb.Uniform(0.0, 0.5),
                      plasticity=bb.STDP(dApre=0.2, dApost=-0.25, w_min=0.05, w_max=0.5))
    net = bb.Network(pre=pre, post=post, proj=proj)
    reduced = {how: bb.Monitor("proj.w", reduce=how) for how in ("mean", "max", "min", "sum")}
    part = bb.Monitor("proj.w", index=slice(0, 20), reduce="mean")  # the padding follows an index too
    out = Runner(net, monitors={"w": "proj.w", "part": part, **reduced}, dt=0.1, progress_bar=False).run(3.0)
    w = np.asarray(out["w"])
    assert np.isnan(w).any() and not np.isnan(w).all()  # the case needs padding slots
    for how in reduced:
        np.testing.assert_allclose(out[how], getattr(np, f"nan{how}")(w, axis=1), rtol=1e-6, err_msg=how)
    np.testing.assert_allclose(out["part"], np.nanmean(w[:, :20], axis=1), rtol=1e-6)
