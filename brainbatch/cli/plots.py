"""Figures of a store: a spike raster and the population rate of one run; for a sampled design also
each run's mean rate against each sampled parameter; for a grid, tuning curves (mean rate against
each swept parameter, a line per value of the others, mean +- sd over the seeds) and a heat map over the first two swept parameters."""
from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np

Window = tuple[float | None, float | None, int | None]  # --t0, --t1, --neurons


def _select(ds: Any, seed: int | None, params: dict[str, list[str]]) -> dict[str, Any]:
    from ..sweep.errors import UsageError
    from ..sweep.specs import cast_value

    sel = {}
    done = ds["done"]
    if seed is not None and "seed" in params:  # -p seed= after --seed silently won: the plot drew the other seed
        given = params["seed"]
        try:
            same = len(given) == 1 and int(given[0]) == seed
        except ValueError:
            same = False
        if not same:
            raise UsageError(f"--seed {seed} and -p seed={','.join(map(str, given))} both select the seed and disagree; "
                             f"give one of them (--seed S)")
        params = {k: v for k, v in params.items() if k != "seed"}
    if seed is not None:
        if seed not in ds["seed"].values.tolist():
            raise UsageError(f"seed {seed} is not in the store; seeds: {ds['seed'].values.tolist()}")
        sel["seed"] = seed
    for name, values in params.items():
        if name not in ds.coords:
            from ..sweep.errors import did_you_mean

            swept = [d for d in ds["done"].dims if d not in ("seed",)] or ["(none)"]
            fixed = ds.attrs.get("defaults") if isinstance(ds.attrs.get("defaults"), dict) else {}
            why = (f" ({name!r} was not swept here: it is fixed at {fixed[name]!r})" if name in fixed else "")
            raise UsageError(f"the store has no parameter {name!r}{why}.{did_you_mean(name, list(ds.coords))} "
                             f"Swept parameters: {', '.join(swept)}")
        if name in ds.bb.sampled:
            raise UsageError(f"{name!r} is sampled (a coordinate over 'sample', not a dim): select a run with "
                             f"-p sample=I (brainbatch show lists the points)")
        if len(values) != 1:
            raise UsageError(f"plot draws one run: give one value of {name!r} (-p {name}={values[0]}), got "
                             f"{len(values)}: {', '.join(map(str, values))}")
        stored = ds[name].values.tolist()
        given = _in_store_unit(name, values[0], ds[name].attrs.get("units"))
        value = cast_value(given, stored[0], name)
        from ..store import value_key

        match = [v for v in stored if value_key(v) == value_key(value)]
        if not match:
            unit = ds[name].attrs.get("units")  # -p tau=15ms: the values in their unit ("[10.0, 20.0] ms")
            shown = f"{stored} {unit}" if isinstance(unit, str) and unit and unit != "1" else f"{stored}"
            raise UsageError(f"{name}={values[0]} is not in the store; {name} values are {shown}")
        sel[name] = match[0]
    sub = done.sel(sel) if sel else done
    first = next((idx for idx, ok in _iter_done(sub) if ok), None)
    if first is None:  # say what the runs are: failed (with its error), damaged, or not run yet
        status = ds["status"].sel(sel) if sel else ds["status"]
        counts = {str(k): int((status == k).sum()) for k in np.unique(status.values)}
        text = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
        picked = ", ".join(f"{k}={v}" for k, v in sel.items()) or "the store"
        error = ""
        if status.size == 1 and str(status.values.item()) in ("failed", "damaged"):
            error = str((ds["error"].sel(sel) if sel else ds["error"]).values.item()).splitlines()[0][:200]
            error = f": {error}" if error else ""
        raise UsageError(f"no finished run matches {picked} ({text}){error}; `brainbatch status` lists the runs")
    chosen = {**sel, **first}
    # in the store's order of the run dims, however the run was picked: `-p we=0.6` named its PNGs
    # ..._we0.6_seed0.png, the first done run the same run's ..._seed0_we0.6.png
    return {**{d: chosen[d] for d in done.dims if d in chosen}, **chosen}


