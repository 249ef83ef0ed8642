"""``DSRunner``: brainbatch's ``Runner`` with BrainPy's arguments and results.

- ``monitors``: paths (``['E.spike']``), Variables (``{'E.spike': net.E.spike}``), ``(name, Variable)``
  pairs, or functions of the shared step arguments;
- ``inputs``: ``(target, value[, type[, operation]])`` tuples whose target is a path or a Variable, or
  one function of the shared step arguments that sets inputs itself (called before each step);
- ``runner.mon.ts``, ``runner.mon['E.spike']``; ``run(duration, eval_time=True)`` also returns the
  seconds the run took; ``run(..., reset_state=True)`` starts over; a second run continues, and so does
  the first run of a new runner on a model that another runner ran (BrainPy's warm-up pattern).
"""
from __future__ import annotations

import itertools
import time
from typing import Any, Callable

import numpy as np

import jax.numpy as jnp

from ..core import share
from ..core.context import environment, get_dt
from ..core.random import run_key
from ..core.transforms import for_loop
from ..core.variable import Variable, clear_edited, edited_by_user, unwrap
from ..run import Runner
from ..run.engine import steps_for
from ..run.monitors import Monitor
from ._compat import shared_args

__all__ = ["DSRunner"]

_HOOKS = itertools.count()
_RAN = "_bb_runner_steps"  # on a model a DSRunner ran: the step it reached


class Monitors(dict):
    """The recorded values: ``mon['E.spike']`` or ``mon.ts``."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"nothing was recorded under {name!r}; recorded: {sorted(self)}") from None


def _path_of(target: Any, var: Variable, what: str) -> str:
    for path, candidate in target.vars().items():
        if candidate is var:
            return path
    raise ValueError(f"{what}: the Variable {var!r} is not part of the model given to DSRunner")


def _monitors(target: Any, monitors: Any) -> Any:
    if monitors is None or isinstance(monitors, str):
        return monitors
    out: dict[str, Any] = {}
    if isinstance(monitors, dict):
        for name, spec in monitors.items():
            if isinstance(spec, Variable):
                spec = _path_of(target, spec, f"monitor {name!r}")
            elif isinstance(spec, tuple) and spec and isinstance(spec[0], Variable):
                spec = (_path_of(target, spec[0], f"monitor {name!r}"),) + tuple(spec[1:])
            elif callable(spec) and not isinstance(spec, Monitor):
                spec = _tdi_function(spec)
            out[name] = spec
        return out
    for item in monitors:
        if isinstance(item, Variable):
            path = _path_of(target, item, "monitor")
            out[path] = path
        elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], Variable):
            out[str(item[0])] = _path_of(target, item[1], f"monitor {item[0]!r}")
        elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
            out[item[0]] = item  # BrainPy's ('E.spike', [1, 2, 3]): those elements, under the path
        elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], Variable):
            path = _path_of(target, item[0], "monitor")
            out[path] = (path, item[1])
        elif isinstance(item, str):
            out[item] = item
        elif isinstance(item, Monitor) and isinstance(item.target, str):
            out[item.target] = item
        else:
            out.update(_monitors(target, [item]) if isinstance(item, dict) else {str(item): item})
    return out


def _tdi_function(fun: Callable) -> Callable:
    """A monitor or input function of BrainPy's shared arguments (or of nothing)."""
    def call() -> Any:
        try:
            return fun(shared_args())
        except TypeError:
            return fun()
    return call


def _inputs(target: Any, inputs: Any) -> tuple[Any, Callable | None]:
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


def _given(inputs: Any) -> bool:
    if inputs is None:
        return False
    if isinstance(inputs, (tuple, list)):
        return len(inputs) > 0
    return True


