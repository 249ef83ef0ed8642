"""``bm.random``: BrainPy's random functions, drawing from the run's random streams.

Inside a step (``share.i`` set, i.e. within ``step_run``) the k-th draw of the step uses
``fold_in(step_key("bm.random"), k)``: a function of the run key (the Runner's seed) and the step,
so a run is reproducible and a lane of a batch draws its own numbers. Outside a step (building a
model) draws come from one process stream seeded by ``seed(s)`` (default 0), in call order, as
BrainPy's global generator does; values a model needs per run belong in ``reset_state`` with
``self.init_key(tag)`` instead.

>>> from brainbatch.brainpy.math import random
>>> random.seed(1); a = random.randn(3); random.seed(1)
>>> bool((random.randn(3) == a).all())
True
"""
from __future__ import annotations

import threading
from typing import Any

import jax
import jax.numpy as jnp

from ...core import share
from ...core.random import step_key
from .._compat import unsupported

__all__ = ["seed", "rand", "randn", "random", "random_sample", "uniform", "normal", "randint", "bernoulli",
           "exponential", "poisson", "permutation", "shuffle", "choice", "truncated_normal"]

_STEP_DRAWS = "bm_random_draws"  # per-step counter, kept in share (cleared when the step's context ends)


class _Stream(threading.local):
    def __init__(self) -> None:
        self.key = jax.random.key(0)
        self.count = 0


_STREAM = _Stream()


def seed(seed: int = 0) -> None:
    """Restart the construction-time stream (draws outside a step)."""
    _STREAM.key, _STREAM.count = jax.random.key(int(seed)), 0


#: the step of the innermost ``bm.for_loop``, set around its body (see ``math.for_loop``)
_LOOP_STEP = "bm_random_loop_step"


#: the step index (``share.i``) when the innermost loop's body began: a draw sees the same object only in that
#: body itself, not inside a ``step_run`` the body calls (which sets its own ``i``)
_LOOP_I = "bm_random_loop_i"


def _key() -> jax.Array:
    i = share.load("i", None)
    loop_step = share.load(_LOOP_STEP, None)
    if loop_step is not None and i is share.load(_LOOP_I, None):
        # the body of a loop (a draw before step_run, or a loop inside a step): the loop's key and its step
        return _counted(step_key("bm.random.loop", loop_step))
    if i is not None:
        return _counted(step_key("bm.random"))
    return stream_key()


def _counted(key: jax.Array) -> jax.Array:
    """The k-th draw of this step (the count lives in the step's context)."""
    k = share.load(_STEP_DRAWS, 0)
    share.save(**{_STEP_DRAWS: k + 1})
    return jax.random.fold_in(key, k)


def stream_key() -> jax.Array:
    """The next key of the construction-time stream: a concrete key even while JAX traces (a model built or a
    loop started inside ``jax.jit``), so the stream stays a plain counter.

    >>> seed(2); a = stream_key(); seed(2)
    >>> bool((jax.random.key_data(stream_key()) == jax.random.key_data(a)).all())
    True
    """
    with jax.ensure_compile_time_eval():
        k = jax.random.fold_in(_STREAM.key, _STREAM.count)
    _STREAM.count += 1
    return k


def _process_seed() -> int:
    """A run seed drawn from the construction-time stream (the next draw of it): what a ``DSRunner`` made
    without ``seed=`` uses, so that runners made one after another draw different numbers, and the same
    ones again after ``seed(s)``.

    >>> seed(4); a = _process_seed(); seed(4)
    >>> _process_seed() == a, 0 <= a < 2**31
    (True, True)
    """
    k = stream_key()
    with jax.ensure_compile_time_eval():
        return int(jax.random.randint(k, (), 0, 2**31 - 1))


def _shape(size: Any) -> tuple[int, ...]:
    if size is None:
        return ()
    return (int(size),) if isinstance(size, int) else tuple(int(s) for s in size)


def rand(*dims: int) -> jax.Array:
    return jax.random.uniform(_key(), dims)


def randn(*dims: int) -> jax.Array:
    return jax.random.normal(_key(), dims)


def random(size: Any = None) -> jax.Array:
    return jax.random.uniform(_key(), _shape(size))


random_sample = random


def uniform(low: Any = 0.0, high: Any = 1.0, size: Any = None) -> jax.Array:
    shape = _shape(size) if size is not None else jnp.broadcast_shapes(jnp.shape(low), jnp.shape(high))
    return jax.random.uniform(_key(), shape, minval=low, maxval=high)


def normal(loc: Any = 0.0, scale: Any = 1.0, size: Any = None) -> jax.Array:
    shape = _shape(size) if size is not None else jnp.broadcast_shapes(jnp.shape(loc), jnp.shape(scale))
    return loc + scale * jax.random.normal(_key(), shape)


def truncated_normal(lower: Any, upper: Any, size: Any = None, loc: Any = 0.0, scale: Any = 1.0) -> jax.Array:
    z = jax.random.truncated_normal(_key(), (lower - loc) / scale, (upper - loc) / scale, _shape(size))
    return loc + scale * z


def randint(low: int, high: int | None = None, size: Any = None, dtype: Any = jnp.int32) -> jax.Array:
    if high is None:
        low, high = 0, low
    return jax.random.randint(_key(), _shape(size), low, high, dtype=dtype)


def bernoulli(p: Any = 0.5, size: Any = None) -> jax.Array:
    return jax.random.bernoulli(_key(), p, _shape(size) if size is not None else None)


def exponential(scale: Any = 1.0, size: Any = None) -> jax.Array:
    return scale * jax.random.exponential(_key(), _shape(size) if size is not None else jnp.shape(scale))


def poisson(lam: Any = 1.0, size: Any = None) -> jax.Array:
    return jax.random.poisson(_key(), lam, _shape(size) if size is not None else None)


def permutation(x: Any) -> jax.Array:
    return jax.random.permutation(_key(), x)


def shuffle(x: Any, axis: int = 0) -> jax.Array:
    return jax.random.permutation(_key(), x, axis=axis)


def choice(a: Any, size: Any = None, replace: bool = True, p: Any = None) -> jax.Array:
    return jax.random.choice(_key(), a, _shape(size), replace=replace, p=p)


def __getattr__(name: str) -> Any:
    hint = "draw from self.step_key() with jax.random (per-step) or self.init_key(tag) (initial values)"
    raise unsupported("brainbatch.brainpy.math.random", name, {"RandomState": hint, "default_rng": hint,
                                                                 "DEFAULT": hint, "split_key": hint}, __all__)
