"""Figures for `make reproduce`: a raster, the population rate, and the experiment's own curve
(poisson_lif: output rate against input rate; brunel: the g x eta phase picture; a sampled design:
each run's rate against each sampled parameter, with first-order sensitivities; microcircuit: the stacked raster
and the rates per population beside NEST's); for stdp_* experiments
the weight distribution per swept value and its evolution; for stp_tsodyks the release per spike against
the input rate, with the depression-only theory.

    python experiments/figures.py coba results/coba/reproduce.zarr results/coba
    python experiments/figures.py brunel results/brunel/reproduce.zarr results/brunel
    python experiments/figures.py coba_sampled results/coba/sampled.zarr results/coba
"""
from __future__ import annotations

import os
import sys

import numpy as np

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import brainbatch as bb  # noqa: E402


def _save(fig, path: str) -> None:
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    print(f"wrote {path}")


def _first_done(ds):
    done = ds["done"]
    for idx in zip(*[a.tolist() for a in done.values.nonzero()]):
        return {d: done[d].values[i].item() for d, i in zip(done.dims, idx)}
    raise SystemExit("no finished run in the store")


def main(name: str, store: str, out_dir: str) -> None:
    os.makedirs(out_dir, exist_ok=True)
    if name.startswith("stdp"):
        return weight_picture(name, store, out_dir)
    if name == "stp_tsodyks":
        return release_picture(name, store, out_dir)
    if name == "microcircuit":
        return microcircuit_picture(name, store, out_dir)
    ds = bb.open_results(store)
    sel = _first_done(ds)
    spike_vars = [v for v in ds.data_vars if ds[v].attrs.get("kind") == "spikes"]
    if not spike_vars:  # whole_brain's x, or any record without spikes: no raster to draw (it raised a TypeError)
        raise SystemExit(f"{store} records no spikes ({', '.join(map(str, ds.data_vars))}): figures.py draws rasters "
                         "and rates of spiking experiments, the weights of stdp_* and stp_tsodyks' release; use "
                         "`brainbatch show STORE --experiment FILE` for this experiment's summary")
    fig, axes = plt.subplots(len(spike_vars) + 1, 1, figsize=(9, 2.5 * (len(spike_vars) + 1)), sharex=True)
    for ax, var in zip(axes, spike_vars):
        ds.bb.raster(var=var, ax=ax, **sel)
        ax.set_title(f"{name}: {var} ({', '.join(f'{k}={v}' for k, v in sel.items())})")
    for var in spike_vars:
        rate = ds.sel(sel).bb.psth(5.0, var=var)
        axes[-1].plot(rate[rate.dims[-1]].values, rate.values, label=var)
    axes[-1].set_xlabel("time (ms)")
    axes[-1].set_ylabel("rate (Hz)")
    axes[-1].legend()
    _save(fig, os.path.join(out_dir, f"{name}_activity.png"))
    if "rate" in ds.dims:  # the input-output curve of poisson_lif
        var = spike_vars[0]
        rates = ds.bb.rates(var=var).mean(ds[var].dims[-1])
        others = [d for d in rates.dims if d not in ("rate", "seed")]
        rates = rates.mean(others) if others else rates
        mean, err = rates.mean("seed"), rates.std("seed")
        fig, ax = plt.subplots(figsize=(5, 4))
        ax.errorbar(mean["rate"].values, mean.values, yerr=err.values, marker="o")
        ax.set_xlabel("input rate per source (Hz)")
        ax.set_ylabel("output rate (Hz)")
        ax.set_title(f"{name}: output rate curve")
        _save(fig, os.path.join(out_dir, f"{name}_rate_curve.png"))
    if "g" in ds.dims and "eta" in ds.dims:
        phase_picture(name, ds, out_dir)
    if ds.bb.sampled:
        sampled_picture(name, ds, spike_vars, out_dir)


def first_order(y, x, bins: int = 4) -> float:
    """Var(E[y | x]) / Var(y), with E[y | x] the mean of y in quantile bins of x (plain xarray)."""
    edges = np.quantile(x.values, np.linspace(0, 1, bins + 1))
    return float(y.groupby_bins(x.name, edges, include_lowest=True).mean().var() / y.var())


