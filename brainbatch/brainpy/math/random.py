"""``bm.random``: BrainPy's random functions, drawing from the run's random streams.

Inside a step (``share.i`` set, i.e. within ``step_run``) the k-th draw of the step uses
``fold_in(step_key("bm.random"), k)``: a function of the run key (the Runner's seed) and the step,
so a run is reproducible and a lane of a batch draws its own numbers. Outside a step (building a
model) draws come from one process stream seeded by ``seed(s)`` (default 0), in call order, as
BrainPy's global generator does; values a model needs per run belong in ``reset_state`` with
``self.init_key(tag)`` instead. A draw outside a step is an array one may change in place (``bm.HostArray``, as
``bm.zeros``'s), inside a step, a loop or ``bm.jit`` JAX's array as drawn.

>>> from brainbatch.brainpy.math import random
>>> random.seed(1); a = random.randn(3); random.seed(1)
>>> bool((random.randn(3) == a).all())
True
"""
from __future__ import annotations

import operator
import threading
from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np

from ...core import share
from ...core.random import step_key
from ...core.variable import unwrap
from .._compat import unsupported
from ._arrays import numpy_like

__all__ = ["seed", "rand", "randn", "random", "random_sample", "uniform", "normal", "randint", "bernoulli",
           "exponential", "poisson", "permutation", "shuffle", "choice", "truncated_normal", "standard_normal",
           "standard_exponential", "standard_gamma", "gamma", "beta", "lognormal", "binomial", "chisquare", "geometric",
           "laplace", "logistic", "gumbel", "standard_cauchy", "standard_t", "pareto", "weibull", "rayleigh", "triangular",
           "negative_binomial", "multivariate_normal", "dirichlet", "categorical", "rand_like", "randn_like",
           "randint_like", "RandomState"]

_STEP_DRAWS = "bm_random_draws"  # per-step counter, kept in share (cleared when the step's context ends)


class _Stream(threading.local):
    def __init__(self) -> None:
        self.key = jax.random.key(0)
        self.count = 0


_STREAM = _Stream()


def seed(seed: Any = None) -> None:
    """Restart the construction-time stream (draws outside a step) from ``seed``: an integer, a JAX key, or
    ``None`` for a fresh seed from the operating system, as BrainPy's ``bm.random.seed``.

    >>> seed(1.5)
    Traceback (most recent call last):
    TypeError: bm.random.seed: seed must be an int, a JAX key or None, got 1.5
    """
    _STREAM.key, _STREAM.count = _seed_key(seed), 0


def _seed_key(seed: Any) -> jax.Array:
    if seed is None:
        # BrainPy 2.8.2 draws a fresh uint32[2] key here, without touching numpy's global generator
        return jax.random.wrap_key_data(np.random.default_rng().integers(0, 2**32, size=2, dtype=np.uint32))
    seed = unwrap(seed)
    if isinstance(seed, jax.Array) and not isinstance(seed, jax.core.Tracer):
        if jax.dtypes.issubdtype(seed.dtype, jax.dtypes.prng_key) and seed.shape == ():
            return seed
        if seed.dtype == jnp.uint32 and seed.shape == (2,):  # a raw key, as BrainPy takes it
            return jax.random.wrap_key_data(seed)
    elif isinstance(seed, np.ndarray) and seed.dtype == np.uint32 and seed.shape == (2,):
        return jax.random.wrap_key_data(jnp.asarray(seed))
    # BrainPy 2.8.2 refuses 1.5 and 'a' ("key must be an int, a typed JAX key, or a uint32 array of size 2");
    # int() made 1.5 the seed 1
    is_int = isinstance(seed, (int, np.integer)) or (isinstance(seed, (np.ndarray, jax.Array))
                                                     and not isinstance(seed, jax.core.Tracer)
                                                     and seed.shape == () and seed.dtype.kind in "iub")
    if not is_int:
        raise TypeError(f"bm.random.seed: seed must be an int, a JAX key or None, got {seed!r}")
    try:
        return jax.random.key(int(seed))
    except OverflowError:
        raise ValueError(f"bm.random.seed: seed must fit in 64 bits, got {seed!r}") from None


#: the step of the innermost ``bm.for_loop``, set around its body (see ``math.for_loop``)
_LOOP_STEP = "bm_random_loop_step"


