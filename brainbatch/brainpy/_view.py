"""BrainPy's group views: ``N[:3200]``, one contiguous block of a neuron group's neurons, with no state of its own.

A ``GroupView`` has the part's ``size``/``num``/``varshape``; its per-neuron Variables (``view.V``, ``view.spike``)
are ``VariableView``s, which read the part of the parent's Variable and write into it. Projections take a view
as ``pre`` (they read the part of the parent's spikes, and of the parent's delay buffer) or ``post`` (their
inputs are registered on the parent, each placed on the part's neurons, zero elsewhere), so stores, resets,
batches and delays are the parent's. Models without views never meet any of this: a view changes only the
projections given one. The view's numbers are those of the same model written as one group per part.
"""
from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np

from ..core import NeuGroup
from ..core.checks import is_traced
from ..core.node import updated_in_this_step
from ..core.variable import Variable, _as_array

__all__ = ["GroupView", "VariableView", "view_of", "ViewDelays", "ViewEnds", "monitor_target", "view_input",
           "updated"]

#: where a parent keeps its views (one object per block: N[:3200] is N[:3200], so a projection from a part onto
#: itself sees pre is post, as a projection of one group does)
_VIEWS = "_bb_views"


def _index_error(group: Any, index: Any, why: str) -> Exception:
    return IndexError(f"{group.name}[{_show(index)}]: {why}")


def _show(index: Any) -> str:
    if isinstance(index, slice):
        parts = ["" if v is None else repr(v) for v in (index.start, index.stop)]
        return ":".join(parts) + ("" if index.step is None else f":{index.step!r}")
    if isinstance(index, tuple):
        return ", ".join(_show(i) for i in index)
    return repr(index)


def _block(group: Any, index: Any) -> tuple[int, int]:
    """``index`` as the block ``[start, stop)`` of the group's first variable axis, or an error naming it."""
    n = int(group.varshape[0])
    if isinstance(index, tuple):
        rest = index[1:]
        if len(index) > len(group.varshape):
            raise _index_error(group, index, f"{len(index)} indices for a group whose variables have shape "
                                             f"{tuple(group.varshape)}")
        if any(not (isinstance(i, slice) and i == slice(None)) for i in rest):
            raise _index_error(group, index, "a view selects whole rows of the group's first axis: index only "
                                             "the first axis (N[2:5]), or make one group per part")
        index = index[0] if index else slice(None)
    if is_traced(index):
        raise _index_error(group, index, "a view's neurons must be concrete numbers, not traced values")
    if isinstance(index, (bool, np.bool_)) or index is None or index is Ellipsis or isinstance(index, str):
        raise _index_error(group, index, "a view takes an integer or a slice (N[:3200], N[3200:])")
    if isinstance(index, (int, np.integer)):
        i = int(index)
        if not -n <= i < n:
            raise _index_error(group, index, f"index {i} is out of range for a group of {n} neurons "
                                             f"(0 to {n - 1}, or -{n} to -1)")
        i %= n
        return i, i + 1
    if isinstance(index, slice):
        for name in ("start", "stop", "step"):
            value = getattr(index, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, np.integer))):
                raise _index_error(group, index, f"the slice's {name} must be an integer, got {value!r}")
        if index.step not in (None, 1):
            raise _index_error(group, index, f"a view with a step ({index.step}) is not supported: a view here is "
                                             "one contiguous block of neurons, whose Variables are slices of the "
                                             "group's; make one group per part, or order the neurons so that each "
                                             "part is a block (N[:3200], N[3200:])")
        for name in ("start", "stop"):
            value = getattr(index, name)
            if value is not None and not -n <= int(value) <= n:
                raise _index_error(group, index, f"{name} {int(value)} is out of range for a group of {n} neurons "
                                                 f"(bounds from -{n} to {n})")
        start, stop, _ = index.indices(n)
        if stop <= start:
            raise _index_error(group, index, f"the view would hold no neuron (from {start} to {stop})")
        return start, stop
    raise _index_error(group, index, f"a view takes an integer or a slice of neurons (N[:3200]), not "
                                     f"{type(index).__name__}; index lists and masks are not supported (a view is "
                                     "one contiguous block): make one group per part")


def view_of(group: Any, index: Any) -> "GroupView":
    """``group[index]``: the view of that block of neurons (the same object for the same block)."""
    start, stop = _block(group, index)
    views = group.__dict__.get(_VIEWS)
    if views is None:
        views = {}
        object.__setattr__(group, _VIEWS, views)
    if (start, stop) not in views:
        views[(start, stop)] = GroupView(group, start, stop)
    return views[(start, stop)]


