"""``Node``: what every node of a model graph has, the delay buffers included.

A name, a mode, the tables of hooks and inputs the step reads, an ``update`` and its step phase
(docs/step-order.md), and the graph and pytree parts (``graph.py``, ``pytree.py``). ``DynamicalSystem``
(``base.py``) adds the object API users program against; ``Delay`` (``delays.py``) is a ``Node`` only,
so the delay registry can make buffers without importing ``base`` (core is a DAG).
"""
from __future__ import annotations

import contextlib
import functools
import inspect
import weakref
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Callable, Iterator, Literal, cast

from .checks import check_choice, is_traced
from .context import share
from .errors import NamedKeywords, keywords_named
from .graph import GraphNode, iter_attr_nodes, iter_attr_vars, structure_changed
from .modes import BatchingMode, Mode, NonBatchingMode, TrainingMode, normalize_mode
from .naming import unique_name as _unique_name
from .pytree import PytreeNode
from .variable import Variable, clear_edited

__all__ = ["Node", "Phase", "UPDATE_PHASES", "INPUTS_SEEN", "STEP_TOKEN", "StepRecord", "clear_inputs_seen",
           "inputs_as_summed", "mark_external_input", "monitored_value", "updated_in_this_step"]

#: A phase of a step (docs/step-order.md): where a node's ``update`` runs in it.
Phase = Literal["deliver", "dynamics", "record"]
#: The phases in step order: the only allowed values of ``update_phase``.
UPDATE_PHASES: tuple[Phase, ...] = ("deliver", "dynamics", "record")

#: ``share`` key of the step being run: a ``StepRecord`` per ``step_run`` (only while it runs).
STEP_TOKEN = "_bb_step_record"
#: ``share`` key of a dict a runner puts in the step context before ``step_run`` (``monitored_value``)
INPUTS_SEEN = "_bb_inputs_seen"
#: set on a node whose ``update(x)`` received ``x`` outside ``step_run`` (``mark_external_input``)
_TAKEN_X = "_bb_input_outside_step"


def mark_external_input(node: Any) -> None:
    """``node`` took an input argument in this ``update`` call: outside ``step_run`` its ``input`` is then
    cleared when the call returns (inside a step, the step clears it), so a loop calling ``N(x)`` gives x
    once per call, not x, 2x, 3x..."""
    if share.load(STEP_TOKEN, None) is None:
        object.__setattr__(node, _TAKEN_X, True)


def clear_inputs_seen(node: Any) -> None:
    """``node.clear_input()``, keeping each value it zeroes in the runner's ``INPUTS_SEEN`` dict, if one is set.

    A step clears a group's ``input`` once the group has summed it (docs/step-order.md, "Inputs"), so a monitor
    of ``input`` read after the step would record zeros: it records the value cleared here instead, what the
    group summed in the step (``monitored_value``), as BrainPy 2.8.2's runner records it (BrainPy clears
    inputs at the start of the next step).
    """
    seen = share.load(INPUTS_SEEN, None)
    if seen is None:
        node.clear_input()
        return
    before = [(var, var._value) for _, var in iter_attr_vars(node)]
    node.clear_input()
    for var, value in before:
        if var._value is not value and id(var) not in seen:
            seen[id(var)] = (var, value)


def monitored_value(var: Variable, seen: dict | None) -> Any:
    """What a monitor records of ``var`` after a step: its value, or, for an input the step cleared, the value
    it had just before (``clear_inputs_seen``; ``seen`` is the step's ``INPUTS_SEEN`` dict, None: none)."""
    entry = None if seen is None else seen.get(id(var))
    return entry[1] if entry is not None and entry[0] is var else var.value


