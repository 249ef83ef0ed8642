"""A saved state holds its step indices (the step of a neuron's last spike) counted from the step it was saved at,
as a model holds them between runs: a run extended in time, and a model a stored state is loaded into, go on with
the refractory periods under way as one run does."""
import numpy as np

import brainbatch as bb
from brainbatch.run import Runner

from _support import EXPERIMENTS

EXP = str(EXPERIMENTS / "refractory.py")


def test_extended_runs_and_loaded_states_keep_the_refractory_periods_under_way(tmp_path):
    kw = dict(seeds=1, progress=False)
    short, whole = str(tmp_path / "short.zarr"), str(tmp_path / "whole.zarr")
    bb.sweep(EXP, out=short, **kw)
    loaded = bb.load_state(short, seed=0, drive=2.5)
    # spiked in steps 268 (drive 1.5) and 253 (2.5) of 270: k steps before the end is -k
    assert np.asarray(bb.load_state(short, seed=0, drive=1.5)["E.i_last_spike"]).tolist() == [-2, -2]
    assert np.asarray(loaded["E.i_last_spike"]).tolist() == [-17, -17]
    bb.sweep(EXP, out=short, duration=57.0, **kw)  # extended: goes on from the saved state at step 270
    bb.sweep(EXP, out=whole, duration=57.0, **kw)
    a, b = bb.open_results(short), bb.open_results(whole)
    assert int(b.spikes.sum()) >= 8
    for name in ("spikes", "V"):
        np.testing.assert_array_equal(a[name].values, b[name].values)
    # a stored state in a model no runner ran: a new Runner, counting from 0, goes on as the sweep did
    model = bb.Network(E=bb.LifRef(2, V_rest=0.0, V_reset=0.0, V_th=1.0, tau=10.0, tau_ref=5.0, I_bias=2.5))
    model.load_state_dict(loaded)
    out = Runner(model, monitors={"V": "E.V", "spikes": "E.spike"}, dt=0.1, progress_bar=False).run(30.0)
    later = b.sel(seed=0, drive=2.5).isel(time=slice(270, None))
    for name in ("spikes", "V"):
        np.testing.assert_array_equal(out[name], later[name].values)


def test_a_store_written_before_saved_states_counted_from_their_step_keeps_its_count(tmp_path):
    # A store from before (no root attribute step_indices, no checkpoint/slot_crc) holds i_last_spike counted
    # from its run's step 0: resumed or extended, its states are read and saved in that count, so the
    # extended runs go on as one run; bb.load_state hands them back as stored, and says which count they are in.
    import shutil

    import pytest
    import zarr

    kw = dict(seeds=1, progress=False)
    old, whole = tmp_path / "old.zarr", str(tmp_path / "whole.zarr")
    bb.sweep(EXP, out=str(old), **kw)
    root = zarr.open_group(str(old), mode="r+", use_consolidated=False)
    assert root.attrs["step_indices"] == "counted from the step the state was saved at"
    # a store from before also says no state_checksum rule (those came after slot_crc)
    old_keys = ("step_indices", "state_checksum", "store_id", "sources_seen")
    root.attrs.put({k: v for k, v in root.attrs.asdict().items() if k not in old_keys})
    shutil.rmtree(old / "checkpoint" / "slot_crc")
    saved = root["states/E.i_last_spike"]
    saved[...] = np.asarray(saved[...]) + 270  # the older count: steps 268 and 253 of 270
    with pytest.warns(bb.store.StoreFormatWarning, match="counted from the run's step 0"):
        assert np.asarray(bb.load_state(str(old), seed=0, drive=2.5)["E.i_last_spike"]).tolist() == [253, 253]
    bb.sweep(EXP, out=str(old), duration=57.0, **kw)
    bb.sweep(EXP, out=whole, duration=57.0, **kw)
    a, b = bb.open_results(str(old)), bb.open_results(whole)
    for name in ("spikes", "V"):
        np.testing.assert_array_equal(a[name].values, b[name].values)
    assert "step_indices" not in zarr.open_group(str(old), mode="r", use_consolidated=False).attrs
    with pytest.warns(bb.store.StoreFormatWarning):
        final = bb.load_state(str(old), seed=0, drive=2.5)["E.i_last_spike"]
    np.testing.assert_array_equal(final, np.asarray(bb.load_state(whole, seed=0, drive=2.5)["E.i_last_spike"]) + 570)


def test_runs_whose_models_lack_some_of_the_sweeps_states_are_done_and_go_on(tmp_path):
    # ref=0 builds LIF, which has no i_last_spike: its runs wrote no chunk of that state, so each done run read as
    # damaged (a chunk missing) and every --verify sweep ran it again; an extension restarted it from step 0
    exp = str(EXPERIMENTS / "model_choice.py")
    out, whole = str(tmp_path / "s.zarr"), str(tmp_path / "whole.zarr")
    bb.sweep(exp, out=out, seeds=1, progress=False)
    from brainbatch.store import ResultStore

    assert ResultStore.open(out, "r").verify(full=True) == {}
    lif = bb.load_state(out, seed=0, ref=0.0)
    assert lif["E.i_last_spike"].tolist() == [0, 0]  # the fill value: LIF has no such state
    bb.sweep(exp, out=out, seeds=1, duration=30.0, progress=False)
    bb.sweep(exp, out=whole, seeds=1, duration=30.0, progress=False)
    a, b = bb.open_results(out), bb.open_results(whole)
    assert bool(a.done.all())
    np.testing.assert_array_equal(a.spikes.values, b.spikes.values)
