"""Finding damaged runs: missing chunks, chunks that fail their checksum, unreadable metadata.

A done run is damaged when any chunk of its records, states, error text or synapse labels is missing (stores that write
every chunk, see README "Checksums") or does not decode (a crc32c mismatch, a truncated chunk), or when
an array it needs has metadata that cannot be read. A run that is not done but has a saved state
(a checkpoint, or the final state of a run the store was extended past) has a damaged saved state
on the same terms, for the slot it would resume from. Only reads; the sweep's coordinator queues
damaged done runs again and restarts runs with a damaged saved state from step 0.
"""
from __future__ import annotations

import itertools
import os
from typing import Any, Protocol

import numpy as np

from . import _layout as L
from ._create import expected_coordinates as expected_coordinates
from ._create import coordinate_attrs_problem, expected_coordinate_attrs, label_conflicts
from ._root import group_problem
from ._layout import same_labels as same_labels
from ._spec import StoreSpec

Index = tuple[int, ...]


class _Store(Protocol):
    """What these checks read of a ``ResultStore`` (``_store.py`` calls them; it is not imported back,
    even for a type hint: imports point one way)."""

    _root: Any  # the zarr group
    spec: StoreSpec
    unreadable: dict[Index, str]
    unreadable_checkpoints: dict[Index, str]

    def status(self) -> np.ndarray: ...
    def resume_steps(self) -> np.ndarray: ...
    def _slot_steps(self, idx: Index) -> np.ndarray: ...
    def saved_state_problem(self, index: Index, slot: int = 0, continuing: bool = False) -> str: ...
    def _strict_checksums(self) -> bool: ...
    @property
    def keeps_digests(self) -> bool: ...
    def record_digests(self, index: Index) -> dict[str, np.ndarray]: ...
    def record_chunk_problem(self, index: Index, name: str, chunk: int, values: np.ndarray,
                             digests: np.ndarray | None = None) -> str: ...


def damaged_runs(store: _Store, full: bool = True, status: np.ndarray | None = None) -> dict[Index, str]:
    """``{run index: why}`` for every done run of ``store`` (a ``ResultStore``) whose data are damaged.

    ``full=False`` checks metadata and that every chunk is present (a listing: fast), and compares the
    ``pieced_chunks`` of each done run with their digests; ``full=True`` also reads every chunk of every done run
    (checksums and decoding, digests). ``status``: the store's
    ``status()`` when the caller has just read it (one read of one chunk per run, not two).
    """
    status = store.status() if status is None else status
    out: dict[Index, str] = {idx: f"its status chunk cannot be read ({why})" for idx, why in store.unreadable.items()}
    done = [tuple(int(i) for i in idx) for idx in np.argwhere(status == "done")]
    if not done:
        return out
    for idx, why in _short_of_the_end(store, done).items():
        out.setdefault(idx, why)
    for idx, why in _unvouched_final_states(store, done).items():
        out.setdefault(idx, why)
    for group in ([L.STATES_GROUP] if store.spec.states else []) + [L.CHECKPOINT_GROUP]:
        broken = group_problem(store._root, group)
        for idx in done if broken else []:  # open_results cannot open it (the next sweep rewrites it)
            out.setdefault(idx, str(broken))
    for idx, why in _unstamped_final_states(store, [i for i in done if i not in out]).items():
        out.setdefault(idx, why)
    every_chunk = L.integrity_of(store._root).get("empty_chunks") == "written"
    checksums = L.has_checksums(store._root)
    look_at_chunks = every_chunk or full  # else only the arrays' metadata can be checked
    # the error text too: a done run's row is written (empty) when it is marked done, so a missing or garbled
    # chunk of it is an edit of the run's own data, as in any record; likewise the postsynaptic neuron of each
    # synapse slot of plastic weights (written with the final state); and the status array's header (attributes by
    # which plain readers decode the codes otherwise: its chunks are what says done)
    names = ([v.name for v in store.spec.records] + [f"{L.STATES_GROUP}/{v.name}" for v in store.spec.states]
             + [post for _, post in store.spec.synapse_coords().values()] + [L.ERROR, L.STATUS])
    records = {v.name for v in store.spec.records}
    digested = store.keeps_digests
    if digested:  # each done run's digests are all there (one listing, as for the records); read by the full check
        names.append(f"{L.CHECKPOINT_GROUP}/{L.RECORD_CRC}")
    digests = _Digests(store) if digested and full else None
    n_run_dims = len(store.spec.run_shape)
    for name in names:
        try:
            arr = store._root[name]
        except Exception as err:  # noqa: BLE001 - unreadable zarr.json: every done run needs it
            for idx in done:
                out.setdefault(idx, L.UNDIGESTED if name.endswith(f"/{L.RECORD_CRC}") else
                               f"the metadata of {name!r} cannot be read ({type(err).__name__})")
            continue
        problem = L.header_problem(store.spec, name, arr, checksums)
        if problem is not None:  # a layout change cut off, or a header edited: its chunks do not read as made
            for idx in done:
                out.setdefault(idx, problem)
            continue
        if not look_at_chunks:
            continue
        tail = [range(n) for n in arr.cdata_shape[n_run_dims:]]
        present = _chunk_keys(store, name) if every_chunk else None
        for idx in done:
            if idx in out:
                continue
            for rest in itertools.product(*tail):
                coords = (*idx, *rest)
                key = arr.metadata.encode_chunk_key(coords)
                if present is not None and f"{name}/{key}" not in present:
                    out[idx] = _missing(store, name, key)
                    break
                if full:
                    try:
                        block = arr.blocks[coords]
                    except Exception as err:  # noqa: BLE001 - checksum mismatch, truncation, bad codec data
                        out[idx] = f"chunk {key} of {name!r} is damaged ({_short(err)})"
                        break
                    # whole, and (stores that keep digests) the chunk written there for this run and time block
                    why = digests.problem(idx, name, rest[0], block) if digests is not None and name in records else ""
                    if why:
                        out[idx] = why
                        break
    if not full and digested:  # the chunks a sweep writes in more than one piece: a torn copy holds the first part
        for idx, why in _pieced_problems(store, [idx for idx in done if idx not in out]).items():
            out[idx] = why
    if full and store.spec.states:  # each chunk decodes; the final state must also be the one saved with its step
        for idx in done:
            why = "" if idx in out else store.saved_state_problem(idx, 0)
            if why:
                out[idx] = f"its final state (states/): {why}"
    return dict(sorted(out.items()))