@contextlib.contextmanager
def inputs_as_summed(seen: dict | None) -> Iterator[None]:
    """While a function monitor runs, each input the step cleared reads what the group summed in the step
    (``monitored_value``), so ``lambda: net.E.input.value`` records what the path monitor ``"E.input"``
    records, not the zeros the clear left; the cleared values come back afterwards (unless the function
    wrote the variable itself)."""
    if not seen:
        yield
        return
    swapped = []
    for var, value in seen.values():
        cleared = var._value
        var._value = value
        swapped.append((var, value, cleared))
    try:
        yield
    finally:
        for var, value, cleared in swapped:
            if var._value is value:
                var._value = cleared


class StepRecord:
    """What happened to inputs in one step (Python-side, while it is traced): which nodes updated
    (with the ``input`` value left by their clear) and which registered inputs each one summed."""

    __slots__ = ("consumed", "read", "stepped")

    def __init__(self) -> None:
        self.consumed: dict[int, Any] = {}  # id(node) -> the cleared input array (or None)
        self.read: dict[int, set] = {}  # id(node) -> keys of add_inp_fun inputs summed
        self.stepped: dict[int, tuple[int, str]] = {}  # id(child) -> the Network that stepped it in this step (network.py)


def updated_in_this_step(node: Any) -> bool:
    """Whether ``node``'s update already ran in the step being traced (``False`` outside ``step_run``).

    A projection reads a delayed presynaptic spike ``d + 1`` steps back because the groups update after
    it (docs/step-order.md); a custom ``update`` that calls the presynaptic group first has this step's
    spikes already, so ``d`` steps back is the same delay counted from them.
    """
    record = share.load(STEP_TOKEN, None)
    return record is not None and id(node) in record.consumed


def _consuming(update: Callable) -> Callable:
    """``update`` that, when it returns inside a step, marks this node's inputs as consumed.

    Only the outermost call on a node counts (a subclass's ``update`` calling ``super().update``),
    and only within ``step_run``: then ``clear_input`` runs right away, so whatever is written into
    ``input`` after this node updated (by a node later in the step, or an after-update hook) is kept
    for the next step instead of being zeroed unseen (docs/step-order.md, "Inputs").
    """
    @functools.wraps(update)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        depth = self.__dict__.get("_update_depth", 0)
        object.__setattr__(self, "_update_depth", depth + 1)
        try:
            out = update(self, *args, **kwargs)
        finally:
            object.__setattr__(self, "_update_depth", depth)
        if depth == 0:
            record = share.load(STEP_TOKEN, None)
            if record is not None:
                self._consume_inputs(record)
            elif self.__dict__.get(_TAKEN_X):  # outside step_run (a BrainPy for_loop calling N(x)): x is this
                object.__setattr__(self, _TAKEN_X, False)  # call's input, not added again at every call
                self.clear_input()
        return out

    setattr(wrapper, "_bb_consuming", True)
    return wrapper


def _adopt(old: Variable, new: Variable) -> None:
    """``old`` takes ``new``'s value, batch axis and the descriptions ``new`` gives."""
    old._value, old.batch_axis = new._value, new.batch_axis
    old.dims, old.units = new.dims or old.dims, new.units or old.units
    old.description, old.kind = new.description or old.description, new.kind or old.kind


def _initial_values(reset_state: Callable) -> Callable:
    """``reset_state`` whose assignments are initial values, not the user's edits (``edited_by_user``), and
    after which the node's delay buffers hold the new values."""
    @functools.wraps(reset_state)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        held = {k: v for k, v in self.__dict__.items() if isinstance(v, Variable) and not k.startswith("_")}
        out = reset_state(self, *args, **kwargs)
        for key, old in held.items():
            new = self.__dict__.get(key)
            if isinstance(new, Variable) and new is not old:
                # BrainPy's idiom makes a new Variable in reset_state (self.x = bm.Variable(...)). The graph keeps
                # the one it holds (compiled programs, delay buffers and other nodes refer to it) with the new value
                _adopt(old, new)
                object.__setattr__(self, key, old)
        for _, var in iter_attr_vars(self):
            clear_edited(var)
        # the delay buffers of this node's variables follow them (a new batch size, fresh history), as BrainPy's
        # reset_state resets local delays: a user's reset_state need not know the buffers exist
        for child in list(self.__dict__.get("implicit_nodes", {}).values()):
            if getattr(child, "follows_owner_reset", False):
                child.reset_state()
        return out

    setattr(wrapper, "_bb_initial", True)
    return wrapper


