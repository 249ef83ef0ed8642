"""Long runs: checkpoints, resuming after kill -9, extending a store in time, writer errors.

Every comparison is bitwise: the per-step random numbers are a pure function of the step, and a
resumed run uses the same compiled chunks as an uninterrupted one.
"""
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import zarr

import brainbatch as bb
from brainbatch.store import ResultStore
from brainbatch.sweep.api import prepare
from brainbatch.sweep.errors import UsageError
from brainbatch.sweep.task import execute_batch

from _support import EXPERIMENTS, invoke, one_device_xla_flags

STRIDED = str(EXPERIMENTS / "strided.py")
SCRIPT = """
import sys, brainbatch as bb
bb.sweep({exp!r}, seeds=2, params={{"drive": [1.2, 1.5]}}, duration={duration}, out=sys.argv[1],
         chunk_steps=200, checkpoint_every=0, progress=False)
"""


def _data(path) -> dict[str, np.ndarray]:
    """Records, status and saved (final) states, read with plain zarr."""
    root = zarr.open_group(str(path), mode="r")
    out = {name: np.asarray(root[name][...]) for name in ("spikes", "V", "status")}
    out.update({f"states/{n}": np.asarray(a[...]) for n, a in root["states"].arrays()})
    return out


def _assert_same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for name in a:
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)  # NaN == NaN here, bit for bit otherwise


