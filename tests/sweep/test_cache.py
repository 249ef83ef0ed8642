"""Sweeps store compiled programs in JAX's persistent cache, so the next sweep skips compiling."""
import os
import subprocess
import sys

from _support import TOY


def test_a_sweep_fills_the_compilation_cache_and_zero_turns_it_off(tmp_path):
    code = ("import brainbatch as bb; bb.sweep({toy!r}, seeds=1, duration=50, out={out!r}, progress=False)")
    cache = tmp_path / "cache"
    env = {**os.environ, "BRAINBATCH_JAX_CACHE": str(cache), "BRAINBATCH_JAX_CACHE_MIN_SECS": "0"}
    subprocess.run([sys.executable, "-c", code.format(toy=TOY, out=str(tmp_path / "a.zarr"))], env=env, check=True)
    assert any(name.endswith("-cache") for name in os.listdir(cache))

    off = tmp_path / "off"
    from brainbatch.kernels import cache_dir

    # the native kernels keep their own cache (already built, not a JAX cache): point it at the usual place
    env = {**os.environ, "BRAINBATCH_JAX_CACHE": "0", "HOME": str(off), "BRAINBATCH_CACHE": str(cache_dir().parent)}
    subprocess.run([sys.executable, "-c", code.format(toy=TOY, out=str(tmp_path / "b.zarr"))], env=env, check=True)
    assert not (off / ".cache" / "brainbatch").exists()
