"""``ResultStore``: one sweep's results on disk, written run by run.

The coordinator calls ``create`` (and ``finish``); a worker (``sweep/task.py``) calls ``open``, then
``claim`` a run (its lease) and, for the runs it holds only, ``set_status``, ``write_record``,
``write_synapse_posts``, ``set_steps_done``, ``save_state`` (checkpoints and the final state),
``checkpoint`` / ``checkpoint_step`` / ``forget_progress`` (resuming), ``mark_done`` and ``release``.
Every per-run array is chunked one run at a time along seed and the parameters, so concurrent
workers never write the same chunk file and need no locks.
"""
from __future__ import annotations

import itertools
import operator
import os
import zlib
from collections.abc import Mapping
from typing import Any

import numpy as np
import zarr

from . import _layout as L
from ..errors import keywords_named
from ._checks import is_bool, is_int, is_real
from ._errors import RunIncompleteError, RunNotFoundError, StoreDamagedError, StoreError, StoreRebuiltError, did_you_mean
from ._lease import Lease, Leases
from ._provenance import generation_of, jsonable, now, sources_seen_of, versions_seen_of
from ._location import scheme as location_scheme
from ._root import consolidate, consolidated_problems, open_root, read_root_attrs
from ._run import FailedRun, Index, Run, Status
from ._spec import StoreSpec


def _check_copies(path: str, root: zarr.Group, spec: StoreSpec) -> None:
    """The root's flat copies of the spec's time base, source, design, swept axes and of what its runs were computed
    with (``defaults``, ``x64``, ``allow_nan``...: what a plain xarray reader reads) agree with ``spec``: one edited by hand (``dt`` set to text) crashed ``show`` with a traceback and
    told an independent reader another time base than the runs were computed with; an edited ``defaults`` (a
    ``build()`` default the runs did not use), ``x64`` or ``seeds`` (other labels in store order) read as the
    store's without a word. (The spec's own ``seeds`` and ``params`` are checked against the coordinates.)"""
    attrs = dict(root.attrs)
    want = {"experiment": spec.experiment, "source_hash": spec.source_hash, "dt": spec.dt, "t0": spec.t0,
            "time_units": "ms", "n_steps": spec.n_steps,
            # how a plain reader names the status codes: swapped, its failed runs read as done
            "status_codes": dict(L.STATUS_CODES)}
    if spec.design is not None or "design" in attrs:  # a sampled design's ranges, sampler and seed, as show prints
        want["design"] = jsonable(spec.design)
    # the swept axes in store order (a reader taking the runs' labels from these filed them under others), and the flat
    # copies of what the runs were computed with (build() defaults, precision, NaN rule, event path: the entries the
    # sweep's merge rule compares, _create.py::compare_specs). The ``provenance`` dict itself is shown as it is
    # (``show`` prints a hand-edited one: tests/cli/test_reading_runs_no_code.py)
    want.update({"params": jsonable(spec.params), "seeds": jsonable(list(spec.seeds))})
    provenance = jsonable(dict(spec.attrs))
    want.update({k: provenance[k] for k in _RUN_IDENTITY if k in provenance})
    for key, value in want.items():
        # absent: a store written before the copy existed; compared as written (a NaN as "NaN", so equal to itself)
        if key in attrs and jsonable(attrs[key]) != value:
            if key in ("seeds", "params") and not _runs_as_arrays(root, spec):
                continue  # the spec itself lists other runs than the arrays hold: ``status()`` says so, more precisely
            got = jsonable(attrs[key])
            while isinstance(got, dict) and isinstance(value, dict):  # name the entry that differs
                part = next(k for k in sorted({*got, *value}, key=str) if got.get(k, _ABSENT) != value.get(k, _ABSENT))
                key, got, value = f"{key}.{part}", got.get(part, _ABSENT), value.get(part, _ABSENT)
            raise StoreDamagedError(
                f"{path!r} is a damaged brainbatch store: its root attribute {key!r} is {_shown(got)} where its "
                f"spec says {_shown(value)} (the root zarr.json was edited by hand). Restore it from a backup, or sweep "
                "into a new store")


def _runs_as_arrays(root: zarr.Group, spec: StoreSpec) -> bool:
    """Whether the ``status`` array holds at least the runs ``spec`` lists (an extension cut off leaves more)."""
    try:
        shape = tuple(root[L.STATUS].shape)
    except Exception:  # noqa: BLE001 - unreadable: the status checks say so
        return False
    return len(shape) == len(spec.run_shape) and all(a >= b for a, b in zip(shape, spec.run_shape))


#: provenance entries that say what a store's runs were computed with (the sweep's merge rule compares them)
_RUN_IDENTITY = ("defaults", "default_units", "param_units", "x64", "allow_nan", "event_kernels", "monitored",
                 "monitored_index", "random", "inputs", "module_values")


class _Absent:
    def __repr__(self) -> str:
        return "absent"


_ABSENT = _Absent()


