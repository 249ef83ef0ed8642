"""The Python API of sweeps: ``sweep``, ``run`` and ``prepare``, what the CLI calls and a notebook can call too.

The jobs behind them each have their own file: planning batches (``batching.py``), reconciling with an
existing store (``reconcile.py``), output paths (``paths.py``), provenance (``provenance.py``), the
store lease (``leases.py``) and plans in words for the CLI (``plan_text.py``).
"""
from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import inspect
import math
import os
import uuid
from collections.abc import Iterator
from typing import Any, Callable

import numpy as np

from ..core.checks import check_int, is_real
from ..core.errors import did_you_mean
from .batching import (MAX_RUN_CHUNK_BYTES, auto_batch_size, chunk_grid, chunk_steps as plan_chunk_steps, classify,
                       coord_key, group_shared,
                       group_key, label, make_batches, on_chunk_grid, probe_group, spread, store_time_chunk, widest)
from .plan_text import describe_batches as describe_batches
from .plan_text import describe_plan as describe_plan
from .plan_text import duration_note as duration_note
from .errors import ExperimentError, UsageError
from ..errors import BrainbatchError, keywords_named, option_name, option_text
from .experiment import Experiment, load_experiment, missing_module_advice
from ..store import SUPPORTED_DTYPES, StoreSpec, lease_stale_s, same_versions, versions_text
from .leases import hold_store, release_store, reset_abandoned
from .limits import check_convention_units, check_swept_values, check_traced_values
from .memory import check_memory, group_synapse_stats, memory_plan
from . import nan_rule
from .options import CHECKPOINT_EVERY_S as CHECKPOINT_EVERY_S
from .options import SweepOptions, check_flags, options_from
from .device_choice import on_accelerator
from .executors.dask import DEFAULT_WORKERS
from .paths import check_out, size_check
from .plan import PlannedRun, SweepPlan, make_plan
from .prepared import Prepared as Prepared
from .provenance import provenance
from .ranges import Range, grid_values, looks_like_range
from .reconcile import done_runs, existing_runs, pending_after_checks
from .task import BatchReport, BatchTask, runs_taken_up

__all__ = ["sweep", "run", "run_sweep", "SweepOptions", "SweepResult", "prepare", "describe_plan", "describe_batches",
           "dry_run_refusal", "duration_note", "duration_as_typed", "check_executor"]


#: ``--duration`` as typed, where it was a plain number (ms): the sweep notes one that looks like seconds meant
_TYPED_DURATION: contextvars.ContextVar[str | None] = contextvars.ContextVar("brainbatch_typed_duration", default=None)


@contextlib.contextmanager
def duration_as_typed(text: str | None) -> Iterator[None]:
    """Within: the sweep's duration was written as the plain number ``text`` (the CLI's ``--duration 0.5``); a sweep
    whose duration looks like seconds meant as milliseconds says so (``duration_note``) before it runs."""
    token = _TYPED_DURATION.set(text)
    try:
        yield
    finally:
        _TYPED_DURATION.reset(token)


class SweepResult(str):
    """The store path (a ``str``), with the sweep's outcome: ``.done``, ``.failed``, ``.skipped``,
    ``.elsewhere`` (runs left to another live sweep on the store), ``.damaged`` (runs redone) and
    ``.unfinished`` (runs left pending: the store was extended in time while they ran, or ``fail_fast`` stopped
    the sweep before they started)."""

    done: int
    failed: list
    skipped: int
    total: int
    elsewhere: int
    damaged: dict
    unfinished: int
    batches: list


