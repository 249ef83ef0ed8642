"""Test configuration: two host CPU devices for JAX, strict warnings.

XLA_FLAGS must be set before jax is imported anywhere, hence at the top of conftest.
"""
import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")
_flags = os.environ.get("XLA_FLAGS", "")
if "xla_force_host_platform_device_count" not in _flags:
    os.environ["XLA_FLAGS"] = (_flags + " --xla_force_host_platform_device_count=2").strip()
os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _restore_dt():
    """Tests that change the global default dt get it restored."""
    try:
        import brainbatch as bb
    except Exception:  # the package may not import in layer-only tests
        yield
        return
    dt = bb.get_dt()
    yield
    bb.set_dt(dt)