def _shown(value: Any) -> str:
    """``repr(value)``, cut to 80 characters."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


class ResultStore:
    """A brainbatch result store (Zarr v3).

    >>> import tempfile, numpy as np
    >>> from brainbatch.store import StoreSpec, VarSpec
    >>> spec = StoreSpec("demo", "0" * 64, {"we": [0.4, 0.6]}, seeds=[0], n_steps=5, dt=0.1,
    ...                  records=(VarSpec("E.V", ("E_neuron",), (3,), "float32", units="mV"),))
    >>> store = ResultStore.create(tempfile.mkdtemp() + "/demo.zarr", spec)
    >>> run = store.run_index(seed=0, we=0.6)
    >>> store.write_record(run, "E.V", 0, np.zeros((5, 3), "float32"))
    >>> store.mark_done(run)
    >>> [r.params["we"] for r in store.pending_runs()]
    [0.4]
    """

    def __init__(self, path: str, root: zarr.Group, mode: str) -> None:
        self.path = path
        self.mode = mode
        self._root = root
        try:
            self.spec = StoreSpec.from_json(root.attrs["spec"])
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError, StoreError) as err:
            raise StoreDamagedError(f"{path!r} is a damaged brainbatch store: its root attributes hold no "
                                    f"usable 'spec' ({err})") from None
        _check_copies(path, root, self.spec)
        #: the store's generation when this object opened it (root attribute; None in stores made before it)
        self.generation: str | None = generation_of(dict(root.attrs))
        self._arrays: dict[str, zarr.Array] = {}
        self._leases: Leases | None = None
        #: runs whose status chunk could not be read by the last ``status()`` (index -> why); they read as pending
        self.unreadable: dict[Index, str] = {}
        #: runs whose checkpoint record could not be read by the last ``resume_steps()``; they resume from step 0
        self.unreadable_checkpoints: dict[Index, str] = {}
        self._digest_heads: dict[Index, bytes] = {}  # each run's part of its records' digests (``_record_crc``)
        #: per run and record, the spans of samples ``write_record`` of this object wrote (``mark_done`` checks them)
        self._written: dict[Index, dict[str, list[tuple[int, int]]]] = {}
        self._keeps_digests: bool | None = None
        self._lookups: dict[str, tuple[list, dict]] = {}  # per axis: its values and {value: position} (run_index)
        self._folder: str | None = None  # a local store's folder ("" for a URL), found at the first write
        self._slot_steps_seen = False  # checkpoint/slot_step found readable (``_slot_steps_lost``)

    def __repr__(self) -> str:
        dims = ", ".join(f"{d}: {n}" for d, n in zip(self.spec.run_dims, self.spec.run_shape))
        return f"ResultStore({self.path!r}, experiment={self.spec.experiment!r}, runs=({dims}))"

    # ------------------------------------------------------------------ opening
    @classmethod
    def create(cls, path: str | os.PathLike, spec: StoreSpec, *, force: bool = False) -> ResultStore:
        """Create the store (coordinator only), or extend / re-stamp the brainbatch store already there.

        A new path gets every array at full size with all runs pending. An existing store of the same
        experiment keeps its data; more seeds or parameter values (matched by value) are appended as
        pending runs. A different source hash, dt, t0, number of steps or set of variables raises
        ``StoreMismatchError`` unless ``force=True``. A path that holds anything else raises
        ``StoreError`` and is left untouched.
        """
        from ._create import create_or_extend

        if not isinstance(spec, StoreSpec):
            raise StoreError(f"spec must be a StoreSpec, got {type(spec).__name__}")
        create_or_extend(path, spec, force)
        return cls.open(path, "r+")

    def merge_note(self, spec: StoreSpec, force: bool = False) -> tuple[str, bool]:
        """What ``create(path, spec, force=force)`` would do to this store, in words, without doing it.

        Returns ``(note, every_run_runs)`` (the store grows in time, or ``force`` rebuilds it); raises ``StoreError`` where no ``force`` could merge (another
        experiment, other swept axes). The rules are ``create``'s own (``_create.compare_specs``).
        """
        from ._create import compare_specs

        change = compare_specs(self.spec, spec, self.path)
        differ = f"exists, written with a different {', '.join(change.names)}"
        if change.names and not force:
            return f"{differ} (refused without --force)", False
        if change.names and change.structural:  # the arrays are rebuilt: no run of the store counts as done
            return f"{differ} (--force: all its data are discarded and every run is redone)", True
        stamped = f"{differ} (--force: settings re-stamped)" if change.names else "exists"
        if change.extends_time:  # every done run becomes pending: how each goes on is what the sweep will do
            return (f"{stamped}; extended in time from {self.spec.n_steps} to {spec.n_steps} steps, "
                    f"{self._extension_note(spec)}"), True
        return stamped, False

    def _extension_note(self, spec: StoreSpec) -> str:
        """How the done runs go on when ``spec`` extends the store in time: from their final states, except the runs
        whose final state another source computed (kept through a forced new source: this one, or an earlier one
        that ``sources_seen`` lists), which run again from step 0 (docs/store.md, "One source per run")."""
        if spec.source_hash != self.spec.source_hash:  # a forced new source: every run the store keeps is the old one's
            return "done runs run again from step 0 (the store's source computed them, not this sweep's)"
        if len(self.sources_seen()) > 1:
            return ("done runs continue from their final states, those kept through a forced change of source "
                    "(sources_seen) run again from step 0")
        return "done runs continue"

    @classmethod
    @keywords_named
    def open(cls, path: str | os.PathLike, mode: str = "r+") -> ResultStore:
        """Open an existing store: ``mode="r+"`` to write runs (workers), ``"r"`` to read only."""
        if not isinstance(path, (str, os.PathLike)):  # open_results(None) was os.fspath's TypeError
            raise StoreError(f"a store path must be a path or URL string, such as 'results/coba/we.zarr', got {path!r}")
        try:
            return cls(os.fspath(path), open_root(path, mode), mode)
        except (OSError, ImportError) as err:
            if location_scheme(path) is None:  # a local path's own error
                raise
            # a URL: the network, or a backend not installed (s3fs), in one line
            raise StoreError(f"the store {os.fspath(path)!r} cannot be reached: {type(err).__name__}: {err}") from None

    # ------------------------------------------------------------------ runs
    def run_index(self, seed: int, **params: Any) -> Index:
        """Position of the run along ``(seed, *params)``; values are matched by value.

        Raises ``RunNotFoundError`` (a ``LookupError``) naming the value and the close matches.
        """
        missing = [p for p in self.spec.params if p not in params]
        unknown = [p for p in params if p not in self.spec.params]
        if unknown:
            raise RunNotFoundError(
                f"the store sweeps no parameter {unknown[0]!r}; swept: {list(self.spec.params)}."
                + did_you_mean(unknown[0], self.spec.params)
            )
        if missing:
            raise RunNotFoundError(f"give a value for every swept parameter; missing: {missing}")
        if not is_int(seed):  # True was seed 1, and 1.000000000001 seed 1 too (the near match of floats from text)
            whole = _integer(seed)
            if whole is None:
                raise RunNotFoundError(f"seed={seed!r} is not in the store: a seed is an integer; seeds are "
                                       f"{self.spec.seeds[:20]}{' ...' if len(self.spec.seeds) > 20 else ''}")
            seed = whole
        return (self._position("seed", seed, self.spec.seeds),
                *(self._position(p, params[p], values) for p, values in self.spec.params.items()))

    def _position(self, axis: str, value: Any, values: list) -> int:
        """``_position``, by a table of the axis's values made once per ``values`` list: a sweep asks for every
        run's index (its workers, its coordinator), and a scan of 100,000 seeds per run was quadratic."""
        kept = self._lookups.get(axis)
        if kept is None or kept[0] is not values:
            table: dict = {}
            for i, v in enumerate(values):
                try:
                    if v == v:  # NaN matches nothing, as in _position's scan
                        table.setdefault((isinstance(v, str), v), i)  # the first equal value, as the scan finds
                except TypeError:  # an unhashable value: the scan decides
                    pass
            kept = self._lookups[axis] = (values, table)
        try:
            i = kept[1][(isinstance(value, str), value)]
            if is_bool(values[i]) == is_bool(value):  # True is not 1 (nor 1.0), though Python's == and hash say so
                return i
        except (KeyError, TypeError):  # not there exactly (a float parsed from text), or unhashable: the scan
            pass
        return _position(axis, value, values)

    def coords_of(self, index: Index | Run) -> dict[str, Any]:
        """The run at ``index`` as ``{"seed": s, <param>: v, ...}``."""
        return self.run_at(index).coords

    def run_at(self, index: Index | Run) -> Run:
        """The ``Run`` at position ``index``."""
        idx = self._index(index)
        return Run(idx, self.spec.seeds[idx[0]],
                   {p: values[i] for (p, values), i in zip(self.spec.params.items(), idx[1:])})

    def runs(self) -> list[Run]:
        """Every run (``Run``: index, seed, parameter values), in C order."""
        axes = [self.spec.seeds, *self.spec.params.values()]
        return [self.run_at(idx) for idx in itertools.product(*(range(len(a)) for a in axes))]

    def status(self) -> np.ndarray:
        """Status name (``pending``/``running``/``done``/``failed``) of every run, shaped like the runs.

        A run whose status chunk cannot be read (damage) reads as pending and is listed in ``unreadable``.
        """
        arr = self._array(L.STATUS)
        self.unreadable = {}
        self._check_run_shape(arr)
        try:
            codes = np.asarray(arr[L.run_block(self.spec.run_shape)])
        except Exception:  # noqa: BLE001 - a damaged chunk: read run by run to find it
            codes = np.zeros(self.spec.run_shape, np.uint8)
            for idx in np.ndindex(*self.spec.run_shape):
                try:
                    codes[idx] = arr[idx]
                except Exception as err:  # noqa: BLE001
                    self.unreadable[tuple(int(i) for i in idx)] = type(err).__name__
        unknown = codes >= len(L.STATUS_NAMES)
        for idx in zip(*np.nonzero(unknown)):  # not a code brainbatch writes: pending, as status_of reads it
            self.unreadable[tuple(int(i) for i in idx)] = f"unknown status code {int(codes[idx])}"
        names = np.array([L.STATUS_NAMES[c] for c in range(len(L.STATUS_NAMES))])
        return names[np.where(unknown, 0, codes)]

    def _check_run_shape(self, arr: zarr.Array) -> None:
        """Refuse a status array that does not hold the spec's runs as its leading block (``L.run_block``).

        A larger one whose other runs never started is an extension whose coordinator was stopped before it
        wrote the new spec: its runs are read from the leading block, and a sweep completes or undoes it.
        """
        shape, runs = tuple(arr.shape), self.spec.run_shape
        if shape == runs:
            return
        where = f"its spec lists {runs} runs along {self.spec.run_dims} but its status array holds {shape}"
        if not L.larger_than(shape, runs) or len(shape) != len(runs):
            raise StoreDamagedError(
                f"{self.path!r} is a damaged brainbatch store: {where}, fewer, so runs were cut away outside "
                "brainbatch. Restore the store from a backup, or write to another store (CLI --out)")
        try:
            used = L.first_used_beyond(arr, runs)
        except Exception:  # noqa: BLE001 - unreadable there: those runs are not read anyway
            used = None
        if used is not None:
            raise StoreDamagedError(
                f"{self.path!r} is a damaged brainbatch store: {where}, and the run at {used} beyond its spec's "
                f"has status {L.STATUS_NAMES.get(int(np.asarray(arr[used])), 'unknown')!r}, so its zarr.json is "
                "older than its arrays (restored from an old backup?) and lacks those runs' labels; nothing was "
                "changed. Restore the zarr.json written with these arrays")

    def status_of(self, index: Index | Run) -> Status:
        """One run's status (reads its chunk only; a damaged chunk reads as ``pending``)."""
        try:
            code = int(np.asarray(self._array(L.STATUS)[self._index(index)]))
        except StoreError:
            raise
        except Exception:  # noqa: BLE001 - damaged: the run is redone
            return "pending"
        return L.STATUS_NAMES.get(code, "pending")

    def counts(self, status: np.ndarray | None = None) -> dict[str, int]:
        """How many runs are in each state, e.g. ``{"pending": 2, "running": 0, "done": 6, "failed": 0}``.

        ``status``: the store's ``status()`` as the caller read it, so the counts and the runs it lists from that
        read agree (a live sweep changes the store between two reads); read afresh when left out."""
        status = self.status() if status is None else status
        return {name: int((status == name).sum()) for name in L.STATUS_CODES}

    def pending_runs(self) -> list[Run]:
        """The runs still to (re)run: every run not ``done`` (pending, running or failed)."""
        status = self.status()
        return [r for r in self.runs() if status[r.index] != "done"]

    def failed_runs(self, status: np.ndarray | None = None) -> list[FailedRun]:
        """Failed runs, each with its ``error`` text (``status``: as for ``counts``)."""
        status = self.status() if status is None else status
        return [FailedRun(r.index, r.seed, r.params, self.error(r.index)) for r in self.runs()
                if status[r.index] == "failed"]

    def error(self, index: Index | Run) -> str:
        """The error text stored for a run ('' when none)."""
        try:
            row = np.asarray(self._array(L.ERROR)[self._index(index)])
        except StoreError:
            raise
        except Exception as err:  # noqa: BLE001 - a damaged chunk of error text must not hide the rest
            return f"(the error text cannot be read: its chunk is damaged, {type(err).__name__})"
        return row.tobytes().rstrip(b"\0").decode("utf-8", errors="replace")

    # ------------------------------------------------------------------ writing one run
    def set_status(self, index: Index | Run, state: Status, error: str | None = None) -> None:
        """Set a run's status; ``error`` (kept for any state, usually ``failed``) replaces its error text."""
        if state not in L.STATUS_CODES:
            raise StoreError(f"state must be one of {list(L.STATUS_CODES)}, got {state!r}.{did_you_mean(state, L.STATUS_CODES)}")
        idx = self._index(index)
        self._writable()
        # error text first: a reader who sees 'failed' also sees why
        self._put(L.ERROR, idx, _error_bytes(error))
        self._put(L.STATUS, idx, L.STATUS_CODES[state])

    def write_record(self, index: Index | Run, name: str, start: int, values: np.ndarray) -> None:
        """Write samples ``start .. start+len(values)`` of record ``name`` for one run.

        ``values`` has shape ``(T, *var.shape)``; ``start`` counts samples along the record's own time
        dim (for a record kept every n steps, sample k is step k*n).
        """
        var = self.spec.var(name)
        idx = self._index(index)
        self._writable()
        values = np.asarray(values)
        total = L.n_samples(self.spec.n_steps, var.every, var.first)
        if values.ndim != 1 + len(var.shape) or values.shape[1:] != var.shape:
            raise StoreError(
                f"record {name!r} takes values of shape (T, {', '.join(map(str, var.shape))}) "
                f"(time, {', '.join(var.dims)}), got {values.shape}"
            )
        if not isinstance(start, (int, np.integer)) or start < 0 or start + len(values) > total:
            raise StoreError(
                f"record {name!r} has {total} samples; start={start!r} with {len(values)} samples "
                f"does not fit in 0..{total}"
            )
        _check_cast(values, var.dtype, name)
        values = values.astype(var.dtype, copy=False)
        self._put(name, (*idx, slice(int(start), int(start) + len(values))), values)
        if len(values) and self.keeps_digests:  # after the chunks: a digest never vouches for values not yet there
            self._write_digests(idx, name, int(start), values)
        if len(values):
            self._written.setdefault(idx, {}).setdefault(name, []).append((int(start), int(start) + len(values)))

    @property
    def keeps_digests(self) -> bool:
        """Whether this store keeps a digest of every time chunk of every record of a run (``checkpoint/record_crc``,
        README "Checksums"): stores made before it have none, and are checked by decoding only."""
        if self._keeps_digests is None:
            self._keeps_digests = bool(self.spec.records) and L.keeps_digests(self._root)
        return self._keeps_digests

    def _write_digests(self, idx: Index, name: str, start: int, values: np.ndarray) -> None:
        """The digests of the time chunks of record ``name`` that samples ``start .. start+len(values)`` touched. A
        chunk written only in part (a run resumed inside it, a partial last chunk continued after a longer duration)
        is read back whole: its digest is over every sample of it."""
        arr, n = self._array(name), len(self.spec.run_shape)
        per, total = int(arr.chunks[n]), int(arr.shape[n])
        first, last = start // per, (start + len(values) - 1) // per
        digests = np.empty(last - first + 1, np.int64)
        for c in range(first, last + 1):
            a, b = c * per, min((c + 1) * per, total)
            part = values[a - start:b - start] if start <= a and start + len(values) >= b else \
                np.asarray(arr[(*idx, slice(a, b))])
            digests[c - first] = self._record_crc(idx, name, c, part)
        where = f"{L.CHECKPOINT_GROUP}/{L.RECORD_CRC}"
        digest_arr = self._array(where)
        if digest_arr.shape[-1] <= last:  # only the coordinator resizes: a record longer than its digests is damage
            raise StoreDamagedError(
                f"{self.path!r} is damaged: its array {where!r} holds {digest_arr.shape[-1]} time chunks per record where "
                f"{name!r} has {arr.cdata_shape[n]}. Running the sweep command again repairs it")
        self._put(where, (*idx, L.digest_rows(self.spec)[name], slice(first, last + 1)), digests)

    def _record_crc(self, idx: Index, name: str, chunk: int, values: np.ndarray) -> int:
        """CRC-32 of time chunk ``chunk`` of record ``name`` of run ``idx`` holding ``values`` (as stored), of the
        record's name, the chunk's position, the run's seed and parameter values and the store's ``store_id``,
        plus ``2**32`` (0 means none)."""
        head = self._digest_heads.get(idx)
        if head is None:
            import json

            head = json.dumps({"run": jsonable(self.coords_of(idx)), "store": L.store_id_of(self._root)},
                              sort_keys=True).encode()
            self._digest_heads[idx] = head
        data = np.ascontiguousarray(values, dtype=values.dtype.newbyteorder("<"))  # as stored (little-endian)
        crc = zlib.crc32(f"{name}\0{chunk}\0{data.dtype.str}{data.shape}".encode(), zlib.crc32(head))
        return zlib.crc32(data.reshape(-1).view(np.uint8).data, crc) + 2**32

    def record_chunk_problem(self, index: Index | Run, name: str, chunk: int, values: np.ndarray,
                             digests: np.ndarray | None = None) -> str:
        """Why time chunk ``chunk`` of record ``name`` of one run, read as ``values``, is not the chunk written there
        for this run ("" if it is, or where the store keeps no digests). ``values`` that are not every sample of the
        chunk (its first samples: those a resumed run keeps) cannot be checked ("" too). ``digests``: the run's
        row of ``checkpoint/record_crc`` for this record, where the caller has read it."""
        idx = self._index(index)
        if not self.keeps_digests:
            return ""
        arr, n = self._array(name), len(self.spec.run_shape)
        values = np.asarray(values)
        values = values.reshape((-1, *self.spec.var(name).shape))
        if len(values) != min(int(arr.chunks[n]), int(arr.shape[n]) - chunk * int(arr.chunks[n])):
            return ""
        if digests is None:
            try:
                digests = self.record_digests(idx)[name]
            except StoreError:
                raise
            except Exception:  # noqa: BLE001 - unreadable record of the digests: nothing vouches for the chunk
                return L.UNDIGESTED
        want = int(digests[chunk]) if chunk < len(digests) else 0
        if want == 0:
            return L.UNDIGESTED
        if want != self._record_crc(idx, name, chunk, values):
            key = arr.metadata.encode_chunk_key((*idx, chunk, *(0 for _ in self.spec.var(name).shape)))
            return f"chunk {key} of {name!r}: {L.MOVED_CHUNK}"
        return ""

    def record_digests(self, index: Index | Run) -> dict[str, np.ndarray]:
        """One run's digests ``{record: one int64 per time chunk}`` (0: none recorded); raises where they cannot
        be read (a missing array, a chunk that does not decode)."""
        idx = self._index(index)
        row = np.asarray(self._array(f"{L.CHECKPOINT_GROUP}/{L.RECORD_CRC}")[idx]).astype(np.int64)
        return {name: row[i] for name, i in L.digest_rows(self.spec).items()}

    def write_synapse_posts(self, index: Index | Run, dim: str, post: np.ndarray) -> None:
        """Write the ``post`` coordinate of synapse dim ``dim`` for one run: the postsynaptic neuron of each
        recorded synapse, NaN on padding slots (``StoreSpec.synapse_coords``, docs/store.md)."""
        names = self.spec.synapse_coords()
        if dim not in names:
            raise StoreError(f"{dim!r} is not a synapse dim of this store's records ({sorted(names) or 'none'})")
        idx = self._index(index)
        self._writable()
        n = self.spec.synapse_record(dim).shape[-1]
        post = np.asarray(post, dtype=np.float32)
        if post.shape != (n,):
            raise StoreError(f"the post coordinate of {dim!r} takes {n} values, got shape {post.shape}")
        self._put(names[dim][1], (*idx, slice(None)), post)

    def read_record(self, index: Index | Run, name: str, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Samples ``start .. stop`` of record ``name`` of one run, ``(T, *var.shape)`` (the store's padded shape)."""
        var = self.spec.var(name)
        idx = self._index(index)
        total = L.n_samples(self.spec.n_steps, var.every, var.first)
        stop = total if stop is None else min(int(stop), total)
        return np.asarray(self._array(name)[(*idx, slice(int(start), stop))])

    def write_states(self, index: Index | Run, states: Mapping[str, np.ndarray]) -> None:
        """Write the saved state of one run: ``{variable path: array of the variable's shape}``."""
        idx = self._index(index)
        self._writable()
        written = self._write_state_slot(idx, states, 0)
        crcs = self._slot_crcs(idx)
        if crcs is not None:  # the slot's checksum follows what it now holds, the arrays not written included
            try:
                held = {v.name: written[v.name] if v.name in written else
                        np.asarray(self._array(f"{L.STATES_GROUP}/{v.name}")[idx]) for v in self.spec.states}
                crcs[0] = self._state_crc(idx, held, int(self._slot_steps(idx)[0]))
            except StoreError:
                raise
            except Exception:  # noqa: BLE001 - another array's chunk is damaged: the slot has no checksum to pass
                crcs[0] = 0
            self._put(f"{L.CHECKPOINT_GROUP}/{L.SLOT_CRC}", idx, crcs)

    def _write_state_slot(self, idx: Index, states: Mapping[str, np.ndarray], slot: int) -> dict[str, np.ndarray]:
        group = L.STATES_GROUP if slot == 0 else L.CHECKPOINT_GROUP
        by_name = {v.name: v for v in self.spec.states}
        writes = []
        for name, value in states.items():
            if name not in by_name:
                raise RunNotFoundError(
                    f"the store saves no state {name!r}; it saves {list(by_name)}.{did_you_mean(name, by_name)}"
                )
            var, value = by_name[name], np.asarray(value)
            if value.shape != var.shape:
                raise StoreError(f"state {name!r} has shape {var.shape} {var.dims}, got {value.shape}")
            _check_cast(value, var.dtype, name)
            writes.append((self._array(f"{group}/{name}"), value.astype(var.dtype, copy=False)))
        _write_all(writes, idx)
        return {name: value for name, (_, value) in zip(states, writes)}

    # ------------------------------------------------------------------ checkpoints and progress
    def save_state(self, index: Index | Run, states: Mapping[str, np.ndarray], step: int, *,
                   final: bool = False) -> None:
        """Save one run's complete state as it is after ``step`` steps (a checkpoint).

        Two slots alternate, so a process killed while writing one leaves the other intact: the
        slot being written is marked empty first and stamped with ``step`` only after all its arrays
        are on disk. ``final=True`` writes slot 0 (``states/``, what ``load_state`` reads). Call it
        only after the records of every step before ``step`` are written. A state of the store that ``states``
        lacks (the run's model has none: a sweep whose parameter picks the model, LIF or LifRef) is written as
        the fill value, so the slot is whole: every chunk on disk, its checksum over every array.
        """
        idx = self._index(index)
        self._writable()
        states = {**{v.name: np.full(v.shape, L.fill_value(v.dtype), v.dtype) for v in self.spec.states
                     if v.name not in states}, **states}
        slots = self._slot_steps(idx)
        slot = 0 if final else (1 if slots[1] <= slots[0] else 0)  # overwrite the older slot, never the newer
        slots[slot] = 0
        self._put(f"{L.CHECKPOINT_GROUP}/{L.SLOT_STEP}", idx, slots)
        written = self._write_state_slot(idx, states, slot)
        crcs = self._slot_crcs(idx)
        if crcs is None and self._has_checkpoints() and L.SLOT_CRC in self._root[L.CHECKPOINT_GROUP]:
            crcs = np.zeros(L.SLOTS, np.int64)  # an unreadable record: written anew (the other slot's lost with it)
        if crcs is not None:  # of the arrays and the step: a copy or an edit that mixes two saves shows
            crcs[slot] = self._state_crc(idx, written, int(step))
            self._put(f"{L.CHECKPOINT_GROUP}/{L.SLOT_CRC}", idx, crcs)
        slots[slot] = int(step)
        self._put(f"{L.CHECKPOINT_GROUP}/{L.SLOT_STEP}", idx, slots)

    def checkpoint(self, index: Index | Run) -> tuple[int, dict[str, np.ndarray] | None]:
        """``(step, states)`` of the run's latest saved state; ``(0, None)`` when it has none.

        Raises ``StoreDamagedError`` when a chunk of that state is missing or fails its checksum
        (``read_states``): a resume must never start from fill values.
        """
        idx = self._index(index)
        slots = self._slot_steps(idx)
        slot = int(np.argmax(slots))
        if slots[slot] <= 0:
            return 0, None
        return int(slots[slot]), self.read_states(idx, slot, continuing=True)

    def checkpoint_step(self, index: Index | Run) -> int:
        """The step of the run's latest saved state (0: none, the run starts from its beginning)."""
        return int(self._slot_steps(self._index(index)).max())

    def forget_progress(self, index: Index | Run) -> None:
        """Drop a run's checkpoints and progress, so that it runs again from step 0 (damaged data)."""
        idx = self._index(index)
        self._writable()
        if self._has_checkpoints():
            self._put(f"{L.CHECKPOINT_GROUP}/{L.SLOT_STEP}", idx, np.zeros_like(self._slot_steps(idx)))
            self._put(f"{L.CHECKPOINT_GROUP}/{L.STEPS_DONE}", idx, 0)
        self._written.pop(idx, None)  # it is written again from step 0

    def resume_steps(self) -> np.ndarray:
        """``checkpoint_step`` of every run, shaped like the runs.

        A run whose checkpoint record cannot be read resumes from step 0 and is listed in
        ``unreadable_checkpoints``.
        """
        self.unreadable_checkpoints = {}
        if not self._has_checkpoints():
            return np.zeros(self.spec.run_shape, np.int64)
        if self._slot_steps_lost():  # what the next sweep writes back: done runs' final states, no checkpoint
            return np.where(self.status() == "done", self.spec.n_steps, 0).astype(np.int64)
        arr = self._array(f"{L.CHECKPOINT_GROUP}/{L.SLOT_STEP}")
        try:
            return np.asarray(arr[L.run_block(self.spec.run_shape)]).max(axis=-1)
        except Exception:  # noqa: BLE001 - a damaged chunk: read run by run to find it
            steps = np.zeros(self.spec.run_shape, np.int64)
            for idx in np.ndindex(*self.spec.run_shape):
                try:
                    steps[idx] = np.asarray(arr[idx]).max()
                except Exception as err:  # noqa: BLE001
                    self.unreadable_checkpoints[tuple(int(i) for i in idx)] = type(err).__name__
            return steps

    def read_states(self, index: Index | Run, slot: int = 0, continuing: bool = False) -> dict[str, np.ndarray]:
        """One run's saved state ``{variable path: array}`` from slot 0 (``states/``) or slot 1.

        Refuses (``StoreDamagedError``) a state with a chunk missing (in stores that write every chunk)
        or failing its checksum, instead of handing back fill values (NaN, 0, False) as the state.
        ``continuing``: the state is read to go on computing the run, which only the store's current source
        may do (a final state computed by an earlier one, kept through a forced new source, reads otherwise).
        """
        idx = self._index(index)
        out, why = self._read_slot(idx, slot, continuing)
        if why:
            where = ", ".join(f"{k}={v!r}" for k, v in self.coords_of(idx).items())
            group = L.STATES_GROUP if slot == 0 else L.CHECKPOINT_GROUP
            raise StoreDamagedError(
                f"the saved state of run {where} ({group}/) cannot be used: {why}. `brainbatch status --verify` "
                "lists damaged runs; running the sweep again redoes the run from step 0")
        return out

    def saved_state_problem(self, index: Index | Run, slot: int = 0, continuing: bool = False) -> str:
        """Why ``read_states`` would refuse the slot ("" if it would not): what ``status --verify`` lists."""
        return self._read_slot(self._index(index), slot, continuing)[1]

    def _read_slot(self, idx: Index, slot: int, continuing: bool) -> tuple[dict[str, np.ndarray], str]:
        from ._verify import state_problems

        group = L.STATES_GROUP if slot == 0 else L.CHECKPOINT_GROUP
        why = state_problems(self, [idx], slot, full=False).get(idx, "")
        out = {}
        for v in self.spec.states:
            if why:
                break
            try:
                out[v.name] = np.asarray(self._array(f"{group}/{v.name}")[idx])
            except StoreError:
                raise
            except Exception as err:  # noqa: BLE001 - a checksum mismatch or a truncated chunk
                why = f"a chunk of {group + '/' + v.name!r} is damaged ({type(err).__name__})"
        if not why:
            why = self._checksum_problem(idx, slot, out, continuing)
        return out, why

    def _checksum_problem(self, idx: Index, slot: int, states: Mapping[str, np.ndarray], continuing: bool) -> str:
        """Why the slot's arrays are not those saved with its step for this run ("" if they are)."""
        has_record = self._has_checkpoints() and L.SLOT_CRC in self._root[L.CHECKPOINT_GROUP]
        crcs = self._slot_crcs(idx) if has_record else None
        step = int(self._slot_steps(idx)[slot])
        if crcs is None or not crcs[slot]:  # 0: not recorded (stores made before), or a missing chunk's fill
            # in stores of the store rule every slot a sweep saves is stamped with its step after its checksum, and
            # write_states keeps one over the whole slot: a stamped slot without one (its record deleted, cut
            # short, or lost with the checkpoint group) cannot be told from a copy. So can slot 0 whose step went
            # with it (both records' chunks deleted): its chunks are all there (_read_slot checked), so it was
            # written, and every write of slot 0 keeps a checksum. Older stores wrote 0 for part of a slot written
            # through write_states, and may hold it legitimately.
            return L.NO_CHECKSUM if (step > 0 or slot == 0) and self._strict_checksums() else ""
        steps = [step]
        if slot == 0 and step and self._slot_steps_lost():
            steps.append(0)  # a state written through write_states alone (no stamp: step 0), its record since lost
        if any(crcs[slot] == self._state_crc(idx, states, s) for s in steps):
            return ""
        if self._strict_checksums():  # the source is in the checksum (older rules: it is not)
            current = self._root.attrs.get("source_hash")
            for source in (s for s in self.sources_seen() if s != current):  # only on a mismatch: one CRC pass each
                if any(crcs[slot] == self._state_crc(idx, states, s, source) for s in steps):
                    # an earlier source's state (a run kept through --force): a whole run of its own, not to go on from
                    return L.OTHER_SOURCE if continuing else ""
        if slot == 0 and step == 0 and self._slot_step_missing(idx):
            # the step the checksum covers is gone (a sweep never stamps a state with step 0): said as such, not as
            # arrays mixed from two saves, which is what the checksum over step 0 seems to say. Checked after the
            # earlier sources: a state written through write_states alone (no stamp) and kept through a forced new
            # source verifies under its own source
            return (f"the step it was saved at is not recorded (the run's chunk of {L.CHECKPOINT_GROUP}/{L.SLOT_STEP} "
                    "is missing), so its checksum cannot be checked")
        return L.MIXED_SAVES

    def sources_seen(self) -> list[str]:
        """Every experiment source (``source_hash``) that computed a run kept in this store, oldest first: the
        current one, and those of runs kept through a forced new source (root attribute ``sources_seen``)."""
        return sources_seen_of(L.sources_seen_attrs(self._root))

    def set_steps_done(self, index: Index | Run, steps: int) -> None:
        """Record a run's progress: the records of its first ``steps`` steps are written."""
        idx = self._index(index)
        self._writable()
        if self._has_checkpoints():
            self._put(f"{L.CHECKPOINT_GROUP}/{L.STEPS_DONE}", idx, int(steps))

    def steps_done(self, status: np.ndarray | None = None) -> np.ndarray:
        """Steps written of every run (``n_steps`` for a done run), shaped like the runs (``status``: as for
        ``counts``)."""
        status = self.status() if status is None else status
        if not self._has_checkpoints():
            return np.where(status == "done", self.spec.n_steps, 0)
        arr = self._array(f"{L.CHECKPOINT_GROUP}/{L.STEPS_DONE}")
        try:
            steps = np.asarray(arr[L.run_block(self.spec.run_shape)])
        except Exception:  # noqa: BLE001 - a damaged chunk (progress only): read run by run, 0 where unreadable
            steps = np.zeros(self.spec.run_shape, np.int64)
            for idx in np.ndindex(*self.spec.run_shape):
                try:
                    steps[idx] = arr[idx]
                except Exception:  # noqa: BLE001
                    pass
        return np.where(status == "done", self.spec.n_steps, np.clip(steps, 0, self.spec.n_steps))

    def _slot_steps(self, idx: Index) -> np.ndarray:
        if not self._has_checkpoints():
            return np.zeros(L.SLOTS, np.int64)
        if self._slot_steps_lost():
            steps = np.zeros(L.SLOTS, np.int64)
            steps[0] = self.spec.n_steps if self.status_of(idx) == "done" else 0
            return steps
        try:
            return np.asarray(self._array(f"{L.CHECKPOINT_GROUP}/{L.SLOT_STEP}")[idx]).astype(np.int64)
        except StoreError:
            raise
        except Exception:  # noqa: BLE001 - a damaged chunk: no saved state to trust, the run starts from step 0
            return np.zeros(L.SLOTS, np.int64)

    def _slot_steps_lost(self) -> bool:
        """Whether the whole ``checkpoint/slot_step`` record is gone (its folder deleted, its ``zarr.json`` lost or
        unparsable) from a store that has a checkpoint group. The next sweep makes it anew as the sweep wrote it
        (``_create.py::_ensure_checkpoints``): each done run's final state stamped ``n_steps``, no other slot saved.
        Readers take those steps until then, so a final state still verifies against its checksum (which covers the
        step, ``_checksum_problem``) and every reader agrees with what that sweep keeps: ``open_results``, ``status``
        and a dry run call such a run done exactly when ``load_state`` loads its final state."""
        if self._slot_steps_seen:  # once there, only a rebuild (a new store object) replaces it: one read, not per run
            return False
        try:
            self._root[f"{L.CHECKPOINT_GROUP}/{L.SLOT_STEP}"]
        except Exception:  # noqa: BLE001 - missing or unreadable metadata: lost alike (the sweep's repair agrees)
            return True
        self._slot_steps_seen = True
        return False

    def _slot_step_missing(self, idx: Index) -> bool:
        """Whether the run's chunk of ``checkpoint/slot_step`` is absent from a store that writes every chunk."""
        from ._verify import _present

        if not self._has_checkpoints() or not self.writes_every_chunk:
            return False
        name = f"{L.CHECKPOINT_GROUP}/{L.SLOT_STEP}"
        try:
            key = self._array(name).metadata.encode_chunk_key((*idx, 0))
            return not _present(self, name, [key], many=False)
        except StoreError:
            raise
        except Exception:  # noqa: BLE001 - unreadable metadata: another question, answered elsewhere
            return False

    def _slot_crcs(self, idx: Index) -> np.ndarray | None:
        """The run's ``slot_crc`` entries, or None in a store written before they were (or one whose record
        cannot be read: then the slot's chunks and step are all there is to check)."""
        if not self._has_checkpoints() or L.SLOT_CRC not in self._root[L.CHECKPOINT_GROUP]:
            return None
        try:
            return np.asarray(self._array(f"{L.CHECKPOINT_GROUP}/{L.SLOT_CRC}")[idx]).astype(np.int64)
        except StoreError:
            raise
        except Exception:  # noqa: BLE001 - a damaged chunk of the record: nothing to compare with
            return None

    def _has_checkpoints(self) -> bool:
        try:
            return L.CHECKPOINT_GROUP in self._root
        except Exception:  # noqa: BLE001 - the group's own zarr.json unreadable: its arrays still read by their own
            return True  # (each array's checks report what is missing; the next sweep rewrites the group's file)

    # ------------------------------------------------------------------ leases and damage
    @property
    def leases(self) -> Leases:
        """The per-run leases of this store (see README "Leases")."""
        if self._leases is None:
            self._leases = Leases(self.path)
        return self._leases

    def claim(self, index: Index | Run) -> bool:
        """Take a run's lease before running it; False when a live process (another sweep) holds it."""
        self._writable()
        return self.leases.claim(self._index(index))

    def release(self, index: Index | Run) -> None:
        """Give up a run's lease (after its status is written)."""
        self.leases.release(self._index(index))

    def lease(self, index: Index | Run) -> Lease | None:
        """The run's lease (owner, heartbeat), or None when nobody holds one."""
        return self.leases.read(self._index(index))

    def held_elsewhere(self) -> dict[Index, Lease]:
        """Runs whose lease is held by a live owner, with the lease (a sweep running them now)."""
        out = {}
        status = self.status()
        for found in zip(*np.nonzero(status == "running")):
            idx = tuple(int(i) for i in found)
            lease = self.leases.read(idx)
            if lease is not None and lease.alive and not lease.mine:
                out[idx] = lease
        return out

    def verify(self, full: bool = True, status: np.ndarray | None = None) -> dict[Index, str]:
        """Done runs whose data are damaged: ``{index: why}`` (missing or corrupt chunks, bad metadata).

        ``full=False`` checks metadata and that every chunk is there, and compares the few chunks a sweep writes in
        parts with their digests (``_verify.py::pieced_chunks``: a copy taken between the parts holds the first);
        ``full=True`` also reads every chunk (checksums, digests). ``status``: what ``status()`` just gave, not read
        again. Reads only.
        """
        from ._verify import damaged_runs

        return damaged_runs(self, full=full, status=status)

    def verify_coordinates(self) -> dict[str, str]:
        """Coordinates whose labels are not the spec's: ``{path: why}`` (the data are intact; the next
        sweep rewrites them, and ``open_results`` reads the spec's labels). Reads only. Empty while another live
        process holds the store's metadata lock (``verify_consolidated``): it is rewriting them."""
        from ._verify import damaged_coordinates

        if self.leases.changing_metadata() is not None:
            return {}
        return damaged_coordinates(self)

    def verify_consolidated(self) -> dict[str, str]:
        """Arrays whose copy in the root's consolidated metadata (plain ``xarray.open_zarr``'s default) disagrees
        with their own ``zarr.json``: ``{path: why}`` (brainbatch's readers never use the copy; the next sweep
        rewrites it). Reads only. Empty while another live process holds the store's metadata lock: a coordinator
        extending the store resizes its arrays one by one and rewrites the copy when it is done, so until then the
        copy differs in shape without any damage."""
        if self.leases.changing_metadata() is not None:
            return {}
        return consolidated_problems(self.path)

    @property
    def writes_every_chunk(self) -> bool:
        """Whether the store records that every chunk of a done run is on disk (``integrity``, README
        "Checksums"): only then is a missing chunk damage, not an empty chunk left unwritten."""
        return L.integrity_of(self._root).get("empty_chunks") == "written"

    def replaced_coordinates(self) -> dict[str, str]:
        """Coordinates that are whole but hold other labels than the spec lists: ``{path: why}``. Not damage the
        spec repairs (one of the two was replaced, which run is which is unknown): ``open_results`` and the next
        sweep refuse the store. Reads only."""
        from ._create import label_conflicts

        return label_conflicts(self._root, self.spec)

    def verify_resume(self, full: bool = True) -> dict[Index, str]:
        """Runs not done whose saved state cannot be resumed from: ``{index: why}`` (a chunk missing or,
        with ``full``, failing its checksum; an unreadable checkpoint record). Such a run starts again
        from step 0 (``forget_progress``). Reads only.
        """
        from ._verify import damaged_resume_states

        return damaged_resume_states(self, full=full)

    def kept_through_force(self, whys: Mapping[Index, str]) -> dict[Index, str]:
        """The entries of ``verify_resume``'s answer that are no damage: runs kept through a forced new source whose
        final state, whole and verified, an extension in time does not continue (another model computed it), so
        they run again from step 0."""
        return {idx: why for idx, why in whys.items() if why.endswith(L.OTHER_SOURCE)}

    @property
    def versions_seen(self) -> list[dict]:
        """Every (brainbatch, jax) version pair the store's runs were computed with, oldest first (root
        attribute ``versions_seen``; a store from before it lists its last recorded pair)."""
        return versions_seen_of(dict(self._root.attrs))

    @property
    def step_indices_from_saved_step(self) -> bool:
        """Whether the saved states count step indices (a neuron's last spike...) from the step they were saved
        at (root attribute ``step_indices``), as a model holds them between runs; a store written before counts
        them from its run's step 0, and a sweep that resumes or extends it keeps that count."""
        return self._root.attrs.get(L.STEP_INDICES) == L.FROM_SAVED_STEP

    def check_generation(self, expected: str | None) -> None:
        """Raise ``StoreRebuiltError`` unless the store's generation is still ``expected`` (a fresh read):
        another sweep rebuilt it (``--force`` with other settings or another source) since then.
        ``None`` checks nothing (a store made before generations, or a caller that planned none)."""
        if expected is not None:
            self._still_there()  # moved or removed: said as such, not as "not a brainbatch store" (a path to reuse)
            self._check_generation(read_root_attrs(self.path), expected)

    def _check_generation(self, attrs: dict, expected: str | None) -> None:
        if expected is not None and generation_of(attrs) != expected:
            raise StoreRebuiltError(
                f"{self.path!r} was rebuilt by another sweep (--force) after this one planned its runs: their "
                "results are not written and none is marked done; the sweep that rebuilt it runs them anew")

    def mark_done(self, index: Index | Run, steps: int | None = None, generation: str | None = None) -> None:
        """Mark a run done; call only after all its records and states are written.

        ``steps``: the steps its records cover. Without it, the steps they are known to cover: those the run's
        progress record says (``set_steps_done``, in stores that keep progress: ``checkpoint/steps_done``) together
        with those ``write_record`` of this object wrote from step 0 on, every record through the same step (in a
        store that keeps no progress, a run this object wrote nothing of counts as written whole, as before; in one
        that keeps it, such a run with no progress recorded is refused: nothing says its records are written).
        ``generation``: the store's generation its runs were planned under (a rebuild since
        raises ``StoreRebuiltError`` and leaves the run alone). A run is never done short of the store's time axis as it is *now* (another sweep
        may have extended the store in time since), nor short of what this object wrote of it where ``steps`` says
        more: then it stays pending and ``RunIncompleteError`` says so. The root attributes (time axis, generation)
        are read again after ``done`` is written, since
        an extension turns done runs pending only after it has written its new length, and a rebuild resets
        them (docs/store.md, "When a run is done").
        """
        idx = self._index(index)
        self._writable()
        before = read_root_attrs(self.path)
        self._check_generation(before, generation)  # rebuilt under this run: not a word more into the new store
        try:
            covered = self._covered(idx, steps)
            self._check_covers(before, idx, covered)
            self.set_status(idx, "done")
            after = read_root_attrs(self.path)
            self._check_covers(after, idx, covered)
        except RunIncompleteError as err:
            self.set_status(idx, "pending", error=str(err))
            raise
        try:  # as for the time axis: a rebuild between the two reads resets the run
            self._check_generation(after, generation)
        except StoreRebuiltError:
            self.set_status(idx, "pending", error="rebuilt by another sweep while this run finished; run it again")
            raise
        self._written.pop(idx, None)

    def _covered(self, idx: Index, steps: int | None) -> int:
        """The steps run ``idx``'s records cover for ``mark_done``: ``steps`` if given (checked against what this
        object wrote of the run, if anything), else the steps its progress record and this object's writes vouch
        for; with neither, ``RunIncompleteError`` (nothing vouches for its records: pass ``steps`` or record them with
        ``set_steps_done``), except in a store that keeps no progress or a run with no records: the store's ``n_steps``. Writes ``checkpoint/steps_done`` where the writes vouch for more than it
        records, so the progress record of a done run says its end (``verify`` compares it with ``n_steps``).
        ``RunIncompleteError`` where the records stop short of the run's end, or of ``steps``."""
        n = self.spec.n_steps
        if steps is not None:
            if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)):
                raise StoreError(f"steps must be a whole number of steps such as {n}, got {steps!r}")
            claimed = int(steps)
        if steps is not None and idx not in self._written:
            return claimed  # the caller's word: records written elsewhere (another process, another object)
        progress = self._has_checkpoints()
        recorded = self._recorded_steps(idx) if progress else 0
        if idx in self._written:
            covered, short = self._steps_written(idx, recorded)
            covered = max(recorded, covered)
        elif recorded:  # progress recorded (set_steps_done), the records written through another object
            covered, short = recorded, "this ResultStore object wrote none of its records"
        elif progress and self.spec.records:  # nothing to go by: not a word that any record is written
            where = ", ".join(f"{k}={v!r}" for k, v in self.coords_of(idx).items())
            raise RunIncompleteError(
                f"run {where} is not done: nothing says its records are written (this ResultStore object wrote "
                f"none of them, and its progress record, checkpoint/steps_done, records no step). Write them first; "
                f"if another process or ResultStore object wrote them, record the steps with "
                f"set_steps_done(run, {n}) or pass mark_done(run, steps={n})")
        else:
            return n  # a store that keeps no progress (made before it did), or a run with no records to write
        wanted = n if steps is None else claimed
        if covered < min(wanted, n):
            where = ", ".join(f"{k}={v!r}" for k, v in self.coords_of(idx).items())
            said = f"steps={claimed} was given, but " if steps is not None else ""
            record = (f"progress record (checkpoint/steps_done) says {recorded}" if progress else
                      "store keeps no progress record")
            raise RunIncompleteError(
                f"run {where} is not done: {said}its records are written through step {covered} of {n} "
                f"({short}; its {record}). Write the rest first; if another process or ResultStore object wrote "
                f"them, record the steps with set_steps_done(run, {n}) or pass mark_done(run, steps={n})")
        if progress and covered > recorded:
            self.set_steps_done(idx, covered)
        return covered if steps is None else claimed

    def _recorded_steps(self, idx: Index) -> int:
        """Run ``idx``'s progress record (``checkpoint/steps_done``); 0 where it cannot be read."""
        try:
            return max(0, int(np.asarray(self._array(f"{L.CHECKPOINT_GROUP}/{L.STEPS_DONE}")[idx])))
        except StoreError:
            raise
        except Exception:  # noqa: BLE001 - a damaged chunk: it vouches for nothing
            return 0

    def _steps_written(self, idx: Index, recorded: int) -> tuple[int, str]:
        """The steps through which every record of run ``idx`` is written: the samples of the steps before
        ``recorded`` (its progress record), then the spans ``write_record`` of this object wrote, from there on
        without a gap. With the shortest record and how far it reaches, in words."""
        n, spans = self.spec.n_steps, self._written.get(idx, {})
        covered, short = n, "every record is written to its end"
        for var in self.spec.records:
            total = L.n_samples(n, var.every, var.first)
            reach = min(total, L.n_samples(recorded, var.every, var.first))
            for a, b in sorted(spans.get(var.name, ())):
                if a > reach:
                    break
                reach = max(reach, b)
            through = n if reach >= total else var.first + reach * var.every
            if through < covered:
                covered, short = through, f"record {var.name!r}: its first {reach} of {total} samples"
        return covered, short

    def _check_covers(self, attrs: dict, idx: Index, covered: int) -> None:
        """``RunIncompleteError`` if the store's ``n_steps`` in ``attrs`` (a fresh read) is past ``covered``."""
        now_steps = attrs.get("n_steps")
        if isinstance(now_steps, int) and not isinstance(now_steps, bool) and covered < now_steps:
            where = ", ".join(f"{k}={v!r}" for k, v in self.coords_of(idx).items())
            raise RunIncompleteError(
                f"run {where} is not done: its records cover {covered} steps but the store now has {now_steps} "
                "(it was extended in time meanwhile); the next sweep continues it from its saved state")

    def finish(self, *, generation: str | None = None, **attrs: Any) -> bool:
        """Coordinator: stamp the end time (``finished``) and any extra provenance into the root attributes.

        ``generation``: the store's generation the sweep planned its runs under; a store rebuilt since (another
        sweep's ``--force``, or deleted and made anew) is that sweep's, and gets no stamp. Whether it was stamped.
        """
        self._writable()
        # nor the flat copies of what the runs were computed with, checked against the spec (_check_copies)
        clash = sorted(set(attrs) & {*L.ROOT_KEYS, *(k for k in _RUN_IDENTITY if k in self.spec.attrs)})
        if clash:
            raise StoreError(f"finish() cannot overwrite the store's own attributes {clash}; use other names")
        from ._lease import metadata_lock

        # a fresh read of the root, under the metadata lock: another sweep may be extending the store,
        # and updating a stale copy would write its old spec back
        with metadata_lock(self.path):
            root = open_root(self.path, "r+")
            if generation is not None and generation_of(dict(root.attrs)) != generation:
                return False
            root.update_attributes({"finished": now(), **jsonable(attrs)})
            consolidate(self.path)
        return True

    def time_chunk(self, name: str) -> int:
        """Samples per chunk along the time dim of record ``name`` (writes aligned to it are cheapest)."""
        self.spec.var(name)
        return int(self._array(name).chunks[len(self.spec.run_shape)])

    # ------------------------------------------------------------------ helpers
    def _put(self, name: str, key: Any, value: Any) -> None:
        """``self._array(name)[key] = value``, with a chunk that is a folder (a hand edit: zarr's rename onto it
        fails) named in one line instead of a traceback from every later sweep."""
        try:
            self._array(name)[key] = value
        except (IsADirectoryError, NotADirectoryError) as err:
            where = err.filename2 or err.filename
            raise StoreDamagedError(
                f"{self.path!r} is damaged: a chunk of its array {name!r} is a folder or sits under a file where "
                f"zarr writes a file ({where}). brainbatch does not remove what it did not write: move that away, "
                "then run the sweep again") from None

    def _array(self, name: str) -> zarr.Array:
        if name not in self._arrays:
            try:
                arr = self._root[name]
            except Exception as err:  # noqa: BLE001 - missing or unparsable zarr.json of our own array
                # `status --verify` reads `status` itself: pointing there from it would send the user round
                advice = ("Running the sweep again repairs the metadata; a run stays done only where its status "
                          "chunk is intact, every other run is computed again" if name == L.STATUS else
                          "`brainbatch status --verify` lists the runs affected; running the sweep again repairs "
                          "the metadata and redoes them")
                raise StoreDamagedError(
                    f"{self.path!r} is damaged: the metadata of its array {name!r} cannot be read "
                    f"({type(err).__name__}). {advice}") from None
            problem = L.layout_problem(self.spec, name, tuple(arr.shape), arr.dtype)
            codecs = L.array_codecs_problem(self.spec, name, arr, L.has_checksums(self._root)) if problem is None \
                else None
            if codecs is not None:  # intact chunks would be read (and written) through an edited codec chain
                raise StoreDamagedError(
                    f"{self.path!r} is damaged: {codecs} (its zarr.json was edited). Running the sweep again "
                    "rewrites the header from the spec; the data are kept")
            if problem is not None:  # zarr drops a write past an array's end without a word: a run written
                # into a shorter array (a --force rebuild cut off) was marked done short of its steps
                raise StoreDamagedError(
                    f"{self.path!r} is damaged: {problem}; a change of its layout (a --force rebuild or a longer "
                    "duration) was cut off before it finished. Running the sweep command again finishes or undoes "
                    "it; no run is written or counted done until then")
            # every chunk of a run is written, even an empty one: a missing chunk then means damage
            self._arrays[name] = arr.with_config({"write_empty_chunks": True})
        return self._arrays[name]

    def _state_crc(self, idx: Index, states: Mapping[str, np.ndarray], step: int, source: Any = None) -> int:
        """``state_crc`` of run ``idx``'s slot, the run, the store and the source that computed it (``source``, else
        the store's current one) included where the store says so (``STATE_CRC``)."""
        rule = self._root.attrs.get(L.STATE_CRC)
        if rule not in (L.STATE_CRC_WITH_RUN, L.STATE_CRC_WITH_STORE):
            return state_crc(states, step)
        import json

        run = jsonable(self.coords_of(idx))
        if rule == L.STATE_CRC_WITH_RUN:
            return state_crc(states, step, run=json.dumps(run, sort_keys=True))
        attrs = self._root.attrs
        source = attrs.get("source_hash", "") if source is None else source
        # a root that lost its id reads the copy on `status`; a store that lost both, or its source: no slot passes
        # (its runs start again) rather than a sibling's
        ident = {"run": run, "store": L.store_id_of(self._root), "source": str(source)}
        return state_crc(states, step, run=json.dumps(ident, sort_keys=True))

    def _strict_checksums(self) -> bool:
        """Whether every stamped slot of this store carries its checksum (stores of the store rule)."""
        return self._root.attrs.get(L.STATE_CRC) == L.STATE_CRC_WITH_STORE

    def _writable(self) -> None:
        if self.mode != "r+":
            raise StoreError(f"{self.path!r} is open read-only (mode={self.mode!r}); open it with mode='r+' to write")
        self._still_there()

    def _still_there(self) -> None:
        """Raise ``StoreRebuiltError`` where the local store this object opened is no longer at its path (its root
        ``zarr.json`` gone: the store moved, renamed or removed while this process writes it). zarr makes the parent
        folders of every chunk it writes, so a write there would leave a folder of stray chunks with no
        ``zarr.json`` (a half-store at a path where no store is) and count runs written that no store holds. One
        ``stat`` per write; a move that lands between it and the write still can (plain files offer no fencing)."""
        from ._verify import _local_folder

        if self._folder is None:
            self._folder = _local_folder(self) or ""
        if self._folder and not os.path.isfile(os.path.join(self._folder, "zarr.json")):
            raise StoreRebuiltError(
                f"{self.path!r} is no longer there (moved or removed while this process wrote it: no zarr.json at "
                f"{self._folder!r}): nothing more is written at that path, and its runs not done are left to the next "
                "sweep of the store where it is now")

    def _index(self, index: Index | Run) -> Index:
        if isinstance(index, Run):  # from runs() / pending_runs()
            index = index.index
        shape = self.spec.run_shape
        idx = tuple(index) if isinstance(index, (tuple, list)) else None
        if idx is None or len(idx) != len(shape) or not all(
                isinstance(i, (int, np.integer)) and 0 <= i < n for i, n in zip(idx, shape)):
            raise RunNotFoundError(
                f"run index must be {len(shape)} integers along {self.spec.run_dims} within {shape}, got {index!r}; "
                "get one from run_index(seed=..., **params) or runs()"
            )
        return tuple(int(i) for i in idx)