def prepare(experiment: str | os.PathLike | Experiment, options: SweepOptions | None = None, *,
            device_list: list[str] | None = None, on_store: Callable[[str], None] | None = None,
            **changes: Any) -> Prepared:
    """Plan the sweep, create or extend its store (unless ``dry_run``), and cut the pending runs into batches.

    ``options`` (a ``SweepOptions``) and keyword ``changes`` of it (``seeds=8``, ``dry_run=True``...) say
    what to sweep; ``device_list`` (default: ``options.device_list()``) the devices batches are planned for.

    With ``dry_run`` nothing is written: an existing store is only opened read-only, to count the runs
    already done and to say whether this sweep could write into it (a store behind a URL is not even
    contacted). An existing store is checked first: done runs with a missing chunk (or, with
    ``verify``, any chunk that fails its checksum) are queued again from their first step; runs that
    another live process holds (another sweep on the same store) are left to it. ``on_store(path)`` is
    called once the store exists. ``checkpoint_every`` (seconds, ``None``: never) spaces the runs'
    checkpoints; ``chunk_steps`` overrides the steps per compiled call. ``samples``, ``sampler`` and
    ``sample_seed`` draw the design of ranged parameters (``make_plan``). ``allow_nan`` (``True``,
    ``"all"`` or record / state names; ``None``: the experiment's ``allow_nan``) lets those variables hold
    NaN in a done run (``nan_rule.py``; docs/store.md, "When a run is done").
    """
    opts = options_from(options, changes)
    check_flags(opts)
    out, batch_size, checkpoint_every, chunk_steps = opts.out, opts.batch_size, opts.checkpoint_every, opts.chunk_steps
    from ..run import MonitorInfo  # noqa: F401 - jax is needed from here on
    from ..store import ResultStore, StoreSpec, VarSpec
    from .cache import enable_compile_cache

    enable_compile_cache()
    from ..store import StoreError as _StoreError

    if out is not None and not isinstance(out, (str, os.PathLike)):
        raise UsageError(f"out must be a path or URL string (e.g. 'results/run.zarr'), got {type(out).__name__} {out!r}")
    exp = _as_loaded(experiment) if isinstance(experiment, Experiment) else load_experiment(experiment)
    plan = make_plan(exp, seeds=opts.seeds, params=_params_dict(opts.params), out=out,
                     duration=opts.duration, dt=opts.dt, samples=opts.samples, sampler=opts.sampler,
                     sample_seed=opts.sample_seed)
    stored_spec = _stored_spec(plan.out)  # read once: its source hash, swept values and their units below
    exp = plan.experiment = exp.for_store(None if stored_spec is None else stored_spec.source_hash)  # from before model_hash.py
    check_int(option_name("batch_size"), batch_size, minimum=1, none=True, exc=UsageError, allowed="an integer >= 1")
    from ..core.units import UnitMismatch, is_quantity, to_convention

    if checkpoint_every is not None and is_quantity(checkpoint_every):  # checkpoint_every=30 * u.second
        try:
            checkpoint_every = float(to_convention(option_name("checkpoint_every"), checkpoint_every, "second"))
        except UnitMismatch as err:
            raise UsageError(str(err)) from None
    if checkpoint_every is not None and (
            not is_real(checkpoint_every) or not checkpoint_every >= 0 or not math.isfinite(checkpoint_every)):
        raise UsageError(f"{option_name('checkpoint_every')} must be a number of seconds >= 0, got {checkpoint_every!r}")
    check_int("chunk_steps", chunk_steps, minimum=1, none=True, exc=UsageError, allowed="an integer >= 1")
    check_out(plan.out)  # before any work: a bad path is bad input, dry run or not
    devices = device_list or opts.device_list()
    # -p rate=10mV onto a plain default: the model says if mV is its unit, and takes quantities if it can
    stored_units = _stored_param_units(stored_spec)
    _plain_values_in_store_units(plan, stored_units)
    stored_params = {} if stored_spec is None else stored_spec.params
    _values_as_stored(plan, stored_params)
    plan.quantities = check_convention_units(plan)
    _refuse_quantities_onto_plain(plan, stored_units)
    with np.errstate(over="ignore", under="ignore"):  # a value float32 cannot hold: refused just below, in one line
        traced = classify(plan)
    runs = plan.runs
    groups: dict[tuple, list[PlannedRun]] = {}
    for r in runs:
        groups.setdefault(group_key(r, traced, plan.fixed), []).append(r)
    check_traced_values(plan, traced, stored_params)  # values float32 cannot tell apart or hold
    check_swept_values(plan, groups, traced)  # a traced value skips the model's checks: built once concretely
    # one description per group: shapes may differ (a swept size); the store holds the largest.
    # A group whose build raises is left out here: its runs fail one by one when they run.
    records: dict[str, Any] = {}
    states: dict[str, Any] = {}
    state_bytes = 1
    largest = next(iter(groups), ())
    broken: list[str] = []
    first_error: BaseException | None = None  # the cause of the refusal where every group fails
    dim_sizes: dict[tuple, dict[str, int]] = {}  # each group's size along each variable dim
    states_of: dict[tuple, list] = {}  # each group's state variables (StateInfo)
    for key, members in groups.items():
        try:
            mons, sts = probe_group(plan, key, traced, members[0])
        except UsageError:
            raise
        except (Exception, SystemExit) as err:  # noqa: BLE001 - the experiment's own code failed for these values
            # a KeyError's str() is its argument's repr: the message in quotes
            text = err.args[0] if isinstance(err, KeyError) and len(err.args) == 1 and isinstance(err.args[0], str) \
                else err
            broken.append(f"{members[0].label()}: {type(err).__name__}: {text}")
            first_error = first_error or err
            continue
        # the dims the store has: records and saved states (a seeded table's dims, never stored, named an extent no
        # variable has: a swept microcircuit scale failed before any run with StoreError 'rec_pre_edge')
        stored = [s for s in sts if s.dtype != "key" and s.saved]
        dim_sizes[key] = {d: n for m in (*mons, *stored) for d, n in zip(m.dims, m.shape)}
        for m in mons:
            records[m.name] = widest(records.get(m.name), m)
        for s in sts:
            if s.dtype != "key" and s.saved:  # seeded variables take memory but are not stored
                states[s.path] = widest(states.get(s.path), s)
        states_of[key] = sts
        group_bytes = sum(math.prod(s.shape) * np.dtype(s.dtype).itemsize for s in sts if s.dtype != "key")
        if group_bytes > state_bytes:
            state_bytes, largest = group_bytes, key
    if len(broken) == len(groups):
        # the error itself is the cause: its traceback (the CLI's -v) says where in build() or below it it failed
        raise ExperimentError(f"build() or a monitor of {exp.path} fails for every run, e.g. {broken[0]}"
                              f"{missing_module_advice(first_error) if first_error is not None else ''}") from first_error
    allow, targets = _nan_allowance(exp, opts.allow_nan, records, states)
    late = [m for m in records.values() if m.first >= plan.n_steps]
    if late:
        raise UsageError(f"monitor {late[0].name!r} starts at step {late[0].first} (its start), at or after the run's "
                         f"end ({plan.n_steps} steps of {plan.dt} ms): give a longer duration or an earlier start")
    for what, name, dtype in ([("recorded variable (monitor)", m.name, m.dtype) for m in records.values()]
                              + [("state variable (saved with every run, to resume it)", s.path, s.dtype)
                                 for s in states.values()]):
        if dtype not in SUPPORTED_DTYPES:  # which of the two, not only 'variable': a state is never named a monitor
            raise UsageError(f"{what} {name!r} has dtype {dtype}, which a store does not hold; supported: "
                             f"{', '.join(SUPPORTED_DTYPES)}: give the Variable one of them")
    rec_specs = tuple(VarSpec(name=m.name, dims=m.dims, shape=m.shape, dtype=m.dtype, units=m.units,
                              description=m.description, every=m.every, kind=m.kind, coords=m.coords,
                              synapses=m.synapses, first=m.first)
                      for m in records.values())
    state_specs = tuple(VarSpec(name=s.path, dims=s.dims, shape=s.shape, dtype=s.dtype, units=s.units,
                                description=s.description) for s in states.values())
    run_bytes = sum(math.prod(m.shape) * np.dtype(m.dtype).itemsize * math.ceil((plan.n_steps - m.first) / m.every)
                    for m in records.values())
    saved_bytes = sum(math.prod(s.shape) * np.dtype(s.dtype).itemsize for s in states.values())  # not seeded ones
    store_bytes = plan.n_runs * (run_bytes + saved_bytes)
    extents = _extents(plan, groups, dim_sizes)
    # the state a batch's runs share (a graph from a graph_seed) is held once per batch
    shared_bytes = _shared_bytes(plan, largest, traced, groups.get(largest), states_of.get(largest, []))
    size = batch_size or auto_batch_size(state_bytes, devices, run_bytes / plan.n_steps, shared_bytes)
    # sized for the largest batch the plan can make (not the pending runs: a resumed sweep keeps the chunk grid);
    # an automatic size spreads the runs over the devices, as make_batches does
    # a local dask cluster's workers take a batch each, as devices do here (its runs in one batch left all but one idle)
    spread_over = (opts.workers or DEFAULT_WORKERS) if opts.executor == "dask" and not opts.scheduler else len(devices)
    widest_batch = min(size, plan.n_runs) if batch_size else spread(size, plan.n_runs, spread_over)
    chunk_steps = plan_chunk_steps(plan.n_steps, records.values(), widest_batch, chunk_steps, devices)
    time_bytes = 8 * sum(math.ceil(plan.n_steps / every) for every in {m.every for m in records.values()})
    warning = size_check(plan.out, int(store_bytes), time_bytes)  # refuses a time axis that cannot fit
    prepared = Prepared(plan=plan, store_path=plan.out, tasks=[], pending=[], traced=traced, groups=len(groups),
                        store_bytes=int(store_bytes), batch_size=size, devices=devices,
                        state_bytes=int(state_bytes), warning=warning, executor=opts.executor,
                        workers=opts.workers, scheduler=opts.scheduler, dashboard=opts.dashboard)
    # runs share this host's memory: on its CPU devices, or in the workers of a local dask cluster (one batch each
    # at a time; the cluster was never checked, and its nannies killed a worker past its share)
    local_dask = opts.executor == "dask" and not opts.scheduler
    if (opts.executor == "local" or local_dask) and not on_accelerator(devices):
        # runs of several calls that keep checkpoints hold copies of what a checkpoint keeps (run/chunk_loop.py)
        copied = sum(math.prod(s.shape) * np.dtype(s.dtype).itemsize for s in states_of.get(largest, [])
                     if s.saved and s.dtype != "key")
        side_by_side = [f"worker:{k}" for k in range(spread_over)] if local_dask else devices
        prepared.memory = memory_plan(state_bytes, widest_batch, plan.n_runs, side_by_side, None, shared_bytes,
                                      checkpoints=checkpoint_every is not None and chunk_steps < plan.n_steps,
                                      copied_bytes=copied)
        if opts.dry_run or not prepared.memory.fits:  # the synapses are counted by one more (abstract) build
            stats = group_synapse_stats(plan, largest, traced, groups.get(largest))
            prepared.memory = dataclasses.replace(prepared.memory, synapses=stats and stats[0],
                                                  connectivity_bytes=stats and stats[1])
        if not opts.dry_run:
            # before the store is written
            check_memory(prepared.memory, "--batch-size 1, --workers 1" if local_dask else "--batch-size 1, --devices cpu:1")
    spec = StoreSpec(
        experiment=exp.name, source_hash=exp.source_hash, params=plan.store_params,
        seeds=list(plan.seeds), n_steps=plan.n_steps, dt=plan.dt, t0=0.0, records=rec_specs, states=state_specs,
        time_chunk=store_time_chunk(chunk_steps, records.values(), plan.n_steps), attrs={**provenance(exp, plan, devices, opts.command), **({"param_units": plan.units} if plan.units else {}),
               "allow_nan": allow if allow == "all" else list(allow)},
        samples={k: list(v) for k, v in plan.samples.items()},
        design=plan.design.to_json() if plan.design is not None else None, extents=extents,
    )
    if opts.dry_run:
        prepared.existing, prepared.done_before, prepared.refused = existing_runs(plan, spec, opts.force)
        if prepared.existing == "new":  # what making it would refuse, a dry run refuses too
            try:
                spec.check_portable_names()
            except _StoreError as err:
                raise UsageError(str(err)) from None
        prepared.pending = [r for r in runs if coord_key(r.coords) not in prepared.done_before] \
            if prepared.done_before else list(runs)  # a new store: 3 s of keys for 100,000 runs, none needed
        prepared.tasks = make_batches(plan, groups, traced, prepared.pending, size, devices, records, states,
                                      batch_size is None, chunk_steps, checkpoint_every, spread_over=spread_over)
        prepared.tasks = [dataclasses.replace(t, allow_nan=nan_rule.expand(allow, targets)) for t in prepared.tasks]
        return prepared
    before, steps_before = _store_before(plan.out)
    from . import live

    with live.signals_held():  # an interrupt waits for the layout change to complete (docs/store.md)
        try:
            store = ResultStore.create(plan.out, spec, force=opts.force)
        except _StoreError as err:
            raise UsageError(str(err)) from None
        if on_store is not None:
            on_store(plan.out)  # before an interrupt that waited is acted on: the note names the store
    created = store.generation
    store = ResultStore.open(plan.out)  # after this sweep's lease on the store: what it holds now
    if created is not None and store.generation != created:  # rebuilt by another sweep (--force) meanwhile
        raise UsageError(f"{plan.out!r} was rebuilt by another sweep (--force) while this one started; "
                         "nothing of this sweep was written: run it again once that sweep has ended")
    if store.spec.n_steps != plan.n_steps:  # another sweep extended it in time between our create and now
        raise UsageError(f"{plan.out!r} was extended in time to {store.spec.n_steps * store.spec.dt:g} ms by another "
                         f"sweep while this one started; run it again with {option_text('duration', float(f'{store.spec.n_steps * store.spec.dt:g}'))}")
    if steps_before is not None and steps_before < store.spec.n_steps and not opts.force:
        prepared.extended_from = steps_before  # said in the sweep's output (a --duration left out extends too)
    seen = store.versions_seen
    if before is not None and len(seen) > 1 and not same_versions(seen[-1], before):
        prepared.warning = "; ".join(filter(None, [prepared.warning, (
            f"the runs of {plan.out} so far were computed with {versions_text(before)}; this sweep's with "
            f"{versions_text(seen[-1])} (the store lists both in its versions_seen attribute; write to a new --out for "
            "runs of one version only)")]))
    # the store keeps its chunks (another --batch-size, another machine or chunk_steps made them): calls cut to them
    # end on a chunk's edge, so each chunk file is written once and a copy taken meanwhile never holds a half one
    grid = chunk_grid(store)
    aligned = on_chunk_grid(chunk_steps, grid, plan.n_steps, store.spec.time_chunk)
    if aligned != chunk_steps and opts.chunk_steps is not None:
        prepared.warning = "; ".join(filter(None, [prepared.warning, (
            f"chunk_steps={opts.chunk_steps} taken as {aligned} on {plan.out}: its records are chunked in files of "
            f"{grid} steps, and a call ends on a chunk's edge (so each chunk file is written once)")]))
    lengthened, chunk_steps = aligned > chunk_steps, aligned
    resume, prepared.elsewhere, prepared.damaged, prepared.restarted = pending_after_checks(store, runs, opts.verify)
    prepared.pending = list(resume)
    prepared.resume = dict(resume)
    prepared.tasks = make_batches(plan, groups, traced, prepared.pending, size, devices, records, states,
                                  batch_size is None, chunk_steps, checkpoint_every, resume, spread_over)
    if lengthened:
        prepared.warning = "; ".join(filter(None, [prepared.warning, _lengthened_calls(
            prepared.tasks, aligned, run_bytes / max(plan.n_steps, 1), plan.out)]))
    prepared.tasks = [dataclasses.replace(t, allow_nan=nan_rule.expand(allow, targets), generation=store.generation)
                      for t in prepared.tasks]
    prepared.generation = store.generation
    return prepared


