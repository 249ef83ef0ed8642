"""Progress per simulated step, and a stop at the next chunk boundary (issue 23, items 9 and 10).

A sweep reports steps after every compiled call (not per batch), shows them as plain lines off a
terminal, and a stop request (Ctrl-C, SIGTERM) ends the runs under way at the next call boundary
with a checkpoint there, from which the next sweep continues bitwise as if never stopped.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time

import numpy as np
import pytest

import brainbatch as bb
from _support import BRAINBATCH, TOY, arrays, CTRL_C_AS_IN_A_TERMINAL, read_stderr_until, status_codes, one_device_xla_flags
from brainbatch.store import ResultStore
from brainbatch.sweep import live
from brainbatch.sweep.progress import SweepProgress

DURATION = 2000.0  # 20000 steps: cut into 8 calls of 2500 (batching.CALLS_PER_RUN)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("ref") / "ref.zarr")
    bb.sweep(TOY, seeds=[0, 1], params={"drive": [1.5]}, duration=DURATION, out=out, devices="cpu", progress=False)
    return out


def test_steps_are_reported_after_every_call_and_shown_off_a_terminal(tmp_path, capsys):
    calls: list[int] = []
    with live.listening(calls.append):
        bb.sweep(TOY, seeds=[0, 1], params={"drive": [1.5]}, duration=DURATION, out=str(tmp_path / "p.zarr"),
                 devices="cpu", progress=0.01)  # a plain line every 10 ms: stderr is not a terminal here
    assert calls == [2 * 2500] * 8  # both runs of the batch, after each of its 8 calls
    lines = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("progress")]
    assert lines and lines[-1].startswith("progress 100.0%  40,000 / 40,000 steps over 2 runs (2 done, 0 failed)")


def test_progress_line_counts_steps_rate_and_time_left():
    import io

    out = io.StringIO()
    with SweepProgress(4, 1000, 0.1, stream=out, every=1e9) as p:
        p.steps(250)
        assert p.line().startswith("progress  25.0%  250 / 1,000 steps over 4 runs (0 done, 0 failed)")
        p.update(1, 1, steps=500)  # a batch elsewhere (dask) counts when it reports
        assert p.completed == 500 and "(1 done, 1 failed)" in p.line() and "left" in p.line()
    assert out.getvalue() == ""  # no line was due


def test_a_stop_ends_the_batch_at_a_call_boundary_and_the_rerun_is_bitwise(tmp_path, reference):
    out = str(tmp_path / "stop.zarr")
    seen: list[int] = []

    def stop_after_the_second_call(n: int) -> None:
        seen.append(n)
        if len(seen) == 2:
            live.request_stop(signal.SIGTERM)

    with live.listening(stop_after_the_second_call), pytest.raises(KeyboardInterrupt) as caught:
        bb.sweep(TOY, seeds=[0, 1], params={"drive": [1.5]}, duration=DURATION, out=out, devices="cpu",
                 progress=False)
    assert caught.value.brainbatch == {"store": out, "done": 0}  # counted from the store
    store = ResultStore.open(out, "r")
    assert (status_codes(out) == 0).all()  # pending again, with their error text saying why
    steps = store.steps_done()
    # the calls already dispatched finish (a compiled call cannot be cut): at most two past the request
    assert np.all(steps == steps.flat[0]) and 2 * 2500 <= steps.flat[0] <= 4 * 2500
    assert all(step == steps.flat[0] for step in store.resume_steps().ravel())  # a checkpoint right there
    assert len(seen) * 2500 == steps.flat[0]  # every call dispatched was written
    again = bb.sweep(TOY, seeds=[0, 1], params={"drive": [1.5]}, duration=DURATION, out=out, devices="cpu",
                     progress=False)
    assert again.done == 2
    got, want = arrays(out), arrays(reference)
    assert all(np.array_equal(got[k], want[k], equal_nan=True) for k in ("spikes", "V", "states/G.V"))


@pytest.mark.slow  # the CLI in a child process: its own JAX start-up and compile
def test_ctrl_c_is_acknowledged_and_a_second_one_aborts_cleanly(tmp_path):
    out = tmp_path / "c.zarr"
    env = {**os.environ, "JAX_PLATFORMS": "cpu", "BRAINBATCH_PROGRESS_EVERY_S": "0.2"}
    env["XLA_FLAGS"] = one_device_xla_flags()
    proc = subprocess.Popen([*CTRL_C_AS_IN_A_TERMINAL, *BRAINBATCH, "sweep", TOY, "--seeds", "2", "-p", "drive=1.5",
                             "--duration", "200000",
                             "--out", str(out)], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:  # until the runs have written steps
        try:
            if ResultStore.open(str(out), "r").steps_done().sum() > 0:
                break
        except Exception:  # not created yet
            pass
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    # the second Ctrl-C once the first one's handler has run (it says so), not after a guessed time
    err = read_stderr_until(proc, "Ctrl-C: stopping after the current chunk")
    proc.send_signal(signal.SIGINT)
    err += proc.communicate(timeout=120)[1]
    assert proc.returncode == 130, err
    assert "Ctrl-C: stopping after the current chunk" in err and "Ctrl-C again to abort" in err
    assert f"interrupted: every finished run is kept in {out} (0 finished in this session" in err
    assert "terminate called" not in err and "Traceback" not in err and "Aborted" not in err
    assert (status_codes(out) == 0).all() and os.listdir(out / "leases") == ["zarr.json"]
