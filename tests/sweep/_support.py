"""Shared helpers of the sweep and CLI tests: toy experiments, store readers, the CLI in this process
(``invoke``: for everything that is refused or read without a compile) or as a subprocess (``cli``: for
what needs a process of its own — signals, kill -9, a JAX that starts without the tests' settings)."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np


EXPERIMENTS = Path(__file__).resolve().parent / "experiments"
TOY = str(EXPERIMENTS / "toy.py")
RAISES = str(EXPERIMENTS / "raises.py")
NAN = str(EXPERIMENTS / "nan.py")
LIF_TAU = str(EXPERIMENTS / "lif_tau.py")
WIDE = str(EXPERIMENTS / "wide.py")
_SCRIPT = Path(sys.executable).with_name("brainbatch")
#: the CLI as installed (its console script), or ``python -m brainbatch`` where the package is on the path only
BRAINBATCH = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "brainbatch"]


def one_device_xla_flags() -> str:
    """The tests' XLA_FLAGS without their two host devices: a child process gets one CPU device, as a user's
    command does, and compiles with the tests' cheaper codegen (the root conftest.py says why)."""
    flags = os.environ.get("XLA_FLAGS", "").split()
    return " ".join(f for f in flags if not f.startswith("--xla_force_host_platform_device_count"))


def arrays(path) -> dict[str, np.ndarray]:
    """Every array of a store (records, status, states) as numpy, read with plain zarr."""
    import zarr

    root = zarr.open_group(str(path), mode="r")
    out = {name: np.asarray(arr[...]) for name, arr in root.arrays()}
    if "states" in root:
        out.update({f"states/{n}": np.asarray(a[...]) for n, a in root["states"].arrays()})
    return out


def status_codes(path) -> np.ndarray:
    import zarr

    return np.asarray(zarr.open_group(str(path), mode="r")["status"][...])


def tree(path) -> list[str]:
    """Every file and folder under ``path`` (to check that nothing was written)."""
    path = Path(path)
    if not path.exists():
        return []
    return sorted(str(p.relative_to(path)) for p in path.rglob("*"))


def write_experiment(folder: Path, name: str, body: str) -> str:
    path = Path(folder) / name
    path.write_text(textwrap.dedent(body))
    return str(path)


def invoke(*args, cwd=None, env_extra=None) -> subprocess.CompletedProcess:
    """The ``brainbatch`` command run in this process by Click's CliRunner, answered as ``cli`` answers.

    Separate stdout and stderr like a child process; an exception that escapes the command shows its
    traceback on stderr (exit 1), as it would from the console script.
    """
    import traceback

    from click.testing import CliRunner

    from brainbatch.cli import main

    argv = [str(a) for a in args]
    old, old_argv = os.getcwd(), sys.argv
    try:
        if cwd is not None:
            os.chdir(cwd)
        sys.argv = ["brainbatch", *argv]  # the store's provenance records the command line
        res = CliRunner().invoke(main, argv, env=env_extra, prog_name="brainbatch")
    finally:
        os.chdir(old)
        sys.argv = old_argv
    stderr = res.stderr
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        stderr += "Traceback (most recent call last):\n" + "".join(traceback.format_exception(res.exception))
    return subprocess.CompletedProcess(["brainbatch", *argv], res.exit_code, res.stdout, stderr)


def invoke_many(commands, cwd=None, env_extra=None) -> list[subprocess.CompletedProcess]:
    """``invoke`` for each command in turn (the in-process twin of ``cli_many``)."""
    return [invoke(*args, cwd=cwd, env_extra=env_extra) for args in commands]


def cli(*args, cwd=None, timeout=240, env_extra=None) -> subprocess.CompletedProcess:
    """The installed ``brainbatch`` command in a child process (its own JAX, one CPU device by default)."""
    env = {**os.environ, "JAX_PLATFORMS": "cpu", **(env_extra or {})}
    env["XLA_FLAGS"] = one_device_xla_flags()
    return subprocess.run([*BRAINBATCH, *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def cli_many(commands, cwd=None, timeout=240, env_extra=None) -> list[subprocess.CompletedProcess]:
    """Several ``brainbatch`` commands at once, each in its own child process (start-up costs overlap)."""
    env = {**os.environ, "JAX_PLATFORMS": "cpu", **(env_extra or {})}
    env["XLA_FLAGS"] = one_device_xla_flags()
    procs = [(args, subprocess.Popen([*BRAINBATCH, *map(str, args)], cwd=cwd, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)) for args in commands]
    out = []
    for args, proc in procs:
        stdout, stderr = proc.communicate(timeout=timeout)
        out.append(subprocess.CompletedProcess([*BRAINBATCH, *map(str, args)], proc.returncode, stdout, stderr))
    return out


def refused_in_one_line(res: subprocess.CompletedProcess) -> bool:
    """Exit 2 with a single ``Error: ...`` line and no traceback."""
    err = res.stderr.strip().splitlines()
    return (res.returncode == 2 and len(err) == 1 and err[0].startswith("Error: ")
            and "Traceback" not in res.stderr + res.stdout)


#: a prefix for the command of a child the tests send Ctrl-C: SIGINT at its default, as in a terminal. A
#: test run started in the background (``make test &``, a non-interactive shell) has SIGINT ignored, and a
#: child inherits that: Python then never raises KeyboardInterrupt, as POSIX asks of it. A small Python
#: resets it and execs the command (same pid), so the test process, where JAX runs threads, never forks
#: to run Python code in the child (a ``preexec_fn`` would: "os.fork() was called ... deadlock").
CTRL_C_AS_IN_A_TERMINAL = [sys.executable, "-c", "import os, signal, sys; signal.signal(signal.SIGINT, "
                           "signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])"]


def start(*args, cwd=None, env_extra=None) -> subprocess.Popen:
    """The ``brainbatch`` command started in a child process (one CPU device), its output piped."""
    env = {**os.environ, "JAX_PLATFORMS": "cpu", **(env_extra or {})}
    env["XLA_FLAGS"] = one_device_xla_flags()
    return subprocess.Popen([*CTRL_C_AS_IN_A_TERMINAL, *BRAINBATCH, *map(str, args)], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def paused(point: str, folder) -> dict[str, str]:
    """The environment that makes a child wait at pause point ``point`` (``name`` or ``name@n``,
    brainbatch/faults.py), with its ``.reached`` and ``.go`` files in ``folder``."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    return {"BRAINBATCH_FAULTS": point, "BRAINBATCH_PAUSE_DIR": str(folder)}


def wait_for_file(path, proc: subprocess.Popen | threading.Thread, limit_s: float = 240) -> None:
    """Until ``path`` exists; a child (or a thread running a sweep in this process) that ends first, or the time
    limit, fails the test, with a child's stderr."""
    import time

    import pytest

    deadline = time.monotonic() + limit_s
    while not Path(path).exists():
        ended = not proc.is_alive() if isinstance(proc, threading.Thread) else proc.poll() is not None
        if ended or time.monotonic() > deadline:
            if isinstance(proc, threading.Thread):
                pytest.fail(f"{Path(path).name} was not reached")
            proc.kill()
            pytest.fail(f"{Path(path).name} was not reached: {proc.communicate()[1][-2000:]}")
        time.sleep(0.02)


def read_stderr_until(proc: subprocess.Popen, text: str) -> str:
    """The child's stderr, line by line, up to the first line holding ``text`` (its handler has run)."""
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if text in line:
            return "".join(seen)
    raise AssertionError(f"{text!r} never came: {''.join(seen)[-2000:]}")
