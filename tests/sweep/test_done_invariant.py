"""A run is done only if the whole run passed the checks (docs/store.md, "When a run is done").

Issue 19 item 1: a run that failed with NaN became ``done`` on the retry (its final state had been
saved at the last step, so the retry ran 0 steps and saw no NaN). Issue 23 item 2: a blown-up run that
records only spikes read as a silent ``done`` run; its final state holds the NaN.
"""
import dataclasses
import re
import shutil

import numpy as np
import pytest
import zarr
from _support import NAN, TOY, write_experiment
from click.testing import CliRunner

import brainbatch as bb
from brainbatch.store import ResultStore
from brainbatch.sweep import UsageError, experiment
from brainbatch.faults import HOOKS
from brainbatch.cli import main


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _slots(out, **where):
    store = ResultStore.open(out, "r")
    return store._slot_steps(store.run_index(**where)).tolist()


# Stores several tests start from, each swept once per module (lazily, by the first test that asks): a test that
# changes one works on its own copy (``_copy``); one that only reads it (a clean reference) reads it in place.
ONE_RUN = ("sweep", TOY, "--seeds", "1", "-p", "drive=1.2", "--duration", "5")
TWO_RUNS = ("sweep", TOY, "--seeds", "1", "-p", "drive=1.2,1.5", "--duration", "5")
NAN_RUNS = ("sweep", NAN, "--seeds", "1", "-p", "drive=1.0,-1.0", "--duration", "5", "--checkpoint-every", "0")
#: TOY for 100 ms in chunks of 200 steps, checkpointing at every chunk (``_sweep_copied_at_the_second_checkpoint``)
CHECKPOINTED = dict(seeds=1, params={"drive": [1.5]}, chunk_steps=200, checkpoint_every=0, progress=False)


def _copy(store, tmp_path, name="s.zarr"):
    """A copy of a module's store for one test to change (``cp -r``: the same store, store_id included)."""
    shutil.copytree(store, tmp_path / name)
    return tmp_path / name


def _swept(tmp_path_factory, name, args):
    """A new store swept by the command ``args``, every run done."""
    out = tmp_path_factory.mktemp(name) / "s.zarr"
    res = invoke(*args, "--out", out)
    assert res.exit_code == 0, res.output
    return out


@pytest.fixture(scope="module")
def one_run(tmp_path_factory):
    """TOY's one run (seed 0, drive 1.2) for 5 ms, done, swept by the command (ONE_RUN)."""
    return _swept(tmp_path_factory, "one_run", ONE_RUN)


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """TOY's two runs (drive 1.2 and 1.5) for 5 ms, done, swept by the command (TWO_RUNS)."""
    return _swept(tmp_path_factory, "two_runs", TWO_RUNS)


@pytest.fixture(scope="module")
def nan_runs(tmp_path_factory):
    """NAN's runs at drive 1.0 (done) and -1.0 (failed: NaN at t = 0), and what the command said (NAN_RUNS)."""
    out = tmp_path_factory.mktemp("nan_runs") / "nan.zarr"
    res = CliRunner().invoke(main, [str(a) for a in (*NAN_RUNS, "--out", out)])
    return out, res


@pytest.fixture(scope="module")
def checkpointed(tmp_path_factory):
    """TOY swept for 100 ms (CHECKPOINTED) into ``out``, and ``mid``: its copy at the second checkpoint (step 400)."""
    folder = tmp_path_factory.mktemp("checkpointed")
    out, mid = folder / "s.zarr", folder / "mid.zarr"
    _sweep_copied_at_the_second_checkpoint(out, mid, **CHECKPOINTED)
    assert bool(bb.open_results(out).done.all()) and _slots(mid, seed=0, drive=1.5)[0] == 400
    return out, mid


def test_a_run_failed_with_nan_fails_again_on_the_retry(nan_runs, tmp_path):
    built, first = nan_runs
    out = _copy(built, tmp_path, "nan.zarr")
    args = (*NAN_RUNS, "--out", out)
    assert first.exit_code == 1 and "NaN in recorded variable 'V' at t = 0 ms (sample 0)" in first.output
    assert _slots(out, seed=0, drive=-1.0) == [0, 0]  # no state of a failed run is kept to resume from
    assert _slots(out, seed=0, drive=1.0)[0] == 50
    again = invoke(*args)
    assert again.exit_code == 1, again.output
    assert "NaN in recorded variable 'V' at t = 0 ms (sample 0)" in again.output and "1 already done" in again.output
    assert bb.open_results(out).status.sel(seed=0, drive=-1.0).item() == "failed"


def test_a_failed_run_with_a_state_at_its_last_step_starts_again_from_step_0(nan_runs, tmp_path):
    # what a store written before the fix holds: the failed run's final state stamped at its last step
    out = _copy(nan_runs[0], tmp_path, "old.zarr")
    args = (*NAN_RUNS, "--out", out)
    failed = ResultStore.open(out, "r").run_index(seed=0, drive=-1.0)
    assert _slots(out, seed=0, drive=-1.0) == [0, 0]
    zarr.open_group(str(out), mode="r+")["checkpoint/slot_step"][failed] = [50, 0]
    again = invoke(*args)
    assert again.exit_code == 1 and "NaN in recorded variable 'V'" in again.output, again.output
    assert bb.open_results(out).status.sel(seed=0, drive=-1.0).item() == "failed"


def test_a_blown_up_run_that_records_only_spikes_is_failed_not_silent(tmp_path):
    exp = write_experiment(tmp_path, "spikes_only.py", NAN_SOURCE.replace(
        'monitors = {"spikes": "G.spike", "V": "G.V"}', 'monitors = {"spikes": "G.spike"}'))
    out = tmp_path / "s.zarr"
    res = invoke("sweep", exp, "--seeds", "1", "-p", "drive=1.0,-1.0", "--duration", "5", "--out", out)
    assert res.exit_code == 1
    assert "NaN or Inf in state variable 'G.V' at its end" in res.output, res.output
    ds = bb.open_results(out)
    assert ds.status.sel(drive=-1.0).values.tolist() == ["failed"]
    assert ds.status.sel(drive=1.0).values.tolist() == ["done"]
    assert "try a smaller dt" in str(ds.error.sel(seed=0, drive=-1.0).values)


def test_a_store_extended_in_time_under_a_sweep_leaves_its_runs_pending(tmp_path):
    # issue 19 item 3: the runs a sweep finished after another sweep extended the store were done with
    # half the time axis. Here the extension comes at the worst moment (records written, not yet done)
    # from a process whose lease the extension does not see (this one), so only the done check stops it.
    out = tmp_path / "t.zarr"
    grown = []

    def extend():
        if not grown:
            spec = ResultStore.open(out).spec
            ResultStore.create(out, dataclasses.replace(spec, n_steps=2 * spec.n_steps))
            grown.append(True)

    # the runs and batch of test_saved_state_resume.py: the compiled programs are shared
    kw = dict(seeds=1, params={"drive": [1.2, 1.5, 1.8, 2.1]}, out=str(out), batch_size=4, progress=False)
    said = []
    HOOKS["before-done"] = extend
    try:
        res = bb.sweep(TOY, duration=20, echo=said.append, **kw)
    finally:
        del HOOKS["before-done"]
    assert (res.done, res.unfinished) == (0, 4), said
    assert ("seed=0, drive=1.2: left pending: run seed=0, drive=1.2 is not done: its records cover 200 steps but the "
            "store now has 400") in "\n".join(said)
    assert (bb.open_results(out).status == "pending").all()
    res = bb.sweep(TOY, duration=40, **kw)  # continues both from their state at step 200
    ds = bb.open_results(out)
    assert res.done == 4 and (ds.status == "done").all() and bool(ds.V.notnull().all())


class _Killed(Exception):
    """The coordinator dies here (what a kill -9 or a job's time limit leaves on disk)."""


def _die():
    raise _Killed


