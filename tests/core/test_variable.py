"""Variable: value checks, metadata, array protocol, TrainVar; modes; initializers."""
import re
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.core import MissingKeyError, ParameterShapeError
from brainbatch.core.initializers import Constant, Normal, Uniform, init_array, parameter


def test_value_is_checked_on_assignment():
    v = bb.Variable(jnp.zeros(3), dims=("neuron",), units="mV", description="membrane")
    v.value = v.value + 1
    v.update(jnp.full(3, 2))  # ints into a float variable are cast
    assert v.dtype == jnp.float32 and v.value.tolist() == [2.0, 2.0, 2.0]
    with pytest.raises(ValueError, match=r"\(4,\).*\(3,\)"):
        v.value = jnp.zeros(4)
    s = bb.Variable(jnp.zeros(2, bool))
    with pytest.raises(TypeError, match="float32.*bool"):
        s.value = jnp.ones(2)
    assert (v.dims, v.units, v.description) == (("neuron",), "mV", "membrane")


def test_array_protocol():
    v = bb.Variable(jnp.arange(3.0))
    assert (v + 1).tolist() == [1.0, 2.0, 3.0] and (1 - v).tolist() == [1.0, 0.0, -1.0]
    assert (v * v).tolist() == [0.0, 1.0, 4.0] and (-v).tolist() == [0.0, -1.0, -2.0]
    assert (v > 0.5).tolist() == [False, True, True] and (v == 1.0).tolist() == [False, True, False]
    assert len(v) == 3 and v.shape == (3,) and v.ndim == 1 and v.size == 3
    assert np.asarray(v).tolist() == [0.0, 1.0, 2.0] and v.numpy().dtype == np.float32
    # BrainPy's spellings of the same (BrainPy notebook audit: net.E.V.to_numpy() failed)
    assert isinstance(v.to_numpy(), np.ndarray) and v.to_numpy().tolist() == [0.0, 1.0, 2.0]
    assert isinstance(v.to_jax(), jax.Array) and v.to_jax().tolist() == [0.0, 1.0, 2.0]
    assert float(jnp.sum(v.value)) == 3.0
    v[1] = 10.0
    assert v[1] == 10.0 and float(bb.Variable(jnp.asarray(2.5))) == 2.5
    assert {v: 1}[v] == 1  # hashed by identity
    assert bb.Variable(4).shape == (4,)
    assert bb.Variable(jnp.zeros((2, 3)), batch_axis=-2).batch_axis == 0
    with pytest.raises(ValueError, match="batch_axis 2"):
        bb.Variable(jnp.zeros(3), batch_axis=2)
    assert isinstance(bb.TrainVar(jnp.zeros(1)), bb.Variable)


def test_init_variable_refills_in_place_and_takes_initializers(toys):
    g = toys.Leaky(4)
    V = g.V
    g.init_variable("V", Constant(-60.0))
    assert g.V is V and g.V.value.tolist() == [-60.0] * 4 and g.V.dims == ("neuron",)
    g.init_variable("W", Uniform(0.0, 1.0), shape=(2,))
    assert g.W.shape == (2,) and g.W.dims is None
    g.init_variable("s", False, dtype=bool)
    assert g.s.dtype == jnp.bool_
    with pytest.raises(ValueError, match=r"\(3,\).*\(4,\)"):
        g.init_variable("bad", jnp.zeros(3))


def test_initializers():
    key = jax.random.key(0)
    assert Constant(2.0)((2,)).tolist() == [2.0, 2.0]
    x = Normal(-55.0, 2.0)((2000,), key=key)
    assert abs(float(x.mean()) + 55.0) < 0.3 and abs(float(x.std()) - 2.0) < 0.2
    u = Uniform(1.0, 3.0)((2000,), key=key)
    assert 1.0 <= float(u.min()) and float(u.max()) < 3.0
    with pytest.raises(MissingKeyError, match="needs a key"):
        Normal()((2,))
    assert issubclass(MissingKeyError, ValueError) and issubclass(ParameterShapeError, ValueError)
    with pytest.raises(ParameterShapeError, match=r"tau has shape \(2,\), which does not broadcast to \(3,\)"):
        parameter([1.0, 2.0], (3,), name="tau")
    with pytest.raises(ParameterShapeError, match=r"would make the shape \(3, 3\)"):
        parameter(np.ones((3, 1)), (3,), name="tau")
    assert init_array(lambda shape: jnp.ones(shape), (2,)).tolist() == [1.0, 1.0]
    # an array of the wanted shape and dtype is kept, not copied (a drawn table of GBs was held three times
    # over while init_variable copied it through the host); another dtype or a broadcast makes a new one
    table = jnp.arange(6, dtype=jnp.int32)
    assert init_array(table, (6,), jnp.int32) is table
    assert init_array(table, (6,), jnp.float32).dtype == jnp.float32 and init_array(table[:1], (6,), jnp.int32).shape == (6,)
    assert parameter(3.0, (2,)) == 3.0
    with pytest.raises(ValueError, match="tau.*\\(3,\\)"):
        parameter(jnp.zeros(3), (2,), name="tau")
    with pytest.raises(ValueError, match="tau must be given"):
        parameter(None, (2,), name="tau")


