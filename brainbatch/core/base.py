"""``DynamicalSystem``: the node of a model graph (BrainPy's object API, stateful outside).

A node holds Variables and child nodes as attributes; ``update()`` reads and assigns
``self.V.value``. ``step_run(i)`` runs one whole step with the phases of docs/step-order.md. The transforms in
``transforms.py`` turn a graph into pure functions of ``{path: array}`` states.
"""
from __future__ import annotations

import warnings
import weakref
from collections import OrderedDict
from typing import Any, Callable

import jax
import jax.numpy as jnp

from . import graph, state_io
from ._checks import check_choice
from .context import share
from .devices import resolve_device
from .errors import unknown_name_error
from .initializers import init_array
from .modes import BatchingMode, Mode, NonBatchingMode, TrainingMode, normalize_mode
from .naming import unique_name as _unique_name
from .random import init_key as _init_key, step_key as _step_key
from .variable import _SERIAL, Variable

__all__ = ["DynamicalSystem"]

_CATEGORIES = ("current", "delta")
#: The phases of a step (docs/step-order.md): the only allowed values of ``update_phase``.
UPDATE_PHASES = ("deliver", "dynamics", "record")
#: One list per running transform: (variable, initial value) created by ``tracing_variable`` meanwhile.
TRACE_CREATED: list[list] = []


