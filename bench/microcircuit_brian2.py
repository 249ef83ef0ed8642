"""Potjans & Diesmann (2014) microcircuit in Brian2 2.9: the independent reference for
``experiments/microcircuit.py``.

Standalone: imports only brian2 / numpy (run it in a bench venv, see bench/README.md). The parameters
are NEST's published PyNEST ones (``Potjans_2014/network_params.py`` and ``helpers.py``), derived here
again: iaf_psc_exp neurons (E_L = V_reset = -65 mV, V_th = -50 mV, C_m 250 pF, tau_m 10 ms, t_ref 2 ms,
V0 ~ N(-58, 10) mV), exponential current synapses (tau_syn 0.5 ms) integrated exactly; per pathway a
fixed total number of synapses (pairs drawn uniformly, multapses and autapses allowed), weights
N(w, 0.1 |w|) redrawn on the wrong side of 0, delays N(d, d/2) redrawn below dt; Poisson background
(8 Hz x K_ext sources) into the synaptic current; scale / k_scale with NEST's DC compensation.

    python bench/microcircuit_brian2.py --scale 0.1 --k-scale 0.1 --duration 1000 --seed 0

Prints one ``RESULT {json}`` line: per-population rates (Hz, after 100 ms), build and run times (s).
"""
from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time

import numpy as np

N_FULL = np.array([20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948])
POPS = ("L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I")
RATES_FULL = np.array([0.971, 2.868, 4.746, 5.396, 8.142, 9.078, 0.991, 7.523])
P = np.array([
    [0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0],
    [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0],
    [0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0],
    [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0],
    [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0],
    [0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0],
    [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
    [0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443]])
K_EXT = np.array([1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100])


def derive(scale, k_scale):
    c_m, tau_m, tau_s = 250.0, 10.0, 0.5
    sub = 1.0 / (tau_s - tau_m)
    pre = tau_m * tau_s / c_m * sub
    frac = (tau_m / tau_s) ** sub
    w_e = 0.15 / (pre * (frac ** tau_m - frac ** tau_s))  # pA for a 0.15 mV PSP
    prod = np.outer(N_FULL, N_FULL)
    full_syn = np.log(1.0 - P) / np.log((prod - 1.0) / prod)
    w = np.tile([w_e, -4.0 * w_e], (8, 4))
    w[0, 2] = 2 * w_e
    w_ext, dc = w_e, np.zeros(8)
    if k_scale != 1:
        rec = np.sum(w * full_syn / N_FULL[:, None] * RATES_FULL, axis=1)
        dc = 0.001 * tau_s * (1 - np.sqrt(k_scale)) * (rec + w_ext * K_EXT * 8.0)
        w, w_ext = w / np.sqrt(k_scale), w_ext / np.sqrt(k_scale)
    return (np.round(N_FULL * scale).astype(int), np.round(full_syn * scale * k_scale).astype(int),
            np.round(K_EXT * k_scale).astype(int), w, w_ext, dc)


def redraw_normal(rng, mean, sd, low, high, n):
    out = rng.normal(mean, sd, n)
    bad = (out < low) | (out > high)
    while bad.any():
        out[bad] = rng.normal(mean, sd, bad.sum())
        bad = (out < low) | (out > high)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=0.1)
    ap.add_argument("--k-scale", type=float, default=0.1)
    ap.add_argument("--duration", type=float, default=1000.0)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    import brian2 as b2
    from brian2 import ms, mV, pA, pF, Hz

    t0 = time.perf_counter()
    workdir = tempfile.mkdtemp(prefix="mc_brian2_")
    b2.set_device("cpp_standalone", directory=workdir, build_on_run=False)
    b2.prefs.devices.cpp_standalone.openmp_threads = 0
    b2.defaultclock.dt = 0.1 * ms
    n, num_syn, k_ext, w, w_ext, dc = derive(args.scale, args.k_scale)
    rng = np.random.default_rng(args.seed)
    b2.seed(args.seed)
    off = np.concatenate([[0], np.cumsum(n)])
    eqs = """dv/dt = (-(v - E_L) + (I_syn + I_dc) / C_m * tau_m) / tau_m : volt (unless refractory)
             dI_syn/dt = -I_syn / tau_s : amp
             I_dc : amp"""
    G = b2.NeuronGroup(int(off[-1]), eqs, threshold="v >= V_th", reset="v = V_reset", refractory=2 * ms,
                       method="exact", namespace=dict(E_L=-65 * mV, C_m=250 * pF, tau_m=10 * ms, tau_s=0.5 * ms,
                                                       V_th=-50 * mV, V_reset=-65 * mV))
    G.v = rng.normal(-58.0, 10.0, off[-1]) * mV
    G.I_dc = np.repeat(dc, n) * pA
    src, tgt, ws, ds = [], [], [], []
    for h in range(8):
        for g in range(8):
            k = int(num_syn[h, g])
            if k <= 0:
                continue
            src.append(off[g] + rng.integers(0, n[g], k))
            tgt.append(off[h] + rng.integers(0, n[h], k))
            m = w[h, g]
            ws.append(redraw_normal(rng, m, abs(m) * 0.1, 0.0 if m > 0 else -np.inf, np.inf if m > 0 else 0.0, k))
            d = 1.5 if g % 2 == 0 else 0.75
            ds.append(redraw_normal(rng, d, d * 0.5, 0.1, np.inf, k))
    S = b2.Synapses(G, G, "w : amp", on_pre="I_syn_post += w")
    S.connect(i=np.concatenate(src), j=np.concatenate(tgt))
    S.w = np.concatenate(ws) * pA
    S.delay = np.concatenate(ds) * ms
    inputs = [b2.PoissonInput(G[off[h]:off[h + 1]], "I_syn", N=int(k_ext[h]), rate=8.0 * Hz, weight=w_ext * pA)
              for h in range(8)]
    mon = b2.SpikeMonitor(G)
    net = b2.Network(G, S, mon, *inputs)
    net.run(args.duration * ms)
    t_setup = time.perf_counter() - t0
    t1 = time.perf_counter()
    b2.device.build(directory=workdir, compile=True, run=True, debug=False)
    t_build_run = time.perf_counter() - t1
    i, t = np.asarray(mon.i[:]), np.asarray(mon.t[:] / ms)
    keep = t >= 100.0
    counts = np.bincount(i[keep], minlength=int(off[-1]))
    window = (args.duration - 100.0) / 1000.0
    rates = {p: float(counts[off[k]:off[k + 1]].mean() / window) for k, p in enumerate(POPS)}
    print("RESULT " + json.dumps(dict(
        scale=args.scale, k_scale=args.k_scale, duration_ms=args.duration, seed=args.seed, neurons=int(off[-1]),
        synapses=int(num_syn.sum()), rates_hz=rates, python_setup_s=round(t_setup, 2),
        compile_and_run_s=round(t_build_run, 2), run_loop_s=round(float(b2.device._last_run_time), 2),
        peak_rss_gb=round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e6, 3),
        brian2=b2.__version__)))


if __name__ == "__main__":
    main()
