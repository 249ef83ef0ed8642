"""The BrainPy-style object API against BrainPy 2.8.2 (session 37): what a ported script notices.

The expected behaviours are BrainPy 2.8.2's, read from its source (brainpy/math/object_transform/variables.py:
``Variable.__init__`` takes an int or a tuple/list of ints as a shape, a batched Variable's ``value`` setter checks
the shape without the batch axis, ``batch_size``; brainpy/math/object_transform/base.py: ``load_state_dict`` returns
``StateLoadResult(missing_keys, unexpected_keys)``, absolute variable keys are ``<node name>.<attribute>``;
brainpy/math/modes.py: ``Mode.is_a``/``is_parent_of``/``is_child_of``) and from runs of the same small scripts in
both (/work/notes37/core37).
"""
from __future__ import annotations

import copy
import warnings

import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb


class _Holder(bb.DynamicalSystem):
    """A node holding a Variable, a dict of Variables and an implicit one."""

    def __init__(self, n, name=None):
        super().__init__(name=name)
        self.V = bb.Variable(jnp.zeros(n))
        self.d = {"a": bb.Variable(jnp.zeros(1)), "b": bb.Variable(jnp.ones(1))}
        self.register_implicit_vars(imp=bb.Variable(jnp.zeros(2)))

    def update(self):
        pass


class _Inp(bb.DynamicalSystem):
    """Adds 1 to a variable of another node each step (held as ``target_var``, as PoissonInput holds it)."""

    def __init__(self, target):
        super().__init__()
        self.target_var = target

    def update(self):
        self.target_var.value = self.target_var.value + 1.0


class _Net(bb.Network):
    def __init__(self):
        super().__init__()
        E = _Holder(3, name="E37")
        self.inp = _Inp(E.V)  # reached first: the owner rule still keys the variable E.V
        self.E = E


def test_load_state_dict_result_names_its_two_lists():
    """BrainPy's ``load_state_dict`` returns ``StateLoadResult``: ``r.missing_keys`` raised AttributeError here."""
    g = _Holder(2)
    r = g.load_state_dict({"V": np.ones(2), "Vx": np.ones(2)}, warn=False)
    assert r.missing_keys == ["d.a", "d.b", "imp"] and r.unexpected_keys == ["Vx"]
    assert r == (["d.a", "d.b", "imp"], ["Vx"])  # still the (missing, unexpected) pair
    missing, unexpected = g.load_state(g.state_dict())
    assert (missing, unexpected) == ([], []) and g.V.value.tolist() == [1.0, 1.0]


def test_vars_absolute_keys_of_variables_in_dicts():
    """``net.vars('absolute')`` raised 'Name "T.a" conflicts' for two nodes holding a dict of Variables (each was keyed
    by the root's name); now ``<node name>.<attribute>``, BrainPy's absolute key."""
    net = bb.Network(x=_Holder(2, name="H1"), y=_Holder(1, name="H2"), name="T37")
    assert list(net.vars("absolute")) == ["H1.V", "H1.d.a", "H1.d.b", "H1.imp", "H2.V", "H2.d.a", "H2.d.b", "H2.imp"]
    assert list(net.vars()) == ["x.V", "x.d.a", "x.d.b", "x.imp", "y.V", "y.d.a", "y.d.b", "y.imp"]
    assert list(net.x.vars("absolute", level=0)) == ["H1.V", "H1.d.a", "H1.d.b", "H1.imp"]
    assert list(net.vars("absolute", include_self=False)) == list(net.vars("absolute"))


def test_variable_of_a_shape_is_zeros():
    """BrainPy: ``bm.Variable((200, 1))`` is zeros of that shape; it was the int32 data [200, 1] of shape (2,)."""
    assert bb.Variable((4, 1)).shape == (4, 1) and bb.Variable((4, 1)).dtype == jnp.float32
    assert not bb.Variable((4, 1)).value.any()
    assert bb.Variable([2, 3], dtype=jnp.int32).shape == (2, 3) and bb.Variable([2, 3], dtype=jnp.int32).dtype == jnp.int32
    assert bb.Variable(3).shape == (3,)
    assert bb.Variable([1.0, 2.0]).value.tolist() == [1.0, 2.0]  # floats (and bools) are data
    assert bb.Variable([True, False]).value.tolist() == [True, False]
    assert bb.Variable(np.array([2, 3])).value.tolist() == [2, 3]  # an array is data
    with pytest.raises(ValueError, match=r"shape of a zero array.*\(3, -1\)"):
        bb.Variable((3, -1))


