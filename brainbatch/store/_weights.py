"""Weight analysis for plastic projections (``ds.bb.synapses``, ``ds.bb.weight_histogram``,
``ds.bb.mean_weight``): numpy and xarray only.

A recorded weight variable (``monitors={"w": "EE.w"}``) lies over the projection's ``<proj>_synapse``
dim: synapse ``s`` is slot ``s % K`` of presynaptic neuron ``s // K``, its postsynaptic neuron is
``targets[s // K, s % K]`` and padding slots point at ``n_post`` (docs/plasticity.md). ``targets`` is
part of each run's saved state, so these helpers need ``open_results(path, states=True)``.
"""
from __future__ import annotations

import numpy as np
import xarray as xr

from ._errors import StoreError, did_you_mean

STATES = "states/"


def synapses(ds: xr.Dataset, var: str = "w", projection: str | None = None) -> xr.DataArray:
    """``ds[var]`` with ``pre`` and ``post`` coordinates over its synapse dim, padding slots dropped.

    The coordinates are 1-D when every run has the same graph (e.g. ``AllToAll``), else ``post`` lies over the run
    dims too (each seed draws its own graph) and padding stays in, as NaN weights with a NaN ``post`` (never a
    neuron's label), as do runs that are not done: from the store's own ``post`` coordinate and from the saved
    ``targets`` (``states=True``) alike. A subset (``bb.Monitor("EE.w", index=...)``, dim ``<monitor>_synapse``
    labelled with synapse ids) takes the store's own ``pre``/``post`` labels; opened with ``states=True`` (the labels
    then come from the saved ``targets``) it needs ``projection="EE"``.

    ``.groupby("post").mean()`` is each run's mean in-weight per neuron where ``post`` is 1-D. Where it lies over the
    run dims, xarray groups over all of its dims: one mean per neuron over the synapses of every run pooled (a run of
    more synapses onto it weighs more). Each run's own: ``mean_weight(ds, var)`` (``ds.bb.mean_weight("w")``), or
    group by the run dims too, ``.groupby(["seed", "post"]).mean()`` (every run dim: ``["seed", "we", "post"]``).
    """
    stored = _stored_coords(ds, var)
    if stored is not None and not any(str(n).startswith(STATES) for n in ds.data_vars):
        return stored  # a store written with pre/post coordinates, opened without states
    da, dim, targets, owner = _weights(ds, var, projection)
    k = targets.shape[-1]
    flat = targets.reshape(targets.shape[:-2] + (-1,))
    n_post = ds.sizes[owner + "_post"]  # post_index's dim: one row per postsynaptic neuron
    index = da[dim].values
    pre = index // k
    run_dims = [d for d in ds[_targets_name(ds, owner)].dims[:-2]]
    # padding slots (target n_post) and runs not done (their targets never written: 0) have no neuron: NaN, as the
    # store's own post coordinate reads them (a label n_post made a group for a neuron that does not exist)
    real = xr.DataArray(flat[..., index] < n_post, dims=run_dims + [dim])
    post = xr.DataArray(np.where(real, flat[..., index], np.nan).astype(np.float64), dims=run_dims + [dim])
    return _labelled(ds, da.where(real), dim, pre, post)


def _labelled(ds: xr.Dataset, da: xr.DataArray, dim: str, pre: np.ndarray, post: xr.DataArray) -> xr.DataArray:
    """``da`` with ``pre`` (over ``dim``) and ``post`` (float, NaN where a slot has no neuron: padding, and every slot
    of a run that is not done, whose graph is not the one of a finished run) as coordinates: ``post`` 1-D (int64) and
    the padding dropped when every run has the same graph (each row the same, NaN at the same slots, some finite),
    else over the run dims too."""
    if "done" in ds.variables and set(ds["done"].dims) <= set(post.dims):
        post = post.where(ds["done"].astype(bool)).transpose(*post.dims)
    if "done" in ds.variables and set(ds["done"].dims) <= set(da.dims):
        # a run that is not done holds no result: with plain xr.open_zarr its partial weights read as values, which
        # mean_weight(by="pre") and a groupby("pre") of synapses() averaged in with the done runs'
        da = da.where(ds["done"].astype(bool)).transpose(*da.dims)
    values = np.asarray(post.values, dtype=np.float64)
    rows = values.reshape(-1, values.shape[-1])
    if rows.shape[0] and np.isfinite(rows[0]).any() and all(np.array_equal(rows[0], r, equal_nan=True) for r in rows):
        keep = np.flatnonzero(np.isfinite(rows[0]))
        return da.isel({dim: keep}).assign_coords(pre=(dim, pre[keep]), post=(dim, rows[0][keep].astype(np.int64)))
    return da.assign_coords(pre=(dim, pre), post=(post.dims, values))


