"""Re-running, extending, refusing to mix, failing runs, and surviving Ctrl-C / SIGKILL."""
import re
import shutil
import signal

import numpy as np
import pytest
import zarr
from _support import NAN, RAISES, TOY, arrays, paused, read_stderr_until, start, status_codes, tree, wait_for_file
from click.testing import CliRunner

import brainbatch as bb
from brainbatch.cli import main


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_rerun_skips_done_runs_and_wider_sweeps_extend(tmp_path):
    out = str(tmp_path / "x.zarr")
    first = bb.sweep(TOY, seeds=2, params={"drive": [1.2]}, out=out, batch_size=2, progress=False)
    assert (first.done, first.skipped) == (2, 0)
    before = arrays(out)
    again = bb.sweep(TOY, seeds=2, params={"drive": [1.2]}, out=out, batch_size=2, progress=False)
    assert (again.done, again.skipped) == (0, 2)
    after = arrays(out)
    assert all(np.array_equal(before[k], after[k], equal_nan=True) for k in before)

    wider = bb.sweep(TOY, seeds=4, params={"drive": [1.2]}, out=out, batch_size=2, progress=False)
    assert (wider.done, wider.skipped) == (2, 2)
    grown = arrays(out)
    assert grown["spikes"].shape[0] == 4
    for k in ("spikes", "V", "states/G.V"):  # old runs untouched
        assert np.array_equal(grown[k][:2], before[k])

    more = bb.sweep(TOY, seeds=4, params={"drive": "1.2,1.5"}, out=out, batch_size=2, progress=False)
    assert (more.done, more.skipped) == (4, 4)
    final = arrays(out)
    assert final["spikes"].shape[:2] == (4, 2) and (final["status"] == 2).all()
    for k in ("spikes", "V"):
        assert np.array_equal(final[k][:, :1], grown[k])
    assert list(zarr.open_group(out, mode="r")["drive"][...]) == [1.2, 1.5]


def test_changed_source_or_dt_is_refused_unless_forced(tmp_path):
    exp = tmp_path / "toy.py"
    shutil.copy(TOY, exp)
    out = tmp_path / "s.zarr"
    assert invoke("sweep", exp, "--out", out, "-p", "drive=1.5", "-q").exit_code == 0
    snapshot, files = arrays(out), tree(out)

    exp.write_text(exp.read_text() + "\n# a change\n")
    res = invoke("sweep", exp, "--out", out, "-p", "drive=1.5")
    assert res.exit_code == 2
    assert "source_hash" in res.output and "--force" in res.output
    res = invoke("sweep", exp, "--out", out, "-p", "drive=1.5", "--dt", "0.05")
    assert res.exit_code == 2 and "dt" in res.output and "--force" in res.output
    assert tree(out) == files and all(np.array_equal(snapshot[k], v, equal_nan=True) for k, v in arrays(out).items())

    res = invoke("sweep", exp, "--out", out, "-p", "drive=1.5", "--seeds", "2", "--force", "-q")
    assert res.exit_code == 0, res.output
    assert "1 run(s) done" in res.output and "1 already done" in res.output  # the old run is kept
    assert zarr.open_group(str(out), mode="r").attrs["source_hash"] != snapshot.get("source_hash")


def test_failed_runs_are_recorded_and_the_sweep_goes_on(tmp_path):
    out = tmp_path / "r.zarr"
    res = invoke("sweep", RAISES, "--seeds", "2", "--out", out)
    assert res.exit_code == 1
    assert "2 run(s) done, 2 failed" in res.output
    assert "n=13: ValueError: n=13 is not allowed" in res.output  # the summary of failures
    status = invoke("status", out)
    assert status.exit_code == 1
    assert re.search(r"done +2\n +failed +2\n +running +0\n +pending +0", status.output)
    assert "seed=0, n=13" in status.output and f"{RAISES}, line 18, in build" in status.output

    # a NaN in a recorded variable fails that run only, not the rest of its batch
    out = tmp_path / "nan.zarr"
    res = invoke("sweep", NAN, "--seeds", "2", "--out", out, "--batch-size", "4")
    assert res.exit_code == 1 and "NaN in recorded variable 'V'" in res.output
    ds = bb.open_results(out)
    assert ds.status.sel(drive=1.0).values.tolist() == ["done", "done"]
    assert ds.status.sel(drive=-1.0).values.tolist() == ["failed", "failed"]
    assert "NaN" in str(ds.error.sel(seed=0, drive=-1.0).values)


