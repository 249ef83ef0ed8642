"""store/_zarr_compat.py, the one module that reaches below zarr-python's public API, against the zarr
that pyproject.toml allows."""
import asyncio
import pathlib
import re
import tomllib

import numpy as np
import zarr

from brainbatch.store import _zarr_compat

PYPROJECT = pathlib.Path(__file__).resolve().parents[2] / "pyproject.toml"


def _version(text):
    return tuple(int(p) for p in re.match(r"[\d.]+", text).group(0).rstrip(".").split("."))


def test_the_installed_zarr_is_within_pyprojects_tested_bounds():
    spec = next(d for d in tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"] if d.startswith("zarr"))
    low, high = re.search(r">=([\d.]+)", spec).group(1), re.search(r"<([\d.]+)", spec)
    assert high, f"{spec!r}: give a tested upper bound (<X.Y)"
    assert _version(low) <= _version(zarr.__version__) < _version(high.group(1)), (zarr.__version__, spec)


def test_raw_keys_round_trip_and_arrays_are_written_together(tmp_path):
    root = zarr.open_group(str(tmp_path / "g.zarr"), mode="w", zarr_format=3)
    a = root.create_array("a", shape=(2, 3), dtype="float32", chunks=(1, 3), fill_value=0)
    b = root.create_array("b", shape=(2,), dtype="int64", chunks=(1,), fill_value=0)
    _zarr_compat.put_bytes(root, "note", b"hello")
    assert _zarr_compat.get_bytes(root, "note") == b"hello"
    assert b'"zarr_format": 3' in _zarr_compat.get_bytes(root, "a/zarr.json")

    targets = [_zarr_compat.async_array(x) for x in (a, b)]
    assert all(t is not None for t in targets)  # else the store writes a run's states one by one

    async def both():
        await asyncio.gather(targets[0].setitem((1,), np.ones(3, "float32")), targets[1].setitem((1,), 7))

    _zarr_compat.run(both())
    np.testing.assert_array_equal(a[1], np.ones(3, "float32"))
    assert b[1] == 7