def _integer(value: Any) -> int | None:
    """``value`` as an ``int`` where it is a whole number other than a bool (``2.0``, a JAX integer scalar), else
    None."""
    if is_bool(value):
        return None
    if is_real(value):
        return int(value) if float(value).is_integer() else None
    try:
        return operator.index(value)
    except TypeError:
        return None


def _position(axis: str, value: Any, values: list) -> int:
    for i, v in enumerate(values):
        if v == value and isinstance(v, str) == isinstance(value, str) and is_bool(v) == is_bool(value):
            return i
    if is_real(value) and not is_bool(value):
        # floats parsed from text may differ in the last bit from the stored ones
        near = [i for i, v in enumerate(values)
                if isinstance(v, (int, float)) and not is_bool(v) and np.isclose(v, value, rtol=1e-9, atol=0)]
        if len(near) == 1:
            return near[0]
    raise RunNotFoundError(
        f"{axis}={value!r} is not in the store; {axis} values are {values}.{did_you_mean(value, values)}"
    )


def _error_bytes(error: str | None) -> np.ndarray:
    # "backslashreplace": a lone surrogate (Python's stand-in for a byte of a file name that is not UTF-8, as in the
    # traceback of an experiment kept in such a folder) has no UTF-8 form; it is kept as the text "\\udce9", so the
    # failure is written (not a UnicodeEncodeError that ended the sweep) and the row still decodes as UTF-8
    data = (error or "").encode("utf-8", errors="backslashreplace")
    if len(data) > L.ERROR_BYTES:
        tail = " ...[error text cut]".encode()
        data = data[: L.ERROR_BYTES - len(tail)].decode("utf-8", errors="ignore").encode() + tail
    out = np.zeros(L.ERROR_BYTES, np.uint8)
    out[: len(data)] = np.frombuffer(data, np.uint8)
    return out


