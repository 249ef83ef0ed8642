"""What a store holds: the swept axes, the time base and the variables (``StoreSpec``, ``VarSpec``).

The spec is validated when it is built, so a bad name or shape is reported before any file is
written, and it round-trips through JSON (``to_json``/``from_json``) because the store keeps it in
its root attributes: any process can rebuild it from the store alone.
"""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from ._checks import check_int, is_bool, is_int, is_real
from ._errors import StoreError

#: Runs one store may hold (seeds x every parameter's values). Each run has its own chunk files, and
#: planning, status and resume handle every run one by one; past this a sweep belongs in several stores.
MAX_RUNS = 100_000
#: Most steps a store's time axis holds (about 6.9e10): its time coordinate alone is then 550 GB, and a
#: longer axis is a typo (``--duration 1e12``), not a simulation anyone can finish.
MAX_STEPS = 2**36
#: Seeds are stored as int64 coordinates.
MAX_STORED_SEED = 2**63 - 1

#: The dim of a sampled design: its runs are samples 0..N-1, and each ranged parameter is a
#: non-dimension coordinate over it (``we(sample)``); see the store README, "Sampled designs".
SAMPLE_DIM = "sample"
# Names the layout itself uses; a parameter, dim or variable of that name would clash with them.
# The groups and checkpoint arrays too (README "Layout"): a parameter or monitor named "states" would
# collide with the states/ group. "index" stays reserved from when runs() returned dicts with that key
# (now ``Run`` keeps index, seed and parameters apart): stores written then must still read the same.
RESERVED_NAMES = ("seed", "time", "status", "error", "error_byte", "done", "states", "checkpoint", "leases",
                  "steps_done", "slot_step", "slot_crc", "checkpoint_slot", "record_crc", "crc_record", "crc_chunk",
                  "index", "zarr.json")
SUPPORTED_DTYPES = (
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float16", "float32", "float64", "complex64", "complex128",
)


#: The longest name, in bytes of UTF-8: each name is a folder (ext4, APFS, NTFS and most others hold at most 255
#: bytes in one file name) and a dim's count coordinate adds ``_count`` (``StoreSpec.extent_names``).
MAX_NAME_BYTES = 255 - len("_count")


def check_name(name: object, what: str) -> str:
    """Return ``name`` if it can name a Zarr node and an xarray variable, else raise ``StoreError``.

    The Zarr v3 spec's rules for node names (not empty, no ``/``, not only periods, no leading ``__``), and what
    a folder can be called: no NUL character, at most ``MAX_NAME_BYTES`` bytes of UTF-8.

    >>> check_name("E.spike", "record name")
    'E.spike'
    >>> check_name("...", "record name")
    Traceback (most recent call last):
    ...
    brainbatch.store._errors.StoreError: record name '...' is not allowed: names may not contain '/', ... only dots ...
    """
    if not isinstance(name, str) or not name:
        raise StoreError(f"{what} must be a non-empty string, got {name!r}")
    if "/" in name or name.startswith("__") or set(name) == {"."}:
        raise StoreError(
            f"{what} {name!r} is not allowed: names may not contain '/', start with '__' or be only dots "
            "('.', '..', '...'); dots inside a name, as in 'E.spike', are fine"
        )
    if not is_unicode(name):
        raise StoreError(f"{what} {name!r} is not Unicode text: {_SURROGATE}")
    if "\0" in name:
        raise StoreError(f"{what} {name!r} holds a NUL character ('\\x00'), which no folder name can hold; remove it")
    size = len(name.encode("utf-8"))
    if size > MAX_NAME_BYTES:
        raise StoreError(f"{what} {name[:40]!r}... is {size} bytes of UTF-8; a name may have at most {MAX_NAME_BYTES} "
                         "(each name is a folder of the store, and file systems hold 255 bytes in a file name)")
    return name


#: characters a Windows folder name cannot hold (each node of a store is a folder); ':' would also name an NTFS stream
_WINDOWS_CHARS = frozenset('\\:*?"<>|') | frozenset(map(chr, range(1, 32)))