def test_modes():
    assert bb.BatchingMode(3) == bb.BatchingMode(3) != bb.BatchingMode(4)
    assert bb.TrainingMode(3) != bb.BatchingMode(3) and repr(bb.BatchingMode(2)) == "BatchingMode(batch_size=2)"
    assert len({bb.BatchingMode(3), bb.BatchingMode(3)}) == 1
    assert bb.NonBatchingMode().batch_size is None and not bb.NonBatchingMode().is_batch_mode()
    assert bb.NeuGroup(2, mode=bb.BatchingMode).mode == bb.BatchingMode(1)
    for bad in (0, 2.0, True, "3"):
        with pytest.raises(ValueError, match=repr(bad).replace(".", r"\.")):
            bb.BatchingMode(bad)


def test_did_you_mean():
    assert bb.core.did_you_mean("E.v", ["E.V", "I.V"]) == " Did you mean 'E.V'?"
    assert bb.core.did_you_mean("zzz", ["E.V"]) == ""


@pytest.mark.parametrize("make, fragment", [
    (lambda: bb.Normal(0.0, -1.0), "Normal scale must be a finite number >= 0, got -1.0"),
    (lambda: bb.Normal(float("nan"), 1.0), "Normal mean must be finite"),
    (lambda: bb.Uniform(1.0, 0.0), "min_val <= max_val, got 1.0, 0.0"),
    (lambda: bb.Uniform(0.0, float("inf")), "needs finite bounds"),
    (lambda: bb.Uniform(np.zeros(3), np.array([1.0, -1.0, 1.0])), "min_val <= max_val"),
])
def test_initializers_with_impossible_parameters_are_refused(make, fragment):
    with pytest.raises(ValueError, match=re.escape(fragment)):
        make()


def test_initializers_keep_traced_and_equal_bounds():
    assert bb.Uniform(2.0, 2.0)((3,), key=jax.random.key(0)).tolist() == [2.0, 2.0, 2.0]
    # a swept (traced) scale is checked by nobody at construction: only concrete numbers are
    out = jax.jit(lambda s: bb.Normal(0.0, s)((2,), key=jax.random.key(0)))(1.0)
    assert out.shape == (2,)


def test_a_variable_has_its_values_array_methods_as_brainpys_does():
    # BrainPy's STDP example reads `self.syn.comm.weight.flatten()` (a Variable there is an array); read-only here
    import brainbatch.brainpy.math as bm

    v = bm.Variable(jnp.arange(6.0).reshape(2, 3))
    assert v.flatten().tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0] and v.reshape(3, 2).shape == (3, 2)
    assert float(v.sum()) == 15.0 and float(v.mean()) == 2.5 and v.T.shape == (3, 2)
    assert v.astype(jnp.int32).dtype == jnp.int32 and v.max().item() == 5.0
    assert isinstance(v.copy(), jax.Array) and v.shape == (2, 3)  # a new array; the Variable is unchanged


def test_a_write_that_would_drop_a_fraction_or_an_imaginary_part_is_refused():
    """An int count decremented by dt stayed put, silently (the float was truncated on assignment)."""
    count = bb.Variable(jnp.zeros(3, jnp.int32))
    with pytest.raises(TypeError, match=r"cannot assign float32 values to .* of dtype int32: the cast would "
                                        r"drop the fraction; cast explicitly"):
        count.value = count.value + 0.6
    with pytest.raises(TypeError, match="drop the imaginary part"):
        bb.Variable(jnp.zeros(2)).value = jnp.ones(2) * 1j
    count.value = jnp.ones(3, jnp.int8)  # an int of another width loses nothing: cast
    assert count.dtype == jnp.int32 and count.value.tolist() == [1, 1, 1]
    v = bb.Variable(jnp.zeros(2))
    v.value = jnp.arange(2)  # an int into a float: cast
    assert v.dtype == jnp.float32 and v.value.tolist() == [0.0, 1.0]


def test_store_dims_name_the_batch_axis_where_the_variable_has_it():
    """A 2-d variable of a group that declares one dim was labelled (<owner>_batch, <owner>_neuron) by its
    count of axes: its neurons read as batch rows."""
    batched = bb.Variable(jnp.zeros((4, 3)), dims=("neuron",), batch_axis=0)
    assert batched.store_dims("E.V", (4, 3)) == ("E_batch", "E_neuron")
    last = bb.Variable(jnp.zeros((3, 4)), dims=("neuron",), batch_axis=1)
    assert last.store_dims("E.V", (3, 4)) == ("E_neuron", "E_batch")
    table = bb.Variable(jnp.zeros((3, 5)), dims=("neuron",))
    assert table.store_dims("E.w", (3, 5)) == ("E_w_d0", "E_w_d1")


