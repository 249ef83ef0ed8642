"""The coordinator's side: create a store at full size, or extend / re-stamp an existing one.

Only this module creates, deletes or resizes arrays and changes attributes (apart from
``ResultStore.finish``). Workers never do, so they need no locks.

Creation is atomic: a local store is built in a hidden folder beside its path and renamed into
place when complete (a rename onto anything but an empty folder fails, so nothing there is ever
replaced); a store behind a URL gets a ``brainbatch_building`` marker first and its real root
attributes last. No path is ever opened with ``mode="w"`` (which empties a folder first).
"""
from __future__ import annotations

import contextlib
import dataclasses
import errno
import json
import math
import os
import shutil
import uuid
from typing import Any

import numpy as np
import zarr

from . import _layout as L
from ._errors import StoreDamagedError, StoreError, StoreMismatchError
from ..errors import on_command_line
from ..faults import fault_point
from ._lease import Leases, Owner, metadata_lock, owner_alive, owner_id, owner_tag
from ._location import exists, local_path, zarr_store
from ._provenance import (attribute_value, generation_of, jsonable, now, sources_seen_of, version_pair, versions,
                          versions_seen_of)
from ._root import BUILDING, consolidate, group_problem, open_root, read_root_attrs
from ._spec import StoreSpec, VarSpec, value_key

ASIDE = ".building-"


def create_or_extend(path: str | os.PathLike, spec: StoreSpec, force: bool) -> None:
    """Make the store at ``path`` hold ``spec``'s runs; see ``ResultStore.create``."""
    if not exists(path) and _create_new(path, spec):
        return
    _extend(path, spec, force)


def _create_new(path: str | os.PathLike, spec: StoreSpec) -> bool:
    """Build a new store; False when another process created one at ``path`` first (then extend it)."""
    spec.check_portable_names()  # before anything is written
    local = local_path(path)
    if local is None:
        return _create_remote(path, spec)
    local = os.path.abspath(local)
    parent, base = os.path.split(local.rstrip(os.sep))
    os.makedirs(parent, exist_ok=True)
    _reap_asides(parent, base)
    # os.mkdir (not mkdtemp, which makes it private to this user): the store gets the usual permissions
    aside = os.path.join(parent, f".{base}{ASIDE}{owner_tag()}-{uuid.uuid4().hex[:12]}")
    os.mkdir(aside)
    try:
        root = zarr.create_group(aside, zarr_format=3, attributes={BUILDING: owner_id()})
        _build(root, spec)
        consolidate(aside)
        try:
            os.rename(aside, local)  # atomic; fails unless nothing or an empty folder is at `local`
        except OSError as err:
            if err.errno in (errno.ENOTEMPTY, errno.EEXIST) and exists(local):
                shutil.rmtree(aside)  # ours: another sweep created the store first; join it
                return False
            raise StoreError(f"cannot create the store at {os.fspath(path)!r}: {err.strerror}") from None
    except BaseException:
        shutil.rmtree(aside, ignore_errors=True)  # only the folder this call made
        raise
    return True


def _create_remote(path: str | os.PathLike, spec: StoreSpec) -> bool:
    try:
        root = zarr.create_group(zarr_store(path, read_only=False), zarr_format=3, overwrite=False,
                                 attributes={BUILDING: owner_id()})
    except (FileExistsError, zarr.errors.ContainsGroupError, zarr.errors.ContainsArrayError):
        return False
    _build(root, spec)  # the root attributes (brainbatch_schema) are written last
    consolidate(path)
    return True


def _build(root: zarr.Group, spec: StoreSpec) -> None:
    _write_layout(root, spec)
    _leases_group(root)
    _write_attrs(root, spec, created=now())


def _leases_group(root: zarr.Group) -> None:
    root.create_group(L.LEASES_GROUP, attributes={
        "description": "per-run leases: JSON files naming the process running each run and its last "
                       "heartbeat (see the store README)"})


def _reap_asides(parent: str, base: str) -> None:
    """Remove half-built stores of ``base`` left in ``parent`` by processes of this host that died.

    Only folders with brainbatch's own hidden name that carry its building marker are touched.
    """
    prefix = f".{base}{ASIDE}"
    try:
        names = [n for n in os.listdir(parent) if n.startswith(prefix)]
    except OSError:
        return
    for name in names:
        folder = os.path.join(parent, name)
        try:
            with open(os.path.join(folder, "zarr.json"), "rb") as fh:
                owner = json.load(fh).get("attributes", {}).get(BUILDING)
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(owner, dict) and not owner_alive(owner, remote_grace=False):
            shutil.rmtree(folder, ignore_errors=True)


def _extend(path: str | os.PathLike, spec: StoreSpec, force: bool) -> None:
    attrs = read_root_attrs(path)
    if BUILDING in attrs and "brainbatch_schema" not in attrs:
        # a store behind a URL whose creation was cut off: ours to finish once its builder is gone
        if owner_alive(attrs[BUILDING]):
            raise StoreError(f"{os.fspath(path)!r} is being created by another process "
                             f"({_who(attrs[BUILDING])}); try again in a moment")
        root = zarr.open_group(zarr_store(path, read_only=False), mode="r+", use_consolidated=False)
        _write_layout(root, spec, overwrite=True)
        _leases_group(root)
        _write_attrs(root, spec, created=now())
        consolidate(path)
        return
    # a refusal changes nothing, not even the lock file: check before locking (and again under the lock)
    _plan_extension(open_root(path, "r"), spec, force, path)  # raises unless it is our store
    # one coordinator at a time: two extensions that both read the old spec would each write their
    # own seeds/values at the same new positions, and one job's runs would be lost or relabelled
    with metadata_lock(os.fspath(path)):
        _extend_locked(path, spec, force)


def _plan_extension(old_root: zarr.Group, spec: StoreSpec, force: bool,
                    path: str | os.PathLike) -> tuple[StoreSpec, StoreSpec, bool, bool]:
    """``(old spec, merged spec, structural, longer)``; raises where the store refuses ``spec``.

    Rebuilding the arrays or extending them in time is refused while another sweep works on the
    store: its runs would be cut short or lose their arrays (docs/store.md, "Locks and leases").
    """
    try:
        old = StoreSpec.from_json(old_root.attrs["spec"])
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as err:  # as ResultStore.open says
        raise StoreDamagedError(f"{os.fspath(path)!r} is a damaged brainbatch store: its root attributes hold no "
                                f"usable 'spec' ({err}); nothing was changed. Write to another path (CLI --out)") from None
    merged, structural = _merge(old, spec, force, os.fspath(path))
    longer = merged.n_steps > old.n_steps and not structural
    new_source = merged.source_hash != old.source_hash and not structural
    if structural or longer or new_source:
        busy = Leases(os.fspath(path)).live_elsewhere()
        if busy:
            who = str(busy[0].owner)
            what = ("its arrays cannot be rebuilt under it" if structural else
                    f"extending it in time ({old.n_steps} -> {merged.n_steps} steps) now would leave the runs "
                    "that sweep finishes shorter than the store" if longer else
                    "the runs it finishes with the store's source would be recorded under this sweep's")
            raise StoreError(f"another sweep is working on {os.fspath(path)!r} right now ({who}); {what}. Wait for "
                             "that sweep to end (or stop it), then try again")
    Leases(os.fspath(path)).files.check_folder()  # before anything changes: runs will need their leases
    _check_names_free(old_root, old, merged, path)
    _check_cut_off_runs(old_root, old, path)
    if not structural:  # a rebuild drops the runs and their labels alike
        _check_labels_agree(old_root, old, path)
    _check_writable(path)
    return old, merged, structural, longer


def _extend_locked(path: str | os.PathLike, spec: StoreSpec, force: bool) -> None:
    old_root = open_root(path, "r")  # read under the lock: the spec as the last extension left it
    old, merged, structural, longer = _plan_extension(old_root, spec, force, path)
    fault_point("extend-locked")
    root = open_root(path, "r+")
    checksums = L.full_integrity(old_root)
    # the records' digests: kept where the store keeps them; a store made before them gets none (its done runs have
    # none to check), but a rebuild (below) makes the newest kind
    digests = L.keeps_digests(old_root)
    _repair_groups(root)
    if L.STATES_GROUP not in root:  # deleted: rebuilt empty, its runs are then found damaged
        root.create_group(L.STATES_GROUP)
    # no change of the layout under way: an array of another shape or type than the spec was edited by hand
    repaired = repair_metadata(root, old, checksums, layout=L.LAYOUT_CHANGE not in old_root.attrs, digests=digests)
    if repaired and not _decodes(root, repaired):
        # chunks that the spec's header cannot read (the data were replaced, not only their header): no run is
        # counted done on them; every run starts again
        _restart_all(root)
    if L.LAYOUT_CHANGE in old_root.attrs:  # the last change of the layout was cut off (a kill, a lost machine)
        _undo_cut_off_change(root, old, old_root.attrs[L.LAYOUT_CHANGE], checksums, digests)
    if structural or longer:
        # before the first array changes; _write_attrs removes it with the new spec. A change cut off between
        # the two left arrays of one spec under the other's (runs written into shorter arrays were marked done)
        root.attrs.update({L.LAYOUT_CHANGE: {"structural": bool(structural), "n_steps": merged.n_steps,
                                             "arrays": our_arrays(merged) if structural else [], "started": now()}})
        fault_point("layout-change")
    if longer:
        # done runs turn pending before anything grows: a coordinator killed half-way (below) leaves
        # pending runs that continue from their final state, never done runs short of the new axis
        _reopen_done(root)
    if merged.source_hash != old.source_hash and not structural:
        # a forced new source keeps the done runs (the user vouched for them), but a run is never half
        # one model and half the other: unfinished runs start again from step 0
        _forget_unfinished(root, old)
    if structural:
        _drop_data(root, old, local_path(path))
        _write_layout(root, merged)
        checksums = digests = True
    else:
        _ensure_checkpoints(root, old, checksums, digests)
        # also when the run shape is unchanged: an extension cut off before it wrote its spec left the arrays
        # larger (their extra runs never started, _check_cut_off_runs), and this sweep completes or undoes it
        _resize(root, merged)
        if longer:  # a longer duration: the store grows in time
            _extend_time(root, merged)
        if digests:  # one digest per time chunk of the longest record (more chunks after a longer duration)
            _fit_digests(root, merged)
        _write_coords(root, merged, merged.records, checksums)
        _write_coords(root[L.STATES_GROUP], merged, merged.states, checksums)
        _refresh_var_attrs(root, merged)
    if L.LEASES_GROUP not in root:
        _leases_group(root)
    if structural or longer:
        fault_point("layout-arrays")
    same_runs = not structural and merged.source_hash == old.source_hash
    _write_attrs(root, merged, created=old_root.attrs.get("created", now()), checksums=checksums, digests=digests,
                 generation=generation_of(dict(old_root.attrs)) if same_runs else None,
                 old=dict(old_root.attrs) if same_runs else None,
                 # an older store's saved states keep counting from their run's step 0 (_layout.py)
                 from_saved_step=structural or old_root.attrs.get(L.STEP_INDICES) == L.FROM_SAVED_STEP,
                 # the slots' checksums keep the rule they were written under (a rebuild drops them)
                 crc_rule=L.STATE_CRC_WITH_STORE if structural else old_root.attrs.get(L.STATE_CRC),
                 # a rebuild resets every run: a new id, so no saved state from before it (a backup restored) or of
                 # a `cp -r` sibling rebuilt with other settings (build() defaults, precision: same source) passes
                 store_id=None if structural else (L.store_id_of(old_root) or None),
                 # the sources of the done runs it keeps (a forced new source keeps them: docs/store.md)
                 sources_seen=[] if structural else sources_seen_of(L.sources_seen_attrs(old_root)))
    if structural:
        # again after the new generation is in the root attributes: a stale writer (planned under the old one)
        # checks that attribute after each status it writes, so each such status is either undone here or sees it
        _undo_stale_statuses(root)
    if longer:
        fault_point("extend-written")
        # again after the new n_steps is in the root attributes: a worker marking a run done checks that
        # attribute after writing 'done', so each run is either seen done here or sees the new axis
        _reopen_done(root)
    consolidate(path)