def _stored_coords(ds: xr.Dataset, var: str) -> xr.DataArray | None:
    """``ds[var]`` with the store's own ``pre``/``post`` coordinates of its synapse dim (docs/store.md), named
    ``pre`` and ``post``; padding dropped when every run has the same graph. None if the store has none."""
    if var not in ds.data_vars:
        return None
    da = ds[var]
    dim = da.dims[-1]
    found = {}
    for name, coord in da.coords.items():
        text = str(coord.attrs.get("long_name", ""))
        for side in ("pre", "post"):
            if text == f"{side}synaptic neuron of each synapse of {dim}":
                found[side] = name
    if set(found) != {"pre", "post"}:
        return None
    da = da.rename({found[side]: side for side in found if found[side] != side})
    pre = np.asarray(da["pre"].values)  # loaded: xarray groups by numpy labels only
    post = xr.DataArray(np.asarray(da["post"].values, dtype=np.float64), dims=da["post"].dims)
    return _labelled(ds, da, dim, pre, post)


#: The most bins weight_histogram makes (a count per run, time and bin is held in memory).
MAX_BINS = 100_000


def weight_histogram(ds: xr.DataArray | xr.Dataset, var: str = "w", bins: int = 20,
                     range: tuple[float, float] | None = None, projection: str | None = None) -> xr.DataArray:
    """Counts of weights per bin, for every run and recorded time: dims ``(..., time, "bin")`` with the
    bin centres as coordinate (padding excluded). ``range`` defaults to ``(0, largest weight)`` of the done runs.
    Runs that are not done are NaN (the counts are then floats), not a histogram of zeros."""
    da = synapses(ds, var, projection) if isinstance(ds, xr.Dataset) else ds
    dim = [d for d in da.dims if str(d).endswith("synapse")][-1]
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or not 1 <= bins <= MAX_BINS:
        raise StoreError(f"bins must be a whole number of bins from 1 to {MAX_BINS}, got {bins!r}")
    if range is not None:
        try:
            lo, hi = (float(x) for x in range)
        except (TypeError, ValueError):
            raise StoreError(f"range must be (low, high), two numbers, got {range!r}") from None
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            raise StoreError(f"range must be (low, high) with finite low < high, got {range!r}")
    values = np.asarray(da.values, dtype=np.float64)
    if range is None:
        top = float(np.nanmax(values)) if np.isfinite(values).any() else 1.0
        lo, hi = 0.0, top if top > 0 else 1.0  # every weight 0 (or none): one unit wide, not an empty range
    edges = np.linspace(lo, hi, bins + 1)
    moved = np.moveaxis(values, da.dims.index(dim), -1)
    flat = moved.reshape(-1, moved.shape[-1])
    counts = np.stack([np.histogram(row[np.isfinite(row)], bins=edges)[0] for row in flat])
    other = [d for d in da.dims if d != dim]
    counts = counts.reshape(moved.shape[:-1] + (bins,))
    coords = {d: da[d] for d in other if d in da.coords}
    out = xr.DataArray(counts, dims=other + ["bin"], coords={**coords, "bin": (edges[:-1] + edges[1:]) / 2},
                       name=f"{da.name}_histogram", attrs={"long_name": f"histogram of {da.name}", "edges": edges.tolist()})
    done = ds["done"] if isinstance(ds, xr.Dataset) and "done" in ds.variables else None
    if done is not None and set(done.dims) <= set(other) and not bool(done.all()):
        # a run that is not done has no histogram: NaN, as every ds.bb statistic reads it (its weights are NaN, which
        # counted as a histogram of zeros, a projection without synapses); all runs done: counts stay integers
        out = out.where(done.astype(bool)).transpose(*out.dims).assign_attrs(out.attrs)
    return out