def _lengthened_calls(tasks: list[BatchTask], steps: int, step_bytes: float, out: str) -> str | None:
    """The warning for calls lengthened to ``steps``, one time chunk of a store made with narrower batches, where the
    records of the widest batch that runs (its compiled lanes) reach four times the per-call budget; None where they
    do not, or where nothing runs (a store whose runs are all done warned of 610 MiB per call, for 16 runs, none of
    which ran; a resumed one named the plan's widest batch, not the runs left)."""
    lanes = max((max(t.lanes, len(t.runs)) for t in tasks), default=0)
    call_bytes = steps * step_bytes * lanes  # a call's records, two in flight
    if call_bytes <= 4 * MAX_RUN_CHUNK_BYTES:
        return None
    # one store chunk is the shortest call that ends on an edge: a store made with narrow batches, resumed with wide
    # ones, holds far more records per call than calls sized for this batch would
    return (f"calls of {steps} steps (one time chunk of {out}) hold about {call_bytes / 2**20:.0f} MiB of records for "
            f"{lanes} run(s) at once, two calls in flight; a smaller --batch-size holds less")


#: what the compiled runs take from the experiment's file (every batch, every dask worker, loads it again), not from
#: the ``Experiment`` object a sweep is given: one changed there would be swept as the file says, in silence
_FROM_THE_FILE = ("build", "params", "monitors", "inputs", "param_units")


def _as_loaded(exp: Experiment) -> Experiment:
    """``exp`` if its file still holds it and none of ``_FROM_THE_FILE`` was changed on the object (its ``sweep``,
    ``duration``, ``dt``... the plan takes from the object itself, as ``run`` relies on); else a one-line refusal
    that says how to give the change instead."""
    fresh = load_experiment(exp.path)
    if exp.source_hash not in (fresh.source_hash, fresh.plain_hash):
        raise ExperimentError(f"{exp.path} changed since this Experiment was loaded from it (the sweep builds its "
                              "models from the file): load it again with brainbatch.sweep.load_experiment")
    changed = [name for name in _FROM_THE_FILE if not _same(getattr(exp, name), getattr(fresh, name))]
    if changed:
        how = "give other values with params= (e.g. params={'n': [10]}), or " if changed == ["params"] else ""
        raise UsageError(f"this Experiment was changed after it was loaded ({', '.join(changed)} not as in "
                         f"{exp.path}), but every run builds its model from the file, so the change would not be what "
                         f"is swept: {how}edit the file (or a copy) and load it again")
    return exp


