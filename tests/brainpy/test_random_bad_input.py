"""``bm.random``: parameters JAX draws from without a word (swapped bounds, a non-positive shape) and seeds that are
not integers are refused by name; traced (swept) parameters pass unchecked."""
import jax
import numpy as np
import pytest

import brainbatch.brainpy.math as bm


@pytest.mark.parametrize("draw, message", [
    # BrainPy 2.8.2 draws 5.0 every time (JAX clips); its bp.init.Uniform refuses the swapped pair
    (lambda: bm.random.uniform(5., 1., 3), r"uniform: low must be <= high, got low=5.0, high=1.0"),
    (lambda: bm.random.uniform([0., 2.], [1., 1.]), r"uniform: low must be <= high, got low=\[0.0, 2.0\]"),
    # BrainPy 2.8.2 draws upper (-1.0000001) every time
    (lambda: bm.random.truncated_normal(1., -1., 3), r"truncated_normal: lower must be <= upper, got lower=1.0, "
                                                     r"upper=-1.0"),
    (lambda: bm.random.truncated_normal(-1., 1., 3, scale=-1.), r"truncated_normal: scale must be > 0, got -1.0"),
    # BrainPy 2.8.2 gives NaN for each of these (NumPy refuses them)
    (lambda: bm.random.beta(-1., 1., 3), r"beta: a must be > 0, got -1.0"),
    (lambda: bm.random.beta(1., 0., 3), r"beta: b must be > 0, got 0.0"),
    (lambda: bm.random.dirichlet([1., -1.]), r"dirichlet: alpha must be > 0, got \[1.0, -1.0\]"),
    (lambda: bm.random.standard_gamma(-1., 2), r"standard_gamma: shape must be >= 0, got -1.0"),
    (lambda: bm.random.standard_t(0., 2), r"standard_t: df must be > 0, got 0.0"),
    (lambda: bm.random.pareto(-1., 2), r"pareto: a must be > 0, got -1.0"),
    (lambda: bm.random.weibull(-1., 2), r"weibull: a must be > 0, got -1.0"),
    (lambda: bm.random.rayleigh(-1., 2), r"rayleigh: scale must be >= 0, got -1.0"),
    (lambda: bm.random.laplace(0., -1., 2), r"laplace: scale must be >= 0, got -1.0"),
    (lambda: bm.random.logistic(0., -1., 2), r"logistic: scale must be >= 0, got -1.0"),
    (lambda: bm.random.gumbel(0., -1., 2), r"gumbel: scale must be >= 0, got -1.0"),
    (lambda: bm.random.triangular(1., 0., 2., 2), r"triangular: left must be <= mode, got left=1.0, mode=0.0"),
    (lambda: bm.random.triangular(0., 3., 2., 2), r"triangular: mode must be <= right, got mode=3.0, right=2.0"),
    (lambda: bm.random.binomial([10, 10], [0.5, 1.5]), r"binomial: p must be in \[0, 1\], got \[0.5, 1.5\]"),
])
def test_parameters_outside_the_law_are_named(draw, message):
    with pytest.raises(ValueError, match=message):
        draw()


def test_bounds_in_order_draw_inside_them():
    bm.random.seed(3)
    x = np.asarray(bm.random.uniform(1., 5., 2000))
    assert x.min() >= 1. and x.max() < 5.
    assert np.array_equal(np.asarray(bm.random.uniform(2., 2., 3)), [2., 2., 2.])  # one point, as NumPy's
    y = np.asarray(bm.random.truncated_normal(-0.5, 2., 2000, loc=1., scale=2.))
    assert y.min() >= -0.5 and y.max() <= 2.
    # the parameters' shape when size is left out, as BrainPy's (it was a JAX shape error)
    assert bm.random.truncated_normal(-np.ones(3), np.ones(3)).shape == (3,)
    z = np.asarray(bm.random.beta([2., 0.5], 3., size=(500, 2)))
    assert z.min() > 0. and z.max() < 1.


def test_traced_parameters_are_not_checked():
    # a swept value has no number yet: it goes through to JAX
    out = jax.jit(lambda low: bm.random.uniform(low, 1., 3, key=1))(0.25)
    assert out.shape == (3,) and bool((out >= 0.25).all())
    assert jax.jit(lambda a: bm.random.beta(a, 1., 3, key=1))(2.).shape == (3,)
    assert jax.jit(lambda lo: bm.random.truncated_normal(lo, 1., 3, key=1))(-1.).shape == (3,)


@pytest.mark.parametrize("bad", [1.5, np.float64(2.), "a", [1, 2], np.ones(3)])
def test_a_seed_that_is_no_integer_is_refused(bad):
    # BrainPy 2.8.2: "TypeError: key must be an int, a typed JAX key, or a uint32 array of size 2." for 1.5 and 'a'
    # (int() made 1.5 the seed 1 and 'a' "invalid literal for int()")
    with pytest.raises(TypeError, match=r"bm.random.seed: seed must be an int, a JAX key or None, got "):
        bm.random.seed(bad)


def test_a_seed_too_large_for_a_key_is_named():
    with pytest.raises(ValueError, match=r"bm.random.seed: seed must fit in 64 bits, got 1180591620717411303424"):
        bm.random.seed(2**70)


def test_integer_seeds_and_keys_repeat_the_stream_and_none_draws_a_fresh_one():
    def first(seed):
        bm.random.seed(seed)
        return np.asarray(bm.random.rand(4))

    assert np.array_equal(first(5), first(np.int64(5))) and np.array_equal(first(5), first(np.array(5)))
    assert not np.array_equal(first(5), first(6))
    assert np.array_equal(first(jax.random.key(9)), first(9))
    raw = np.array([1, 2], np.uint32)  # BrainPy's raw key
    assert np.array_equal(first(raw), first(jax.random.wrap_key_data(raw)))
    # None: a fresh seed each time, as BrainPy 2.8.2's seed(None)
    assert not np.array_equal(first(None), first(None))
