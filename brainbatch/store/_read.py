"""Reading a store: ``open_results`` (a lazy xarray Dataset) and ``load_state`` (one run's state)."""
from __future__ import annotations

import os
import warnings
from typing import Any

import numpy as np
import xarray as xr
from zarr.storage import LocalStore, WrapperStore

from . import _accessor  # noqa: F401 - every Dataset open_results gives has ds.bb
from ._padding import mask_padding
from . import _layout as L
from ._create import coordinate_attrs_problem, data_arrays, expected_coordinate_attrs, label_conflicts, our_arrays
from ._errors import (ForeignArraysWarning, StoreDamagedError, StoreDamagedWarning, StoreError, StoreFormatWarning,
                      StoreRebuiltError)
from ..errors import is_bool, keywords_named
from ._location import local_path
from ._provenance import attribute_value
from ._root import read_root_attrs
from ._spec import StoreSpec
from ._store import ResultStore
from ._verify import expected_coordinates, same_labels

#: the status ``open_results`` gives a run marked done whose data are not all there (never stored as such)
DAMAGED = "damaged"


#: ``load_state`` given no ``seed``
_NO_SEED: Any = object()


@keywords_named
def open_results(path: str | os.PathLike, *, states: bool = False) -> xr.Dataset:
    """Open a store as one lazy, dask-backed ``xarray.Dataset``.

    Float variables of runs that are not done read as NaN; integer and bool variables keep their
    stored values (fill 0 / False), so use ``ds["done"]`` to select finished runs. ``ds["status"]``
    holds status names and ``ds["error"]`` the error text of failed runs. A run marked done whose chunks
    are not all there reads as ``"damaged"``, not done (with a ``StoreDamagedWarning``): its missing
    chunks would read as fill values. With ``states=True`` the
    saved states are included as ``states/<name>``.

    Seeds and numeric swept parameters come sorted (a store extended with a middle value holds them
    in the order they were added); text values keep their order. In a store whose runs differ in size along a dim (a swept neuron count),
    the padding of smaller runs reads as NaN (bool and integer variables with such a dim become
    floats), so plain means over neurons count real neurons only; ``<dim>_count`` says how many
    each run has.

    >>> ds = open_results("results/coba/sweep.zarr")          # doctest: +SKIP
    >>> ds.sel(seed=0).bb.rates("E.spike").mean()           # doctest: +SKIP
    """
    if not is_bool(states):  # states="no" is true to Python: the states were read in
        raise StoreError(f"states must be True or False, got {states!r}")
    store = ResultStore.open(path, "r")  # checks it is a brainbatch store of our schema
    target = local_path(path) or os.fspath(path)
    # a local store is read through a view that checks, at every chunk, that it is still the store opened here
    # (remote ones: not checked, docs/store.md)
    guard = _Guarded.of(target, store) if os.path.isdir(target) else None
    ds = _open(target, None, store, guard)
    ds = ds.isel(L.run_selection(store.spec, ds.sizes))  # an extension cut off: only the spec's runs (_layout.py)
    _require(ds, [v.name for v in store.spec.records] + [L.STATUS, L.ERROR], target)
    conflicts = label_conflicts(store._root, store.spec)
    if conflicts:  # not repairable from the spec: which run is which is unknown
        raise StoreDamagedError(f"{target!r} is damaged: {next(iter(conflicts.values()))}")
    _check_layout(store, target, states)
    labels = expected_coordinates(store.spec)
    damaged: list[str] = []
    attrs = expected_coordinate_attrs(store.spec)
    ds = _decode_runs(_spec_attrs(_spec_labels(ds, labels, "", damaged), store, attrs, "", damaged), store)
    if guard is not None and store.writes_every_chunk:  # the store's runs in its own order (not yet sorted)
        guard.set_done(np.asarray(ds["done"].values, dtype=bool))
    if states and store.spec.states:
        st = _open(target, L.STATES_GROUP, store, guard)
        st = st.isel(L.run_selection(store.spec, st.sizes))
        _require(st, [v.name for v in store.spec.states], target)
        group = f"{L.STATES_GROUP}/"
        st = _plain_strings(_spec_attrs(_spec_labels(st, labels, group, damaged), store, attrs, group, damaged))
        st = st.rename({v.name: f"{L.STATES_GROUP}/{v.name}" for v in store.spec.states})
        ds = ds.merge(st[[f"{L.STATES_GROUP}/{v.name}" for v in store.spec.states]], combine_attrs="override",
                      compat="override")  # the coordinates both groups hold are the same arrays
    if damaged:
        warnings.warn(f"coordinate(s) {list(dict.fromkeys(damaged))} of the store do not hold the labels or attributes its spec "
                      "lists (damaged): read with the spec's labels and attributes; running the sweep again rewrites "
                      "them", StoreDamagedWarning, stacklevel=2)
    # records first, in the experiment's order, then the run bookkeeping, then states
    order = [v.name for v in store.spec.records] + ["status", "done", "error"]
    order += [n for n in ds.data_vars if n not in order]
    out = _sorted(_mask_padding(_mask(ds[order], ds["done"]), store.spec))
    out.attrs = attribute_value(dict(out.attrs))  # an integer beyond 64 bits (a build() default) written as marked text
    return out


