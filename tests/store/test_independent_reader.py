"""Every kind of store brainbatch writes, read by a Zarr v3 reader written from the spec alone (no zarr-python:
json, numpy, numcodecs' zstd and google_crc32c), gives the numbers and dims plain ``xarray.open_zarr`` shows.

Store kinds: a grid swept over float, text and bool values with spikes, ints, complex and float records (every
step, every 3 steps, from a start) and saved states/checkpoints, in several time chunks; that grid extended with a
seed; a sampled design extended in time; a swept size (padding, ``<dim>_count``) with NaN in done runs under
allow_nan; a store of every other dtype with non-finite build() defaults; one without checksums (a store made
before them, extended by today's writer). The spec points a reader relies on: strict JSON metadata, core data types
(the one extension: text-valued swept parameters, ``string`` + ``vlen-utf8``, outside the core spec and refused by
tensorstore), regular grids, the default chunk key encoding, bytes/zstd/crc32c, missing chunks as ``fill_value``,
the consolidated copy in the root agreeing with each node's own ``zarr.json``, no stray files.
"""
from __future__ import annotations

import gzip
import json
import math
import shutil
import struct
import warnings
from pathlib import Path

import google_crc32c
import numpy as np
import pytest
from numcodecs import Zstd

import brainbatch as bb
from brainbatch.store import ResultStore, StoreSpec, VarSpec

# ---------------------------------------------------------------------------- the reader (Zarr v3 spec)
#: the data types of the v3 core spec
CORE_TYPES = {"bool": "?", "int8": "i1", "int16": "i2", "int32": "i4", "int64": "i8", "uint8": "u1",
              "uint16": "u2", "uint32": "u4", "uint64": "u8", "float16": "f2", "float32": "f4", "float64": "f8",
              "complex64": "c8", "complex128": "c16"}
#: zarr-python's variable-length text: data type "string" with codec "vlen-utf8" (zarr-extensions, not core)
EXTENSION_TYPES = {"string": "O"}
ARRAY_KEYS = {"zarr_format", "node_type", "shape", "data_type", "chunk_grid", "chunk_key_encoding", "fill_value",
              "codecs"}
ARRAY_OPTIONAL = {"attributes", "dimension_names", "storage_transformers"}


class SpecError(AssertionError):
    pass


def strict_json(data: bytes) -> dict:
    """RFC 8259 JSON: a bare NaN or Infinity (Python's lenient extension) is refused."""
    def refuse(token: str):
        raise SpecError(f"non-JSON token {token} in metadata")

    doc = json.loads(data.decode("utf-8"), parse_constant=refuse)
    if not isinstance(doc, dict):
        raise SpecError("zarr.json does not hold an object")
    return doc


def _extra_keys(doc: dict, allowed: set[str], where: str) -> None:
    for key in set(doc) - allowed:  # the spec: an unknown member the reader may ignore says so
        if not (isinstance(doc[key], dict) and doc[key].get("must_understand") is False):
            raise SpecError(f"{where}: member {key!r} without must_understand: false")


def _float(value, dtype: np.dtype):
    if isinstance(value, str):
        special = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
        if value in special:
            return dtype.type(special[value])
        if value.startswith("0x"):  # the IEEE 754 bits as big-endian hex
            return np.frombuffer(bytes.fromhex(value[2:]), dtype.newbyteorder(">"))[0].astype(dtype)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        return dtype.type(value)
    raise SpecError(f"float fill_value {value!r}")


def data_type(meta: dict) -> np.dtype:
    name = meta["data_type"]
    if name in CORE_TYPES:
        return np.dtype(CORE_TYPES[name])
    if name in EXTENSION_TYPES:
        return np.dtype(EXTENSION_TYPES[name])
    raise SpecError(f"data_type {name!r} is neither core nor a known extension")


def fill_value(meta: dict, dtype: np.dtype):
    value, name = meta["fill_value"], meta["data_type"]
    if name == "bool" and isinstance(value, bool):
        return value
    if dtype.kind in "iu" and isinstance(value, int) and not isinstance(value, bool):
        if not np.iinfo(dtype).min <= value <= np.iinfo(dtype).max:
            raise SpecError(f"{name} fill_value {value} out of range")
        return dtype.type(value)
    if dtype.kind == "f":
        return _float(value, dtype)
    if dtype.kind == "c" and isinstance(value, list) and len(value) == 2:
        part = np.dtype(f"f{dtype.itemsize // 2}")
        return dtype.type(complex(_float(value[0], part), _float(value[1], part)))
    if name == "string" and isinstance(value, str):
        return value
    raise SpecError(f"{name} fill_value {value!r}")


