"""The host loop of ``Simulation.run``: one compiled call per chunk, its records handed to a writer thread.

The host thread only dispatches compiled chunks; the writer thread (``writer.ChunkWriter``) receives
one typed message per event, in order: ``Records`` (a chunk's samples, for the sink), ``Checkpoint``
(a chunk boundary where a checkpoint is due if ``checkpoint_every`` seconds have passed) and
``CheckpointNow`` (a stop: the run continues from this boundary next time).
"""
from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np

from ..core.checks import check_int
from ..core.context import step_times
from .monitors import first_step, lcm_every
from .probe import is_key, record_bytes_per_step, seeded_paths
from .sharing import split_state
from .stride import StridePlan, every_step_plan, stride_plan
from .writer import ChunkWriter

__all__ = ["Checkpoint", "CheckpointNow", "Records", "RunStopped", "check_iter_lengths", "chunk_steps_for", "run_chunks"]

#: Target size of one chunk's recordings for the whole batch (bytes).
CHUNK_BYTES = 64 * 2**20
#: Longest chunk (steps): chunk boundaries are where a long run can be checkpointed.
MAX_CHUNK_STEPS = 10_000


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
    >>> chunk_steps_for(1000, 0.0, 1, chunk_steps=1500), chunk_steps_for(10, 0.0, 1, chunk_steps=10**12)
    (1000, 1000000000000)
    """
    if chunk_steps is None:
        budget = CHUNK_BYTES if budget is None else budget
        chunk_steps = int(min(n_steps, MAX_CHUNK_STEPS, max(unit, budget // max(record_bytes_per_step, 1))))
    else:
        check_int("chunk_steps", chunk_steps, minimum=1)
    chunk_steps = max(unit, chunk_steps - chunk_steps % unit)
    if n_steps % chunk_steps:
        # no step count above n_steps divides it: starting there, a huge chunk_steps given for a short run
        # (10**12) was a search of 10**11 numbers that never ended
        top = min(chunk_steps, max(unit, n_steps - n_steps % unit))
        for c in range(top, max(unit, chunk_steps // 2) - 1, -unit):
            if n_steps % c == 0:
                return c
    return chunk_steps


class RunStopped(KeyboardInterrupt):
    """``Simulation.run`` stopped at a chunk boundary because ``stop()`` said so; ``.step`` is where
    (its checkpoint, when the run keeps them, was written there)."""

    def __init__(self, message: str, step: int):
        super().__init__(message)
        self.step = step


@dataclass(frozen=True)
class Records:
    """A finished chunk: its samples (still on the device), first step, stride plan and steps."""

    recs: dict
    i0: int
    plan: StridePlan
    length: int


@dataclass(frozen=True)
class Checkpoint:
    """The state at step ``step`` (a copy: the original is donated to the next chunk); saved if one is due."""

    state: dict
    step: int


@dataclass(frozen=True)
class CheckpointNow:
    """The state at step ``step`` where a stopped run continues: saved whatever ``checkpoint_every`` says."""

    state: dict
    step: int


def run_chunks(sim: Any, keys: jax.Array, params: dict, n_steps: int, *, sink: Callable | None,
               chunk_steps: int | None, device: Any, progress: Callable[[int], None] | None, keep: bool,
               initial_state: dict | None, start_step: int, checkpoint: Callable[[dict, int], None] | None,
               checkpoint_every: float | None, total_steps: int | None, trace_lock: Any,
               stop: Callable[[], bool] | None) -> tuple[dict, dict]:
    """``Simulation.run`` (its docstring says what each argument does) for keys made from the seeds."""
    lock = trace_lock if trace_lock is not None else contextlib.nullcontext()
    # before anything runs: a short one failed at the first chunk past its end, after the earlier chunks had
    # run and gone to the sink (a store's records written for a run that then failed)
    check_iter_lengths(sim, start_step, start_step + n_steps)
    batch = keys.shape[0]
    params = {k: jnp.asarray(v) for k, v in params.items()}
    if device is not None:
        keys, params = jax.device_put((keys, params), device)
    if initial_state is None:
        with lock:
            state = sim.init(keys, params)
    else:
        state = initial_state
    shared = sim.shared_paths(params)
    # one copy of the shared variables serves every lane; it is never donated, so never copied
    state, common = split_state(state, shared)
    lanes = sim.lanes_for({**state, **common}, batch, device, shared)
    plan = stride_plan([m.every for m in sim.monitors])
    end = start_step + n_steps
    with lock:  # sizing chunks may probe (trace) the model
        chunk = _chunk_length(sim, total_steps or end, batch, chunk_steps, params)
    records: dict[str, list] = {m.name: [] for m in sim.monitors}
    # a checkpoint keeps no seeded variable (connectivity is redrawn from the seed on restore): copying the tables
    # for it held up to three copies of them while the writer kept the last one (a full-scale microcircuit peaked
    # at 2.3x its state)
    seeded: frozenset = frozenset()
    if checkpoint is not None and checkpoint_every is not None:
        with lock:  # found by tracing build, once per Simulation
            seeded = seeded_paths(sim, {k: v[0] for k, v in params.items()})
    writer = ChunkWriter(_WriterStep(sim, sink, records, keep, progress, checkpoint, checkpoint_every))
    i = start_step
    stopped = False
    try:
        while i < end:
            length, n_blocks, use = next_piece(i, end, chunk, plan)
            xs = _iter_inputs(sim, i, length)
            args = (state, common, keys, params, jnp.asarray(i, jnp.int32), xs)
            program = sim._programs.chunk(n_blocks, use, lanes, args, lock)  # compiles on first use
            # asked before each call, so a stop during the compile costs no call at all; the state
            # at i is already saved when nothing ran in this session (i == start_step)
            if stop is not None and stop():
                if checkpoint is not None and i > start_step:
                    writer.put(CheckpointNow({p: v for p, v in {**state, **common}.items() if not is_key(v)}, i))
                stopped = True
                break
            state, recs = program(*args)
            writer.put(Records(recs, i, use, length))
            i += length
            if checkpoint is not None and checkpoint_every is not None and i < end:
                # the state is donated to the next chunk: hand the writer a copy; the writer, which
                # knows when the chunk really finished, decides whether a checkpoint is due
                writer.put(Checkpoint({**_copy_state({p: v for p, v in state.items()
                                                      if not is_key(v) and p not in seeded}),
                                       **{p: v for p, v in common.items() if not is_key(v)}}, i))
    finally:
        writer.close()
    if stopped:
        raise RunStopped(f"stopped at step {i} of {end} on request", i)
    if not keep:
        return {**state, **common}, {}
    out = {name: np.concatenate(parts, axis=1) for name, parts in records.items() if parts}
    if len(out) < len(records):  # no sample (n_steps=0, a start past the end): empty, as a record's shape says
        with lock:
            infos = {i.name: i for i in sim.probe({k: v[0] for k, v in params.items()})[0]}
        out = {name: out[name] if name in out else np.zeros((batch, 0) + tuple(infos[name].shape),
                                                            np.dtype(infos[name].dtype)) for name in records}
    return {**state, **common}, out


@jax.jit
def _copy_state(state: dict) -> dict:
    """A copy of every array of ``state`` (fresh buffers the next chunk's donation leaves alone) in one
    compiled call per state structure: eager ``jnp.copy`` compiled one small program per shape and dtype."""
    return {p: jnp.copy(v) for p, v in state.items()}


def next_piece(i: int, end: int, chunk: int, plan: StridePlan) -> tuple[int, int, StridePlan]:
    """Steps, top-level blocks and stride plan of the compiled call starting at step ``i``.

    Calls start on the chunk grid, so they are whole numbers of blocks; the few steps before the
    end that do not fill a block (or up to the grid after an unaligned start) record every step.

    >>> next_piece(0, 100, 50, stride_plan([10]))[:2], next_piece(95, 100, 50, stride_plan([10]))[:2]
    ((50, 5), (5, 5))
    """
    block = plan.block
    length = min(chunk - i % chunk, end - i)
    if i % block == 0 and length >= block:
        length -= length % block
        return length, length // block, plan
    length = min(length, block - i % block)
    return length, length, every_step_plan(len(plan.levels))


class _WriterStep:
    """What the writer thread does with each message (see the module text)."""

    def __init__(self, sim: Any, sink: Callable | None, records: dict[str, list], keep: bool,
                 progress: Callable[[int], None] | None, checkpoint: Callable[[dict, int], None] | None,
                 checkpoint_every: float | None) -> None:
        self.monitors = sim.monitors
        # a monitor's first step (Monitor.start): samples before it are dropped here, never kept or written
        self.first = [first_step(m, sim.dt, sim.t0) for m in sim.monitors]
        self.sink, self.records, self.keep, self.progress = sink, records, keep, progress
        self.checkpoint, self.checkpoint_every = checkpoint, checkpoint_every
        self.last = time.monotonic()

    def __call__(self, item: Records | Checkpoint | CheckpointNow) -> None:
        if isinstance(item, CheckpointNow):  # a stop: this boundary is where the run continues next time
            assert self.checkpoint is not None
            self.checkpoint(jax.device_get(item.state), item.step)
            return
        if isinstance(item, Checkpoint):
            assert self.checkpoint is not None and self.checkpoint_every is not None
            if time.monotonic() - self.last >= self.checkpoint_every:
                self.checkpoint(jax.device_get(item.state), item.step)
                self.last = time.monotonic()
            return
        chunk_out, starts = {}, {}
        for k, m in enumerate(self.monitors):
            stride = item.plan.stride(k)
            steps = item.i0 + stride * np.arange(-(-item.length // stride))
            take = (steps % m.every == 0) & (steps >= self.first[k])
            if not take.any():
                continue
            arr = np.asarray(item.recs[m.name])
            if not take.all():  # only strides off the chain, or a partial block, need thinning
                arr = arr[:, take]
            chunk_out[m.name] = arr
            starts[m.name] = int((steps[take][0] - self.first[k]) // m.every)
            if self.keep:
                self.records[m.name].append(arr)
        if self.sink is not None:
            self.sink(chunk_out, starts)
        if self.progress is not None:
            self.progress(int(item.length))


def _chunk_length(sim: Any, n_steps: int, batch: int, chunk_steps: int | None, params: dict) -> int:
    unit = lcm_every(sim.monitors)
    per_step = record_bytes_per_step(sim, params) * batch if chunk_steps is None else 0.0
    return chunk_steps_for(n_steps, per_step, unit, chunk_steps)


def check_iter_lengths(sim: Any, start: int, end: int) -> None:
    """Every 'iter' input has a row for each step ``start .. end - 1`` (row ``i`` is step ``i``)."""
    for inp in sim.inputs:
        rows = np.shape(inp.value)[0] if inp.type == "iter" and np.ndim(inp.value) else None
        if rows is not None and rows < end:
            went_on = (f"; a run that goes on from an earlier one reads on from row {start} (row i is step i "
                       f"of the runner, BrainPy's rule): run(..., reset=True) starts over at row 0" if start else "")
            raise ValueError(f"'iter' input for {inp.path!r} has {rows} time steps (rows); this run takes steps "
                             f"{start}..{end - 1}, so it needs {end}{went_on}")


def _iter_inputs(sim: Any, i0: int, length: int) -> list | None:
    arrays = []
    check_iter_lengths(sim, i0, i0 + length)
    for inp in sim.inputs:
        if inp.type == "iter":
            arr = jnp.asarray(inp.value)
            arrays.append(arr[i0:i0 + length])
        else:
            arrays.append(jnp.zeros((length,), jnp.float32))
    if sim.step_times:  # last: the steps' times (Simulation.step_times)
        arrays.append(step_times(sim.t0, sim.dt, i0, length))
    return arrays or None