def _per_neuron(var: Any, varshape: tuple) -> bool:
    if not isinstance(var, Variable) or isinstance(var, VariableView):
        return False
    shape, k = tuple(var.shape), len(varshape)
    return len(shape) >= k and shape[len(shape) - k:] == tuple(varshape) and len(shape) - k <= 1


class GroupView(NeuGroup):
    """``N[start:stop]`` (BrainPy's ``DynView``): the neurons ``start`` to ``stop - 1`` of ``N``'s first variable axis.

    >>> import brainbatch.brainpy as bp
    >>> N = bp.dyn.LifRef(10)
    >>> E = N[:8]
    >>> E.num, E.varshape, E.V.shape, E is N[0:8]
    (8, (8,), (8,), True)
    """

    #: held as a model's attribute (self.E = self.N[:3200]) a view is no child of the model: its Variables are its
    #: parent's, and the parent is stepped (BrainPy's DynSysGroup skips views too)
    graph_child = False

    def __init__(self, target: Any, start: int, stop: int) -> None:
        size = (stop - start,) + tuple(target.varshape[1:])
        super().__init__(size, keep_size=target.keep_size, name="view", mode=target.mode)
        object.__setattr__(self, "_name", f"{target.name}[{start}:{stop}]")
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "stop", stop)
        # the parent's tables: an input, a before- or after-update registered on the part runs with the parent
        for table in ("_current_inputs", "_delta_inputs", "_before_updates", "_after_updates"):
            object.__setattr__(self, table, target.__dict__[table])
        self._view_vars()

    def _view_vars(self) -> None:
        for key, var in list(vars(self.target).items()):
            if not key.startswith("_") and key not in self.__dict__ and _per_neuron(var, self.target.varshape):
                object.__setattr__(self, key, VariableView(var, self))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or "target" not in self.__dict__:
            raise AttributeError(name)
        target = self.__dict__["target"]
        if name == "current_units":
            return getattr(target, name)
        var = target.__dict__.get(name)
        if isinstance(var, Variable) and _per_neuron(var, target.varshape):
            self._view_vars()
            return self.__dict__[name]
        if isinstance(var, Variable):
            raise AttributeError(f"{self.name}: {target.name}.{name} (shape {tuple(var.shape)}) does not hold one value "
                                 f"per neuron, so the view has no part of it; read it on {target.name}")
        raise AttributeError(f"{self.name} (a view of {target.name}) has no attribute {name!r}: a view has the part "
                             f"of each per-neuron Variable of {target.name} (as BrainPy's DynView); read "
                             f"parameters on {target.name}")

    def __setattr__(self, key: str, value: Any) -> None:
        held = self.__dict__.get(key)
        if isinstance(held, VariableView):  # BrainPy's DynView: view.V = x writes the part of the parent's V
            if value is not held:
                held.value = value
            return
        super().__setattr__(key, value)

    def __repr__(self) -> str:
        return f"{self.name} (a view of {type(self.target).__name__} {self.target.name!r}: {self.num} neurons)"

    def __getitem__(self, index: Any) -> Any:
        raise TypeError(f"{self.name}[{_show(index)}]: a view of a view is not supported (BrainPy's has no "
                        f"Variables); take the block from the group itself, e.g. {self.target.name}[a:b]")

    # -- the part within the parent -------------------------------------------------------------
    def take(self, x: Any) -> Any:
        """The part of ``x``, an array ending with the parent's variable shape (any batch axes before it)."""
        return x[(Ellipsis, slice(self.start, self.stop)) + (slice(None),) * (len(self.varshape) - 1)]

    def place(self, x: Any, batch: tuple = ()) -> Any:
        """``x`` (the part's values, with ``batch`` axes, or a number) within zeros shaped like the parent's."""
        x = jnp.asarray(x)
        k = len(self.varshape)
        if x.ndim < k or tuple(x.shape[x.ndim - k:]) != tuple(self.varshape):
            x = jnp.broadcast_to(x, tuple(batch) + tuple(self.varshape))
        n = int(self.target.varshape[0])
        pad = [(0, 0)] * (x.ndim - k) + [(self.start, n - self.stop)] + [(0, 0)] * (k - 1)
        return jnp.pad(x, pad)

    def place_numpy(self, x: Any, fill: float, rows: bool = False) -> np.ndarray:
        """``x`` (a number or the part's values; with ``rows``, one of those per leading row) within ``fill``,
        shaped like the parent's variables."""
        x = np.asarray(x)
        k = len(self.varshape)
        own = x.ndim >= k and x.shape[x.ndim - k:] == tuple(self.varshape)
        lead = x.shape[:x.ndim - k] if own else (x.shape[:1] if rows and x.ndim else ())
        if not own:
            x = np.broadcast_to(x.reshape(lead + (1,) * k) if lead else x, lead + tuple(self.varshape))
        full = np.full(lead + tuple(self.target.varshape), fill, dtype=np.result_type(x.dtype, np.float32))
        full[(Ellipsis, slice(self.start, self.stop)) + (slice(None),) * (k - 1)] = x
        return full

    # -- what projections call on a group -------------------------------------------------------
    def add_inp_fun(self, key: str, fun: Any, label: str | None = None, category: str = "current") -> None:
        """Register an input on the parent, its value placed on the part's neurons (zero on the others)."""
        self.target.add_inp_fun(key, _Placed(self, fun), label=label, category=category)

    def update(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(f"{self.name} is a view of {self.target.name}: it cannot be updated; update its parent "
                        f"{self.target.name} (as BrainPy's DynView)")

    def reset_state(self, batch_size: int | None = None) -> None:
        # no graph lists a view as a child (graph_child), so only a direct call reaches here
        raise TypeError(f"{self.name} is a view of {self.target.name}: it has no state of its own; reset its parent "
                        f"{self.target.name}")

    def clear_input(self, *args: Any, **kwargs: Any) -> None:
        """Nothing to clear: the parent clears its own inputs."""


class _Placed:
    """An input function of a view's projection, as registered on the parent: its arguments (``V``...) are the
    part's, its value is placed on the part's neurons."""

    def __init__(self, view: GroupView, fun: Any) -> None:
        self.view, self.fun = view, fun

    @property
    def __self__(self) -> Any:  # the projection (core/base.py reads returns_what_it_sends there)
        return getattr(self.fun, "__self__", None)

    def _part(self, x: Any) -> Any:
        x = x.value if isinstance(x, Variable) else x
        shape, k = tuple(getattr(x, "shape", ())), len(self.view.target.varshape)
        return self.view.take(x) if len(shape) >= k and shape[len(shape) - k:] == tuple(self.view.target.varshape) else x

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        args = tuple(self._part(a) for a in args)
        kwargs = {k: self._part(v) for k, v in kwargs.items()}
        fun = self.fun
        out = fun(*args, **kwargs) if callable(fun) and not isinstance(fun, Variable) else fun
        out = out.value if isinstance(out, Variable) else out
        first: Any = args[0] if args else None
        k = len(self.view.varshape)
        batch = tuple(first.shape[:first.ndim - k]) if hasattr(first, "ndim") and first.ndim >= k else ()
        return self.view.place(out, batch)


class VariableView(Variable):
    """The part of a parent Variable that a view sees: reading gives the part, writing (``.value``, ``[...] =``,
    ``+=``) changes those elements of the parent's Variable. It holds no value of its own."""

    __slots__ = ("base", "view")

    def __init__(self, base: Variable, view: GroupView) -> None:  # noqa: D107 - no value of its own: no Variable.__init__
        self.base, self.view = base, view
        self.batch_axis, self._owner, self.dims = base.batch_axis, base._owner, base.dims
        self.units, self.description, self.kind = base.units, base.description, base.kind
        self._serial, self._edited = base._serial, False

    @property
    def _value(self) -> Any:
        return self.view.take(self.base._value)

    @_value.setter
    def _value(self, new: Any) -> None:
        self.base._value = self.base._value.at[self._where()].set(new)

    def _where(self) -> tuple:
        return (Ellipsis, slice(self.view.start, self.view.stop)) + (slice(None),) * (len(self.view.varshape) - 1)

    @property
    def value(self) -> Any:
        return self._value

    @value.setter
    def value(self, new: Any) -> None:
        arr = _as_array(new, lambda: f"the value assigned to {self!r}")
        part = self._value
        if tuple(arr.shape) != tuple(part.shape):
            raise ValueError(f"cannot assign a value of shape {tuple(arr.shape)} to {self!r}, of shape "
                             f"{tuple(part.shape)}")
        if (arr.dtype == jnp.bool_) != (part.dtype == jnp.bool_):
            raise TypeError(f"cannot assign dtype {arr.dtype} to {self!r} of dtype {part.dtype}")
        # the parent's own checks (a traced value in a transform that does not thread it, the user's edits)
        self.base.value = self.base._value.at[self._where()].set(arr.astype(part.dtype))

    def __repr__(self) -> str:
        name = next((k for k, v in vars(self.view).items() if v is self), "?")
        return f"{self.view.name}.{name} (shape={tuple(self.shape)}, dtype={self.dtype}, a view of {self.view.target.name}.{name})"


def updated(group: Any) -> bool:
    """``updated_in_this_step`` of a group, or of a view's parent."""
    return updated_in_this_step(group.target if isinstance(group, GroupView) else group)


class ViewDelays:
    """Mixin of projections (before the projection class): a delay of a view's Variable is a delay of the parent's
    (one buffer per Variable, on its owner, shared with every other reader of it), of which a read takes the part."""

    def register_delay(self, identifier: str, delay_step: Any, delay_target: Variable,
                       initial_delay_data: Any = None) -> Any:
        if isinstance(delay_target, VariableView):
            self.__dict__.setdefault("_view_delays", {})[identifier] = delay_target.view
            if initial_delay_data is not None and np.ndim(initial_delay_data) > 0:
                initial_delay_data = delay_target.view.place_numpy(initial_delay_data, 0.0)
            steps = delay_target.view.place_numpy(delay_step, 0).astype(np.int64) if np.ndim(delay_step) else delay_step
            super().register_delay(identifier, steps, delay_target.base, initial_delay_data)  # type: ignore[misc]
            return delay_step
        return super().register_delay(identifier, delay_step, delay_target, initial_delay_data)  # type: ignore[misc]

    def get_delay_data(self, identifier: str, delay_step: Any, *indices: Any) -> Any:
        view = self.__dict__.get("_view_delays", {}).get(identifier)
        if view is None:
            return super().get_delay_data(identifier, delay_step, *indices)  # type: ignore[misc]
        if delay_step is not None and np.ndim(delay_step):
            delay_step = view.place(jnp.asarray(delay_step)).astype(jnp.int32)
        out = view.take(super().get_delay_data(identifier, delay_step))  # type: ignore[misc]
        return out[indices] if indices else out


class ViewEnds(ViewDelays):
    """Mixin of brainbatch ``Projection``s of the BrainPy layer (before the class): ``pre`` and ``post`` may be
    views. Call ``bind_views()`` at the end of ``__init__``: the projection then holds the parents as its groups
    (the wiring check finds them in the network) and answers ``pre``/``post`` with the views."""

    def bind_views(self) -> None:
        views = {role: group for role in ("pre", "post")
                 if isinstance(group := self.__dict__.get(f"_{role}"), GroupView)}
        if views:
            object.__setattr__(self, "_views", views)
            for role, view in views.items():
                object.__setattr__(self, f"_{role}", view.target)

    @property
    def pre(self) -> Any:
        return self.__dict__.get("_views", {}).get("pre") or self.__dict__["_pre"]

    @property
    def post(self) -> Any:
        return self.__dict__.get("_views", {}).get("post") or self.__dict__["_post"]

    def spikes_sent(self) -> Any:
        proj: Any = self
        view = self.__dict__.get("_views", {}).get("pre")
        if view is None or proj._delay_ms is None:
            return super().spikes_sent()  # type: ignore[misc]
        # the parent's update, not the view's, tells whether this step's spikes are in already (docs/step-order.md)
        return proj.get_delay_data(proj._delay_id, proj._read_steps() - int(updated_in_this_step(view.target)))


def monitor_target(spec: Any, path_of: Any) -> Any:
    """A monitor given as a view's Variable: ``(parent path, slice of the part)``; anything else as it is."""
    if isinstance(spec, VariableView):
        return (path_of(spec.base), slice(spec.view.start, spec.view.stop))
    return spec


_IDENTITY = {"+": 0.0, "-": 0.0, "*": 1.0, "/": 1.0}


def view_input(item: tuple, path_of: Any) -> tuple:
    """A runner input ``(view.input, value, type, op)`` as an input of the parent's Variable: the value on the
    part, the operation's identity elsewhere (0 for ``+``/``-``, 1 for ``*``/``/``)."""
    var = item[0]
    kind = item[2] if len(item) >= 3 else "fix"
    op = item[3] if len(item) >= 4 else "+"
    if op not in _IDENTITY:
        raise ValueError(f"input on {var!r} with operation {op!r}: an input on a view takes '+', '-', '*' or '/' "
                         f"(the parent's other neurons keep their value under those); for '=' give the whole "
                         f"{var.view.target.name} Variable a value")
    fill, view = _IDENTITY[op], var.view
    value = item[1]
    if kind == "func":
        fun = value

        def value(*args: Any) -> Any:
            part = jnp.broadcast_to(jnp.asarray(fun(*args), jnp.float32), view.varshape)
            return jnp.full(view.target.varshape, fill, jnp.float32).at[_block_index(view)].set(part)
    elif isinstance(value, Variable):
        value = view.place_numpy(value.value, fill, rows=kind == "iter")
    elif kind == "iter" and not isinstance(value, (np.ndarray, jnp.ndarray)):  # BrainPy orders lists after arrays
        value = list(view.place_numpy(np.asarray(value), fill, rows=True))
    else:
        value = view.place_numpy(value, fill, rows=kind == "iter")
    return (path_of(var.base), value) + tuple(item[2:])


def _block_index(view: GroupView) -> tuple:
    return (Ellipsis, slice(view.start, view.stop)) + (slice(None),) * (len(view.varshape) - 1)
