"""The precision of a sweep's numbers: a store holds runs of one JAX precision (x64 on or off), and swept
values are ones the runs can tell apart in the float32 they are traced as."""
import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest
import zarr
from _support import TOY, arrays, invoke, one_device_xla_flags, refused_in_one_line, tree, write_experiment

import brainbatch as bb
from brainbatch.sweep.errors import UsageError

ARGS = ("sweep", TOY, "--seeds", "2", "-p", "drive=1.5", "--duration", "5", "--devices", "cpu", "-q")

#: a child with 64-bit mode on (a process of its own: x64 is global) runs the ``brainbatch`` commands of the file
#: given as its argument, each with the CLI in that process (``invoke``), and writes what each answered beside it
X64_CHILD = """
import json, sys
sys.path.insert(0, sys.argv[1])
from _support import invoke
commands = json.load(open(sys.argv[2]))
answers = [invoke(*args) for args in commands]
json.dump([[r.returncode, r.stdout, r.stderr] for r in answers], open(sys.argv[2] + ".out", "w"))
"""


def _x64_commands(folder):
    """The sweeps of this file that run with JAX_ENABLE_X64=1, by name: one child serves every one of them."""
    plain = write_experiment(folder, "plain.py", X64_TOY.replace("STATIC", ""))
    static = write_experiment(folder, "static.py", X64_TOY.replace("STATIC", 'static = ("drive",)'))
    return {"x": [*ARGS, "--out", folder / "x.zarr"],
            "fixed": ["sweep", plain, "--seeds", "1", "--devices", "cpu", "-q", "--out", folder / "fixed.zarr"],
            "swept": ["sweep", plain, "--seeds", "1", "-p", "drive=1.3,1.4", "--devices", "cpu", "-q",
                      "--out", folder / "swept.zarr"],
            "static": ["sweep", static, "--seeds", "1", "-p", "drive=1.3,1.4", "--devices", "cpu", "-q",
                       "--out", folder / "static.zarr"]}


@pytest.fixture(scope="module")
def x64(tmp_path_factory):
    """``(folder, {name: CompletedProcess})``: the x64 sweeps, run in one child process (one CPU device)."""
    folder = tmp_path_factory.mktemp("x64")
    commands = _x64_commands(folder)
    (folder / "commands.json").write_text(json.dumps([[str(a) for a in args] for args in commands.values()]))
    env = {**os.environ, "JAX_PLATFORMS": "cpu", "JAX_ENABLE_X64": "1", "XLA_FLAGS": one_device_xla_flags()}
    child = subprocess.run([sys.executable, "-c", X64_CHILD, os.path.dirname(__file__), str(folder / "commands.json")],
                           cwd=folder, env=env, capture_output=True, text=True, timeout=240)
    assert child.returncode == 0, child.stderr
    answers = json.loads((folder / "commands.json.out").read_text())
    return folder, {name: subprocess.CompletedProcess(args, *answer)
                    for (name, args), answer in zip(commands.items(), answers)}


def test_a_store_never_mixes_runs_of_two_precisions(x64):
    folder, runs = x64
    out = folder / "x.zarr"
    first = runs["x"]
    assert first.returncode == 0, first.stderr
    assert zarr.open_group(str(out), mode="r").attrs["provenance"]["x64"] is True
    files, before = tree(out), arrays(out)

    # extending (more seeds, a longer run) with 64-bit mode off would continue the x64 runs in float32
    for extra in (("--seeds", "3"), ("--duration", "10")):
        res = invoke(*ARGS, *extra, "--out", out)
        assert refused_in_one_line(res), res.stderr
        assert "64-bit mode on (JAX_ENABLE_X64=1)" in res.stderr and "64-bit mode off" in res.stderr, res.stderr
        assert "--force" in res.stderr and "--out" in res.stderr
    assert tree(out) == files and arrays(out).keys() == before.keys()

    forced = invoke(*ARGS, "--force", "--out", out)  # every run is redone in this sweep's precision
    assert forced.returncode == 0 and "2 run(s) done" in forced.stderr + forced.stdout, forced.stderr
    assert zarr.open_group(str(out), mode="r").attrs["provenance"]["x64"] is False
    shown = invoke("show", out)
    assert shown.returncode == 0 and "  x64: off" in shown.stdout, shown.stdout


SWEEP = ("sweep", TOY, "--duration", "5", "--devices", "cpu", "-q")


