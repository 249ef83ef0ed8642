"""The abstract integrator and the small helpers every explicit scheme shares."""

from __future__ import annotations

import abc
from typing import Any, Callable, ClassVar

import jax
import jax.numpy as jnp

from ..core.checks import fits_shape

PyTree = Any
#: ``f(y, t, *args) -> dy/dt`` with ``dy/dt`` shaped like ``y``.
VectorField = Callable[..., PyTree]


class AbstractIntegrator(abc.ABC):
    """One step of an ODE solver: ``y_next = step(f, y, t, dt, *args)``.

    ``y`` is a pytree of floating arrays (one array, a tuple, a dict, ...); ``f(y, t, *args)``
    returns a pytree of the same structure. Steps are pure, so they work under ``jit``,
    ``vmap`` and ``lax.scan``, and every leaf of ``y_next`` keeps the dtype of ``y``'s leaf.

    Subclasses declare ``name`` (the registry key) and ``order`` (the global convergence order
    that the tests check).

    >>> from brainbatch.integrators import Euler
    >>> round(float(Euler().step(lambda y, t: -y, 1.0, 0.0, 0.1)), 6)
    0.9
    """

    name: ClassVar[str]
    order: ClassVar[int]

    @abc.abstractmethod
    def step(self, f: VectorField, y: PyTree, t: Any, dt: Any, *args: Any) -> PyTree:
        """Advance ``y`` from time ``t`` to ``t + dt``."""

    # Integrators hold no state, so two instances of one class are interchangeable; this makes
    # them usable as static arguments to jit and as dict keys.
    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _as_arrays(y: PyTree) -> PyTree:
    # Python floats become arrays so each leaf has a definite dtype to preserve.
    return jax.tree_util.tree_map(jnp.asarray, y)


def _leaf_dtype(leaf: jax.Array) -> Any:
    # Integer state makes no sense for an ODE; fall back to the default float for it.
    if jnp.issubdtype(leaf.dtype, jnp.inexact):
        return leaf.dtype
    return jnp.result_type(float)


def _dt_like(dt: Any, leaf: jax.Array) -> jax.Array:
    # Casting dt to the leaf's dtype stops a float64 dt (x64 on) from promoting float32 state.
    return jnp.asarray(dt, dtype=_leaf_dtype(leaf))


def _cast_like(tree: PyTree, ref: PyTree) -> PyTree:
    # f may compute in a wider dtype (e.g. a float64 time); bring its output back to the state's.
    def leaf(x: Any, r: jax.Array) -> jax.Array:
        x = jnp.asarray(x, dtype=_leaf_dtype(r))
        # Broadcasting would silently grow the state (and break lax.scan later); say so here.
        if not fits_shape(x.shape, r.shape):
            raise ValueError(
                f"f(y, t, *args) returned a derivative of shape {x.shape} for a state leaf of "
                f"shape {r.shape}; return one value per state element (or a scalar)"
            )
        return x

    return jax.tree_util.tree_map(leaf, tree, ref)


def _eval(f: VectorField, y: PyTree, t: Any, args: tuple) -> PyTree:
    """``f(y, t, *args)`` with every leaf cast to the dtype of ``y``'s leaf."""
    return _cast_like(f(y, t, *args), y)


def _combine(y: PyTree, dt: Any, terms: list[tuple[float, PyTree]]) -> PyTree:
    """``y + dt * sum(c * k for c, k in terms)``, leaf by leaf, in each leaf's dtype."""

    def leaf(y_leaf: jax.Array, *ks: jax.Array) -> jax.Array:
        acc = sum(c * k for (c, _), k in zip(terms, ks))
        return y_leaf + _dt_like(dt, y_leaf) * acc

    return jax.tree_util.tree_map(leaf, y, *(k for _, k in terms))
