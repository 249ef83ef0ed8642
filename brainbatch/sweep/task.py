"""Running one batch of runs and writing it into the store: the unit of work of every executor.

A ``BatchTask`` is plain, picklable data, so the same function runs in the sweep's own process
(local executor) or in a spawned dask worker. Compiled programs are cached per process.
"""
from __future__ import annotations

import contextlib
import os
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from ..faults import fault_point
from .errors import PrecisionMismatch, VersionMismatch
from .nan_rule import allows, first_nonfinite
from .simulations import TRACE_LOCK as _TRACE_LOCK
from .simulations import traced_dtype
from .simulations import build_arguments as build_arguments
from .simulations import simulation_for as simulation_for

if TYPE_CHECKING:
    from ..run import Simulation
    from ..store import ResultStore

__all__ = ["BatchTask", "BatchReport", "execute_batch", "held_here", "runs_taken_up", "simulation_for"]


@dataclass(frozen=True)
class BatchTask:
    experiment: str                     # path of the experiment file
    source_hash: str
    store: str                          # store path or URL
    runs: tuple[tuple[int, tuple], ...]  # (seed, ((name, value), ...)) per lane: its coordinates, sampled values
    fixed: tuple[tuple[str, Any], ...]  # build arguments common to the batch (static values)
    traced: tuple[str, ...]             # swept parameters passed as traced values
    dt: float
    n_steps: int
    chunk_steps: int | None = None
    device: str | None = None
    record_shapes: tuple[tuple[str, tuple[int, ...]], ...] = ()  # store shape of each record (by name)
    state_shapes: tuple[tuple[str, tuple[int, ...]], ...] = ()   # store shape of each saved state (by path)
    step_indices: tuple[str, ...] = ()  # states holding step indices: saved counted from the step they are saved at
    checkpoint_every: float | None = None  # seconds of wall time between checkpoints (None: none)
    sampled: tuple[str, ...] = ()       # names in ``runs`` that are sampled values, not store coordinates
    helpers: tuple[tuple[str, str], ...] = ()  # (module, sha256) of each local module the experiment imports
    quantities: tuple[tuple[str, str], ...] = ()  # (name, unit) of the swept values build takes as quantities
    setup: tuple[tuple[str, str], ...] = ()  # what the module gave the sweep (provenance.setup_of): defaults,
                                        # monitors, inputs; a worker that loads it otherwise fails the runs
    kernels: str | None = None          # event path of the sweep on a CPU, "native" or "jax" (kernels/_select.py;
                                        # a worker that cannot take it fails the runs), else the choice
    allow_nan: str | tuple[str, ...] = ()  # "all" or the records / states whose NaN is allowed (nan_rule.py)
    lanes: int = 0                      # lanes of the compiled call when more than len(runs): the spare ones
                                        # repeat the last run and are dropped, so unequal batches share a program
    x64: bool | None = None             # JAX's 64-bit mode of the sweep (the store's provenance x64); a worker
                                        # in the other mode fails the runs instead of mixing precisions
    random: str | None = None           # the sweep's random numbers' source (the store's provenance random); a
                                        # worker with another JAX_DEFAULT_PRNG_IMPL fails the runs instead of mixing
    versions: tuple[tuple[str, str], ...] = ()  # the sweep's brainbatch (version, source digest), jax and jaxlib
                                        # (provenance.code_versions); a worker with others fails the runs
    generation: str | None = None       # the store's generation the runs were planned under: a store rebuilt
                                        # since (--force elsewhere) gets nothing more from this task
    claims: str | None = None           # the sweep's key in this process's record of the runs its batches took
                                        # up (``runs_taken_up``: what an interrupted sweep says it finished);
                                        # None, or a process that keeps no such record (a dask worker): none noted


@dataclass
class BatchReport:
    done: list = field(default_factory=list)      # coordinates of finished runs
    failed: list = field(default_factory=list)    # (coordinates, error)
    device: str = ""                              # the device the batch's arrays lived on
    elsewhere: list = field(default_factory=list)  # coordinates of runs a live process elsewhere holds
    already: list = field(default_factory=list)   # coordinates of runs found done when claimed
    restarted: list = field(default_factory=list)  # (coordinates, why): a saved state failed its checks
    unfinished: list = field(default_factory=list)  # (coordinates, why): left pending, e.g. the store grew in time
    stopped: list = field(default_factory=list)   # coordinates of runs a stop request left pending (a dask worker's
                                                  # batch: from its checkpoint next time, or never started)


#: Seconds between progress notes (steps done) written into the store while a batch runs.
PROGRESS_EVERY_S = 2.0


def _coords(seed: int, params: tuple) -> dict:
    return {"seed": seed, **dict(params)}


def _where(task: BatchTask, coords: dict) -> dict:
    """A lane's coordinates in the store (its sampled values are coordinates of its sample, not dims)."""
    return {k: v for k, v in coords.items() if k not in task.sampled}


