"""Random streams (DESIGN §3): run key -> node path -> step.

A run's key is ``jax.random.key(seed)``. A node draws from
``fold_in(fold_in(fold_in(run_key, purpose), crc32(path)), counter)`` where ``path`` is its relative
attribute path and ``counter`` the step index (or a tag for initial values). The stream therefore does
not depend on batch size, batch position, device, creation order, or on other nodes existing.
"""
from __future__ import annotations

import zlib

import jax
import jax.numpy as jnp

from .context import share

__all__ = ["run_key", "path_hash", "step_key", "init_key", "current_run_key"]

_STEP, _INIT = 1, 0


def run_key(seed: int | jax.Array) -> jax.Array:
    """The key of the run with this seed.

    >>> k = run_key(3)
    """
    if isinstance(seed, (int,)) and not isinstance(seed, bool):
        if seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
        return jax.random.key(seed)
    if isinstance(seed, jax.Array) and jnp.issubdtype(seed.dtype, jax.dtypes.prng_key):
        return seed
    return jax.random.key(seed)


def path_hash(path: str) -> int:
    """A stable 31-bit hash of a node path (same in every process, unlike ``hash``)."""
    return zlib.crc32(path.encode("utf-8")) & 0x7FFFFFFF


def current_run_key() -> jax.Array:
    """The run key in the step context, or the key of seed 0 when none is set."""
    key = share.key
    return jax.random.key(0) if key is None else key


def step_key(path: str, i=None) -> jax.Array:
    """The key of node ``path`` for step ``i`` (default: the context's step)."""
    i = share.i if i is None else i
    k = jax.random.fold_in(current_run_key(), _STEP)
    k = jax.random.fold_in(k, path_hash(path))
    return jax.random.fold_in(k, jnp.asarray(i, dtype=jnp.uint32))


def init_key(path: str, tag: str = "") -> jax.Array:
    """The key node ``path`` uses for initial values and connectivity (``tag`` separates uses)."""
    k = jax.random.fold_in(current_run_key(), _INIT)
    k = jax.random.fold_in(k, path_hash(path))
    return jax.random.fold_in(k, path_hash(tag))