#: what ``Node.__init__`` sets: missing, the subclass's __init__ did not call it
_SET_BY_INIT = frozenset({"_name", "_name_given", "_mode", "mode", "_path", "implicit_nodes", "implicit_vars",
                          "_before_updates", "_after_updates", "_current_inputs", "_delta_inputs", "_delays", "num",
                          "varshape", "size", "keep_size"})


def _check_step_write(node: Any, key: str, value: Any) -> None:
    """A step being traced may change Variables only: a new Variable or a traced plain attribute made there
    is not part of the compiled program's state (it died inside JAX: "Computation compiled for 2 inputs but
    called with 1"), and a traced value kept past the trace is a leaked tracer."""
    where = f"{type(node).__name__} {node.name!r}: update set {key!r}"
    if isinstance(value, Variable) and value._owner is None and is_traced(share.load("i", None)):
        raise TypeError(f"{where} to a new Variable while the step was compiled; make it in __init__ or "
                        f"reset_state (self.init_variable({key!r}, ...)), or with self.tracing_variable({key!r}, "
                        "init, shape), and change its .value in update")
    if not isinstance(value, Variable) and is_traced(value):
        raise TypeError(f"{where}, a plain attribute, to a traced value: a step's changes are kept only in "
                        f"Variables; make it one in __init__ or reset_state (self.{key} = bb.Variable(...)) and "
                        f"write self.{key}.value = ... in update (a value used only within the step: a local "
                        f"name, or an attribute whose name starts with _)")


def _check_phase(cls: type, phase: Any) -> None:
    if isinstance(phase, str) and phase == "record" and not getattr(cls, "follows_owner_reset", False):
        # a Network never updates a "record" node in its phases 2-3 (docs/step-order.md): a user's node there
        # was never run, silently
        raise ValueError(f"{cls.__name__}.update_phase='record' is the phase of the delay buffers, which a Network "
                         "does not update; a node that must run after the others: 'dynamics', placed after them, "
                         "or an after-update hook (add_aft_update)")
    # a misspelling lists the phases this class may take: "record" only for the delay buffers (listed to any
    # node, it offered a value refused the next time)
    allowed = UPDATE_PHASES if getattr(cls, "follows_owner_reset", False) else ("deliver", "dynamics")
    check_choice(f"{cls.__name__}.update_phase", phase, allowed)


