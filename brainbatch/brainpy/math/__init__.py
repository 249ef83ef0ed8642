"""``brainbatch.brainpy.math`` (``bm``): BrainPy's ``brainpy.math`` names over brainbatch and jax.numpy.

Array functions (``bm.exp``, ``bm.where``, ``bm.zeros``...) are jax.numpy's, which accept Variables; called
outside a step they give an array one may change in place (``_arrays.py``: a NumPy ``HostArray``, float32), as
BrainPy's ``bm.Array``; inside a step, a loop or ``bm.jit`` jax.numpy's own arrays.
``Variable``, ``for_loop``, ``jit``, ``vmap``, ``environment`` and the modes are brainbatch's;
``bm.random`` draws from the run's random streams. Anything else raises an error saying what to use.

>>> import brainbatch.brainpy.math as bm
>>> v = bm.Variable(bm.zeros(3))
>>> v += 1.
>>> float(bm.sum(bm.exp(v - 1.)))
3.0
"""
from __future__ import annotations

import contextlib
import functools
import types
from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np

from ...core import context as _context
from ...core import share as _share
from ...core import modes as _modes
from ...core import transforms as _transforms
from ...core.checks import is_traced
from ...core.variable import TrainVar, Variable, unwrap
from ...kernels import event_sum
from .._compat import unsupported
from .._integrator import Integrator
from . import jitconn as jitconn
from . import random as random
from . import event as event
from . import sharding as sharding
from . import sparse as sparse
from . import surrogate as surrogate
from ._delays import LengthDelay as LengthDelay
from ._delays import NeuLenDelay as NeuLenDelay
from ._time_delay import NeuTimeDelay as NeuTimeDelay
from ._time_delay import TimeDelay as TimeDelay
from ._pre_syn_post import (pre2post_max, pre2post_mean, pre2post_min, pre2post_prod,  # noqa: F401
                            pre2post_sum, pre2syn, syn2post, syn2post_max, syn2post_mean, syn2post_min,
                            syn2post_prod, syn2post_softmax, syn2post_sum)
from . import _pre_syn_post
from ._arrays import HostArray as HostArray
from ._arrays import _host, _jax_kind, host_results, numpy_like
from ._controls import cond, ifelse, while_loop
from .._collector import ArrayCollector as ArrayCollector
from .._collector import Collector as Collector

__all__ = [
    "Variable", "TrainVar", "Array", "HostArray", "asarray", "array", "as_jax", "as_numpy", "for_loop", "scan", "jit", "vmap",
    "environment", "batching_environment", "training_environment", "set", "set_environment", "set_dt", "get_dt", "set_mode",
    "get_mode", "set_platform", "enable_x64", "disable_x64", "Mode", "NonBatchingMode", "BatchingMode",
    "TrainingMode", "NormalMode", "nonbatching_mode", "batching_mode", "training_mode", "float_", "int_",
    "bool_", "get_float", "get_int", "random", "jitconn", "sparse", "event", "sharding", "surrogate", "exprel", "fill_diagonal", "pre2post_event_sum", "cls_jit",
    "LengthDelay", "NeuLenDelay", "TimeDelay", "NeuTimeDelay", "clear_buffer_memory", "get_platform",
    "disable_gpu_memory_preallocation", "enable_gpu_memory_preallocation", "clear_name_cache", "cond", "ifelse", "while_loop",
    "Parameter", "Collector", "ArrayCollector",
]
__all__ += _pre_syn_post.__all__  # the synapse-list gathers and reductions (_pre_syn_post.py)

Mode, NonBatchingMode, BatchingMode, TrainingMode = (_modes.Mode, _modes.NonBatchingMode, _modes.BatchingMode,
                                                    _modes.TrainingMode)
NormalMode = NonBatchingMode
nonbatching_mode, batching_mode, training_mode = NonBatchingMode(), BatchingMode(), TrainingMode()
bool_ = jnp.bool_


def get_float() -> type:
    """BrainPy's ``bm.get_float()``, ``bm.float_``: JAX's default float, ``jnp.float32``, ``jnp.float64`` after
    ``bm.enable_x64()`` (a script's ``bm.zeros(n, dtype=bm.float_)`` is float64 there, as in BrainPy)."""
    return jnp.float64 if jax.dtypes.canonicalize_dtype(jnp.float64) == np.float64 else jnp.float32


def get_int() -> type:
    """BrainPy's ``bm.get_int()``, ``bm.int_``: ``jnp.int32``, ``jnp.int64`` after ``bm.enable_x64()``."""
    return jnp.int64 if jax.dtypes.canonicalize_dtype(jnp.int64) == np.int64 else jnp.int32


