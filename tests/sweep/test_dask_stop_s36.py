"""A stop (Ctrl-C, SIGTERM) of a dask sweep is as graceful as the local executor's (docs/executors.md, "Stopping").

The workers never saw the request: the sweep stopped when a batch under way next ended, then cancelled the other
batches and closed its local cluster, so batches under way on other workers died with it (their work since the
last checkpoint lost) and free workers had meanwhile started new batches. And a terminal's Ctrl-C, which goes to
the whole process group, ended the local cluster's workers at once. Now the executor passes the stop on to the
workers: the batches under way stop at their next chunk boundary with a checkpoint, the others never start.
"""
import os
import signal
import subprocess
import time

import numpy as np
import pytest
from _support import (BRAINBATCH, CTRL_C_AS_IN_A_TERMINAL, TOY, arrays, one_device_xla_flags, paused,
                      read_stderr_until, wait_for_file)

import brainbatch as bb
from brainbatch.store import ResultStore
from brainbatch.sweep import live

pytestmark = pytest.mark.slow  # spawned workers, each importing JAX and compiling

DRIVES = [1.2, 1.5, 1.8]
# 2500 steps in calls of 500 (sweep/batching.py: CALLS_PER_RUN, MIN_CALL_STEPS), a checkpoint after each call
SWEEP = dict(seeds=1, params={"drive": DRIVES}, duration=250, checkpoint_every=0, batch_size=1)
N_STEPS = 2500


def _cleared_stop():
    with live.graceful_stop(lambda _: None):  # entering clears this process's stop request
        pass


def test_ctrl_c_stops_the_batches_under_way_on_dask_workers_at_a_chunk_boundary_and_starts_no_other(tmp_path):
    out, ref, gate = tmp_path / "d.zarr", tmp_path / "ref.zarr", tmp_path / "gate"
    env = {**os.environ, "JAX_PLATFORMS": "cpu", "XLA_FLAGS": one_device_xla_flags(), "BRAINBATCH_PAUSE_MAX_S": "120",
           **paused("checkpointed", gate)}
    # each worker's writer waits after its first checkpoint; a second batch started on a worker would fail its run
    env["BRAINBATCH_FAULTS"] = "checkpointed,run@2=memory"
    cmd = [*CTRL_C_AS_IN_A_TERMINAL, *BRAINBATCH, "sweep", TOY, "--out", out, "--executor", "dask", "--workers", "2",
           "--seeds", "1", "-p", "drive=" + ",".join(map(str, DRIVES)), "--duration", "250", "--checkpoint-every", "0",
           "--batch-size", "1"]
    # its own process group, which the Ctrl-C goes to as a terminal sends it: the coordinator and its workers
    proc = subprocess.Popen(list(map(str, cmd)), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        wait_for_file(gate / "checkpointed.reached", proc)
        store = ResultStore.open(out, "r")
        index = [store.run_index(seed=0, drive=d) for d in DRIVES]
        while sum(store.checkpoint_step(i) > 0 for i in index) < 2:  # both workers wait, each with one batch
            assert proc.poll() is None, proc.stderr.read()
            time.sleep(0.05)  # polls the store: the second worker's first checkpoint
        saved = {i: store.checkpoint_step(i) for i in index}
        os.killpg(proc.pid, signal.SIGINT)
        said = read_stderr_until(proc, "stop passed on to the dask workers")
        assert "Ctrl-C: stopping after the current chunk on the dask workers" in said
        assert "2 batch(es) under way stop at their next chunk boundary, 1 not started are cancelled" in said
        (gate / "checkpointed.go").touch()
        _, rest = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == 130, said + rest
    assert "every finished run is kept" in rest and "Traceback" not in said + rest

    store = ResultStore.open(out, "r")
    assert store.counts() == {"pending": 3, "running": 0, "done": 0, "failed": 0}
    assert all(store.lease(i) is None for i in index)
    stopped = {i: store.checkpoint_step(i) for i in index}
    under_way = [i for i in index if saved[i] > 0]
    # the workers lived on and went on to the next chunk boundary, where they saved their runs' state
    assert all(saved[i] < stopped[i] < N_STEPS for i in under_way)
    (never,) = set(index) - set(under_way)
    assert stopped[never] == 0 and store.steps_done()[never] == 0

    steps = []
    with live.listening(steps.append):  # the same sweep here continues each run from its checkpoint
        again = bb.sweep(TOY, out=str(out), progress=False, **SWEEP)
    assert again.done == 3 and not again.failed
    assert sum(steps) == sum(N_STEPS - stopped[i] for i in index) < 3 * N_STEPS
    bb.sweep(TOY, out=str(ref), progress=False, **SWEEP)
    got, want = arrays(out), arrays(ref)
    for name in ("status", "spikes", "V", "states/G.V", "states/G.spike"):  # bitwise as if never stopped
        assert np.array_equal(got[name], want[name]), name


def test_a_stop_before_any_dask_batch_started_starts_none(tmp_path, monkeypatch):
    monkeypatch.setenv("BRAINBATCH_FAULTS", "run=memory")  # a batch that started would fail its runs
    out = tmp_path / "s.zarr"

    def echo(text):  # the cluster is up, no batch handed out yet: Ctrl-C now
        if text.startswith("dask dashboard:"):
            live.request_stop()

    try:
        with pytest.raises(KeyboardInterrupt) as stopped:
            bb.sweep(TOY, seeds=1, out=str(out), executor="dask", workers=1, duration=2, progress=False, echo=echo)
    finally:
        _cleared_stop()
    assert stopped.value.brainbatch["done"] == 0
    store = ResultStore.open(out, "r")
    assert store.counts() == {"pending": 2, "running": 0, "done": 0, "failed": 0}
    assert not store.steps_done().any()
