"""An array someone added to a store (brainbatch keeps it) whose dims do not fit the store's data: the store
still reads, without it, and says so in one line; it is not called damaged."""
import numpy as np
import pytest
import zarr
from _support import TOY, cli, invoke

import brainbatch as bb
from brainbatch.store import ForeignArraysWarning


def test_a_foreign_array_with_a_conflicting_dim_is_left_out_by_name_not_called_damage(tmp_path):
    out = tmp_path / "s.zarr"
    bb.sweep(TOY, seeds=2, params={"drive": [1.5]}, duration=2, out=str(out), progress=False)
    notes = zarr.open_group(str(out), mode="a").create_array("my_notes", shape=(5,), dtype="f4",
                                                             dimension_names=("seed",))
    notes[...] = np.arange(5)
    with pytest.warns(ForeignArraysWarning, match=r"left out the array\(s\) \['my_notes'\], which brainbatch "
                                                   r"did not write and whose dims do not fit"):
        ds = bb.open_results(out)
    assert "my_notes" not in ds and bool(ds.done.all()) and ds.sizes["seed"] == 2
    shown = cli("show", out)  # a process of its own: the warning printed as a user sees it
    assert shown.returncode == 0, shown.stderr
    assert shown.stderr.startswith("warning: ") and "'my_notes'" in shown.stderr and ".py:" not in shown.stderr
    assert invoke("status", out, "--verify").returncode == 0
    assert zarr.open_group(str(out), mode="r", use_consolidated=False)["my_notes"][...].tolist() == [0, 1, 2, 3, 4]  # kept


def test_a_foreign_array_without_dimension_names_is_left_out_too(tmp_path):
    """An array made with plain zarr has no ``dimension_names``: xarray's ``drop_variables`` reads every array's
    dims first, so the whole store was "damaged: xarray cannot open it", and the advice to sweep again did not
    help (the sweep rightly keeps the array)."""
    out = tmp_path / "s.zarr"
    bb.sweep(TOY, seeds=1, params={"drive": [1.5]}, duration=2, out=str(out), progress=False)
    zarr.open_group(str(out), mode="a").create_array("mine", shape=(3,), dtype="f4")[...] = np.arange(3)
    with pytest.warns(ForeignArraysWarning, match=r"left out the array\(s\) \['mine'\]"):
        ds = bb.open_results(out)
    assert "mine" not in ds and bool(ds.done.all())
    shown = cli("show", out)
    assert shown.returncode == 0 and "'mine'" in shown.stderr and "damaged" not in shown.stderr, shown.stderr
    assert invoke("status", out, "--verify").returncode == 0
    assert zarr.open_group(str(out), mode="r", use_consolidated=False)["mine"][...].tolist() == [0, 1, 2]  # kept