def sampled_picture(name: str, ds, spike_vars, out_dir: str) -> None:
    """Each run's mean rate against each sampled parameter, one row per population."""
    params = ds.bb.sampled
    fig, axes = plt.subplots(len(spike_vars), len(params), figsize=(3.8 * len(params), 3.0 * len(spike_vars)),
                             squeeze=False)
    for row, var in zip(axes, spike_vars):
        rate = ds.bb.mean_rate(var).load()
        ds.bb.scatter(rate, axes=row)
        y = rate.mean([d for d in rate.dims if d != "sample"])
        for ax, p in zip(row, params):
            ax.set_title(f"{var}: first-order S({p}) = {first_order(y, ds[p]):.2f}", fontsize=9)
        row[0].set_ylabel(f"{var} mean rate (Hz)")
    design = ds.attrs["design"]
    fig.suptitle(f"{name}: {design['samples']} {design['sampler']} samples (sample seed {design['sample_seed']}), "
                 "one point per run", fontsize=10)
    _save(fig, os.path.join(out_dir, f"{name}_samples.png"))


def phase_picture(name: str, ds, out_dir: str) -> None:
    """Brunel's g x eta plane: one raster + population rate per cell, and the cells' statistics."""
    exp = bb.load_experiment(os.path.join(os.path.dirname(os.path.abspath(__file__)), "brunel.py"))
    stats = {}
    for coords, st in exp.module.cells(ds).items():
        c = dict(coords)
        stats.setdefault((c["g"], c["eta"]), []).append(st)
    gs, etas = [float(v) for v in ds["g"].values], [float(v) for v in ds["eta"].values]
    mean = {k: {q: float(np.mean([s[q] for s in v if np.isfinite(s[q])] or [np.nan])) for q in v[0]}
            for k, v in stats.items()}
    fig, axes = plt.subplots(len(etas), len(gs), figsize=(3.6 * len(gs), 2.6 * len(etas)), squeeze=False,
                             sharex=True)
    tdim = next(d for d in ds["spikes_E"].dims if str(d).startswith("time"))
    run_dims = ds["spikes_E"].dims[: ds["spikes_E"].dims.index(tdim)]
    first = {d: 0 for d in run_dims if d not in ("g", "eta")}  # seed 0, first value of any other axis
    seed0 = {"seed": ds["seed"].values[0]} if "seed" in ds.dims else {}
    for row, eta in enumerate(sorted(etas, reverse=True)):
        for col, g in enumerate(sorted(gs)):
            ax = axes[row][col]
            run = ds.isel(first).sel(g=g, eta=eta)
            spikes = run["spikes_E"]
            times = np.asarray(spikes[tdim].values)
            window = (times >= times[-1] - 200.0)
            raster = np.asarray(spikes.isel({tdim: window}).values)[:, :100]
            t_idx, n_idx = np.nonzero(raster)
            ax.scatter(times[window][t_idx], n_idx, s=1, marker="|", c="k", linewidths=0.4)
            pop = run.bb.psth(1.0, var="spikes_E")
            pop = pop.isel({pop.dims[-1]: slice(-200, None)})
            twin = ax.twinx()
            twin.plot(pop[pop.dims[-1]].values, pop.values, c="tab:red", lw=0.6)
            twin.set_yticks([])
            m = mean.get((g, eta))
            label = "" if m is None else f"\n{m['rate']:.1f} Hz, CV {m['cv_isi']:.2f}, sync {m['synchrony']:.1f}"
            ax.set_title(f"g = {g:g}, η = {eta:g}{label}", fontsize=9)
            ax.set_yticks([])
            if row == len(etas) - 1:
                ax.set_xlabel("time (ms)")
    fig.suptitle(f"{name}: last 200 ms of seed {seed0.get('seed', 0)}, 100 E neurons; red: E population rate "
                 "(1 ms bins); statistics: mean over seeds after 200 ms", fontsize=9)
    _save(fig, os.path.join(out_dir, f"{name}_phase.png"))

    fig, ax = plt.subplots(figsize=(1.6 * len(gs) + 2.5, 1.2 * len(etas) + 1.8))
    grid = np.array([[mean.get((g, eta), {}).get("rate", np.nan) for g in sorted(gs)] for eta in sorted(etas)])
    im = ax.imshow(grid, origin="lower", cmap="viridis", aspect="auto")
    for r, eta in enumerate(sorted(etas)):
        for c, g in enumerate(sorted(gs)):
            m = mean.get((g, eta))
            if m is not None:
                light = m["rate"] > np.nanmean(grid)  # dark text on the bright end of viridis
                ax.text(c, r, f"{m['rate']:.1f} Hz\nCV {m['cv_isi']:.2f}\nsync {m['synchrony']:.1f}", ha="center",
                        va="center", fontsize=8, color="k" if light else "w")
    ax.set_xticks(range(len(gs)), [f"{g:g}" for g in sorted(gs)])
    ax.set_yticks(range(len(etas)), [f"{e:g}" for e in sorted(etas)])
    ax.set_xlabel("g (relative inhibition)")
    ax.set_ylabel("η = ν_ext / ν_thr")
    fig.colorbar(im, ax=ax, label="rate (Hz)")
    ax.set_title(f"{name}: rate, CV of ISI, synchrony per cell")
    _save(fig, os.path.join(out_dir, f"{name}_grid.png"))