def _in_store_unit(name: str, text: Any, unit: Any) -> Any:
    """``-p bias=0.02V`` for a coordinate stored in mV: the number in the store's unit (docs/units.md); plain
    numbers and parameters without a unit pass as given. brainunit (and so JAX) is imported only here."""
    if not unit or not isinstance(text, str):
        return text
    try:
        float(text)
        return text
    except ValueError:
        pass
    from ..sweep.quantities import value_in_named_unit

    return value_in_named_unit(name, text, unit)


def _iter_done(done: Any) -> Iterator[tuple[dict[str, Any], bool]]:
    import numpy as np

    values = np.asarray(done.values)
    for idx in np.ndindex(values.shape):
        yield {d: done[d].values[i].item() for d, i in zip(done.dims, idx)}, bool(values[idx])


def plot_store(store: str, out_dir: str | None = None, seed: int | None = None, params: dict | None = None,
               var: str | None = None, bin_ms: float | None = None, t0: float | None = None, t1: float | None = None,
               neurons: int | None = None) -> list[str]:
    """Write ``raster.png`` and ``rate.png`` for one run (``samples.png`` for a sampled design, ``tuning.png`` and
    ``heatmap_<y>_<x>.png`` for a grid); returns their paths. A float ``var`` gets ``trace.png`` instead: its
    traces in the run. ``t0``/``t1`` (ms; the window ``[t0, t1)`` of ``ds.bb``'s statistics: a sample at exactly ``t1``
    is left out) and ``neurons`` (the first N of each population) narrow the raster."""
    import math

    from ..sweep.errors import UsageError

    for flag, value in (("--t0", t0), ("--t1", t1)):
        if value is not None and not math.isfinite(value):
            raise UsageError(f"{flag} must be a finite time in ms, got {value!r}")
    if t0 is not None and t1 is not None and not t0 < t1:
        raise UsageError(f"--t0 {t0:g} must be below --t1 {t1:g} (ms)")
    if bin_ms is not None and not (math.isfinite(bin_ms) and bin_ms > 0):
        raise UsageError(f"--bin-ms must be a positive number of ms, got {bin_ms!r}")
    try:
        return _plot_store(store, out_dir, seed, params, var, bin_ms, (t0, t1, neurons))
    except Exception as err:
        if not _from_zarr(err):
            raise
        from ..store import StoreDamagedError

        raise StoreDamagedError(
            f"the run to plot has damaged data in {store!r} ({type(err).__name__}: "
            f"{'crc32c checksum mismatch' if 'checksum' in str(err) else str(err)[:120]}); "
            f"`brainbatch status {store} --verify` lists the damaged runs") from None


def _from_zarr(err: BaseException) -> bool:
    """Whether an error was raised while zarr decoded a chunk (damage, not a bug of ours)."""
    import traceback

    frames = traceback.extract_tb(err.__traceback__)
    return any(f"{os.sep}zarr{os.sep}" in f.filename or f"{os.sep}numcodecs{os.sep}" in f.filename for f in frames)


def _default_bin(da: Any, dt: Any = None) -> float:
    """5 ms, or the whole of ``da``'s time span when it is shorter (a whole number of its samples); ``dt``: the
    store's step, the sampling interval of a record of one sample (its ``every`` times it)."""
    tdim = next(d for d in da.dims if str(d).startswith("time"))
    times = np.asarray(da[tdim].values, np.float64)
    one = float(dt or 5.0) * int(da.attrs.get("every", 1) or 1)
    step = float(times[1] - times[0]) if len(times) > 1 else one
    per_bin = max(1, min(len(times), int(round(5.0 / step)) if step > 0 else 1))
    return round(per_bin * step, 9)


