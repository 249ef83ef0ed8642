"""The dask executor: one task per batch on a ``dask.distributed`` cluster.

By default a ``LocalCluster`` of spawned, single-threaded worker processes; or an existing scheduler
(``--scheduler tcp://host:8786``), e.g. one started by dask-jobqueue on SLURM. Workers write their
runs straight into the store (a shared filesystem or object store path).
"""
from __future__ import annotations

import contextlib
import time
import uuid
from typing import Any, Callable, Sequence

from ...core.checks import check_int
from ..errors import UsageError
from ...errors import BrainbatchError, did_you_mean, option_name, option_text
from ..task import BatchReport, BatchTask
from .base import AbstractExecutor

#: Workers of the local cluster a dask sweep starts when --workers is not given.
DEFAULT_WORKERS = 2
#: A local cluster's workers per CPU core at most: each is a single-threaded JAX process of its own (a few hundred
#: MB before any run), so more than a few per core only share the cores and the memory (--workers 1000 was accepted)
MAX_WORKERS_PER_CORE = 4


def local_workers(workers: int | None, batches: int) -> int:
    """The workers a local cluster starts: those asked for (``DEFAULT_WORKERS`` if none), at most one per batch (a
    worker with no batch is a JAX process started for nothing).

    >>> local_workers(None, 5), local_workers(1000, 3), local_workers(4, 0)
    (2, 3, 1)
    """
    return max(1, min(workers or DEFAULT_WORKERS, batches))


def check_local_workers(workers: int | None) -> None:
    """Refuse more workers than a local cluster on this machine can sensibly run (``MAX_WORKERS_PER_CORE`` per core);
    a ``--scheduler`` cluster's workers are its own and never checked here."""
    from ..device_choice import cpu_cores

    most = MAX_WORKERS_PER_CORE * cpu_cores()
    if workers is not None and workers > most:
        raise UsageError(f"{option_text('workers', workers)} is far more than this machine's {cpu_cores()} CPU core(s): "
                         f"a local dask cluster runs each worker as a JAX process of its own, so at most {most} "
                         f"({MAX_WORKERS_PER_CORE} per core; one per core uses them all); for more workers, start a "
                         f"cluster of them elsewhere and give its {option_name('scheduler')} ADDRESS")


class SchedulerLost(BrainbatchError, RuntimeError):
    """The dask scheduler went away while a sweep ran (killed, its machine lost): the batches that did not report
    are the scheduler's no more. The runs finished are in the store; the same sweep again runs the rest."""