class Parameter(Variable):
    """BrainPy's ``bm.Parameter``: a Variable (not a ``TrainVar``), made from a value or a size, as there.

    >>> import brainbatch.brainpy.math as bm
    >>> p = bm.Parameter(3); isinstance(p, bm.Variable), isinstance(p, bm.TrainVar), p.value.tolist()
    (True, False, [0.0, 0.0, 0.0])
    """

    __slots__ = ()


set_dt, get_dt = _context.set_dt, _context.get_dt
vmap = _transforms.vmap


def jit(fun: Any = None, **kwargs: Any) -> Any:
    """``brainbatch.jit`` (its arguments), whose calls outside a run take the next key of ``bm.random``'s stream, so
    that ``bm.random`` inside draws new numbers at every call, as in BrainPy (a key drawn while tracing was built into
    the program: every call repeated one draw).

    >>> import brainbatch.brainpy.math as bm
    >>> draw = bm.jit(lambda: bm.random.rand(2))
    >>> bool((draw() != draw()).all())
    True
    """
    if fun is None:
        return functools.partial(jit, **kwargs)
    if isinstance(fun, Integrator):
        # an integral threads the Variables its derivative reaches (a model's: bp.odeint(self.derivative)), not
        # its own (it has none): compiled as the function it calls, as when integrals were functions
        fun = fun.integral
    compiled = _transforms.jit(fun, **kwargs)

    @functools.wraps(compiled)
    def call(*args: Any, **kw: Any) -> Any:
        if _share.key is not None or _share.load("i", None) is not None:  # in a run or a step: its keys
            return compiled(*args, **kw)
        with _context.environment(key=random.stream_key(), **{random.JIT_CALL: True}):
            return compiled(*args, **kw)

    return call


def cls_jit(func: Any = None, static_argnums: Any = None, static_argnames: Any = None, inline: bool = False,
            keep_unused: bool = False, **kwargs: Any) -> Any:
    """BrainPy's ``bm.cls_jit`` (compile a method of a model with its Variables): here the method runs as
    written, traced with the step inside a run and op by op outside one; the same numbers, without a
    compile of its own (the Hopfield notebooks' ``@bm.cls_jit def step(self): ...``).

    >>> import brainbatch.brainpy.math as bm
    >>> class Counter:
    ...     def __init__(self): self.n = bm.Variable(bm.zeros(1))
    ...     @bm.cls_jit
    ...     def step(self): self.n.value = self.n + 1.
    >>> c = Counter(); c.step(); c.step(); c.n.value.tolist()
    [2.0]
    """
    if func is None:
        return lambda f: f
    return func


def as_jax(x: Any, dtype: Any = None) -> jax.Array:
    """A jax array (Variables give their value)."""
    return jnp.asarray(x.value if isinstance(x, Variable) else x, dtype=dtype)


def asarray(x: Any, dtype: Any = None) -> Any:
    """BrainPy's ``bm.asarray`` and ``bm.array``: numbers given outside a step (NumPy arrays, lists) become a
    ``HostArray``, which one may change in place as BrainPy's arrays (``C = bm.asarray(hcp['Cmat']);
    bm.fill_diagonal(C, 0)``, its whole-brain examples); so do a JAX array and a Variable's value of one or more
    dimensions (a copy, as BrainPy's ``bm.asarray`` gives its own array); inside a step or traced it is a JAX array.

    >>> import numpy as np, brainbatch.brainpy.math as bm
    >>> C = bm.asarray(np.ones((2, 2))); C[0, 0] = 5.; C.tolist(), C.dtype.name
    ([[5.0, 1.0], [1.0, 1.0]], 'float32')
    """
    if isinstance(x, (jax.Array, Variable)) or _jax_kind(x):
        return host_results(as_jax(x, dtype))
    try:
        out = np.array(x, dtype=dtype)
    except (TypeError, ValueError):
        return as_jax(x, dtype)  # not numbers: JAX's error names them
    if out.dtype == object:
        return as_jax(x, dtype)
    return _host(out)


array = asarray


class _ArrayType(type):
    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, (jax.Array, np.ndarray, Variable))


class Array(metaclass=_ArrayType):
    """BrainPy's ``bm.Array``: ``bm.Array(x)`` is a jax array, and ``isinstance(x, bm.Array)`` holds for the
    arrays a script meets (jax's, NumPy's, Variables), as BrainPy's array class does for its own.

    >>> import brainbatch.brainpy.math as bm
    >>> isinstance(bm.Array([1., 2.]), bm.Array), isinstance(bm.zeros(2), bm.Array), isinstance(2.0, bm.Array)
    (True, True, False)
    """

    def __new__(cls, value: Any, dtype: Any = None) -> Any:
        if isinstance(value, jax.Array) and not _jax_kind(value):
            # BrainPy's array class is mutable: bm.Array(bm.random.uniform(...)) then w[w < 0.8] = 0. (its
            # operators notebook) raised JAX's "immutable" error; outside a step it holds the numbers as a HostArray
            return _host(np.array(value, dtype=dtype))
        return asarray(value, dtype)


