"""Planning batches: which swept parameters are traced, how runs group into compiled calls, and the batches.

A group is the runs that share one compiled program (the same static build arguments); a batch is
up to ``batch_size`` runs of one group in one call on one device. Sizes follow from the model's
description (``probe_group``): the store holds the widest shape of each variable.
"""
from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .device_choice import device_memory, on_accelerator
from .errors import UsageError
from .paths import absolute
from .plan import PlannedRun, SweepPlan
from .simulations import traced_dtype
from .task import BatchTask

if TYPE_CHECKING:
    from .experiment import Experiment

__all__ = ["BATCH_STATE_BUDGET", "MAX_AUTO_BATCH", "ALIGNED_CHUNK_SHRINK", "ACCELERATOR_STATE_SHARE", "MAX_AUTO_BATCH_ACCELERATOR",
           "MAX_RUN_CHUNK_BYTES", "auto_batch_size", "spread", "store_time_chunk", "classify",
           "group_key", "probe_group", "group_shared", "widest", "chunk_steps", "chunk_grid", "on_chunk_grid", "make_batches",
           "coord_key", "label"]

#: CPU: memory a batch may use for its state (bytes); the automatic batch size follows from it.
BATCH_STATE_BUDGET = 2 * 2**30
#: CPU: lanes run one after the other (large models) or in a narrow vmap, so wide batches gain nothing.
MAX_AUTO_BATCH = 32
#: Accelerators: a wide batch costs little more than a narrow one (COBA 4000 on one H200: 3.3 s for one
#: lane, 4.0 s for 64, 24 s for 2048, ``bench/gpu_lanes.py``), so a batch takes this share of the
#: device's memory for its state, the rest left to the step's temporaries and the records of a chunk.
ACCELERATOR_STATE_SHARE = 1 / 8
MAX_AUTO_BATCH_ACCELERATOR = 4096
#: Accelerators: records of one call for the whole batch (host memory), and the fewest steps a call
#: should span, so that a wide batch of a recorded model does not cut the store into tiny chunks.
ACCELERATOR_CHUNK_BYTES = 1 * 2**30
MIN_ACCELERATOR_CHUNK_STEPS = 500


