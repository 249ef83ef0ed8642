"""The dask executor at its edges: a worker that joins after a stop, a scheduler that goes away, addresses that
cannot work (docs/executors.md, "dask" and "Stopping")."""
import threading
import time

import pytest
from _support import TOY, invoke, one_device_xla_flags, paused, refused_in_one_line, wait_for_file

import brainbatch as bb
from brainbatch.store import ResultStore
from brainbatch.sweep import live

pytestmark = pytest.mark.slow  # a spawned worker importing JAX and compiling

N_STEPS = 2500  # duration 250 at dt 0.1: calls of 500 steps, a checkpoint after each (checkpoint_every=0)


def _cleared_stop():
    with live.graceful_stop(lambda _: None):  # entering clears this process's stop request
        pass


@pytest.fixture(scope="module")
def paused_cluster(tmp_path_factory):
    """A cluster of one spawned worker process whose batches wait after their first checkpoint (``gate``)."""
    import dask
    from distributed import LocalCluster

    gate = tmp_path_factory.mktemp("gate")
    env = {"JAX_PLATFORMS": "cpu", "XLA_FLAGS": one_device_xla_flags(), "BRAINBATCH_PAUSE_MAX_S": "120",
           **paused("checkpointed", gate)}
    with dask.config.set({"distributed.worker.multiprocessing-method": "spawn"}):
        cluster = LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address="127.0.0.1:0", silence_logs=40, env=env)
    try:
        yield cluster, gate
    finally:
        cluster.close()


async def _join(address):
    from distributed import Worker

    return await Worker(address, nthreads=1, dashboard=False)


def test_a_worker_that_joins_a_scheduler_after_a_stop_starts_no_batch_of_the_stopped_sweep(tmp_path, paused_cluster):
    # The stop reached the workers there at the time (Client.run): one that joined just after and was handed a
    # batch of the sweep ran it to its end, unwaited for. The stop is now also a worker plugin of the scheduler,
    # which hands it to every worker as it joins, before any task; it is unregistered as the sweep ends.
    from distributed import Client

    from brainbatch.sweep.api import prepare
    from brainbatch.sweep.executors import DaskExecutor
    from brainbatch.sweep.executors import dask_worker

    cluster, gate = paused_cluster
    out, sweep = tmp_path / "late.zarr", None
    prep = prepare(TOY, seeds=1, out=str(out), duration=250, batch_size=1, checkpoint_every=0)
    first, second = prep.tasks  # drive 1.2 and 1.5, a batch each
    said, reports = [], []
    runner = DaskExecutor(scheduler=cluster.scheduler_address, echo=said.append)
    coordinator = threading.Thread(target=runner.run, args=(prep.tasks, lambda t, r: reports.append(r)))
    try:
        coordinator.start()
        wait_for_file(gate / "checkpointed.reached", coordinator)  # the first batch is under way, paused
        live.request_stop()
        while not any(s.startswith("stop passed on") for s in said):
            assert coordinator.is_alive()
            time.sleep(0.05)
        assert "1 batch(es) under way stop at their next chunk boundary, 1 not started are cancelled" in said[-1]
        (stopped,) = [name for name in cluster.scheduler.worker_plugins if name.startswith("brainbatch-stop-")]
        sweep = stopped.removeprefix("brainbatch-stop-")

        _cleared_stop()  # this process's request: a batch run here below sees only what the scheduler tells it
        assert sweep not in dask_worker._STOPPED
        # a worker joins the scheduler now (as one of a job array started late), here: its module is this one's
        late = cluster.sync(_join, cluster.scheduler_address)
        try:
            assert sweep in dask_worker._STOPPED
            with Client(cluster.scheduler_address) as client:  # the batch it could have been handed at the stop
                report = client.submit(dask_worker.run_batch, second, sweep, f"batch-1-{sweep}", workers=[late.address],
                                       pure=False).result()
        finally:
            cluster.sync(late.close)
        assert report.stopped == [{"seed": 0, "drive": 1.5}] and not report.done and not report.failed

        (gate / "checkpointed.go").touch()
        coordinator.join(120)
        assert not coordinator.is_alive() and reports == []  # the stopped batch reports nothing, as locally
    finally:
        (gate / "checkpointed.go").touch()
        coordinator.join(120)
        _cleared_stop()
    assert not [name for name in cluster.scheduler.worker_plugins if name.startswith("brainbatch-stop-")]
    assert sweep in dask_worker._STOPPED  # a batch of it the late worker still had queued would not start
    store = ResultStore.open(out, "r")
    assert store.counts() == {"pending": 2, "running": 0, "done": 0, "failed": 0}
    under_way, never = (store.run_index(seed=0, drive=d) for d in (1.2, 1.5))
    assert 0 < store.checkpoint_step(under_way) < N_STEPS  # stopped at a chunk boundary, with a checkpoint
    assert store.checkpoint_step(never) == 0 and store.steps_done()[never] == 0  # never ran, on the late worker too
    assert store.lease(under_way) is None and store.lease(never) is None


