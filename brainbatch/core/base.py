"""``DynamicalSystem``: the node of a model graph (BrainPy's object API, stateful outside).

A node holds Variables and child nodes as attributes; ``update()`` reads and assigns
``self.V.value``. ``step_run(i)`` runs one whole step with the phases of docs/step-order.md. The transforms in
``transforms.py`` turn a graph into pure functions of ``{path: array}`` states.

The class is assembled from parts that each have their own file and never import this one:
``node.Node`` (name, mode, hooks and inputs tables, update phase; with ``graph.GraphNode`` for the
children and variables and ``pytree.PytreeNode`` for the pytree), ``delay_registry.DelayRegistry``
and ``state_io.StateMixin``. What is here: variables and reset, random streams, the step, hooks,
inputs, devices, ``tracing_variable`` and the training stubs.
"""
from __future__ import annotations

from typing import Any, Callable

import threading
import warnings
import weakref

import jax
import jax.numpy as jnp

from .checks import check_bool, check_int, is_traced
from .context import STEP_TIME, share
from .delay_registry import DelayRegistry
from .devices import resolve_device
from .errors import InputNotReadError, LateInputWarning, UnreadInputWarning, unknown_name_error
from .graph import assign_paths
from .initializers import draws_random, init_array
from .modes import BatchingMode, Mode
from .node import STEP_TOKEN, UPDATE_PHASES, Node, StepRecord, clear_inputs_seen
from .random import init_key as _init_key, step_key as _step_key
from .state_io import StateMixin
from .transforms import TRACE_CREATED, jit
from .units import accept_quantities
from .variable import Variable

__all__ = ["DynamicalSystem", "finish_step", "in_graph_reset", "reset_parts", "UPDATE_PHASES"]

_CATEGORIES = ("current", "delta")



#: per thread: how many graph resets (``DynamicalSystem.reset``) are under way, each visiting every node itself
_GRAPH_RESET = threading.local()


def in_graph_reset() -> bool:
    """Whether a reset of a whole graph (``net.reset()``, a run's initialisation) is under way in this thread: it
    calls every node's ``reset_state`` itself, so a node whose ``reset_state`` also resets its parts (a projection's
    synapse) leaves them to it then."""
    return getattr(_GRAPH_RESET, "depth", 0) > 0


def reset_parts(batch_size: int | None, *parts: Any) -> None:
    """From a node's ``reset_state``: its parts (a projection's synapse and output, nodes or None) start over too,
    unless a graph reset is under way, which visits each of them itself (``in_graph_reset``)."""
    if in_graph_reset():
        return
    for part in parts:
        if isinstance(part, Node):
            part.reset_state(batch_size)


