"""The counter-hash generator used for per-step draws: uniform, independent, batch invariant."""
import math

import jax
import numpy as np

from brainbatch.core.random import normal, random_bits, uniform

N = 200_000


def _chi2_threshold(df: int, z: float = 4.0) -> float:
    # Wilson–Hilferty: the chi-square quantile at a normal z-score (here ~3e-5 one-sided)
    return df * (1 - 2 / (9 * df) + z * math.sqrt(2 / (9 * df))) ** 3


def test_uniform_is_uniform_and_in_range():
    u = np.asarray(uniform(jax.random.key(0), (N,)))
    assert u.dtype == np.float32 and u.min() >= 0.0 and u.max() < 1.0
    counts, _ = np.histogram(u, bins=100, range=(0, 1))
    chi2 = ((counts - N / 100) ** 2 / (N / 100)).sum()
    assert chi2 < _chi2_threshold(99)
    assert abs(u.mean() - 0.5) < 4 * math.sqrt(1 / 12 / N)


def test_neighbours_keys_and_bits_are_independent():
    u = np.asarray(uniform(jax.random.key(1), (N,)))
    v = np.asarray(uniform(jax.random.fold_in(jax.random.key(1), 1), (N,)))
    bound = 4 / math.sqrt(N)  # correlation of independent samples has sd 1/sqrt(N)
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < bound
    assert abs(np.corrcoef(u, v)[0, 1]) < bound
    bits = np.asarray(random_bits(jax.random.key(2), (N,)))
    ones = np.unpackbits(bits.view(np.uint8)).reshape(N, 32).mean(axis=0)
    assert np.all(np.abs(ones - 0.5) < 4 * 0.5 / math.sqrt(N))  # every bit is a fair coin


def test_normal_moments():
    z = np.asarray(normal(jax.random.key(3), (N,)))
    se = 1 / math.sqrt(N)
    assert abs(z.mean()) < 4 * se
    assert abs(z.var() - 1) < 4 * math.sqrt(2) * se
    assert abs((z ** 3).mean()) < 4 * math.sqrt(15) * se


def test_same_numbers_alone_and_under_vmap():
    keys = jax.random.split(jax.random.key(4), 5)
    batch = jax.vmap(lambda k: uniform(k, (64,)))(keys)
    alone = uniform(keys[3], (64,))
    np.testing.assert_array_equal(np.asarray(batch[3]), np.asarray(alone))
    assert not np.array_equal(np.asarray(batch[0]), np.asarray(batch[1]))


def test_step_key_fold_in_is_jaxs_fold_in_bit_for_bit():
    """The unrolled threefry of ``fold_in`` (no rolled loop in every step on CPU) gives JAX's keys exactly:
    every stream drawn from a step key is what it was, under jit and vmap too."""
    from brainbatch.core.random import fold_in

    keys = jax.vmap(lambda s: jax.random.fold_in(jax.random.key(3), s))(np.arange(64, dtype=np.uint32))
    data = np.array([0, 1, 2, 7, 99_999, 2**31 - 1, 2**31 + 5, 2**32 - 1], dtype=np.uint32)
    ours = jax.jit(jax.vmap(jax.vmap(fold_in, (None, 0)), (0, None)))(keys, data)
    theirs = jax.vmap(jax.vmap(jax.random.fold_in, (None, 0)), (0, None))(keys, data)
    np.testing.assert_array_equal(np.asarray(jax.random.key_data(ours)), np.asarray(jax.random.key_data(theirs)))
    raw = jax.random.PRNGKey(5)  # a raw uint32 key goes to JAX's own fold_in
    np.testing.assert_array_equal(np.asarray(fold_in(raw, 9)), np.asarray(jax.random.fold_in(raw, 9)))
