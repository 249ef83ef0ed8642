"""Session 33 store audit: text a store cannot hold as UTF-8 (a lone surrogate, Python's stand-in for a byte of a file
name or argument that is not UTF-8).

- A failed run's error text holding one (the traceback of an experiment kept in a folder named in Latin-1) ended the
  sweep with a UnicodeEncodeError while writing the failure, leaving the run pending, and every re-run the same: the
  text is now written with the character as ``\\udce9``, so the row decodes as UTF-8, as docs/store.md tells plain
  readers to decode it.
- A text value of a swept parameter holding one failed half-way through creating the store with zarr's "TypeError:
  Invalid unicode code point found"; it is now refused in one line, before anything is written (exit 2 on the CLI).
- A sweep of an experiment in such a folder wrote its command and paths into the root zarr.json as JSON escapes of
  lone surrogates, which strict parsers (serde_json, nlohmann) refuse; they are now written as the text ``\\udce9``.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import zarr

from brainbatch.store import ResultStore, StoreError, VarSpec

LATIN1_FOLDER = "/data/caf\udce9"  # os.fsdecode(b"/data/caf\xe9") under a UTF-8 locale


def _plain_text(path, index) -> str:
    """A run's error text as docs/store.md tells a reader without brainbatch to decode it."""
    row = np.asarray(zarr.open_group(str(path), mode="r")["error"][index])
    return bytes(row).rstrip(b"\0").decode("utf-8")


@pytest.mark.parametrize("repeat", [1, 2000], ids=["short", "cut"])
def test_an_error_text_with_a_lone_surrogate_is_written_and_decodes_as_utf8(tmp_path, make_spec, repeat):
    store = ResultStore.create(tmp_path / "s.zarr", make_spec())
    run = store.runs()[1]
    error = "FileNotFoundError: " + f"{LATIN1_FOLDER}/input.npy " * repeat
    store.set_status(run, "failed", error=error)  # raised UnicodeEncodeError
    assert ResultStore.open(tmp_path / "s.zarr", "r").status()[run.index] == "failed"
    text = _plain_text(tmp_path / "s.zarr", run.index)
    assert text.startswith("FileNotFoundError: /data/caf\\udce9/input.npy")  # the byte named, as Python escapes it
    assert store.error(run) == text
    if repeat > 1:  # cut at the row's 4096 bytes, on a character boundary
        assert text.endswith(" ...[error text cut]") and len(text.encode()) <= 4096


def test_a_text_value_with_a_lone_surrogate_is_refused_before_anything_is_written(tmp_path, make_spec):
    with pytest.raises(StoreError, match=r"swept axis 'label' has the value 'caf\\udce9', which is not Unicode "
                                         r"text: it holds a lone surrogate"):
        ResultStore.create(tmp_path / "s.zarr", make_spec(params={"we": [0.4], "label": ["a", "caf\udce9"]}))
    assert not (tmp_path / "s.zarr").exists()
    with pytest.raises(StoreError, match=r"variable name 'V_caf\\udce9' is not Unicode text"):
        ResultStore.create(tmp_path / "s.zarr", make_spec(records=(VarSpec("V_caf\udce9", ("E_neuron",), (6,),
                                                                           "float32"),)))
    assert not (tmp_path / "s.zarr").exists()


def test_the_cli_refuses_such_a_value_in_one_line(tmp_path):
    from click.testing import CliRunner

    from brainbatch.cli import main

    toy = (Path(__file__).resolve().parents[1] / "sweep" / "experiments" / "toy.py").read_text()
    exp = tmp_path / "labelled.py"  # the toy population with a text-valued parameter
    exp.write_text(toy.replace("def build(n=20, drive=1.5):", "def build(n=20, drive=1.5, label='a'):"))
    out = tmp_path / "s.zarr"
    res = CliRunner().invoke(main, ["sweep", str(exp), "--seeds", "1", "-p", "n=4", "-p", "label=a,caf\udce9",
                                    "--out", str(out), "-q"])
    assert res.exit_code == 2, res.output
    assert "swept axis 'label' has the value 'caf\\udce9', which is not Unicode text" in res.output, res.output
    assert "Traceback" not in res.output and not out.exists()


def _strict_json(path) -> dict:
    """A root zarr.json read as a strict parser reads it (serde_json, nlohmann: no lone surrogate in an escape)."""
    import json

    doc = json.loads(Path(path, "zarr.json").read_text())

    def walk(value):
        if isinstance(value, str):
            value.encode("utf-8")  # raises on a lone surrogate
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k), walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(doc)
    return doc


def test_a_sweep_from_a_folder_named_in_another_encoding_writes_strict_json_and_merges_again(tmp_path, make_spec):
    # the command and the experiment's path were written as JSON escapes of lone surrogates, which strict
    # parsers refuse: no independent reader could open the store's root
    import dataclasses

    attrs = {"command": f"brainbatch sweep {LATIN1_FOLDER}/x.py", "experiment_path": f"{LATIN1_FOLDER}/x.py",
             "helpers": {f"{LATIN1_FOLDER}/h.py": "f" * 64}}
    spec = dataclasses.replace(make_spec(), experiment="caf\udce9", attrs=attrs)
    store = ResultStore.create(tmp_path / "s.zarr", spec)
    attrs_read = _strict_json(tmp_path / "s.zarr")["attributes"]
    assert attrs_read["experiment_path"] == "/data/caf\\udce9/x.py"  # the byte named, as Python escapes it
    store.mark_done(store.runs()[0], steps=store.spec.n_steps)
    again = ResultStore.create(tmp_path / "s.zarr", spec)  # the same sweep again: the same store, its run still done
    assert again.status()[store.runs()[0].index] == "done"
