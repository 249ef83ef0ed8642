"""BrainPy's mutable arrays outside a step: ``HostArray``, what ``bm``'s numpy-like functions give there.

BrainPy's ``bm.exp``, ``bm.zeros``... return its ``bm.Array``, which a script changes in place (``W[i, i] = 0.``).
Here a result made outside a runner's step (and not traced by a loop, ``bm.jit`` or a JAX transform) is copied
into a ``HostArray``, a NumPy array that changes in place; inside a step or a trace the result is jax.numpy's
own, untouched (no host copy there, the same numbers and program).
"""
from __future__ import annotations

import functools
import operator
from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np

from ...core import share as _share
from ...core.checks import is_traced
from ...core.variable import Variable

__all__ = ["HostArray", "numpy_like", "host_results"]


class HostArray(np.ndarray):
    """What ``bm.zeros``, ``bm.asarray``... give outside a step: a NumPy array one may change in place, as BrainPy's
    arrays (``Iext = bm.zeros(n); Iext[:k] = 20.``), that a step may still index by its traced step number
    (``Iext[bp.share['i']]``: a plain NumPy array raised JAX's TracerArrayConversionError) and read with ``.at``.

    >>> import brainbatch.brainpy.math as bm
    >>> x = bm.zeros(3); x[1] = 2.; type(x).__name__, x.at[1].get().tolist()
    ('HostArray', 2.0)
    """

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        # BrainPy's arrays compute with JAX: bm.zeros(3) * np.float64(.1) is float32 there, bm.arange(3) / 2 float32,
        # and NumPy made both float64 (a float64 array flowing into a model). The arithmetic takes JAX's types and
        # numbers; in-place operators (x += y) write them back into this array; other NumPy functions stay NumPy's.
        jax_fun = _JAX_ARITHMETIC.get(ufunc.__name__)
        if (jax_fun is None or method != "__call__" or kwargs.keys() - {"out"}
                or not all(isinstance(x, _JAX_OPERANDS) for x in inputs)):
            result = super().__array_ufunc__(ufunc, method,  # type: ignore[arg-type]
                                             *_plain(inputs), **_plain_out(kwargs))
            if result is NotImplemented:
                return result
            if "out" not in kwargs:
                return _canonical(result)
            # the arrays given as out, not their plain views: x <<= 1 rebinds x to this (a plain ndarray there lost
            # what a HostArray does, its indexing by a step's traced number)
            outs = kwargs["out"]
            return outs[0] if len(outs) == 1 else outs
        out = jax_fun(*(_jax_operand(x) for x in inputs))
        if "out" not in kwargs:
            return out if _jax_kind(out) else _host(np.array(out))
        (target,) = kwargs["out"]
        if is_traced(out) and isinstance(target, HostArray):
            target[...] = out  # refused there, with the way to write it
        result = np.asarray(out)
        if not np.can_cast(result.dtype, target.dtype, casting="same_kind"):
            # BrainPy's array takes the new type (its value is replaced); this one is changed in place
            op = _OPERATOR[ufunc.__name__]
            raise TypeError(f"an in-place {op} on an array of {target.dtype} gives {result.dtype} values, which it "
                            f"cannot hold (it changes in place); write x = x {op} ... for a new {result.dtype} array, "
                            "as BrainPy's arrays become")
        np.copyto(target.view(np.ndarray), result, casting="same_kind")
        return target

    def __getitem__(self, index: Any) -> Any:
        if any(is_traced(leaf) for leaf in jax.tree_util.tree_leaves(index)):
            return jnp.asarray(self.view(np.ndarray))[index]
        return _snapshot(super().__getitem__(index))

    # BrainPy's W[0], W.T, W.reshape(...) are JAX arrays: the values at that moment, which cannot change (x[:] = 0
    # raises) and which x += 1 replaces. NumPy's were views: x = W[0]; x[:] = 0 (or x *= 2) changed W silently.
    # Here they are read-only copies: writing into one is refused, an in-place operator gives a new array.
    @property
    def T(self) -> Any:
        return _snapshot(super().T)

    # reshape, ravel, squeeze, transpose, swapaxes, diagonal: read-only copies too (set after the class, _SNAPSHOTS)

    def __setitem__(self, index: Any, value: Any) -> None:
        if not self.flags.writeable:
            raise TypeError("brainbatch.brainpy: this array is a read-only copy (W[i], W.T, W.reshape(...), W.value of an "
                            "array made by bm functions give the values at that moment, as BrainPy's JAX arrays, "
                            "which cannot change): write into the array itself (W[i, j] = v, W[i] = 0.), or make "
                            "a copy to change (x = W[i].copy())")
        if any(is_traced(leaf) for leaf in jax.tree_util.tree_leaves((index, value))):
            # made outside a runner's step but written inside a traced function (the user's own jax.jit): JAX's
            # TracerArrayConversionError named neither the array nor the way to write it
            raise TypeError("brainbatch.brainpy: an array made by bm.zeros, bm.asarray... outside a step is a NumPy "
                            "array, and a traced index or value (inside jax.jit, bm.for_loop...) cannot be written "
                            "into it: write x = x.at[i].set(v) (a new JAX array), or keep the values in a "
                            "bm.Variable, whose items can be set (V[i] = v); docs/migrating-from-brainpy.md")
        # into the plain array: NumPy assigns into a subclass through its __getitem__ (a read-only copy here)
        self.view(np.ndarray)[index] = _plain_one(value)

    # BrainPy's array sums with JAX: NumPy's float32 sum along a non-contiguous axis adds one row after another, off
    # by 0.03 over 4096 rows of 1.46 where JAX is off by 4e-4 (Bouchacourt 2019's balanced weights differed by 1e-5)
    def sum(self, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,  # type: ignore[override]
            **kwargs: Any) -> Any:
        return self._reduce("sum", axis, dtype, out, keepdims, kwargs)

    def mean(self, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,  # type: ignore[override]
             **kwargs: Any) -> Any:
        return self._reduce("mean", axis, dtype, out, keepdims, kwargs)

    def prod(self, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,  # type: ignore[override]
             **kwargs: Any) -> Any:
        return self._reduce("prod", axis, dtype, out, keepdims, kwargs)

    def _reduce(self, name: str, axis: Any, dtype: Any, out: Any, keepdims: bool, kwargs: dict) -> Any:
        if out is not None or kwargs:  # NumPy's out=, where=, initial=: NumPy's reduction, written where asked
            result = getattr(self.view(np.ndarray), name)(axis=axis, dtype=dtype, out=_plain_one(out),
                                                          keepdims=keepdims, **kwargs)
            return out if out is not None else _canonical(result)
        result = getattr(jnp, name)(self.view(np.ndarray), axis=axis, dtype=dtype, keepdims=keepdims)
        if _jax_kind(result):  # inside a step or a trace (jax.numpy stages it there): JAX's array, as BrainPy's
            return result
        return _canonical(np.asarray(result)[()] if result.ndim == 0 else np.array(result))

    @property
    def at(self) -> Any:
        """JAX's functional updates (``x.at[i].set(v)`` gives a new JAX array, as on BrainPy's arrays)."""
        return jnp.asarray(self.view(np.ndarray)).at

    def block_until_ready(self) -> HostArray:
        return self

    # BrainPy's bm.Array conversions, which scripts call before plotting (plt.yticks(bm.linspace(0, n, 5).numpy()))
    def numpy(self, dtype: Any = None) -> np.ndarray:
        """A plain NumPy copy."""
        return np.array(self.view(np.ndarray), dtype=dtype)

    to_numpy = numpy

    def to_jax(self, dtype: Any = None) -> jax.Array:
        """A JAX array of the same values."""
        return jnp.asarray(self.view(np.ndarray), dtype=dtype)

    @property
    def value(self) -> np.ndarray:
        """The values at this moment (BrainPy's ``Array.value``, a JAX array there): a read-only copy, so
        ``old = x.value`` keeps them when ``x`` changes later (a view of ``x`` changed with it, silently) and
        ``x.value[i] = v`` is refused, as in BrainPy; ``x.value = new`` and ``x.value += 1`` write into ``x`` (it
        changes in place: the same shape, a type it can hold).

        >>> import brainbatch.brainpy.math as bm
        >>> x = bm.zeros(2); old = x.value; x[0] = 5.; x.value += 1; old.tolist(), x.tolist()
        ([0.0, 0.0], [6.0, 1.0])
        """
        return _snapshot(self)

    @value.setter
    def value(self, new: Any) -> None:
        self.update(new)

    def update(self, value: Any) -> None:
        """BrainPy's ``Array.update``: the values of ``value`` written into this array (``x.value = value``).

        >>> import brainbatch.brainpy.math as bm
        >>> x = bm.zeros(2); x.value = bm.ones(2) * 3.; x.tolist()
        [3.0, 3.0]
        """
        if is_traced(value):
            self[...] = value  # refused there, with the way to write it
        new = np.asarray(value.value if isinstance(value, Variable) else value)
        if new.shape != self.shape:
            # BrainPy's array takes the new value whole; this one changes in place (a step may hold it)
            raise ValueError(f"x.value = ... writes into an array of shape {self.shape} in place, got a value of "
                             f"shape {new.shape}: make a new array instead (x = bm.asarray(new))")
        if not np.can_cast(new.dtype, self.dtype, casting="same_kind"):
            raise TypeError(f"x.value = ... writes into an array of {self.dtype} in place, got {new.dtype} values, "
                            f"which it cannot hold: make a new array instead (x = bm.asarray(new))")
        np.copyto(self.view(np.ndarray), new, casting="same_kind")


