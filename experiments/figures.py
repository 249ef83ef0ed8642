"""Figures for `make reproduce`: a raster, the population rate, and the experiment's own curve.

    python experiments/figures.py coba results/coba/reproduce.zarr results/coba
"""
from __future__ import annotations

import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import brainbatch as bb  # noqa: E402


def _first_done(ds):
    done = ds["done"]
    for idx in zip(*[a.tolist() for a in done.values.nonzero()]):
        return {d: done[d].values[i].item() for d, i in zip(done.dims, idx)}
    raise SystemExit("no finished run in the store")


def main(name: str, store: str, out_dir: str) -> None:
    os.makedirs(out_dir, exist_ok=True)
    ds = bb.open_results(store)
    sel = _first_done(ds)
    spike_vars = [v for v in ds.data_vars if ds[v].attrs.get("kind") == "spikes"]
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
    fig.tight_layout()
    path = os.path.join(out_dir, f"{name}_activity.png")
    fig.savefig(path, dpi=120)
    print(f"wrote {path}")
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
        fig.tight_layout()
        path = os.path.join(out_dir, f"{name}_rate_curve.png")
        fig.savefig(path, dpi=120)
        print(f"wrote {path}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
