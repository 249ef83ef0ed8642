"""What a demanding BrainPy user tries on the core (session 33): delays given with units, float32 delays, t0 with a
unit, implicit children under a taken name, a network among its own children, odd batch sizes, odd states and units.

Expected numbers come from the documented rules (docs/step-order.md, docs/units.md) and BrainPy's source, worked by
hand here, never from brainbatch."""
import brainunit as u
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.core import share
from brainbatch.core.delays import delay_steps_from_time


class Counter(bb.NeuGroup):
    """``n`` is k+1 at the end of step k (0 at reset); it also records ``share.t``."""

    def __init__(self, size=2, **kw):
        super().__init__(size, **kw)
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("n", 0.0, batch_size=batch_size)
        self.t = bb.Variable(jnp.zeros(()))

    def update(self):
        self.n.value = self.n.value + 1.0
        self.t.value = share.t


def test_a_local_delay_takes_a_time_quantity_and_refuses_another_dimension():
    g = Counter()
    with bb.environment(dt=0.1):
        g.register_local_delay("n", "two", 0.2 * u.ms)  # was brainunit's "Only dimensionless quantities ..."
        g.register_local_delay("n", "three", 0.0003 * u.second)
        for i in range(5):
            g.step_run(i)
            # during step i+1 (the next read), n steps back is the value at the end of step i+1-n: i+2-n
            assert float(g.get_local_delay("n", "two")[0]) == i + 2 - 2
            assert float(g.get_local_delay("n", "three")[0]) == max(i + 2 - 3, 0)
        with pytest.raises(bb.UnitMismatch, match=r"delay takes a time \(ms\), got 1 mV"):
            g.register_local_delay("n", "bad", 1 * u.mV)
    with pytest.raises(TypeError, match=r"delay steps of 'x' are a number of steps, got .*ms.*register_local_delay"):
        g.register_delay("x", 2 * u.ms, g.n)
    assert delay_steps_from_time(1.5 * u.ms, 0.1) == 15


def test_a_float32_delay_of_whole_steps_is_taken():
    # 100.1 ms is 1001 steps of 0.1 ms; its float32 (what a list of quantities converts to) was refused as
    # "not a whole number of steps of dt=0.1 ms (1001 steps)"
    assert delay_steps_from_time(np.array([100.1, 3.3], np.float32), 0.1).tolist() == [1001, 33]
    assert delay_steps_from_time([100.1 * u.ms, 0.0033 * u.second], 0.1).tolist() == [1001, 33]
    with pytest.raises(ValueError, match=r"delay 0\.15 ms is not a whole number of steps of dt=0\.1 ms \(1\.5 steps\)"):
        delay_steps_from_time(np.array([0.15], np.float32), 0.1)
    # a delay a hair off whole steps shows the hair (it read "100.1 ms ... (1001 steps)")
    with pytest.raises(ValueError, match=r"delay 100\.10001 ms .* \(1001\.0001 steps\)"):
        delay_steps_from_time(100.10001, 0.1)


def test_per_element_delay_steps_of_the_wrong_shape_are_named():
    g = Counter(3)
    g.register_delay("per", np.array([0, 1, 2]), g.n)
    with pytest.raises(ValueError, match=r"per-element delay steps of shape \(2,\) do not fit .* shape \(3,\)"):
        g.get_delay_data("per", np.array([0, 1]))


def test_environment_t0_takes_a_time_quantity():
    def t_of_step_2(**env):
        with bb.environment(dt=0.1, **env):
            g = Counter()
            g.step_run(2)
            return float(g.t.value)

    # docs/step-order.md: t = t0 + i*dt; t0 = 1 s is 1000 ms (a quantity failed inside the step: "1 s + 0.2")
    assert t_of_step_2(t0=1 * u.second) == t_of_step_2(t0=1000.0)
    assert t_of_step_2(t0=1 * u.second) == pytest.approx(1000.2)
    with pytest.raises(bb.UnitMismatch, match="t0 takes a time"):
        t_of_step_2(t0=1 * u.mV)
    for bad in ("1", float("nan"), True):
        with pytest.raises(ValueError, match="t0 must be a finite number of milliseconds"):
            t_of_step_2(t0=bad)


