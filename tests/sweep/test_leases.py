"""Two sweeps on one store share the work (each run done once), a live owner's run is never taken,
a dead owner's run is taken back, and a store is created atomically."""
import errno
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

import numpy as np
import pytest
from _support import BRAINBATCH, TOY, arrays, invoke, status_codes, one_device_xla_flags

import brainbatch as bb
from brainbatch.store import ResultStore
from brainbatch.store import _create
from brainbatch.store._lease import _start_time

ARGS = ["--seeds", "8", "-p", "drive=1.2,1.5", "--batch-size", "1", "--duration", "300"]


def _start(args, cwd):
    env = {**os.environ, "JAX_PLATFORMS": "cpu"}
    env["XLA_FLAGS"] = one_device_xla_flags()
    return subprocess.Popen([*BRAINBATCH, *map(str, args)], cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _done_count(stdout: str) -> int:
    m = re.search(r"(\d+) run\(s\) done", stdout)
    assert m, stdout
    return int(m.group(1))


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("ref") / "ref.zarr"
    bb.sweep(TOY, seeds=8, params={"drive": "1.2,1.5"}, duration=300, out=str(out), batch_size=16, progress=False)
    return arrays(out)


def _same_data(path, reference):
    got = arrays(path)
    assert np.array_equal(got["spikes"], reference["spikes"])
    np.testing.assert_allclose(got["V"], reference["V"], rtol=0, atol=1e-6)


@pytest.mark.slow  # two CLI processes, each importing JAX and compiling
def test_two_sweeps_started_together_share_the_runs(tmp_path, reference):
    out = tmp_path / "s.zarr"
    args = ["sweep", TOY, *ARGS, "--out", out, "-q"]
    procs = [_start(args, tmp_path), _start(args, tmp_path)]
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (so, se) in zip(procs, outs):
        assert p.returncode == 0, se
        assert "not a brainbatch store" not in se
    assert sum(_done_count(so) for so, _ in outs) == 16  # every run done exactly once
    assert (status_codes(out) == 2).all()
    assert [n for n in os.listdir(tmp_path) if "building" in n] == []
    assert os.listdir(out / "leases") == ["zarr.json"]  # every lease given back
    _same_data(out, reference)


@pytest.mark.slow  # a CLI process importing JAX and compiling
def test_a_second_sweep_started_later_does_only_what_is_left(tmp_path, reference):
    out = tmp_path / "s.zarr"
    args = ["sweep", TOY, *ARGS, "--out", out, "-q"]
    first = _start(args, tmp_path)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and first.poll() is None:
        try:
            if (status_codes(out) == 2).any():
                break
        except Exception:  # not created yet
            pass
        time.sleep(0.1)
    # the second sweep in this process (the command in-process: another process than the first, with JAX imported)
    second = invoke(*args, cwd=tmp_path)
    (so1, se1), (so2, se2) = first.communicate(timeout=600), (second.stdout, second.stderr)
    assert first.returncode == 0 and second.returncode == 0, se1 + se2
    assert _done_count(so1) + _done_count(so2) == 16
    assert (status_codes(out) == 2).all()
    _same_data(out, reference)


def _lease_file(store, index, owner, heartbeat):
    doc = {"owner": owner, "gen": 0, "since": heartbeat, "heartbeat": heartbeat}
    (store / "leases" / "_".join(map(str, index))).write_text(json.dumps(doc))


def _owner(pid, host=None):
    from brainbatch.store import _lease

    same = host is None
    return {"host": _lease._HOST if same else host, "boot": _lease._BOOT if same else "other-boot", "pid": pid,
            "start": _start_time(pid) if same else "1", "token": f"token-{pid}-{host}", "since": time.time()}


def test_live_owners_keep_their_runs_and_dead_owners_lose_them(tmp_path):
    out = tmp_path / "l.zarr"
    res = invoke("sweep", TOY, "--seeds", "3", "-p", "drive=1.5", "--duration", "20", "--out", out, "-q", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    try:
        store = ResultStore.open(out)
        now = time.time()
        cases = {  # run index -> (owner, heartbeat, kept by its owner?)
            (0, 0): (_owner(sleeper.pid), now - 3600, True),         # same host, process alive (heartbeat old)
            (1, 0): (_owner(dead.pid), now, False),                  # same host, process gone
            (2, 0): (_owner(4242, host="far-away-node"), now - 3600, False),  # other host, heartbeat stale
        }
        for idx, (owner, beat, _) in cases.items():
            store.set_status(idx, "running")
            _lease_file(out, idx, owner, beat)
        res = invoke("sweep", TOY, "--seeds", "3", "-p", "drive=1.5", "--duration", "20", "--out", out, cwd=tmp_path)
        assert res.returncode == 0, res.stderr
        assert "1 run(s) of" in res.stderr and "another live process" in res.stderr
        assert _done_count(res.stdout) == 2
        codes = status_codes(out)
        assert codes[0, 0] == 1 and codes[1, 0] == 2 and codes[2, 0] == 2
        st = invoke("status", out, cwd=tmp_path)
        assert f"running under pid {sleeper.pid} on {socket.gethostname()}, alive" in st.stdout, st.stdout
        # a sweep of other runs of the store counts none of another sweep's ("-1 already done", store audit)
        res = invoke("sweep", TOY, "--seeds", "1-2", "-p", "drive=1.5", "--duration", "20", "--out", out, cwd=tmp_path)
        assert res.returncode == 0 and "2 already done" in res.stdout + res.stderr, res.stdout + res.stderr
        assert "another live process" not in res.stdout + res.stderr

        # a fresh heartbeat from another host counts as alive too
        store.set_status((2, 0), "running")
        _lease_file(out, (2, 0), _owner(4243, host="far-away-node"), time.time())
    finally:
        sleeper.send_signal(signal.SIGKILL)
        sleeper.wait()
    res = invoke("sweep", TOY, "--seeds", "3", "-p", "drive=1.5", "--duration", "20", "--out", out, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    codes = status_codes(out)
    assert codes[0, 0] == 2 and codes[2, 0] == 1  # the killed owner's run is taken back; the far one is kept


def test_only_one_process_wins_a_run(tmp_path):
    from brainbatch.store import StoreSpec, VarSpec

    spec = StoreSpec("x", "0" * 64, {}, seeds=[0, 1], n_steps=5, dt=0.1, records=(VarSpec("v", ("n",), (2,), "float32"),))
    path = str(tmp_path / "c.zarr")
    ResultStore.create(path, spec)
    # a barrier, not a clock: each child opens the store, says it is ready, claims once the go file exists,
    # and stays alive (its lease live) until every child has answered and the test closes its stdin
    code = ("import os, sys, time; from brainbatch.store import ResultStore; s = ResultStore.open(sys.argv[1]);"
            "open(sys.argv[2], 'w').close()\n"
            "while not os.path.exists(sys.argv[3]): time.sleep(0.002)\n"
            "print(s.claim((0,)), flush=True); sys.stdin.read()")
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", code, path, str(tmp_path / f"ready{i}"), str(go)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for i in range(4)]
    try:
        deadline = time.monotonic() + 120
        while not all((tmp_path / f"ready{i}").exists() for i in range(4)) and time.monotonic() < deadline:
            time.sleep(0.01)
        go.touch()
        results = [p.stdout.readline().strip() for p in procs]
    finally:
        for p in procs:
            p.stdin.close()
            p.wait(timeout=120)
    assert sorted(results) == ["False", "False", "False", "True"], results


def test_a_creation_that_fails_half_way_leaves_nothing(tmp_path, monkeypatch):
    from brainbatch.store import StoreSpec, VarSpec

    spec = StoreSpec("x", "0" * 64, {}, seeds=[0], n_steps=5, dt=0.1, records=(VarSpec("v", ("n",), (2,), "float32"),))
    path = tmp_path / "h.zarr"

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(_create, "_write_attrs", disk_full)
    with pytest.raises(OSError):
        ResultStore.create(str(path), spec)
    assert os.listdir(tmp_path) == []  # no bare zarr.json blocking the path, no half-built folder
    monkeypatch.undo()
    ResultStore.create(str(path), spec)
    assert ResultStore.open(str(path)).counts()["pending"] == 1


def test_half_built_stores_of_dead_processes_are_cleared(tmp_path):
    from brainbatch.store import StoreSpec, VarSpec
    from brainbatch.store._root import BUILDING

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    leftover = tmp_path / ".k.zarr.building-abc-1-xyz"
    leftover.mkdir()
    (leftover / "zarr.json").write_text(json.dumps({"zarr_format": 3, "node_type": "group",
                                                    "attributes": {BUILDING: _owner(dead.pid)}}))
    foreign = tmp_path / ".k.zarr.building-not-ours"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("not brainbatch's")
    spec = StoreSpec("x", "0" * 64, {}, seeds=[0], n_steps=5, dt=0.1, records=(VarSpec("v", ("n",), (2,), "float32"),))
    ResultStore.create(str(tmp_path / "k.zarr"), spec)
    assert sorted(os.listdir(tmp_path)) == [".k.zarr.building-not-ours", "k.zarr"]


def test_force_cannot_rebuild_a_store_another_sweep_is_working_on(tmp_path):
    out = tmp_path / "f.zarr"
    res = invoke("sweep", TOY, "--seeds", "1", "-p", "drive=1.5", "--duration", "20", "--out", out, "-q", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        (out / "leases" / "sweep-other").write_text(json.dumps(
            {"owner": _owner(sleeper.pid), "gen": 0, "since": time.time(), "heartbeat": time.time()}))
        st = invoke("status", out, cwd=tmp_path)
        assert f"a sweep is working on this store now: pid {sleeper.pid}" in st.stdout, st.stdout
        before = arrays(out)
        res = invoke("sweep", TOY, "--seeds", "1", "-p", "drive=1.5", "--duration", "10", "--out", out, "--force", "-q",
                  cwd=tmp_path)
        assert res.returncode == 2 and "another sweep is working on" in res.stderr, res.stderr
        assert all(np.array_equal(v, before[k], equal_nan=True) for k, v in arrays(out).items())
    finally:
        sleeper.kill()
        sleeper.wait()
    res = invoke("sweep", TOY, "--seeds", "1", "-p", "drive=1.5", "--duration", "10", "--out", out, "--force", "-q",
              cwd=tmp_path)
    assert res.returncode == 0, res.stderr  # its owner gone, the forced rebuild goes ahead


def test_a_live_owner_in_another_pid_namespace_of_this_host_keeps_its_run(tmp_path):
    # Containers of one machine can share its host name (docker --network host) and always share its boot id, but
    # each numbers its processes apart: the first process of each is pid 1. An owner there was checked by its pid
    # here, where pid 1 is another process (another start time): its live lease read as dead, and its run (or the
    # store's metadata lock, or a store it was building) was taken from under it. Now the PID namespace is part of
    # the owner's machine identity: such an owner is judged by its heartbeat, as one of another host.
    import shutil

    from brainbatch.store import StoreSpec, VarSpec

    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "--pid", "--fork", "--mount-proc", "true"],
                                         capture_output=True).returncode != 0:
        pytest.skip("this machine cannot start a process in a PID namespace of its own (unshare --pid)")
    spec = StoreSpec("x", "0" * 64, {}, seeds=[0], n_steps=5, dt=0.1, records=(VarSpec("v", ("n",), (2,), "float32"),))
    path = str(tmp_path / "c.zarr")
    ResultStore.create(path, spec)
    code = ("import sys; from brainbatch.store import ResultStore; s = ResultStore.open(sys.argv[1]);"
            "print(s.claim((0,)), flush=True); sys.stdin.read()")
    child = subprocess.Popen([unshare, "--pid", "--fork", "--mount-proc", sys.executable, "-c", code, path],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "True", child.stderr.read() if child.poll() is not None else ""
        store = ResultStore.open(path)
        lease = store.lease((0,))
        assert lease is not None and lease.owner.pid == 1  # the first process of its namespace
        assert lease.alive and not store.claim((0,))
    finally:
        child.stdin.close()
        child.wait(30)
