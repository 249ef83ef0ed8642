"""Damaged stores: checksums (crc32c) and written empty chunks make damage visible; ``status --verify``
finds damaged runs, a resume redoes exactly those, and a damaged root is called damaged."""
import json
import re
import shutil

import numpy as np
import pytest
import xarray as xr

import brainbatch as bb
from brainbatch.store import ResultStore, StoreDamagedError, StoreError
from _support import TOY, arrays
from _support import invoke as cli  # in this process: damage is found by reading, no process of its own needed
from _support import invoke_many as cli_many

SWEEP = ["sweep", TOY, "--seeds", "2", "-p", "drive=1.2,1.5", "--duration", "20"]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    folder = tmp_path_factory.mktemp("damage")
    res = cli(*SWEEP, "--out", folder / "base.zarr", "-q", cwd=folder)
    assert res.returncode == 0, res.stderr
    return folder / "base.zarr"


@pytest.fixture(scope="module")
def base_arrays(base):
    """Every array of the base store, read once (a test compares a repaired copy with it)."""
    return arrays(base)


def _as_base(store, base_arrays) -> bool:
    """Every array of ``store`` holds what the base store holds (NaN == NaN)."""
    return all(np.array_equal(v, base_arrays[k], equal_nan=True) for k, v in arrays(store).items())


@pytest.fixture
def store(base, tmp_path):
    copy = tmp_path / "s.zarr"
    shutil.copytree(base, copy)
    return copy


def _chunk(store, name, index):
    path = store / name / "c" / "/".join(map(str, index))
    if path.is_file():
        return path
    files = sorted(path.rglob("*"))
    files = [f for f in files if f.is_file()]
    assert files, f"no chunk file of {name} {index}"
    return files[0]


def _done(stdout):
    return int(re.search(r"(\d+) run\(s\) done", stdout).group(1))


def test_every_array_carries_a_crc32c_checksum_that_other_readers_check(base, base_arrays):
    meta = json.loads((base / "spikes" / "zarr.json").read_text())
    assert [c["name"] for c in meta["codecs"]] == ["bytes", "zstd", "crc32c"]
    ds = xr.open_zarr(base)
    assert ds.spikes.dtype == bool and ds.status.values.tolist() == [[2, 2], [2, 2]]
    ts = pytest.importorskip("tensorstore")
    v = ts.open({"driver": "zarr3", "kvstore": {"driver": "file", "path": str(base / "V")}}).result()
    np.testing.assert_array_equal(v[...].read().result(), base_arrays["V"])


def test_a_deleted_chunk_is_found_and_exactly_its_run_redone(store, base_arrays, tmp_path):
    _chunk(store, "spikes", (1, 0)).unlink()  # an all-False raster chunk of a done run: it used to read as "no spikes"
    for extra in ((), ("--verify",)):  # plain status lists the chunks too: a run missing one is not reported done
        res = cli("status", store, *extra, cwd=tmp_path)
        assert res.returncode == 1 and "damaged: 1 done run(s)" in res.stdout, res.stdout
        assert "seed=1, drive=1.2: chunk c/1/0/0/0 of 'spikes' is missing" in res.stdout
        # the table never counts it as done
        assert re.search(r"done\s+3\n", res.stdout) and re.search(r"damaged\s+1\n", res.stdout), res.stdout
        # nor the steps line: it said 100 % beside the damaged run
        assert re.search(r"steps +(\d+) / (\d+) \(75\.0%, not counting the 1 damaged run\(s\)\)", res.stdout), res.stdout
    # a reader neither: the missing raster would read as silence
    with pytest.warns(bb.store.StoreDamagedWarning, match="1 run\\(s\\) marked done have damaged data"):
        ds = bb.open_results(store)
    run = ds.sel(seed=1, drive=1.2)
    assert not bool(run.done) and str(run.status.values) == "damaged" and "'spikes' is missing" in str(run.error.values)
    assert int(ds.done.sum()) == 3 and bool(ds.sel(seed=0, drive=1.2).done)
    res = cli(*SWEEP, "--out", store, "--dry-run", cwd=tmp_path)  # the dry run counts what the sweep will redo
    assert res.returncode == 0 and re.search(r"runs\s+4 \(1 to run\)", res.stdout), res.stdout
    res = cli(*SWEEP, "--out", store, cwd=tmp_path)  # a plain resume finds missing chunks itself
    assert res.returncode == 0 and _done(res.stdout) == 1, res.stderr
    assert "had damaged data and are run again: seed=1, drive=1.2" in res.stderr
    assert _as_base(store, base_arrays)


