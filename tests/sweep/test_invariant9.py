"""Ninth audit of "never report a run done that is not": the summary and the interrupt of a sweep whose store was
rebuilt under it, final states whose checksum record is lost, and the ``ds.bb`` accessor on a store opened with
plain ``xarray.open_zarr``."""
import dataclasses

import numpy as np
import pytest
import xarray as xr

import brainbatch as bb
from brainbatch.faults import HOOKS
from brainbatch.store import ResultStore
from brainbatch.sweep.api import prepare
from _support import TOY
from _support import invoke as cli


def _rebuild_with_dt(out, dt):
    """What another sweep's ``--force --dt`` does: the store rebuilt, every run pending, a new generation."""
    spec = ResultStore.open(out).spec
    ResultStore.create(out, dataclasses.replace(spec, dt=dt), force=True)


def test_a_sweep_whose_store_is_rebuilt_under_it_counts_no_run_of_the_old_store_as_already_done(tmp_path):
    # two runs done, then the same sweep with a second seed; another sweep rebuilds the store as the first new run
    # is about to be marked done. The summary said "2 already done" of a store where every run is pending
    out = tmp_path / "s.zarr"
    kw = dict(duration=5, params={"drive": [1.2, 1.5]}, out=str(out), devices="cpu", progress=False)
    bb.sweep(TOY, seeds=1, **kw)

    def rebuild_once():
        HOOKS.pop("before-done")
        _rebuild_with_dt(out, 0.05)

    said: list[str] = []
    HOOKS["before-done"] = rebuild_once
    try:
        res = bb.sweep(TOY, seeds=2, echo=said.append, **kw)
    finally:
        HOOKS.pop("before-done", None)
    assert set(ResultStore.open(out, "r").status().ravel()) == {"pending"}
    assert (res.done, res.failed, res.skipped, res.unfinished) == (0, [], 0, 4), said
    assert "of the 2 run(s) already done when this sweep started, 2 are not done in the rebuilt store" in "\n".join(said)


def test_an_interrupted_sweep_whose_store_was_rebuilt_says_so_not_that_its_runs_are_kept(tmp_path):
    # the note on Ctrl-C said "every finished run is kept in <store>": after a rebuild, none is
    out = tmp_path / "i.zarr"
    kw = dict(duration=5, seeds=1, params={"drive": [1.2]}, out=str(out), devices="cpu", progress=False)

    def stop(rebuild):
        def hook():
            if rebuild:
                _rebuild_with_dt(out, 0.05)
            raise KeyboardInterrupt("stopped on request")
        return hook

    for rebuild in (False, True):
        HOOKS["run"] = stop(rebuild)
        try:
            with pytest.raises(KeyboardInterrupt) as stopped:
                bb.sweep(TOY, **kw)
        finally:
            del HOOKS["run"]
        assert stopped.value.brainbatch.get("rebuilt", False) is rebuild and stopped.value.brainbatch["store"] == str(out)


def test_a_done_run_whose_final_state_checksum_chunk_is_lost_is_damaged_for_every_reader(tmp_path):
    # one run's chunk of checkpoint/slot_crc deleted (reads 0: "not recorded"): load_state refused its final state,
    # status --verify listed it, yet plain status, open_results and the sweep called it done
    out = tmp_path / "c.zarr"
    kw = dict(seeds=1, params={"drive": [1.2, 1.5]}, duration=5, out=str(out), progress=False)
    bb.sweep(TOY, **kw)
    before = bb.open_results(out).V.values
    store = ResultStore.open(out, "r")
    idx = store.run_index(seed=0, drive=1.5)
    chunk = out / "checkpoint" / "slot_crc" / "c" / "/".join(map(str, (*idx, 0)))
    assert chunk.is_file()
    chunk.unlink()
    with pytest.raises(bb.store.StoreDamagedError):
        bb.load_state(out, seed=0, drive=1.5)
    why = "its final state (states/): its checksum (checkpoint/slot_crc) is missing or unreadable"
    assert list(ResultStore.open(out, "r").verify(full=False)) == [idx]
    res = cli("status", out)
    assert res.returncode == 1 and f"seed=0, drive=1.5: {why}" in res.stdout, res.stdout
    with pytest.warns(bb.store.StoreDamagedWarning):
        assert bb.open_results(out).done.values.tolist() == [[True, False]]
    again = bb.sweep(TOY, **kw)  # exactly that run again, to the same numbers
    assert (again.done, again.skipped) == (1, 1)
    np.testing.assert_array_equal(bb.open_results(out).V.values, before)
    assert bb.load_state(out, seed=0, drive=1.5)


def test_the_accessor_on_a_store_opened_with_plain_xarray_never_counts_a_pending_run_as_silent(tmp_path):
    # xr.open_zarr gives no 'done' variable: ds.bb summed the never-written (all False) raster of a pending run
    # into a rate of 0 Hz, as if the run had finished silent
    out = tmp_path / "x.zarr"
    kw = dict(params={"drive": [1.5]}, duration=5, out=str(out), progress=False)
    bb.sweep(TOY, seeds=1, **kw)
    prepare(TOY, seeds=2, **{k: v for k, v in kw.items() if k != "progress"})  # seed 1 added, pending
    ds = xr.open_zarr(out)
    assert ds.status.values.tolist() == [[2], [0]]
    for summary in (ds.bb.rates("spikes", dim="G_neuron"), ds.bb.mean_rate(), ds.bb.psth(1.0, "spikes")):
        values = summary.transpose("seed", ...).values
        assert np.isfinite(values[0]).all() and np.isnan(values[1]).all(), summary
    np.testing.assert_array_equal(ds.bb.rates("spikes", dim="G_neuron").values,
                                  bb.open_results(out).bb.rates("spikes", dim="G_neuron").values)
    assert "done" not in ds  # the user's dataset is left as it was
