"""``Variable``: a named slot for a state array that changes during a simulation.

A Variable holds a concrete ``jax.Array`` outside transforms. Inside ``jit``/``scan``/``vmap`` the
transform temporarily puts tracers in it and takes them out again before it returns.

A Variable is also a JAX pytree with one leaf (its value), which is how ``jnp.exp(v)``,
``jnp.where(v, ...)`` or ``jax.jit(f)(v)`` see it: JAX 0.10 no longer calls ``__jax_array__`` while
tracing, and asks instead for a registered pytree. What JAX hands back is a detached copy; the
Variable itself changes only through ``.value`` (or in-place operators, ``v += 1``).
"""
from __future__ import annotations

import functools
import itertools
import operator
import reprlib
import sys
import threading
import weakref
from types import FrameType
from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np

from .checks import fits_shape, is_int, is_traced
from .errors import NamedKeywords
from ..errors import one_slip

__all__ = ["Variable", "TrainVar", "unwrap", "untraced_write_guard", "edited_by_user", "clear_edited"]

#: Creation order of Variables: a transform only guards the Variables that existed before it began.
_SERIAL = itertools.count()


class _Guard(threading.local):
    """Per thread: the transforms running now, as (first serial they did not see, ids they thread)."""

    def __init__(self) -> None:
        self.active: list[tuple[int, frozenset[int], str]] = []


_GUARD = _Guard()


class untraced_write_guard:
    """Context of a transform that threads ``variables``: while it runs, a traced value assigned to
    an older Variable that no running transform threads is an error (it would keep the tracer).

    >>> v = Variable(jnp.zeros(()))
    >>> with untraced_write_guard([], "for_loop"):
    ...     v.value = 1.0  # concrete values are always fine
    """

    def __init__(self, variables: Any, transform: str) -> None:
        self.entry = (next(_SERIAL), frozenset(id(v) for v in variables), transform)

    def __enter__(self) -> Any:
        _GUARD.active.append(self.entry)
        return self

    def __exit__(self, *exc: object) -> None:
        _GUARD.active.remove(self.entry)


def _check_untraced_write(var: "Variable", arr: Any) -> None:
    active = _GUARD.active
    if not active or not is_traced(arr) or var._serial >= active[0][0]:
        return
    if any(id(var) in threaded for _, threaded, _ in active):
        return
    raise RuntimeError(
        f"{var._describe()} was assigned a traced value inside brainbatch.{active[-1][2]}, but that "
        "transform does not thread it, so it would be left holding a JAX tracer. Pass it (or the model "
        "holding it) as dyn_vars, e.g. bb.for_loop(body, xs, dyn_vars=net)."
    )


def unwrap(tree: Any) -> Any:
    """``tree`` with every Variable replaced by its value (for code that wants plain arrays).

    >>> unwrap({"a": Variable(jnp.ones(2)), "b": 3})["a"].tolist()
    [1.0, 1.0]
    """
    if isinstance(tree, Variable):
        return tree._value
    return jax.tree_util.tree_map(lambda x: x._value if isinstance(x, Variable) else x, tree,
                                  is_leaf=lambda x: isinstance(x, Variable))


def _as_array(value: Any, what: Callable[[], str] | None = None) -> jax.Array:
    """``value`` as a JAX array; with ``what`` (what the value is for, asked only for the message), a value
    that is no number is an error naming it, where ``jnp.asarray`` said "None is not a valid value for jnp.array"."""
    if isinstance(value, Variable):
        value = value.value
    if isinstance(value, jax.Array) or isinstance(value, jax.core.Tracer):
        return value
    if what is None:
        return jnp.asarray(value)
    from .units import is_quantity

    if is_quantity(value):  # nothing inside the step holds a unit (docs/units.md)
        raise TypeError(f"{what()} must be plain numbers, got the quantity {value}; give it in the unit the model "
                        f"computes in, e.g. x.to_decimal(u.mV) (docs/units.md)")
    try:
        if isinstance(value, (str, bytes)):  # NumPy would read it as a deprecated dtype alias first
            raise TypeError
        return jnp.asarray(value)
    except (TypeError, ValueError):  # text, None, a dict, ragged lists
        raise TypeError(f"{what()} must be a number or an array of numbers, got {reprlib.repr(value)}") from None