def _undo_cut_off_change(root: zarr.Group, spec: StoreSpec, marker: Any, checksums: bool, digests: bool) -> None:
    """Bring the arrays of a store whose layout change was cut off back to its spec (the one in its root
    attributes: the new one was never written). A record grown in time (a longer duration) is cut back: the
    samples within the spec's axis keep, its runs continue. An array of another shape (a rebuild) is made anew
    and the arrays only the new layout had are deleted; a rebuild was dropping the runs' data, so every run
    starts again from step 0 (none is counted done on data it may not hold)."""
    n_runs = len(spec.run_shape)
    structural = bool(marker.get("structural")) if isinstance(marker, dict) else True
    lost = structural
    records = {v.name for v in spec.records}
    ours = set(our_arrays(spec))
    for path in (marker.get("arrays", []) if isinstance(marker, dict) else []):
        if isinstance(path, str) and path not in ours and _holds(root, path):
            del root[path]  # made by the cut-off rebuild (named in its marker), no array of this spec
    for path, kw in data_arrays(spec, checksums, digests):
        try:
            arr = root[path]
        except Exception:  # noqa: BLE001 - deleted by the rebuild before it was cut off
            arr = None
        if arr is not None and L.layout_problem(spec, path, tuple(arr.shape), arr.dtype) is None:
            continue
        want = L.expected_tail(spec, path)
        if (arr is not None and want is not None and path in records and str(arr.dtype) == str(np.dtype(want[1]))
                and tuple(arr.shape[n_runs + 1:]) == want[0][1:] and arr.shape[n_runs] > want[0][0]
                # chunked as this spec writes (an extension in time): a rebuild's other grid is made anew
                and L.array_codecs_problem(spec, path, arr, checksums) is None):
            arr.resize((*arr.shape[:n_runs], *want[0]))
            continue
        _create_data_array(root, root.require_group(L.STATES_GROUP), path, kw, overwrite=True)
        lost = True
    checkpoints = _checkpoint_names(spec)
    group = root[L.CHECKPOINT_GROUP] if L.CHECKPOINT_GROUP in root else None
    if group is None or any(not _holds(group, n) or L.layout_problem(spec, f"{L.CHECKPOINT_GROUP}/{n}",
                                                                      tuple(group[n].shape), group[n].dtype)
                            for n in checkpoints):
        _write_checkpoints(root, spec, checksums, digests)
        lost = True
    if lost:
        _restart_all(root)


def _restart_all(root: zarr.Group) -> None:
    """Every run is pending with no progress: done runs too (their data may be gone)."""
    _reopen_done(root)
    group = root[L.CHECKPOINT_GROUP]
    for name in (L.SLOT_STEP, L.STEPS_DONE):
        group[name].with_config({"write_empty_chunks": True})[...] = 0


def _check_writable(path: str | os.PathLike) -> None:
    """Refuse, before anything changes, a local store whose folders this user cannot write: a shared store
    whose root is writable but whose arrays are not would otherwise fail half-way (chunks, metadata and
    checkpoints are written by replacing files, which needs the folder's write permission). Every
    folder down to each array's chunk root is checked, and one chain of chunk folders per array. A folder
    anywhere in the store that is a symbolic link is refused too: chunks written "into" it would land outside
    the store, and a resize deleting chunks there would delete files brainbatch never made (one directory
    listing per folder, which also says which entries are links: no call per entry)."""
    local = local_path(path)
    if local is None:
        return
    root = os.path.abspath(local)
    bad = None
    stack = [(root, True)]  # (folder, on the chain whose permissions are checked)
    while stack:
        here, checked = stack.pop()
        if checked and bad is None and not os.access(here, os.W_OK | os.X_OK):
            bad = here
        try:
            entries = sorted((e for e in os.scandir(here) if e.is_dir(follow_symlinks=False) or e.is_symlink()),
                             key=lambda e: e.name)
        except OSError:  # unreadable: the permission check names it (or the sweep's own reads will)
            continue
        link = next((e.path for e in entries if e.is_symlink() and os.path.isdir(e.path)), None)
        if link is not None:
            raise StoreError(f"{link!r} inside the store {os.fspath(path)!r} is a symbolic link (to "
                             f"{os.readlink(link)!r}): this sweep's chunks would be written outside the store; "
                             "replace it with a real folder (or restore the store from a backup)")
        folders = [e.path for e in entries if not e.is_symlink()]
        # chunk folders: the permissions of one chain, not of all of them (every folder is still listed for links)
        one_chain = here[len(root):].count(os.sep) >= 3 or os.path.basename(here) == "c"
        stack.extend((f, checked and (k == 0 or not one_chain)) for k, f in enumerate(folders))
    if bad is not None:
        raise StoreError(f"{os.fspath(path)!r} cannot be written by this user: {bad!r} is not writable, so this "
                         "sweep could not write its runs there; nothing was changed. Ask the store's owner to fix "
                         "its permissions, or write to another store (--out)")


def _who(owner: Any) -> str:
    return str(Owner.from_json(owner) or owner)


# ---------------------------------------------------------------------------- comparing specs
def _layout_of(variables: tuple[VarSpec, ...]) -> dict[str, tuple]:
    # units/description/kind may change freely; these fields fix the arrays' shape, type and labels
    return {v.name: (v.dims, v.shape, v.dtype, v.every, v.first,
                     tuple((d, tuple(c)) for d, c in sorted(v.coords.items())))
            for v in variables}


@dataclasses.dataclass(frozen=True)
class SpecChange:
    """How a new spec differs from a store's: the one set of merge rules (``create`` and a dry run use it)."""

    diffs: tuple[str, ...]       # one sentence per difference, for the error that refuses it
    names: tuple[str, ...]       # the fields that differ ("dt", "records", ...), for a one-line summary
    structural: bool             # the data arrays must be rebuilt (all data discarded)
    extends_time: bool           # more steps: the store grows in time, runs continue from their state


def compare_specs(old: StoreSpec, new: StoreSpec, path: str) -> SpecChange:
    """Compare ``new`` with the spec of the store at ``path``; raises when no ``force`` can merge them."""
    if old.experiment != new.experiment:
        raise StoreError(
            f"{path!r} holds results of experiment {old.experiment!r}, not {new.experiment!r}. "
            "Write to another path (CLI --out)."
        )
    _compare_designs(old.design, new.design, path)
    if list(old.params) != list(new.params):
        raise StoreMismatchError(
            f"{path!r} sweeps parameters {list(old.params)} but this sweep has {list(new.params)}; "
            "a store's swept axes cannot change (not even with force). Write to another path (CLI --out), "
            "or sweep the same parameters in the same order."
        )
    _check_readings(old, new, path)
    differ = [(k, a, b) for k, a, b in (
        ("source_hash", old.source_hash, new.source_hash), ("dt", old.dt, new.dt), ("t0", old.t0, new.t0)) if a != b]
    diffs = [f"{k}: store has {a!r}, this sweep has {b!r}{_helper_note(old, new) if k == 'source_hash' else ''}"
             for k, a, b in differ]
    names = [k for k, _, _ in differ]
    # more steps extend the store in time (runs continue from their saved state); fewer would throw data away.
    # Another dt or t0 puts every kept sample on a wrong time and would continue runs at another step size:
    # with force the runs are redone, never relabelled (issue 19, item 6)
    shorter = new.n_steps < old.n_steps
    structural = shorter or old.dt != new.dt or old.t0 != new.t0
    if shorter:
        diffs.append(
            f"n_steps: store has {old.n_steps!r}, this sweep has {new.n_steps!r} (a shorter run: give the "
            f"store's duration, {old.n_steps * old.dt:g} ms, or more to extend it in time)")
        names.append("n_steps")
    # runs checked under different NaN rules must not mix (docs/store.md, "When a run is done"): with force,
    # a narrower allowance redoes every run (a kept run may hold NaN the new rule refuses), a wider one keeps them
    nan_old, nan_new = _nan_rule(old), _nan_rule(new)
    if nan_old != nan_new:
        diffs.append(f"allow_nan: the store's runs were checked allowing NaN in {_nan_text(nan_old)}, "
                     f"this sweep allows NaN in {_nan_text(nan_new)}")
        names.append("allow_nan")
        structural = structural or not (nan_new == "all" or (nan_old != "all" and set(nan_old) <= set(nan_new)))
    # runs computed with JAX's 64-bit mode on and off differ in every step: a store never holds both, nor a
    # run continued in the other mode; with force every run is redone in this sweep's mode, as for another dt
    x64_old, x64_new = x64_of(old), x64_of(new)
    if x64_old != x64_new:
        diffs.append(f"x64: the store's runs were computed {_x64_text(x64_old)}, this sweep computes {_x64_text(x64_new)}")
        names.append("x64")
        structural = True
    # the native kernels and their JAX twin sum a step's events in another order: runs differ in float rounding,
    # so a store never holds both, nor a run continued on the other path (a store from before the attribute: no check)
    path_old, path_new = event_path_of(old), event_path_of(new)
    if path_old and path_new and path_old != path_new:
        diffs.append(f"event_kernels: the store's runs were computed on the {path_old} event path, "
                     f"this sweep runs the {path_new} one")
        names.append("event_kernels")
        structural = True
    # the random numbers' source (JAX's key implementation and threefry's bit layout) draws other numbers from every
    # seed: a run continued, or a store extended, under the other would hold two streams under one seed, so as for
    # x64 (a store from before the attribute: no check)
    random_old, random_new = random_of(old), random_of(new)
    if random_old and random_new and random_old != random_new:
        diffs.append(f"random: the store's runs drew their random numbers from {random_old}, this sweep draws them "
                     f"from {random_new}")
        names.append("random")
        structural = True
    # build()'s defaults decide every run's fixed parameters: the same source may give others (a default read from the
    # environment when the module loads), and a run is never continued with other values, nor a store said to hold
    # runs of one set of values that holds two; with force every run is redone, as for another dt. An edited source
    # keeps its done runs with force (docs/store.md), but not where it changed the default of a parameter both
    # sources take: those runs would be labelled with a value they were not computed with (a parameter added or
    # removed by the edit is the source rule's)
    fixed_old, fixed_new = fixed_defaults(old), fixed_defaults(new)
    same_source = old.source_hash == new.source_hash
    if fixed_old is not None and fixed_new is not None:
        both = set(fixed_old) | set(fixed_new) if same_source else set(fixed_old) & set(fixed_new)
        changed = sorted(k for k in both if _default_changed(fixed_old, fixed_new, k))
        if changed:
            diffs.append("defaults: the store's runs were computed with build() defaults "
                         f"{_defaults_text(fixed_old, changed)}, this sweep's are {_defaults_text(fixed_new, changed)} "
                         + ("(with the same source: a value the module reads when it loads, such as an environment "
                            "variable, changed them)" if same_source else "(the edited source changed them)"))
            names.append("defaults")
            structural = True
    # a record filled from another variable (an edited monitor: same name, dims and shape) holds other quantities:
    # kept runs beside new ones would read as one record; with force every run is redone, as for other variables
    seen_old, seen_new = monitored_of(old), monitored_of(new)
    picked_old, picked_new = monitored_index_of(old), monitored_index_of(new)
    if picked_old is not None and picked_new is not None:  # and the elements picked (the index), where both record it
        for n in set(seen_old) & set(seen_new):
            seen_old[n] += _picked(picked_old.get(n))
            seen_new[n] += _picked(picked_new.get(n))
    refilled = sorted(n for n in set(seen_old) & set(seen_new) if seen_old[n] != seen_new[n])
    if refilled:
        diffs.append("monitors: " + "; ".join(f"record {n!r} holds {seen_old[n]} in the store, this sweep records "
                                               f"{seen_new[n]}" for n in refilled))
        names.append("monitors")
        structural = True
    # what drives the runs (the module's inputs, which the same source may read from the environment as it loads):
    # runs driven otherwise never join the store's under one setup; with force every run is redone, as for monitors
    given_old, given_new = inputs_of(old), inputs_of(new)
    if given_old is not None and given_new is not None and given_old != given_new:
        diffs.append(f"inputs: the store's runs were driven by {_inputs_text(given_old)}, this sweep's by "
                     f"{_inputs_text(given_new)}" + (" (with the same source: a value the module reads when it loads, "
                                                     "such as an environment variable, changed them)" if same_source
                                                     else " (the edited source changed them)"))
        names.append("inputs")
        structural = True
    # the module's own numbers its model code reads (N_E = int(os.environ["NE"]) used in build): under the same source
    # another value is another setup, as for defaults (an edited source is the source rule's: --force keeps its runs)
    values_old, values_new = module_values_of(old), module_values_of(new)
    if same_source and values_old is not None and values_new is not None:
        changed_values = sorted(k for k in set(values_old) & set(values_new) if values_old[k] != values_new[k])
        if changed_values:
            diffs.append("module values: the store's runs were computed with " + ", ".join(
                f"{k}={values_old[k]}" for k in changed_values) + ", this sweep's module has " + ", ".join(
                f"{k}={values_new[k]}" for k in changed_values) + " (the same source: a value the module reads when "
                "it loads, such as an environment variable, changed them)")
            names.append("module values")
            structural = True
    for kind, a, b in (("records", old.records, new.records), ("states", old.states, new.states)):
        la, lb = _layout_of(a), _layout_of(b)
        if la != lb:
            structural = True
            changed = sorted(n for n in set(la) | set(lb) if la.get(n) != lb.get(n))
            diffs.append(f"{kind} {changed} differ (store: {_describe(la, changed)}; this sweep: {_describe(lb, changed)})")
            names.append(kind)
    return SpecChange(tuple(diffs), tuple(names), structural, new.n_steps > old.n_steps)


