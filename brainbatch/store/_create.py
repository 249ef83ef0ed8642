"""The coordinator's side: create a store at full size, or extend / re-stamp an existing one.

Only this module creates, deletes or resizes arrays and changes attributes (apart from
``ResultStore.finish``). Workers never do, so they need no locks.
"""
from __future__ import annotations

import dataclasses
import os
from typing import Any

import numpy as np
import zarr

from . import _layout as L
from ._errors import StoreError, StoreMismatchError
from ._location import exists, zarr_store
from ._provenance import jsonable, now, versions
from ._root import consolidate, open_root
from ._spec import StoreSpec, VarSpec


def create_or_extend(path: str | os.PathLike, spec: StoreSpec, force: bool) -> None:
    """Make the store at ``path`` hold ``spec``'s runs; see ``ResultStore.create``."""
    if not exists(path):
        root = zarr.open_group(zarr_store(path, read_only=False), mode="w", zarr_format=3)
        _write_layout(root, spec)
        _write_attrs(root, spec, created=now())
    else:
        old_root = open_root(path, "r")  # raises, changing nothing, unless it is our store
        old = StoreSpec.from_json(old_root.attrs["spec"])
        merged, structural = _merge(old, spec, force, os.fspath(path))
        root = open_root(path, "r+")
        if structural:
            _drop_data(root)
            _write_layout(root, merged)
        else:
            _ensure_checkpoints(root, old)
            _resize(root, merged)
            if merged.n_steps > old.n_steps:
                _extend_time(root, merged, old)
            _write_coords(root, merged, merged.records)
            _write_coords(root[L.STATES_GROUP], merged, merged.states)
            _refresh_var_attrs(root, merged)
        _write_attrs(root, merged, created=old_root.attrs.get("created", now()))
    consolidate(path)


# ---------------------------------------------------------------------------- comparing specs
def _layout_of(variables: tuple[VarSpec, ...]) -> dict[str, tuple]:
    # units/description may change freely; these fields fix the arrays' shape and type
    return {v.name: (v.dims, v.shape, v.dtype, v.every) for v in variables}


def _merge(old: StoreSpec, new: StoreSpec, force: bool, path: str) -> tuple[StoreSpec, bool]:
    """The spec of the extended store, and whether its data arrays must be rebuilt."""
    if old.experiment != new.experiment:
        raise StoreError(
            f"{path!r} holds results of experiment {old.experiment!r}, not {new.experiment!r}. "
            "Write to another path (CLI --out)."
        )
    if list(old.params) != list(new.params):
        raise StoreMismatchError(
            f"{path!r} sweeps parameters {list(old.params)} but this sweep has {list(new.params)}; "
            "a store's swept axes cannot change (not even with force). Write to another path (CLI --out), "
            "or sweep the same parameters in the same order."
        )
    diffs = [f"{k}: store has {a!r}, this sweep has {b!r}" for k, a, b in (
        ("source_hash", old.source_hash, new.source_hash), ("dt", old.dt, new.dt), ("t0", old.t0, new.t0))
        if a != b]
    # more steps extend the store in time (runs continue from their saved state); fewer would throw data away
    structural = new.n_steps < old.n_steps
    if structural:
        diffs.append(
            f"n_steps: store has {old.n_steps!r}, this sweep has {new.n_steps!r} (a shorter run: give the "
            f"store's duration, {old.n_steps * old.dt:g} ms, or more to extend it in time)")
    for kind, a, b in (("records", old.records, new.records), ("states", old.states, new.states)):
        la, lb = _layout_of(a), _layout_of(b)
        if la != lb:
            structural = True
            changed = sorted(n for n in set(la) | set(lb) if la.get(n) != lb.get(n))
            diffs.append(f"{kind} {changed} differ (store: {_describe(la, changed)}; this sweep: {_describe(lb, changed)})")
    if diffs and not force:
        raise StoreMismatchError(
            f"{path!r} was written by a different setup of {new.experiment!r}:\n  - " + "\n  - ".join(diffs)
            + "\nPass force=True (CLI --force) to overwrite the store's settings"
            + (" (the recorded variables or the number of steps change, so all data are discarded and every run"
               " becomes pending)" if structural else " (data and done runs are kept)")
            + ", or write to another path (CLI --out)."
        )
    merged = dataclasses.replace(
        new,
        seeds=_union(old.seeds, new.seeds),
        params={k: _union(old.params[k], new.params[k]) for k in new.params},
        # existing arrays keep their chunking unless they are rebuilt
        time_chunk=new.time_chunk if structural else old.time_chunk,
    )
    return merged, structural