def _in_place(name: str, op: Callable[[Any, Any], Any]) -> Callable[[HostArray, Any], Any]:
    """``x op= y``: in place, or on a read-only copy (``x = W[0]``) a new array, as on BrainPy's JAX arrays (Python
    rebinds ``x``; ``W`` stays as it was)."""
    in_place = getattr(np.ndarray, name)

    def method(self: HostArray, other: Any) -> Any:
        return in_place(self, other) if self.flags.writeable else op(self, other)

    method.__name__ = method.__qualname__ = name
    return method


def _snapshotting(name: str) -> Callable[..., Any]:
    """NumPy's method ``name`` (a view of the array) as a read-only copy (``_snapshot``)."""
    view = getattr(np.ndarray, name)

    def method(self: HostArray, *args: Any, **kwargs: Any) -> Any:
        return _snapshot(view(self, *args, **kwargs))

    method.__name__ = method.__qualname__ = name
    return method


_SNAPSHOTS = ("reshape", "ravel", "squeeze", "transpose", "swapaxes", "diagonal")
for _name in _SNAPSHOTS:
    setattr(HostArray, _name, _snapshotting(_name))

for _name, _op in {"__iadd__": operator.add, "__isub__": operator.sub, "__imul__": operator.mul,
                   "__itruediv__": operator.truediv, "__ifloordiv__": operator.floordiv, "__imod__": operator.mod,
                   "__ipow__": operator.pow, "__imatmul__": operator.matmul, "__iand__": operator.and_,
                   "__ior__": operator.or_, "__ixor__": operator.xor, "__ilshift__": operator.lshift,
                   "__irshift__": operator.rshift}.items():
    setattr(HostArray, _name, _in_place(_name, _op))


