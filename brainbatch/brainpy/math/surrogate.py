"""``bm.surrogate``: BrainPy's spike functions with a surrogate gradient, for models written with them (its
core-concept notebook's LIF: ``spike = self.f_surrogate(V - V_th)``). The value is the Heaviside step (1 where
``x >= 0``); the gradient is BrainPy 2.8.2's surrogate, so a script that differentiates through them gets BrainPy's
numbers. brainbatch does not train models: only the five most used are here.

>>> import jax, jax.numpy as jnp, brainbatch.brainpy.math as bm
>>> bm.surrogate.inv_square_grad(jnp.array([-0.1, 0.0])).tolist(), float(jax.grad(bm.surrogate.sigmoid)(0.0))
([0.0, 1.0], 1.0)
"""
from __future__ import annotations

import math
from typing import Any, Callable

import jax
import jax.numpy as jnp

from .._compat import unsupported

__all__ = ["inv_square_grad", "sigmoid", "arctan", "gaussian_grad", "relu_grad"]


def _spike_function(name: str, slope: Callable[..., Any], doc: str) -> Callable[..., Any]:
    """A Heaviside step whose derivative is ``slope(x, *params)`` (the parameters are not differentiated)."""

    @jax.custom_jvp
    def step(x: Any, *params: Any) -> Any:
        return jnp.asarray(jnp.asarray(x) >= 0, jnp.float32)

    @step.defjvp
    def _jvp(primals: tuple, tangents: tuple) -> tuple:
        x, *params = primals
        return step(x, *params), slope(jnp.asarray(x, jnp.float32), *params) * tangents[0]

    step.__name__ = step.__qualname__ = name
    step.__doc__ = doc
    return step


_inv_square = _spike_function("inv_square_grad", lambda x, alpha: 1.0 / (alpha * jnp.abs(x) + 1.0) ** 2,
                              "Heaviside step; gradient ``1 / (alpha |x| + 1)^2``.")
_sigmoid = _spike_function("sigmoid", lambda x, alpha: alpha * jax.nn.sigmoid(alpha * x) * (1.0 - jax.nn.sigmoid(alpha * x)),
                           "Heaviside step; gradient ``alpha s (1 - s)``, ``s = sigmoid(alpha x)``.")
_arctan = _spike_function("arctan", lambda x, alpha: alpha / 2.0 / (1.0 + (math.pi / 2.0 * alpha * x) ** 2),
                          "Heaviside step; gradient ``alpha / 2 / (1 + (pi/2 alpha x)^2)``.")
_gaussian = _spike_function("gaussian_grad", lambda x, sigma, alpha: alpha * jnp.exp(-x ** 2 / (2.0 * sigma ** 2))
                            / (math.sqrt(2.0 * math.pi) * sigma),
                            "Heaviside step; gradient ``alpha N(x; 0, sigma)``.")
_relu = _spike_function("relu_grad", lambda x, alpha, width: jnp.maximum(alpha * width - jnp.abs(x) * alpha, 0.0),
                        "Heaviside step; gradient ``max(alpha width - alpha |x|, 0)``.")


def inv_square_grad(x: Any, alpha: float = 100.0) -> Any:
    """Heaviside step of ``x``; gradient ``1 / (alpha |x| + 1)^2`` (BrainPy's defaults)."""
    return _inv_square(x, alpha)


def sigmoid(x: Any, alpha: float = 4.0) -> Any:
    """Heaviside step of ``x``; gradient ``alpha s (1 - s)`` with ``s = sigmoid(alpha x)``."""
    return _sigmoid(x, alpha)


def arctan(x: Any, alpha: float = 1.0) -> Any:
    """Heaviside step of ``x``; gradient ``alpha / 2 / (1 + (pi/2 alpha x)^2)``."""
    return _arctan(x, alpha)


def gaussian_grad(x: Any, sigma: float = 0.5, alpha: float = 0.5) -> Any:
    """Heaviside step of ``x``; gradient ``alpha`` times the normal density of ``x`` with deviation ``sigma``."""
    return _gaussian(x, sigma, alpha)


def relu_grad(x: Any, alpha: float = 0.3, width: float = 1.0) -> Any:
    """Heaviside step of ``x``; gradient ``max(alpha width - alpha |x|, 0)``."""
    return _relu(x, alpha, width)


_TRAINING = ("surrogate gradients are for training, which is out of scope for brainbatch; the spike functions "
             "inv_square_grad, sigmoid, arctan, gaussian_grad and relu_grad are here for models written with them")


# BrainPy 2.8.2's other spike functions and the classes of all of them
_BRAINPY = ("erf", "leaky_relu", "log_tailed_relu", "multi_gaussian_grad", "nonzero_sign_log", "piecewise_exp",
            "piecewise_leaky_relu", "piecewise_quadratic", "q_pseudo_spike", "s2nn", "slayer_grad", "soft_sign",
            "squarewave_fourier_series", "Sigmoid", "InvSquareGrad", "Arctan", "GaussianGrad", "ReluGrad", "ERF",
            "LeakyRelu", "LogTailedRelu", "MultiGaussianGrad", "NonzeroSignLog", "PiecewiseExp", "PiecewiseLeakyRelu",
            "PiecewiseQuadratic", "QPseudoSpike", "S2NN", "SlayerGrad", "SoftSign", "SquarewaveFourierSeries",
            "Surrogate")


def __getattr__(name: str) -> Any:
    raise unsupported("brainbatch.brainpy.math.surrogate", name, dict.fromkeys(_BRAINPY, _TRAINING), __all__)