def _plot_store(store: str, out_dir: str | None, seed: int | None, params: dict[str, list[str]] | None,
                var: str | None, bin_ms: float | None, window: Window = (None, None, None)) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..store import StoreDamagedWarning, open_results
    from ..store import local_path
    from ..sweep.errors import UsageError

    with warnings.catch_warnings():  # a damaged run reads as status 'damaged', which this command reports itself
        warnings.simplefilter("ignore", StoreDamagedWarning)
        ds = open_results(store)
    if var is not None and not var.strip() and var not in ds.data_vars:  # '' drew every variable, as if no --var
        raise UsageError(f"--var {var!r} names no variable; give one (brainbatch show lists them), or leave --var "
                         "out to draw every spike variable")
    sel = _select(ds, seed, params or {})
    if out_dir is not None and not out_dir.strip():
        raise UsageError(f"--out {out_dir!r} names no folder; give one such as results/plots, or leave --out out for "
                         "the store's plots/ folder")
    from .nearby import unexpanded_home

    if out_dir is not None and unexpanded_home(out_dir):  # --out=~/plots made a folder named '~' here
        raise UsageError(f"--out {out_dir!r} starts with '~'{unexpanded_home(out_dir)}")
    out_dir = out_dir or os.path.join(os.path.dirname(os.path.abspath(local_path(store) or store)), "plots")
    from ..sweep.paths import enclosing_zarr

    outer = enclosing_zarr(os.path.abspath(out_dir))
    if outer is not None:  # PNGs in a Zarr hierarchy: every later read of that store warns about them
        raise UsageError(f"--out {out_dir!r} is inside the Zarr store {outer!r}; give a folder outside it")
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as err:  # a file there said only "(File exists)"
        blocked = next((p for p in _parents(os.path.abspath(out_dir)) if os.path.lexists(p) and not os.path.isdir(p)),
                       None)
        why = (f"{blocked!r} is a file, not a folder" if blocked is not None else err.strerror or str(err))
        raise UsageError(f"cannot make the plot folder {out_dir!r} ({why}); give another --out") from None
    # the variable is in the name: a plot of one variable never overwrites the plot of them all; values
    # from the store become safe file-name text (a '/' in a value would name another folder)
    t0, t1, neurons = window  # a window is in the name too
    cut = ([f"t{'' if t0 is None else f'{t0:g}'}-{'' if t1 is None else f'{t1:g}'}"] if t0 is not None or t1 is not None
           else []) + ([f"n{neurons}"] if neurons is not None else [])
    tag = re.sub(r"[^\w.+=-]", "_", "_".join([*([var] if var else []), *(f"{k}{v}" for k, v in sel.items()), *cut]))
    # the store's name without a trailing '/.' ("s.zarr/." named every PNG "._raster...": hidden files)
    stem = os.path.splitext(os.path.basename(os.path.normpath(store.rstrip("/"))))[0]
    spikes = ds.bb.spike_vars
    traces = [str(v) for v in ds.data_vars if str(v) not in spikes and ds[v].dtype.kind in "fiu"
              and _time_dim(ds[v]) is not None]  # recorded numbers over time: what --var draws as traces
    names = [var] if var else spikes
    if var is not None and var in traces:
        if bin_ms is not None:  # it was ignored: a trace has no population rate
            raise UsageError(f"--bin-ms is the bin of a spike variable's population rate; --var {var} draws traces of "
                             f"a recorded number, which have none: leave --bin-ms out")
        return [_trace_figure(ds, var, sel, stem, tag, out_dir, window)]
    if not names or (var and var not in spikes):
        from ..sweep.errors import did_you_mean

        if not spikes and var is None:
            raise UsageError(f"{store} records no spike variable to plot"
                             + (f"; draw the traces of a recorded number with --var NAME ({', '.join(traces)})"
                                if traces else ""))
        if var in ds.data_vars:
            what, hint = f"{var!r} is not a spike raster (kind {ds[var].attrs.get('kind')!r}, {ds[var].dtype})", ""
        else:  # the hint ends the line: "... has no variable 'V_X'; ... recorded numbers. Did you mean 'V'?"; only
            # among what plot draws ('nope' got "Did you mean 'done'?", the store's bookkeeping, which it refuses)
            what, hint = f"{var!r}: {store} has no variable {var!r}", did_you_mean(var, [*spikes, *traces])
        raise UsageError(f"--var {what}; plot draws spike variables ({', '.join(spikes)}) and traces of "
                         f"recorded numbers{'.' + hint if hint else ''}")
    rates, bins = [], []  # made (lazily) before any figure: a bin the run cannot hold is refused with nothing written
    for name in names:
        # the time window in the file name holds for the rate too
        within = ds.sel(sel).sel(_window(ds, name, (t0, t1, None)))
        bins.append(_default_bin(within[name], ds.attrs.get("dt")) if bin_ms is None else bin_ms)
        rates.append(within.bb.psth(bins[-1], var=name))
    paths = []
    fig, axes = plt.subplots(len(names), 1, figsize=(8, 3 * len(names)), squeeze=False)
    chosen = any(w is not None for w in window)
    shown = window if chosen else _readable_window(ds, names, sel)
    start, end = shown[0], shown[1]
    note = f" (last {end - start:g} ms; --t0/--t1 for others)" if not chosen and start is not None and end is not None else ""
    if not chosen:  # the readable stretch runs to the run's end: its last sample included
        shown = (shown[0], None, shown[2])
    for ax, name in zip(axes[:, 0], names):
        ds.bb.raster(var=name, ax=ax, **sel, **_window(ds, name, shown))
        ax.set_title(f"{stem} {name}: {_labels(ds, sel)}{note}")
    fig.tight_layout()
    path = os.path.join(out_dir, f"{stem}_raster_{tag}.png")
    paths.append(_save(fig, path))
    fig, ax = plt.subplots(figsize=(8, 3))
    for name, rate in zip(names, rates):
        ax.plot(rate[rate.dims[-1]].values, rate.values, label=name)
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("population rate (Hz)")
    ax.set_title(f"{stem} population rate, {'/'.join(f'{b:g}' for b in dict.fromkeys(bins))} ms bins: "
                 f"{_labels(ds, sel)}")
    if len(names) > 1:
        ax.legend()
    path = os.path.join(out_dir, f"{stem}_rate_{tag}.png")
    paths.append(_save(fig, path))
    if ds.bb.sampled:
        paths.append(_samples_figure(ds, names, stem, out_dir))
    grid = [d for d in ds["done"].dims if d not in ("seed", "sample") and ds.sizes[d] > 1]
    if grid:
        paths.append(_tuning_figure(ds, names, grid, stem, out_dir))
    if len(grid) >= 2:
        paths.append(_heatmap_figure(ds, names, grid[:2], stem, out_dir))
    return paths