def x64_of(spec: StoreSpec) -> bool:
    """Whether a store's runs were computed with JAX's 64-bit mode on (provenance ``x64``). A store written
    before the attribute existed ran in 32-bit mode: brainbatch never turns it on, and the rare store made
    under ``JAX_ENABLE_X64=1`` then cannot be told apart (docs/store.md, "Precision")."""
    return isinstance(spec.attrs, dict) and spec.attrs.get("x64") is True


def _number_kind(value: Any) -> str | None:
    """``"integer"`` or ``"float"`` for a swept number (numpy scalars as the Python numbers they are), else None."""
    value = value.item() if isinstance(value, np.generic) else value
    if isinstance(value, bool):
        return None
    return "integer" if isinstance(value, int) else "float" if isinstance(value, float) else None


def _article(kind: str | None) -> str:
    return f"an {kind}" if kind == "integer" else f"a {kind}"


def _check_readings(old: StoreSpec, new: StoreSpec, path: str) -> None:
    """Refuse a swept value that is one of the store's by value (runs are matched so: ``3 == 3.0``) but another kind of
    number than the store's runs were given. A build() whose parameter has no typed default (``k=None``,
    ``**kw``) receives the value as typed, and ``x ** 3`` and ``x ** 3.0`` compute apart (a count, ``range(k)``,
    more so): new seeds of ``k=3.0`` beside done runs of ``k=3``, or a run begun with one and resumed with the other,
    were one run label computed two ways."""
    for name in new.params:
        stored = {value_key(v): v for v in old.params.get(name, [])}
        for value in new.params[name]:
            before = stored.get(value_key(value))
            kinds = (_number_kind(before), _number_kind(value))
            if before is not None and None not in kinds and kinds[0] != kinds[1]:
                raise StoreMismatchError(
                    f"{path!r} holds runs of {name}={before!r} ({_article(kinds[0])}); this sweep gives {name}={value!r} "
                    f"({_article(kinds[1])}), which is the same run label but not the same value to a build() that takes {name!r} "
                    f"as given (no typed default): give it as {before!r}, as the store's runs had it, or write to "
                    "another path (CLI --out).")


def monitored_of(spec: StoreSpec) -> dict[str, str]:
    """What each record of a store holds (provenance ``monitored``, ``{record: "E.V"}``: a variable path, a function,
    a reduction); empty for a store written before it was recorded (not checked)."""
    seen = spec.attrs.get("monitored") if isinstance(spec.attrs, dict) else None
    if not isinstance(seen, dict):
        return {}
    return {k: v for k, v in seen.items() if isinstance(k, str) and isinstance(v, str)}


def monitored_index_of(spec: StoreSpec) -> dict[str, str] | None:
    """The index of each record's monitor (provenance ``monitored_index``, ``{record: "[3, 1]"}``; a record it does
    not name is the whole variable), or None for a store written before it was recorded (not checked)."""
    seen = spec.attrs.get("monitored_index") if isinstance(spec.attrs, dict) else None
    if not isinstance(seen, dict):
        return None
    return {k: v for k, v in seen.items() if isinstance(k, str) and isinstance(v, str)}


def module_values_of(spec: StoreSpec) -> dict[str, str] | None:
    """The module's own numbers its model code read (provenance ``module_values``, ``{name: text}``), or None for a
    store written before they were recorded (not checked)."""
    seen = spec.attrs.get("module_values") if isinstance(spec.attrs, dict) else None
    if not isinstance(seen, dict):
        return None
    return {k: v for k, v in seen.items() if isinstance(k, str) and isinstance(v, str)}


def inputs_of(spec: StoreSpec) -> list[str] | None:
    """The inputs that drove a store's runs (provenance ``inputs``, one text each: ``"G.V fix + 5.0"``), or None for a
    store written before they were recorded (not checked)."""
    given = spec.attrs.get("inputs") if isinstance(spec.attrs, dict) else None
    if not isinstance(given, list) or not all(isinstance(v, str) for v in given):
        return None
    return list(given)


def _inputs_text(given: list[str]) -> str:
    text = "; ".join(given) if given else "no inputs"
    return text if len(text) <= 200 else text[:197] + "..."


def _picked(index: str | None) -> str:
    return f" index={index}" if index else ""  # none: the whole variable


def fixed_defaults(spec: StoreSpec) -> dict | None:
    """The values build() gave the parameters a store does not sweep (provenance ``defaults``, each with its unit
    from ``default_units``), or None for a store written before they were recorded."""
    attrs = spec.attrs if isinstance(spec.attrs, dict) else {}
    defaults, units = attrs.get("defaults"), attrs.get("default_units")
    if not isinstance(defaults, dict):
        return None
    units = units if isinstance(units, dict) else {}
    swept = {"seed", *spec.params, *spec.samples, *((spec.design or {}).get("ranges") or {})}
    # as the store writes them (jsonable): a default of math.inf is stored as "Infinity", and a sweep's own inf must
    # compare equal to it, else every later sweep of the store (a plain resume too) is refused as another setup
    return {k: (jsonable(v), units.get(k)) for k, v in defaults.items() if k not in swept}


def _default_changed(old: dict, new: dict, name: str) -> bool:
    """Whether build()'s default ``name`` differs between a store's runs (``old``) and a sweep (``new``), each
    ``fixed_defaults``. A default of None or a list that only one side records is no change: stores made before
    recorded neither (``sweep/provenance.py::_recorded_defaults``), so their absence says nothing."""
    if name in old and name in new:
        return old[name] != new[name]
    value = (old if name in old else new)[name][0]
    return not (value is None or isinstance(value, list))


def _defaults_text(fixed: dict, names: list[str]) -> str:
    def one(name: str) -> str:
        if name not in fixed:
            return f"{name} (none)"
        value, unit = fixed[name]
        return f"{name}={attribute_value(value)!r}" + (f" {unit}" if unit else "")

    return ", ".join(one(n) for n in names)


def random_of(spec: StoreSpec) -> str | None:
    """The random numbers' source of a store's runs (provenance ``random``: ``"threefry2x32 (partitionable)"``,
    ``"rbg"``), or None for a store written before the attribute existed."""
    text = spec.attrs.get("random") if isinstance(spec.attrs, dict) else None
    return text if isinstance(text, str) and text else None


def event_path_of(spec: StoreSpec) -> str | None:
    """``"native"`` or ``"jax"``: the event path a store's runs were computed on (provenance ``event_kernels``,
    ``"native (BRAINBATCH_KERNELS=auto)"``), or None for a store written before the attribute existed, and for runs
    whose numbers no event path changes (``"none (...)"``: a model without spike-driven projections; a sweep records
    it so where it can tell), which the other path may join."""
    text = spec.attrs.get("event_kernels") if isinstance(spec.attrs, dict) else None
    path = text.split(" ", 1)[0] if isinstance(text, str) and text else None
    return None if path == "none" else path


def _x64_text(x64: bool) -> str:
    return "with JAX's 64-bit mode on (JAX_ENABLE_X64=1)" if x64 else "with JAX's 64-bit mode off (the default)"


def _nan_rule(spec: StoreSpec) -> str | tuple[str, ...]:
    """The NaN allowance a spec's provenance records (``sweep/nan_rule.py``): ``"all"`` or names; none if absent."""
    value = spec.attrs.get("allow_nan") if isinstance(spec.attrs, dict) else None
    if value == "all":
        return "all"
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return tuple(sorted(value))
    return ()


def _nan_text(rule: str | tuple[str, ...]) -> str:
    return "all variables" if rule == "all" else (", ".join(rule) if rule else "no variable")


