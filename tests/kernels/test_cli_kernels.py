"""The CLI's choice of event path and devices: ``--kernels``, provenance, ``show`` and the default devices."""
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sweep"))
from _support import TOY, cli, invoke  # noqa: E402


def test_kernels_jax_is_recorded_in_the_store_and_shown(tmp_path):
    from brainbatch.kernels import kernel_choice

    before, env_before = kernel_choice(), os.environ.get("BRAINBATCH_KERNELS")
    store = tmp_path / "s.zarr"
    proc = invoke("sweep", TOY, "--seeds", "2", "--duration", "20", "--kernels", "jax", "--devices", "cpu",
                  "--out", store, "-q")
    assert proc.returncode == 0, proc.stderr[-2000:]
    shown = invoke("show", store)
    assert shown.returncode == 0, shown.stderr[-2000:]
    assert "event_kernels: jax (BRAINBATCH_KERNELS=jax)" in shown.stdout
    # a value for this command, not an environment variable left behind for the rest of the process
    assert kernel_choice() == before and os.environ.get("BRAINBATCH_KERNELS") == env_before


def test_a_misspelled_kernel_choice_is_bad_input(tmp_path):
    proc = invoke("sweep", TOY, "--kernels", "nativ", "--out", tmp_path / "s.zarr")
    assert proc.returncode == 2
    assert "'nativ' is not one of 'auto', 'native', 'jax'" in proc.stderr
    assert not (tmp_path / "s.zarr").exists()


def test_the_default_devices_use_every_core(tmp_path):
    import jax

    if jax.default_backend() != "cpu":
        pytest.skip("with an accelerator the default devices are the accelerators")
    proc = cli("sweep", TOY, "--seeds", "4", "--dry-run", "--out", tmp_path / "s.zarr")
    assert proc.returncode == 0, proc.stderr[-2000:]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    line = next(ln for ln in proc.stdout.splitlines() + proc.stderr.splitlines() if ln.startswith("devices"))
    assert line.split(None, 1)[1].startswith(", ".join(f"cpu:{k}" for k in range(cores)) + " ("), line


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="no CPU affinity on this platform")
def test_one_thread_per_op_keeps_every_core_for_the_process():
    import subprocess

    code = ("import os, brainbatch.core as c, jax; jax.devices(); "
            "print(c.cpu_threads.split_ops_disabled(), sorted(os.sched_getaffinity(0)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={k: v for k, v in os.environ.items() if k != "BRAINBATCH_INTRA_OP"})
    assert out.returncode == 0, out.stderr[-2000:]
    flag, cores = out.stdout.strip().split(" ", 1)
    assert flag == "True"
    assert cores == str(sorted(os.sched_getaffinity(0)))


@pytest.mark.parametrize("env, expected, run", [
    # a process of its own: this one has built and loaded the kernels already
    ({"BRAINBATCH_KERNELS": "native", "CXX": "/no-such-compiler"},
     "BRAINBATCH_KERNELS=native, but the native kernels could not be built", cli),
    ({"BRAINBATCH_KERNELS": "nativ"}, "Did you mean 'native'?", invoke),
])
def test_a_kernel_choice_that_cannot_be_honoured_is_bad_input(tmp_path, env, expected, run):
    import jax

    if jax.default_backend() != "cpu":
        pytest.skip("an accelerator runs the pure-JAX path whatever is chosen")
    proc = run("sweep", TOY, "--seeds", "2", "--duration", "20", "--out", tmp_path / "s.zarr",
               env_extra={**env, "BRAINBATCH_CACHE": str(tmp_path / "cache")})
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert expected in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "s.zarr").exists()
