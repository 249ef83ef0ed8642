"""numpy/xarray helper of the experiments' ``analyse``: one number per swept value.

Not an experiment (the leading underscore keeps it out of the experiment list).
"""
import numpy as np


def per_cell(da):
    """``{label: mean over seeds}`` of a per-run statistic for each combination of the axes with more than one
    value (a sampled design: each sample, labelled by its parameters), ``{"": mean}`` when nothing is swept.

    >>> import xarray as xr
    >>> per_cell(xr.DataArray([[1.0, 3.0], [2.0, 4.0]], dims=("seed", "we"), coords={"we": [0.5, 0.6]}))
    {'we=0.5': 1.5, 'we=0.6': 3.5}
    """
    swept = [d for d in da.dims if d != "seed" and da.sizes[d] > 1]
    da = da.mean([d for d in da.dims if d not in swept])
    cells = [da.isel(dict(zip(swept, idx))) for idx in np.ndindex(*(da.sizes[d] for d in swept))]
    labels = [_label(cell, swept, "g") for cell in cells]
    if len(set(labels)) < len(labels):  # values alike to 6 digits (a fine sampled design): all 15 of them
        labels = [_label(cell, swept, ".15g") for cell in cells]
    return {label: float(cell) for label, cell in zip(labels, cells)}


def _label(cell, swept, digits):
    """``"we=0.5, wi=6"``: each swept axis' value; for ``sample``, the sampled parameters' values. A store's
    other coordinates over the parameter dims are left out (``E_neuron_count``, the neurons of each run where a
    size is swept), and lazy (dask) coordinates are read."""
    parts = []
    for d in swept:
        names = ([str(c) for c in cell.coords if c not in cell.indexes and cell[c].dims == () and c not in swept
                  and not str(c).endswith("_count")] if d == "sample" else [d])
        parts += [f"{c}={_text(np.asarray(cell[c].values).item(), digits)}" for c in names] or [
            f"{d}={_text(np.asarray(cell[d].values).item(), digits)}"]
    return ", ".join(parts)


def _text(value, digits="g"):
    return format(value, digits) if isinstance(value, float) else str(value)