def load_state(path: str | os.PathLike, seed: int = _NO_SEED, **params: Any) -> dict[str, np.ndarray]:
    """The saved state ``{variable path: array}`` of one done run.

    >>> state = load_state("results/coba/sweep.zarr", seed=0, we=0.6)   # doctest: +SKIP
    >>> net.load_state_dict(state)                                       # doctest: +SKIP
    """
    if seed is _NO_SEED:  # load_state(path, seeds=0, we=0.6) said "missing 1 required positional argument"
        hint = " (seeds= is a sweep's; one run has one seed=)" if "seeds" in params else ""
        raise StoreError(f"load_state needs the run's seed=, e.g. load_state(path, seed=0, "
                         f"{', '.join(f'{k}=...' for k in params if k != 'seeds') or 'we=0.6'}){hint}")
    store = ResultStore.open(path, "r")
    conflicts = store.replaced_coordinates()
    if conflicts:  # the labels may name another run
        raise StoreDamagedError(f"{os.fspath(path)!r} is damaged: {next(iter(conflicts.values()))}")
    idx = store.run_index(seed, **params)
    status = str(store.status()[idx])
    if status != "done":
        err = store.error(idx)
        raise StoreError(
            f"run seed={seed!r}{''.join(f', {k}={v!r}' for k, v in params.items())} is {status!r}, "
            f"so its state is incomplete{f' (error: {err})' if err else ''}; run it again "
            "(a re-run of the sweep re-runs every run that is not done)"
        )
    states = store.read_states(idx)
    # the step indices brainbatch's own models hold (core.variable.mark_step_index); the store does not record which
    if not store.step_indices_from_saved_step and any(n.rsplit(".", 1)[-1] in _STEP_INDEX_NAMES for n in states):
        warnings.warn(f"{os.fspath(path)!r} was written by a brainbatch that saved step indices (a neuron's "
                      "i_last_spike, a synapse's i_arrival) counted from the run's step 0; a model now holds them "
                      f"counted from the end of its last run, so such states are {store.spec.n_steps} steps too "
                      "late for it (subtract n_steps from them, leaving the 'none yet' values)",
                      StoreFormatWarning, stacklevel=2)
    return states


_STEP_INDEX_NAMES = ("i_last_spike", "i_arrival")


def _open(target: str, group: str | None, store: ResultStore, guard: _Guarded | None = None) -> xr.Dataset:
    try:
        return xr.open_zarr(target if guard is None else guard, group=group, consolidated=False, zarr_format=3)
    except Exception as err:  # noqa: BLE001 - a checked brainbatch store that xarray cannot open is damaged
        first = err
    grown = _open_growing(target, group, store, guard)
    if grown is not None:
        return grown
    # arrays someone added to the store (brainbatch keeps them) may not fit its dims: read without them
    prefix = f"{group}/" if group else ""
    ours = {path[len(prefix):] for path in our_arrays(store.spec) if path.startswith(prefix)}
    try:
        node = store._root[group] if group else store._root
        theirs = sorted(name for name, _ in node.arrays() if name not in ours)
    except Exception:  # noqa: BLE001 - the group itself does not read: damaged, as below
        theirs = []
    if theirs:
        try:
            ds = _open_without(target, group, theirs, guard)
        except Exception:  # noqa: BLE001 - not (only) their arrays: damaged, as below
            pass
        else:
            warnings.warn(f"{target!r}: left out the array(s) {theirs}{' of ' + group if group else ''}, which "
                          f"brainbatch did not write and whose dims do not fit its data (read them with zarr)",
                          ForeignArraysWarning, stacklevel=3)
            return ds
    busy = store.leases.changing_metadata()
    if busy is not None:  # a coordinator changing its arrays now (a forced rebuild deletes and makes them anew)
        raise StoreError(f"{target!r} is being changed by another process ({busy.owner}) right now, and xarray cannot "
                         f"open {'its ' + group + ' group' if group else 'it'} until that is done "
                         f"({type(first).__name__}: {str(first).splitlines()[0][:200] if str(first) else ''}); open it "
                         "again in a moment")
    raise StoreDamagedError(
        f"{target!r} is damaged: xarray cannot open {'its ' + group + ' group' if group else 'it'} "
        f"({type(first).__name__}: {str(first).splitlines()[0][:200] if str(first) else ''}). "
        "`brainbatch status --verify` lists what is affected; running the sweep again repairs the metadata "
        "and redoes damaged runs") from None