def test_a_store_whose_records_are_shorter_than_one_time_chunk_extends_in_time(tmp_path):
    """Fifth store audit: monitors every 50 and 70 steps make the time chunk 350 steps, longer than a 200-step run, so
    the records were chunked at their whole length; extending the store in time then failed every run with "its
    zarr.json was edited" (the expected chunk followed the new length), and the next sweep computed them again."""
    exp = write_experiment(tmp_path, "strided.py", TOY_SOURCE.replace(
        'monitors = {"spikes": "G.spike", "V": "G.V"}',
        'monitors = {"spikes": "G.spike", "V": bb.Monitor("G.V", every=50), "V7": bb.Monitor("G.V", every=70)}'))
    out, ref = tmp_path / "s.zarr", tmp_path / "ref.zarr"
    kw = dict(seeds=2, params={"drive": [1.5]}, progress=False)
    bb.sweep(exp, duration=20, out=str(out), **kw)
    assert zarr.open_array(str(out / "V"), mode="r").chunks[-2] == 4  # 200 steps / 50: less than 350 / 50
    said = []
    res = bb.sweep(exp, duration=30, out=str(out), echo=said.append, **kw)
    assert res.done == 2 and not res.failed, said
    # said in the output, as a --duration left out (the module's default) extends a store too
    assert f"note: {out} extended in time from 20 to 30 ms (this sweep's duration): every run continues" in "\n".join(said)
    store = ResultStore.open(out, "r")
    assert store.verify(full=True) == {} and store.spec.layout_steps == 200
    bb.sweep(exp, duration=30, out=str(ref), **kw)
    for name in ("spikes", "V", "V7"):
        np.testing.assert_array_equal(bb.open_results(out)[name].values, bb.open_results(ref)[name].values)
    assert bb.sweep(exp, duration=40, out=str(out), **kw).done == 2  # and again: the chunks stay those of 200 steps
    assert ResultStore.open(out, "r").verify(full=True) == {}


def test_an_extension_in_time_cut_off_half_way_leaves_no_run_done_short(tmp_path):
    # a kill between writing the longer time axis and turning the done runs pending left them done
    # with half the axis: 'status' said 100 %, --verify passed, the missing tail read as silence
    out = tmp_path / "cut.zarr"
    kw = dict(seeds=1, params={"drive": [1.2, 1.5, 1.8, 2.1]}, out=str(out), batch_size=4, progress=False)
    assert bb.sweep(TOY, duration=20, **kw).done == 4
    spec = ResultStore.open(out).spec
    HOOKS["extend-written"] = _die
    try:
        with pytest.raises(_Killed):
            ResultStore.create(out, dataclasses.replace(spec, n_steps=2 * spec.n_steps))
    finally:
        del HOOKS["extend-written"]
    assert ResultStore.open(out, "r").spec.n_steps == 2 * spec.n_steps
    assert (bb.open_results(out).status == "pending").all()
    assert ResultStore.open(out, "r").verify() == {}  # pending, not damaged
    assert _slots(out, seed=0, drive=1.5)[0] == 200  # their final states are kept, to continue from
    res = bb.sweep(TOY, duration=40, **kw)
    ds = bb.open_results(out)
    assert res.done == 4 and (ds.status == "done").all() and bool(ds.V.notnull().all())


def test_a_forced_new_source_runs_unfinished_runs_from_step_0_and_keeps_done_ones(tmp_path):
    # --force after a model change kept the done runs (as documented) but also continued an unfinished
    # run from the old model's saved state: one run half one model, half the other, then marked done
    exp = write_experiment(tmp_path, "exp.py", TOY_SOURCE)
    out = tmp_path / "f.zarr"
    kw = dict(seeds=1, params={"drive": [1.2, 1.5]}, batch_size=1, progress=False)
    assert bb.sweep(exp, duration=20, out=str(out), **kw).done == 2
    store = ResultStore.open(out)
    cut = store.run_index(seed=0, drive=1.5)
    store.set_status(cut, "pending")  # killed just before 'done': its final state is saved, at its last step
    old = bb.open_results(out).V.load()
    write_experiment(tmp_path, "exp.py", TOY_SOURCE.replace("0.3 * noise", "3.0 * noise"))
    assert bb.sweep(exp, duration=20, out=str(out), force=True, **kw).done == 1
    fresh = tmp_path / "fresh.zarr"
    bb.sweep(exp, duration=20, out=str(fresh), **{**kw, "params": {"drive": [1.5]}})
    ds = bb.open_results(out)
    assert (ds.status == "done").all()
    np.testing.assert_array_equal(ds.V.sel(drive=1.2).values, old.sel(drive=1.2).values)  # kept
    np.testing.assert_array_equal(ds.V.sel(drive=1.5).values, bb.open_results(fresh).V.sel(drive=1.5).values)
    assert not np.array_equal(ds.V.sel(drive=1.5).values, old.sel(drive=1.5).values)
    # the store is the same store (its store_id, part of each saved state's checksum, is kept): the kept run's
    # final state still passes, so status --verify does not call the runs the user vouched for damaged
    assert ResultStore.open(out, "r").verify(full=True) == {}


@pytest.fixture(scope="module")
def kept_through_force(tmp_path_factory):
    """Model A (TOY's source in exp.py) swept for 10 ms, then exp.py edited (B) and swept with --force: A's done run
    is kept. The experiment file (now B), the store, and A's records."""
    folder = tmp_path_factory.mktemp("kept_through_force")
    exp = write_experiment(folder, "exp.py", TOY_SOURCE)
    out = folder / "s.zarr"
    kw = dict(seeds=1, params={"drive": [1.5]}, progress=False)
    bb.sweep(exp, duration=10, out=str(out), **kw)
    a_first = bb.open_results(out).V.load()
    write_experiment(folder, "exp.py", TOY_SOURCE.replace("0.3 * noise", "3.0 * noise"))
    assert bb.sweep(exp, duration=10, out=str(out), force=True, **kw).done == 0  # kept, as documented
    return exp, out, a_first


def test_a_run_kept_through_a_forced_new_source_is_run_again_not_continued_when_the_store_grows_in_time(
        kept_through_force, tmp_path):
    """Store audit: sweep model A, edit it (B), sweep --force (A's done runs are kept), then extend in time: the
    extension continued A's final state with B and marked the run done and verified, its steps 100-199 those of
    neither model. The saved state's checksum now covers the source that computed it."""
    exp, built, a_first = kept_through_force
    out, ref_b = _copy(built, tmp_path), tmp_path / "b.zarr"
    kw = dict(seeds=1, params={"drive": [1.5]}, progress=False)
    store = ResultStore.open(out, "r")
    assert store.verify(full=True) == {} and len(store.sources_seen()) == 2  # A's final state verifies under A
    assert bb.sweep(exp, duration=20, out=str(out), **kw).done == 1
    bb.sweep(exp, duration=20, out=str(ref_b), **kw)
    ds, b = bb.open_results(out), bb.open_results(ref_b)
    assert bool(ds.done.all()) and not np.array_equal(ds.V.values[..., :100, :], a_first.values)
    np.testing.assert_array_equal(ds.V.values, b.V.values)  # all of it model B's, from step 0


def test_a_root_that_loses_its_identity_keeps_its_saved_states_through_the_copy_on_status(tmp_path):
    """Left item of the fourth store audit: a root whose store_id was deleted got a new one at the next sweep, so
    every saved state failed its checksum: status --verify blamed "a copy or an edit", an extension computed every
    run again from step 0, and a run kept through a forced new source (sources_seen lost) read as damaged."""
    exp = write_experiment(tmp_path, "exp.py", TOY_SOURCE)
    out, ref = tmp_path / "s.zarr", tmp_path / "ref.zarr"
    kw = dict(seeds=1, params={"drive": [1.2, 1.5]}, progress=False)
    bb.sweep(exp, duration=10, out=str(out), **kw)
    store = ResultStore.open(out)
    store.set_status(store.run_index(seed=0, drive=1.5), "pending")  # computed again by B, after --force
    write_experiment(tmp_path, "exp.py", TOY_SOURCE.replace("0.3 * noise", "3.0 * noise"))
    assert bb.sweep(exp, duration=10, out=str(out), force=True, **kw).done == 1
    root = zarr.open_group(str(out), mode="r+")
    ident = {k: root.attrs[k] for k in ("store_id", "sources_seen")}
    assert len(ident["sources_seen"]) == 2 and dict(root["status"].attrs).items() >= ident.items()
    root.attrs.put({k: v for k, v in root.attrs.asdict().items() if k not in ident})
    assert ResultStore.open(out, "r").verify(full=True) == {}  # A's run under A, B's under B, both this store's
    res = bb.sweep(exp, duration=10, out=str(out), verify=True, **kw)
    assert res.done == 0 and zarr.open_group(str(out), mode="r").attrs.asdict().items() >= ident.items()
    # an extension continues B's run from its final state (not from step 0) and runs A's again, as before the loss
    root.attrs.put({k: v for k, v in root.attrs.asdict().items() if k not in ident})
    store = ResultStore.open(out, "r")
    assert store.checkpoint(store.run_index(seed=0, drive=1.5))[0] == 100  # B's final state, to go on from
    assert bb.sweep(exp, duration=20, out=str(out), **kw).done == 2
    bb.sweep(exp, duration=20, out=str(ref), **kw)
    np.testing.assert_array_equal(bb.open_results(out).V.values, bb.open_results(ref).V.values)
    assert ResultStore.open(out, "r").verify(full=True) == {}


