"""The low items of issue 19 (item 17) that a store alone shows: status of a store whose spec lists more
runs than its arrays, an unknown status code, negative progress, a symlinked chunk folder."""
import dataclasses
import json
import os
import shutil

import pytest
import zarr
from click.testing import CliRunner

from brainbatch.cli import main
from brainbatch.store import ResultStore, StoreError


def test_a_spec_with_more_seeds_than_the_arrays_is_a_damaged_store(tmp_path, spec):
    path = tmp_path / "s.zarr"
    ResultStore.create(path, spec)
    meta = json.loads((path / "zarr.json").read_text())
    meta["attributes"]["spec"]["seeds"] = [0, 1, 2]
    (path / "zarr.json").write_text(json.dumps(meta))
    res = CliRunner().invoke(main, ["status", str(path)])
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    assert "damaged brainbatch store: its spec lists (3, 2) runs" in res.output and "holds (2, 2)" in res.output


def test_unknown_status_codes_and_negative_progress(tmp_path, spec, worker):
    path = tmp_path / "s.zarr"
    store = ResultStore.create(path, spec)
    worker["write_run"](store, store.runs()[0])
    root = zarr.open_group(str(path), mode="r+")
    root["status"][1, 0] = 99
    root["checkpoint/steps_done"][1, 1] = -50
    store = ResultStore.open(path)
    assert store.status()[1, 0] == "pending" and store.status_of((1, 0)) == "pending"
    assert store.unreadable == {(1, 0): "unknown status code 99"}
    assert store.steps_done()[1, 1] == 0
    res = CliRunner().invoke(main, ["status", str(path)])
    assert res.exit_code == 0, res.output
    assert "failed        0" in res.output and "(no message)" not in res.output
    assert "unknown status code 99" in res.output and "-" not in res.output.split("steps", 1)[1].split("\n")[0]


@pytest.mark.parametrize("folder", ["0", "1/1"])
def test_a_symlinked_chunk_folder_is_refused(tmp_path, spec, worker, folder):
    # 1/1: a link off the one chain of chunk folders whose permissions are checked was not looked at (fourth
    # store audit, left item), and a resize deleting chunks through it deletes files outside the store
    path = tmp_path / "s.zarr"
    store = ResultStore.create(path, spec)
    for run in store.runs():
        worker["write_run"](store, run)  # the chunk folders of both seeds exist
    outside = tmp_path / "outside"
    chunks = path / "E.V" / "c" / folder
    shutil.move(str(chunks), str(outside))
    os.symlink(outside, chunks)
    with pytest.raises(StoreError, match=r"is a symbolic link .*chunks would be written outside the store"):
        ResultStore.create(path, dataclasses.replace(spec, seeds=[0, 1, 2]))
    assert ResultStore.open(path).spec.seeds == [0, 1]
