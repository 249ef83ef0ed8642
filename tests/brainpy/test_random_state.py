"""``bm.random.RandomState(seed)``: a generator of its own seed, as BrainPy's (its random-number, control-flow and
variables tutorials). Expected numbers: BrainPy 2.8.2 (jax 0.10.2):

    import brainpy.math as bm
    r = bm.random.RandomState(123)
    r.random(3)                   # [0.21687067, 0.0621053, 0.2907127]
    r = bm.random.RandomState(123)
    r.randn(3)                    # [-0.7828054, -1.5373377, -0.5513038]
    r.normal(size=2)              # [-1.8585335, -0.48146257]
    r.rand(2)                     # [0.23145318, 0.6915165]
    r.seed(123); r.random(3)      # [0.21687067, 0.0621053, 0.2907127] again
"""
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm


def test_a_seeded_generator_draws_brainpys_numbers_for_its_seed():
    np.testing.assert_allclose(bm.random.RandomState(123).random(3), [0.21687067, 0.0621053, 0.2907127], rtol=1e-6)
    r = bm.random.RandomState(seed=123)
    drawn = [r.randn(3), r.normal(size=2), r.rand(2)]  # each draw moves the generator on, as BrainPy's
    expected = [[-0.7828054, -1.5373377, -0.5513038], [-1.8585335, -0.48146257], [0.23145318, 0.6915165]]
    for got, want in zip(drawn, expected):
        np.testing.assert_allclose(got, want, rtol=1e-6)
    r.seed(123)
    np.testing.assert_allclose(r.sample(3), [0.21687067, 0.0621053, 0.2907127], rtol=1e-6)


def test_a_seeded_generator_leaves_bm_randoms_stream_alone():
    bm.random.seed(5)
    first = bm.random.rand(3)
    bm.random.seed(5)
    bm.random.RandomState(1).rand(4)
    np.testing.assert_array_equal(bm.random.rand(3), first)


def test_a_seeded_generator_in_a_step_draws_the_runs_numbers():
    # inside a run every draw is keyed by the run's seed and the step (docs/random.md), the generator's seed too
    class Poisson(bp.NeuGroup):
        def __init__(self, n):
            super().__init__(n)
            self.rng = bm.random.RandomState(123)
            self.spike = bm.Variable(bm.zeros(n, dtype=bool))

        def update(self):
            self.spike.value = self.rng.random(self.num) < 0.2

    def run(seed):
        return bp.DSRunner(Poisson(2000), monitors=["spike"], progress_bar=False, seed=seed).run(0.5)["spike"]

    out = run(3)
    assert abs(out.mean() - 0.2) < 5 * np.sqrt(0.2 * 0.8 / out.size)  # Bernoulli(0.2) within 5 sigma
    assert not np.array_equal(out[0], out[1])
    np.testing.assert_array_equal(run(3), out)
    assert not np.array_equal(run(4), out)


def test_a_generator_seed_that_is_not_an_integer_or_key_is_named():
    with pytest.raises(TypeError, match=r"bm.random.RandomState: seed must be an int, a JAX key or None, got 1.5"):
        bm.random.RandomState(1.5)


def test_split_key_of_n_gives_brainpys_keys_and_moves_the_generator_as_brainpys():
    # BrainPy 2.8.2: r = bm.random.RandomState(3); jax.random.key_data(r.split_key(2)); r.random(2)
    import jax

    r = bm.random.RandomState(3)
    keys = np.asarray(jax.random.key_data(r.split_key(2)))
    assert keys.tolist() == [[1946498123, 2217676430], [1024511538, 2603795180]]
    np.testing.assert_allclose(r.random(2), [0.3813701868057251, 0.4971482753753662], rtol=1e-6)