def test_a_root_zarr_json_from_another_store_is_damage_for_readers_and_sweeps(tmp_path):
    """Fifth store audit: the root zarr.json of a sibling store (same experiment, labels and time base, another
    model) copied over this one's passed every cheap check: status and open_results showed the other model's runs as
    done, and a sweep of that model skipped them and added its own beside them."""
    import shutil

    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    a_exp = write_experiment(tmp_path / "a", "exp.py", TOY_SOURCE)
    b_exp = write_experiment(tmp_path / "b", "exp.py", TOY_SOURCE.replace("0.3 * noise", "3.0 * noise"))
    a, b = tmp_path / "a.zarr", tmp_path / "b.zarr"
    kw = dict(seeds=2, params={"drive": [1.5]}, duration=5, progress=False)
    bb.sweep(a_exp, out=str(a), **kw)
    bb.sweep(b_exp, out=str(b), **kw)
    kept = (a / "zarr.json").read_bytes()
    shutil.copyfile(b / "zarr.json", a / "zarr.json")
    said = r"its root attributes are another store's: store_id '[0-9a-f]{32}', where its status array records"
    res = invoke("status", a)
    assert res.exit_code == 1 and re.search(said, res.output) and "replaced coordinates: 1" in res.output, res.output
    for read in (lambda: bb.open_results(a), lambda: bb.load_state(a, seed=0, drive=1.5)):
        with pytest.raises(bb.store.StoreDamagedError, match=said):
            read()
    with pytest.raises(UsageError, match=said + r".*nothing was changed"):
        bb.sweep(b_exp, out=str(a), **{**kw, "seeds": 3})
    assert ResultStore.open(a, "r").spec.seeds == [0, 1]
    (a / "zarr.json").write_bytes(kept)  # its own root back: all is as before
    assert bb.sweep(a_exp, out=str(a), **kw).done == 0
    assert ResultStore.open(a, "r").verify(full=True) == {}


def test_other_build_defaults_from_the_same_source_are_refused_and_forced_runs_are_all_redone(tmp_path, monkeypatch):
    """Fifth store audit: a default read from the environment (same source bytes) merged silently: seed 0 computed
    with tau 10, seed 1 with tau 30, `show` saying tau=30 for both; an extension then continued seed 0's tau-10
    state with tau 30 and marked it done and verified."""
    exp = write_experiment(tmp_path, "env.py", TOY_SOURCE.replace(
        "def build(n=20, drive=1.5):\n    return bb.Network(G=Toy(n, drive))",
        "import os\n\n\ndef build(n=20, drive=1.5, tau=float(os.environ.get('TOY_TAU', '10'))):\n"
        "    return bb.Network(G=Toy(n, drive, tau))"))
    out, ref = tmp_path / "s.zarr", tmp_path / "ref.zarr"
    kw = dict(params={"drive": [1.5]}, duration=10, progress=False)
    monkeypatch.setenv("TOY_TAU", "10")
    bb.sweep(exp, seeds=1, out=str(out), **kw)
    monkeypatch.setenv("TOY_TAU", "30")
    experiment._LOADED.clear()  # a new process loads the module again (this one keeps it while its file is unchanged)
    with pytest.raises(UsageError, match=r"defaults: the store's runs were computed with build\(\) defaults "
                                            r"tau=10\.0, this sweep's are tau=30\.0 \(with the same source[\s\S]*"
                                            r"or the build\(\) defaults change, so all data are discarded"):
        bb.sweep(exp, seeds=2, out=str(out), **kw)
    assert ResultStore.open(out, "r").spec.seeds == [0]  # nothing changed
    assert bb.sweep(exp, seeds=2, out=str(out), force=True, **kw).done == 2  # every run, seed 0 included
    bb.sweep(exp, seeds=2, out=str(ref), **kw)
    np.testing.assert_array_equal(bb.open_results(out).V.values, bb.open_results(ref).V.values)
    assert bb.sweep(exp, seeds=2, out=str(out), **kw).done == 0  # the same defaults again: nothing to redo


def test_status_lists_runs_kept_through_a_forced_source_after_an_extension_as_to_run_again_not_damaged(
        kept_through_force, tmp_path):
    # left item of the fourth audit: after an extension in time, a run kept through --force (its final state whole,
    # but another model's) was listed under "damaged saved states" and status exited 1
    exp, built, _ = kept_through_force
    out = _copy(built, tmp_path)
    kw = dict(seeds=1, params={"drive": [1.5]}, progress=False)
    store = ResultStore.open(out, "r")
    ResultStore.create(out, dataclasses.replace(store.spec, n_steps=200))  # extended; the sweep not run yet
    res = invoke("status", out, "--verify")
    assert res.exit_code == 0 and "damaged" not in res.output, res.output
    assert "to run again: 1 run(s) kept through a forced new source" in res.output
    assert "seed=0, drive=1.5: its saved state at step 100 is not continued: it was computed by an earlier " \
           "source" in res.output
    assert bb.sweep(exp, duration=20, out=str(out), **kw).done == 1
    assert "to run again" not in invoke("status", out, "--verify").output


def test_a_copied_store_forced_to_another_model_lends_no_checkpoint_to_the_original(checkpointed, tmp_path):
    # store audit: the sibling made by `cp -r` keeps the store_id; with only the store in the checksum, its
    # checkpoint (computed by the other model after --force) was resumed from in the original
    from pathlib import Path

    ref, built_mid = checkpointed  # ref: TOY swept for 100 ms; mid: interrupted at step 400
    mid = _copy(built_mid, tmp_path, "mid.zarr")
    twin, twin_mid = tmp_path / "twin.zarr", tmp_path / "twin_mid.zarr"
    shutil.copytree(mid, twin)  # the same store_id
    other = write_experiment(tmp_path, "toy.py", Path(TOY).read_text().replace("tau=10.0", "tau=4.0"))
    _sweep_copied_at_the_second_checkpoint(twin, twin_mid, experiment=other, force=True, **CHECKPOINTED)
    assert _slots(twin_mid, seed=0, drive=1.5)[0] == 400  # the other model's checkpoint, at the same step
    _assert_the_twins_saved_state_is_refused(mid, twin_mid)
    _assert_resweep_matches(mid, ref, 100, sweep_ref=False, **CHECKPOINTED)


@pytest.fixture(scope="module")
def two_seeds(tmp_path_factory):
    """TOY's seeds 0 and 1 at drive 1.5 swept for 10 ms, and a clean sweep of them for 20 ms."""
    folder = tmp_path_factory.mktemp("two_seeds")
    out, ref = folder / "s.zarr", folder / "ref.zarr"
    kw = dict(seeds=2, params={"drive": [1.5]}, progress=False)
    bb.sweep(TOY, duration=10, out=str(out), **kw)
    bb.sweep(TOY, duration=20, out=str(ref), **kw)
    return out, ref


