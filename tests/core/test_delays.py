"""Delays: ring buffers of whole steps, the rule of docs/step-order.md (BrainPy fault 1)."""
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.core.delays import delay_steps_from_time

PER = np.array([1, 3, 7])


class Reader(bb.NeuGroup):
    """n is k+1 at the end of step k; during step i a read n steps back must give max(i-n+1, 0)."""

    def __init__(self, delays=(2, 5), per=PER, **kw):
        super().__init__(3, **kw)
        self.delays, self.per = tuple(delays), per
        self.reset_state()
        for d in self.delays:
            self.register_delay(f"d{d}", d, self.n)
        if per is not None:
            self.register_delay("per", per, self.n)

    def reset_state(self, batch_size=None):
        self.init_variable("n", 0.0, batch_size=batch_size)
        for d in getattr(self, "delays", ()):
            self.init_variable(f"r{d}", 0.0, batch_size=batch_size)
        self.init_variable("rper", 0.0, batch_size=batch_size)
        self.init_variable("r0", 0.0, batch_size=batch_size)

    def update(self):
        for d in self.delays:
            getattr(self, f"r{d}").value = self.get_delay_data(f"d{d}", d)
        if self.per is not None:
            self.rper.value = self.get_delay_data("per", self.per)
        self.r0.value = self.get_delay_data(f"d{self.delays[0]}", 0)
        self.n.value = self.n.value + 1.0


def expected(i, n):
    return np.maximum(i - np.asarray(n) + 1, 0).astype(np.float32)


@pytest.mark.parametrize("jitted", [False, True])
def test_shared_buffer_every_delay_reads_exactly_n_steps_ago(jitted):
    r = Reader()
    # all delays of n share one buffer, as long as the longest delay
    assert [k for k in r.implicit_nodes] == ["n_delay"]
    assert r.get_delay_buffer("n").data.shape == (7, 3)
    for i in range(9):
        (r.jit_step_run if jitted else r.step_run)(i)
        np.testing.assert_array_equal(r.r2.value, np.full(3, expected(i, 2)), err_msg=f"step {i}")
        np.testing.assert_array_equal(r.r5.value, np.full(3, expected(i, 5)), err_msg=f"step {i}")
        np.testing.assert_array_equal(r.rper.value, expected(i, PER), err_msg=f"step {i}")
        np.testing.assert_array_equal(r.r0.value, np.full(3, float(i)))  # n = 0: the current value


def test_delays_under_for_loop_and_batching():
    r = Reader(mode=bb.BatchingMode(2))
    assert r.n.shape == (2, 3) and r.get_delay_buffer("n").data.shape == (7, 2, 3)
    out = bb.for_loop(lambda i: (r.step_run(i), r.rper.value, r.r5.value)[1:], jnp.arange(12), dyn_vars=r)
    for i in range(12):
        np.testing.assert_array_equal(out[0][i], np.broadcast_to(expected(i, PER), (2, 3)))
        np.testing.assert_array_equal(out[1][i], np.full((2, 3), expected(i, 5)))


def test_registering_a_longer_delay_later_keeps_history():
    r = Reader(delays=(2,), per=None)
    for i in range(6):
        r.step_run(i)
    # a longer delay registered after 6 steps: the 2 most recent steps survive, older reads give the initial value
    r.register_delay("d5", 5, r.n)
    assert r.get_delay_buffer("n").data.shape[0] == 5
    assert r.get_delay_data("d5", 1)[0] == 6.0  # end of step 5 (read as if during step 6)
    assert r.get_delay_data("d5", 2)[0] == 5.0  # end of step 4
    assert r.get_delay_data("d2", 2)[0] == 5.0
    assert r.get_delay_data("d5", 5)[0] == 0.0  # history lost before the buffer grew -> initial value
    r.delays = (2, 5)
    r.init_variable("r5", 0.0)
    for i in range(6, 20):
        r.step_run(i)
        assert float(r.r2.value[0]) == expected(i, 2)
        if i >= 9:  # from here the 5-step history was recorded after growing
            assert float(r.r5.value[0]) == expected(i, 5), i


