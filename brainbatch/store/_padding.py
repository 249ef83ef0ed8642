"""The padding of smaller runs (a swept size: entries past a run's ``<dim>_count``) read as NaN.

One rule for ``open_results`` (which names the partly filled dims from the store's spec) and for the ``ds.bb``
accessor on a store opened with plain ``xarray.open_zarr`` (which finds them by their ``<dim>_count``
coordinates): bool and integer variables become float32 / float64 to hold the NaN.
"""
from __future__ import annotations

import numpy as np
import xarray as xr


def mask_padding(ds: xr.Dataset, counts: dict[str, str], kinds: str = "biufc") -> xr.Dataset:
    """``ds`` with NaN for the entries beyond each run's size along each dim of ``counts`` (``{dim: name of its
    count coordinate}``), in the variables whose dtype kind is in ``kinds``."""
    for dim, name in counts.items():
        if name not in ds.coords or dim not in ds.dims:
            continue
        real = ds[dim] < ds[name]
        for var in list(ds.data_vars):
            da = ds[var]
            if dim not in da.dims or da.dtype.kind not in kinds:
                continue
            if da.dtype.kind not in "fc":  # bool/int have no NaN: float32 holds 0/1 exactly, ints need float64
                da = da.astype(np.float32 if da.dtype.kind == "b" else np.float64)
            ds[var] = da.where(real).transpose(*ds[var].dims).assign_attrs(ds[var].attrs)
    return ds