def _growing_lengths(spec: StoreSpec) -> dict[str, int]:
    """``{dim: the spec's length}`` of the dims an extension grows: the run dims and the records' time dims."""
    out = dict(zip(spec.run_dims, spec.run_shape))
    out.update({L.time_dim(v.every, v.first): L.n_samples(spec.n_steps, v.every, v.first) for v in spec.records})
    return out


def _open_growing(target: str, group: str | None, store: ResultStore, guard: _Guarded | None = None) -> xr.Dataset | None:
    """The group of a store that an extension is growing right now (more seeds, values, samples or steps), or whose
    extension was cut off before it wrote its spec, as the spec's store; None where that is not what keeps xarray
    from opening it.

    The extension resizes the per-run arrays first and grows the coordinates after them, each in place (their
    labels for the spec's runs and steps never change): in between, a coordinate is shorter than the arrays over
    its dim, and xarray refused the whole store ("conflicting sizes"), which every brainbatch reader called
    damage. So the coordinates over a growing dim are left out, every growing dim is cut to the spec's length (the
    arrays' leading block: docs/store.md, "Locks and leases"), and each coordinate is put back from its own stored
    leading block; ``open_results`` then checks those labels against the spec as for any store."""
    spec = store.spec
    lengths = _growing_lengths(spec)
    try:
        node = store._root[group] if group else store._root
        arrays = dict(node.arrays())
    except Exception:  # noqa: BLE001 - the group does not read: damaged, as the caller says
        return None
    coords = {}
    for name, arr in arrays.items():
        dims = tuple(arr.metadata.dimension_names or ())
        if name in lengths or (name in _coordinate_names(node) and set(dims) & set(lengths)):
            coords[name] = (arr, dims)
    def grown(arr: Any) -> bool:
        dims = tuple(arr.metadata.dimension_names or ())
        return len(dims) == len(arr.shape) and any(d in lengths and arr.shape[k] != lengths[d]
                                                   for k, d in enumerate(dims))

    if not coords or not any(grown(arr) for arr in arrays.values()):
        return None
    try:
        ds = xr.open_zarr(target if guard is None else guard, group=group, consolidated=False, zarr_format=3,
                          drop_variables=list(coords))
    except Exception:  # noqa: BLE001 - something else is wrong: damaged, as the caller says
        return None
    if any(ds.sizes.get(d, n) < n for d, n in lengths.items()):
        return None  # shorter than the spec: no extension, arrays cut away outside brainbatch
    ds = ds.isel({d: slice(0, n) for d, n in lengths.items() if d in ds.dims})
    put = {}
    for name, (arr, dims) in coords.items():
        if not dims or any(d not in ds.dims for d in dims):
            continue  # over a dim no variable of this group has: not one of the dataset's coordinates
        cut = tuple(slice(0, ds.sizes[d]) for d in dims)
        try:
            values = np.asarray(arr[cut])
        except Exception:  # noqa: BLE001 - unreadable: left out, open_results puts the spec's labels there
            continue
        if values.shape == tuple(ds.sizes[d] for d in dims):
            put[name] = (dims, values, dict(arr.attrs))
    return ds.assign_coords(put)


def _coordinate_names(node: Any) -> set[str]:
    """The names a group's CF ``coordinates`` attribute lists (its non-dimension coordinates)."""
    try:
        text = node.attrs.get("coordinates", "")
    except Exception:  # noqa: BLE001 - unreadable attributes: none
        return set()
    return set(text.split()) if isinstance(text, str) else set()


