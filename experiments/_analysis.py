"""numpy/xarray helper of the experiments' ``analyse``: one number per swept value.

Not an experiment (the leading underscore keeps it out of the experiment list).
"""
import numpy as np


def per_cell(da, done=None):
    """``{label: mean over seeds}`` of a per-run statistic for each combination of the axes with more than one
    value (a sampled design: each sample, labelled by its parameters), ``{"": mean}`` when nothing is swept.

    ``done`` (the store's ``ds["done"]``, over the run dims) leaves out the combinations with no finished run (a
    failed or pending cell read as a line of NaN); ``unfinished`` names them.

    >>> import xarray as xr
    >>> per_cell(xr.DataArray([[1.0, 3.0], [2.0, 4.0]], dims=("seed", "we"), coords={"we": [0.5, 0.6]}))
    {'we=0.5': 1.5, 'we=0.6': 3.5}
    """
    return {label: float(cell) for label, cell in cells(da, done)}


def cells(da, done=None):
    """``[(label, cell)]``: ``da`` averaged over the seeds and the axes of one value, one cell per combination of the
    other axes (with a finished run where ``done`` is given; see ``per_cell``)."""
    swept, sampled = _axes(da)
    kept = _finished(da, swept, done)
    da = da.mean([d for d in da.dims if d not in swept])
    out = [da.isel(dict(zip(swept, idx))) for idx in np.ndindex(*(da.sizes[d] for d in swept))]
    out = [cell for cell, keep in zip(out, kept) if keep]
    labels = [_label(cell, swept, sampled, "g") for cell in out]
    if len(set(labels)) < len(labels):  # values alike to 6 digits (a fine sampled design): all 15 of them
        labels = [_label(cell, swept, sampled, ".15g") for cell in out]
    return list(zip(labels, out))


def unfinished(da, done):
    """``{"no finished run": "we=1e+38; ..."}``: the combinations ``per_cell(da, done)`` leaves out, else ``{}``."""
    swept, sampled = _axes(da)
    kept = _finished(da, swept, done)
    left = [_label(da.isel(dict(zip(swept, idx))), swept, sampled, "g") or "all runs"
            for idx, keep in zip(np.ndindex(*(da.sizes[d] for d in swept)), kept) if not keep]
    return {"no finished run": "; ".join(left)} if left else {}


def sampled_parameters(data):
    """A sampled design's parameters in ``data`` (a Dataset or DataArray): coordinates over ``sample`` alone (not a
    record's scalar time left by an isel, nor the store's ``E_neuron_count`` over the parameter dims)."""
    return [str(c) for c in data.coords if c not in data.indexes and data[c].dims == ("sample",)
            and not str(c).endswith("_count")]


def _axes(da):
    """The axes with more than one value, and the sampled parameters."""
    return [d for d in da.dims if d != "seed" and da.sizes[d] > 1], sampled_parameters(da)


def _finished(da, swept, done):
    """Per cell (C order over ``swept``): whether any of its runs finished (all True without ``done``)."""
    n = int(np.prod([da.sizes[d] for d in swept]))
    if done is None:
        return [True] * n
    done = done.any([d for d in done.dims if d not in swept]).transpose(*swept)
    return [bool(v) for v in np.asarray(done.values).ravel()]


def _label(cell, swept, sampled, digits):
    """``"we=0.5, wi=6"``: each swept axis' value; for ``sample``, the sampled parameters' values. Lazy (dask)
    coordinates are read."""
    parts = []
    for d in swept:
        names = sampled if d == "sample" and sampled else [d]
        parts += [f"{c}={_text(np.asarray(cell[c].values).item(), digits)}" for c in names]
    return ", ".join(parts)


def _text(value, digits="g"):
    return format(value, digits) if isinstance(value, float) else str(value)
