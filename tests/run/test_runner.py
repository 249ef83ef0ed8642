"""The Runner: shapes, time points, monitors, inputs, chunks, sinks and errors."""
import jax.numpy as jnp
import numpy as np
import pytest
from _models import Clock

import brainbatch as bb
from brainbatch.run import Monitor, Runner


# several checks build the same model in a fresh Runner: the cache serves the repeats (this file's CPU
# time 20.2 -> 16.7 s, the mean of three runs each)
pytestmark = pytest.mark.usefixtures("compile_cache")


def test_shapes_and_time_points():
    out = Runner(Clock(), monitors=["x", "i"], dt=0.5, progress_bar=False).run(5.0)
    assert out["x"].shape == (10, 3)
    np.testing.assert_allclose(out["ts"], 0.5 * np.arange(10))
    # the value recorded at step i is the state after step i
    np.testing.assert_allclose(out["x"][:, 0], 0.5 * (np.arange(10) + 1), rtol=1e-6)
    np.testing.assert_array_equal(out["i"][:, 0], np.arange(10))


def test_t0_offsets_time():
    out = Runner(Clock(), monitors=["i"], dt=1.0, t0=100.0, progress_bar=False).run(3.0)
    np.testing.assert_allclose(out["ts"], [100.0, 101.0, 102.0])


def test_monitor_every_index_and_function():
    clock = Clock(4)
    mons = {"sub": Monitor("i", index=[0, 2], every=3), "fun": lambda: clock.x.value.sum(), "pair": ("x", 1)}
    out = Runner(clock, monitors=mons, dt=1.0, progress_bar=False, chunk_steps=4).run(10.0)
    np.testing.assert_array_equal(out["sub"][:, 0], [0, 3, 6, 9])
    assert out["sub"].shape == (4, 2)
    np.testing.assert_allclose(out.times["sub"], [0, 3, 6, 9])
    np.testing.assert_allclose(out["fun"], 4.0 * (np.arange(10) + 1))
    np.testing.assert_allclose(out["pair"], np.arange(10) + 1.0)


def test_unknown_monitor_path_suggests_the_closest():
    with pytest.raises(KeyError, match=r"Did you mean 'x'"):
        Runner(Clock(), monitors=["X"], progress_bar=False)


def test_inputs_fix_iter_func():
    n = 6
    out = Runner(Clock(), monitors=["x"], dt=1.0, progress_bar=False, inputs=("input", 1.0)).run(n)
    np.testing.assert_allclose(out["x"][:, 0], 2.0 * (np.arange(n) + 1))
    ramp = np.arange(n, dtype=np.float32)
    out = Runner(Clock(), monitors=["x"], dt=1.0, progress_bar=False, inputs=[("input", ramp, "iter")]).run(n)
    np.testing.assert_allclose(out["x"][:, 0], np.cumsum(1.0 + ramp))
    out = Runner(Clock(), monitors=["x"], dt=1.0, progress_bar=False,
                 inputs=[("input", lambda t: t * 0 + 2.0, "func", "=")]).run(n)
    np.testing.assert_allclose(out["x"][:, 0], 3.0 * (np.arange(n) + 1))


@pytest.mark.parametrize("bad, match", [
    (("input", 1.0, "fixed"), "input type"),
    (("input", 1.0, "fix", "^"), "operation"),
    (("inputs", 1.0), "Did you mean 'input'"),
    # shapes that do not fit failed inside the compiled run ("add got incompatible shapes for broadcasting")
    (("input", np.ones((10, 4)), "iter"), r"'iter' input for 'input' has shape \(10, 4\): each step's value, "
                                          r"shape \(4,\), must broadcast to the variable's shape \(3,\); 'iter' "
                                          r"arrays are time first"),
    (("input", 1.0, "iter"), "needs a leading time axis"),
    (("input", np.ones(2)), r"input 'input' has shape \(2,\), which does not broadcast to the variable's shape"),
    # a 'func' input is traced once, for its shape, before any run (it failed inside the compiled run)
    (("input", lambda t: jnp.ones(7) * t, "func"), r"'func' input for 'input' returns shape \(7,\), which does not "
                                                   r"broadcast to the variable's shape \(3,\)"),
    (("input", lambda t: 1.0 if t < 5 else 0.0, "func"), r"fails when called with the step's time t \(ms\): "
                                                         r"TracerBoolConversionError.*write jnp.where\(t < 5.0"),
    (("input", lambda: 1.0, "func"), r"'func' input for 'input' fails when called .*TypeError"),
    # every step divided by 0: inf from the first step on
    (("input", 0.0, "fix", "/"), r"input 'input' divides by 0.0; give a nonzero divisor"),
    (("input", np.array([[1.0], [0.0]]), "iter", "/"), r"input 'input' divides by an array of shape \(2, 1\) that holds 0 at \(1, 0\)"),
])
def test_bad_inputs_are_named(bad, match):
    with pytest.raises((ValueError, KeyError, TypeError), match=match):
        Runner(Clock(), monitors=["x"], inputs=bad, progress_bar=False)


