"""Brunel (2000) model A, scaled: a sparse E/I network of LIF neurons with delta synapses.

N_E = 4000 and N_I = 1000 LifRef neurons: tau dV/dt = -V (V_rest = 0), tau = 20 ms, threshold
theta = 20 mV, reset V_r = 10 mV, refractory 2 ms (V clamped), V0 uniform in [0, 20] mV. Every neuron
receives exactly C_E = 400 E and C_I = 100 I sources (fixed in-degree, autapses allowed); a spike
makes V jump by J = 0.1 mV (E) or -g J (I) after D = 1.5 ms (``Delta`` synapses). External drive: C_E
Poisson sources per neuron at eta * nu_thr each adding J, nu_thr = theta / (J C_E tau) = 25 Hz.
dt 0.1 ms, 1000 ms; statistics after 200 ms.

g (relative inhibition) and eta (external drive / threshold drive) choose the regime: g = 3 is
excitation-dominated and synchronous-regular at high rates; g = 5, 6 are inhibition-dominated.
``analyse`` gives per cell the rate, the CV of the interspike intervals and a synchrony index (the
Fano factor of the population spike count in 1 ms bins: about 1 for independent neurons, large when
the population oscillates). Rates agree with Brian2 2.9 (bench/brunel_brian2.py) within 2 % per cell.

    brainbatch sweep experiments/brunel.py --seeds 2 --devices cpu:2
    brainbatch sweep experiments/brunel.py -p g=4,4.5,5 -p eta=1,1.5,2    # -p replaces those axes
"""
import brainunit as u
import numpy as np

import brainbatch as bb
from _analysis import sampled_parameters
from brainbatch.store import cv_isi

sweep = {"g": [3.0, 5.0, 6.0], "eta": [0.9, 2.0]}
monitors = {"spikes_E": "E.spike", "spikes_I": "I.spike"}
duration = 1.0 * u.second
dt = 0.1 * u.ms
static = ("D",)  # the delay sizes a buffer; integer parameters are compiled per value anyway

THETA, V_R, TAU, TAU_REF = 20.0 * u.mV, 10.0 * u.mV, 20.0 * u.ms, 2.0 * u.ms
T_STAT = 200.0  # ms: statistics ignore the first 200 ms (the transient from V0)


def nu_thr(J=0.1, c_e=400):
    """The external rate (Hz per source) that brings the mean free V to threshold: theta / (J C_E tau)."""
    # J in mV (plain: it is swept and scales weights), the result in Hz
    return THETA.to_decimal(u.mV) / (J * c_e * TAU.to_decimal(u.ms)) * 1000.0


def build(g=5.0, eta=2.0, J=0.1, D=1.5 * u.ms, n_e=4000, n_i=1000, c_e=400, c_i=100):
    def group(n):
        return bb.LifRef(n, V_rest=0.0, V_reset=V_R, V_th=THETA, tau=TAU, tau_ref=TAU_REF,
                         V_initializer=bb.Uniform(0.0 * u.mV, THETA))

    E, I = group(n_e), group(n_i)

    def proj(pre, post, in_degree, w):
        return bb.Projection(pre, post, bb.FixedInDegree(in_degree), bb.Delta(), weight=w, delay=D)

    def drive(post):
        return bb.PoissonInput(post.V, num_input=c_e, freq=eta * nu_thr(J, c_e), weight=J)

    return bb.Network(
        E=E, I=I,
        E2E=proj(E, E, c_e, J), E2I=proj(E, I, c_e, J), I2E=proj(I, E, c_i, -g * J), I2I=proj(I, I, c_i, -g * J),
        drive_E=drive(E), drive_I=drive(I),
    )


