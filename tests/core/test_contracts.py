"""Checked contracts of the object API: update_phase, init checks, batched=False, honest names."""
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.core.checks import check_choice, init_checks


def test_a_misspelled_update_phase_is_an_error_that_lists_the_phases():
    # "record" (the delay buffers' phase) is not offered: it is refused for a user's node (test below)
    with pytest.raises(ValueError, match=r"one of 'deliver', 'dynamics', got 'delivery'. Did you mean 'deliver'"):
        class Typo(bb.DynamicalSystem):  # noqa: F841 - the class statement itself must fail
            update_phase = "delivery"
    g = bb.NeuGroup(2)
    with pytest.raises(ValueError, match="'dynamic'"):
        g.update_phase = "dynamic"
    g.update_phase = "deliver"  # an allowed value on an instance is fine
    assert g.update_phase == "deliver"


def test_the_delay_buffers_phase_is_refused_for_other_nodes():
    """A Network never updates a 'record' node in its phases: a user's node there never ran, silently."""
    with pytest.raises(ValueError, match=r"Late.update_phase='record' is the phase of the delay buffers, which a "
                                         r"Network does not update; .* \(add_aft_update\)"):
        class Late(bb.DynamicalSystem):  # noqa: F841 - the class statement itself must fail
            update_phase = "record"
    with pytest.raises(ValueError, match=r"NeuGroup.update_phase='record'"):
        bb.NeuGroup(2).update_phase = "record"


def test_check_choice_names_the_value_and_the_allowed_ones():
    assert check_choice("mode", "a", ("a", "b")) == "a"
    with pytest.raises(ValueError, match=r"mode must be one of 'a', 'b', got 3$"):
        check_choice("mode", 3, ("a", "b"))


class Flagged(bb.NeuGroup):
    def __init__(self, bad):
        super().__init__(3)
        self.bad = bad
        self.reset_state()
        self.declare_init_check("invalid", "this model was built wrong")

    def reset_state(self, batch_size=None):
        self.init_variable("invalid", self.bad, shape=(), dtype=jnp.bool_, batched=False)
        self.init_variable("overflow", True, shape=(), dtype=jnp.bool_, batched=False)  # a name, not a check

    def update(self):
        pass


def test_declared_init_checks_stop_the_runner_and_names_do_not():
    net = bb.Network(A=Flagged(False))
    assert init_checks(net) == {"A.invalid": "this model was built wrong"}
    bb.Runner(net, monitors=["A.invalid"], progress_bar=False).run(0.2)  # 'A.overflow' is True: no check
    with pytest.raises(RuntimeError, match=r"A\.invalid is set in lane\(s\) \[0\]: this model was built wrong"):
        bb.Runner(bb.Network(A=Flagged(True)), monitors=["A.invalid"], progress_bar=False).run(0.2)


def test_init_variable_unbatched_has_no_batch_axis_in_batching_mode():
    g = bb.NeuGroup(3, mode=bb.BatchingMode(4))
    v = g.init_variable("V", 0.0)
    w = g.init_variable("w", bb.Normal(0.0, 1.0), shape=(3, 2), batched=False)
    assert v.shape == (4, 3) and v.batch_axis == 0
    assert w.shape == (3, 2) and w.batch_axis is None
    again = g.init_variable("w", 1.0, shape=(3, 2), batched=False)  # refilled in place
    assert again is w and np.all(np.asarray(w.value) == 1.0)
    with pytest.raises(ValueError, match="batch_size must be None"):
        g.init_variable("w", 1.0, shape=(3, 2), batch_size=2, batched=False)


def test_old_delay_names_are_deprecated_aliases_of_honest_ones():
    g = bb.NeuGroup(2)
    g.v = bb.Variable(jnp.zeros(2))
    g.register_delay("d", 2, g.v)
    buffer = g.get_delay_buffer("v")
    assert g.registered_delays["d"][0] is buffer
    with pytest.warns(DeprecationWarning, match="get_delay_buffer"):
        assert g.get_delay_var("v") is buffer
    with pytest.warns(DeprecationWarning, match="registered_delays"):
        assert g.global_delay_data is g.registered_delays


def test_state_dict_accepts_no_arguments_it_would_ignore():
    g = bb.NeuGroup(2)
    g.v = bb.Variable(jnp.zeros(2))
    assert list(g.state_dict()) == ["v"] and list(g.save_state()) == ["v"]
    with pytest.raises(TypeError):
        g.state_dict(keep_vars=True)