class Node(GraphNode, PytreeNode, NamedKeywords):
    """The part of a node the step machinery reads. Users subclass ``DynamicalSystem``."""

    supported_modes: tuple[type, ...] = (NonBatchingMode, BatchingMode, TrainingMode)
    #: "deliver" nodes (projections, synapses, inputs) run before "dynamics" nodes in a step;
    #: "record" is the delay buffers' phase 4 (docs/step-order.md). Any other value is an error.
    update_phase: Phase = "dynamics"
    _name: str  # set in __init__ and by the ``name`` setter, through object.__setattr__
    _mode: Mode

    @keywords_named
    def __init__(self, name: str | None = None, mode: Mode | None = None):
        object.__setattr__(self, "_name_given", name is not None)
        object.__setattr__(self, "_name", _unique_name(name, type(self).__name__))
        self.mode = share.load("mode", None) if mode is None else mode  # bb.environment(mode=...)
        self.implicit_nodes: OrderedDict[str, GraphNode] = OrderedDict()
        self.implicit_vars: OrderedDict[str, Variable] = OrderedDict()
        self._before_updates: OrderedDict[str, Callable] = OrderedDict()
        self._after_updates: OrderedDict[str, Callable] = OrderedDict()
        self._current_inputs: OrderedDict[str, Any] = OrderedDict()
        self._delta_inputs: OrderedDict[str, Any] = OrderedDict()
        self._delays: dict[str, tuple[Any, Variable]] = {}  # identifier -> (Delay node, target)
        self._path = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        phase = cls.__dict__.get("update_phase")
        if phase is not None and not isinstance(phase, property):
            _check_phase(cls, phase)
        update = cls.__dict__.get("update")
        if inspect.isfunction(update) and not getattr(update, "_bb_consuming", False):
            cls.update = _consuming(update)  # type: ignore[method-assign]  # every subclass's update consumes its inputs
        reset_state = cls.__dict__.get("reset_state")
        if inspect.isfunction(reset_state) and not getattr(reset_state, "_bb_initial", False):
            cls.reset_state = _initial_values(reset_state)  # type: ignore[method-assign]  # see _initial_values
        # every subclass's __init__ names a misspelled keyword: NamedKeywords.__init_subclass__

    # -- attributes ------------------------------------------------------------------------------
    if not TYPE_CHECKING:  # at run time only: the type checker still flags a misspelled attribute
        def __getattr__(self, key: str) -> Any:
            # reached only when an attribute is missing: one that Node.__init__ sets means it never ran
            if key in _SET_BY_INIT and "_name" not in self.__dict__:
                raise AttributeError(f"{type(self).__name__} was not initialised: its __init__ must call "
                                     f"super().__init__(...) before anything else (as in BrainPy), e.g. "
                                     f"super().__init__(size) for a NeuGroup")
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {key!r}")

    def __setattr__(self, key: str, value: Any) -> None:
        if key == "update_phase":
            _check_phase(type(self), value)
        if not key.startswith("_") and share.load(STEP_TOKEN, None) is not None:
            _check_step_write(self, key, value)
        if isinstance(value, Variable) and value._owner is None:
            value._owner = weakref.ref(self)
        if not key.startswith("_"):
            structure_changed()
        object.__setattr__(self, key, value)

    def __delattr__(self, key: str) -> None:
        if not key.startswith("_"):
            structure_changed()
        object.__delattr__(self, key)

    def setattr(self, key: str, value: Any) -> None:
        """Set an attribute (BrainPy spelling)."""
        setattr(self, key, value)

    @property
    def name(self) -> str:
        """Display name (never used as a storage key)."""
        return self._name

    @name.setter
    def name(self, value: str | None) -> None:  # None: a unique made-up name, of the class (BrainPy's unique_name)
        object.__setattr__(self, "_name", _unique_name(value, type(self).__name__))  # it was "Node0" for any class
        object.__setattr__(self, "_name_given", value is not None)

    @property
    def mode(self) -> Mode:
        """The computing mode (non-batching, batching or training)."""
        return self._mode

    @mode.setter
    def mode(self, value: Any) -> None:
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

    # -- stepping --------------------------------------------------------------------------------
    def reset_state(self, batch_size: int | None = None) -> None:
        """Re-create this node's variables. The default resets every direct child."""
        for _, child in iter_attr_nodes(self):
            cast(Node, child).reset_state(batch_size)

    def update(self, *args: Any, **kwargs: Any) -> Any:
        """One step of this node's dynamics. Subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} does not implement update()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        for hook in self._before_updates.values():
            hook()
        return self.update(*args, **kwargs)

    def _consume_inputs(self, record: StepRecord) -> None:
        """This node's update is done for the step of ``record``: clear its inputs now (``_consuming``)."""
        clear_inputs_seen(self)
        inp = self.__dict__.get("input")
        record.consumed[id(self)] = inp._value if isinstance(inp, Variable) else None

    def clear_input(self, *args: Any, **kwargs: Any) -> None:
        """Clear per-step inputs (no-op by default; neuron groups zero their ``input``)."""
