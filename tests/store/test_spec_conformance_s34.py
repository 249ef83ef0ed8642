"""Node names a store may hold, as the Zarr v3 core spec and file systems allow.

The spec (zarr-specs, v3 core, "Node names"): a node name must not be empty, must not include "/", must not be a
string composed only of period characters ("." and ".." but also "..."), and must not start with "__". Each node
is a folder on disk, so a name may not hold NUL (no file system can) nor exceed the 255 bytes most file systems
hold in one file name. A record named "..." was written as a folder "...", which the spec forbids; a name with a NUL
or of 300 bytes crashed the sweep with a traceback (ValueError: embedded null byte / OSError: File name too long)
from inside zarr, after the store's building folder had been made.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
import zarr

from brainbatch.store import ResultStore, StoreError, StoreSpec, VarSpec
from brainbatch.store._spec import MAX_NAME_BYTES

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sweep"))
from _support import TOY, invoke  # noqa: E402


def _spec(record: str = "E.spike", dim: str = "E_neuron", param: str = "rate") -> StoreSpec:
    spikes = VarSpec(record, (dim,), (3,), "bool", kind="spikes")
    return StoreSpec("x", "h", {param: [1.0, 2.0]}, [0], 4, 0.1, records=(spikes,), states=(spikes,))


def _spec_valid(name: str) -> bool:
    """The v3 core spec's node-name rules, and what one folder name can be (from the spec's text, not brainbatch)."""
    return (name != "" and "/" not in name and set(name) != {"."} and not name.startswith("__")
            and "\0" not in name and len(name.encode("utf-8")) <= 255)


@pytest.mark.parametrize("bad", ["...", "....", "a\0b", "é" * 125])
@pytest.mark.parametrize("where", ["record", "dim", "param"])
def test_names_the_spec_or_a_folder_cannot_hold_are_refused(bad, where):
    with pytest.raises(StoreError) as err:
        _spec(**{where: bad})
    message = str(err.value)
    assert "\n" not in message and repr(bad)[:20] in message
    assert ("only dots" in message if set(bad) == {"."} else "NUL" in message if "\0" in bad
            else f"at most {MAX_NAME_BYTES}" in message)


def test_every_node_of_a_store_has_a_spec_valid_name(tmp_path):
    """Names at the edge of what is allowed ('a..b', a dim whose '<dim>_count' is 255 bytes) make a store whose every
    node, walked from the root's zarr.json on disk, has a name the spec allows, and read back with plain zarr."""
    dim = "d" * MAX_NAME_BYTES  # its count coordinate, '<dim>_count', is exactly 255 bytes
    assert len(f"{dim}_count") == 255
    spec = StoreSpec("x", "h", {"n": [2, 3]}, [0], 4, 0.1, extents={dim: [[[2], 2]]},
                     records=(VarSpec("a..b", (dim,), (3,), "float32"),), states=(VarSpec("a..b", (dim,), (3,), "float32"),))
    store = ResultStore.create(tmp_path / "s.zarr", spec)
    root = Path(store.path)
    names = []
    for meta in root.rglob("zarr.json"):
        doc = json.loads(meta.read_bytes(), parse_constant=lambda t: pytest.fail(f"non-JSON {t} in {meta}"))
        assert doc["zarr_format"] == 3 and doc["node_type"] in ("array", "group")
        if meta.parent != root:
            names.append(meta.parent.name)
    assert {"a..b", dim, f"{dim}_count"} <= set(names)
    assert all(_spec_valid(n) for n in names), [n for n in names if not _spec_valid(n)]
    counts = zarr.open_array(root / f"{dim}_count", mode="r")[...]
    assert counts.tolist() == [2, 3]
    assert np.isnan(zarr.open_array(root / "a..b", mode="r")[...]).all()  # no run written: the fill value


def test_the_sweep_refuses_a_record_named_only_dots(tmp_path):
    """`brainbatch sweep` with a monitor named '...' stops in one line (exit 2) and leaves no store, no building
    folder."""
    exp = tmp_path / "dots.py"
    exp.write_text(Path(TOY).read_text().replace('monitors = {"spikes": "G.spike", "V": "G.V"}',
                                                 'monitors = {"...": "G.spike"}'))
    assert '"..."' in exp.read_text()
    out = tmp_path / "out.zarr"
    res = invoke("sweep", exp, "--out", out, "--duration", "1", "-q")
    assert res.returncode == 2, res.stderr
    assert "'...' is not allowed" in res.stderr and "Traceback" not in res.stderr
    assert not out.exists() and not [p for p in tmp_path.iterdir() if "building" in p.name]
