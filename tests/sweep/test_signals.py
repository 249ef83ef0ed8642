"""Signals: Ctrl-C during start-up exits 130 and claims nothing; SIGTERM (what SLURM sends) and SIGHUP
(a closed terminal) are handled like Ctrl-C: the runs under way are marked pending again, finished runs are kept, exit 143."""
import os
import signal
import subprocess
import time

import numpy as np
import pytest
from _support import (BRAINBATCH, TOY, arrays, CTRL_C_AS_IN_A_TERMINAL, invoke, one_device_xla_flags, paused, read_stderr_until, start,
                      status_codes, tree, wait_for_file, write_experiment)

import brainbatch as bb

SLOW_START = """
import pathlib, time
pathlib.Path(__file__).with_name("loading").write_text("now")
time.sleep(120)

def build(n=4):
    raise RuntimeError
"""


def _start(args, cwd):
    env = {**os.environ, "JAX_PLATFORMS": "cpu"}
    env["XLA_FLAGS"] = one_device_xla_flags()
    return subprocess.Popen([*CTRL_C_AS_IN_A_TERMINAL, *BRAINBATCH, *map(str, args)], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(predicate, proc, limit_s=240):
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if predicate() or proc.poll() is not None:
            return
        time.sleep(0.05)
    proc.kill()
    pytest.fail("the condition was not reached in time")


@pytest.mark.parametrize("sig, code, word", [(signal.SIGINT, 130, "interrupted"),
                                             (signal.SIGTERM, 143, "terminated (SIGTERM)"),
                                             (signal.SIGHUP, 129, "hung up (SIGHUP)")])
def test_a_signal_during_start_up(tmp_path, sig, code, word):
    exp = write_experiment(tmp_path, "slow.py", SLOW_START)
    proc = _start(["sweep", exp, "--out", tmp_path / "s.zarr"], tmp_path)
    _wait_for(lambda: (tmp_path / "loading").exists(), proc)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert f"{word} before the store was created or changed: nothing was written" in err
    assert "every finished run is kept" not in err and "Aborted" not in err and "Traceback" not in err
    assert tree(tmp_path) == ["loading", "slow.py"]


def test_sigterm_mid_sweep_keeps_finished_runs_and_marks_the_rest(tmp_path):
    out = tmp_path / "t.zarr"
    args = ["sweep", TOY, "--seeds", "4", "-p", "drive=1.2,1.5", "--batch-size", "1", "--duration", "100",
            "--devices", "cpu", "--out", out]  # one device: the batches run one after another
    # SIGTERM while the second run waits to be marked done (a fault point, brainbatch/faults.py)
    gate = tmp_path / "gate"
    proc = start(*args, cwd=tmp_path, env_extra=paused("before-done@2", gate))
    wait_for_file(gate / "before-done.reached", proc)
    proc.send_signal(signal.SIGTERM)
    err = read_stderr_until(proc, "SIGTERM: stopping after the current chunk")
    (gate / "before-done.go").touch()
    err += proc.communicate(timeout=120)[1]
    assert proc.returncode == 143, err
    assert f"terminated (SIGTERM): every finished run is kept in {out} (2 finished in this session" in err  # issue 23 item 10
    codes = status_codes(out)
    assert (codes == 2).sum() == 2 and (codes == 0).sum() == 6  # done or pending: nothing left 'running'
    assert os.listdir(out / "leases") == ["zarr.json"]
    res = invoke(*args, "-q", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert (status_codes(out) == 2).all()
    ref = tmp_path / "ref.zarr"
    # one run per batch on one device, as the resume above: its compiled program serves (none is compiled for 8 lanes)
    bb.sweep(TOY, seeds=4, params={"drive": "1.2,1.5"}, duration=100, out=str(ref), batch_size=1, devices="cpu",
             progress=False)
    assert np.array_equal(arrays(out)["spikes"], arrays(ref)["spikes"])


@pytest.mark.parametrize("exc, code", [(KeyboardInterrupt, 130), ("terminated", 143), ("hung up", 129)])
def test_a_signal_before_the_sweep_starts_its_work(tmp_path, monkeypatch, exc, code):
    """Earliest start-up (device set-up, before the experiment loads): Click's 'Aborted!' / exit 1 never shows."""
    from click.testing import CliRunner

    import sys

    from brainbatch.cli import main as cli_main
    from brainbatch.cli.options import Terminated

    commands = sys.modules["brainbatch.cli.main"]  # the module (the package's ``main`` is the command group)

    error = {"terminated": lambda: Terminated(signal.SIGTERM), "hung up": lambda: Terminated(signal.SIGHUP)}.get(exc, exc)

    def interrupted(devices):
        raise error()

    monkeypatch.setattr(commands, "_prepare_devices", interrupted)
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(cli_main, ["sweep", TOY, "--out", "x.zarr"])
    assert res.exit_code == code, res.output
    assert "nothing was written" in res.output and "Aborted" not in res.output
    assert "every finished run is kept" not in res.output
    assert tree(tmp_path) == []


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the dropped exception is the point
def test_a_sigterm_whose_exception_python_drops_in_a_gc_callback_still_ends_the_command_as_terminated(
        tmp_path, monkeypatch):
    """Python drops an exception raised by a signal handler that runs inside a gc callback (JAX installs one):
    a sweep sent SIGTERM there ran on and exited 0 (store audit). The signal is remembered, so the command ends
    as terminated (143)."""
    import gc
    import sys

    from click.testing import CliRunner

    from brainbatch.cli import main as cli_main

    commands = sys.modules["brainbatch.cli.main"]
    sent = []

    def send(phase, info):
        if phase == "start" and not sent and signal.getsignal(signal.SIGTERM) is commands._on_signal:
            sent.append(1)
            os.kill(os.getpid(), signal.SIGTERM)

    real = commands._prepare_devices

    def collecting(devices):  # a collection inside the command, with the callback first in line
        gc.callbacks.insert(0, send)
        try:
            gc.collect()
        finally:
            gc.callbacks.remove(send)
        return real(devices)

    monkeypatch.setattr(commands, "_prepare_devices", collecting)
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(cli_main, ["sweep", TOY, "--seeds", "1", "-p", "drive=1.2", "--duration", "2",
                                        "--out", "x.zarr", "-q"])
    assert sent and res.exit_code == 143, res.output
    assert "terminated" in res.output
