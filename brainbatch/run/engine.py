"""The simulation engine: one compiled, vmapped ``lax.scan`` over time chunks.

A ``Simulation`` is built from a *factory* that makes the model from (possibly traced) parameter
values. Per lane (one run = one seed and one parameter point) it:
1. builds the model inside the trace, so swept parameters flow into it as traced values;
2. initialises every variable with ``reset()`` under the run key (initial values, connectivity);
3. scans ``step_run`` over a chunk of steps, recording each monitor at its own stride (``stride.py``).
The lanes of a batch are ``jax.vmap``-ed, or on CPU run one after the other inside the program for
large models (``choose_lanes``), so a batch is one compiled call per chunk. A writer thread
hands each finished chunk to the sink while the next one computes (``writer.py``), so memory does
not grow with the duration; chunk boundaries are where a run's state can be checkpointed and resumed.
"""
from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import brainunit as u
import jax
import jax.numpy as jnp
import numpy as np

from ..core.checks import check_int, init_checks
from ..core.base import DynamicalSystem
from ..core.context import environment, share
from ..core.random import run_key
from ..core.transforms import assign_paths, functional
from ..core.units import to_convention
from ..core.variable import is_seeded
from .inputs import RunnerInput, apply_input, check_input_paths
from .monitors import ResolvedMonitor, check_paths, lcm_every
from .stride import StridePlan, every_step_plan, stride_plan
from .writer import ChunkWriter

__all__ = ["choose_lanes", "chunk_steps_for", "Simulation", "MonitorInfo", "StateInfo", "steps_for", "RunStopped"]

#: Target size of one chunk's recordings for the whole batch (bytes).
CHUNK_BYTES = 64 * 2**20
#: Longest chunk (steps): chunk boundaries are where a long run can be checkpointed.
MAX_CHUNK_STEPS = 10_000

#: On CPU, lanes whose state is at least this large run one after the other inside the compiled
#: program (``lanes="loop"``) rather than as one wide vmapped program: measured on a 2-core machine,
#: COBA (4000 neurons) cost more per lane vmapped than alone, while small models gain from vmap.
LOOP_MIN_STATE_BYTES = 256 * 2**10
LANES = ("auto", "vmap", "loop")


