"""Short-term plasticity: what a synapse releases per spike against the input rate (Tsodyks-Markram).

200 Poisson sources at `rate` Hz project onto one passive neuron through exponential current synapses
(tau_s = 5 ms) with `bb.STP(U, tau_f, tau_d)` (docs/plasticity.md, "Short-term plasticity"). The mean
release per spike <r> is read off the mean synaptic current and the spikes sent, both recorded from
`SETTLE` ms on: a spike adds w r to g, which then decays by exp(-dt / tau_s) per step, so
<g> = w <r> (spikes per step) / (1 - exp(-dt / tau_s)) (about tau_s / dt + 1/2 steps of it). With `tau_f = 0` (depression only) a Poisson train releases exactly
U / (1 + U rate tau_d) per spike (Tsodyks & Markram 1997): the analysis prints it beside the measure.
A facilitating synapse (small U, long tau_f) releases more per spike as the rate grows, until
depression takes over.

    brainbatch sweep experiments/stp_tsodyks.py --seeds 4
    brainbatch sweep experiments/stp_tsodyks.py -p U=0.05 -p tau_f=0,1000 -p tau_d=100 --seeds 4
"""
import itertools

import numpy as np

import brainbatch as bb
from _analysis import sampled_parameters

sweep = {"rate": [1.0, 2.0, 5.0, 10.0, 20.0, 40.0, 80.0]}
#: ms: what is recorded starts here, several times tau_d / (1 + U rate tau_d) after the terminals' rest
SETTLE = 500.0

monitors = {"g": bb.Monitor("syn.syn.g", start=SETTLE),  # the summed current
            "sent": bb.Monitor("pre.spike", reduce="sum", start=SETTLE)}  # spikes sent per step
duration = 2000.0
dt = 0.1


def build(rate=20.0, U=0.5, tau_f=0.0, tau_d=200.0, tau_s=5.0, w=1.0, n_pre=200):
    pre = bb.PoissonGroup(n_pre, freqs=rate)
    post = bb.LIF(1, V_th=1e9)  # passive: only the synaptic current is of interest
    syn = bb.Projection(pre, post, bb.AllToAll(), bb.Exponential(tau_s), bb.CUBA(), weight=w,
                        stp=bb.STP(U=U, tau_f=tau_f, tau_d=tau_d))
    return bb.Network(pre=pre, post=post, syn=syn)


def release_per_spike(ds, w=1.0, tau_s=5.0):
    """<r> per run (plain xarray): mean current x (1 - exp(-dt / tau_s)) / (w x spikes sent per step)."""
    time = [d for d in ds["g"].dims if d.startswith("time")]
    g = ds["g"].mean(time + [d for d in ds["g"].dims if d.endswith("neuron")])
    per_step = ds["sent"].mean([d for d in ds["sent"].dims if d.startswith("time")])
    w = ds["w"] if "w" in ds.coords else w
    tau_s = ds["tau_s"] if "tau_s" in ds.coords else tau_s
    step = float(ds.attrs.get("dt", dt))  # the run's dt (--dt 0.05 halves each step's decay), else the module's
    return g * -np.expm1(-step / tau_s) / (w * per_step)


def theory(rate, U, tau_d):
    """Release per spike of a depressing synapse (tau_f = 0) under a Poisson train of `rate` Hz."""
    return U / (1.0 + U * rate * tau_d / 1000.0)


def analyse(ds):
    """Release per spike for each swept value (mean over seeds, finished runs only), with the depression-only theory;
    a sampled design's samples are labelled by their parameters."""
    r = release_per_spike(ds)
    done = ds["done"] if "done" in ds else None
    if done is not None and "seed" in r.dims:
        done = done.any("seed")
    r = r.mean("seed") if "seed" in r.dims else r
    sampled = sampled_parameters(ds)
    out, left = {}, []
    for point in itertools.product(*(r[d].values.tolist() for d in r.dims)):
        labels = dict(zip(r.dims, point))
        if "sample" in labels:  # a sampled design: each sample's own parameters (a coordinate over `sample`)
            labels = {**{k: v for k, v in labels.items() if k != "sample"},
                      **{k: float(ds[k].sel(sample=labels["sample"]).values) for k in sampled}}
        at = dict(zip(r.dims, point))
        key = ", ".join(f"{k} {v:g}" for k, v in labels.items()) or "release"
        if done is not None and not bool(done.sel(at).values):  # failed or not run yet: no number to give
            left.append(key)
            continue
        value = float(r.sel(at))

        def get(k: str, default: float, labels: dict = labels) -> float:
            return float(labels[k] if k in labels else ds[k].values.item() if k in ds.coords and ds[k].size == 1
                         else default)

        text = f"{value:.4f}"
        if get("tau_f", 0.0) == 0.0:
            text += f" (theory {theory(get('rate', 20.0), get('U', 0.5), get('tau_d', 200.0)):.4f})"
        out[key] = text
    return {**out, **({"no finished run": "; ".join(left)} if left else {})}