def test_inputs_that_are_no_inputs_are_named():
    with pytest.raises(TypeError, match="inputs must be a .path, value.*got 5"):
        Runner(Clock(), monitors=["x"], inputs=5, progress_bar=False)


def test_bad_durations():
    runner = Runner(Clock(), monitors=["x"], dt=0.1, progress_bar=False)
    for bad in (0.05, -1.0, "abc", 0.0):
        with pytest.raises(ValueError, match="duration"):
            runner.run(bad)


def test_chunks_do_not_change_results(noisy):
    whole = Runner(noisy(), monitors=["V", "spike"], progress_bar=False, seed=4).run(30.0)
    parts = Runner(noisy(), monitors=["V", "spike"], progress_bar=False, seed=4, chunk_steps=70).run(30.0)
    np.testing.assert_array_equal(whole["spike"], parts["spike"])
    np.testing.assert_array_equal(whole["V"], parts["V"])


def test_sink_receives_bounded_chunks_in_order(noisy):
    # the model, monitors and chunks of 60 steps of test_chunks_do_not_change_results (chunk_steps=70 for 300
    # steps calls 60, a divisor): the compile cache serves its program
    got = []
    runner = Runner(noisy(), monitors=["V", "spike"], progress_bar=False, chunk_steps=60,
                    sink=lambda recs, starts: got.append((starts["V"], recs["V"].shape)))
    out = runner.run(24.0)
    assert "V" not in out  # with a sink nothing is kept unless asked
    assert [s for s, _ in got] == [0, 60, 120, 180]
    assert all(shape == (60, 16) for _, shape in got)


def test_seed_decides_the_run(noisy):
    a = Runner(noisy(), monitors=["V"], progress_bar=False, seed=1).run(5.0)["V"]
    b = Runner(noisy(), monitors=["V"], progress_bar=False, seed=1).run(5.0)["V"]
    c = Runner(noisy(), monitors=["V"], progress_bar=False, seed=2).run(5.0)["V"]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_batching_mode_results_are_batch_first(noisy):
    out = Runner(noisy(mode=bb.BatchingMode(3)), monitors=["V"], progress_bar=False).run(2.0)
    assert out["V"].shape == (3, 20, 16)
    assert not np.array_equal(out["V"][0], out["V"][1])  # batch elements draw their own noise


class _SharedWeights(bb.NeuGroup):
    def __init__(self, n, **kw):
        super().__init__(n, **kw)
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("V", 0.0, batch_size=batch_size)
        self.init_variable("w", jnp.arange(5.0), shape=(5,), batched=False)  # one copy for every batch row

    def update(self):
        self.V.value = self.V.value + 1.0
        self.w.value = self.w.value + 1.0


def test_a_variable_without_a_batch_axis_is_recorded_time_first_in_a_batched_model():
    """Only a record with a batch axis puts it first: ``w`` (``batched=False``) came back (5, time), its
    elements read as batch rows, silently. A model in BatchingMode whose variables have no batch axis
    likewise records (time, n)."""
    g = _SharedWeights(2)
    g.reset_state(3)
    out = Runner(g, monitors=["V", "w"], progress_bar=False).run(0.4)
    assert out["V"].shape == (3, 4, 2) and out["w"].shape == (4, 5)
    np.testing.assert_array_equal(out["w"][:, 0], [1.0, 2.0, 3.0, 4.0])
    plain = _MadeInInit(3, mode=bb.BatchingMode(4))  # its variables have no batch axis, whatever the mode
    assert Runner(plain, monitors=["V"], progress_bar=False).run(1.0)["V"].shape == (10, 3)


