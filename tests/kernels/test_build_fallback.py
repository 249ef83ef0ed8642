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
    backend = k.active_backend()
    out = k.event_sum(jnp.array([True, False, True]), jnp.array([[0, 1], [1, 2], [2, 9]], jnp.int32), 3)
    again = k.active_backend()
msgs = [str(w.message) for w in caught if issubclass(w.category, k.NativeKernelWarning)]
print(json.dumps({"backend": backend, "again": again, "out": out.tolist(), "warnings": msgs}))
"""


def _run(env_extra, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "BRAINBATCH_KERNELS"}
    env.update({"BRAINBATCH_CACHE": str(tmp_path / "cache"), **env_extra})
    proc = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, env=env, timeout=300)
    return proc


def test_no_compiler_warns_once_and_uses_the_pure_path(tmp_path):
    import json

    proc = _run({"CXX": str(tmp_path / "no-such-compiler")}, tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    assert res["backend"] == res["again"] == "jax"
    assert res["out"] == [1.0, 1.0, 1.0]
    assert len(res["warnings"]) == 1 and "pure-JAX" in res["warnings"][0]
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


def test_the_warning_names_the_users_line_not_the_loader(tmp_path):
    script = tmp_path / "user_script.py"
    script.write_text("import jax.numpy as jnp\n"
                      "import brainbatch.kernels as k\n"
                      "out = k.event_sum(jnp.array([True]), jnp.array([[0]], jnp.int32), 1)  # line 3\n")
    env = {k: v for k, v in os.environ.items() if k != "BRAINBATCH_KERNELS"}
    env.update({"BRAINBATCH_CACHE": str(tmp_path / "cache"), "CXX": str(tmp_path / "no-such-compiler")})
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert f"{script}:3: NativeKernelWarning" in proc.stderr, proc.stderr[-2000:]
    assert "_build.py" not in proc.stderr and "_select.py" not in proc.stderr