class DaskExecutor(AbstractExecutor):
    name = "dask"

    #: how long to try to reach a --scheduler before refusing it (dask retries a refused connection until then)
    connect_timeout_s: float = 10.0

    def __init__(self, workers: int | None = None, scheduler: str | None = None, retries: int = 0,
                 echo: Callable[[str], None] = print, dashboard: str = "127.0.0.1:0"):
        check_int(option_name("workers"), workers, minimum=1, none=True, exc=UsageError, allowed="an integer >= 1")
        check_int(option_name("retries"), retries, minimum=0, exc=UsageError)
        host, colon, port = dashboard.rpartition(":") if isinstance(dashboard, str) else ("", "", "")
        if not colon or not port.isdigit() or not 0 <= int(port) <= 65535 or any(c.isspace() for c in host):
            raise UsageError(f"{option_name('dashboard')} must be HOST:PORT with a port 0..65535 (0: any free port), e.g. "
                             f"127.0.0.1:8787 or 0.0.0.0:8787 to reach it from other machines; got {dashboard!r}")
        if scheduler is not None:
            _check_address(scheduler)  # before anything is written: a typo is not a store of pending runs
            # a cluster of one's own has its own workers and dashboard: these options shape a local cluster only
            ignored = [option_text("workers", workers)] if workers is not None else []
            if dashboard != "127.0.0.1:0":
                ignored.append(option_text("dashboard", dashboard))
            if ignored:
                echo(f"note: {' and '.join(ignored)} {'is' if len(ignored) == 1 else 'are'} ignored with "
                     f"{option_name('scheduler')}: the cluster at {scheduler} has its own workers and dashboard (they "
                     "shape the local cluster brainbatch starts without it)")
        else:
            check_local_workers(workers)
            _refuse_in_a_starting_worker()
        self.workers, self.scheduler, self.retries, self.echo = workers, scheduler, retries, echo
        self.dashboard = dashboard
        self._connection: tuple[Any, Any] | None = None

    def connect(self) -> None:
        """Reach the scheduler now, before the sweep writes its store: an address with no scheduler behind it
        (a mistyped host or port) is refused before anything is created, not 10 s after a store of pending
        runs was. ``run`` uses this connection; ``close`` ends one ``run`` did not."""
        if self._connection is None:
            self._connection = self._client()

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            _close(*connection)

    def _client(self, batches: int = 0) -> Any:
        """A client of the ``--scheduler``, or of a local cluster started for ``batches`` batches (``local_workers``)."""
        import dask
        from distributed import Client, LocalCluster

        if self.scheduler:
            try:
                return Client(self.scheduler, timeout=f"{self.connect_timeout_s}s"), None
            except (OSError, ValueError, TypeError) as err:  # unreachable, or an address dask cannot read
                raise UsageError(f"cannot reach the dask scheduler at {self.scheduler!r}: {err}") from None
        # JAX in workers: spawned processes, never forked (a forked JAX runtime can deadlock)
        dask.config.set({"distributed.worker.multiprocessing-method": "spawn"})
        # everything the local cluster opens (scheduler, workers, nannies, dashboard) listens on loopback
        # only; --dashboard HOST:PORT exposes the dashboard elsewhere when the user asks for it
        n_workers = local_workers(self.workers, batches)
        if self.workers is not None and n_workers < self.workers:  # said once: the plan said how many were asked for
            self.echo(f"dask: a local cluster of {n_workers} worker(s), one per batch ({batches} batch(es)), not the "
                      f"{self.workers} of {option_text('workers', self.workers)}")
        try:
            cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address=self.dashboard, silence_logs=40,
                                   env={"JAX_PLATFORMS": "cpu", "XLA_FLAGS": ""})
        except Exception as err:  # noqa: BLE001 - most often a script that starts a sweep in every worker it spawns
            script = _main_script()
            if script is None:
                raise
            raise UsageError(f"the local dask cluster's workers failed to start ({str(err).rstrip('.')}; the log "
                             f"above says why). They are spawned Python processes, each of which first runs {script} "
                             "again: a script that "
                             "calls bb.sweep(..., executor='dask') outside `if __name__ == \"__main__\":` starts "
                             "another sweep in every worker; put the call under that line") from err
        client = Client(cluster)
        try:  # the workers leave Ctrl-C / SIGTERM to this process, which stops them at a chunk boundary
            from .dask_worker import CoordinatorSignals

            client.register_plugin(CoordinatorSignals())
        except BaseException:
            _close(client, cluster)
            raise
        return client, cluster

    def run(self, tasks: Sequence[BatchTask], on_report: Callable[[BatchTask, BatchReport], None],
            should_stop: Callable[[], bool] = lambda: False) -> None:
        """One dask task per batch; ``on_report`` as each ends.

        A stop request of this process (``live.stop_requested``: Ctrl-C, SIGTERM) is graceful, as the local
        executor's (docs/executors.md, "Stopping"): passed on to every worker at once (``dask_worker.stop_sweep``),
        the batches under way there stop at their next chunk boundary with a checkpoint and are waited for, the
        others are cancelled and never start; a stop before the first batch was handed out starts none.
        ``should_stop`` otherwise (read after each report: ``--fail-fast``) stops at once: the batches not ended
        are cancelled, and those under way on a local cluster end with it."""
        from distributed import as_completed

        from .. import live

        try:
            client, cluster = self._connection or self._client(len(tasks))
        except Exception:
            if live.stop_requested():  # a Ctrl-C to the whole process group ended the local cluster's workers as
                return                 # they started (before they ignore it): stopped before any batch, as asked
            raise
        self._connection = None  # this run closes it
        try:
            self.echo(f"dask dashboard: {client.dashboard_link}")
            if live.stop_requested():  # while the cluster started: no batch is handed out
                return
            from .dask_worker import run_batch

            # keys of this sweep only: a --scheduler's other sweeps (a key is the scheduler's) have batches too
            sweep = uuid.uuid4().hex
            futures = {client.submit(run_batch, t, sweep, key, retries=self.retries, pure=False, key=key): t
                       for k, t in enumerate(tasks) for key in [f"batch-{k}-{sweep}"]}
            pending, ended = set(futures), as_completed(futures)
            while pending:
                if live.stop_requested():
                    self._stop_gracefully(client, sweep, futures, pending, on_report)
                    return
                done = ended.next_batch(block=False)  # the batches that ended since (kept by the client)
                if not done:
                    time.sleep(0.1)  # then the stop request is read again: no round trip to the scheduler
                    continue
                lost = [f for f in done if f.cancelled()]  # none is cancelled here but by the scheduler's loss
                for future in done:
                    pending.discard(future)
                    _report(future, futures[future], on_report)
                if lost:
                    raise SchedulerLost(self._lost_text(lost[0], len(lost) + len(pending), tasks))
                if should_stop() and not live.stop_requested():  # --fail-fast: at once
                    for future in pending:
                        future.cancel()
                    return
        finally:
            _close(client, cluster)

    def _lost_text(self, future: Any, unreported: int, tasks: Sequence[BatchTask]) -> str:
        why = getattr(getattr(future, "_state", None), "exception", None)
        why = getattr(why, "msg", None) or getattr(why, "reason", None) or "its batches were cancelled"
        store = tasks[0].store
        return (f"lost the dask scheduler at {self.scheduler or 'the local cluster'} while the sweep ran ({why.strip()}): "
                f"{unreported} of {len(tasks)} batch(es) never reported. Every run finished is kept in {store}; a "
                f"worker still running a batch may yet finish it (its runs are its own until then: brainbatch status "
                f"{store} names them); run the same command again once the scheduler is back to run the rest")

    def _stop_gracefully(self, client: Any, sweep: str, futures: dict, pending: set,
                         on_report: Callable[[BatchTask, BatchReport], None]) -> None:
        """Pass the stop on to the workers; cancel the batches none of them runs; wait for the others to stop."""
        from distributed import as_completed

        from .dask_worker import SweepStopped, stop_sweep

        told: SweepStopped | None = SweepStopped(sweep)
        try:  # every worker there now, and each that joins the cluster later, before it takes a task
            client.register_plugin(told)
        except Exception:  # noqa: BLE001 - a worker that cannot take it: Client.run tells those there now
            told = None
        try:
            under_way = client.run(stop_sweep, sweep, on_error="ignore")  # {worker: keys of its batches under way}
        except Exception:  # noqa: BLE001 - no worker reached: none of them is waited for
            under_way = {}
        running = {key for keys in under_way.values() for key in keys}
        # a batch not under way now never starts (its worker knows of the stop); one that ended meanwhile reports
        waited = {f for f in pending if f.key in running or f.done()}
        for future in pending - waited:
            future.cancel()
        self.echo(f"stop passed on to the dask workers: {len(waited)} batch(es) under way stop at their next chunk "
                  f"boundary, {len(pending) - len(waited)} not started are cancelled")
        try:
            for future in as_completed(waited):
                _report(future, futures[future], on_report)
        finally:
            if told is not None:  # the scheduler gave it to every worker that joined since; the sweep is over
                with contextlib.suppress(Exception):
                    client.unregister_worker_plugin(told.name)