def test_an_in_place_operation_with_a_value_of_another_shape_is_named():
    # bad-input audit: `v += ones(4)` on a Variable of 3 failed inside JAX ("add got incompatible shapes")
    v = bb.Variable(jnp.zeros(3))
    for other in (jnp.ones(4), [1.0, 2.0], jnp.ones((2, 3))):
        with pytest.raises(ValueError, match=r"^cannot combine a value of shape \((4|2|2, 3),?\) in place with "
                                             r"Variable\(shape=\(3,\).*give one value or one per element"):
            v += other
    v += 2.0
    v *= jnp.arange(3.0)
    v @= jnp.eye(3)  # a matrix product keeps the shape: not elementwise
    assert v.value.tolist() == [0.0, 2.0, 4.0]


def test_a_write_past_the_end_is_refused_not_dropped():
    # bad-input audit: `v[5] = 1` on a Variable of 3 left it unchanged without a word (JAX drops the write; NumPy
    # and BrainPy users expect IndexError)
    v = bb.Variable(jnp.zeros(3))
    for index, bad in ((5, 5), (-4, -4), ([0, 7], 7)):
        with pytest.raises(IndexError, match=rf"^index {bad} is out of bounds for axis 0 of Variable\(shape=\(3,\)"):
            v[index] = 1.0
    m = bb.Variable(jnp.zeros((2, 3)))
    with pytest.raises(IndexError, match=r"index 3 is out of bounds for axis 1 .* \(size 3\)"):
        m[1, 3] = 1.0
    v[np.array([1, 2])] = 1.0
    v[-3] = 2.0
    m[..., 2] = 1.0
    m[:, 0] = jnp.ones(2)
    assert v.value.tolist() == [2.0, 1.0, 1.0] and m.value.tolist() == [[1.0, 0.0, 1.0], [1.0, 0.0, 1.0]]
    assert bb.jit(lambda i: v.at[i].set(5.0))(jnp.asarray(1)).tolist() == [2.0, 5.0, 1.0]  # traced: JAX's rules


def test_a_variable_iterates_over_its_rows_and_prints_its_values():
    # it had no __iter__: Python indexed v[0], v[1]... until an IndexError that JAX's clamped indexing never raises,
    # so `for x in v` never ended and zip(v, range(5)) gave 5 rows (BrainPy's control-flow notebook hung)
    v = bb.Variable(jnp.arange(3.0))
    assert [(float(a), k) for a, k in zip(v, range(5))] == [(0.0, 0), (1.0, 1), (2.0, 2)]  # first: it ends either way
    assert [float(x) for x in v] == [0.0, 1.0, 2.0]
    assert [row.tolist() for row in bb.Variable(jnp.ones((2, 2)))] == [[1.0, 1.0], [1.0, 1.0]]
    total = bb.jit(lambda: sum(x for x in v), dyn_vars=v)()
    assert float(total) == 3.0
    with pytest.raises(TypeError, match="iteration over a 0-d"):
        iter(bb.Variable(jnp.zeros(())))
    assert str(v) == str(jnp.arange(3.0)) and repr(v).startswith("Variable(shape=(3,)")  # print(v), as BrainPy's


@pytest.mark.parametrize("value, fragment", [
    ("abc", "a Variable's value must be a number or an array of numbers, got 'abc'"),
    (None, "a Variable's value must be a number or an array of numbers, got None"),
    ([[1, 2], [3]], "a Variable's value must be a number or an array of numbers, got [[1, 2], [3]]"),
])
def test_a_variable_of_no_numbers_is_refused_by_name(value, fragment):
    # jnp.asarray's words were "None is not a valid value for jnp.array" or "setting an array element with a
    # sequence", naming neither the Variable nor the value
    with pytest.raises(TypeError) as err:
        bb.Variable(value)
    assert str(err.value) == fragment


def test_a_write_of_no_numbers_or_of_a_quantity_names_the_variable():
    import brainunit as u

    group = bb.LifRef(3)
    with pytest.raises(TypeError, match=r"^the value assigned to Variable 'V' of LifRef\w* must be a number or an "
                                        r"array of numbers, got 'a'$"):
        group.V.value = "a"
    with pytest.raises(TypeError, match=r"^the value assigned to Variable 'V' of LifRef\w* must be plain numbers, got "
                                        r"the quantity .* mV; give it in the unit the model computes in"):
        group.V.value = jnp.zeros(3) * u.mV
    with pytest.raises(ValueError, match=r"an int value is the size of a zero array and must be >= 0, got -1"):
        bb.Variable(-1)