def _is_shape(value: Any) -> bool:
    """Whether ``value`` is what BrainPy's Variable reads as a shape: a tuple or list of Python ints (bools not)."""
    return isinstance(value, (tuple, list)) and all(isinstance(k, int) and not isinstance(k, bool) for k in value)


class Variable(NamedKeywords):
    """A mutable state array.

    Args:
        value: initial value: an array-like, or a shape for zeros (an int, or a tuple or list of ints, as
            BrainPy's ``bm.Variable((200, 1))``; a list of floats or bools is data).
        dtype: optional dtype to cast to.
        batch_axis: the axis that indexes the batch in batching mode, or ``None``.
        dims, units, description: metadata for result stores (dims exclude the batch axis).
        kind: what the values are, for readers of a store: ``"spikes"`` (a spike raster, which
            ``ds.bb`` counts) or ``None`` (plain values). Undeclared, a bool variable named ``spike``
            is a spike raster (the BrainPy convention); no other variable is (``record_kind``).

    >>> v = Variable(jnp.zeros(3))
    >>> v.value = v.value + 1.0
    >>> float(v.value.sum())
    3.0
    """

    __slots__ = ("_value", "batch_axis", "_owner", "dims", "_units", "description", "kind", "_serial", "_edited",
                 "__weakref__")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        jax.tree_util.register_pytree_node(cls, _flatten, functools.partial(_unflatten, cls))

    def __init__(self, value: Any, dtype: Any = None, batch_axis: int | None = None, *,
                 dims: tuple[str, ...] | None = None, units: str = "", description: str = "",
                 kind: str | None = None):
        if is_int(value) and isinstance(value, int):
            if value < 0:  # JAX: "broadcast_in_dim shape must have every element be nonnegative"
                raise ValueError(f"Variable: an int value is the size of a zero array and must be >= 0, got {value}")
            value = jnp.zeros(value)
        elif _is_shape(value):
            # BrainPy's rule: a tuple or list of ints is a shape, ``bm.Variable((200, 1))`` zeros of that shape; it
            # was read as the data [200, 1], an int32 Variable of shape (2,), without a word
            if any(k < 0 for k in value):
                raise ValueError(f"Variable: a tuple or list of ints is the shape of a zero array and its sizes must "
                                 f"be >= 0, got {value!r}")
            value = jnp.zeros(tuple(value))
        arr = _as_array(value, lambda: "a Variable's value")
        if dtype is not None:
            arr = arr.astype(dtype)
        if batch_axis is not None:
            if not isinstance(batch_axis, int) or isinstance(batch_axis, bool) or not (-arr.ndim <= batch_axis < max(arr.ndim, 1)):
                raise ValueError(f"batch_axis {batch_axis!r} is not an axis of a {arr.ndim}-d value")
            batch_axis = batch_axis % max(arr.ndim, 1)
        self._value = arr
        self.batch_axis = batch_axis
        self._owner: Any = None  # weakref to the node that first held it; decides its path
        # Declared where the variable is defined, so stores write labelled, documented arrays.
        self.dims = None if dims is None else tuple(dims)
        self.units = units
        self.description = description
        check_kind(kind)
        self.kind = kind
        self._serial = next(_SERIAL)
        self._edited = False  # set by a user's assignment outside a transform (see ``edited_by_user``)

    @property
    def units(self) -> str:
        """The unit of the values, as stores and results write it (``"mV"``; ``""``: not declared)."""
        return self._units

    @units.setter
    def units(self, units: Any) -> None:
        if not isinstance(units, str):  # u.mV, natural to write: kept as a Unit it broke out.quantity and stores
            from .units import units_label

            units = units_label(units, "a Variable's units")
        self._units = units

    # -- value -----------------------------------------------------------------------------------
    @property
    def value(self) -> jax.Array:
        return self._value

    @value.setter
    def value(self, new: Any) -> None:
        arr = _as_array(new, lambda: f"the value assigned to {self._describe()}")
        old = self._value
        if tuple(arr.shape) != tuple(old.shape) and not self._new_batch_size(arr):
            raise ValueError(
                f"cannot assign a value of shape {tuple(arr.shape)} to a Variable of shape "
                f"{tuple(old.shape)}; re-create it (reset_state) to change its shape"
            )
        if arr.dtype != old.dtype:
            if old.dtype == jnp.bool_ or arr.dtype == jnp.bool_:
                raise TypeError(f"cannot assign dtype {arr.dtype} to a Variable of dtype {old.dtype}")
            lost = ("the imaginary part" if jnp.issubdtype(arr.dtype, jnp.complexfloating)
                    and not jnp.issubdtype(old.dtype, jnp.complexfloating) else
                    "the fraction" if jnp.issubdtype(arr.dtype, jnp.inexact)
                    and jnp.issubdtype(old.dtype, jnp.integer) else None)
            if lost is not None:  # a count decremented by dt would stay put, silently (BrainPy refuses it too)
                raise TypeError(f"cannot assign {arr.dtype} values to {self._describe()} of dtype {old.dtype}: the "
                                f"cast would drop {lost}; cast explicitly (x.astype(...)) or give the Variable "
                                f"a {arr.dtype} dtype")
            arr = arr.astype(old.dtype)  # a float from a Python number or an int of another width: nothing lost
        _check_untraced_write(self, arr)
        self._value = arr
        if not is_traced(arr) and _from_user_code():
            self._edited = True

    def _new_batch_size(self, arr: Any) -> bool:
        """Whether ``arr`` differs from the value only in the size of the batch axis, and is concrete: BrainPy's
        batched Variable takes such a value (a ``reset_state(batch_size)`` of its own writing
        ``self.V.value = bm.zeros((batch_size, n))``); inside a transform the shape stays fixed."""
        axis, old = self.batch_axis, tuple(self._value.shape)
        new = tuple(arr.shape)
        if axis is None or is_traced(arr) or is_traced(self._value) or len(new) != len(old) or axis >= len(old):
            return False
        return new[:axis] + new[axis + 1:] == old[:axis] + old[axis + 1:]

    @property
    def batch_size(self) -> int | None:
        """The size of the batch axis, ``None`` without one (BrainPy's ``Variable.batch_size``).

        >>> Variable(jnp.zeros((4, 3)), batch_axis=0).batch_size, Variable(jnp.zeros(3)).batch_size
        (4, None)
        """
        return None if self.batch_axis is None else int(self._value.shape[self.batch_axis])

    def store_dims(self, path: str, shape: tuple) -> tuple[str, ...]:
        """The dim names a store gives this variable, recorded at ``path`` with ``shape``.

        The names are the ``dims`` declared where the variable is made (``NeuGroup`` declares
        ``("neuron",)``, a projection ``("pre", "slot")``), scoped by the owner's path so two groups'
        neurons stay separate dims: ``E.V`` -> ``("E_neuron",)``. The variable's batch axis (a model in
        ``BatchingMode``) is ``<owner>_batch``; a variable without declared dims (or with another number
        of axes: a 2-d variable of a group that declares one) gets ``<path>_d0``, ``<path>_d1``...

        >>> Variable(jnp.zeros(3), dims=("neuron",)).store_dims("E.V", (3,))
        ('E_neuron',)
        >>> Variable(jnp.zeros(3)).store_dims("net.x", (3,))
        ('net_x_d0',)
        >>> Variable(jnp.zeros((3, 5)), dims=("neuron",)).store_dims("E.w", (3, 5))
        ('E_w_d0', 'E_w_d1')
        """
        owner = path.rpartition(".")[0] or "root"
        prefix = owner.replace(".", "_")
        own = tuple(self.dims) if self.dims is not None else None
        if own is not None and len(own) == len(shape):
            return tuple(f"{prefix}_{d}" for d in own)
        axis = self.batch_axis
        if own is not None and len(own) == len(shape) - 1 and axis is not None and axis < len(shape):
            # by the variable's batch axis, not by its count of axes: a (neuron, 5) array is no batch
            named = [f"{prefix}_{d}" for d in own]
            return tuple(named[:axis] + [f"{prefix}_batch"] + named[axis:])
        leaf = path.replace(".", "_")
        return tuple(f"{leaf}_d{k}" for k in range(len(shape)))

    def record_kind(self, path: str) -> str:
        """What a store records this variable as: its declared ``kind``, else ``"spikes"`` for a bool
        variable named ``spike`` (BrainPy's convention), else ``""`` (plain values).

        >>> Variable(jnp.zeros(3, bool)).record_kind("E.spike"), Variable(jnp.zeros(3, bool)).record_kind("E.refractory")
        ('spikes', '')
        """
        if self.kind is not None:
            return self.kind
        return "spikes" if self.dtype == jnp.bool_ and path.rpartition(".")[2] == "spike" else ""

    def update(self, value: Any) -> None:
        """Assign a new value (same shape and dtype)."""
        self.value = value

    # -- array protocol --------------------------------------------------------------------------
    shape = property(lambda self: tuple(self._value.shape))
    dtype = property(lambda self: self._value.dtype)
    ndim = property(lambda self: self._value.ndim)
    size = property(lambda self: self._value.size)

    def devices(self) -> set:
        """Devices holding the value."""
        return self._value.devices()

    def numpy(self) -> np.ndarray:
        """The value as a NumPy array (BrainPy's ``Variable.numpy()``; ``to_numpy`` is the same)."""
        return np.asarray(self._value)

    to_numpy = numpy

    def to_jax(self) -> Any:
        """The value as a JAX array (BrainPy's ``Variable.to_jax()``)."""
        return jnp.asarray(self._value)

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        arr = np.asarray(self._value)
        return arr if dtype is None else arr.astype(dtype)

    def __jax_array__(self) -> Any:
        return self._value

    def __len__(self) -> int:
        return len(self._value)

    def __iter__(self) -> Any:
        # without it Python iterated by v[0], v[1]... until an IndexError, which JAX's clamped indexing never
        # raises: `for x in v` never ended and zip(v, longer) repeated the last row (BrainPy yields the rows)
        if not np.ndim(self._value):
            raise TypeError(f"iteration over a 0-d {self._describe()}")
        return iter(self._value)

    def __getitem__(self, index: Any) -> Any:
        return self._value[index]

    @property
    def at(self) -> Any:
        """The value's indexed updates (``v.at[i].set(x)`` gives a new array; ``v[i] = x`` writes the Variable).

        >>> import brainbatch as bb, jax.numpy as jnp
        >>> bb.Variable(jnp.zeros(3)).at[1].set(2.0).tolist()
        [0.0, 2.0, 0.0]
        """
        return jnp.asarray(self._value).at

    def __setitem__(self, index: Any, item: Any) -> None:
        _check_index(self, index)
        item = _as_array(item, lambda: f"the value assigned to {self._describe()}[...]")
        try:
            new = self._value.at[index].set(item)
        except ValueError as err:  # JAX's "Incompatible types for broadcasting: input type=float32[3] ..." named no
            if "broadcast" not in str(err):  # Variable and no index
                raise
            try:
                selected = tuple(np.shape(jax.eval_shape(lambda v: v[index], self._value)))
            except Exception:  # noqa: BLE001 (an index JAX refuses is JAX's to name)
                raise err from None
            raise ValueError(f"cannot assign a value of shape {tuple(item.shape)} to {self._describe()} at index "
                             f"{index!r}, which selects shape {selected}: give one value or one per selected "
                             "element") from None
        self.value = new

    def __repr__(self) -> str:
        return f"{type(self).__name__}(shape={self.shape}, dtype={self.dtype}, batch_axis={self.batch_axis})"

    def __str__(self) -> str:
        # print(v) shows the values, as BrainPy's does (and print of an array); the repr stays a description
        return str(self._value)

    def _describe(self) -> str:
        """``Variable 'V' of LIF0`` when the owner still holds it under a name, else the repr."""
        owner = self._owner() if self._owner is not None else None
        if owner is not None:
            for name, value in vars(owner).items():
                if value is self:
                    return f"Variable {name!r} of {getattr(owner, 'name', type(owner).__name__)}"
        return repr(self)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __float__(self) -> float:
        return float(self._value)

    def __int__(self) -> int:
        return int(self._value)

    # Variables are identities, not values: hash and compare by object.
    __hash__ = object.__hash__

    def __eq__(self, other: object) -> Any:  # element-wise, as the array's
        return self._value == _as_array(other)