def _describe(layout: dict[str, tuple], names: list[str]) -> str:
    return ", ".join(f"{n}{'' if n in layout else ' absent'}" + (
        f" dims={layout[n][0]} shape={layout[n][1]} {layout[n][2]} every={layout[n][3]}" if n in layout else "")
        for n in names)


def _union(old: list, new: list) -> list:
    """Old values keep their positions; new values (matched by value, so 1 == 1.0) go at the end."""
    return list(old) + [v for v in new if v not in old]


# ---------------------------------------------------------------------------- writing arrays
def _write_layout(root: zarr.Group, spec: StoreSpec) -> None:
    """Create every array at full size (all runs pending) and its coordinates."""
    _write_coords(root, spec, spec.records)
    one_run = tuple(1 for _ in spec.run_shape)
    root.create_array(
        L.STATUS, shape=spec.run_shape, dtype="uint8", chunks=one_run, fill_value=0,
        dimension_names=spec.run_dims, overwrite=True, attributes=_status_attrs(),
    )
    root.create_array(
        L.ERROR, shape=(*spec.run_shape, L.ERROR_BYTES), dtype="uint8", chunks=(*one_run, L.ERROR_BYTES),
        fill_value=0, dimension_names=(*spec.run_dims, L.ERROR_DIM), overwrite=True, attributes={
            "description": "error text of a failed run: UTF-8 bytes padded with zeros "
                           "(decode: bytes(row).rstrip(b'\\0').decode('utf-8'))",
            "encoding": "utf-8", "max_bytes": L.ERROR_BYTES,
        },
    )
    for var in spec.records:
        root.create_array(
            var.name, shape=L.record_shape(spec, var), dtype=var.dtype, chunks=L.record_chunks(spec, var),
            fill_value=L.fill_value(var.dtype), dimension_names=L.record_dims(spec, var), overwrite=True,
            attributes=_var_attrs(var, record=True),
        )
    states = root.require_group(L.STATES_GROUP)
    _write_coords(states, spec, spec.states)
    for var in spec.states:
        states.create_array(
            var.name, shape=L.state_shape(spec, var), dtype=var.dtype, chunks=L.state_chunks(spec, var),
            fill_value=L.fill_value(var.dtype), dimension_names=L.state_dims(spec, var), overwrite=True,
            attributes=_var_attrs(var, record=False),
        )
    _write_checkpoints(root, spec)


def _write_coords(group: zarr.Group, spec: StoreSpec, variables: tuple[VarSpec, ...]) -> None:
    """Coordinate arrays (rewritten whole: they are small and only the coordinator writes them)."""
    coords: dict[str, tuple[np.ndarray, dict[str, Any]]] = {
        "seed": (np.asarray(spec.seeds, dtype=np.int64), {"long_name": "random seed of the run"}),
    }
    for name, values in spec.params.items():
        arr = np.asarray(values)
        coords[name] = (arr.astype(str) if arr.dtype.kind == "U" else arr, {"long_name": f"swept parameter {name}"})
    if group.path == "":  # time dims belong to records, which live in the root group only
        for every in sorted({v.every for v in variables}):
            coords[L.time_dim(every)] = (L.time_values(spec, every), {
                "units": "ms", "long_name": "time",
                "description": f"t0 + k*{every}*dt: sample k is taken at step k*{every}",
            })
    for dim, size in L.var_dim_sizes(variables).items():
        coords[dim] = (np.arange(size, dtype=np.int64), {"long_name": f"index along {dim}"})
    for name, (values, attrs) in coords.items():
        arr = group.create_array(
            name, shape=values.shape, dtype=values.dtype if values.dtype.kind != "U" else str,
            chunks=values.shape, dimension_names=(name,), overwrite=True, attributes=attrs,
        )
        arr[...] = values


def _resize(root: zarr.Group, spec: StoreSpec) -> None:
    """Grow every per-run array to the (larger) run shape; existing chunks keep their data."""
    names = [L.STATUS, L.ERROR, *(v.name for v in spec.records)]
    for name in names:
        arr = root[name]
        arr.resize((*spec.run_shape, *arr.shape[len(spec.run_shape):]))
    states = root[L.STATES_GROUP]
    for var in spec.states:
        states[var.name].resize(L.state_shape(spec, var))
    group = root[L.CHECKPOINT_GROUP]
    group[L.STEPS_DONE].resize(spec.run_shape)
    group[L.SLOT_STEP].resize((*spec.run_shape, L.SLOTS))
    for var in spec.states:
        group[var.name].resize(L.state_shape(spec, var))


