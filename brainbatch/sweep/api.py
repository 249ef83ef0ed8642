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

from .errors import UsageError
from .experiment import Experiment, load_experiment
from .plan import Run, SweepPlan, make_plan
from .task import BatchReport, BatchTask

__all__ = ["sweep", "run", "SweepResult", "prepare", "describe_plan"]

#: Device memory a batch may use for its state (bytes); the automatic batch size follows from it.
BATCH_STATE_BUDGET = 2 * 2**30
MAX_AUTO_BATCH = 32


class SweepResult(str):
    """The store path (a ``str``), with the sweep's outcome: ``.done``, ``.failed``, ``.skipped``."""

    done: int
    failed: list
    skipped: int
    total: int


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
            command: str | None = None) -> Prepared:
    """Plan the sweep, create or extend its store (unless ``dry_run``), and cut the pending runs into batches."""
    from ..run import MonitorInfo  # noqa: F401 - jax is needed from here on
    from ..store import ResultStore, StoreSpec, VarSpec
    from ..store import StoreError as _StoreError

    exp = experiment if isinstance(experiment, Experiment) else load_experiment(experiment)
    plan = make_plan(exp, seeds=seeds, params=params, out=out, duration=duration, dt=dt)
    if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1):
        raise UsageError(f"--batch-size must be an integer >= 1, got {batch_size!r}")
    devices = devices or ["cpu:0"]
    traced = _classify(plan)
    runs = plan.runs
    groups: dict[tuple, list[Run]] = {}
    for r in runs:
        groups.setdefault(_group_key(r, traced, plan.fixed), []).append(r)
    # one description per group: shapes may differ (a swept size); the store holds the largest
    records: dict[str, Any] = {}
    states: dict[str, Any] = {}
    state_bytes = 1
    for key, members in groups.items():
        mons, sts = _describe(plan, key, traced, members[0])
        for m in mons:
            records[m.name] = _widest(records.get(m.name), m)
        for s in sts:
            if s.dtype != "key":
                states[s.path] = _widest(states.get(s.path), s)
        state_bytes = max(state_bytes, sum(math.prod(s.shape) * np.dtype(s.dtype).itemsize
                                           for s in sts if s.dtype != "key"))
    rec_specs = tuple(VarSpec(name=m.name, dims=m.dims, shape=m.shape, dtype=m.dtype, units=m.units,
                              description=m.description, every=m.every) for m in records.values())
    state_specs = tuple(VarSpec(name=s.path, dims=s.dims, shape=s.shape, dtype=s.dtype, units=s.units,
                                description=s.description) for s in states.values())
    store_bytes = plan.n_runs * sum(
        math.prod(m.shape) * np.dtype(m.dtype).itemsize * math.ceil(plan.n_steps / m.every) for m in records.values()
    ) + plan.n_runs * state_bytes
    auto = max(1, min(MAX_AUTO_BATCH, BATCH_STATE_BUDGET // max(state_bytes, 1)))
    size = batch_size or auto
    prepared = Prepared(plan=plan, store_path=plan.out, tasks=[], pending=[], traced=traced, groups=len(groups),
                        store_bytes=int(store_bytes), batch_size=size, devices=devices)
    if dry_run:
        prepared.pending = runs
        prepared.tasks = _batches(plan, groups, traced, runs, size, devices, records, states, batch_size is None)
        return prepared
    _check_out(plan.out)
    spec = StoreSpec(
        experiment=exp.name, source_hash=exp.source_hash, params={k: list(v) for k, v in plan.axes.items()},
        seeds=list(plan.seeds), n_steps=plan.n_steps, dt=plan.dt, t0=0.0, records=rec_specs, states=state_specs,
        attrs=_provenance(exp, plan, devices, command),
    )
    try:
        store = ResultStore.create(plan.out, spec, force=force)
    except _StoreError as err:
        raise UsageError(str(err)) from None
    pending_coords = {_coord_key(c) for c in store.pending_runs()}
    prepared.pending = [r for r in runs if _coord_key(r.coords) in pending_coords]
    prepared.tasks = _batches(plan, groups, traced, prepared.pending, size, devices, records, states,
                              batch_size is None)
    return prepared


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


def _batches(plan, groups, traced, pending, size, devices, records, states, auto) -> list[BatchTask]:
    exp = plan.experiment
    shapes = tuple([(n, m.shape) for n, m in records.items()] + [(f"states/{p}", s.shape) for p, s in states.items()])
    wanted = {id(r) for r in pending}
    pending_set = {(r.seed, r.params) for r in pending}
    tasks = []
    for key, members in groups.items():
        todo = [r for r in members if (r.seed, r.params) in pending_set or id(r) in wanted]
        if not todo:
            continue
        b = size
        if auto:  # spread a group over the devices, so every device has work
            b = max(1, min(size, math.ceil(len(todo) / max(1, len(devices)))))
        for start in range(0, len(todo), b):
            chunk = todo[start:start + b]
            tasks.append(BatchTask(
                experiment=exp.path, source_hash=exp.source_hash, store=plan.out,
                runs=tuple((r.seed, r.params) for r in chunk), fixed=key, traced=traced, dt=plan.dt,
                n_steps=plan.n_steps, device=devices[len(tasks) % len(devices)], shapes=shapes,
            ))
    return tasks


def _check_out(out: str) -> None:
    if "://" in out and not out.startswith("file://"):
        return  # object stores are checked by the store itself
    path = out[len("file://"):] if out.startswith("file://") else out
    if os.path.isfile(path):
        raise UsageError(f"output path {out!r} is a file; give a directory path ending in .zarr")
    parent = os.path.dirname(os.path.abspath(path))
    probe = parent
    while not os.path.exists(probe):
        probe = os.path.dirname(probe)
    if os.path.isfile(probe):
        raise UsageError(f"output path {out!r} is inside a file ({probe!r})")
    if not os.access(probe, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        raise UsageError(f"output path {out!r} is not writable")


def _provenance(exp: Experiment, plan: SweepPlan, devices: list[str], command: str | None) -> dict:
    import jax

    from ..store._provenance import now

    return {
        "experiment_path": exp.path, "source_hash": exp.source_hash, **_git(exp.path),
        "command": command or " ".join(shlex.quote(a) for a in sys.argv),
        "jax_version": jax.__version__, "jax_devices": [str(d) for d in jax.devices()],
        "sweep_devices": devices, "defaults": {k: v for k, v in exp.params.items()
                                               if isinstance(v, (int, float, str, bool))},
        "duration_ms": plan.duration, "started": now(),
    }


def describe_plan(prep: Prepared) -> str:
    """The text ``--dry-run`` prints."""
    plan = prep.plan
    axes = ", ".join(f"{k} = {v}" for k, v in plan.axes.items()) or "(no parameter axes)"
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
        f"devices     {', '.join(prep.devices)}",
        f"store       {plan.out}",
        f"size        about {_bytes(prep.store_bytes)} before compression",
    ]
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
          out: str | None = None, executor: str = "local", devices: str | None = "cpu",
          batch_size: int | None = None, duration: float | None = None, dt: float | None = None,
          workers: int | None = None, scheduler: str | None = None, retries: int = 0, fail_fast: bool = False,
          force: bool = False, progress: bool = True, echo: Callable[[str], None] | None = None,
          command: str | None = None) -> SweepResult:
    """Run an experiment over seeds x a parameter grid into one Zarr store; returns the store path.

    Re-running skips finished runs; wider seeds or values extend the store. The result is the store
    path (a ``str``) with ``.done``, ``.failed`` (list of (coords, error)) and ``.skipped``.

    >>> path = sweep("experiments/coba.py", seeds=2, params={"we": [0.4, 0.6]}, duration=100)  # doctest: +SKIP
    >>> import brainbatch as bb; bb.open_results(path)  # doctest: +SKIP
    """
    from .devices import select_devices
    from .executors import DaskExecutor, LocalExecutor
    from .progress import RunProgress

    echo = echo or (lambda s: None)
    if executor not in ("local", "dask"):
        from ..core.errors import did_you_mean

        raise UsageError(f"executor must be 'local' or 'dask', got {executor!r}.{did_you_mean(executor, ['local', 'dask'])}")
    device_list = select_devices(devices) if executor == "local" else ["cpu:0"]
    prep = prepare(experiment, seeds=seeds, params=params, out=out, duration=duration, dt=dt, batch_size=batch_size,
                   devices=device_list, force=force, command=command)
    if executor == "dask":
        runner = DaskExecutor(workers=workers, scheduler=scheduler, retries=retries, echo=echo)
    else:
        runner = LocalExecutor(device_list)
    total = prep.plan.n_runs
    skipped = total - len(prep.pending)
    result = SweepResult(prep.store_path)
    result.done, result.failed, result.skipped, result.total = 0, [], skipped, total
    if skipped:
        echo(f"{skipped} of {total} runs already done in {prep.store_path}; running the other {len(prep.pending)}")
    stop = {"flag": False}

    with RunProgress(total=len(prep.pending), enabled=progress) as bar:
        def on_report(task: BatchTask, report: BatchReport) -> None:
            result.done += len(report.done)
            result.failed += report.failed
            bar.update(len(report.done), len(report.failed))
            if report.failed and fail_fast:
                stop["flag"] = True

        runner.run(prep.tasks, on_report, should_stop=lambda: stop["flag"])
    from ..store import ResultStore
    from ..store._provenance import now

    ResultStore.open(prep.store_path).finish()
    return result


def run(experiment: str | os.PathLike | Experiment, seed: int = 0, params: dict | None = None,
        out: str | None = None, **kwargs) -> SweepResult:
    """One run, in the same store format as a sweep (``results/<experiment>/run.zarr`` by default)."""
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise UsageError(f"seed must be an integer >= 0, got {seed!r}")
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