#: the NumPy ufuncs behind Python's arithmetic operators (by their operator), done by JAX on a HostArray
_OPERATOR = {"add": "+", "subtract": "-", "multiply": "*", "divide": "/", "true_divide": "/", "floor_divide": "//",
             "remainder": "%", "power": "**", "matmul": "@"}
_JAX_ARITHMETIC = {name: getattr(jnp, name) for name in _OPERATOR}
_JAX_OPERANDS = (np.ndarray, np.generic, int, float, complex, jax.Array, Variable, list, tuple)


def _jax_operand(x: Any) -> Any:
    if isinstance(x, Variable):
        return x.value
    if isinstance(x, (np.ndarray, list, tuple)):
        return np.asarray(x).view(np.ndarray)  # jax.numpy takes NumPy data (and canonicalizes float64), not lists
    return x


def _plain(inputs: Any) -> tuple:
    return tuple(x.view(np.ndarray) if isinstance(x, HostArray) else x for x in inputs)


def _plain_one(x: Any) -> Any:
    return x.view(np.ndarray) if isinstance(x, HostArray) else x


def _plain_out(kwargs: dict) -> dict:
    if "out" in kwargs:
        kwargs = {**kwargs, "out": _plain(kwargs["out"])}
    return kwargs


def _canonical(result: Any) -> Any:
    """A NumPy function's result on a HostArray in JAX's types without x64 (``bm.arange(3).sum()`` is int32 in
    BrainPy, NumPy's int64), arrays as HostArrays."""
    if isinstance(result, tuple):
        return tuple(_canonical(r) for r in result)
    if isinstance(result, np.ndarray):
        return _host(result)
    if isinstance(result, np.generic):
        return result.astype(jax.dtypes.canonicalize_dtype(result.dtype))
    return result