def as_numpy(x: Any) -> np.ndarray:
    return np.asarray(x.value if isinstance(x, Variable) else x)


def for_loop(body_fun: Callable, operands: Any, reverse: bool = False, unroll: int = 1, remat: bool = False,
             jit: bool | None = None, progress_bar: bool = False, unroll_kwargs: Any = None, dyn_vars: Any = None,
             child_objs: Any = None) -> Any:
    """BrainPy's ``for_loop``: ``body_fun`` over the leading axis of ``operands``, outputs stacked.

    The Variables are found from ``body_fun`` (closures, globals) unless ``dyn_vars``/``child_objs``
    name them; ``remat`` and ``unroll_kwargs`` have no brainbatch meaning and must stay unset.
    """
    if remat or unroll_kwargs is not None:
        raise TypeError("for_loop: remat and unroll_kwargs are not supported (brainbatch.for_loop runs one lax.scan)")
    if child_objs is not None:
        dyn_vars = [x for x in (dyn_vars, child_objs) if x is not None]

    def loop(body: Callable, xs: Any, found: Any) -> Any:
        return _transforms.for_loop(body, xs, dyn_vars=found, reverse=reverse, unroll=unroll,
                                    jit=True if jit is None else bool(jit), progress_bar=progress_bar)

    leaves = jax.tree_util.tree_leaves(operands)
    if not leaves:
        return loop(body_fun, operands, dyn_vars)
    # BrainPy draws from its global generator, a new number at every use. Here a loop gets a key of its own:
    # outside a run the next key of bm.random's stream (bm.random.seed(s) repeats a loop, the next loop draws
    # others), inside a step or another loop's body the next draw of that step (each inner loop, and each
    # outer step, its own numbers). Its body draws with the loop's own step (a draw in the body outside
    # step_run differs from step to step), and each step_run the body makes gets its own streams
    # (_compat.LOOP_STEP_RUNS).
    from .. import _compat

    unpack = isinstance(operands, (tuple, list))
    steps = jnp.arange(_transforms.loop_length(operands), dtype=jnp.uint32)

    def body(k: Any, *xs: Any) -> Any:
        snap = _share.snapshot()
        try:
            _share.save(**{random._LOOP_STEP: k, random._LOOP_I: _share.load("i", None), random._STEP_DRAWS: 0,
                           _compat.LOOP_STEP_RUNS: {}})
            return body_fun(*xs) if unpack else body_fun(xs[0])
        finally:
            _share.restore(snap)

    found = dyn_vars if dyn_vars is not None else _transforms.reachable_from(body_fun)
    key = random.stream_key() if _share.key is None else random._key()
    with _context.environment(key=key), _compat.mutable_array_hint():
        return loop(body, (steps, *operands) if unpack else (steps, operands), found)



def scan(body_fun: Callable, init: Any, operands: Any, reverse: bool = False, unroll: int = 1, remat: bool = False,
         progress_bar: Any = False) -> tuple[Any, Any]:
    """BrainPy's ``bm.scan`` (``jax.lax.scan`` with Variables): ``body_fun(carry, x) -> (carry, y)`` over the
    leading axis of ``operands``; returns ``(final carry, stacked ys)``. It runs on ``for_loop`` (the carry in
    Variables of its own), so a draw in its body differs from step to step as there.

    >>> import brainbatch.brainpy.math as bm
    >>> total, partial = bm.scan(lambda c, x: (c + x, c + x), 0., bm.arange(1., 5.))
    >>> float(total), partial.tolist()
    (10.0, [1.0, 3.0, 6.0, 10.0])
    """
    leaves, tree = jax.tree_util.tree_flatten(unwrap(init))
    carry = [Variable(jnp.asarray(leaf)) for leaf in leaves]

    unpack = isinstance(operands, (tuple, list))

    def step(*xs: Any) -> Any:  # for_loop unpacks a tuple of operands; the body takes its slice whole
        x = tuple(xs) if unpack else xs[0]
        out = body_fun(jax.tree_util.tree_unflatten(tree, [v.value for v in carry]), x)
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            raise TypeError(f"scan: body_fun(carry, x) must return (new carry, y), as jax.lax.scan's; it returned "
                            f"{type(out).__name__}{'' if not isinstance(out, (tuple, list)) else f' of {len(out)}'}")
        c, y = out
        for var, value in zip(carry, jax.tree_util.tree_leaves(unwrap(c))):
            var.value = jnp.asarray(value, var.value.dtype)
        return y

    ys = for_loop(step, operands, reverse=reverse, unroll=unroll, remat=remat, progress_bar=progress_bar)
    return jax.tree_util.tree_unflatten(tree, [v.value for v in carry]), ys


