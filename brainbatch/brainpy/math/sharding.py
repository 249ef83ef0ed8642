"""``bm.sharding``: BrainPy 2.8.2's axis names, for the ``sharding=`` arguments of its models.

BrainPy shards a model's arrays across the devices of a mesh (``bm.sharding.device_mesh``) by naming their
axes: ``bp.dyn.Expon.desc(n, tau=5., sharding=[bm.sharding.NEU_AXIS])``. Without a mesh (one device) it
ignores the names, and brainbatch always does: it places whole runs on devices itself (``Runner(device=...)``,
sweeps across devices). A ``sharding=`` of the models is therefore None or a list of axis names (strings, or
None for an axis left whole), checked and ignored; ``device_mesh`` and a JAX ``Sharding`` are refused.

>>> import brainbatch.brainpy.math as bm
>>> bm.sharding.NEU_AXIS, bm.sharding.partition(bm.zeros(3), [bm.sharding.NEU_AXIS]).shape
('neuron', (3,))
"""
from __future__ import annotations

from typing import Any

import jax
import numpy as np

from .._compat import unsupported

__all__ = ["NEU_AXIS", "PRE_AXIS", "POST_AXIS", "SYN_AXIS", "BATCH_AXIS", "TIME_AXIS", "get_sharding",
           "partition_by_axname", "partition", "keep_constraint", "check_axis_names"]

NEU_AXIS = "neuron"
PRE_AXIS = "pre"
POST_AXIS = "post"
SYN_AXIS = "synapse"
BATCH_AXIS = "batch"
TIME_AXIS = "time"

_DEVICES = "brainbatch places whole runs on devices itself (Runner(device=...), sweeps across devices)"


def check_axis_names(what: str, sharding: Any, ndim: int | None = None) -> None:
    """A model's ``sharding=``: None, or a list (or tuple) of axis names, each a string (``bm.sharding.NEU_AXIS``...)
    or None, as BrainPy's models take them; on one device they change nothing (their number is not checked
    against the model's arrays, which BrainPy asserts). ``ndim``: the number of names the array needs (BrainPy's
    ``MaskedLinear``: 2, pre and post).

    >>> check_axis_names("Expon", [NEU_AXIS])
    >>> check_axis_names("Expon", "neuron")
    Traceback (most recent call last):
    ...
    TypeError: Expon: sharding='neuron' must be None or a list of axis names such as [bm.sharding.NEU_AXIS] (strings, or None for an axis left whole); brainbatch ignores them on one device
    """
    if sharding is None:
        return
    if isinstance(sharding, (jax.Device, jax.sharding.Sharding)):
        raise TypeError(f"{what}: sharding={sharding!r} (a JAX device or Sharding) is not supported; {_DEVICES}. "
                        "A list of axis names such as [bm.sharding.NEU_AXIS] is accepted and ignored")
    names = list(sharding) if isinstance(sharding, (list, tuple)) else None
    if names is None or not all(n is None or isinstance(n, str) for n in names):
        raise TypeError(f"{what}: sharding={sharding!r} must be None or a list of axis names such as "
                        "[bm.sharding.NEU_AXIS] (strings, or None for an axis left whole); brainbatch ignores them "
                        "on one device")
    if ndim is not None and len(names) != ndim:
        raise ValueError(f"{what}: sharding={sharding!r} names {len(names)} axes but the array has {ndim} "
                         f"(as BrainPy 2.8.2, which requires one name per axis)")


def get_sharding(axis_names: Any = None, mesh: Any = None) -> None:
    """BrainPy's ``get_sharding``: None without a device mesh (BrainPy's too), which brainbatch never has."""
    if mesh is not None:
        raise TypeError(f"bm.sharding.get_sharding: mesh={mesh!r} is not supported; {_DEVICES}")
    if axis_names is not None:
        check_axis_names("bm.sharding.get_sharding", axis_names)
    return None


def partition_by_axname(x: Any, axis_names: Any = None, mesh: Any = None) -> Any:
    """BrainPy's ``partition_by_axname`` without a mesh: ``x`` itself, after BrainPy's check that every array
    of ``x`` has one axis per name."""
    if mesh is not None:
        raise TypeError(f"bm.sharding.partition_by_axname: mesh={mesh!r} is not supported; {_DEVICES}")
    if axis_names is None:
        return x
    check_axis_names("bm.sharding.partition_by_axname", axis_names)
    for leaf in jax.tree_util.tree_leaves(x):  # a Variable is a pytree of its value
        if np.ndim(leaf) != len(axis_names):
            raise ValueError(f"bm.sharding.partition_by_axname: an array of shape {np.shape(leaf)} was given the "
                             f"axis names {axis_names!r}: one name per axis")
    return x


def partition(x: Any, sharding: Any = None) -> Any:
    """BrainPy's ``partition`` on one device: ``x`` itself for None or a list of axis names; a JAX device or
    ``Sharding`` (a placement) is refused."""
    if sharding is None:
        return x
    check_axis_names("bm.sharding.partition", sharding)
    if not any(isinstance(n, str) for n in sharding):  # BrainPy's partition: at least one name
        raise TypeError(f"bm.sharding.partition: sharding={sharding!r} names no axis; give a list of axis names "
                        "such as [bm.sharding.NEU_AXIS]")
    return partition_by_axname(x, sharding)


def keep_constraint(x: Any) -> Any:
    """BrainPy's ``keep_constraint``: ``x`` itself (nothing is sharded)."""
    return x


def __getattr__(name: str) -> Any:
    hint = f"it places arrays across the devices of a mesh; {_DEVICES}"
    raise unsupported("brainbatch.brainpy.math.sharding", name,
                      {k: hint for k in ("device_mesh", "partition_by_sharding", "Mesh", "NamedSharding",
                                         "PartitionSpec", "Sharding", "ShardedArray")}, __all__)
