"""The dask executor: one task per batch on a ``dask.distributed`` cluster.

By default a ``LocalCluster`` of spawned, single-threaded worker processes; or an existing scheduler
(``--scheduler tcp://host:8786``), e.g. one started by dask-jobqueue on SLURM. Workers write their
runs straight into the store (a shared filesystem or object store path).
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from ...core.checks import check_int
from ..errors import UsageError
from ...errors import option_name
from ..task import BatchReport, BatchTask, execute_batch
from .base import AbstractExecutor

#: Workers of the local cluster a dask sweep starts when --workers is not given.
DEFAULT_WORKERS = 2


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

    def _client(self) -> Any:
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
        cluster = LocalCluster(n_workers=self.workers or DEFAULT_WORKERS, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=self.dashboard, silence_logs=40,
                               env={"JAX_PLATFORMS": "cpu", "XLA_FLAGS": ""})
        return Client(cluster), cluster

    def run(self, tasks: Sequence[BatchTask], on_report: Callable[[BatchTask, BatchReport], None],
            should_stop: Callable[[], bool] = lambda: False) -> None:
        from distributed import as_completed

        client, cluster = self._connection or self._client()
        self._connection = None  # this run closes it
        try:
            self.echo(f"dask dashboard: {client.dashboard_link}")
            futures = {client.submit(execute_batch, t, retries=self.retries, pure=False, key=f"batch-{k}"): t
                       for k, t in enumerate(tasks)}
            for future in as_completed(futures):
                task = futures[future]
                try:
                    report = future.result()
                except Exception as err:  # noqa: BLE001 - a worker lost after all retries
                    report = _mark_failed(task, f"dask task failed: {err}")
                on_report(task, report)
                if should_stop():
                    for f in futures:
                        f.cancel()
                    break
        finally:
            _close(client, cluster)


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


def _check_address(scheduler: object) -> None:
    """Refuse a scheduler address dask cannot read (``tcp://HOST:PORT``, ``HOST:PORT``, ``tls://...``), by name."""
    from distributed.comm import parse_address
    from distributed.comm.addressing import parse_host_port

    example = "e.g. tcp://10.0.0.5:8786 or 10.0.0.5:8786"
    if not isinstance(scheduler, str) or not scheduler.strip():
        raise UsageError(f"{option_name('scheduler')} must be the address of a dask scheduler ({example}), got {scheduler!r}")
    try:
        protocol, location = parse_address(scheduler)
        if protocol in ("tcp", "tls"):
            _, port = parse_host_port(location)
            if not 0 < int(port) < 65536:  # dask parses any number; a connection to it failed only later, obscurely
                raise ValueError(f"port {port} is outside 1-65535")
    except (ValueError, TypeError) as err:
        raise UsageError(f"{option_name('scheduler')} {scheduler!r} is not an address of a dask scheduler ({err}); {example}") from None
