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

import inspect
import itertools
import math
import time
from typing import Any, Callable

import numpy as np

import jax
import jax.numpy as jnp

from ..core import share
from ..core.base import DynamicalSystem
from ..core.context import STEP_TIME, environment, get_dt, set_dt, step_times
from ..core.node import INPUTS_SEEN, inputs_as_summed, monitored_value
from ..core.transforms import for_loop
from ..core.checks import is_int
from ..core.errors import did_you_mean
from ..core.variable import Variable, clear_edited, edited_by_user, unwrap
from ..core.units import to_convention
from ..run import Runner
from ..run.runner import shift_model_step_indices
from ..run.inputs import apply_input
from ..run.monitors import Monitor
from ._compat import mutable_array_hint, shared_args
from .math.random import _process_seed
from ._view import VariableView, monitor_target, view_input

__all__ = ["DSRunner"]

_HOOKS = itertools.count()
_RAN = "_bb_runner_steps"  # on a model a DSRunner ran: the step it reached
_OUTPUTS = "_bb_update_outputs"  # predict's record of what update returned


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


def _by_attributes(target: Any, path: str) -> str:
    """A monitor path as written in BrainPy (``'syn.I'``, ``'s1.stp.u'``): where it is no path of the model's
    Variables but its attributes lead to one (a property such as BrainPy's name of a state), that
    Variable's path; else the path unchanged (the runner's check then names it)."""
    if not isinstance(path, str) or path in target.vars():
        return path
    obj = target
    try:
        for part in path.split("."):
            obj = getattr(obj, part)
    except Exception:  # noqa: BLE001 - any failure leaves the path to the runner's own error
        return path
    if not isinstance(obj, Variable):
        return path
    try:
        return _path_of(target, obj, "monitor")
    except ValueError:
        return path


def brainpy_steps(duration: Any, dt: float) -> int:
    """BrainPy's number of steps for ``duration`` ms: ``int(duration / dt)``, truncated as BrainPy 2.8.2 does
    (``run(0.3)`` at dt 0.1 is 2 steps there: 0.3 / 0.1 = 2.9999999999999996), so arrays a script sizes
    with ``int(duration / dt)`` fit.

    >>> brainpy_steps(0.3, 0.1), brainpy_steps(100.0, 0.1), brainpy_steps(10.05, 0.1)
    (2, 1000, 100)
    """
    value = to_convention("duration", duration, "ms", strict=False)
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"duration must be a number of milliseconds, got {duration!r}") from None
    n = int(value / float(dt)) if math.isfinite(value) else 0
    if n < 1:
        raise ValueError(f"duration must be at least one step of dt={dt} ms, got {duration!r}")
    return n


def _one_index_kept(spec: Any) -> Any:
    """BrainPy's ``(path, 3)``: a one-element index array (``bm.array([3])``), so the record keeps its neuron axis,
    ``(time, 1)``, where brainbatch's own ``(path, 3)`` gives ``(time,)`` as NumPy's ``x[3]`` does."""
    if isinstance(spec, tuple) and len(spec) == 2 and is_int(spec[1]) and not isinstance(spec[1], bool):
        return (spec[0], [int(spec[1])])
    return spec


