"""A build or allocation failure fails the run; SIGTERM ends the process even when a call never returns
(issue 19, item 18), both forced with the fault points (``brainbatch/faults.py``), not with timing."""
import os
import signal
import subprocess
import time

import pytest
from _support import BRAINBATCH, TOY, status_codes, one_device_xla_flags
from click.testing import CliRunner

from brainbatch.cli import main


def test_an_allocation_failure_fails_the_run(tmp_path, monkeypatch):
    monkeypatch.setenv("BRAINBATCH_FAULTS", "run=memory")
    out = tmp_path / "m.zarr"
    res = CliRunner().invoke(main, ["sweep", TOY, "--out", str(out), "-p", "drive=1.5", "--duration", "1", "-q"])
    assert res.exit_code == 1 and "0 run(s) done, 1 failed" in res.output, res.output
    assert "MemoryError: injected at 'run'" in res.output
    assert list(status_codes(out)) == [3]  # failed, not left running
    monkeypatch.delenv("BRAINBATCH_FAULTS")
    again = CliRunner().invoke(main, ["sweep", TOY, "--out", str(out), "-p", "drive=1.5", "--duration", "1", "-q"])
    assert again.exit_code == 0 and "1 run(s) done" in again.output, again.output


def test_sigterm_ends_a_sweep_stuck_in_a_call_that_never_returns(tmp_path):
    out = tmp_path / "h.zarr"
    env = {**os.environ, "JAX_PLATFORMS": "cpu", "BRAINBATCH_FAULTS": "run=hang", "BRAINBATCH_TERM_GRACE_S": "1"}
    env["XLA_FLAGS"] = one_device_xla_flags()
    proc = subprocess.Popen([*BRAINBATCH, "sweep", TOY, "--out", str(out), "-p", "drive=1.5", "--duration", "1",
                             "--devices", "cpu", "-q"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 240
    while not (out.exists() and list(status_codes(out)) == [1]):  # the run is running (and stuck)
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the sweep did not reach its stuck run: {proc.communicate()}")
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("SIGTERM did not end the process")
    assert proc.returncode == 143, err
    assert "SIGTERM: the command did not stop within 1 s" in err
    res = CliRunner().invoke(main, ["status", str(out)])  # its lease died with it: the next sweep continues it
    assert "1 running under a process that has stopped" in res.output, res.output