class DynamicalSystem:
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

    supported_modes: tuple[type, ...] = (NonBatchingMode, BatchingMode, TrainingMode)
    #: "deliver" nodes (projections, synapses, inputs) run before "dynamics" nodes in a step;
    #: "record" is the delay buffers' phase 4 (docs/step-order.md). Any other value is an error.
    update_phase: str = "dynamics"

    def __init__(self, name: str | None = None, mode: Mode | None = None):
        object.__setattr__(self, "_name_given", name is not None)
        object.__setattr__(self, "_name", _unique_name(name, type(self).__name__))
        self.mode = share.load("mode", None) if mode is None else mode  # bb.environment(mode=...)
        self.implicit_nodes: OrderedDict[str, DynamicalSystem] = OrderedDict()
        self.implicit_vars: OrderedDict[str, Variable] = OrderedDict()
        self._before_updates: OrderedDict[str, Callable] = OrderedDict()
        self._after_updates: OrderedDict[str, Callable] = OrderedDict()
        self._current_inputs: OrderedDict[str, Any] = OrderedDict()
        self._delta_inputs: OrderedDict[str, Any] = OrderedDict()
        self._delays: dict[str, tuple[Any, Variable]] = {}  # identifier -> (Delay node, target)
        self._path = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        phase = cls.__dict__.get("update_phase")
        if phase is not None and not isinstance(phase, property):
            check_choice(f"{cls.__name__}.update_phase", phase, UPDATE_PHASES)
        jax.tree_util.register_pytree_node(cls, _flatten, _unflatten)

    # -- attributes ------------------------------------------------------------------------------
    def __setattr__(self, key: str, value: Any) -> None:
        if key == "update_phase":
            check_choice(f"{type(self).__name__}.update_phase", value, UPDATE_PHASES)
        if isinstance(value, Variable) and value._owner is None:
            value._owner = weakref.ref(self)
        object.__setattr__(self, key, value)

    def setattr(self, key: str, value: Any) -> None:
        """Set an attribute (BrainPy spelling)."""
        setattr(self, key, value)

    @property
    def name(self) -> str:
        """Display name (never used as a storage key)."""
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        object.__setattr__(self, "_name", _unique_name(value))
        object.__setattr__(self, "_name_given", True)

    @property
    def mode(self) -> Mode:
        """The computing mode (non-batching, batching or training)."""
        return self._mode

    @mode.setter
    def mode(self, value) -> None:
        mode = normalize_mode(value)
        if not isinstance(mode, self.supported_modes):
            allowed = ", ".join(m.__name__ for m in self.supported_modes)
            raise NotImplementedError(f"{type(self).__name__} supports the modes {allowed}; got {mode!r}")
        object.__setattr__(self, "_mode", mode)

    def unique_name(self, name: str | None = None, type_: str | None = None) -> str:
        """A display name: ``name`` checked, or a fresh one for ``type_`` (default: this class)."""
        return _unique_name(name, type_ or type(self).__name__)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, mode={self.mode!r})"

    # -- the graph -------------------------------------------------------------------------------
    def nodes(self, method: str = "relative", level: int = -1, include_self: bool = True):
        """Ordered ``{path: node}``; relative paths like ``"E"``, ``"E.syn"``; self is ``""``."""
        return graph.collect_nodes(self, method, level, include_self)

    def vars(self, method: str = "relative", level: int = -1, include_self: bool = True):
        """Ordered ``{path: Variable}`` with paths like ``"E.V"``: the names used by monitors and stores."""
        return graph.collect_vars(self, method, level, include_self)

    def train_vars(self, method: str = "relative", level: int = -1, include_self: bool = True):
        """Like ``vars()``, trainable variables (``TrainVar``) only."""
        return graph.collect_vars(self, method, level, include_self, trainable_only=True)

    def register_implicit_nodes(self, *nodes, node_cls: type | None = None, **named_nodes) -> None:
        """Add children that are not attributes. Positional ones are keyed by their class and order."""
        node_cls = node_cls or DynamicalSystem
        for node in nodes:
            if isinstance(node, (list, tuple)):
                self.register_implicit_nodes(*node, node_cls=node_cls)
                continue
            if isinstance(node, dict):
                self.register_implicit_nodes(node_cls=node_cls, **node)
                continue
            if not isinstance(node, node_cls):
                raise TypeError(f"implicit node {node!r} must be a {node_cls.__name__}, got {type(node).__name__}")
            self.implicit_nodes[_positional_key(self.implicit_nodes, node)] = node
        for key, node in named_nodes.items():
            if not isinstance(node, node_cls):
                raise TypeError(f"implicit node {key!r} must be a {node_cls.__name__}, got {type(node).__name__}")
            self.implicit_nodes[key] = node

    def register_implicit_vars(self, *variables, var_cls: type | None = None, **named_vars) -> None:
        """Add variables that are not attributes. Positional ones are keyed ``var0``, ``var1``..."""
        var_cls = var_cls or Variable
        for var in variables:
            if isinstance(var, dict):
                self.register_implicit_vars(var_cls=var_cls, **var)
                continue
            if isinstance(var, (list, tuple)):
                self.register_implicit_vars(*var, var_cls=var_cls)
                continue
            self.register_implicit_vars(var_cls=var_cls, **{f"var{len(self.implicit_vars)}": var})
        for key, var in named_vars.items():
            if not isinstance(var, var_cls):
                raise TypeError(f"implicit variable {key!r} must be a {var_cls.__name__}, got {type(var).__name__}")
            if var._owner is None:
                var._owner = weakref.ref(self)
            self.implicit_vars[key] = var

    # -- variables and reset ---------------------------------------------------------------------
    def get_batch_shape(self, batch_size: int | None = None) -> tuple[int, ...]:
        """``(batch_size,)`` in batching mode (or when given), ``()`` otherwise."""
        if batch_size is None:
            return (self.mode.batch_size,) if isinstance(self.mode, BatchingMode) else ()
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be None or an integer >= 1, got {batch_size!r}")
        return (batch_size,)

    def init_variable(self, name: str, init: Any, shape=None, batch_size: int | None = None,
                      dtype=jnp.float32, var_cls: type = Variable, *, dims: tuple[str, ...] | None = None,
                      units: str = "", description: str = "", batched: bool = True) -> Variable:
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
        if not isinstance(batched, bool):
            raise TypeError(f"batched must be True or False, got {batched!r}")
        if not batched and batch_size is not None:
            raise ValueError(f"init_variable({name!r}): batched=False makes no batch axis; batch_size must be None")
        batch = self.get_batch_shape(batch_size) if batched else ()
        value = init_array(init, batch + shape, dtype, key=self.init_key(name))
        if dims is None and shape == tuple(getattr(self, "varshape", ())) and hasattr(self, "dims"):
            dims = self.dims
        existing = self.__dict__.get(name)
        if isinstance(existing, Variable):
            existing._value = value
            existing.batch_axis = 0 if batch else None
            existing.dims, existing.units = dims or existing.dims, units or existing.units
            existing.description = description or existing.description
            return existing
        var = var_cls(value, batch_axis=0 if batch else None, dims=dims, units=units, description=description)
        setattr(self, name, var)
        return var

    def reset_state(self, batch_size: int | None = None) -> None:
        """Re-create this node's variables. The default resets every direct child and own delays."""
        for _, child in graph.iter_attr_nodes(self):
            child.reset_state(batch_size)

    def reset(self, batch_size: int | None = None) -> None:
        """Re-create every variable of the graph (each node's ``reset_state`` runs once)."""
        base = DynamicalSystem.reset_state
        _assign_paths(self)  # initial values are drawn from streams keyed by path under this root
        for node in self.nodes().values():
            if type(node).reset_state is not base:
                node.reset_state(batch_size)
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
    def step_key(self, i=None) -> jax.Array:
        """This node's key for step ``i`` (default: the current step), from the run key and its path."""
        return _step_key(self._path, i)

    def init_key(self, tag: str = "") -> jax.Array:
        """This node's key for initial values / connectivity (``tag`` separates independent uses)."""
        return _init_key(self._path, tag)

    # -- stepping --------------------------------------------------------------------------------
    def update(self, *args, **kwargs):
        """One step of this node's dynamics. Subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} does not implement update()")

    def __call__(self, *args, **kwargs):
        for hook in self._before_updates.values():
            hook()
        return self.update(*args, **kwargs)

    def step_run(self, i, *args, **kwargs):
        """Run step ``i``: set ``share.i``/``share.t``, update (phases 1-3), then phase 4 for the graph.

        The step context holds ``i``/``t`` only during the step (so a traced ``i`` never outlives it);
        every node's random stream is keyed by its path under this node.
        """
        _assign_paths(self)
        snap = share.snapshot()
        try:
            share.save(i=i, t=share.t0 + i * share.dt)
            out = self(*args, **kwargs)
            finish_step(self)
        finally:
            share.restore(snap)
        return out

    def jit_step_run(self, i, *args, **kwargs):
        """``step_run`` compiled with ``brainbatch.jit`` (cached per node)."""
        from .transforms import jit

        fn = self.__dict__.get("_jit_step")
        if fn is None:
            fn = jit(self.step_run, dyn_vars=self)
            object.__setattr__(self, "_jit_step", fn)
        return fn(i, *args, **kwargs)

    def clear_input(self, *args, **kwargs) -> None:
        """Clear per-step inputs (no-op by default; neuron groups zero their ``input``)."""

    # -- hooks -----------------------------------------------------------------------------------
    @property
    def before_updates(self):
        return self._before_updates

    @property
    def after_updates(self):
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
    def current_inputs(self):
        return self._current_inputs

    @property
    def delta_inputs(self):
        return self._delta_inputs

    @property
    def cur_inputs(self):
        return self._current_inputs

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

    def get_inp_fun(self, key: str):
        """The input registered under ``key`` (current or delta)."""
        for table in (self._current_inputs, self._delta_inputs):
            if key in table:
                return table[key]
        raise unknown_name_error("input", key, list(self._current_inputs) + list(self._delta_inputs))

    def sum_current_inputs(self, *args, init: Any = 0.0, label: str | None = None, **kwargs):
        """Sum of current inputs (all, or those registered with ``label``), evaluated with ``args``."""
        return _sum_inputs(self._current_inputs, init, label, args, kwargs)

    def sum_delta_inputs(self, *args, init: Any = 0.0, label: str | None = None, **kwargs):
        """Sum of delta inputs (added right after integration)."""
        return _sum_inputs(self._delta_inputs, init, label, args, kwargs)

    sum_inputs = sum_current_inputs

    # -- delays ----------------------------------------------------------------------------------
    @property
    def registered_delays(self) -> dict:
        """``{identifier: (delay buffer, target)}`` of the delays registered on this node."""
        return self._delays

    @property
    def global_delay_data(self) -> dict:
        """Deprecated name of ``registered_delays`` (it was never global: it is per node)."""
        _deprecated("global_delay_data", "registered_delays")
        return self._delays

    def register_delay(self, identifier: str, delay_step, delay_target: Variable, initial_delay_data=None):
        """Keep a history of ``delay_target`` long enough for ``delay_step`` (int or per-element ints).

        Every delay of one variable shares one ring buffer held by the variable's owner.
        """
        from .delays import delay_of

        if not isinstance(identifier, str):
            raise TypeError(f"identifier must be a string, got {identifier!r}")
        if not isinstance(delay_target, Variable):
            raise TypeError(f"delay_target must be a Variable, got {type(delay_target).__name__}")
        delay = delay_of(delay_target, self, initial_delay_data)
        delay.register_steps(identifier, delay_step)
        self._delays[identifier] = (delay, delay_target)
        return delay_step

    def get_delay_data(self, identifier: str, delay_step, *indices):
        """The value of the registered target ``delay_step`` steps ago (the rule of docs/step-order.md)."""
        if identifier not in self._delays:
            raise unknown_name_error("delay", identifier, self._delays)
        delay, target = self._delays[identifier]
        if delay_step is None:
            out = target.value
        else:
            out = delay.retrieve_steps(delay_step)
        return out[indices] if indices else out

    def register_local_delay(self, var_name: str, delay_name: str, delay: Any = 0.0, *,
                             round_to_step: bool = False) -> None:
        """Register a delay of ``delay`` ms for this node's variable ``var_name`` under ``delay_name``.

        ``delay/dt`` must be an integer (within 1e-6) unless ``round_to_step=True``.
        """
        from .delays import delay_of

        var = self.__dict__.get(var_name)
        if not isinstance(var, Variable):
            own = [n for n, _ in graph.iter_attr_vars(self)]
            raise unknown_name_error(f"variable of {self.name}", var_name, own)
        delay_of(var, self, None).register_time(delay_name, delay, round_to_step=round_to_step)

    def get_local_delay(self, var_name: str, delay_name: str):
        """The delayed value registered with ``register_local_delay``."""
        return self.get_delay_buffer(var_name).retrieve(delay_name)

    def get_delay_var(self, name: str):
        """Deprecated name of ``get_delay_buffer`` (it returns the buffer node, not a Variable)."""
        _deprecated("get_delay_var", "get_delay_buffer")
        return self.get_delay_buffer(name)

    def get_delay_buffer(self, name: str):
        """The ring buffer (``Delay`` node) of this node's variable ``name``."""
        delays = self.__dict__.get("implicit_nodes", {})
        key = f"{name}_delay"
        if key not in delays:
            have = [k[: -len("_delay")] for k in delays if k.endswith("_delay")]
            raise unknown_name_error(f"delayed variable of {self.name}", name, have)
        return delays[key]

    def update_local_delays(self, nodes=None) -> None:
        """Record this step's values in the delay buffers of ``nodes`` (default: the whole graph)."""
        for delay in _delays_in(self, nodes):
            delay.update()

    def reset_local_delays(self, nodes=None) -> None:
        """Refill the delay buffers of ``nodes`` with their initial values."""
        for delay in _delays_in(self, nodes):
            delay.reset_state()

    # -- state -----------------------------------------------------------------------------------
    def state_dict(self) -> dict[str, jax.Array]:
        """``{path: value}`` of every variable, keyed by relative path (independent of build order)."""
        return {path: var.value for path, var in self.vars().items()}

    def load_state_dict(self, state_dict: dict, warn: bool = True, compatible: str = "v2"):
        """Copy values into the variables; returns ``(missing, unexpected)`` in that order."""
        return state_io.load_state_dict(self, state_dict, warn=warn, compatible=compatible)

    def save_state(self) -> dict[str, jax.Array]:
        """Same as ``state_dict()``."""
        return self.state_dict()

    def load_state(self, state_dict: dict, **kwargs):
        """Same as ``load_state_dict``."""
        return self.load_state_dict(state_dict, **kwargs)

    def save_states(self, filename: str, variables=None) -> None:
        """Save variables to ``.npz`` or ``.zarr`` (all, or the given paths / Variables)."""
        state_io.save_states(self, filename, variables)

    def load_states(self, filename: str, verbose: bool = False):
        """Load variables saved with ``save_states``; returns ``(missing, unexpected)``."""
        return state_io.load_states(self, filename, verbose)

    # -- devices ---------------------------------------------------------------------------------
    def to(self, device) -> "DynamicalSystem":
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

    # -- pytree ----------------------------------------------------------------------------------
    def tree_flatten(self):
        """Leaves: variable values in path order; aux: the graph. Unflatten gives a copy."""
        return _flatten(self)

    @classmethod
    def tree_unflatten(cls, aux, dynamic_values):
        return _unflatten(aux, dynamic_values)

    def tracing_variable(self, name: str, init, shape, batch_or_mode=None) -> Variable:
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
        if isinstance(arr, jax.core.Tracer):
            raise ValueError(
                f"tracing_variable {name!r}: init {init!r} gave a traced value; use a constant or an array "
                "(or create the variable in reset_state)"
            )
        var = Variable(arr, batch_axis=0 if batch else None)
        setattr(self, name, var)
        if TRACE_CREATED:  # a transform is tracing: it restores the value and re-runs with the new variable
            TRACE_CREATED[-1].append((var, arr))
        return var

    # -- training --------------------------------------------------------------------------------
    def _not_trainable(self, what: str):
        trainable = sorted({p.rpartition(".")[0] or "<self>" for p in self.train_vars()})
        where = f"trainable nodes under it: {trainable}" if trainable else "it has no trainable nodes"
        return NotImplementedError(
            f"{what} is not defined for {type(self).__name__} {self.name!r}; {where}. "
            "Fit a readout such as brainbatch.Dense instead."
        )

    def offline_init(self):
        raise self._not_trainable("offline_init")

    def offline_fit(self, target, fit_record):
        raise self._not_trainable("offline_fit")

    def online_init(self):
        raise self._not_trainable("online_init")

    def online_fit(self, target, fit_record):
        raise self._not_trainable("online_fit")