def test_reset_refills_history_with_initial_value():
    r = Reader()
    for i in range(10):
        r.step_run(i)
    r.reset()
    assert float(jnp.max(r.get_delay_buffer("n").data.value)) == 0.0
    r.step_run(0)
    np.testing.assert_array_equal(r.rper.value, np.zeros(3))


def test_initial_delay_data():
    g = bb.NeuGroup(2)
    g.v = bb.Variable(jnp.zeros(2))
    g.register_delay("d", 3, g.v, initial_delay_data=-1.0)
    assert float(g.get_delay_data("d", 3)[0]) == -1.0
    assert float(g.get_delay_data("d", 3, 1)) == -1.0  # indices


def test_delay_lives_on_the_owner_and_is_shared_across_requesters():
    E = bb.NeuGroup(2)
    E.V = bb.Variable(jnp.zeros(2))
    syn = bb.NeuGroup(1)
    syn.register_delay("pre", 4, E.V)
    E.register_delay("self", 2, E.V)
    assert syn.registered_delays["pre"][0] is E.get_delay_buffer("V")
    assert E.get_delay_buffer("V").data.shape == (4, 2)
    net = bb.Network(E=E, syn=syn)
    assert "E.V_delay.data" in net.vars()


def test_local_delay_in_ms():
    bb.set_dt(0.5)
    r = Reader(delays=(1,), per=None)
    r.register_local_delay("n", "two_ms", 2.0)  # 4 steps
    for i in range(8):
        r.step_run(i)
    # read after step 7 as if during step 8: end of step 4 -> 5
    assert float(r.get_local_delay("n", "two_ms")[0]) == 5.0


def test_delay_ms_must_be_whole_steps():
    with pytest.raises(ValueError, match=r"0\.25"):
        delay_steps_from_time(0.25, 0.1)
    assert delay_steps_from_time(0.25, 0.1, round_to_step=True) == 2  # rint(2.5) = 2
    assert delay_steps_from_time(0.3, 0.1) == 3  # float noise is within 1e-6
    np.testing.assert_array_equal(delay_steps_from_time([0.1, 0.5], 0.1), [1, 5])
    g = bb.NeuGroup(1)
    g.v = bb.Variable(jnp.zeros(1))
    with pytest.raises(ValueError, match=r"0\.15"):
        g.register_local_delay("v", "x", 0.15)
    g.register_local_delay("v", "x", 0.15, round_to_step=True)
    with pytest.raises(ValueError, match="-1"):
        delay_steps_from_time(-1.0, 0.1)


def test_bad_delay_arguments_name_the_value():
    g = bb.NeuGroup(2)
    g.v = bb.Variable(jnp.zeros(2))
    with pytest.raises(ValueError, match="-2"):
        g.register_delay("d", -2, g.v)
    with pytest.raises(ValueError, match="1.5"):
        g.register_delay("d", 1.5, g.v)
    with pytest.raises(TypeError, match="Variable"):
        g.register_delay("d", 1, jnp.zeros(2))
    g.register_delay("d", 2, g.v)
    with pytest.raises(ValueError, match="5 steps"):
        g.get_delay_data("d", 5)
    with pytest.raises(KeyError, match="'dd'.*Did you mean 'd'"):
        g.get_delay_data("dd", 1)
    with pytest.raises(KeyError, match="'w'"):
        g.register_local_delay("w", "x", 0.1)
    with pytest.raises(KeyError, match="'w'"):
        g.get_delay_buffer("w")