def _drop_data(root: zarr.Group) -> None:
    """Delete every array, the states and the checkpoint group (forced rebuild); root attributes stay."""
    for name in list(root.array_keys()):
        del root[name]
    for group in (L.STATES_GROUP, L.CHECKPOINT_GROUP):
        if group in root:
            del root[group]


def _write_checkpoints(root: zarr.Group, spec: StoreSpec) -> zarr.Group:
    """The ``checkpoint/`` group: steps done and the step of each state slot per run, and state slot 1."""
    one_run = tuple(1 for _ in spec.run_shape)
    group = root.require_group(L.CHECKPOINT_GROUP)
    group.create_array(
        L.STEPS_DONE, shape=spec.run_shape, dtype="int64", chunks=one_run, fill_value=0,
        dimension_names=spec.run_dims, overwrite=True,
        attributes={"description": "steps of the run whose records are written (progress)"},
    )
    group.create_array(
        L.SLOT_STEP, shape=(*spec.run_shape, L.SLOTS), dtype="int64", chunks=(*one_run, L.SLOTS), fill_value=0,
        dimension_names=(*spec.run_dims, L.SLOT_DIM), overwrite=True,
        attributes={"description": "step at which each state slot was saved (0: none); slot 0 is states/, "
                                   "slot 1 is checkpoint/<path>; a run resumes from the larger"},
    )
    for var in spec.states:
        group.create_array(
            var.name, shape=L.state_shape(spec, var), dtype=var.dtype, chunks=L.state_chunks(spec, var),
            fill_value=L.fill_value(var.dtype), dimension_names=L.state_dims(spec, var), overwrite=True,
            attributes=_var_attrs(var, record=False),
        )
    return group


def _ensure_checkpoints(root: zarr.Group, spec: StoreSpec) -> None:
    """A store written before checkpoints existed: add the group; its done runs' states are final."""
    if L.CHECKPOINT_GROUP in root:
        return
    group = _write_checkpoints(root, spec)
    done = np.asarray(root[L.STATUS][...]) == L.STATUS_CODES["done"]
    if done.any():
        steps = np.zeros((*spec.run_shape, L.SLOTS), np.int64)
        steps[..., 0] = np.where(done, spec.n_steps, 0)
        group[L.SLOT_STEP][...] = steps
        group[L.STEPS_DONE][...] = np.where(done, spec.n_steps, 0)


def _extend_time(root: zarr.Group, spec: StoreSpec, old: StoreSpec) -> None:
    """Grow every record's time axis to ``spec.n_steps``; done runs become pending, to continue.

    Their final states stay in slot 0 at step ``old.n_steps``, so the next sweep continues them from
    there; samples already written keep their places.
    """
    runs = len(spec.run_shape)
    for var in spec.records:
        arr = root[var.name]
        shape = list(arr.shape)
        shape[runs] = L.n_samples(spec.n_steps, var.every)
        arr.resize(tuple(shape))
    status = np.asarray(root[L.STATUS][...])
    done = status == L.STATUS_CODES["done"]
    if done.any():
        status[done] = L.STATUS_CODES["pending"]
        root[L.STATUS][...] = status


def _refresh_var_attrs(root: zarr.Group, spec: StoreSpec) -> None:
    for var in spec.records:
        root[var.name].update_attributes(_var_attrs(var, record=True))
    for var in spec.states:
        root[L.STATES_GROUP][var.name].update_attributes(_var_attrs(var, record=False))


# ---------------------------------------------------------------------------- attributes
def _var_attrs(var: VarSpec, record: bool) -> dict[str, Any]:
    attrs: dict[str, Any] = {"units": var.units, "description": var.description}
    if record:
        attrs["every"] = var.every
        if var.dtype == "bool":
            attrs["kind"] = "spikes"
    else:
        attrs["kind"] = "state"
    return attrs


def _status_attrs() -> dict[str, Any]:
    return {
        "description": "per-run status; a run is done only after all its data were written",
        "flag_values": list(L.STATUS_CODES.values()),
        "flag_meanings": " ".join(L.STATUS_CODES),
    }


def _write_attrs(root: zarr.Group, spec: StoreSpec, created: str) -> None:
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
    })
    # replace, not merge: attributes of an earlier, forced-over setup must not linger
    root.attrs.put(attrs)
