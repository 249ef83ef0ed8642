"""The store's invariant against a hostile user, session 34 (docs/store.md, "When a run is done", "Locks and leases"):

- a store whose extension (more seeds or values) has grown its per-run arrays but not yet its coordinates, because
  the extending sweep is at it right now or was killed there, read as "damaged" by show, plot and open_results
  (xarray's "conflicting sizes"), though the docs promise that readers read the spec's leading block; status called
  the stale consolidated copy of a live extension "damaged" (exit 1);
- a done run whose final state's step record (``checkpoint/slot_step``) was cut short read as done to status and
  open_results, while ``status --verify`` and ``load_state`` refused its state, naming a "mix of two saves";
- two names that differ only in the Unicode form of an accent are one folder on macOS.
"""
import json
import shutil
import time
import warnings

import numpy as np
import pytest
import zarr
from _support import TOY, arrays, invoke

import brainbatch as bb
from brainbatch.faults import HOOKS
from brainbatch.store import ResultStore, StoreDamagedError, StoreError, StoreSpec, VarSpec

ARGS = ("--duration", "5", "--batch-size", "2")


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    out = tmp_path_factory.mktemp("base") / "s.zarr"
    res = invoke("sweep", TOY, "--seeds", "2", "-p", "drive=1.2,1.5", *ARGS, "--out", out)
    assert res.returncode == 0, res.stderr
    return out


@pytest.fixture
def store(base, tmp_path):
    out = tmp_path / "s.zarr"
    shutil.copytree(base, out)
    return out


class _Cut(Exception):
    """The coordinator ends here, as a kill -9 would."""


def _cut_at_first(point):
    def cut():
        HOOKS.pop(point)
        raise _Cut
    HOOKS[point] = cut


def _far_lock(out):
    """``leases/metadata`` held by a live coordinator on another host (a fresh heartbeat)."""
    now = time.time()
    owner = {"host": "far-away-node", "boot": "other-boot", "pid": 4242, "start": "1", "token": "far", "since": now}
    (out / "leases" / "metadata").write_text(json.dumps({"owner": owner, "gen": 0, "since": now, "heartbeat": now}))


