"""``DSRunner``: brainbatch's ``Runner`` with BrainPy's arguments and results.

- ``monitors``: paths (``['E.spike']``), Variables (``{'E.spike': net.E.spike}``), ``(name, Variable)``
  pairs, or functions of the shared step arguments;
- ``inputs``: ``(target, value[, type[, operation]])`` tuples whose target is a path or a Variable, or
  one function of the shared step arguments that sets inputs itself (called before each step);
- ``runner.mon.ts``, ``runner.mon['E.spike']``; ``run(duration, eval_time=True)`` also returns the
  seconds the run took; ``run(..., reset_state=True)`` starts over; a second run continues.
"""
from __future__ import annotations

import itertools
import time
from typing import Any, Callable

import numpy as np

from ..core.context import get_dt
from ..core.variable import Variable
from ..run import Runner
from ..run.monitors import Monitor
from ._compat import shared_args

__all__ = ["DSRunner"]

_HOOKS = itertools.count()


class Monitors(dict):
    """The recorded values: ``mon['E.spike']`` or ``mon.ts``."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"nothing was recorded under {name!r}; recorded: {sorted(self)}") from None


def _path_of(target, var: Variable, what: str) -> str:
    for path, candidate in target.vars().items():
        if candidate is var:
            return path
    raise ValueError(f"{what}: the Variable {var!r} is not part of the model given to DSRunner")


def _monitors(target, monitors: Any) -> Any:
    if monitors is None or isinstance(monitors, str):
        return monitors
    if isinstance(monitors, dict):
        out = {}
        for name, spec in monitors.items():
            if isinstance(spec, Variable):
                spec = _path_of(target, spec, f"monitor {name!r}")
            elif isinstance(spec, tuple) and spec and isinstance(spec[0], Variable):
                spec = (_path_of(target, spec[0], f"monitor {name!r}"),) + tuple(spec[1:])
            elif callable(spec) and not isinstance(spec, Monitor):
                spec = _tdi_function(spec)
            out[name] = spec
        return out
    out: dict[str, Any] = {}
    for item in monitors:
        if isinstance(item, Variable):
            path = _path_of(target, item, "monitor")
            out[path] = path
        elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], Variable):
            out[str(item[0])] = _path_of(target, item[1], f"monitor {item[0]!r}")
        elif isinstance(item, str):
            out[item] = item
        elif isinstance(item, Monitor) and isinstance(item.target, str):
            out[item.target] = item
        else:
            out.update(_monitors(target, [item]) if isinstance(item, dict) else {str(item): item})
    return out


def _tdi_function(fun: Callable) -> Callable:
    """A monitor or input function of BrainPy's shared arguments (or of nothing)."""
    def call():
        try:
            return fun(shared_args())
        except TypeError:
            return fun()
    return call


def _inputs(target, inputs: Any) -> tuple[Any, Callable | None]:
    if callable(inputs):
        return (), inputs
    if not inputs:
        return (), None
    if isinstance(inputs, (tuple, list)) and isinstance(inputs[0], (str, Variable)):
        inputs = [tuple(inputs)]  # one input, given as a tuple or a list: ['input', I, 'iter']
    out = []
    for item in inputs:
        if isinstance(item, (tuple, list)) and item and isinstance(item[0], Variable):
            item = (_path_of(target, item[0], "input"),) + tuple(item[1:])
        out.append(item)
    return out, None


class DSRunner(Runner):
    """BrainPy's ``DSRunner`` over ``brainbatch.Runner``.

    >>> import brainbatch.brainpy as bp
    >>> g = bp.neurons.LIF(2, tau_ref=5.)
    >>> runner = bp.DSRunner(g, monitors=['spike'], inputs=('input', 26.), progress_bar=False)
    >>> mon = runner.run(100.)
    >>> mon['spike'].shape, mon.ts.shape
    ((1000, 2), (1000,))
    """

    def __init__(self, target, monitors: Any = None, inputs: Any = (), jit: bool = True, dt: float | None = None,
                 t0: float = 0.0, progress_bar: bool = True, numpy_mon_after_run: bool = True,
                 data_first_axis: str | None = None, memory_efficient: bool = False, fun_monitors: Any = None,
                 seed: int = 0, **kwargs: Any):
        if kwargs:
            raise TypeError(f"DSRunner got unexpected arguments {sorted(kwargs)}")
        if data_first_axis not in (None, "T", "B"):
            raise ValueError(f"data_first_axis must be 'T' or 'B', got {data_first_axis!r}")
        monitors = _monitors(target, monitors)
        if fun_monitors:
            monitors = {**(monitors if isinstance(monitors, dict) else {m: m for m in (monitors or [])}),
                        **{k: _tdi_function(f) for k, f in fun_monitors.items()}}
        inputs, fun = _inputs(target, inputs)
        super().__init__(target, monitors=monitors, inputs=inputs, dt=get_dt() if dt is None else dt, t0=t0, jit=jit,
                         progress_bar=progress_bar, seed=seed)
        self.data_first_axis = data_first_axis
        self._input_hook = None if fun is None else (f"DSRunner inputs {next(_HOOKS)}", _tdi_function(fun))
        self.mon = Monitors()

    def run(self, duration: float, inputs: Any = (), reset_state: bool = False, shared_args: Any = None,
            eval_time: bool = False):
        """Run ``duration`` ms (continuing the last run unless ``reset_state``); returns ``self.mon``."""
        if inputs or shared_args:
            raise TypeError("give inputs to DSRunner(..., inputs=...); run() takes the duration, reset_state and "
                            "eval_time")
        start = time.perf_counter()
        if self._input_hook is not None:  # a function input runs before each step, during this runner's runs only
            self.target.add_bef_update(*self._input_hook)
        try:
            out = super().run(duration, reset=True if reset_state else None)
        finally:
            if self._input_hook is not None:
                self.target.before_updates.pop(self._input_hook[0], None)
        elapsed = time.perf_counter() - start
        mon = Monitors(out)
        if self.data_first_axis == "T" and self._batched():
            mon.update({k: np.swapaxes(v, 0, 1) for k, v in out.items() if k != "ts" and np.ndim(v) >= 2})
        self.mon = mon
        return (elapsed, mon) if eval_time else mon

    predict = run

    def __call__(self, duration: float, **kwargs: Any):
        return self.run(duration, **kwargs)