class _MadeInInit(bb.NeuGroup):
    def __init__(self, n, **kw):
        super().__init__(n, **kw)
        self.V = bb.Variable(jnp.zeros(self.num))

    def update(self):
        self.V.value = self.V.value + 1.0


def test_final_state_is_written_back_as_concrete_arrays(noisy):
    import jax

    net = noisy()  # 60 steps of the model and monitors of test_chunks_do_not_change_results (its program)
    out = Runner(net, monitors=["V", "spike"], progress_bar=False).run(6.0)
    np.testing.assert_array_equal(np.asarray(net.V.value), out["V"][-1])
    assert not isinstance(net.V.value, jax.core.Tracer)


class _Rate(bb.NeuGroup):
    """x grows by ``rate`` each step: a plain attribute a compiled program holds as a constant."""

    def __init__(self, n=2, rate=1.0):
        super().__init__(n)
        self.rate = rate
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("x", 0.0, batch_size=batch_size)

    def update(self):
        self.x.value = self.x.value + self.rate


def test_a_parameter_changed_between_runs_is_honoured():
    """g.rate = 5.0 between two runs of one Runner ran the old program with rate 1.0, silently (BrainPy,
    which traces every run, honours it); an unchanged model is not traced again."""
    g = _Rate()
    runner = Runner(g, monitors=["x"], progress_bar=False)
    np.testing.assert_array_equal(runner.run(0.3)["x"][:, 0], [1.0, 2.0, 3.0])
    sim = runner._sim
    np.testing.assert_array_equal(runner.run(0.2)["x"][:, 0], [4.0, 5.0])
    assert runner._sim is sim  # nothing changed: the same compiled programs
    g.rate = 5.0
    np.testing.assert_array_equal(runner.run(0.2)["x"][:, 0], [10.0, 15.0])
    g.rate = np.float32(0.5)
    np.testing.assert_array_equal(runner.run(0.2)["x"][:, 0], [15.5, 16.0])


class _Twice(bb.Network):
    def __init__(self):
        super().__init__()
        self.E = _Rate()
        self.exc = self.E  # one group under two names


def test_a_child_held_under_two_names_runs_once_per_step():
    """Network(E=g, exc=g) is refused; held as two attributes it ran twice per step (x grew by 2)."""
    net = _Twice()
    assert list(net.children()) == ["E"]
    out = Runner(net, monitors=["E.x"], progress_bar=False).run(0.5)
    np.testing.assert_array_equal(out["E.x"][:, 0], [1.0, 2.0, 3.0, 4.0, 5.0])


class _Accumulating(bb.NeuGroup):
    """BrainPy's idiom: a Variable made the first time update runs (tracing_variable)."""

    def update(self):
        acc = self.tracing_variable("acc", jnp.zeros, (self.num,))
        acc.value = acc.value + 1.0


@pytest.mark.parametrize("jit", [True, False])
def test_a_variable_made_by_tracing_variable_in_update_is_state_of_the_run(jit):
    """It died inside JAX: "Computation compiled for 2 inputs but called with 1"."""
    g = _Accumulating(3)
    Runner(g, progress_bar=False, jit=jit).run(0.5)
    np.testing.assert_array_equal(g.acc.value, [5.0, 5.0, 5.0])
    out = Runner(g, monitors=["acc"], progress_bar=False, jit=jit).run(0.3)  # reset_state does not make it: kept
    np.testing.assert_array_equal(out["acc"][:, 0], [6.0, 7.0, 8.0])


class _BatchLast(bb.NeuGroup):
    """Its variable holds the batch on axis 1: (n, batch)."""

    def __init__(self):
        super().__init__(2, mode=bb.BatchingMode(3))
        self.reset_state(3)

    def reset_state(self, batch_size=None):
        self.x = bb.Variable(jnp.zeros((2, 3)) + jnp.arange(3.0), batch_axis=1)

    def update(self):
        self.x.value = self.x.value + 1.0