def _deprecated(old: str, new: str) -> None:
    warnings.warn(f"DynamicalSystem.{old} is deprecated; use {new}", DeprecationWarning, stacklevel=3)


def _assign_paths(root: DynamicalSystem) -> None:
    for path, node in graph.collect_nodes(root).items():
        object.__setattr__(node, "_path", path)


def finish_step(root: DynamicalSystem) -> None:
    """Phase 4 of a step for the graph under ``root``: after-update hooks, delays record, inputs clear."""
    nodes = list(root.nodes().values())
    for node in nodes:
        for hook in node._after_updates.values():
            hook()
    root.update_local_delays(nodes)
    for node in nodes:
        node.clear_input()


def _delays_in(root: DynamicalSystem, nodes):
    from .delays import Delay

    nodes = root.nodes().values() if nodes is None else (nodes.values() if isinstance(nodes, dict) else nodes)
    return [n for n in nodes if isinstance(n, Delay)]


def _positional_key(table: dict, node: DynamicalSystem) -> str:
    if node._name_given:
        return node.name
    base = type(node).__name__
    k = sum(1 for key in table if key.startswith(base) and key[len(base):].isdigit())
    return f"{base}{k}"


def _add_unique(table: dict, key, fun, kind: str) -> None:
    if key in table:
        raise KeyError(f"a {kind} hook with key {key!r} already exists")
    if not callable(fun):
        raise TypeError(f"a {kind} hook must be callable, got {fun!r}")
    table[key] = fun