#: the step index (``share.i``) when the innermost loop's body began: a draw sees the same object only in that
#: body itself, not inside a ``step_run`` the body calls (which sets its own ``i``)
_LOOP_I = "bm_random_loop_i"


#: set around a call of a function compiled by ``bm.jit`` outside any run: the call's key is the next of the stream
JIT_CALL = "bm_random_jit_call"


def _source() -> str | None:
    """Where a draw now takes its key: ``"loop"`` (the body of a loop: a draw before step_run, or a loop inside
    a step), ``"step"`` (a runner's step), ``"jit"`` (a call of ``bm.jit`` outside a run), or None (building a
    model: the construction-time stream)."""
    i = share.load("i", None)
    loop_step = share.load(_LOOP_STEP, None)
    if loop_step is not None and i is share.load(_LOOP_I, None):
        return "loop"
    if i is not None:
        return "step"
    if share.load(JIT_CALL, None) is not None and share.key is not None:
        return "jit"
    return None


def _in_run() -> bool:
    """Whether a draw now takes a key of a run, a loop or a call of ``bm.jit`` (else: building a model)."""
    return _source() is not None


def _key() -> jax.Array:
    source = _source()
    if source == "loop":  # the loop's key and its step
        return _counted(step_key("bm.random.loop", share.load(_LOOP_STEP, None)))
    if source == "step":
        return _counted(step_key("bm.random"))
    if source == "jit":
        # from the key each call is given (an argument of the program), where a key of the stream drawn while
        # tracing was built into the program and every call drew the same numbers
        return _counted(jax.random.fold_in(share.key, 0x62724A))
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
    try:
        if isinstance(size, (str, bytes, float)):
            raise TypeError
        # operator.index: 2.5 is no size (int() made it 2, NumPy refuses it)
        shape = (operator.index(size),) if isinstance(size, (int, np.integer)) else tuple(operator.index(s) for s in size)
    except (TypeError, ValueError):
        raise TypeError(f"size must be an int or a tuple of ints, got {size!r}") from None
    if any(n < 0 for n in shape):
        raise ValueError(f"size must not be negative, got {size!r}")
    return shape


def _valid(what: str, name: str, value: Any, ok: Callable[[np.ndarray], Any], rule: str) -> None:
    """NumPy's parameter rule for a draw (JAX draws from a negative scale or p > 1 without a word): checked
    wherever the value is known."""
    value = unwrap(value)
    if isinstance(value, jax.core.Tracer):
        return
    try:
        arr = np.asarray(value, np.float64)
    except (TypeError, ValueError):
        return  # not numbers: JAX names it
    if not bool(np.all(ok(arr))):
        raise ValueError(f"{what}: {name} must be {rule}, got {_shown(value)}")


def _ordered(what: str, low_name: str, low: Any, high_name: str, high: Any) -> None:
    """``low <= high`` wherever both are known: JAX clips a swapped pair to one bound and draws it every time."""
    low, high = unwrap(low), unwrap(high)
    if isinstance(low, jax.core.Tracer) or isinstance(high, jax.core.Tracer):
        return
    try:
        lo, hi = np.asarray(low, np.float64), np.asarray(high, np.float64)
    except (TypeError, ValueError):
        return  # not numbers: JAX names it
    if not bool(np.all(lo <= hi)):
        raise ValueError(f"{what}: {low_name} must be <= {high_name}, got {low_name}={_shown(low)}, "
                         f"{high_name}={_shown(high)}")


def _shown(value: Any) -> str:
    """A value as the user wrote it: a list given (made an array by ``_listed``) reads as that list."""
    return repr(np.asarray(value).tolist()) if isinstance(value, (np.ndarray, jax.Array)) else repr(value)


def _listed(x: Any) -> Any:
    """A list or tuple of numbers as an array (BrainPy takes them; jax.random refuses lists)."""
    return jnp.asarray(x) if isinstance(x, (list, tuple)) else x


def rand(*dims: int, key: Any = None, dtype: Any = None) -> jax.Array:
    return jax.random.uniform(_draw_key(key), _shape(dims), _float(dtype))


def randn(*dims: int, key: Any = None, dtype: Any = None) -> jax.Array:
    return jax.random.normal(_draw_key(key), _shape(dims), _float(dtype))