@pytest.mark.parametrize("damage", ["delete", "truncate", "delete with the steps"])
def test_a_saved_state_whose_checksum_record_is_lost_is_damaged_not_trusted(two_seeds, tmp_path, damage):
    # store audit: the final states of two done runs swapped, their checkpoint/slot_crc chunks deleted (read as 0:
    # "not recorded") or truncated (unreadable): the checksum was skipped, status --verify said verified and an
    # extension continued each run from the other's state. With the slot_step chunks deleted too (step 0: "never
    # saved"), the final states were still read without a checksum (left item of the fourth audit)
    built, ref = two_seeds  # ref: a clean sweep for 20 ms
    out = _copy(built, tmp_path)
    kw = dict(seeds=2, params={"drive": [1.5]}, progress=False)
    for name in ("G.V", "G.spike"):
        chunks = out / "states" / name / "c"
        (chunks / "0").rename(chunks / "x")
        (chunks / "1").rename(chunks / "0")
        (chunks / "x").rename(chunks / "1")
    for f in (out / "checkpoint" / "slot_crc" / "c").rglob("*"):
        if f.is_file():
            f.unlink() if damage.startswith("delete") else f.write_bytes(f.read_bytes()[:5])
    if damage == "delete with the steps":
        for f in (out / "checkpoint" / "slot_step" / "c").rglob("*"):
            f.unlink() if f.is_file() else None
        assert [ResultStore.open(out, "r").checkpoint_step((i, 0)) for i in (0, 1)] == [0, 0]
    damaged = ResultStore.open(out, "r").verify(full=True)
    assert len(damaged) == 2 and all("checksum (checkpoint/slot_crc) is missing or unreadable" in why
                                     for why in damaged.values()), damaged
    bb.sweep(TOY, duration=20, out=str(out), **kw)
    np.testing.assert_array_equal(bb.open_results(out).V.values, bb.open_results(ref).V.values)


with open(NAN) as _fh:
    NAN_SOURCE = _fh.read()
with open(TOY) as _fh:
    TOY_SOURCE = _fh.read()


def test_adding_seeds_and_values_never_shows_done_runs_with_other_labels(tmp_path):
    # store audit: a sweep adding seeds rewrote each coordinate by deleting and re-creating it; in between
    # (and for good after a kill there) a plain reader saw seed = 0 and drive = 0 for every done run
    out = tmp_path / "grow.zarr"
    # batches of 2 runs for 5 ms: the compiled program of test_a_store_rebuilt_after_part_of_a_batch_is_done...
    args = ("--duration", "5", "--batch-size", "2", "--out", out)
    assert invoke("sweep", TOY, "--seeds", "2", "-p", "drive=1.2,1.5", *args).exit_code == 0
    seen = []

    def labels_of_done_runs():
        root = zarr.open_group(str(out), mode="r")  # what any Zarr reader finds now
        done = np.argwhere(np.asarray(root["status"][...]) == 2)
        seeds, drives = np.asarray(root["seed"][...]), np.asarray(root["drive"][...])
        seen.append(sorted((int(seeds[i]), float(drives[j])) for i, j in done))

    HOOKS["coord-sized"] = labels_of_done_runs
    try:
        res = invoke("sweep", TOY, "--seeds", "0-3", "-p", "drive=1.2,1.5,1.8", *args)
    finally:
        HOOKS.pop("coord-sized")
    assert res.exit_code == 0, res.output
    first = [(0, 1.2), (0, 1.5), (1, 1.2), (1, 1.5)]
    assert len(seen) >= 2 and all(labels == first for labels in seen), seen
    ds = bb.open_results(out)
    assert ds.seed.values.tolist() == [0, 1, 2, 3] and ds.drive.values.tolist() == [1.2, 1.5, 1.8]
    assert (ds.status == "done").all()


def _rebuild_with_dt(out, dt):
    """What another sweep's ``--force --dt`` does: the store rebuilt, every run pending, a new generation."""
    spec = ResultStore.open(out).spec
    ResultStore.create(out, dataclasses.replace(spec, dt=dt), force=True)


def test_a_store_rebuilt_under_a_running_batch_gets_none_of_its_runs_as_done(tmp_path):
    # A stale or not-yet-taken lease let another sweep rebuild the store with another dt while this batch
    # computed at the old one: its runs must not be marked done (nor written) in the rebuilt store.
    out = tmp_path / "r.zarr"
    rebuilt = []

    def rebuild():
        if not rebuilt:
            _rebuild_with_dt(out, 0.05)
            rebuilt.append(True)

    kw = dict(seeds=1, params={"drive": [1.2, 1.5, 1.8, 2.1]}, out=str(out), batch_size=4, progress=False)
    said = []
    HOOKS["before-done"] = rebuild
    try:
        res = bb.sweep(TOY, duration=20, echo=said.append, **kw)
    finally:
        del HOOKS["before-done"]
    assert (res.done, res.unfinished) == (0, 4), said
    assert "rebuilt by another sweep (--force)" in "\n".join(said), said
    store = ResultStore.open(out, "r")
    assert store.spec.dt == 0.05 and set(store.status().ravel()) == {"pending"}


def test_a_store_rebuilt_after_part_of_a_batch_is_done_counts_each_run_once_and_gets_no_finished_stamp(tmp_path):
    # a first batch is done, the second's first run too, then another sweep rebuilds the store: those runs are gone
    # with the old store. The summary counted them done, one also left pending (more runs than the sweep has), and
    # the sweep stamped the new store 'finished'. One device: the batches run in order (on two, which run marks
    # the rebuild depended on timing)
    out = tmp_path / "r.zarr"
    calls = []

    def rebuild_at_the_fourth():
        calls.append(True)
        if len(calls) == 4:
            _rebuild_with_dt(out, 0.05)

    said = []
    HOOKS["before-done"] = rebuild_at_the_fourth
    try:
        res = bb.sweep(TOY, duration=5, seeds=1, params={"drive": [1.2, 1.5, 1.8, 2.1]}, out=str(out), batch_size=2,
                       devices="cpu", progress=False, echo=said.append)
    finally:
        del HOOKS["before-done"]
    assert "the 2 run(s) this sweep finished or failed before are not in it" in "\n".join(said), said
    assert (res.done, len(res.failed), res.skipped, res.unfinished) == (0, 0, 0, 4)
    root = zarr.open_group(str(out), mode="r")
    assert set(ResultStore.open(out, "r").status().ravel()) == {"pending"} and root.attrs["finished"] is None


def test_a_batch_that_fails_after_its_store_was_rebuilt_writes_no_failure_into_the_rebuilt_store(tmp_path):
    # the rebuild lands, then the batch's build fails: its runs were marked failed (with the old model's error) in
    # the store another sweep now owns, and counted failed by this one
    out = tmp_path / "f.zarr"
    calls = []

    def rebuild_then_fail():
        calls.append(True)
        if len(calls) == 1:
            _rebuild_with_dt(out, 0.05)
        raise RuntimeError("an allocation failed")

    HOOKS["run"] = rebuild_then_fail
    try:
        res = bb.sweep(TOY, duration=5, seeds=1, params={"drive": [1.2, 1.5]}, out=str(out), batch_size=2,
                       progress=False)
    finally:
        del HOOKS["run"]
    assert (res.done, res.failed, res.unfinished) == (0, [], 2)
    root = zarr.open_group(str(out), mode="r")
    assert set(ResultStore.open(out, "r").status().ravel()) == {"pending"}
    assert not np.asarray(root["error"][...]).any()  # no error text of the old store's runs either


def test_a_batch_planned_before_a_rebuild_writes_nothing_into_the_rebuilt_store(tmp_path):
    from brainbatch.sweep.api import prepare
    from brainbatch.sweep.task import execute_batch

    out = tmp_path / "p.zarr"
    task = prepare(TOY, seeds=2, params={"drive": [1.5]}, out=str(out), duration=5, devices="cpu").tasks[0]
    assert task.generation == ResultStore.open(out, "r").generation is not None
    _rebuild_with_dt(out, 0.05)
    before = {n: np.asarray(a[...]) for n, a in zarr.open_group(str(out), mode="r").arrays()}
    report = execute_batch(task)
    assert not report.done and not report.failed and len(report.unfinished) == 2
    assert "rebuilt by another sweep" in report.unfinished[0][1]
    after = {n: np.asarray(a[...]) for n, a in zarr.open_group(str(out), mode="r").arrays()}
    assert before.keys() == after.keys() and all(np.array_equal(before[n], after[n], equal_nan=True) for n in before)
    # and a store whose generation is unchanged (an extension in time keeps it) is written as before
    store = ResultStore.open(out)
    gen = store.generation
    ResultStore.create(out, dataclasses.replace(store.spec, n_steps=2 * store.spec.n_steps))
    assert ResultStore.open(out, "r").generation == gen


