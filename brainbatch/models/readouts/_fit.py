"""Least-squares fitting used by readouts: ridge regression (offline) and recursive least squares (online)."""
from __future__ import annotations

import functools
from typing import Any

import jax
import jax.numpy as jnp
import jax.scipy.linalg  # noqa: F401  (solve_triangular)

__all__ = ["as_samples", "ridge", "rls_step", "rls_fit"]


def as_samples(x: Any, width: int, what: str) -> jax.Array:
    """``x`` shaped ``(..., width)`` as a 2-D ``(samples, width)`` float32 array; an error names ``what``."""
    x = jnp.asarray(x, jnp.float32)
    if x.ndim == 0 or x.shape[-1] != width:
        raise ValueError(f"{what} must have shape (..., {width}) — (time, {width}) or (batch, time, {width}) — "
                         f"got {tuple(x.shape)}")
    return x.reshape(-1, width)


@functools.partial(jax.jit, static_argnames="with_bias")
def ridge(X: jax.Array, Y: jax.Array, alpha: Any, with_bias: bool) -> tuple[jax.Array, jax.Array | None]:
    """Minimise ``|X W + b - Y|^2 + alpha |W|^2`` (the bias is not penalised); returns ``(W, b)``.

    Solved as one least-squares problem on ``[X, 1]`` stacked over ``sqrt(alpha) I``, by QR: the
    normal equations would square the condition number, which float32 cannot afford.
    """
    num_in = X.shape[1]
    A, reg = X, jnp.sqrt(jnp.asarray(alpha, jnp.float32)) * jnp.eye(num_in, dtype=jnp.float32)
    if with_bias:
        A = jnp.concatenate([X, jnp.ones((X.shape[0], 1), X.dtype)], axis=1)
        reg = jnp.concatenate([reg, jnp.zeros((num_in, 1), jnp.float32)], axis=1)
    A = jnp.concatenate([A, reg], axis=0)
    B = jnp.concatenate([Y, jnp.zeros((num_in, Y.shape[1]), Y.dtype)], axis=0)
    sol = _qr_solve(A, B)
    return (sol[:num_in], sol[num_in]) if with_bias else (sol, None)


def _qr_solve(A: jax.Array, B: jax.Array) -> jax.Array:
    q, r = jnp.linalg.qr(A)
    return jax.scipy.linalg.solve_triangular(r, q.T @ B)


def rls_step(P: jax.Array, w: jax.Array, x: jax.Array, y: jax.Array) -> tuple[jax.Array, jax.Array]:
    """One recursive-least-squares update of the weights ``w`` (inputs x outputs) for the sample ``(x, y)``.

    ``P`` estimates the inverse input correlation; the gain ``k = P x / (1 + x' P x)`` moves ``w``
    against the prediction error ``x' w - y``.
    """
    Px = P @ x
    k = Px / (1.0 + x @ Px)
    P = P - jnp.outer(k, Px)
    w = w - jnp.outer(k, x @ w - y)
    return P, w


@jax.jit
def rls_fit(P: jax.Array, w: jax.Array, X: jax.Array, Y: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``rls_step`` over the samples ``X[s], Y[s]`` in order (one compiled scan)."""
    def step(carry: Any, xy: Any) -> Any:
        return rls_step(*carry, *xy), None

    return jax.lax.scan(step, (P, w), (X, Y))[0]