def _report(future: Any, task: BatchTask, on_report: Callable[[BatchTask, BatchReport], None]) -> None:
    """``on_report`` with the batch's report; a batch that a stop request left unfinished reports nothing, as the
    local executor's (the sweep counts the runs it finished from the store)."""
    if future.cancelled():  # by the scheduler (a dask task is the scheduler's): its runs stay as they are
        return
    try:
        report = future.result()
    except Exception as err:  # noqa: BLE001 - a worker lost after all retries
        report = _mark_failed(task, f"dask task failed: {err}")
    if not report.stopped:
        on_report(task, report)


def _close(client: Any, cluster: Any) -> None:
    client.close()
    if cluster is not None:
        cluster.close()


def _mark_failed(task: BatchTask, message: str) -> BatchReport:
    """Mark failed the runs of a task whose worker was lost (or which raised), and say what became of each.

    The task may have finished some of its runs before its worker died (each run is marked done as it
    finishes), and it left runs to another sweep that may be running or done there: a run found done
    keeps its data (the summary counts it as found done), one whose lease a live process holds is left
    to it, and nothing is written into a store rebuilt since the task was planned (its runs are the
    rebuilding sweep's). The others are marked failed under their own lease; the next sweep reruns them.
    """
    from ...faults import fault_point
    from ...store import ResultStore, StoreRebuiltError

    store = ResultStore.open(task.store)
    every = [{"seed": s, **dict(p)} for s, p in task.runs]
    if task.generation is not None and store.generation != task.generation:
        why = "the store was rebuilt by another sweep (--force) after this one planned it"
        return BatchReport(unfinished=[(coords, why) for coords in every])
    report = BatchReport()
    for n, coords in enumerate(every):
        idx = store.run_index(**{k: v for k, v in coords.items() if k not in task.sampled})  # sampled: no dims
        if store.status_of(idx) == "done":  # finished before the worker was lost, or by another sweep
            report.already.append(coords)
        elif not store.claim(idx):  # a live process runs it (a worker on another host, another sweep)
            report.elsewhere.append(coords)
        else:
            try:
                fault_point("fail-write")  # tests: a rebuild between the check above and this write
                # checked again at each write: a rebuild may land while the task's runs are marked
                store.check_generation(task.generation)
                if store.status_of(idx) == "done":
                    report.already.append(coords)
                else:
                    store.set_status(idx, "failed", message)
                    report.failed.append((coords, message))
            except StoreRebuiltError as rebuilt:  # this run and the rest are the rebuilding sweep's: left pending
                report.unfinished += [(c, str(rebuilt)) for c in every[n:]]
                return report
            finally:
                store.release(idx)
    return report