def _open_without(target: str, group: str | None, theirs: list[str], guard: _Guarded | None = None) -> xr.Dataset:
    """The store opened as if ``theirs`` (arrays of ``group`` someone else added) were not there. xarray's
    ``drop_variables`` reads every array's dims before it drops any, so an array of no ``dimension_names``
    (made with plain zarr) failed the whole store; a local store hides them from the listing instead."""
    if not os.path.isdir(target):
        return xr.open_zarr(target, group=group, consolidated=False, zarr_format=3, drop_variables=theirs)
    prefix = f"{group}/" if group else ""
    view = guard if guard is not None else _Guarded(LocalStore(target, read_only=True))
    return xr.open_zarr(view.hiding({prefix + name for name in theirs}), group=group, consolidated=False, zarr_format=3)


class _Guarded(WrapperStore):
    """A read-only view of a local store for the lazy dataset ``open_results`` gives, which checks, whenever a chunk
    is read, that the store is still the one the dataset was opened on.

    ``done`` is read when the store is opened, its data when they are used: a ``--force`` rebuild by another process
    in between (or the store removed and written anew) left the dataset reading the new, empty chunks under the old
    mask, and a done run's spikes read as silence. So every chunk read stats the root ``zarr.json`` (one ``stat``;
    it is parsed again only when it changed) and refuses to go on (``StoreRebuiltError``) where the store's
    ``store_id`` or ``generation`` is another, or a change of its layout is under way; and a chunk missing from a
    run that was done when the store was opened is damage (``StoreDamagedError``), never fill values read as data.
    ``hidden``: nodes left out of every listing (arrays someone added whose dims do not fit, ``_open_without``).
    Copies zarr makes of the view (``with_read_only``) share its state (``done`` is set after the dataset opens)."""

    def __init__(self, store: LocalStore, folder: str = "", state: dict | None = None,
                 hidden: frozenset = frozenset()) -> None:
        super().__init__(store)
        self._folder, self._hidden = folder, hidden
        self._state: dict[str, Any] = state if state is not None else {"identity": (), "seen": None, "done": None,
                                                                        "per_run": frozenset()}

    @classmethod
    def of(cls, folder: str, store: ResultStore) -> _Guarded:
        """The view of ``store`` (opened on the local ``folder``): its identity as its root says now."""
        seen = _root_signature(folder)  # before the identity is read: a change in between is seen at the first chunk
        return cls(LocalStore(folder, read_only=True), folder, {
            "identity": _identity(_root_attrs(folder)), "seen": seen, "done": None,
            "per_run": frozenset(path for path, _ in data_arrays(store.spec))})

    def set_done(self, done: np.ndarray) -> None:
        """The runs done when the dataset was opened, in the store's own order: a chunk of theirs missing is damage."""
        self._state["done"] = done

    def _with_store(self, store: Any) -> _Guarded:
        return type(self)(store, self._folder, self._state, self._hidden)

    def hiding(self, hidden: set[str]) -> _Guarded:
        return type(self)(self._store, self._folder, self._state, frozenset(hidden))

    async def list_dir(self, prefix: str) -> Any:
        base = prefix.strip("/")
        async for key in self._store.list_dir(prefix):
            if (f"{base}/{key}" if base else key).rstrip("/") not in self._hidden:
                yield key

    async def get(self, key: str, prototype: Any, byte_range: Any = None) -> Any:
        value = await self._store.get(key, prototype, byte_range)
        if not key.endswith("zarr.json"):
            self._check(key, value is None)
        return value

    async def get_partial_values(self, prototype: Any, key_ranges: Any) -> Any:
        key_ranges = list(key_ranges)
        values = await self._store.get_partial_values(prototype, key_ranges)
        for (key, _), value in zip(key_ranges, values):
            if not key.endswith("zarr.json"):
                self._check(key, value is None)
        return values

    def _check(self, key: str, missing: bool) -> None:
        """After a chunk was read: the store is still the one opened (read the chunk first, then check: a rebuild
        changes the root before it touches an array), and a done run's chunk is there."""
        if not self._folder:
            return
        state = self._state
        now = _root_signature(self._folder)
        if now != state["seen"]:
            attrs = _root_attrs(self._folder) if now is not None else None
            if attrs is None or _identity(attrs) != state["identity"]:
                raise StoreRebuiltError(
                    f"{self._folder!r} was rebuilt or removed (a sweep with --force, or the store written anew) after "
                    "this dataset was opened: its chunks are no longer the runs it reads as done; open it again with "
                    "open_results")
            if L.LAYOUT_CHANGE in attrs:
                raise StoreRebuiltError(
                    f"{self._folder!r} is being changed by another sweep (a --force rebuild or a longer duration) "
                    "since this dataset was opened: its chunks may no longer be the runs it reads as done; open it "
                    "again with open_results when that sweep has finished")
            state["seen"] = now
        done = state["done"]
        if missing and done is not None:
            name, _, where = key.rpartition("/c/")
            if name in state["per_run"]:
                try:
                    run = tuple(int(i) for i in where.split("/")[: done.ndim])
                    was_done = len(run) == done.ndim and bool(done[run])
                except (ValueError, IndexError):
                    was_done = False
                if was_done:
                    raise StoreDamagedError(
                        f"{self._folder!r} is damaged: chunk {key!r} of a run that was done when this dataset was "
                        "opened is missing now (deleted since), so it would read as fill values; `brainbatch status "
                        "--verify` lists the runs affected, and running the sweep again redoes them")