class DSRunner(Runner):
    """BrainPy's ``DSRunner`` over ``brainbatch.Runner``.

    >>> import brainbatch.brainpy as bp
    >>> g = bp.neurons.LIF(2, tau_ref=5.)
    >>> runner = bp.DSRunner(g, monitors=['spike'], inputs=('input', 26.), progress_bar=False)
    >>> mon = runner.run(100.)
    >>> mon['spike'].shape, mon.ts.shape
    ((1000, 2), (1000,))
    """

    # BrainPy's Monitors (a dict with ts), not Runner's RunResult
    mon: Any

    def __init__(self, target: Any, monitors: Any = None, inputs: Any = (), jit: bool = True, dt: float | None = None,
                 t0: float = 0.0, progress_bar: bool = True, numpy_mon_after_run: bool = True,
                 data_first_axis: str | None = None, memory_efficient: bool = False, fun_monitors: Any = None,
                 seed: int = 0, **kwargs: Any) -> None:
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

    def run(self, duration: float | None = None, inputs: Any = (), reset_state: bool = False,
            shared_args: Any = None, eval_time: bool = False) -> Any:
        """Run ``duration`` ms (continuing the last run unless ``reset_state``); returns ``self.mon``.

        ``inputs``: BrainPy 2.4's per-step arguments of the target's ``update`` (an array, or a tuple of
        arrays, whose leading axis is time; ``duration`` then defaults to their length). The monitors
        are recorded at every step.
        """
        if shared_args:
            raise TypeError("run(shared_args=...) is not supported: update() reads bp.share['t'], ['i'], ['dt']")
        if _given(inputs):
            return self._run_with_args(duration, inputs, reset_state, eval_time)
        if duration is None:
            raise TypeError("run() needs the duration in ms, or inputs= with one row per step")
        start = time.perf_counter()
        if self._input_hook is not None:  # a function input runs before each step, during this runner's runs only
            self.target.add_bef_update(*self._input_hook)
        try:
            out = super().run(duration, reset=self._first_reset(reset_state))
        finally:
            if self._input_hook is not None:
                self.target.before_updates.pop(self._input_hook[0], None)
        object.__setattr__(self.target, _RAN, self._steps_done)
        elapsed = time.perf_counter() - start
        mon = Monitors(out)
        if self.data_first_axis == "T" and self._batched():
            mon.update({k: np.swapaxes(v, 0, 1) for k, v in out.items() if k != "ts" and np.ndim(v) >= 2})
        self.mon = mon
        return (elapsed, mon) if eval_time else mon

    def _run_with_args(self, duration: Any, inputs: Any, reset_state: bool, eval_time: bool) -> Any:
        xs = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
        xs = tuple(jnp.asarray(unwrap(x)) for x in xs)
        n = int(xs[0].shape[0])
        if any(int(x.shape[0]) != n for x in xs):
            raise ValueError(f"run(inputs=...): every input needs the same number of steps, got "
                             f"{[int(x.shape[0]) for x in xs]}")
        if duration is not None and steps_for(duration, self.dt) != n:
            raise ValueError(f"run({duration!r}, inputs=...): the inputs have {n} steps of dt={self.dt} ms, "
                             f"not {steps_for(duration, self.dt)}")
        begin = time.perf_counter()
        fresh = self._first_reset(reset_state)
        first = self._steps_done is None or reset_state
        offset = 0 if first or self._steps_done is None else self._steps_done
        target, monitors = self.target, self.monitors
        key = run_key(self.seed)
        with environment(dt=self.dt, t0=self.t0, key=key):
            if fresh or (fresh is None and first and self.reset):
                kept = {p: v.value for p, v in target.vars().items() if edited_by_user(v)} if not reset_state else {}
                with environment(i=0, t=self.t0):
                    target.reset()
                for path, value in kept.items():  # set by hand before the first run: kept, as by Runner
                    target.vars()[path].value = value
            variables = target.vars()

            def body(i: Any, *x: Any) -> Any:
                target.step_run(i, *x)
                out = {}
                for m in monitors:
                    spec = m.monitor
                    if isinstance(spec.target, str):
                        value = variables[spec.target].value
                    else:
                        value = spec.target(share) if spec.takes_share else spec.target()
                    value = jnp.asarray(value)
                    out[m.name] = value if spec.index is None else value[..., spec.index]
                return out

            recs = for_loop(body, (jnp.arange(offset, offset + n),) + xs, dyn_vars=target)
        for var in target.vars().values():
            clear_edited(var)
        self._steps_done = offset + n
        object.__setattr__(target, _RAN, self._steps_done)
        mon = Monitors({k: np.asarray(v) for k, v in recs.items()})
        mon["ts"] = self.t0 + self.dt * np.arange(offset, offset + n)
        self.mon = mon
        elapsed = time.perf_counter() - begin
        return (elapsed, mon) if eval_time else mon

    def _first_reset(self, reset_state: bool) -> bool | None:
        """``Runner.run``'s ``reset``: ``True`` for ``reset_state``; ``False`` for the first run of this runner on
        a model that an earlier runner ran (it goes on from where that one left it, state and step, as
        BrainPy's runners do: a warm-up runner, then a recording one); else ``None`` (the first run starts
        from the seed)."""
        if reset_state:
            return True
        if self._steps_done is None and getattr(self.target, _RAN, None) is not None:
            # its step count goes on too: refractory counts and 'iter' inputs index absolute steps
            self._steps_done = getattr(self.target, _RAN)
            return False
        return None

    predict = run  # type: ignore[assignment]  # BrainPy's predict takes run's arguments, not Runner.predict's

    def __call__(self, duration: float, **kwargs: Any) -> Any:
        return self.run(duration, **kwargs)
