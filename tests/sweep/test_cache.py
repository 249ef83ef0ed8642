"""Sweeps store compiled programs in JAX's persistent cache, so the next sweep skips compiling."""
import os
import subprocess
import sys

import pytest

from _support import TOY


@pytest.mark.slow  # two processes, each importing JAX and compiling
def test_a_sweep_fills_the_compilation_cache_and_zero_turns_it_off(tmp_path):
    # (and, as these processes are there: a sweep whose model meets no quantity never imports brainunit,
    # ~1 s of CPU: brainbatch/core/units.py)
    code = ("import sys, brainbatch as bb; bb.sweep({toy!r}, seeds=1, duration=50, out={out!r}, progress=False); "
            "assert 'brainunit' not in sys.modules, 'a sweep of a model without quantities imported brainunit'")
    cache, off = tmp_path / "cache", tmp_path / "off"
    from brainbatch.kernels import cache_dir

    on_env = {**os.environ, "BRAINBATCH_JAX_CACHE": str(cache), "BRAINBATCH_JAX_CACHE_MIN_SECS": "0"}
    # the native kernels keep their own cache (already built, not a JAX cache): point it at the usual place
    off_env = {**os.environ, "BRAINBATCH_JAX_CACHE": "0", "HOME": str(off), "XDG_CACHE_HOME": "",
               "BRAINBATCH_CACHE": str(cache_dir().parent)}
    # both processes at once: each spends most of its time importing JAX and compiling, on one core
    procs = [subprocess.Popen([sys.executable, "-c", code.format(toy=TOY, out=str(tmp_path / name))], env=env)
             for name, env in (("a.zarr", on_env), ("b.zarr", off_env))]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    assert any(name.endswith("-cache") for name in os.listdir(cache))
    assert not (off / ".cache" / "brainbatch").exists()