def test_a_sweep_whose_store_is_rebuilt_before_it_takes_its_lease_writes_nothing(one_run, tmp_path):
    from brainbatch.sweep.api import prepare
    from brainbatch.sweep.errors import UsageError

    out = _copy(one_run, tmp_path, "g.zarr")
    with pytest.raises(UsageError, match=r"was rebuilt by another sweep \(--force\) while this one started"):
        prepare(TOY, seeds=2, params={"drive": [1.2]}, out=str(out), duration=5,
                on_store=lambda path: _rebuild_with_dt(path, 0.05))


def test_a_full_disk_while_a_failure_is_written_says_so_in_one_line_and_the_next_sweep_redoes_the_run(tmp_path):
    out = tmp_path / "f.zarr"

    def breaks():
        raise RuntimeError("an allocation failed")

    def full():
        raise OSError(28, "No space left on device")

    HOOKS["run"], HOOKS["fail-write"] = breaks, full
    try:
        res = bb.sweep(TOY, seeds=1, params={"drive": [1.5]}, duration=5, out=str(out), progress=False)
    finally:
        del HOOKS["run"], HOOKS["fail-write"]
    assert res.done == 0 and len(res.failed) == 1
    assert "its status could not be written: OSError" in res.failed[0][1], res.failed
    assert "done" not in set(ResultStore.open(out, "r").status().ravel())
    again = bb.sweep(TOY, seeds=1, params={"drive": [1.5]}, duration=5, out=str(out), progress=False)
    assert again.done == 1 and set(ResultStore.open(out, "r").status().ravel()) == {"done"}


def test_a_disk_that_fills_up_ends_the_command_with_one_line_and_nothing_marked_done(one_run, tmp_path):
    # a second sweep widens a store whose disk is full: the error escapes the sweep (a status of the next batch,
    # here the store's extension), and the command says so in one line, no traceback; no new run reads as done
    out = _copy(one_run, tmp_path, "full.zarr")  # ONE_RUN: seed 0 done
    args = ["sweep", TOY, "-p", "drive=1.2", "--duration", "5", "-q", "--out", str(out)]

    def full():
        raise OSError(28, "No space left on device")

    HOOKS["extend-locked"] = full
    try:
        res = CliRunner().invoke(main, args + ["--seeds", "3"])
    finally:
        del HOOKS["extend-locked"]
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output and res.output.count("\n") == 1, res.output
    assert res.output.startswith(f"Error: the disk is full (No space left on device) writing {out}:")
    assert "run the same command again" in res.output
    assert list(ResultStore.open(out, "r").status().ravel()) == ["done"]


def test_a_write_that_lands_in_a_store_rebuilt_meanwhile_turns_those_runs_pending_with_nothing_to_resume(tmp_path):
    # The writer checked the generation, then paused (or a rebuild came) before its write landed: it finds
    # out right after writing, and undoes what it can: the runs it wrote into are pending, with no saved state.
    out = tmp_path / "w.zarr"
    calls = []

    def rebuild_once():  # at the second fenced write: the first checkpoint (records of the first chunk before it)
        calls.append(True)
        if len(calls) == 2:
            _rebuild_with_dt(out, 0.05)

    kw = dict(seeds=1, params={"drive": [1.2, 1.5]}, out=str(out), batch_size=2, devices="cpu", progress=False)
    HOOKS["fenced-write"] = rebuild_once
    try:
        res = bb.sweep(TOY, duration=20, checkpoint_every=0, **kw)
    finally:
        del HOOKS["fenced-write"]
    assert res.done == 0 and res.unfinished == 2
    store = ResultStore.open(out, "r")
    assert store.spec.dt == 0.05 and set(store.status().ravel()) == {"pending"}
    assert [store.checkpoint_step(store.run_index(seed=0, drive=d)) for d in (1.2, 1.5)] == [0, 0]


def test_a_generation_edited_to_something_else_than_text_is_replaced_not_kept(one_run, tmp_path):
    out = _copy(one_run, tmp_path, "e.zarr")  # ONE_RUN
    kw = dict(seeds=1, params={"drive": [1.2]}, duration=5, out=str(out), progress=False)
    zarr.open_group(str(out), mode="a").attrs.update({"generation": 1})  # a hand edit: no longer text
    bb.sweep(TOY, **{**kw, "seeds": 2})
    gen = ResultStore.open(out, "r").generation
    assert isinstance(gen, str) and len(gen) == 32  # a new token: the guard is on again



def _assert_the_twins_saved_state_is_refused(mid, twin_mid):
    """``mid``'s saved states, checkpoint records and records replaced by ``twin_mid``'s (a sibling store computed by
    another model to the same step): the state is named damaged, not resumed from."""
    import shutil

    for name in ("states", "checkpoint", "V", "spikes"):
        shutil.rmtree(mid / name)
        shutil.copytree(twin_mid / name, mid / name)
    damaged = ResultStore.open(mid, "r").verify_resume(full=True)
    assert list(damaged.values()) == ["its saved state at step 400 is damaged: its arrays are not those saved with "
                                      "its step for this run (their checksum differs: a copy or an edit mixed two "
                                      "saves, or put another run's state here)"], damaged


def _sweep_copied_at_the_second_checkpoint(out, mid, experiment=TOY, **kw):
    """``bb.sweep`` of TOY for 100 ms into ``out``, with a copy of the store taken into ``mid`` at its second
    checkpoint (the store as a process killed there would have left it)."""
    import shutil

    calls = []

    def copy_at_the_second_checkpoint():
        calls.append(True)
        if len(calls) == 2:
            shutil.copytree(out, mid)

    HOOKS["checkpointed"] = copy_at_the_second_checkpoint
    try:
        bb.sweep(experiment, duration=100, out=str(out), **kw)
    finally:
        del HOOKS["checkpointed"]


def _assert_resweep_matches(out, ref, duration, sweep_ref=True, **kw):
    """Sweep ``out`` and the clean ``ref`` for ``duration`` ms (``sweep_ref=False``: ``ref`` is such a sweep, done):
    every run of ``out`` is done, with ``ref``'s records."""
    bb.sweep(TOY, duration=duration, out=str(out), **kw)
    if sweep_ref:
        bb.sweep(TOY, duration=duration, out=str(ref), **kw)
    a, b = bb.open_results(out), bb.open_results(ref)
    assert bool(a.done.all())
    for name in ("spikes", "V"):
        np.testing.assert_array_equal(a[name].values, b[name].values)


def test_a_final_state_from_an_earlier_save_makes_the_run_damaged_not_done(checkpointed, tmp_path):
    # A copy taken while a run checkpoints, put together with its later records and checkpoint record (cp -r racing
    # the sweep): states/ holds the state of step 400 where checkpoint/slot_step says the final one, 1000. Its chunks
    # all decode; the slot's checksum, saved with its step, tells the two saves apart.
    built, mid = checkpointed  # slot 0 (states/) of the copy mid holds step 400
    out, ref = _copy(built, tmp_path), tmp_path / "ref.zarr"
    shutil.rmtree(out / "states")
    shutil.copytree(mid / "states", out / "states")
    store = ResultStore.open(out, "r")
    assert list(store.status().ravel()) == ["done"]
    damaged = store.verify(full=True)
    assert list(damaged.values()) == ["its final state (states/): its arrays are not those saved with its step "
                                      "for this run (their checksum differs: a copy or an edit mixed two saves, or "
                                      "put another run's state here)"]
    with pytest.raises(bb.store.StoreDamagedError, match="not those saved with its step"):
        bb.load_state(str(out), seed=0, drive=1.5)
    # extended in time, the run starts again from step 0 instead of going on from the wrong state (1200 steps:
    # six chunks of 200, the compiled program of the first sweep)
    _assert_resweep_matches(out, ref, 120, **CHECKPOINTED)