def test_a_truncated_chunk_is_found_and_exactly_its_run_redone(store, base_arrays, tmp_path):
    chunk = _chunk(store, "V", (0, 1))
    chunk.write_bytes(chunk.read_bytes()[:20])
    status, show = cli_many([("status", store, "--verify"), ("show", store)], cwd=tmp_path)
    assert status.returncode == 1 and "seed=0, drive=1.5" in status.stdout and "damaged" in status.stdout
    assert "Traceback" not in status.stderr + show.stderr and show.returncode == 0
    res = cli(*SWEEP, "--out", store, "--verify", cwd=tmp_path)
    assert res.returncode == 0 and _done(res.stdout) == 1, res.stderr
    assert _as_base(store, base_arrays)
    assert cli("status", store, "--verify", cwd=tmp_path).returncode == 0


def test_a_truncated_array_metadata_is_repaired_without_losing_runs(store, base_arrays, tmp_path):
    meta = store / "V" / "zarr.json"
    meta.write_bytes(meta.read_bytes()[:25])
    show, status = cli_many([("show", store), ("status", store, "--verify")], cwd=tmp_path)
    assert show.returncode == 2 and "is damaged" in show.stderr and "Traceback" not in show.stderr, show.stderr
    assert status.returncode == 1 and "the metadata of 'V' cannot be read" in status.stdout
    res = cli(*SWEEP, "--out", store, cwd=tmp_path)
    assert res.returncode == 0 and _done(res.stdout) == 0, res.stderr  # chunks intact: nothing to redo
    assert _as_base(store, base_arrays)
    assert cli("show", store, cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("name", ["checkpoint/slot_step", "checkpoint/G.V"])
def test_a_truncated_checkpoint_array_metadata_is_repaired_and_the_store_extends(store, base, tmp_path, name):
    # every sweep into the store died with a raw JSONDecodeError: it could be neither resumed nor extended
    meta = store / name / "zarr.json"
    meta.write_bytes(meta.read_bytes()[:25])
    res = cli(*SWEEP, "--out", store, cwd=tmp_path)
    assert res.returncode == 0 and _done(res.stdout) == 0, res.stderr
    assert json.loads(meta.read_text())["node_type"] == "array"
    longer = cli(*SWEEP[:-1], "40", "--out", store, cwd=tmp_path)
    assert longer.returncode == 0 and _done(longer.stdout) == 4, longer.stderr
    assert cli("status", store, "--verify", cwd=tmp_path).returncode == 0


def test_a_truncated_root_is_reported_as_damaged_not_foreign(store, tmp_path):
    root = store / "zarr.json"
    root.write_bytes(root.read_bytes()[:40])
    commands = [("status", store), ("show", store), ("plot", store), (*SWEEP, "--out", store, "-q")]
    for args, res in zip(commands, cli_many(commands, cwd=tmp_path)):
        assert res.returncode == 2 and "damaged brainbatch store" in res.stderr, (args, res.stderr)
        assert "not a brainbatch store" not in res.stderr and "Traceback" not in res.stderr
    assert root.stat().st_size == 40  # left as it was


def test_a_damaged_status_chunk_makes_the_run_pending(store, base_arrays, tmp_path):
    chunk = _chunk(store, "status", (1, 1))
    chunk.write_bytes(b"garbage")
    res = cli("status", store, "--verify", cwd=tmp_path)
    assert res.returncode == 1 and "damaged status chunk" in res.stdout and "seed=1, drive=1.5" in res.stdout
    res = cli(*SWEEP, "--out", store, "-q", cwd=tmp_path)
    assert res.returncode == 0 and _done(res.stdout) == 1, res.stderr
    assert _as_base(store, base_arrays)


def test_damaged_coordinates_are_reported_read_from_the_spec_and_rewritten(store, base, tmp_path):
    for name in ("drive", "time"):  # zarr reads a deleted chunk as its fill value: NaN (0.0 in older stores)
        _chunk(store, name, (0,)).unlink()
    assert np.isnan(xr.open_zarr(store).drive.values).all()  # what a plain reader sees
    res = cli("status", store, "--verify", cwd=tmp_path)
    assert res.returncode == 1 and "damaged coordinates: 2" in res.stdout, res.stdout
    assert "coordinate 'drive' does not hold the labels" in res.stdout and "verified" not in res.stdout
    with pytest.warns(bb.store.StoreDamagedWarning, match=r"coordinate\(s\) \['drive', 'time'\]"):
        ds = bb.open_results(store)
    assert ds.drive.values.tolist() == [1.2, 1.5] and ds.time.values[:3].tolist() == [0.0, 0.1, 0.2]
    assert bool(ds.done.all())  # the runs' data are intact
    res = cli(*SWEEP, "--out", store, cwd=tmp_path)
    assert res.returncode == 0 and _done(res.stdout) == 0, res.stderr  # nothing redone: the labels are rewritten
    assert cli("status", store, "--verify", cwd=tmp_path).returncode == 0
    assert xr.open_zarr(store).drive.values.tolist() == [1.2, 1.5]


def test_plot_of_a_damaged_run_says_why_it_draws_nothing(store, tmp_path):
    _chunk(store, "spikes", (1, 0)).unlink()
    res = cli("plot", store, "--seed", "1", "-p", "drive=1.2", "--out", tmp_path / "plots", cwd=tmp_path)
    assert res.returncode == 2, res.stderr  # it said only "no finished run matches the selection"
    assert ("no finished run matches seed=1, drive=1.2 (1 damaged): damaged: chunk c/1/0/0/0 of 'spikes' is "
            "missing; `brainbatch status` lists the runs") in res.stderr, res.stderr


def test_a_root_copied_from_a_sibling_store_is_refused_not_used_to_relabel_the_runs(base, tmp_path):
    # the sibling swept the same values in another order: its spec lists drive [1.5, 1.2] where this store's whole
    # coordinate arrays hold [1.2, 1.5]; the next sweep rewrote the coordinates from the copied spec, and every done
    # run was then reported, verified, under the other drive
    from brainbatch.sweep.api import prepare

    sibling = tmp_path / "sibling.zarr"  # made by the sweep (its runs not run: only its root zarr.json is used)
    prepare(TOY, seeds=2, params={"drive": [1.5, 1.2]}, duration=20, out=str(sibling))
    store = tmp_path / "s.zarr"
    shutil.copytree(base, store)
    shutil.copy(sibling / "zarr.json", store / "zarr.json")
    drive = (store / "drive" / "c" / "0").read_bytes()
    res = cli(*SWEEP, "--out", store, cwd=tmp_path)
    said = "coordinate 'drive' holds [1.2, 1.5] where the store's spec lists [1.5, 1.2], and every chunk of it is whole"
    assert res.returncode == 2 and said in res.stderr and "nothing was changed" in res.stderr, res.stderr
    assert (store / "drive" / "c" / "0").read_bytes() == drive
    status = cli("status", store, "--verify", cwd=tmp_path)
    assert status.returncode == 1 and "replaced coordinates: 2" in status.stdout, status.stdout
    for read in (lambda: bb.open_results(store), lambda: bb.load_state(store, seed=0, drive=1.5)):
        with pytest.raises(bb.store.StoreDamagedError, match="which run is which is unknown"):
            read()


def test_swapped_dimension_names_are_found_refused_by_readers_and_repaired(store, base_arrays, tmp_path):
    # every check passed and open_results filed each run's V under another run's labels
    meta = store / "V" / "zarr.json"
    doc = json.loads(meta.read_text())
    doc["dimension_names"][0], doc["dimension_names"][1] = doc["dimension_names"][1], doc["dimension_names"][0]
    meta.write_text(json.dumps(doc))
    status = cli("status", store, "--verify", cwd=tmp_path)
    said = "its array 'V' is labelled with the dims ['drive', 'seed', 'time', 'G_neuron'] where the store's spec says"
    assert status.returncode == 1 and said in status.stdout, status.stdout
    with pytest.raises(bb.store.StoreDamagedError, match="labelled with the dims"):
        bb.open_results(store)
    res = cli(*SWEEP, "--out", store, cwd=tmp_path)
    assert res.returncode == 0 and _done(res.stdout) == 0, res.stderr  # the metadata rebuilt, the data kept
    assert json.loads(meta.read_text())["dimension_names"][:2] == ["seed", "drive"]
    assert _as_base(store, base_arrays)
    assert cli("status", store, "--verify", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("edit", ["dtype", "shape"])
def test_an_array_header_edited_to_another_type_or_shape_is_repaired_keeping_the_runs(store, base_arrays, tmp_path,
                                                                                      edit):
    # status said "the sweep with --verify repairs their metadata", and every sweep failed every run instead,
    # telling to run it again (bad-input audit); no change of the layout was under way, so the spec holds
    meta = store / "V" / "zarr.json"
    doc = json.loads(meta.read_text())
    if edit == "dtype":
        doc["data_type"] = "float64"  # readable (its NaN fill value too), of another type than the float32 runs wrote
    else:
        doc["shape"][-1] += 5
    meta.write_text(json.dumps(doc))
    status = cli("status", store, cwd=tmp_path)
    assert status.returncode == 1 and "its array 'V' holds" in status.stdout, status.stdout
    res = cli(*SWEEP, "--out", store, cwd=tmp_path)
    assert res.returncode == 0 and _done(res.stdout) == 0, res.stderr  # the metadata rebuilt, the data kept
    assert _as_base(store, base_arrays)
    assert cli("status", store, "--verify", cwd=tmp_path).returncode == 0


def test_an_array_replaced_by_data_of_another_type_is_redone_not_relabelled(store, base_arrays, tmp_path):
    # the header rebuilt from the spec cannot read the new chunks: no run stays done on them
    import zarr

    root = zarr.open_group(str(store), mode="r+", use_consolidated=False)
    old = root["V"]
    data, chunks, dims, attrs = old[...].astype("float64"), old.chunks, old.metadata.dimension_names, dict(old.attrs)
    del root["V"]
    new = root.create_array("V", shape=data.shape, chunks=chunks, dtype="float64", dimension_names=dims)
    new[...] = data
    new.update_attributes(attrs)
    res = cli(*SWEEP, "--out", store, cwd=tmp_path)
    assert res.returncode == 0 and _done(res.stdout) == 4, res.stdout + res.stderr  # every run computed again
    assert _as_base(store, base_arrays)
    assert cli("status", store, "--verify", cwd=tmp_path).returncode == 0


def test_verify_of_a_store_without_checksums_does_not_claim_every_chunk_is_there(store, tmp_path):
    """A store made before checksums: no `integrity` record anywhere and no crc32c codec on `status`."""
    import zarr

    root = zarr.open_group(str(store), mode="r+", use_consolidated=False)
    root.attrs.put({k: v for k, v in root.attrs.asdict().items() if k != "integrity"})
    old = root["status"]
    values, chunks, dims = old[...], old.chunks, old.metadata.dimension_names
    attrs = {k: v for k, v in old.attrs.asdict().items() if k != "integrity"}
    del root["status"]
    new = root.create_array("status", shape=values.shape, chunks=chunks, dtype=values.dtype, dimension_names=dims)
    new[...] = values
    new.update_attributes(attrs)
    res = cli("status", store, "--verify", cwd=tmp_path)
    assert res.returncode == 0 and "is present and passes" not in res.stdout, res.stdout
    assert "a missing chunk cannot be told from an empty one" in res.stdout


@pytest.mark.parametrize("inner", ["V", "states", "V/c", "status"])
def test_a_path_inside_a_store_names_the_store_and_offers_no_removal(store, tmp_path, inner):
    """Audit: `status s.zarr/V` said "not a brainbatch store ... remove this one if it is yours to remove"
    about an array of a store."""
    for command in (("status",), ("show",), ("plot", "--out", str(tmp_path / "figs"))):
        res = cli(*command, store / inner, cwd=tmp_path)
        assert res.returncode != 0 and "remove" not in res.stderr, res.stderr
        assert f"is '{inner}' inside the brainbatch store" in res.stderr and str(store.name) in res.stderr, res.stderr
    with pytest.raises(StoreError, match="inside the brainbatch store"):
        bb.open_results(store / inner)
    assert (store / inner).exists()


def test_verify_with_the_status_metadata_lost_does_not_send_the_user_back_to_itself(store, tmp_path):
    """Audit: with `status/zarr.json` deleted, `status --verify` answered "`brainbatch status --verify` lists
    the runs affected"."""
    (store / "status" / "zarr.json").unlink()
    res = cli("status", store, "--verify", cwd=tmp_path)
    assert res.returncode != 0 and "--verify" not in res.stderr and "Running the sweep again" in res.stderr, res.stderr
    res = cli(*SWEEP, "--out", store, cwd=tmp_path)  # the status chunks survived: every run stays done
    assert res.returncode == 0 and "0 run(s) done" in res.stdout and "4 already done" in res.stdout, res.stdout
    assert cli("status", store, "--verify", cwd=tmp_path).returncode == 0


def test_a_record_header_with_an_edited_codec_chain_is_damage_and_the_sweep_rewrites_it(store, base_arrays, tmp_path):
    """Audit: `endian: big` in V/zarr.json read every intact chunk as other numbers (crc32c is taken over the
    compressed bytes, so it still passed): `status --verify` said every chunk passes and the runs stayed done."""
    meta = store / "V" / "zarr.json"
    doc = json.loads(meta.read_text())
    next(c for c in doc["codecs"] if c["name"] == "bytes")["configuration"]["endian"] = "big"
    meta.write_text(json.dumps(doc))
    res = cli("status", store, "--verify", cwd=tmp_path)
    assert res.returncode != 0 and "read as big-endian where the store writes little-endian" in res.stdout, res.stdout
    with pytest.raises(StoreDamagedError, match="big-endian"):
        bb.open_results(store)
    res = cli(*SWEEP, "--out", store, cwd=tmp_path)  # the header is rewritten from the spec; the chunks were intact
    assert res.returncode == 0 and "4 already done" in res.stdout, res.stdout + res.stderr
    assert _as_base(store, base_arrays)
    assert cli("status", store, "--verify", cwd=tmp_path).returncode == 0


def test_a_root_with_another_time_base_over_the_runs_is_refused(store, tmp_path):
    """Audit: a root zarr.json copied from a sibling store with the same number of steps at another dt left the runs
    done under the wrong dt; the time axis, the only record of the real one, was called damaged and rewritten."""
    from brainbatch.sweep.api import prepare

    sibling = tmp_path / "half_dt.zarr"  # made by the sweep (its runs not run: only its root zarr.json is used)
    prepare(TOY, seeds=2, params={"drive": [1.2, 1.5]}, duration=10, dt=0.05, out=str(sibling))
    assert ResultStore.open(sibling, "r").spec.n_steps == ResultStore.open(store, "r").spec.n_steps
    shutil.copy(sibling / "zarr.json", store / "zarr.json")
    res = cli("status", store, "--verify", cwd=tmp_path)
    assert "coordinate 'time' holds the times [0.0, 0.1," in res.stdout and "(dt 0.05 ms" in res.stdout, res.stdout
    with pytest.raises(StoreDamagedError, match="coordinate 'time' holds the times"):
        bb.open_results(store)
    time_before = (store / "time").stat().st_mtime_ns, sorted(p.name for p in (store / "time").rglob("*"))
    res = cli("sweep", TOY, "--seeds", "2", "-p", "drive=1.2,1.5", "--duration", "10", "--dt", "0.05", "--out", store,
              cwd=tmp_path)
    assert res.returncode != 0 and "nothing was changed" in res.stderr, res.stdout + res.stderr
    assert ((store / "time").stat().st_mtime_ns, sorted(p.name for p in (store / "time").rglob("*"))) == time_before


@pytest.mark.parametrize("key, value", [("dt", "abc"), ("dt", 0.05), ("n_steps", 7), ("time_units", "s")])
def test_a_root_copy_of_the_time_base_edited_by_hand_is_a_damaged_store(store, tmp_path, key, value):
    """Audit: `dt` set to text in the root zarr.json crashed `show` with a traceback, and a plain reader was told
    another time base than the runs were computed with."""
    meta = store / "zarr.json"
    doc = json.loads(meta.read_text())
    doc["attributes"][key] = value
    doc.pop("consolidated_metadata", None)
    meta.write_text(json.dumps(doc))
    for command in (("status",), ("show",)):
        res = cli(*command, store, cwd=tmp_path)
        assert res.returncode == 2 and "Traceback" not in res.stderr, res.stderr
        assert f"its root attribute {key!r} is {value!r} where its spec says" in res.stderr, res.stderr
    with pytest.raises(StoreDamagedError, match=f"root attribute {key!r}"):
        bb.open_results(store)


def test_coordinates_read_nan_where_never_written_and_have_every_chunk(store, tmp_path):
    """Audit (independent reader): float coordinates had fill value 0.0 and a chunk holding only t = 0 was never
    written, so a deleted time chunk could read as valid times; the README says floats read NaN where never
    written, and every chunk is there."""
    import zarr

    from brainbatch.store import StoreDamagedWarning

    root = zarr.open_group(str(store), mode="r", use_consolidated=False)
    for name in ("time", "drive"):
        assert np.isnan(root[name].metadata.fill_value), name
    for name in ("time", "drive", "seed"):
        assert root[name].nchunks_initialized == root[name].nchunks, name
    (store / "time" / "c" / "0").unlink()
    assert np.isnan(zarr.open_array(str(store / "time"), mode="r")[0])  # a plain reader sees no time, not t = 0
    res = cli("status", store, cwd=tmp_path)
    assert "coordinate 'time'" in res.stdout, res.stdout
    with pytest.warns(StoreDamagedWarning):
        ds = bb.open_results(store)
    assert ds.time.values[:2].tolist() == [0.0, 0.1]  # the spec's labels


def test_a_done_run_whose_own_records_stop_short_of_the_end_is_damaged_and_redone(store, base_arrays, tmp_path):
    """Audit: a run set to done by hand (its status chunk copied from a done run) after an extension in time was cut
    off inside its last time chunk: every chunk was there, so `status --verify` verified it and the sweep kept it,
    though its progress record and its final state said 5003 of 5005 steps. Both are now compared with n_steps."""
    import zarr

    root = zarr.open_group(str(store), mode="r+", use_consolidated=False)
    root["checkpoint/steps_done"][0, 0] = 150
    slots = root["checkpoint/slot_step"][0, 1]
    slots[0] = 150
    root["checkpoint/slot_step"][0, 1] = slots
    res = cli("status", store, "--verify", cwd=tmp_path)
    assert res.returncode == 1 and "damaged       2" in res.stdout, res.stdout
    assert "its progress record says 150 of the 200 steps were written" in res.stdout
    assert "its final state was saved at step 150, not at the run's end (200)" in res.stdout
    res = cli(*SWEEP, "--out", store, "--verify", cwd=tmp_path)
    assert res.returncode == 0 and _done(res.stdout) == 2, res.stdout + res.stderr
    assert _as_base(store, base_arrays)


def test_plot_with_a_parameter_the_store_does_not_sweep_lists_the_swept_ones(store, tmp_path):
    """Audit: `plot -p xyz=1` said only "the store has no parameter 'xyz'"; `-p n=20` (a fixed default) the same."""
    res = cli("plot", store, "-p", "n=20", "--out", tmp_path / "figs", cwd=tmp_path)
    assert res.returncode == 2 and "('n' was not swept here: it is fixed at 20). Swept parameters: drive" in res.stderr
    res = cli("plot", store, "-p", "xyz=1", "--out", tmp_path / "figs", cwd=tmp_path)
    assert res.returncode == 2 and "Swept parameters: drive" in res.stderr, res.stderr


def test_status_codes_named_otherwise_than_written_are_damage_a_plain_reader_would_misread(store, base, tmp_path):
    """Audit: the names a plain reader gives the status codes (CF `flag_meanings` on `status`, `status_codes` on the
    root, docs/store.md) could be swapped by hand, 'failed' for 'done', and status --verify said every run passes."""
    meta = store / "status" / "zarr.json"
    doc = json.loads(meta.read_text())
    doc["attributes"]["flag_meanings"] = "pending running failed done"
    meta.write_text(json.dumps(doc))
    res = cli("status", store, "--verify", cwd=tmp_path)
    assert res.returncode == 1 and "flag_meanings='pending running failed done'" in res.stdout, res.stdout
    res = cli(*SWEEP, "--out", store, cwd=tmp_path)  # the header is rewritten from the spec; the runs stay done
    assert res.returncode == 0 and "4 already done" in res.stdout, res.stdout + res.stderr
    assert json.loads(meta.read_text())["attributes"]["flag_meanings"] == "pending running done failed"
    assert cli("status", store, "--verify", cwd=tmp_path).returncode == 0

    root = store / "zarr.json"
    doc = json.loads(root.read_text())
    doc["attributes"]["status_codes"] = {"pending": 0, "running": 1, "failed": 2, "done": 3}
    root.write_text(json.dumps(doc))
    res = cli("status", store, cwd=tmp_path)
    assert res.returncode != 0 and "its root attribute 'status_codes.done' is 3 where its spec says 2" in res.stderr, res.stdout + res.stderr
    with pytest.raises(StoreDamagedError, match="status_codes"):
        bb.open_results(store)


def test_status_codes_named_otherwise_in_the_consolidated_copy_are_damage(store, tmp_path):
    """Sixth audit: the status array's flag_meanings swapped in the root's consolidated copy of its metadata (what
    plain xarray.open_zarr reads: ds.status.attrs) passed status --verify; only the array's own zarr.json was
    compared."""
    root = store / "zarr.json"
    doc = json.loads(root.read_text())
    doc["consolidated_metadata"]["metadata"]["status"]["attributes"]["flag_meanings"] = "pending running failed done"
    root.write_text(json.dumps(doc))
    assert xr.open_zarr(store).status.attrs["flag_meanings"] == "pending running failed done"
    res = cli("status", store, "--verify", cwd=tmp_path)
    assert res.returncode == 1 and "differs from its own zarr.json in attribute flag_meanings" in res.stdout, res.stdout
    res = cli(*SWEEP, "--out", store, cwd=tmp_path)
    assert res.returncode == 0 and "4 already done" in res.stdout, res.stdout + res.stderr
    assert xr.open_zarr(store).status.attrs["flag_meanings"] == "pending running done failed"
    assert cli("status", store, "--verify", cwd=tmp_path).returncode == 0


def test_an_edited_fill_value_of_status_is_damage_and_the_sweep_rewrites_it(store, tmp_path):
    """Sixth audit: `fill_value: 2` on status made every run whose status chunk was never written (the new seeds of an
    extension) read as done for plain readers, and for brainbatch as done with missing chunks; status --verify named
    no edit and every later sweep kept the header."""
    import dataclasses

    meta = store / "status" / "zarr.json"
    doc = json.loads(meta.read_text())
    doc["fill_value"] = 2
    meta.write_text(json.dumps(doc))
    res = cli("status", store, cwd=tmp_path)
    assert res.returncode == 2 and "reads chunks never written as 2 (its fill_value)" in res.stderr, res.stdout + res.stderr
    with pytest.raises(StoreDamagedError, match="fill_value"):
        bb.open_results(store)
    res = cli(*SWEEP, "--out", store, cwd=tmp_path)  # the header is rewritten from the spec; the runs stay done
    assert res.returncode == 0 and "4 already done" in res.stdout, res.stdout + res.stderr
    assert json.loads(meta.read_text())["fill_value"] == 0
    spec = ResultStore.open(store, "r").spec
    ResultStore.create(store, dataclasses.replace(spec, seeds=[0, 1, 2]))  # new runs, their status never written
    assert xr.open_zarr(store).status.values.tolist() == [[2, 2], [2, 2], [0, 0]]
