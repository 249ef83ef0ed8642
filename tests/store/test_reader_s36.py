"""Session 36: a store's metadata as a strict Zarr v3 reader parses it, and names no Windows folder can hold.

- Every ``zarr.json`` of a store holding plastic weights (``pre``/``post`` coordinates), a done, a failed and a pending
  run, text and bool parameters, int64, float64 (every 2 steps) and complex128 data parses as RFC 8259 JSON (no bare
  NaN/Infinity) and has the members, codec configurations, fill value encodings and ``dimension_names`` the Zarr v3
  core spec (zarr-specs, v3/core: "Array metadata", "Data types", codecs bytes/zstd/crc32c) defines; the consolidated
  copy in the root equals each node's own; no file lies in the tree but ``zarr.json`` documents and chunks in their
  arrays' grids (leases are removed when runs end).
- A record, dim or parameter named with a character no Windows folder can have (``rate:E``: on NTFS ``:`` names a
  stream; ``\\``, ``*``, ``?``, ``"``, ``<``, ``>``, ``|``, control characters) or ending with a dot or blank (which
  Windows drops: ``V.`` and ``V`` are one folder there) made a store that could not be copied or unzipped onto
  Windows; the spec recommends names of letters, digits, ``-``, ``_`` and ``.``. Refused in one line now, before
  anything is written, as names differing only in case are.
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest

from brainbatch.store import ResultStore, StoreError, StoreSpec, VarSpec

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sweep"))
from _support import TOY, invoke  # noqa: E402

#: v3 core data types and the one extension a store uses (zarr-python's text, for text-valued parameters)
CORE = {"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16", "float32",
        "float64", "complex64", "complex128"}
ARRAY_REQUIRED = {"zarr_format", "node_type", "shape", "data_type", "chunk_grid", "chunk_key_encoding", "fill_value",
                  "codecs"}
ARRAY_OPTIONAL = {"attributes", "dimension_names", "storage_transformers"}
#: codec name -> the configuration keys its spec defines (zstd: zarr-specs codecs/zstd; crc32c: none)
CODEC_KEYS = {"bytes": {"endian"}, "zstd": {"level", "checksum"}, "crc32c": set(), "vlen-utf8": set()}


def strict(path: Path) -> dict:
    def refuse(token):
        raise AssertionError(f"{path}: bare JSON token {token}")

    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        assert len(keys) == len(set(keys)), f"{path}: duplicate keys"
        return dict(pairs)

    doc = json.loads(path.read_bytes().decode("utf-8"), parse_constant=refuse, object_pairs_hook=no_duplicates)
    assert isinstance(doc, dict) and doc["zarr_format"] == 3 and doc["node_type"] in ("group", "array"), path
    return doc


def float_fill_ok(value) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)) or value in ("NaN", "Infinity",
                                                                                           "-Infinity")


def check_array(meta: dict, where: str) -> None:
    assert ARRAY_REQUIRED <= set(meta) and set(meta) <= ARRAY_REQUIRED | ARRAY_OPTIONAL | {"consolidated_metadata"}, where
    assert meta.get("storage_transformers", []) == [], where
    dtype, shape, fill = meta["data_type"], meta["shape"], meta["fill_value"]
    assert dtype in CORE or dtype == "string", where
    assert meta["chunk_grid"]["name"] == "regular" and set(meta["chunk_grid"]["configuration"]) == {"chunk_shape"}
    chunks = meta["chunk_grid"]["configuration"]["chunk_shape"]
    assert len(chunks) == len(shape) and all(type(c) is int and c > 0 for c in chunks), where
    assert meta["chunk_key_encoding"] == {"name": "default", "configuration": {"separator": "/"}}, where
    assert len(meta["dimension_names"]) == len(shape) and all(isinstance(d, str) for d in meta["dimension_names"])
    if dtype == "bool":
        assert fill is False, where
    elif dtype.startswith(("int", "uint")):
        assert type(fill) is int and np.iinfo(dtype).min <= fill <= np.iinfo(dtype).max, where
    elif dtype.startswith("float"):
        assert float_fill_ok(fill), where
    elif dtype.startswith("complex"):
        assert isinstance(fill, list) and len(fill) == 2 and all(map(float_fill_ok, fill)), where
    else:
        assert isinstance(fill, str), where
    names = [c["name"] for c in meta["codecs"]]
    assert names == (["vlen-utf8"] if dtype == "string" else ["bytes"]) + ["zstd", "crc32c"], where
    for codec in meta["codecs"]:
        assert set(codec) <= {"name", "configuration"}, where
        conf = codec.get("configuration", {})
        assert set(conf) <= CODEC_KEYS[codec["name"]], (where, codec)
        if codec["name"] == "bytes" and np.dtype(dtype).itemsize > 1:
            assert conf["endian"] in ("little", "big"), where
        if codec["name"] == "zstd":
            assert type(conf["level"]) is int and type(conf.get("checksum", False)) is bool, where


@pytest.fixture(scope="module")
def store(tmp_path_factory, worker) -> Path:
    weights = VarSpec("S.w", ("S_synapse",), (6,), "float32", kind="weights",
                      synapses={"k": 3, "n_post": 3, "targets": "S.targets"})
    spec = StoreSpec(
        "s36", "a" * 64, {"label": ["a", "b"], "on": [True]}, [0, 1], 6, 0.1, time_chunk=4,
        records=(weights, VarSpec("E.n", ("E_neuron",), (2,), "int64"),
                 VarSpec("E.x", ("E_neuron",), (2,), "float64", every=2)),
        states=(VarSpec("S.targets", ("S_pre", "S_slot"), (2, 3), "int32"), weights,
                VarSpec("E.c", ("E_neuron",), (2,), "complex128")),
        attrs={"defaults": {"cap": math.inf, "skip": math.nan}})
    path = tmp_path_factory.mktemp("s36") / "s.zarr"
    rs = ResultStore.create(path, spec)
    runs = rs.runs()
    worker["write_run"](rs, runs[0])
    rs.set_status(runs[1].index, "failed", error="boom")  # runs[2], runs[3]: pending, never written
    return path


def test_every_zarr_json_is_strict_json_with_the_spec_members(store):
    docs = {meta.parent.relative_to(store).as_posix(): strict(meta) for meta in store.rglob("zarr.json")}
    arrays = {p: d for p, d in docs.items() if d["node_type"] == "array"}
    assert {"S.w", "pre", "post", "E.n", "E.x", "states/E.c", "error", "status", "label", "on"} <= set(arrays)
    for path, meta in arrays.items():
        check_array(meta, path)
    for path, meta in docs.items():
        if meta["node_type"] == "group":
            assert set(meta) <= {"zarr_format", "node_type", "attributes", "consolidated_metadata"}, path
    assert {p for p, m in arrays.items() if m["data_type"] not in CORE} == {"label", "states/label"}
    assert docs["."]["attributes"]["defaults"] == {"cap": "Infinity", "skip": "NaN"}
    copies = docs["."]["consolidated_metadata"]
    assert copies["must_understand"] is False and set(copies["metadata"]) == set(docs) - {"."}
    for path, copy in copies["metadata"].items():
        copy = {k: v for k, v in copy.items() if k != "consolidated_metadata"}
        assert copy == docs[path], path


def test_no_file_but_metadata_and_chunks_in_their_grids(store):
    status = np.asarray(json.loads((store / "status" / "zarr.json").read_text())["shape"])
    assert status.tolist() == [2, 2, 1]
    for f in store.rglob("*"):
        if f.is_dir() or f.name == "zarr.json":
            continue
        rel = f.relative_to(store).parts
        cut = rel.index("c")
        meta = json.loads(Path(store, *rel[:cut], "zarr.json").read_text())
        index = [int(i) for i in rel[cut + 1:]]
        grid = [-(-n // c) for n, c in zip(meta["shape"], meta["chunk_grid"]["configuration"]["chunk_shape"])]
        assert len(index) == len(grid) and all(0 <= i < g for i, g in zip(index, grid)), f
    assert ResultStore.open(store, "r").status().ravel().tolist().count("failed") == 1
    assert [f for f in (store / "error" / "c").rglob("*") if f.is_file()]  # the failed run's text
    assert not list((store / "leases").iterdir())[1:]  # only its zarr.json


@pytest.mark.parametrize("bad", ["rate:E", "a\\b", "w*", "x?", 'q"', "a<b", "a>b", "p|q", "tab\there", "V.", "V "])
@pytest.mark.parametrize("where", ["record", "dim", "param"])
def test_a_name_no_windows_folder_can_have_is_refused_before_anything_is_written(tmp_path, bad, where):
    names = {"record": "E.V", "dim": "E_neuron", "param": "rate", where: bad}
    var = VarSpec(names["record"], (names["dim"],), (3,), "float32")
    spec = StoreSpec("x", "h", {names["param"]: [1.0, 2.0]}, [0], 4, 0.1, records=(var,), states=(var,))
    with pytest.raises(StoreError) as err:
        ResultStore.create(tmp_path / "s.zarr", spec)
    message = str(err.value)
    assert "\n" not in message and repr(bad) in message and "Windows" in message
    assert not (tmp_path / "s.zarr").exists() and not list(tmp_path.iterdir())


def test_names_spec_readers_and_windows_take_are_kept(tmp_path):
    var = VarSpec("E.V-1_a..b", ("E_neuron",), (3,), "float32")
    ResultStore.create(tmp_path / "s.zarr", StoreSpec("x", "h", {"tau_ms": [1.0]}, [0], 4, 0.1, records=(var,)))
    assert (tmp_path / "s.zarr" / "E.V-1_a..b" / "zarr.json").is_file()


def test_the_sweep_refuses_a_monitor_named_with_a_colon_in_one_line(tmp_path):
    exp = tmp_path / "colon.py"
    exp.write_text(Path(TOY).read_text().replace('monitors = {"spikes": "G.spike", "V": "G.V"}',
                                                 'monitors = {"rate:G": "G.spike"}'))
    assert '"rate:G"' in exp.read_text()
    out = tmp_path / "out.zarr"
    res = invoke("sweep", exp, "--out", out, "--duration", "1", "-q")
    assert res.returncode == 2, res.stderr
    assert "'rate:G' holds ':'" in res.stderr and "Traceback" not in res.stderr
    assert not out.exists() and not [p for p in tmp_path.iterdir() if "building" in p.name]