class DynamicalSystem(DelayRegistry, StateMixin, Node):
    """Base class of every node: neuron groups, synapses, inputs, networks.

    Subclasses create Variables in ``__init__``/``reset_state`` and implement ``update()``.

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> class Counter(bb.DynamicalSystem):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.n = bb.Variable(jnp.zeros(()))
    ...     def update(self):
    ...         self.n.value += 1.0
    >>> c = Counter(); c.step_run(0); float(c.n.value)
    1.0
    """

    #: The unit of each physical constructor parameter (docs/units.md), e.g. ``{"tau": u.ms}``: a
    #: quantity given for one is converted once at construction, a bare number is read in that unit.
    param_units: dict[str, Any] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        accept_quantities(cls)

    # -- variables and reset ---------------------------------------------------------------------
    def get_batch_shape(self, batch_size: int | None = None) -> tuple[int, ...]:
        """``(batch_size,)`` in batching mode (or when given), ``()`` otherwise."""
        if batch_size is None:
            return (self.mode.batch_size,) if isinstance(self.mode, BatchingMode) else ()
        return (check_int("batch_size", batch_size, minimum=1, allowed="None or an integer >= 1"),)

    def init_variable(self, name: str, init: Any, shape: Any = None, batch_size: int | None = None,
                      dtype: Any = jnp.float32, var_cls: type = Variable, *, dims: tuple[str, ...] | None = None,
                      units: str = "", description: str = "", batched: bool = True,
                      kind: str | None = None) -> Variable:
        """Create, or refill in place, the Variable ``self.<name>``.

        Refilling keeps the Variable object, so references to it (``PoissonInput(target_var=...)``)
        stay valid when ``reset_state`` changes the batch size. ``batched=False`` makes a variable
        without a batch axis in every mode (connectivity, weights: shared by the rows of a batch).

        >>> import brainbatch as bb
        >>> g = bb.NeuGroup(3, mode=bb.BatchingMode(2))
        >>> g.init_variable("V", 0.0).shape, g.init_variable("w", 1.0, shape=(4,), batched=False).shape
        ((2, 3), (4,))
        """
        shape = tuple(getattr(self, "varshape", ()) if shape is None else shape)
        check_bool("batched", batched)
        if not batched and batch_size is not None:
            raise ValueError(f"init_variable({name!r}): batched=False makes no batch axis; batch_size must be None")
        batch = self.get_batch_shape(batch_size) if batched else ()
        # a key only where the init draws: each is a hash in the traced init program (compile time)
        key = self.init_key(name) if draws_random(init) else None
        value = init_array(init, batch + shape, dtype, key=key)
        if dims is None and shape == tuple(getattr(self, "varshape", ())) and hasattr(self, "dims"):
            dims = self.dims
        existing = self.__dict__.get(name)
        if isinstance(existing, Variable):
            existing._value = value
            existing.batch_axis = 0 if batch else None
            existing.dims, existing.units = dims or existing.dims, units or existing.units
            existing.description = description or existing.description
            existing.kind = kind or existing.kind
            return existing
        var = var_cls(value, batch_axis=0 if batch else None, dims=dims, units=units, description=description,
                      kind=kind)
        setattr(self, name, var)
        return var

    def reset(self, batch_size: int | None = None) -> None:
        """Re-create every variable of the graph (each node's ``reset_state`` runs once)."""
        if batch_size is not None:  # checked once for the graph: a BrainPy-style reset_state(batch_size) took True
            # as a batch of 1 and 0 as none (bp.init.variable_), while the built-in nodes refused both
            check_int("batch_size", batch_size, minimum=1, allowed="None or an integer >= 1")
        assign_paths(self)  # initial values are drawn from streams keyed by path under this root
        self.reset_nodes(batch_size)

    def reset_nodes(self, batch_size: int | None = None) -> None:
        """``reset`` of the nodes under this one (itself included) with the paths they have: each node's
        ``reset_state`` once, as a graph reset (``in_graph_reset()`` is true meanwhile, so a node's parts are left
        to the loop: ``reset_parts``). A part of a larger graph resets its own nodes by this (the BrainPy layer's
        ``net.sub.reset_state()``), its paths, which seed their streams, left as the graph gave them."""
        base = Node.reset_state
        _GRAPH_RESET.depth = getattr(_GRAPH_RESET, "depth", 0) + 1
        try:
            for node in self.nodes().values():
                if type(node).reset_state is not base:
                    # None: each node's own mode's batch. A BrainPy-style reset_state(self, batch_size=None) passes
                    # its argument on (bp.init.variable_(..., batch_size)), where None means no batch axis
                    mode = getattr(node, "mode", None)
                    node.reset_state(mode.batch_size if batch_size is None and isinstance(mode, BatchingMode)
                                     else batch_size)
        finally:
            _GRAPH_RESET.depth -= 1
        self.reset_local_delays()

    def declare_init_check(self, var_name: str, message: str) -> None:
        """Declare the bool Variable ``self.<var_name>`` a validity flag checked after initialisation.

        If any element is True once the model is reset (in any run of a batch), the runner stops
        with ``message`` rather than simulate an invalid model (e.g. a connectivity row that needed
        more synapses than its static bound).
        """
        if not isinstance(var_name, str) or not isinstance(message, str):
            raise TypeError(f"declare_init_check takes a variable name and a message, got {var_name!r}, {message!r}")
        self.__dict__.setdefault("_init_checks", {})[var_name] = message

    # -- random streams --------------------------------------------------------------------------
    def step_key(self, i: Any = None) -> jax.Array:
        """This node's key for step ``i`` (default: the current step), from the run key and its path."""
        return _step_key(self._path, i)

    def init_key(self, tag: str = "", seed: Any = None) -> jax.Array:
        """This node's key for initial values / connectivity (``tag`` separates independent uses); with
        ``seed`` (a projection's ``graph_seed``) from that seed instead of the run's (docs/random.md)."""
        return _init_key(self._path, tag, seed)

    # -- stepping --------------------------------------------------------------------------------
    def step_run(self, i: Any, *args: Any, **kwargs: Any) -> Any:
        """Run step ``i``: set ``share.i``/``share.t``, update (phases 1-3), then phase 4 for the graph.

        The step context holds ``i``/``t`` only during the step (so a traced ``i`` never outlives it);
        every node's random stream is keyed by its path under this node. A runner that computed the
        step's ``t`` already (``context.STEP_TIME``) has it used as given.
        """
        assign_paths(self)
        snap = share.snapshot()
        try:
            given = share.load(STEP_TIME, None)
            t = share.t0 + i * share.dt if given is None else given
            share.save(i=i, t=t, **{STEP_TIME: None, STEP_TOKEN: StepRecord()})
            out = self(*args, **kwargs)
            finish_step(self)
        finally:
            share.restore(snap)
        return out

    def jit_step_run(self, i: Any, *args: Any, **kwargs: Any) -> Any:
        """``step_run`` compiled with ``brainbatch.jit`` (cached per node)."""
        fn = self.__dict__.get("_jit_step")
        if fn is None:
            fn = jit(self.step_run, dyn_vars=self)
            object.__setattr__(self, "_jit_step", fn)
        return fn(i, *args, **kwargs)

    # -- hooks -----------------------------------------------------------------------------------
    @property
    def before_updates(self) -> dict[str, Callable]:
        return self._before_updates

    @property
    def after_updates(self) -> dict[str, Callable]:
        return self._after_updates

    def add_bef_update(self, key: Any, fun: Callable) -> None:
        """Run ``fun()`` right before this node's ``update``."""
        _add_unique(self._before_updates, key, fun, "before-update")

    def add_aft_update(self, key: Any, fun: Callable) -> None:
        """Run ``fun()`` after all updates of the step (phase 4), before delays record."""
        _add_unique(self._after_updates, key, fun, "after-update")

    def get_bef_update(self, key: Any) -> Callable:
        return _get(self._before_updates, key, "before-update")

    def get_aft_update(self, key: Any) -> Callable:
        return _get(self._after_updates, key, "after-update")

    def has_bef_update(self, key: Any) -> bool:
        return key in self._before_updates

    def has_aft_update(self, key: Any) -> bool:
        return key in self._after_updates

    # -- inputs ----------------------------------------------------------------------------------
    @property
    def current_inputs(self) -> dict[str, Any]:
        """The current inputs by key. Reading the table in a step counts as reading them (the node sums
        them itself, e.g. in closed form), for the check of ``finish_step``."""
        _mark_read(self, self._current_inputs)
        return self._current_inputs

    @property
    def delta_inputs(self) -> dict[str, Any]:
        _mark_read(self, self._delta_inputs)
        return self._delta_inputs

    @property
    def cur_inputs(self) -> dict[str, Any]:
        return self.current_inputs

    def discard_inputs(self) -> None:
        """Say that this step's registered inputs are deliberately unused (a group replaying a raster, a
        probe): without it, an input this node's update never reads is an ``InputNotReadError``."""
        _mark_read(self, self._current_inputs)
        _mark_read(self, self._delta_inputs)

    def add_inp_fun(self, key: str, fun: Any, label: str | None = None, category: str = "current") -> None:
        """Register an input: ``fun(*args)`` (or a value) summed by ``sum_current_inputs``/``sum_delta_inputs``."""
        if category not in _CATEGORIES:
            raise ValueError(f"category must be one of {_CATEGORIES}, got {category!r}")
        if not isinstance(key, str):
            raise TypeError(f"input key must be a string, got {key!r}")
        full = key if label is None else f"{label} // {key}"
        table = self._current_inputs if category == "current" else self._delta_inputs
        if full in self._current_inputs or full in self._delta_inputs:
            raise KeyError(f"an input with key {full!r} is already registered on {self.name}")
        table[full] = fun

    def get_inp_fun(self, key: str) -> Any:
        """The input registered under ``key`` (current or delta)."""
        for table in (self._current_inputs, self._delta_inputs):
            if key in table:
                return table[key]
        raise unknown_name_error("input", key, list(self._current_inputs) + list(self._delta_inputs))

    def sum_current_inputs(self, *args: Any, init: Any = 0.0, label: str | None = None, **kwargs: Any) -> Any:
        """Sum of current inputs (all, or those registered with ``label``), evaluated with ``args``."""
        return _sum_inputs(self, self._current_inputs, init, label, args, kwargs)

    def sum_delta_inputs(self, *args: Any, init: Any = 0.0, label: str | None = None, **kwargs: Any) -> Any:
        """Sum of delta inputs (added right after integration)."""
        return _sum_inputs(self, self._delta_inputs, init, label, args, kwargs)

    sum_inputs = sum_current_inputs

    # -- devices ---------------------------------------------------------------------------------
    def to(self, device: Any) -> "DynamicalSystem":
        """Move every variable to ``device`` (a jax Device, ``"cpu"``, ``"cpu:1"``, ``"gpu"``...)."""
        dev = resolve_device(device)
        for var in self.vars().values():
            var._value = jax.device_put(var._value, dev)
        return self

    def cpu(self) -> "DynamicalSystem":
        return self.to("cpu")

    def cuda(self) -> "DynamicalSystem":
        return self.to("gpu")

    def tpu(self) -> "DynamicalSystem":
        return self.to("tpu")

    def tracing_variable(self, name: str, init: Any, shape: Any, batch_or_mode: Any = None) -> Variable:
        """Return ``self.<name>``, creating it from ``init`` the first time (usable while tracing)."""
        existing = self.__dict__.get(name)
        if isinstance(existing, Variable):
            return existing
        if isinstance(batch_or_mode, Mode):
            batch = batch_or_mode.batch_size if isinstance(batch_or_mode, BatchingMode) else None
        else:
            batch = batch_or_mode
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        with jax.ensure_compile_time_eval():  # a constant init stays concrete even mid-trace
            arr = init_array(init, self.get_batch_shape(batch) + shape, key=self.init_key(name))
        if is_traced(arr):
            raise ValueError(
                f"tracing_variable {name!r}: init {init!r} gave a traced value; use a constant or an array "
                "(or create the variable in reset_state)"
            )
        var = Variable(arr, batch_axis=0 if batch else None)
        var._owner = weakref.ref(self)  # made here on purpose, mid-step: not refused as a new Variable in update
        setattr(self, name, var)
        if TRACE_CREATED:  # a transform is tracing: it restores the value and re-runs with the new variable
            TRACE_CREATED[-1].append((var, arr))
        return var

    # -- training --------------------------------------------------------------------------------
    def _not_trainable(self, what: str) -> NotImplementedError:
        trainable = sorted({p.rpartition(".")[0] or "<self>" for p in self.train_vars()})
        where = f"trainable nodes under it: {trainable}" if trainable else "it has no trainable nodes"
        return NotImplementedError(
            f"{what} is not defined for {type(self).__name__} {self.name!r}; {where}. "
            "Fit a readout such as brainbatch.Dense instead."
        )

    def offline_init(self) -> None:
        raise self._not_trainable("offline_init")

    def offline_fit(self, target: Any, fit_record: Any) -> None:
        raise self._not_trainable("offline_fit")

    def online_init(self) -> None:
        raise self._not_trainable("online_init")

    def online_fit(self, target: Any, fit_record: Any) -> None:
        raise self._not_trainable("online_fit")


