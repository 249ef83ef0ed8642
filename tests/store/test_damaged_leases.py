"""Damaged or implausible lease files never crash a sweep or ``status`` and never block a run forever;
``status`` says how to clear one (issue 19, item 12)."""
import json
import os
import shutil
import time

import pytest
from click.testing import CliRunner

from brainbatch.cli import main
from brainbatch.store import ResultStore, StoreError
from brainbatch.store import lease_stale_s

OTHER = {"host": "elsewhere", "boot": "x", "pid": 5, "start": "1", "token": "t", "since": 0}
HERE = {"pid": 1, "start": "", "token": "t", "since": 0}  # host and boot filled in: this machine's init


def _lease(owner, **doc):
    return json.dumps({"owner": owner, "gen": 0, "since": 0, "heartbeat": 0, **doc})


CASES = {
    "gen zz": _lease(OTHER, gen="zz"),
    "Infinity": _lease(OTHER).replace('"heartbeat": 0', '"heartbeat": Infinity'),
    "1e300": _lease(OTHER, heartbeat=1e300),
    "a day ahead": _lease(OTHER, heartbeat=time.time() + 86400),
    "pid 1 without a start time": None,
    "not json": "{",
    "a list": "[1, 2]",
    "deep": "[" * 100000 + "]" * 100000,
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_damaged_or_implausible_lease_is_stale(tmp_path, spec, case):
    from brainbatch.store._lease import owner_id

    store = ResultStore.create(tmp_path / "s.zarr", spec)
    text = CASES[case]
    if text is None:
        me = owner_id()
        text = _lease({**HERE, "host": me["host"], "boot": me["boot"]}, heartbeat=time.time())
    (tmp_path / "s.zarr" / "leases" / "1_0").write_text(text)
    res = CliRunner().invoke(main, ["status", str(tmp_path / "s.zarr")])
    assert res.exit_code == 0 and "Traceback" not in res.output, res.output
    if case != "pid 1 without a start time":
        assert "lease " in res.output and "counts as stale" in res.output and "rm -r " in res.output
    assert store.claim((1, 0))  # taken over, not blocked, not crashed
    store.release((1, 0))
    assert not os.path.exists(tmp_path / "s.zarr" / "leases" / "1_0")


def test_a_lease_that_is_a_folder_or_a_leases_file(tmp_path, spec):
    path = tmp_path / "s.zarr"
    store = ResultStore.create(path, spec)
    os.makedirs(path / "leases" / "1_0")
    assert "counts as stale" in CliRunner().invoke(main, ["status", str(path)]).output
    assert store.claim((1, 0))  # an empty folder is removed
    store.release((1, 0))
    os.makedirs(path / "leases" / "1_1" / "x")
    with pytest.raises(StoreError, match=r"is a folder where a run's lease file belongs; remove it \(rm -r "):
        store.claim((1, 1))

    shutil.rmtree(path / "leases")
    (path / "leases").write_text("x")
    res = CliRunner().invoke(main, ["status", str(path)])
    assert res.exit_code == 0 and "Traceback" not in res.output, res.output
    with pytest.raises(StoreError, match=r"leases' is not a folder.*remove it \(rm "):
        ResultStore.create(path, _wider(spec))
    assert ResultStore.open(path).spec.seeds == [0, 1]  # refused before anything changed
    with pytest.raises(StoreError, match="is not a folder"):
        store.claim((0, 0))


def _wider(spec):
    import dataclasses

    return dataclasses.replace(spec, seeds=[0, 1, 2])


def test_a_live_remote_lease_still_counts_and_one_slightly_ahead_too(tmp_path, spec):
    store = ResultStore.create(tmp_path / "s.zarr", spec)
    for key, beat in (("1_0", time.time()), ("1_1", time.time() + lease_stale_s() / 2)):
        (tmp_path / "s.zarr" / "leases" / key).write_text(_lease(OTHER, heartbeat=beat))
    assert not store.claim((1, 0)) and not store.claim((1, 1))


def test_a_marker_left_by_a_taker_that_died_does_not_block_forever(tmp_path, spec):
    store = ResultStore.create(tmp_path / "s.zarr", spec)
    leases = tmp_path / "s.zarr" / "leases"
    (leases / "1_0").write_text(_lease(OTHER))  # dead: no heartbeat for ages
    (leases / "1_0.1").write_text("")
    assert not store.claim((1, 0))  # a fresh marker: another process may be taking it over right now
    old = time.time() - 2 * lease_stale_s()
    os.utime(leases / "1_0.1", (old, old))
    assert store.claim((1, 0))
    store.release((1, 0))
    assert not os.path.exists(leases / "1_0") and not os.path.exists(leases / "1_0.1")


def test_a_lease_write_that_fails_leaves_no_temporary_file(tmp_path):
    # a full disk or a file size limit (here RLIMIT_FSIZE, in a child process) failed the write after the temporary
    # file was made, and it stayed in leases/ for good
    import subprocess
    import sys

    folder = tmp_path / "s.zarr"
    code = (
        "import resource, signal, sys\n"
        "from brainbatch.store import Leases\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))\n"
        "files = Leases(sys.argv[1]).files\n"
        "for write in (files.create, files.replace):\n"
        "    try:\n"
        "        write('3_1', b'x' * 4096)\n"
        "    except OSError as err:\n"
        "        print(type(err).__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["OSError", "OSError"], out.stderr
    assert sorted(os.listdir(folder / "leases")) == []