def _get(table: dict, key, kind: str):
    if key not in table:
        raise unknown_name_error(f"{kind} hook", key, [str(k) for k in table])
    return table[key]


def _sum_inputs(table: dict, init, label, args, kwargs):
    prefix = None if label is None else f"{label} // "
    total = init
    for key, fun in table.items():
        if prefix is not None and not key.startswith(prefix):
            continue
        value = fun(*args, **kwargs) if callable(fun) and not isinstance(fun, Variable) else fun
        total = total + (value.value if isinstance(value, Variable) else value)
    return total


def _flatten(node: DynamicalSystem):
    variables = node.vars()
    return [v.value for v in variables.values()], (node, tuple(variables))


def _unflatten(aux, leaves):
    import copy

    node, paths = aux
    variables = node.vars()
    memo = {id(v._value): v._value for v in variables.values()}
    clone = copy.deepcopy(node, memo)
    for var in variables.values():  # owners are weak references: point them at the cloned nodes
        owner = var._owner() if var._owner is not None else None
        twin = memo.get(id(var))
        if twin is not None and owner is not None and id(owner) in memo:
            twin._owner = weakref.ref(memo[id(owner)])
    _rebind_closures(clone, memo)
    clone_vars = clone.vars()
    for path, leaf in zip(paths, leaves):
        clone_vars[path]._value = leaf
        clone_vars[path]._serial = next(_SERIAL)  # a copy made now: transforms running now don't guard it
    return clone