def finish_step(root: DynamicalSystem) -> None:
    """Phase 4 of a step for the graph under ``root``: after-update hooks, delays record, inputs clear.

    A node whose ``update`` ran in this step cleared its inputs when it returned (``node._consuming``);
    what was written into its ``input`` since then stays for the next step (with a
    ``LateInputWarning``), so no input is ever zeroed unread. Any other node clears here. An input
    registered with ``add_inp_fun`` that the node's update never summed is an ``InputNotReadError``.
    """
    record = share.load(STEP_TOKEN, None)
    nodes = list(root.nodes().values())
    for node in nodes:
        for hook in node._after_updates.values():
            hook()
    root.update_local_delays(nodes)
    for node in nodes:
        if record is None or id(node) not in record.consumed:
            if record is not None:
                _check_inputs_read(node, record, updated=False)
            clear_inputs_seen(node)
            continue
        _check_inputs_read(node, record, updated=True)
        inp, cleared = node.__dict__.get("input"), record.consumed[id(node)]
        if isinstance(inp, Variable) and cleared is not None and inp._value is not cleared:
            warnings.warn(f"{node.name} ({node._path or 'root'}): its 'input' was written after its update ran in "
                          "this step, so it takes effect in the next step (one step later). To deliver within the "
                          "step, make the writer a projection: update_phase = 'deliver' (bb.Projection, "
                          "bp.Projection, bp.synapses.TwoEndConn), which runs before the neuron groups "
                          "(docs/step-order.md).", LateInputWarning, stacklevel=2)


