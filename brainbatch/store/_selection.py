"""The values a selection of runs asks for (``seed=9``, ``we=0.5``) checked against a dataset's, so a value the store
lacks is named with the values it has, where xarray's ``KeyError`` suggests ``method='nearest'`` (another run)."""
from __future__ import annotations

from typing import Any

import numpy as np

from ._errors import StoreError, did_you_mean

__all__ = ["check_selection"]


def check_selection(obj: Any, sel: dict[str, Any], what: str) -> None:
    """Refuse a dim ``obj`` (a Dataset or DataArray) lacks, or a value not among its labels, in one line.

    >>> import xarray as xr
    >>> ds = xr.Dataset(coords={"seed": [0, 1]})
    >>> check_selection(ds, {"seed": 9}, "raster")
    Traceback (most recent call last):
    brainbatch.store._errors.StoreError: raster: seed=9 is not in the store; seed values are [0, 1]
    >>> check_selection(xr.Dataset(coords={"tau": ("tau", [10.0, 20.0], {"units": "ms"})}), {"tau": 15.0}, "raster")
    Traceback (most recent call last):
    brainbatch.store._errors.StoreError: raster: tau=15.0 is not in the store; tau values are [10.0, 20.0] ms
    >>> check_selection(ds, {"seed": np.array(1)}, "raster")  # one value, as xarray reads it
    """
    dims = [str(d) for d in obj.dims]
    for dim, value in sel.items():
        if dim not in dims:
            raise StoreError(f"{what}: cannot select {dim!r}: the data have dims {dims}." + did_you_mean(dim, dims))
        have = obj[dim].values.tolist() if dim in obj.coords else list(range(obj.sizes[dim]))
        if isinstance(value, slice):
            continue
        # a 0-d array (np.array(0)) is one value, as xarray reads it
        wanted = np.ravel(value).tolist() if isinstance(value, (list, tuple, np.ndarray)) else [value]
        missing = [v for v in wanted if v not in have]
        if missing:
            unit = obj[dim].attrs.get("units") if dim in obj.coords else None
            # the labels' unit (a swept quantity), so -p tau=0.015s is seen against taus in ms, not bare numbers
            shown = f"{have} {unit}" if isinstance(unit, str) and unit else f"{have}"
            raise StoreError(f"{what}: {dim}={missing[0]!r} is not in the store; {dim} values are {shown}")
