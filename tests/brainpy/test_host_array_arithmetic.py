"""Arithmetic on the arrays ``bm.zeros``, ``bm.arange``... give outside a step follows JAX's types, as BrainPy's
arrays do. Expected dtypes and values: BrainPy 2.8.2 (jax 0.10.2, numpy 2.4.6) on the same lines:

    import brainpy.math as bm, numpy as np
    (bm.ones(3) * np.float64(2)).dtype       # float32 (NumPy: float64)
    (bm.zeros(3) + np.ones(3)).dtype         # float32
    (np.ones(3) + bm.zeros(3)).dtype         # float32
    (bm.arange(3) / 2).dtype                 # float32
    (bm.arange(3) ** 0.5).dtype              # float32
    (2 ** bm.arange(3)).dtype                # int32
    (bm.ones((2, 2)) @ np.ones(2)).dtype     # float32
    bm.arange(3).sum().dtype, bm.arange(3).mean().dtype   # int32, float32
    (bm.ones(3) * np.float64(0.1))[0].item() # 0.10000000149011612 (0.1 rounded to float32 first)
    x = bm.zeros(3); x += np.ones(3); x.dtype  # float32
"""
import jax
import numpy as np
import pytest

import brainbatch.brainpy.math as bm


def test_arithmetic_with_float64_numpy_data_stays_float32_as_in_brainpy():
    cases = {
        "ones * np.float64": bm.ones(3) * np.float64(2),
        "np.float64 * ones": np.float64(2) * bm.ones(3),
        "zeros + float64 array": bm.zeros(3) + np.ones(3),
        "float64 array + zeros": np.ones(3) + bm.zeros(3),
        "arange / 2": bm.arange(3) / 2,
        "arange ** 0.5": bm.arange(3) ** 0.5,
        "matmul with float64": bm.ones((2, 2)) @ np.ones(2),
        "linspace * float64": bm.linspace(0., 1., 3) * np.float64(3.),
    }
    assert {k: v.dtype.name for k, v in cases.items()} == {k: "float32" for k in cases}
    assert (2 ** bm.arange(3)).dtype == np.int32 and (bm.arange(3) * 2).dtype == np.int32
    assert bm.arange(3).sum().dtype == np.int32 and bm.arange(3).mean().dtype == np.float32


def test_arithmetic_gives_jaxs_float32_numbers():
    # JAX rounds the float64 operand to float32 before multiplying (NumPy multiplied in float64, then rounded)
    assert (bm.ones(3) * np.float64(0.1))[0].item() == 0.10000000149011612
    assert (bm.arange(1, 4) / 3).tolist() == np.asarray(jax.numpy.arange(1, 4) / 3).tolist()


def test_results_are_filled_in_place_and_in_place_operators_keep_the_array():
    x = bm.zeros(3)
    y = x
    x += np.ones(3)  # a float64 array: written into the same float32 array
    y[0] = 5.
    assert x is y and x.dtype == np.float32 and x.tolist() == [5., 1., 1.]
    z = bm.zeros(3) + 1.
    z[1] = 3.  # still an array made outside a step: it changes in place
    assert z.tolist() == [1., 3., 1.]


def test_arithmetic_with_a_traced_value_gives_a_jax_array():
    table = bm.arange(4.)
    out = jax.jit(lambda s: table * s + 1.)(2.)
    assert isinstance(out, jax.Array) and out.tolist() == [1., 3., 5., 7.]


def test_in_place_operators_numpy_computes_keep_the_array_a_step_may_index():
    x = bm.arange(3)
    x <<= 1  # done by NumPy (not one of the arithmetic operators JAX computes here)
    x |= 1
    y = bm.arange(4.)
    totals = bm.zeros(3)
    assert np.sqrt(y, out=y) is y and bm.ones((2, 3)).sum(0, out=totals) is totals
    assert type(x) is bm.HostArray and x.tolist() == [1, 3, 5] and totals.tolist() == [2., 2., 2.]
    assert jax.jit(lambda i: x[i])(2).tolist() == 5  # a plain ndarray cannot be indexed by a traced number


def test_an_in_place_operator_whose_result_the_array_cannot_hold_says_what_to_write():
    """BrainPy 2.8.2: ``x = bm.arange(3); x += 1.5`` makes x float32 ``[1.5, 2.5, 3.5]`` (its array's value is
    replaced). An array made outside a step here changes in place, so it cannot: NumPy's "Cannot cast array data
    from dtype('float32') to dtype('int32')" named neither the operator nor the way out."""
    x = bm.arange(3)
    with pytest.raises(TypeError, match=r"in-place \+ on an array of int32 gives float32 values.*write x = x \+ \.\.\."):
        x += 1.5
    assert x.tolist() == [0, 1, 2]  # unchanged
    y = x + 1.5
    assert y.dtype == np.float32 and y.tolist() == [1.5, 2.5, 3.5]  # BrainPy's numbers
    x *= 2
    assert x.dtype == np.int32 and x.tolist() == [0, 2, 4]