def test_batched_variable_takes_another_batch_size():
    """BrainPy's batched Variable takes a value whose batch axis has another size (a model's own
    ``reset_state(batch_size)`` writing ``self.V.value = zeros((batch_size, n))``); here it was refused."""
    v = bb.Variable(jnp.zeros((4, 3)), batch_axis=0)
    assert v.batch_size == 4 and bb.Variable(jnp.zeros(3)).batch_size is None
    v.value = jnp.ones((5, 3))
    assert v.shape == (5, 3) and v.batch_size == 5
    with pytest.raises(ValueError, match=r"shape \(5, 2\)"):
        v.value = jnp.ones((5, 2))  # another shape outside the batch axis
    with pytest.raises(ValueError, match=r"shape \(2, 3\)"):
        bb.Variable(jnp.zeros((4, 3))).value = jnp.ones((2, 3))  # no batch axis: the shape is fixed
    w = bb.Variable(jnp.zeros((3, 4)), batch_axis=1)
    w.value = jnp.ones((3, 6))
    assert w.batch_size == 6

    class Own(bb.DynamicalSystem):
        def __init__(self, mode):
            super().__init__(mode=mode)
            self.V = bb.Variable(jnp.zeros((mode.batch_size, 3)), batch_axis=0)

        def reset_state(self, batch_size=None):
            self.V.value = jnp.full((batch_size, 3), 2.0)

        def update(self):
            pass

    m = Own(bb.BatchingMode(4))
    m.V.value = jnp.arange(12.0).reshape(4, 3)
    saved = m.state_dict()
    m.reset_state(2)
    assert m.V.shape == (2, 3) and float(m.V.value.sum()) == 12.0
    # a state saved at batch size 4 loads after reset_state(2), as BrainPy loads it (it was refused)
    assert m.load_state_dict(saved) == ([], [])
    assert m.V.value.tolist() == np.arange(12.0).reshape(4, 3).tolist()
    with pytest.raises(ValueError, match=r"state 'V' has shape \(4, 2\)"):
        m.load_state_dict({"V": np.zeros((4, 2))})


def test_mode_is_a_parent_of_child_of():
    """BrainPy-style models test their mode with ``self.mode.is_a(bm.NonBatchingMode)`` (AttributeError here)."""
    t = bb.TrainingMode(2)
    assert t.is_a(bb.TrainingMode) and not t.is_a(bb.BatchingMode)
    assert t.is_child_of(bb.BatchingMode) and not t.is_child_of(bb.NonBatchingMode)
    assert bb.BatchingMode(3).is_parent_of(bb.TrainingMode) and not t.is_parent_of(bb.BatchingMode)
    assert t.is_train_mode() and bb.NonBatchingMode().is_nonbatch_mode() and not t.is_nonbatch_mode()
    assert t.is_one_of(bb.BatchingMode)  # brainbatch's own rule (subclasses count), kept
    with pytest.raises(TypeError, match="mode classes"):
        t.is_a(bb.TrainingMode(2))


def test_deepcopy_keeps_variable_paths():
    """``copy.deepcopy(net)`` shared the Variables' owner references with the original, so in the copy a variable
    also held by an input took the input's path (``inp.target_var``) instead of ``E.V``: monitors and state dicts
    keyed ``E.V`` missed it."""
    net = _Net()
    assert list(net.vars()) == ["E.V", "E.d.a", "E.d.b", "E.imp"]
    twin = copy.deepcopy(net)
    assert list(twin.vars()) == list(net.vars())
    assert twin.inp.target_var is twin.E.V and twin.E.V is not net.E.V
    del net  # the copy stands alone
    twin.step_run(0)
    assert twin.E.V.value.tolist() == [1.0, 1.0, 1.0]
    other = _Net()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # same keys: no missing or unexpected warning
        assert other.load_state_dict(twin.state_dict()) == ([], [])
    assert other.E.V.value.tolist() == [1.0, 1.0, 1.0]
