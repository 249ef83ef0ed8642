"""Test configuration for ``tests/`` and the docstring examples under ``brainbatch/`` (run by
``--doctest-modules``): two host CPU devices for JAX, a fresh compilation cache, dt restored.

XLA_FLAGS must be set before jax is imported anywhere, hence at the top of the root conftest, which
pytest loads before it imports any test module or any module of the package.
"""
import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")
_flags = os.environ.get("XLA_FLAGS", "")
if "xla_force_host_platform_device_count" not in _flags:
    _flags += " --xla_force_host_platform_device_count=2"
# The tests compile thousands of tiny programs, so two XLA options make them compile for less CPU (both are
# passed on to the tests' CLI children by _support.one_device_xla_flags; brainbatch itself keeps XLA's defaults):
# - XLA's older CPU emitters instead of its fusion emitters: a third less CPU per tiny program (the suite took
#   456-564 s against 682 s on the 2-core machine), but large loops run up to 3x slower. Not bit for bit the same
#   everywhere: every state of a COBA network over 2000 steps is, but an HH group's V, m, h and n differ in the
#   last bit in about 1 % of their samples over 100 ms. So a bitwise check between this process and a dask
#   worker (which compiles with XLA's defaults: the executor clears XLA_FLAGS) must use a model without HH's
#   gates, as the suite's do.
# - LLVM at optimisation level 1 instead of 2 (the level brainbatch gives its init programs, run/programs.py):
#   about 30 % less CPU on the compile-heavy files (141 -> 98 s for six of them) and 13 % less compile time
#   over the suite, while the steps of big runs slow by 10-40 %. The same numbers bit for bit: every record of
#   the example experiments (200 ms, 2 seeds) and of an HH + LIF network over 2000 steps.
if "xla_cpu_use_fusion_emitters" not in _flags:
    _flags += " --xla_cpu_use_fusion_emitters=false"
if "xla_backend_optimization_level" not in _flags:
    _flags += " --xla_backend_optimization_level=1"
os.environ["XLA_FLAGS"] = _flags.strip()
os.environ.setdefault("MPLBACKEND", "Agg")
# Sweeps use JAX's persistent compilation cache; tests get their own, fresh for each session, so a
# warm cache in the user's home never changes what the tests see. The process that makes it (pytest
# itself, or the controller under pytest-xdist) removes it at the end; xdist's workers and the CLI
# processes tests start inherit the variable and share it (JAX writes each entry once, and a torn
# read only costs a compile).
_OWN_JAX_CACHE = None
if "BRAINBATCH_JAX_CACHE" not in os.environ:
    import tempfile

    _OWN_JAX_CACHE = os.environ["BRAINBATCH_JAX_CACHE"] = tempfile.mkdtemp(prefix="brainbatch-jax-cache-")
    # ...keeping every program there, however fast it compiled (brainbatch keeps only those >= 0.5 s by
    # default): the CLI processes, spawned dask workers and `python -c` children of the tests compile the
    # same small models again, and read them back instead. A small gain (a toy's compile is ~0.3 s of a
    # child's ~7 s CPU, most of it imports): 0.4-0.6 s CPU per subprocess-heavy file in paired runs; the
    # tests in this process neither gain nor lose. tests/sweep/test_cache.py sets its own threshold.
    os.environ.setdefault("BRAINBATCH_JAX_CACHE_MIN_SECS", "0")

import pytest  # noqa: E402

# `python -m brainbatch` and `python -m brainbatch.kernels` run a command when imported
collect_ignore = ["brainbatch/__main__.py", "brainbatch/kernels/__main__.py"]


@pytest.fixture(scope="module")
def compile_cache():
    """JAX's persistent compilation cache on for a module whose tests build the same model in fresh runners
    (each compiles its programs again; the cache serves the repeats, as in sweeps: brainbatch.sweep.cache,
    with this session's folder and threshold above). Only where a compiled program comes from changes,
    not what runs. As after a sweep's test, the cache stays on for the rest of the process. Use it with
    ``pytestmark = pytest.mark.usefixtures("compile_cache")``."""
    from brainbatch.sweep.cache import enable_compile_cache

    enable_compile_cache()


@pytest.fixture(autouse=True)
def _restore_dt():
    """Tests that change the global default dt get it restored."""
    try:
        import brainbatch as bb
    except Exception:  # noqa: BLE001 - the package may not import in layer-only tests
        yield
        return
    dt = bb.get_dt()
    yield
    bb.set_dt(dt)


def pytest_collection_modifyitems(config, items):
    """The files holding tests marked slow first (in their order; the rest keep theirs), so the two
    xdist workers of ``make test`` (``--dist loadfile``) do not end waiting on one long file."""
    heavy = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in heavy)


def pytest_collection_finish(session):
    """Python's cyclic garbage collector walks every object a test process holds, and a process that has
    imported JAX, xarray and the collected tests holds millions: full collections took 5-11 s of each
    xdist worker's CPU. What exists after collection lives to the end, so it is set aside (gc.freeze) and
    full collections come ten times less often. Cycles are still collected; tests that check an object is
    released call gc.collect() themselves."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(1000, 20, 100)


def pytest_unconfigure(config):
    if _OWN_JAX_CACHE is not None:
        import shutil

        shutil.rmtree(_OWN_JAX_CACHE, ignore_errors=True)
