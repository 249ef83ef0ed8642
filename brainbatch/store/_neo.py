"""``ds.bb.to_neo()``: the runs of a results Dataset as a ``neo.Block``, for neo / elephant users
(brainbatch/store/README.md, "To neo and elephant"). neo and quantities are an optional extra
(``pip install -e '.[neo]'`` in a brainbatch clone), imported here only.

One ``Segment`` per done run, annotated with its coordinates (seed, swept and sampled values, neuron
counts); in it a ``SpikeTrain`` per real neuron of each spike variable (times in ms, ``t_start`` and
``t_stop`` the run's recorded span) and an ``AnalogSignal`` per numeric record with its units. Padded
neurons of a smaller run (``<dim>_count``) are left out; runs that are not done too.
"""
from __future__ import annotations

import re

from typing import Any

import numpy as np
import xarray as xr

from ._errors import StoreError, did_you_mean
from ._selection import check_selection

EXTRA = "pip install -e '.[neo]' in a brainbatch clone, or pip install neo quantities elephant"


def _import_neo() -> tuple[Any, Any]:
    try:
        import neo
        import quantities as pq
    except ImportError as err:
        raise StoreError(f"ds.bb.to_neo() needs neo and quantities, which are not installed ({err.name}): "
                         f"{EXTRA}") from None
    return neo, pq


def to_neo(accessor: Any, spikes: Any = None, signals: Any = None, **sel: Any) -> Any:
    """The selected runs as a ``neo.Block`` (module docstring); ``spikes`` / ``signals``: names (default all)."""
    neo, pq = _import_neo()
    ds: xr.Dataset = accessor._ds
    check_selection(ds, sel, "to_neo")  # a value the store lacks: the values it has, not xarray's KeyError
    ds = ds.sel(**sel) if sel else ds
    spike_names = _names(spikes, accessor.spike_vars, "spike variable", ds)
    signal_names = _names(signals, _signal_vars(ds, accessor.spike_vars), "numeric record", ds)
    done = ds["done"].compute() if "done" in ds else xr.DataArray(True)
    # the runs' coordinates (seed, values, neuron counts) are read once, not once per run
    ds = ds.assign_coords({n: c.compute() for n, c in ds.coords.items() if set(c.dims) <= set(done.dims)})
    block = neo.Block(name=str(ds.attrs.get("experiment", "brainbatch")), **_block_annotations(ds))
    skipped = 0
    for where in np.ndindex(*done.shape):
        at = dict(zip(done.dims, where))
        if not bool(done[at]):
            skipped += 1
            continue
        run = ds.isel(at)
        segment = neo.Segment(name=_run_name(run, done.dims), **_run_annotations(run))
        for name in spike_names:
            segment.spiketrains.extend(_spiketrains(neo, pq, accessor, run, name))
        for name in signal_names:
            segment.analogsignals.append(_signal(neo, pq, accessor, run, name))
        block.segments.append(segment)
    if not block.segments:
        raise StoreError(f"to_neo: the selection holds no done run ({skipped} not done); select done runs "
                         "(ds['done']) or finish the sweep")
    block.annotate(runs_not_done_left_out=skipped)
    return block


def _names(given: Any, known: list[str], what: str, ds: xr.Dataset) -> list[str]:
    if given is None:
        return list(known)
    names = [given] if isinstance(given, str) else list(given)
    for name in names:
        if name not in known:
            # a close match among the right kind only: among every variable, 'V' given as spikes suggested 'V'
            raise StoreError(f"to_neo: {name!r} is no {what} of the dataset; {what}s: {known}."
                             + did_you_mean(str(name), [str(v) for v in known]))
    return names


def _signal_vars(ds: xr.Dataset, spike_vars: list[str]) -> list[str]:
    """Records over time that are neither spike rasters nor flags: float and integer values as stored."""
    stored = {r.get("name"): r.get("dtype") for r in (ds.attrs.get("spec") or {}).get("records", [])
              if isinstance(r, dict)}
    out = []
    for name, da in ds.data_vars.items():
        if name in spike_vars or _time_dim(da) is None:
            continue
        kind = np.dtype(stored.get(name) or da.dtype).kind  # padding turns a bool record into floats
        if kind in "fiu":
            out.append(str(name))
    return out


def _time_dim(da: xr.DataArray) -> str | None:
    dims = [str(d) for d in da.dims if str(d).startswith("time")]
    return dims[0] if len(dims) == 1 else None


def _block_annotations(ds: xr.Dataset) -> dict:
    keys = ("experiment", "source_hash", "dt", "t0", "n_steps")
    out = {k: ds.attrs[k] for k in keys if isinstance(ds.attrs.get(k), (str, int, float))}
    units = (ds.attrs.get("spec") or {}).get("attrs", {}).get("param_units")
    if isinstance(units, dict):
        out["param_units"] = {str(k): str(v) for k, v in units.items()}
    return out


def _run_coords(run: xr.Dataset) -> dict[str, Any]:
    """The run's scalar coordinates (seed, swept and sampled values, neuron counts) as plain Python values."""
    out = {}
    for name, coord in run.coords.items():
        if coord.ndim == 0 and not str(name).startswith("time"):
            value = coord.values.item()
            out[str(name)] = value.decode() if isinstance(value, bytes) else value
    return out


def _run_annotations(run: xr.Dataset) -> dict[str, Any]:
    return {k: v for k, v in _run_coords(run).items() if isinstance(v, (str, int, float, bool))}