def _environment_values(mode: Any = None, dt: Any = None, x64: Any = None, complex_: Any = None, float_: Any = None,
                        int_: Any = None, bool_: Any = None,
                        **others: Any) -> dict:
    if others:
        raise TypeError(f"environment: {sorted(others)} are not supported; brainbatch takes mode= and dt=")
    if x64 is not None and not isinstance(x64, (bool, np.bool_)):
        raise TypeError(f"x64 must be True or False, got {x64!r}")
    wide = bool(jax.config.read("jax_enable_x64")) if x64 is None else bool(x64)
    allowed = (jnp.float32, np.float32, jnp.float64, np.float64) if wide else (jnp.float32, np.float32)
    if float_ is not None and float_ not in allowed:
        raise ValueError(f"float_={float_!r} is not supported: bm's default float is JAX's, float32, or float64 "
                         "with x64=True (bm.enable_x64())")
    values: dict = {}
    if mode is not None:
        values["mode"] = mode
    if dt is not None:
        values["dt"] = dt
    if x64 is not None:
        values["x64"] = bool(x64)
    return values


@contextlib.contextmanager
def environment(mode: Any = None, dt: Any = None, x64: Any = None, complex_: Any = None, float_: Any = None,
                int_: Any = None, bool_: Any = None, **others: Any) -> Any:
    """BrainPy's ``bm.environment``: ``mode`` (the default mode of systems built inside), ``dt``, and ``x64``
    (JAX's 64-bit mode inside the block, as ``enable_x64`` says)."""
    values = _environment_values(mode, dt, x64, complex_, float_, int_, bool_, **others)
    wide = values.pop("x64", None)
    with contextlib.ExitStack() as stack:
        if wide is not None:
            if wide:
                _warn_x64_kept_float32()
            stack.enter_context(jax.enable_x64(wide))
        stack.enter_context(_context.environment(**values))
        yield


def batching_environment(dt: Any = None, batch_size: int = 1, **kwargs: Any) -> Any:
    """``environment(mode=BatchingMode(batch_size))``."""
    return environment(mode=BatchingMode(batch_size), dt=dt, **kwargs)


def training_environment(dt: Any = None, batch_size: int = 1, **kwargs: Any) -> Any:
    """``environment(mode=TrainingMode(batch_size))``."""
    return environment(mode=TrainingMode(batch_size), dt=dt, **kwargs)


def set(mode: Any = None, dt: Any = None, x64: Any = None, complex_: Any = None,  # noqa: A001 - BrainPy's name
        float_: Any = None, int_: Any = None, bool_: Any = None, **others: Any) -> None:
    """BrainPy's ``bm.set``: the process-wide default ``dt`` and ``mode``, and JAX's 64-bit mode (``x64``, as
    ``enable_x64``)."""
    values = _environment_values(mode, dt, x64, complex_, float_, int_, bool_, **others)
    if "x64" in values:
        enable_x64() if values["x64"] else disable_x64()
    if "dt" in values:
        set_dt(values["dt"])
    if "mode" in values:
        set_mode(values["mode"])


#: BrainPy's other name of ``bm.set``
set_environment = set


def set_mode(mode: Any) -> None:
    """The default mode of systems built from now on (in this thread), until changed again."""
    _context.share.save(mode=_modes.normalize_mode(mode))


def get_mode() -> _modes.Mode:
    return _context.share.load("mode", None) or NonBatchingMode()


def set_platform(platform: str) -> None:
    """Choose the default JAX platform (``'cpu'``, ``'gpu'``, ``'tpu'``)."""
    if platform not in ("cpu", "gpu", "tpu"):
        raise ValueError(f"platform must be 'cpu', 'gpu' or 'tpu', got {platform!r}")
    jax.config.update("jax_platform_name", platform)


def enable_x64(x64: bool | None = None) -> None:
    """BrainPy's ``bm.enable_x64()``: JAX's 64-bit mode on, for the rest of the process.

    What the script computes itself (its ``bp.odeint`` equations, ``bm`` arrays and ``bm.random`` draws, its own
    ``update``) is then float64, as in BrainPy; brainbatch's ready-made models (``bp.dyn``, ``bp.neurons``,
    ``bp.synapses``, brainbatch's own) keep float32 states, where BrainPy's turn float64. A
    ``bp.BrainPyDifferenceWarning`` says so once. Call it first, before anything is built, as BrainPy's examples do:
    an array made before stays float32. ``enable_x64(False)`` is ``disable_x64()`` (BrainPy warns that the argument
    is deprecated, and so does this).

    >>> import warnings, jax
    >>> import brainbatch.brainpy.math as bm
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     bm.enable_x64()
    >>> bm.zeros(2).dtype, bm.random.rand(2).dtype
    (dtype('float64'), dtype('float64'))
    >>> bm.disable_x64(); bm.zeros(2).dtype
    dtype('float32')
    """
    if x64 is not None:
        import warnings

        warnings.warn('Instead of "bm.enable_x64(True)", use "bm.enable_x64()"; instead of "bm.enable_x64(False)", '
                      'use "bm.disable_x64()" (as BrainPy 2.8.2 says)', DeprecationWarning, stacklevel=2)
        if not isinstance(x64, (bool, np.bool_)):
            raise TypeError(f"enable_x64: x64 must be True or False, got {x64!r}")
        if not x64:
            disable_x64()
            return
    _warn_x64_kept_float32()
    jax.config.update("jax_enable_x64", True)