class ArrayReader(bb.NeuGroup):
    """Reads ``n`` with per-element steps built inside ``update`` with jnp (traced under jit)."""

    def __init__(self, steps):
        super().__init__(3)
        self.steps = steps
        self.reset_state()
        self.register_delay("n", 7, self.n)

    def reset_state(self, batch_size=None):
        self.init_variable("n", 0.0, batch_size=batch_size)
        self.init_variable("out", 0.0, batch_size=batch_size)

    def update(self):
        self.out.value = self.get_delay_data("n", jnp.asarray(self.steps))
        self.n.value = self.n.value + 1.0


@pytest.mark.parametrize("jitted", [False, True])
def test_array_steps_read_per_element_in_and_out_of_jit(jitted):
    # BrainPy's spelling: get_delay_data("x", jnp.array([1, 2, 3])) inside an update under jit
    r = ArrayReader([1, 2, 3])
    for i in range(9):
        (r.jit_step_run if jitted else r.step_run)(i)
        np.testing.assert_array_equal(r.out.value, expected(i, [1, 2, 3]), err_msg=f"step {i}")


def test_steps_computed_at_run_time_inside_for_loop():
    r = ArrayReader([0, 0, 0])
    r.steps = None

    def update():  # the delay is a traced function of the step index
        r.out.value = r.get_delay_data("n", (bb.share.i % 3) + jnp.arange(3, dtype=jnp.int32))
        r.n.value = r.n.value + 1.0

    r.update = update
    out = bb.for_loop(lambda i: (r.step_run(i), r.out.value)[1], jnp.arange(10), dyn_vars=r)
    for i in range(10):
        steps = (i % 3) + np.arange(3)
        want = np.where(steps == 0, float(i), expected(i, steps))  # n = 0: the value before this step's update
        np.testing.assert_array_equal(out[i], want, err_msg=f"step {i}")


def test_traced_steps_beyond_the_registered_maximum_are_clipped_to_it():
    g = bb.NeuGroup(1)
    g.v = bb.Variable(jnp.zeros(1))
    g.register_delay("d", 3, g.v)
    for k in range(6):  # the buffer holds the values of the last 3 steps: 3., 4., 5.
        g.v.value = jnp.full(1, float(k + 1))
        g.update_local_delays()
    read = bb.jit(lambda s: g.get_delay_data("d", s), dyn_vars=g)
    assert float(read(jnp.asarray(3))[0]) == 4.0   # 3 steps ago
    assert float(read(jnp.asarray(9))[0]) == 4.0   # beyond 3: clipped to 3
    assert float(read(jnp.asarray(-2))[0]) == 6.0  # below 0: the current value
    with pytest.raises(ValueError, match="9 steps"):  # a concrete step is checked
        g.get_delay_data("d", 9)
    with pytest.raises(TypeError, match="integers"):
        bb.jit(lambda s: g.get_delay_data("d", s), dyn_vars=g)(jnp.asarray(1.0))


class _Rate(bb.NeuGroup):
    """A user's group: its own reset_state (init_variable only) and a local delay of its rate."""

    def __init__(self, n):
        super().__init__(n)
        self.reset_state()
        self.register_local_delay("r", "fb", 0.5)

    def reset_state(self, batch_size=None):
        self.init_variable("r", jnp.linspace(0.1, 0.4, self.num), batch_size=batch_size)

    def update(self):
        self.r.value = self.r.value + 0.1 * (jnp.tanh(self.get_local_delay("r", "fb")) - self.r.value)


def test_a_users_reset_state_resizes_and_refills_the_delay_buffers_of_its_variables():
    """As BrainPy's reset_state resets local delays. The buffer kept its old batch axis: the next Runner ran
    3 lanes of an unbatched model, silently, or a continued run died in a JAX broadcast."""
    g = _Rate(4)
    g.reset_state(3)
    assert g.get_delay_buffer("r").data.value.shape == (5, 3, 4) and g.get_delay_buffer("r").data.batch_axis == 1
    bb.Runner(g, progress_bar=False).run(1.0)
    g.reset_state()
    assert g.get_delay_buffer("r").data.value.shape == (5, 4) and g.get_delay_buffer("r").data.batch_axis is None
    np.testing.assert_array_equal(g.get_delay_buffer("r").data.value, np.broadcast_to(np.linspace(0.1, 0.4, 4, dtype=np.float32), (5, 4)))
    assert bb.Runner(g, monitors=["r"], progress_bar=False).run(1.0)["r"].shape == (10, 4)
    g.reset_state(2)
    alone = bb.Runner(g, monitors=["r"], progress_bar=False).run(1.0)["r"]
    g.reset_state(2)
    assert g.get_delay_buffer("r").data.value.shape == (5, 2, 4)
    np.testing.assert_array_equal(bb.Runner(g, monitors=["r"], progress_bar=False).run(1.0)["r"], alone)


