"""The store's typed coordinator/worker interface: Run, FailedRun, Lease, Owner (issue 21 item 3)."""
import os
import socket
import time

from brainbatch.store import FailedRun, Lease, Owner, ResultStore, Run


def test_a_run_keeps_its_position_seed_and_parameters_apart(tmp_path, make_spec):
    store = ResultStore.create(tmp_path / "s.zarr", make_spec(params={"we": [1.0, 2.0], "n": [3]}, seeds=[5]))
    run = store.runs()[1]
    assert run == Run((0, 1, 0), 5, {"we": 2.0, "n": 3})
    assert run.coords == {"seed": 5, "we": 2.0, "n": 3} == store.coords_of(run)
    assert store.run_index(seed=5, we=2.0, n=3) == run.index and store.run_at(run.index) == run
    store.set_status(run, "failed", error="boom")
    assert store.status_of(run) == "failed"
    assert store.failed_runs() == [FailedRun((0, 1, 0), 5, {"we": 2.0, "n": 3}, "boom")]
    assert [r.params["we"] for r in store.pending_runs()] == [1.0, 2.0]


def test_a_claimed_run_has_a_lease_of_this_process(tmp_path, make_spec):
    store = ResultStore.create(tmp_path / "s.zarr", make_spec())
    run = store.runs()[0]
    assert store.lease(run) is None
    assert store.claim(run)
    lease = store.lease(run)
    assert isinstance(lease, Lease) and lease.alive and lease.mine and not lease.of_sweep
    assert str(lease.owner) == f"pid {os.getpid()} on {socket.gethostname()}"
    assert store.held_elsewhere() == {}  # ours, not another process's
    store.release(run)
    assert store.lease(run) is None


def test_an_owner_read_from_a_hand_made_file_is_never_this_process_nor_alive_here():
    forged = Owner.from_json({"host": socket.gethostname(), "pid": True, "token": 7, "since": float("inf")})
    assert forged is not None and forged.pid == 0 and forged.token == "" and forged.since is None
    assert not forged.is_me()
    assert Owner.from_json("pid 1") is None
    remote = Owner.from_json({"host": "elsewhere", "pid": 3, "since": time.time()})
    assert remote.alive() and not remote.alive(heartbeat=time.time() - 10**6)
    future = Lease("0_1", remote, heartbeat=time.time() + 10**6)
    assert future.implausible().startswith("its heartbeat is") and not future.alive