def _helper_note(old: StoreSpec, new: StoreSpec) -> str:
    """Which of the experiment's local modules changed (the source hash covers them; sweep/sources.py)."""
    def shas(spec: StoreSpec) -> dict:
        helpers = spec.attrs.get("helpers") if isinstance(spec.attrs, dict) else None
        if not isinstance(helpers, dict):
            return {}
        return {k: v.get("sha256") if isinstance(v, dict) else None for k, v in helpers.items()}

    a, b = shas(old), shas(new)
    changed = sorted(n for n in set(a) | set(b) if a.get(n) != b.get(n))
    modules = [n for n in changed if not n.startswith("data:")]
    files = [n[len("data:"):] for n in changed if n.startswith("data:")]  # an experiment's data_files
    parts = ([f"local modules that differ: {', '.join(modules)}"] if modules else []) + (
        [f"data files that differ: {', '.join(files)}"] if files else [])
    # two experiments of one name in different folders share a default store path (results/<name>/...)
    paths = [spec.attrs.get("experiment_path") if isinstance(spec.attrs, dict) else None for spec in (old, new)]
    if all(isinstance(p, str) and p for p in paths) and paths[0] != paths[1]:
        parts.append(f"the store's runs came from {paths[0]}, this sweep runs {paths[1]}")
    return f" ({'; '.join(parts)})" if parts else ""


#: Keys of a design that do not change its points: how many samples, and which scipy drew them (a
#: changed algorithm shows as different sample values, which ``_merge_samples`` refuses).
_DESIGN_FREE = ("samples", "scipy_version")


def _design_text(design: dict | None) -> str:
    if design is None:
        return "a grid (no sampled design)"
    ranges = ", ".join(f"{k}={r.get('low')}:{r.get('high')}{':log' if r.get('scale') == 'log' else ''}"
                       f"{':int' if r.get('integer') else ''}" for k, r in dict(design.get("ranges", {})).items())
    return f"{design.get('sampler')} design, sample seed {design.get('sample_seed')}, {ranges}"


def _compare_designs(old: dict | None, new: dict | None, path: str) -> None:
    """A store holds one design: the same sampler, seed and ranges, however many samples (docs/sampling.md)."""
    if old is None and new is None:
        return
    if (old is None) != (new is None):
        raise StoreMismatchError(
            f"{path!r} holds {_design_text(old)}, but this sweep is {_design_text(new)}; a store holds one kind "
            "(not even force changes it). Write to another path (CLI --out).")
    assert old is not None and new is not None  # both, from here on
    # as the store writes them (an integer past 64 bits as marked text, inf as "Infinity"): the stored one is so
    old, new = jsonable(old), jsonable(new)
    differ = sorted(k for k in set(old) | set(new) if k not in _DESIGN_FREE and old.get(k) != new.get(k))
    if differ:
        raise StoreMismatchError(
            f"{path!r} holds a different design ({', '.join(differ)} differ): the store has {_design_text(old)}, "
            f"this sweep has {_design_text(new)}. A store holds one design, extended only by more samples; "
            "repeat its settings (larger --samples to extend it) or write to another path (CLI --out).")
    if old.get("samples") != new.get("samples") and not old.get("extendable", True):
        raise StoreMismatchError(
            f"{path!r} holds {old.get('samples')} samples of a {old.get('sampler')} design, which cannot change to "
            f"{new.get('samples')}: {old.get('not_extendable_because', 'its points depend on the sample count')}. "
            "Write to another path (CLI --out).")


def _merge_samples(old: StoreSpec, new: StoreSpec, path: str) -> dict[str, list]:
    """Old samples keep their values; a longer design adds its later points (the first ones must agree)."""
    merged = {}
    for name in new.samples:
        a, b = list(old.samples.get(name, [])), list(new.samples[name])
        common = min(len(a), len(b))
        bad = next((k for k in range(common) if a[k] != b[k]), None)
        if bad is not None:
            raise StoreMismatchError(
                f"{path!r}: sample {bad} has {name}={a[bad]!r} in the store but {name}={b[bad]!r} in this sweep, "
                "although the designs agree (a different scipy may draw other points); write to another path "
                "(CLI --out)")
        merged[name] = a + b[common:]
    return merged


def _only_sizes_grew(old: StoreSpec, new: StoreSpec) -> bool:
    """The new spec's records and states are the store's, only some of their dims longer (larger groups)."""
    pairs = [(a, b) for xs, ys in ((old.records, new.records), (old.states, new.states))
             for a, b in zip(sorted(xs, key=lambda v: v.name), sorted(ys, key=lambda v: v.name))]
    if len(old.records) != len(new.records) or len(old.states) != len(new.states):
        return False
    same = all(a.name == b.name and a.dims == b.dims and a.dtype == b.dtype and a.every == b.every
               and a.first == b.first and len(a.shape) == len(b.shape) for a, b in pairs)
    return same and all(x <= y for a, b in pairs for x, y in zip(a.shape, b.shape)) and any(
        a.shape != b.shape for a, b in pairs)


def _merge(old: StoreSpec, new: StoreSpec, force: bool, path: str) -> tuple[StoreSpec, bool]:
    """The spec of the extended store, and whether its data arrays must be rebuilt."""
    change = compare_specs(old, new, path)
    diffs, structural = list(change.diffs), change.structural
    if change.names == ("allow_nan",) and not force:  # only the rule differs: say so in one line
        raise StoreMismatchError(
            f"{path!r}: {diffs[0]}; a store never mixes runs checked under different rules. Pass force=True "
            f"(CLI --force) to adopt this sweep's rule ("
            + ("a narrower rule redoes every run" if structural else "done runs are kept: they passed a stricter one")
            + "), or write to another path (CLI --out).")
    if change.names == ("x64",) and not force:  # only the precision differs: say so in one line
        raise StoreMismatchError(
            f"{path!r}: {diffs[0]}; a store never mixes runs of two precisions. Run this sweep "
            + ("with JAX_ENABLE_X64=1" if x64_of(old) else "with JAX_ENABLE_X64 unset (or 0)")
            + " as the store was made, pass force=True (CLI --force) to redo every run in this sweep's precision, "
            "or write to another path (CLI --out).")
    if change.names == ("random",) and not force:  # only the random numbers' source differs: say so in one line
        raise StoreMismatchError(
            f"{path!r}: {diffs[0]}; a store never mixes runs of two random streams (every seed draws other numbers). "
            "Run this sweep with the JAX_DEFAULT_PRNG_IMPL and JAX_THREEFRY_PARTITIONABLE the store was made with "
            "(unset: JAX's defaults), pass force=True (CLI --force) to redo every run with this sweep's, or write to "
            "another path (CLI --out).")
    if change.names == ("event_kernels",) and not force:  # only the event path differs: say so in one line
        raise StoreMismatchError(
            f"{path!r}: {diffs[0]}; a store never mixes runs of two event paths (their float rounding differs). "
            + (f"Run this sweep with --kernels {event_path_of(old)}" if on_command_line() else
               f"Run this sweep inside brainbatch.kernels.use_kernels({event_path_of(old)!r})")
            + f" (or BRAINBATCH_KERNELS={event_path_of(old)}) as the store was made, pass force=True (CLI --force) "
            "to redo every run on this sweep's path, or write to another path (CLI --out).")
    if diffs and not force and set(change.names) <= {"records", "states"} and _only_sizes_grew(old, new):
        raise StoreMismatchError(
            f"{path!r} holds runs of smaller groups than this sweep adds:\n  - " + "\n  - ".join(diffs)
            + "\nA store's array shapes are fixed when it is made, by the largest group among its runs (smaller ones "
            "are padded): a new size past it (a larger value of a swept size, or a sampled integer range's new "
            "samples) cannot join it. Sweep them into another store (CLI --out), or make the store with its largest "
            "size among the first runs; force=True (CLI --force) would discard every finished run.")
    if diffs and not force:
        raise StoreMismatchError(
            f"{path!r} was written by a different setup of {new.experiment!r}:\n  - " + "\n  - ".join(diffs)
            + "\nPass force=True (CLI --force) to overwrite the store's settings"
            + (" (the time base, the precision, the recorded variables, the number of steps or a narrower allow_nan"
               + (" change, or the build() defaults" if "defaults" in change.names else "")
               + " change, so all"
               " data are discarded"
               " and every run becomes pending)" if structural else " (data and done runs are kept" + (
                "; runs not done start again from step 0" if "source_hash" in change.names else "") + ")")
            + ", or write to another path (CLI --out)."
        )
    units = _merge_param_units(old, new, path)
    samples = _merge_samples(old, new, path)
    design = new.design
    if design is not None and old.design is not None:  # the longer of the two: a narrower sweep keeps the wider store
        design = {**design, "samples": max(old.design["samples"], design["samples"])}
    merged = dataclasses.replace(
        new,
        seeds=_union(old.seeds, new.seeds),
        params={k: _union(old.params[k], new.params[k]) for k in new.params},
        samples=samples, design=design,
        # existing arrays keep their chunking unless they are rebuilt, a record chunked at its whole length included
        time_chunk=new.time_chunk if structural else old.time_chunk,
        layout_steps=new.layout_steps if structural else (
            old.layout_steps or (old.n_steps if new.n_steps > old.n_steps else None)),
        # where each extension in time began: runs continue inside the time chunk holding that step (readers check it)
        extended_from=new.extended_from if structural else (
            (*old.extended_from, old.n_steps) if new.n_steps > old.n_steps else old.extended_from),
        extents=new.extents if structural else _merge_extents(old, new),
    )
    if units and isinstance(new.attrs, dict):
        merged = dataclasses.replace(merged, attrs={**new.attrs, "param_units": units})
    return merged, structural


def _merge_param_units(old: StoreSpec, new: StoreSpec, path: str) -> dict[str, str]:
    """Each swept parameter's unit over both sweeps: a store's coordinate has one unit, so values given in
    another are refused (``-p tau=5mV`` onto taus in ms would relabel them all), and values given as plain
    numbers (read in the convention's unit, the one the store names) keep the store's label."""
    before = {k: v["units"] for k, v in _param_units(old).items()}
    now = {k: v["units"] for k, v in _param_units(new).items()}
    for name, unit in now.items():
        if before.get(name, unit) != unit:
            raise StoreMismatchError(f"{path!r} holds parameter {name!r} in {before[name]}; this sweep gives it in "
                                     f"{unit}. Give its values in {before[name]} (or as plain numbers), or write to "
                                     "another path (CLI --out); where the experiment's build() default of "
                                     f"{name!r} has a unit, the values take that one: give the default in "
                                     f"{before[name]} again.")
    return {k: v for k, v in {**before, **now}.items() if k in new.params or k in new.samples}


def _merge_extents(old: StoreSpec, new: StoreSpec) -> dict[str, list]:
    """The new sweep's runs say their own extents; the store's other runs keep theirs."""
    def covered(values: list) -> bool:
        return all(v in new.params[k] for k, v in zip(new.params, values))

    merged = {}
    for dim in {*old.extents, *new.extents}:
        entries = [e for e in old.extents.get(dim, []) if not covered(e[0])] + list(new.extents.get(dim, []))
        if entries:
            merged[dim] = entries
    return merged


def _describe(layout: dict[str, tuple], names: list[str]) -> str:
    return ", ".join(f"{n}{'' if n in layout else ' absent'}" + (
        f" dims={layout[n][0]} shape={layout[n][1]} {layout[n][2]} every={layout[n][3]}" if n in layout else "")
        for n in names)


def _union(old: list, new: list) -> list:
    """Old values keep their positions; new values (matched by ``value_key``: 1 == 1.0, "1" != 1) go at
    the end. Runs are found by the same key (``sweep/batching.coord_key``)."""
    seen = {value_key(v) for v in old}
    return list(old) + [v for v in new if value_key(v) not in seen]