def pieced_chunks(spec: StoreSpec, chunks: dict[str, int]) -> dict[str, list[int]]:
    """``{record: [time chunk, ...]}``: the chunks of each record that a sweep may write in more than one piece, each
    piece by another call (``chunks``: each record's samples per time chunk, as its array has them).

    A sweep's calls end on the store's time chunks (``sweep/batching.py::chunk_grid``), so every other chunk file is
    written once, whole; a copy of the store taken while a sweep writes it (``cp -r``) has it whole or not at all,
    and the cheap checks, which list the chunk files, are enough. These are the exceptions:

    - every chunk of a record whose first step (a monitor's ``start``) is off its chunks (``first`` not a multiple of
      a chunk's steps): no grid of calls from step 0 ends on their edges (a new store gets chunks that start on it
      where that keeps them large enough: ``batching.store_time_chunk``);
    - the chunk holding each earlier length of a store extended in time (``extended_from``, ``layout_steps``), where
      that length ends inside it: the runs continued there wrote the chunk file again.

    A copy taken between two pieces holds the first one and fill values after it (NaN, spikes missing as silence)
    under a ``done`` status copied later: the readers compare these chunks with their digests.
    """
    ends = sorted({*spec.extended_from, *([spec.layout_steps] if spec.layout_steps else [])})
    out: dict[str, list[int]] = {}
    for var in spec.records:
        per, total = chunks[var.name], L.n_samples(spec.n_steps, var.every, var.first)
        if total <= 0:
            continue
        if var.first % (per * var.every):
            out[var.name] = list(range(-(-total // per)))
            continue
        samples = {L.n_samples(end, var.every, var.first) for end in ends}
        pieced = sorted({s // per for s in samples if 0 < s < total and s % per})
        if pieced:
            out[var.name] = pieced
    return out


def _pieced_problems(store: _Store, runs: list[Index]) -> dict[Index, str]:
    """``{run: why}`` for the runs among ``runs`` (done, their chunks all there) one of whose ``pieced_chunks`` is
    not the chunk written there for the run: its digest says otherwise, or it does not decode."""
    if not runs:
        return {}
    n_run_dims = len(store.spec.run_shape)
    arrays = {v.name: store._root[v.name] for v in store.spec.records}  # their headers were checked by the caller
    # the chunks as the arrays have them: a store made before `time_chunk` has them sized in bytes, not by the spec
    suspects = pieced_chunks(store.spec, {name: int(arr.chunks[n_run_dims]) for name, arr in arrays.items()})
    digests = _Digests(store)
    out: dict[Index, str] = {}
    for name, chunks in suspects.items():
        arr, var_dims = arrays[name], len(store.spec.var(name).shape)
        for idx in runs:
            for c in chunks if idx not in out else ():
                coords = (*idx, c, *(0,) * var_dims)
                key = arr.metadata.encode_chunk_key(coords)
                try:
                    block = arr.blocks[coords]
                except Exception as err:  # noqa: BLE001 - checksum mismatch, truncation, bad codec data
                    out[idx] = f"chunk {key} of {name!r} is damaged ({_short(err)})"
                    break
                why = digests.problem(idx, name, c, block)
                if why:  # a sweep writes this chunk in parts: say how a copy comes to hold another
                    out[idx] = why + ("; a copy of the store taken while a sweep wrote this chunk in parts holds its "
                                      "first part" if L.MOVED_CHUNK in why else "")
                    break
    return out


class _Digests:
    """Each done run's digests of its records, read once per run (``ResultStore.record_digests``), and checked
    against the chunks as the full check reads them."""

    def __init__(self, store: _Store) -> None:
        self.store = store
        self.rows: dict[Index, dict[str, np.ndarray] | None] = {}

    def problem(self, idx: Index, name: str, chunk: int, values: np.ndarray) -> str:
        if idx not in self.rows:
            try:
                self.rows[idx] = self.store.record_digests(idx)
            except Exception:  # noqa: BLE001 - the run's chunk of record_crc does not decode: nothing vouches
                self.rows[idx] = None
        row = self.rows[idx]
        if row is None:
            return L.UNDIGESTED
        return self.store.record_chunk_problem(idx, name, chunk, values, row[name])


def _short_of_the_end(store: _Store, done: list[Index]) -> dict[Index, str]:
    """Done runs whose own progress records say they stop short of the store's ``n_steps``: the steps written
    (``checkpoint/steps_done``) and the step their final state was saved at (slot 0 of ``checkpoint/slot_step``).
    A sweep writes both as ``n_steps`` before ``done`` (0: not recorded), and an extension in time makes every
    done run pending, so only a status set to done by hand (a status chunk copied from a done run) gets here: the
    run's last steps were never computed, yet every chunk of it is there (an extension inside the last time chunk)."""
    out: dict[Index, str] = {}
    n = store.spec.n_steps
    for name, what in ((L.STEPS_DONE, "its progress record says {} of the {} steps were written"),
                       (L.SLOT_STEP, "its final state was saved at step {}, not at the run's end ({})")):
        try:
            arr = store._root[f"{L.CHECKPOINT_GROUP}/{name}"]
        except Exception:  # noqa: BLE001 - a store made before the record, or its metadata damaged (checked below)
            continue
        if name == L.SLOT_STEP and not store.spec.states:
            continue
        try:  # one read of the whole block (zarr fetches its one-run chunks concurrently), not one per run
            block = np.asarray(arr[L.run_block(store.spec.run_shape)])
        except Exception:  # noqa: BLE001 - a damaged chunk somewhere: run by run below
            block = None
        for idx in done:
            try:
                value = block[idx] if block is not None else arr[idx]
                step = int(np.asarray(value).ravel()[0])  # slot_step: slot 0, the final state's
            except Exception:  # noqa: BLE001 - an unreadable record (progress only, but for the final state's step)
                if name == L.SLOT_STEP and store._strict_checksums():
                    # the final state's checksum covers its step: without it the state fails the full check and
                    # load_state, so the cheap checks of status and open_results must not call the run done
                    out.setdefault(idx, f"its final state ({L.STATES_GROUP}/): the step it was saved at (slot 0 of "
                                        f"{L.CHECKPOINT_GROUP}/{L.SLOT_STEP}) cannot be read, so its checksum cannot "
                                        "be checked")
                continue
            if step not in (0, n):  # 0: never recorded (a worker of the Python API that keeps no progress)
                out.setdefault(idx, what.format(step, n))
    return out


def _unvouched_final_states(store: _Store, done: list[Index]) -> dict[Index, str]:
    """Done runs whose final state has no checksum to be checked against, in a store whose every saved slot has one
    (the root's ``state_checksum`` of the store rule): the ``checkpoint/`` group or its ``slot_crc`` array lost, or
    the run's chunk of it deleted or unreadable. The full check (``saved_state_problem``) calls such a state damaged
    and ``load_state`` refuses it; this finds the same without reading a state, one small chunk per run as for
    ``status`` itself, so that every reader's cheap check agrees with them and no reader lists the run as done."""
    if not store.spec.states or not store._strict_checksums():
        return {}
    why = f"its final state ({L.STATES_GROUP}/): {L.NO_CHECKSUM}"
    try:
        arr = store._root[f"{L.CHECKPOINT_GROUP}/{L.SLOT_CRC}"]
    except Exception:  # noqa: BLE001 - the record (or its group) is gone or its metadata unreadable: none is vouched
        return {idx: why for idx in done}
    try:  # one read of the whole block, as _short_of_the_end
        block = np.asarray(arr[L.run_block(store.spec.run_shape)])
    except Exception:  # noqa: BLE001 - a damaged chunk somewhere: run by run below
        block = None
    out: dict[Index, str] = {}
    for idx in done:
        try:
            crc = int(np.asarray(block[idx] if block is not None else arr[idx]).ravel()[0])  # slot 0: the final state
        except Exception:  # noqa: BLE001 - its chunk does not decode: nothing to check the state against
            crc = 0
        if crc == 0:  # 0: the fill value of a deleted chunk, or a record made anew after the group was lost
            out[idx] = why
    return out


def _unstamped_final_states(store: _Store, done: list[Index]) -> dict[Index, str]:
    """Done runs whose final state's step record (their chunk of ``checkpoint/slot_step``) is missing and whose final
    state does not verify without it, in a store that writes every chunk and whose saved states' checksums cover their
    step (``state_checksum``). A sweep stamps every final state with the run's ``n_steps``: with the stamp's chunk
    deleted (a copy or sync that skipped a file) the step read is 0, which ``_short_of_the_end`` takes for "never
    recorded", so the cheap checks (``open_results``, plain ``status``, a sweep's start and its dry run) called the run
    done while ``load_state`` and the full check refused its final state, and no sweep but ``--verify`` redid it. A
    state written through ``write_states`` alone has no stamp and verifies with step 0, so only the runs whose chunk is
    missing (one listing finds them; a whole store has none) have their final state read and checked, as the full
    check does."""
    if not done or not store.spec.states or not store._strict_checksums() \
            or L.integrity_of(store._root).get("empty_chunks") != "written":
        return {}
    name = f"{L.CHECKPOINT_GROUP}/{L.SLOT_STEP}"
    try:
        arr = store._root[name]
        keys = {idx: arr.metadata.encode_chunk_key((*idx, 0)) for idx in done}
    except Exception:  # noqa: BLE001 - the record lost or its metadata unreadable: the next sweep makes it anew,
        return {}      # stamping the done runs' final states with n_steps (README "Checkpoints and progress")
    present = _present(store, name, list(keys.values()), many=len(keys) > 1)
    out: dict[Index, str] = {}
    for idx, key in keys.items():
        if key not in present:
            try:
                why = store.saved_state_problem(idx, 0)
            except Exception as err:  # noqa: BLE001 - metadata the other checks name (the next sweep rewrites it)
                why = f"it cannot be read to check it ({type(err).__name__})"
            if why:  # worded as the full check words it
                out[idx] = f"its final state ({L.STATES_GROUP}/): {why}"
    return out


def damaged_resume_states(store: _Store, full: bool = True) -> dict[Index, str]:
    """``{run index: why}`` for every run that is not done and whose saved state cannot be resumed from.

    The slot checked is the one a resume reads (the later of the two, README "Checkpoints and
    progress"); a checkpoint record (``checkpoint/slot_step``) that cannot be read counts too.
    """
    status = store.status()
    steps = store.resume_steps()
    out: dict[Index, str] = {idx: f"its checkpoint record cannot be read ({why})"
                             for idx, why in store.unreadable_checkpoints.items() if status[idx] != "done"}
    todo = [tuple(int(i) for i in idx) for idx in np.argwhere((status != "done") & (steps > 0))]
    by_slot: dict[int, list] = {}
    for idx in todo:
        slots = store._slot_steps(idx)
        by_slot.setdefault(int(np.argmax(slots)), []).append((idx, int(slots.max())))
    for slot, runs in by_slot.items():
        problems = state_problems(store, [idx for idx, _ in runs], slot, full)
        for idx, step in runs:
            why = problems.get(idx) or (store.saved_state_problem(idx, slot, continuing=True) if full else "")
            if why == L.OTHER_SOURCE:  # whole and verified, but not this source's to go on from: no damage
                out[idx] = f"its saved state at step {step} is not continued: {why}"
            elif why:  # continuing: a resume goes on from it, which only the store's current source may do
                out[idx] = f"its saved state at step {step} is damaged: {why}"
    rest = [(idx, step) for runs in by_slot.values() for idx, step in runs if idx not in out]
    for idx, why in record_problems(store, rest, full).items():
        out[idx] = why
    return dict(sorted(out.items()))


def record_problems(store: _Store, runs: list[tuple[Index, int]], full: bool) -> dict[Index, str]:
    """``{run index: why}`` for runs ``(index, step)`` whose records before ``step`` (written by an
    earlier session, kept when the run resumes) have a chunk missing or, with ``full``, one that does
    not decode. Every chunk holding a sample before ``step`` was written before the state at ``step``
    was saved (README "Checkpoints and progress")."""
    every_chunk = L.integrity_of(store._root).get("empty_chunks") == "written"
    if not runs or not (every_chunk or full):
        return {}
    n_run_dims = len(store.spec.run_shape)
    out: dict[Index, str] = {}
    digests = _Digests(store) if full and store.keeps_digests else None
    for var in store.spec.records:
        try:
            arr = store._root[var.name]
        except Exception as err:  # noqa: BLE001 - unreadable zarr.json
            for idx, _ in runs:
                out.setdefault(idx, f"the metadata of {var.name!r} cannot be read ({type(err).__name__})")
            continue
        per_chunk = arr.chunks[n_run_dims]
        tail = [range(n) for n in arr.cdata_shape[n_run_dims + 1:]]
        wanted = []
        for idx, step in runs:
            samples = L.n_samples(step, var.every, var.first)  # those at steps before the saved state
            wanted += [(idx, (*idx, t, *rest)) for t in range(-(-samples // per_chunk))
                       for rest in itertools.product(*tail)]
        keys = {coords: arr.metadata.encode_chunk_key(coords) for _, coords in wanted}
        present = _present(store, var.name, list(keys.values()), many=len(runs) > 8) if every_chunk else None
        # with full, each chunk wholly before the saved state is also compared with its digest, as the resume does
        # (sweep/task.py::_earlier_records, after its NaN check): a chunk that is not the run's own (copied from
        # another run or time block, edited) makes the run start again from step 0, and `status --verify` says so
        # beforehand; the chunk holding the saved step is written again in part, so it is not compared
        whole = {coords for idx, step in runs for coords in _whole_chunks(idx, arr, n_run_dims, tail,
                                                                          L.n_samples(step, var.every, var.first))}
        compare = _DigestCheck(digests, var.name, n_run_dims, whole) if digests is not None else None
        _check_chunks(arr, var.name, wanted, keys, present, full, out,
                      prefix="its records before its saved state are damaged: ", compare=compare)
    return out


class _DigestCheck:
    """``_check_chunks``' ``compare`` for one record: a chunk of ``whole`` against its digest."""

    def __init__(self, digests: _Digests, name: str, n_run_dims: int, whole: set[tuple]) -> None:
        self.digests, self.name, self.n_run_dims, self.whole = digests, name, n_run_dims, whole

    def __call__(self, idx: Index, coords: tuple, block: np.ndarray) -> str:
        if coords not in self.whole:
            return ""
        return self.digests.problem(idx, self.name, coords[self.n_run_dims], block)


def _whole_chunks(idx: Index, arr: Any, n_run_dims: int, tail: list, samples: int) -> list[tuple]:
    """The chunk coordinates of one run's record whose every sample lies before sample ``samples``."""
    per_chunk, length = arr.chunks[n_run_dims], arr.shape[n_run_dims]
    return [(*idx, t, *rest) for t in range(samples // per_chunk + 1)
            if min((t + 1) * per_chunk, length) <= samples for rest in itertools.product(*tail)]


def state_problems(store: _Store, runs: list[Index], slot: int, full: bool) -> dict[Index, str]:
    """``{run index: why}`` for the runs of ``runs`` whose state slot ``slot`` has a chunk missing or,
    with ``full``, one that does not decode. Presence is checked only in stores that write every
    chunk (README "Checksums"); in older ones an absent chunk may hold fill values on purpose."""
    group = L.STATES_GROUP if slot == 0 else L.CHECKPOINT_GROUP
    every_chunk = L.integrity_of(store._root).get("empty_chunks") == "written"
    n_run_dims = len(store.spec.run_shape)
    out: dict[Index, str] = {}
    for var in store.spec.states:
        name = f"{group}/{var.name}"
        try:
            arr = store._root[name]
        except Exception as err:  # noqa: BLE001 - unreadable zarr.json
            for idx in runs:
                out.setdefault(idx, f"the metadata of {name!r} cannot be read ({type(err).__name__})")
            continue
        tail = [range(n) for n in arr.cdata_shape[n_run_dims:]]
        wanted = [(idx, (*idx, *rest)) for idx in runs if idx not in out for rest in itertools.product(*tail)]
        keys = {coords: arr.metadata.encode_chunk_key(coords) for _, coords in wanted}
        present = _present(store, name, [keys[c] for _, c in wanted], many=len(runs) > 8) if every_chunk else None
        _check_chunks(arr, name, wanted, keys, present, full, out)
    return out


def _check_chunks(arr: Any, name: str, wanted: list, keys: dict, present: set[str] | None, full: bool,
                  out: dict[Index, str], prefix: str = "", compare: Any = None) -> None:
    """Record in ``out`` the first missing (``present`` given) or, with ``full``, undecodable chunk of
    each run of ``wanted`` (``(run index, chunk coords)`` pairs); runs already in ``out`` are skipped.
    ``compare(run index, chunk coords, values)``: why a chunk that decodes is still not the run's own ("": it is)."""
    for idx, coords in wanted:
        if idx in out:
            continue
        if present is not None and keys[coords] not in present:
            out[idx] = f"{prefix}chunk {keys[coords]} of {name!r} is missing"
        elif full:
            try:
                block = arr.blocks[coords]
            except Exception as err:  # noqa: BLE001 - checksum mismatch, truncation, bad codec data
                out[idx] = f"{prefix}chunk {keys[coords]} of {name!r} is damaged ({_short(err)})"
                continue
            why = compare(idx, coords, block) if compare is not None else ""
            if why:
                out[idx] = prefix + why


def _present(store: _Store, name: str, keys: list[str], many: bool) -> set[str]:
    """Which of ``keys`` (chunk keys of array ``name``) exist: one listing for many, else one look each."""
    if many:
        listed = _chunk_keys(store, name)
        return {k for k in keys if f"{name}/{k}" in listed}
    folder = _local_folder(store)
    if folder is not None:  # a plain file of the store (not a link, nor in a linked folder), as _chunk_keys
        return {k for k in keys if os.path.isfile(os.path.join(folder, *name.split("/"), *k.split("/")))
                and _linked(folder, f"{name}/{k}") is None}
    from ._zarr_compat import run, store_of

    zstore = store_of(store._root)
    prefix = f"{store._root.path}/" if store._root.path else ""

    async def look() -> list[bool]:
        import asyncio

        return await asyncio.gather(*(zstore.exists(f"{prefix}{name}/{k}") for k in keys))

    return {k for k, ok in zip(keys, run(look())) if ok}


def _local_folder(store: _Store) -> str | None:
    """The folder of a local store (zarr's ``LocalStore``), else None."""
    from zarr.storage import LocalStore

    from ._zarr_compat import store_of

    zstore = store_of(store._root)
    return os.fspath(zstore.root) if isinstance(zstore, LocalStore) and not store._root.path else None


def _linked(folder: str, key: str) -> str | None:
    """The first path from ``folder`` down to ``key`` (inclusive) that is a symbolic link, else None."""
    here = folder
    for part in key.split("/"):
        here = os.path.join(here, part)
        if os.path.islink(here):
            return here
    return None


def _plain_files(folder: str, name: str) -> set[str]:
    """The chunk keys of array ``name`` in the local store at ``folder`` that are plain files of the store: a chunk
    that is a symbolic link (to another run's chunk, to a file outside the store), or lies in a linked folder, is not
    one (its bytes are not the store's, and may change with another file). One listing per folder, as zarr's own."""
    start = os.path.join(folder, *name.split("/"), "c")
    if _linked(folder, f"{name}/c") is not None:
        return set()
    out: set[str] = set()
    stack = [(start, f"{name}/c")]
    while stack:
        here, key = stack.pop()
        try:
            entries = list(os.scandir(here))
        except OSError:
            continue
        for entry in entries:
            if entry.is_symlink():
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, f"{key}/{entry.name}"))
            elif entry.is_file(follow_symlinks=False):
                out.add(f"{key}/{entry.name}")
    return out


def _missing(store: _Store, name: str, key: str) -> str:
    """``chunk <key> of <name> is missing``, or, in a local store, that it is a symbolic link."""
    folder = _local_folder(store)
    link = _linked(folder, f"{name}/{key}") if folder is not None else None
    if link is not None:
        return (f"chunk {key} of {name!r} is not a file of the store: {os.path.relpath(link, folder)!r} is a symbolic "
                f"link (to {os.readlink(link)!r})")
    return f"chunk {key} of {name!r} is missing"


def _chunk_keys(store: _Store, name: str) -> set[str]:
    from ._zarr_compat import run, store_of

    folder = _local_folder(store)
    if folder is not None:
        return _plain_files(folder, name)
    zstore = store_of(store._root)

    async def collect() -> list[str]:
        return [k async for k in zstore.list_prefix(f"{name}/c")]

    return set(run(collect()))


def _short(err: Exception) -> str:
    text = str(err).splitlines()[0] if str(err) else ""
    if "checksum" in text.lower():
        return "crc32c checksum mismatch"
    return f"{type(err).__name__}: {text[:120]}" if text else type(err).__name__


def damaged_coordinates(store: _Store) -> dict[str, str]:
    """``{coordinate path: why}`` for every coordinate whose labels are not its spec's (a chunk deleted or
    changed, an unreadable array): the runs' data are intact, but a reader would file them under wrong
    labels. The next sweep rewrites them from the spec; ``open_results`` reads the spec's labels.

    A time axis (up to 10^8 samples) is checked by its length, its first and last chunk's values and, in
    stores that write every chunk, a listing of its chunks: a changed value inside fails its checksum."""
    out: dict[str, str] = {}
    spec = store.spec
    times = {L.time_dim(v.every, v.first): (v.every, v.first) for v in spec.records}
    every_chunk = L.integrity_of(store._root).get("empty_chunks") == "written"
    conflicts = label_conflicts(store._root, spec)
    for path, want in expected_coordinates(spec, times=False).items():
        try:
            got = np.asarray(store._root[path][...])
        except Exception as err:  # noqa: BLE001 - absent, unreadable metadata or chunk
            out[path] = f"coordinate {path!r} cannot be read ({_short(err)})"
            continue
        if not L.same_leading_labels(got, want):
            out[path] = conflicts.get(path) or f"coordinate {path!r} does not hold the labels the store's spec lists"
    for path, (every, first) in times.items():
        n = L.n_samples(spec.n_steps, every, first)
        try:
            arr = store._root[path]
            if arr.shape[0] < n:
                raise ValueError(f"{arr.shape[0]} samples for {n}")
            size = min(n, arr.chunks[0])
            ends = sorted({(0, size), (n - size, n)})
            same = all(same_labels(arr[a:b], L.time_values(spec, every, a, b, first)) for a, b in ends)
            listed = _chunk_keys(store, path) if every_chunk else None  # one listing of the axis's chunks
            gone = [k for k in _time_chunk_keys(arr, n) if f"{path}/{k}" not in listed] if listed is not None else []
        except Exception as err:  # noqa: BLE001 - absent, unreadable metadata or chunk, too short
            out[path] = f"coordinate {path!r} cannot be read ({_short(err)})"
            continue
        if not same or gone:
            out[path] = f"coordinate {path!r} does not hold the labels the store's spec lists" + (
                f" (chunk {gone[0]} is missing)" if gone else "")
    for path, want_attrs in expected_coordinate_attrs(spec).items():
        try:  # labels read as other values (a time axis in ms read as dates after units="days since ...", a swept
            # parameter's unit edited)
            why = coordinate_attrs_problem(path, dict(store._root[path].attrs), want_attrs) if path not in out else None
        except Exception:  # noqa: BLE001 - unreadable metadata: reported above
            why = None
        if why:
            out[path] = f"coordinate {path!r}: {why}"
    return out


def _time_chunk_keys(arr: Any, n: int) -> list[str]:
    return [arr.metadata.encode_chunk_key((c,)) for c in range(-(-n // arr.chunks[0]))]