def _binary(op: Callable[[Any, Any], Any], reflected: bool = False) -> Callable[[Variable, Any], Any]:
    def method(self: Variable, other: Any) -> Any:
        other = other.value if isinstance(other, Variable) else other
        return op(other, self._value) if reflected else op(self._value, other)

    return method


for _name, _op in [
    ("add", operator.add), ("sub", operator.sub), ("mul", operator.mul), ("truediv", operator.truediv),
    ("floordiv", operator.floordiv), ("mod", operator.mod), ("pow", operator.pow),
    ("matmul", operator.matmul), ("and", operator.and_), ("or", operator.or_), ("xor", operator.xor),
]:
    setattr(Variable, f"__{_name}__", _binary(_op))
    setattr(Variable, f"__r{_name}__", _binary(_op, reflected=True))
for _name, _op in [("lt", operator.lt), ("le", operator.le), ("gt", operator.gt), ("ge", operator.ge),
                   ("ne", operator.ne)]:
    setattr(Variable, f"__{_name}__", _binary(_op))
def _check_index(var: Variable, index: Any) -> None:
    """Integer positions known now must lie inside ``var``: JAX drops a write past the end (``v[5] = 1`` on 3
    values left ``v`` as it was, without a word) where NumPy raises. Slices, masks and traced positions pass."""
    for axis, i in enumerate(index if isinstance(index, tuple) else (index,)):
        if i is Ellipsis or i is None or axis >= var._value.ndim:
            return  # positions after ... or a new axis: JAX's own rules
        if isinstance(i, (bool, np.bool_)) or not isinstance(i, (int, np.integer, np.ndarray, list)):
            continue
        found = np.asarray(i)
        if found.dtype.kind not in "iu" or not found.size:
            continue
        n = var._value.shape[axis]
        if found.min() < -n or found.max() >= n:
            bad = int(found.max()) if found.max() >= n else int(found.min())
            raise IndexError(f"index {bad} is out of bounds for axis {axis} of {var._describe()} (size {n})")