def _check_inputs_read(node: DynamicalSystem, record: StepRecord, updated: bool) -> None:
    registered = list(node._current_inputs) + list(node._delta_inputs)
    if not registered:
        return
    read = record.read.get(id(node), ())
    missing = [k for k in registered if k not in read]
    if updated:
        # a projection whose update returns what it sends (BrainPy's half projections): a script may feed that return
        # value to the node's update(x) instead, as BrainPy's core-concept notebook does; BrainPy drops the unread
        # registered input, and so does this, with a warning (once per compile: this runs while the step is traced)
        tables = {**node._current_inputs, **node._delta_inputs}
        returned = [k for k in missing if getattr(getattr(tables[k], "__self__", None), "returns_what_it_sends", False)]
        if returned and len(returned) == len(missing):
            warnings.warn(f"{node.name} ({node._path or 'root'}): its update() never summed the inputs registered by "
                          f"{', '.join(returned)}, whose update returns what they send (used as update(x) here, as "
                          "BrainPy's scripts do): the registered inputs are dropped, as in BrainPy. If the neuron "
                          "should take them, add self.sum_current_inputs(V) in its update()",
                          UnreadInputWarning, stacklevel=2)
            return
    if not missing:
        return
    why = ("its update() never summed them" if updated else
           "its update() did not run in this step (is it part of the Network?)")
    raise InputNotReadError(
        f"{node.name} ({node._path or 'root'}) has inputs registered with add_inp_fun ({', '.join(missing)}) but "
        f"{why}, so they would be lost. In update(), add self.sum_current_inputs(V) to the current and "
        "self.sum_delta_inputs() to V after integrating (as brainbatch's neurons do); or, from the BrainPy "
        "layer, read self.input, where bp.synapses.* (output target_var='input') add their current.")