def random(size: Any = None, key: Any = None, dtype: Any = None) -> jax.Array:
    return jax.random.uniform(_draw_key(key), _shape(size), _float(dtype))


random_sample = random


def uniform(low: Any = 0.0, high: Any = 1.0, size: Any = None, key: Any = None, dtype: Any = None) -> jax.Array:
    """Uniform on ``[low, high)``; ``low > high`` is refused (BrainPy 2.8.2 drew ``low`` every time, as JAX
    clips; ``bp.init.Uniform`` refuses it there).

    >>> uniform(5., 1.)
    Traceback (most recent call last):
    ValueError: uniform: low must be <= high, got low=5.0, high=1.0
    """
    low, high = _listed(low), _listed(high)
    _ordered("uniform", "low", low, "high", high)
    shape = _shape(size) if size is not None else jnp.broadcast_shapes(jnp.shape(low), jnp.shape(high))
    return jax.random.uniform(_draw_key(key), shape, _float(dtype), minval=low, maxval=high)


def normal(loc: Any = 0.0, scale: Any = 1.0, size: Any = None, key: Any = None, dtype: Any = None) -> jax.Array:
    loc, scale = _listed(0.0 if loc is None else loc), _listed(1.0 if scale is None else scale)
    _valid("normal", "scale", scale, lambda v: v >= 0, ">= 0")
    shape = _shape(size) if size is not None else jnp.broadcast_shapes(jnp.shape(loc), jnp.shape(scale))
    return loc + scale * jax.random.normal(_draw_key(key), shape, _float(dtype))


def truncated_normal(lower: Any, upper: Any, size: Any = None, loc: Any = 0.0, scale: Any = 1.0, key: Any = None,
                     dtype: Any = None, check_valid: bool = True) -> jax.Array:
    """A normal of ``loc``, ``scale`` cut to ``[lower, upper]``; the shape is ``size``, else the parameters'.
    ``lower > upper`` is refused (BrainPy 2.8.2 drew ``upper`` every time)."""
    lower, upper, loc, scale = (_listed(v) for v in (lower, upper, loc, scale))
    _ordered("truncated_normal", "lower", lower, "upper", upper)
    _valid("truncated_normal", "scale", scale, lambda v: v > 0, "> 0")
    z = jax.random.truncated_normal(_draw_key(key), (lower - loc) / scale, (upper - loc) / scale,
                                    _size(size, lower, upper, loc, scale), _float(dtype))
    return loc + scale * z


def _check_bounds(what: str, low: Any, high: Any) -> None:
    """NumPy's rule, which JAX does not check (it clips): ``low < high`` wherever both are known."""
    if isinstance(low, jax.core.Tracer) or isinstance(high, jax.core.Tracer):
        return
    if not bool(np.all(np.asarray(low) < np.asarray(high))):
        raise ValueError(f"{what}: low must be < high (integers in [low, high)), got low={low!r}, high={high!r}")


def randint(low: int, high: int | None = None, size: Any = None, key: Any = None, dtype: Any = None) -> jax.Array:
    """Integers in ``[low, high)`` (``[0, low)`` with one bound), as ``numpy.random.randint``.

    >>> import brainbatch.brainpy.math as bm
    >>> bm.random.randint(5, 1)
    Traceback (most recent call last):
    ValueError: randint: low must be < high (integers in [low, high)), got low=5, high=1
    """
    if high is None:
        low, high = 0, low
    _check_bounds("randint", low, high)
    return jax.random.randint(_draw_key(key), _shape(size), low, high, dtype=jnp.int32 if dtype is None else dtype)


def bernoulli(p: Any = 0.5, size: Any = None, key: Any = None, check_valid: bool = True) -> jax.Array:
    p = _listed(p)
    if check_valid:
        _valid("bernoulli", "p", p, lambda v: (v >= 0) & (v <= 1), "in [0, 1]")
    return jax.random.bernoulli(_draw_key(key), p, _shape(size) if size is not None else None)


