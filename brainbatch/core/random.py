"""Random streams (docs/random.md): run key -> node path -> step.

A run's key is ``jax.random.key(seed)``. A node draws from
``fold_in(fold_in(fold_in(run_key, purpose), crc32(path)), counter)`` where ``path`` is its relative
attribute path and ``counter`` the step index (or a tag for initial values). The stream therefore does
not depend on batch size, batch position, device, creation order, or on other nodes existing.
"""
from __future__ import annotations

import zlib
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from .checks import check_int, is_int
from .context import share

__all__ = ["run_key", "check_seed", "MAX_SEED", "SEED_RULE", "path_hash", "step_key", "init_key", "init_keys",
           "current_run_key", "graph_key", "check_graph_seed", "connector_graph_seed", "fold_in", "random_bits",
           "uniform", "normal"]

_STEP, _INIT = 1, 0
#: The largest seed: a run's key is made from its seed as one unsigned 32-bit word.
MAX_SEED = 2**32 - 1
#: What a seed may be, for the errors that refuse one.
SEED_RULE = f"an integer 0..{MAX_SEED} (a run's key is made from one unsigned 32-bit word)"


def run_key(seed: int | jax.Array) -> jax.Array:
    """The key of the run with this seed.

    >>> k = run_key(3)
    """
    if is_int(seed):
        return jax.random.key(check_seed(seed))
    if isinstance(seed, jax.Array) and jnp.issubdtype(seed.dtype, jax.dtypes.prng_key):
        return seed
    if isinstance(seed, (jax.Array, np.ndarray)) and jnp.issubdtype(seed.dtype, jnp.integer):
        return jax.random.key(seed)  # seeds as an array (under vmap): checked by whoever made it
    raise TypeError(f"seed must be {SEED_RULE} or a jax.random key, got {seed!r}")


def check_seed(seed: Any) -> int:
    """``seed`` as an ``int`` if it is one a run key takes: a larger one would wrap onto a smaller one's
    run, silently.

    >>> check_seed(7)
    7
    """
    return check_int("seed", seed, minimum=0, maximum=MAX_SEED, allowed=SEED_RULE)


def path_hash(path: str) -> int:
    """A stable 31-bit hash of a node path (same in every process, unlike ``hash``)."""
    return zlib.crc32(path.encode("utf-8")) & 0x7FFFFFFF


def current_run_key() -> jax.Array:
    """The run key in the step context, or the key of seed 0 when none is set."""
    key = share.key
    return jax.random.key(0) if key is None else key


def check_graph_seed(seed: object, owner: str = "graph_seed") -> object:
    """``seed`` if it is ``None``, a non-negative Python integer or an integer JAX value (a traced
    one from a sweep), else a one-line error naming it."""
    if seed is None or (is_int(seed) and seed >= 0):  # type: ignore[operator]
        return seed
    if isinstance(seed, jax.Array) and seed.ndim == 0 and jnp.issubdtype(seed.dtype, jnp.integer):
        return seed
    raise ValueError(f"{owner} must be None (the graph comes from the run's seed) or an integer >= 0, got {seed!r}")


def connector_graph_seed(graph_seed: object, conn: object, owner: str = "graph_seed") -> object:
    """The graph seed of a projection given ``graph_seed`` and a connector that may fix its own
    (``conn.graph_seed``, as a BrainPy connector's ``seed=`` does): either one, or both when they are
    the same integer; two different ones are a one-line error.

    >>> class Conn:
    ...     graph_seed = 3
    >>> connector_graph_seed(None, Conn()), connector_graph_seed(3, Conn()), connector_graph_seed(None, object())
    (3, 3, None)
    """
    fixed = getattr(conn, "graph_seed", None)
    if fixed is None:
        return graph_seed
    if graph_seed is None or (is_int(graph_seed) and int(graph_seed) == int(fixed)):  # type: ignore[call-overload]
        return fixed
    raise ValueError(f"{owner}: graph_seed={graph_seed!r} differs from the connector's seed={fixed!r} (both fix "
                     "the graph); give one of them")


def graph_key(seed: object = None) -> jax.Array:
    """The key a node's graph (connectivity, per-synapse weights and delays) is drawn from: the run key,
    or, with a ``graph_seed``, the key of that seed, so that every run draws the graph the run of seed
    ``graph_seed`` draws (docs/random.md, "One graph for every run").

    >>> import jax
    >>> bool((jax.random.key_data(graph_key(3)) == jax.random.key_data(run_key(3))).all())
    True
    """
    return current_run_key() if seed is None else run_key(seed)


def step_key(path: str, i: Any = None) -> jax.Array:
    """The key of node ``path`` for step ``i`` (default: the context's step)."""
    i = share.i if i is None else i
    k = jax.random.fold_in(current_run_key(), _STEP)
    k = jax.random.fold_in(k, path_hash(path))
    return fold_in(k, jnp.asarray(i, dtype=jnp.uint32))


# Threefry-2x32 rotations of the even and odd groups of four rounds, and its key-schedule parity constant.
_ROTATIONS = ((13, 15, 26, 6), (17, 29, 16, 24))
_PARITY = 0x1BD11BDA


