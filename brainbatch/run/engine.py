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

This module holds the model's trace (build, reset, record, the scanned step); the rest of
``Simulation`` lives beside it: its compiled programs (``programs.py``), the model probe
(``probe.py``: shapes, dtypes and dims without running) and the host loop over chunks
(``chunk_loop.py``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np

from ..core.checks import check_int, check_wiring, init_checks, is_traced
from ..core.base import DynamicalSystem
from ..core.context import STEP_TIME, environment, share
from ..core.node import INPUTS_SEEN, inputs_as_summed, monitored_value
from ..core.random import MAX_SEED, SEED_RULE, run_key
from ..core.transforms import assign_paths, discovering, functional
from ..core.units import to_convention
from ..core.variable import is_seeded, unwrap
from .chunk_loop import CHUNK_BYTES as CHUNK_BYTES
from .chunk_loop import MAX_CHUNK_STEPS as MAX_CHUNK_STEPS
from .chunk_loop import RunStopped as RunStopped
from .chunk_loop import chunk_steps_for as chunk_steps_for
from .chunk_loop import run_chunks
from .inputs import RunnerInput, apply_input, check_input_paths
from .monitors import ResolvedMonitor, check_indices, check_paths
from .probe import MonitorInfo as MonitorInfo
from .probe import StateInfo as StateInfo
from .probe import is_key, owner, probe_model, seeded_paths
from .programs import LaneMode, Programs
from .sharing import traced_analysis
from .stride import StridePlan

__all__ = ["choose_lanes", "chunk_steps_for", "Simulation", "MonitorInfo", "StateInfo", "steps_for", "RunStopped"]

#: The largest constant initial value (all lanes together) that ``Simulation.init`` fills on the host
#: rather than in the compiled init program (``sharing.constant_fills``).
HOST_FILL_BYTES = 64 * 2**20

#: On CPU, lanes whose state is at least this large run one after the other inside the compiled
#: program (``lanes="loop"``) rather than as one wide vmapped program: measured on a 2-core machine,
#: COBA (4000 neurons) cost more per lane vmapped than alone, while small models gain from vmap.
LOOP_MIN_STATE_BYTES = 256 * 2**10
LANES: tuple[LaneMode, ...] = ("auto", "vmap", "loop")


def choose_lanes(platform: str, batch: int, state_bytes_per_lane: float) -> LaneMode:
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
    # callers pass what they already checked (strict units apply to the user's own values, where given)
    duration = to_convention("duration", duration, "ms", strict=False)
    dt = to_convention("dt", dt, "ms", strict=False)
    try:
        if isinstance(duration, (str, bytes, bool, np.bool_)):  # float("10") takes a text, float(True) 1 ms
            raise TypeError
        duration = float(duration)
    except (TypeError, ValueError):
        raise ValueError(f"duration must be a number of milliseconds, got {duration!r}") from None
    if not duration > 0 or not math.isfinite(duration):
        raise ValueError(f"duration must be a positive number of milliseconds, got {duration!r}")
    steps = duration / dt
    n = int(round(steps))
    if steps < 1 - 1e-6:  # "not a whole number of steps" left the way out unsaid
        raise ValueError(f"duration {duration!r} ms is shorter than one step of dt={dt} ms; a run takes at least "
                         f"one step: give a duration of {dt} ms or more (a whole number of steps)")
    if abs(steps - n) > 1e-6 * max(1.0, steps) or n < 1:
        low, high = math.floor(steps) * dt, math.ceil(steps) * dt
        raise ValueError(f"duration {duration!r} ms is not a whole number of steps of dt={dt} ms ({steps:.6g} "
                         f"steps): give a multiple of dt, such as {low:.10g} or {high:.10g} ms")
    return n


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
    lanes: LaneMode = "auto"
    batch_size: int | None = None
    #: True: each step's ``t`` is read from an array of the chunk's float32 times computed before the steps
    #: (``context.step_times``; BrainPy's ``DSRunner`` sets it), not computed inside the step
    step_times: bool = False
    # what tracing found out, kept per Simulation: init checks the nodes declared, seeded variable
    # paths, record bytes per step by parameter shapes; and the compiled programs
    _init_checks: dict[str, str] = field(default_factory=dict, repr=False)
    _seeded: frozenset | None = field(default=None, repr=False)
    _record_bytes: dict[tuple, float] = field(default_factory=dict, repr=False)
    #: per parameter shapes: ``_analysis``'s shared paths, constant fills and initial shapes
    _shared: dict[tuple, tuple[frozenset, dict, dict]] = field(default_factory=dict, repr=False)
    #: the values of the variables the init leaves alone, as its last trace saw them (``held_changed``)
    _held: dict[str, Any] = field(default_factory=dict, repr=False)
    _programs: Programs = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.lanes not in LANES:
            raise ValueError(f"lanes must be one of {', '.join(LANES)}, got {self.lanes!r}")
        self._programs = Programs(self)

    # -- tracing helpers ---------------------------------------------------------------------------
    def _model(self, params: dict) -> tuple[DynamicalSystem, dict]:
        net = self.factory(params)
        if not isinstance(net, DynamicalSystem):
            raise TypeError(f"the model factory (an experiment's build()) must return a DynamicalSystem, such as "
                            f"bb.Network(...) or a group, got {type(net).__name__}")
        assign_paths(net)
        check_wiring(net)  # a group left out of the network, a synapse shared by two projections
        self._init_checks = init_checks(net)  # declared by the nodes; read after init
        variables = dict(net.vars())
        check_paths(self.monitors, variables)
        check_indices(self.monitors, variables)
        check_input_paths(self.inputs, variables)
        return net, variables

    def _init_lane(self, key: jax.Array, params: dict) -> dict[str, jax.Array]:
        with environment(dt=self.dt, t0=self.t0, key=key, i=0, t=self.t0):
            net, variables = self._model(params)
            if self._seeded is None:  # known for free while the init is traced (probe.seeded_paths traces build)
                self._seeded = frozenset(p for p, v in variables.items() if is_seeded(v))
            values = {p: v.value for p, v in variables.items()}
            if not self.reset:
                self._note_held(values, values)
                return values
            # the graph's own reset (each node's reset_state), never a user's method of that name: BrainPy's
            # runners never call it, and models (Joglekar 2018) define a reset(self) of their own
            f = functional(lambda: DynamicalSystem.reset(net, self.batch_size), variables)
            state, _ = f.pure(values, {"key": key})
        self._note_held(values, state)
        return state

    def _note_held(self, given: dict, state: dict) -> None:
        # a variable the reset leaves alone is the very value it was given, which a compiled init holds as a constant
        self._held = {p: given[p] for p in state if state[p] is given[p] and not is_traced(given[p])}

    def held_changed(self, variables: dict) -> bool:
        """Whether a value the init program holds as it was traced (a variable no ``reset_state`` writes: it starts
        every run from the value it had then) is no longer the variable's value in ``variables`` ({path: Variable}):
        a start over must be traced anew to start from the value now, as a new Runner's first run does."""
        for path, held in self._held.items():
            var = variables.get(path)
            if var is None:
                return True
            now = var.value
            if now is held:
                continue
            if is_traced(now) or np.shape(now) != np.shape(held) or np.asarray(now).dtype != np.asarray(held).dtype:
                return True
            if not np.array_equal(np.asarray(now), np.asarray(held), equal_nan=np.asarray(now).dtype.kind in "fc"):
                return True
        return False

    def _record(self, net: DynamicalSystem, variables: dict, monitors: list | None = None) -> dict:
        out = {}
        seen = share.load(INPUTS_SEEN, None)  # the inputs the step cleared, as the groups summed them
        for m in self.monitors if monitors is None else monitors:
            target = m.monitor.target
            pad = None  # the slots an owner's view marks as padding (plastic weights: NaN there, 0 in the state)
            if isinstance(target, str):
                raw = monitored_value(variables[target], seen)
                value = _owner_view(net, target, raw)
                if value is not raw and m.monitor.reduce is not None:
                    pad = jnp.isnan(value) & ~jnp.isnan(raw)  # a real synapse's own NaN is no padding: it shows
            else:
                with inputs_as_summed(seen):
                    value = target(share) if m.monitor.takes_share else target()
                value = _numbers(m.name, value)
            value = jnp.asarray(value)
            axis = _batch_axis(variables, target)
            if axis and (m.monitor.index is not None or m.monitor.reduce is not None):
                value = jnp.moveaxis(value, axis, 0)  # an index or a reduction reads the neurons: batch first
                pad = None if pad is None else jnp.moveaxis(pad, axis, 0)
            if m.monitor.index is not None:
                # the index selects within the variable's own shape, after any batch axis
                index = m.monitor.index
                index = np.asarray(index) if isinstance(index, list) else index
                value = value[:, index] if axis is not None else value[index]
                pad = None if pad is None else (pad[:, index] if axis is not None else pad[index])
            if m.monitor.reduce is not None:  # one number per step (per batch row): no dense raster to keep
                axes = tuple(range(1 if axis is not None else 0, value.ndim))
                value = _reduce(value, m.monitor.reduce, axes, pad)
            out[m.name] = value
        return out

    def _one_step(self, net: DynamicalSystem, variables: dict, i0: Any, xs: Any) -> Callable[[jax.Array], None]:
        """Step ``i`` of the model: the runner's inputs, then ``net.step_run(i)``."""
        def one_step(i: jax.Array) -> None:
            if self.step_times:  # the chunk's times, last of xs (_iter_inputs): one rounded t read by every node
                t = jax.lax.dynamic_index_in_dim(xs[len(self.inputs)], i - i0, keepdims=False)
                share.save(i=i, t=t, **{STEP_TIME: t})
            else:
                share.save(i=i, t=self.t0 + i * self.dt)
            for k, inp in enumerate(self.inputs):
                if inp.type == "fix":
                    apply_input(variables, inp, inp.value)
                elif inp.type == "iter":
                    apply_input(variables, inp, jax.lax.dynamic_index_in_dim(xs[k], i - i0, keepdims=False))
                else:
                    apply_input(variables, inp, inp.value(share.t))
            share.save(**{INPUTS_SEEN: {}})  # filled by the step, read by _record
            net.step_run(i)

        return one_step

    def _chunk_lane(self, state: dict, key: jax.Array, params: dict, i0: jax.Array, xs: list, n_blocks: int,
                    plan: StridePlan) -> tuple[dict, dict]:
        """Run ``n_blocks`` top-level blocks of ``plan`` from step ``i0``; each monitor at its own stride.

        The nesting of blocks is explained in ``stride.py``. Returns the state and, per monitor,
        its samples in time order (one per ``plan.stride(k)`` steps, the first after step ``i0``).
        """
        with environment(dt=self.dt, t0=self.t0, key=key):
            net, variables = self._model(params)
            one_step = self._one_step(net, variables, i0, xs)
            ctx = {"key": key, "t0": self.t0}
            f_step = functional(one_step, variables)
            chain = plan.chain

            def first(level: int) -> Any:
                wanted = [m for k, m in enumerate(self.monitors) if plan.levels[k] <= level]

                def fn(i: jax.Array) -> dict:
                    one_step(i)
                    return self._record(net, variables, wanted)

                return functional(fn, variables)

            firsts = [first(level) for level in range(len(chain))]

            def scan_steps(st: dict, i: jax.Array, n: int) -> dict:  # n steps that record nothing
                def body(s: dict, j: jax.Array) -> tuple[dict, None]:
                    return f_step.pure(s, ctx, i + j)[0], None

                return jax.lax.scan(body, st, jnp.arange(n))[0] if n > 0 else st

            def block(level: int, st: dict, i: jax.Array) -> tuple[dict, dict]:
                st, rec = firsts[level].pure(st, ctx, i)
                rec = {name: v[None] for name, v in rec.items()}
                st, rest = tail(level, st, i + 1)
                return st, {name: jnp.concatenate([v, rest[name]]) if name in rest else v for name, v in rec.items()}

            def tail(level: int, st: dict, i: jax.Array) -> tuple[dict, dict]:
                """Steps 1 .. chain[level]-1 of a level-``level`` block starting at ``i - 1``."""
                if level == 0:
                    return scan_steps(st, i, chain[0] - 1), {}
                st, head = tail(level - 1, st, i)
                inner = chain[level - 1]
                n = chain[level] // inner - 1

                def body(s: dict, j: jax.Array) -> tuple[dict, dict]:
                    return block(level - 1, s, i - 1 + inner * (j + 1))

                st, recs = jax.lax.scan(body, st, jnp.arange(n))
                recs = {name: v.reshape((-1,) + v.shape[2:]) for name, v in recs.items()}
                return st, {name: jnp.concatenate([head[name], v]) if name in head else v for name, v in recs.items()}

            top = len(chain) - 1

            def outer(st: dict, j: jax.Array) -> tuple[dict, dict]:
                return block(top, st, i0 + j * chain[top])

            state, recs = jax.lax.scan(outer, state, jnp.arange(n_blocks))
            recs = {name: v.reshape((-1,) + v.shape[2:]) for name, v in recs.items()}
        return state, recs

    # -- what the lanes of a batch share --------------------------------------------------------------
    def shared_paths(self, params: dict) -> frozenset:
        """Paths of the variables every lane of a batch shares (one copy, ``sharing.py``): their initial
        value depends neither on the run key nor on the parameters, and no step writes them.

        ``params``: the batch's values ``{name: (B, ...)}``; found once per parameter shapes by tracing
        the init program and one step (nothing runs).
        """
        return self._analysis(params)[0]

    def constant_fills(self, params: dict) -> dict[str, np.ndarray]:
        """``{path: value}``: the per-lane variables whose initial value is one number everywhere, the
        same in every lane (zeros, a flag's ``False``). ``init`` fills them on the host instead of in the
        compiled program (``sharing.py``); found by the same trace as ``shared_paths``."""
        return self._analysis(params)[1]

    def _analysis(self, params: dict) -> tuple[frozenset, dict, dict]:
        """``(shared_paths, constant_fills, {path: a lane's initial shape and dtype, in the model's order})``."""
        example = {k: jax.ShapeDtypeStruct(np.shape(v)[1:], jnp.asarray(v).dtype) for k, v in params.items()}
        cache = tuple(sorted((k, s.shape, str(s.dtype)) for k, s in example.items()))
        if cache not in self._shared:
            self._shared[cache] = self._find_shared(example)
        return self._shared[cache]

    def _find_shared(self, example: dict) -> tuple[frozenset, dict, dict]:
        # the first trace of a step: a Variable that tracing_variable makes there (BrainPy's idiom, in
        # update) is part of the state from here on, in every program compiled after (they differed: "Computation
        # compiled for 2 inputs but called with 1")
        return discovering(lambda: self._find_shared_once(example))

    def _find_shared_once(self, example: dict) -> tuple[frozenset, dict, dict]:
        from .chunk_loop import _iter_inputs

        key = jax.random.key(0)
        try:
            depends, shapes, fills = traced_analysis(self._init_lane, key, example)
        except Exception:  # noqa: BLE001 - a model that only runs op by op (Runner(jit=False)): nothing shared
            return frozenset(), {}, {}
        holder: dict = {}

        def one_step(k: jax.Array, params: dict, state: dict) -> jax.Array:
            with environment(dt=self.dt, t0=self.t0, key=k):
                net, variables = self._model(params)
                f = functional(self._one_step(net, variables, 0, _iter_inputs(self, 0, 1)), variables)
                new, _ = f.pure(state, {"key": k, "t0": self.t0}, jnp.asarray(0, jnp.int32))
            # a variable the step leaves alone is the very value it was given
            holder["written"] = frozenset(p for p in state if new[p] is not state[p])
            return jnp.zeros(())

        try:
            jax.eval_shape(one_step, key, example, shapes)
        except Exception:  # noqa: BLE001 - as above: a step that cannot be traced shares nothing
            if not jax.config.jax_disable_jit:
                # compiled steps: the chunk program traces this step too and would fail the same way,
                # only after the init program compiled (seconds): refuse the model now
                raise
            return frozenset(), {}, {}
        shared = frozenset(p for p, d in depends.items()
                           if not d and p not in holder["written"] and not is_key(shapes[p]))
        return shared, {p: v for p, v in fills.items() if v is not None and p not in shared}, shapes

    # -- compiled entry points ---------------------------------------------------------------------
    def init(self, keys: jax.Array, params: dict) -> dict:
        """Initial states of a batch of runs (one key and one parameter point per lane); the variables
        of ``shared_paths`` once, without a lane axis."""
        _check_batch(keys, params)
        shared, fills, shapes = self._analysis(params)
        lanes = keys.shape[0]
        # each constant a program would fill is one more kernel to compile; the host fills it instead,
        # except a very large one (a per-synapse trace of a full-scale model: it would be copied from the host)
        hosted = {p: np.full((lanes,) + shapes[p].shape, v) for p, v in fills.items()
                  if lanes * math.prod(shapes[p].shape) * v.itemsize <= HOST_FILL_BYTES}
        out = self._programs.init(keys, params, shared, frozenset(hosted))(keys, params)
        ref = next(iter(out.values()), keys)  # where the program's outputs are (else the keys)
        where = ref.sharding if getattr(ref, "committed", False) else None
        hosted = {p: jax.device_put(v, where) for p, v in hosted.items()}
        state = {p: out[p] if p in out else hosted[p] for p in (shapes or out) if p in out or p in hosted}
        _check_flags(state, self._init_checks, shared, lanes)
        return state

    def restore(self, seeds_or_keys: Any, params: dict, saved: list[dict], device: Any = None,
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
        seeded = seeded_paths(self, {k: v[0] for k, v in params.items()})
        shared = self.shared_paths(params)  # a function of the model alone, never written: as at the start
        out = {}
        for path, value in state.items():
            if is_key(value) or path in seeded or path in shared:  # drawn again from the seed, as at the start
                out[path] = value
                continue
            missing = [lane for lane, s in enumerate(saved) if path not in s]
            if missing:
                raise KeyError(f"the saved state of lane(s) {missing} has no variable {path!r}")
            shape = value.shape[1:]
            cut = tuple(slice(0, n) for n in shape)
            # stacked on the host, then one transfer: an eager jnp.stack compiles a program per shape
            lanes = [np.asarray(state_value(path, np.asarray(s[path])[cut] if padded and np.ndim(s[path]) == len(shape)
                                            else s[path], shape, value.dtype)) for s in saved]
            out[path] = jax.device_put(np.stack(lanes), value.sharding)
        return out

    def probe(self, params_example: dict) -> tuple[list[MonitorInfo], list[StateInfo]]:
        """Shapes, dtypes, dims and units of the monitors and states, without running anything (``probe.py``)."""
        return probe_model(self, params_example)

    #: the older name of ``probe`` (kept: "describe" also names the sweep's plan in words)
    describe = probe

    # -- the host loop ------------------------------------------------------------------------------
    def run(self, seeds_or_keys: Any, params: dict, n_steps: int, *, sink: Callable | None = None,
            chunk_steps: int | None = None, device: Any = None, progress: Callable[[int], None] | None = None,
            keep: bool = True, initial_state: dict | None = None, start_step: int = 0,
            checkpoint: Callable[[dict, int], None] | None = None, checkpoint_every: float | None = None,
            total_steps: int | None = None, trace_lock: Any = None,
            stop: Callable[[], bool] | None = None) -> tuple[dict, dict]:
        """Simulate a batch for ``n_steps`` from ``start_step``; returns ``(final_state, records)``.

        ``records`` maps monitor names to arrays ``(batch, samples, ...)`` (if ``keep``); a monitor with no
        sample (``n_steps=0``: a sweep's run resumed at its end; a ``start`` past the end) gives ``(batch, 0, ...)``
        in its dtype. ``seeds_or_keys``: one seed, a flat list of seeds, or run keys (at least one). ``sink(records,
        starts)`` receives each chunk as numpy arrays, with ``starts[name]`` the index of its first sample,
        then ``progress(steps)``; both run on a writer thread while the next chunk computes (a bounded
        queue keeps memory flat). An error of the writer stops the run and is raised here.

        ``checkpoint(state, step)`` (on the writer thread, after the records of every step before
        ``step`` went to the sink) receives the batch's state as numpy arrays (random-key variables
        left out, and at a boundary that is no stop the seeded ones too: ``restore`` re-creates both from the
        seed) at a chunk boundary, at
        most once per ``checkpoint_every`` seconds of wall time (0: at every boundary). ``total_steps``
        (default ``start_step + n_steps``) sets the chunk grid, so a run resumed from a checkpoint
        uses the same compiled chunks as the uninterrupted run.

        ``stop()`` is asked before every compiled call (after its compile): when it is true the run ends at
        that chunk boundary, saves a checkpoint there (``checkpoint``, whatever ``checkpoint_every`` says;
        none when no call ran) and raises ``RunStopped`` (a ``KeyboardInterrupt``) once the writer has
        written everything.

        ``trace_lock`` (a lock shared by threads that run simulations side by side, one per device) is
        held while a program is traced and compiled, never while it runs: tracing uses the process's
        one step context, while compiled code runs freely in parallel.
        """
        check_int("n_steps", n_steps, minimum=0)  # -1 or 2.5 ran nothing, or 2 steps, without a word
        check_int("start_step", start_step, minimum=0)
        keys = _keys(seeds_or_keys)
        _check_batch(keys, params)
        return run_chunks(self, keys, params, n_steps, sink=sink, chunk_steps=chunk_steps,
                          device=device, progress=progress, keep=keep, initial_state=initial_state,
                          start_step=start_step, checkpoint=checkpoint, checkpoint_every=checkpoint_every,
                          total_steps=total_steps, trace_lock=trace_lock, stop=stop)

    def lanes_for(self, state: dict, batch: int, device: Any = None, shared: frozenset = frozenset()) -> LaneMode:
        """How the lanes of this batch run (``self.lanes``, or ``choose_lanes`` for ``"auto"``).

        A lane's work follows the whole model, so the variables it shares (``shared``) count in full.
        """
        if self.lanes != "auto":
            return self.lanes
        platform = (device.platform if hasattr(device, "platform") else
                    next(iter(jax.tree.leaves(state)[0].devices())).platform if state else jax.default_backend())
        per_lane = sum(np.dtype(v.dtype).itemsize * math.prod(v.shape) / (1 if p in shared else max(batch, 1))
                       for p, v in state.items() if hasattr(v, "shape") and not is_key(v))
        return choose_lanes(platform, batch, per_lane)

def _reduce(value: jax.Array, how: str, axes: tuple, pad: jax.Array | None) -> jax.Array:
    """A monitor's ``reduce`` over ``axes``; ``pad`` marks slots left out (a plastic w's padding, NaN in its
    record: docs/plasticity.md promises a reduction over real synapses only, and every step read NaN)."""
    if how == "sum" and value.dtype == jnp.bool_:
        return jnp.sum(value, axis=axes, dtype=jnp.int32)
    if pad is None:
        return getattr(jnp, how)(value, axis=axes)
    neutral = {"sum": 0.0, "mean": 0.0, "max": -jnp.inf, "min": jnp.inf}[how]
    out = getattr(jnp, "sum" if how == "mean" else how)(jnp.where(pad, neutral, value), axis=axes)
    if how == "mean":
        out = out / jnp.sum(~pad, axis=axes)
    if how in ("max", "min"):  # no real synapse: NaN, not an infinity
        out = jnp.where(jnp.all(pad, axis=axes), jnp.nan, out)
    return out


def _owner_view(net: DynamicalSystem, path: str, value: jax.Array) -> jax.Array:
    """What a monitor of ``path`` records: the owner's ``recorded_value`` (plastic weights: NaN on
    padding slots, docs/plasticity.md) where it has one, else the value."""
    node, attr = owner(net, path)
    view = getattr(node, "recorded_value", None)
    return value if view is None else view(attr, value)


def _check_flags(state: dict, checks: dict[str, str], shared: frozenset = frozenset(), n_lanes: int = 1) -> None:
    """Stop rather than simulate an invalid model: a flag a node declared with ``declare_init_check``
    (e.g. a projection's ``overflow``) is set after init in some lane (in every lane, for a shared one)."""
    for path, message in checks.items():
        value = state.get(path)
        if value is None:
            continue
        flags = (np.full(n_lanes, bool(np.asarray(value).any())) if path in shared  # one flag for every lane
                 else np.asarray(value).reshape(value.shape[0], -1).any(axis=1))
        if flags.any():
            raise RuntimeError(f"{path} is set in lane(s) {np.flatnonzero(flags).tolist()}: {message}")


def _keys(seeds_or_keys: Any) -> jax.Array:
    """One run key per run of the batch: from a seed, a list of seeds, or run keys (one or a 1-d array)."""
    arr = seeds_or_keys
    if isinstance(arr, jax.Array) and jnp.issubdtype(arr.dtype, jax.dtypes.prng_key):
        if arr.ndim > 1:  # a (2, 3) array of keys ran as one lane, its other keys dropped
            raise ValueError(f"run keys must be one key or a 1-d array of keys (one per run), got shape {arr.shape}")
        keys = arr if arr.ndim == 1 else arr.reshape((1,))
    else:
        seeds = np.atleast_1d(np.asarray(arr))
        if seeds.size and seeds.ndim > 1:  # [[0, 1]] made one lane of a (1, 2) key array, failing later in vmap
            raise ValueError(f"seeds must be one seed or a flat list of seeds (one per run), got shape {seeds.shape}: "
                             f"{seeds_or_keys!r:.80}")
        # uint32 below: a seed past 2**32 - 1 would wrap onto a smaller one's run
        if seeds.size and (seeds.dtype.kind not in "iu" or np.any(seeds < 0) or np.any(seeds > MAX_SEED)):
            raise ValueError(f"each seed must be {SEED_RULE}, got {seeds_or_keys!r}")
        keys = jax.vmap(run_key)(jnp.asarray(seeds, jnp.uint32)) if seeds.size else jnp.zeros((0,))
    if not keys.shape[0]:  # [] said "each seed must be an integer", or ran a batch of none
        raise ValueError(f"no seeds: a batch runs one run per seed (or run key), so give at least one, "
                         f"e.g. [0], got {seeds_or_keys!r:.80}")
    return keys


def _check_batch(keys: jax.Array, params: dict) -> None:
    """Each parameter holds one value per run of the batch (a leading axis as long as the seeds): a scalar or
    another length failed inside ``jax.vmap`` ("vmap got inconsistent sizes for array axes to be mapped")."""
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict name -> values (one per run), got {type(params).__name__}")
    runs = keys.shape[0]
    for name, value in params.items():
        shape = np.shape(value)
        if not shape or shape[0] != runs:
            got = "one value" if not shape else f"{shape[0]} value(s) (shape {shape})"
            raise ValueError(f"parameter {name!r} has {got}; a batch of {runs} run(s) (one per seed or key) "
                             f"takes one per run, on its leading axis (np.full({runs}, value) repeats one)")


def _batch_axis(variables: dict, target: Any) -> int | None:
    return variables[target].batch_axis if isinstance(target, str) else None



def _numbers(name: str, value: Any) -> Any:
    """A function monitor's value, refused by name unless it is numbers (None or a str failed inside JAX)."""
    value = unwrap(value)
    if value is None or isinstance(value, (str, bytes)) or (
            not hasattr(value, "dtype") and not isinstance(value, (int, float, complex, list, tuple))):
        raise TypeError(f"monitor {name!r}: its function must return numbers (a number or an array), got "
                        f"{type(value).__name__} {value!r:.60}")
    return value