def _run_name(run: xr.Dataset, run_dims: tuple) -> str:
    coords = _run_coords(run)
    return ", ".join(f"{d}={coords[str(d)]!r}" for d in run_dims if str(d) in coords) or "run"


def _real(run: xr.Dataset, da: xr.DataArray, dims: list[str]) -> xr.DataArray:
    """``da`` without the padded entries of a smaller run along each dim with a ``<dim>_count``."""
    cut = {}
    for d in dims:
        count = f"{d}_count"
        if count in run.coords and run[count].ndim == 0:
            cut[d] = slice(0, int(run[count].values))
    return da.isel(cut) if cut else da


def _times(accessor: Any, da: xr.DataArray, tdim: str) -> tuple[np.ndarray, float, float, float]:
    """Sample times (ms), the sampling interval and the span ``[t_start, t_stop)`` they cover."""
    sample_ms = accessor._sample_ms(da, tdim)
    times = np.asarray(da[tdim].values, dtype=np.float64) if tdim in da.coords else \
        float(accessor._ds.attrs.get("t0", 0.0)) + np.arange(da.sizes[tdim]) * sample_ms
    if len(times) == 0:
        raise StoreError(f"to_neo: {da.name!r} has no samples in the selection")
    t_stop = float(times[-1]) + sample_ms
    attrs = accessor._ds.attrs
    if "n_steps" in attrs and "dt" in attrs:  # a strided record's last sample + n dt passed the run's end
        t_stop = min(t_stop, float(attrs.get("t0", 0.0)) + int(attrs["n_steps"]) * float(attrs["dt"]))
    return times, sample_ms, float(times[0]), t_stop


def _over_time(run: xr.Dataset, name: str, what: str) -> tuple[xr.DataArray, str, list[str]]:
    """``run[name]`` over its real neurons, time first; its time dim and other dims."""
    da = run[name]
    tdim = _time_dim(da)
    if tdim is None:
        raise StoreError(f"to_neo: {name!r} has dims {list(da.dims)}; {what} needs exactly one time dim")
    dims = [str(d) for d in da.dims if d != tdim]
    return _real(run, da, dims).transpose(tdim, *dims), tdim, dims


def _spiketrains(neo: Any, pq: Any, accessor: Any, run: xr.Dataset, name: str) -> list:
    da, tdim, neuron_dims = _over_time(run, name, "a spike variable")
    times, sample_ms, t_start, t_stop = _times(accessor, da, tdim)
    values = np.nan_to_num(np.asarray(da.values, dtype=np.float64)).reshape(len(times), -1) > 0
    labels = _labels(da, neuron_dims)
    trains = []
    for k, label in enumerate(labels):
        # the spike times' resolution (neo's default sampling rate is 1 Hz): elephant bins and tests on it
        trains.append(neo.SpikeTrain(times[values[:, k]] * pq.ms, t_start=t_start * pq.ms, t_stop=t_stop * pq.ms,
                                     sampling_rate=(1.0 / sample_ms) / pq.ms, name=f"{name}[{label}]",
                                     population=name, neuron=label))
    return trains


def _labels(da: xr.DataArray, dims: list[str]) -> list:
    """Each entry's label: the neuron dim's coordinate (the group's indices), flattened row by row."""
    if not dims:
        return [0]
    axes = [np.asarray(da[d].values) if d in da.coords else np.arange(da.sizes[d]) for d in dims]
    if len(axes) == 1:
        return [v.item() for v in axes[0]]
    return [", ".join(str(a[i].item()) for a, i in zip(axes, idx)) for idx in np.ndindex(*(len(a) for a in axes))]


# a unit as brainbatch writes it (mV, 1 / ms^0.5, nS * mV): names, * and /, and small powers. The text is a store's
# attribute, which anyone may have written: quantities evaluates it as arithmetic, and a power such as 9**9**9
# never finished, so anything else is kept as text, unread
_FACTOR = r"([A-Za-z_]\w*|1)(\s*(\^|\*\*)\s*-?\d{1,2}(\.\d{1,2})?)?"
_UNIT_TEXT = re.compile(rf"^\s*{_FACTOR}(\s*[*/]\s*{_FACTOR})*\s*$")


def _units(pq: Any, text: str) -> tuple[Any, str | None]:
    """quantities units of a store's unit text; dimensionless (and the text kept) where it cannot read it."""
    if text in ("", "1"):
        return pq.dimensionless, None
    if len(text) > 80 or not _UNIT_TEXT.match(text):
        return pq.dimensionless, text
    try:
        return pq.Quantity(1.0, text.replace("^", "**")).units, None
    except (LookupError, ValueError, SyntaxError, TypeError, AttributeError):
        return pq.dimensionless, text


def _signal(neo: Any, pq: Any, accessor: Any, run: xr.Dataset, name: str) -> Any:
    da, tdim, channel_dims = _over_time(run, name, "a signal")
    times, sample_ms, t_start, _ = _times(accessor, da, tdim)
    units, unread = _units(pq, str(da.attrs.get("units", "")))
    values = np.asarray(da.values).reshape(len(times), -1)
    values = values if values.dtype.kind == "f" else values.astype(np.float64)  # counts of a reduction
    extra = {"units_text": unread} if unread else {}
    return neo.AnalogSignal(values, units=units, sampling_period=sample_ms * pq.ms, t_start=t_start * pq.ms,
                            name=name, array_annotations={"neuron": np.asarray(_labels(da, channel_dims))},
                            description=str(da.attrs.get("description", "")), **extra)
