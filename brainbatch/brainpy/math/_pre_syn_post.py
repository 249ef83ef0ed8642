"""BrainPy 2.8.2's ``bm.pre2syn`` / ``bm.syn2post_*`` / ``bm.pre2post_*``: gathers and segment reductions over
a synapse list (``pre_ids``, ``post_ids``), as its tutorial's hand-written sparse synapses use them. Each
gives BrainPy's numbers, its choices included: a ``pre2post_min``/``max`` start from 0 (``zeros().at[].min``),
a ``syn2post_max``/``min`` of a neuron without synapses is -inf/inf (segment reductions), a mean is 0.

>>> import brainbatch.brainpy.math as bm
>>> bm.syn2post_sum(bm.asarray([1., 2., 3.]), bm.asarray([0, 0, 2]), 3).tolist()
[3.0, 0.0, 3.0]
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ...core.checks import is_traced
from ...core.variable import unwrap

__all__ = ["pre2syn", "syn2post", "syn2post_sum", "syn2post_prod", "syn2post_max", "syn2post_min", "syn2post_mean",
           "syn2post_softmax", "pre2post_sum", "pre2post_prod", "pre2post_max", "pre2post_min", "pre2post_mean"]


def _ids(ids: Any, name: str, n: Any = None) -> jax.Array:
    """Integer neuron indices; where they and the count ``n`` of neurons are known, each within ``[0, n)``: an index
    past the end was dropped (a reduction), clamped (a gather) or, negative, wrapped around, without a word (as in
    BrainPy)."""
    ids = jnp.asarray(unwrap(ids))
    if not jnp.issubdtype(ids.dtype, jnp.integer):
        raise TypeError(f"{name} must be integer neuron indices, got dtype {ids.dtype}")
    if n is not None and ids.size and not is_traced(ids):
        found = np.asarray(ids)  # numpy: no compiled reduction for a check
        if found.min() < 0 or found.max() >= int(n):
            bad = int(found.min()) if found.min() < 0 else int(found.max())
            raise ValueError(f"{name} holds the index {bad}, outside [0, {int(n) - 1}] ({int(n)} neurons)")
    return ids


def pre2syn(pre_values: Any, pre_ids: Any) -> jax.Array:
    """The value of each synapse's presynaptic neuron: ``pre_values[pre_ids]`` (a scalar: one per synapse)."""
    values = jnp.asarray(unwrap(pre_values))
    pre_ids = _ids(pre_ids, "pre_ids", values.shape[0] if values.ndim else None)
    if values.ndim == 0:
        return jnp.ones(pre_ids.shape[0], values.dtype) * values
    return values[pre_ids]


def _values(syn_values: Any) -> jax.Array:
    values = jnp.asarray(unwrap(syn_values))
    return values.astype(jnp.int32) if values.dtype == jnp.bool_ else values


def syn2post_sum(syn_values: Any, post_ids: Any, post_num: int, indices_are_sorted: bool = False) -> jax.Array:
    """The sum over the synapses onto each postsynaptic neuron (0 for one without)."""
    return jax.ops.segment_sum(_values(syn_values), _ids(post_ids, "post_ids", post_num), int(post_num),
                               indices_are_sorted=indices_are_sorted)


syn2post = syn2post_sum


def syn2post_prod(syn_values: Any, post_ids: Any, post_num: int, indices_are_sorted: bool = False) -> jax.Array:
    return jax.ops.segment_prod(_values(syn_values), _ids(post_ids, "post_ids", post_num), int(post_num),
                                indices_are_sorted=indices_are_sorted)


def syn2post_max(syn_values: Any, post_ids: Any, post_num: int, indices_are_sorted: bool = False) -> jax.Array:
    return jax.ops.segment_max(_values(syn_values), _ids(post_ids, "post_ids", post_num), int(post_num),
                               indices_are_sorted=indices_are_sorted)