def chunk_shape(meta: dict) -> tuple[int, ...]:
    grid = meta["chunk_grid"]
    if grid.get("name") != "regular" or set(grid) - {"name", "configuration"}:
        raise SpecError(f"chunk_grid {grid!r}")
    shape = grid["configuration"]["chunk_shape"]
    if len(shape) != len(meta["shape"]) or not all(isinstance(n, int) and n > 0 for n in shape):
        raise SpecError(f"chunk_shape {shape!r} of an array of shape {meta['shape']!r}")
    return tuple(shape)


def chunk_key(meta: dict, index: tuple[int, ...]) -> str:
    enc = meta["chunk_key_encoding"]
    name, conf = enc.get("name"), enc.get("configuration", {})
    if name == "default" and conf.get("separator", "/") in ("/", "."):
        return "c" + "".join(f"{conf.get('separator', '/')}{i}" for i in index)
    if name == "v2" and conf.get("separator", ".") in ("/", "."):
        return conf.get("separator", ".").join(map(str, index)) if index else "0"
    raise SpecError(f"chunk_key_encoding {enc!r}")


def codec_chain(meta: dict, dtype: np.dtype) -> tuple[list, dict, list]:
    """(array->array, array->bytes, bytes->bytes codecs), in encoding order, checked."""
    before, serializer, after = [], None, []
    for codec in meta["codecs"]:
        if not isinstance(codec, dict) or set(codec) - {"name", "configuration"}:
            raise SpecError(f"codec {codec!r}")
        name = codec["name"]
        if name == "transpose" and serializer is None:
            before.append(codec)
        elif name in ("bytes", "vlen-utf8") and serializer is None:
            endian = codec.get("configuration", {}).get("endian")
            if name == "bytes" and dtype.itemsize > 1 and endian not in ("little", "big"):
                raise SpecError(f"bytes codec without an endian for {dtype}")
            if name == "vlen-utf8" and meta["data_type"] != "string":
                raise SpecError("vlen-utf8 on an array that does not hold text")
            serializer = codec
        elif name in ("zstd", "gzip", "crc32c") and serializer is not None:
            after.append(codec)
        else:
            raise SpecError(f"codec {name!r} out of place or unknown to this reader")
    if serializer is None:
        raise SpecError("no array->bytes codec")
    return before, serializer, after


def decode_chunk(data: bytes, meta: dict, dtype: np.dtype, shape: tuple[int, ...]) -> np.ndarray:
    before, serializer, after = codec_chain(meta, dtype)
    for codec in reversed(after):
        if codec["name"] == "crc32c":  # a little-endian CRC-32C of the bytes before it, 4 bytes at the end
            data, trailer = data[:-4], data[-4:]
            if struct.unpack("<I", trailer)[0] != google_crc32c.value(data):
                raise SpecError("crc32c mismatch")
        elif codec["name"] == "zstd":
            data = bytes(Zstd().decode(data))
        else:
            data = gzip.decompress(data)
    for codec in before:
        shape = tuple(shape[i] for i in codec["configuration"]["order"])
    if serializer["name"] == "bytes":
        little = serializer.get("configuration", {}).get("endian", "little") == "little"
        arr = np.frombuffer(data, dtype.newbyteorder("<" if little else ">")).astype(dtype)
        if arr.size != math.prod(shape):
            raise SpecError(f"a chunk of {arr.size} elements where the chunk shape holds {math.prod(shape)}")
        arr = arr.reshape(shape)
    else:  # vlen-utf8: a u32 count, then per element a u32 length and its UTF-8 bytes (little-endian)
        (count,), pos, items = struct.unpack_from("<I", data), 4, []
        for _ in range(count):
            (n,) = struct.unpack_from("<I", data, pos)
            items.append(data[pos + 4:pos + 4 + n].decode("utf-8"))
            pos += 4 + n
        if count != math.prod(shape) or pos != len(data):
            raise SpecError("a vlen-utf8 chunk of another size")
        arr = np.array(items, dtype=object).reshape(shape)
    for codec in reversed(before):
        arr = np.transpose(arr, np.argsort(codec["configuration"]["order"]))
    return arr