def _sweep_process(tmp_path, out, duration, pause_dir=None):
    script = tmp_path / "sweep_script.py"
    script.write_text(SCRIPT.format(exp=STRIDED, duration=duration))
    env = {**os.environ, "JAX_PLATFORMS": "cpu"}
    env["XLA_FLAGS"] = one_device_xla_flags()  # one CPU device, in every process of this test
    if pause_dir is not None:  # the sweep waits after its first checkpoint (brainbatch/faults.py)
        env.update(BRAINBATCH_FAULTS="checkpointed", BRAINBATCH_PAUSE_DIR=str(pause_dir))
    return subprocess.Popen([sys.executable, str(script), str(out)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_kill_9_mid_run_then_resume_equals_the_uninterrupted_sweep(tmp_path):
    duration = 100.0  # 1000 steps in chunks of 200: killed while paused after the first checkpoint
    out, ref = tmp_path / "killed.zarr", tmp_path / "ref.zarr"
    proc = _sweep_process(tmp_path, out, duration, pause_dir=tmp_path)
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline and not (tmp_path / "checkpointed.reached").exists():
        time.sleep(0.05)
    if proc.poll() is not None:
        pytest.fail(f"the sweep ended before it could be killed: {proc.communicate()[1][-2000:]}")
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)

    store = ResultStore.open(out, "r")
    resume = store.resume_steps()
    assert (store.status() != "done").any() and resume.max() > 0, "the kill should land mid-run, after a checkpoint"
    kept = np.asarray(zarr.open_group(str(out), mode="r")["spikes"][...])
    status = invoke("status", out)
    assert "continues from step" in status.stdout and f"/ {store.spec.n_steps} steps" in status.stdout, status.stdout

    # the resume and the uninterrupted sweep in this process (SCRIPT's call): the kill -9 above is what needs
    # a process of its own; what the store holds after it is read the same by any process. Both compile here
    # once (the same Simulation serves the second), where two children imported JAX and compiled each.
    kw = dict(seeds=2, params={"drive": [1.2, 1.5]}, duration=duration, chunk_steps=200, checkpoint_every=0,
              progress=False)
    resumed = bb.sweep(STRIDED, out=str(out), **kw)
    assert not resumed.failed, resumed.failed
    uninterrupted = bb.sweep(STRIDED, out=str(ref), **kw)
    assert not uninterrupted.failed, uninterrupted.failed

    a, b = _data(out), _data(ref)
    assert (a["status"] == 2).all()
    _assert_same(a, b)
    # the records written before the kill were kept (and are the uninterrupted sweep's, too)
    written = ResultStore.open(out, "r")
    steps = int(resume.min())
    np.testing.assert_array_equal(kept[..., :steps, :], b["spikes"][..., :steps, :])
    assert written.steps_done().min() == written.spec.n_steps


@pytest.mark.slow
def test_extend_200_to_400_ms_equals_one_400_ms_sweep(tmp_path):
    out, ref = tmp_path / "grown.zarr", tmp_path / "ref.zarr"
    kw = dict(seeds=2, params={"drive": [1.2, 1.5]}, progress=False)
    bb.sweep(STRIDED, duration=200, out=str(out), **kw)
    first = _data(out)
    grown = bb.sweep(STRIDED, duration=400, out=str(out), **kw)
    assert grown.done == 4 and grown.skipped == 0
    bb.sweep(STRIDED, duration=400, out=str(ref), **kw)
    a, b = _data(out), _data(ref)
    _assert_same(a, b)
    np.testing.assert_array_equal(a["spikes"][..., :2000, :], first["spikes"])
    ds = bb.open_results(out)
    assert ds.sizes["time"] == 4000 and ds.sizes["time_every10"] == 400 and ds.attrs["n_steps"] == 4000
    np.testing.assert_allclose(ds["time"], 0.1 * np.arange(4000))
    # asking for less than the store holds is an error that says what to do
    with pytest.raises(UsageError, match=r"a shorter run: give the store's duration, 400 ms, or more"):
        bb.sweep(STRIDED, duration=300, out=str(out), **kw)


def test_a_failing_writer_marks_the_runs_failed_with_its_message(tmp_path):
    out = tmp_path / "broken.zarr"
    prep = prepare(STRIDED, seeds=1, params={"drive": [1.5]}, out=str(out), duration=20)
    # the record array's metadata is broken after the store was made: the writer thread fails
    (out / "spikes" / "zarr.json").write_text("{not json")
    report = execute_batch(prep.tasks[0])
    assert report.failed and not report.done
    store = ResultStore.open(out, "r")
    assert set(store.status().ravel()) == {"failed"}
    text = store.failed_runs()[0].error
    assert text.startswith("WriterError: writing results failed:"), text


LATE = """
import brainbatch as bb
monitors = {"Vlate": bb.Monitor("E.V", start=2.0), "V": "E.V"}
duration = 5.0
def build(rate=10.0):
    E = bb.LifRef(4, V_rest=-60.0, V_reset=-60.0, V_th=-50.0, tau=20.0, tau_ref=5.0)
    return bb.Network(E=E, drive=bb.PoissonInput(E.V, num_input=100, freq=rate, weight=0.5))
"""


def test_a_record_that_starts_late_does_not_make_an_extension_restart_its_runs(tmp_path):
    """The check of a resumed run's earlier records counted a late monitor's samples from step 0, so it
    looked for chunks never written and restarted every run ("records ... damaged")."""
    exp = tmp_path / "late.py"
    exp.write_text(LATE)
    out, ref = tmp_path / "grown.zarr", tmp_path / "ref.zarr"
    kw = dict(seeds=2, chunk_steps=20, progress=False)
    bb.sweep(str(exp), duration=5.0, out=str(out), **kw)
    grown = prepare(str(exp), duration=8.0, out=str(out), seeds=2, chunk_steps=20)
    assert not grown.restarted and not grown.damaged, (grown.restarted, grown.damaged)
    assert bb.sweep(str(exp), duration=8.0, out=str(out), **kw).done == 2
    bb.sweep(str(exp), duration=8.0, out=str(ref), **kw)
    a, b = zarr.open_group(str(out), mode="r"), zarr.open_group(str(ref), mode="r")
    for name in ("Vlate", "V", "status"):
        np.testing.assert_array_equal(a[name][...], b[name][...], err_msg=name)
