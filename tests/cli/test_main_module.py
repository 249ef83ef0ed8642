"""``python -m brainbatch`` behaves like the ``brainbatch`` command (same help, same exit codes)."""
import os
import subprocess
import sys

from _support import invoke, one_device_xla_flags


def _module(*args, cwd=None):
    env = {**os.environ, "JAX_PLATFORMS": "cpu", "COLUMNS": "82"}  # Click formats at 80 = 82 - 2, as CliRunner does
    env["XLA_FLAGS"] = one_device_xla_flags()
    return subprocess.run([sys.executable, "-m", "brainbatch", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=240)


def test_python_m_brainbatch_is_the_command(tmp_path):
    module, command = _module("--help"), invoke("--help")
    assert module.returncode == command.returncode == 0
    assert module.stdout == command.stdout
    assert module.stdout.startswith("Usage: brainbatch ")
    bad = _module("sweep", tmp_path / "missing.py")
    assert bad.returncode == 2 and "missing.py" in bad.stderr and "does not exist" in bad.stderr