def _main_script() -> str | None:
    """The file that a spawned worker process runs again before anything else (the ``__main__`` of this process, as
    multiprocessing's spawn does), or ``None`` when there is none (an interactive session, ``python -c``, a
    notebook) or it is brainbatch's own command."""
    import sys

    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    spec = getattr(main, "__spec__", None)
    if not isinstance(path, str) or (spec is not None and str(spec.name).startswith("brainbatch")):
        return None
    from pathlib import Path

    return None if Path(path).name in ("brainbatch", "brainbatch.exe") else path


def _refuse_in_a_starting_worker() -> None:
    """A local cluster asked for inside a worker process that is starting (spawned, running its parent's script
    again, where the script calls ``bb.sweep`` unguarded): refused with the cure, not multiprocessing's traceback
    about bootstrapping in every worker."""
    import multiprocessing
    import sys

    if getattr(multiprocessing.current_process(), "_inheriting", False):
        script = getattr(sys.modules.get("__mp_main__"), "__file__", None)  # the parent's script, as it runs here
        raise UsageError(f"a dask sweep was started while a worker process of another one started: the worker runs "
                         f"the script that started that sweep ({script or _main_script() or '__main__'}) again, and the script "
                         "calls bb.sweep(..., executor='dask') outside `if __name__ == \"__main__\":`; put the call "
                         "under that line")


def _check_address(scheduler: object) -> None:
    """Refuse a scheduler address dask cannot read (``tcp://HOST:PORT``, ``HOST:PORT``, ``tls://...``), by name."""
    from distributed.comm import parse_address
    from distributed.comm.addressing import parse_host_port

    example = "e.g. tcp://10.0.0.5:8786 or 10.0.0.5:8786"
    if not isinstance(scheduler, str) or not scheduler.strip():
        raise UsageError(f"{option_name('scheduler')} must be the address of a dask scheduler ({example}), got {scheduler!r}")
    try:
        protocol, location = parse_address(scheduler)
        if protocol in ("http", "https"):  # the dashboard's link (what a browser shows), not the scheduler's
            raise ValueError(f"{protocol}:// is a web address, such as the dashboard's (http://HOST:8787/status); the "
                             "scheduler's begins with tcp:// (port 8786 by default), as its log says: 'Scheduler at: "
                             "tcp://...'")
        schemes = _schemes()
        if protocol not in schemes:  # a dry run said nothing, the sweep refused it only after planning
            raise ValueError(f"unknown scheme {protocol}://; a scheduler's address begins with one of "
                             f"{', '.join(s + '://' for s in schemes)}.{did_you_mean(protocol, schemes)}")
        if protocol in ("tcp", "tls"):
            _, port = parse_host_port(location)
            if not 0 < int(port) < 65536:  # dask parses any number; a connection to it failed only later, obscurely
                raise ValueError(f"port {port} is outside 1-65535")
    except (ValueError, TypeError) as err:
        raise UsageError(f"{option_name('scheduler')} {scheduler!r} is not an address of a dask scheduler ({err}); {example}") from None


def _schemes() -> list[str]:
    """The address schemes this dask can connect with (``inproc://``: a scheduler of this process, from Python)."""
    from distributed.comm.registry import backends

    return list(backends)