def mean_weight(ds: xr.Dataset, var: str = "w", by: str = "post", projection: str | None = None) -> xr.DataArray:
    """Mean weight onto each postsynaptic neuron (``by="post"``: mean in-weight) or out of each
    presynaptic neuron (``by="pre"``), for every run and recorded time."""
    if by not in ("pre", "post"):
        raise StoreError(f"by must be 'pre' (mean out-weight) or 'post' (mean in-weight), got {by!r}")
    da = synapses(ds, var, projection)
    if da[by].ndim == 1:
        return da.groupby(by).mean().rename(f"mean_{by}_{var}")
    dim = [d for d in da.dims if str(d).endswith("synapse")][-1]
    order = [d for d in da.dims if d != dim] + [dim]
    key, val = xr.broadcast(da[by].reset_coords(drop=True), da.reset_coords(drop=True))
    keys = key.transpose(*order).values.reshape(-1, da.sizes[dim])
    vals = val.transpose(*order).values.reshape(-1, da.sizes[dim])
    ok = np.isfinite(vals) & np.isfinite(keys)  # stored post coordinates are NaN on padding
    keys = np.where(ok, keys, 0).astype(np.int64)
    n = int(keys[ok].max()) + 1 if ok.any() else 0
    with np.errstate(invalid="ignore", divide="ignore"):  # no finite weight there (a failed run): NaN, not 0
        out = np.stack([np.bincount(k[m], weights=v[m], minlength=n) / np.bincount(k[m], minlength=n)
                        for k, v, m in zip(keys, vals, ok)]) if len(keys) else np.zeros((0, n))
    other = order[:-1]
    out = out.reshape(tuple(da.sizes[d] for d in other) + (n,))
    return xr.DataArray(out, dims=other + [by], coords={d: da[d] for d in other if d in da.indexes},
                        name=f"mean_{by}_{var}")


def _targets_name(ds: xr.Dataset, owner: str) -> str:
    names = [n for n in ds.data_vars if str(n).startswith(STATES) and str(n).endswith(".targets")
             and str(n)[len(STATES):-len(".targets")].replace(".", "_") == owner]
    if not names:
        raise StoreError(f"the weights of projection {owner!r} need its connectivity (states/<projection>.targets): "
                         "open the store with open_results(path, states=True)")
    return names[0]


def _weights(ds: xr.Dataset, var: str, projection: str | None) -> tuple[xr.DataArray, str, np.ndarray, str]:
    if not isinstance(var, str) or var not in ds.data_vars:  # a list failed as "unhashable"
        weights = [str(n) for n, v in ds.data_vars.items() if any(str(d).endswith("_synapse") for d in v.dims)]
        have = (f"weight variables (over a synapse dim): {weights}" if weights else
                "the dataset records no weights; record a plastic projection's, e.g. monitors={'w': 'EE.w'}")
        hint = did_you_mean(var, weights or list(map(str, ds.data_vars))) if isinstance(var, str) else ""
        raise StoreError(f"no weight variable {var!r}; {have}.{hint}")
    da = ds[var]
    dims = [d for d in da.dims if str(d).endswith("_synapse")]
    if not dims:
        raise StoreError(f"{var!r} has dims {list(da.dims)}: no synapse dim; record a plastic projection's weights, "
                         "e.g. monitors={'w': 'EE.w'}")
    dim = str(dims[-1])
    owner = projection.replace(".", "_") if projection is not None else dim[: -len("_synapse")]
    if projection is None and f"{owner}_post" not in ds.dims:
        raise StoreError(f"{var!r} records a subset of a projection's synapses (dim {dim!r}); name the projection, "
                         "e.g. projection='EE'")
    if projection is not None:
        known = sorted({str(n)[len(STATES):-len(".targets")] for n in ds.data_vars
                        if str(n).startswith(STATES) and str(n).endswith(".targets")})
        if known and owner not in {k.replace(".", "_") for k in known}:
            raise StoreError(f"no projection {projection!r} in the saved states.{did_you_mean(projection, known)} "
                             f"Projections with saved connectivity: {', '.join(known)}")
    targets = np.asarray(ds[_targets_name(ds, owner)].values)
    return da, dim, targets, owner