def _same(a: Any, b: Any) -> bool:
    """``a`` and ``b`` hold the same values (arrays compared element by element, containers item by item)."""
    if a is b:
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape \
            and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc" and b.dtype.kind in "fc"))
    try:
        return type(a) is type(b) and bool(a == b)
    except Exception:  # noqa: BLE001 - values that cannot be compared are taken as changed
        return False


def dry_run_refusal(prep: Prepared) -> str | None:
    """Why the sweep a dry run planned would be refused before it runs anything, in one line; ``None`` if it would
    run. A dry run that said "(refused without --force)" and exited 0 misled a script using it as a check: the CLI
    exits 2 with this line, as the sweep itself would."""
    if prep.refused is not None:
        refusal = prep.refused
        longer = ""
        if refusal.shorter:  # a shorter duration: a longer one extends the store
            longer = (f"give the store's {option_text('duration', f'{refusal.store_duration:g}')} or more "
                      "(a longer one extends its runs in time), or ")
        return (f"the sweep would be refused: {prep.plan.out} {refusal.why}; {longer}give {option_name('force')} to "
                f"write into it anyway ({option_name('dry_run')} with {option_name('force')} says what that keeps), "
                f"or another {option_name('out')}")
    if prep.memory is not None and not prep.memory.fits:
        try:
            check_memory(prep.memory)
        except UsageError as err:
            return f"the sweep would be refused: {err}"
    return None


def _store_before(out: str) -> tuple[dict | None, int | None]:
    """The last (brainbatch, jax) versions an existing store's runs were computed with, and its runs' step count;
    ``(None, None)`` for a new store."""
    from ..store import ResultStore, location_exists

    try:
        if not location_exists(out):
            return None, None
        store = ResultStore.open(out, "r")
        seen = store.versions_seen
        return (seen[-1] if seen else None), store.spec.n_steps
    except Exception:  # noqa: BLE001 - not a readable store: create() says why
        return None, None


def _shared_bytes(plan: SweepPlan, key: tuple, traced: tuple[str, ...], members: list | None, states: list) -> int:
    """Bytes of one run's state that the runs of a batch share (``group_shared``), for the largest group;
    0 where its model cannot be traced (its runs then fail when they run)."""
    if not members:
        return 0
    try:
        shared = group_shared(plan, key, traced, members[0])
    except (Exception, SystemExit):  # noqa: BLE001 - the experiment's own code: reported where it runs
        return 0
    return sum(math.prod(s.shape) * np.dtype(s.dtype).itemsize for s in states if s.path in shared and s.dtype != "key")


def _compiled_per_value(prep: Prepared) -> list[str]:
    """Float grid axes that could not be traced (``batching.classify``): each value is its own program."""
    static = set(prep.plan.experiment.static)
    return [n for n, values in prep.plan.axes.items() if n not in prep.traced and n not in static
            and len(values) > 1 and all(isinstance(v, float) for v in values)]


def _store_replaced(path: str, generation: str | None) -> bool:
    """Whether the store at ``path`` was rebuilt or removed since the sweep planned its runs under ``generation``
    (None: it planned none yet, nothing of it can be lost). Unlike task._rebuilt_since, a store that cannot be read
    counts as replaced: the interrupt note must not say the sweep's runs are kept there."""
    from ..store import ResultStore

    if generation is None:
        return False
    try:
        return ResultStore.open(path, "r").generation != generation
    except Exception:  # noqa: BLE001 - no readable store now: what this sweep finished cannot be said to be kept
        return True


def _done_counter(path: str, generation: str | None = None, own: list[tuple] | None = None,
                  not_ours: set[tuple] | frozenset = frozenset(),
                  taken: Callable[[], set[tuple]] | None = None) -> Callable[[], int] | None:
    """Runs of ``own`` (store indices: the runs this sweep's batches were given; None: every run of the store) done
    in the store since now, but
    for those in ``not_ours`` (its batches found them done, or left them to another process): what an interrupted
    sweep says it finished. Runs another process finished meanwhile (its own, or ones this sweep never reached
    that it took first) are not this sweep's; none count in a store rebuilt since (``generation``: the one the
    sweep planned under): the done runs there are the rebuilding sweep's. ``taken`` (where the batches run in this
    process: ``task.runs_taken_up``) gives the runs its batches took up: only those count, so a run of a batch that
    never started, finished by another process meanwhile, is not this sweep's either."""
    from ..store import ResultStore

    def done() -> set[tuple] | None:
        store = ResultStore.open(path, "r")
        if generation is not None and store.generation != generation:
            return None  # counted as none
        status = store.status()
        if own is None:  # this sweep's runs unknown: every done run of the store counts
            return {tuple(int(i) for i in idx) for idx in zip(*np.nonzero(status == "done"))}
        return {idx for idx in own if status[idx] == "done"}

    try:
        start = done() or set()
    except Exception:  # noqa: BLE001 - unreadable now: count as the reports do
        return None
    def finished() -> int:
        runs = (done() or start) - start - set(not_ours)
        return len(runs if taken is None else runs & taken())

    return finished


def _run_key(coords: dict) -> tuple:
    """A run as a batch task lists it, ``(seed, ((name, value), ...))``, from its coordinates in a report."""
    return coords["seed"], tuple((k, v) for k, v in coords.items() if k != "seed")


def _own_runs(prep: Prepared) -> dict[tuple, tuple]:
    """The store index of every run of ``prep.tasks``, by the run as a task lists it (``_run_key``)."""
    from ..store import ResultStore

    if not prep.tasks:
        return {}
    store = ResultStore.open(prep.store_path, "r")
    return {(seed, params): store.run_index(seed=seed, **{k: v for k, v in params if k not in task.sampled})
            for task in prep.tasks for seed, params in task.runs}


def _reset_left_running(prep: Prepared, own: Any) -> int:
    """Runs of ``own`` (this sweep's store indices) left ``running`` under a lease whose owner is gone once the
    executor returned (a dask worker of the local cluster, closed after ``--fail-fast`` with a batch under way):
    pending again, as an interrupt leaves them, so ``brainbatch status`` shows none of them running. A lease that a
    live process holds (a worker of a ``--scheduler`` still finishing a cancelled task; another sweep of this
    process) is left alone, and so is a store rebuilt since the sweep planned. Returns how many were reset."""
    from ..store import ResultStore

    reset = 0
    try:
        store = ResultStore.open(prep.store_path)
        store.check_generation(prep.generation)
        status = store.status()
        for idx in own:
            if status[idx] != "running":
                continue
            lease = store.lease(idx)
            if lease is not None and (lease.alive or lease.mine):
                continue
            if not store.claim(idx):  # a dead owner's lease taken over: no other process resets or runs it meanwhile
                continue
            try:
                store.check_generation(prep.generation)
                if store.status_of(idx) == "running":
                    store.set_status(idx, "pending", error="stopped with the sweep before it finished; run the sweep "
                                                           "again to finish it")
                    reset += 1
            finally:
                store.release(idx)
    except Exception:  # noqa: BLE001 - clean-up after the work: the next sweep takes such runs back anyway
        pass
    return reset


def _nan_allowance(exp: Experiment, given: Any, records: dict, states: dict) -> tuple[Any, dict[str, str]]:
    """The sweep's NaN allowance (``given``, else the experiment's), its names checked against the records
    and states; and the state path each record monitors, by which a named record covers its state."""
    from ..run import normalize_monitors

    if given is None:
        allow, what = exp.allow_nan, f"allow_nan in {exp.path}"
    else:
        allow, what = nan_rule.normalize(given, option_name("allow_nan")), option_name("allow_nan")
    nan_rule.check_names(allow, records, states, what)
    targets = {m.name: m.monitor.target for m in normalize_monitors(exp.monitors) if isinstance(m.monitor.target, str)}
    return allow, targets