def check_array_meta(meta: dict, where: str) -> None:
    if ARRAY_KEYS - set(meta):
        raise SpecError(f"{where}: missing {sorted(ARRAY_KEYS - set(meta))}")
    _extra_keys(meta, ARRAY_KEYS | ARRAY_OPTIONAL, where)
    if meta["zarr_format"] != 3 or meta.get("storage_transformers", []) != []:
        raise SpecError(f"{where}: zarr_format or storage_transformers")
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in meta["shape"]):
        raise SpecError(f"{where}: shape {meta['shape']!r}")
    names = meta.get("dimension_names")
    if names is not None and (len(names) != len(meta["shape"]) or
                              not all(n is None or isinstance(n, str) for n in names)):
        raise SpecError(f"{where}: dimension_names {names!r}")
    if not isinstance(meta.get("attributes", {}), dict):
        raise SpecError(f"{where}: attributes")


def read_array(folder: Path, meta: dict) -> tuple[np.ndarray, set[str]]:
    """The whole array (a missing chunk reads as fill_value), and the chunk keys found."""
    dtype, shape, chunks = data_type(meta), tuple(meta["shape"]), chunk_shape(meta)
    out = np.empty(shape, dtype=dtype)
    out[...] = fill_value(meta, dtype)
    keys = set()
    for index in np.ndindex(*(-(-n // c) for n, c in zip(shape, chunks))):
        key = chunk_key(meta, index)
        if not (folder / key).is_file():
            continue
        keys.add(key)
        chunk = decode_chunk((folder / key).read_bytes(), meta, dtype, chunks)
        where = tuple(slice(i * c, min((i + 1) * c, n)) for i, c, n in zip(index, chunks, shape))
        out[where] = chunk[tuple(slice(0, s.stop - s.start) for s in where)]  # edge chunks are whole
    return out, keys


def walk(store: Path) -> dict[str, dict]:
    """Every node, ``{path: zarr.json}``, by listing: v3 has no implicit groups, a child is a folder with zarr.json."""
    nodes: dict[str, dict] = {}

    def visit(folder: Path, path: str) -> None:
        meta = strict_json((folder / "zarr.json").read_bytes())
        where = path or "/"
        if meta.get("zarr_format") != 3 or meta.get("node_type") not in ("group", "array"):
            raise SpecError(f"{where}: zarr_format {meta.get('zarr_format')!r}, node_type {meta.get('node_type')!r}")
        if path and (path.rpartition("/")[2].startswith("__") or path.rpartition("/")[2] in (".", "..")):
            raise SpecError(f"{where}: a name the spec reserves")
        nodes[path] = meta
        if meta["node_type"] == "array":
            check_array_meta(meta, where)
            return
        _extra_keys(meta, {"zarr_format", "node_type", "attributes"}, where)
        for child in sorted(folder.iterdir()):
            if child.is_dir() and (child / "zarr.json").is_file():
                visit(child, f"{path}/{child.name}".lstrip("/"))

    visit(store, "")
    return nodes


def read_store(store: Path) -> tuple[dict[str, dict], dict[str, np.ndarray], dict[str, set[str]]]:
    nodes = walk(store)
    values, keys = {}, {}
    for path, meta in nodes.items():
        if meta["node_type"] == "array":
            values[path], keys[path] = read_array(store / path, meta)
    return nodes, values, keys


# ---------------------------------------------------------------------------- the stores
KINDS = '''
"""Float, text and bool parameters; spikes, ints, complex and floats at three time bases."""
import jax
import jax.numpy as jnp

import brainbatch as bb
from brainbatch.core.initializers import Normal


class Toy(bb.NeuGroup):
    def __init__(self, n, drive):
        super().__init__(n)
        self.drive = drive
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("V", Normal(0.0, 0.3), units="mV", description="membrane potential")
        self.init_variable("spike", False, dtype=bool, description="spike")
        self.init_variable("count", 0, dtype=jnp.int32, description="spikes so far")
        self.init_variable("z", jnp.ones(self.num, jnp.complex64), dtype=jnp.complex64)

    def update(self):
        noise = jax.random.normal(self.step_key(), self.V.shape)
        V = self.V.value + (self.drive - self.V.value) / 10.0 * bb.share.dt + 0.3 * noise
        spike = V > 1.0
        self.V.value = jnp.where(spike, 0.0, V)
        self.spike.value = spike
        self.count.value = self.count.value + spike.astype(jnp.int32)
        self.z.value = self.z.value * jnp.exp(0.1j * bb.share.dt)


monitors = {"spikes": "G.spike", "V": bb.Monitor("G.V", every=3), "count": "G.count",
            "late": bb.Monitor("G.V", start=0.8, index=[0, 2]), "z": "G.z"}
duration = 1.8  # 18 steps: whole blocks of the every-3 monitor in every call, one chunk program per label


def build(n=5, drive=1.5, label="a", on=False):
    return bb.Network(G=Toy(n, drive + (0.1 if label == "b" else 0.0) + (0.05 if on else 0.0)))
'''
TESTS = Path(__file__).resolve().parents[1]
TOY = str(TESTS / "sweep" / "experiments" / "toy.py")
NAN = str(TESTS / "sweep" / "experiments" / "nan.py")
#: text-valued swept parameters: the only arrays of a non-core data type (``string``) a store holds
TEXT_COORDS = {"label", "states/label"}


def _dtypes_spec(seeds: list[int], defaults: dict | None = None) -> StoreSpec:
    return StoreSpec(
        "dtypes", "d" * 64, {"we": [0.4, 0.6]}, seeds=seeds, n_steps=12, dt=0.1, time_chunk=5,
        records=(VarSpec("E.h", ("E_neuron",), (3,), "float16"), VarSpec("E.i8", ("E_neuron",), (3,), "int8"),
                 VarSpec("E.u64", ("E_neuron",), (3,), "uint64", every=4),
                 VarSpec("E.c", ("E_neuron",), (3,), "complex128")),
        states=(VarSpec("E.u32", ("E_neuron",), (3,), "uint32"), VarSpec("E.i16", (), (), "int16"),
                VarSpec("E.c64", ("E_neuron",), (3,), "complex64"), VarSpec("E.on", ("E_neuron",), (3,), "bool")),
        attrs={"defaults": {"cap": math.inf, "floor": -math.inf, "skip": math.nan} if defaults is None else defaults})


def _strip_checksums(path: Path) -> None:
    """Make ``path`` a store written before checksums: no crc32c codec (each chunk without its 4-byte trailer), no
    ``integrity`` record, no consolidated copy (the next create writes one)."""
    for meta_file in path.rglob("zarr.json"):
        meta = json.loads(meta_file.read_text())
        meta.pop("consolidated_metadata", None)
        meta.get("attributes", {}).pop("integrity", None)
        if meta["node_type"] == "array":
            meta["codecs"] = [c for c in meta["codecs"] if c["name"] != "crc32c"]
            for chunk in (meta_file.parent / "c").rglob("*") if (meta_file.parent / "c").is_dir() else ():
                if chunk.is_file():
                    chunk.write_bytes(chunk.read_bytes()[:-4])
        meta_file.write_text(json.dumps(meta))


@pytest.fixture(scope="module")
def stores(tmp_path_factory, worker) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("independent")
    (tmp / "kinds.py").write_text(KINDS)
    out = {name: tmp / f"{name}.zarr" for name in ("grid", "extended", "sampled", "nan", "dtypes", "unchecked")}
    grid = {"drive": [1.2, 1.5], "label": ["a", "b"], "on": [True]}
    kinds, quiet = str(tmp / "kinds.py"), {"progress": False}
    assert bb.sweep(kinds, seeds=1, params=grid, out=str(out["grid"]), chunk_steps=8, **quiet).done == 4
    shutil.copytree(out["grid"], out["extended"])
    assert bb.sweep(kinds, seeds=2, params=grid, out=str(out["extended"]), chunk_steps=8, **quiet).done == 4
    # then longer runs: the store grows in time (its last chunk partly filled); 10 then 15 steps: two chunk programs
    for duration in (1.0, 1.5):
        assert bb.sweep(TOY, seeds=1, params={"drive": bb.Range(1.0, 2.0)}, samples=3, duration=duration,
                        out=str(out["sampled"]), chunk_steps=4, **quiet).done == 3
    # a swept size (padding and G_neuron_count), NaN in done runs
    assert bb.sweep(NAN, seeds=1, params={"n": [4, 6]}, allow_nan=True, out=str(out["nan"]), **quiet).done == 4
    for name, seeds in (("dtypes", [0, 1]), ("unchecked", [0])):
        store = ResultStore.create(out[name], _dtypes_spec(seeds, None if name == "dtypes" else {"cap": 1.0}))
        for run in store.runs()[:3]:  # the fourth run of "dtypes" stays pending: its chunks read as fill_value
            worker["write_run"](store, run)
    _strip_checksums(out["unchecked"])
    store = ResultStore.create(out["unchecked"], _dtypes_spec([0, 1], {"cap": 1.0}))  # today's writer extends it
    for run in store.runs()[2:]:
        worker["write_run"](store, run)
    return out


STORES = ("grid", "extended", "sampled", "nan", "dtypes", "unchecked")


# ---------------------------------------------------------------------------- the checks
@pytest.mark.parametrize("name", STORES)
def test_a_spec_reader_reads_every_array_as_xarray_shows_it(stores, name):
    import xarray as xr

    nodes, values, _ = read_store(stores[name])
    groups = [p for p, m in nodes.items() if m["node_type"] == "group" and p != "leases"]
    assert {"", "states", "checkpoint"} <= set(groups)
    for group in groups:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zarr's note that consolidated metadata is not in the spec
            ds = xr.open_zarr(stores[name], group=group or None)
        mine = {p.rpartition("/")[2]: p for p, m in nodes.items()
                if m["node_type"] == "array" and p.rpartition("/")[0] == group}
        assert set(ds.variables) == set(mine), group
        for var, path in mine.items():
            seen, got = ds.variables[var], values[path]
            assert list(seen.dims) == nodes[path]["dimension_names"], path
            if got.dtype == object:
                assert [str(v) for v in seen.values.ravel()] == got.ravel().tolist(), path
            else:
                assert seen.dtype == got.dtype, path
                np.testing.assert_array_equal(seen.values, got, err_msg=path)


def test_the_stores_hold_what_their_sweeps_made(stores):
    """The fixture made the kinds the module docstring names (so the reader's checks cover them)."""
    _, grid, _ = read_store(stores["grid"])
    assert grid["label"].tolist() == ["a", "b"] and grid["on"].tolist() == [True] and grid["drive"].dtype == "f8"
    assert {"time", "time_every3", "time_from8"} <= set(grid) and grid["z"].dtype == np.complex64
    spikes = strict_json((stores["grid"] / "spikes" / "zarr.json").read_bytes())
    assert spikes["shape"][-2] == 18 and spikes["chunk_grid"]["configuration"]["chunk_shape"][-2] < 10  # 3+ chunks
    _, ext, _ = read_store(stores["extended"])
    assert ext["seed"].tolist() == [0, 1] and (ext["status"] == 2).all()
    _, sampled, _ = read_store(stores["sampled"])
    assert sampled["sample"].tolist() == [0, 1, 2] and sampled["time"].shape == (15,) and (sampled["status"] == 2).all()
    v = strict_json((stores["sampled"] / "V" / "zarr.json").read_bytes())  # the last time chunk partly filled
    assert v["shape"][-2] % v["chunk_grid"]["configuration"]["chunk_shape"][-2], v
    _, nan, _ = read_store(stores["nan"])
    assert np.isnan(nan["V"]).any() and (nan["status"] == 2).all()  # NaN data of done runs (allow_nan)
    assert nan["n"].tolist() == [4, 6] and (nan["G_neuron_count"] == [4, 6]).all() and nan["G_neuron"].size == 6
    for name in ("dtypes", "unchecked"):
        _, arrays, _ = read_store(stores[name])
        assert {str(arrays[n].dtype) for n in ("E.h", "E.i8", "E.u64", "E.c", "states/E.u32", "states/E.c64")} == {
            "float16", "int8", "uint64", "complex128", "uint32", "complex64"}
        assert arrays["status"].tolist() == ([[2, 2], [2, 0]] if name == "dtypes" else [[2, 2], [2, 2]])
        assert arrays["seed"].tolist() == [0, 1]
    _, arrays, keys = read_store(stores["dtypes"])
    assert "c/1/1/0/0" not in keys["E.h"] and np.isnan(arrays["E.h"][1, 1]).all()  # a missing chunk: NaN
    assert np.isnan(arrays["E.c"][1, 1]).all() and not arrays["states/E.on"][1, 1].any()
    root = strict_json((stores["dtypes"] / "zarr.json").read_bytes())  # non-finite values as Zarr's strings
    assert root["attributes"]["defaults"] == {"cap": "Infinity", "floor": "-Infinity", "skip": "NaN"}
    codecs = {p: [c["name"] for c in m["codecs"]] for p, m in walk(stores["unchecked"]).items() if "codecs" in m}
    assert set(map(tuple, codecs.values())) == {("bytes", "zstd")}, codecs  # no checksum anywhere, new arrays too


@pytest.mark.parametrize("name", STORES)
def test_metadata_is_core_zarr_v3_but_for_text_coordinates(stores, name):
    nodes = walk(stores[name])  # strict JSON, known members, regular grids, known chunk keys and codecs
    arrays = {p: m for p, m in nodes.items() if m["node_type"] == "array"}
    for path, meta in arrays.items():
        assert meta["chunk_key_encoding"] == {"name": "default", "configuration": {"separator": "/"}}, path
        codec_chain(meta, data_type(meta))
        for codec in meta["codecs"]:
            if codec["name"] == "bytes" and data_type(meta).itemsize > 1:
                assert codec["configuration"]["endian"] == "little", path
    # the one data type outside the v3 core: zarr-python's "string" (with its "vlen-utf8" codec), on the coordinates
    # of text-valued swept parameters only; tensorstore (and readers of the core spec) cannot open those arrays
    extension = {p for p, m in arrays.items() if m["data_type"] not in CORE_TYPES}
    assert extension == (TEXT_COORDS if name in ("grid", "extended") else set())
    for path in extension:
        assert arrays[path]["data_type"] == "string" and arrays[path]["codecs"][0] == {"name": "vlen-utf8",
                                                                                      "configuration": {}}


@pytest.mark.parametrize("name", STORES)
def test_consolidated_metadata_agrees_with_each_nodes_own(stores, name):
    nodes = walk(stores[name])
    copies = nodes[""]["consolidated_metadata"]
    assert copies["must_understand"] is False and copies["kind"] == "inline"
    assert set(copies["metadata"]) == set(nodes) - {""}
    for path, copy in copies["metadata"].items():
        copy = dict(copy)
        if copy["node_type"] == "group":  # zarr-python nests an empty summary in each group's copy
            assert copy.pop("consolidated_metadata", {}).get("metadata", {}) == {}, path
        assert copy == nodes[path], path


@pytest.mark.parametrize("name", STORES)
def test_no_file_a_reader_cannot_place(stores, name):
    """Every file is a node's zarr.json or a chunk inside its array's grid; every chunk of a done run is there."""
    nodes, values, keys = read_store(stores[name])
    store = stores[name]
    placed = {f"{p}/zarr.json".lstrip("/") for p in nodes}
    placed |= {f"{p}/{k}" for p, ks in keys.items() for k in ks}
    found = {f.relative_to(store).as_posix() for f in store.rglob("*") if f.is_file()}
    assert found == placed
    # done runs: every chunk of their records, states, status and error is on disk (one run per chunk)
    run_dims, done = nodes["status"]["dimension_names"], np.argwhere(values["status"] == 2)
    per_run = [p for p, m in nodes.items() if m["node_type"] == "array" and not p.startswith("checkpoint/")
               and m["dimension_names"][:len(run_dims)] == run_dims]
    assert {"status", "error"} <= set(per_run) and len(done)
    for path in per_run:
        rest = [-(-n // c) for n, c in zip(nodes[path]["shape"][len(run_dims):], chunk_shape(nodes[path])[len(run_dims):])]
        for run in done:
            want = {chunk_key(nodes[path], (*run, *i)) for i in np.ndindex(*rest)}
            assert want <= keys[path], (path, sorted(want - keys[path])[:3])


@pytest.mark.parametrize("name", ["grid", "dtypes"])
def test_tensorstore_reads_every_core_array_as_this_reader_does(stores, name):
    ts = pytest.importorskip("tensorstore")
    nodes, values, _ = read_store(stores[name])
    for path, meta in nodes.items():
        if meta["node_type"] != "array" or meta["data_type"] not in CORE_TYPES:
            continue
        arr = ts.open({"driver": "zarr3", "kvstore": {"driver": "file", "path": str(stores[name] / path)}},
                      read=True).result()
        np.testing.assert_array_equal(arr.read().result(), values[path], err_msg=path)
        assert list(arr.domain.labels) == meta["dimension_names"], path


def test_a_store_with_a_non_finite_default_is_resumed_and_extended(tmp_path):
    """A build() default of math.inf is stored as "Infinity" (strict JSON); the next create of the same spec compared
    it with the sweep's own inf and refused the store as "a different setup" (every resume of it too)."""
    store = ResultStore.create(tmp_path / "s.zarr", _dtypes_spec([0]))
    assert store.spec.attrs["defaults"] == {"cap": "Infinity", "floor": "-Infinity", "skip": "NaN"}
    again = ResultStore.create(tmp_path / "s.zarr", _dtypes_spec([0, 1]))
    assert again.spec.seeds == [0, 1]
