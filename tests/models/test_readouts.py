"""Dense readout: forward pass, ridge regression (offline_fit) and recursive least squares (online_fit)."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.core import BatchingMode, TrainVar, assign_paths
from brainbatch.models.readouts import Dense

NUM_IN, NUM_OUT = 12, 3


@pytest.fixture(scope="module")
def linear_map():
    rng = np.random.default_rng(42)  # test data only; the model's randomness comes from run keys
    W = rng.standard_normal((NUM_IN, NUM_OUT)).astype(np.float32)
    b = rng.standard_normal(NUM_OUT).astype(np.float32)
    X = rng.standard_normal((4, 100, NUM_IN)).astype(np.float32)  # (batch, time, num_in), as recorded
    return jnp.asarray(W), jnp.asarray(b), jnp.asarray(X), jnp.asarray(X @ W + b)


def rel_err(a, b) -> float:
    return float(jnp.linalg.norm(a - b) / jnp.linalg.norm(b))


def test_forward_pass_and_trainable_variables():
    ro = Dense(NUM_IN, NUM_OUT, mode=BatchingMode(5))
    assert isinstance(ro.W, TrainVar) and ro.W.shape == (NUM_IN, NUM_OUT) and ro.b.shape == (NUM_OUT,)
    assert set(ro.train_vars()) == {"W", "b"}
    x = jnp.ones((5, NUM_IN))
    np.testing.assert_allclose(np.asarray(ro.update(x)), np.asarray(x @ ro.W.value + ro.b.value), rtol=1e-6)
    assert Dense(NUM_IN, NUM_OUT, b_initializer=None).update(jnp.ones(NUM_IN)).shape == (NUM_OUT,)


def test_weights_are_drawn_from_the_run_key_in_reset_state():
    def weights(seed):
        ro = Dense(NUM_IN, NUM_OUT)
        with bb.environment(key=jax.random.key(seed)):
            assign_paths(ro)
            ro.reset()
        return np.asarray(ro.W.value)

    assert np.array_equal(weights(1), weights(1)) and not np.array_equal(weights(1), weights(2))


@pytest.mark.parametrize("as_dict", [False, True])
def test_offline_fit_recovers_a_noise_free_linear_map(linear_map, as_dict):
    W, b, X, Y = linear_map
    ro = Dense(NUM_IN, NUM_OUT)
    ro.offline_init()
    ro.offline_fit(Y, {"input": X} if as_dict else X)
    assert rel_err(ro.W.value, W) < 1e-4 and rel_err(ro.b.value, b) < 1e-4
    ro.reset_state()  # a fitted readout keeps its weights through resets
    assert rel_err(ro.W.value, W) < 1e-4
    ro2 = Dense(NUM_IN, NUM_OUT)
    ro2.offline_fit(Y[0], X[0])  # (time, num_in) works too
    assert rel_err(ro2.W.value, W) < 1e-4


def test_ridge_penalty_shrinks_the_weights(linear_map):
    W, b, X, Y = linear_map
    ro = Dense(NUM_IN, NUM_OUT, alpha=1e4)
    ro.offline_fit(Y, X)
    assert float(jnp.linalg.norm(ro.W.value)) < 0.2 * float(jnp.linalg.norm(W))


def test_online_fit_converges_sample_by_sample(linear_map):
    W, b, X, Y = linear_map
    ro = Dense(NUM_IN, NUM_OUT, alpha=1e-3)
    ro.online_init()
    assert ro.P.shape == (NUM_IN + 1, NUM_IN + 1)
    errors = []
    for t in range(0, 100, 25):  # feed the recording in chunks, as a runner would, step by step
        ro.online_fit(Y[:, t: t + 25], X[:, t: t + 25])
        errors.append(rel_err(ro.W.value, W))
    assert errors[-1] < 1e-3 and errors[-1] <= errors[0]
    assert rel_err(ro.b.value, b) < 1e-3


def test_fit_errors_name_the_shapes(linear_map):
    W, b, X, Y = linear_map
    ro = Dense(NUM_IN, NUM_OUT)
    with pytest.raises(ValueError, match=r"recorded input must have shape \(\.\.\., 12\)"):
        ro.offline_fit(Y, X[..., :5])
    with pytest.raises(ValueError, match="400 samples but target has 100"):
        ro.offline_fit(Y[0], X)
    with pytest.raises(KeyError, match="several entries"):
        ro.offline_fit(Y, {"a": X, "b": X})
    with pytest.raises(ValueError, match="num_in must be an integer >= 1, got 0"):
        Dense(0, 2)
    with pytest.raises(ValueError, match="alpha must be a number > 0"):
        Dense(2, 2, alpha=0.0)