def _inplace(op: Callable[[Any, Any], Any]) -> Callable[[Variable, Any], Variable]:
    def method(self: Variable, other: Any) -> Variable:
        # Python rebinds ``self.x`` to what this returns: the same Variable, with a new value.
        other = other.value if isinstance(other, Variable) else other
        if op is not operator.matmul:  # elementwise: a value of another shape failed inside JAX ("add got
            try:  # incompatible shapes for broadcasting") or grew the result, which the assignment then refused
                shape = tuple(other.shape) if hasattr(other, "shape") else tuple(np.shape(other))
            except (TypeError, ValueError):
                shape = None  # not an array (a ragged list): the operation names it
            own = tuple(self._value.shape)
            if shape is not None and not fits_shape(shape, own):
                raise ValueError(f"cannot combine a value of shape {shape} in place with {self._describe()}: give "
                                 "one value or one per element")
        self.value = op(self._value, other)
        return self

    return method


for _name, _op in [
    ("add", operator.add), ("sub", operator.sub), ("mul", operator.mul), ("truediv", operator.truediv),
    ("floordiv", operator.floordiv), ("mod", operator.mod), ("pow", operator.pow),
    ("matmul", operator.matmul), ("and", operator.and_), ("or", operator.or_), ("xor", operator.xor),
    ("lshift", operator.lshift), ("rshift", operator.rshift),
]:
    setattr(Variable, f"__i{_name}__", _inplace(_op))