def _root_signature(folder: str) -> tuple[int, int, int] | None:
    """What tells the root ``zarr.json`` changed, without reading it: inode, size and modification time."""
    try:
        st = os.stat(os.path.join(folder, "zarr.json"))
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _root_attrs(folder: str) -> dict | None:
    try:
        return read_root_attrs(folder)
    except StoreError:  # removed, or half written: not the store opened
        return None


def _identity(attrs: dict | None) -> tuple:
    """A store's identity: its ``store_id`` (new with every rebuild) and ``generation`` (new whenever its runs reset)."""
    attrs = attrs if isinstance(attrs, dict) else {}
    return (attrs.get(L.STORE_ID), attrs.get("generation"))


def _check_layout(store: ResultStore, target: str, states: bool) -> None:
    """Refuse arrays whose ``zarr.json`` names other dims than the spec (xarray would label by them), or holds
    another shape or type per run (a change of the layout cut off), in one line each."""
    names = [v.name for v in store.spec.records] + [L.STATUS, L.ERROR]
    names += [post for _, post in store.spec.synapse_coords().values()]
    names += [f"{L.STATES_GROUP}/{v.name}" for v in store.spec.states] if states else []
    checksums = L.has_checksums(store._root)
    for name in names:
        try:
            arr = store._root[name]
        except Exception:  # noqa: BLE001 - unreadable or missing: the checks below say so
            continue
        problem = L.dims_problem(store.spec, name, arr.metadata.dimension_names)
        if problem:
            raise StoreDamagedError(f"{target!r} is damaged: {problem}. `brainbatch status --verify` lists the runs "
                                    "affected; running the sweep again repairs the metadata (the data are kept)")
        problem = L.layout_problem(store.spec, name, tuple(arr.shape), arr.dtype)
        if problem:
            busy = store.leases.changing_metadata()
            if busy is not None:  # a live coordinator is changing it now: no damage, and no sweep to run
                raise StoreError(f"{target!r} is being changed by another process ({busy.owner}) right now: {problem} "
                                 "until that change of its layout (a --force rebuild or a longer duration) is done; "
                                 "open it again when it is")
            raise StoreDamagedError(f"{target!r} is damaged: {problem}; a change of its layout (a --force rebuild or "
                                    "a longer duration) was cut off before it finished. Running the sweep command "
                                    "again finishes or undoes it")
        problem = L.array_codecs_problem(store.spec, name, arr, checksums)
        if problem:
            raise StoreDamagedError(f"{target!r} is damaged: {problem} (its zarr.json was edited), so its chunks "
                                    "would read as other numbers. Running the sweep again rewrites the header from "
                                    "the spec (the data are kept)")


def _require(ds: xr.Dataset, names: list[str], target: str) -> None:
    missing = [n for n in names if n not in ds]
    if missing:
        raise StoreDamagedError(
            f"{target!r} is damaged: its array(s) {missing} are missing. `brainbatch status --verify` lists the "
            "runs affected; running the sweep again rebuilds the arrays and redoes those runs")


def _spec_labels(ds: xr.Dataset, labels: dict[str, np.ndarray], prefix: str, damaged: list[str]) -> xr.Dataset:
    """``ds`` with every coordinate of the group ``prefix`` that does not hold its spec's labels (a chunk
    deleted or changed) set to them, and its path added to ``damaged``: the spec decides the labels."""
    fix = {}
    for path, want in labels.items():
        name = path[len(prefix):]
        if not path.startswith(prefix) or "/" in name:
            continue
        if name in ds.coords:
            if not same_labels(ds[name].values, want):
                fix[name] = (ds[name].dims, want)
        elif name in ds.dims and ds.sizes[name] == len(want):  # the coordinate array itself is gone
            fix[name] = ((name,), want)
    damaged += [f"{prefix}{name}" for name in fix]
    return ds.assign_coords(fix) if fix else ds


