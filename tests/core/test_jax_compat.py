"""core/jax_compat.py, the one module that reaches into jax._src, against the JAX that pyproject.toml allows."""
import os
import pathlib
import re
import subprocess
import sys
import tomllib

import jax

from brainbatch.core import jax_compat

PYPROJECT = pathlib.Path(__file__).resolve().parents[2] / "pyproject.toml"


def bounds(package: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """``(low, high)`` of ``package>=low,<high`` in pyproject.toml's dependencies."""
    deps = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    spec = next(d for d in deps if re.match(rf"{package}\b", d))
    low, high = re.search(r">=([\d.]+)", spec), re.search(r"<([\d.]+)", spec)
    assert low and high, f"{spec!r}: give a tested upper bound (<X.Y)"
    return jax_compat._version(low.group(1)), jax_compat._version(high.group(1))


def test_the_tested_range_is_the_one_pyproject_allows_and_holds_the_installed_jax():
    assert bounds("jax") == jax_compat.TESTED_JAX
    assert jax_compat.version_tested(), f"JAX {jax.__version__} is outside {jax_compat.TESTED_JAX}"


def test_the_internals_are_where_jax_compat_expects_them():
    jax.devices()  # the backend exists from here on
    assert jax_compat.backend_started() is True
    # too late to wrap the CPU factory: refused, and JAX is left alone (no exception)
    assert jax_compat.wrap_cpu_backend_factory(lambda make: make) is False
    from jax._src import xla_bridge  # the names the module reads: present in the JAX pyproject allows

    assert "cpu" in xla_bridge._backend_factories and hasattr(xla_bridge._backend_factories["cpu"], "factory")


def test_trace_state_clean_tells_a_trace_from_eager_code():
    seen = []
    jax.jit(lambda x: seen.append(jax_compat.trace_state_clean()) or x)(1.0)
    assert jax_compat.trace_state_clean() is True and seen == [False]


def test_the_cache_key_function_has_the_signature_the_patch_expects():
    from jax._src import cache_key

    fn = getattr(cache_key._hash_serialized_compile_options, "__wrapped__", cache_key._hash_serialized_compile_options)
    assert fn.__code__.co_varnames[:3] == ("hash_obj", "compile_options_obj", "strip_device_assignment")


GATE = """
import importlib.util, os, sys
spec = importlib.util.spec_from_file_location("jc", sys.argv[1])  # alone: brainbatch.core would patch at import
jc = importlib.util.module_from_spec(spec); spec.loader.exec_module(jc)
from jax._src import xla_bridge
before = xla_bridge._backend_factories["cpu"]
jc.TESTED_JAX = ((0, 0), (0, 1))                      # an installed JAX outside the tested range
print("untested:", jc.wrap_cpu_backend_factory(lambda make: make), xla_bridge._backend_factories["cpu"] is before)
os.environ["BRAINBATCH_INTRA_OP"] = "1"               # turned off: the backend keeps XLA's own splitting
import brainbatch.core as c, jax
jax.devices()
print("intra-op:", c.cpu_threads.split_ops_disabled())
"""


def test_the_cpu_backend_patch_is_version_gated_and_can_be_turned_off():
    # issue 21, item 6: patching JAX's CPU backend factory at import only on a tested JAX, and never
    # with BRAINBATCH_INTRA_OP=1
    env = {k: v for k, v in os.environ.items() if k != "BRAINBATCH_INTRA_OP"}
    out = subprocess.run([sys.executable, "-c", GATE, jax_compat.__file__], capture_output=True, text=True,
                         timeout=120, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "untested: False True" in out.stdout and "intra-op: False" in out.stdout, out.stdout


def test_the_threefry_lowering_is_installed_once_by_the_models_layer():
    import brainbatch.models  # noqa: F401 - installs it
    from jax._src.interpreters import mlir
    from jax._src.random import threefry2x32

    entry = mlir._platform_specific_lowerings["cpu"][threefry2x32.threefry2x32_p]
    assert entry.rule is not threefry2x32._threefry2x32_cpu_lowering_rule  # brainbatch's rule is in force
    made = []
    # again: in force already, nothing re-registered and the rule maker not called
    assert jax_compat.replace_threefry_cpu_lowering(lambda original: made.append(original) or original) is True
    assert made == [] and mlir._platform_specific_lowerings["cpu"][threefry2x32.threefry2x32_p] is entry


def test_the_random_lowerings_are_installed_once_by_the_models_layer():
    import brainbatch.models  # noqa: F401 - installs them
    from jax._src.interpreters import mlir
    from jax._src.random import prng

    entries = {}
    for primitive, original in ((prng.random_bits_p, prng.random_bits_lowering),
                                (prng.random_split_p, prng.random_split_lowering)):
        entries[primitive] = mlir._platform_specific_lowerings["cpu"][primitive]  # a CPU rule of brainbatch's
        assert mlir._lowerings[primitive].rule is original  # JAX's, for other platforms
    made = []
    assert jax_compat.replace_random_cpu_lowerings(lambda *a: made.append(a), lambda *a: made.append(a),
                                                   lambda: True) is True
    assert made == [] and all(mlir._platform_specific_lowerings["cpu"][p] is e for p, e in entries.items())