def _rebind_closures(clone: DynamicalSystem, memo: dict) -> None:
    """Point the inputs and hooks of a copy at the copy's Variables and nodes.

    ``deepcopy`` keeps functions as they are, so a lambda given to ``add_inp_fun`` would still read the
    original graph. A function whose closure cells hold copied objects is rebuilt with cells holding
    their copies (one level: objects named directly in the closure, not inside containers or globals).
    Bound methods are copied with their node already.
    """
    import types

    def rebind(fun):
        cells = getattr(fun, "__closure__", None)
        if not isinstance(fun, types.FunctionType) or not cells:
            return fun
        new = []
        for cell in cells:
            try:
                content = cell.cell_contents
            except ValueError:  # an empty cell
                new.append(cell)
                continue
            new.append(types.CellType(memo.get(id(content), content)))
        if all(a is b for a, b in zip(new, cells)):
            return fun
        out = types.FunctionType(fun.__code__, fun.__globals__, fun.__name__, fun.__defaults__, tuple(new))
        out.__kwdefaults__, out.__dict__ = fun.__kwdefaults__, dict(fun.__dict__)
        return out

    for node in clone.nodes().values():
        for table in (node._current_inputs, node._delta_inputs, node._before_updates, node._after_updates):
            for key, fun in table.items():
                table[key] = rebind(fun)


jax.tree_util.register_pytree_node(DynamicalSystem, _flatten, _unflatten)