def test_a_final_state_with_its_own_checksum_from_an_earlier_save_is_damaged_not_done(checkpointed, tmp_path):
    # As above, but the copy took the checksums too (checkpoint/slot_crc of the save at step 400): arrays and
    # checksum agree, and only the step they were saved at, which the checksum covers, tells them from step 1000.
    built, mid = checkpointed
    out = _copy(built, tmp_path)
    assert _slots(mid, seed=0, drive=1.5)[0] == 400
    shutil.rmtree(out / "states")
    shutil.copytree(mid / "states", out / "states")
    shutil.rmtree(out / "checkpoint" / "slot_crc")
    shutil.copytree(mid / "checkpoint" / "slot_crc", out / "checkpoint" / "slot_crc")
    assert _slots(out, seed=0, drive=1.5)[0] == 1000
    damaged = ResultStore.open(out, "r").verify(full=True)
    assert list(damaged.values()) == ["its final state (states/): its arrays are not those saved with its step "
                                      "for this run (their checksum differs: a copy or an edit mixed two saves, or "
                                      "put another run's state here)"]
    with pytest.raises(bb.store.StoreDamagedError, match="not those saved with its step"):
        bb.load_state(str(out), seed=0, drive=1.5)


def test_saved_states_swapped_between_two_runs_are_not_resumed_from(tmp_path):
    """Audit: the chunks of states/ and checkpoint/ (slot_step and slot_crc included) of two runs interrupted at the
    same step, swapped: each run's slot passed its checksum, the sweep went on from the other run's state and
    marked both done. The checksum now covers the run (seed and parameter values)."""

    out, mid, ref = tmp_path / "s.zarr", tmp_path / "mid.zarr", tmp_path / "ref.zarr"
    # one batch of both runs (two devices would run them apart, checkpointing at their own pace)
    kw = dict(seeds=2, params={"drive": [1.5]}, chunk_steps=200, checkpoint_every=0, progress=False, batch_size=2,
              devices=["cpu:0"])
    # the copy is the store as a kill at that point leaves it: both runs running, checkpointed
    _sweep_copied_at_the_second_checkpoint(out, mid, **kw)
    for group in ("states", "checkpoint"):
        for array in sorted(p for p in (mid / group).iterdir() if (p / "c" / "1").is_dir()):
            zero, one, aside = array / "c" / "0", array / "c" / "1", array / "c" / "aside"
            zero.rename(aside)
            one.rename(zero)
            aside.rename(one)
    damaged = ResultStore.open(mid, "r").verify_resume(full=True)
    assert len(damaged) == 2 and all("another run's state" in why for why in damaged.values()), damaged
    _assert_resweep_matches(mid, ref, 100, **kw)  # both start again from step 0


def test_a_checkpoint_copied_from_a_sibling_store_of_another_model_is_not_resumed_from(checkpointed, tmp_path):
    """Audit: a sibling store of the same layout (same runs and records, the model edited) interrupted at the same
    step; its checkpoint, records and progress copied over this store's. The slot's checksum covered arrays, step
    and run, so it passed: the sweep went on from the other model's state and marked a mixed run done. The
    checksum now covers the store's own ``store_id`` too."""
    from pathlib import Path

    sibling = write_experiment(tmp_path, "toy.py", Path(TOY).read_text().replace("tau=10.0", "tau=4.0"))
    ref, built_mid = checkpointed  # ref: this model swept for 100 ms; mid: its copy at step 400
    mid = _copy(built_mid, tmp_path, "mid.zarr")
    other, other_mid = tmp_path / "o.zarr", tmp_path / "o_mid.zarr"
    _sweep_copied_at_the_second_checkpoint(other, other_mid, experiment=sibling, **CHECKPOINTED)
    ours, theirs = (zarr.open_group(str(p), mode="r").attrs for p in (mid, other_mid))
    assert ours["state_checksum"] == "arrays, step, run, store and source" and ours["store_id"] != theirs["store_id"]
    for name in ("states", "checkpoint", "V", "spikes"):
        shutil.rmtree(mid / name)
        shutil.copytree(other_mid / name, mid / name)
    assert _slots(mid, seed=0, drive=1.5)[0] == 400
    damaged = ResultStore.open(mid, "r").verify_resume(full=True)
    assert list(damaged.values()) == ["its saved state at step 400 is damaged: its arrays are not those saved with "
                                      "its step for this run (their checksum differs: a copy or an edit mixed two "
                                      "saves, or put another run's state here)"], damaged
    _assert_resweep_matches(mid, ref, 100, sweep_ref=False, **CHECKPOINTED)  # from step 0: this model's records alone



def test_a_copied_store_forced_to_other_build_defaults_lends_no_checkpoint_to_the_original(tmp_path, monkeypatch):
    """Sixth audit: a `cp -r` sibling forced to other build() defaults (same source: a default read from the
    environment) kept the store_id, and its saved states, of the same run, step, store and source, passed in the
    original: a sweep went on from them. A rebuild that resets every run now gives the store a new store_id."""
    import shutil

    exp = write_experiment(tmp_path, "env.py", TOY_SOURCE.replace(
        "def build(n=20, drive=1.5):\n    return bb.Network(G=Toy(n, drive))",
        "import os\n\n\ndef build(n=20, drive=1.5, tau=float(os.environ.get('TOY_TAU', '10'))):\n"
        "    return bb.Network(G=Toy(n, drive, tau))"))
    out, mid, twin, twin_mid = (tmp_path / f"{n}.zarr" for n in ("s", "mid", "twin", "twin_mid"))
    kw = dict(seeds=1, params={"drive": [1.5]}, chunk_steps=200, checkpoint_every=0, progress=False)
    monkeypatch.setenv("TOY_TAU", "10")
    _sweep_copied_at_the_second_checkpoint(out, mid, experiment=exp, **kw)  # mid: interrupted at step 400
    shutil.copytree(mid, twin)
    monkeypatch.setenv("TOY_TAU", "4")
    experiment._LOADED.clear()
    _sweep_copied_at_the_second_checkpoint(twin, twin_mid, experiment=exp, force=True, **kw)
    assert _slots(twin_mid, seed=0, drive=1.5)[0] == 400  # the other defaults' checkpoint, at the same step
    _assert_the_twins_saved_state_is_refused(mid, twin_mid)


def test_an_edited_body_of_a_decorated_analyse_is_a_changed_source(tmp_path):
    """Sixth audit: a decorator is called with analyse when the file loads and may run its body then (here it sets the
    noise): the hash left the body out, so the edited model added seeds to the store without --force."""
    decorated = TOY_SOURCE.replace("def analyse(ds):", "NOISE = [0.3]\n\n\ndef _now(f):\n    f(None)\n    return f"
                                   "\n\n\n@_now\ndef analyse(ds):\n    if ds is None:\n        NOISE[0] = 0.3\n"
                                   "        return None").replace("0.3 * noise", "NOISE[0] * noise")
    exp = write_experiment(tmp_path, "deco.py", decorated)
    out = tmp_path / "s.zarr"
    kw = dict(params={"drive": [1.5]}, duration=5.0, progress=False)  # 5 ms: TOY's compiled program (the same steps)
    assert bb.sweep(exp, seeds=1, out=str(out), **kw).done == 1
    write_experiment(tmp_path, "deco.py", decorated.replace("NOISE[0] = 0.3", "NOISE[0] = 3.0"))
    experiment._LOADED.clear()
    with pytest.raises(bb.BrainbatchError, match="source"):
        bb.sweep(exp, seeds=2, out=str(out), **kw)


@pytest.mark.parametrize("rule", ["arrays, step and run", None])
def test_a_store_made_under_an_older_state_checksum_rule_keeps_it(one_run, tmp_path, rule):
    # what an older store holds: its rule (or none) and no store_id; its saved states were checksummed under that
    # rule, so a sweep that resumes or extends it writes and checks them under the same one
    out = _copy(one_run, tmp_path, "old.zarr")  # ONE_RUN
    kw = dict(seeds=1, params={"drive": [1.2]}, progress=False)
    root = zarr.open_group(str(out), mode="r+")
    attrs = {k: v for k, v in root.attrs.asdict().items() if k not in ("store_id", "state_checksum")}
    root.attrs.put({**attrs, **({"state_checksum": rule} if rule else {})})
    store = ResultStore.open(out, "r+")
    store.set_status((0, 0), "pending")
    store.forget_progress((0, 0))
    assert bb.sweep(TOY, duration=5, out=str(out), **{**kw, "seeds": 2}).done == 2
    kept = zarr.open_group(str(out), mode="r").attrs
    assert kept.get("state_checksum") == rule and len(kept["store_id"]) == 32
    assert ResultStore.open(out, "r").verify(full=True) == {}


