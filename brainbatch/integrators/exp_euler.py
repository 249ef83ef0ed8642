"""Exponential Euler: exact for linear ODEs with constant coefficients."""

from __future__ import annotations

from typing import Any, Callable

import jax
import jax.numpy as jnp

from .base import AbstractIntegrator, PyTree, VectorField, _as_arrays, _dt_like, _eval, _leaf_dtype

# Below this |A dt| the Taylor series of expm1(z)/z is exact to float64 rounding (error ~ z**3/24).
_SMALL = 1e-5

# Growth per step is capped at exp(_Z_MAX) (see ``_linear_part``): beyond it the step means nothing, and
# it is where float32 autodiff of a removable singularity lands (docs/migrating-from-brainpy.md).
_Z_MAX = 3.0


def _linear_part(a: jax.Array, dt: Any) -> jax.Array:
    """``A dt`` as the step uses it: non-finite ``A`` counts as 0 (an Euler step), ``A dt`` at most ``_Z_MAX``.

    A rate function with a removable singularity, ``x / (exp(x / k) - 1)`` at ``x = 0`` (Wang-Buzsaki's
    ``alpha_m`` at V = -35 mV), has a value that float32 computes to about 1e-3, but a derivative that
    is cancellation noise of size 1e3..1e5 within 1e-3 of the point: ``expm1(A dt) / A`` then overflowed
    and the state jumped to 1e9. Negative noise only slows one step; positive ``A dt`` is capped at
    ``_Z_MAX`` (growth e^3 per step): no model integrated with a meaningful step grows faster, while a
    spike upswing that does (AdEx) still crosses its threshold.
    """
    z = a * dt
    return jnp.minimum(jnp.where(jnp.isfinite(z), z, jnp.zeros_like(z)), _Z_MAX)


def _phi(z: jax.Array) -> jax.Array:
    """``expm1(z) / z`` with its limit 1 at z = 0, NaN-free in value and in gradient."""
    small = jnp.abs(z) < _SMALL
    # The double-where keeps the unused branch finite, so its gradient is not NaN either.
    z_safe = jnp.where(small, jnp.ones_like(z), z)
    return jnp.where(small, 1 + z / 2 + z * z / 6, jnp.expm1(z_safe) / z_safe)


class ExponentialEuler(AbstractIntegrator):
    """Exponential Euler: ``y + f(y) * expm1(A dt) / A`` with ``A = df/dy`` (the diagonal).

    First order in general, exact when ``f`` is linear in ``y`` with constant coefficients (the
    LIF membrane between spikes, exponential synapses). Models are elementwise over neurons, so
    each leaf's diagonal comes from one ``jax.jvp`` with a tangent of ones on that leaf and zeros
    on the others; the same call also returns ``f``. As in BrainPy's ``exp_euler``, each leaf is
    linearised on its own with the other leaves held at their values at the start of the step. An
    equation that couples the elements of one leaf (``-y + W @ y``) gets each element's row sum of the
    Jacobian, ``sum_j df_i/dy_j``; BrainPy 2.8.2's ``vector_grad`` takes column sums, ``sum_i df_i/dy_j``.
    The two are the diagonal for elementwise equations and agree for symmetric couplings; for others
    the row sum keeps an element that depends on itself alone exact, where the column sum does not.
    An integer start (``v0 = 0``) is a float state, as in the explicit schemes.

    >>> from brainbatch.integrators import ExponentialEuler
    >>> lif = lambda v, t, tau, i: (-v + i) / tau  # exact: i + (v0 - i) * exp(-t / tau)
    >>> v = ExponentialEuler().step(lif, 0.0, 0.0, 5.0, 10.0, 2.0)
    >>> round(float(v), 5)  # 2 * (1 - exp(-0.5)) = 0.786938...
    0.78694
    """

    name = "exp_euler"
    order = 1

    def step(self, f: VectorField, y: PyTree, t: Any, dt: Any, *args: Any) -> PyTree:
        # an integer start (``v0 = 0``) is a float state, as the explicit schemes take it: jax.jvp refused an
        # integer primal with a tangent of ones ("primal and tangent arguments to jax.jvp do not match")
        y = jax.tree_util.tree_map(lambda leaf: leaf.astype(_leaf_dtype(leaf)), _as_arrays(y))
        leaves, treedef = jax.tree_util.tree_flatten(y)

        def g(y_tree: PyTree) -> PyTree:
            return _eval(f, y_tree, t, args)

        new_leaves = []
        for k, y_k in enumerate(leaves):
            f_k, a_k = self._value_and_linear(g, leaves, treedef, k)
            dt_k = _dt_like(dt, y_k)
            new_leaves.append(y_k + dt_k * f_k * _phi(_linear_part(a_k, dt_k)))
        return jax.tree_util.tree_unflatten(treedef, new_leaves)

    def _value_and_linear(self, g: Callable, leaves: list, treedef: Any, k: int) -> tuple[Any, Any]:
        """``f_k`` and its linear part in leaf ``k``: the row sums of the Jacobian (one ``jax.jvp``)."""
        tangent = [jnp.ones_like(l) if i == k else jnp.zeros_like(l) for i, l in enumerate(leaves)]
        dy, jv = jax.jvp(g, (jax.tree_util.tree_unflatten(treedef, leaves),),
                         (jax.tree_util.tree_unflatten(treedef, tangent),))
        return jax.tree_util.tree_leaves(dy)[k], jax.tree_util.tree_leaves(jv)[k]


class ColumnExponentialEuler(ExponentialEuler):
    """Exponential Euler whose linear part of a leaf is the column sums of its Jacobian, ``sum_i df_i/dy_j``
    (one ``jax.vjp`` with a cotangent of ones): BrainPy 2.8.2's ``exp_auto``, whose ``vector_grad`` is that
    product. The same numbers as :class:`ExponentialEuler` for elementwise equations (both are the diagonal);
    an equation that couples the elements of one leaf (``-y + W @ y``) steps as in BrainPy. The BrainPy layer's
    ``bp.odeint(method='exp_auto')`` uses it, so a script's coupled equation gives BrainPy's numbers.

    >>> from brainbatch.integrators import ColumnExponentialEuler
    >>> lif = lambda v, t, tau, i: (-v + i) / tau
    >>> round(float(ColumnExponentialEuler().step(lif, 0.0, 0.0, 2.0, 5.0, 10.0)), 5)
    3.2968
    """

    name = "exp_euler_columns"

    def _value_and_linear(self, g: Callable, leaves: list, treedef: Any, k: int) -> tuple[Any, Any]:
        def g_k(y_k: Any) -> Any:
            others = [y_k if i == k else leaf for i, leaf in enumerate(leaves)]
            return jax.tree_util.tree_leaves(g(jax.tree_util.tree_unflatten(treedef, others)))[k]

        f_k, pullback = jax.vjp(g_k, leaves[k])
        return f_k, pullback(jnp.ones_like(f_k))[0]