def test_input_lambdas_follow_a_pytree_copy():
    import jax

    E = bb.NeuGroup(2)
    E.x = bb.Variable(jnp.ones(2))
    E.add_inp_fun("double", lambda: E.x.value * 2.0)
    E.add_aft_update("hook", lambda: E.x.value)
    net = bb.Network(E=E)
    leaves, tree = jax.tree.flatten(net)
    clone = jax.tree.unflatten(tree, [jnp.full(2, 5.0) if leaf.shape == (2,) else leaf for leaf in leaves])
    assert clone.E is not E and clone.E.x is not E.x
    np.testing.assert_array_equal(clone.E.sum_current_inputs(), [10.0, 10.0])  # reads the copy's x
    np.testing.assert_array_equal(E.sum_current_inputs(), [2.0, 2.0])  # the original is untouched
    np.testing.assert_array_equal(clone.E.get_aft_update("hook")(), [5.0, 5.0])


def test_a_pytree_copy_shares_immutable_arrays_and_copies_state():
    import jax

    from brainbatch.core.pytree import PytreeNode

    E = bb.NeuGroup(3)
    E.V = bb.Variable(jnp.zeros(3))
    E.table = jnp.arange(3.0)  # a constant array attribute: immutable, so the copy shares it
    E.host = np.arange(3.0)  # a NumPy array is mutable: the copy gets its own
    leaves, tree = jax.tree.flatten(E)
    clone = jax.tree.unflatten(tree, [leaf + 1.0 for leaf in leaves])
    assert clone.table is E.table and clone.host is not E.host
    assert clone.V is not E.V and clone.V._owner() is clone
    clone.V.value = jnp.full(3, 7.0)
    np.testing.assert_array_equal(E.V.value, [0.0, 0.0, 0.0])
    assert isinstance(E, PytreeNode) and isinstance(bb.Delay, type) and issubclass(bb.Delay, PytreeNode)


def test_core_classes_sit_on_parts_that_do_not_import_base():
    from brainbatch.core.delay_registry import DelayRegistry
    from brainbatch.core.graph import GraphNode
    from brainbatch.core.node import Node
    from brainbatch.core.state_io import StateMixin

    for part in (DelayRegistry, GraphNode, Node, StateMixin):
        assert issubclass(bb.DynamicalSystem, part)
    assert issubclass(bb.Delay, Node) and not issubclass(bb.Delay, bb.DynamicalSystem)


class _NewVariableInUpdate(bb.NeuGroup):
    def update(self):
        self.y = bb.Variable(jnp.ones(self.num))


class _PlainStateInUpdate(bb.NeuGroup):
    def __init__(self, n):
        super().__init__(n)
        self.count = jnp.zeros(n)

    def update(self):
        self._scratch = self.count * 2.0  # private: a value used within the step, allowed
        self.count = self.count + 1.0


@pytest.mark.parametrize("cls, message", [
    (_NewVariableInUpdate, r"update set 'y' to a new Variable while the step was compiled; make it in __init__ or "
                           r"reset_state \(self.init_variable\('y', ...\)\), or with self.tracing_variable"),
    (_PlainStateInUpdate, r"update set 'count', a plain attribute, to a traced value: a step's changes are kept only "
                          r"in Variables; make it one in __init__ or reset_state \(self.count = bb.Variable"),
])
def test_state_made_outside_variables_in_a_compiled_step_is_named(cls, message):
    """Both died inside JAX ("Computation compiled for 2 inputs but called with 1")."""
    with pytest.raises(TypeError, match=message):
        bb.Runner(cls(3), progress_bar=False).run(0.3)
    g = cls(3)  # op by op nothing is traced: BrainPy's eager habits run
    bb.Runner(g, progress_bar=False, jit=False).run(0.3)


class _NoSuperInit(bb.NeuGroup):
    def __init__(self, n):  # forgets super().__init__(n)
        self.x = bb.Variable(jnp.zeros(n))

    def update(self):
        self.x.value = self.x.value + 1.0


def test_a_subclass_that_forgets_super_init_is_told_so():
    """It died with "'_NoSuperInit' object has no attribute '_mode'" deep inside the Runner."""
    with pytest.raises(AttributeError, match=r"_NoSuperInit was not initialised: its __init__ must call "
                                             r"super\(\).__init__\(...\) before anything else"):
        bb.Runner(_NoSuperInit(2), progress_bar=False).run(0.2)
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):  # other missing names: as usual
        bb.NeuGroup(2).nothing
