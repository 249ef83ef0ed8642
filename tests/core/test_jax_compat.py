"""core/jax_compat.py, the one module that reaches into jax._src, against the JAX that pyproject.toml allows."""
import pathlib
import re
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