def test_an_edited_consolidated_copy_of_a_header_is_reported_and_the_next_sweep_rewrites_it(one_run, tmp_path):
    # plain xarray.open_zarr reads the root's consolidated copy of each header: with its V read big-endian,
    # done runs served other numbers while every chunk passed its checksum and `status --verify` said verified
    import json
    import warnings

    import xarray as xr

    out = _copy(one_run, tmp_path)
    args = (*ONE_RUN, "--out", out)
    root = json.loads((out / "zarr.json").read_text())
    root["consolidated_metadata"]["metadata"]["V"]["codecs"][0]["configuration"]["endian"] = "big"
    (out / "zarr.json").write_text(json.dumps(root))
    res = invoke("status", out, "--verify")
    assert res.exit_code == 1 and "damaged summary: 1 array(s)" in res.output, res.output
    assert "the copy of array 'V''s metadata in the root zarr.json" in res.output and "in codecs" in res.output
    assert "verified" not in res.output
    again = invoke(*args)
    assert again.exit_code == 0 and "1 already done" in again.output, again.output
    assert invoke("status", out, "--verify").exit_code == 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plain = xr.open_zarr(out)
        np.testing.assert_array_equal(plain.V.values, bb.open_results(out).V.values)


def test_a_stamped_slot_without_checksum_in_an_older_run_rule_store_is_read_as_before(one_run, tmp_path):
    # review: stores of the run rule wrote 0 for a slot written in part through write_states; such a slot is
    # that store's own, not damage (only the store rule vouches that every stamped slot has its checksum)
    out = _copy(one_run, tmp_path)
    root = zarr.open_group(str(out), mode="r+")
    root.attrs.update({"state_checksum": "arrays, step and run"})
    root["checkpoint/slot_crc"][0, 0] = [0, 0]
    assert ResultStore.open(out, "r").verify(full=True) == {}
    root.attrs.update({"state_checksum": "arrays, step, run, store and source"})
    assert list(ResultStore.open(out, "r").verify(full=True).values()) == [
        "its final state (states/): its checksum (checkpoint/slot_crc) is missing or unreadable, so it cannot be "
        "told from a copy"]


@pytest.mark.parametrize("lost", ["checkpoint", "checkpoint/slot_crc"])
def test_lost_checksum_records_leave_the_final_states_unvouched_and_a_plain_sweep_runs_them_again(one_run, tmp_path,
                                                                                                  lost):
    # review: a lost checkpoint group was made anew with the done runs stamped and no checksum; a lost slot_crc
    # array alone was never made again, so no later save recorded a checksum and every state check was off.
    # Audit 9: only --verify found it; plain status, show and the sweep listed the run done while load_state refused
    # its final state. The cheap check reads the checksum record (one small chunk per run, as status) and agrees
    out, ref = _copy(one_run, tmp_path), one_run  # ref: ONE_RUN as swept, untouched
    args = ONE_RUN
    shutil.rmtree(out / lost)
    for extra in ((), ("--verify",)):
        res = invoke("status", out, *extra)
        assert res.exit_code == 1 and "checksum (checkpoint/slot_crc) is missing or unreadable" in res.output, res.output
        assert re.search(r"done\s+0\n", res.output), res.output
    with pytest.warns(bb.store.StoreDamagedWarning):
        assert not bool(bb.open_results(out).done.any())
    again = invoke(*args, "--out", out)  # makes the records anew, and runs the unvouched run again
    assert again.exit_code == 0 and "1 run(s) done, 0 failed, 0 already done" in again.output, again.output
    assert (out / "checkpoint" / "slot_crc" / "zarr.json").is_file()
    assert invoke("status", out, "--verify").exit_code == 0
    np.testing.assert_array_equal(bb.open_results(out).V.values, bb.open_results(ref).V.values)


def test_cf_attributes_added_by_hand_that_change_the_decoded_values_are_reported_and_repaired(one_run, tmp_path):
    """Store audit: add_offset on a record's own zarr.json made open_results serve V - 65 for a done run, and a
    re-sweep kept it; scale_factor on the consolidated copy made plain xarray serve V x 10; units "days since ..." on
    time relabelled the axis as dates. status --verify said verified for each."""
    import json
    import warnings

    import xarray as xr

    out = _copy(one_run, tmp_path)
    args = (*ONE_RUN, "--out", out)
    clean = bb.open_results(out).V.values
    own = json.loads((out / "V" / "zarr.json").read_text())
    own["attributes"]["add_offset"] = -65.0
    (out / "V" / "zarr.json").write_text(json.dumps(own))
    time = json.loads((out / "time" / "zarr.json").read_text())
    time["attributes"]["units"] = "days since 2000-01-01"
    (out / "time" / "zarr.json").write_text(json.dumps(time))
    root = json.loads((out / "zarr.json").read_text())
    root["consolidated_metadata"]["metadata"]["spikes"]["attributes"]["scale_factor"] = 10.0
    (out / "zarr.json").write_text(json.dumps(root))
    res = invoke("status", out, "--verify")
    assert res.exit_code == 1 and "verified" not in res.output, res.output
    assert "carries add_offset, by which readers decode its values" in res.output
    assert "coordinate 'time': its array 'time' carries units='days since 2000-01-01'" in res.output
    assert "differs from its own zarr.json in attribute scale_factor" in res.output
    again = invoke(*args)
    assert again.exit_code == 0 and "1 already done" in again.output, again.output  # headers rewritten, data kept
    assert invoke("status", out, "--verify").exit_code == 0
    np.testing.assert_array_equal(bb.open_results(out).V.values, clean)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plain = xr.open_zarr(out)
        np.testing.assert_array_equal(plain.V.values, clean)
        assert plain.time.dtype.kind == "f"


def test_cf_attributes_on_the_status_array_are_reported_and_repaired(nan_runs, tmp_path):
    """Fifth store audit: add_offset -1 on status (its own header and the consolidated copy) made plain xarray, the
    documented way to tell done runs (status == 2), read failed runs as done; status --verify said verified."""
    import json
    import xarray as xr

    out = _copy(nan_runs[0], tmp_path)  # NAN_RUNS: drive -1.0 failed (NaN), 1.0 done
    args = (*NAN_RUNS, "--out", out)
    for meta, get in ((out / "status" / "zarr.json", lambda d: d),
                      (out / "zarr.json", lambda d: d["consolidated_metadata"]["metadata"]["status"])):
        doc = json.loads(meta.read_text())
        get(doc)["attributes"]["add_offset"] = -1
        meta.write_text(json.dumps(doc))
    res = invoke("status", out, "--verify")
    assert res.exit_code == 1 and "its array 'status' carries add_offset" in res.output, res.output
    assert "verified" not in res.output
    assert invoke(*args).exit_code == 1  # the failed run fails again; the header is rewritten from the spec
    plain = xr.open_zarr(out).status.values
    assert sorted(plain.ravel().tolist()) == [2, 3]  # done and failed, as the codes say (README)
    assert "its array 'status'" not in invoke("status", out, "--verify").output


def test_a_status_chunk_replaced_by_a_folder_is_named_in_one_line_not_a_traceback_on_every_sweep(two_runs, tmp_path):
    out = _copy(two_runs, tmp_path)
    args = (*TWO_RUNS, "--out", out)
    chunk = out / "status" / "c" / "0" / "0"
    chunk.unlink()
    (chunk / "x").mkdir(parents=True)
    res = CliRunner().invoke(main, [str(a) for a in args])
    assert res.exit_code != 0 and "Traceback" not in res.output, res.output
    assert f"a chunk of its array 'status' is a folder or sits under a file where zarr writes a file ({chunk})" \
        in res.output and "brainbatch does not remove what it did not write" in res.output
    assert (chunk / "x").is_dir()  # left for the user
    shutil.rmtree(chunk)
    again = invoke(*args)
    assert again.exit_code == 0 and "1 run(s) done" in again.output, again.output