def _array_method(name: str) -> Callable[..., Any]:
    def method(self: Variable, *args: Any, **kwargs: Any) -> Any:
        return getattr(self._value, name)(*args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"The value's ``{name}`` (a new array; the Variable is unchanged), as a BrainPy Variable has it."
    return method


# A BrainPy Variable is an array (``w.flatten()``, ``V.mean()``, ``V.astype(float)``): the value's methods,
# read-only, so ported scripts run; writing stays ``V.value = ...`` / ``V[...] = ...``
for _name in ("flatten", "ravel", "reshape", "squeeze", "transpose", "astype", "copy", "sum", "mean", "max", "min",
              "prod", "std", "var", "any", "all", "argmax", "argmin", "cumsum", "clip", "round", "dot", "tolist",
              "item", "nonzero", "conj"):
    setattr(Variable, _name, _array_method(_name))
setattr(Variable, "T", property(lambda self: self._value.T, doc="The value transposed."))
setattr(Variable, "__neg__", lambda self: -self._value)
setattr(Variable, "__invert__", lambda self: ~self._value)
setattr(Variable, "__abs__", lambda self: abs(self._value))


def _flatten(var: Variable) -> tuple[tuple, tuple]:
    return (var._value,), (var.batch_axis, var.dims, var.units, var.description)


def _from_user_code() -> bool:
    """Whether the assignment being made comes from code outside brainbatch's own modules."""
    frame: FrameType | None = sys._getframe(2)
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        frame = frame.f_back
    module = "" if frame is None else str(frame.f_globals.get("__name__", ""))
    return not module.startswith("brainbatch.") or module.startswith("brainbatch.brainpy")


def edited_by_user(var: Variable) -> bool:
    """Whether user code assigned ``var`` (``V[:] = x``, ``V.value = x``, ``V += x``) outside a transform
    since it was made or since ``clear_edited``: the Runner keeps such values at the first run."""
    return getattr(var, "_edited", False)


def clear_edited(var: Variable) -> None:
    var._edited = False


def _unflatten(cls: type[Variable], aux: tuple, leaves: Any) -> Variable:
    # JAX may rebuild with tracers, placeholders or None: build the slot without checks. The copy
    # counts as created now, so no transform guards it.
    var = object.__new__(cls)
    var._value, = leaves
    var.batch_axis, var.dims, var.units, var.description = aux
    var._owner = None
    var._serial = next(_SERIAL)
    var._edited = False
    return var


jax.tree_util.register_pytree_node(Variable, _flatten, functools.partial(_unflatten, Variable))


class TrainVar(Variable):
    """A trainable Variable (weights of a readout). ``train_vars()`` collects these."""

    __slots__ = ()


# Variables that are a pure function of the run's seed (connectivity drawn at reset) and that a store
# need not keep: a resume draws them again from the seed. Kept outside the Variable (it has __slots__).
_SEEDED: "weakref.WeakValueDictionary[int, Variable]" = weakref.WeakValueDictionary()


def mark_seeded(var: Variable) -> Variable:
    """Declare ``var`` redrawn from the seed at every reset: stores do not save it (docs/store.md).

    >>> v = mark_seeded(Variable(jnp.zeros(3))); is_seeded(v), is_seeded(Variable(jnp.zeros(3)))
    (True, False)
    """
    _SEEDED[id(var)] = var
    return var


def is_seeded(var: Any) -> bool:
    """Whether ``var`` was declared with ``mark_seeded``."""
    return _SEEDED.get(id(var)) is var


#: the record kinds a store's readers know (docs/store.md): a kind one slip from these is a typo
KNOWN_KINDS = ("spikes", "values", "weights")


def check_kind(kind: Any) -> Any:
    """A record's ``kind``: None or a non-empty string; one a slip from a known kind (its letter case, a letter
    retyped, two swapped or one left out) is refused: ``'spike'`` would label a raster that ``ds.bb`` never counts
    as one. Other kinds are the user's own (``'spikes_E'``, ``'rates'``).

    >>> check_kind("spikes"), check_kind("spikes_E"), check_kind(None)
    ('spikes', 'spikes_E', None)
    """
    if kind is not None and (not isinstance(kind, str) or not kind):
        raise ValueError(f"kind must be a non-empty string (e.g. 'spikes') or None, got {kind!r}")
    if kind is not None and kind not in KNOWN_KINDS:
        slipped = [k for k in KNOWN_KINDS if _slip_of(kind.lower(), k)]
        if slipped:
            raise ValueError(f"kind {kind!r} is not one readers know ({', '.join(KNOWN_KINDS)}). "
                             f"Did you mean {slipped[0]!r}?")
    return kind


def _slip_of(typed: str, known: str) -> bool:
    """Whether ``typed`` is ``known`` but for one slip: itself, a letter retyped, two neighbours swapped, or a
    letter left out."""
    if len(typed) == len(known) - 1:
        return any(known[:k] + known[k + 1:] == typed for k in range(len(known)))
    return typed == known or one_slip(typed, known)


# Variables that every reset makes anew without reading the old value (connectivity drawn at reset):
# a fresh run may drop their values before it draws new ones, so the old and the new are never held
# together (a full-scale table is GBs). Kept outside the Variable, as _SEEDED.
_REDRAWN: "weakref.WeakValueDictionary[int, Variable]" = weakref.WeakValueDictionary()


def mark_redrawn(var: Variable) -> Variable:
    """Declare that every reset makes ``var`` anew without reading its old value.

    >>> v = mark_redrawn(Variable(jnp.zeros(3))); is_redrawn(v), is_redrawn(Variable(jnp.zeros(3)))
    (True, False)
    """
    _REDRAWN[id(var)] = var
    return var


def is_redrawn(var: Any) -> bool:
    """Whether ``var`` was declared with ``mark_redrawn``."""
    return _REDRAWN.get(id(var)) is var


# Variables holding a step index of the run's clock (``share.i``): runners move them between their own
# count and the count from the end of the last run (run/runner.py, ``shift_step_indices``). Kept
# outside the Variable, as _REDRAWN.
_STEP_INDICES: "weakref.WeakValueDictionary[int, Variable]" = weakref.WeakValueDictionary()


#: a step index meaning "none yet" (no spike so far): far enough back for any refractory period or
#: pulse, and ``i - NO_STEP`` stays inside int32 for runs of up to 2^30 steps
NO_STEP = -(2**30)


def mark_step_index(var: Variable) -> Variable:
    """Declare that ``var`` holds step indices of the run's clock (``share.i``, e.g. the step of a neuron's
    last spike): between runs a Runner keeps them counted from the end of the last run, and moves them onto
    its own count when it goes on (run/runner.py, ``shift_step_indices``). Values ``<= NO_STEP`` mean "none
    yet" and stay as they are.

    >>> v = mark_step_index(Variable(jnp.zeros(3, jnp.int32))); is_step_index(v), is_step_index(Variable(3))
    (True, False)
    """
    _STEP_INDICES[id(var)] = var
    return var


def is_step_index(var: Any) -> bool:
    """Whether ``var`` was declared with ``mark_step_index``."""
    return _STEP_INDICES.get(id(var)) is var


def release_value(var: Variable) -> None:
    """Drop ``var``'s value and keep only its shape and dtype (a ``jax.ShapeDtypeStruct``), for a value
    about to be made anew: its memory is freed now (unless something else holds the array), not after
    the new one exists. Reading it before then gives the ``ShapeDtypeStruct``, which no operation takes.

    >>> v = Variable(jnp.zeros((2, 3))); release_value(v); v.shape, isinstance(v.value, jax.Array)
    ((2, 3), False)
    """
    value = var._value
    var._value = jax.ShapeDtypeStruct(value.shape, value.dtype)
