"""``bp.init.parameter`` / ``variable_``: a parameter that is no number, a batch argument that is no batch size and
sizes that are no shape are named; BrainPy 2.8.2's readings of the valid ones are kept."""
import brainunit as u
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm


@pytest.mark.parametrize("call, error, message", [
    # BrainPy 2.8.2: "ValueError: Unknown param type <class 'str'>: abc" (here 'abc' came back as a scalar)
    (lambda: bp.init.parameter('abc', 3), TypeError,
     r"init.parameter: param must be an initializer, a callable, a number or an array of numbers, got 'abc'"),
    (lambda: bp.init.parameter({}, 3), TypeError, r"init.parameter: param must be .*got \{\}"),
    (lambda: bp.init.variable_('abc', 3), TypeError, r"init.variable_: init must be .*got 'abc'"),
    # BrainPy 2.8.2: "ValueError: Unknown batch_size_or_mode: x" (here no batch axis, without a word)
    (lambda: bp.init.variable_(bp.init.ZeroInit(), 3, 'x'), TypeError,
     r"init.variable_: batch_or_mode must be None, a batch size \(an int >= 0\) or a mode, got 'x'"),
    (lambda: bp.init.variable_(bp.init.ZeroInit(), 3, 2.0), TypeError, r"batch_or_mode must be .*got 2.0"),
    # a negative batch or size reached JAX: "broadcast_in_dim shape must have every element be nonnegative"
    (lambda: bp.init.variable_(bp.init.ZeroInit(), 3, -2), ValueError,
     r"init.variable_: batch_or_mode \(a batch size\) must be >= 0, got -2"),
    (lambda: bp.init.variable_(bm.zeros(3), None, -2), ValueError, r"batch_or_mode \(a batch size\) must be >= 0"),
    (lambda: bp.init.variable_(bp.init.ZeroInit(), (2, -1)), ValueError,
     r"init.variable_: sizes must not be negative, got \(2, -1\)"),
    (lambda: bp.init.parameter(bp.init.ZeroInit(), -3), ValueError, r"init.parameter: sizes must not be negative, got -3"),
    (lambda: bp.init.Uniform()(-2), ValueError, r"Uniform: shape must not be negative, got -2"),
    # BrainPy 2.8.2: "Cannot make a size for 2.5" (here int() made it 2)
    (lambda: bp.init.parameter(1., 2.5), TypeError, r"init.parameter: sizes must be an int or a tuple of ints, got 2.5"),
    (lambda: bp.init.Normal()((2.5,)), TypeError, r"Normal: shape must be an int or a tuple of ints, got \(2.5,\)"),
    (lambda: bp.init.variable_(bm.zeros, '3'), TypeError, r"init.variable_: sizes must be an int or a tuple of ints"),
    # the constants called directly: -1 said "'int' object is not iterable", (2, -1) reached JAX
    (lambda: bp.init.ZeroInit()(-1), ValueError, r"ZeroInit: shape must not be negative, got -1"),
    (lambda: bp.init.OneInit()((2, -1)), ValueError, r"OneInit: shape must not be negative, got \(2, -1\)"),
    (lambda: bp.init.Constant(2.)(2.5), TypeError, r"Constant: shape must be an int or a tuple of ints, got 2.5"),
])
def test_bad_arguments_are_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_valid_parameters_keep_brainpys_reading():
    assert bp.init.parameter(0.5, 3) == 0.5 and bp.init.parameter(np.float32(2.), 3) == 2.0
    assert bp.init.parameter(bm.zeros(3), np.int64(3)).shape == (3,)
    assert bp.init.parameter([1., 2.], [2]).tolist() == [1., 2.]
    assert bp.init.parameter(3. * u.mV, 3) == 3. * u.mV
    # BrainPy 2.8.2 keeps a (1,) array as a scalar (here it was refused as the wrong shape)
    assert np.asarray(bp.init.parameter(np.ones(1), 3)).tolist() == [1.]
    assert bp.init.parameter([2.], 3).shape == (1,)  # an array, not the list
    with pytest.raises(ValueError, match=r"init.parameter: expected a parameter of shape \(3,\), got one of shape \(2,\)"):
        bp.init.parameter(np.ones(2), 3)


def test_batch_arguments_keep_brainpys_reading():
    # BrainPy 2.8.2: None, False, 0 and a non-batching mode give no batch axis, True a batch of 1
    zero = bp.init.ZeroInit()
    for none in (None, False, 0, bm.NonBatchingMode()):
        assert bp.init.variable_(zero, 3, none).shape == (3,)
    assert bp.init.variable_(zero, 3, True).shape == (1, 3)
    assert bp.init.variable_(zero, 3, np.int64(2)).shape == (2, 3)
    assert bp.init.variable_(zero, (3, 4), bm.BatchingMode(5), batch_axis=1).shape == (3, 5, 4)
    assert bp.init.variable_(bm.zeros(3), 3, 2).shape == (2, 3)
    assert bp.init.variable_(bm.zeros, np.array([2, 3])).shape == (2, 3)


def test_a_constant_initializer_takes_an_int_size_as_brainpy():
    # BrainPy 2.8.2: bp.init.ZeroInit()(3) is zeros(3) (to_size); here an int size was "not iterable"
    assert bp.init.ZeroInit()(3).tolist() == [0., 0., 0.]
    assert bp.init.OneInit(2.)(np.int64(2)).tolist() == [2., 2.]
    assert bp.init.Constant(-65.)([2, 1]).tolist() == [[-65.], [-65.]]