def test_an_edited_chunk_shape_is_damage_and_the_next_sweep_rewrites_the_header_keeping_the_runs(two_runs, tmp_path):
    # the codec chain was compared with the spec, the chunk grid was not: every run read as done, then
    # open_results failed to decode it ("cannot reshape"), and sweep --verify redid the runs under the edited grid
    import json

    out = _copy(two_runs, tmp_path)
    args = (*TWO_RUNS, "--out", out)
    before = bb.open_results(out).V.values
    header = out / "V" / "zarr.json"
    doc = json.loads(header.read_text())
    shape = doc["chunk_grid"]["configuration"]["chunk_shape"]
    doc["chunk_grid"]["configuration"]["chunk_shape"] = [*shape[:-2], 2 * shape[-2], shape[-1]]
    header.write_text(json.dumps(doc))
    res = invoke("status", out)
    assert res.exit_code == 1 and f"its array 'V' is chunked {[*shape[:-2], 2 * shape[-2], shape[-1]]} where the store " \
        f"writes {shape}" in res.output, res.output
    with pytest.raises(bb.store.StoreDamagedError, match="is chunked .* Running the sweep again rewrites the header"):
        bb.open_results(out)
    again = invoke(*args)
    assert again.exit_code == 0 and "2 already done" in again.output, again.output
    assert json.loads(header.read_text())["chunk_grid"]["configuration"]["chunk_shape"] == shape
    np.testing.assert_array_equal(bb.open_results(out).V.values, before)


def test_a_run_already_done_in_its_batch_is_not_run_again_nor_failed_when_a_later_lane_cannot_be_marked(tmp_path):
    # A batch marks its runs done one by one; an error marking a later lane (a status write that fails: EIO on a
    # network filesystem, a folder made read-only) sent every lane of the batch through the one-run-at-a-time
    # retry, the finished one included: it was set running again, and the same error then wrote it failed over
    # its done status, its complete data to be computed again.
    out = tmp_path / "b.zarr"
    calls = []

    def status_write_fails():
        calls.append(True)
        if len(calls) > 1:  # every mark after the first lane's
            raise OSError(5, "Input/output error")

    HOOKS["before-done"] = status_write_fails
    try:
        res = bb.sweep(TOY, seeds=1, params={"drive": [1.2, 1.5]}, duration=5, out=str(out), batch_size=2,
                       devices="cpu", progress=False)
    finally:
        del HOOKS["before-done"]
    assert res.done == 1 and [c for c, _ in res.failed] == [{"seed": 0, "drive": 1.5}]
    store = ResultStore.open(out, "r")
    assert store.status_of(store.run_index(seed=0, drive=1.2)) == "done"
    assert store.status_of(store.run_index(seed=0, drive=1.5)) == "failed"
    assert not store.verify(full=True)


def test_a_failure_whose_store_is_rebuilt_just_before_it_is_written_lands_nowhere(tmp_path):
    # the batch's build fails, its generation is checked, then the rebuild lands before the failure is written:
    # the old model's error and 'failed' went into the store another sweep now owns
    out = tmp_path / "w.zarr"
    calls = []

    def rebuild_once():
        calls.append(True)
        if len(calls) == 1:
            _rebuild_with_dt(out, 0.05)

    def breaks():
        raise RuntimeError("an allocation failed")

    HOOKS["run"], HOOKS["fail-write"] = breaks, rebuild_once
    try:
        res = bb.sweep(TOY, duration=5, seeds=1, params={"drive": [1.5]}, out=str(out), progress=False)
    finally:
        del HOOKS["run"], HOOKS["fail-write"]
    assert (res.done, res.failed, res.unfinished) == (0, [], 1)
    store = ResultStore.open(out, "r")
    assert store.spec.dt == 0.05 and list(store.status().ravel()) == ["pending"]
    assert not np.asarray(zarr.open_group(str(out), mode="r")["error"][...]).any()


def _another_sweeps_store(out):
    """The store rebuilt by another sweep, which runs one run (its worker gone: no lease) and finished another."""
    _rebuild_with_dt(out, 0.05)
    store = ResultStore.open(out)
    store.set_status(store.run_index(seed=0, drive=1.2), "running")
    store.set_status(store.run_index(seed=0, drive=1.8), "done")


def test_a_sweep_interrupted_after_its_store_was_rebuilt_leaves_the_new_store_alone(tmp_path):
    # Ctrl-C after another sweep rebuilt the store: the interrupted batch and the clean-up after it turned that
    # sweep's running run pending with this sweep's 'interrupted' text, and its done run was counted finished here
    out = tmp_path / "i.zarr"

    def rebuild_then_stop():
        _another_sweeps_store(out)
        raise KeyboardInterrupt("stopped on request")

    HOOKS["run"] = rebuild_then_stop
    try:
        with pytest.raises(KeyboardInterrupt) as stopped:
            bb.sweep(TOY, duration=5, seeds=1, params={"drive": [1.2, 1.5, 1.8]}, out=str(out), batch_size=2,
                     devices="cpu", progress=False)  # one device: one batch meets the hook (two raced to it)
    finally:
        del HOOKS["run"]
    assert stopped.value.brainbatch["done"] == 0
    store = ResultStore.open(out, "r")
    assert store.spec.dt == 0.05 and store.status().ravel().tolist() == ["running", "pending", "done"]
    assert not np.asarray(zarr.open_group(str(out), mode="r")["error"][...]).any()


def test_a_lost_dask_task_whose_store_is_rebuilt_while_its_runs_are_marked_failed_leaves_them_pending(tmp_path):
    # the coordinator checked the generation once, then marked each run of a lost task failed: a rebuild landing
    # after the check got the old task's failures
    from brainbatch.sweep.api import prepare
    from brainbatch.sweep.executors.dask import _mark_failed

    out = tmp_path / "d.zarr"
    task = prepare(TOY, seeds=1, params={"drive": [1.2, 1.5]}, out=str(out), duration=5, batch_size=2,
                   devices="cpu").tasks[0]
    calls = []

    def rebuild_at_the_second():
        calls.append(True)
        if len(calls) == 2:
            _rebuild_with_dt(out, 0.05)

    HOOKS["fail-write"] = rebuild_at_the_second
    try:
        report = _mark_failed(task, "dask task failed: KilledWorker")
    finally:
        del HOOKS["fail-write"]
    assert [c for c, _ in report.failed] == [{"seed": 0, "drive": 1.2}]  # in the old store, gone with it
    assert [c for c, _ in report.unfinished] == [{"seed": 0, "drive": 1.5}]
    store = ResultStore.open(out, "r")
    assert store.spec.dt == 0.05 and set(store.status().ravel()) == {"pending"}
    assert not np.asarray(zarr.open_group(str(out), mode="r")["error"][...]).any()


def test_a_run_marked_done_while_a_rebuild_writes_its_arrays_is_pending_in_the_rebuilt_store(two_runs, tmp_path):
    # A rebuild replaces the arrays first and writes its new generation last: a stale worker marking a run done
    # in between saw the old generation before and after its write, and its 'done' (with no data) stayed in the
    # rebuilt store, where no sweep would run it again
    out = _copy(two_runs, tmp_path, "m.zarr")  # TWO_RUNS
    stale = ResultStore.open(out)
    gen = stale.generation
    stale.set_status(stale.run_index(seed=0, drive=1.5), "pending")  # a run this stale worker still computes

    def stale_writer_finishes():
        stale.set_status(stale.run_index(seed=0, drive=1.2), "failed", "a stale failure")
        stale.mark_done(stale.run_index(seed=0, drive=1.5), steps=stale.spec.n_steps, generation=gen)

    HOOKS["layout-arrays"] = stale_writer_finishes
    try:
        _rebuild_with_dt(out, 0.05)
    finally:
        del HOOKS["layout-arrays"]
    store = ResultStore.open(out, "r")
    assert store.spec.dt == 0.05 and store.generation != gen
    assert set(store.status().ravel()) == {"pending"}
    assert not np.asarray(zarr.open_group(str(out), mode="r")["error"][...]).any()