def syn2post_min(syn_values: Any, post_ids: Any, post_num: int, indices_are_sorted: bool = False) -> jax.Array:
    return jax.ops.segment_min(_values(syn_values), _ids(post_ids, "post_ids", post_num), int(post_num),
                               indices_are_sorted=indices_are_sorted)


def syn2post_mean(syn_values: Any, post_ids: Any, post_num: int, indices_are_sorted: bool = False) -> jax.Array:
    """The mean over the synapses onto each postsynaptic neuron (0 for one without)."""
    values, post_ids = _values(syn_values), _ids(post_ids, "post_ids", post_num)
    total = jax.ops.segment_sum(values, post_ids, int(post_num), indices_are_sorted=indices_are_sorted)
    count = jax.ops.segment_sum(jnp.ones_like(values), post_ids, int(post_num), indices_are_sorted=indices_are_sorted)
    return jnp.where(count > 0, total / jnp.where(count > 0, count, 1), 0.0)


def syn2post_softmax(syn_values: Any, post_ids: Any, post_num: int, indices_are_sorted: bool = False) -> jax.Array:
    """Each synapse's softmax weight among the synapses onto its postsynaptic neuron (one per synapse)."""
    values, post_ids = _values(syn_values), _ids(post_ids, "post_ids", post_num)
    top = jax.ops.segment_max(values, post_ids, int(post_num), indices_are_sorted=indices_are_sorted)
    e = jnp.exp(values - top[post_ids])
    return e / jax.ops.segment_sum(e, post_ids, int(post_num), indices_are_sorted=indices_are_sorted)[post_ids]


def _pre_values(pre_values: Any, pre_ids: Any, what: str) -> jax.Array:
    values = jnp.asarray(unwrap(pre_values))
    if values.ndim == 0:
        return values
    if pre_ids is None:
        raise ValueError(f"{what} needs pre_ids when pre_values holds one value per presynaptic neuron "
                         f"(shape {values.shape}); give pre_ids, or one scalar for every synapse")
    return values[_ids(pre_ids, "pre_ids", values.shape[0])]


def pre2post_sum(pre_values: Any, post_num: int, post_ids: Any, pre_ids: Any = None) -> jax.Array:
    """``post[j] = sum of pre_values[i]`` over the synapses ``i -> j``."""
    return jnp.zeros(int(post_num)).at[_ids(post_ids, "post_ids", post_num)].add(
        _pre_values(pre_values, pre_ids, "pre2post_sum"))


def pre2post_prod(pre_values: Any, post_num: int, post_ids: Any, pre_ids: Any = None) -> jax.Array:
    """As BrainPy: a product onto zeros (so 0 wherever a synapse arrives, as there)."""
    return jnp.zeros(int(post_num)).at[_ids(post_ids, "post_ids", post_num)].multiply(
        _pre_values(pre_values, pre_ids, "pre2post_prod"))


def pre2post_max(pre_values: Any, post_num: int, post_ids: Any, pre_ids: Any = None) -> jax.Array:
    """As BrainPy: the maximum with 0 (it starts from zeros)."""
    return jnp.zeros(int(post_num)).at[_ids(post_ids, "post_ids", post_num)].max(
        _pre_values(pre_values, pre_ids, "pre2post_max"))


def pre2post_min(pre_values: Any, post_num: int, post_ids: Any, pre_ids: Any = None) -> jax.Array:
    """As BrainPy: the minimum with 0 (it starts from zeros)."""
    return jnp.zeros(int(post_num)).at[_ids(post_ids, "post_ids", post_num)].min(
        _pre_values(pre_values, pre_ids, "pre2post_min"))


def pre2post_mean(pre_values: Any, post_num: int, post_ids: Any, pre_ids: Any = None) -> jax.Array:
    """The mean of the presynaptic values over the synapses onto each neuron (0 for one without)."""
    values = jnp.asarray(unwrap(pre_values))
    if values.ndim == 0:
        return jnp.zeros(int(post_num)).at[_ids(post_ids, "post_ids", post_num)].set(values)
    return syn2post_mean(_pre_values(values, pre_ids, "pre2post_mean"), post_ids, post_num)
