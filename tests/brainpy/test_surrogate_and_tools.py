"""``bm.surrogate``'s spike functions and ``bp.tools.size2num``, which BrainPy's core-concept notebook uses in its LIF
(both were refused by name). Reference numbers: tests/brainpy/reference/surrogate_bp282.py, run under BrainPy 2.8.2."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

X = [-1., -0.1, 0., 0.05, 1.]
BRAINPY_GRADIENTS = {
    "inv_square_grad": [9.8e-05, 0.008264, 1.0, 0.027778, 9.8e-05],
    "sigmoid": [0.070651, 0.961043, 1.0, 0.990066, 0.070651],
    "arctan": [0.1442, 0.48796, 0.5, 0.496935, 0.1442],
    "gaussian_grad": [0.053991, 0.391043, 0.398942, 0.396953, 0.053991],
    "relu_grad": [0.0, 0.27, 0.3, 0.285, 0.0],
}


@pytest.mark.parametrize("name", sorted(BRAINPY_GRADIENTS))
def test_a_spike_function_is_a_step_with_brainpys_surrogate_gradient(name):
    f = getattr(bm.surrogate, name)
    assert np.asarray(f(jnp.array(X))).tolist() == [0., 0., 1., 1., 1.]
    grad = jax.vmap(jax.grad(lambda v: f(v)))(jnp.array(X))
    np.testing.assert_allclose(np.asarray(grad), BRAINPY_GRADIENTS[name], rtol=1e-5, atol=1e-6)


def test_size2num_and_what_stays_refused():
    assert bp.tools.size2num((10, 10)) == 100 and bp.tools.size2num(5) == 5 and bp.tools.to_size(3) == (3,)
    with pytest.raises(AttributeError, match="surrogate gradients are for training"):
        bm.surrogate.Sigmoid
    with pytest.raises(AttributeError, match="Did you mean 'sigmoid'"):
        bm.surrogate.sigmod