def _time_dim(da: Any) -> str | None:
    """A record's time dim (``time``, ``time_every10``, ``time_from1000`` ...), None if it has none."""
    return next((d for d in da.dims if str(d).startswith("time")), None)


#: about the most spikes a raster panel shows readably (8 x 3 inches at the default dpi)
RASTER_MAX_SPIKES = 40_000


def _readable_window(ds: Any, names: list[str], sel: dict) -> Window:
    """With no ``--t0/--t1/--neurons``: the whole run, or where that would be a solid block of ticks
    (3200 neurons over 5 s), its last stretch of a round length (1, 2 or 5 x 10^k ms) holding about
    ``RASTER_MAX_SPIKES`` spikes per panel (the end, past the start's transient)."""
    spikes, span = 0, None
    for name in names:
        da = ds[name].sel({k: v for k, v in sel.items() if k in ds[name].dims})
        tdim = _time_dim(da)
        if tdim is None or da.sizes[tdim] < 2:
            return (None, None, None)
        spikes = max(spikes, int((da > 0).sum()))
        times = da[tdim].values
        span = (float(times[0]), float(times[-1]))
    if span is None or spikes <= RASTER_MAX_SPIKES:
        return (None, None, None)
    want = (span[1] - span[0]) * RASTER_MAX_SPIKES / spikes
    length = max((m * 10.0 ** k for k in range(-1, 7) for m in (1, 2, 5) if m * 10.0 ** k <= want), default=0.1)
    return (span[1] - length, span[1], None)