# -- statistics: plain numpy on one run's rasters, so a test can use them without a store ----------
def statistics(spikes_E, spikes_I, dt=0.1, t_stat=T_STAT):
    """Rate (Hz, all / E / I), CV of ISI and synchrony of one run, over ``[t_stat, end)``.

    ``spikes_E``, ``spikes_I``: bool ``(time, neuron)`` rasters sampled every ``dt`` ms from t = 0.
    CV: mean over neurons with at least 3 spikes in the window. Synchrony: variance / mean of the
    population spike count in 1 ms bins.
    """
    start = int(round(t_stat / dt))
    both = np.concatenate([np.asarray(spikes_E)[start:], np.asarray(spikes_I)[start:]], axis=1)
    n_steps, n = both.shape
    window_s = n_steps * dt / 1000.0
    per_bin = int(round(1.0 / dt))
    if n_steps < per_bin:  # a run of t_stat or less (--duration 100) failed in reshape: "array of size 0"
        raise ValueError(f"the statistics leave out the first {t_stat:g} ms (the transient from V0) and need at least "
                         f"1 ms after them; this run lasts {np.shape(spikes_E)[0] * dt:g} ms: sweep with a --duration "
                         f"of more than {t_stat + 1:g} ms")
    pop = both.sum(axis=1)[: n_steps // per_bin * per_bin].reshape(-1, per_bin).sum(axis=1)
    cv = cv_isi(both.T)  # NaN for neurons with fewer than 3 spikes in the window: left out of the mean
    cv = cv[~np.isnan(cv)]
    n_e = np.shape(spikes_E)[1]
    return {
        "rate": float(both.sum() / (n * window_s)),
        "rate_E": float(both[:, :n_e].sum() / (n_e * window_s)),
        "rate_I": float(both[:, n_e:].sum() / ((n - n_e) * window_s)),
        "cv_isi": float(cv.mean()) if cv.size else float("nan"),
        "synchrony": float(pop.var() / pop.mean()) if pop.mean() > 0 else float("nan"),
    }


def cells(ds, t_stat=T_STAT):
    """Per run of a results Dataset: ``{run coords: statistics}`` for finished runs."""
    spikes_E, spikes_I = ds["spikes_E"], ds["spikes_I"]
    tdim = next(d for d in spikes_E.dims if str(d).startswith("time"))
    run_dims = list(spikes_E.dims[: spikes_E.dims.index(tdim)])
    # the store's dt (a record's own attributes hold none): --dt 0.05 read at the module's 0.1 ms halved every rate
    step = float(ds.attrs.get("dt", spikes_E.attrs.get("dt", dt.to_decimal(u.ms))))
    out = {}
    for idx in np.ndindex(*(spikes_E.sizes[d] for d in run_dims)):
        sel = {d: k for d, k in zip(run_dims, idx)}
        coords = tuple((d, spikes_E[d].values[k].item()) for d, k in sel.items())
        if "done" in ds and not bool(ds["done"].isel(sel).values):
            continue
        e, i = (np.asarray(v.isel(sel).values) for v in (spikes_E, spikes_I))
        # a swept n_e / n_i pads the smaller runs' rasters with NaN (their rate was NaN): each run's own neurons
        e, i = (a[:, ~np.isnan(a).all(axis=0)] if a.dtype.kind == "f" else a for a in (e, i))
        out[coords] = statistics(e, i, step, t_stat)
    return out


def analyse(ds):
    """Per cell (every swept value, mean over seeds): rate (Hz), CV of ISI and synchrony after 200 ms."""
    by_cell = {}
    # a sampled design's samples by their parameters (coordinates over `sample`)
    sampled = sampled_parameters(ds)

    def label(coords):  # label cells by the axes with more than one value
        return ", ".join(
            ", ".join(f"{c}={float(ds[c].sel(sample=v).values):g}" for c in sampled)
            if d == "sample" and sampled else f"{d}={v:g}"
            for d, v in coords if d != "seed" and ds.sizes[d] > 1) or "all runs"

    for coords, stats in cells(ds).items():
        by_cell.setdefault(label(coords), []).append(stats)
    run_dims = [d for d in ds["done"].dims] if "done" in ds else []
    every = {label(tuple((d, ds[d].values[k].item()) for d, k in zip(run_dims, idx)))
             for idx in np.ndindex(*(ds.sizes[d] for d in run_dims))}
    left = sorted(every - set(by_cell))  # failed or not run yet: named, not left out silently

    def mean(runs, q):
        values = [s[q] for s in runs if np.isfinite(s[q])]
        return float(np.mean(values)) if values else float("nan")

    return {
        **{key: f"rate {mean(runs, 'rate'):.2f} Hz, CV {mean(runs, 'cv_isi'):.2f}, "
                f"synchrony {mean(runs, 'synchrony'):.1f} ({len(runs)} seed(s))"
           for key, runs in by_cell.items()},
        **({"no finished run": "; ".join(left)} if left else {}),
    }
