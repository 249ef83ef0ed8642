"""A dataset netCDF can hold: ``ds.bb.to_netcdf`` (store/_accessor.py).

netCDF attributes are numbers, text, or flat arrays of numbers (netCDF-3, scipy's writer: not even arrays
of text). A store's root holds dicts and lists of text; they become JSON text, which keeps every value
readable (``json.loads``) instead of dropping it. netCDF has no complex numbers: a complex variable gets a
last dim ``complex`` of its ``real`` and ``imag`` parts.
"""
from __future__ import annotations

import json
import numbers
from typing import Any

import numpy as np
import xarray as xr


def _holds(value: Any) -> bool:
    """Whether netCDF stores ``value`` as it is."""
    if isinstance(value, (str, bytes)):
        return True
    if isinstance(value, (bool, np.bool_)):
        return False  # no bool type in netCDF; JSON keeps it a bool
    if isinstance(value, (numbers.Number, np.number)):
        return True
    if isinstance(value, (list, tuple, np.ndarray)):
        items = list(np.ravel(np.asarray(value, dtype=object)))
        return bool(items) and all(isinstance(v, (numbers.Number, np.number)) and not isinstance(v, (bool, np.bool_))
                                   for v in items)
    return False


def _json(value: Any) -> str:
    return json.dumps(value.tolist() if isinstance(value, np.ndarray) else value, default=str)


def netcdf_attrs(attrs: dict) -> dict:
    """``attrs`` with every value netCDF cannot hold as JSON text.

    >>> netcdf_attrs({"params": {"we": [0.4, 0.6]}, "units": "mV", "every": 2, "flag_values": [0, 1]})
    {'params': '{"we": [0.4, 0.6]}', 'units': 'mV', 'every': 2, 'flag_values': [0, 1]}
    """
    return {key: value if _holds(value) else _json(value) for key, value in attrs.items()}


def netcdf_ready(ds: xr.Dataset) -> xr.Dataset:
    """A shallow copy of ``ds`` that ``to_netcdf`` writes with any engine: attributes as ``netcdf_attrs``,
    fixed-width text variables as Python text (which xarray writes as netCDF characters)."""
    out = ds.copy(deep=False)
    out.attrs = netcdf_attrs(ds.attrs)
    for name, var in ds.variables.items():
        new = var.astype(object) if var.dtype.kind == "U" else var.copy(deep=False)
        new.attrs = netcdf_attrs(var.attrs)
        new.encoding = {k: v for k, v in var.encoding.items() if var.dtype.kind != "c" or k == "chunks"}
        if var.dtype == np.uint8:  # netCDF-3 has signed bytes only: the same bytes as such, read back unsigned (CF)
            new = xr.Variable(var.dims, var.data.view(np.int8), {**new.attrs, "_Unsigned": "true"},
                              {k: v for k, v in new.encoding.items() if k not in ("dtype", "fill_value", "_FillValue")})
        if var.dtype.kind == "c":  # netCDF has no complex type: its parts along a last dim
            new = xr.Variable.concat([new.real, new.imag], dim="complex").transpose(*var.dims, "complex")
            new.attrs = {**netcdf_attrs(var.attrs), "complex": "the real and imag parts along the dim 'complex'"}
            new.encoding = {}
            out = out.assign_coords(complex=["real", "imag"])
        if isinstance(new.attrs.get("flag_values"), list) and new.dtype.kind in "iu":  # CF: of the variable's type
            new.attrs["flag_values"] = np.asarray(new.attrs["flag_values"], new.dtype)
        if name in out.coords:
            out = out.assign_coords({name: new})
        else:
            out[name] = new
    return out