def test_a_scheduler_lost_mid_sweep_is_said_and_the_sweep_continues_later_with_the_local_executor(tmp_path,
                                                                                                 monkeypatch):
    # The client cancels every future when it loses its scheduler; the executor took that for batches nobody
    # started and the summary said "2 run(s) not started: the sweep stopped before their batches ran" with
    # nothing about the scheduler (and no count of what the workers finished meanwhile).
    from distributed import LocalCluster

    from brainbatch.sweep.executors import DaskExecutor, SchedulerLost

    monkeypatch.setattr(DaskExecutor, "connect_timeout_s", 1.0)  # how long the client tries to reconnect
    out = tmp_path / "lost.zarr"
    cluster = LocalCluster(n_workers=0, processes=False, protocol="tcp", host="127.0.0.1",
                           dashboard_address="127.0.0.1:0", silence_logs=40)
    address, raised = cluster.scheduler_address, []

    def sweep():
        try:
            bb.sweep(TOY, seeds=1, out=str(out), executor="dask", scheduler=address, duration=2, batch_size=1,
                     progress=False)
        except Exception as err:  # noqa: BLE001 - looked at below
            raised.append(err)

    coordinator = threading.Thread(target=sweep)
    try:
        coordinator.start()
        while len(cluster.scheduler.tasks) < 2:  # both batches handed to the scheduler (no worker to run them)
            assert coordinator.is_alive(), raised
            time.sleep(0.02)
    finally:
        cluster.close()  # the scheduler goes away
        coordinator.join(60)
    (err,) = raised
    assert isinstance(err, SchedulerLost) and isinstance(err, bb.BrainbatchError), repr(err)
    text = str(err)
    assert text.startswith(f"lost the dask scheduler at {address} while the sweep ran") and "\n" not in text
    assert "2 of 2 batch(es) never reported" in text and f"Every run finished is kept in {out}" in text
    store = ResultStore.open(out, "r")
    assert store.counts() == {"pending": 2, "running": 0, "done": 0, "failed": 0}
    again = bb.sweep(TOY, seeds=1, out=str(out), duration=2, progress=False)  # the same sweep, here
    assert again.done == 2 and again.skipped == 0 and not again.failed


@pytest.mark.parametrize("address, said", [
    ("http://10.0.0.5:8787/status", "http:// is a web address, such as the dashboard's"),
    ("tpc://10.0.0.5:8786", "unknown scheme tpc://; a scheduler's address begins with one of"),
])
def test_a_scheduler_address_dask_cannot_connect_to_is_refused_by_a_dry_run(in_tmp, address, said):
    # a dry run said all was well; only the sweep itself refused them, after planning ("unknown address scheme")
    res = invoke("sweep", TOY, "--executor", "dask", "--scheduler", address, "--dry-run")
    assert refused_in_one_line(res), res.stderr
    assert f"--scheduler {address!r} is not an address of a dask scheduler ({said}" in res.stderr
    assert ("Did you mean 'tcp'?" in res.stderr) == address.startswith("tpc")
    assert not (in_tmp / "results").exists()


def test_workers_and_a_dashboard_given_with_a_scheduler_are_said_to_be_ignored():
    from brainbatch.sweep.executors import DaskExecutor
    said: list[str] = []
    DaskExecutor(workers=3, scheduler="tcp://10.0.0.1:8786", dashboard="0.0.0.0:8787", echo=said.append)
    assert len(said) == 1 and "workers=3 and dashboard='0.0.0.0:8787' are ignored with scheduler" in said[0], said
    DaskExecutor(scheduler="tcp://10.0.0.1:8786", echo=said.append)
    assert len(said) == 1  # nothing given that it ignores: nothing said