def _extents(plan: SweepPlan, groups: dict, dim_sizes: dict) -> dict[str, list]:
    """Runs of a group smaller than the store along a dim (a swept size): ``StoreSpec.extents``, from which
    readers mask the padding so it never reads as silent neurons."""
    full: dict[str, int] = {}
    for sizes in dim_sizes.values():
        for d, n in sizes.items():
            full[d] = max(full.get(d, 0), n)
    names = list(plan.store_params)
    out: dict[str, dict] = {}
    for key, sizes in dim_sizes.items():
        for d, n in sizes.items():
            if n < full[d]:
                for r in groups[key]:
                    values = [dict(r.params)[k] for k in names]
                    out.setdefault(d, {})[repr(values)] = [values, n]
    return {d: list(entries.values()) for d, entries in out.items()}


#: The options only the dask executor reads: given to the local one (other than their defaults), refused.
_DASK_ONLY = ("workers", "scheduler", "retries", "dashboard")


def check_executor(options: SweepOptions, echo: Callable[[str], None] | None = None) -> Any:
    """Refuse an unknown executor, dask's options given to the local executor (they would be silently
    ignored) and bad dask options, before anything is written (a dry run too). Returns the
    ``DaskExecutor`` for ``executor="dask"`` (nothing started yet), else ``None``."""
    from .executors import DaskExecutor

    if options.executor not in ("local", "dask"):
        raise UsageError(f"executor must be 'local' or 'dask', got {options.executor!r}."
                         f"{did_you_mean(options.executor, ['local', 'dask'])}")
    if options.executor == "local":
        defaults = {f.name: f.default for f in dataclasses.fields(SweepOptions) if f.name in _DASK_ONLY}
        given = [name for name in _DASK_ONLY if getattr(options, name) != defaults[name]]
        if given:
            flags = ", ".join(option_name(name) for name in given)
            raise UsageError(f"{flags} {'is an option' if len(given) == 1 else 'are options'} of the dask executor; "
                             f"add {option_text('executor', 'dask')}, or leave "
                             f"{'it' if len(given) == 1 else 'them'} out to run here")
        return None
    if options.devices not in (None, "auto"):  # dask workers each take their own device: it was silently ignored
        raise UsageError(f"{option_text('devices', options.devices)} is an option of the local executor; dask's workers "
                         "each take their own device (where they start, e.g. CUDA_VISIBLE_DEVICES per worker on a "
                         "cluster): leave it out with the dask executor, or drop the dask executor to run here")
    return DaskExecutor(workers=options.workers, scheduler=options.scheduler, retries=options.retries,
                        echo=echo or (lambda s: None), dashboard=options.dashboard)


@keywords_named
def sweep(experiment: str | os.PathLike | Experiment, seeds: Any = None, params: dict | None = None,
          out: str | None = None, executor: str = "local", devices: str | None = "auto",
          batch_size: int | None = None, duration: float | None = None, dt: float | None = None,
          workers: int | None = None, scheduler: str | None = None, retries: int = 0, fail_fast: bool = False,
          force: bool = False, progress: bool | float = True, echo: Callable[[str], None] | None = None,
          command: str | None = None, verbose: bool = False, checkpoint_every: float | None = CHECKPOINT_EVERY_S,
          chunk_steps: int | None = None, verify: bool = False, dashboard: str = "127.0.0.1:0",
          samples: int | None = None, sampler: str | None = None, sample_seed: int | None = None,
          allow_nan: Any = None, *, options: SweepOptions | None = None) -> SweepResult:
    """Run an experiment over seeds x a parameter grid (x a sampled design) into one Zarr store; returns the store path.

    A parameter given a range (``params={"we": bb.Range(0.4, 0.8)}``, or ``"0.4:0.8"`` as on the
    command line) is sampled instead: ``samples`` points of ``sampler`` (``"sobol"`` (default),
    ``"halton"``, ``"random"``, ``"lhs"``) drawn with ``sample_seed``, on one ``sample`` dim with a
    coordinate per ranged parameter (docs/sampling.md). A larger ``samples`` later extends the store
    with the next points of the same sequence.

    Runs are batched: a batch is one vmapped, compiled call on one device. Parameters that change
    array shapes (a neuron count ``n``) cannot share a compiled call, so runs are grouped by shape and
    each group is compiled once. The store holds the largest shape: a smaller run's data fill the
    first entries of each variable dim, and the rest reads as padding — NaN for float variables
    (``V``), False for spike rasters and booleans, 0 for integers (its saved states likewise).

    Re-running skips finished runs; wider seeds or values extend the store, and a longer ``duration``
    extends it in time: every run continues from its saved final state. Runs checkpoint their state
    at most every ``checkpoint_every`` seconds, so an interrupted sweep, run again, continues each
    unfinished run from its last checkpoint. A run that raises or
    records a NaN is marked failed with its error and the sweep goes on (``fail_fast`` stops it);
    ``allow_nan`` (``True``, ``"all"`` or record / state names such as ``["V_E", "E.V"]``; default: the
    experiment's ``allow_nan``) lets those variables hold NaN or Inf in a done run. The store
    records it and refuses a later sweep under another allowance unless ``force``.
    Done runs whose data are damaged (a missing chunk; with ``verify``, any chunk failing its
    checksum) are run again. Two sweeps on one store share the work through per-run leases.
    On Ctrl-C (``KeyboardInterrupt``) the runs under way are marked pending again and the exception
    carries ``.brainbatch = {"store": path or None, "done": n}``, and ``"rebuilt": True`` where another sweep rebuilt
    the store under this one (it then keeps none of the runs this one finished).
    The result is the store path (a ``str``) with ``.done``, ``.failed`` (list of (coords, error)),
    ``.skipped`` and ``.batches`` (list of (runs, device)).

    The keywords are the fields of ``SweepOptions`` except ``dry_run`` (a plan without running is
    ``prepare(experiment, SweepOptions(..., dry_run=True))``, what ``--dry-run`` prints); ``options`` gives them
    as one object (keywords given as well change it), as ``run_sweep(experiment, options)`` takes them.
    The kernel choice (``--kernels``) is not an option: ``with brainbatch.kernels.use_kernels("jax"):`` around the
    call, or
    ``BRAINBATCH_KERNELS`` (docs/configuration.md).

    >>> path = sweep("experiments/coba.py", seeds=2, params={"we": [0.4, 0.6]}, duration=100)  # doctest: +SKIP
    >>> import brainbatch as bb; bb.open_results(path)  # doctest: +SKIP
    >>> sweep("experiments/coba.py", params={"we": bb.Range(0.4, 0.8), "wi": [5.0, 6.7]}, samples=16)  # doctest: +SKIP
    """
    given = {k: v for k, v in locals().items() if k in _SWEEP_KEYWORDS and v is not _SWEEP_DEFAULTS[k]}
    if options is not None and not isinstance(options, SweepOptions):
        raise UsageError(f"options must be a brainbatch.sweep.SweepOptions (or give its fields as keywords: "
                         f"sweep(..., seeds=2)), got {type(options).__name__} {options!r}")
    # checked before anything is written (progress="yes" failed after the store was made)
    if not (isinstance(progress, bool) or (is_real(progress) and float(progress) > 0)):
        raise UsageError(f"progress must be True, False or the seconds between updates (> 0), got {progress!r}")
    opts = (options or SweepOptions()).replace(**given)
    return run_sweep(experiment, opts, echo)