# ---------------------------------------------------------------------------- writing arrays
def data_arrays(spec: StoreSpec, checksums: bool = True, digests: bool = True) -> list[tuple[str, dict[str, Any]]]:
    """Every per-run array of the layout: ``(path in the store, create_array keywords)``.

    One list, used to create the arrays and to rebuild a damaged array's metadata identically. ``digests``: the
    store keeps its records' digests (``checkpoint/record_crc``), which the copy of ``integrity`` on ``status`` says.
    """
    one_run = tuple(1 for _ in spec.run_shape)
    codecs = L.codec_args(checksums)
    out: list[tuple[str, dict[str, Any]]] = [
        (L.STATUS, dict(shape=spec.run_shape, dtype="uint8", chunks=one_run, fill_value=0,
                        dimension_names=spec.run_dims, attributes=_status_attrs())),
        (L.ERROR, dict(shape=(*spec.run_shape, L.ERROR_BYTES), dtype="uint8", chunks=(*one_run, L.ERROR_BYTES),
                       fill_value=0, dimension_names=(*spec.run_dims, L.ERROR_DIM), attributes={
                           "description": "error text of a failed run: UTF-8 bytes padded with zeros "
                                          "(decode: bytes(row).rstrip(b'\\0').decode('utf-8'))",
                           "encoding": "utf-8", "max_bytes": L.ERROR_BYTES})),
    ]
    for var in spec.records:
        out.append((var.name, dict(
            shape=L.record_shape(spec, var), dtype=var.dtype, chunks=L.record_chunks(spec, var),
            fill_value=L.fill_value(var.dtype), dimension_names=L.record_dims(spec, var),
            attributes=_var_attrs(var, record=True))))
    for dim, (_, post) in spec.synapse_coords().items():  # written with each run's final state (its graph)
        n = spec.synapse_record(dim).shape[-1]
        out.append((post, dict(
            shape=(*spec.run_shape, n), dtype="float32", chunks=(*one_run, n), fill_value=float("nan"),
            dimension_names=(*spec.run_dims, dim), attributes={
                "long_name": f"postsynaptic neuron of each synapse of {dim}",
                "description": "NaN on padding slots (no synapse) and for runs not done"})))
    for var in spec.states:
        out.append((f"{L.STATES_GROUP}/{var.name}", dict(
            shape=L.state_shape(spec, var), dtype=var.dtype, chunks=L.state_chunks(spec, var),
            fill_value=L.fill_value(var.dtype), dimension_names=L.state_dims(spec, var),
            attributes=_var_attrs(var, record=False))))
    if checksums:  # a second copy of the root's record, for a root whose attributes lost it (L.integrity_of)
        out[0][1]["attributes"] = {**out[0][1]["attributes"], "integrity": L.integrity_record(digests)}
    for _, kw in out:
        kw.update(codecs)
    return out


def _write_layout(root: zarr.Group, spec: StoreSpec, overwrite: bool = False, checksums: bool = True,
                  digests: bool = True) -> None:
    """Create every array at full size (all runs pending) and its coordinates.

    ``overwrite`` only when finishing a cut-off creation of our own; a new store or a forced rebuild
    (after ``_drop_data``) has no arrays yet.
    """
    _write_coords(root, spec, spec.records)
    states = root.require_group(L.STATES_GROUP)
    _write_coords(states, spec, spec.states)
    for path, kw in data_arrays(spec, checksums, digests):
        _create_data_array(root, states, path, kw, overwrite)
    _write_checkpoints(root, spec, checksums=checksums, digests=digests)


def _create_data_array(root: zarr.Group, states: zarr.Group, path: str, kw: dict[str, Any], overwrite: bool) -> None:
    """One array of ``data_arrays``, in the root or in ``states`` (the ``states/`` group)."""
    prefix = L.STATES_GROUP + "/"
    group, name = (states, path[len(prefix):]) if path.startswith(prefix) else (root, path)
    group.create_array(name, overwrite=overwrite, **kw)


def _write_coords(group: zarr.Group, spec: StoreSpec, variables: tuple[VarSpec, ...], checksums: bool = True) -> None:
    """Coordinate arrays (rewritten whole: they are small and only the coordinator writes them)."""
    coords = _coords(group.path == "", spec, variables)
    if group.path == "":
        for every, first in sorted({(v.every, v.first) for v in variables}):
            _write_time(group, spec, every, checksums, first)
    counts = set(spec.extent_names().values())
    pre_dims = {pre: (dim,) for dim, (pre, _) in spec.synapse_coords().items()}
    for name, (values, attrs) in coords.items():
        try:
            arr = group[name]
            old = np.asarray(arr[...])
        except Exception:  # noqa: BLE001 - absent or damaged: written anew below
            arr = old = None
        if old is not None and _same_values(old, values):
            if arr is not None and coordinate_attrs_problem(name, dict(arr.attrs), attrs):
                # an edited unit or CF decoding key: the spec's attributes again (one metadata write; the labels stay),
                # the attributes the store never reads kept
                arr.attrs.put({**{k: v for k, v in dict(arr.attrs).items()
                                  if k != "units" and k not in L.CF_DECODING}, **attrs})
            continue  # unchanged: no rewrite, so a concurrent reader never finds it missing
        if old is not None and _grow_coord(arr, old, values, attrs):
            continue  # more seeds or values: the old labels stay where they are, the new ones are added
        # overwrite=True replaces only this coordinate of a checked brainbatch store (names from the spec)
        arr = group.create_array(
            name, shape=values.shape, dtype=values.dtype if values.dtype.kind != "U" else str,
            chunks=_coord_chunks(values.shape), dimension_names=(L.SAMPLE_DIM,) if name in spec.samples else
            tuple(spec.params) if name in counts else pre_dims.get(name, (name,)),
            overwrite=True, attributes=attrs, **L.codec_args(checksums),
            **({"fill_value": np.nan} if values.dtype.kind == "f" else {}),  # NaN where never written (README)
        )
        fault_point("coord-sized")
        arr.with_config({"write_empty_chunks": True})[...] = values  # every chunk, as the root's `integrity` says
    if group.path != "" and group.attrs.get("coordinates", "") != L.coordinates_attr(spec, root=False):
        # plain xarray reads the sampled parameters as coordinates through this CF attribute
        # (the root group gets it with its other attributes, in _write_attrs)
        group.update_attributes({"coordinates": L.coordinates_attr(spec, root=False)})


def _param_units(spec: StoreSpec) -> dict[str, dict[str, str]]:
    given = spec.attrs.get("param_units") if isinstance(spec.attrs, dict) else None
    if not isinstance(given, dict):
        return {}
    return {str(k): {"units": v} for k, v in given.items() if isinstance(v, str) and v}