def _pad(arr: np.ndarray, shape: tuple[int, ...] | None) -> np.ndarray:
    """Runs of a smaller model (a swept size) are padded to the store's shape."""
    if shape is None or arr.shape[-len(shape):] == tuple(shape) or len(shape) == 0:
        return arr
    lead = arr.shape[: arr.ndim - len(shape)]
    out = np.zeros(lead + tuple(shape), arr.dtype)
    if arr.dtype.kind in "fc":
        out[...] = np.nan
    out[tuple(slice(0, n) for n in arr.shape)] = arr
    return out


def execute_batch(task: BatchTask) -> BatchReport:
    """Run every lane of ``task``, write records, checkpoints, final states and status into the store.

    A run with a saved state (a checkpoint of an interrupted sweep, or the final state of a run the
    store was extended past) continues from it; its records already written are kept.

    Each run's lease is taken first: a run that a live process elsewhere holds (another sweep on
    the same store) is left to it, one found done is skipped. On an interrupt (Ctrl-C, or SIGTERM
    turned into one) the runs not finished are marked pending again; leases are always given back.
    """
    if task.kernels is None:
        return _execute_batch(task)
    from ..kernels import use_kernels

    with use_kernels(task.kernels):  # the sweep's choice (--kernels), in this thread or dask worker too
        return _execute_batch(task)


#: Runs a batch of this process holds now, by store: a run's lease is a process's (``Leases.claim`` gives a run this
#: process holds to it again), so two sweeps of one store in one process (threads of a notebook, a dask worker
#: running tasks of two sweeps side by side) both ran the same run, and the first to end deleted the other's lease
_HERE: dict[str, set[tuple]] = {}
_HERE_LOCK = threading.Lock()


def _store_key(path: str) -> str:
    from ..store import local_path

    local = local_path(path)
    return os.path.realpath(local) if local is not None else str(path)


def held_here(path: str) -> set[tuple]:
    """The runs (store indices) of the store at ``path`` that a batch of this process is running now."""
    with _HERE_LOCK:
        return set(_HERE.get(_store_key(path), ()))


def _hold_here(key: str, idx: tuple) -> bool:
    with _HERE_LOCK:
        held = _HERE.setdefault(key, set())
        if idx in held:
            return False
        held.add(idx)
        return True


def _let_go_here(key: str, idx: tuple) -> None:
    with _HERE_LOCK:
        held = _HERE.get(key)
        if held is not None:
            held.discard(idx)
            if not held:
                del _HERE[key]


#: Runs (store indices) the batches of each sweep of this process took up (claimed, found not done, ran or began
#: to), by the sweep's key (``BatchTask.claims``): an interrupted sweep counts as its own only the runs of these
#: found done (it counted every run of its batches, those of batches that never started too, which another process
#: may have finished meanwhile)
_TAKEN: dict[str, set[tuple]] = {}


@contextlib.contextmanager
def runs_taken_up(key: str) -> Iterator[Callable[[], set[tuple]]]:
    """Within: the runs the batches of the sweep ``key`` (``BatchTask.claims``) take up in this process are noted;
    yields a function giving them (a copy, as they are now)."""
    with _HERE_LOCK:
        _TAKEN[key] = set()

    def taken() -> set[tuple]:
        with _HERE_LOCK:
            return set(_TAKEN.get(key, ()))
    try:
        yield taken
    finally:
        with _HERE_LOCK:
            _TAKEN.pop(key, None)


def _take_up(key: str | None, idx: tuple) -> None:
    if key is None:
        return
    with _HERE_LOCK:
        taken = _TAKEN.get(key)
        if taken is not None:
            taken.add(idx)


def _execute_batch(task: BatchTask) -> BatchReport:
    from ..store import ResultStore

    store = ResultStore.open(task.store)
    report = BatchReport()
    if task.generation is not None and store.generation != task.generation:
        # rebuilt by another sweep since this one planned: its runs are that sweep's now, left untouched
        why = "the store was rebuilt by another sweep (--force) after this one planned it"
        report.unfinished += [(_coords(seed, params), why) for seed, params in task.runs]
        return report
    mine = []
    here = _store_key(task.store)
    try:
        for seed, params in task.runs:
            coords = _coords(seed, params)
            idx = store.run_index(**_where(task, coords))
            if not _hold_here(here, idx):  # another batch of this process runs it (another sweep of the store)
                report.elsewhere.append(coords)
                continue
            try:
                claimed = store.claim(idx)
            except BaseException:
                _let_go_here(here, idx)
                raise
            if not claimed:
                _let_go_here(here, idx)
                report.elsewhere.append(coords)
                continue
            mine.append((seed, params, idx))
        todo = []
        for seed, params, idx in mine:
            if store.status_of(idx) == "done":  # finished by another sweep since this one planned it
                report.already.append(_coords(seed, params))
            else:
                todo.append((seed, params))
                _take_up(task.claims, idx)
        if todo:
            _merge(report, _execute_claimed(_replace(task, runs=tuple(todo)), store))
    except BaseException:  # KeyboardInterrupt / SystemExit: what is not finished is pending again
        _mark_interrupted(store, [idx for _, _, idx in mine], task.generation)
        raise
    finally:
        try:
            for _, _, idx in mine:
                store.release(idx)
        finally:  # after the leases are gone: no other batch of this process takes one before
            for _, _, idx in mine:
                _let_go_here(here, idx)
    return report


