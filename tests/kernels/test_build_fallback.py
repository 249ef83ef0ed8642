"""Where no compiler exists, brainbatch warns once and runs the pure-JAX path with the same counts."""
import os
import subprocess
import sys

import pytest

CODE = r"""
import warnings, json, sys
import jax.numpy as jnp
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import brainbatch.kernels as k
    out = k.event_sum(jnp.array([True, False, True]), jnp.array([[0, 1], [1, 2], [2, 9]], jnp.int32), 3)  # line 7
    backend = k.active_backend()
    again = k.active_backend()
msgs = [(str(w.message), w.filename, w.lineno) for w in caught if issubclass(w.category, k.NativeKernelWarning)]
print(json.dumps({"backend": backend, "again": again, "out": out.tolist(), "warnings": msgs}))
"""
#: the line of CODE whose kernel call (the first use, reached through JAX's tracing) loads the library
FIRST_USE_LINE = 7


def _run(env_extra, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "BRAINBATCH_KERNELS"}
    env.update({"BRAINBATCH_CACHE": str(tmp_path / "cache"), **env_extra})
    script = tmp_path / "user_script.py"  # CODE as the user's own script: the warning names its line
    script.write_text(CODE)
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300)
    return proc


@pytest.fixture(scope="module")
def without_compiler(tmp_path_factory):
    """CODE run once where no compiler exists; what it printed, and its script (one process serves the
    two tests below: each imports JAX and traces the kernel, the costly part)."""
    tmp_path = tmp_path_factory.mktemp("no-compiler")
    return _run({"CXX": str(tmp_path / "no-such-compiler")}, tmp_path), tmp_path


def test_no_compiler_warns_once_and_uses_the_pure_path(without_compiler):
    import json

    proc, tmp_path = without_compiler
    assert proc.returncode == 0, proc.stderr[-2000:]
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    assert res["backend"] == res["again"] == "jax"
    assert res["out"] == [1.0, 1.0, 1.0]
    assert len(res["warnings"]) == 1 and "pure-JAX" in res["warnings"][0][0]
    assert not list((tmp_path / "cache").rglob("*.so"))


def test_forcing_native_without_a_compiler_is_a_clear_error(tmp_path):
    proc = _run({"CXX": str(tmp_path / "no-such-compiler"), "BRAINBATCH_KERNELS": "native"}, tmp_path)
    assert proc.returncode != 0
    assert "BRAINBATCH_KERNELS=native" in proc.stderr and "could not be built" in proc.stderr


@pytest.mark.slow  # compiles the C++ kernel
def test_a_fresh_cache_builds_the_library_and_uses_it_and_the_build_command_finds_it(tmp_path):
    import json

    proc = _run({}, tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    assert res["backend"] == "native" and res["warnings"] == []
    assert res["out"] == [1.0, 1.0, 1.0]
    built = list((tmp_path / "cache" / "kernels").glob("bbevent-*.so"))
    assert built
    # `python -m brainbatch.kernels` (make setup) on the same cache: reports the library, builds nothing new
    env = {**os.environ, "BRAINBATCH_CACHE": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-m", "brainbatch.kernels"], capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0 and "native CPU kernels ready" in proc.stdout
    assert list((tmp_path / "cache" / "kernels").glob("bbevent-*.so")) == built


def test_the_warning_names_the_users_line_not_the_loader(without_compiler):
    import json

    proc, tmp_path = without_compiler
    assert proc.returncode == 0, proc.stderr[-2000:]
    [(message, filename, lineno)] = json.loads(proc.stdout.strip().splitlines()[-1])["warnings"]
    # where the warning points: the user's kernel call, not brainbatch's loader (_build.py, _select.py)
    assert (filename, lineno) == (str(tmp_path / "user_script.py"), FIRST_USE_LINE), (filename, lineno)
    # and how Python shows it: file:line: NativeKernelWarning (never printed here: it was recorded)
    import warnings

    from brainbatch.kernels import NativeKernelWarning

    shown = warnings.formatwarning(message, NativeKernelWarning, filename, lineno)
    assert shown.startswith(f"{tmp_path / 'user_script.py'}:{FIRST_USE_LINE}: NativeKernelWarning"), shown