def _check_cast(values: np.ndarray, dtype: str, name: str) -> None:
    if not np.can_cast(values.dtype, dtype, casting="same_kind"):
        raise StoreError(f"{name!r} is stored as {dtype}; values of dtype {values.dtype} cannot be cast to it safely")


def state_crc(states: Mapping[str, np.ndarray], step: int, run: str | None = None) -> int:
    """CRC-32 of a saved state's arrays (by name, their bytes as stored), of the step it was saved at and of
    ``run`` (the run's seed and parameter values as JSON, where the store's checksums cover it), plus ``2**32``
    so that 0 means none.

    >>> state_crc({"V": np.zeros(3, np.float32)}, 100) == state_crc({"V": np.zeros(3, np.float32)}, 100) > 2**32
    True
    >>> state_crc({"V": np.zeros(3, np.float32)}, 100) == state_crc({"V": np.zeros(3, np.float32)}, 300)
    False
    """
    crc = zlib.crc32(np.int64(step).tobytes())
    if run is not None:
        crc = zlib.crc32(run.encode(), crc)
    for name in sorted(states):
        crc = zlib.crc32(name.encode(), crc)
        crc = zlib.crc32(np.ascontiguousarray(states[name]).tobytes(), crc)
    return crc + 2**32


def _write_all(writes: list, idx: Index) -> None:
    """``array[idx] = value`` for every pair, all at once: one round trip through zarr's event loop
    instead of one per array (a run's state is ~24 small arrays; one at a time, zarr's fixed cost per
    write was most of the time). Returns when every array is written."""
    import asyncio

    from ._zarr_compat import async_array, run

    targets = [(async_array(array), value) for array, value in writes]
    if any(target is None for target, _ in targets):  # a zarr without it: one array after another
        for array, value in writes:
            array[idx] = value
        return

    async def gather() -> None:
        await asyncio.gather(*(target.setitem(idx, value) for target, value in targets))

    run(gather())