def microcircuit_picture(name: str, store: str, out_dir: str, window: float = 200.0, share: float = 0.1) -> None:
    """The Potjans & Diesmann picture: a raster of the last ``window`` ms with the populations stacked (L2/3 on top,
    a ``share`` of each population's neurons), and each population's mean rate after the transient (mean and
    spread over seeds) beside the full-scale rates NEST publishes with the model (a downscaled network's rates differ
    from them: at scale 0.1, in-degrees 0.1, NEST's own L4I rate is 5.0 Hz, docs/performance.md)."""
    exp = bb.load_experiment(os.path.join(os.path.dirname(os.path.abspath(__file__)), "microcircuit.py"))
    pops, nest = exp.module.POPS, exp.module.FULL_MEAN_RATES
    ds = bb.open_results(store)
    sel = _first_done(ds)
    fig, (raster, bars) = plt.subplots(1, 2, figsize=(12, 5), gridspec_kw={"width_ratios": [2, 1]})
    top, ticks = 0, []
    for k, pop in enumerate(pops):
        spikes = ds[f"spikes_{pop}"].sel(sel)
        tdim = next(d for d in spikes.dims if str(d).startswith("time"))
        times = np.asarray(spikes[tdim].values)
        shown = spikes.isel({tdim: times >= times[-1] - window + 1e-9})
        n = max(1, int(round(share * spikes.shape[-1])))
        t_idx, n_idx = np.nonzero(np.asarray(shown.values)[:, :n])
        raster.scatter(shown[tdim].values[t_idx], -(top + n_idx), s=4, marker="|", linewidths=0.8,
                       c="tab:blue" if pop.endswith("E") else "tab:red")
        ticks.append((-(top + n / 2), pop))
        top += n + 5
    raster.set_yticks([t for t, _ in ticks], [p for _, p in ticks])
    raster.set_xlabel("time (ms)")
    raster.set_title(f"{name}: last {window:g} ms of {', '.join(f'{k}={v}' for k, v in sel.items())}, "
                     f"{share:.0%} of each population", fontsize=9)
    t_stat = exp.module.T_STAT
    rates = []
    for pop in pops:
        tdim = next(d for d in ds[f"spikes_{pop}"].dims if str(d).startswith("time"))
        keep = [f"spikes_{pop}"] + [v for v in ("status", "done") if v in ds]  # the runs' status: failed ones are NaN
        after = ds[keep].isel({tdim: ds[tdim].values >= t_stat - 1e-9})  # the transient from V0 left out
        per_run = after.bb.mean_rate(f"spikes_{pop}").load()
        rates.append((float(per_run.mean()), float(per_run.std()) if per_run.size > 1 else 0.0))
    x = np.arange(len(pops))
    bars.bar(x - 0.2, [m for m, _ in rates], 0.4, yerr=[e for _, e in rates], label="brainbatch")
    size = {k: sel.get(k, ds.attrs.get("defaults", {}).get(k)) for k in ("scale", "k_scale")}
    bars.bar(x + 0.2, nest, 0.4, color="0.6", label="NEST, full scale (published)" + (
        "" if size == {"scale": 1, "k_scale": 1} else f";\nthis store: scale {size['scale']}, in-degrees x {size['k_scale']}"))
    bars.set_xticks(x, pops, rotation=45)
    bars.set_ylabel(f"mean rate after {t_stat:g} ms (Hz)")
    bars.set_ylim(0, 1.3 * max(max(nest), max(m + e for m, e in rates)))
    bars.legend(fontsize=7, loc="upper left")
    bars.set_title("rates per population", fontsize=9)
    _save(fig, os.path.join(out_dir, f"{name}_activity.png"))


