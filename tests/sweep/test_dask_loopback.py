"""Everything a local dask cluster opens (scheduler, workers, nannies, dashboard) listens on loopback,
and the dashboard link the CLI prints is where the dashboard really is."""
import os
import re
import subprocess
import time

import psutil

import pytest
from _support import BRAINBATCH, TOY, one_device_xla_flags

LOOPBACK = {"127.0.0.1", "::1"}


def _listening(proc: psutil.Process) -> set[tuple[str, int]]:
    seen = set()
    for p in [proc, *proc.children(recursive=True)]:
        try:
            for c in p.net_connections(kind="inet"):
                if c.status == psutil.CONN_LISTEN:
                    seen.add((c.laddr.ip, c.laddr.port))
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return seen


@pytest.mark.slow  # the CLI and a dask worker, each importing JAX
def test_local_cluster_and_dashboard_listen_on_loopback(tmp_path):
    env = {**os.environ, "JAX_PLATFORMS": "cpu"}
    env["XLA_FLAGS"] = one_device_xla_flags()
    args = [*BRAINBATCH, "sweep", TOY, "--executor", "dask", "--workers", "1", "--seeds", "2", "-p", "drive=1.5",
            "--duration", "400", "--batch-size", "1", "--out", str(tmp_path / "d.zarr")]
    proc = subprocess.Popen(args, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watched = psutil.Process(proc.pid)
    seen: set[tuple[str, int]] = set()
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            seen |= _listening(watched)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.1)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert seen, "no listening socket was seen while the cluster ran"
    assert {ip for ip, _ in seen} <= LOOPBACK, seen
    link = re.search(r"dask dashboard: http://([\d.]+):(\d+)/", err)
    assert link and link.group(1) == "127.0.0.1", err
    assert ("127.0.0.1", int(link.group(2))) in seen  # the link points at the dashboard itself


def test_bad_dashboard_addresses_are_refused_before_anything_starts(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from brainbatch.cli import main

    monkeypatch.chdir(tmp_path)
    for address in ("", "bogus", "127.0.0.1:99999", "a b:1"):
        res = CliRunner().invoke(main, ["sweep", TOY, "--executor", "dask", "--dashboard", address, "-q"])
        assert res.exit_code == 2 and "--dashboard must be HOST:PORT" in res.output, (address, res.output)
    assert os.listdir(tmp_path) == []