#: the DOS device names Windows reserves in any case, alone or before a dot ('con.V' too): no file or folder is named so
#: (Microsoft's "Naming Files, Paths, and Namespaces"; COM0 and LPT0 and the superscript digits ¹ ² ³ are listed too)
_WINDOWS_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
                             | {f"{port}{digit}" for port in ("COM", "LPT") for digit in "0123456789\u00b9\u00b2\u00b3"})


def _check_windows_name(name: str, what: str) -> None:
    """Refuse a name no Windows folder can have: one of ``\\ : * ? " < > |`` or a control character, a trailing
    dot or blank (Windows drops those, so ``V.`` and ``V`` are one folder there), or a device name (``CON``, ``aux``,
    ``COM1``, ``LPT9``..., also before a dot: ``con.V`` opens the console there). Each node of a store is a folder, so
    a store holding one cannot be copied, unzipped or read there; the Zarr v3 spec recommends names of letters,
    digits, ``-``, ``_`` and ``.`` for this reason. Checked when a store is made, not when one is read.

    >>> _check_windows_name("E.spike", "record name")
    >>> _check_windows_name("rate:E", "record name")
    Traceback (most recent call last):
    ...
    brainbatch.store._errors.StoreError: record name 'rate:E' holds ':', which no folder name on Windows can hold ...
    """
    bad = sorted({c for c in name if c in _WINDOWS_CHARS})
    if bad:
        shown = ", ".join(repr(c) for c in bad)
        raise StoreError(f"{what} {name!r} holds {shown}, which no folder name on Windows can hold (each name is a "
                         "folder of the store, which could then not be copied there); use letters, digits, '_', '-' "
                         "or '.'")
    if name[-1] in ". ":
        raise StoreError(f"{what} {name!r} ends with {name[-1]!r}, which Windows drops from a folder name (there it "
                         f"would be the folder {name.rstrip('. ')!r}); remove it")
    stem = name.partition(".")[0].rstrip(" ")
    if stem.upper() in _WINDOWS_DEVICES:
        raise StoreError(f"{what} {name!r} is named after the Windows device {stem!r} (CON, PRN, AUX, NUL, COM0-9, "
                         "LPT0-9, in any case, alone or before a dot: 'con.V'), which no folder on Windows can be named "
                         "(each name is a folder of the store, which could then not be copied there); rename it, as "
                         f"{stem + '_' + name[len(stem):]!r}")


#: why text holding a lone surrogate is refused (names are Zarr node names and coordinate labels: UTF-8 on disk)
_SURROGATE = ("it holds a lone surrogate, Python's stand-in for a byte that is not UTF-8 (a file name or argument in "
              "another encoding), which a Zarr store cannot hold; rename it with UTF-8 text")