def exponential(scale: Any = 1.0, size: Any = None, key: Any = None, dtype: Any = None) -> jax.Array:
    scale = _listed(1.0 if scale is None else scale)
    _valid("exponential", "scale", scale, lambda v: v >= 0, ">= 0")
    draw = jax.random.exponential(_draw_key(key), _shape(size) if size is not None else jnp.shape(scale), _float(dtype))
    return scale * draw


def poisson(lam: Any = 1.0, size: Any = None, key: Any = None, dtype: Any = None) -> jax.Array:
    lam = _listed(lam)
    _valid("poisson", "lam", lam, lambda v: v >= 0, ">= 0")
    draw = jax.random.poisson(_draw_key(key), lam, _shape(size) if size is not None else None)
    return draw if dtype is None else draw.astype(dtype)


def permutation(x: Any, axis: int = 0, independent: bool = False, key: Any = None) -> jax.Array:
    return jax.random.permutation(_draw_key(key), x, axis=axis, independent=independent)


def shuffle(x: Any, axis: int = 0, key: Any = None) -> jax.Array:
    return jax.random.permutation(_draw_key(key), x, axis=axis)


def choice(a: Any, size: Any = None, replace: bool = True, p: Any = None, key: Any = None) -> jax.Array:
    a, p = _listed(a), _listed(p)
    if p is not None:
        _valid("choice", "p", p, lambda v: v >= 0, "probabilities >= 0")
        _valid("choice", "p", p, lambda v: abs(v.sum() - 1.0) <= 1e-5, "probabilities that sum to 1")
    return jax.random.choice(_draw_key(key), a, _shape(size), replace=replace, p=p)


def _size(size: Any, *params: Any) -> tuple[int, ...]:
    """The draw's shape: ``size``, else the broadcast of the parameters' shapes (NumPy's and BrainPy's rule)."""
    return _shape(size) if size is not None else jnp.broadcast_shapes(*(jnp.shape(p) for p in params))


def _draw_key(key: Any) -> jax.Array:
    """BrainPy's ``key=``: a seed (int) or a key, else the next key of the stream (or of the step)."""
    if key is None:
        return _key()
    return jax.random.key(int(key)) if isinstance(key, int) else key


def _float(dtype: Any) -> Any:
    # JAX's default float, as BrainPy's draws: float32, float64 under jax_enable_x64
    return jax.dtypes.canonicalize_dtype(jnp.float64) if dtype is None else dtype


def standard_normal(size: Any = None, key: Any = None, dtype: Any = None) -> jax.Array:
    return jax.random.normal(_draw_key(key), _shape(size), _float(dtype))


def standard_exponential(size: Any = None, key: Any = None, dtype: Any = None) -> jax.Array:
    return jax.random.exponential(_draw_key(key), _shape(size), _float(dtype))


def standard_gamma(shape: Any, size: Any = None, key: Any = None, dtype: Any = None) -> jax.Array:
    shape = _listed(shape)
    _valid("standard_gamma", "shape", shape, lambda v: v >= 0, ">= 0")
    return jax.random.gamma(_draw_key(key), jnp.asarray(shape, _float(dtype)), _size(size, shape), _float(dtype))


def gamma(shape: Any, scale: Any = None, size: Any = None, key: Any = None, dtype: Any = None) -> jax.Array:
    """Gamma of ``shape`` k and ``scale`` theta (mean k theta; default scale 1)."""
    scale = 1.0 if scale is None else scale
    _valid("gamma", "shape", shape, lambda v: v >= 0, ">= 0")
    _valid("gamma", "scale", scale, lambda v: v >= 0, ">= 0")
    g = jax.random.gamma(_draw_key(key), jnp.asarray(shape, _float(dtype)), _size(size, shape, scale), _float(dtype))
    return g * jnp.asarray(scale, _float(dtype))


def beta(a: Any, b: Any, size: Any = None, key: Any = None, dtype: Any = None) -> jax.Array:
    """Beta of ``a`` and ``b``, both > 0 (NumPy's rule; BrainPy 2.8.2 and JAX give NaN for the others)."""
    a, b = _listed(a), _listed(b)
    _valid("beta", "a", a, lambda v: v > 0, "> 0")
    _valid("beta", "b", b, lambda v: v > 0, "> 0")
    return jax.random.beta(_draw_key(key), a, b, _size(size, a, b), _float(dtype))


