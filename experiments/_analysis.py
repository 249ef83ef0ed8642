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
    out = {}
    for idx in np.ndindex(*(da.sizes[d] for d in swept)):
        cell = da.isel(dict(zip(swept, idx)))
        out[", ".join(f"{c}={_text(cell[c].item())}" for c in cell.coords if c != "sample")] = float(cell)
    return out


def _text(value):
    return f"{value:g}" if isinstance(value, float) else str(value)
