"""Whole-brain FitzHugh-Nagumo model: 80 regions, diffusive coupling with per-pair conduction delays,
Ornstein-Uhlenbeck noise (BrainPy's whole-brain FHN example; its HCP connectome, which BrainPy 2.8.2
no longer ships, is replaced by a seeded synthetic one from ``_connectome.py``).

Each region is an ``FHN`` node (BrainPy's defaults) driven by 0.72 (it oscillates alone) and by OU
noise of strength ``sigma`` on x and y; regions are coupled by ``DiffusiveCoupling`` with weights
``G * C`` and delays ``round(D / signal_speed / dt)`` steps (D: fibre lengths in mm, speed in mm/ms).
x is recorded every 1 ms. ``analyse`` gives the mean functional connectivity (mean off-diagonal
correlation of the regions' x after the first 200 ms) and the mean and spread of x.

    brainbatch sweep experiments/whole_brain.py --seeds 1         # the 8 x 8 G x sigma grid: 64 runs
    brainbatch run experiments/whole_brain.py -p G=1.0 -p sigma=0.01

The same model in BrainPy 2.8.2 is ``bench/brainpy_models.py whole_brain`` (bench case 9).
"""
import numpy as np

import brainbatch as bb
from _analysis import per_cell, unfinished
from _connectome import N_REGIONS, connectome, delay_steps, statistics

sweep = {"G": [0.25 * k for k in range(1, 9)], "sigma": [0.0025 * k for k in range(1, 9)]}
duration = 2000.0
dt = 0.1
monitors = {"x": bb.Monitor("fhn.x", every=10)}  # 1 ms
inputs = [("fhn.input", 0.72)]


def build(G=1.0, sigma=0.01, n=N_REGIONS, signal_speed=20.0):
    C, D = connectome(n)
    fhn = bb.FHN(n, x_ou_sigma=sigma, y_ou_sigma=sigma)
    coupling = bb.DiffusiveCoupling(fhn.x, fhn.x, fhn.input, conn_mat=G * C,
                                    delay_steps=delay_steps(D, signal_speed, bb.get_dt()),  # the run's dt (--dt)
                                    initial_delay_data=bb.Uniform(0.0, 0.05))
    return bb.Network(fhn=fhn, coupling=coupling)


def run_statistics(x):
    """``statistics`` of every run of a stored ``x`` (dims: the sweep's, a time dim, a region dim):
    ``{run coordinates: {...}}``."""
    time = next(d for d in x.dims if d.startswith("time"))
    region = x.dims[-1]
    runs = [d for d in x.dims if d not in (time, region)]
    flat = x.stack(run=runs).transpose("run", time, region)
    # the record's own sampling step (ms): 10 steps of the run's dt (1 ms at the module's dt, 0.5 ms at --dt 0.05)
    every = float(x[time][1] - x[time][0]) if x.sizes[time] > 1 else 1.0
    out = {}
    for k, key in enumerate(flat.indexes["run"]):
        run = flat.values[k]
        # a swept n pads the smaller runs' regions with NaN (their mean was NaN): each run's own regions
        real = ~np.isnan(run).all(axis=0)
        out[key] = (statistics(run[:, real], every) if real.sum() > 1 else
                    {"fc_mean": float("nan"), "x_mean": float("nan"), "x_std": float("nan")})  # not run
    return out


def analyse(ds):
    """Mean functional connectivity and the mean and sd of x: over the seeds, for each swept value (each combination
    of the axes with more than one value: G x sigma), or over all runs when nothing is swept."""
    x = ds["x"].load()
    stats = run_statistics(x)
    runs = [d for d in x.dims if not d.startswith("time") and d != x.dims[-1]]
    # the runs' coordinates, a sampled design's parameters over `sample` among them
    template = x.isel({d: 0 for d in x.dims if d not in runs}, drop=True)
    done = ds.get("done")  # a combination with no finished run is named, not given a line of NaN
    cells, left = {}, {}
    for key in next(iter(stats.values())):
        values = np.array([s[key] for s in stats.values()]).reshape([x.sizes[d] for d in runs])  # stack's order
        per_run = template.copy(data=values)
        cells[key], left = per_cell(per_run, done), unfinished(per_run, done)
    labels = list(next(iter(cells.values())))
    if labels == [""]:
        return {**{f"{key} (mean over runs)": round(by[""], 6) for key, by in cells.items()}, **left}
    return {**{label: ", ".join(f"{key} {by[label]:.4g}" for key, by in cells.items()) for label in labels}, **left}