def lognormal(mean: Any = None, sigma: Any = None, size: Any = None, key: Any = None, dtype: Any = None) -> jax.Array:
    """``exp(N(mean, sigma^2))`` (NumPy's parameters: those of the underlying normal; defaults 0 and 1)."""
    mean, sigma = 0.0 if mean is None else mean, 1.0 if sigma is None else sigma
    _valid("lognormal", "sigma", sigma, lambda v: v >= 0, ">= 0")
    z = jax.random.normal(_draw_key(key), _size(size, mean, sigma), _float(dtype))
    return jnp.exp(mean + sigma * z)


def binomial(n: Any, p: Any, size: Any = None, key: Any = None, dtype: Any = None, check_valid: bool = True) -> jax.Array:
    """Successes in ``n`` trials of probability ``p``."""
    n, p = _listed(n), _listed(p)
    if check_valid:
        _valid("binomial", "n", n, lambda v: v >= 0, ">= 0")
        _valid("binomial", "p", p, lambda v: (v >= 0) & (v <= 1), "in [0, 1]")
    out = jax.random.binomial(_draw_key(key), jnp.asarray(n, jnp.float32), jnp.asarray(p, jnp.float32),
                              _size(size, n, p))
    return out.astype(jnp.int32 if dtype is None else dtype)


def chisquare(df: Any, size: Any = None, key: Any = None, dtype: Any = None, check_valid: bool = True) -> jax.Array:
    df = _listed(df)
    if check_valid:
        _valid("chisquare", "df", df, lambda v: v > 0, "> 0")
    return jax.random.chisquare(_draw_key(key), df, _size(size, df), _float(dtype))


def geometric(p: Any, size: Any = None, key: Any = None, dtype: Any = None) -> jax.Array:
    """Trials up to the first success (1, 2, ...), as NumPy's."""
    _valid("geometric", "p", p, lambda v: (v > 0) & (v <= 1), "in (0, 1]")
    u = jax.random.uniform(_draw_key(key), _size(size, p), jnp.float32, minval=jnp.finfo(jnp.float32).tiny)
    out = jnp.ceil(jnp.log(u) / jnp.log1p(-jnp.asarray(p, jnp.float32)))
    return jnp.maximum(out, 1).astype(jnp.int32 if dtype is None else dtype)


def laplace(loc: Any = None, scale: Any = None, size: Any = None, key: Any = None, dtype: Any = None) -> jax.Array:
    loc, scale = _listed(0.0 if loc is None else loc), _listed(1.0 if scale is None else scale)
    _valid("laplace", "scale", scale, lambda v: v >= 0, ">= 0")
    return loc + scale * jax.random.laplace(_draw_key(key), _size(size, loc, scale), _float(dtype))


def logistic(loc: Any = None, scale: Any = None, size: Any = None, key: Any = None, dtype: Any = None) -> jax.Array:
    loc, scale = _listed(0.0 if loc is None else loc), _listed(1.0 if scale is None else scale)
    _valid("logistic", "scale", scale, lambda v: v >= 0, ">= 0")
    return loc + scale * jax.random.logistic(_draw_key(key), _size(size, loc, scale), _float(dtype))


def gumbel(loc: Any = None, scale: Any = None, size: Any = None, key: Any = None, dtype: Any = None) -> jax.Array:
    loc, scale = _listed(0.0 if loc is None else loc), _listed(1.0 if scale is None else scale)
    _valid("gumbel", "scale", scale, lambda v: v >= 0, ">= 0")
    return loc + scale * jax.random.gumbel(_draw_key(key), _size(size, loc, scale), _float(dtype))


def standard_cauchy(size: Any = None, key: Any = None, dtype: Any = None) -> jax.Array:
    return jax.random.cauchy(_draw_key(key), _shape(size), _float(dtype))


def standard_t(df: Any, size: Any = None, key: Any = None, dtype: Any = None) -> jax.Array:
    df = _listed(df)
    _valid("standard_t", "df", df, lambda v: v > 0, "> 0")
    return jax.random.t(_draw_key(key), df, _size(size, df), _float(dtype))