def auto_batch_size(state_bytes: int, devices: tuple[str, ...] | list[str] = ("cpu:0",),
                    record_bytes_per_step: float = 0.0, shared_bytes: int = 0) -> int:
    """Runs per batch when the user gives none, from one run's state and records and the devices.

    CPU: as many as ``BATCH_STATE_BUDGET`` holds, at most ``MAX_AUTO_BATCH``. GPU/TPU: as many as
    ``ACCELERATOR_STATE_SHARE`` of the smallest device's memory holds, at most
    ``MAX_AUTO_BATCH_ACCELERATOR``, and few enough that a call of ``MIN_ACCELERATOR_CHUNK_STEPS``
    steps records at most ``ACCELERATOR_CHUNK_BYTES`` (``record_bytes_per_step``: one run's).
    ``shared_bytes`` of the state are one copy for the whole batch (``Simulation.shared_paths``).

    >>> auto_batch_size(4 * 2**20), auto_batch_size(4 * 2**20, ["gpu:0"]) > 32
    (32, True)
    """
    if not on_accelerator(devices):
        budget, cap = BATCH_STATE_BUDGET, MAX_AUTO_BATCH
    else:
        memory = min(device_memory(d) for d in devices)
        budget, cap = int(memory * ACCELERATOR_STATE_SHARE), MAX_AUTO_BATCH_ACCELERATOR
        if record_bytes_per_step > 0:
            cap = min(cap, int(ACCELERATOR_CHUNK_BYTES // (record_bytes_per_step * MIN_ACCELERATOR_CHUNK_STEPS)))
    shared_bytes = min(max(shared_bytes, 0), state_bytes)
    return max(1, min(cap, max(budget - shared_bytes, 0) // max(state_bytes - shared_bytes, 1)))


def classify(plan: SweepPlan) -> tuple[str, ...]:
    """Swept parameters that can be traced (vmapped) rather than compiled per value.

    Float grid axes and float ranges are candidates; a float range that cannot be traced (it sets a
    shape or a Python branch) is refused, since compiling one program per sample would defeat sampling.
    """
    import jax.numpy as jnp

    from .simulations import simulation_for

    exp = plan.experiment
    swept = {**plan.axes, **plan.samples}
    candidates = [n for n, vals in swept.items()
                  if n not in exp.static and all(isinstance(v, float) for v in vals)]
    if not candidates:
        return ()
    first = {n: vals[0] for n, vals in swept.items()}

    def works(traced: list[str]) -> bool:
        fixed = tuple(sorted((k, v) for k, v in {**plan.fixed, **first}.items() if k not in traced))
        sim = simulation_for(exp.path, exp.source_hash, fixed, tuple(traced), plan.dt, helper_hashes(exp),
                             tuple(sorted(plan.quantities.items())))
        try:
            sim.probe({n: jnp.asarray(first[n], traced_dtype()) for n in traced})
            return True
        except Exception:  # noqa: BLE001 - a parameter that sets a shape or a Python branch cannot be traced
            return False

    if works(candidates):
        return tuple(candidates)
    traced = tuple(n for n in candidates if works([n]))
    stuck = [n for n in candidates if n in plan.samples and n not in traced]
    if stuck:
        name = stuck[0]
        text = dict(plan.design.ranges)[name].text() if plan.design else "LOW:HIGH"
        raise UsageError(f"parameter {name!r} cannot be a traced value of {exp.path} (it sets a shape or a Python "
                         f"branch), so each sample would compile its own program: sample it on integers "
                         f"(-p {name}={text}:int) or give values (-p {name}=V1,V2)")
    return traced


def group_key(run: PlannedRun, traced: tuple[str, ...], fixed: dict) -> tuple:
    """The static build arguments of ``run``: runs with equal keys share one compiled program."""
    return tuple(sorted({**fixed, **{k: v for k, v in run.values if k not in traced}}.items()))


def probe_group(plan: SweepPlan, group: tuple, traced: tuple[str, ...], first: PlannedRun) -> tuple[list, list]:
    """The monitors and states of one group, from its first run (shapes may differ between groups)."""
    import jax.numpy as jnp

    from .simulations import simulation_for

    exp = plan.experiment
    sim = simulation_for(exp.path, exp.source_hash, group, traced, plan.dt, helper_hashes(exp),
                         tuple(sorted(plan.quantities.items())))
    params = dict(first.values)
    return sim.probe({n: jnp.asarray(params[n], traced_dtype()) for n in traced})


def group_shared(plan: SweepPlan, group: tuple, traced: tuple[str, ...], first: PlannedRun) -> frozenset:
    """The state paths the runs of a batch of this group share (one copy: ``Simulation.shared_paths``)."""
    import jax.numpy as jnp

    from .simulations import simulation_for

    exp = plan.experiment
    sim = simulation_for(exp.path, exp.source_hash, group, traced, plan.dt, helper_hashes(exp),
                         tuple(sorted(plan.quantities.items())))
    params = dict(first.values)
    return sim.shared_paths({n: jnp.asarray([params[n]], traced_dtype()) for n in traced})


def widest(old: Any, new: Any) -> Any:
    """``new``'s description widened to hold ``old``'s shape too (the store holds the largest)."""
    if old is None:
        return new
    if len(old.shape) != len(new.shape):
        raise UsageError(f"{getattr(new, 'name', getattr(new, 'path', '?'))} changes its number of dims across the "
                         "sweep; sweep such parameters into separate stores")
    k_old, k_new = ((getattr(d, "synapses", None) or {}).get("k") for d in (old, new))
    if k_old is not None and k_new is not None and k_old != k_new:
        # the store labels synapse slot s with presynaptic neuron s // K, one label for every run: a K that
        # varies would give the larger runs' synapses the presynaptic neurons of the smaller ones' layout
        raise UsageError(f"monitor {new.name!r} records plastic weights over synapse slots, and a swept size changes the "
                         f"synapses each presynaptic neuron has ({k_old} in some runs, {k_new} in others): the "
                         "store's one `pre` label per slot cannot hold for every run; sweep these sizes into "
                         "separate stores, or give the projection a fixed number of synapses per neuron")
    from dataclasses import replace

    return replace(old, shape=tuple(max(a, b) for a, b in zip(old.shape, new.shape)), dtype=_wider_dtype(old, new))


def _wider_dtype(old: Any, new: Any) -> str:
    """The dtype a store holds a variable in when its runs' models give it ``old``'s and ``new``'s (a swept switch
    that picks float16 or float32): the wider of one kind, which holds both exactly, so a run's records and saved
    state are what it computed (a store that took the first group's float16 rounded the float32 runs' records and
    final states, and an extension in time continued them from the rounded state, every run ``done``). Kinds that
    differ (an int and a float, a float and a complex) are refused: no dtype of the store holds both exactly."""
    a, b = np.dtype(old.dtype), np.dtype(new.dtype)
    if a == b:
        return old.dtype
    if a.kind == b.kind and a.kind in "fciu":
        return old.dtype if a.itemsize >= b.itemsize else new.dtype
    what = f"recorded variable (monitor) {new.name!r}" if hasattr(new, "name") else \
        f"state variable {getattr(new, 'path', '?')!r}"
    raise UsageError(f"{what} is {a} in some runs of the sweep and {b} in others, and a store holds each variable in "
                     f"one dtype that must hold every run's values exactly: give the Variable one dtype for every "
                     "value swept, or sweep such parameters into separate stores")


#: The largest chunk file of one run's record that follows the calls' length (larger calls are split).
MAX_RUN_CHUNK_BYTES = 64 * 2**20


#: A new store's time chunks start on each record's first step (a monitor's ``start``) where that keeps them at least
#: this fraction of their length: more, smaller chunk files, against every reader comparing each chunk of that
#: record with its digest (a record whose chunks start off the calls' grid has them written in pieces).
ALIGNED_CHUNK_SHRINK = 16


def store_time_chunk(chunk_steps: int, records: Iterable[Any], n_steps: int | None = None) -> int | None:
    """Steps per chunk file along time: the steps of one call, or the largest divisor of it (a whole
    number of the monitors' strides) whose chunk of one run stays under ``MAX_RUN_CHUNK_BYTES``.

    Calls start on their own grid, so each call's records fill whole chunk files: nothing is read
    back and encoded twice, as it would be where a call ends inside a chunk. A record with a ``first`` step (a
    monitor's ``start``) has chunks from there: they end on calls' ends only where ``first`` is a multiple of their
    steps, so the chunk is cut to a divisor of ``first`` too, at most ``ALIGNED_CHUNK_SHRINK`` times shorter (else
    its chunks are written in two pieces each, and readers compare them with their digests:
    ``store/_verify.py::pieced_chunks``). A record of one chunk (``n_steps`` given) needs no such cut. ``None``
    (the store's default) when nothing is recorded. An existing store keeps its chunks: a later sweep's calls are
    cut to them (``chunk_grid``, ``on_chunk_grid``).

    >>> class R: shape, dtype, every, first = (4000,), "bool", 1, 0
    >>> store_time_chunk(1000, [R]), store_time_chunk(10_000, [R]), store_time_chunk(10, [])
    (1000, 10000, None)
    >>> class Late(R): first = 50
    >>> store_time_chunk(40, [R, Late], 200), store_time_chunk(1000, [R, Late], 2000), store_time_chunk(40, [Late], 80)
    (10, 1000, 40)
    """
    records = list(records)
    if not records:
        return None
    unit = math.lcm(*[m.every for m in records])
    per_step = max(math.prod(m.shape) * np.dtype(m.dtype).itemsize / m.every for m in records)
    fits = (steps for steps in range(chunk_steps, unit - 1, -unit)
            if chunk_steps % steps == 0 and steps * per_step <= MAX_RUN_CHUNK_BYTES)
    plain = next(fits, unit)
    for steps in itertools.chain([plain], fits):
        if steps * ALIGNED_CHUNK_SHRINK < plain:
            break
        if all(_starts_on_chunks(m, steps, n_steps) for m in records):
            return steps
    return plain


def _starts_on_chunks(record: Any, steps: int, n_steps: int | None) -> bool:
    """Whether ``record``'s chunks, of ``steps`` steps in a new store (``store/_layout.py::time_chunk``), start on a
    multiple of them, or it has one chunk only."""
    first, every = getattr(record, "first", 0), record.every
    per = max(1, steps // every)
    if n_steps is not None and -(-(n_steps - first) // every) <= per:
        return True
    return first % (per * every) == 0


def chunk_grid(store: Any) -> int | None:
    """Steps per time chunk file of an existing store's records (their least common multiple): a call that ends
    off this grid ends inside a chunk file, which is then written twice, and a copy of the store taken between
    the two writes holds a chunk half-written (NaN, missing spikes) that a later ``done`` status vouches for.
    Records whose chunks start off the step grid (a monitor's ``start`` off a chunk's edge) are left out:
    no call grid from step 0 fits them (readers compare their chunks with their digests instead:
    ``store/_verify.py::pieced_chunks``, the same rule). ``None``: nothing to align (no records).
    """
    steps = []
    for var in store.spec.records:
        k = store.time_chunk(var.name) * var.every
        steps.append(k if var.first % k == 0 else var.every)  # a call is a whole number of strides all the same
    return math.lcm(*steps) if steps else None


def on_chunk_grid(calls: int, grid: int | None, n_steps: int, longest: int | None = None) -> int:
    """Steps per call on an existing store whose chunk files hold ``grid`` steps: ``calls`` cut down to a multiple
    of ``grid`` (at least one chunk), a divisor of ``n_steps`` where one lies within a factor 2 below (equal calls
    share one compiled program). ``calls`` as it is where it already fits, where there is no grid, or where one
    chunk is longer than both ``calls`` and ``longest`` (default the runner's ``MAX_CHUNK_STEPS``: a store of
    chunks sized in bytes, from before stores had a time chunk, whose records' chunk lengths have a huge lcm).

    >>> on_chunk_grid(30, 40, 200), on_chunk_grid(120, 40, 200), on_chunk_grid(400, 40, 2000), on_chunk_grid(80, 40, 200)
    (40, 120, 400, 80)
    >>> on_chunk_grid(300, None, 2000), on_chunk_grid(500, 300, 2000), on_chunk_grid(30, 50_000, 10**6)
    (300, 300, 30)
    """
    if grid is None or calls % grid == 0:
        return calls
    if grid > calls:
        from ..run.engine import MAX_CHUNK_STEPS

        return grid if grid <= max(longest or 0, MAX_CHUNK_STEPS) else calls
    top = calls - calls % grid
    for c in range(top, max(grid, top // 2) - 1, -grid):
        if n_steps % c == 0:
            return c
    return top


#: A long run is cut into at least this many compiled calls: progress moves during a batch, and a stop
#: (Ctrl-C, SIGTERM) is honoured at the next call boundary, a fraction of the run away, not at its end.
CALLS_PER_RUN = 8
#: ... but no call is cut below this many steps for it (each call costs a host round trip).
MIN_CALL_STEPS = 500


def chunk_steps(n_steps: int, records: Iterable[Any], batch: int, given: int | None = None,
                devices: Sequence[str] = ("cpu:0",)) -> int:
    """Steps per compiled call for a full batch (the same for every batch): the runner's rule
    (``run.engine.chunk_steps_for``) applied to the records the store holds; on accelerators with
    ``ACCELERATOR_CHUNK_BYTES`` of records per call (their batches are wide). Unless given, at most
    ``1 / CALLS_PER_RUN`` of the run (not below ``MIN_CALL_STEPS``).

    >>> chunk_steps(10_000, [], 1), chunk_steps(2_000, [], 1), chunk_steps(300, [], 1)
    (1250, 500, 300)
    """
    from ..run.engine import chunk_steps_for

    records = list(records)
    unit = math.lcm(*[m.every for m in records] or [1])
    per_step = sum(math.prod(m.shape) * np.dtype(m.dtype).itemsize / m.every for m in records) * batch
    steps = chunk_steps_for(n_steps, per_step, unit, given,
                            budget=ACCELERATOR_CHUNK_BYTES if on_accelerator(devices) else None)
    cap = max(MIN_CALL_STEPS, -(-n_steps // CALLS_PER_RUN))
    if given is None and steps > cap:
        steps = chunk_steps_for(n_steps, 0.0, unit, cap)
    return steps


def spread(size: int, runs: int, devices: int) -> int:
    """Runs per batch when the size is automatic: at most ``size``, and few enough that ``runs`` are
    spread over the ``devices``, so every device has work.

    >>> spread(32, 32, 2), spread(32, 100, 2), spread(32, 1, 4)
    (16, 32, 1)
    """
    return max(1, min(size, math.ceil(runs / max(1, devices))))


def make_batches(plan: SweepPlan, groups: dict[tuple, list[PlannedRun]], traced: tuple[str, ...],
                 pending: list[PlannedRun], size: int, devices: Sequence[str], records: dict[str, Any],
                 states: dict[str, Any], auto: bool, chunk_steps: int, checkpoint_every: float | None = None,
                 resume: dict[PlannedRun, int] | None = None, spread_over: int | None = None) -> list[BatchTask]:
    """Batches of pending runs; runs that resume from a saved state go with runs saved at the same step
    (the lanes of one compiled call share the step index). An automatic size (``auto``) spreads each group's runs
    over ``spread_over`` workers (default: the devices; a local dask cluster: its workers)."""
    exp = plan.experiment
    store = absolute(plan.out)  # workers may run in another folder
    record_shapes = tuple((n, m.shape) for n, m in records.items())
    state_shapes = tuple((p, s.shape) for p, s in states.items())
    step_indices = tuple(p for p, s in states.items() if getattr(s, "step_index", False))
    pending_set = set(pending)  # Runs are frozen dataclasses: equal coordinates, equal runs
    resume = resume or {}
    split = []
    for key, members in groups.items():
        todo = [r for r in members if r in pending_set]
        for step in sorted({resume.get(r, 0) for r in todo}):
            split.append((key, [r for r in todo if resume.get(r, 0) == step]))
    from ..kernels import active_backend, kernel_choice

    # the path in force now (a `use_kernels` block, --kernels) travels with each task, resolved on a CPU: "auto"
    # becomes the path this process takes, so a worker that cannot take it fails the runs (KernelChoiceError)
    # instead of computing them on the other path, whose float rounding differs (the store's event_kernels)
    kernels = kernel_choice() if on_accelerator(list(devices)) else active_backend()
    import jax

    x64 = bool(jax.config.read("jax_enable_x64"))  # as the store's provenance records it: workers must agree
    from .provenance import code_versions, random_stream, setup_of

    random = random_stream()  # likewise
    versions = code_versions()  # the code that computes the runs: a worker with other code fails them
    setup = setup_of(exp)  # the defaults, monitors and inputs the store records: a worker loading others fails them
    tasks: list[BatchTask] = []
    for key, todo in split:
        if not todo:
            continue
        b = size
        if auto:
            b = spread(size, len(todo), spread_over or len(devices))
        sizes = balanced(len(todo), b)
        # one lane count for every batch of the group: a smaller batch gets spare lanes, so every device
        # runs the same compiled program (one compile, then the persistent cache), not one per size
        lanes = max(sizes) if len(set(sizes)) > 1 else 0
        start = 0
        for n in sizes:
            chunk = todo[start:start + n]
            start += n
            tasks.append(BatchTask(
                experiment=exp.path, source_hash=exp.source_hash, store=store, helpers=helper_hashes(exp),
                runs=tuple((r.seed, r.lane) for r in chunk), fixed=key, traced=traced, dt=plan.dt,
                sampled=tuple(plan.samples),
                n_steps=plan.n_steps, chunk_steps=chunk_steps, device=devices[len(tasks) % len(devices)],
                record_shapes=record_shapes, state_shapes=state_shapes, step_indices=step_indices,
                checkpoint_every=checkpoint_every, kernels=kernels,
                lanes=lanes, x64=x64, random=random, versions=versions, setup=setup,
                quantities=tuple(sorted(plan.quantities.items())),
            ))
    return tasks


def balanced(runs: int, size: int) -> list[int]:
    """Batch sizes for ``runs`` runs in batches of at most ``size``: as few batches as that allows, their
    sizes differing by at most one (so padding them to one lane count wastes at most a lane each).

    >>> balanced(3, 2), balanced(10, 4), balanced(16, 8), balanced(33, 32)
    ([2, 1], [4, 3, 3], [8, 8], [17, 16])
    """
    count = -(-runs // max(1, size))
    return [runs // count + (1 if k < runs % count else 0) for k in range(count)] if runs else []


def helper_hashes(exp: Experiment) -> tuple[tuple[str, str], ...]:
    """``((module, sha256), ...)`` of the local modules an experiment imports (what a task checks)."""
    return tuple(sorted((name, sha) for name, (_, sha) in exp.helpers.items()))


def coord_key(coords: dict) -> tuple:
    """A run's coordinates (``seed`` and its parameters, as ``ResultStore.coords_of`` gives them) as a
    hashable key, each value normalised as the store merges it (``store._spec.value_key``: ``1 == 1.0``,
    ``"1" != 1``). Every key counts: never pass the ``runs()`` dicts, whose ``index`` is a position."""
    from ..store import value_key

    return tuple(sorted((k, value_key(v)) for k, v in coords.items()))


def label(coords: dict) -> str:
    """``"seed=0, we=0.6"``: a run named in messages (``coords`` as for ``coord_key``)."""
    return ", ".join(f"{k}={v}" for k, v in coords.items())
