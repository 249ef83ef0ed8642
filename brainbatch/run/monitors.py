"""Monitor specifications: what a run records and how often.

A monitor is a variable path (``"E.spike"``), a ``(path, index)`` pair, a function evaluated after
each recorded step — ``fn()`` or ``fn(share)``, decided by its signature — or a ``Monitor`` with
``every=n`` to record one step in ``n`` and ``start=t`` (ms) to leave out what comes before ``t``.
"""
from __future__ import annotations

import dataclasses
import inspect
import math
import sys
from dataclasses import dataclass, field
from collections.abc import Iterable
from typing import Any, Callable

import numpy as np

from ..core.checks import check_choice, check_int, is_bool
from ..core.context import get_dt
from ..core.units import UnitMismatch, is_quantity, to_convention, unit_text
from ..core.errors import did_you_mean
from ..core.variable import Variable, check_kind
from ..errors import BrainbatchError, keywords_named

__all__ = ["Monitor", "MonitorIndexError", "check_indices", "normalize_monitors", "ResolvedMonitor", "REDUCTIONS",
           "first_step"]

#: What ``Monitor(reduce=...)`` may compute over a variable's elements at each recorded step.
REDUCTIONS = ("sum", "mean", "max", "min")


@keywords_named
@dataclass(frozen=True)
class Monitor:
    """Record ``target`` (a path or a function) every ``every`` steps, optionally at ``index``.

    ``every`` counts steps of the run's dt, not a time: a record every 1 ms at dt 0.1 ms is ``every=10``.

    ``reduce="sum"`` (or ``"mean"``, ``"max"``, ``"min"``) records one number per step over the
    variable's elements: ``Monitor("E.spike", reduce="sum")`` is the population's spike count per step,
    ``Monitor("E.V", reduce="mean")`` its mean potential, so large sweeps need not store dense rasters.
    ``kind="spikes"`` marks a function's result as a spike raster for readers of the store (a
    variable path takes its Variable's ``kind``). With ``index``, a store labels the recorded
    elements with their indices in the group (dim ``<name>_neuron``).

    ``start`` (ms, or a time quantity) leaves out the transient: the monitor records from the first of its
    steps (a multiple of ``every``) at time ``>= start``, so records and the stored time coordinate begin
    there (NEST's ``start`` of a recorder); nothing before it is kept or written. Without it a monitor records
    from the run's first step, also when the run starts before 0 (``Runner(t0=-5)``). BrainPy and Brian2 users
    run the transient first and attach monitors after; here one run does both.

    >>> Monitor("E.V", index=[0, 1], every=10).every
    10
    >>> Monitor("E.spike", start=100.0).start
    100.0
    """

    target: str | Callable[..., Any]  # a path, or a function of nothing (or of `share`, see takes_share)
    index: Any = None
    every: int = 1
    kind: str | None = None
    #: ``"sum"``, ``"mean"``, ``"max"`` or ``"min"`` over the variable's elements (after ``index``): one number
    #: per step, e.g. the population's spike count, instead of a dense record
    reduce: str | None = None
    #: ms: record only from this time on (the first recorded step is a multiple of ``every``); None: from the
    #: run's first step (a run that starts before 0, ``Runner(t0=-5)``, records from there too)
    start: float | None = None
    #: a function target is called as ``fn(share)`` (True) or ``fn()`` (False), from its signature
    takes_share: bool = field(default=False, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_every(self.every)
        check_kind(self.kind)
        object.__setattr__(self, "start", _check_start(self.start))
        if self.reduce is not None:
            check_choice("Monitor reduce", self.reduce, REDUCTIONS)
            if not isinstance(self.target, (str, Variable)):
                raise TypeError(f"reduce= applies to a variable path; reduce inside the function {self.target!r}")
        # a Variable object stands for its path in a Runner's model (normalize_monitors resolves it)
        if not (isinstance(self.target, (str, Variable)) or callable(self.target)):
            raise TypeError(f"a monitor target is a variable path (or, in a Runner, the Variable itself) or a "
                            f"function, got {self.target!r}")
        if callable(self.target):
            object.__setattr__(self, "takes_share", _takes_share(self.target))


@dataclass(frozen=True)
class ResolvedMonitor:
    name: str
    monitor: Monitor

    @property
    def every(self) -> int:
        return self.monitor.every


def _variable_paths(monitors: Any, variables: dict[str, Any] | None) -> Any:
    """The monitors with each Variable object (BrainPy's ``monitors={'V': net.E.V}``) replaced by its path
    in the model, found by identity; one that is not the model's is refused by name."""
    if variables is None:
        return monitors
    paths = {id(v): p for p, v in variables.items()}

    def path(name: Any, spec: Any) -> Any:
        if isinstance(spec, Monitor) and isinstance(spec.target, Variable):
            return dataclasses.replace(spec, target=path(name, spec.target))
        if isinstance(spec, Variable):
            if id(spec) not in paths:
                raise ValueError(f"monitor {name!r}: {spec!r} is not a Variable of the model run (give its path, "
                                 f"e.g. 'E.V', or a Variable of the target's graph)")
            return paths[id(spec)]
        if isinstance(spec, tuple) and len(spec) == 2 and isinstance(spec[0], Variable):
            return (path(name, spec[0]), spec[1])
        return spec

    if isinstance(monitors, Variable):
        monitors = [monitors]
    if isinstance(monitors, dict):
        return {k: path(k, v) for k, v in monitors.items()}
    if isinstance(monitors, (list, tuple)):  # ("V", net.E.spike) too: a tuple of monitors, as a list
        return type(monitors)(path(m, m) for m in monitors)
    return monitors


def normalize_monitors(monitors: Any, variables: dict[str, Any] | None = None) -> list[ResolvedMonitor]:
    """Turn the user's monitors (list, dict, tuple, str) into named ``Monitor`` specs; with the model's
    ``variables`` (path -> Variable), a Variable object stands for its path."""
    if monitors is None:
        return []
    monitors = _variable_paths(monitors, variables)
    if variables is None:  # a sweep's experiment: no model yet, so a Variable object names nothing
        found = [m for m in (monitors.values() if isinstance(monitors, dict) else
                             monitors if isinstance(monitors, (list, tuple)) else [monitors])
                 if isinstance(m, Variable) or (isinstance(m, Monitor) and isinstance(m.target, Variable))]
        if found:
            raise TypeError(f"monitor {found[0]!r}: a Variable object stands for its path only in a Runner; give "
                            "the path ('E.V')")
    if isinstance(monitors, (str, Monitor)) or callable(monitors):
        monitors = [monitors]
    items: list[tuple[str, Any]] = []
    if isinstance(monitors, dict):
        items = [(str(k), v) for k, v in monitors.items()]
    elif isinstance(monitors, (list, tuple)):
        for m in monitors:
            if isinstance(m, str):
                items.append((m, m))
            elif isinstance(m, Monitor) and isinstance(m.target, str):
                items.append((m.target, m))
            elif isinstance(m, tuple) and len(m) == 2 and isinstance(m[0], str):
                items.append((m[0], m))
            # ("V", [0, 2]) given alone reads as two monitors, "V" and [0, 2]: say where the pair goes
            elif (isinstance(monitors, tuple) and len(monitors) == 2 and isinstance(monitors[0], str)
                  and m is monitors[1] and not isinstance(m, Monitor) and not callable(m)):
                raise TypeError(f"monitors={monitors!r} reads as two monitors, and {m!r} is not one; a (path, "
                                f"index) pair goes inside a list or dict: monitors=[{monitors!r}] or "
                                f"{{{monitors[0]!r}: {monitors!r}}}")
            else:
                raise TypeError(
                    f"monitor {m!r} needs a name: give monitors as a dict name -> path / (path, index) / function"
                )
    else:
        raise TypeError(f"monitors must be a list of paths or a dict name -> spec, got {type(monitors).__name__}")
    out, seen = [], set()
    for name, spec in items:
        if name in seen:
            raise ValueError(f"two monitors are named {name!r}")
        seen.add(name)
        if name == "ts":
            raise ValueError("'ts' is reserved for the time points; rename that monitor")
        out.append(ResolvedMonitor(name, _as_monitor(name, spec)))
    return out


def _takes_share(fn: Callable) -> bool:
    """``fn()`` or ``fn(share)``: the number of required positional parameters decides."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):  # a builtin without a signature: called without arguments
        return False
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = [p for p in positional if p.default is p.empty]
    if len(required) > 1 or any(p.kind is p.KEYWORD_ONLY and p.default is p.empty for p in params):
        raise TypeError(
            f"a monitor function is called as fn() or fn(share); {getattr(fn, '__name__', fn)!r} requires "
            f"{', '.join(p.name for p in params if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD))}"
        )
    return len(required) == 1


def _as_monitor(name: str, spec: Any) -> Monitor:
    if isinstance(spec, Monitor):
        return spec
    if isinstance(spec, str) or callable(spec):
        return Monitor(spec)
    if isinstance(spec, tuple) and len(spec) == 2 and isinstance(spec[0], str):
        return Monitor(spec[0], index=spec[1])
    if isinstance(spec, dict):
        return Monitor(**spec)
    raise TypeError(f"monitor {name!r}: expected a path, (path, index), function or Monitor, got {spec!r}")


def _check_start(start: Any) -> float | None:
    if start is None:
        return None
    if is_bool(start):  # float(True) is 1.0: a switch taken for 1 ms
        raise TypeError(f"Monitor start must be a time in ms (a number >= 0), got {start!r}")
    value = to_convention("Monitor start", start, "ms")
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"Monitor start must be a time in ms (a number >= 0), got {start!r}") from None
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"Monitor start must be a time in ms (a number >= 0), got {start!r}")
    return value


def _check_every(every: Any) -> None:
    """``every`` counts steps (docs/experiments.md: ``Monitor(path, every=n)``): a time (``every=1 * u.ms``) is
    refused with the count it stands for at this environment's dt, as a monitor knows no run's dt yet."""
    if is_quantity(every):
        try:
            ms = float(to_convention("every", every, "ms", strict=False))
        except (UnitMismatch, TypeError, ValueError):  # not a time, or an array of them
            raise UnitMismatch(f"Monitor every counts steps of dt (an integer >= 1), got {np.asarray(every.mantissa)} "
                               f"{unit_text(every.unit)}") from None
        dt = float(get_dt())
        steps = ms / dt
        example = (f"every={round(steps)} at dt = {dt:g} ms" if steps >= 1 and abs(steps - round(steps)) < 1e-6
                   else f"every=10 is every {10 * dt:g} ms at dt = {dt:g} ms")
        raise UnitMismatch(f"Monitor every counts steps of dt (an integer >= 1), not a time: got {ms:g} ms; to record "
                           f"every {ms:g} ms give every = {ms:g} ms / dt ({example})")
    check_int("Monitor every", every, minimum=1)


def first_step(monitor: Monitor | ResolvedMonitor, dt: float, t0: float = 0.0) -> int:
    """The first step a monitor records: the first multiple of its ``every`` at time ``t0 + step dt >=
    start`` (a step within 1e-9 of ``start`` counts as at it).

    >>> first_step(Monitor("E.V", start=100.0), 0.1), first_step(Monitor("E.V", every=30, start=100.0), 0.1)
    (1000, 1020)
    """
    m = monitor.monitor if isinstance(monitor, ResolvedMonitor) else monitor
    if m.start is None or m.start <= t0:
        return 0
    # start - t0 carries the rounding of the larger of the two (1e7 ms: ~2e-9 ms), which a fixed 1e-9 of a step
    # does not cover: a start on a step would then be recorded one step late
    slack = 1e-9 + 8 * sys.float_info.epsilon * max(abs(m.start), abs(t0)) / dt
    step = math.ceil((m.start - t0) / dt - slack)
    return -(-step // m.every) * m.every


def check_paths(monitors: list[ResolvedMonitor], paths: Iterable[str]) -> None:
    """Every path monitor names an existing variable; otherwise a "did you mean" error."""
    paths = list(paths)
    for m in monitors:
        target = m.monitor.target
        if isinstance(target, str) and target not in paths:
            owner = target.rpartition(".")[0]
            if target.endswith(".w") and f"{owner}.targets" in paths:
                raise KeyError(f"monitor {m.name!r}: no variable {target!r}: projection {owner!r} is static (its "
                               "weights are not state); give it plasticity=... (e.g. bb.STDP()) to learn and record "
                               "per-synapse weights")
            shown = ", ".join(paths[:12]) + (" ..." if len(paths) > 12 else "")
            raise KeyError(
                f"monitor {m.name!r}: no variable {target!r} in the model.{did_you_mean(target, paths)} "
                f"Variables: {shown}"
            )


class MonitorIndexError(BrainbatchError, IndexError):
    """A monitor's ``index`` that picks no element of its variable (out of range, empty, not integers)."""


def check_indices(monitors: list[ResolvedMonitor], variables: dict) -> None:
    """Every ``(path, index)`` monitor picks existing elements: JAX clamps an index out of range (a record
    of neuron 50 of 20 would be neuron 19's), so it is refused here, naming the index and the range.
    Slices stay Python's (they clip); negative integers count from the end, as in NumPy. Any other index (a tuple
    of axes, an Ellipsis, a JAX array) must pick elements by NumPy's rules, checked on the variable's shape."""
    for m in monitors:
        target, index = m.monitor.target, m.monitor.index
        if not isinstance(target, str) or index is None or isinstance(index, slice) or target not in variables:
            continue
        var = variables[target]
        shape = tuple(np.shape(var.value))[(0 if var.batch_axis is None else 1):]
        what = f"monitor {m.name!r}: index"
        if hasattr(index, "__array__") and not isinstance(index, np.ndarray):  # a JAX array: clamped like a list
            index = np.asarray(index)
        if not shape or not isinstance(index, (list, range, np.ndarray, int, np.integer, float, np.floating)):
            # a scalar variable, or an index NumPy's rules decide (a tuple of axes, an Ellipsis...): JAX clamped
            # one out of range ((5, 0) of a 3 x 4 table read row 2), and (0, 1) of a 1-d group failed inside JAX
            _check_numpy_index(what, target, index, shape)
            continue
        n, chosen = shape[0], np.asarray(index)
        if chosen.size == 0:
            raise MonitorIndexError(f"{what} of {target!r} is empty; give at least one element (0..{n - 1})")
        if chosen.dtype == np.bool_:
            if chosen.shape != (n,):
                raise MonitorIndexError(f"{what} of {target!r} is a mask of {chosen.shape[0] if chosen.ndim else 1} "
                                        f"values; a mask needs one per element ({n})")
            continue
        if not np.issubdtype(chosen.dtype, np.integer):
            raise MonitorIndexError(f"{what} of {target!r} must be whole numbers (or a slice or a mask), got {index!r}")
        bad = chosen[(chosen < -n) | (chosen >= n)]
        if bad.size:
            raise MonitorIndexError(f"{what} {int(bad.flat[0])} is out of range for {target!r} ({n} elements: "
                                    f"0..{n - 1}, or -{n}..-1 from the end)")


def _check_numpy_index(what: str, target: str, index: Any, shape: tuple) -> None:
    """``index`` picks elements of an array of ``shape`` by NumPy's rules (which refuse what JAX would clamp)."""
    try:
        np.broadcast_to(np.False_, shape)[index]  # a view of one value: nothing of the variable's size is made
    except (IndexError, TypeError, ValueError) as err:
        hint = ""
        if isinstance(index, tuple) and len(index) > len(shape) == 1 and all(
                isinstance(i, (int, np.integer)) and not isinstance(i, bool) for i in index):
            hint = f"; a list, {list(map(int, index))}, picks those elements (BrainPy reads a tuple so)"
        raise MonitorIndexError(f"{what} {index!r} does not fit {target!r}, of shape {shape} per run ({err}){hint}"
                                ) from None


def lcm_every(monitors: list[ResolvedMonitor]) -> int:
    everys = [m.every for m in monitors] or [1]
    return math.lcm(*everys)