def test_an_implicit_name_taken_by_another_object_is_refused():
    g = Counter()
    w = bb.Variable(jnp.ones(1))
    g.register_implicit_vars(w=w)
    g.register_implicit_vars(w=w)  # the same variable again: fine (BrainPy's Collector)
    with pytest.raises(ValueError, match="implicit variable is already registered as 'w'"):
        g.register_implicit_vars(w=bb.Variable(jnp.zeros(1)))  # it replaced the first without a word
    assert g.vars()["w"] is w
    g.register_implicit_vars(var1=bb.Variable(jnp.zeros(2)))
    g.register_implicit_vars(bb.Variable(jnp.zeros(3)))  # positional: the next free key, not "var1" again
    assert g.vars()["var1"].shape == (2,)
    sub = Counter()
    g.register_implicit_nodes(sub=sub)
    with pytest.raises(ValueError, match="implicit node is already registered as 'sub'"):
        g.register_implicit_nodes(sub=Counter())  # the first would never be stepped again
    assert g.nodes()["sub"] is sub


def test_an_unnamed_child_beside_one_named_like_its_key_gets_a_free_key():
    named, unnamed = Counter(name="Counter1"), Counter()
    net = bb.Network(named, unnamed)  # refused: "two children are named 'Counter1'", though one was named so
    assert net.nodes()["Counter1"] is named and net.nodes()["Counter2"] is unnamed


def test_a_network_among_its_own_children_is_an_error_not_a_recursion():
    net = bb.Network(E=Counter())
    net.me = net
    with pytest.raises(ValueError, match=r"among its own children \(through 'me'\).*self\._net = net"):
        net.step_run(0)
    a, b = bb.Network(E=Counter()), bb.Network(F=Counter())
    a.b, b.a = b, a
    with pytest.raises(ValueError, match=r"through 'b\.a'"):
        a.step_run(0)
    del a.b
    a.reset()
    a.step_run(0)  # no flag left behind by the error
    assert float(a.E.n.value[0]) == 1.0


class BrainPyStyle(bb.NeuGroup):
    def __init__(self):
        super().__init__(3)
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.V = bb.brainpy.init.variable_(jnp.zeros, self.varshape, batch_size)

    def update(self):
        self.V.value = self.V.value + 1.0


@pytest.mark.parametrize("bad", [True, 0, -1, 2.0])
def test_reset_refuses_a_batch_size_that_is_no_count(bad):
    g = BrainPyStyle()
    # bp.init.variable_ reads True as a batch of 1 and 0 as none: the root refuses them as the built-in nodes do
    with pytest.raises(ValueError, match="batch_size must be None or an integer >= 1"):
        g.reset(bad)
    g.reset(np.int64(2))
    assert g.V.shape == (2, 3)


def test_load_state_dict_names_values_it_cannot_hold():
    g = Counter(3)
    with pytest.raises(ValueError, match=r"state 'n' holds complex values .*imaginary part"):
        g.load_state_dict({"n": np.ones(3) + 1j})  # the imaginary part was dropped silently
    with pytest.raises(TypeError, match=r"state 'n' must be plain numbers, got the quantity"):
        g.load_state_dict({"n": np.ones(3) * u.mV})
    with pytest.raises(TypeError, match=r"state 'n' must be a number or an array of numbers, got None"):
        g.load_state_dict({"n": None})
    assert float(g.n.value[0]) == 0.0


def test_a_variable_takes_a_brainunit_unit_as_its_units():
    v = bb.Variable(jnp.zeros(2), units=u.mV)  # kept as a Unit, it broke out.quantity() and a store's JSON
    assert v.units == "mV" and isinstance(v.units, str)
    g = Counter()
    assert g.init_variable("x", 0.0, units=u.mV / u.ms).units == "mV / ms"
    with pytest.raises(TypeError, match="units must be a unit's name such as 'mV'"):
        bb.Variable(jnp.zeros(2), units=5)
    with pytest.raises(ValueError, match="batch_axis True is not an axis"):
        bb.Variable(jnp.zeros((2, 3)), batch_axis=True)  # it was axis 1


def test_a_name_set_to_none_is_made_up_from_the_class():
    g = Counter(name="E")
    g.name = None  # BrainPy: unique_name(type_=self.__class__.__name__); it was "Node0", taken as given
    assert g.name.startswith("Counter") and g.name[len("Counter"):].isdigit()
    net = bb.Network(g)  # a positional child keyed by its class, as one never named
    assert list(net.nodes()) == ["", "Counter0"]