class _Recreating(bb.NeuGroup):
    """BrainPy's idiom: reset_state makes new Variables (self.x = bm.Variable(...)), and x has a delay."""

    def __init__(self, n):
        super().__init__(n)
        self.reset_state()
        self.register_delay("x", 2, self.x)

    def reset_state(self, batch_size=None):
        shape = (self.num,) if batch_size is None else (batch_size, self.num)
        self.x = bb.Variable(jnp.zeros(shape), batch_axis=None if batch_size is None else 0)
        self.seen = bb.Variable(jnp.zeros(shape), batch_axis=None if batch_size is None else 0)

    def update(self):
        self.seen.value = self.get_delay_data("x", 2)
        self.x.value = self.x.value + 1.0


def test_a_reset_state_that_makes_new_variables_runs_as_one_that_refills_them():
    """The graph keeps the Variable objects it holds (programs, delay buffers refer to them) and they take the
    new values. It died with "Computation compiled for 2 inputs but called with 1" inside JAX."""
    g = _Recreating(2)
    x = g.x
    out = bb.Runner(g, monitors=["x", "seen"], progress_bar=False).run(0.4)
    np.testing.assert_array_equal(out["x"][:, 0], [1.0, 2.0, 3.0, 4.0])
    np.testing.assert_array_equal(out["seen"][:, 0], [0.0, 0.0, 1.0, 2.0])  # x two steps back
    assert g.x is x
    g.reset_state(3)
    assert g.x is x and x.shape == (3, 2) and x.batch_axis == 0
    assert bb.Runner(g, monitors=["x"], progress_bar=False).run(0.4)["x"].shape == (3, 4, 2)


def test_a_value_set_by_hand_before_the_first_run_is_its_delays_history_too():
    """The run starts from it (as BrainPy does), so reads before any history give it, not the reset value
    (docs/step-order.md). The buffer kept the reset value: a whole-brain run from hand-set initial conditions
    read a history from another state."""
    g = _Recreating(2)
    g.x.value = jnp.full(2, 5.0)
    out = bb.Runner(g, monitors=["x", "seen"], progress_bar=False).run(0.4)
    np.testing.assert_array_equal(out["x"][:, 0], [6.0, 7.0, 8.0, 9.0])
    np.testing.assert_array_equal(out["seen"][:, 0], [5.0, 5.0, 6.0, 7.0])


def test_two_delays_of_one_variable_with_differing_initial_histories_are_refused():
    """One buffer per variable (docs/step-order.md) holds one history before the run; the second ask was
    dropped without a word, so its reads gave the first one's history."""
    g = bb.NeuGroup(2)
    g.v = bb.Variable(jnp.zeros(2))
    g.register_delay("a", 3, g.v, initial_delay_data=-1.0)
    g.register_delay("same", 2, g.v, initial_delay_data=-1.0)  # the same history: one buffer holds it
    g.register_delay("none", 2, g.v)  # no history asked: reads the buffer's
    assert float(g.get_delay_data("none", 2)[0]) == -1.0
    with pytest.raises(ValueError, match=r"delays of .*\.v share one buffer, whose history before the run is "
                                         r"already -1.0 .* this one asks 2.0: give them the same"):
        g.register_delay("b", 2, g.v, initial_delay_data=2.0)