def _window(ds: Any, name: str, window: Window) -> dict:
    """``--t0/--t1`` along the variable's time dim and ``--neurons`` along its neuron dim, as a selection."""
    t0, t1, neurons = window
    out = {}
    tdim = _time_dim(ds[name])
    if tdim is not None and (t0 is not None or t1 is not None):
        times = np.asarray(ds[name][tdim].values, np.float64)
        # [t0, t1), as every t0/t1 of ds.bb (a sample at exactly t1 is left out: --t1 2 draws what fano(t1=2) counts),
        # with times within a millionth of a sample of a bound on it (0.1 * 3 is the label 0.3)
        eps = 1e-6 * (float(times[1] - times[0]) if len(times) > 1 else float(ds.attrs.get("dt") or 1.0))
        inside = (times >= (-np.inf if t0 is None else t0 - eps)) & (times < (np.inf if t1 is None else t1 - eps))
        if not inside.any():  # an empty window: say so, instead of failing in the drawing
            from ..sweep.errors import UsageError

            span = f"its samples span {times[0]:g}..{times[-1]:g} ms" if len(times) else "it holds no sample"
            raise UsageError(f"--t0/--t1 select no sample of {name!r}: {span}, the window is "
                             f"{'' if t0 is None else f'{t0:g}'}..{'' if t1 is None else f'{t1:g}'} ms "
                             f"(from --t0 up to, not including, --t1)")
        index = np.flatnonzero(inside)
        out[tdim] = slice(times[index[0]], times[index[-1]])  # the labels of the first and last sample inside
    if neurons is not None:
        ndim = ds[name].dims[-1]
        out[ndim] = ds[ndim].values[:neurons]
    return out


def _trace_figure(ds: Any, var: str, sel: dict, stem: str, tag: str, out_dir: str, window: Window) -> str:
    """A recorded number of one run against time: up to ``MAX_TRACES`` traces (the first elements)."""
    import matplotlib.pyplot as plt

    da = ds[var].sel(sel).sel(_window(ds, var, window))
    tdim = _time_dim(da)
    rest = [d for d in da.dims if d != tdim and da.sizes[d] > 1]
    flat = da.stack(trace=rest) if rest else da.expand_dims("trace")
    flat = flat.transpose(tdim, "trace").isel(trace=slice(0, MAX_TRACES))
    fig, ax = plt.subplots(figsize=(8, 3.2))
    labels = [", ".join(map(str, k)) if isinstance(k, tuple) else str(k) for k in flat["trace"].values.tolist()] \
        if rest else [var]
    for k in range(flat.sizes["trace"]):
        ax.plot(flat[tdim].values, flat.values[:, k], lw=0.8, label=f"{rest[0] if rest else ''} {labels[k]}".strip())
    units = ds[var].attrs.get("units", "")
    ax.set_xlabel(f"{tdim} (ms)")
    ax.set_ylabel(f"{var}" + (f" ({units})" if units else ""))
    ax.set_title(f"{stem} {var}: {_labels(ds, sel)}")
    if flat.sizes["trace"] <= 10:
        ax.legend(fontsize=7, loc="upper right")
    path = os.path.join(out_dir, f"{stem}_trace_{tag}.png")
    return _save(fig, path)


#: Traces drawn in one trace figure (the first elements of the variable).
MAX_TRACES = 10


def _save(fig: Any, path: str) -> str:
    """Write ``fig`` to ``path`` (PNG, 120 dpi) and close it; returns ``path``."""
    import matplotlib.pyplot as plt

    fig.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(fig)
    return path


def _unit(ds: Any, name: str) -> str:
    """The ``units`` attribute of coordinate ``name`` (docs/units.md), or ``""``."""
    return ds[name].attrs.get("units", "") if name in ds.coords else ""


def _axis_label(ds: Any, name: str) -> str:
    unit = _unit(ds, name)
    return f"{name} ({unit})" if unit else name


#: Lines per tuning panel: up to this many combinations of the other swept values get a line each.
MAX_TUNING_LINES = 6


def tuning_lines(rate: Any, dim: str, grid: list[str], max_lines: int = MAX_TUNING_LINES) -> list[tuple[str, Any, Any]]:
    """``(label, mean, sd)`` of each line of ``rate``'s tuning curve along ``dim``: one per combination
    of the other swept values (``we=0.4``), mean and standard deviation over the seeds (and a sample
    dim); with more than ``max_lines`` combinations, one line over them all (label ``"all"``)."""
    others = [d for d in grid if d != dim]
    spread = [d for d in rate.dims if d != dim and d not in others]  # the seeds
    combos = int(np.prod([rate.sizes[d] for d in others])) if others else 1
    if not others or combos > max_lines:
        over = [d for d in rate.dims if d != dim]
        return [("all" if others else "", rate.mean(over), rate.std(over))]
    stacked = rate.stack(_line=others)
    out = []
    for k in range(stacked.sizes["_line"]):
        one = stacked.isel(_line=k)
        label = ", ".join(f"{d}={_value(one[d].values.item())}" for d in others)
        out.append((label, one.mean(spread), one.std(spread)))
    return out