def test_fail_fast_stops_at_the_first_failure(tmp_path):
    out = tmp_path / "ff.zarr"
    res = invoke("sweep", RAISES, "--seeds", "3", "-p", "n=13,10", "--batch-size", "1", "--fail-fast",
                 "--devices", "cpu", "--out", out)  # one device: nothing runs beside the first failure
    assert res.exit_code == 1
    codes = status_codes(out)
    assert (codes == 3).sum() == 1 and (codes == 0).sum() == 5  # one failed, the rest never started


def test_fail_fast_on_two_devices_counts_the_runs_the_other_device_finished_after_the_stop(tmp_path):
    # the batch under way on the other device when the first failure stops the sweep finishes (a compiled call
    # cannot be cut) and its run is done in the store; its report was dropped, so the summary said fewer runs
    # done than the store holds (1 against 3 here)
    out = tmp_path / "ff2.zarr"
    res = bb.sweep(NAN, seeds=2, params={"drive": [1.0, -1.0, 1.5]}, batch_size=1, fail_fast=True, duration=5,
                   devices="cpu:2", out=str(out), progress=False)
    codes = status_codes(out)
    assert len(res.failed) == (codes == 3).sum() >= 1
    assert res.done == (codes == 2).sum() and res.done + len(res.failed) + (codes == 0).sum() == codes.size


def _done_runs(path) -> int:
    return int((status_codes(path) == 2).sum())


@pytest.mark.slow
def test_ctrl_c_and_sigkill_lose_no_finished_run(tmp_path):
    """Both signals land mid-sweep, at pause points (not at a moment guessed by timing)."""
    out = tmp_path / "k.zarr"
    args = ["sweep", TOY, "--seeds", "4", "-p", "drive=1.2,1.5", "--batch-size", "1", "--duration", "100",
            "--devices", "cpu", "--out", out, "-q"]  # one device: the batches run one after another
    # Ctrl-C while the third run waits to be marked done: it finishes, the sweep stops before the fourth
    gate = tmp_path / "int"
    proc = start(*args[:-1], cwd=tmp_path, env_extra=paused("before-done@3", gate))  # not -q: it says it stops
    wait_for_file(gate / "before-done.reached", proc)
    proc.send_signal(signal.SIGINT)  # Ctrl-C
    err = read_stderr_until(proc, "Ctrl-C: stopping after the current chunk")
    (gate / "before-done.go").touch()
    err += proc.communicate(timeout=120)[1]
    assert proc.returncode == 130 and "run the same command again" in err, err
    assert _done_runs(out) == 3

    # kill -9 while the fifth run waits to be marked done: the fourth, done before, is kept
    gate = tmp_path / "kill"
    proc = start(*args, cwd=tmp_path, env_extra=paused("before-done@2", gate))
    wait_for_file(gate / "before-done.reached", proc)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert _done_runs(out) == 4

    resumed = invoke(*args)
    assert resumed.exit_code == 0, resumed.output
    assert "4 run(s) done" in resumed.output, resumed.output  # the killed run is taken back, none is redone
    assert (status_codes(out) == 2).all()

    ref = tmp_path / "ref.zarr"
    # one run per batch on one device, as the resume above: its compiled program serves (none is compiled for 8 lanes)
    bb.sweep(TOY, seeds=4, params={"drive": "1.2,1.5"}, duration=100, out=str(ref), batch_size=1, devices="cpu",
             progress=False)
    a, b = arrays(out), arrays(ref)
    assert np.array_equal(a["spikes"], b["spikes"])
    np.testing.assert_allclose(a["V"], b["V"], rtol=0, atol=1e-6)