def pareto(a: Any, size: Any = None, key: Any = None, dtype: Any = None) -> jax.Array:
    """NumPy's Pareto II (Lomax): ``pareto(a) + 1`` is Pareto of shape ``a``, minimum 1. BrainPy 2.8.2 documents
    this distribution but draws the classic Pareto (minimum 1, its numbers 1 above these); brainbatch draws what
    both documents say (docs/migrating-from-brainpy.md)."""
    a = _listed(a)
    _valid("pareto", "a", a, lambda v: v > 0, "> 0")
    return jax.random.pareto(_draw_key(key), a, _size(size, a), _float(dtype)) - 1.0


def weibull(a: Any, size: Any = None, key: Any = None, dtype: Any = None) -> jax.Array:
    a = _listed(a)
    _valid("weibull", "a", a, lambda v: v > 0, "> 0")
    return jax.random.weibull_min(_draw_key(key), 1.0, a, _size(size, a), _float(dtype))


def rayleigh(scale: Any = 1.0, size: Any = None, key: Any = None, dtype: Any = None) -> jax.Array:
    scale = _listed(scale)
    _valid("rayleigh", "scale", scale, lambda v: v >= 0, ">= 0")
    return jax.random.rayleigh(_draw_key(key), scale, _size(size, scale), _float(dtype))


def triangular(left: Any = 0.0, mode: Any = 0.5, right: Any = 1.0, size: Any = None, key: Any = None,
               dtype: Any = None) -> jax.Array:
    left, mode, right = _listed(left), _listed(mode), _listed(right)
    _ordered("triangular", "left", left, "mode", mode)
    _ordered("triangular", "mode", mode, "right", right)
    return jax.random.triangular(_draw_key(key), left, mode, right, _size(size, left, mode, right), _float(dtype))


def negative_binomial(n: Any, p: Any, size: Any = None, key: Any = None, dtype: Any = None) -> jax.Array:
    """Failures before the ``n``-th success (NumPy's): Poisson of a gamma(n, (1 - p) / p) rate."""
    _valid("negative_binomial", "n", n, lambda v: v > 0, "> 0")
    _valid("negative_binomial", "p", p, lambda v: (v > 0) & (v <= 1), "in (0, 1]")
    k1, k2 = jax.random.split(_draw_key(key))
    shape = _size(size, n, p)
    rate = jax.random.gamma(k1, jnp.asarray(n, jnp.float32), shape) * (1.0 - jnp.asarray(p, jnp.float32)) / p
    return jax.random.poisson(k2, rate, shape).astype(jnp.int32 if dtype is None else dtype)


def multivariate_normal(mean: Any, cov: Any, size: Any = None, method: str = "cholesky", key: Any = None,
                        dtype: Any = None) -> jax.Array:
    shape = None if size is None else _shape(size)
    return jax.random.multivariate_normal(_draw_key(key), jnp.asarray(mean, _float(dtype)),
                                          jnp.asarray(cov, _float(dtype)), shape, _float(dtype), method)


def dirichlet(alpha: Any, size: Any = None, key: Any = None, dtype: Any = None) -> jax.Array:
    alpha = _listed(alpha)
    _valid("dirichlet", "alpha", alpha, lambda v: v > 0, "> 0")
    shape = () if size is None else _shape(size)
    return jax.random.dirichlet(_draw_key(key), jnp.asarray(alpha, _float(dtype)), shape, _float(dtype))


def categorical(logits: Any, axis: int = -1, size: Any = None, key: Any = None) -> jax.Array:
    return jax.random.categorical(_draw_key(key), logits, axis, None if size is None else _shape(size))


def rand_like(input: Any, *, dtype: Any = None, key: Any = None) -> jax.Array:
    return jax.random.uniform(_draw_key(key), jnp.shape(input), _float(dtype))


def randn_like(input: Any, *, dtype: Any = None, key: Any = None) -> jax.Array:
    return jax.random.normal(_draw_key(key), jnp.shape(input), _float(dtype))


def randint_like(input: Any, low: Any = 0, high: Any = None, *, dtype: Any = None, key: Any = None) -> jax.Array:
    if high is None:
        low, high = 0, low
    _check_bounds("randint_like", low, high)
    return jax.random.randint(_draw_key(key), jnp.shape(input), low, high, jnp.int32 if dtype is None else dtype)