def _monitors(target: Any, monitors: Any) -> Any:
    if monitors is None:
        return monitors
    if isinstance(monitors, str):
        return _by_attributes(target, monitors)
    out: dict[str, Any] = {}
    path_of = lambda var: _path_of(target, var, "monitor")  # noqa: E731
    if isinstance(monitors, dict):
        for name, spec in monitors.items():
            spec = monitor_target(spec, path_of)  # a view's Variable: the part of its parent's
            if isinstance(spec, str):
                spec = _by_attributes(target, spec)
            elif isinstance(spec, Variable):
                spec = _path_of(target, spec, f"monitor {name!r}")
            elif isinstance(spec, tuple) and spec and isinstance(spec[0], Variable):
                spec = (_path_of(target, spec[0], f"monitor {name!r}"),) + tuple(spec[1:])
            elif callable(spec) and not isinstance(spec, Monitor):
                spec = _tdi_function(spec)
            out[name] = _one_index_kept(spec)
        return out
    for item in monitors:
        if isinstance(item, VariableView):
            path, index = monitor_target(item, path_of)
            out[f"{path}[{index.start}:{index.stop}]"] = (path, index)
        elif isinstance(item, Variable):
            path = _path_of(target, item, "monitor")
            out[path] = path
        elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], Variable):
            out[str(item[0])] = _path_of(target, item[1], f"monitor {item[0]!r}")
        elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
            out[item[0]] = _one_index_kept(item)  # BrainPy's ('E.spike', [1, 2, 3]): those elements, under the path
        elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], Variable):
            path = _path_of(target, item[0], "monitor")
            out[path] = _one_index_kept((path, item[1]))
        elif isinstance(item, str):
            out[item] = _by_attributes(target, item)
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


def _bp_function_input(fun: Callable) -> Callable:
    """A ``'func'`` input as BrainPy 2.8 calls it: with the shared step arguments (``tdi['t']``, ``tdi.i``)
    when it takes one argument, else with none (``runners.py``, ``_call_fun_with_share``); brainbatch's
    Runner calls it with ``t``."""
    try:
        inspect.signature(fun).bind(None)
        takes_one = True
    except TypeError:
        takes_one = False
    except ValueError:  # no signature to read (a builtin): called as BrainPy would try it first
        takes_one = True
    return (lambda t: fun(shared_args())) if takes_one else (lambda t: fun())


#: BrainPy's order of the operations within each kind of input (runners.py, check_and_format_inputs)
_OP_ORDER = {"=": 0, "+": 1, "-": 2, "*": 3, "/": 4}


def _kind_rank(item: tuple) -> int:
    """BrainPy applies fixed inputs, then arrays given as 'iter', then 'func' ones, then other iterables."""
    kind = item[2] if len(item) >= 3 else "fix"
    if kind == "iter":
        return 1 if isinstance(item[1], (np.ndarray, jnp.ndarray, Variable)) else 3
    return {"fix": 0, "func": 2}.get(kind, 0)


