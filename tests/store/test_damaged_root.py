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