class RandomState:
    """BrainPy's ``bm.random.RandomState`` (a generator: ``rng = bm.random.RandomState(123)``, or a model's own
    ``self.rng = bm.random.RandomState()``).

    With a seed (``RandomState(123)``, ``rng.seed(123)``), its draws outside a run are BrainPy 2.8.2's numbers for
    that seed: each draw splits the generator's key and draws with the new one, as BrainPy's. Without a seed its
    draws are ``bm.random``'s (the stream ``bm.random.seed(s)`` sets). Inside a step, a loop or a call of
    ``bm.jit`` every generator draws from the run's per-step keys, as ``bm.random`` does (docs/random.md: a run
    is decided by its seed, ``DSRunner(seed=...)``), so there a seeded generator gives other numbers than
    BrainPy's.

    >>> import brainbatch.brainpy.math as bm
    >>> rng = bm.random.RandomState(123)
    >>> [round(float(x), 5) for x in rng.random(3)]  # BrainPy 2.8.2: [0.21687, 0.06211, 0.29071]
    [0.21687, 0.06211, 0.29071]
    >>> rng.seed(123); round(float(rng.random(1)[0]), 5)
    0.21687
    """

    def __init__(self, seed_or_key: Any = None, seed: Any = None) -> None:
        given = seed_or_key if seed_or_key is not None else seed
        self._own: jax.Array | None = None if given is None else _generator_key(given)

    def seed(self, seed_or_key: Any = None) -> None:
        """A seed of this generator's own (``None``: a fresh one from the operating system), as BrainPy's."""
        self._own = _generator_key(seed_or_key) if seed_or_key is not None else _seed_key(None)

    def split_key(self, n: int | None = None) -> jax.Array:
        """A new key (``n`` of them) from this generator; its own key moves on, as BrainPy's."""
        if n is not None and (not isinstance(n, (int, np.integer)) or n < 1):
            raise ValueError(f"RandomState.split_key: n must be a positive integer or None, got {n!r}")
        if self._own is not None and not _in_run():
            return self._next(n)
        return _key() if n is None else jax.random.split(_key(), int(n))

    @property
    def value(self) -> jax.Array | None:
        """This generator's key (None without a seed of its own: it draws from ``bm.random``'s stream)."""
        return self._own

    def _next(self, n: int | None = None) -> jax.Array:
        """The next key (``n`` of them) of this generator's own: BrainPy's split into ``n + 1``, the first kept."""
        with jax.ensure_compile_time_eval():  # a concrete key even while JAX traces, as stream_key
            assert self._own is not None
            keys = jax.random.split(self._own, 2 if n is None else int(n) + 1)
            self._own = keys[0]
        return keys[1] if n is None else keys[1:]

    def __getattr__(self, name: str) -> Any:
        name = "random_sample" if name == "sample" else name  # BrainPy's RandomState.sample
        if name.startswith("_") or name not in __all__ or name in ("seed", "RandomState"):
            raise AttributeError(f"bm.random.RandomState has no {name!r}; it draws with bm.random's functions: "
                                 f"{', '.join(n for n in __all__ if n not in ('seed', 'RandomState'))}")
        draw = globals()[name]

        def drawn(*args: Any, **kwargs: Any) -> Any:
            if self._own is not None and kwargs.get("key") is None and not _in_run():
                kwargs["key"] = self._next()
            return draw(*args, **kwargs)

        drawn.__name__ = name
        return drawn


def _generator_key(seed: Any) -> jax.Array:
    try:
        return _seed_key(seed)
    except (TypeError, ValueError) as err:
        raise type(err)(str(err).replace("bm.random.seed:", "bm.random.RandomState:")) from None


# BrainPy's draws outside a step are arrays a script may change in place (BrainPy 2.4's bm.Array; 2.8.2 gives JAX's
# immutable arrays there): HostArrays of the same numbers; inside a step, a loop or bm.jit, JAX's arrays as drawn
for _name in __all__:
    if _name not in ("seed", "RandomState"):
        globals()[_name] = numpy_like(globals()[_name])


def __getattr__(name: str) -> Any:
    hint = "draw from self.step_key() with jax.random (per-step) or self.init_key(tag) (initial values)"
    raise unsupported("brainbatch.brainpy.math.random", name, {"default_rng": hint,
                                                                 "DEFAULT": hint, "split_key": hint}, __all__)