def disable_x64() -> None:
    """BrainPy's ``bm.disable_x64()``: JAX's 64-bit mode off (float32, brainbatch's default)."""
    jax.config.update("jax_enable_x64", False)


_X64_WARNED = False


def _warn_x64_kept_float32() -> None:
    """Once per process: the part of a 64-bit BrainPy script that stays float32 here (docs/migrating-from-brainpy.md)."""
    global _X64_WARNED
    if _X64_WARNED:
        return
    _X64_WARNED = True
    import warnings

    from .._compat import BrainPyDifferenceWarning, outside_brainbatch

    warnings.warn("JAX's 64-bit mode is on: the script's own equations, bm arrays and draws compute in float64 as in "
                  "BrainPy, but brainbatch's ready-made models (bp.dyn, bp.neurons, bp.synapses) keep float32 states "
                  "where BrainPy's turn float64, so their numbers may differ from BrainPy's in the last digits "
                  "(docs/migrating-from-brainpy.md)", BrainPyDifferenceWarning, stacklevel=outside_brainbatch())


def fill_diagonal(a: Any, fill_value: Any, wrap: bool = False, inplace: bool = True) -> Any:
    """``a`` with its diagonal set to ``fill_value``; a Variable or numpy array is changed in place too.

    BrainPy writes into its mutable ``bm.Array`` and refuses anything else in place; here ``bm.asarray``,
    ``bm.zeros``... outside a step give a ``HostArray`` (NumPy), changed in place, and a JAX array, which cannot
    change, is refused with ``inplace=True`` (the default) instead of left as it was (Joglekar 2018's intra-area
    weights stayed 0).

    >>> import numpy as np, brainbatch.brainpy.math as bm
    >>> m = np.ones((2, 2)); _ = bm.fill_diagonal(m, 0.); m.tolist()
    [[0.0, 1.0], [1.0, 0.0]]
    >>> bm.fill_diagonal(bm.ones((2, 2)), 0., inplace=False).tolist()
    [[0.0, 1.0], [1.0, 0.0]]
    """
    if isinstance(a, np.ndarray):
        np.fill_diagonal(a, fill_value, wrap=wrap)
        return a
    if inplace and not isinstance(a, Variable):
        raise ValueError(f"bm.fill_diagonal writes in place only into a bm.Variable or a numpy array, got a JAX "
                         f"array ({type(a).__name__}), which cannot change: jax.numpy, JAX arrays' arithmetic and every "
                         f"bm function inside a step give those (bm.asarray, bm.zeros... outside a step give arrays "
                         f"that change in place). Write "
                         f"W = bm.fill_diagonal(W, value, inplace=False), or W = np.asarray(W) first")
    out = jnp.fill_diagonal(jnp.asarray(unwrap(a)), fill_value, wrap=wrap, inplace=False)
    if isinstance(a, Variable) and inplace:
        a.value = out
        return a
    return out


def exprel(x: Any, threshold: float | None = None) -> jax.Array:
    """``(exp(x) - 1) / x``, exact to float32 rounding near 0 too (BrainPy's ``bm.exprel``).

    >>> import brainbatch.brainpy.math as bm
    >>> float(bm.exprel(0.0)), round(float(bm.exprel(1e-3)), 5)  # 1 + x/2 + x^2/6
    (1.0, 1.0005)
    """
    x = jnp.asarray(unwrap(x))
    small = jnp.abs(x) < (1e-5 if threshold is None else threshold)
    x_safe = jnp.where(small, jnp.ones_like(x), x)  # the unused branch stays finite (and its gradient)
    return jnp.where(small, 1.0 + x / 2.0 + x * x / 6.0, jnp.expm1(x_safe) / x_safe)