#: Brian2 2.9 cpp_standalone, Song 2000 at ratio 1.05 (its example, Euler), 24 runs of 100 s: fractions of weights
#: below 0.1 gmax and above 0.9 gmax, mean over runs (bench/reference/song2000_brian2.py; bench/reference/README.md)
BRIAN2_SONG = {"low": 0.235, "high": 0.195, "ratio": 1.05}


def _upper_bound(ds, sel: dict, rec) -> float:
    """The weights' upper bound of the runs ``sel`` picks: swept (``-p gmax=0.01,0.05``), one ``-p`` value, else the
    experiment's default; the largest weight where none is known. (The default alone scaled a swept gmax's
    histogram and near-bound fractions by the wrong bound.)"""
    for name in ("gmax", "w_max"):
        if name in sel:
            return float(sel[name])
        given = ds.attrs.get("params", {}).get(name)
        if given is not None and len(given) == 1:
            return float(given[0])
        if name in ds.attrs.get("defaults", {}):
            return float(ds.attrs["defaults"][name])
    return float(rec.max())


def weight_picture(name: str, store: str, out_dir: str) -> None:
    """Plastic weights: the final distribution per swept value (all seeds pooled, from the saved state at the end
    of the run), and the fractions near each bound over time (< 0.1 w_max and > 0.9 w_max: the quantities
    compared with Brian2, docs/plasticity.md), mean over seeds."""
    ds = bb.open_results(store, states=True)
    # the plastic projection: the one whose post -> pre index is in the saved state
    plastic = [str(n)[len("states/"):-len(".post_index")] for n in ds.data_vars if str(n).endswith(".post_index")][0]
    rec = ds.bb.synapses("w", projection=plastic)  # padding slots NaN
    end_s = float(ds.attrs["duration_ms"]) / 1000.0
    # final weights: the saved state at the end (the last record is one stride earlier); padding slots left out
    final = ds[f"states/{plastic}.w"]
    n_post = ds.sizes[f"{plastic.replace('.', '_')}_post"]
    real = (ds[f"states/{plastic}.targets"] < n_post).values.reshape(final.shape)
    final = final.where(real)
    swept = [d for d in ds["done"].dims if d != "seed"]
    tdim = rec.dims[-2]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    values = [None] if not swept else list(ds[swept[0]].values)
    for k, value in enumerate(values):
        color = f"C{k}"
        sel = {} if value is None else {swept[0]: value}
        label = "all runs" if value is None else f"{swept[0]}={value:g}"
        w_max = _upper_bound(ds, sel, rec)
        w_end = np.asarray(final.sel(sel).values).ravel()
        axes[0].hist(w_end[np.isfinite(w_end)] / w_max, bins=40, range=(0, 1), histtype="step", density=True,
                     color=color, label=label)
        w = rec.sel(sel)
        run_dims = [d for d in w.dims if d not in (tdim, w.dims[-1])]
        n = w.notnull().sum(w.dims[-1])
        low = ((w < 0.1 * w_max).sum(w.dims[-1]) / n).mean(run_dims)
        high = ((w > 0.9 * w_max).sum(w.dims[-1]) / n).mean(run_dims)
        end = {q: float(np.nanmean(f(w_end))) for q, f in
               (("low", lambda x: (x < 0.1 * w_max)[np.isfinite(x)]), ("high", lambda x: (x > 0.9 * w_max)[np.isfinite(x)]))}
        t = np.append(w[tdim].values / 1000.0, end_s)
        if name != "stdp_song2000":  # a short network run: the weights spread, few reach a bound yet
            mean = np.append((w.mean(w.dims[-1]) / w_max).mean(run_dims).values, np.nanmean(w_end) / w_max)
            std = np.append((w.std(w.dims[-1]) / w_max).mean(run_dims).values, np.nanstd(w_end) / w_max)
            axes[1].plot(t, mean, color=color, label=f"mean, {label}")
            axes[1].fill_between(t, mean - std, mean + std, color=color, alpha=0.15)
            continue
        axes[1].plot(t, np.append(high.values, end["high"]), color=color, label=f"> 0.9 w_max, {label}")
        axes[1].plot(t, np.append(low.values, end["low"]), "--", color=color, label=f"< 0.1 w_max, {label}")
        if name == "stdp_song2000" and value is not None and abs(float(value) - BRIAN2_SONG["ratio"]) < 1e-9:
            axes[1].plot([end_s, end_s], [BRIAN2_SONG["high"], BRIAN2_SONG["low"]], "k*", markersize=9,
                         label="Brian2 2.9, 6 seeds")
    bound = "each run's w_max" if swept and swept[0] in ("gmax", "w_max") else f"w_max = {w_max:g}"
    axes[0].set_xlabel(f"weight / w_max at the end ({end_s:g} s; {bound})")
    axes[0].set_ylabel("density")
    axes[0].legend()
    axes[1].set_xlabel("time (s)")
    axes[1].set_ylabel("fraction of synapses (mean over seeds)" if name == "stdp_song2000" else
                       "weight / w_max: mean ± std over synapses")
    axes[1].legend(fontsize=7)
    n_seeds = ds.sizes.get("seed", 1)
    fig.suptitle(f"{name}: STDP weight distribution ({n_seeds} seeds per value)")
    _save(fig, os.path.join(out_dir, f"{name}_weights.png"))