sweep.__wrapped__.elsewhere = {  # type: ignore[attr-defined]
    "kernels": "The kernel choice is not an option of sweep: call it inside `with brainbatch.kernels.use_kernels(\"jax\"):`, "
               "or set BRAINBATCH_KERNELS (docs/configuration.md).",
    "dry_run": "A plan without running is prepare(experiment, SweepOptions(..., dry_run=True)), what --dry-run prints.",
    # the CLI's -q / --quiet, and other tools' words for it
    "quiet": "The progress bar is sweep(..., progress=False) (the CLI's --quiet).",
    "verbose": "The progress bar is sweep(..., progress=True), the default.",
}


#: ``sweep``'s keywords that are options, and their defaults (a keyword left at it keeps ``options``' value)
_SWEEP_DEFAULTS = {k: v.default for k, v in inspect.signature(sweep).parameters.items()
                   if k in {f.name for f in dataclasses.fields(SweepOptions)}}
_SWEEP_KEYWORDS = frozenset(_SWEEP_DEFAULTS)


def run_sweep(experiment: str | os.PathLike | Experiment, options: SweepOptions,
              echo: Callable[[str], None] | None = None) -> SweepResult:
    """``sweep`` with its options as one ``SweepOptions`` (what the CLI calls); ``echo`` prints notes."""
    from .executors import DaskExecutor, LocalExecutor

    if not isinstance(options, SweepOptions):
        raise UsageError(f"options must be a brainbatch.sweep.SweepOptions, got {type(options).__name__} {options!r}")
    if echo is not None and not callable(echo):  # it failed on the first note, after the store was made
        raise UsageError(f"echo must be a function of one text (e.g. print) or None, got {echo!r}")
    check_flags(options)
    echo = echo or (lambda s: None)
    dask_runner = check_executor(options, echo)
    device_list = options.device_list()
    runner: DaskExecutor | LocalExecutor
    if dask_runner is not None:
        runner = dask_runner
    else:
        runner = LocalExecutor(device_list)
    info: dict[str, Any] = {"store": None, "done": 0, "held": None}
    noted = contextlib.ExitStack()
    if dask_runner is None:  # batches in this process: the runs they take up are noted, for the interrupt note
        info["claims"] = uuid.uuid4().hex
        info["taken"] = noted.enter_context(runs_taken_up(info["claims"]))
    try:
        if dask_runner is not None and dask_runner.scheduler:
            dask_runner.connect()  # an unreachable --scheduler is refused before the store is written
        return _sweep(runner, info, experiment, options, device_list, echo)
    except KeyboardInterrupt as err:  # Ctrl-C, or SIGTERM turned into one by the CLI
        if info["store"]:
            reset_abandoned(info["store"], info.get("generation"), own=info.get("own"))
        if info.get("count_done") is not None:  # from the store: batches under way may not have reported
            with contextlib.suppress(Exception):
                info["done"] = info["count_done"]()
        err.brainbatch = {k: info[k] for k in ("store", "done")}  # type: ignore[attr-defined]
        if info["store"] and _store_replaced(info["store"], info.get("generation")):
            # a store another sweep rebuilt under this one keeps none of the runs this one finished: the note on
            # the interrupt must not say they are kept there
            err.brainbatch["rebuilt"] = True  # type: ignore[attr-defined]
        raise
    finally:
        if dask_runner is not None:
            dask_runner.close()  # a connection no run used (nothing to run, or a refusal)
        release_store(info)  # the sweep's lease on the whole store
        noted.close()


def _sweep(runner: Any, info: dict[str, Any], experiment: str | os.PathLike | Experiment, options: SweepOptions,
           device_list: list[str], echo: Callable[[str], None]) -> SweepResult:
    from . import live
    from .progress import SweepProgress

    prep = prepare(experiment, options.replace(dry_run=False), device_list=device_list,
                   on_store=lambda path: hold_store(info, path))
    verbose, progress = options.verbose, options.progress
    if verbose:
        echo(describe_plan(prep))
        echo(describe_batches(prep) if options.executor == "local" else f"{len(prep.tasks)} batch(es) for the dask cluster")
    total = prep.plan.n_runs
    skipped = total - len(prep.pending)
    result = SweepResult(prep.store_path)
    result.done, result.failed, result.skipped, result.total, result.batches = 0, [], skipped, total, []
    result.elsewhere, result.damaged, result.unfinished = 0, dict(prep.damaged), 0
    skipped -= prep.elsewhere
    result.skipped = skipped
    if prep.warning:
        echo(f"warning: {prep.warning}")
    note = duration_note(prep, _TYPED_DURATION.get())
    if note:
        echo(f"note: {note}")
    if prep.extended_from is not None:  # every run continues, done ones too: a --duration left out does this as well
        dt = prep.plan.dt
        echo(f"note: {prep.store_path} extended in time from {prep.extended_from * dt:g} to {prep.plan.n_steps * dt:g} ms "
             "(this sweep's duration): every run continues from its saved final state (a dry run shows such a change "
             "before it is made)")
    if prep.damaged:
        echo(f"{len(prep.damaged)} done run(s) of {prep.store_path} had damaged data and are run again: "
             + "; ".join(f"{k} ({v})" for k, v in list(prep.damaged.items())[:5])
             + (" ..." if len(prep.damaged) > 5 else ""))
    if prep.restarted:
        echo(f"{len(prep.restarted)} run(s) of {prep.store_path} start again from step 0, their saved state being "
             "unusable: " + "; ".join(f"{k} ({v})" for k, v in list(prep.restarted.items())[:5])
             + (" ..." if len(prep.restarted) > 5 else ""))
    if prep.elsewhere:
        echo(f"{prep.elsewhere} run(s) of {prep.store_path} are being run by another live process; left to it "
             f"(brainbatch status {prep.store_path} names it; a lease of a process that stopped on another host "
             f"clears itself after {lease_stale_s():g} s)")
    for name in _compiled_per_value(prep):
        echo(f"note: parameter {name!r} cannot be a traced value of {prep.plan.experiment.path} (build uses it in "
             f"a Python `if` or a shape), so each of its {len(prep.plan.axes[name])} values compiles its own "
             f"program; declare it static in the experiment to silence this, or write the branch with jnp.where")
    if skipped:
        echo(f"{skipped} of {total} runs already done in {prep.store_path}; running the other {len(prep.pending)}")
    stop = {"flag": False}
    n_steps = prep.plan.n_steps
    total_steps = sum(n_steps - prep.resume.get(r, 0) for r in prep.pending)
    every = None if isinstance(progress, bool) else float(progress)
    info["generation"] = prep.generation  # what an interrupt may still reset (reset_abandoned)
    try:
        own = _own_runs(prep)  # the store index of each run this sweep's batches were given
    except Exception:  # noqa: BLE001 - only for the interrupt note and the clean-up: never a reason not to run
        own = {}
    not_ours: set[tuple] = set()  # of those, runs its batches found done or left to another process
    if info.get("claims"):  # the runs its batches take up in this process are noted (runs_taken_up)
        prep.tasks = [dataclasses.replace(t, claims=info["claims"]) for t in prep.tasks]
    info["count_done"] = _done_counter(prep.store_path, prep.generation, list(own.values()) if own else None, not_ours,
                                       info.get("taken"))
    info["own"] = set(own.values()) if own else None  # what an interrupt resets even while its batches still hold it

    reported = [0]  # runs of the batches that reported: the others never started (--fail-fast stopped the sweep)
    with SweepProgress(len(prep.pending), total_steps, prep.plan.dt, enabled=bool(progress), every=every) as bar, \
            live.listening(bar.steps):
        def on_report(task: BatchTask, report: BatchReport) -> None:
            reported[0] += len(task.runs)
            result.done += len(report.done)
            info["done"] = result.done
            result.failed += report.failed
            result.elsewhere += len(report.elsewhere)
            result.skipped += len(report.already)
            not_ours.update(own[key] for c in (*report.elsewhere, *report.already) if (key := _run_key(c)) in own)
            result.batches.append((task.runs, report.device))
            for coords, why in report.restarted:
                bar.print(f"{label(coords)}: starts again from step 0: {why}", echo)
            result.unfinished += len(report.unfinished)
            for coords, why in report.unfinished:
                bar.print(f"{label(coords)}: left pending: {why}", echo)
            bar.update(len(report.done), len(report.failed), steps=(len(report.done) + len(report.failed)) * n_steps)
            if verbose:
                bar.print(f"batch of {len(task.runs)} on {report.device or task.device}: "
                          f"{len(report.done)} done, {len(report.failed)} failed", echo)
            if report.failed and options.fail_fast:
                stop["flag"] = True

        def work() -> None:
            runner.run(prep.tasks, on_report, should_stop=lambda: stop["flag"] or live.stop_requested())

        if prep.tasks:
            # from here on the first Ctrl-C / SIGTERM stops at the next chunk boundary (checkpoints written),
            # a second one aborts; the batches run in a worker thread so this thread can take signals at once
            with live.graceful_stop(echo, options.executor):
                live.run_in_thread(work) if options.executor == "local" else work()
                if live.stop_requested():  # stopped between two batches
                    raise KeyboardInterrupt("stopped on request")
    never = sum(len(t.runs) for t in prep.tasks) - reported[0]
    if never > 0:  # left pending without a word, the summary read as if the sweep had covered every run
        result.unfinished += never
        why = f"{option_name('fail_fast')} stopped the sweep at its first failure" if options.fail_fast else \
            "the sweep stopped before their batches ran"
        # a dask sweep stopped by --fail-fast closes its local cluster: the batches still under way end with its workers
        stopped = _reset_left_running(prep, own.values())
        if stopped:
            echo(f"{never} run(s) not finished: {why}; they stay pending (run the command again; {stopped} of them "
                 "were under way on workers closed with the sweep)")
        else:
            echo(f"{never} run(s) not started: {why}; they stay pending (run the command again)")
    from ..store import ResultStore

    # a store rebuilt under this sweep (another sweep's --force) is that sweep's to stamp, not this one's
    if not ResultStore.open(prep.store_path).finish(generation=prep.generation):
        _lost_to_rebuild(result, prep, echo)
        return result
    result.elsewhere += prep.elsewhere
    return result


