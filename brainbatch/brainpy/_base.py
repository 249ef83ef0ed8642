"""BrainPy's base classes: brainbatch's, with BrainPy's ``update(self, tdi, x)`` accepted."""
from __future__ import annotations

from typing import Any

from ..core import DynamicalSystem as _DynamicalSystem
from ..core import Network as _Network
from ..core import NeuGroup as _NeuGroup
from ..core.base import in_graph_reset
from ..core.checks import check_int
from ..core.variable import Variable
from ._compat import BrainPyCalls

__all__ = ["DynamicalSystem", "Dynamic", "NeuGroup", "NeuDyn", "DynSysGroup", "Network", "Desc", "InputVar"]


class _Mirror(type):
    """Metaclass of BrainPy's base classes: ``isinstance(x, bp.DynamicalSystem)`` (or ``bp.NeuDyn``,
    ``bp.DynSysGroup``) holds for every brainbatch node of that kind, as in BrainPy, where every model
    derives from them (``net.nodes().subset(bp.NeuDyn)``); subclasses check as usual."""

    def __instancecheck__(cls, obj: Any) -> bool:
        mirrored = cls.__dict__.get("_mirrors")
        return isinstance(obj, mirrored) if mirrored is not None else super().__instancecheck__(obj)

    def __subclasscheck__(cls, sub: type) -> bool:
        mirrored = cls.__dict__.get("_mirrors")
        return issubclass(sub, mirrored) if mirrored is not None else super().__subclasscheck__(sub)


class _ResetsAll:
    """BrainPy 2.8.2's ``reset_state`` of a class that does not write its own (a ``bp.DynSysGroup`` or
    ``bp.DynamicalSystem`` subclass holding groups and projections): every node under it starts over, as
    ``net.reset()`` (BrainPy's ``_compatible_reset_state`` calls ``reset()`` there). brainbatch's default resets
    the direct children, each its own way, and a projection's own ``reset_state`` draws its graph but leaves its
    synapse: a trial loop (``net.reset_state()`` then ``bm.for_loop(net.step_run, ...)``) began each trial with
    the last one's conductances, STP ``u``/``x`` and delayed inputs. A class that writes ``reset_state`` keeps it."""

    def reset_state(self, batch_size: int | None = None) -> None:
        if in_graph_reset():
            return  # a reset of the whole graph (net.reset(), a run's) reaches every node under this one itself
        me: Any = self
        if not me._path:  # the root (or a node never placed in a graph): net.reset(), paths assigned from here
            _DynamicalSystem.reset(me, batch_size)
            return
        # a part of a larger graph: its nodes, the paths (which seed their streams) left as the graph gave them
        if batch_size is not None:
            check_int("batch_size", batch_size, minimum=1, allowed="None or an integer >= 1")
        _DynamicalSystem.reset_nodes(me, batch_size)


class DynamicalSystem(_ResetsAll, BrainPyCalls, _DynamicalSystem, metaclass=_Mirror):
    """``brainbatch.DynamicalSystem``; ``update`` may take the shared step arguments (``tdi``) first.
    ``reset_state()`` of a subclass that does not write its own resets every node under it (``_ResetsAll``)."""

    _mirrors = _DynamicalSystem


class NeuGroup(BrainPyCalls, _NeuGroup, metaclass=_Mirror):
    """``brainbatch.NeuGroup``; ``update(self, tdi, x=None)`` gets ``tdi.t``, ``tdi.dt``, ``tdi.i``.

    >>> import brainbatch.brainpy as bp, brainbatch.brainpy.math as bm
    >>> class Clock(bp.NeuGroup):
    ...     def __init__(self):
    ...         super().__init__(1)
    ...         self.t = bm.Variable(bm.zeros(1))
    ...     def update(self, tdi):
    ...         self.t.value = self.t + tdi.dt * 10
    >>> c = Clock(); c.step_run(0); c.t.value.tolist()
    [1.0]
    """

    _mirrors = _NeuGroup


NeuDyn = NeuGroup


class Dynamic(NeuGroup):
    """BrainPy's ``bp.Dynamic(size, keep_size, sharding, name, mode, method)``: the base of a group of ``size``
    units (``self.num``, ``self.varshape``) whose ``update`` a model writes (the logistic map, Mackey-Glass,
    the Lu-Chen systems of BrainPy's examples). ``sharding`` is kept as an attribute (the devices are the
    sweep's), ``method`` as ``self.method``, as in BrainPy; every neuron group is one."""

    _mirrors = _NeuGroup

    def __init__(self, size: Any, keep_size: bool = False, sharding: Any = None, name: str | None = None,
                 mode: Any = None, method: str = "exp_auto") -> None:
        super().__init__(size, keep_size=keep_size, name=name, mode=mode)
        self.sharding = sharding
        self.method = method


class InputVar(NeuGroup):
    """BrainPy's ``dyn.InputVar``: a group whose ``input`` other nodes write and whose update returns it."""

    input: Variable  # made by reset_state (init_variable)

    def __init__(self, size: Any, keep_size: bool = False, sharding: Any = None, name: str | None = None,
                 mode: Any = None,
                 method: str = "exp_auto") -> None:
        super().__init__(size, keep_size=keep_size, name=name, mode=mode)
        self.reset_state()

    def reset_state(self, batch_size: int | None = None) -> None:
        self.init_variable("input", 0.0, batch_size=batch_size)

    def update(self, *args: Any, **kwargs: Any) -> Any:
        return self.input.value


class Network(_ResetsAll, BrainPyCalls, _Network, metaclass=_Mirror):
    """``brainbatch.Network``: children given positionally or by name; projections run before groups;
    ``net.reset_state()`` resets every node under it, as BrainPy's (``_ResetsAll``)."""

    _mirrors = _Network


DynSysGroup = Network


class Desc:
    """BrainPy's ``Cls.desc(...)``: the arguments of an object to build later (a projection builds it)."""

    def __init__(self, cls: Any, args: Any, kwargs: Any) -> None:
        self.cls, self.args, self.kwargs = cls, args, kwargs

    def size(self) -> Any:
        """The ``size`` given to ``desc`` (first positional argument or keyword), or None."""
        return self.args[0] if self.args else self.kwargs.get("size")

    def build(self, **override: Any) -> Any:
        """The object, with ``override`` replacing arguments given by keyword or, for ``size``, first."""
        args, kwargs = self.args, dict(self.kwargs)
        if "size" in override and args:
            args = args[1:]  # BrainPy scripts give the size positionally: Expon.desc(post.num, tau=5.)
        return self.cls(*args, **{**kwargs, **override})

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """The object, as BrainPy's ``ParamDescriber``: the arguments given to ``desc`` first, then these
        (``bp.dyn.Expon.desc(n, tau=5.)()`` is ``bp.dyn.Expon(n, tau=5.)``; keywords given here win)."""
        return self.cls(*self.args, *args, **{**self.kwargs, **kwargs})

    def init(self, *args: Any, **kwargs: Any) -> Any:
        """BrainPy's other name for calling the description."""
        return self(*args, **kwargs)

    def __repr__(self) -> str:
        return f"{self.cls.__name__}.desc(*{self.args!r}, **{self.kwargs!r})"