def _spec_attrs(ds: xr.Dataset, store: ResultStore, attrs: dict[str, dict[str, Any]], prefix: str,
                damaged: list[str]) -> xr.Dataset:
    """``ds`` with the spec's attributes on every coordinate of the group ``prefix`` whose stored attributes make
    readers take its values otherwise (a time axis's ``units`` edited from ms, a swept parameter's, a CF decoding key: what
    ``verify_coordinates`` reports), its path added to ``damaged``; and on those ``_spec_labels`` relabelled
    (which lost theirs)."""
    fix = {}
    for path, want in attrs.items():
        name = path[len(prefix):]
        if not path.startswith(prefix) or "/" in name or name not in ds.coords:
            continue
        try:
            stored = dict(store._root[path].attrs)
        except Exception:  # noqa: BLE001 - unreadable metadata: its labels are the spec's already (_spec_labels)
            stored = {}
        why = coordinate_attrs_problem(path, stored, want)
        if why:
            damaged.append(path)
        if why or not ds[name].attrs:
            fix[name] = xr.Variable(ds[name].dims, ds[name].values, attrs=dict(want))
    return ds.assign_coords(fix) if fix else ds


def _plain_strings(ds: xr.Dataset) -> xr.Dataset:
    # zarr gives numpy StringDType for string coordinates; '<U' works with every xarray/pandas version
    fix = {k: np.array(ds[k].values.tolist(), dtype=str) for k in ds.coords if ds[k].dtype.kind == "T"}
    return ds.assign_coords(fix) if fix else ds


def _decode_runs(ds: xr.Dataset, store: ResultStore) -> xr.Dataset:
    """Replace the raw status codes and error bytes by names and text, and add ``done``."""
    ds = _plain_strings(ds)
    run_dims = store.spec.run_dims
    status = store.status().astype(object)
    errors = np.full(status.shape, "", dtype=object)
    for idx in zip(*np.nonzero(status == "failed")):  # read error rows of failed runs only
        errors[idx] = store.error(tuple(int(i) for i in idx))
    # a run marked done whose chunks are not all there (a listing, no chunk read) would read fill values as
    # data (a missing raster chunk as silence): it reads as damaged, not done, as the next sweep redoes it
    damaged = {idx: why for idx, why in store.verify(full=False, status=status).items() if status[idx] == "done"}
    for idx, why in damaged.items():
        status[idx], errors[idx] = DAMAGED, f"damaged: {why}"
    if damaged:
        warnings.warn(f"{len(damaged)} run(s) marked done have damaged data and read as not done (status "
                      f"'{DAMAGED}', their error says why): running the sweep again redoes them; `brainbatch status` "
                      "lists them", StoreDamagedWarning, stacklevel=3)
    status = status.astype(str)
    ds = ds.drop_vars([L.ERROR])
    ds["status"] = xr.DataArray(status, dims=run_dims, attrs={"description": "run status",
                                                               "values": [*L.STATUS_CODES, DAMAGED]})
    ds["done"] = xr.DataArray(status == "done", dims=run_dims, attrs={"description": "run finished and all its data written"})
    ds["error"] = xr.DataArray(errors.astype(str), dims=run_dims, attrs={"description": "error text of failed runs"})
    return ds


def _sorted(ds: xr.Dataset) -> xr.Dataset:
    """Seeds and numeric grid values in ascending order (only the unsorted ones are reordered: a lazy
    take). Text values are categories: they keep the order the sweeps gave them."""
    dims = [d for d in ds.indexes if d in ds["done"].dims and ds[d].dtype.kind in "iuf"
            and not ds.indexes[d].is_monotonic_increasing]
    return ds.sortby(dims) if dims else ds


def _mask_padding(ds: xr.Dataset, spec: StoreSpec) -> xr.Dataset:
    """NaN for the entries of a smaller run beyond its own size along each partly filled dim."""
    return mask_padding(ds, spec.extent_names())


def _mask(ds: xr.Dataset, done: xr.DataArray) -> xr.Dataset:
    """NaN for float and complex data of runs that are not done (ints and bools have no NaN: see ``done``)."""
    if bool(done.all()):
        return ds
    for name in list(ds.data_vars):
        da = ds[name]
        if da.dtype.kind in "fc" and set(done.dims) <= set(da.dims):
            ds[name] = da.where(done).transpose(*da.dims).assign_attrs(da.attrs)
    return ds