def _lost_to_rebuild(result: SweepResult, prep: Prepared, echo: Callable[[str], None]) -> None:
    """The summary of a sweep whose store another sweep rebuilt (``--force``) while it ran: the runs it finished or
    failed before are gone with the old store, pending in the new one, so they count as left pending, once each.
    So do the runs it found already done when it planned (a rebuild resets them): "already done" counts only the
    runs of this sweep's plan that the rebuilt store holds as done now, and every other run is left pending."""
    lost = result.done + len(result.failed)
    if lost:
        echo(f"{result}: the store was rebuilt by another sweep (--force) while this one ran; the {lost} run(s) this "
             "sweep finished or failed before are not in it (pending there)")
    done_now = _done_in_store(prep)
    if result.skipped > done_now:
        echo(f"{result}: of the {result.skipped} run(s) already done when this sweep started, "
             f"{result.skipped - done_now} are not done in the rebuilt store (pending there)")
    result.done, result.failed, result.skipped, result.elsewhere = 0, [], done_now, 0
    result.unfinished = result.total - done_now


def _done_in_store(prep: Prepared) -> int:
    """How many runs of the sweep's plan the store at ``prep.store_path`` holds as done now and undamaged (0 when
    it cannot be read: nothing is claimed done that was not seen done)."""
    from ..store import ResultStore

    try:
        done = done_runs(ResultStore.open(prep.store_path, "r"))
    except Exception:  # noqa: BLE001 - a store being rebuilt right now, or damaged: none counted done
        return 0
    return sum(1 for r in prep.plan.runs if coord_key(r.coords) in done)


@keywords_named
def run(experiment: str | os.PathLike | Experiment, seed: int = 0, params: dict | None = None,
        out: str | None = None, **kwargs: Any) -> SweepResult:
    """One run, in the same store format as a sweep: by default into ``results/<experiment>/run.zarr``, or
    ``run-<names>.zarr`` where ``params`` sets some (``default_run_out``)."""
    _check_run_keywords(kwargs)
    check_int("seed", seed, minimum=0, exc=UsageError)
    exp = experiment if isinstance(experiment, Experiment) else load_experiment(experiment)
    single = {}
    for name, value in (_params_dict(params) or {}).items():
        items = _run_items(name, value)
        text_param = isinstance(exp.params.get(name), str)  # a text value may hold ':'
        ranged = [v for v in items if isinstance(v, Range) or (looks_like_range(v) and not text_param)]
        if ranged:
            text = ranged[0].text() if isinstance(ranged[0], Range) else ranged[0]
            if isinstance(grid_values(name, text), list):  # LOW:HIGH:STEP spells out a grid, not a range
                raise UsageError(f"run takes one value per parameter, got the grid {name}={text}; sweep a grid "
                                 f"with brainbatch sweep ... -p {name}={text}")
            raise UsageError(f"run takes one value per parameter, got the range {name}={text}; sample ranges with "
                             "a sweep (brainbatch sweep ... --samples N)")
        if isinstance(value, str) and "," in value:
            raise UsageError(f"run takes one value per parameter, got {name}={value}")
        if len(items) != 1:  # the command line's values as typed (we=0.4,0.6), not a Python list of texts
            shown = (",".join(map(str, items)) or "(no value)") if isinstance(value, (list, tuple)) else repr(value)
            raise UsageError(f"run takes one value per parameter, got {name}={shown}; brainbatch sweep takes several")
        single[name] = items
    if out is None:
        out = default_run_out(exp.name, single)
    # one run: the module's own sweep axes do not apply (a copy: the caller's Experiment is not changed)
    try:
        result = sweep(dataclasses.replace(exp, sweep={}), seeds=[seed], params=single, out=out, **kwargs)
    except BrainbatchError as err:  # the store's refusals speak of a sweep: this is a run
        if len(err.args) == 1 and isinstance(err.args[0], str):
            err.args = (in_words_of_a_run(err.args[0]),)
        raise
    note = _never_asked_note(result)
    if note and kwargs.get("echo") is not None:
        kwargs["echo"](f"note: {note}")
    return result


def _check_run_keywords(kwargs: dict[str, Any]) -> None:
    """``run``'s keywords beyond its own are ``sweep``'s, less those a run sets itself: ``seeds=3`` was "sweep() got
    multiple values for keyword argument 'seeds'", and a misspelling was named as one of ``sweep()``."""
    allowed = [k for k in inspect.signature(sweep).parameters if k not in ("experiment", "seeds", "params", "out")]
    for name in kwargs:
        if name == "seeds":
            raise TypeError("run() takes one seed (seed=0); seeds= is a sweep's: brainbatch.sweep.sweep(experiment, "
                            "seeds=...) runs several")
        if name not in allowed:
            elsewhere = sweep.__wrapped__.elsewhere.get(name)  # type: ignore[attr-defined]
            names = ["seed", "params", "out", *allowed]
            hint = f" {elsewhere}" if elsewhere else did_you_mean(name, names) or f" run() takes: {', '.join(names)}."
            raise TypeError(f"run() got an unexpected keyword argument {name!r}.{hint}")