def pre2post_event_sum(events: Any, pre2post: Any, post_num: int, values: Any = 1.0) -> jax.Array:
    """BrainPy's event sum: for every presynaptic event, add its synapses' ``values`` to their targets.

    ``pre2post`` is ``(indices, indptr)`` from ``conn.require('pre2post')``; ``values`` a scalar or
    one value per synapse (in that order).

    >>> import brainbatch.brainpy.math as bm
    >>> idx, ptr = bm.asarray([1, 2, 0]), bm.asarray([0, 2, 3])  # 0 -> 1, 2; 1 -> 0
    >>> bm.pre2post_event_sum(bm.asarray([True, False]), (idx, ptr), 3, 0.5).tolist()
    [0.0, 0.5, 0.5]
    """
    # what is known when the step is traced (the connection table, fixed weights) is read as NumPy: inside a trace
    # jnp.asarray makes even a constant a traced value
    given = [unwrap(x) for x in (*pre2post, values)]
    host = [None if is_traced(x) else np.asarray(x) for x in given]
    indices, indptr, vals = jnp.asarray(given[0]), jnp.asarray(given[1]), jnp.asarray(given[2], jnp.float32)
    ev = jnp.asarray(unwrap(events))
    if vals.shape == (1,) and indices.shape != (1,):
        vals = vals[0]  # one value for every synapse, given as an array of one
    host_idx, ptr, host_vals = host
    _check_event_sum(ev, indices if host_idx is None else host_idx, indptr if ptr is None else ptr, int(post_num),
                     vals)
    if ptr is None:
        pre_of_syn = jnp.searchsorted(indptr, jnp.arange(indices.shape[0]), side="right") - 1
    else:  # once, on the host, where the step recomputed it over every synapse (5x BrainPy's time, COBAHH)
        if ev.dtype == jnp.bool_ and host_idx is not None and host_vals is not None and indices.shape[0]:
            return _event_rows(ev, host_idx, ptr, int(post_num), host_vals.astype(np.float32).reshape(vals.shape))
        pre_of_syn = jnp.asarray(np.repeat(np.arange(ptr.shape[0] - 1, dtype=np.int32), np.diff(ptr)))
    w = jnp.take(ev, pre_of_syn, axis=-1).astype(jnp.float32) * vals
    return jax.ops.segment_sum(jnp.moveaxis(w, -1, 0), indices, num_segments=int(post_num)).T \
        if w.ndim > 1 else jax.ops.segment_sum(w, indices, num_segments=int(post_num))


def _event_rows(events: jax.Array, indices: np.ndarray, indptr: np.ndarray, post_num: int,
                values: np.ndarray) -> jax.Array:
    """``pre2post_event_sum`` of spikes (bools) over a fixed connection table: each spiking row adds its synapses'
    values (brainbatch's event kernel, as BrainPy's event op), at a cost of spikes x fan-out instead of every synapse
    each step. Rows are visited in index order, as the sum over synapses in CSR order adds them: the same sums."""
    counts = np.diff(indptr)
    rows = np.repeat(np.arange(counts.shape[0]), counts)
    cols = np.arange(indices.shape[0]) - np.repeat(indptr[:-1], counts)
    targets = np.full((counts.shape[0], int(counts.max())), post_num, np.int32)  # post_num: padding
    targets[rows, cols] = indices
    weights = np.zeros(targets.shape, np.float32)
    weights[rows, cols] = values  # one value for all, or one per synapse in CSR order

    with jax.ensure_compile_time_eval():  # device arrays, which a program takes as arguments: a NumPy constant was
        table, table_w = jnp.asarray(targets), jnp.asarray(weights)  # copied at every call of the kernel (10x slower)

    def send(spike: jax.Array) -> jax.Array:
        return event_sum(spike, table, post_num, table_w)

    for _ in range(events.ndim - 1):
        send = jax.vmap(send)
    return send(events)


def _check_event_sum(events: Any, indices: Any, indptr: Any, post_num: int, values: Any) -> None:
    """BrainPy refuses these; here one event for two neurons was reused (``take`` clamps), extra events were
    ignored and a post index past ``post_num`` dropped, each silently."""
    where = "pre2post_event_sum"
    if indices.ndim != 1 or indptr.ndim != 1 or indptr.shape[0] < 1:
        raise ValueError(f"{where}: pre2post must be (indices, indptr), two 1-D arrays (conn.require('pre2post')), "
                         f"got shapes {tuple(indices.shape)} and {tuple(indptr.shape)}")
    n_pre = indptr.shape[0] - 1
    if events.ndim < 1 or events.shape[-1] != n_pre:
        raise ValueError(f"{where}: events must have one value per presynaptic neuron, {n_pre} (len(indptr) - 1), "
                         f"got shape {tuple(events.shape)}")
    if values.ndim and values.shape != indices.shape:
        raise ValueError(f"{where}: values must be one number or one per synapse ({indices.shape[0]}, in the order "
                         f"of indices), got shape {tuple(values.shape)}")
    if post_num < 0:
        raise ValueError(f"{where}: post_num must be >= 0, got {post_num}")
    if not is_traced(indices) and indices.size:  # numpy: no compiled reduction for a check
        idx = np.asarray(indices)
        if not (0 <= idx.min() and idx.max() < post_num):
            bad = int(idx.max()) if idx.max() >= post_num else int(idx.min())
            raise ValueError(f"{where}: a postsynaptic index {bad} is outside [0, {post_num - 1}] (post_num "
                             f"{post_num})")
    ptr = None if is_traced(indptr) else np.asarray(indptr)
    if ptr is not None and (ptr[0] != 0 or ptr[-1] != indices.shape[0] or np.any(np.diff(ptr) < 0)):
        raise ValueError(f"{where}: indptr must rise from 0 to len(indices) = {indices.shape[0]}, got {ptr.tolist()}")


