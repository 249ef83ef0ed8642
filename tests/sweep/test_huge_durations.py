"""Durations far beyond what a store can hold are refused before anything is allocated; a long time
axis is written in chunks; the dry run warns about a store larger than its disk (issue 19, item 13)."""
import shutil

import numpy as np
import zarr
from _support import TOY, tree
from click.testing import CliRunner

from brainbatch.cli import main
from brainbatch.store import ResultStore, StoreSpec, VarSpec
from brainbatch.store._layout import TIME_COORD_CHUNK


def test_an_impossible_duration_is_refused_in_one_line(in_tmp):
    for extra in ([], ["--dry-run"]):
        res = CliRunner().invoke(main, ["sweep", TOY, "--duration", "1e12", "--out", "s.zarr", *extra])
        assert res.exit_code == 2 and "Traceback" not in res.output, res.output
        assert "--duration 1e+12 ms at dt 0.1 ms is 1e+13 steps, more than a store's time axis holds" in res.output
        assert len(res.output.strip().splitlines()) == 1 and tree(in_tmp) == []


def test_the_dry_run_warns_about_a_store_larger_than_its_disk(in_tmp):
    free = shutil.disk_usage(in_tmp).free
    steps = free // 50  # the toy writes 100 B per step (20 spikes, 20 float32 V): about twice the free space
    res = CliRunner().invoke(main, ["sweep", TOY, "--duration", str(steps / 10), "--out", "s.zarr", "--dry-run",
                                    "-p", "drive=1.5"])
    assert res.exit_code == 0, res.output
    assert "warning     the store may take up to" in res.output and "more than the" in res.output
    assert tree(in_tmp) == []


def test_a_long_time_axis_is_chunked_and_exact(tmp_path):
    n = 2 * TIME_COORD_CHUNK + 5
    spec = StoreSpec("x", "a" * 64, {}, [0], n_steps=n, dt=0.1, time_chunk=n,
                     records=(VarSpec("E.spike", ("E_neuron",), (2,), "bool"),
                              VarSpec("E.V", ("E_neuron",), (2,), "float32", every=7)))
    ResultStore.create(tmp_path / "s.zarr", spec)
    root = zarr.open_group(str(tmp_path / "s.zarr"), mode="r")
    assert root["time"].chunks == (TIME_COORD_CHUNK,) and root["time"].shape == (n,)
    np.testing.assert_allclose(root["time"][-3:], np.arange(n - 3, n) / 10, rtol=1e-15)
    assert root["time_every7"].shape == (-(-n // 7),)
    np.testing.assert_allclose(root["time_every7"][-1:], [(-(-n // 7) - 1) * 7 / 10], rtol=1e-15)
    # the same spec again leaves the coordinate alone; more steps extend it
    before = (tmp_path / "s.zarr" / "time" / "zarr.json").stat().st_mtime_ns
    ResultStore.create(tmp_path / "s.zarr", spec)
    assert (tmp_path / "s.zarr" / "time" / "zarr.json").stat().st_mtime_ns == before
    import dataclasses

    ResultStore.create(tmp_path / "s.zarr", dataclasses.replace(spec, n_steps=n + 10))
    root = zarr.open_group(str(tmp_path / "s.zarr"), mode="r")
    np.testing.assert_allclose(root["time"][-2:], np.arange(n + 8, n + 10) / 10, rtol=1e-15)