@pytest.mark.parametrize("values, message", [
    ("1e39", r"-p drive=1e\+39 cannot be swept: the runs take a swept value as float32, where it overflows to inf"),
    ("1.5,-1e39", r"-p drive=-1e\+39 cannot be swept: .* overflows to -inf"),
    ("1e-50,0", "-p drive=1e-50 cannot be swept: .* computes as 0 .*give 0 or a value at least that large"),
    ("1e-40", "-p drive=1e-40 cannot be swept: .* computes as 0"),  # subnormal: XLA flushes it to 0
    ("1.2,1.20000000001", r"-p drive=1.20000000001 cannot be swept: .* same number \(1.2\) as 1.2, so two labels"),
])
def test_swept_values_float32_cannot_hold_apart_are_refused(tmp_path, values, message):
    """A traced value reaches the model as float32 (with 64-bit mode on too): a value that is inf or 0 there,
    or one value under two labels, would be stored as what it is not."""
    out = tmp_path / "o.zarr"
    res = invoke(*SWEEP, "-p", f"drive={values}", "--out", out)
    assert refused_in_one_line(res) and re.search(message, res.stderr), res.stderr
    assert "RuntimeWarning" not in res.stderr and not out.exists()
    with pytest.raises(UsageError, match=message):  # the Python API: the same check
        bb.sweep(TOY, params={"drive": [float(v) for v in values.split(",")]}, duration=5, out=str(out),
                 devices="cpu", progress=False)
    assert not out.exists()


def test_sampled_values_and_values_already_in_the_store_are_checked_too(tmp_path):
    out = tmp_path / "o.zarr"
    narrow = invoke(*SWEEP, "-p", "drive=1.0:1.0000001", "--samples", "8", "--out", out, "--dry-run")
    assert refused_in_one_line(narrow) and re.search(
        r"sample \d of 'drive' \(.*\) cannot be swept: .* same number \(1.0\) as sample \d .*widen its range",
        narrow.stderr), narrow.stderr
    tiny = invoke(*SWEEP, "-p", "drive=1e-45:1e-30:log", "--samples", "4", "--out", out, "--dry-run")
    assert refused_in_one_line(tiny) and "computes as 0" in tiny.stderr, tiny.stderr
    fine = invoke(*SWEEP, "-p", "drive=0,1e-30,3e38", "--out", out, "--dry-run")
    assert fine.returncode == 0, fine.stderr

    assert invoke(*SWEEP, "-p", "drive=1.5", "--out", out).returncode == 0
    files = tree(out)
    res = invoke(*SWEEP, "-p", "drive=1.5000000001", "--out", out)  # another label of the store's own 1.5
    assert refused_in_one_line(res) and "same number (1.5) as 1.5, already in the store" in res.stderr, res.stderr
    assert tree(out) == files


def test_a_worker_in_the_other_precision_fails_its_runs_and_marks_none_done(tmp_path):
    """A dask worker started with another JAX_ENABLE_X64 than the sweep runs the batch this process runs here
    (``execute_batch``, given the sweep's precision): its runs fail with the reason, none is written as done."""
    import dataclasses

    import jax

    from brainbatch.store import ResultStore
    from brainbatch.sweep.api import prepare
    from brainbatch.sweep.task import execute_batch

    out = tmp_path / "w.zarr"
    task = prepare(TOY, seeds=2, params={"drive": [1.5]}, out=str(out), duration=5, devices="cpu").tasks[0]
    here = bool(jax.config.read("jax_enable_x64"))
    assert task.x64 is here  # the sweep's precision travels with each task

    report = execute_batch(dataclasses.replace(task, x64=not here))
    assert len(report.failed) == 2 and not report.done
    store = ResultStore.open(out, "r")
    assert set(store.status().ravel()) == {"failed"}
    error = store.failed_runs()[0].error
    assert error.startswith("PrecisionMismatch: this process (pid "), error
    assert "JAX_ENABLE_X64" in error.splitlines()[0] and "start the workers with the sweep's" in error

    assert not execute_batch(task).failed  # the same task in the sweep's precision runs
    assert set(ResultStore.open(out, "r").status().ravel()) == {"done"}


X64_TOY = """
    import jax, jax.numpy as jnp
    import brainbatch as bb

    F = jnp.result_type(float)  # float64 with JAX_ENABLE_X64=1


    class Toy(bb.NeuGroup):
        def __init__(self, n, drive):
            super().__init__(n)
            self.drive = drive
            self.reset_state()

        def reset_state(self, batch_size=None):
            self.init_variable("V", 0.0, dtype=F)

        def update(self):
            self.V.value = self.V.value + (self.drive - self.V.value) / 10.0 * bb.share.dt


    monitors = {"V": "G.V"}
    duration = 2.0
    sweep = {}
    STATIC


    def build(n=2, drive=1.3):
        return bb.Network(G=Toy(n, drive))
"""


def test_with_x64_a_swept_value_computes_as_the_same_value_fixed_or_static(x64):
    """A label means one number however it is compiled: traced as float32 under JAX_ENABLE_X64=1, ``drive=1.3``
    ran as 1.29999995 where the fixed default and a ``static`` value ran as 1.3 (every V differed)."""
    import xarray as xr

    tmp_path, answers = x64
    runs = [answers[name] for name in ("fixed", "swept", "static")]  # the sweeps with JAX_ENABLE_X64=1
    assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs]
    fixed = xr.open_zarr(tmp_path / "fixed.zarr")["V"].sel(seed=0).values
    assert fixed.dtype == "float64"
    for name in ("swept", "static"):
        np.testing.assert_array_equal(xr.open_zarr(tmp_path / f"{name}.zarr")["V"].sel(seed=0, drive=1.3).values, fixed)
