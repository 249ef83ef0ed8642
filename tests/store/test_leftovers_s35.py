"""Session 35 leftovers of the store: a coordinate's attributes edited by hand (a time axis's units "ms" -> "s")
read back as the spec says, with a warning, as its damaged labels do."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import zarr

from brainbatch.store import ResultStore, RunIncompleteError, StoreDamagedWarning, open_results


@pytest.mark.parametrize("units", ["s", "days since 2000-01-01"])
def test_open_results_restores_the_spec_attributes_of_an_edited_time_axis(tmp_path, make_spec, units):
    # status exited 1 over the edit (verify_coordinates reported it), but open_results gave time with units='s'
    # (seconds for values in ms) and no word; units with "since" read the axis as dates
    path = tmp_path / "s.zarr"
    ResultStore.create(path, make_spec())
    zarr.open_array(str(path / "time"), mode="r+").attrs["units"] = units
    assert "time" in ResultStore.open(path, "r").verify_coordinates()
    with pytest.warns(StoreDamagedWarning, match=r"coordinate\(s\) \['time'\] of the store do not hold the labels or "
                                                 r"attributes its spec lists"):
        ds = open_results(path)
    assert ds["time"].attrs["units"] == "ms" and ds["time"].attrs["long_name"] == "time"
    assert ds["time"].dtype == np.float64
    np.testing.assert_allclose(ds["time"].values, 0.1 * np.arange(30))  # t0 + i*dt, dt = 0.1 ms
    assert ds["time_every7"].attrs["units"] == "ms"  # the other axis, untouched, as it was


def test_an_intact_store_reads_its_coordinate_attributes_without_a_warning(tmp_path, make_spec):
    path = tmp_path / "s.zarr"
    ResultStore.create(path, make_spec())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ds = open_results(path, states=True)
    assert ds["time"].attrs["units"] == "ms" and ds["seed"].attrs["long_name"] == "random seed of the run"
    assert ds["we"].attrs["long_name"] == "swept parameter we"


def test_mark_done_refuses_a_run_nothing_says_is_written(tmp_path, make_spec):
    # a ResultStore object that wrote nothing of a run, no progress recorded (checkpoint/steps_done 0): mark_done
    # marked it done, and every reader took its fill values for results
    path = tmp_path / "s.zarr"
    ResultStore.create(path, make_spec())
    other = ResultStore.open(path)
    run = other.run_index(seed=0, we=0.4)
    with pytest.raises(RunIncompleteError, match=r"run seed=0, we=0.4 is not done: nothing says its records are "
                                                 r"written .*set_steps_done\(run, 30\) or pass mark_done\(run, steps=30\)"):
        other.mark_done(run)
    assert other.status_of(run) == "pending" and not open_results(path)["done"].any()
    other.set_steps_done(run, 30)  # as the message says: the progress record vouches for the records
    other.mark_done(run)
    other.mark_done((1, 1), steps=30)  # or the caller's word
    assert ResultStore.open(path, "r").counts()["done"] == 2
