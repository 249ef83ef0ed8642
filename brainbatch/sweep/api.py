"""The Python API of sweeps: what the CLI calls and a notebook can call too."""
from __future__ import annotations

import math
import os
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ..core.checks import check_int, is_real
from .errors import ExperimentError, UsageError
from .experiment import Experiment, load_experiment
from .plan import Run, SweepPlan, make_plan
from .task import BatchReport, BatchTask

__all__ = ["sweep", "run", "SweepResult", "prepare", "describe_plan", "describe_batches"]

#: Device memory a batch may use for its state (bytes); the automatic batch size follows from it.
BATCH_STATE_BUDGET = 2 * 2**30
MAX_AUTO_BATCH = 32
#: Default wall time between two checkpoints of a run (seconds): losing at most this much work to a
#: crash costs less than the checkpoints themselves (milliseconds each) would, for any model we run.
CHECKPOINT_EVERY_S = 60.0


class SweepResult(str):
    """The store path (a ``str``), with the sweep's outcome: ``.done``, ``.failed``, ``.skipped``,
    ``.elsewhere`` (runs left to another live sweep on the store) and ``.damaged`` (runs redone)."""

    done: int
    failed: list
    skipped: int
    total: int
    elsewhere: int
    damaged: dict


@dataclass
class Prepared:
    plan: SweepPlan
    store_path: str
    tasks: list[BatchTask]
    pending: list[Run]
    traced: tuple[str, ...]
    groups: int
    store_bytes: int
    batch_size: int
    devices: list[str] = field(default_factory=list)
    state_bytes: int = 0                        # one run's state (the largest group): decides how lanes run
    existing: str = "new"                       # dry run: "new", "exists", or why the store would refuse
    done_before: set = field(default_factory=set)  # dry run: coordinates of runs the store already has done
    damaged: dict = field(default_factory=dict)    # runs found damaged and queued again: {label: why}
    elsewhere: int = 0                             # runs a live process (another sweep) is running now


def _classify(plan: SweepPlan) -> tuple[str, ...]:
    """Swept parameters that can be traced (vmapped) rather than compiled per value."""
    import jax.numpy as jnp

    from .task import simulation_for

    exp = plan.experiment
    candidates = [n for n, vals in plan.axes.items()
                  if n not in exp.static and all(isinstance(v, float) for v in vals)]
    if not candidates:
        return ()
    first = {n: vals[0] for n, vals in plan.axes.items()}

    def works(traced: list[str]) -> bool:
        fixed = tuple(sorted((k, v) for k, v in {**plan.fixed, **first}.items() if k not in traced))
        sim = simulation_for(exp.path, exp.source_hash, fixed, tuple(traced), plan.dt)
        try:
            sim.describe({n: jnp.asarray(first[n], jnp.float32) for n in traced})
            return True
        except Exception:  # a parameter that sets a shape or a Python branch cannot be traced
            return False

    if works(candidates):
        return tuple(candidates)
    return tuple(n for n in candidates if works([n]))


def _group_key(run: Run, traced: tuple[str, ...], fixed: dict) -> tuple:
    return tuple(sorted({**fixed, **{k: v for k, v in run.params if k not in traced}}.items()))


def _describe(plan: SweepPlan, group: tuple, traced: tuple[str, ...], first: Run):
    import jax.numpy as jnp

    from .task import simulation_for

    exp = plan.experiment
    sim = simulation_for(exp.path, exp.source_hash, group, traced, plan.dt)
    params = dict(first.params)
    return sim.describe({n: jnp.asarray(params[n], jnp.float32) for n in traced})


def _git(path: str) -> dict:
    folder = os.path.dirname(os.path.abspath(path))
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True,
                                timeout=5).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", os.path.basename(path)], cwd=folder,
                               capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return {"git_commit": "", "git_dirty": None}
    return {"git_commit": commit, "git_dirty": bool(dirty) if commit else None}


