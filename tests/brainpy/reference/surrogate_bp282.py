"""BrainPy 2.8.2 reference numbers for tests/brainpy/test_surrogate_and_tools.py (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/surrogate_bp282.py

The value and the gradient of five of ``bm.surrogate``'s spike functions at five points, with their default
parameters, rounded to 6 decimals; and ``bp.tools.size2num``.
"""
import brainpy as bp
import brainpy.math as bm
import jax
import jax.numpy as jnp
import numpy as np

x = jnp.array([-1., -0.1, 0., 0.05, 1.])
for name in ["inv_square_grad", "sigmoid", "arctan", "gaussian_grad", "relu_grad"]:
    f = getattr(bm.surrogate, name)
    print(name, np.asarray(f(x)).tolist(), np.round(np.asarray(jax.vmap(jax.grad(lambda v: f(v)))(x)), 6).tolist())
print(bp.tools.size2num((10, 10)), bp.tools.size2num(5))