def is_unicode(text: str) -> bool:
    """Whether ``text`` has a UTF-8 form (no lone surrogate), as every name and label of a store must.

    >>> is_unicode("τ_α"), is_unicode("caf\\udce9")
    (True, False)
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _utf8_text(value: Any) -> Any:
    """``value`` with every string that has no UTF-8 form (a lone surrogate) written with it escaped (``"\\udce9"``).

    >>> _utf8_text({"command": "brainbatch sweep caf\\udce9/x.py", "n": [1, "ok"]})
    {'command': 'brainbatch sweep caf\\\\udce9/x.py', 'n': [1, 'ok']}
    """
    if isinstance(value, str):
        return value if is_unicode(value) else value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {_utf8_text(k): _utf8_text(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_utf8_text(v) for v in value)
    return value


def _dtype_name(dtype: object, var: str) -> str:
    try:
        name = np.dtype(dtype).name  # type: ignore[call-overload]
    except TypeError:
        name = None
    if name not in SUPPORTED_DTYPES:
        raise StoreError(f"variable {var!r} has dtype {dtype!r}; supported dtypes are {', '.join(SUPPORTED_DTYPES)}")
    return name


def _plain(value: Any) -> Any:
    """numpy scalars -> Python scalars, so values survive JSON and compare by value."""
    return value.item() if isinstance(value, np.generic) else value


def value_key(value: Any) -> tuple:
    """The one normalisation of a parameter value, for merging a sweep's values into a store's axis and
    for finding a run by its values: numbers compare by value (``1``, ``1.0`` and ``np.int64(1)`` are one
    key), text and booleans only to their own kind (``"1"`` and ``True`` are not ``1``).

    >>> value_key(1) == value_key(1.0) == value_key(np.float64(1.0)), value_key("1") == value_key(1)
    (True, False)
    """
    value = _plain(value)
    if is_bool(value):
        return ("bool", bool(value))
    if isinstance(value, str):
        return ("text", value)
    if is_real(value):
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
            return ("number", int(value))
        return ("number", value)
    return (type(value).__name__, repr(value))


@dataclass(frozen=True)
class VarSpec:
    """One recorded variable or one saved state.

    ``kind``: ``"spikes"`` for a spike raster (what ``ds.bb`` counts), ``""`` for plain values; left
    ``None``, a bool record is a raster. ``coords``: labels of a dim that are not 0..n-1, e.g. the
    indices in their group of the neurons a monitor records (``{"V_E_neuron": [10, 500]}``).

    >>> VarSpec("E.spike", ("E_neuron",), (4000,), "bool", units="1").kind
    'spikes'
    """

    name: str
    dims: tuple[str, ...]
    shape: tuple[int, ...]
    dtype: str
    units: str = ""
    description: str = ""
    every: int = 1
    kind: str | None = None
    coords: dict = field(default_factory=dict)
    #: a record over synapses (plastic weights): ``{"k": K, "n_post": n, "targets": state path}``; the store
    #: then gives its synapse dim ``pre`` and ``post`` coordinates (docs/store.md, "Plastic weights")
    synapses: dict = field(default_factory=dict)
    #: the first step a record holds (``Monitor.start``; a multiple of ``every``): sample k is step first + k*every
    first: int = 0

    def __post_init__(self) -> None:
        check_name(self.name, "variable name")
        dims = tuple(self.dims)
        shape = tuple(int(s) for s in self.shape)
        # frozen dataclass: normalise lists/numpy ints in place once, so equality is by value
        object.__setattr__(self, "dims", dims)
        object.__setattr__(self, "shape", shape)
        object.__setattr__(self, "dtype", _dtype_name(self.dtype, self.name))
        if len(dims) != len(shape):
            raise StoreError(f"variable {self.name!r}: dims {dims} and shape {shape} differ in length")
        for d in dims:
            check_name(d, f"dim of variable {self.name!r}")
        if len(set(dims)) != len(dims):
            raise StoreError(f"variable {self.name!r} repeats a dim: {dims}")
        if any(s < 1 for s in shape):
            raise StoreError(f"variable {self.name!r} has shape {shape}; every size must be >= 1")
        object.__setattr__(self, "every", check_int(f"variable {self.name!r}: every", _plain(self.every), minimum=1))
        object.__setattr__(self, "first", check_int(f"variable {self.name!r}: first", _plain(self.first), minimum=0))
        if self.first % self.every:
            raise StoreError(f"variable {self.name!r}: first step {self.first} is not a multiple of every={self.every}")
        kind = ("spikes" if self.dtype == "bool" else "") if self.kind is None else self.kind
        if not isinstance(kind, str):
            raise StoreError(f"variable {self.name!r}: kind must be a string ('spikes' or ''), got {kind!r}")
        object.__setattr__(self, "kind", kind)
        coords = {}
        for d, labels in dict(self.coords or {}).items():
            if d not in dims:
                raise StoreError(f"variable {self.name!r}: coords name {d!r}, which is not one of its dims {dims}")
            labels = [_plain(v) for v in labels]
            if len(labels) != shape[dims.index(d)] or not all(is_int(v) for v in labels):
                raise StoreError(f"variable {self.name!r}: coords of {d!r} must be {shape[dims.index(d)]} integers, "
                                 f"got {labels[:8]!r}")
            coords[d] = labels
        object.__setattr__(self, "coords", coords)
        syn = dict(self.synapses or {})
        if syn and (not dims or not is_int(syn.get("k")) or syn["k"] < 1 or not is_int(syn.get("n_post"))
                    or not isinstance(syn.get("targets"), str)):
            raise StoreError(f"variable {self.name!r}: synapses must be {{'k': K >= 1, 'n_post': n, 'targets': path}} "
                             f"on a variable with a synapse dim, got {syn!r}")
        object.__setattr__(self, "synapses", syn)

    def to_json(self) -> dict[str, Any]:
        return {f.name: (list(getattr(self, f.name)) if f.name in ("dims", "shape") else
                         {k: list(v) for k, v in self.coords.items()} if f.name == "coords" else getattr(self, f.name))
                for f in fields(self)}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> VarSpec:
        return cls(**{**d, "dims": tuple(d["dims"]), "shape": tuple(d["shape"])})


def _check_axis(name: str, values: Any) -> list:
    values = [_plain(v) for v in values]
    if not values:
        raise StoreError(f"swept axis {name!r} has no values; give at least one")
    kinds = {"str" if isinstance(v, str) else "bool" if is_bool(v) else
             "number" if is_real(v) else type(v).__name__ for v in values}
    if len(kinds) != 1 or kinds - {"str", "bool", "number"}:
        raise StoreError(
            f"swept axis {name!r} mixes or uses unsupported value types ({', '.join(sorted(kinds))}): "
            f"{values!r}; use all numbers, all strings or all booleans"
        )
    if any(isinstance(v, float) and not math.isfinite(v) for v in values):
        raise StoreError(f"swept axis {name!r} has a non-finite value: {values!r}")
    if kinds == {"number"}:
        _check_exact(f"swept axis {name!r}", values, _axis_dtype(values))
    bad = [v for v in values if isinstance(v, str) and not is_unicode(v)]
    if bad:  # zarr's string coordinate would fail with a TypeError half-way through creating the store
        raise StoreError(f"swept axis {name!r} has the value {bad[0]!r}, which is not Unicode text: {_SURROGATE}")
    if len(set(values)) != len(values):
        dup = sorted({repr(v) for v in values if values.count(v) > 1})
        raise StoreError(f"swept axis {name!r} repeats values {', '.join(dup)}: {values!r}")
    return values


def _check_samples(samples: Any, params: dict[str, list], design: Any) -> dict[str, list]:
    """Sampled parameters: one number per sample, over the ``sample`` axis 0..N-1 of ``params``."""
    samples = {check_name(k, "sampled parameter name"): [_plain(v) for v in values]
               for k, values in dict(samples or {}).items()}
    if not samples:
        if design is not None:
            raise StoreError("a spec with a design needs its sampled values (samples={name: [values]})")
        return samples
    if design is not None and not isinstance(design, dict):
        raise StoreError(f"design must be a dict (the sampler and its ranges), got {type(design).__name__}")
    axis = params.get(SAMPLE_DIM)
    n = len(next(iter(samples.values())))
    if axis != list(range(n)):
        raise StoreError(f"sampled parameters need the swept axis {SAMPLE_DIM!r} = 0..{n - 1} (one run per sample), "
                         f"got {axis!r}")
    for name, values in samples.items():
        if len(values) != n:
            raise StoreError(f"sampled parameter {name!r} has {len(values)} values for {n} samples")
        if not all(is_real(v) and not is_bool(v) and math.isfinite(v) for v in values):
            raise StoreError(f"sampled parameter {name!r} needs finite numbers, got {values[:5]!r}...")
        # as _create.py::_coords stores them: int64 where every value is an integer, else float64
        _check_exact(f"sampled parameter {name!r}", values,
                     np.dtype(np.int64 if all(isinstance(v, int) for v in values) else np.float64))
    return samples


def _axis_dtype(values: list) -> np.dtype:
    """The dtype of the coordinate ``_create.py::_coords`` writes for an axis of numbers (numpy's own choice; an
    ``object`` one, of integers past 64 bits, is none a store holds)."""
    try:
        return np.asarray(values).dtype
    except (OverflowError, ValueError):
        return np.dtype(object)


def _check_exact(what: str, values: list, dtype: np.dtype) -> None:
    """Refuse an integer that a coordinate of ``dtype`` would not hold exactly: past 64 bits (zarr cannot write the
    array: a traceback half-way through creating the store), or rounded by float64 (``[2**63 + 1, 1]`` becomes
    9.223372036854776e18, ``[2**53 + 1, 0.5]`` loses its 1), so a run would be labelled with another value than the
    one it was computed with."""
    for v in values:
        if not isinstance(v, int) or is_bool(v):
            continue
        if dtype.kind in "iu" and np.iinfo(dtype).min <= v <= np.iinfo(dtype).max:
            continue
        if dtype.kind == "f" and abs(v) < 2**1023 and int(float(v)) == v:
            continue
        held = f"read back as {float(v)!r}" if dtype.kind == "f" and abs(v) < 2**1023 else "not held at all"
        raise StoreError(f"{what} has the integer {v}, which the store's coordinate of its values cannot hold exactly "
                         f"({held}): a store holds integers of -2**63 .. 2**63-1, and floats as float64 (integers up "
                         "to 2**53 exactly). Give a smaller integer, a float, or the value as text")


@dataclass(frozen=True)
class StoreSpec:
    """Everything that fixes a store's layout, plus the provenance to write into it.

    >>> spec = StoreSpec("coba", "ab12", {"we": [0.4, 0.6]}, seeds=[0, 1], n_steps=100, dt=0.1,
    ...                  records=(VarSpec("E.spike", ("E_neuron",), (8,), "bool"),))
    >>> spec.run_shape
    (2, 2)
    """

    experiment: str
    source_hash: str
    params: dict[str, list]
    seeds: list[int]
    n_steps: int
    dt: float
    t0: float = 0.0
    records: tuple[VarSpec, ...] = ()
    states: tuple[VarSpec, ...] = ()
    time_chunk: int | None = None
    attrs: dict = field(default_factory=dict)
    samples: dict[str, list] = field(default_factory=dict)
    design: dict | None = None
    #: Runs smaller than the store along a variable dim (a swept size): ``{dim: [[values of the params,
    #: in ``params`` order], size], ...]}``; every other run fills the whole dim. Readers mask the rest.
    extents: dict[str, list] = field(default_factory=dict)
    #: The ``n_steps`` the arrays' chunks were laid out for, where a store grown in time since has more (None: the
    #: same): a record shorter than one ``time_chunk`` was chunked at its whole length then, and keeps that chunk.
    layout_steps: int | None = None
    #: The ``n_steps`` the store had before each extension in time since it was made, ascending (stores extended
    #: before this was kept name the first in ``layout_steps``). Runs continued from there: where that step lies
    #: inside a record's time chunk, the chunk file was written again, and a copy taken meanwhile holds its first
    #: part under a later ``done`` status, so every reader compares those chunks with their digests (_verify.py).
    extended_from: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.experiment, str) or not self.experiment:
            raise StoreError(f"experiment must be a non-empty string, got {self.experiment!r}")
        params = {check_name(k, "parameter name"): _check_axis(k, v) for k, v in dict(self.params).items()}
        seeds = _check_axis("seed", self.seeds)
        if not all(is_int(s) for s in seeds):
            raise StoreError(f"seeds must be integers, got {seeds!r}")
        bad = [s for s in seeds if not 0 <= s <= MAX_STORED_SEED]
        if bad:
            raise StoreError(f"seed {bad[0]!r} is out of range: a store holds seeds 0..{MAX_STORED_SEED}")
        n_runs = len(seeds) * math.prod(len(v) for v in params.values())
        if n_runs > MAX_RUNS:
            raise StoreError(f"{n_runs} runs is more than one store holds ({MAX_RUNS}); split the sweep "
                             "into several stores (fewer seeds or parameter values each)")
        object.__setattr__(self, "params", params)
        object.__setattr__(self, "seeds", seeds)
        object.__setattr__(self, "records", tuple(self.records))
        object.__setattr__(self, "states", tuple(self.states))
        # a path of a folder named in another encoding (the command, the experiment's path) holds lone surrogates:
        # JSON's escapes of them are refused by strict parsers (serde_json, nlohmann), so no independent reader
        # could open the store; kept as the text "\\udce9", here, so a new sweep's spec compares equal
        object.__setattr__(self, "attrs", _utf8_text(dict(self.attrs)))
        object.__setattr__(self, "experiment", _utf8_text(self.experiment))
        object.__setattr__(self, "n_steps", check_int("n_steps", _plain(self.n_steps), minimum=1))
        if self.n_steps > MAX_STEPS:
            raise StoreError(f"n_steps is {self.n_steps}, more than a store's time axis holds ({MAX_STEPS})")
        if not (isinstance(_plain(self.dt), (int, float)) and math.isfinite(self.dt) and self.dt > 0):
            raise StoreError(f"dt must be a positive number of ms, got {self.dt!r}")
        object.__setattr__(self, "dt", float(self.dt))
        object.__setattr__(self, "t0", float(self.t0))
        check_int("time_chunk", _plain(self.time_chunk), minimum=1, none=True)
        check_int("layout_steps", _plain(self.layout_steps), minimum=1, none=True)
        object.__setattr__(self, "extended_from", self._check_extended_from(self.extended_from))
        object.__setattr__(self, "samples", _check_samples(self.samples, params, self.design))
        object.__setattr__(self, "design", None if self.design is None else dict(self.design))
        self._check_names()
        object.__setattr__(self, "extents", self._check_extents(self.extents))

    def _check_extended_from(self, steps: Any) -> tuple[int, ...]:
        steps = tuple(check_int("extended_from", _plain(n), minimum=1) for n in (steps or ()))
        if list(steps) != sorted(set(steps)) or (steps and steps[-1] >= self.n_steps):
            raise StoreError(f"extended_from must be step counts below n_steps ({self.n_steps}), each once and "
                             f"ascending (the store's earlier lengths), got {list(steps)}")
        return steps

    def _check_extents(self, extents: Any) -> dict[str, list]:
        sizes = {d: s for v in (*self.records, *self.states) for d, s in zip(v.dims, v.shape)}
        out: dict[str, list] = {}
        for dim, entries in dict(extents or {}).items():
            if dim not in sizes:
                raise StoreError(f"extents name {dim!r}, which is not a dim of any variable ({sorted(sizes)})")
            checked = []
            for entry in entries:
                values, n = entry
                values = [_plain(v) for v in values]
                if len(values) != len(self.params) or not is_int(_plain(n)) or not 1 <= n <= sizes[dim]:
                    raise StoreError(f"extent {entry!r} of {dim!r}: need [values of {list(self.params)}], "
                                     f"size 1..{sizes[dim]}]")
                checked.append([values, int(n)])
            if checked:
                out[dim] = checked
        return out

    def extent_names(self) -> dict[str, str]:
        """``{dim: name of its count coordinate}`` for the dims some runs fill only partly (``E_neuron_count``)."""
        return {dim: f"{dim}_count" for dim in self.extents}

    def extent_counts(self, dim: str) -> np.ndarray:
        """Real entries along ``dim`` of each run, over the parameter dims (``params`` order)."""
        full = {d: s for v in (*self.records, *self.states) for d, s in zip(v.dims, v.shape)}[dim]
        counts = np.full(tuple(len(v) for v in self.params.values()), full, dtype=np.int64)
        for values, n in self.extents.get(dim, []):
            try:
                at = tuple(axis.index(v) for axis, v in zip(self.params.values(), values))
            except ValueError:  # a run the store no longer holds
                continue
            counts[at] = n
        return counts

    def _check_names(self) -> None:
        # One flat namespace per group, as xarray sees it: dims, coordinates and variables.
        layout = f"a name the store layout uses (reserved: {', '.join(RESERVED_NAMES)})"
        taken: dict[str, str] = {r: layout for r in RESERVED_NAMES}
        for p in self.params:
            if p in taken or p.startswith("time_every"):
                raise StoreError(f"parameter name {p!r} clashes with {taken.get(p, 'the time dims')}; rename it")
            taken[p] = "a swept parameter"
        for p in self.samples:
            if p in taken or p.startswith("time"):
                raise StoreError(f"sampled parameter {p!r} clashes with {taken.get(p, 'the time dims')}; rename it")
            taken[p] = "a sampled parameter"
        sizes: dict[str, tuple[int, str]] = {}
        for kind, group in (("record", self.records), ("state", self.states)):
            names = [v.name for v in group]
            dupes = sorted({n for n in names if names.count(n) > 1})
            if dupes:
                raise StoreError(f"{kind} variables repeat names {dupes}; each name may appear once")
            for v in group:
                if kind == "state" and (v.every != 1 or v.first):
                    raise StoreError(f"state {v.name!r} has every={v.every}; 'every' applies to records only")
                for d, s in zip(v.dims, v.shape):
                    if d in taken or d.startswith("time"):
                        raise StoreError(f"dim {d!r} of {v.name!r} clashes with {taken.get(d, 'the time dims')}; rename it")
                    if d in sizes and sizes[d][0] != s:
                        raise StoreError(
                            f"dim {d!r} has size {s} in {v.name!r} but {sizes[d][0]} in {sizes[d][1]!r}; "
                            "a dim must have one size across all variables"
                        )
                    sizes[d] = (s, v.name)
        dims = set(sizes)
        for dim, pair in self.synapse_coords().items():
            for name in pair:
                if name in taken or name in dims:
                    raise StoreError(f"the {name!r} coordinate of {dim!r} (plastic weights) clashes with "
                                     f"{taken.get(name, 'a dim')}; rename it")
                taken[name] = f"the {name!r} coordinate of {dim!r}"
        for kind, group in (("record", self.records), ("state", self.states)):
            for v in group:  # each group also holds coordinate arrays named after its dims
                if v.name in taken or v.name in dims or v.name.startswith("time"):
                    raise StoreError(f"{kind} name {v.name!r} clashes with {taken.get(v.name, 'a dim or the time dims')}; "
                                     "rename it")

    def check_portable_names(self) -> None:
        """Refuse names that differ only in case within one group (``V`` and ``v``), or only in the Unicode form of
        their accented letters (``'é'`` composed, NFC, and decomposed, NFD): each is a folder, and on a
        case-insensitive file system (macOS's and Windows' defaults; macOS's also ignore the form) the two are one
        folder, whose arrays overwrite each other. So are names no Windows folder can have (``_check_windows_name``).
        Checked when a store is made (``create``, a dry run), not when one is read.

        >>> v = VarSpec("V", ("E_neuron",), (2,), "float32")
        >>> StoreSpec("x", "h", {"Seed": [1, 2]}, [0], 10, 0.1, records=(v,)).check_portable_names()
        Traceback (most recent call last):
        ...
        brainbatch.store._errors.StoreError: parameter 'Seed' and the store's 'seed' differ only in case: ...
        """
        root = {r: f"the store's {r!r}" for r in RESERVED_NAMES}
        root.update({p: f"parameter {p!r}" for p in (*self.params, *self.samples)})
        for p in (*self.params, *self.samples):
            _check_windows_name(p, "parameter name")
        for v in (*self.records, *self.states):
            for name, what in ((v.name, "variable name"), *((d, f"dim of {v.name!r}") for d in v.dims)):
                _check_windows_name(name, what)
        for v in self.records:
            root.update({d: f"dim {d!r}" for d in v.dims})
            root[v.name] = f"record {v.name!r}"
        for pair in self.synapse_coords().values():
            root.update({n: f"coordinate {n!r}" for n in pair})
        states = {v.name: f"state {v.name!r}" for v in self.states}
        for v in self.states:
            states.update({d: f"dim {d!r}" for d in v.dims})
        for group in (root, states):
            seen: dict[str, str] = {}
            for name, what in group.items():
                # macOS's file systems also take a name's accents composed (NFC: 'é') and decomposed (NFD: 'e' and a
                # combining accent, as text pasted from elsewhere may hold) as one name
                other = seen.setdefault(unicodedata.normalize("NFC", unicodedata.normalize("NFD", name).casefold()),
                                        name)
                if other == name:
                    continue
                if other.casefold() == name.casefold():
                    raise StoreError(
                        f"{what} and {group[other]} differ only in case: on a case-insensitive file system (macOS's "
                        "and Windows' defaults) they are one folder and their arrays overwrite each other; rename one")
                raise StoreError(
                    f"{what} and {group[other]} differ only in how their accented letters are encoded (Unicode NFC and "
                    f"NFD: {ascii(name)} and {ascii(other)} look alike): on macOS's file systems they are one folder "
                    "and their arrays overwrite each other; rename one")

    def synapse_coords(self) -> dict[str, tuple[str, str]]:
        """``{synapse dim: (pre name, post name)}`` of the records over synapses: ``("pre", "post")`` for the
        first such dim (in record order), ``("<dim>_pre", "<dim>_post")`` for any other (a subset, a second
        projection).

        >>> w = VarSpec("w", ("S_synapse",), (6,), "float32", synapses={"k": 3, "n_post": 3, "targets": "S.targets"})
        >>> StoreSpec("x", "h", {}, [0], 10, 0.1, records=(w,)).synapse_coords()
        {'S_synapse': ('pre', 'post')}
        """
        dims = list(dict.fromkeys(v.dims[-1] for v in self.records if v.synapses))
        return {d: ("pre", "post") if not k else (f"{d}_pre", f"{d}_post") for k, d in enumerate(dims)}

    def synapse_record(self, dim: str) -> VarSpec:
        """The first record over synapse dim ``dim`` (they share layout and labels)."""
        return next(v for v in self.records if v.synapses and v.dims[-1] == dim)

    @property
    def run_dims(self) -> tuple[str, ...]:
        """The dims that index runs: ``("seed", *params)``."""
        return ("seed", *self.params)

    @property
    def run_shape(self) -> tuple[int, ...]:
        return (len(self.seeds), *(len(v) for v in self.params.values()))

    def var(self, name: str) -> VarSpec:
        """The record named ``name``."""
        from ._errors import RunNotFoundError, did_you_mean

        for v in self.records:
            if v.name == name:
                return v
        known = [v.name for v in self.records]
        raise RunNotFoundError(f"no recorded variable {name!r}; the store records {known}.{did_you_mean(name, known)}")

    def to_json(self) -> dict[str, Any]:
        return {
            "experiment": self.experiment, "source_hash": self.source_hash,
            "params": {k: list(v) for k, v in self.params.items()}, "seeds": list(self.seeds),
            "n_steps": self.n_steps, "dt": self.dt, "t0": self.t0,
            "records": [v.to_json() for v in self.records], "states": [v.to_json() for v in self.states],
            "time_chunk": self.time_chunk, "attrs": dict(self.attrs),
            "samples": {k: list(v) for k, v in self.samples.items()}, "design": self.design,
            "extents": {k: [[list(values), n] for values, n in v] for k, v in self.extents.items()},
            **({"layout_steps": self.layout_steps} if self.layout_steps is not None else {}),
            **({"extended_from": list(self.extended_from)} if self.extended_from else {}),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> StoreSpec:
        return cls(**{
            **d,
            "records": tuple(VarSpec.from_json(v) for v in d.get("records", ())),
            "states": tuple(VarSpec.from_json(v) for v in d.get("states", ())),
        })