def _mark_interrupted(store: ResultStore, index: list, generation: str | None = None) -> None:
    try:
        # a store rebuilt meanwhile is another sweep's: a run 'running' there is that sweep's, not this one's
        store.check_generation(generation)
        for idx in index:
            if store.status_of(idx) == "running":
                store.set_status(idx, "pending", error="interrupted; run the sweep again to finish it")
    except Exception:  # noqa: BLE001 - while exiting; a run left running is taken back by the next sweep
        pass


def _execute_claimed(task: BatchTask, store: ResultStore) -> BatchReport:
    """``execute_batch`` for runs whose leases this process holds.

    The invariant it keeps (docs/store.md, "When a run is done"): a run is marked done only when
    every record of the whole run is free of NaN and its final state is finite (but for the variables
    the user allowed NaN in, ``task.allow_nan``). A lane that fails a
    check gets no checkpoint after the failure and loses the ones it had, so a failed run always
    starts again from step 0 and fails again with the same message, never resumes past its failure.
    A saved state that is damaged (a chunk missing or failing its checksum) or not finite is not
    used: that run starts from step 0 and ``report.restarted`` says why.
    """
    import jax.numpy as jnp

    from ..core.devices import resolve_device
    from . import live
    from .cache import enable_compile_cache

    enable_compile_cache()  # a no-op after the first call; dask workers need it too
    report = BatchReport()
    runs = [_coords(seed, params) for seed, params in task.runs]
    rebuilt = _rebuilt_since(store, task)  # before a status is written: a rebuilt store's runs are another sweep's
    if rebuilt:
        return _left_to_rebuild(report, runs, rebuilt)
    index = [store.run_index(**_where(task, coords)) for coords in runs]
    for idx in index:
        if store.status_of(idx) == "failed":  # its checkpoints may hold the state that failed: from step 0
            store.forget_progress(idx)
    starts = [store.checkpoint_step(idx) for idx in index]
    if len(set(starts)) > 1:  # lanes of one compiled call share their step: one batch per start step
        for start in sorted(set(starts)):
            _merge(report, _execute_claimed(
                _replace(task, runs=tuple(r for r, s in zip(task.runs, starts) if s == start)), store))
        return report
    start = min(starts[0], task.n_steps)
    for idx in index:
        store.set_status(idx, "running")
    try:
        fault_point("run")  # tests only (BRAINBATCH_FAULTS): an allocation that fails, a call that hangs
        _check_versions(task)  # before anything is built: other code would build another model
        sim = simulation_for(task.experiment, task.source_hash, task.fixed, task.traced, task.dt, task.helpers,
                             task.quantities, task.setup)
        _check_precision(task)  # after the experiment's import, which may set the mode itself
        spare = [runs[-1]] * max(0, task.lanes - len(runs))  # same program as the group's larger batches
        seeds = np.asarray([c["seed"] for c in runs + spare], np.uint32)
        params = {name: jnp.asarray([c[name] for c in runs + spare], traced_dtype()) for name in task.traced}
        lanes = _Lanes(task, store, index, start)
        lanes.shared = sim.shared_paths(params)  # one copy for every lane, without a lane axis
        device = resolve_device(task.device) if task.device else None
        initial = None
        if start > 0:
            initial, problems = _resumed_state(task, store, sim, seeds, params, index, start, device, lanes.shared)
            if problems:  # those runs start again from step 0; the others keep their start
                for lane, why in problems.items():
                    store.forget_progress(index[lane])
                    report.restarted.append((runs[lane], why))
                return _merge(report, _execute_claimed(task, store))
        state, _ = sim.run(seeds, params, task.n_steps - start, sink=lanes.sink, chunk_steps=task.chunk_steps,
                           device=device, keep=False, progress=lanes.progress, initial_state=initial,
                           start_step=start, total_steps=_grid_total(task), checkpoint=lanes.checkpoint,
                           checkpoint_every=task.checkpoint_every, trace_lock=_TRACE_LOCK,
                           stop=live.stop_requested)
        _finish_lanes(task, store, runs, lanes, state, report)
    except (Exception, SystemExit) as err:  # noqa: BLE001 - any failure of a run is recorded, the sweep goes on
        # (sys.exit() in the experiment's build fails its runs; it does not end the sweep)
        if _rebuilt(err):  # the runs belong to the sweep that rebuilt the store: no status is written
            return _left_to_rebuild(report, runs, str(_rebuilt(err)))
        if len(runs) > 1:  # isolate the run(s) that fail: the others of the batch still finish
            for seed_params in task.runs:
                if _coords(*seed_params) in report.done:  # marked done before the error: never run (or failed) again
                    continue
                _merge(report, _execute_claimed(_replace(task, runs=(seed_params,)), store))
            return report
        _fail_runs(task, store, runs, index, err, report)  # none into a store rebuilt meanwhile (checked per write)
    return report


