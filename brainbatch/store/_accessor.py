"""``ds.bb``: spike-train summaries of a results Dataset (rates, PSTH, raster, CV of ISIs, Fano factor,
synchrony chi, population-rate power spectrum), and for a sampled design the scatter of a per-run
summary against each sampled parameter.

Registered on ``xarray.Dataset`` once ``brainbatch.store`` and xarray are both imported, in either order
(``brainbatch/store/__init__.py`` imports this module then); uses numpy and xarray only (matplotlib is
imported by ``raster`` alone).
"""
from __future__ import annotations

import inspect
import warnings
from typing import Any, Callable

import numpy as np
import xarray as xr

from ..errors import keywords_named
from ._errors import StoreError, did_you_mean
from ._padding import mask_padding
from ._selection import check_selection
from ._spec import SAMPLE_DIM
from ._spike_stats import cv_isi as _cv_isi
from ._checks import check_int
from ._times import in_ms, time_ms
from . import _weights


class BrainbatchAccessor:
    """Spike statistics of the runs in a Dataset from ``open_results``.

    >>> ds = open_results("results/coba/sweep.zarr")    # doctest: +SKIP
    >>> ds.bb.rates(dim="E_neuron")                     # doctest: +SKIP
    """

    def __init__(self, ds: xr.Dataset) -> None:
        self._given = ds
        self._ds = _without_padding(_with_done(ds))

    # ------------------------------------------------------------------ statistics
    def rates(self, var: str | None = None, dim: str | list[str] | None = None, t0: float | None = None,
              t1: float | None = None) -> xr.DataArray:
        """Mean firing rate in Hz of each neuron (spikes / duration), or its mean over ``dim`` (e.g. a population),
        in ``[t0, t1)`` (ms; None: the record's start / end): elephant's ``mean_firing_rate``.

        A record kept every n steps holds the spikes of every n-th step only: its duration is its samples x dt.

        With several spike variables and no ``var``: every population, along a ``population`` dim, its
        neurons along ``neuron`` by their labels, the indices in their group (NaN past a smaller population's size, and
        between the chosen neurons of a record of some, ``("E.spike", [0, 2])``); ``dim`` may name one population's
        neuron dim (that population alone) or ``"neuron"``.
        """
        t0, t1 = _window_ms(t0, t1)
        if var is None and dim is not None and len(self.spike_vars) > 1:
            if dim == "neuron":  # every population, each averaged over its own neurons
                per_neuron = self._per_population(
                    None, lambda da, tdim, nd: self._rates(self._window(da, tdim, t0, t1), tdim, nd, None))
                return per_neuron.mean("neuron").assign_attrs(per_neuron.attrs)
            var = self._population_of(dim if isinstance(dim, str) else dim[0])
        return self._per_population(var, lambda da, tdim, nd: self._rates(self._window(da, tdim, t0, t1), tdim, nd, dim))

    def _rates(self, da: xr.DataArray, tdim: str, neuron_dims: list[str], dim: Any) -> xr.DataArray:
        duration_s = da.sizes[tdim] * self._observed_ms(da, tdim) / 1000.0
        # a padded neuron (NaN) stays NaN, not silent; counted in float64 (padding makes the raster float32)
        rate = da.sum(tdim, skipna=False, dtype=np.float64) / duration_s
        if dim is not None:
            dims = [dim] if isinstance(dim, str) else list(dim)
            for d in dims:
                if d not in neuron_dims:
                    raise StoreError(f"dim {d!r} is not a neuron dim of {da.name!r}; its neuron dims are "
                                     f"{neuron_dims}.{did_you_mean(d, neuron_dims)}")
            rate = rate.mean(dims)
        return self._finish(rate, "rate", f"mean firing rate of {da.name}")

    def psth(self, bin_ms: float, var: str | None = None, t0: float | None = None,
             t1: float | None = None) -> xr.DataArray:
        """Population rate in Hz per time bin of ``bin_ms``, whole bins from ``t0`` in ``[t0, t1)`` (ms; a last partial
        bin left out): elephant's ``time_histogram(trains, bin, output="rate")``; with several spike variables and no
        ``var``, one per population along ``population``. A bin is labelled by its first sample's time: ``t0`` where
        ``t0`` is a sample's time, else the first sample after it (the bins from ``t0`` hold the same samples)."""
        bin_ms, t0, t1 = _bin_and_window(bin_ms, t0, t1)
        return self._per_population(
            var, lambda da, tdim, nd: self._psth(self._window(da, tdim, t0, t1), tdim, nd, bin_ms), same_time=True)

    def _psth(self, da: xr.DataArray, tdim: str, neuron_dims: list[str], bin_ms: float) -> xr.DataArray:
        n_bin = self._bin_samples(da, tdim, bin_ms)
        # real neurons of each run (padding of a smaller run of a swept size is NaN)
        n_neurons = da.isel({tdim: 0}).notnull().sum(neuron_dims) if neuron_dims else 1
        counts = _wide(da).sum(neuron_dims) if neuron_dims else da.astype(int)
        binned = counts.coarsen({tdim: n_bin}, boundary="trim", coord_func="min").sum()
        observed_s = n_bin * self._observed_ms(da, tdim) / 1000.0  # bin_ms, but where the record keeps every n-th step
        return self._finish(binned / (n_neurons * observed_s), "psth", f"population rate of {da.name}")

    def cv_isi(self, var: str | None = None, t0: float | None = None, t1: float | None = None) -> xr.DataArray:
        """Coefficient of variation of each neuron's inter-spike intervals between its spikes in ``[t0, t1)`` (ms)
        (std / mean, ddof=0, as elephant's ``cv(isi(train))``; NaN below 3 spikes, where elephant gives 0 for 2
        spikes); with several spike variables and no ``var``, every population as in ``rates``."""
        t0, t1 = _window_ms(t0, t1)

        def one(da: xr.DataArray, tdim: str, _: list[str]) -> xr.DataArray:
            cv = xr.apply_ufunc(
                _cv_isi, self._window(da, tdim, t0, t1), input_core_dims=[[tdim]], dask="parallelized",
                output_dtypes=[np.float64],
                dask_gufunc_kwargs={"allow_rechunk": True},  # one neuron's whole train is needed at once
            )
            return self._finish(cv, "cv_isi", f"CV of inter-spike intervals of {da.name}", units="1")
        return self._per_population(var, one)

    def raster(self, var: str | None = None, ax: Any = None, **sel: Any) -> Any:
        """Raster plot of ONE run (select it with ``seed=..., <param>=...``); returns the matplotlib Axes.

        With several spike variables and no ``var``, the populations are drawn one above the other.
        """
        names = [self._spikes(var)[0].name] if var is not None or len(self.spike_vars) <= 1 else self.spike_vars
        if ax is not None and not callable(getattr(ax, "scatter", None)):  # else an AttributeError after the reads
            raise StoreError(f"raster: ax must be a matplotlib Axes (or None: a new figure), got {type(ax).__name__} {ax!r}")
        if ax is None:
            import matplotlib.pyplot as plt  # only here: reading stores must not need matplotlib

            _, ax = plt.subplots()
        offset, ticks, spikes, span = 0, [], 0, None
        for k, name in enumerate(names):
            da, tdim, neuron_dims = self._one_run(name, sel)
            values = np.asarray(da.transpose(tdim, *neuron_dims).values).reshape(da.sizes[tdim], -1)
            real = int(np.isfinite(values[0]).sum()) if values.dtype.kind == "f" else values.shape[1]
            t_idx, n_idx = np.nonzero(values > 0)  # NaN (padding) is no spike
            times = np.asarray(da[tdim].values if tdim in da.coords else np.arange(da.sizes[tdim]))
            # ticks about one neuron row tall: readable for 4 neurons and for 4000
            size = float(np.clip(4000.0 / max(real * len(names), 1), 2.0, 80.0))
            ax.scatter(times[t_idx], n_idx + offset, s=size, marker="|", c="k" if len(names) == 1 else f"C{k}",
                       linewidths=0.5 if size < 10 else 1.0, label=name)
            ticks.append((offset + real / 2, name))
            offset += real
            spikes += len(t_idx)
            if len(times):
                span = (float(times[0]), float(times[-1])) if span is None else (min(span[0], float(times[0])),
                                                                                  max(span[1], float(times[-1])))
        # the run's time and neurons, spikes or not: a silent run reads as silent, not as an empty plot
        if span is not None and span[1] > span[0]:
            ax.set_xlim(*span)
        ax.set_ylim(-0.5, max(offset, 1) - 0.5)
        if spikes == 0:
            ax.text(0.5, 0.5, "no spikes", transform=ax.transAxes, ha="center", va="center", color="0.4")
        ax.set_xlabel(f"{tdim} (ms)")
        if len(names) == 1:
            ax.set_ylabel(" x ".join(neuron_dims) or "neuron")
        else:
            ax.set_yticks([t for t, _ in ticks], [n for _, n in ticks])
            ax.set_ylabel("neuron (populations one above the other)")
        run = ", ".join(f"{d}={da[d].values.item()!r}" for d in self._run_dims(da, tdim)
                        if d in da.coords and da[d].size == 1)
        ax.set_title(" + ".join(names) + (f" ({run})" if run else ""))
        return ax

    def _one_run(self, name: str, sel: dict) -> tuple[xr.DataArray, str, list[str]]:
        da, tdim, neuron_dims = self._spikes(name)
        check_selection(da, sel, "raster")
        da = da.sel(**sel)
        run_dims = [d for d in self._run_dims(da, tdim) if d in da.dims]
        many = {d: da.sizes[d] for d in run_dims if da.sizes[d] > 1}
        if many:
            hint = ", ".join(f"{d}={da[d].values[0].item()!r}" if d in da.coords else f"{d}=..." for d in many)
            raise StoreError(f"raster shows one run, but the selection leaves {many} runs along "
                             f"{list(many)}; select one, e.g. raster({hint})")
        self._check_done(sel, "raster")
        return da.squeeze([d for d in run_dims if d in da.dims], drop=False), tdim, neuron_dims

    def _check_done(self, sel: dict, what: str) -> None:
        """Refuse a selected run that is not done: it reads as all False, the raster of a silent run."""
        if "done" not in self._ds:
            return
        pick = {k: v for k, v in sel.items() if k in self._ds["done"].dims}
        if bool(np.all(self._ds["done"].sel(**pick).values)):
            return
        status = self._ds["status"].sel(**pick).values if "status" in self._ds else None
        state = f" (status {np.ravel(status)[0]})" if status is not None and status.dtype.kind in "US" else ""
        run = ", ".join(f"{k}={v!r}" for k, v in sel.items()) or "the run"
        raise StoreError(f"{what}: the run {run} is not done{state}: its spikes would draw as a silent run; select a "
                         "done run (`brainbatch status` lists them)")

    def mean_rate(self, var: str | None = None, t0: float | None = None, t1: float | None = None) -> xr.DataArray:
        """Each run's mean firing rate in Hz over the real neurons of ``var`` in ``[t0, t1)`` (ms): one number per
        run (per population, along ``population``, with several spike variables and no ``var``)."""
        t0, t1 = _window_ms(t0, t1)

        def one(da: xr.DataArray, tdim: str, neuron_dims: list[str]) -> xr.DataArray:
            rate = self._rates(self._window(da, tdim, t0, t1), tdim, neuron_dims, None)
            return (rate.mean(neuron_dims) if neuron_dims else rate).assign_attrs(
                units="Hz", long_name=f"mean firing rate of {da.name}")
        return self._per_population(var, one)

    # ------------------------------------------------------------------ variability and synchrony
    def fano(self, bin_ms: float, var: str | None = None, t0: float | None = None,
             t1: float | None = None) -> xr.DataArray:
        """Fano factor of each neuron's spike counts in bins of ``bin_ms`` in the window ``[t0, t1)`` (ms; None: the
        record's start / end, as for every ``t0``/``t1`` of ``ds.bb``):
        variance / mean over the bins (ddof=0; NaN for a silent or padded neuron, without a warning): elephant's
        ``fanofactor`` of the train's pieces in those bins, taken as trials."""
        bin_ms, t0, t1 = _bin_and_window(bin_ms, t0, t1)
        def one(da: xr.DataArray, tdim: str, neuron_dims: list[str]) -> xr.DataArray:
            counts = self._counts(self._window(da, tdim, t0, t1), tdim, bin_ms)
            # skipna=False: a padded neuron (NaN counts) stays NaN without dask's 0/0 warning of a NaN-skipping mean
            mean, var_ = counts.mean(tdim, skipna=False), counts.var(tdim, skipna=False)
            return self._finish(var_ / mean.where(mean > 0), "fano", f"Fano factor of {da.name} in {bin_ms:g} ms bins",
                                units="1")
        return self._per_population(var, one)

    def synchrony(self, bin_ms: float, var: str | None = None, t0: float | None = None,
                  t1: float | None = None) -> xr.DataArray:
        """Golomb's synchrony chi (Golomb 2007, Scholarpedia 2:1347; 0: independent, 1: in lockstep) of each run,
        on binned spike counts: the variance over bins of the population's mean count, over the mean of each
        neuron's count variance, square-rooted; spikes in ``[t0, t1)`` (ms)."""
        bin_ms, t0, t1 = _bin_and_window(bin_ms, t0, t1)
        def one(da: xr.DataArray, tdim: str, neuron_dims: list[str]) -> xr.DataArray:
            counts = self._counts(self._window(da, tdim, t0, t1), tdim, bin_ms)
            population = counts.mean(neuron_dims).var(tdim)
            single = counts.var(tdim, skipna=False).mean(neuron_dims)  # padded neurons: NaN, left out of the mean
            chi = np.sqrt(population / single.where(single > 0))
            return self._finish(chi, "synchrony", f"synchrony chi of {da.name} in {bin_ms:g} ms bins", units="1")
        return self._per_population(var, one)

    def spectrum(self, bin_ms: float, var: str | None = None, t0: float | None = None,
                 t1: float | None = None) -> xr.DataArray:
        """Power spectral density of the population rate (``psth(bin_ms)``, its mean removed) in ``[t0, t1)`` (ms),
        one-sided, in Hz^2/Hz over ``frequency`` (Hz, 0 to the Nyquist frequency in steps of 1 / window): the
        periodogram ``|rfft|^2 * bin / n``, doubled at every frequency but 0 and the Nyquist frequency, so that its
        sum times the frequency step is the rate's variance. It is ``scipy.signal.periodogram(rate, fs)`` and
        elephant's ``welch_psd(rate, n_segments=1, len_segment=n, window="boxcar", overlap=0)`` (elephant's
        default, Hann windows over 8 half-overlapping segments, smooths and lowers the resolution). The whole
        window is one chunk."""
        bin_ms, t0, t1 = _bin_and_window(bin_ms, t0, t1)
        def one(da: xr.DataArray, tdim: str, neuron_dims: list[str]) -> xr.DataArray:
            rate = self._psth(self._window(da, tdim, t0, t1), tdim, neuron_dims, bin_ms)
            n = rate.sizes[tdim]
            freqs = np.fft.rfftfreq(n, d=bin_ms / 1000.0)

            def power(x: np.ndarray) -> np.ndarray:
                x = x - x.mean(axis=-1, keepdims=True)
                p = np.abs(np.fft.rfft(x, axis=-1)) ** 2 * (bin_ms / 1000.0) / n
                # one-sided: each frequency but 0 and n/2 holds its negative twin's power too (this was missing, so
                # the density was half elephant's and scipy's, and its integral half the variance)
                p[..., 1:(n + 1) // 2] *= 2.0
                return p

            out = xr.apply_ufunc(power, rate, input_core_dims=[[tdim]], output_core_dims=[["frequency"]],
                                 dask="parallelized", output_dtypes=[np.float64],
                                 dask_gufunc_kwargs={"allow_rechunk": True, "output_sizes": {"frequency": len(freqs)}})
            out = out.assign_coords(frequency=freqs)
            out["frequency"].attrs["units"] = "Hz"
            return self._finish(out, "spectrum", f"power spectrum of the population rate of {da.name}",
                                units="Hz^2/Hz")
        return self._per_population(var, one, same_time=True)

    def correlations(self, bin_ms: float, var: str | None = None, pairs: int = 100, seed: int = 0,
                     t0: float | None = None, t1: float | None = None) -> xr.DataArray:
        """Pearson correlation of the spike counts (bins of ``bin_ms``) of ``pairs`` neuron pairs drawn
        with ``seed`` (the same pairs in every run), over ``pair`` with coordinates ``i`` and ``j``; NaN
        for a pair with a silent or padded neuron, and for every pair of a population of one neuron (it has no
        pair). Spikes in ``[t0, t1)`` (ms). As elephant's ``correlation_coefficient`` of a ``BinnedSpikeTrain``
        (counts, ``binary=False``) over the same bins: whole bins from ``t0``, a last partial bin left out."""
        bin_ms, t0, t1 = _bin_and_window(bin_ms, t0, t1)
        pairs, seed = check_int("pairs", pairs, minimum=1), check_int("seed", seed, minimum=0)

        def one(da: xr.DataArray, tdim: str, neuron_dims: list[str]) -> xr.DataArray:
            if len(neuron_dims) != 1:
                raise StoreError(f"correlations need one neuron dim; {da.name!r} has {neuron_dims}")
            (ndim,) = neuron_dims
            n = da.sizes[ndim]
            rng = np.random.default_rng(seed)
            i = rng.integers(0, n, size=pairs)
            j = (i + rng.integers(1, max(n, 2), size=pairs)) % max(n, 1)  # never a neuron with itself
            counts = self._counts(self._window(da, tdim, t0, t1), tdim, bin_ms).astype(np.float64)
            # numpy fancy indexing inside each run's block: a dask isel by an unsorted index array makes a task
            # per pair (pairs=10_000 took 19 s on a 4-run, 20-neuron store; 10**6 ran out of memory)
            r = xr.apply_ufunc(_pair_correlations, counts, kwargs={"i": i, "j": j},
                               input_core_dims=[[tdim, ndim]], output_core_dims=[["pair"]], dask="parallelized",
                               output_dtypes=[np.float64], dask_gufunc_kwargs={"output_sizes": {"pair": pairs},
                                                                               "allow_rechunk": True})
            # one neuron: (i + k) % 1 drew it with itself, whose r read 1 ("never a neuron with itself")
            r = r.where(xr.DataArray(i != j, dims="pair"))
            r = r.drop_vars([c for c in r.coords if c not in r.dims and c not in self._run_dims(da, tdim)],
                            errors="ignore").assign_coords(i=("pair", i), j=("pair", j))
            return self._finish(r, "correlation", f"count correlation of {pairs} pairs of {da.name} in "
                                f"{bin_ms:g} ms bins", units="1")
        return self._per_population(var, one)

    def isi_hist(self, edges_ms: Any, var: str | None = None, t0: float | None = None,
                 t1: float | None = None) -> xr.DataArray:
        """Each run's histogram of inter-spike intervals (all its neurons pooled) over the bins with edges
        ``edges_ms`` (ms): counts over ``isi`` (labelled by each bin's left edge), of the intervals between
        successive spikes in ``[t0, t1)`` (ms: a spike at exactly ``t1`` is not in it)."""
        try:
            edges = np.asarray(in_ms("edges_ms", edges_ms), dtype=np.float64)
        except (TypeError, ValueError):  # None, a dict, texts of no number: named, not numpy's conversion error
            edges = np.empty(0)
        t0, t1 = _window_ms(t0, t1)
        if edges.ndim != 1 or len(edges) < 2 or np.isnan(edges).any() or np.any(np.diff(edges) <= 0):
            raise StoreError(f"edges_ms must be increasing bin edges (ms), at least two, got {edges_ms!r}")

        def one(da: xr.DataArray, tdim: str, neuron_dims: list[str]) -> xr.DataArray:
            da = self._window(da, tdim, t0, t1)
            sample_ms = self._sample_ms(da, tdim)

            def hist(x: np.ndarray) -> np.ndarray:
                x = x.reshape(*x.shape[: x.ndim - 1 - len(neuron_dims)], -1, x.shape[-1])  # (..., neurons, time)
                out = np.zeros((*x.shape[:-2], len(edges) - 1), np.int64)
                for idx in np.ndindex(*x.shape[:-2]):
                    trains = np.nan_to_num(np.asarray(x[idx], dtype=np.float64)) > 0
                    rows, cols = np.nonzero(trains)
                    same = rows[1:] == rows[:-1]
                    out[idx] = np.histogram(np.diff(cols)[same] * sample_ms, bins=edges)[0]
                return out

            h = xr.apply_ufunc(hist, da, input_core_dims=[[*neuron_dims, tdim]], output_core_dims=[["isi"]],
                               dask="parallelized", output_dtypes=[np.int64],
                               dask_gufunc_kwargs={"allow_rechunk": True, "output_sizes": {"isi": len(edges) - 1}})
            h = h.assign_coords(isi=edges[:-1])
            h["isi"].attrs["units"] = "ms"
            return self._finish(h, "isi_hist", f"inter-spike intervals of {da.name}", units="1")
        return self._per_population(var, one, same_time=False)

    def _window(self, da: xr.DataArray, tdim: str, t0: float | None, t1: float | None) -> xr.DataArray:
        """The samples of ``da`` in the window ``[t0, t1)`` (ms): from ``t0`` on, up to but not including ``t1``, as a
        run's own span (``to_neo``'s ``[t_start, t_stop)``) and the bins of every binned statistic. A window of
        ``t1 - t0`` ms holds that many ms of samples for every method alike (``isi_hist`` counted a spike at exactly
        ``t1``, ``fano`` with 1-sample bins a bin starting at ``t1``). Times within a millionth of a sample of a bound
        count as on it (``t1=0.1 * 3`` is 0.30000000000000004 ms, the label 0.3)."""
        if t0 is None and t1 is None:
            return da
        if tdim not in da.coords:
            raise StoreError(f"{da.name!r} has no {tdim!r} coordinate to cut t0/t1 from")
        times = np.asarray(da[tdim].values, dtype=np.float64)
        eps = 1e-6 * self._sample_ms(da, tdim)
        inside = np.ones(len(times), bool)
        if t0 is not None:
            inside &= times >= t0 - eps
        if t1 is not None:
            inside &= times < t1 - eps
        if not inside.any():
            span = f"its samples run from {float(times[0]):g} to {float(times[-1]):g} ms" if len(times) else "it holds none"
            raise StoreError(f"no sample of {da.name!r} lies between t0={t0} and t1={t1} (ms): {span} (the window is "
                             f"[t0, t1): from t0 up to, not including, t1)")
        index = np.flatnonzero(inside)
        whole = index[-1] - index[0] + 1 == len(index)  # a store's time axis: one slice, dask's chunks kept
        return da.isel({tdim: slice(int(index[0]), int(index[-1]) + 1) if whole else index})

    def _counts(self, da: xr.DataArray, tdim: str, bin_ms: float) -> xr.DataArray:
        """Spike counts per bin of ``bin_ms`` (a whole multiple of the sampling interval), per neuron."""
        n_bin = self._bin_samples(da, tdim, bin_ms)
        # np.sum keeps NaN: a padded neuron (a smaller run of a swept size) stays missing, never silent
        return _wide(da).coarsen({tdim: n_bin}, boundary="trim", coord_func="min").reduce(np.sum)

    def _bin_samples(self, da: xr.DataArray, tdim: str, bin_ms: float) -> int:
        """Samples per bin of ``bin_ms``: a whole multiple >= 1 of the sampling interval, at most the record's
        span (a longer bin holds no whole bin: an empty result, or dask's bare NotImplementedError)."""
        sample_ms = self._sample_ms(da, tdim)
        n_bin = bin_ms / sample_ms
        # within a millionth of a whole number: 0.1 / (1.1 - 1.0) is 0.9999999999999991, one sample all the same
        if not (np.isfinite(n_bin) and n_bin >= 1 - 1e-6 and abs(n_bin - round(n_bin)) < 1e-6):
            raise StoreError(f"bin_ms must be a whole multiple >= 1 of the sampling interval {sample_ms} ms "
                             f"of {da.name!r}, got {bin_ms!r}")
        n_samples = da.sizes[tdim]
        if round(n_bin) > n_samples:
            raise StoreError(f"bin_ms {bin_ms:g} is longer than the {n_samples * sample_ms:g} ms {da.name!r} holds "
                             f"({n_samples} samples of {sample_ms:g} ms): give a bin of at most that")
        return int(round(n_bin))

    # ------------------------------------------------------------------ neo / elephant (store/_neo.py)
    def to_neo(self, spikes: str | list[str] | None = None, signals: str | list[str] | None = None, **sel: Any) -> Any:
        """The done runs of the dataset (or of ``sel``, e.g. ``seed=0``) as a ``neo.Block``: a ``Segment``
        per run annotated with its seed and parameter values, a ``SpikeTrain`` per real neuron of each
        spike variable (``spikes``: names, default all) and an ``AnalogSignal`` per numeric record
        (``signals``), with their units. Needs the ``neo`` extra (``pip install -e '.[neo]'`` in a brainbatch clone).

        >>> block = ds.bb.to_neo(seed=0)                                   # doctest: +SKIP
        >>> from elephant.statistics import mean_firing_rate               # doctest: +SKIP
        >>> mean_firing_rate(block.segments[0].spiketrains[0])            # doctest: +SKIP
        """
        from ._neo import to_neo

        for da in self._ds.data_vars.values():
            self._check_status_kept(da)
        return to_neo(self, spikes, signals, **sel)

    # ------------------------------------------------------------------ netCDF
    def to_netcdf(self, path: Any, **kwargs: Any) -> Any:
        """Write the dataset to a netCDF file, as ``ds.to_netcdf(path, **kwargs)`` would if netCDF could hold
        every attribute: a store's dicts, lists of text and bools (``params``, ``versions``...) become JSON
        text (``json.loads(ds.attrs["params"])`` reads one back), and text variables are written as
        netCDF text. Plain ``ds.to_netcdf`` refuses the dict attributes.

        >>> ds.bb.to_netcdf("runs.nc")                                     # doctest: +SKIP
        >>> xr.open_dataset("runs.nc").spikes_E                           # doctest: +SKIP
        """
        from ._netcdf import netcdf_ready

        return netcdf_ready(self._given).to_netcdf(path, **kwargs)

    # ------------------------------------------------------------------ sampled designs
    @property
    def sampled(self) -> list[str]:
        """The sampled parameters: coordinates over the ``sample`` dim (empty for a grid store).

        >>> xr.Dataset(coords={"sample": [0, 1], "we": ("sample", [0.5, 0.7])}).bb.sampled
        ['we']
        """
        names = [str(n) for n, c in self._ds.coords.items() if c.dims == (SAMPLE_DIM,) and n != SAMPLE_DIM]
        order = list((self._ds.attrs.get("design") or {}).get("parameters", []))  # the design's order
        return sorted(names, key=lambda n: order.index(n) if n in order else len(order))

    def scatter(self, y: xr.DataArray | None = None, var: str | None = None, axes: Any = None) -> Any:
        """Scatter of a per-run summary ``y`` (default: ``mean_rate(var)``) against each sampled parameter.

        Every run is a point (all seeds and grid values); returns the matplotlib Axes, one per parameter.

        >>> ds.bb.scatter(var="spikes_E")                 # doctest: +SKIP
        """
        names = self.sampled
        if not names:
            raise StoreError("the dataset has no sampled parameters (coordinates over 'sample'): scatter is for "
                             "sampled designs; on a grid, plot a summary against its dim (e.g. rate.plot(x='we'))")
        y = self.mean_rate(var) if y is None else y
        if SAMPLE_DIM not in y.dims:
            raise StoreError(f"y must have the dim {SAMPLE_DIM!r} (one value per run), got dims {list(y.dims)}")
        import matplotlib.pyplot as plt  # only here: reading stores must not need matplotlib

        if axes is None:
            _, axes = plt.subplots(1, len(names), figsize=(3.6 * len(names), 3.2), squeeze=False, sharey=True)
            axes = axes[0]
        design = self._ds.attrs.get("design") or {}
        for ax, name in zip(np.atleast_1d(axes), names):
            x, v = xr.broadcast(self._ds[name], y)
            x, v = np.asarray(x.values, float).ravel(), np.asarray(v.values, float).ravel()
            ok = np.isfinite(v)
            ax.scatter(x[ok], v[ok], s=10, alpha=0.6)
            if dict(design.get("ranges", {})).get(name, {}).get("scale") == "log":
                ax.set_xscale("log")
            unit = self._ds[name].attrs.get("units", "") if name in self._ds.coords else ""
            ax.set_xlabel(f"{name} ({unit})" if unit else name)
        first = np.atleast_1d(axes)[0]
        first.set_ylabel(f"{y.name or 'value'}" + (f" ({y.attrs['units']})" if y.attrs.get("units") else ""))
        return axes

    # ------------------------------------------------------------------ weights (store/_weights.py)
    def synapses(self, var: str = "w", projection: str | None = None) -> xr.DataArray:
        """Recorded weights with ``pre``/``post`` coordinates over the synapse dim (the store's own, or from ``states=True``;
        ``post`` NaN on padding slots and runs not done). Where each run has its own graph (``post`` over the run dims
        too), ``.groupby("post").mean()`` pools every run's synapses onto a neuron; ``mean_weight`` gives each run's."""
        self._check_weights_status(var)
        return _weights.synapses(self._ds, var, projection)

    def weight_histogram(self, var: str = "w", bins: int = 20, range: tuple[float, float] | None = None,
                         projection: str | None = None) -> xr.DataArray:
        """Weight counts per bin for every run and recorded time (dims ``..., time, bin``); NaN for a run not done."""
        self._check_weights_status(var)
        return _weights.weight_histogram(self._ds, var, bins, range, projection)

    def mean_weight(self, var: str = "w", by: str = "post", projection: str | None = None) -> xr.DataArray:
        """Mean in-weight of each postsynaptic neuron (``by="post"``) or out-weight of each presynaptic one."""
        self._check_weights_status(var)
        return _weights.mean_weight(self._ds, var, by, projection)

    def _check_weights_status(self, var: Any) -> None:
        if isinstance(var, str) and var in self._ds.data_vars:  # else _weights names the variable
            self._check_status_kept(self._ds[var])

    # ------------------------------------------------------------------ helpers
    @property
    def spike_vars(self) -> list[str]:
        """The spike rasters: variables a store marks ``kind: "spikes"``. A dataset that marks none
        (not from a store) counts its bool variables over a time dim."""
        ds = self._ds
        if any("kind" in da.attrs for da in ds.data_vars.values()):
            return [str(n) for n, da in ds.data_vars.items() if da.attrs.get("kind") == "spikes"]
        return [str(n) for n, da in ds.data_vars.items()
                if da.dtype == bool and any(str(d).startswith("time") for d in da.dims)]

    def _population_of(self, dim: str) -> str:
        owners = [v for v in self.spike_vars if dim in self._ds[v].dims]
        if len(owners) == 1:
            return owners[0]
        raise StoreError(f"dim {dim!r} is not a neuron dim of one spike variable {self.spike_vars}; pass var=<name>"
                         + did_you_mean(dim, [str(d) for v in self.spike_vars for d in self._ds[v].dims]))

    def _per_population(self, var: str | None, fn: Callable[[xr.DataArray, str, list[str]], xr.DataArray],
                        same_time: bool = False) -> xr.DataArray:
        """``fn(da, time dim, neuron dims)`` of ``var``, or of every spike variable along ``population``."""
        if var is not None or len(self.spike_vars) <= 1:
            return fn(*self._spikes(var))
        parts, tdims = [], set()
        for name in self.spike_vars:
            da, tdim, neuron_dims = self._spikes(name)
            if len(neuron_dims) > 1:
                raise StoreError(f"{name!r} has several neuron dims {neuron_dims}; pass var=<name> for one population")
            tdims.add(tdim)
            out = fn(da, tdim, neuron_dims)
            parts.append(out.rename({neuron_dims[0]: "neuron"}) if neuron_dims and neuron_dims[0] in out.dims else out)
        if same_time and len(tdims) > 1:
            raise StoreError(f"the spike variables {self.spike_vars} are sampled on different time dims "
                             f"{sorted(tdims)}; pass var=<name>")
        # a smaller population's missing neurons are NaN: means over "neuron" count real neurons only
        out = xr.concat(parts, dim=xr.DataArray(self.spike_vars, dims="population", name="population"),
                        join="outer", coords="minimal", compat="override", combine_attrs="override")
        runs = [d for d in out.dims if d in self._run_dims(da, tdim)]
        out = out.transpose(*runs, "population", *[d for d in out.dims if d not in runs and d != "population"])
        attrs = dict(parts[0].attrs)
        if isinstance(attrs.get("long_name"), str):  # it named the first population: it describes every one
            attrs["long_name"] = attrs["long_name"].replace(str(self.spike_vars[0]), "each population")
        return out.assign_attrs(attrs)

    def _spikes(self, var: str | None) -> tuple[xr.DataArray, str, list[str]]:
        """The spike variable, its time dim and its neuron dims."""
        ds = self._ds
        spike_vars = self.spike_vars
        if var is None:
            if len(spike_vars) != 1:
                raise StoreError(
                    ("the dataset has no spike variable (bool over time)" if not spike_vars else
                     f"the dataset has several spike variables {spike_vars}") + "; pass var=<name>")
            var = spike_vars[0]
        if not isinstance(var, str):  # a list would fail as "unhashable type"; several populations: var=None
            raise StoreError(f"var takes the name of one spike variable ({spike_vars}; var=None: each of them), "
                             f"got {type(var).__name__} {var!r}")
        if var not in ds.data_vars:
            raise StoreError(f"no variable {var!r}; spike variables: {spike_vars}.{did_you_mean(var, ds.data_vars)}")
        if var not in spike_vars:
            da = ds[var]
            raise StoreError(f"{var!r} is not a spike raster (kind {da.attrs.get('kind', 'not set')!r}, dtype "
                             f"{da.dtype}, units {da.attrs.get('units', '')!r}); spike statistics take spike "
                             f"variables: {spike_vars}")
        da = ds[var]
        self._check_status_kept(da)
        tdims = [d for d in da.dims if str(d).startswith("time")]
        if len(tdims) != 1:
            raise StoreError(f"{var!r} has dims {list(da.dims)}; a spike variable needs exactly one time dim")
        tdim = tdims[0]
        run = self._run_dims(da, tdim)
        return da, tdim, [d for d in da.dims if d != tdim and d not in run]

    def _check_status_kept(self, da: xr.DataArray) -> None:
        """Refuse a record whose runs' status the dataset lost: ``ds[["spikes_E"]]`` keeps coordinates only, so its
        failed and pending runs (all False) summed as silent runs, 0 Hz, where the store says they hold no result."""
        status = da.attrs.get("ancillary_variables")
        if "done" in self._ds or not isinstance(status, str) or not status or status in self._ds.variables:
            return
        raise StoreError(f"{da.name!r} names its runs' status in {status!r}, which this dataset lacks (a subset such as "
                         f"ds[[{str(da.name)!r}]] drops it), so runs that are not done would read as results (a failed "
                         f"run's spikes as silence): keep it, ds[[{str(da.name)!r}, {status!r}]], or keep 'done' "
                         "(open_results)")

    def _run_dims(self, da: xr.DataArray, tdim: str) -> list[str]:
        if "done" in self._ds:
            return list(self._ds["done"].dims)
        return list(da.dims[: da.dims.index(tdim)])  # the layout puts run dims before time

    def _observed_ms(self, da: xr.DataArray, tdim: str) -> float:
        """The time in which one sample of a raster holds spikes: one step. A record kept every n steps
        (``Monitor(every=n)``) samples the spike flag of every n-th step and never sees the n - 1 steps between,
        so rates divide its spikes by samples x dt (a neuron at 100 Hz recorded every 10 steps read 10 Hz)."""
        return self._sample_ms(da, tdim) / int(da.attrs.get("every", 1))

    def _sample_ms(self, da: xr.DataArray, tdim: str) -> float:
        if "dt" in self._ds.attrs:
            return float(self._ds.attrs["dt"]) * int(da.attrs.get("every", 1))
        t = da[tdim].values if tdim in da.coords else np.empty(0)
        if len(t) < 2:
            raise StoreError(f"cannot tell the sampling interval of {da.name!r}: no 'dt' attribute and no time coordinate")
        # over the whole axis: labels rounded to dt's decimals (1.0, 1.1) differ by dt only to within a rounding
        return float(t[-1] - t[0]) / (len(t) - 1)

    def _finish(self, out: xr.DataArray, name: str, long_name: str, units: str = "Hz") -> xr.DataArray:
        # runs that are not done hold False, not NaN: hide them so they do not read as silent
        if "done" in self._ds and set(self._ds["done"].dims) <= set(out.dims):
            out = out.where(self._ds["done"]).transpose(*out.dims)
        # only what describes the summary: the spike variable's own attributes (kind, description) are not its
        out = out.rename(name).copy(deep=False)
        out.attrs = {"units": units, "long_name": long_name}
        return out


def _pair_correlations(counts: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Pearson r of count columns ``i`` and ``j`` (``counts``: ``(..., bins, neurons)``); NaN where either is flat."""
    a, b = counts[..., i], counts[..., j]
    da_, db_ = a - a.mean(-2, keepdims=True), b - b.mean(-2, keepdims=True)
    spread = (da_ ** 2).mean(-2) * (db_ ** 2).mean(-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(spread > 0, (da_ * db_).mean(-2) / np.sqrt(np.where(spread > 0, spread, 1.0)), np.nan)


def _wide(da: xr.DataArray) -> xr.DataArray:
    """A padded raster (float32: 0, 1 and NaN) as float64, so counts and what follows them are float64 as for a
    bool raster (its Fano factors were float32: 0.39285713 for 11 / 28)."""
    return da.astype(np.float64) if da.dtype.kind == "f" and da.dtype.itemsize < 8 else da


def _window_ms(t0: Any, t1: Any) -> tuple[float | None, float | None]:
    """``t0``/``t1`` in ms (None: the record's start / end; ``-inf`` / ``inf`` mean the same), ``t0 <= t1``."""
    t0, t1 = time_ms("t0", t0, none=True, finite=False), time_ms("t1", t1, none=True, finite=False)
    if t0 is not None and t1 is not None and t0 > t1:
        raise StoreError(f"t0 {t0:g} ms is after t1 {t1:g} ms: the window runs from t0 to t1 (ms)")
    return t0, t1


def _bin_ms(bin_ms: Any) -> float:
    """A bin width in ms: a finite time (whether it fits the record is ``_bin_samples``' check)."""
    ms = time_ms("bin_ms", bin_ms)
    assert ms is not None  # none=False
    return ms


def _bin_and_window(bin_ms: Any, t0: Any, t1: Any) -> tuple[float, float | None, float | None]:
    return (_bin_ms(bin_ms), *_window_ms(t0, t1))


def _with_done(ds: xr.Dataset) -> xr.Dataset:
    """``ds`` with a ``done`` mask over its runs: its own (``open_results``), else, for a store opened with plain
    ``xarray.open_zarr``, the runs whose ``status`` code is the one its CF flags name ``done``. Without one, a run
    that is pending, running or failed (its spike chunks never written: all False) summed as a silent run, e.g. a
    rate of 0 Hz, and ``to_neo`` made a Segment of it. Damage (a done run's missing chunk) is found by
    ``open_results`` only, which reads the store itself."""
    if "done" in ds or "status" not in ds.variables:
        return ds
    status = ds["status"]
    if status.dtype.kind in "US":  # open_results' status, as text: a subset that kept it but not its ``done``
        return ds.assign(done=status == "done")
    meanings = str(status.attrs.get("flag_meanings", "")).split()
    values = status.attrs.get("flag_values")
    if "done" not in meanings or not isinstance(values, (list, tuple, np.ndarray)) or len(values) != len(meanings) \
            or not np.issubdtype(status.dtype, np.integer):
        return ds
    return ds.assign(done=status == int(values[meanings.index("done")]))


def _without_padding(ds: xr.Dataset) -> xr.Dataset:
    """``ds`` with the padding of smaller runs (entries past a run's ``<dim>_count``) as NaN in its bool and
    integer variables, as ``open_results`` reads them (``_padding.py``). A store opened with plain
    ``xarray.open_zarr`` holds ``False`` there, which every summary took for silent neurons (a run of 3 real
    neurons in a dim of 5 read at 3/5 of its rate); ``open_results``' floats are NaN there already and kept as
    they are."""
    counts = {}
    for name, count in ds.coords.items():
        dim = str(name)[: -len("_count")] if str(name).endswith("_count") else ""
        if dim in ds.dims and dim not in count.dims and count.dtype.kind in "iu":
            if not bool((xr.DataArray(np.arange(ds.sizes[dim]), dims=dim) < count).all()):
                counts[dim] = str(name)
    return mask_padding(ds, counts, kinds="biu")


for _name, _method in list(vars(BrainbatchAccessor).items()):
    if inspect.isfunction(_method) and not _name.startswith("_"):  # ds.bb.psth(bin=5): "Did you mean 'bin_ms'?"
        setattr(BrainbatchAccessor, _name, keywords_named(_method))

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # re-registration on reload is expected, not a problem
    xr.register_dataset_accessor("bb")(BrainbatchAccessor)