def _inputs(target: Any, inputs: Any) -> tuple[Any, Callable | None]:
    if callable(inputs):
        return (), inputs
    if not inputs:
        return (), None
    if isinstance(inputs, (tuple, list)) and isinstance(inputs[0], (str, Variable)):
        inputs = [tuple(inputs)]  # one input, given as a tuple or a list: ['input', I, 'iter']
    out = []
    for item in inputs:
        if isinstance(item, (tuple, list)) and len(item) >= 3 and item[2] == "func" and callable(item[1]):
            item = (item[0], _bp_function_input(item[1])) + tuple(item[2:])
        if isinstance(item, (tuple, list)) and item and isinstance(item[0], VariableView):
            # a view's Variable: the parent's, the value on the part (the operation's identity elsewhere)
            item = view_input(tuple(item), lambda var: _path_of(target, var, "input"))
        elif isinstance(item, (tuple, list)) and item and isinstance(item[0], Variable):
            item = (_path_of(target, item[0], "input"),) + tuple(item[1:])
        out.append(tuple(item) if isinstance(item, list) else item)
    if all(isinstance(item, tuple) and len(item) >= 2 for item in out):
        # BrainPy applies them by kind, then by operation, not in the order listed: ('input', 20, 'iter')
        # then ('input', 5., 'fix', '-') is (0 - 5) + 20 there; sorted is stable within each group
        out.sort(key=lambda item: (_kind_rank(item), _OP_ORDER.get(item[3] if len(item) >= 4 else "+", 1)))
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
    # BrainPy's t: computed once per step (float32 t0 + i * dt) and read by every node as that one value
    _step_times = True

    def __init__(self, target: Any, monitors: Any = None, inputs: Any = (), jit: bool = True, dt: float | None = None,
                 t0: float = 0.0, progress_bar: bool = True, numpy_mon_after_run: bool = True,
                 data_first_axis: str | None = None, memory_efficient: bool = False, fun_monitors: Any = None,
                 seed: int | None = None, dyn_vars: Any = None, **kwargs: Any) -> None:
        # dyn_vars: BrainPy 2.x's runners find the Variables themselves and take it only for older scripts; so
        # does this one (the Wu 2008 CANN examples pass it)
        if "fun_inputs" in kwargs:
            raise TypeError("DSRunner: fun_inputs is BrainPy's older spelling; give the function as inputs=f "
                            "(called with the step's tdi, as BrainPy calls it)")
        if kwargs:
            known = [n for n in inspect.signature(DSRunner.__init__).parameters if n not in ("self", "kwargs")]
            first = sorted(kwargs)[0]
            raise TypeError(f"DSRunner got unexpected arguments {sorted(kwargs)}; it takes {', '.join(known)}."
                            f"{did_you_mean(first, known)}")
        if data_first_axis not in (None, "T", "B"):
            raise ValueError(f"data_first_axis must be 'T' or 'B', got {data_first_axis!r}")
        if not isinstance(target, DynamicalSystem):  # before the monitors, which read it ('NoneType' ... 'vars')
            raise TypeError(f"Runner target must be a DynamicalSystem, got {type(target).__name__}: give the model to "
                            "run (a bp.DynSysGroup, a neuron group, ...)")
        if fun_monitors is not None and not (isinstance(fun_monitors, dict) and all(
                callable(f) for f in fun_monitors.values())):
            raise TypeError(f"DSRunner: fun_monitors must map names to functions of the step (tdi), got "
                            f"{fun_monitors!r}")
        monitors = _monitors(target, monitors)
        if fun_monitors:
            monitors = {**(monitors if isinstance(monitors, dict) else {m: m for m in (monitors or [])}),
                        **{k: _tdi_function(f) for k, f in fun_monitors.items()}}
        inputs, fun = _inputs(target, inputs)
        if seed is None:
            # BrainPy draws a new model's values from its global generator: each runner its own numbers (a
            # loop over trials differs trial to trial), reproducible after bm.random.seed(s)
            seed = _process_seed()
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
        reset = self._first_reset(reset_state)
        n = brainpy_steps(duration, self.dt)
        self._check_iter_inputs(n, reset_state)
        if self._input_hook is not None:  # a function input runs before each step, during this runner's runs only
            self.target.add_bef_update(*self._input_hook)
        try:
            with mutable_array_hint():
                out = super().run(n * self.dt, reset=reset)
        finally:
            if self._input_hook is not None:
                self.target.before_updates.pop(self._input_hook[0], None)
        object.__setattr__(self.target, _RAN, self._steps_done)
        self._leave_dt()
        elapsed = time.perf_counter() - start
        mon = Monitors(out)
        if self.data_first_axis == "T" and self._batched():
            mon.update({k: np.swapaxes(v, 0, 1) for k, v in out.items() if k != "ts" and np.ndim(v) >= 2})
        self.mon = mon
        return (elapsed, mon) if eval_time else mon

    def _run_with_args(self, duration: Any, inputs: Any, reset_state: bool, eval_time: bool,
                       outputs: bool = False) -> Any:
        xs = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
        xs = tuple(jnp.asarray(unwrap(x)) for x in xs if x is not None)
        # BrainPy's layout for a batched target: (batch, time, ...) unless data_first_axis='T'
        batch_first = self._batched() and self.data_first_axis != "T"
        if batch_first:
            for x in xs:
                if x.ndim < 2:
                    raise ValueError(f"run(inputs=...): a batched target takes inputs of shape (batch, time, ...) "
                                     f"(data_first_axis='B', BrainPy's default here), got shape {x.shape}; give "
                                     "data_first_axis='T' for (time, batch, ...)")
            xs = tuple(jnp.moveaxis(x, 0, 1) for x in xs)
        if not xs and duration is None:
            raise TypeError("predict() needs the duration in ms, or inputs= with one row per step")
        for x in xs:  # a scalar (run(100., 20.)) failed with "tuple index out of range"
            if x.ndim == 0:
                raise ValueError(f"run(inputs=...): an input needs a leading time axis (one row per step), got the "
                                 f"scalar {x.item()!r}; give an array of one value per step, e.g. bm.ones(n_steps) * "
                                 f"{x.item()!r}, or a constant input through the model (bp.inputs.section_input)")
        n = int(xs[0].shape[0]) if xs else brainpy_steps(duration, self.dt)
        if any(int(x.shape[0]) != n for x in xs):
            raise ValueError(f"run(inputs=...): every input needs the same number of steps, got "
                             f"{[int(x.shape[0]) for x in xs]}")
        if duration is not None and brainpy_steps(duration, self.dt) != n:
            raise ValueError(f"run({duration!r}, inputs=...): the inputs have {n} steps of dt={self.dt} ms, "
                             f"not {brainpy_steps(duration, self.dt)}")
        begin = time.perf_counter()
        fresh = self._first_reset(reset_state)
        self._check_iter_inputs(n, reset_state)
        first = self._steps_done is None or reset_state
        offset = 0 if first or self._steps_done is None else self._steps_done
        target, monitors, runner_inputs, hook = self.target, self.monitors, list(self.inputs), self._input_hook
        starts_over = bool(fresh or (fresh is None and first and self.reset))
        key = self._run_key(starts_over)
        with environment(dt=self.dt, t0=self.t0, key=key):
            if starts_over:
                kept = {p: v.value for p, v in target.vars().items() if edited_by_user(v)} if not reset_state else {}
                with environment(i=0, t=self.t0):
                    # BrainPy's run(reset_state=True) calls target.reset(), a model's own if it has one; a
                    # first run calls none, and here gets the graph's reset (engine.py), never a user's reset(self)
                    target.reset() if reset_state else DynamicalSystem.reset(target)
                for path, value in kept.items():  # set by hand before the first run: kept, as by Runner
                    target.vars()[path].value = value
            else:
                shift_model_step_indices(target, offset)  # onto this run's count (run/runner.py)
            variables = target.vars()

            def body(i: Any, t: Any, *x: Any) -> Any:
                # the runner's own inputs and input function, before the step, as in a run without inputs=
                snap = share.snapshot()
                try:
                    share.save(i=i, t=t)
                    for inp in runner_inputs:
                        value = (inp.value if inp.type == "fix" else jnp.asarray(inp.value)[i] if inp.type == "iter"
                                 else inp.value(share.t))
                        apply_input(variables, inp, value)
                    if hook is not None:
                        hook[1]()
                finally:
                    share.restore(snap)
                seen: dict = {}  # the inputs the step cleared, as the groups summed them (BrainPy records those)
                with environment(**{STEP_TIME: t, INPUTS_SEEN: seen}):  # step t as computed before the loop
                    returned = target.step_run(i, *x)
                out = {_OUTPUTS: returned} if outputs and returned is not None else {}
                for m in monitors:
                    spec = m.monitor
                    if isinstance(spec.target, str):
                        value = monitored_value(variables[spec.target], seen)
                    else:
                        with inputs_as_summed(seen):
                            value = spec.target(share) if spec.takes_share else spec.target()
                    value = jnp.asarray(value)
                    out[m.name] = value if spec.index is None else value[..., spec.index]
                return out

            try:
                recs = for_loop(body, (jnp.arange(offset, offset + n), step_times(self.t0, self.dt, offset, n)) + xs,
                                dyn_vars=target)
            except BaseException:
                if not starts_over:
                    shift_model_step_indices(target, -offset)
                raise
        shift_model_step_indices(target, -(offset + n))  # between runs: counted from the run's end
        for var in target.vars().values():
            clear_edited(var)
        self._steps_done = offset + n
        object.__setattr__(target, _RAN, self._steps_done)
        returned = recs.pop(_OUTPUTS, None)
        if batch_first:  # recorded (time, batch, ...): BrainPy gives them batch first
            recs = {k: np.moveaxis(np.asarray(v), 0, 1) if np.ndim(v) >= 2 else v for k, v in recs.items()}
            returned = jax.tree_util.tree_map(lambda v: jnp.moveaxis(v, 0, 1) if jnp.ndim(v) >= 2 else v, returned)
        mon = Monitors({k: np.asarray(v) for k, v in recs.items()})
        mon["ts"] = self.t0 + self.dt * np.arange(offset, offset + n)
        self.mon = mon
        self._leave_dt()
        elapsed = time.perf_counter() - begin
        result = returned if outputs else mon
        return (elapsed, result) if eval_time else result

    def _leave_dt(self) -> None:
        """After a run, the default dt is this runner's, as in BrainPy 2.8.2: its runner saves ``dt`` into the shared
        context that ``bm.get_dt()`` reads, so a script's ``bp.measure.firing_rate(runner.mon['E.spike'], 5.)`` after
        ``DSRunner(net, dt=0.05)`` smooths with that dt, and a model or runner made next takes it (inside
        ``bm.environment(dt=...)`` until the block ends; tests/brainpy/test_examples_s36b.py)."""
        if get_dt() == self.dt:
            return
        if "dt" in share.snapshot():  # inside environment(dt=...): restored when the block ends, as BrainPy's
            share.save(dt=self.dt)
        else:
            set_dt(self.dt)

    def _check_iter_inputs(self, n_steps: int, reset_state: bool) -> None:
        """Every 'iter' input covers this runner's steps so far plus this run's: counted from the runner's own
        first step, as BrainPy's (a second runner on a model that another one ran starts its inputs at 0)."""
        done = 0 if (reset_state or self._steps_done is None) else self._steps_done
        for inp in self.inputs:
            if inp.type != "iter":
                continue
            have = int(np.shape(inp.value)[0])
            if have < done + n_steps:
                raise ValueError(f"'iter' input for {inp.path!r} has {have} time steps, but this runner's runs need "
                                 f"{done + n_steps} ({done} done, {n_steps} in this run; a DSRunner's 'iter' inputs "
                                 "count from its own first step)")

    def predict(self, duration: float | None = None, inputs: Any = (), reset_state: bool = False,
                shared_args: Any = None, eval_time: bool = False) -> Any:
        """What the target's ``update`` returned at every step (stacked over time), as BrainPy's ``predict``;
        the monitors are in ``self.mon``. (``run`` returns the monitors: docs/migrating-from-brainpy.md.)"""
        if shared_args:
            raise TypeError("predict(shared_args=...) is not supported: update() reads bp.share['t'], ['i'], ['dt']")
        return self._run_with_args(duration, inputs if _given(inputs) else (), reset_state, eval_time, outputs=True)

    def _first_reset(self, reset_state: bool) -> bool | None:
        """``Runner.run``'s ``reset``: ``True`` for ``reset_state``; ``False`` for the first run of this runner on
        a model that an earlier runner ran (it goes on from that one's state, as BrainPy's runners do: a
        warm-up runner, then a recording one); else ``None`` (the first run starts from the seed).

        Each runner keeps its own clock, as in BrainPy 2.8.2: a new runner's steps, ``t``, ``ts`` and 'iter'
        inputs start at its own step 0 (``t0``), and a runner run again goes on from its own last step, whatever
        other runners did in between. So, as in BrainPy, a neuron that fired late in an earlier runner's run
        stays refractory until the new clock passes its spike time.
        """
        if reset_state:
            return True
        if self._steps_done is None and getattr(self.target, _RAN, None) is not None:
            self._steps_done = 0
            return False
        return None

    def __call__(self, duration: float | None = None, **kwargs: Any) -> Any:
        # runner(inputs=Iext): the duration is the inputs' length, as for run()
        return self.run(duration, **kwargs)