def _coords(in_root: bool, spec: StoreSpec, variables: tuple[VarSpec, ...]) -> dict[str, tuple[np.ndarray, dict]]:
    coords: dict[str, tuple[np.ndarray, dict[str, Any]]] = {
        "seed": (np.asarray(spec.seeds, dtype=np.int64), {"long_name": "random seed of the run"}),
    }
    units = _param_units(spec)  # CF-style units attributes (docs/units.md): plain xarray and pint-xarray read them
    for name, values in spec.params.items():
        arr = np.asarray(values)
        coords[name] = (arr.astype(str) if arr.dtype.kind == "U" else arr,
                        {"long_name": f"swept parameter {name}", **units.get(name, {})})
    for name, values in spec.samples.items():  # non-dimension coordinates over the sample dim
        arr = np.asarray(values, dtype=np.int64 if all(isinstance(v, int) for v in values) else np.float64)
        coords[name] = (arr, {"long_name": f"sampled parameter {name}", "sampled": True, **units.get(name, {})})
    # time dims belong to records, which live in the root group only; _write_time writes them by chunks
    for dim, name in spec.extent_names().items():  # real entries of each run along a partly filled dim
        coords[name] = (spec.extent_counts(dim), {
            "long_name": f"entries of {dim} each run really has (the rest is padding: a smaller run of a swept size)"})
    labels = {d: c for v in variables for d, c in v.coords.items()}
    if in_root:  # plastic weights: the presynaptic neuron of each synapse (s // K) does not depend on the run
        for dim, (pre, _) in spec.synapse_coords().items():
            var = spec.synapse_record(dim)
            ids = np.asarray(labels.get(dim, range(var.shape[-1])), dtype=np.int64)
            coords[pre] = (ids // var.synapses["k"], {"long_name": f"presynaptic neuron of each synapse of {dim}"})
    for dim, size in L.var_dim_sizes(variables).items():
        if dim in labels:  # chosen elements: their indices in the group
            coords[dim] = (np.asarray(labels[dim], dtype=np.int64), {"long_name": f"index in its group of each element of {dim}"})
        else:
            coords[dim] = (np.arange(size, dtype=np.int64), {"long_name": f"index along {dim}"})
    return coords


def time_attrs(every: int, first: int = 0) -> dict[str, Any]:
    """The attributes of the time coordinate of records kept every ``every`` steps from step ``first``."""
    return {"units": "ms", "long_name": "time",
            "description": f"t0 + ({first} + k*{every})*dt: sample k is taken at step {first} + k*{every}"}


def _write_time(group: zarr.Group, spec: StoreSpec, every: int, checksums: bool, first: int = 0) -> None:
    """A time coordinate, in chunks of ``TIME_COORD_CHUNK`` samples: never built whole in memory."""
    name, n = L.time_dim(every, first), L.n_samples(spec.n_steps, every, first)
    chunk = max(1, min(n, L.TIME_COORD_CHUNK))
    try:
        old = group[name]
        ends = [(0, chunk), (max(n - chunk, 0), n)]
        if L.decoding_attrs_problem(name, dict(old.attrs), "ms"):
            raise ValueError("read as other values")  # units="days since ...": rewritten with its own attributes
        if old.shape == (n,) and old.dtype == np.float64 and all(
                np.array_equal(old[a:b], L.time_values(spec, every, a, b, first)) for a, b in ends):
            return  # unchanged (t0 and dt are fixed for a store's data: another one rebuilds it)
        if old.dtype == np.float64 and old.shape[0] < n and -(-n // old.chunks[0]) <= _MAX_COORD_CHUNKS and all(
                np.array_equal(old[a:b], L.time_values(spec, every, a, b, first)) for a, b in
                [(0, min(chunk, old.shape[0])), (max(old.shape[0] - chunk, 0), old.shape[0])]):
            # a longer run: the old times stay where they are (never all zeros for a reader) and the new
            # samples are appended, in the old array's chunks
            start = old.shape[0]
            old.resize((n,))
            step = old.chunks[0]
            every_chunk = old.with_config({"write_empty_chunks": True})
            for a in range(start, n, step):
                every_chunk[a:min(a + step, n)] = L.time_values(spec, every, a, min(a + step, n), first)
            return
    except Exception:  # noqa: BLE001 - absent or damaged: write it
        pass
    # NaN where never written (README "Fill values"), and every chunk written, t = 0 included: a chunk missing
    # then reads as NaN, which the coordinate checks find, not as the time 0
    arr = group.create_array(
        name, shape=(n,), dtype=np.float64, chunks=(chunk,), dimension_names=(name,), overwrite=True,
        fill_value=np.nan, attributes=time_attrs(every, first),
        **L.codec_args(checksums)).with_config({"write_empty_chunks": True})
    for start in range(0, n, chunk):
        arr[start:start + chunk] = L.time_values(spec, every, start, min(start + chunk, n), first)


#: Most chunks a coordinate grown in place may have (more: it is written anew, in one chunk again).
_MAX_COORD_CHUNKS = 64


def _coord_chunks(shape: tuple[int, ...]) -> tuple[int, ...]:
    """A coordinate's chunk: room to grow (4096 labels in all: 64 a side for counts over two parameter dims,
    fewer over more, at least 2 a side) in its one chunk, so adding seeds or values rewrites that chunk in
    place (``_grow_coord``). 64 a side over seven dims was a chunk of 64**7 labels (32 TiB to allocate).

    >>> _coord_chunks((3,)), _coord_chunks((2, 5)), _coord_chunks((2, 1, 1, 1, 1, 1, 1))
    ((4096,), (64, 64), (3, 3, 3, 3, 3, 3, 3))
    """
    room = max(2, int(round(4096 ** (1.0 / max(len(shape), 1)))))
    return tuple(max(int(n), room) for n in shape)


def _grow_coord(arr: Any, old: np.ndarray, values: np.ndarray, attrs: dict[str, Any]) -> bool:
    """Grow coordinate ``arr`` (holding ``old``) in place to ``values`` when ``old`` is their leading block
    (seeds or parameter values added): rewriting it would leave a window, or after a kill a store, where a
    plain reader finds every label at its fill value (seed = 0 for every done run). False when it cannot."""
    if old.ndim != values.ndim or any(o > n for o, n in zip(old.shape, values.shape)):
        return False
    if math.prod(-(-n // c) for n, c in zip(values.shape, arr.chunks)) > _MAX_COORD_CHUNKS:
        return False  # a store made before coordinates had room: one chunk per old size would be too many
    if not _same_values(old, values[tuple(slice(0, n) for n in old.shape)]):
        return False
    arr.resize(values.shape)
    fault_point("coord-sized")
    # the leading block is written with the values it holds: a reader sees them throughout
    arr.with_config({"write_empty_chunks": True})[...] = values
    if dict(arr.attrs) != attrs:
        arr.update_attributes(attrs)
    return True


def _same_values(old: np.ndarray, values: np.ndarray) -> bool:
    """Whether a stored coordinate holds ``values`` (text compared as text, numbers with their dtype)."""
    if old.dtype.kind in "TUSO" or values.dtype.kind in "TUSO":
        return old.shape == values.shape and [str(v) for v in old.ravel().tolist()] == [str(v) for v in values.ravel().tolist()]
    return old.dtype == values.dtype and np.array_equal(old, values)


def repair_metadata(root: zarr.Group, spec: StoreSpec, checksums: bool, layout: bool = False,
                    digests: bool = False) -> list[str]:
    """Rewrite the ``zarr.json`` of every per-run array that cannot be read, from the spec (coordinator).

    The metadata is rebuilt exactly as ``create`` wrote it (same shape, chunks, codecs); the chunks
    are kept and checked by ``verify`` afterwards. ``layout``: also an array whose ``zarr.json`` gives another
    shape, data type or codec chain than the spec, where no change of the layout was under way (then only an edit of that
    file can have made it so, and every later sweep failed on it). Returns the repaired array paths.
    """
    from zarr.storage import MemoryStore

    repaired = []
    # a checkpoint/ array's only when its zarr.json is there but unreadable: one that is missing is a store
    # written before it (slot_crc) or a lost group, which _ensure_checkpoints makes anew
    checkpoint = [(f"{L.CHECKPOINT_GROUP}/{name}", kw) for name, kw in checkpoint_arrays(spec, checksums, digests)
                  if _unreadable(root, f"{L.CHECKPOINT_GROUP}/{name}")]
    for path, kw in [*data_arrays(spec, checksums, digests), *checkpoint]:
        try:
            arr = root[path]
            if not (L.dims_problem(spec, path, arr.metadata.dimension_names)
                    or layout and L.layout_problem(spec, path, tuple(arr.shape), arr.dtype)
                    or layout and L.array_codecs_problem(spec, path, arr, checksums)
                    or L.decoding_attrs_problem(path, dict(arr.attrs), kw["attributes"].get("units"))
                    or L.reader_attrs_problem(spec, path, dict(arr.attrs))):
                continue  # readable and labelled and encoded as made (dims swapped there filed runs under others'
                # labels; an edited codec chain read intact chunks as other numbers)
        except Exception:  # noqa: BLE001 - missing or unreadable metadata
            pass
        template = zarr.create_group(MemoryStore(), zarr_format=3)
        template.create_array(path, **kw)
        document = _get(template, f"{path}/zarr.json")
        _put(root, f"{path}/zarr.json", document)
        repaired.append(path)
    return repaired


def _decodes(root: zarr.Group, paths: list[str]) -> bool:
    """Whether every chunk of the arrays at ``paths`` reads under their (rebuilt) header, one chunk at a time."""
    import itertools

    for path in paths:
        try:
            arr = root[path]
            for block in itertools.product(*(range(n) for n in arr.cdata_shape)):
                arr.blocks[block]
        except Exception:  # noqa: BLE001 - any failure to read is a chunk the header does not describe
            return False
    return True


def _repair_groups(root: zarr.Group) -> None:
    """Rewrite the ``zarr.json`` of the ``states/`` or ``checkpoint/`` group where it is there but does not read as
    a group's (``_verify.group_problem``): the arrays under it are kept; its attributes are written again later
    (``states/``'s CF ``coordinates`` by ``_write_coords``)."""
    for name in (L.STATES_GROUP, L.CHECKPOINT_GROUP):
        if group_problem(root, name):
            _put(root, f"{name}/zarr.json", json.dumps({"attributes": {}, "zarr_format": 3, "node_type": "group"},
                                                       indent=2).encode())


def _unreadable(root: zarr.Group, path: str) -> bool:
    """Whether ``path`` holds a ``zarr.json`` that does not read as an array's."""
    try:
        _get(root, f"{path}/zarr.json")
    except Exception:  # noqa: BLE001 - nothing there
        return False
    try:
        root[path]
    except Exception:  # noqa: BLE001 - there, but not readable
        return True
    return False


def _get(root: zarr.Group, key: str) -> bytes:
    from ._zarr_compat import get_bytes

    return get_bytes(root, key)


def _put(root: zarr.Group, key: str, data: bytes) -> None:
    from ._zarr_compat import put_bytes

    put_bytes(root, key, data)


def _resize(root: zarr.Group, spec: StoreSpec) -> None:
    """Give every per-run array the spec's run shape; existing chunks of its runs keep their data.

    Only arrays of another shape are rewritten. Usually they grow (more runs); an array larger than the
    spec along a run dim is left by an extension cut off before it wrote its spec, and is cut back, which
    drops only chunks of runs that never started (``_check_cut_off_runs`` refused anything else).
    """
    runs = spec.run_shape
    paths = [L.STATUS, L.ERROR, *(v.name for v in spec.records), *(p for _, p in spec.synapse_coords().values()),
             *(f"{group}/{v.name}" for group in (L.STATES_GROUP, L.CHECKPOINT_GROUP) for v in spec.states),
             f"{L.CHECKPOINT_GROUP}/{L.STEPS_DONE}", f"{L.CHECKPOINT_GROUP}/{L.SLOT_STEP}"]
    for name in (L.SLOT_CRC, L.RECORD_CRC):  # stores written before them lack them
        if L.CHECKPOINT_GROUP in root and name in root[L.CHECKPOINT_GROUP]:
            paths.append(f"{L.CHECKPOINT_GROUP}/{name}")
    for path in paths:
        arr = root[path]
        if tuple(arr.shape[:len(runs)]) != runs:
            arr.resize((*runs, *arr.shape[len(runs):]))


def expected_coordinates(spec: StoreSpec, times: bool = True) -> dict[str, np.ndarray]:
    """``{path: labels}`` of every coordinate a store of ``spec`` holds (states' under ``states/``), the time
    axes too unless ``times=False``: what the coordinator wrote, rebuilt from the spec (the store's root
    attributes) by the writer's own rule (``_coords``), so the two never disagree."""
    out = {name: values for name, (values, _) in _coords(True, spec, spec.records).items()}
    out.update({f"{L.STATES_GROUP}/{name}": values for name, (values, _) in _coords(False, spec, spec.states).items()})
    if times:
        for every, first in sorted({(v.every, v.first) for v in spec.records}):
            out[L.time_dim(every, first)] = L.time_values(spec, every, first=first)
    return out


def expected_coordinate_attrs(spec: StoreSpec) -> dict[str, dict[str, Any]]:
    """``{path: attributes}`` of every coordinate a store of ``spec`` holds (states' under ``states/``, the time
    axes too), as the coordinator writes them (``_coords``, ``time_attrs``)."""
    out = {name: attrs for name, (_, attrs) in _coords(True, spec, spec.records).items()}
    out.update({f"{L.STATES_GROUP}/{name}": attrs for name, (_, attrs) in _coords(False, spec, spec.states).items()})
    for every, first in sorted({(v.every, v.first) for v in spec.records}):
        out[L.time_dim(every, first)] = time_attrs(every, first)
    return out


def coordinate_attrs_problem(path: str, stored: Any, want: dict[str, Any]) -> str | None:
    """Why the stored attributes of coordinate ``path`` make readers take its labels otherwise than the store wrote
    them (``want``: ``expected_coordinate_attrs``), else None: a CF decoding key, a ``units`` other than the one the
    store writes there (a time axis's ``ms``, a swept parameter's unit), or a ``units`` where it writes none (a seed
    read as dates after ``units="days since ..."``)."""
    why = L.decoding_attrs_problem(path, stored, want.get("units"))
    if why is None and "units" not in want and isinstance(stored, dict) and "units" in stored:
        why = (f"its array {path!r} carries units={stored['units']!r}"[:160] + ", by which readers decode its values "
               "(the store writes no units there: an edit)")
    return why


#: why a coordinate that is whole but holds other labels than the spec is not repaired (label_conflicts)
REPLACED = ("every chunk of it is whole: the root zarr.json or this coordinate was replaced, so which run is which "
            "is unknown; restore one of them from a backup")


def label_conflicts(root: Any, spec: StoreSpec) -> dict[str, str]:
    """``{coordinate path: why}`` for coordinates whose every chunk is there and decodes but which hold other labels
    than ``spec`` (the root's) lists. Unlike a chunk missing or damaged, that is no damage the spec can repair: one
    of the two was replaced (a root copied from a sibling store, a coordinate relabelled), and only the other
    records which run is which, so writers change nothing and readers refuse (``_check_labels_agree``, ``open_results``)."""
    out = {}
    for path, want in expected_coordinates(spec, times=False).items():
        try:
            arr = root[path]
            if arr.nchunks_initialized < arr.nchunks:
                continue
            got = np.asarray(arr[...])
        except Exception:  # noqa: BLE001 - unreadable: damaged, rewritten from the spec
            continue
        if not L.same_leading_labels(got, want):
            out[path] = (f"coordinate {path!r} holds {_shown(got)} where the store's spec lists {_shown(want)}, and "
                         f"{REPLACED}")
    try:
        changing = L.LAYOUT_CHANGE in root.attrs  # a rebuild cut off rewrites the time axes: not a replacement
    except Exception:  # noqa: BLE001 - unreadable root attributes: no time labels to compare against
        changing = True
    if not changing:
        out.update(_time_conflicts(root, spec))
    # a root from a sibling with the same labels and time base: its id differs from the copy on `status` (with other
    # labels, those already say the root was replaced)
    # (a rebuild cut off may have written its new id on `status` and not yet on the root: every run restarts anyway)
    identity = None if out or changing else L.identity_problem(root)
    if identity:
        out["zarr.json"] = f"{identity}: which runs the store holds, and computed by what, is unknown"
    return out


def _time_conflicts(root: Any, spec: StoreSpec) -> dict[str, str]:
    """Time axes whose every chunk is there and decodes but whose labels are another time base than the spec's
    (a root zarr.json with another dt or t0 put over the runs, a backup restored after a rebuild): the runs were
    computed under the time base their axis still records. Another dt or t0 shows in the first labels, so only
    the leading ones both hold are read and compared (every open reads this: a long axis is never read whole; a
    time extension cut off leaves the axis longer or shorter, with the same leading labels), to a millionth of dt."""
    out = {}
    for every, first in sorted({(v.every, v.first) for v in spec.records}):
        path = L.time_dim(every, first)
        try:
            arr = root[path]
            if arr.ndim != 1 or arr.nchunks_initialized < arr.nchunks:
                continue
            n = min(arr.shape[0], L.n_samples(spec.n_steps, every, first), _TIME_LABELS_COMPARED)
            got = np.asarray(arr[:n], dtype=np.float64)
        except Exception:  # noqa: BLE001 - unreadable or not numbers: damaged, rewritten from the spec
            continue
        want = L.time_values(spec, every, 0, n, first)
        if n and not np.allclose(got, want, rtol=0.0, atol=1e-6 * spec.dt):
            out[path] = (f"coordinate {path!r} holds the times {_shown(got)} where the store's spec (dt {spec.dt:g} ms, "
                         f"t0 {spec.t0:g} ms) lists {_shown(want)}, and every chunk of it is whole: the root zarr.json "
                         "or this coordinate was replaced, and the runs were computed under the time base it records; "
                         "restore one of them from a backup")
    return out


#: How many leading labels of a time axis ``_time_conflicts`` compares with the spec's.
_TIME_LABELS_COMPARED = 4096


def _shown(values: np.ndarray) -> str:
    listed = values.ravel().tolist()
    return str(listed if len(listed) <= 8 else [*listed[:8], "..."])


def _check_labels_agree(root: zarr.Group, spec: StoreSpec, path: str | os.PathLike) -> None:
    """Refuse, before anything changes, a store whose coordinate arrays are whole but hold other labels than its
    spec lists (``label_conflicts``): rewriting them from the spec would erase the only other record of
    which run is which. A coordinate with a chunk missing or damaged is rewritten from the spec, as before."""
    conflicts = label_conflicts(root, spec)
    if conflicts:
        raise StoreDamagedError(f"{os.fspath(path)!r}: {next(iter(conflicts.values()))}; nothing was changed (or "
                                "sweep into a new store)")


def _check_cut_off_runs(root: zarr.Group, spec: StoreSpec, path: str | os.PathLike) -> None:
    """Refuse, before anything changes, a store whose per-run arrays hold runs beyond its spec's that ran.

    An extension cut off before it wrote its spec leaves larger arrays whose extra runs never started
    (all their status, error text and progress are fill); those a sweep may grow into or cut away. Anything
    else there means the spec is older than the data (a zarr.json restored from a backup): those runs'
    labels are lost, and cutting or relabelling them would lose or mislabel data.
    """
    runs = spec.run_shape
    for name in (L.STATUS, L.ERROR, f"{L.CHECKPOINT_GROUP}/{L.STEPS_DONE}", f"{L.CHECKPOINT_GROUP}/{L.SLOT_STEP}"):
        try:
            arr = root[name]
        except Exception:  # noqa: BLE001 - absent or unreadable metadata: rebuilt from the spec (repair_metadata)
            continue
        if not L.larger_than(tuple(arr.shape), runs):
            continue
        try:
            used = L.first_used_beyond(arr, runs)
            why = f"holds data at {used}" if used is not None else None
        except Exception as err:  # noqa: BLE001 - a damaged chunk there: its runs cannot be shown to be unused
            why = f"cannot be read there ({type(err).__name__})"
        if why is not None:
            raise StoreDamagedError(
                f"{os.fspath(path)!r} is a damaged brainbatch store: its {name!r} array holds {tuple(arr.shape)} "
                f"beyond the {runs} runs its spec lists and {why}, so its zarr.json is older than its arrays "
                "(restored from an old backup?) and lacks those runs' labels; nothing was changed. Restore the "
                "zarr.json written with these arrays")


def our_arrays(spec: StoreSpec) -> list[str]:
    """Every array brainbatch creates for ``spec`` (paths in the store): the per-run arrays, the coordinates
    of the root and ``states/`` groups, the time coordinates and the ``checkpoint/`` arrays. A forced rebuild
    deletes these and nothing else: anything else in the store was put there by someone else."""
    paths = [path for path, _ in data_arrays(spec)]
    paths += [L.time_dim(every, first) for every, first in sorted({(v.every, v.first) for v in spec.records})]
    paths += list(_coords(True, spec, spec.records))
    paths += [f"{L.STATES_GROUP}/{name}" for name in _coords(False, spec, spec.states)]
    paths += [f"{L.CHECKPOINT_GROUP}/{name}" for name in (*_checkpoint_names(spec), L.SLOT_CRC, L.RECORD_CRC)]
    return list(dict.fromkeys(paths))


def _check_names_free(root: zarr.Group, old: StoreSpec, merged: StoreSpec, path: str | os.PathLike) -> None:
    """Refuse, before anything changes, a new array name (a variable, dim or count coordinate) that the store
    already holds as something brainbatch did not create: writing there would replace the user's data."""
    ours = set(our_arrays(old))
    taken = [p for p in our_arrays(merged) if p not in ours and _holds(root, p)]
    if taken:
        raise StoreError(f"{os.fspath(path)!r} holds {taken[0]!r}, which brainbatch did not create, and this sweep "
                         f"needs that name for its own array; nothing was changed. Rename or move {taken[0]!r} "
                         "(it is yours), or write to another path (CLI --out)")


def _holds(root: zarr.Group, path: str) -> bool:
    try:
        return path in root
    except Exception:  # noqa: BLE001 - unreadable metadata there: something is there
        return True


def _drop_data(root: zarr.Group, old: StoreSpec, folder: str | None = None) -> None:
    """Delete the arrays brainbatch made for the store's old spec (forced rebuild); root attributes, groups
    and anything else in the store (an array a user added) stay. In a local store only what zarr wrote goes
    (each array's ``zarr.json`` and its chunk files): a file a user put in an array's folder stays (a whole
    folder was deleted, with a ``README.txt`` someone kept there)."""
    for path in our_arrays(old):
        if not _holds(root, path):
            continue
        where = os.path.join(folder, *path.split("/")) if folder is not None else None
        if where is None or not os.path.isdir(where):
            del root[path]
            continue
        _remove_array_files(where)


def _remove_array_files(where: str) -> None:
    """An array's ``zarr.json`` and chunk files (``c/<int>/...``), then the folders left empty."""
    with contextlib.suppress(FileNotFoundError):
        os.remove(os.path.join(where, "zarr.json"))
    chunks = os.path.join(where, "c")
    for top, dirs, files in os.walk(chunks, topdown=False):
        parts = os.path.relpath(top, chunks).split(os.sep)
        if all(p == "." or p.isdigit() for p in parts):
            for name in files:
                if name.isdigit():
                    os.remove(os.path.join(top, name))
        with contextlib.suppress(OSError):  # not empty: something of someone else's is there
            os.rmdir(top)
    with contextlib.suppress(OSError):
        os.rmdir(where)


def _checkpoint_names(spec: StoreSpec) -> list[str]:
    """The arrays of the ``checkpoint/`` group (``_write_checkpoints`` makes them)."""
    return [L.STEPS_DONE, L.SLOT_STEP, *(v.name for v in spec.states)]


def checkpoint_arrays(spec: StoreSpec, checksums: bool = True, digests: bool = False) -> list[tuple[str, dict[str, Any]]]:
    """The arrays of the ``checkpoint/`` group, ``(name in the group, create_array keywords)``: steps done and the
    step and checksum of each state slot per run, state slot 1 and, with ``digests`` (stores made since), the
    digest of each time chunk of each record per run. One list, used to create them and to rebuild a damaged
    array's metadata identically (``repair_metadata``)."""
    one_run = tuple(1 for _ in spec.run_shape)
    codecs = L.codec_args(checksums)
    out: list[tuple[str, dict[str, Any]]] = [
        (L.STEPS_DONE, dict(shape=spec.run_shape, dtype="int64", chunks=one_run, fill_value=0,
                            dimension_names=spec.run_dims,
                            attributes={"description": "steps of the run whose records are written (progress)"})),
        (L.SLOT_STEP, dict(shape=(*spec.run_shape, L.SLOTS), dtype="int64", chunks=(*one_run, L.SLOTS), fill_value=0,
                           dimension_names=(*spec.run_dims, L.SLOT_DIM),
                           attributes={"description": "step at which each state slot was saved (0: none); slot 0 is "
                                                      "states/, slot 1 is checkpoint/<path>; a run resumes from the "
                                                      "larger"})),
        (L.SLOT_CRC, dict(shape=(*spec.run_shape, L.SLOTS), dtype="int64", chunks=(*one_run, L.SLOTS), fill_value=0,
                          dimension_names=(*spec.run_dims, L.SLOT_DIM),
                          attributes={"description": "CRC-32 of each state slot's arrays and step as saved, plus "
                                                     "2**32 (0: not recorded): a slot whose arrays do not match (a "
                                                     "copy or an edit that mixed two saves) is damaged"})),
    ]
    if digests and spec.records:
        tail = L.digest_tail(spec)
        out.append((L.RECORD_CRC, dict(
            shape=(*spec.run_shape, *tail), dtype="int64", chunks=(*one_run, tail[0], L.RECORD_CRC_BLOCK),
            fill_value=0, dimension_names=(*spec.run_dims, *L.RECORD_CRC_DIMS),
            attributes={"description": "CRC-32 of each time chunk of each record of the run as written, of the "
                                       "record's name, the chunk's position along time, the run and the store, plus "
                                       "2**32 (0: none): a chunk copied from another run or time block is damaged",
                        "records": sorted(L.digest_rows(spec))})))
    out += [(var.name, dict(shape=L.state_shape(spec, var), dtype=var.dtype, chunks=L.state_chunks(spec, var),
                            fill_value=L.fill_value(var.dtype), dimension_names=L.state_dims(spec, var),
                            attributes=_var_attrs(var, record=False))) for var in spec.states]
    for _, kw in out:
        kw.update(codecs)
    return out


def _write_checkpoints(root: zarr.Group, spec: StoreSpec, checksums: bool = True, digests: bool = False) -> zarr.Group:
    """The ``checkpoint/`` group (``checkpoint_arrays``).

    Only ever made inside a store already known to be brainbatch's (new, rebuilt, or one written before
    checkpoints existed), so ``overwrite`` replaces nothing of anyone else's.
    """
    group = root.require_group(L.CHECKPOINT_GROUP)
    for name, kw in checkpoint_arrays(spec, checksums, digests):
        group.create_array(name, overwrite=True, **kw)
    return group


def _ensure_checkpoints(root: zarr.Group, spec: StoreSpec, checksums: bool = True, digests: bool = False) -> None:
    """A store written before checkpoints existed, or whose checkpoint arrays were lost (deleted, a cut-off
    rebuild): only the missing arrays are made anew (a missing one failed every later sweep with a bare
    KeyError), and what the arrays still there record is kept.

    A lost ``slot_step`` or ``steps_done`` is stamped again from the status (done runs' states are final,
    the others start again from step 0); a lost state array of slot 1 disables that slot, so no run resumes
    from zeros. In stores of the store rule (``state_checksum``) a lost ``slot_crc`` is made anew as zeros:
    nothing vouches for the done runs' final states any more, so every reader counts them damaged and the
    next sweep runs them again (remaking the whole group zeroed the checksums of runs whose states were
    intact). Likewise a lost ``record_crc`` of a store that keeps digests: its done runs' records are unvouched."""
    names = _checkpoint_names(spec)
    strict = root.attrs.get(L.STATE_CRC) == L.STATE_CRC_WITH_STORE
    if L.CHECKPOINT_GROUP not in root:
        group = _write_checkpoints(root, spec, checksums, digests)
        lost = set(names)
    else:
        group = root[L.CHECKPOINT_GROUP]
        lost = {n for n in names if not _holds(group, n)}
        wanted = {*names, L.SLOT_CRC} if strict else set(names)
        wanted |= {L.RECORD_CRC} if digests else set()
        for name, kw in checkpoint_arrays(spec, checksums, digests):
            if name in wanted and not _holds(group, name):
                group.create_array(name, **kw)
    if not lost:
        return
    done = np.asarray(root[L.STATUS][L.run_block(spec.run_shape)]) == L.STATUS_CODES["done"]
    if L.SLOT_STEP in lost:
        steps = np.zeros((*spec.run_shape, L.SLOTS), np.int64)
        steps[..., 0] = np.where(done, spec.n_steps, 0)
        group[L.SLOT_STEP][...] = steps
    elif lost - {L.STEPS_DONE}:
        steps = np.asarray(group[L.SLOT_STEP][...])
        steps[..., 1] = 0
        group[L.SLOT_STEP][...] = steps
    if L.STEPS_DONE in lost:
        group[L.STEPS_DONE][...] = np.where(done, spec.n_steps, 0)


def _extend_time(root: zarr.Group, spec: StoreSpec) -> None:
    """Grow every record's time axis to ``spec.n_steps`` (samples already written keep their places)."""
    runs = len(spec.run_shape)
    for var in spec.records:
        arr = root[var.name]
        shape = list(arr.shape)
        shape[runs] = L.n_samples(spec.n_steps, var.every, var.first)
        arr.resize(tuple(shape))


def _fit_digests(root: zarr.Group, spec: StoreSpec) -> None:
    """Give ``checkpoint/record_crc`` one entry per time chunk of the record arrays as they are (more after a longer
    duration; fewer after a cut-off one was undone), its records and runs as the spec's. The entries kept keep their
    digests; no worker ever resizes it."""
    group = root[L.CHECKPOINT_GROUP] if L.CHECKPOINT_GROUP in root else None
    if group is None or L.RECORD_CRC not in group or not spec.records:
        return
    runs = len(spec.run_shape)
    chunks = max(int(root[v.name].cdata_shape[runs]) for v in spec.records)
    arr = group[L.RECORD_CRC]
    want = (*spec.run_shape, len(spec.records), chunks)
    if tuple(arr.shape) != want:
        arr.resize(want)


def _undo_stale_statuses(root: zarr.Group) -> None:
    """A rebuilt store's runs back to pending with no error text: statuses a writer of the old generation wrote
    into the new arrays before the new generation was written (its checks read the old one). Only the status
    array is read (the error texts are 4 KB a run); a run it finds pending keeps what text it has."""
    _back_to_pending(root, lambda codes: codes != L.STATUS_CODES["pending"], clear_error=True)


def _reopen_done(root: zarr.Group) -> None:
    """Done runs of a store extended in time become pending, to continue.

    Their final states stay in slot 0 at the old ``n_steps``, so the next sweep continues them from
    there. Only the done runs' status chunks are written: a worker's status change of another run
    in the meantime is never overwritten.
    """
    _back_to_pending(root, lambda codes: codes == L.STATUS_CODES["done"])


def _back_to_pending(root: zarr.Group, which: Any, clear_error: bool = False) -> None:
    """The runs whose status codes ``which(codes)`` selects become pending (their error text cleared first if
    asked); only their chunks are written."""
    status = root[L.STATUS].with_config({"write_empty_chunks": True})  # every chunk of a run is written
    error = root[L.ERROR].with_config({"write_empty_chunks": True}) if clear_error else None
    for idx in zip(*np.nonzero(which(np.asarray(status[...])))):
        where = tuple(int(i) for i in idx)
        if error is not None:
            error[where] = 0
        status[where] = L.STATUS_CODES["pending"]


def _forget_unfinished(root: zarr.Group, spec: StoreSpec) -> None:
    """Runs that are not done lose their saved progress (checkpoints, steps written): they start again
    from step 0. Only those runs' entries are written."""
    if L.CHECKPOINT_GROUP not in root:
        return
    group = root[L.CHECKPOINT_GROUP]
    codes = np.asarray(root[L.STATUS][L.run_block(spec.run_shape)])
    slots = group[L.SLOT_STEP].with_config({"write_empty_chunks": True})
    steps = group[L.STEPS_DONE].with_config({"write_empty_chunks": True})
    for idx in zip(*np.nonzero(codes != L.STATUS_CODES["done"])):
        at = tuple(int(i) for i in idx)
        if np.asarray(slots[at]).any() or np.asarray(steps[at]).any():
            slots[at] = 0
            steps[at] = 0


def _refresh_var_attrs(root: zarr.Group, spec: StoreSpec) -> None:
    for group, variables, record in ((root, spec.records, True), (root[L.STATES_GROUP], spec.states, False)):
        for var in variables:
            arr, attrs = group[var.name], _var_attrs(var, record=record)
            if any(arr.attrs.get(k) != v for k, v in attrs.items()):  # rewrite only what changed
                arr.update_attributes(attrs)


# ---------------------------------------------------------------------------- attributes
def _var_attrs(var: VarSpec, record: bool) -> dict[str, Any]:
    attrs: dict[str, Any] = {"units": var.units, "description": var.description}
    if record:
        attrs["every"] = var.every
        if var.first:
            attrs["first_step"] = var.first
        # what readers go by (never the dtype: a bool record may be a flag such as refractory)
        attrs["kind"] = var.kind or "values"
        # CF: the per-run status says which runs' values are results (a run not done reads as fill or
        # as what it wrote before it stopped), for readers that know only plain xarray
        attrs["ancillary_variables"] = L.STATUS
    else:
        attrs["kind"] = "state"
        attrs["comment"] = (f"the final state of a run whose {L.STATUS} (the root group's) is done; "
                            "a run not done may hold zeros or the state of a checkpoint")
    return attrs


def _status_attrs() -> dict[str, Any]:
    return {
        "description": "per-run status; a run is done only after all its data were written",
        **L.STATUS_FLAGS,
    }


def _versions_seen(old: dict | None, provenance: dict) -> list[dict]:
    """Every (brainbatch, jax, platform) entry the store's runs were computed with, oldest first: the old store's list
    (``versions_seen_of``) and this sweep's where it differs from the last (a GPU sweep, then a CPU one again: three)."""
    seen = versions_seen_of(old) if old is not None else []
    now = version_pair(versions(), provenance)
    return seen if seen and seen[-1] == now else [*seen, now]


def _write_attrs(root: zarr.Group, spec: StoreSpec, created: str, checksums: bool = True, digests: bool = True,
                 generation: str | None = None, old: dict | None = None, from_saved_step: bool = True,
                 crc_rule: Any = L.STATE_CRC_WITH_STORE, store_id: Any = None,
                 sources_seen: list[str] | None = None) -> None:
    """The root attributes of ``spec`` (replacing all others). ``crc_rule``: the ``state_checksum`` rule the
    store's saved states are written under (an older store's own value, absent included, is kept);
    ``store_id``: the store's own, made with it and kept for its life (None: a new one); ``sources_seen``: the
    sources of the runs it keeps (``spec``'s own is added)."""
    provenance = jsonable(spec.attrs)
    attrs = {k: v for k, v in provenance.items() if k not in L.ROOT_KEYS}  # flat copies for easy reading
    attrs.update({
        "brainbatch_schema": L.SCHEMA_VERSION,
        "experiment": spec.experiment,
        "source_hash": spec.source_hash,
        "dt": spec.dt, "t0": spec.t0, "time_units": "ms", "n_steps": spec.n_steps,
        "params": jsonable(spec.params), "seeds": list(spec.seeds),

        "status_codes": dict(L.STATUS_CODES),
        "spec": jsonable(spec.to_json()),
        "provenance": provenance,
        "versions": versions(),
        "created": created, "updated": now(), "finished": None,
        # new whenever the store's runs are reset (created, rebuilt, a forced new source): a process that
        # planned its runs under another generation never writes them nor marks them done (_store.py)
        "generation": generation or uuid.uuid4().hex,
        # a store may hold runs computed with several versions (extended or resumed after an upgrade)
        "versions_seen": _versions_seen(old, provenance),
    })
    if checksums:
        attrs["integrity"] = L.integrity_record(digests)
    if from_saved_step:
        attrs[L.STEP_INDICES] = L.FROM_SAVED_STEP
    if crc_rule in (L.STATE_CRC_WITH_RUN, L.STATE_CRC_WITH_STORE):
        attrs[L.STATE_CRC] = crc_rule
    # else: a store made before the rule (no attribute), whose states cover their arrays and step only
    attrs[L.STORE_ID] = store_id if isinstance(store_id, str) and store_id else uuid.uuid4().hex
    seen = list(sources_seen or [])
    attrs[L.SOURCES_SEEN] = seen if spec.source_hash in seen else [*seen, spec.source_hash]
    # a second copy of the identity, as of `integrity`, for a root whose attributes lose it (L.store_id_of) or are
    # another store's (L.identity_problem: the id, made once, is written here before the root's)
    identity = {L.STORE_ID: attrs[L.STORE_ID], L.SOURCES_SEEN: attrs[L.SOURCES_SEEN]}
    status = root[L.STATUS]
    if {k: status.attrs.get(k) for k in identity} != identity:
        status.attrs.update(identity)
    if spec.design is not None:
        attrs["design"] = jsonable(spec.design)
    if L.coordinates_attr(spec):
        attrs["coordinates"] = L.coordinates_attr(spec)  # CF: plain xarray opens them as coordinates
    # replace, not merge: attributes of an earlier, forced-over setup must not linger
    root.attrs.put(attrs)