def chunk_steps_for(n_steps: int, record_bytes_per_step: float, unit: int, chunk_steps: int | None = None,
                    budget: int | None = None) -> int:
    """Steps per compiled call: ``chunk_steps`` if given, else about ``budget`` bytes of records per call
    (``record_bytes_per_step`` for the whole batch), at most ``MAX_CHUNK_STEPS`` and ``n_steps``;
    always a multiple of ``unit`` (the monitors' strides), and a divisor of ``n_steps`` where one lies
    within a factor 2 below (equal calls reuse one compiled program). The one rule of the runner and
    the sweep planner, whose store chunks follow it (a call then fills whole chunk files).

    >>> chunk_steps_for(1000, 0.0, 1), chunk_steps_for(1000, 0.0, 3, chunk_steps=10)
    (1000, 9)
    >>> chunk_steps_for(10_000, 4000 * 16, 1)  # 64 MiB / 64 kB per step = 1048 -> 1000, a divisor
    1000
    """
    if chunk_steps is None:
        budget = CHUNK_BYTES if budget is None else budget
        chunk_steps = int(min(n_steps, MAX_CHUNK_STEPS, max(unit, budget // max(record_bytes_per_step, 1))))
    else:
        check_int("chunk_steps", chunk_steps, minimum=1)
    chunk_steps = max(unit, chunk_steps - chunk_steps % unit)
    if n_steps % chunk_steps:
        for c in range(chunk_steps, max(unit, chunk_steps // 2) - 1, -unit):
            if n_steps % c == 0:
                return c
    return chunk_steps


def choose_lanes(platform: str, batch: int, state_bytes_per_lane: float) -> str:
    """``"vmap"`` (one wide program) or ``"loop"`` (lanes one after the other inside the program).

    On CPU a lane whose state is large already fills the vector units, so a wide program gains
    nothing per lane and costs more (measured in ``bench/``: COBA's 8 vmapped lanes cost more per
    lane than one run alone); small models gain from vmap, and GPUs and TPUs always do. Both ways
    give a lane bitwise the same result.

    >>> choose_lanes("cpu", 8, 4e6), choose_lanes("cpu", 8, 1e4), choose_lanes("gpu", 8, 4e6)
    ('loop', 'vmap', 'vmap')
    """
    if platform != "cpu" or batch <= 1:
        return "vmap"
    return "loop" if state_bytes_per_lane >= LOOP_MIN_STATE_BYTES else "vmap"


def steps_for(duration: float, dt: float) -> int:
    """``duration/dt`` as an integer number of steps; an error names values that do not divide.

    ``duration`` and ``dt`` are ms, or quantities of time (docs/units.md).
    """
    duration = to_convention("duration", duration, u.ms)
    dt = to_convention("dt", dt, u.ms)
    try:
        duration = float(duration)
    except (TypeError, ValueError):
        raise ValueError(f"duration must be a number of milliseconds, got {duration!r}") from None
    if not duration > 0 or not math.isfinite(duration):
        raise ValueError(f"duration must be a positive number of milliseconds, got {duration!r}")
    steps = duration / dt
    n = int(round(steps))
    if abs(steps - n) > 1e-6 * max(1.0, steps) or n < 1:
        raise ValueError(f"duration {duration!r} ms is not a whole number of steps of dt={dt} ms")
    return n


class RunStopped(KeyboardInterrupt):
    """``Simulation.run`` stopped at a chunk boundary because ``stop()`` said so; ``.step`` is where
    (its checkpoint, when the run keeps them, was written there)."""

    def __init__(self, message: str, step: int):
        super().__init__(message)
        self.step = step


@dataclass(frozen=True)
class MonitorInfo:
    """Shape (per run, without time), dtype, dims, units and stride of a recorded quantity; its ``kind``
    (``"spikes"`` or ``""``, ``Variable.record_kind``) and ``coords``: labels of dims that are not
    0..n-1 (a monitor of chosen neurons keeps their indices in the group)."""

    name: str
    shape: tuple[int, ...]
    dtype: str
    dims: tuple[str, ...]
    units: str = ""
    description: str = ""
    every: int = 1
    kind: str = ""
    coords: dict = field(default_factory=dict)
    #: a record over synapses (plastic weights): ``{"k", "n_post", "targets"}`` (``Projection.synapse_layout``)
    synapses: dict = field(default_factory=dict)


def _owner(net, path: str):
    """``(node, attribute)`` of a variable path (``"E2E.w"`` -> the projection, ``"w"``)."""
    node_path, _, attr = path.rpartition(".")
    return net.nodes().get(node_path), attr


def _owner_view(net, path: str, value):
    """What a monitor of ``path`` records: the owner's ``recorded_value`` (plastic weights: NaN on
    padding slots, docs/plasticity.md) where it has one, else the value."""
    node, attr = _owner(net, path)
    view = getattr(node, "recorded_value", None)
    return value if view is None else view(attr, value)


@dataclass(frozen=True)
class StateInfo:
    path: str
    shape: tuple[int, ...]
    dtype: str
    dims: tuple[str, ...]
    units: str = ""
    description: str = ""
    #: False for seeded variables (``mark_seeded``): part of the run's memory, not of its saved state
    saved: bool = True


def _chosen_dims(name: str, var, path: str, full_shape: tuple, index, shape: tuple):
    """Dims of a monitor of chosen elements of a one-dim variable: ``<monitor>_<dim>`` (``V_E_neuron``),
    labelled with the chosen elements' indices in the group, so ``spikes_E.sel(E_neuron=ds.V_E_neuron)``
    lines up with it. ``None`` where the selection is not a 1-d pick along that one dim."""
    full_dims = var.store_dims(path, full_shape)
    if len(full_dims) != 1 or len(shape) != 1 or not var.dims:
        return None
    try:
        labels = np.arange(full_shape[0])[np.asarray(index) if isinstance(index, list) else index]
    except (IndexError, TypeError):
        return None
    if np.ndim(labels) != 1 or len(labels) != shape[0]:
        return None
    dim = f"{name}_{var.dims[-1]}".replace(".", "_")
    return (dim,), {dim: [int(i) for i in labels]}


@dataclass
class Simulation:
    """A compiled program for one model structure.

    Args:
        factory: ``factory(params) -> DynamicalSystem``; ``params`` is a dict of (traced) values.
        monitors: resolved monitors (``normalize_monitors``).
        inputs: runner inputs (``normalize_inputs``).
        dt, t0: step size and start time (ms).
        batch_size: ``None`` for a non-batching model, else the model's own batch (BatchingMode).
    """

    factory: Callable[[dict], DynamicalSystem]
    monitors: list[ResolvedMonitor]
    inputs: list[RunnerInput] = field(default_factory=list)
    dt: float = 0.1
    t0: float = 0.0
    reset: bool = True
    lanes: str = "auto"
    batch_size: int | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        if self.lanes not in LANES:
            raise ValueError(f"lanes must be one of {', '.join(LANES)}, got {self.lanes!r}")

    # -- tracing helpers ---------------------------------------------------------------------------
    def _model(self, params: dict) -> tuple[DynamicalSystem, dict]:
        net = self.factory(params)
        if not isinstance(net, DynamicalSystem):
            raise TypeError(f"the model factory must return a DynamicalSystem, got {type(net).__name__}")
        assign_paths(net)
        self._cache["init_checks"] = init_checks(net)  # declared by the nodes; read after init
        variables = dict(net.vars())
        check_paths(self.monitors, variables)
        check_input_paths(self.inputs, variables)
        return net, variables

    def _init_lane(self, key, params):
        with environment(dt=self.dt, t0=self.t0, key=key, i=0, t=self.t0):
            net, variables = self._model(params)
            if not self.reset:
                return {p: v.value for p, v in variables.items()}
            f = functional(lambda: net.reset(self.batch_size), variables)
            state, _ = f.pure({p: v.value for p, v in variables.items()}, {"key": key})
        return state

    def _record(self, net, variables, monitors=None) -> dict:
        out = {}
        for m in self.monitors if monitors is None else monitors:
            target = m.monitor.target
            if isinstance(target, str):
                value = _owner_view(net, target, variables[target].value)
            else:
                value = target(share) if m.monitor.takes_share else target()
            value = jnp.asarray(value)
            if m.monitor.index is not None:
                # the index selects within the variable's own shape, after any batch axis
                index = m.monitor.index
                index = np.asarray(index) if isinstance(index, list) else index
                value = value[:, index] if _batched(variables, target) else value[index]
            if m.monitor.reduce is not None:  # one number per step (per batch row): no dense raster to keep
                axes = tuple(range(1 if _batched(variables, target) else 0, value.ndim))
                value = (jnp.sum(value, axis=axes, dtype=jnp.int32) if m.monitor.reduce == "sum" and
                         value.dtype == jnp.bool_ else getattr(jnp, m.monitor.reduce)(value, axis=axes))
            out[m.name] = value
        return out

    def _chunk_lane(self, state, key, params, i0, xs, n_blocks: int, plan: StridePlan):
        """Run ``n_blocks`` top-level blocks of ``plan`` from step ``i0``; each monitor at its own stride.

        The nesting of blocks is explained in ``stride.py``. Returns the state and, per monitor,
        its samples in time order (one per ``plan.stride(k)`` steps, the first after step ``i0``).
        """
        with environment(dt=self.dt, t0=self.t0, key=key):
            net, variables = self._model(params)

            def one_step(i):
                share.save(i=i, t=self.t0 + i * self.dt)
                for k, inp in enumerate(self.inputs):
                    if inp.type == "fix":
                        apply_input(variables, inp, inp.value)
                    elif inp.type == "iter":
                        apply_input(variables, inp, jax.lax.dynamic_index_in_dim(xs[k], i - i0, keepdims=False))
                    else:
                        apply_input(variables, inp, inp.value(share.t))
                net.step_run(i)

            ctx = {"key": key, "t0": self.t0}
            f_step = functional(one_step, variables)
            chain = plan.chain

            def first(level):
                wanted = [m for k, m in enumerate(self.monitors) if plan.levels[k] <= level]

                def fn(i):
                    one_step(i)
                    return self._record(net, variables, wanted)

                return functional(fn, variables)

            firsts = [first(level) for level in range(len(chain))]

            def scan_steps(st, i, n):  # n steps that record nothing
                def body(s, j):
                    return f_step.pure(s, ctx, i + j)[0], None

                return jax.lax.scan(body, st, jnp.arange(n))[0] if n > 0 else st

            def block(level, st, i):
                st, rec = firsts[level].pure(st, ctx, i)
                rec = {name: v[None] for name, v in rec.items()}
                st, rest = tail(level, st, i + 1)
                return st, {name: jnp.concatenate([v, rest[name]]) if name in rest else v for name, v in rec.items()}

            def tail(level, st, i):
                """Steps 1 .. chain[level]-1 of a level-``level`` block starting at ``i - 1``."""
                if level == 0:
                    return scan_steps(st, i, chain[0] - 1), {}
                st, head = tail(level - 1, st, i)
                inner = chain[level - 1]
                n = chain[level] // inner - 1

                def body(s, j):
                    return block(level - 1, s, i - 1 + inner * (j + 1))

                st, recs = jax.lax.scan(body, st, jnp.arange(n))
                recs = {name: v.reshape((-1,) + v.shape[2:]) for name, v in recs.items()}
                return st, {name: jnp.concatenate([head[name], v]) if name in head else v for name, v in recs.items()}

            top = len(chain) - 1

            def outer(st, j):
                return block(top, st, i0 + j * chain[top])

            state, recs = jax.lax.scan(outer, state, jnp.arange(n_blocks))
            recs = {name: v.reshape((-1,) + v.shape[2:]) for name, v in recs.items()}
        return state, recs

    # -- compiled entry points ---------------------------------------------------------------------
    def _compiled(self, kind: str, n_blocks: int = 0, plan: StridePlan | None = None, lanes: str = "vmap"):
        key = (kind, n_blocks, plan, lanes)
        fn = self._cache.get(key)
        if fn is None:
            if kind == "init":
                fn = jax.jit(jax.vmap(self._init_lane))
            else:
                def lane(state, k, params, i0, xs):
                    return self._chunk_lane(state, k, params, i0, xs, n_blocks, plan)

                if lanes == "loop":  # one lane after the other inside the program (see LANES)
                    def batch(state, k, params, i0, xs):
                        return jax.lax.map(lambda a: lane(*a, i0, xs), (state, k, params))
                else:
                    batch = jax.vmap(lane, in_axes=(0, 0, 0, None, None))
                fn = jax.jit(batch, donate_argnums=(0,))
            self._cache[key] = fn
        return fn

    def _executable(self, n_blocks: int, plan, lanes: str, args: tuple, lock):
        """The chunk program compiled for these argument shapes and devices (traced under ``lock``)."""
        if jax.config.jax_disable_jit:  # Runner(jit=False): the steps run op by op, nothing to compile
            return self._compiled("chunk", n_blocks, plan, lanes)
        key = ("chunk-compiled", n_blocks, plan, lanes, *_placement(args))
        fn = self._cache.get(key)
        if fn is None:
            with lock:
                fn = self._cache.get(key)
                if fn is None:
                    fn = self._cache[key] = self._compiled("chunk", n_blocks, plan, lanes).lower(*args).compile()
        return fn

    def init(self, keys: jax.Array, params: dict) -> dict:
        """Initial states of a batch of runs (one key and one parameter point per lane).

        The init program runs once per batch, so it is compiled at LLVM optimisation level 1: compiling
        takes about half the default's time, while level 0 made the samplers' loops so slow that
        Brunel's fixed in-degree connectivity took 44 s for 6 runs (2.7 s at level 1; COBA's 16 runs
        1.9 s against 3.6 s at level 0, compile included).
        """
        key = ("init-compiled", *_placement((keys, params)))
        fn = self._cache.get(key)
        if fn is None:
            lowered = self._compiled("init").lower(keys, params)
            try:
                fn = lowered.compile(compiler_options={"xla_backend_optimization_level": 1})
            except Exception:  # noqa: BLE001 - a backend without that option: compile as usual
                fn = lowered.compile()
            self._cache[key] = fn
        state = fn(keys, params)
        _check_flags(state, self._cache.get("init_checks", {}))
        return state

    def restore(self, seeds_or_keys, params: dict, saved: list[dict], device: Any = None,
                padded: bool = False) -> dict:
        """The batch's state with each lane's variables set from ``saved[lane]`` (``{path: array}``).

        Values go through ``state_value``, the rule of ``load_state_dict``; ``padded``: values may be
        larger than the variable (a sweep's store pads smaller runs) and are cut to its shape first.
        Random-key variables and seeded ones (``mark_seeded``: connectivity a store does not keep) are
        not saved: they are a pure function of the run's seed, so they come from ``init``.
        """
        from ..core.state_io import state_value

        keys = _keys(seeds_or_keys)
        params = {k: jnp.asarray(v) for k, v in params.items()}
        if device is not None:
            keys, params = jax.device_put((keys, params), device)
        state = self.init(keys, params)
        seeded = self._seeded_paths({k: v[0] for k, v in params.items()})
        out = {}
        for path, value in state.items():
            if _is_key(value) or path in seeded:  # drawn again from the seed, as at the start
                out[path] = value
                continue
            missing = [lane for lane, s in enumerate(saved) if path not in s]
            if missing:
                raise KeyError(f"the saved state of lane(s) {missing} has no variable {path!r}")
            shape = value.shape[1:]
            cut = tuple(slice(0, n) for n in shape)
            lanes = [state_value(path, np.asarray(s[path])[cut] if padded and np.ndim(s[path]) == len(shape)
                                 else s[path], shape, value.dtype) for s in saved]
            out[path] = jax.device_put(jnp.stack(lanes), value.sharding)
        return out

    def _seeded_paths(self, params_example: dict) -> frozenset:
        """Paths of the model's seeded variables (``mark_seeded``), found once by tracing ``build``."""
        cached = self.__dict__.get("_seeded")
        if cached is None:
            holder: dict = {}

            def probe(k, params):
                with environment(dt=self.dt, t0=self.t0, key=k):
                    _, variables = self._model(params)
                holder["paths"] = frozenset(p for p, v in variables.items() if is_seeded(v))
                return jnp.zeros(())

            jax.eval_shape(probe, jax.random.key(0), params_example)
            cached = self.__dict__["_seeded"] = holder["paths"]
        return cached

    def describe(self, params_example: dict) -> tuple[list[MonitorInfo], list[StateInfo]]:
        """Shapes, dtypes, dims and units of the monitors and states, without running anything."""
        key = jax.random.key(0)
        holder: dict = {}

        def probe(k, params):
            with environment(dt=self.dt, t0=self.t0, key=k):
                net, variables = self._model(params)
                holder["vars"], holder["net"] = variables, net
                state = {p: v.value for p, v in variables.items()}
                rec = functional(lambda: self._record(net, variables), variables).pure(state, {"key": k})[1]
            return state, rec

        state_shapes, rec_shapes = jax.eval_shape(probe, key, params_example)
        variables = holder["vars"]
        monitors = []
        for m in self.monitors:
            shape = tuple(rec_shapes[m.name].shape)
            target = m.monitor.target
            dims = tuple(f"{m.name}_d{k}".replace(".", "_") for k in range(len(shape)))
            units, desc, kind = "", "", m.monitor.kind or ""
            coords: dict[str, Any] = {}
            if isinstance(target, str):
                var = variables[target]
                units, desc, kind = var.units, var.description, var.record_kind(target)
                if m.monitor.reduce is not None:  # a count or mean over the group: not a raster any more
                    kind = ""
                    units = "1" if m.monitor.reduce == "sum" and var.dtype == jnp.bool_ else units
                    desc = f"{m.monitor.reduce} over the group of: {desc or target}"
                    dims = ()
                elif m.monitor.index is None:
                    dims = var.store_dims(target, shape)
                else:
                    dims, coords = _chosen_dims(m.name, var, target, tuple(state_shapes[target].shape),
                                                m.monitor.index, shape) or (dims, coords)
            monitors.append(MonitorInfo(m.name, shape, str(np.dtype(rec_shapes[m.name].dtype)), dims, units or "",
                                        desc or "", m.every, kind, coords, _synapses(holder["net"], target, m)))
        states = []
        for path, sds in state_shapes.items():
            var = variables[path]
            shape = tuple(sds.shape)
            states.append(StateInfo(path, shape, str(np.dtype(sds.dtype)) if not _is_key(sds) else "key",
                                    var.store_dims(path, shape), var.units or "", var.description or "",
                                    saved=not is_seeded(var)))  # seeded: redrawn from the seed on resume
        return monitors, states

    # -- the host loop ------------------------------------------------------------------------------
    def run(self, seeds_or_keys, params: dict, n_steps: int, *, sink: Callable | None = None,
            chunk_steps: int | None = None, device: Any = None, progress: Callable[[int], None] | None = None,
            keep: bool = True, initial_state: dict | None = None, start_step: int = 0,
            checkpoint: Callable[[dict, int], None] | None = None, checkpoint_every: float | None = None,
            total_steps: int | None = None, trace_lock: Any = None, stop: Callable[[], bool] | None = None):
        """Simulate a batch for ``n_steps`` from ``start_step``; returns ``(final_state, records)``.

        ``records`` maps monitor names to arrays ``(batch, samples, ...)`` (if ``keep``). ``sink(records,
        starts)`` receives each chunk as numpy arrays, with ``starts[name]`` the index of its first sample,
        then ``progress(steps)``; both run on a writer thread while the next chunk computes (a bounded
        queue keeps memory flat). An error of the writer stops the run and is raised here.

        ``checkpoint(state, step)`` (on the writer thread, after the records of every step before
        ``step`` went to the sink) receives the batch's state as numpy arrays (random-key variables
        left out: ``restore`` re-creates them) at a chunk boundary, at
        most once per ``checkpoint_every`` seconds of wall time (0: at every boundary). ``total_steps``
        (default ``start_step + n_steps``) sets the chunk grid, so a run resumed from a checkpoint
        uses the same compiled chunks as the uninterrupted run.

        ``stop()`` is asked after every compiled call: when it is true the run ends at that chunk boundary,
        saves a checkpoint there (``checkpoint``, whatever ``checkpoint_every`` says) and raises
        ``RunStopped`` (a ``KeyboardInterrupt``) once the writer has written everything.

        ``trace_lock`` (a lock shared by threads that run simulations side by side, one per device) is
        held while a program is traced and compiled, never while it runs: tracing uses the process's
        one step context, while compiled code runs freely in parallel.
        """
        lock = trace_lock if trace_lock is not None else contextlib.nullcontext()
        keys = _keys(seeds_or_keys)
        batch = keys.shape[0]
        params = {k: jnp.asarray(v) for k, v in params.items()}
        if device is not None:
            keys, params = jax.device_put((keys, params), device)
        if initial_state is None:
            with lock:
                state = self.init(keys, params)
        else:
            state = initial_state
        lanes = self.lanes_for(state, batch, device)
        plan = stride_plan([m.every for m in self.monitors])
        end = start_step + n_steps
        with lock:  # sizing chunks may describe (trace) the model
            chunk = self._chunk_length(total_steps or end, batch, chunk_steps, params)
        records: dict[str, list] = {m.name: [] for m in self.monitors}
        writer = ChunkWriter(self._writer_step(sink, records, keep, progress, checkpoint, checkpoint_every))
        i = start_step
        stopped = False
        try:
            while i < end:
                length, n_blocks, use = self._next_piece(i, end, chunk, plan)
                xs = self._iter_inputs(i, length)
                args = (state, keys, params, jnp.asarray(i, jnp.int32), xs)
                state, recs = self._executable(n_blocks, use, lanes, args, lock)(*args)
                writer.put(("records", recs, i, use, length))
                i += length
                if checkpoint is not None and checkpoint_every is not None and i < end:
                    # the state is donated to the next chunk: hand the writer a copy; the writer, which
                    # knows when the chunk really finished, decides whether a checkpoint is due
                    snapshot = {p: jnp.copy(v) for p, v in state.items() if not _is_key(v)}
                    writer.put(("checkpoint", snapshot, i))
                if stop is not None and i < end and stop():
                    if checkpoint is not None:
                        writer.put(("checkpoint_now", {p: v for p, v in state.items() if not _is_key(v)}, i))
                    stopped = True
                    break
        finally:
            writer.close()
        if stopped:
            raise RunStopped(f"stopped at step {i} of {end} on request", i)
        out = {name: np.concatenate(parts, axis=1) if parts else None for name, parts in records.items()} if keep else {}
        return state, out

    def lanes_for(self, state: dict, batch: int, device: Any = None) -> str:
        """How the lanes of this batch run (``self.lanes``, or ``choose_lanes`` for ``"auto"``)."""
        if self.lanes != "auto":
            return self.lanes
        platform = (device.platform if hasattr(device, "platform") else
                    next(iter(jax.tree.leaves(state)[0].devices())).platform if state else jax.default_backend())
        per_lane = sum(np.dtype(v.dtype).itemsize * math.prod(v.shape) for v in jax.tree.leaves(state)
                       if hasattr(v, "shape") and not _is_key(v)) / max(batch, 1)
        return choose_lanes(platform, batch, per_lane)

    @staticmethod
    def _next_piece(i: int, end: int, chunk: int, plan: StridePlan) -> tuple[int, int, StridePlan]:
        """Steps, top-level blocks and stride plan of the compiled call starting at step ``i``.

        Calls start on the chunk grid, so they are whole numbers of blocks; the few steps before the
        end that do not fill a block (or up to the grid after an unaligned start) record every step.
        """
        block = plan.block
        length = min(chunk - i % chunk, end - i)
        if i % block == 0 and length >= block:
            length -= length % block
            return length, length // block, plan
        length = min(length, block - i % block)
        return length, length, every_step_plan(len(plan.levels))

    def _writer_step(self, sink, records, keep, progress, checkpoint, checkpoint_every):
        last = [time.monotonic()]

        def handle(item):
            if item[0] == "checkpoint_now":  # a stop: this boundary is where the run continues next time
                checkpoint(jax.device_get(item[1]), item[2])
                return
            if item[0] == "checkpoint":
                if time.monotonic() - last[0] >= checkpoint_every:
                    checkpoint(jax.device_get(item[1]), item[2])
                    last[0] = time.monotonic()
                return
            _, recs, i0, use, length = item
            chunk_out, starts = {}, {}
            for k, m in enumerate(self.monitors):
                stride = use.stride(k)
                steps = i0 + stride * np.arange(-(-length // stride))
                take = steps % m.every == 0
                if not take.any():
                    continue
                arr = np.asarray(recs[m.name])
                if not take.all():  # only strides off the chain, or a partial block, need thinning
                    arr = arr[:, take]
                chunk_out[m.name] = arr
                starts[m.name] = int(steps[take][0] // m.every)
                if keep:
                    records[m.name].append(arr)
            if sink is not None:
                sink(chunk_out, starts)
            if progress is not None:
                progress(int(length))

        return handle

    def _chunk_length(self, n_steps: int, batch: int, chunk_steps: int | None, params) -> int:
        unit = lcm_every(self.monitors)
        per_step = self._record_bytes_per_step(params) * batch if chunk_steps is None else 0.0
        return chunk_steps_for(n_steps, per_step, unit, chunk_steps)

    def _record_bytes_per_step(self, params) -> float:
        """Bytes one lane records per step (cached: describing the model means tracing it)."""
        if not self.monitors:
            return 0.0
        key = ("record_bytes", tuple(sorted((k, tuple(np.shape(v)[1:])) for k, v in params.items())))
        if key not in self._cache:
            infos, _ = self.describe({k: v[0] for k, v in params.items()})
            self._cache[key] = sum(math.prod(i.shape) * np.dtype(i.dtype).itemsize / i.every for i in infos)
        return self._cache[key]

    def _iter_inputs(self, i0: int, length: int):
        arrays = []
        for inp in self.inputs:
            if inp.type == "iter":
                arr = jnp.asarray(inp.value)
                if arr.shape[0] < i0 + length:
                    raise ValueError(
                        f"'iter' input for {inp.path!r} has {arr.shape[0]} time steps; the run needs {i0 + length}"
                    )
                arrays.append(arr[i0:i0 + length])
            else:
                arrays.append(jnp.zeros((length,), jnp.float32))
        return arrays or None


def _synapses(net, target, m) -> dict:
    """The synapse layout of a whole-variable or index monitor of plastic weights, else ``{}``."""
    if not isinstance(target, str) or m.monitor.reduce is not None:
        return {}
    node, attr = _owner(net, target)
    layout = getattr(node, "synapse_layout", None)
    out = layout(attr) if layout is not None else None
    if not out:
        return {}
    prefix = target.rpartition(".")[0]
    return {**out, "targets": f"{prefix}.targets" if prefix else "targets"}


def _check_flags(state: dict, checks: dict[str, str]) -> None:
    """Stop rather than simulate an invalid model: a flag a node declared with ``declare_init_check``
    (e.g. a projection's ``overflow``) is set after init in some lane."""
    for path, message in checks.items():
        value = state.get(path)
        if value is None:
            continue
        flags = np.asarray(value).reshape(value.shape[0], -1).any(axis=1)
        if flags.any():
            raise RuntimeError(f"{path} is set in lane(s) {np.flatnonzero(flags).tolist()}: {message}")


def _placement(tree) -> tuple:
    """What a compiled program is specific to: the tree's structure, and each leaf's shape, dtype and devices."""
    leaves = jax.tree.leaves(tree)
    return jax.tree.structure(tree), tuple((x.shape, str(x.dtype), tuple(sorted(map(str, x.devices())))) for x in leaves)


def _keys(seeds_or_keys) -> jax.Array:
    arr = seeds_or_keys
    if isinstance(arr, jax.Array) and jnp.issubdtype(arr.dtype, jax.dtypes.prng_key):
        return arr if arr.ndim == 1 else arr.reshape((1,))
    seeds = np.atleast_1d(np.asarray(arr))
    if seeds.dtype.kind not in "iu" or np.any(seeds < 0):
        raise ValueError(f"seeds must be non-negative integers, got {seeds_or_keys!r}")
    return jax.vmap(run_key)(jnp.asarray(seeds, jnp.uint32)) if seeds.size else jnp.zeros((0,))


def _batched(variables, target) -> bool:
    return isinstance(target, str) and variables[target].batch_axis is not None


def _is_key(sds) -> bool:
    return jnp.issubdtype(sds.dtype, jax.dtypes.prng_key)
