"""A demanding user of the run layer (session 35): zero steps and empty seed lists, a model built again in a new
Runner (its compiled programs are reused, never wrongly), and bad monitor and runner options."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from _models import Clock

import brainbatch as bb
from brainbatch.run import Monitor, Runner, Simulation, normalize_monitors
from brainbatch.run.monitors import MonitorIndexError
from brainbatch.run.programs import SHARED


@pytest.fixture(scope="module")
def clock_sim():
    monitors = normalize_monitors({"x": "x", "late": Monitor("x", start=100.0), "n": Monitor("x", reduce="sum"),
                                   "two": ("x", [0, 1])})
    return Simulation(lambda params: Clock(3), monitors, dt=1.0)


def test_zero_steps_give_empty_records_of_the_record_shape_and_dtype(clock_sim):
    # records were None for every monitor (a sweep's run resumed at its end runs 0 steps)
    state, recs = clock_sim.run([0, 1], {}, 0)
    assert {k: (v.shape, v.dtype) for k, v in recs.items()} == {
        "x": ((2, 0, 3), np.float32), "late": ((2, 0, 3), np.float32), "n": ((2, 0), np.float32),
        "two": ((2, 0, 2), np.float32)}
    np.testing.assert_array_equal(state["x"], 0.0)  # the initial state, nothing stepped


def test_a_monitor_starting_after_the_end_is_empty_beside_the_others(clock_sim):
    _, recs = clock_sim.run([3], {}, 4)
    assert recs["late"].shape == (1, 0, 3) and recs["late"].dtype == np.float32
    np.testing.assert_allclose(recs["x"][0, :, 0], [1.0, 2.0, 3.0, 4.0])  # x gains dt = 1 per step


@pytest.mark.parametrize("seeds", [[], np.array([], np.int64), ()])
def test_an_empty_seed_list_is_named(clock_sim, seeds):
    # [] said "each seed must be an integer 0..4294967295", the empty int array ran a batch of none
    with pytest.raises(ValueError, match=r"^no seeds: a batch runs one run per seed \(or run key\), so give at least "
                                         r"one, e.g. \[0\], got "):
        clock_sim.run(seeds, {}, 3)


def test_a_nested_seed_list_is_named(clock_sim):
    with pytest.raises(ValueError, match=r"seeds must be one seed or a flat list of seeds \(one per run\), got "
                                         r"shape \(1, 2\)"):
        clock_sim.run([[0, 1]], {}, 3)


@pytest.mark.parametrize("duration", [0.05, 0.0999])
def test_a_duration_shorter_than_one_step_says_so(duration):
    # "is not a whole number of steps" left the way out unsaid (BrainPy's own DSRunner recorded nothing)
    runner = Runner(Clock(1), monitors=["x"], dt=0.1, progress_bar=False)
    with pytest.raises(ValueError, match=rf"^duration {duration} ms is shorter than one step of dt=0.1 ms; a run "
                                         r"takes at least one step: give a duration of 0.1 ms or more"):
        runner.run(duration)
    with pytest.raises(ValueError, match=r"duration must be a positive number of milliseconds, got 0"):
        runner.run(0.0)


# -- compiled programs shared by Runners of a model built again --------------------------------------------------

class Table(bb.NeuGroup):
    """Adds one of two constant tables of the same shape each step (`which`): shared, never-written variables."""

    def __init__(self, which="a", drive=0.0, n=2):
        super().__init__(n)
        self.which, self.drive = which, drive
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("a", 1.0, batch_size=batch_size)
        self.init_variable("b", 2.0, batch_size=batch_size)
        self.init_variable("V", 0.0, batch_size=batch_size)

    def update(self):
        self.V.value = self.V.value + getattr(self, self.which).value + self.drive


def _run(model, steps=3):
    return Runner(model, monitors=["V"], dt=1.0, progress_bar=False).run(float(steps))["V"][:, 0]


def test_a_model_built_again_reuses_its_compiled_programs_with_the_same_numbers():
    first = _run(Table("a"))
    hits = SHARED.hits
    again = _run(Table("a"))
    assert SHARED.hits >= hits + 2  # the init and chunk programs: nothing compiled again
    np.testing.assert_array_equal(first, again)
    np.testing.assert_array_equal(first, [1.0, 2.0, 3.0])


def test_programs_that_differ_only_in_which_argument_or_constant_they_read_are_never_shared():
    # without keep_unused, Table("a") and Table("b") lower to one text (each drops the table it does not read)
    np.testing.assert_array_equal(_run(Table("a")), [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(_run(Table("b")), [2.0, 4.0, 6.0])
    np.testing.assert_array_equal(_run(Table("a", drive=0.5)), [1.5, 3.0, 4.5])
    np.testing.assert_array_equal(_run(Table("a")), [1.0, 2.0, 3.0])


class Calls(bb.NeuGroup):
    """Calls back into Python each step: the function is not part of the program text."""

    def __init__(self):
        super().__init__(1)
        self.seen = []
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("V", 0.0, batch_size=batch_size)

    def update(self):
        self.V.value = self.V.value + 1.0
        jax.debug.callback(lambda v: self.seen.append(float(np.asarray(v).ravel()[0])), self.V.value)


def test_a_program_calling_back_into_python_is_not_shared():
    one, two = Calls(), Calls()
    _run(one, 2), _run(two, 2)
    assert one.seen == [1.0, 2.0] and two.seen == [1.0, 2.0]  # shared, the second run called the first's list


# -- monitor indices JAX would clamp or fail on -----------------------------------------------------------------

def test_a_tuple_index_of_a_one_dim_group_is_named_with_the_list_that_picks_those_elements():
    # it failed inside JAX ("Too many indices: array is 1-dimensional, but 2 were indexed")
    with pytest.raises(MonitorIndexError,
                       match=r"^monitor 'v': index \(0, 1\) does not fit 'x', of shape \(3,\) per run \(too many "
                             r"indices.*\); a list, \[0, 1\], picks those elements \(BrainPy reads a tuple so\)$"):
        Runner(Clock(3), monitors={"v": ("x", (0, 1))}, progress_bar=False)


def test_an_index_jax_would_clamp_is_refused():
    # a JAX array index of elements 0..4 of 3 recorded element 2 three times; a tuple past an axis clamped too
    with pytest.raises(MonitorIndexError, match=r"index 3 is out of range for 'x' \(3 elements"):
        Runner(Clock(3), monitors={"v": ("x", jnp.arange(5))}, progress_bar=False)
    with pytest.raises(MonitorIndexError, match=r"index \(5,\) does not fit 'x', of shape \(3,\) per "
                                                                 r"run \(index 5 is out of bounds for axis 0 with size 3\)$"):
        Runner(Clock(3), monitors={"v": ("x", (5,))}, progress_bar=False)
    out = Runner(Clock(3), monitors={"v": ("x", jnp.arange(2)), "w": ("x", (Ellipsis, 2))}, dt=1.0,
                 progress_bar=False).run(2.0)
    assert out["v"].shape == (2, 2) and out["w"].shape == (2,)
    np.testing.assert_array_equal(out["w"], [1.0, 2.0])
