"""A root zarr.json nested too deep, or a malformed 'design' attribute, is "a damaged brainbatch store"
in one line for every reader: status, show, plot, open_results (issue 19, item 14)."""
import json

import pytest
from click.testing import CliRunner

import brainbatch as bb
from brainbatch.cli import main
from brainbatch.store import ResultStore, StoreDamagedError


def _nested(doc):
    text = json.dumps(doc)
    at = text.index('"attributes": {') + len('"attributes": {')
    return text[:at] + '"junk": ' + "[" * 100000 + "]" * 100000 + ", " + text[at:]


def _design(value):
    def damage(doc):
        doc["attributes"]["design"] = value
        return json.dumps(doc)
    return damage


@pytest.mark.parametrize("damage,why", [
    (_nested, "does not parse"),
    (_design(5), "'design' attribute is malformed"),
    (_design({"ranges": 7, "samples": 4}), "'design' attribute is malformed (its ranges"),
    (_design({"ranges": {}, "samples": "zz"}), "'design' attribute is malformed (its sample count 'zz'"),
    (_design({"ranges": {"we": {"low": "a", "high": 1}}, "samples": 2}), "its ranges"),
])
def test_a_damaged_root_is_one_line_for_every_reader(tmp_path, spec, worker, damage, why):
    path = tmp_path / "s.zarr"
    store = ResultStore.create(path, spec)
    worker["write_run"](store, store.runs()[0])
    meta = path / "zarr.json"
    meta.write_text(damage(json.loads(meta.read_text())))
    for cmd in (["status", str(path)], ["show", str(path)], ["plot", str(path), "--out-dir", str(tmp_path / "p")]):
        res = CliRunner().invoke(main, cmd)
        assert res.exit_code == 2 and "Traceback" not in res.output, (cmd, res.output)
        lines = res.output.strip().splitlines()
        assert len(lines) == 1 and "is a damaged brainbatch store" in lines[0] and why in lines[0], (cmd, lines)
    with pytest.raises(StoreDamagedError, match=why.replace("(", r"\(")):
        bb.open_results(path)


@pytest.mark.parametrize("value", ["{}", 7, {"experiment": "toy"}])
def test_a_malformed_spec_is_refused_in_one_line_by_a_sweep_into_the_store_too(tmp_path, spec, value):
    # status/show already said "damaged"; a sweep (create on an existing store) raised a TypeError
    path = tmp_path / "s.zarr"
    ResultStore.create(path, spec)
    meta = path / "zarr.json"
    doc = json.loads(meta.read_text())
    doc["attributes"]["spec"] = value
    meta.write_text(json.dumps(doc))
    before = meta.read_text()
    with pytest.raises(StoreDamagedError, match="is a damaged brainbatch store: its root attributes hold no usable"):
        ResultStore.create(path, spec)
    assert meta.read_text() == before  # nothing was changed


def test_a_root_that_lost_its_integrity_record_still_finds_a_missing_chunk(tmp_path, spec, worker):
    """Store audit: with the root attribute 'integrity' removed, a deleted chunk of a done run read as fill and
    `status --verify` said every chunk was present. The status array keeps a copy of the record."""
    path = tmp_path / "s.zarr"
    store = ResultStore.create(path, spec)
    run = store.runs()[0]
    worker["write_run"](store, run)
    meta = path / "zarr.json"
    doc = json.loads(meta.read_text())
    doc["attributes"].pop("integrity")
    doc["consolidated_metadata"] = None
    meta.write_text(json.dumps(doc))
    name = spec.records[0].name
    chunk = next(p for p in sorted((path / name / "c").rglob("*")) if p.is_file())
    chunk.unlink()
    damaged = ResultStore.open(path).verify(full=False)
    assert run.index in damaged and "is missing" in damaged[run.index], damaged


def test_a_store_that_lost_both_integrity_records_still_finds_a_missing_chunk(tmp_path, spec, worker):
    """Hostile edit: with the root's 'integrity' and its copy on `status` both removed, the store looked made
    before checksums, so a deleted chunk of a done run read as fill and the run stayed done. The crc32c codec
    on `status` came in with the promise and still says it."""
    path = tmp_path / "s.zarr"
    store = ResultStore.create(path, spec)
    run = store.runs()[0]
    worker["write_run"](store, run)
    for meta in (path / "zarr.json", path / "status" / "zarr.json"):
        doc = json.loads(meta.read_text())
        assert doc["attributes"].pop("integrity")
        doc.pop("consolidated_metadata", None)
        meta.write_text(json.dumps(doc))
    name = spec.records[0].name
    chunk = next(p for p in sorted((path / name / "c").rglob("*")) if p.is_file())
    chunk.unlink()
    reopened = ResultStore.open(path)
    damaged = reopened.verify(full=False)
    assert run.index in damaged and "is missing" in damaged[run.index], damaged
