"""Song, Miller & Abbott (2000): additive STDP of 1000 Poisson inputs onto one LIF neuron (Brian2's example).

1000 inputs at ``rate`` = 15 Hz, all-to-all onto one LIF neuron (tau_m 10 ms, E_L -74 mV, V_th -54 mV,
V_reset -60 mV, ``tau_m dV/dt = g (0 - V) + E_L - V`` with ``dg/dt = -g / 5 ms``, both Euler as in Brian2's
example, dt 0.1 ms: ``g`` decays by ``1 - dt / 5 ms`` per step, ``Exponential(5.0, method="euler")``).
Additive pair-based STDP (docs/plasticity.md): ``taupre = taupost = 20 ms``, ``dApre = 0.01 gmax``,
``dApost = -ratio dApre`` (ratio 1.05), weights in [0, gmax], gmax = 0.01, initially uniform on
[0, gmax]. After 100 s the weights pile up at 0 and at gmax (a U-shaped distribution) and the output
rate settles; bench/stdp_song2000_brian2.py is the Brian2 reference (docs/plasticity.md, "Validation").

    brainbatch sweep experiments/stdp_song2000.py --seeds 8
    brainbatch sweep experiments/stdp_song2000.py --seeds 4 -p ratio=1.0,1.05,1.1,1.2 --duration 50000
"""
import brainbatch as bb

sweep = {}
monitors = {"spikes": "neuron.spike", "w": bb.Monitor("S.w", every=50_000)}  # weights every 5 s
duration = 100_000.0
dt = 0.1


def build(rate=15.0, ratio=1.05, gmax=0.01, n_inputs=1000, tau=20.0):
    inputs = bb.PoissonGroup(n_inputs, freqs=rate)
    neuron = bb.LIF(1, V_rest=-74.0, V_reset=-60.0, V_th=-54.0, tau=10.0, V_initializer=bb.Constant(-60.0),
                    method="euler")
    dApre = 0.01 * gmax
    rule = bb.STDP(dApre=dApre, dApost=-ratio * dApre, taupre=tau, taupost=tau, w_min=0.0, w_max=gmax)
    S = bb.Projection(inputs, neuron, bb.AllToAll(), bb.Exponential(5.0, method="euler"), bb.COBA(0.0),
                      weight=bb.Uniform(0.0, gmax), plasticity=rule)
    return bb.Network(inputs=inputs, neuron=neuron, S=S)


def analyse(ds):
    """Output rate, and the fractions of weights below 0.1 gmax and above 0.9 gmax at the last record (every 5 s:
    a run shorter than that has only its start weights), mean over seeds; per value of each swept parameter (a
    mean over ratios would mix different distributions), each run's weights against its own gmax."""
    w = ds["w"].isel({ds["w"].dims[-2]: -1})
    # each run's own gmax: swept or sampled (a coordinate), else the one value given with -p, else build's default
    # (the default alone measured a run of -p gmax=0.05 against 0.01: most weights "above 0.9 gmax" at the start)
    given = ds.attrs.get("params", {}).get("gmax")
    gmax = (ds["gmax"] if "gmax" in ds.coords else float(given[0]) if given is not None and len(given) == 1
            else float(ds.attrs.get("defaults", {}).get("gmax", w.max())))
    rate = ds.bb.rates(var="spikes").mean("neuron_neuron")
    n = w.notnull().sum(w.dims[-1])
    stats = {"rate (Hz)": (rate, 2), "w < 0.1 gmax": ((w < 0.1 * gmax).sum(w.dims[-1]) / n, 3),
             "w > 0.9 gmax": ((w > 0.9 * gmax).sum(w.dims[-1]) / n, 3)}
    swept = [d for d in rate.dims if d != "seed"]
    out = {}
    for name, (value, digits) in stats.items():
        mean = value.mean("seed") if "seed" in value.dims else value
        if not swept:
            out[name] = round(float(mean), digits)
            continue
        for point in mean.stack(point=swept).transpose("point", ...):
            where = ", ".join(f"{d}={point[d].item():g}" for d in swept)
            out[f"{name}, {where}"] = round(float(point), digits)
    return out