def test_a_store_whose_arrays_grew_before_its_coordinates_reads_as_its_spec_runs(store, base):
    _cut_at_first("coord-sized")  # per-run arrays of 4 x 3 runs, the first coordinate sized, none grown yet
    res = invoke("sweep", TOY, "--seeds", "4", "-p", "drive=1.2,1.5,1.8", *ARGS, "--out", store)
    assert res.returncode == 1 and "_Cut" in res.stderr
    assert zarr.open_group(str(store), mode="r", use_consolidated=False)["status"].shape == (4, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no coordinate reads as damaged: their labels for these runs are whole
        ds = bb.open_results(store, states=True)
    assert ds.seed.values.tolist() == [0, 1] and ds.drive.values.tolist() == [1.2, 1.5]
    assert bool(ds.done.all())
    before = arrays(base)
    np.testing.assert_array_equal(ds.V.values, before["V"])
    np.testing.assert_array_equal(ds["states/G.V"].values, before["states/G.V"])
    shown = invoke("show", store)
    assert shown.returncode == 0 and "seed=2, drive=2" in shown.stdout, shown.stderr
    # while a live coordinator holds the metadata lock, the stale summary is no damage (it rewrites it at its end)
    assert invoke("status", store).returncode == 1  # cut off: the copy is stale until the next sweep
    _far_lock(store)
    st = invoke("status", store)
    assert st.returncode == 0 and "damaged" not in st.stdout, st.stdout


def test_a_store_grown_in_time_under_a_live_coordinator_is_busy_not_damaged(store):
    _cut_at_first("layout-arrays")  # records grown to 100 steps, the spec still says 50
    res = invoke("sweep", TOY, "--seeds", "2", "-p", "drive=1.2,1.5", "--duration", "10", "--batch-size", "2",
                 "--out", store)
    assert res.returncode == 1 and "_Cut" in res.stderr
    with pytest.raises(StoreDamagedError, match="was cut off before it finished"):
        bb.open_results(store)
    _far_lock(store)
    with pytest.raises(StoreError, match=r"is being changed by another process \(pid 4242 on far-away-node\) right "
                                         r"now: .* open it again when it is") as err:
        bb.open_results(store)
    assert not isinstance(err.value, StoreDamagedError)


def test_a_final_state_whose_step_record_is_cut_short_is_damaged_for_every_reader(store, base):
    chunk = store / "checkpoint" / "slot_step" / "c" / "0" / "0" / "0"
    chunk.write_bytes(chunk.read_bytes()[:5])
    st = invoke("status", store)  # the cheap check: one small chunk per run, as for the state's checksum
    assert st.returncode == 1 and "damaged       1" in st.stdout
    assert "the step it was saved at (slot 0 of checkpoint/slot_step) cannot be read" in st.stdout
    with pytest.warns(bb.store.StoreDamagedWarning):
        ds = bb.open_results(store)
    assert ds.status.values.tolist() == [["damaged", "done"], ["done", "done"]]


def test_a_final_state_whose_step_record_is_lost_is_named_as_such_and_redone(store, base):
    (store / "checkpoint" / "slot_step" / "c" / "0" / "0" / "0").unlink()
    st = invoke("status", store, "--verify")
    assert st.returncode == 1
    assert "the step it was saved at is not recorded (the run's chunk of checkpoint/slot_step is missing)" in st.stdout
    assert "mixed two saves" not in st.stdout
    with pytest.raises(StoreDamagedError, match="the step it was saved at is not recorded"):
        bb.store.load_state(store, seed=0, drive=1.2)
    res = invoke("sweep", TOY, "--seeds", "2", "-p", "drive=1.2,1.5", *ARGS, "--out", store, "--verify")
    assert res.returncode == 0 and "1 run(s) done" in res.stdout, res.stdout + res.stderr
    after, before = arrays(store), arrays(base)
    for name in ("V", "spikes", "states/G.V", "status"):
        np.testing.assert_array_equal(after[name], before[name], err_msg=name)
    assert not ResultStore.open(store).verify(full=True)


def test_names_that_differ_only_in_the_unicode_form_of_an_accent_are_refused():
    composed, decomposed = "V_\u00e9", "V_e\u0301"  # 'V_é' twice: one folder on macOS's file systems
    records = (VarSpec(composed, ("E_neuron",), (2,), "float32"), VarSpec(decomposed, ("E_neuron",), (2,), "float32"))
    with pytest.raises(StoreError, match=r"differ only in how their accented letters are encoded .*'V_\\xe9' and "
                                         r"'V_e\\u0301'|'V_e\\u0301' and 'V_\\xe9'"):
        StoreSpec("x", "0" * 64, {}, [0], 10, 0.1, records=records).check_portable_names()
    StoreSpec("x", "0" * 64, {}, [0], 10, 0.1, records=records[:1]).check_portable_names()


def test_a_run_whose_lease_another_process_took_over_is_left_to_it_not_marked_done(tmp_path):
    """A process that found this one's heartbeat stale (a long pause, or hosts whose clocks differ) takes the run's
    lease over and runs it too; this one must not mark the run done under it (the other may still be writing its
    chunks, from another device with other rounding): the run stays the other's, and a later sweep finishes it."""
    out = tmp_path / "s.zarr"
    now = time.time()
    far = {"host": "far-away-node", "boot": "other-boot", "pid": 4242, "start": "1", "token": "far", "since": now}

    def take_over():
        for lease in (out / "leases").iterdir():
            if lease.name[0].isdigit():  # the runs' leases (not the sweep's, nor the metadata lock)
                lease.write_text(json.dumps({"owner": far, "gen": 0, "since": now, "heartbeat": time.time()}))

    HOOKS["fenced-write"] = take_over
    try:
        res = invoke("sweep", TOY, "--seeds", "1", *ARGS, "--out", out)
    finally:
        HOOKS.pop("fenced-write", None)
    assert res.returncode != 0 and "taken over by pid 4242 on far-away-node" in res.stderr + res.stdout, res.stderr
    store = ResultStore.open(out)
    assert "done" not in set(store.status().ravel())
    lease = store.lease((0,) * store.status().ndim)
    assert lease is not None and str(lease.owner) == "pid 4242 on far-away-node"  # left in place: not ours to drop
    # the far process never comes back: once its leases are gone (stale), a sweep takes the runs and finishes them
    for lease in (out / "leases").iterdir():
        if lease.name[0].isdigit():
            lease.unlink()
    assert invoke("sweep", TOY, "--seeds", "1", *ARGS, "--out", out).returncode == 0
    assert set(ResultStore.open(out).status().ravel()) == {"done"}