def _add_unique(table: dict, key: Any, fun: Any, kind: str) -> None:
    if key in table:
        raise KeyError(f"a {kind} hook with key {key!r} already exists")
    if not callable(fun):
        raise TypeError(f"a {kind} hook must be callable, got {fun!r}")
    table[key] = fun


def _get(table: dict, key: Any, kind: str) -> Any:
    if key not in table:
        raise unknown_name_error(f"{kind} hook", key, [str(k) for k in table])
    return table[key]


def _mark_read(node: DynamicalSystem, table: dict) -> None:
    record = share.load(STEP_TOKEN, None)
    if record is not None:
        record.read.setdefault(id(node), set()).update(table)


def _sum_inputs(node: DynamicalSystem, table: dict, init: Any, label: str | None, args: tuple, kwargs: dict) -> Any:
    prefix = None if label is None else f"{label} // "
    record = share.load(STEP_TOKEN, None)
    read = None if record is None else record.read.setdefault(id(node), set())
    total = init
    for key, fun in table.items():
        if prefix is not None and not key.startswith(prefix):
            continue
        if read is not None:
            read.add(key)
        value = fun(*args, **kwargs) if callable(fun) and not isinstance(fun, Variable) else fun
        total = total + (value.value if isinstance(value, Variable) else value)
    return total
