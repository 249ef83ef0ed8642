"""``Runner``: simulate a model for a duration with monitors (BrainPy's ``DSRunner``)."""
from __future__ import annotations

import contextlib
import functools
import math
from typing import Any, Callable

import jax
import numpy as np

from ..core.base import DynamicalSystem
from ..core.checks import check_bool, check_int
from ..core.context import _check_dt, _check_t0, environment, get_dt
from ..core.delays import Delay
from ..core.errors import NamedKeywords, did_you_mean, keywords_named
from ..core.graph import parameters
from ..core.units import to_convention
from ..core.modes import BatchingMode
from ..core.random import check_seed, run_key
from ..core.transforms import resolve_variables
from ..core.devices import resolve_device
from ..core.variable import NO_STEP, Variable, clear_edited, edited_by_user, is_redrawn, is_step_index, release_value
from .chunk_loop import check_iter_lengths
from .engine import Simulation, steps_for
from .inputs import check_input_paths, normalize_inputs
from .monitors import check_indices, check_paths, first_step, normalize_monitors
from .probe import record_units
from .progress import bar_chunk_steps, shows_bar, step_progress

__all__ = ["Runner", "DSRunner", "RunResult"]


class RunResult(dict):
    """``{"ts": times, name: array}``; ``.times[name]`` holds each monitor's own time points and ``.units[name]``
    each record's unit (its Variable's, as a store labels it: ``"mV"``, ``"1"``; ``""`` where unknown, as for a
    function monitor); ``quantity(name)`` gives a record with its unit.

    >>> import brainbatch as bb
    >>> out = bb.Runner(bb.LifRef(2), monitors=["V"], progress_bar=False).run(1.0)
    >>> out.units["V"], out.units["ts"], out.quantity("V").shape
    ('mV', 'ms', (10, 2))
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.times: dict[str, np.ndarray] = {}
        self.units: dict[str, str] = {}

    def __missing__(self, name: Any) -> Any:
        # a dict's bare KeyError('v') named nothing to use; quantity() already suggested the close name
        raise KeyError(f"no record {name!r} in this run.{did_you_mean(str(name), list(map(str, self)))} Records: "
                       f"{', '.join(map(repr, self))}")

    def quantity(self, name: str) -> Any:
        """Record ``name`` as a ``brainunit`` quantity in its unit (a plain array where the unit is unknown)."""
        from ..core.units import parse_unit

        if name not in self:
            raise KeyError(f"no record {name!r} in this run.{did_you_mean(name, list(self))} Records: "
                           f"{', '.join(map(repr, self))}")
        text = self.units.get(name, "")
        return self[name] if not text else self[name] * parse_unit(text)


#: The most steps one ``Runner.run`` takes: a sweep's time axis holds as many (store ``MAX_STEPS``).
MAX_RUN_STEPS = 2**36


#: on a model: how many noise streams of the seed Runners have drawn on it (Runner._choose_stream)
_STREAMS = "_bb_noise_streams"
#: on a model: the dt (ms) its step indices are counted in, set by the Runner that ran it last (rescale_step_indices)
_STEP_DT = "_bb_step_dt"


class Runner(NamedKeywords):
    """Run ``target`` with one compiled ``lax.scan`` (in time chunks).

    Args:
        target: the model (a ``DynamicalSystem``).
        monitors: paths (``["E.spike"]``), ``{name: path | (path, index) | function | Monitor}``.
        inputs: ``(path, value, 'fix'|'iter'|'func', '+'|'-'|'*'|'/'|'=')`` tuples.
        dt: step size (ms); default the global ``get_dt()``.
        t0: start time (ms).
        seed: the run's seed (its key is ``jax.random.key(seed)``); the first ``run`` draws the initial
            values and connectivity from it, unless ``reset=False`` (then it starts from the model's
            current values).
        chunk_steps: steps per compiled chunk (default: chunks of about 64 MB of recordings).
        sink: ``sink(records, starts)`` receives each chunk; with a sink, ``run`` keeps nothing
            unless ``keep=True``.
        jit: ``False`` runs the steps one by one, op by op, under ``jax.disable_jit()`` (slow; for
            debugging: ``update`` runs once per step, ``share.i``/``share.t`` are concrete, and a
            breakpoint stops in each step; the values ``update`` reads are concrete arrays). The initial state is
            still compiled.
        numpy_mon_after_run: ``True`` gives the records as numpy arrays, ``False`` as JAX arrays.

    A second ``run`` continues from where the last one ended (time, step keys and state, as BrainPy's
    ``DSRunner`` does); ``run(d, reset=True)`` starts over from the seed. A new Runner counts its steps
    from 0 (``t0`` moves the clock); one made with ``reset=False`` to continue a model another Runner ran
    draws its noise from a stream of the seed no Runner drew on that model before, so a recording Runner
    after a warm-up one never meets the warm-up's noise again (docs/random.md). Between runs a model holds its
    step indices (the step of each neuron's last spike) counted from the end of its last run (in steps of that run's
    dt: a Runner of another dt recounts them, and the delay buffers' histories, in its own, to the nearest step), so
    any Runner,
    or a model a saved state was loaded into, goes on with the refractory periods under way (BrainPy's classes that
    keep times instead, ``t_last_spike``, keep BrainPy's rule: give the new Runner ``t0`` = the end of the last run,
    docs/random.md). The model's Variables hold
    the final state after each run, and changes made to them in between are picked up. Values set
    by hand before the first run (``E.V[:] = x``, ``E.V.value = x``) are kept by it, as BrainPy keeps
    them; every other variable starts from the seed. The reset
    keeps the batch size the model's Variables have (a ``reset_state(3)`` before the first run
    gives three lanes).

    Results are shaped ``(time, ...)``, or ``(batch, time, ...)`` for a model with a batch axis.

    >>> import brainbatch as bb
    >>> class Clock(bb.NeuGroup):
    ...     def __init__(self):
    ...         super().__init__(1)
    ...         self.reset_state()
    ...     def reset_state(self, batch_size=None):
    ...         self.init_variable("x", 0.0)
    ...     def update(self):
    ...         self.x.value = self.x.value + bb.share.dt
    >>> out = bb.Runner(Clock(), monitors=["x"], progress_bar=False).run(1.0)
    >>> out["x"].shape, round(float(out["x"][-1, 0]), 5)
    ((10, 1), 1.0)
    """

    #: read each step's ``t`` from float32 times computed before the steps (``Simulation.step_times``)
    _step_times = False

    def __init__(self, target: DynamicalSystem, monitors: Any = None, inputs: Any = (), dt: float | None = None,
                 t0: float = 0.0, jit: bool = True, progress_bar: bool = True, seed: int = 0,
                 chunk_steps: int | None = None, sink: Callable | None = None, keep: bool | None = None,
                 reset: bool = True, numpy_mon_after_run: bool = True, device: Any = None):
        if not isinstance(target, DynamicalSystem):
            raise TypeError(f"Runner target must be a DynamicalSystem, got {type(target).__name__}")
        self.dt = _check_dt(to_convention("dt", dt, "ms", "Runner")) if dt is not None else get_dt()
        self.t0 = float(_check_t0(to_convention("t0", t0, "ms", "Runner"), "Runner"))
        self.target = target
        self.monitors = normalize_monitors(monitors, target.vars())  # a Variable object stands for its path
        self.inputs = normalize_inputs(inputs)
        check_bool("jit", jit)
        check_bool("numpy_mon_after_run", numpy_mon_after_run)
        self.jit = jit
        self.numpy_mon_after_run = numpy_mon_after_run
        self.progress_bar = check_bool("progress_bar", progress_bar)
        if isinstance(seed, (jax.Array, np.ndarray)) and np.ndim(seed) == 0 and jax.numpy.issubdtype(seed.dtype,
                                                                                                     jax.numpy.integer):
            seed = int(seed)  # a 0-d integer array: its number, checked below
        if not (isinstance(seed, jax.Array) and jax.numpy.issubdtype(seed.dtype, jax.dtypes.prng_key)):
            check_seed(seed)
        self.seed = seed
        self.chunk_steps = check_int("chunk_steps", chunk_steps, minimum=1, none=True)  # named now, not at the first run
        if sink is not None and not callable(sink):  # else every run failed in the writer: "'int' is not callable"
            raise TypeError(f"Runner: sink must be a function sink(records, starts) or None, got {sink!r}")
        self.sink = sink
        self.keep = (sink is None) if keep is None else check_bool("keep", keep)
        # a Device or a name ('cpu', 'gpu:0'), resolved now: a bad one is named here, not by jax.device_put mid-run
        self.device = None if device is None else resolve_device(device)
        self.reset = check_bool("reset", reset)  # a truthy text ('no') would mean the opposite of what was meant
        self._sim = self._simulation(None)
        self._steps_done: int | None = None  # None: no run yet
        self._stream: int | None = None  # the noise stream of the seed this Runner draws (_choose_stream)
        self._parameters: tuple | None = None  # the model's plain attributes its programs were traced with
        self.mon = RunResult()
        # a path that does not exist is an error now, not at run time
        variables = target.vars()
        check_paths(self.monitors, variables)
        check_indices(self.monitors, dict(variables))
        check_input_paths(self.inputs, variables)

    @keywords_named
    def run(self, duration: float, reset: bool | None = None) -> RunResult:
        """Simulate ``duration`` ms: continue from the last run, or start over when ``reset=True``.

        ``reset=None`` (default) starts the first run from the seed (or from the model's values if the
        Runner was made with ``reset=False``) and continues every later run.
        """
        _not_traced()
        n_steps = steps_for(to_convention("duration", duration, "ms", "Runner.run"), self.dt)
        if n_steps > MAX_RUN_STEPS:  # a typo in the exponent: refused before hours of compute and gigabytes
            raise ValueError(f"Runner.run: {duration!r} ms at dt {self.dt} ms is {n_steps:.3g} steps, more than a run "
                             f"takes ({MAX_RUN_STEPS:.3g}, as a sweep's store); give a shorter duration")
        first = self._steps_done is None
        fresh = (first and self.reset) if reset is None else check_bool("reset", reset)
        start = self._steps_done if (self._steps_done is not None and not fresh) else 0  # not first, not fresh
        check_iter_lengths(self._sim, start, start + n_steps)  # before the step is traced or anything runs
        variables = resolve_variables(self.target)
        batch = self._batch_size(variables) if fresh else self._sim.batch_size
        now = parameters(self.target)
        # a compiled program holds the model's plain attributes as constants: one changed since (g.rate = 5.0)
        # is traced anew, as BrainPy, which traces every run, honours it; a new batch size (reset_state(n)
        # kept by a fresh start) changes the compiled init. So does a start over after a value changed that the init
        # holds as its trace saw it (a variable no reset_state writes), which a new Runner would start from as it is
        # now: run(reset=True) equals a new Runner's first run (a start over that changes nothing traces nothing)
        if batch != self._sim.batch_size or (self._parameters is not None and now != self._parameters) or (
                fresh and not first and self._sim.held_changed(variables)):
            self._sim = self._simulation(batch)
        if fresh:
            initial = None
        key = self._run_key(fresh)[None]
        kept = {p: v.value for p, v in variables.items() if edited_by_user(v)} if (first and reset is None) else {}
        # one copy, without the lane axis (run/sharing.py); traced as the steps will run (jit=False: a step
        # that needs concrete values shares nothing, where a compiled one that cannot be traced is refused)
        with contextlib.nullcontext() if self.jit else jax.disable_jit():
            shared = self._sim.shared_paths({})
        if not fresh:  # the model's current values: the last run's end, with any edits made since
            values = {path: var.value for path, var in variables.items()}
            counted = getattr(self.target, _STEP_DT, None)  # a Runner of another dt ran the model last
            if counted is not None and not math.isclose(counted, self.dt, rel_tol=1e-9):
                values = rescale_step_indices(values, variables, counted / self.dt)
                values = resample_delay_histories(values, self.target, variables, counted, self.dt)
            # counted from the end of the last run, shifted as the last run's end left them (the same shapes)
            initial = shift_step_indices(values, variables, start)
            initial = _with_lane_axis(initial, shared)
        # A fresh start draws the connectivity anew (mark_redrawn): the model's copy (build() drew one) is
        # dropped first, so the run never holds two tables (docs/large-models.md, "What a run holds").
        released = [p for p, v in variables.items() if initial is None and is_redrawn(v) and p not in kept]
        for path in released:
            release_value(variables[path])
        try:
            if (not self.jit or kept) and initial is None:  # the initial state is still compiled
                initial = self._sim.init(key, {})
                # values the user set by hand before the first run (V[:] = x) are kept, as in BrainPy
                initial.update({p: v if p in shared else v[None] for p, v in kept.items()
                                if (() if p in shared else (1,)) + tuple(v.shape) == initial[p].shape})
                initial.update(_histories(self.target, variables, kept, initial, shared))
            eager = contextlib.nullcontext() if self.jit else jax.disable_jit()
            with eager, step_progress(n_steps, self.progress_bar) as advance:
                chunk = self.chunk_steps
                if chunk is None and shows_bar(self.progress_bar):  # the bar moves during the run, not at its end
                    chunk = bar_chunk_steps(n_steps)
                state, recs = self._sim.run(key, {}, n_steps, sink=self._sink, chunk_steps=chunk,
                                            device=self.device, progress=advance, keep=self.keep,
                                            initial_state=initial, start_step=start)
        except BaseException:
            if released:  # their values are gone: zeros of their shape, and the next run starts from the seed
                for path in released:
                    var = variables[path]
                    var._value = jax.numpy.zeros(var.shape, var.dtype)
                self._steps_done = None
            raise
        variables = resolve_variables(self.target)
        # the lanes' arrays lose their lane axis in place (donated); shared ones have none
        final = {path: value for path, value in state.items() if path in shared}
        final.update(_first_lane({path: value for path, value in state.items() if path not in shared}))
        del state
        final = shift_step_indices(final, variables, -(start + n_steps))  # between runs: from the run's end
        for path, value in final.items():
            variables[path]._value = value
            clear_edited(variables[path])
        self._steps_done = start + n_steps
        object.__setattr__(self.target, _STEP_DT, self.dt)
        self._parameters = parameters(self.target)  # after the run: what tracing itself set is no edit
        return self._result(recs, start, n_steps, variables)

    def _simulation(self, batch: int | None) -> Simulation:
        # jit=False: the one lane runs as a loop of one (lax.map), which disable_jit runs in Python, so update
        # sees concrete values (print, `if V[0] > 1`, a debugger); vmapped, it saw BatchTracers, as under jit
        return Simulation(lambda params: self.target, self.monitors, self.inputs, self.dt, self.t0,
                          batch_size=batch, step_times=self._step_times, lanes="auto" if self.jit else "loop")

    def _batch_size(self, variables: dict) -> int | None:
        """The batch size to reset with: the one the Variables have, when it differs from the mode's."""
        own = self.target.mode.batch_size if isinstance(self.target.mode, BatchingMode) else None
        for var in variables.values():
            if var.batch_axis is not None and var.ndim:
                size = var.shape[var.batch_axis]
                return None if size == own else size
        return None

    def _batched(self) -> bool:
        return isinstance(self.target.mode, BatchingMode) or any(
            v.batch_axis is not None for v in self.target.vars().values())

    predict = run

    def __call__(self, duration: float) -> RunResult:
        return self.run(duration)

    def _batch_first(self) -> dict[str, int | None]:
        """Per monitor, the batch axis of its record (without time) to put first, or None: a variable's own
        batch axis decides (a ``batched=False`` variable of a batched model has none, and stays
        ``(time, ...)``; one with ``batch_axis=1`` gives ``(batch, time, n)`` too); a function's result
        follows the model (its first axis)."""
        model = 0 if self._batched() else None
        variables = self.target.vars()
        out = {}
        for m in self.monitors:
            var = variables.get(m.monitor.target) if isinstance(m.monitor.target, str) else None
            # an index or a reduction gives the batch axis first (engine.py, _record)
            first = m.monitor.reduce is not None or m.monitor.index is not None
            out[m.name] = model if var is None else (None if var.batch_axis is None else
                                                     0 if first else var.batch_axis)
        return out

    def _run_key(self, fresh: bool) -> jax.Array:
        """The key of a run that starts from the seed (``fresh``) or goes on: the seed's, or the
        ``_stream``-th stream of it, chosen at a fresh start and at this Runner's first run."""
        if fresh or self._stream is None:
            self._choose_stream(fresh)
        key = run_key(self.seed)
        return jax.random.fold_in(key, self._stream) if self._stream else key

    def _choose_stream(self, fresh: bool) -> None:
        """The noise stream this Runner draws from now on (docs/random.md, "Continuing").

        A start from the seed draws stream 0, the seed's own, so it equals any other fresh run. A Runner's
        first run that goes on from a model's values takes the next stream no Runner drew on that model:
        its step keys count from 0 like every Runner's, and on the seed's own stream they would draw the
        noise of the earlier Runner's first steps again (a warm-up's Poisson input, replayed while
        recording). A model nobody ran yet (values set by hand) starts on stream 0, as a fresh run would.
        """
        taken = getattr(self.target, _STREAMS, 0)
        self._stream = 0 if fresh else taken
        object.__setattr__(self.target, _STREAMS, max(taken, self._stream + 1))

    def _sink(self, records: dict, starts: dict) -> None:
        if self.sink is None:
            return
        first = self._batch_first()
        model = 0 if self._batched() else None
        self.sink({k: _lane(v, first.get(k, model)) for k, v in records.items()}, starts)

    def _result(self, recs: dict, start: int, n_steps: int, variables: dict) -> RunResult:
        first_axis = self._batch_first()
        empty: dict | None = None  # the probe's monitor shapes, read only when a monitor recorded nothing
        out = RunResult()
        out.units["ts"] = "ms"
        for m in self.monitors:
            # the first step of this run that the monitor records (a multiple of every, not before its start)
            first = max(-(-start // m.every) * m.every, first_step(m, self.dt, self.t0))
            out.times[m.name] = self.t0 + self.dt * np.arange(first, start + n_steps, m.every)
            if recs.get(m.name) is None and not len(out.times[m.name]):  # no sample (a start after the end): empty
                if empty is None:
                    empty = {info.name: info for info in self._sim.probe({})[0]}
                info = empty[m.name]
                recs[m.name] = np.zeros((1, 0) + tuple(info.shape), info.dtype)
            var = variables.get(m.monitor.target) if isinstance(m.monitor.target, str) else None
            out.units[m.name] = "" if var is None else record_units(m.monitor, var)  # "": a function monitor
            if recs.get(m.name) is not None:  # with a sink and no keep, nothing is kept
                out[m.name] = _lane(recs[m.name], first_axis[m.name])
                if not self.numpy_mon_after_run:
                    out[m.name] = jax.numpy.asarray(out[m.name])
        out["ts"] = self.t0 + self.dt * np.arange(start, start + n_steps)
        self.mon = out
        return out


def _histories(target: DynamicalSystem, variables: dict, kept: dict, initial: dict, shared: Any) -> dict:
    """The delay buffers of the variables set by hand before the first run, filled with those values: the
    history before the run's first step is its start value (docs/step-order.md), not the reset value. A buffer
    set or loaded itself (a saved state's ``E.V_delay.data``) keeps the history it was given."""
    paths = {id(var): path for path, var in variables.items()}
    out = {}
    for node in target.nodes().values():
        if not getattr(node, "follows_owner_reset", False):  # a delay buffer (core/delays.py)
            continue
        source, buffer = paths.get(id(node.target)), paths.get(id(node.data))
        # a buffer set or loaded with its variable (load_state_dict of a saved state) keeps its own history
        if source not in kept or buffer not in initial or buffer in kept:
            continue
        lane = buffer not in shared
        rows = node.history_from(kept[source], initial[buffer].shape[1 if lane else 0])
        if rows is not None and (1,) * lane + tuple(rows.shape) == initial[buffer].shape:
            out[buffer] = rows[None] if lane else rows
    return out


def shift_step_indices(values: dict[str, Any], variables: dict[str, Variable], shift: int) -> dict[str, Any]:
    """``values`` with the step indices among them (``mark_step_index``: the step of a neuron's last spike, of a
    synapse's last transmitter pulse) moved by ``shift`` steps. Between runs a model holds them counted from the
    end of its last run (a spike ``k`` steps before that end: ``-k``), so any runner, and a model a saved state
    was loaded into, goes on from them at its own step count: refractory periods and pulses under way at the
    hand-over last as in one run. "None yet" (``<= NO_STEP``) stays; an index moved past it saturates there."""
    shift = max(-(2**30), min(2**30, int(shift)))
    indices = {path: value for path, value in values.items() if path in variables and is_step_index(variables[path])}
    if not shift or not indices:
        return values
    # one compiled program for every shift (an argument, not a constant): a runner's first run and each
    # continuation of it compile nothing more, where four op-by-op programs per shape and sign did
    return {**values, **_shifted(indices, np.int32(shift))}


@jax.jit
def _shifted(indices: dict[str, Any], shift: jax.Array) -> dict[str, Any]:
    """Each step index moved by ``shift``, ``<= NO_STEP`` kept, saturating at ``NO_STEP`` and at int32's top."""
    out = {}
    for path, value in indices.items():
        v = jax.numpy.asarray(value)
        s = shift.astype(v.dtype)
        # the unused side may wrap around; jnp.where takes the other one
        moved = jax.numpy.where(s < 0, jax.numpy.maximum(v, NO_STEP - s), jax.numpy.minimum(v, 2**31 - 1 - s)) + s
        out[path] = jax.numpy.where(v <= NO_STEP, v, moved)
    return out


def rescale_step_indices(values: dict[str, Any], variables: dict[str, Variable], ratio: float) -> dict[str, Any]:
    """``values`` with their step indices (counted from the end of the last run) recounted in steps of another
    dt: ``ratio`` is the old dt over the new one, so a spike 8 steps of 0.1 ms before the end is 2 steps of 0.5 ms
    before it (the nearest step), and a refractory period under way ends when it would have (a Runner of 0.5 ms read
    the -8 as 4 ms ago). "None yet" (``<= NO_STEP``) stays."""
    out = dict(values)
    for path, value in values.items():
        if path in variables and is_step_index(variables[path]):
            v = np.asarray(value)
            moved = np.clip(np.round(v.astype(np.float64) * ratio), NO_STEP, 2**31 - 1).astype(v.dtype)
            out[path] = jax.numpy.asarray(np.where(v <= NO_STEP, v, moved))
    return out


def resample_delay_histories(values: dict[str, Any], target: DynamicalSystem, variables: dict[str, Variable],
                             old_dt: float, dt: float) -> dict[str, Any]:
    """``values`` with each delay buffer's history (rows a step of ``old_dt`` apart, recorded by the last run)
    recounted in steps of ``dt``, as long as the buffer's delays need at ``dt``: the row ``n`` steps ago holds the
    value recorded nearest ``(n - 1) * dt`` ms before the last row (the end of the step ``n`` steps of ``dt`` back),
    as one run at ``dt`` would hold it. A delay of 1 ms read 5 rows of 0.1 ms back (0.5 ms) in a Runner of 0.2 ms
    going on from one of 0.1 ms. A time the history does not reach reads its oldest row."""
    paths = {id(var): path for path, var in variables.items()}
    out = dict(values)
    for node in target.nodes().values():
        data, idx = paths.get(id(getattr(node, "data", None))), paths.get(id(getattr(node, "idx", None)))
        if not isinstance(node, Delay) or data not in values or idx not in values:
            continue
        old = np.asarray(values[data])
        with environment(dt=dt):
            length = node.max_steps
        if not old.shape[0] or not length:
            continue
        # the row n steps ago was recorded at the end of the step that ended (n - 1) steps before the last one: in
        # old steps m - 1 = (n - 1) dt / old_dt; old row m sits at slot (idx - m) % L; the new buffer writes next at 0
        ago = np.rint(1 + np.arange(length) * (dt / old_dt)).astype(np.int64)
        ago = np.clip(ago, 1, old.shape[0])
        rows = (int(np.asarray(values[idx])) - ago) % old.shape[0]
        new = np.empty((length,) + old.shape[1:], old.dtype)
        new[(-np.arange(1, length + 1)) % length] = old[rows]
        out[data] = jax.numpy.asarray(new)
        out[idx] = jax.numpy.zeros((), np.asarray(values[idx]).dtype)
    return out


def shift_model_step_indices(model: DynamicalSystem, shift: int) -> None:
    """``shift_step_indices`` on ``model``'s own Variables, in place (not an edit of the user's)."""
    variables = dict(model.vars())
    for path, value in shift_step_indices({p: v.value for p, v in variables.items()}, variables, shift).items():
        variables[path]._value = value


def _with_lane_axis(values: dict[str, Any], shared: frozenset) -> dict[str, Any]:
    """The model's values as a one-lane batch, shared ones as they are (one program, not one per shape)."""
    return {**values, **_lane_axis({p: v for p, v in values.items() if p not in shared})}


@jax.jit
def _lane_axis(values: dict[str, Any]) -> dict[str, Any]:
    return {path: jax.numpy.asarray(value)[None] for path, value in values.items()}


@functools.partial(jax.jit, donate_argnums=0)
def _first_lane(state: dict) -> dict:
    """The run's final state without its lane axis, in place: the lane's buffers are donated and become the
    model's (``x[0]`` of a ``(1, ...)`` array is a bitcast XLA aliases), so no variable is held twice."""
    return {path: value[0] for path, value in state.items()}


def _lane(arr: Any, batch_axis: int | None) -> np.ndarray:
    """The runner's single lane of a record ``(time, ...)``, its batch axis (of the value) put first."""
    arr = np.asarray(arr)[0]
    return np.moveaxis(arr, 1 + batch_axis, 0) if batch_axis is not None and arr.ndim >= 2 + batch_axis else arr


DSRunner = Runner


def _not_traced() -> None:
    """Refuse a run inside ``jax.jit``/``jax.vmap`` (BrainPy's habit ``bm.vmap(run_one)(values)``): a Runner
    compiles its own program and reads its monitors back on the host, which a trace cannot hold (it failed
    deep inside JAX: "Computation compiled for 11 inputs but called with 10")."""
    from ..core.jax_compat import trace_state_clean  # JAX internals: jax_compat.py

    if not trace_state_clean():
        raise RuntimeError("Runner.run was called inside a JAX transformation (jax.jit, jax.vmap, bm.vmap, ...): a "
                           "runner compiles its own program and reads its monitors back, so it runs outside one. "
                           "Call the function once per value instead: bp.running.jax_vectorize_map(func, [values], "
                           "num_parallel=n) does that and stacks the results; for many runs of one model, "
                           "bb.sweep(...) or `brainbatch sweep` vmaps them into one compiled program "
                           "(docs/executors.md)")
