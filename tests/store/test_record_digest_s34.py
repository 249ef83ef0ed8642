"""Session 34: each record chunk of a run carries a digest (``checkpoint/record_crc``) of its values, its run, its
time block and its store, checked by the full checks.

Before: the crc32c codec covers a chunk's bytes only, so a record chunk file copied from run A over the same chunk of
run B (or over another time block of one run) decoded fine, and ``status --verify``, ``sweep --verify``,
``verify(full=True)`` and ``open_results`` all called B done with A's data.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import zarr

from brainbatch.store import ResultStore

MOVED = "its values are not those written there for this run"
UNDIGESTED = "its records' digests (checkpoint/record_crc) are missing or unreadable"


def _chunk(path, name, *idx) -> Path:
    return Path(path, name, "c", *map(str, idx))


def _done_store(tmp_path, spec, worker, name="s.zarr") -> ResultStore:
    """Every run of ``spec`` written in pieces of 5 samples (time chunks of 8: chunks written in part, read back)."""
    return worker["write_store"](tmp_path / name, spec)


def _as_before_digests(path) -> None:
    """Make the store at ``path`` one made before record digests: no ``record_crc`` array, no key in ``integrity``."""
    shutil.rmtree(Path(path, "checkpoint", "record_crc"))
    for meta in (Path(path, "zarr.json"), Path(path, "status", "zarr.json")):
        doc = json.loads(meta.read_text())
        doc["attributes"]["integrity"].pop("records")
        doc.get("consolidated_metadata", None) and doc["consolidated_metadata"]["metadata"].pop(
            "checkpoint/record_crc", None)
        meta.write_text(json.dumps(doc))


def test_a_chunk_copied_from_another_run_or_time_block_is_damaged_and_an_identical_rewrite_is_not(
        tmp_path, spec, worker):
    store = _done_store(tmp_path, spec, worker)
    assert store.keeps_digests and store.verify(full=True) == {}
    doc = json.loads(Path(store.path, "zarr.json").read_text())
    assert doc["attributes"]["integrity"]["records"].startswith("crc32")
    digests = zarr.open_array(str(Path(store.path, "checkpoint", "record_crc")), mode="r")
    # rows E.V, E.g, E.spike (sorted); E.g (every 7, one sample per chunk) has 5 time chunks, the others 4
    assert digests.shape == (2, 2, 3, 5) and digests.attrs["records"] == ["E.V", "E.g", "E.spike"]
    held = np.asarray(digests[...]) > 2**32
    assert held[:, :, 1].all() and held[:, :, [0, 2], :4].all() and not held[:, :, [0, 2], 4].any()
    # an identical rewrite (the same values again, in other pieces) keeps the run whole
    values = worker["record_values"](spec.var("E.V"), spec.n_steps, 0, 0.4)
    store.write_record((0, 0), "E.V", 3, values[3:20])
    assert store.verify(full=True) == {}
    # run (0, 0)'s first chunk of E.V over run (1, 1)'s; run (0, 1)'s chunks 0 and 1 of E.spike swapped
    shutil.copyfile(_chunk(store.path, "E.V", 0, 0, 0, 0), _chunk(store.path, "E.V", 1, 1, 0, 0))
    a, b = _chunk(store.path, "E.spike", 0, 1, 0, 0), _chunk(store.path, "E.spike", 0, 1, 1, 0)
    first = a.read_bytes()
    a.write_bytes(b.read_bytes())
    b.write_bytes(first)
    assert store.verify(full=False) == {}  # the cheap checks read no record data (every chunk is there)
    damaged = ResultStore.open(store.path, "r").verify(full=True)
    assert sorted(damaged) == [(0, 1), (1, 1)]
    assert damaged[(1, 1)] == f"chunk c/1/1/0/0 of 'E.V': {MOVED} (their digest differs: a chunk file copied from " \
                              "another run or time block, or values written there by hand)"
    assert damaged[(0, 1)].startswith(f"chunk c/0/1/0/0 of 'E.spike': {MOVED}")
    # valid values written by hand over a done run's record (zarr's region write): not the run's own either
    arr = zarr.open_array(str(Path(store.path, "E.g")), mode="r+")
    arr[1, 0, 2] = np.asarray(arr[1, 0, 2]) + 1.0
    assert sorted(ResultStore.open(store.path, "r").verify(full=True)) == [(0, 1), (1, 0), (1, 1)]


def test_a_run_continued_past_its_old_end_digests_its_partial_last_chunk_anew(tmp_path, make_spec, worker):
    spec = make_spec(n_steps=20)  # E.V: chunks of 8 samples, the last (16..20) partial; E.g (every 7): 3 samples
    store = _done_store(tmp_path, spec, worker)
    assert zarr.open_array(str(Path(store.path, "checkpoint", "record_crc")), mode="r").shape == (2, 2, 3, 3)
    longer = make_spec(n_steps=30)
    store = ResultStore.create(store.path, longer)  # the store grows in time; done runs turn pending
    assert store.counts()["done"] == 0
    assert zarr.open_array(str(Path(store.path, "checkpoint", "record_crc")), mode="r").shape == (2, 2, 3, 5)  # was 3
    for run in store.runs():  # each run goes on from step 20: the partial chunk of E.V is written in part
        params = [run.params[p] for p in longer.params]
        for var in longer.records:
            full = worker["record_values"](var, 30, run.seed, *params)
            kept = -(-20 // var.every)
            store.write_record(run, var.name, kept, full[kept:])
        store.mark_done(run)
    # E.V's chunk 2 (samples 16..23) holds the old run's 16..19 and the new 20..23: the writer read back the first
    # part and digested the chunk whole (its old digest covered 16..19 only)
    assert store.verify(full=True) == {}


def test_a_lost_digest_record_leaves_the_done_runs_unvouched(tmp_path, spec, worker):
    store = _done_store(tmp_path, spec, worker)
    shutil.rmtree(Path(store.path, "checkpoint", "record_crc", "c", "1"))  # the digests of seed 1's runs
    damaged = ResultStore.open(store.path, "r").verify(full=False)  # one listing, as for the records' own chunks
    assert sorted(damaged) == [(1, 0), (1, 1)] and "record_crc" in damaged[(1, 0)]
    shutil.rmtree(Path(store.path, "checkpoint", "record_crc"))  # the whole array: its key in `integrity` remains
    damaged = ResultStore.open(store.path, "r").verify(full=False)
    assert len(damaged) == 4 and all(UNDIGESTED in why for why in damaged.values())
    store = ResultStore.create(store.path, spec)  # the next sweep makes it anew, empty: nothing vouches for them
    assert Path(store.path, "checkpoint", "record_crc", "zarr.json").is_file()
    assert sorted(store.verify(full=True)) == [(0, 0), (0, 1), (1, 0), (1, 1)]


def test_a_chunk_a_resume_would_keep_is_checked_against_its_digest(tmp_path, spec, worker):
    store = ResultStore.create(tmp_path / "s.zarr", spec)
    worker["write_run"](store, store.runs()[0])
    run = store.run_index(seed=1, we=0.6)
    for var in spec.records:  # the records of its first 17 steps (written in pieces of 5)
        store.write_record(run, var.name, 0, worker["record_values"](var, spec.n_steps, 1, 0.6)[:17])
    assert store.record_chunk_problem(run, "E.V", 1, store.read_record(run, "E.V", 8, 16)) == ""
    # chunk 1 of E.V (samples 8..15, all before step 17: kept as it is) taken from the done run (0, 0)
    shutil.copyfile(_chunk(store.path, "E.V", 0, 0, 1, 0), _chunk(store.path, "E.V", 1, 1, 1, 0))
    why = store.record_chunk_problem(run, "E.V", 1, store.read_record(run, "E.V", 8, 16))
    assert why.startswith("chunk c/1/1/1/0 of 'E.V': " + MOVED)
    # chunk 2 holds step 17 (samples 16..23): only its first samples are kept, and the writer digests it anew
    assert store.record_chunk_problem(run, "E.V", 2, store.read_record(run, "E.V", 16, 17)) == ""


def test_a_store_made_before_digests_keeps_its_checks_and_is_extended_without_them(tmp_path, make_spec, worker):
    spec = make_spec(n_steps=20)
    store = _done_store(tmp_path, spec, worker)
    _as_before_digests(store.path)
    shutil.copyfile(_chunk(store.path, "E.V", 0, 0, 0, 0), _chunk(store.path, "E.V", 1, 1, 0, 0))
    store = ResultStore.open(store.path, "r")
    assert not store.keeps_digests and store.verify(full=True) == {}  # as before: decoding only
    # more seeds and a longer duration: the store grows, the old rule stays, no digests appear
    store = ResultStore.create(store.path, make_spec(n_steps=30, seeds=[0, 1, 2]))
    assert not store.keeps_digests and not Path(store.path, "checkpoint", "record_crc").exists()
    assert "records" not in json.loads(Path(store.path, "zarr.json").read_text())["attributes"]["integrity"]
    for run in store.runs():
        worker["write_run"](store, run)
    assert store.verify(full=True) == {} and store.counts()["done"] == 6


PLASTIC = '''
import brainbatch as bb

monitors = {"spikes": "neu.spike", "V": bb.Monitor("neu.V", every=3, start=1.0),
            "count": bb.Monitor("neu.spike", reduce="sum"), "w": bb.Monitor("S.w", every=7)}
duration = 9.9


def build(n_in=6):
    inp = bb.PoissonGroup(n_in, freqs=300.0)
    neu = bb.LIF(4, V_rest=-74.0, V_reset=-60.0, V_th=-54.0, tau=10.0, V_initializer=bb.Constant(-55.0))
    S = bb.Projection(inp, neu, bb.FixedProb(0.5), bb.Exponential(5.0), bb.COBA(0.0), weight=bb.Uniform(0.0, 0.5),
                      plasticity=bb.STDP(dApre=0.05, dApost=-0.06, w_max=0.5))
    return bb.Network(inp=inp, neu=neu, S=S)
'''


#: The sweep's steps (PLASTIC's duration is FIRST's 9.9 ms). Compiled calls are 21 steps (chunk_steps=40 in whole
#: units of the strides 3 and 7; blocks of 3 steps): 99 steps are calls of 7, 7, 7, 7 and 5 blocks (the last time
#: chunk of the spikes, V and count partial), the continuation to 105 fills that chunk with one call of 2 blocks, and
#: 105 steps from step 0 are calls of 7 blocks: 7 programs to compile (100 and 130 steps compiled 13, among them
#: calls of single steps after step 100)
FIRST, LONGER = 99, 105


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    """A real sweep of strided, late-starting, reduced and synapse records over a swept size (padded runs), made in
    time chunks of a compiled call, then continued past its end (its partial last chunks written again)."""
    import brainbatch as bb

    folder = tmp_path_factory.mktemp("digest")
    (folder / "plastic_digest.py").write_text(PLASTIC)
    kw = dict(seeds=2, params={"n_in": [4, 6]}, chunk_steps=40, checkpoint_every=0, progress=False, devices="cpu",
              out=str(folder / "p.zarr"))
    assert bb.sweep(str(folder / "plastic_digest.py"), **kw).done == 4
    short = ResultStore.open(folder / "p.zarr", "r").verify(full=True)
    # a chunk of V wholly before step FIRST (where the runs continue) of run (seed 0, n_in=4) taken from (0, 6)
    source, target = _chunk(folder / "p.zarr", "V", 0, 1, 0, 0), _chunk(folder / "p.zarr", "V", 0, 0, 0, 0)
    assert source.read_bytes() != target.read_bytes()
    shutil.copyfile(source, target)
    said: list = []
    assert bb.sweep(str(folder / "plastic_digest.py"), duration=LONGER / 10, echo=said.append, **kw).done == 4
    return folder, kw, short, "\n".join(said)


def test_a_real_sweep_verifies_after_it_grows_in_time_and_redoes_exactly_the_runs_given_others_chunks(swept, tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sweep"))
    from _support import arrays, invoke

    import brainbatch as bb

    folder, kw, short, said = swept
    assert short == {}  # FIRST steps: the last time chunk of every record partial
    # the run given another run's chunk before the step it continues from started again from step 0 instead
    assert (f"seed=0, n_in=4: starts again from step 0: its records of 'V' before step {FIRST}: chunk c/0/0/0/0 of 'V': "
            f"{MOVED}") in said, said
    path = tmp_path / "p.zarr"
    shutil.copytree(folder / "p.zarr", path)
    store = ResultStore.open(path, "r")
    assert store.verify(full=True) == {} and store.counts()["done"] == 4
    tail = zarr.open_array(str(path / "checkpoint" / "record_crc"), mode="r").shape[2:]
    assert tail == (4, max(-(-zarr.open_array(str(path / n), mode="r").shape[2] // store.time_chunk(n))
                           for n in ("spikes", "V", "count", "w")))
    before = arrays(path)
    # run (seed 0, n_in=4): its first two time chunks of V swapped; run (seed 1, n_in=4): the weights of
    # (seed 1, n_in=6) over its own (the same padded shape, a plausible graph)
    a, b = _chunk(path, "V", 0, 0, 0, 0), _chunk(path, "V", 0, 0, 1, 0)
    assert a.read_bytes() != b.read_bytes()
    first = a.read_bytes()
    a.write_bytes(b.read_bytes())
    b.write_bytes(first)
    shutil.copyfile(_chunk(path, "w", 1, 1, 0, 0), _chunk(path, "w", 1, 0, 0, 0))
    res = invoke("status", path, "--verify")
    assert res.returncode == 1 and "damaged: 2 done run(s)" in res.stdout, res.stdout
    assert f"seed=0, n_in=4: chunk c/0/0/0/0 of 'V': {MOVED}" in res.stdout, res.stdout
    assert f"seed=1, n_in=4: chunk c/1/0/0/0 of 'w': {MOVED}" in res.stdout, res.stdout
    redone = bb.sweep(str(folder / "plastic_digest.py"), **{**kw, "out": str(path), "duration": LONGER / 10, "verify": True})
    assert redone.done == 2 and sorted(redone.damaged) == ["seed=0, n_in=4", "seed=1, n_in=4"], redone.damaged
    after = arrays(path)
    assert all(np.array_equal(after[k], v, equal_nan=True) for k, v in before.items() if not k.startswith("error"))
    assert invoke("status", path, "--verify").returncode == 0