def _run_items(name: str, value: Any) -> list:
    """The values ``run`` was given for parameter ``name``: a list or tuple as given, an array's or a quantity array's
    elements (``np.array([10., 20.]) * u.ms`` was two runs, silently, where ``run`` makes one), else the one value."""
    from ..core.units import is_quantity

    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, (str, Range)):
        return [value]
    if is_quantity(value):
        return [value[i] for i in range(value.shape[0])] if getattr(value.mantissa, "ndim", 0) >= 1 else [value]
    from .experiment import plain_values

    return plain_values(value, f"parameter {name!r}")


def _never_asked_note(result: SweepResult) -> str | None:
    """Where runs of other seeds or values went into one store before this run: the store is a grid (every seed
    with every value), so some of its runs no command asked for, and they stay pending. Said once, in words."""
    from ..store import ResultStore

    try:
        store = ResultStore.open(result, "r")
        never = store.counts().get("pending", 0) - result.unfinished
    except Exception:  # noqa: BLE001 - only a note: a store behind a URL or changed meanwhile says nothing
        return None
    if never <= 0:
        return None
    axes = " x ".join(["seed", *store.spec.params])
    total = len(store.spec.seeds) * math.prod(len(v) for v in store.spec.params.values())
    pending = [label(r.coords) for r in store.pending_runs()]
    shown = "; ".join(pending[:3]) + (f"; ... and {len(pending) - 3} more" if len(pending) > 3 else "")
    return (f"{result} holds its runs as a grid ({axes}: every seed with every value), and {never} of its {total} "
            f"runs are pending (cells of the grid no run asked for, or runs not finished: {shown}); "
            f"{option_name('out')} gives a run a store of its own")


def default_run_out(experiment: str, params: dict | None = None) -> str:
    """The store of ``brainbatch run`` when no ``out`` is given: ``results/<experiment>/run.zarr``, and with
    parameters set, ``run-`` and their names as a sweep names its store after its axes (``run-drive.zarr``
    for ``-p drive=1.3``). A store's parameter axes never change, so a run setting other names than the
    runs before it gets a store of its own instead of a refusal; one setting the same names (another value,
    another seed) is added to theirs.

    >>> default_run_out("toy"), default_run_out("toy", {"drive": [1.3], "n": [30]})
    ('results/toy/run.zarr', 'results/toy/run-drive-n.zarr')
    """
    return os.path.join("results", experiment, "-".join(["run", *(params or {})]) + ".zarr")


#: a sweep's words in the store's refusals, and the run's (``in_words_of_a_run``), in the order they apply
_RUN_WORDS = (("sweeps parameters", "holds runs over parameters"), ("a store's swept axes", "a store's parameter axes"),
              ("or sweep the same parameters in the same order", "or set the same parameters in the same order"),
              ("Run this sweep", "Do this run"), ("this sweep", "this run"))


def in_words_of_a_run(text: str) -> str:
    """A refusal written for a sweep (``store/_create.py``: "this sweep has ...") in the words of one run.

    >>> in_words_of_a_run("'r.zarr' sweeps parameters [] but this sweep has ['drive']")
    "'r.zarr' holds runs over parameters [] but this run has ['drive']"
    """
    for sweep_words, run_words in _RUN_WORDS:
        text = text.replace(sweep_words, run_words)
    return text


def _params_dict(params: Any) -> dict | None:
    """``params`` as a dict name -> values (a mapping, or pairs as the CLI's options hold them), else a one-line
    error: a text such as ``"rate=5,10"`` is the command line's spelling, not the Python API's."""
    if params is None or isinstance(params, dict):
        return params
    try:
        if isinstance(params, (str, bytes)):
            raise TypeError
        return dict(params)
    except (TypeError, ValueError):
        raise UsageError(f"params must be a dict name -> values (e.g. params={{'we': [0.4, 0.6]}}), got {params!r}"
                         + ("; -p NAME=V1,V2 is the command line's spelling" if isinstance(params, str) else "")) from None


def _stored_spec(out: str) -> StoreSpec | None:
    """The spec of the local store at ``out`` (None if there is none or it cannot be read: creating it reports what
    is wrong)."""
    from ..store import ResultStore

    if not os.path.isdir(out):
        return None
    try:
        return ResultStore.open(out, "r").spec
    except Exception:  # noqa: BLE001 - no readable store: creating it reports what is wrong
        return None


def _stored_param_units(spec: StoreSpec | None) -> dict[str, str | None] | None:
    """Each swept parameter of a store's ``spec`` (``_stored_spec``) with the unit its values are labelled in (None:
    plain numbers); None where there is no readable store."""
    if spec is None:
        return None
    given = spec.attrs.get("param_units") if isinstance(spec.attrs, dict) else None
    given = given if isinstance(given, dict) else {}
    return {name: (given.get(name) if isinstance(given.get(name), str) and given.get(name) else None)
            for name in (*spec.params, *spec.samples)}


def _plain_values_in_store_units(plan: SweepPlan, stored: dict[str, str | None] | None) -> None:
    """Plain numbers swept onto a parameter the store labels in a unit are values in that unit, as a plain number
    beside a unit in one list is: ``build`` then receives them as the store's runs did (a quantity where it takes
    one). Left plain, ``-p a=20,100`` onto a store of ``a`` in Hz reached ``build`` as 100 per ms (an Izhikevich
    ``a``), labelled 100 Hz."""
    if not stored:
        return
    for name in (*plan.axes, *plan.samples):
        unit = stored.get(name)
        if unit and plan.experiment.param_units.get(name) is None and not plan.units.get(name):
            plan.units[name] = unit


def _values_as_stored(plan: SweepPlan, stored: dict[str, list]) -> None:
    """A swept value that is one of the store's by value (``3.0`` onto a store of ``k=3``: one run label, as runs are
    matched, ``batching.coord_key``) is given to ``build`` as the store's runs had it. A build() whose parameter has no
    typed default (``k=None``, ``**kw``) takes ``3`` and ``3.0`` apart (``x ** 3`` and ``x ** 3.0`` round apart, a
    count more so): left as typed, new seeds or a resumed run computed one label two ways."""
    from ..store import value_key

    for name, values in plan.axes.items():
        known = {value_key(v): v for v in stored.get(name, [])}
        plan.axes[name] = [known.get(value_key(v), v) for v in values]


def _refuse_quantities_onto_plain(plan: SweepPlan, stored: dict[str, str | None] | None) -> None:
    """Values with a unit that ``build`` takes as quantities, swept onto a parameter whose runs in the store received
    plain numbers, would label those runs in the unit they never had (``-p a=0.02`` then ``-p a=20Hz``: the first
    run's a is 0.02 per ms, shown as 0.02 Hz) and mix two readings in one coordinate: refused."""
    if not stored:
        return
    for name, unit in plan.quantities.items():
        if name in stored and stored[name] is None:
            raise UsageError(
                f"{plan.out!r} holds {name!r} as plain numbers, which build() received without a unit; this sweep "
                f"gives {name} in {unit}, which build() takes as a quantity, so one coordinate would hold two readings "
                f"of {name}. Give plain numbers as the store's runs had them, or write to another path (--out)")
