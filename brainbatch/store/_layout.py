"""Where things live in a store: array names, dims, chunks, fill values and status codes.

Everything about the on-disk layout that more than one module needs is decided here, so the
writer, the reader and the README agree. See ``README.md`` next to this file for the full layout.
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from ._spec import MAX_RUNS as MAX_RUNS
from ._spec import SAMPLE_DIM as SAMPLE_DIM
from ._run import Status
from ._spec import StoreSpec, VarSpec

SCHEMA_VERSION = 1
STATES_GROUP = "states"
# Root attribute written before a layout change (a --force rebuild, a longer duration) touches an array and
# removed with the new spec: present, the change was cut off (README "Layout changes").
LAYOUT_CHANGE = "brainbatch_layout_change"
# Per-run leases (owner + heartbeat): a group of small JSON files, see README "Leases".
LEASES_GROUP = "leases"
# Root attribute saying how the store protects its data (README "Checksums"): every chunk carries a
# crc32c checksum, and every chunk of a done run is on disk (empty chunks are written too), so a
# missing chunk is damage, not "no spikes". Stores without it (older ones) are checked by decoding only.
INTEGRITY = {"checksum": "crc32c", "empty_chunks": "written"}
# Stores made since also keep a digest of every time chunk of every record of a run (README "Checksums"): the crc32c
# codec covers a chunk's bytes, not which run or time block they belong to, so a chunk file copied from another run
# (or another time block) decoded fine and the run read as done with another's data. The key sits in ``integrity``
# next to the two promises above; stores without it have no digests and keep being checked by decoding only.
RECORD_DIGESTS = "records"
RECORD_DIGEST_RULE = "crc32 of each run's record chunks, its run, time block and store (checkpoint/record_crc)"
STATUS = "status"
ERROR = "error"
ERROR_DIM = "error_byte"
# Error text is UTF-8 in a fixed-width uint8 row per run (see README for why); longer text is cut.
ERROR_BYTES = 4096

# Checkpoints (see README "Checkpoints and progress"): the group, its per-run arrays and the slot dim.
CHECKPOINT_GROUP = "checkpoint"
STEPS_DONE = "steps_done"      # steps whose records are on disk, per run
SLOT_STEP = "slot_step"        # the step each state slot holds, per run and slot (0: none)
SLOT_CRC = "slot_crc"          # CRC-32 of each slot's arrays and step as saved, + 2**32 (0: not recorded)
MIXED_SAVES = ("its arrays are not those saved with its step for this run (their checksum differs: a copy or an edit "
               "mixed two saves, or put another run's state here)")
SLOT_DIM = "checkpoint_slot"
# The records' digests: per run, one int64 per record (rows in sorted name order: a spec that lists them in another
# order keeps its rows) and time chunk of that record, CRC-32 of the chunk's values as stored, the record's name, the
# chunk's position along time, the run's seed and parameter values and the store's ``store_id``, + 2**32 (0: none).
RECORD_CRC = "record_crc"
RECORD_CRC_DIMS = ("crc_record", "crc_chunk")
RECORD_CRC_BLOCK = 256         # time chunks per chunk of record_crc (a run of 10^6 chunks is not one 8 MB chunk)
UNDIGESTED = f"its records' digests ({CHECKPOINT_GROUP}/{RECORD_CRC}) are missing or unreadable, so they cannot be told from copies"
MOVED_CHUNK = ("its values are not those written there for this run (their digest differs: a chunk file copied from "
               "another run or time block, or values written there by hand)")
SLOTS = 2                      # slot 0 is states/ (the final state), slot 1 is checkpoint/<path>

# Status codes as stored; 0 is the fill value, so a run nobody has touched reads as pending.
STATUS_CODES: dict[Status, int] = {"pending": 0, "running": 1, "done": 2, "failed": 3}
STATUS_NAMES: dict[int, Status] = {code: name for name, code in STATUS_CODES.items()}

# Root attributes brainbatch writes itself; provenance keys with these names stay under "provenance" only.
ROOT_KEYS = (
    "brainbatch_schema", "experiment", "source_hash", "dt", "t0", "time_units", "n_steps", "params",
    "seeds", "spec", "provenance", "versions", "status_codes", "created", "updated", "finished", "integrity",
    "coordinates", "design", "step_indices", "state_checksum", "store_id", "sources_seen",
    # read by every sweep and reader too: finish(versions_seen=...) replaced the record of the versions that computed
    # the runs, and finish(brainbatch_layout_change=...) made the next sweep restart every done run
    "generation", "versions_seen", LAYOUT_CHANGE, "brainbatch_building",
)

# How saved states count step indices (the step of a neuron's last spike...: core.variable.mark_step_index):
# from the step each state was saved at (a spike k steps before it: -k), as a model holds them between runs.
# Stores written before say nothing and count them from their run's step 0; a sweep that resumes or extends
# one keeps its count (README "Checkpoints and progress").
STEP_INDICES = "step_indices"
FROM_SAVED_STEP = "counted from the step the state was saved at"

# What a saved state's checksum (checkpoint/slot_crc) covers: with the run (its seed and parameter values) too,
# a state swapped between two runs of one store, or copied onto another run, no longer passes as that run's
# own and is not resumed from. Stores written before cover the arrays and the step only, and keep that.
STATE_CRC = "state_checksum"
STATE_CRC_WITH_RUN = "arrays, step and run"
# Stores made since also cover the store itself (its ``store_id``, made once with it and kept by every later
# sweep, a forced new source included) and the experiment source that computed the state (``source_hash``): a
# checkpoint copied from a sibling store of the same layout (same run, same step, another model) no longer passes
# as this store's own, and a run kept through a forced new source is never continued by the new model (an
# extension in time runs it again from step 0). Its final state still verifies under the source it was computed
# by, one of ``sources_seen``. In these stores, as in those of the run rule, every saved slot has its checksum: a
# stamped slot whose checksum is 0, missing or unreadable is damaged.
STATE_CRC_WITH_STORE = "arrays, step, run, store and source"
STORE_ID = "store_id"
SOURCES_SEEN = "sources_seen"
#: a slot saved under this source cannot be continued by the store's current one (a run kept through --force)
OTHER_SOURCE = ("it was computed by an earlier source of the experiment (a run kept through a forced new source): "
                "a run is never continued by another model")
NO_CHECKSUM = "its checksum (checkpoint/slot_crc) is missing or unreadable, so it cannot be told from a copy"

# A chunk of one run's record aims at this many bytes (the design asks for about 1-8 MB).
TARGET_CHUNK_BYTES = 4 * 2**20


def coordinates_attr(spec: StoreSpec, root: bool = True) -> str:
    """The CF ``coordinates`` attribute of a group: its sampled parameters, which xarray then opens as
    non-dimension coordinates over ``sample``, and the count of real entries along each dim that some
    runs fill only partly (``E_neuron_count``, over the parameter dims); in the root group also the
    ``pre``/``post`` coordinates of recorded plastic weights; empty for a plain grid.

    >>> coordinates_attr(StoreSpec("x", "h", {"sample": [0, 1]}, [0], 10, 0.1, samples={"we": [0.4, 0.7]}))
    'we'
    """
    synapses = [n for pair in spec.synapse_coords().values() for n in pair] if root else []
    return " ".join([*spec.samples, *spec.extent_names().values(), *synapses])


def _decimals(x: float) -> int:
    text = np.format_float_positional(float(x), trim="-")
    return len(text.partition(".")[2])


def time_dim(every: int, first: int = 0) -> str:
    """Name of the time dim of a record sampled every ``every`` steps from step ``first`` (``Monitor.start``).

    >>> time_dim(1), time_dim(10), time_dim(1, 1000), time_dim(10, 1000)
    ('time', 'time_every10', 'time_from1000', 'time_every10_from1000')
    """
    name = "time" if every == 1 else f"time_every{every}"
    if first:
        name = f"time_from{first}" if every == 1 else f"{name}_from{first}"
    return name


def n_samples(n_steps: int, every: int, first: int = 0) -> int:
    """Samples of a record taken at steps first, first + every, ... below ``n_steps``.

    >>> n_samples(100, 1), n_samples(100, 30), n_samples(100, 10, 50)
    (100, 4, 5)
    """
    return max(0, -(-(n_steps - first) // every))


#: Samples per chunk of a time coordinate (8 MiB of float64): a run of 1e9 steps gets a coordinate
#: written and read a chunk at a time, never one array of gigabytes.
TIME_COORD_CHUNK = 2**20


def time_values(spec: StoreSpec, every: int, start: int = 0, stop: int | None = None, first: int = 0) -> np.ndarray:
    """Time in ms of samples ``start:stop`` (default all): sample k is step first + k*every, at
    ``t0 + (first + k*every)*dt``, rounded to the decimals of ``dt`` and ``t0`` as written, so
    ``ds.sel(time=0.3)`` finds step 3 of dt 0.1.

    >>> time_values(StoreSpec("x", "h", {}, [0], 4, 0.1), 1).tolist()
    [0.0, 0.1, 0.2, 0.3]
    """
    stop = n_samples(spec.n_steps, every, first) if stop is None else stop
    raw = spec.t0 + (first + np.arange(start, stop, dtype=np.float64) * every) * spec.dt
    return np.round(raw, min(15, max(_decimals(spec.dt), _decimals(spec.t0))))


def fill_value(dtype: str) -> float | complex | bool | int:
    """What an unwritten element reads as: NaN for floats (NaN + NaN j for complex), False for bool, 0 for
    integers."""
    kind = np.dtype(dtype).kind
    return (float("nan") if kind == "f" else complex(float("nan"), float("nan")) if kind == "c" else
            False if kind == "b" else 0)


def time_chunk(spec: StoreSpec, var: VarSpec) -> int:
    """Samples per chunk along the record's time dim.

    ``spec.time_chunk`` counts steps, so a record kept every n steps gets ``time_chunk // n``
    samples; without it the chunk of one run aims at ``TARGET_CHUNK_BYTES``. At most the samples of the run
    the arrays were made for (``spec.layout_steps``: a store grown in time since keeps its chunks).
    """
    total = n_samples(spec.layout_steps or spec.n_steps, var.every, var.first)
    if spec.time_chunk is not None:
        chunk = spec.time_chunk // var.every
    else:
        per_sample = math.prod(var.shape) * np.dtype(var.dtype).itemsize
        chunk = TARGET_CHUNK_BYTES // per_sample
    return int(max(1, min(max(chunk, 1), total)))


def record_dims(spec: StoreSpec, var: VarSpec) -> tuple[str, ...]:
    return (*spec.run_dims, time_dim(var.every, var.first), *var.dims)


def record_shape(spec: StoreSpec, var: VarSpec) -> tuple[int, ...]:
    return (*spec.run_shape, n_samples(spec.n_steps, var.every, var.first), *var.shape)


def record_chunks(spec: StoreSpec, var: VarSpec) -> tuple[int, ...]:
    # size 1 along seed and params: one run's writes never touch another run's chunk files
    return (*(1 for _ in spec.run_shape), time_chunk(spec, var), *var.shape)


def state_dims(spec: StoreSpec, var: VarSpec) -> tuple[str, ...]:
    return (*spec.run_dims, *var.dims)


def state_shape(spec: StoreSpec, var: VarSpec) -> tuple[int, ...]:
    return (*spec.run_shape, *var.shape)


def _root_else_status(root: Any, key: str, fits: Callable[[Any], bool]) -> Any:
    """Root attribute ``key``, else its copy on the ``status`` array's attributes, the first for which ``fits`` holds
    (None: neither): the records the store keeps twice so that a root losing its attributes loses none of them."""
    for attrs in (lambda: root.attrs, lambda: root[STATUS].attrs):
        try:
            found = attrs().get(key)
        except Exception:  # noqa: BLE001 - unreadable status metadata: no copy there
            continue
        if fits(found):
            return found
    return None


def store_id_of(root: Any) -> str:
    """The store's ``store_id``: the root attribute, else its copy on the ``status`` array (a root whose attributes
    lost it keeps its identity: a new id would fail every saved state's checksum, and each run would be computed
    again). "": neither, a store made before the id."""
    return _root_else_status(root, STORE_ID, lambda v: isinstance(v, str) and bool(v)) or ""


def identity_problem(root: Any) -> str | None:
    """Why the root attributes are not this store's own, judged by the copy of its ``store_id`` on the ``status`` array
    (made once, written before the root's): a root ``zarr.json`` restored from another store, with the same labels
    and time base but another id. None where they agree, or where either is absent (a store made before the copy, a
    root that lost its id)."""
    try:
        copy = dict(root[STATUS].attrs)
        attrs = dict(root.attrs)
    except Exception:  # noqa: BLE001 - unreadable status metadata: the readers' own checks name it
        return None
    ours, theirs = attrs.get(STORE_ID), copy.get(STORE_ID)
    if isinstance(ours, str) and ours and isinstance(theirs, str) and theirs and ours != theirs:
        return (f"its root attributes are another store's: store_id {ours!r}, where its status array records "
                f"{theirs!r} (a root zarr.json copied from another store?)")
    return None


def sources_seen_attrs(root: Any) -> dict:
    """The root attributes, with ``sources_seen`` from the copy on the ``status`` array where the root lost it (the
    sources whose kept runs' final states still verify: ``provenance.sources_seen_of`` reads the result)."""
    attrs = dict(root.attrs)
    seen = _root_else_status(root, SOURCES_SEEN, lambda v: isinstance(v, list))
    return attrs if seen is None else {**attrs, SOURCES_SEEN: seen}


def integrity_of(root: Any) -> dict:
    """The store's ``integrity`` record (README "Checksums"): the root attribute, else the copy on the
    ``status`` array, else what the ``status`` array's codecs imply (a root whose attributes lost it still
    says every chunk of a done run is on disk: without it a missing chunk read as fill, and ``verify`` said
    every chunk was present). ``{}``: none, a store made before checksums."""
    found = _root_else_status(root, "integrity", lambda v: isinstance(v, dict))
    if found is not None:
        return found
    try:
        codecs = root[STATUS].metadata.to_dict().get("codecs", [])
    except Exception:  # noqa: BLE001 - no readable status array: nothing to infer from
        return {}
    # the crc32c codec and writing every chunk came in together (one change of the writer), so a store
    # whose status carries the codec was written under the promise even when both records of it were
    # removed by hand; removing the codec from the metadata instead makes every chunk fail to decode
    if any(isinstance(c, dict) and c.get("name") == INTEGRITY["checksum"] for c in codecs):
        return dict(INTEGRITY)  # the digests' own key is not implied: keeps_digests looks for their array
    return {}


def integrity_record(digests: bool) -> dict:
    """The ``integrity`` record a store writes: ``INTEGRITY``, with the records' digests where it keeps them."""
    return {**INTEGRITY, **({RECORD_DIGESTS: RECORD_DIGEST_RULE} if digests else {})}


def full_integrity(root: Any) -> bool:
    """Whether the store records both promises of ``INTEGRITY`` (checksums, every chunk written), with or without
    the records' digests (``integrity_of``)."""
    found = integrity_of(root)
    return all(found.get(k) == v for k, v in INTEGRITY.items())


def keeps_digests(root: Any) -> bool:
    """Whether the store keeps its records' digests (``checkpoint/record_crc``): its ``integrity`` record says so (the
    root's or the copy on ``status``), or the array is there (a store whose both records lost the key)."""
    for attrs in (lambda: root.attrs, lambda: root[STATUS].attrs):
        try:
            found = attrs().get("integrity")
        except Exception:  # noqa: BLE001 - unreadable status metadata: no copy there
            continue
        if isinstance(found, dict) and found.get(RECORD_DIGESTS) == RECORD_DIGEST_RULE:
            return True
    try:
        return RECORD_CRC in root[CHECKPOINT_GROUP]
    except Exception:  # noqa: BLE001 - no checkpoint group, or unreadable: no digests to be found there either
        return False


def digest_rows(spec: StoreSpec) -> dict[str, int]:
    """Each record's row in ``record_crc``: sorted by name, so another order of the same records keeps them.

    >>> digest_rows(StoreSpec("x", "h", {}, [0], 4, 0.1, records=(VarSpec("b", (), (), "float32"),
    ...                                                             VarSpec("a", (), (), "float32"))))
    {'a': 0, 'b': 1}
    """
    return {name: i for i, name in enumerate(sorted(v.name for v in spec.records))}


def digest_tail(spec: StoreSpec) -> tuple[int, int]:
    """The shape of ``record_crc`` after the run dims: records, and the time chunks of the record that has most."""
    chunks = [-(-n_samples(spec.n_steps, v.every, v.first) // time_chunk(spec, v)) for v in spec.records]
    return len(spec.records), max(chunks, default=0)


def expected_tail(spec: StoreSpec, name: str) -> tuple[tuple[int, ...], str] | None:
    """The shape after the run dims, and the dtype, that array ``name`` has under ``spec`` (a record, a state
    or checkpoint variable, ``status``, ``error``); None for any other array. An array of another shape was
    left by a change of the layout that was cut off (README "Layout changes")."""
    runs = len(spec.run_shape)
    for var in spec.records:
        if name == var.name:
            return record_shape(spec, var)[runs:], var.dtype
    for var in spec.states:
        if name in (f"{STATES_GROUP}/{var.name}", f"{CHECKPOINT_GROUP}/{var.name}"):
            return state_shape(spec, var)[runs:], var.dtype
    if name == STATUS:
        return (), "uint8"
    if name == ERROR:
        return (ERROR_BYTES,), "uint8"
    for dim, (_, post) in spec.synapse_coords().items():  # written with each run's final state
        if name == post:
            return (spec.synapse_record(dim).shape[-1],), "float32"
    return None


def expected_dims(spec: StoreSpec, name: str) -> tuple[str, ...] | None:
    """The ``dimension_names`` array ``name`` has under ``spec`` (a record, a state or checkpoint variable,
    ``status``, ``error``); None for any other array."""
    for var in spec.records:
        if name == var.name:
            return record_dims(spec, var)
    for var in spec.states:
        if name in (f"{STATES_GROUP}/{var.name}", f"{CHECKPOINT_GROUP}/{var.name}"):
            return state_dims(spec, var)
    for dim, (_, post) in spec.synapse_coords().items():
        if name == post:
            return (*spec.run_dims, dim)
    return {STATUS: spec.run_dims, ERROR: (*spec.run_dims, ERROR_DIM)}.get(name)


def dims_problem(spec: StoreSpec, name: str, dims: Any) -> str | None:
    """Why array ``name`` labelled with ``dims`` (its ``zarr.json``'s ``dimension_names``) does not fit ``spec``:
    names swapped or renamed there would file each run's data under another run's labels for every reader."""
    want = expected_dims(spec, name)
    got = tuple(str(d) for d in dims) if dims is not None else None
    if want is None or got == tuple(want):
        return None
    return f"its array {name!r} is labelled with the dims {list(got or ())} where the store's spec says {list(want)}"


def layout_problem(spec: StoreSpec, name: str, shape: tuple[int, ...], dtype: Any) -> str | None:
    """Why array ``name`` of ``shape`` and ``dtype`` does not fit ``spec`` (None: it fits, or is not a per-run
    array). The run dims are not compared: an extension cut off early leaves them larger, harmlessly."""
    want = expected_tail(spec, name)
    if want is None:
        return None
    tail, kind = tuple(int(n) for n in shape[len(spec.run_shape):]), str(np.dtype(dtype))
    if tail != want[0] or kind != str(np.dtype(want[1])):
        return (f"its array {name!r} holds {tail} {kind} per run where the store's spec says {want[0]} "
                f"{np.dtype(want[1])}")
    return None


def codecs_problem(name: str, codecs: Any, checksums: bool) -> str | None:
    """Why array ``name``'s codec chain (its ``zarr.json``'s ``codecs``) is not the one ``create`` writes: bytes
    (little-endian), zstd, crc32c (``codec_args``; zstd alone in a store made before checksums). Another chain
    (an endianness flipped, a transpose added) misreads intact chunks, and their checksums, taken over the
    compressed bytes, still pass: done runs would serve other numbers without a word."""
    want = ["bytes", "zstd", "crc32c"]
    try:
        got = [str(c.get("name")) for c in codecs]
        endian = next((c.get("configuration", {}).get("endian") for c in codecs if c.get("name") == "bytes"), None)
    except (AttributeError, TypeError):
        return f"its array {name!r} has a malformed codec list"
    if got != want and (checksums or got != want[:2]):  # crc32c only checks; without it, a store made before it
        return f"its array {name!r} is encoded with the codecs {got} where the store writes {want}"
    if endian not in (None, "little"):
        return f"its array {name!r} is read as {endian}-endian where the store writes little-endian"
    return None


def expected_chunks(spec: StoreSpec, name: str) -> tuple[int | None, ...] | None:
    """The chunk shape ``create`` gives array ``name`` (one run per chunk; None where it is not fixed by the
    spec: the time chunk of a spec without ``time_chunk``, which follows the run's length); None for any
    other array."""
    runs = tuple(1 for _ in spec.run_shape)
    for var in spec.records:
        if name == var.name:
            return (*runs, time_chunk(spec, var) if spec.time_chunk is not None else None, *var.shape)
    for var in spec.states:
        if name in (f"{STATES_GROUP}/{var.name}", f"{CHECKPOINT_GROUP}/{var.name}"):
            return state_chunks(spec, var)
    for dim, (_, post) in spec.synapse_coords().items():
        if name == post:
            return (*runs, spec.synapse_record(dim).shape[-1])
    return {STATUS: runs, ERROR: (*runs, ERROR_BYTES)}.get(name)


def array_codecs_problem(spec: StoreSpec, name: str, arr: Any, checksums: bool) -> str | None:
    """``codecs_problem`` of the zarr array ``arr`` at ``name`` when it is a per-run array of ``spec``, else None;
    likewise a chunk shape that is not the one ``create`` writes (an edited ``chunk_shape`` read every done run
    as done, then failed to decode it, or a sweep redid the runs under the edited grid)."""
    if expected_tail(spec, name) is None:
        return None
    problem = codecs_problem(name, arr.metadata.to_dict().get("codecs"), checksums)
    want = expected_chunks(spec, name)
    try:
        got = tuple(int(n) for n in arr.chunks)
    except (TypeError, ValueError, NotImplementedError):  # a grid zarr reads but cannot state as one shape
        got = ()
    if problem is None and want is not None and (
            len(got) != len(want) or any(w is not None and g != w for g, w in zip(got, want))):
        shown = [w if w is not None else "any" for w in want]
        problem = f"its array {name!r} is chunked {list(got)} where the store writes {shown}"
    return problem or fill_problem(spec, name, arr)


def fill_problem(spec: StoreSpec, name: str, arr: Any) -> str | None:
    """Why per-run array ``name``'s ``fill_value`` (what a chunk never written reads as) is not the one ``create``
    writes, else None: an edited ``fill_value: 2`` on ``status`` read every run not yet written (new seeds, a chunk
    lost) as done for plain readers, and brainbatch's own called such runs done with a missing chunk."""
    tail = expected_tail(spec, name)
    if tail is None:
        return None
    dtype = np.dtype(tail[1])
    want = np.asarray(fill_value(tail[1]), dtype=dtype)
    try:
        got = np.asarray(arr.metadata.fill_value)
        same = got.shape == () and bool(np.array_equal(got.astype(dtype), want, equal_nan=dtype.kind in "fc"))
    except (TypeError, ValueError, OverflowError):
        same = False
    if same:
        return None
    return (f"its array {name!r} reads chunks never written as {str(arr.metadata.fill_value)[:40]} (its fill_value) "
            f"where the store writes {want.item()!r}")


def has_checksums(root: Any) -> bool:
    """Whether the store's chunks carry the crc32c codec (``integrity_of``)."""
    return integrity_of(root).get("checksum") == INTEGRITY["checksum"]


#: CF attributes by which xarray (brainbatch's readers included) decodes an array's values: the store never writes
#: them, so one found on an array was added by hand, and done runs would read as other numbers (``add_offset: -65``)
#: while every chunk passed its checksum. ``units`` with "since" decodes numbers as dates.
#: the CF attributes by which the status array names its codes (written by create, checked where read)
STATUS_FLAGS: dict[str, Any] = {"flag_values": list(STATUS_CODES.values()), "flag_meanings": " ".join(STATUS_CODES)}
CF_DECODING = ("scale_factor", "add_offset", "_FillValue", "missing_value", "_Unsigned", "calendar", "dtype")


def decoding_attrs_problem(name: str, attrs: Any, units: str | None = None) -> str | None:
    """Why the attributes ``attrs`` of array ``name`` would make readers decode its values otherwise than the
    store wrote them (``CF_DECODING``; ``units`` other than the ``units`` it writes there, where given), else None."""
    if not isinstance(attrs, dict):
        return None
    found = [k for k in CF_DECODING if k in attrs]
    if units is not None and attrs.get("units") != units:
        found.append(f"units={attrs.get('units')!r}"[:100] + f" (the store writes {units!r})")
    if name == STATUS:  # a plain reader names the codes by these: swapped, failed runs read as done
        for key, value in STATUS_FLAGS.items():
            if key in attrs and attrs[key] != value:  # absent: a store written before them
                found.append(f"{key}={attrs[key]!r}"[:100])
    if found:
        return (f"its array {name!r} carries {', '.join(map(str, found))}, by which readers decode its values ("
                + ("an edit)" if all(f.startswith("units=") for f in found) else "the store never writes them: an edit)"))
    return None


def header_problem(spec: StoreSpec, name: str, arr: Any, checksums: bool) -> str | None:
    """``layout_problem``, ``dims_problem``, ``array_codecs_problem`` or ``decoding_attrs_problem`` of the zarr
    array ``arr`` at ``name``."""
    return (layout_problem(spec, name, tuple(arr.shape), arr.dtype)
            or dims_problem(spec, name, arr.metadata.dimension_names)
            or array_codecs_problem(spec, name, arr, checksums)
            or decoding_attrs_problem(name, dict(arr.attrs), _units(spec, name))
            or reader_attrs_problem(spec, name, dict(arr.attrs)))


def reader_attrs(spec: StoreSpec, name: str) -> dict[str, Any] | None:
    """The attributes brainbatch's own readers go by on record or saved state ``name``, as the store writes them
    (``_create.py::_var_attrs``; None: absent): ``kind`` (``ds.bb`` takes the records marked ``"spikes"`` as spike
    rasters, whatever their dtype), ``every`` and ``first_step`` (its sampling). None for another array."""
    for var in spec.records:
        if name == var.name:
            return {"kind": var.kind or "values", "every": var.every, "first_step": var.first or None}
    for var in spec.states:
        if name in (f"{STATES_GROUP}/{var.name}", f"{CHECKPOINT_GROUP}/{var.name}"):
            return {"kind": "state"}
    return None


def reader_attrs_problem(spec: StoreSpec, name: str, attrs: Any) -> str | None:
    """Why the attributes ``attrs`` of array ``name`` would make brainbatch's readers take its values otherwise than
    the store wrote them (``reader_attrs``: ``kind: "spikes"`` on a trace, rates of a raster kept every step over
    ``every: 2``), else None."""
    want = reader_attrs(spec, name)
    if want is None or not isinstance(attrs, dict):
        return None
    found = [(f"{k}={attrs[k]!r}"[:60] if k in attrs else f"no {k}") + (f" (the store writes {v!r})" if v is not None
             else " (the store writes none)") for k, v in want.items() if attrs.get(k) != v]
    if found:
        return (f"its array {name!r} carries {', '.join(found)}, by which brainbatch's readers take its values "
                "otherwise (an edit)")
    return None


def _units(spec: StoreSpec, name: str) -> str | None:
    """The ``units`` attribute the store writes on record or state ``name`` (None: another array)."""
    for var in (*spec.records, *spec.states):
        if name in (var.name, f"{STATES_GROUP}/{var.name}", f"{CHECKPOINT_GROUP}/{var.name}"):
            return var.units
    return None


def state_chunks(spec: StoreSpec, var: VarSpec) -> tuple[int, ...]:
    return (*(1 for _ in spec.run_shape), *var.shape)


def var_dim_sizes(variables: tuple[VarSpec, ...]) -> dict[str, int]:
    """Each variable dim and its size (the spec checked they agree)."""
    return {d: s for v in variables for d, s in zip(v.dims, v.shape)}


def codec_args(checksums: bool) -> dict:
    """``create_array`` keywords for the codecs: zstd, then a crc32c checksum of the compressed bytes.

    crc32c is a zarr v3 core codec, so xarray, zarr-python and tensorstore all read (and check) it.
    """
    if not checksums:
        return {}
    from zarr.codecs import Crc32cCodec, ZstdCodec

    return {"compressors": (ZstdCodec(level=1, checksum=False), Crc32cCodec())}


# ---------------------------------------------------------------------------- runs of a per-run array
# An extension grows every per-run array (``_create.py::_resize``) before it writes the new spec, so a
# coordinator killed in between leaves arrays larger than the spec's run shape. Runs only ever append, so
# the leading block is exactly the spec's runs; the rest holds runs that never started (no worker runs a
# run its store's spec does not list), which readers skip and the next sweep grows into or cuts away.
def run_block(run_shape: tuple[int, ...]) -> tuple[slice, ...]:
    """The leading block of a per-run array that holds the runs of ``run_shape``.

    >>> run_block((2, 3))
    (slice(0, 2, None), slice(0, 3, None))
    """
    return tuple(slice(0, n) for n in run_shape)


def beyond_runs(shape: tuple[int, ...], run_shape: tuple[int, ...]) -> list[tuple[slice, ...]]:
    """The blocks of a per-run array of ``shape`` outside ``run_block(run_shape)``, one per larger run dim.

    >>> beyond_runs((3, 2, 4), (2, 2))
    [(slice(2, None, None), slice(None, None, None))]
    """
    return [tuple(slice(n, None) if j == d else slice(None) for j in range(len(run_shape)))
            for d, n in enumerate(run_shape) if shape[d] > n]


def larger_than(shape: tuple[int, ...], run_shape: tuple[int, ...]) -> bool:
    """Whether a per-run array of ``shape`` holds ``run_shape``'s runs and more (an extension cut off)."""
    head = tuple(shape[:len(run_shape)])
    return len(shape) >= len(run_shape) and head != run_shape and all(a >= n for a, n in zip(head, run_shape))


def first_used_beyond(arr: object, run_shape: tuple[int, ...]) -> tuple[int, ...] | None:
    """The first run outside ``run_block(run_shape)`` whose entries in ``arr`` (a per-run array, or its
    values) are not all fill (0); ``None`` when every such entry is 0: those runs never started."""
    shape = tuple(getattr(arr, "shape"))
    for block in beyond_runs(shape, run_shape):
        hit = np.argwhere(np.asarray(arr[block]) != 0)  # type: ignore[index]
        if hit.size:
            return tuple(int(i) + (b.start or 0) for i, b in zip(hit[0], block))
    return None


def run_selection(spec: StoreSpec, sizes: object) -> dict[str, slice]:
    """``{run dim: slice}`` that cuts a Dataset of the store (``sizes``: its ``ds.sizes``) to the spec's
    runs, for the run dims where it holds more (``run_block``); ``{}`` for a store in one piece."""
    have = dict(sizes)  # type: ignore[call-overload]
    return {d: slice(0, n) for d, n in zip(spec.run_dims, spec.run_shape) if have.get(d, n) > n}


def same_labels(got: np.ndarray, want: np.ndarray) -> bool:
    """Whether stored labels are the spec's: text as text, numbers by value (a store written by another
    version may hold them in another dtype)."""
    got, want = np.asarray(got), np.asarray(want)
    if got.shape != want.shape:
        return False
    if got.dtype.kind in "TUSO" or want.dtype.kind in "TUSO":
        return [str(v) for v in got.ravel().tolist()] == [str(v) for v in want.ravel().tolist()]
    return bool(np.array_equal(got.astype(np.float64), want.astype(np.float64)))


def same_leading_labels(got: np.ndarray, want: np.ndarray) -> bool:
    """``same_labels`` of a stored coordinate and the spec's labels, where an extension cut off before it wrote
    its spec left the coordinate longer than the spec's runs: its leading block is compared, as readers cut it to
    that and the next sweep completes it."""
    got, want = np.asarray(got), np.asarray(want)
    if got.ndim == want.ndim and all(g >= w for g, w in zip(got.shape, want.shape)):
        got = got[tuple(slice(0, w) for w in want.shape)]
    return same_labels(got, want)