def clear_buffer_memory(platform: str | None = None, array: bool = True, transform: bool = True,
                        compilation: bool = False) -> None:
    """BrainPy's ``clear_buffer_memory``: frees the arrays no longer referenced (a garbage collection);
    ``compilation=True`` also empties JAX's caches of compiled functions. brainbatch's own programs are kept
    in a bounded cache, so a loop that builds the same model again reuses them (BrainPy's scripts call this
    between tasks of a parameter map)."""
    import gc

    if platform not in (None, "cpu", "gpu", "tpu"):
        raise ValueError(f"clear_buffer_memory: platform must be None, 'cpu', 'gpu' or 'tpu', got {platform!r}")
    gc.collect()
    if compilation:
        jax.clear_caches()


def get_platform() -> str:
    """BrainPy's ``get_platform``: the platform of JAX's first device (``'cpu'``, ``'gpu'``, ``'tpu'``)."""
    return jax.devices()[0].platform


def disable_gpu_memory_preallocation(release_memory: bool = True) -> None:
    """BrainPy's ``disable_gpu_memory_preallocation``: sets ``XLA_PYTHON_CLIENT_PREALLOCATE=false`` (and, with
    ``release_memory``, ``XLA_PYTHON_CLIENT_ALLOCATOR=platform``), read by JAX when its GPU backend starts, as there."""
    import os

    os.environ["XLA_PYTHON_CLIENT_PREALLOCATE"] = "false"
    if release_memory:
        os.environ["XLA_PYTHON_CLIENT_ALLOCATOR"] = "platform"


def enable_gpu_memory_preallocation() -> None:
    """BrainPy's ``enable_gpu_memory_preallocation``: undoes ``disable_gpu_memory_preallocation``."""
    import os

    os.environ["XLA_PYTHON_CLIENT_PREALLOCATE"] = "true"
    os.environ.pop("XLA_PYTHON_CLIENT_ALLOCATOR", None)


def clear_name_cache(ignore_warn: bool = True) -> None:
    """BrainPy's ``clear_name_cache``, which scripts call between trials to avoid its ``UniqueNameError``: nothing to
    clear here, as names need not be unique (models are named by their attribute paths)."""


_HINTS = {
    "set_host_device_count": "set XLA_FLAGS=--xla_force_host_platform_device_count=N before importing jax",
    "grad": "training is out of scope for brainbatch; fit readouts with brainbatch.Dense",
    "vector_grad": "training is out of scope for brainbatch",
    "value_and_grad": "training is out of scope for brainbatch",
    "VarList": "keep Variables as attributes (or a dict of them) so their paths are stable",
    "VarDict": "keep Variables as attributes (or a dict of them) so their paths are stable",
    "NodeList": "hold the nodes in a plain list attribute (self.groups = [...]: their paths are 'groups.0', 'groups.1')",
    "NodeDict": "hold the nodes in a plain dict attribute (self.groups = {'E': ...}: their paths are 'groups.E', ...)",
    **dict.fromkeys(("ein_rearrange", "ein_reduce", "ein_repeat", "ein_shape"),
                    "write it with jnp.reshape, jnp.transpose, jnp.repeat and a reduction (or the einops package's "
                    "rearrange/reduce/repeat, which take JAX arrays)"),
}


def _filled(name: str) -> Callable[..., Any]:
    """``bm.zeros`` and its kin: outside a step, a NumPy float32 array one may fill in place, as BrainPy's
    arrays (``Iext = bm.zeros(n); Iext[:k] = stimulus``, Wu 2008's CANN notebook); inside a step (traced)
    jax.numpy's, as every array computed there."""
    np_fun, jnp_fun = getattr(np, name), getattr(jnp, name)

    def make(*args: Any, **kwargs: Any) -> Any:
        if _share.load("i", None) is not None:
            return jnp_fun(*args, **kwargs)
        if name.endswith("_like") and args and is_traced(unwrap(args[0])):
            # traced outside a runner's step (an odeint derivative, bm.jit, jax.grad): like JAX's
            return jnp_fun(unwrap(args[0]), *args[1:], **kwargs)
        if name.endswith("_like"):
            args = (np.asarray(unwrap(args[0])),) + args[1:] if args else args
        elif kwargs.get("dtype") is None and len(args) < (3 if name == "full" else 2):
            fill = args[1] if name == "full" and len(args) > 1 else kwargs.get("fill_value", 0.0)
            if name != "full" or isinstance(fill, float):
                # JAX's default float, as BrainPy's jnp.ones: float32, float64 under jax_enable_x64 (NumPy's: float64)
                kwargs["dtype"] = jax.dtypes.canonicalize_dtype(np.float64)
        # JAX's types without x64, as BrainPy's: bm.ones(3, dtype=int) is int32 there (NumPy's int is int64)
        return _host(np_fun(*args, **kwargs))

    make.__name__ = make.__qualname__ = name
    make.__doc__ = _filled.__doc__
    return make