def _value(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _tuning_figure(ds: Any, names: list[str], grid: list[str], stem: str, out_dir: str) -> str:
    """Each run's mean rate against each swept parameter (a column each; a row per spike variable): a
    line per value of the other swept parameters, mean +- standard deviation over the seeds."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(names), len(grid), figsize=(4.0 * len(grid), 3.0 * len(names)), squeeze=False,
                             sharey="row")
    seeds = ds.sizes.get("seed", 1)
    for row, name in zip(axes, names):
        rate = ds.bb.mean_rate(name).load()
        for ax, dim in zip(row, grid):
            lines = tuning_lines(rate, dim, grid)
            for label, mean, spread in lines:
                ax.errorbar(ds[dim].values, mean.values, yerr=spread.values, marker="o", capsize=3, label=label or None)
            ax.set_xlabel(_axis_label(ds, dim))
            if len(lines) > 1 or lines[0][0] == "all":
                ax.legend(fontsize=7, title=None if lines[0][0] != "all" else "over the other values")
        row[0].set_ylabel(f"{name} mean rate (Hz)")
    fig.suptitle(f"{stem}: tuning, mean +- sd over {seeds} seed{'s' if seeds != 1 else ''} "
                 f"({int(ds['done'].sum())} finished runs)")
    fig.tight_layout()
    path = os.path.join(out_dir, f"{stem}_tuning.png")
    return _save(fig, path)


def _heatmap_figure(ds: Any, names: list[str], pair: list[str], stem: str, out_dir: str) -> str:
    """The mean rate over the first two swept parameters (mean over seeds and any others), per spike variable."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(names), figsize=(4.4 * len(names), 3.6), squeeze=False)
    y, x = pair
    for ax, name in zip(axes[0], names):
        rate = ds.bb.mean_rate(name).load()
        grid = rate.mean([d for d in rate.dims if d not in pair]).transpose(y, x)
        image = ax.imshow(grid.values, origin="lower", aspect="auto", cmap="viridis")
        ax.set_xticks(range(ds.sizes[x]), [f"{v:g}" if isinstance(v, float) else str(v) for v in ds[x].values.tolist()])
        ax.set_yticks(range(ds.sizes[y]), [f"{v:g}" if isinstance(v, float) else str(v) for v in ds[y].values.tolist()])
        ax.set_xlabel(_axis_label(ds, x))
        ax.set_ylabel(_axis_label(ds, y))
        ax.set_title(f"{name} mean rate (Hz)")
        fig.colorbar(image, ax=ax)
    fig.suptitle(f"{stem}: mean over seeds")
    fig.tight_layout()
    path = os.path.join(out_dir, f"{stem}_heatmap_{y}_{x}.png")
    return _save(fig, path)


def _samples_figure(ds: Any, names: list[str], stem: str, out_dir: str) -> str:
    """Each run's mean rate against each sampled parameter: one row per spike variable."""
    import matplotlib.pyplot as plt

    params = ds.bb.sampled
    fig, axes = plt.subplots(len(names), len(params), figsize=(3.6 * len(params), 3.0 * len(names)), squeeze=False)
    for row, name in zip(axes, names):
        ds.bb.scatter(var=name, axes=row)
        row[0].set_ylabel(f"{name} mean rate (Hz)")
    fig.suptitle(f"{stem}: {int(ds['done'].sum())} finished runs, one point each")
    fig.tight_layout()
    path = os.path.join(out_dir, f"{stem}_samples.png")
    return _save(fig, path)


def _labels(ds: Any, sel: dict) -> str:
    """``we=0.6, tau=20 ms``: the selected values with their units from the store (docs/units.md)."""
    def unit(k: str) -> str:
        u = _unit(ds, k)
        return f" {u}" if u and u != "1" else ""
    return ", ".join(f"{k}={v}{unit(k)}" for k, v in sel.items())


def _parents(path: str) -> list[str]:
    """``path`` and the folders above it, nearest first."""
    out = [path]
    while os.path.dirname(out[-1]) != out[-1]:
        out.append(os.path.dirname(out[-1]))
    return out