def prepare(experiment: str | Experiment, seeds: Any = None, params: dict | None = None, out: str | None = None,
            duration: float | None = None, dt: float | None = None, batch_size: int | None = None,
            devices: list[str] | None = None, force: bool = False, dry_run: bool = False,
            command: str | None = None, checkpoint_every: float | None = CHECKPOINT_EVERY_S,
            chunk_steps: int | None = None, verify: bool = False,
            on_store: Callable[[str], None] | None = None) -> Prepared:
    """Plan the sweep, create or extend its store (unless ``dry_run``), and cut the pending runs into batches.

    With ``dry_run`` nothing is written: an existing store is only opened read-only, to count the runs
    already done and to say whether this sweep could write into it (a store behind a URL is not even
    contacted). An existing store is checked first: done runs with a missing chunk (or, with
    ``verify``, any chunk that fails its checksum) are queued again from their first step; runs that
    another live process holds (another sweep on the same store) are left to it. ``on_store(path)`` is
    called once the store exists. ``checkpoint_every`` (seconds, ``None``: never) spaces the runs'
    checkpoints; ``chunk_steps`` overrides the steps per compiled call.
    """
    from ..run import MonitorInfo  # noqa: F401 - jax is needed from here on
    from ..store import ResultStore, StoreSpec, VarSpec
    from .cache import enable_compile_cache

    enable_compile_cache()
    from ..store import StoreError as _StoreError

    exp = experiment if isinstance(experiment, Experiment) else load_experiment(experiment)
    plan = make_plan(exp, seeds=seeds, params=params, out=out, duration=duration, dt=dt)
    check_int("--batch-size", batch_size, minimum=1, none=True, exc=UsageError, allowed="an integer >= 1")
    if checkpoint_every is not None and (
            not is_real(checkpoint_every) or not checkpoint_every >= 0 or not math.isfinite(checkpoint_every)):
        raise UsageError(f"--checkpoint-every must be a number of seconds >= 0, got {checkpoint_every!r}")
    check_int("chunk_steps", chunk_steps, minimum=1, none=True, exc=UsageError, allowed="an integer >= 1")
    _check_out(plan.out)  # before any work: a bad path is bad input, dry run or not
    devices = devices or ["cpu:0"]
    traced = _classify(plan)
    runs = plan.runs
    groups: dict[tuple, list[Run]] = {}
    for r in runs:
        groups.setdefault(_group_key(r, traced, plan.fixed), []).append(r)
    # one description per group: shapes may differ (a swept size); the store holds the largest.
    # A group whose build raises is left out here: its runs fail one by one when they run.
    records: dict[str, Any] = {}
    states: dict[str, Any] = {}
    state_bytes = 1
    broken: list[str] = []
    for key, members in groups.items():
        try:
            mons, sts = _describe(plan, key, traced, members[0])
        except UsageError:
            raise
        except Exception as err:  # noqa: BLE001 - the experiment's own code failed for these values
            broken.append(f"{members[0].label()}: {type(err).__name__}: {err}")
            continue
        for m in mons:
            records[m.name] = _widest(records.get(m.name), m)
        for s in sts:
            if s.dtype != "key":
                states[s.path] = _widest(states.get(s.path), s)
        state_bytes = max(state_bytes, sum(math.prod(s.shape) * np.dtype(s.dtype).itemsize
                                           for s in sts if s.dtype != "key"))
    if len(broken) == len(groups):
        raise ExperimentError(f"build() or a monitor of {exp.path} fails for every run, e.g. {broken[0]}")
    rec_specs = tuple(VarSpec(name=m.name, dims=m.dims, shape=m.shape, dtype=m.dtype, units=m.units,
                              description=m.description, every=m.every) for m in records.values())
    state_specs = tuple(VarSpec(name=s.path, dims=s.dims, shape=s.shape, dtype=s.dtype, units=s.units,
                                description=s.description) for s in states.values())
    run_bytes = sum(math.prod(m.shape) * np.dtype(m.dtype).itemsize * math.ceil(plan.n_steps / m.every)
                    for m in records.values())
    store_bytes = plan.n_runs * (run_bytes + state_bytes)
    auto = max(1, min(MAX_AUTO_BATCH, BATCH_STATE_BUDGET // max(state_bytes, 1)))
    size = batch_size or auto
    unit = math.lcm(*[m.every for m in records.values()] or [1])
    # sized for the largest batch the plan can make (not the pending runs: a resumed sweep keeps the chunk grid)
    chunk_steps = (_chunk_steps(plan.n_steps, records.values(), min(size, plan.n_runs)) if chunk_steps is None
                   else max(unit, chunk_steps - chunk_steps % unit))
    prepared = Prepared(plan=plan, store_path=plan.out, tasks=[], pending=[], traced=traced, groups=len(groups),
                        store_bytes=int(store_bytes), batch_size=size, devices=devices,
                        state_bytes=int(state_bytes))
    spec = StoreSpec(
        experiment=exp.name, source_hash=exp.source_hash, params={k: list(v) for k, v in plan.axes.items()},
        seeds=list(plan.seeds), n_steps=plan.n_steps, dt=plan.dt, t0=0.0, records=rec_specs, states=state_specs,
        attrs=_provenance(exp, plan, devices, command),
    )
    if dry_run:
        done = _done_in_existing(plan, spec, force)
        prepared.existing, prepared.done_before = done
        prepared.pending = [r for r in runs if _coord_key(r.coords) not in prepared.done_before]
        prepared.tasks = _batches(plan, groups, traced, prepared.pending, size, devices, records, states,
                                  batch_size is None, chunk_steps, checkpoint_every)
        return prepared
    try:
        store = ResultStore.create(plan.out, spec, force=force)
    except _StoreError as err:
        raise UsageError(str(err)) from None
    if on_store is not None:
        on_store(plan.out)
    for idx, why in store.verify(full=verify).items():  # damaged done runs are run again, from the start
        store.set_status(idx, "pending", error=f"redone: its data were damaged ({why})")
        store.forget_progress(idx)
        prepared.damaged[_label(store.coords_of(idx))] = why
    elsewhere = store.held_elsewhere()
    prepared.elsewhere = len(elsewhere)
    resume = store.resume_steps()
    pending_coords = {_coord_key(c): int(resume[c["index"]]) for c in store.pending_runs()
                      if c["index"] not in elsewhere}
    prepared.pending = [r for r in runs if _coord_key(r.coords) in pending_coords]
    prepared.tasks = _batches(plan, groups, traced, prepared.pending, size, devices, records, states,
                              batch_size is None, chunk_steps, checkpoint_every,
                              {r: pending_coords[_coord_key(r.coords)] for r in prepared.pending})
    return prepared


def _chunk_steps(n_steps: int, records, batch: int) -> int:
    """Steps per compiled call: about ``CHUNK_BYTES`` of records for a full batch (the same for every batch)."""
    from ..run.engine import CHUNK_BYTES, MAX_CHUNK_STEPS

    unit = math.lcm(*[m.every for m in records] or [1])
    per_step = sum(math.prod(m.shape) * np.dtype(m.dtype).itemsize / m.every for m in records) * batch
    steps = int(min(n_steps, MAX_CHUNK_STEPS, max(unit, CHUNK_BYTES // max(per_step, 1))))
    return max(unit, steps - steps % unit)


def _label(coords: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in coords.items() if k != "index")


def _done_in_existing(plan: SweepPlan, spec, force: bool) -> tuple[str, set]:
    """For a dry run: what the store at ``plan.out`` already holds (opened read-only, never changed)."""
    from ..store import ResultStore
    from ..store import StoreError as _StoreError
    from ..store._location import exists, scheme

    if scheme(plan.out) is not None:  # a dry run contacts no server
        return "behind a URL: not contacted on a dry run", set()
    if not exists(plan.out):
        return "new", set()
    try:
        store = ResultStore.open(plan.out, mode="r")
    except _StoreError as err:
        raise UsageError(str(err)) from None
    old = store.spec
    if old.experiment != spec.experiment:
        raise UsageError(f"{plan.out!r} holds results of experiment {old.experiment!r}, not {spec.experiment!r}. "
                         "Write to another path (CLI --out).")
    if list(old.params) != list(spec.params):
        raise UsageError(f"{plan.out!r} sweeps parameters {list(old.params)} but this sweep has "
                         f"{list(spec.params)}; write to another path (CLI --out)")
    differ = [k for k in ("source_hash", "dt") if getattr(old, k) != getattr(spec, k)]
    if spec.n_steps < old.n_steps:
        differ.append("n_steps")
    status = store.status()
    done = {_coord_key({k: v for k, v in r.items() if k != "index"}) for r in store.runs() if status[r["index"]] == "done"}
    if spec.n_steps > old.n_steps and not differ:
        return f"exists; extended in time from {old.n_steps} to {spec.n_steps} steps, done runs continue", set()
    if differ:
        note = "refused without --force" if not force else "--force: settings re-stamped"
        return f"exists, written with a different {', '.join(differ)} ({note})", done
    return "exists", done


def _coord_key(coords: dict) -> tuple:
    return tuple(sorted((k, repr(v) if not isinstance(v, float) else repr(float(v))) for k, v in coords.items()
                        if k != "index"))


def _widest(old, new):
    if old is None:
        return new
    if len(old.shape) != len(new.shape):
        raise UsageError(f"{getattr(new, 'name', getattr(new, 'path', '?'))} changes its number of dims across the "
                         "sweep; sweep such parameters into separate stores")
    from dataclasses import replace

    return replace(old, shape=tuple(max(a, b) for a, b in zip(old.shape, new.shape)))


def _batches(plan, groups, traced, pending, size, devices, records, states, auto, chunk_steps,
             checkpoint_every=None, resume=None) -> list[BatchTask]:
    """Batches of pending runs; runs that resume from a saved state go with runs saved at the same step
    (the lanes of one compiled call share the step index)."""
    exp = plan.experiment
    store = _absolute(plan.out)  # workers may run in another folder
    shapes = tuple([(n, m.shape) for n, m in records.items()] + [(f"states/{p}", s.shape) for p, s in states.items()])
    pending_set = set(pending)  # Runs are frozen dataclasses: equal coordinates, equal runs
    resume = resume or {}
    split = []
    for key, members in groups.items():
        todo = [r for r in members if r in pending_set]
        for step in sorted({resume.get(r, 0) for r in todo}):
            split.append((key, [r for r in todo if resume.get(r, 0) == step]))
    tasks = []
    for key, todo in split:
        if not todo:
            continue
        b = size
        if auto:  # spread a group over the devices, so every device has work
            b = max(1, min(size, math.ceil(len(todo) / max(1, len(devices)))))
        for start in range(0, len(todo), b):
            chunk = todo[start:start + b]
            tasks.append(BatchTask(
                experiment=exp.path, source_hash=exp.source_hash, store=store,
                runs=tuple((r.seed, r.params) for r in chunk), fixed=key, traced=traced, dt=plan.dt,
                n_steps=plan.n_steps, chunk_steps=chunk_steps, device=devices[len(tasks) % len(devices)],
                shapes=shapes, checkpoint_every=checkpoint_every,
            ))
    return tasks


def _absolute(out: str) -> str:
    from ..store._location import local_path

    local = local_path(out)
    return out if local is None else os.path.abspath(local)


def _check_out(out: str) -> None:
    """Refuse, before any work, a path that cannot hold a store or could touch what brainbatch did not make."""
    from ..store import StoreError
    from ..store._location import check_location, local_path

    try:
        check_location(out, write=True, what="output path")
    except StoreError as err:
        raise UsageError(str(err)) from None
    path = local_path(out)
    if path is None:
        return  # a URL whose backend is installed: the server is contacted only when the sweep writes
    if os.path.isfile(path):
        raise UsageError(f"output path {out!r} is a file; give a directory path ending in .zarr")
    parent = os.path.dirname(os.path.abspath(path))
    probe = parent
    while not os.path.exists(probe):
        probe = os.path.dirname(probe)
    if os.path.isfile(probe):
        raise UsageError(f"output path {out!r} is inside a file ({probe!r})")
    if os.path.exists(path) and not os.path.isdir(path):
        raise UsageError(f"output path {out!r} is not a directory")
    target = path if os.path.isdir(path) else probe
    if not os.access(target, os.W_OK) or not _can_create_in(target):
        raise UsageError(f"output path {out!r} is not writable ({target!r} does not accept new files)")


def _can_create_in(folder: str) -> bool:
    """Whether a file can really be made in ``folder`` (``os.access`` says yes to root on read-only places)."""
    import tempfile

    try:
        fd, name = tempfile.mkstemp(prefix=".brainbatch-probe-", dir=folder)
    except OSError:
        return False
    os.close(fd)
    os.unlink(name)
    return True


def _event_kernels(devices: list[str]) -> str:
    """Which event-propagation path the sweep's devices run (docs in brainbatch/kernels/README.md)."""
    from ..kernels import active_backend, kernel_choice

    if not all(str(d).startswith("cpu") for d in devices):
        return "jax (accelerator)"
    backend = active_backend()
    return f"{backend} (BRAINBATCH_KERNELS={kernel_choice()})"


def _provenance(exp: Experiment, plan: SweepPlan, devices: list[str], command: str | None) -> dict:
    import jax

    from ..store._provenance import now

    return {
        "experiment_path": exp.path, "source_hash": exp.source_hash, **_git(exp.path),
        "command": command or " ".join(shlex.quote(a) for a in sys.argv),
        "jax_version": jax.__version__, "jax_devices": [str(d) for d in jax.devices()],
        "sweep_devices": devices, "event_kernels": _event_kernels(devices), "defaults": {k: v for k, v in exp.params.items()
                                               if isinstance(v, (int, float, str, bool))},
        "duration_ms": plan.duration, "started": now(),
    }


def describe_plan(prep: Prepared) -> str:
    """The text ``--dry-run`` prints."""
    plan = prep.plan
    axes = ", ".join(f"{k} = {v} ({_axis_origin(plan, k)})" for k, v in plan.axes.items()) or "(no parameter axes)"
    traced = ", ".join(prep.traced) or "none"
    lines = [
        f"experiment  {plan.experiment.path}",
        f"source      sha256 {plan.experiment.source_hash[:16]}…",
        f"seeds       {_seed_text(plan.seeds)}",
        f"grid        {axes}",
        f"runs        {plan.n_runs} ({len(prep.pending)} to run)",
        f"duration    {plan.duration:g} ms at dt {plan.dt:g} ms = {plan.n_steps} steps",
        f"batches     {len(prep.tasks)} (batch size up to {prep.batch_size}; {prep.groups} compiled group(s); "
        f"vmapped parameters: {traced})",
        f"devices     {', '.join(prep.devices)} ({_lanes_text(prep)})",
        f"store       {plan.out}{_existing_text(prep)}",
        f"size        about {_bytes(prep.store_bytes)} before compression",
    ]
    return "\n".join(lines)


def _lanes_text(prep: Prepared) -> str:
    from ..run.engine import choose_lanes

    platform = "cpu" if all(d.startswith("cpu") for d in prep.devices) else "accelerator"
    size = max((len(t.runs) for t in prep.tasks), default=1)
    how = choose_lanes(platform if platform == "cpu" else "gpu", size, prep.state_bytes)
    if size <= 1:
        return "one run per call"
    if how == "loop":
        return f"a batch's runs one after the other in one compiled call: {_bytes(prep.state_bytes)} of state per run"
    return "a batch's runs vmapped side by side in one compiled call"


def _axis_origin(plan: SweepPlan, name: str) -> str:
    """Where a grid axis came from: the module's ``sweep``, or ``-p`` (added to it, or replacing one of its axes)."""
    module = plan.experiment.sweep
    if name not in module:
        return "-p, added to the module's sweep axes" if module else "-p"
    return "module sweep" if list(module[name]) == list(plan.axes[name]) else "-p, replaces the module's values"


def _existing_text(prep: Prepared) -> str:
    if prep.existing == "new":
        return " (new)"
    done = len(prep.done_before)
    in_plan = prep.plan.n_runs - len(prep.pending)
    return f" ({prep.existing}; {done} run(s) done in it, {in_plan} of them in this sweep)"


def describe_batches(prep: Prepared) -> str:
    """One line per batch (``-v``): its runs and its device."""
    lines = []
    for k, task in enumerate(prep.tasks):
        labels = "; ".join(", ".join(f"{n}={v}" for n, v in (("seed", s), *p)) for s, p in task.runs[:3])
        more = f"; ... ({len(task.runs)} runs)" if len(task.runs) > 3 else ""
        lines.append(f"batch {k + 1}/{len(prep.tasks)} on {task.device}: {labels}{more}")
    return "\n".join(lines)


def _seed_text(seeds: list[int]) -> str:
    if seeds == list(range(seeds[0], seeds[0] + len(seeds))) and len(seeds) > 2:
        return f"{seeds[0]}-{seeds[-1]} ({len(seeds)})"
    return ", ".join(map(str, seeds))


def _bytes(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def sweep(experiment: str | os.PathLike | Experiment, seeds: Any = None, params: dict | None = None,
          out: str | None = None, executor: str = "local", devices: str | None = "auto",
          batch_size: int | None = None, duration: float | None = None, dt: float | None = None,
          workers: int | None = None, scheduler: str | None = None, retries: int = 0, fail_fast: bool = False,
          force: bool = False, progress: bool = True, echo: Callable[[str], None] | None = None,
          command: str | None = None, verbose: bool = False, checkpoint_every: float | None = CHECKPOINT_EVERY_S,
          chunk_steps: int | None = None, verify: bool = False, dashboard: str = "127.0.0.1:0") -> SweepResult:
    """Run an experiment over seeds x a parameter grid into one Zarr store; returns the store path.

    Runs are batched: a batch is one vmapped, compiled call on one device. Parameters that change
    array shapes (a neuron count ``n``) cannot share a compiled call, so runs are grouped by shape and
    each group is compiled once. The store holds the largest shape: a smaller run's data fill the
    first entries of each variable dim, and the rest reads as padding — NaN for float variables
    (``V``), False for spike rasters and booleans, 0 for integers (its saved states likewise).

    Re-running skips finished runs; wider seeds or values extend the store, and a longer ``duration``
    extends it in time: every run continues from its saved final state. Runs checkpoint their state
    at most every ``checkpoint_every`` seconds, so an interrupted sweep, run again, continues each
    unfinished run from its last checkpoint. A run that raises or
    records a NaN is marked failed with its error and the sweep goes on (``fail_fast`` stops it).
    Done runs whose data are damaged (a missing chunk; with ``verify``, any chunk failing its
    checksum) are run again. Two sweeps on one store share the work through per-run leases.
    On Ctrl-C (``KeyboardInterrupt``) the runs under way are marked pending again and the exception
    carries ``.brainbatch = {"store": path or None, "done": n}``.
    The result is the store path (a ``str``) with ``.done``, ``.failed`` (list of (coords, error)),
    ``.skipped`` and ``.batches`` (list of (runs, device)).

    >>> path = sweep("experiments/coba.py", seeds=2, params={"we": [0.4, 0.6]}, duration=100)  # doctest: +SKIP
    >>> import brainbatch as bb; bb.open_results(path)  # doctest: +SKIP
    """
    from .devices import select_devices
    from .executors import DaskExecutor, LocalExecutor

    echo = echo or (lambda s: None)
    if executor not in ("local", "dask"):
        from ..core.errors import did_you_mean

        raise UsageError(f"executor must be 'local' or 'dask', got {executor!r}.{did_you_mean(executor, ['local', 'dask'])}")
    device_list = select_devices(devices) if executor == "local" else ["cpu:0"]
    if executor == "dask":  # check the options before anything is written
        runner = DaskExecutor(workers=workers, scheduler=scheduler, retries=retries, echo=echo, dashboard=dashboard)
    else:
        runner = LocalExecutor(device_list)
    info: dict[str, Any] = {"store": None, "done": 0, "held": None}
    try:
        return _sweep(runner, info, experiment, seeds, params, out, duration, dt, batch_size, device_list, force,
                      command, verify, progress, echo, verbose, executor, fail_fast, checkpoint_every, chunk_steps)
    except KeyboardInterrupt as err:  # Ctrl-C, or SIGTERM turned into one by the CLI
        if info["store"]:
            _reset_abandoned(info["store"])
        err.brainbatch = {k: info[k] for k in ("store", "done")}  # type: ignore[attr-defined]
        raise
    finally:
        if info["held"] is not None:  # the sweep's lease on the whole store
            leases, key = info["held"]
            leases.release_store(key)


def _hold(info: dict, path: str) -> None:
    from ..store._lease import Leases

    info["store"] = path
    leases = Leases(path)
    info["held"] = (leases, leases.hold_store())


def _reset_abandoned(path: str) -> None:
    """After an interrupt: runs left ``running`` by a process that is gone (a closed dask worker) become pending."""
    from ..store import ResultStore
    from ..store._lease import is_me, lease_alive

    try:
        store = ResultStore.open(path)
        status = store.status()
        for idx in zip(*np.nonzero(status == "running")):
            idx = tuple(int(i) for i in idx)
            doc = store.lease(idx)
            if doc is None or not lease_alive(doc) or is_me(doc.get("owner")):
                store.set_status(idx, "pending", error="interrupted; run the sweep again to finish it")
                store.release(idx)
    except Exception:  # noqa: BLE001 - best effort while exiting: the next sweep takes such runs back anyway
        pass


def _sweep(runner, info, experiment, seeds, params, out, duration, dt, batch_size, device_list, force, command,
           verify, progress, echo, verbose, executor, fail_fast, checkpoint_every, chunk_steps) -> SweepResult:
    from .progress import RunProgress

    prep = prepare(experiment, seeds=seeds, params=params, out=out, duration=duration, dt=dt, batch_size=batch_size,
                   devices=device_list, force=force, command=command, checkpoint_every=checkpoint_every,
                   chunk_steps=chunk_steps, verify=verify, on_store=lambda path: _hold(info, path))
    if verbose:
        echo(describe_plan(prep))
        echo(describe_batches(prep) if executor == "local" else f"{len(prep.tasks)} batch(es) for the dask cluster")
    total = prep.plan.n_runs
    skipped = total - len(prep.pending)
    result = SweepResult(prep.store_path)
    result.done, result.failed, result.skipped, result.total, result.batches = 0, [], skipped, total, []
    result.elsewhere, result.damaged = 0, dict(prep.damaged)
    skipped -= prep.elsewhere
    result.skipped = skipped
    if prep.damaged:
        echo(f"{len(prep.damaged)} done run(s) of {prep.store_path} had damaged data and are run again: "
             + "; ".join(f"{k} ({v})" for k, v in list(prep.damaged.items())[:5])
             + (" ..." if len(prep.damaged) > 5 else ""))
    if prep.elsewhere:
        echo(f"{prep.elsewhere} run(s) of {prep.store_path} are being run by another live process; left to it")
    if skipped:
        echo(f"{skipped} of {total} runs already done in {prep.store_path}; running the other {len(prep.pending)}")
    stop = {"flag": False}

    with RunProgress(total=len(prep.pending), enabled=progress) as bar:
        def on_report(task: BatchTask, report: BatchReport) -> None:
            result.done += len(report.done)
            info["done"] = result.done
            result.failed += report.failed
            result.elsewhere += len(report.elsewhere)
            result.skipped += len(report.already)
            result.batches.append((task.runs, report.device))
            bar.update(len(report.done), len(report.failed))
            if verbose:
                bar.print(f"batch of {len(task.runs)} on {report.device or task.device}: "
                          f"{len(report.done)} done, {len(report.failed)} failed", echo)
            if report.failed and fail_fast:
                stop["flag"] = True

        runner.run(prep.tasks, on_report, should_stop=lambda: stop["flag"])
    from ..store import ResultStore

    ResultStore.open(prep.store_path).finish()
    result.elsewhere += prep.elsewhere
    return result


def run(experiment: str | os.PathLike | Experiment, seed: int = 0, params: dict | None = None,
        out: str | None = None, **kwargs) -> SweepResult:
    """One run, in the same store format as a sweep (``results/<experiment>/run.zarr`` by default)."""
    check_int("seed", seed, minimum=0, exc=UsageError)
    exp = experiment if isinstance(experiment, Experiment) else load_experiment(experiment)
    single = {}
    for name, value in (params or {}).items():
        values = value if isinstance(value, (list, tuple)) else [value]
        if isinstance(value, str) and "," in value:
            raise UsageError(f"run takes one value per parameter, got {name}={value}")
        if len(values) != 1:
            raise UsageError(f"run takes one value per parameter, got {name}={value!r}")
        single[name] = values
    if out is None:
        out = os.path.join("results", exp.name, "run.zarr")
    exp.sweep = {}
    return sweep(exp, seeds=[seed], params=single, out=out, **kwargs)