def fold_in(key: jax.Array, data: Any) -> jax.Array:
    """``jax.random.fold_in(key, data)`` for a threefry key and ``uint32`` data, bit for bit, as one fusion.

    On CPU JAX lowers threefry to a rolled loop of 5 iterations, a nested ``while`` in every step of a
    scan: for a small model (Song 2000: 1000 inputs, one neuron) the step key's loop was about half of
    the step's time (docs/performance.md, "Plasticity"). The 20 rounds written out fuse into one kernel.
    Other key kinds (``jax_default_prng_impl``) go to ``jax.random.fold_in``.

    >>> k = jax.random.key(7)
    >>> bool((jax.random.key_data(fold_in(k, 5)) == jax.random.key_data(jax.random.fold_in(k, 5))).all())
    True
    """
    if not jnp.issubdtype(key.dtype, jax.dtypes.prng_key) or str(jax.random.key_impl(key)) != "threefry2x32":
        return jax.random.fold_in(key, data)
    words = jax.random.key_data(key)
    k0, k1 = words[..., 0], words[..., 1]
    ks = (k0, k1, k0 ^ k1 ^ jnp.uint32(_PARITY))
    # fold_in hashes the counter pair (high word, low word) = (0, data) of a 32-bit datum
    x0 = jnp.zeros_like(k0) + ks[0]
    x1 = jnp.asarray(data, jnp.uint32) + ks[1]
    for j in range(5):
        for r in _ROTATIONS[j % 2]:
            x0 = x0 + x1
            x1 = ((x1 << jnp.uint32(r)) | (x1 >> jnp.uint32(32 - r))) ^ x0
        x0 = x0 + ks[(j + 1) % 3]
        x1 = x1 + ks[(j + 2) % 3] + jnp.uint32(j + 1)
    return jax.random.wrap_key_data(jnp.stack([x0, x1], axis=-1), impl="threefry2x32")


def init_key(path: str, tag: str = "", seed: object = None) -> jax.Array:
    """The key node ``path`` uses for initial values and connectivity (``tag`` separates uses); with
    ``seed`` (a graph seed) from that seed's key instead of the run key (``graph_key``)."""
    k = jax.random.fold_in(graph_key(seed), _INIT)
    k = jax.random.fold_in(k, path_hash(path))
    return jax.random.fold_in(k, path_hash(tag))


def init_keys(path: str, tags: list[str], seed: object = None) -> jax.Array:
    """``init_key(path, tag)`` for every tag, as one key array: one vectorised hash instead of one per tag
    (a table of 64 pathways had 192 separate hashes in its init program, most of its compile time).

    >>> import jax
    >>> ks = init_keys("net.rec", ["a", "b"])
    >>> bool((jax.random.key_data(ks[1]) == jax.random.key_data(init_key("net.rec", "b"))).all())
    True
    """
    k = jax.random.fold_in(jax.random.fold_in(graph_key(seed), _INIT), path_hash(path))
    hashes = jnp.asarray([path_hash(t) for t in tags], jnp.uint32)
    return jax.vmap(jax.random.fold_in, in_axes=(None, 0))(k, hashes)


# -- fast per-step draws ---------------------------------------------------------------------------
# Threefry costs ~30 ns per uniform on CPU, which dominates a Poisson-driven network (docs/performance.md).
# Per-step draws instead hash (key, element index) with two rounds of the "lowbias32" integer mixer
# (Wellons), keyed by the two words of the node's threefry step key. The result is a pure function of
# (run key, node path, step, element): the same alone, in a batch, on any device — ~8x cheaper.

def _mix32(x: jax.Array) -> jax.Array:
    x = x ^ (x >> 16)
    x = x * jnp.uint32(0x7FEB352D)
    x = x ^ (x >> 15)
    x = x * jnp.uint32(0x846CA68B)
    return x ^ (x >> 16)


def random_bits(key: jax.Array, shape: Any) -> jax.Array:
    """``uint32`` bits of ``shape`` from ``key`` by counter hashing (one word per element).

    >>> random_bits(jax.random.key(0), (3,)).dtype
    dtype('uint32')
    """
    shape = tuple(shape)
    words = jax.random.key_data(key).astype(jnp.uint32).reshape(-1)
    size = 1
    for n in shape:
        size *= n
    counter = jax.lax.iota(jnp.uint32, size).reshape(shape)
    h = _mix32(counter ^ words[0])
    h = _mix32(h ^ words[-1])
    return _mix32(h + jnp.uint32(0x9E3779B9))


def uniform(key: jax.Array, shape: Any, dtype: Any = jnp.float32) -> jax.Array:
    """Uniform numbers in ``[0, 1)`` (24-bit resolution) from ``key``; see ``random_bits``."""
    bits = random_bits(key, shape)
    return ((bits >> 8).astype(jnp.float32) * jnp.float32(1.0 / 16777216.0)).astype(dtype)


def normal(key: jax.Array, shape: Any, dtype: Any = jnp.float32) -> jax.Array:
    """Standard normal numbers from ``key`` (Box–Muller on two hashed uniforms)."""
    shape = tuple(shape)
    k1, k2 = jax.random.split(key)
    u1 = 1.0 - uniform(k1, shape)  # in (0, 1]: log is finite
    u2 = uniform(k2, shape)
    return (jnp.sqrt(-2.0 * jnp.log(u1)) * jnp.cos(2.0 * jnp.pi * u2)).astype(dtype)