def test_a_variable_with_its_batch_on_axis_1_is_recorded_batch_first():
    """Records are (batch, time, ...): one with batch_axis=1 came back (n, time, batch), its neurons read as
    batch rows; an index or a reduction of it read the batch as neurons."""
    out = Runner(_BatchLast(), monitors={"x": "x", "one": ("x", [1]), "mean": Monitor("x", reduce="mean")},
                 progress_bar=False).run(0.3)
    lanes = np.arange(3.0)[:, None] + np.arange(1.0, 4.0)  # lane b at step t: b + t + 1
    assert out["x"].shape == (3, 3, 2) and out["one"].shape == (3, 3, 1) and out["mean"].shape == (3, 3)
    np.testing.assert_array_equal(out["x"][:, :, 0], lanes)
    np.testing.assert_array_equal(out["one"][:, :, 0], lanes)
    np.testing.assert_array_equal(out["mean"], lanes)


def test_a_variable_object_monitors_as_its_path():
    """BrainPy's monitors={'V': net.E.V}: it was refused ('expected a path ... got Variable')."""
    g = _Rate()
    net = bb.Network(E=g)
    out = Runner(net, monitors={"x": g.x, "one": (g.x, [1]), "sum": Monitor(g.x, reduce="sum", every=2)},
                 progress_bar=False).run(0.2)
    np.testing.assert_array_equal(out["x"][:, 0], [1.0, 2.0])
    assert out["one"].shape == (2, 1) and out["sum"].tolist() == [2.0]
    assert list(Runner(net, monitors=[g.x], progress_bar=False).run(0.1)) == ["E.x", "ts"]  # named by its path
    with pytest.raises(ValueError, match=r"monitor 'y': Variable\(.*\) is not a Variable of the model run"):
        Runner(net, monitors={"y": bb.Variable(jnp.zeros(2))})


def test_a_run_that_starts_before_0_records_from_its_first_step():
    # the default monitor start was t = 0: a run from t0 = -0.5 dropped its first 5 steps from every record, while
    # ts kept them (records and times misaligned; bad-input audit)
    E = bb.LIF(3, V_rest=-60., V_th=-50., V_reset=-60., tau=5.)
    out = Runner(bb.Network(E=E), monitors=["E.V", Monitor("E.spike", start=0.0)], dt=0.1, t0=-0.5,
                 inputs=[("E.input", 20.)], progress_bar=False).run(2.0)
    assert np.asarray(out["ts"]).shape == (20,) and np.asarray(out["E.V"]).shape == (20, 3)
    np.testing.assert_allclose(np.asarray(out["ts"])[[0, -1]], [-0.5, 1.4], atol=1e-6)
    assert np.asarray(out["E.spike"]).shape == (15, 3)  # an explicit start still leaves out what comes before it


def test_a_misspelled_record_name_is_answered_with_the_close_one():
    out = Runner(bb.LifRef(2), monitors=["V"], progress_bar=False).run(1.0)
    with pytest.raises(KeyError, match="no record 'v' in this run. Did you mean 'V'"):
        out["v"]
    assert out.get("v") is None and "V" in out  # a dict still


@pytest.mark.parametrize("fn, got", [(lambda: "x", "str 'x'"), (lambda: None, "NoneType None")])
def test_a_monitor_function_that_returns_no_numbers_is_named(fn, got):
    # it failed inside JAX ("... is not a valid JAX type"), naming no monitor (bad-input audit)
    with pytest.raises(TypeError, match=f"monitor 'f': its function must return numbers .*got {got}"):
        Runner(bb.LIF(2), monitors={"f": fn}, progress_bar=False).run(1.0)
    out = Runner(bb.LIF(2), monitors={"f": lambda: 1.0, "g": lambda s: [s["t"], 2.0]}, progress_bar=False).run(1.0)
    assert np.asarray(out["f"]).shape == (10,) and np.asarray(out["g"]).shape == (10, 2)


def test_calling_the_run_package_says_what_runs_a_model():
    # bb.run(net, 100.), as one runs a model in BrainPy or Brian2, said only "'module' object is not callable"
    net = bb.Network(G=bb.LIF(2))
    with pytest.raises(TypeError, match=r"brainbatch.run is the package of runners.*bb.Runner\(net, monitors="):
        bb.run(net, 100.0)
    assert bb.run.Runner is bb.Runner  # the package itself works as before