def release_picture(name: str, store: str, out_dir: str) -> None:
    """Short-term plasticity: release per spike against the input rate, one curve per other swept value
    (mean +- sd over seeds), the Poisson theory U / (1 + U rate tau_d) dashed where tau_f = 0."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("stp_tsodyks", os.path.join(os.path.dirname(__file__),
                                                                             "stp_tsodyks.py"))
    exp = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(exp)
    ds = bb.open_results(store)
    r = exp.release_per_spike(ds)
    if "rate" not in r.dims:  # a sampled rate is a coordinate over `sample`: no curve (it raised in errorbar)
        raise SystemExit(f"{store}: the release picture draws the release against a grid of rates (-p rate=1,10,40); "
                         "this store " + ("samples rate (a coordinate over `sample`)" if "rate" in ds.coords
                                          else "has no rate axis") + ": use `brainbatch show STORE --experiment "
                         "experiments/stp_tsodyks.py` for each sample's release")
    defaults = {**dict(U=0.5, tau_f=0.0, tau_d=200.0), **ds.attrs.get("defaults", {})}
    others = [d for d in r.dims if d not in ("seed", "rate")]
    fig, ax = plt.subplots(figsize=(6, 4.5))
    combos = [dict()] if not others else [dict(zip(others, v)) for v in
                                          np.array(np.meshgrid(*[ds[d].values for d in others])).reshape(len(others), -1).T]
    rates = ds["rate"].values
    fine = np.geomspace(rates.min(), rates.max(), 100)
    for k, sel in enumerate(combos):
        curve = r.sel(sel)
        mean = curve.mean("seed") if "seed" in curve.dims else curve
        err = curve.std("seed") if "seed" in curve.dims else 0 * curve
        p = {**defaults, **{key: float(v) for key, v in sel.items()}}
        label = ", ".join(f"{key}={float(v):g}" for key, v in sel.items()) or f"U={p['U']:g}, tau_f={p['tau_f']:g}"
        ax.errorbar(rates, mean.values, yerr=err.values, marker="o", color=f"C{k}", label=label)
        if p["tau_f"] == 0:
            ax.plot(fine, exp.theory(fine, p["U"], p["tau_d"]), "--", color=f"C{k}", linewidth=1)
    ax.set_xscale("log")
    ax.set_xlabel("input rate per source (Hz)")
    ax.set_ylabel("release per spike <r>")
    ax.set_title(f"{name}: Tsodyks-Markram synapses (dashed: Poisson theory, tau_f = 0)", fontsize=9)
    ax.legend(fontsize=8)
    _save(fig, os.path.join(out_dir, f"{name}_release.png"))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