def _grid_total(task: BatchTask) -> int:
    """The ``total_steps`` that keeps the runner's calls on the planned grid of ``task.chunk_steps`` steps: the
    run's steps, rounded up to a whole number of calls. The runner takes a divisor of its total within a factor 2
    below the calls' length where one lies there (``run.engine.chunk_steps_for``); the planner's length is
    already one for a new store, but on an existing store it is cut to the store's time chunks
    (``batching.on_chunk_grid``), and a divisor off them would end calls inside chunk files again."""
    if not task.chunk_steps:
        return task.n_steps
    return -(-task.n_steps // task.chunk_steps) * task.chunk_steps


def _rebuilt_since(store: ResultStore, task: BatchTask) -> str:
    """Why ``store`` is no longer the one ``task`` was planned in (rebuilt by another sweep since), else ""."""
    try:
        store.check_generation(task.generation)
    except Exception as err:  # noqa: BLE001 - a root that cannot be read now is no rebuild: the caller goes on
        found = _rebuilt(err)
        return str(found) if found else ""
    return ""


def _left_to_rebuild(report: BatchReport, runs: list, why: str) -> BatchReport:
    """``report`` of a batch whose store was rebuilt under it: every run of it is left pending to the sweep that
    rebuilt it, those this batch marked done or failed before it found out too (that store is gone), so the
    sweep's summary counts each run once."""
    report.done = [c for c in report.done if c not in runs]
    report.failed = [(c, m) for c, m in report.failed if c not in runs]
    report.unfinished += [(coords, why) for coords in runs]
    return report


class _Lanes:
    """The lanes of a running batch: what the engine's writer thread calls with each chunk (``sink``,
    ``progress``, ``checkpoint``), and which lanes failed a check (``bad``, ``why``)."""

    def __init__(self, task: BatchTask, store: ResultStore, index: list, start: int) -> None:
        self.task, self.store, self.index = task, store, index
        self.record_shapes, self.state_shapes = dict(task.record_shapes), dict(task.state_shapes)
        self.bad = np.zeros(len(index), bool)
        #: paths of the variables all lanes share (``Simulation.shared_paths``): one value, no lane axis
        self.shared: frozenset = frozenset()
        self.why: dict[int, str] = {}
        self.steps = start
        self.noted = 0.0
        self.padded = _padded_records(store)
        #: each record's samples held back from the last write, ``{name: (first sample, lanes' samples)}``: a write
        #: that ends inside a time chunk (the runner cuts a run's last call into whole stride blocks and the steps
        #: after them) waits for the one that completes it, so the chunk file is written once, whole, and a copy of
        #: the store taken meanwhile never holds its first part under the run's later ``done``
        self.held: dict[str, tuple[int, np.ndarray]] = {}
        self.edges: dict[str, tuple[int, int]] | None = None  # read with the first records (the writer's errors)

    def fail(self, lane: int, why: str) -> None:
        if not self.bad[lane]:
            self.why[lane] = why
        self.bad[lane] = True

    def sink(self, records: dict, starts: dict) -> None:
        store = self.store
        with _fenced(store, self.task.generation, self.index):  # a store rebuilt under this batch gets none of it
            for name, arr in _real_lanes(records, len(self.index)).items():
                if arr.dtype.kind in "fc" and name not in self.padded and not allows(self.task.allow_nan, name):
                    for bad_lane, (sample, what) in first_nonfinite(arr).items():
                        self.fail(bad_lane, f"{what} in recorded variable {name!r} "
                                            f"{_when(store, name, starts[name] + sample)}")
                start, arr = self._whole_chunks(name, starts[name], arr)
                self._write(name, start, arr)

    def _whole_chunks(self, name: str, start: int, arr: np.ndarray) -> tuple[int, np.ndarray]:
        """The samples of record ``name`` to write now, from ``start`` on: those held back before these, and these
        up to the last chunk edge (or the record's end) they reach; the rest is held for the next write. Records
        whose chunks start off the calls' grid (``pieced_chunks``: readers check them) are written as they come."""
        held = self.held.pop(name, None)
        if held is not None:
            if held[0] + held[1].shape[1] == start:
                start, arr = held[0], np.concatenate([held[1], arr], axis=1)
            else:  # not the samples that follow (never, from the runner): written as they are
                self._write(name, *held)
        if self.edges is None:
            self.edges = _chunk_edges(self.store)
        if name not in self.edges:
            return start, arr
        per, total = self.edges[name]
        end = start + arr.shape[1]
        if end < total and end % per:
            cut = max(start, end - end % per)
            self.held[name] = (cut, arr[:, cut - start:])
            arr = arr[:, :cut - start]
        return start, arr

    def _write(self, name: str, start: int, arr: np.ndarray) -> None:
        if arr.shape[1]:
            for lane, idx in enumerate(self.index):
                self.store.write_record(idx, name, start, _pad(arr[lane], self.record_shapes.get(name)))

    def flush(self) -> None:
        """Write every sample held back (the run's end: its last chunks are complete)."""
        if not self.held:
            return
        with _fenced(self.store, self.task.generation, self.index):
            for name in list(self.held):
                self._write(name, *self.held.pop(name))

    def progress(self, steps: int) -> None:
        from . import live

        self.steps += steps
        live.steps_done(steps * len(self.index))  # the sweep's progress display, in this process
        # progress is for people (``brainbatch status``): a write per lane every few seconds is plenty,
        # and checkpoints and the end of the run record it exactly
        now = time.monotonic()
        if now - self.noted >= PROGRESS_EVERY_S:
            self.noted = now
            for idx in self.index:
                self.store.set_steps_done(idx, self.steps)

    def checkpoint(self, state: dict, step: int) -> None:
        if self.held:  # a checkpoint vouches for every record before its step
            if self.task.chunk_steps and self.task.n_steps - step < self.task.chunk_steps:
                return  # inside the run's last call (its last steps, after whole stride blocks): too near the end to keep
            self.flush()  # calls that end off the store's chunks (no call grid fits them): written in parts
        state = _real_lanes(state, len(self.index), self.shared)
        with _fenced(self.store, self.task.generation, self.index):
            for idx in self.index:
                self.store.set_steps_done(idx, step)
            for lane, why in _nonfinite(state, len(self.index), f"at step {step}", self.task.allow_nan,
                                        self.shared).items():
                self.fail(lane, why)
            # a lane that failed a check is never saved: a later sweep must not resume past the failure
            _save_states(self.store, self.index, _from_step(state, _step_paths(self.task, self.store), step), self.state_shapes, step,
                         lanes=np.flatnonzero(~self.bad),
                         shared=self.shared)
        fault_point("checkpointed")  # tests only: a kill -9 that lands after a checkpoint, mid-run


def _resumed_state(task: BatchTask, store: ResultStore, sim: Simulation, seeds: np.ndarray, params: dict,
                   index: list, start: int, device: Any, shared: frozenset = frozenset()) -> tuple[dict | None, dict[int, str]]:
    """The batch's state restored from each run's saved state at ``start``, and ``{lane: why}`` for the
    lanes whose saved state (or whose records before it) cannot be used."""
    import jax

    from ..store import StoreDamagedError

    saved: list[Any] = []  # each run's saved state (a dict: its checkpoint step is > 0)
    problems: dict[int, str] = {}
    for lane, idx in enumerate(index):
        try:
            saved.append(store.checkpoint(idx)[1])
        except StoreDamagedError as err:
            problems[lane] = str(err)
    if problems:
        return None, problems
    saved = [_from_step(s, _step_paths(task, store), -start) for s in saved]  # onto the run's own step count
    saved += saved[-1:] * (len(seeds) - len(saved))  # spare lanes (BatchTask.lanes) repeat the last run
    with _TRACE_LOCK:
        initial = sim.restore(seeds, params, saved, device=device, padded=True)
    problems = _nonfinite(_real_lanes(jax.device_get(_no_keys(initial)), len(index), shared), len(index),
                          f"saved at step {start}", task.allow_nan, shared)
    # the records kept from earlier sessions count too: the whole run must pass the checks
    problems = problems or _earlier_records(store, sim, params, index, start, task.allow_nan)
    return initial, problems


def _finish_lanes(task: BatchTask, store: ResultStore, runs: list, lanes: _Lanes, state: dict, report: BatchReport) -> None:
    """After the last chunk: check and save each run's final state, then mark it done or failed."""
    import jax

    from ..store import RunIncompleteError

    index = lanes.index
    state = _no_keys(state)
    leaf = next(iter(state.values()), None)
    if leaf is not None:
        where = next(iter(leaf.devices()))
        report.device = f"{where.platform}:{where.id}"
    host = _real_lanes(jax.device_get(state), len(index), lanes.shared)
    for lane, why in _nonfinite(host, len(index), "at its end", task.allow_nan, lanes.shared).items():  # e.g. only spikes recorded
        lanes.fail(lane, why)
    lanes.flush()  # the last chunks, whole, before any final state or status is written
    with _fenced(store, task.generation, index):  # before any final state or status is written
        _save_states(store, index, _from_step(host, _step_paths(task, store), task.n_steps), lanes.state_shapes, task.n_steps,
                     final=True,
                     lanes=np.flatnonzero(~lanes.bad), shared=lanes.shared)
        _write_synapse_posts(store, index, host, np.flatnonzero(~lanes.bad), lanes.shared)
    for lane, (coords, idx) in enumerate(zip(runs, index)):
        if lanes.bad[lane]:
            message = lanes.why.get(lane, "NaN in a recorded variable")
            store.check_generation(task.generation)  # a store rebuilt meanwhile gets no failure of this batch
            store.set_status(idx, "failed", message + "; try a smaller dt or check the parameters")
            store.forget_progress(idx)
            report.failed.append((coords, message))
        else:
            taken = _taken_over(store, idx)
            if taken:  # another process runs it now (this one looked stale to it): its data, its status
                report.unfinished.append((coords, taken))
                continue
            store.set_steps_done(idx, task.n_steps)
            fault_point("before-done")
            try:
                store.mark_done(idx, steps=task.n_steps, generation=task.generation)
            except RunIncompleteError as err:  # the store grew in time under this sweep: not done
                report.unfinished.append((coords, str(err)))
                continue
            report.done.append(coords)


def _taken_over(store: ResultStore, idx: tuple) -> str:
    """Why the run at ``idx`` is no longer this process's (its lease holds another owner: a process that found
    this one's heartbeat stale, after a pause or across hosts whose clocks differ, took it over and runs it
    too), else "". Then this process leaves the run's status to that one: marked done here, it could read as
    done while that one is still writing its chunks (from another device, with other rounding)."""
    try:
        lease = store.lease(idx)
    except Exception:  # noqa: BLE001 - an unreadable lease file is nobody's: the status is this process's
        return ""
    if lease is None or lease.owner is None or lease.mine:
        return ""
    return (f"its lease was taken over by {lease.owner} while this process ran it (this one looked stale: a pause "
            "or clocks that differ between hosts); that process finishes it")


@contextlib.contextmanager
def _fenced(store: ResultStore, generation: str | None, index: list) -> Iterator[None]:
    """Writes of ``index``'s runs, only into the store generation they were planned under: checked before,
    and after (a writer paused past its leases' staleness may wake up inside the block, after another sweep
    rebuilt the store and even finished those runs). A write found to have landed in a newer generation is
    undone as far as it can be: those runs turn pending with no saved state, so the next sweep redoes them
    and none reads as done with this batch's data (docs/store.md, "When a run is done")."""
    store.check_generation(generation)
    fault_point("fenced-write")  # tests: a writer paused (or rebuilt under) right after its check
    yield
    try:
        store.check_generation(generation)
    except Exception:
        for idx in index:
            with contextlib.suppress(Exception):  # best effort: the store is another sweep's now
                store.set_status(idx, "pending", error="written over by a sweep of an earlier generation of this "
                                                       "store (a stale writer); run it again")
                store.forget_progress(idx)
        raise


def _rebuilt(err: BaseException) -> BaseException | None:
    """The ``StoreRebuiltError`` behind ``err`` (raised here, or in the writer thread and wrapped), or None."""
    from ..store import StoreRebuiltError

    seen: BaseException | None = err
    for _ in range(8):  # a short chain: the writer's error wraps the store's
        if seen is None:
            return None
        if isinstance(seen, StoreRebuiltError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _check_precision(task: BatchTask) -> None:
    """Refuse to compute a store's runs in the other precision: a dask worker started with another
    ``JAX_ENABLE_X64`` than the sweep would write float64-computed runs into a float32 store (or the
    reverse), each marked done (docs/store.md, "When a run is done"); nor with another random numbers' source
    (``JAX_DEFAULT_PRNG_IMPL``, ``JAX_THREEFRY_PARTITIONABLE``: every seed would draw other numbers)."""
    from ..store import Owner
    from .provenance import random_stream

    if task.random is not None and random_stream() != task.random:
        raise PrecisionMismatch(f"this process ({Owner.me()}) draws its random numbers from {random_stream()}, the "
                                f"sweep and its store from {task.random}: start the workers with the sweep's "
                                "JAX_DEFAULT_PRNG_IMPL and JAX_THREEFRY_PARTITIONABLE")
    if task.x64 is None:
        return
    import jax

    here = bool(jax.config.read("jax_enable_x64"))
    if here != task.x64:
        def mode(on: bool) -> str:
            return "on (JAX_ENABLE_X64=1)" if on else "off (JAX_ENABLE_X64 unset or 0)"
        raise PrecisionMismatch(f"this process ({Owner.me()}) has JAX's 64-bit mode {mode(here)}, the sweep and its "
                                f"store have it {mode(task.x64)}: start the workers with the sweep's JAX_ENABLE_X64")


def _check_versions(task: BatchTask) -> None:
    """Refuse to compute a store's runs with other code than the sweep's: a dask worker started in another
    environment (an older brainbatch or jax on the compute nodes, a brainbatch copy on its ``PYTHONPATH``) computed
    them otherwise, and marked them done in a store whose ``versions_seen`` names only the sweep's versions."""
    from ..store import Owner
    from .provenance import code_versions

    if not task.versions:  # a task made by hand, or by a version before tasks carried them
        return
    here, want = dict(code_versions()), dict(task.versions)
    differ = [k for k in want if here.get(k) != want[k]]
    if differ:
        def text(versions: dict) -> str:
            return ", ".join(f"{k} {versions.get(k)}" for k in differ)
        raise VersionMismatch(f"this process ({Owner.me()}) runs {text(here)}, the sweep runs {text(want)}: its runs "
                              "would be computed by other code than the store records; start the workers in the "
                              "sweep's environment (the same brainbatch files and jax), then run the sweep again")


def _fail_runs(task: BatchTask, store: ResultStore, runs: list, index: list, err: BaseException, report: BatchReport) -> None:
    """Mark the runs failed with the error's text, pointing at the experiment's line that raised it."""
    message = f"{type(err).__name__}: {err}"
    # `if param > x:` on a swept (traced) value (JAX's ConcretizationTypeError; jax is not imported here)
    if any(c.__name__ == "ConcretizationTypeError" for c in type(err).__mro__):
        first = str(err).strip().splitlines()[0] if str(err).strip() else ""
        message = (f"{type(err).__name__}: {first} (a swept parameter is an array inside the compiled run: "
                   "use jnp.where instead of if/else on it, or list it in the experiment's static = [...] "
                   "to build a model per value; docs/experiments.md)")
    frames = traceback.extract_tb(err.__traceback__)
    mine = [f for f in frames if f.filename == task.experiment]
    where = f"  at {mine[-1].filename}, line {mine[-1].lineno}, in {mine[-1].name}\n" if mine else ""
    detail = "".join(traceback.format_exception(type(err), err, err.__traceback__)[-8:])
    from ..store import StoreRebuiltError

    for coords, idx in zip(runs, index):
        said = message
        try:
            fault_point("fail-write")  # tests: a disk that fills up just now, or a rebuild
            # checked again at each write: the failure may take long to write, and a rebuild can land meanwhile
            store.check_generation(task.generation)
            store.set_status(idx, "failed", f"{message}\n{where}{detail}")
            store.forget_progress(idx)
        except StoreRebuiltError as rebuilt:  # the runs are the rebuilding sweep's: each left pending, once
            _left_to_rebuild(report, runs, str(rebuilt))
            return
        except OSError as unwritten:  # the disk is full, or gone: the run stays 'running', the next sweep redoes it
            said += f" (and its status could not be written: {type(unwritten).__name__}: {unwritten})"
        report.failed.append((coords, said))


def _earlier_records(store: ResultStore, sim: Simulation, params: dict, index: list, start: int, allow: Any = ()) -> dict[int, str]:
    """``{lane: why}`` for lanes whose records before step ``start`` (kept from an earlier session) cannot be
    read (every record: a chunk that fails its checksum, spikes too) or, for float records, hold NaN. Only the
    model's own shape is checked for NaN (the store pads smaller runs with NaN), one time chunk at a time."""
    with _TRACE_LOCK:
        infos, _ = sim.probe({k: v[0] for k, v in params.items()})
    out: dict[int, str] = {}
    padded = _padded_records(store)
    for info in infos:
        nan_checked = np.dtype(info.dtype).kind in "fc" and info.name not in padded and not allows(allow, info.name)
        samples = max(0, -(-(start - info.first) // info.every))  # those at steps before start
        block = max(1, store.time_chunk(info.name))
        cut = tuple(slice(0, n) for n in info.shape)
        for lane, idx in enumerate(index):
            for first in range(0, samples, block):
                if lane in out:
                    break
                try:
                    part = store.read_record(idx, info.name, first, min(first + block, samples))
                    # kept as it is: a whole chunk must be the one written there for this run (a chunk file copied
                    # from another run or time block decodes fine); the chunk holding `start` is digested anew
                    moved = store.record_chunk_problem(idx, info.name, first // block, part)
                except Exception as err:  # noqa: BLE001 - a damaged chunk: the run is redone from step 0
                    out[lane] = f"its records of {info.name!r} before step {start} cannot be read ({type(err).__name__})"
                    break
                bad = first_nonfinite(part[(slice(None), *cut)][None]).get(0) if nan_checked else None
                if bad is not None:  # said first: the more telling of the two
                    out[lane] = (f"{bad[1]} in recorded variable {info.name!r} {_when(store, info.name, first + bad[0])}"
                                 f", written before step {start}")
                elif moved:
                    out[lane] = f"its records of {info.name!r} before step {start}: {moved}"
    return out


def _when(store: ResultStore, name: str, sample: int) -> str:
    """``at t = 0.5 ms (sample 5)``: the time of sample ``sample`` of record ``name`` (docs/store.md, "Layout")."""
    var = store.spec.var(name)
    return f"at t = {store.spec.t0 + (var.first + sample * var.every) * store.spec.dt:.10g} ms (sample {sample})"


def _chunk_edges(store: ResultStore) -> dict[str, tuple[int, int]]:
    """``{record: (samples per time chunk, samples)}`` of the records whose chunks start on the calls' grid (a
    record's first step a multiple of its chunks' steps, ``batching.chunk_grid``'s rule): those whose chunk files a
    batch writes once each."""
    out = {}
    for var in store.spec.records:
        per = store.time_chunk(var.name)
        if var.first % (per * var.every) == 0:
            out[var.name] = (per, max(0, -(-(store.spec.n_steps - var.first) // var.every)))
    return out


def _padded_records(store: ResultStore) -> set[str]:
    """Records of plastic weights: NaN marks their padding slots (no synapse), so their NaN check is the
    one of the weight state itself (``_nonfinite``: a weight that became NaN stays NaN)."""
    return {v.name for v in store.spec.records if v.synapses or v.kind == "weights"}


def _write_synapse_posts(store: ResultStore, index: list, state: dict, lanes: Any, shared: frozenset = frozenset()) -> None:
    """The ``post`` coordinate of each recorded synapse dim, from each run's drawn graph (docs/store.md)."""
    for dim in store.spec.synapse_coords():
        var = store.spec.synapse_record(dim)
        prefix = var.synapses["targets"][: -len("targets")]
        targets = state.get(var.synapses["targets"])
        if targets is None:
            continue
        index_rows = state.get(prefix + "post_index")  # its rows: the run's own postsynaptic group size
        n_post = np.asarray(index_rows).shape[-2] if index_rows is not None else var.synapses["n_post"]
        n = var.shape[-1]
        for lane in lanes:
            flat = np.asarray(_of_lane(targets, lane, var.synapses["targets"] in shared)).reshape(-1)
            ids = np.asarray(var.coords.get(dim, np.arange(min(n, flat.size))), dtype=np.int64)
            ids = ids[ids < flat.size]
            post = np.full(n, np.nan, np.float32)
            real = flat[ids]
            post[: len(ids)] = np.where(real < n_post, real, np.nan)
            store.write_synapse_posts(index[lane], dim, post)


def _real_lanes(arrays: dict, n: int, shared: frozenset = frozenset()) -> dict:
    """The first ``n`` lanes of each array: what the batch's runs own, without the spare lanes (a
    ``shared`` array, one for every lane, as it is)."""
    return {k: v if k in shared else v[:n] for k, v in arrays.items()}


def _of_lane(value: Any, lane: int, shared: bool) -> Any:
    """Lane ``lane``'s value of a batch's variable (a shared one has no lane axis: every lane's)."""
    return value if shared else value[lane]


def _no_keys(state: dict) -> dict:
    import jax
    import jax.numpy as jnp

    return {p: v for p, v in state.items() if not jnp.issubdtype(v.dtype, jax.dtypes.prng_key)}


def _nonfinite(state: dict, n_lanes: int, when: str, allow: Any = (), shared: frozenset = frozenset()) -> dict[int, str]:
    """``{lane: why}`` for lanes whose state holds NaN or Inf in a float variable (one not in ``allow``).

    ``state`` holds the model's own shapes (not the store's padded ones), so padding never counts.
    A blown-up run that records only spikes reads as silent; its state still tells.
    """
    out: dict[int, str] = {}
    for path, value in state.items():
        arr = np.asarray(value)
        if arr.dtype.kind not in "fc" or (arr.ndim == 0 and path not in shared) or allows(allow, path):
            continue
        if path in shared:  # one value for every lane
            lanes = np.full(n_lanes, not np.isfinite(arr).all())
        else:
            lanes = ~np.isfinite(arr.reshape(n_lanes, -1)).all(axis=1)
        for lane in np.flatnonzero(lanes):
            out.setdefault(int(lane), f"NaN or Inf in state variable {path!r} {when}")
    return out


def _merge(report: BatchReport, part: BatchReport) -> BatchReport:
    report.done += part.done
    report.failed += part.failed
    report.restarted += part.restarted
    report.unfinished += part.unfinished
    report.device = report.device or part.device
    return report


def _step_paths(task: BatchTask, store: ResultStore) -> tuple[str, ...]:
    """The states ``_from_step`` moves: none in a store whose saved states count from their run's step 0
    (written before, ``ResultStore.step_indices_from_saved_step``): a resume or extension keeps its count."""
    return task.step_indices if store.step_indices_from_saved_step else ()


def _from_step(state: dict, paths: tuple[str, ...], step: int) -> dict:
    """``state`` with its step indices (``paths``: the step of a neuron's last spike...) counted from ``step``:
    a saved state holds them counted from the step it was saved at (a spike ``k`` steps before: ``-k``), as a
    model holds them between runs (run/runner.py, ``shift_step_indices``), so ``bb.load_state`` gives a model
    that any Runner goes on from; ``step < 0`` moves them back onto a run's count. "None yet" stays."""
    if not paths or not step:
        return state
    from ..core.variable import NO_STEP

    out = dict(state)
    for path in paths:
        if path in out:
            v = np.asarray(out[path])
            moved = np.clip(v.astype(np.int64) - step, NO_STEP, np.iinfo(v.dtype).max).astype(v.dtype)
            out[path] = np.where(v <= NO_STEP, v, moved)
    return out


def _save_states(store: ResultStore, index: list, state: dict, shapes: dict, step: int, final: bool = False,
                 lanes: Any = None, shared: frozenset = frozenset()) -> None:
    """``store.save_state`` of every lane (or of ``lanes``); each run keeps its own two-slot protocol."""
    for lane in range(len(index)) if lanes is None else lanes:
        store.save_state(index[lane], _lane_state(state, lane, shapes, {v.name for v in store.spec.states}, shared),
                         step, final=final)


def _lane_state(state: dict, lane: int, shapes: dict, saved: Any = None, shared: frozenset = frozenset()) -> dict:
    # ``saved``: the store's state names; seeded variables (connectivity redrawn from the seed) are not among them.
    # A shared variable (one copy for every lane) is each run's own value all the same: every run saves it
    return {p: _pad(np.asarray(_of_lane(v, lane, p in shared)), shapes.get(p)) for p, v in state.items()
            if saved is None or p in saved}


def _replace(task: BatchTask, **changes: Any) -> BatchTask:
    from dataclasses import replace

    return replace(task, **changes)