_FILLED = {name: _filled(name) for name in ("zeros", "ones", "empty", "full", "zeros_like", "ones_like",
                                             "empty_like", "full_like")}


def _ranged(name: str) -> Callable:
    """``bm.linspace``, ``bm.arange`` and their kin: jax.numpy's numbers, given outside a step as a ``HostArray`` (a
    BrainPy array has ``.numpy()``, which scripts call to plot), inside a step or traced as jax.numpy's array."""
    jnp_fun = getattr(jnp, name)

    def make(*args: Any, **kwargs: Any) -> Any:
        out = jnp_fun(*args, **kwargs)
        return out if _jax_kind(out) else _host(np.array(out))  # a copy: a view of JAX's buffer is read-only

    make.__name__ = make.__qualname__ = name
    make.__doc__ = _ranged.__doc__
    return make


_RANGED = {name: _ranged(name) for name in ("linspace", "arange", "logspace", "geomspace", "eye", "identity")}


#: jax.numpy's functions as ``bm`` gives them (``numpy_like``), made at their first use
_NUMPY_LIKE: dict[str, Callable] = {}

#: jax.numpy's submodules, whose functions ``bm`` gives as BrainPy's (``bm.linalg.inv``, ``bm.fft.rfft``)
_SUBMODULES = ("linalg", "fft")
_MADE_SUBMODULES: dict[str, Any] = {}


def _submodule(name: str) -> Any:
    """``bm.linalg``/``bm.fft``: jax.numpy's, their array results outside a step ``HostArray``s as every other ``bm``
    function's (BrainPy 2.8.2's ``bm.linalg.inv`` and ``bm.fft.fft`` give its ``bm.Array``; they gave JAX arrays
    here, which ``x[0] = 1.`` refused while ``bm.exp``'s took it).

    >>> import brainbatch.brainpy.math as bm
    >>> m = bm.linalg.inv(bm.eye(2) * 2.); m[0, 1] = 1.; type(m).__name__, m.tolist()
    ('HostArray', [[0.5, 1.0], [0.0, 0.5]])
    """
    made = _MADE_SUBMODULES.get(name)
    if made is None:
        source = getattr(jnp, name)
        made = types.ModuleType(f"{__name__}.{name}", source.__doc__)
        for attr in dir(source):
            if attr.startswith("_"):
                continue
            value = getattr(source, attr)
            setattr(made, attr, numpy_like(value) if callable(value) and not isinstance(value, type) else value)
        made.__all__ = [a for a in dir(made) if not a.startswith("_")]  # type: ignore[attr-defined]
        _MADE_SUBMODULES[name] = made
    return made


def __getattr__(name: str) -> Any:
    if name == "dt":  # BrainPy's bm.dt: the current step size (ms)
        return get_dt()
    if name in ("float_", "int_"):  # read when used, as BrainPy's: they follow bm.enable_x64() (were float32 always)
        return get_float() if name == "float_" else get_int()
    if name == "BrainPyObject":  # bm.BrainPyObject, bp.BrainPyObject's other spelling (brainpy/__init__.py)
        from .._base import DynamicalSystem

        return DynamicalSystem
    if name in _FILLED:
        return _FILLED[name]
    if name in jitconn.OLD_NAMES:  # BrainPy 2.3's bm.event_matvec_prob_conn_homo_weight & co.
        return jitconn.OLD_NAMES[name]
    if name in _RANGED:
        return _RANGED[name]
    if name in _SUBMODULES:
        return _submodule(name)
    if not name.startswith("_") and hasattr(jnp, name):
        # array functions: jax.numpy's (they accept Variables), giving BrainPy's mutable arrays outside a step
        found = _NUMPY_LIKE.get(name)
        if found is None:
            found = getattr(jnp, name)
            if callable(found) and not isinstance(found, type):
                # made once (bm.exp is bm.exp); kept apart from this module's globals, where bm.round, bm.max...
                # would hide Python's round, max... from this module's own code
                found = _NUMPY_LIKE[name] = numpy_like(found)
        return found
    if not name.startswith("_") and hasattr(jax.nn, name):
        return getattr(jax.nn, name)  # BrainPy's activations (bm.relu, bm.softplus, bm.sigmoid...): jax.nn's
    raise unsupported("brainbatch.brainpy.math", name, _HINTS, __all__)


def __dir__() -> Any:
    return sorted({*globals(), *dir(jnp)})  # not set(): this module's `set` is BrainPy's bm.set