def _jax_kind(x: Any) -> bool:
    """Whether an array made now is a JAX array: inside a runner's step, or traced (bm.jit, jax.jit, a loop); outside,
    BrainPy's mutable array (a ``HostArray``)."""
    return _share.load("i", None) is not None or is_traced(x)


def _snapshot(out: Any) -> Any:
    """A part or a reshaping of a HostArray (NumPy's view into it) as a read-only copy: the values now, as BrainPy's
    JAX array, never a window through which the parent changes (a scalar stays as it is)."""
    if not isinstance(out, np.ndarray):
        return out
    out = out.copy()
    out.flags.writeable = False
    return out


def _host(out: np.ndarray) -> HostArray:
    """``out`` in JAX's types without x64 (BrainPy's: float32, int32), as a ``HostArray``."""
    canonical = jax.dtypes.canonicalize_dtype(out.dtype)
    return (out if canonical == out.dtype else out.astype(canonical)).view(HostArray)



def _mutable(x: Any) -> Any:
    """A concrete JAX array of one or more dimensions as a ``HostArray`` (a copy: JAX's buffer is read-only); a
    number (0-d), a traced value or a key stays as it is, as BrainPy wraps only arrays of one or more dimensions."""
    if (isinstance(x, jax.Array) and x.ndim and not isinstance(x, jax.core.Tracer)
            and not jax.dtypes.issubdtype(x.dtype, jax.dtypes.prng_key)):
        return _host(np.array(x))
    return x


def host_results(out: Any) -> Any:
    """``out``, the result of a ``bm`` function, as BrainPy gives it: outside a runner's step its JAX arrays (one, or
    in a tuple or list: ``bm.meshgrid``, ``bm.nonzero``) become ``HostArray``s; inside a step, or traced, it is
    returned as it is."""
    if _share.load("i", None) is not None:
        return out
    if isinstance(out, jax.Array):
        return _mutable(out)
    if isinstance(out, (tuple, list)):
        return jax.tree_util.tree_map(_mutable, out)
    return out


#: what a jax.numpy ufunc carries besides its call (``bm.add.reduce``, ``bm.add.at``...)
_UFUNC_METHODS = ("reduce", "accumulate", "reduceat", "outer", "at")
_UFUNC_FIELDS = ("nin", "nout", "nargs", "identity")


def numpy_like(fun: Callable) -> Callable:
    """``fun`` (a jax.numpy function) whose results outside a step are ``HostArray``s (``host_results``), as
    BrainPy's numpy-like functions return its mutable ``bm.Array``; inside a step or a trace, jax.numpy's own.

    >>> import jax, jax.numpy as jnp
    >>> exp = numpy_like(jnp.exp)
    >>> w = exp(jnp.zeros((2, 2))); w[0, 0] = 0.; type(w).__name__, w.tolist()
    ('HostArray', [[0.0, 1.0], [1.0, 1.0]])
    >>> type(jax.jit(exp)(jnp.zeros(2))).__name__  # traced: jax.numpy's array
    'ArrayImpl'
    """

    @functools.wraps(fun)
    def call(*args: Any, **kwargs: Any) -> Any:
        return host_results(fun(*args, **kwargs))

    for name in _UFUNC_METHODS:
        if callable(getattr(fun, name, None)):
            setattr(call, name, numpy_like(getattr(fun, name)))
    for name in _UFUNC_FIELDS:
        if hasattr(fun, name):
            setattr(call, name, getattr(fun, name))
    return call
