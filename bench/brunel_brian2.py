"""Brunel (2000) model A in Brian2 2.9: the independent reference for ``experiments/brunel.py``.

Standalone: imports only brian2 / numpy (run it in the bench venv, see bench/README.md).

The model (scaled): N_E = 4000, N_I = 1000 LIF neurons, ``tau dV/dt = -V`` (V_rest = 0), tau = 20 ms,
threshold theta = 20 mV (``v >= theta``, brainbatch's comparison), reset V_r = 10 mV, refractory
2 ms ``(unless refractory)`` (V clamped; Brian2 also drops every write to v while refractory), V0
uniform in [0, 20] mV. Every neuron receives exactly C_E = 400 distinct E and C_I = 100 distinct I
sources (uniform, autapses allowed: ``connect(i='k for k in sample(N_pre, size=C)')``), each spike
adding J = 0.1 mV (E) or -g J (I) to v after D = 1.5 ms (``on_pre='v_post += w'``); external drive
``PoissonInput(G, 'v', N=C_E, rate=eta * nu_thr, weight=J)`` with nu_thr = theta / (J C_E tau) = 25 Hz.
dt = 0.1 ms, exact integration.

Statistics over [t_stat, duration) (default 200..1000 ms), computed the same way as
``experiments/brunel.py``'s ``analyse``: mean rate (Hz, all / E / I), CV of the interspike intervals
(mean over neurons with at least 3 spikes in the window) and the synchrony index: the Fano factor
(variance / mean) of the population spike count in 1 ms bins (about 1 for independent Poisson neurons,
large when the network oscillates).

    python bench/brunel_brian2.py run --g 5 --eta 2 --seed 0 [--device cython]
    python bench/brunel_brian2.py reference --seeds 4          # -> bench/reference_rates.json "brunel"
    python bench/brunel_brian2.py sweep --device cpp_standalone --seeds 2   # the 12-run sweep, timed
    python bench/brunel_brian2.py trace                         # the refractory-boundary traces

``sweep`` uses Brian2 as recommended for many runs: for ``cpp_standalone`` the project is built and
compiled once per eta (PoissonInput compiles its rate into the code) and the binary is rerun with
``device.run(run_args={...})`` for every g (the inhibitory weight is a shared synaptic variable) and
seed (each rerun draws its own V0, connectivity and Poisson input); for ``cython`` the network is built
once per run and Brian2's code cache makes every run after the first compile-free.
Each command prints one ``RESULT {json}`` line.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
PARAMS = dict(n_e=4000, n_i=1000, c_e=400, c_i=100, J=0.1, D=1.5, theta=20.0, V_r=10.0, tau=20.0,
              tau_ref=2.0, dt=0.1)
GRID = {"g": [3.0, 5.0, 6.0], "eta": [0.9, 2.0]}
DEVICES = ("runtime", "cython", "cpp_standalone")


def nu_thr_hz(p=PARAMS) -> float:
    """theta / (J C_E tau), in Hz."""
    return p["theta"] / (p["J"] * p["c_e"] * p["tau"]) * 1000.0


def statistics(i, t_ms, n_e, n_i, duration_ms, t_stat_ms=200.0, dt_ms=0.1) -> dict:
    """Rate (Hz), CV of ISI and synchrony (Fano factor of the 1 ms population count) after t_stat."""
    i, t_ms = np.asarray(i), np.asarray(t_ms, dtype=np.float64)
    keep = t_ms >= t_stat_ms - dt_ms / 2
    i, t_ms = i[keep], t_ms[keep]
    n, window_s = n_e + n_i, (duration_ms - t_stat_ms) / 1000.0
    counts = np.bincount(i, minlength=n)
    order = np.lexsort((t_ms, i))
    i_s, t_s = i[order], t_ms[order]
    isi = np.diff(t_s)
    same = i_s[1:] == i_s[:-1]
    cvs = []
    for k in np.nonzero(counts >= 3)[0]:
        d = isi[same & (i_s[1:] == k)]
        cvs.append(d.std() / d.mean())
    steps_per_bin = int(round(1.0 / dt_ms))
    step = np.round(t_ms / dt_ms).astype(np.int64) - int(round(t_stat_ms / dt_ms))
    n_bins = int(round((duration_ms - t_stat_ms) / 1.0))
    pop = np.bincount(step // steps_per_bin, minlength=n_bins)[:n_bins]
    return {
        "rate_hz": float(counts.sum() / (n * window_s)),
        "rates_hz": {"E": float(counts[:n_e].sum() / (n_e * window_s)),
                     "I": float(counts[n_e:].sum() / (n_i * window_s))},
        "cv_isi": float(np.mean(cvs)) if cvs else float("nan"),
        "synchrony": float(pop.var() / pop.mean()) if pop.mean() > 0 else float("nan"),
    }


# --------------------------------------------------------------------------------------------
# the network
# --------------------------------------------------------------------------------------------
def _network(b2, g, eta, p=PARAMS):
    from brian2 import Hz, ms, mV

    b2.defaultclock.dt = p["dt"] * ms
    n = p["n_e"] + p["n_i"]
    ns = {"tau": p["tau"] * ms, "theta": p["theta"] * mV, "V_r": p["V_r"] * mV}
    G = b2.NeuronGroup(n, "dv/dt = -v / tau : volt (unless refractory)", threshold="v >= theta",
                       reset="v = V_r", refractory=p["tau_ref"] * ms, method="exact", namespace=ns, name="G")
    G.v = "rand() * theta"
    E, I = G[:p["n_e"]], G[p["n_e"]:]
    Ce = b2.Synapses(E, G, "w : volt (shared, constant)", on_pre="v_post += w", delay=p["D"] * ms, name="Ce")
    Ci = b2.Synapses(I, G, "w : volt (shared, constant)", on_pre="v_post += w", delay=p["D"] * ms, name="Ci")
    Ce.connect(i=f"k for k in sample(N_pre, size={p['c_e']})")  # fixed in-degree
    Ci.connect(i=f"k for k in sample(N_pre, size={p['c_i']})")
    Ce.w = p["J"] * mV
    Ci.w = -g * p["J"] * mV
    drive = b2.PoissonInput(G, "v", N=p["c_e"], rate=eta * nu_thr_hz(p) * Hz, weight=p["J"] * mV)
    spikes = b2.SpikeMonitor(G, name="spikes")
    return b2.Network(G, Ce, Ci, drive, spikes), Ci, spikes


def _result(spikes, g, eta, seed, duration_ms, t_stat_ms, device, p=PARAMS) -> dict:
    from brian2 import ms

    stats = statistics(np.asarray(spikes.i[:]), np.asarray(spikes.t[:] / ms), p["n_e"], p["n_i"], duration_ms,
                       t_stat_ms, p["dt"])
    return {"g": g, "eta": eta, "seed": seed, "device": device, "duration_ms": duration_ms,
            "t_stat_ms": t_stat_ms, **stats}


def run(g: float, eta: float, seed: int = 0, duration_ms: float = 1000.0, t_stat_ms: float = 200.0,
        device: str = "cython") -> dict:
    """One run on a runtime target (numpy or cython), seeded with Brian2's ``seed(seed)``."""
    import brian2 as b2
    from brian2 import ms

    if device not in ("runtime", "cython"):
        raise ValueError("run() takes a runtime target: 'runtime' or 'cython' (use sweep() for cpp_standalone)")
    t0 = time.perf_counter()
    b2.start_scope()
    b2.prefs.codegen.target = "numpy" if device == "runtime" else "cython"
    b2.seed(seed)
    net, _, spikes = _network(b2, g, eta)
    t1 = time.perf_counter()
    net.run(duration_ms * ms)
    res = _result(spikes, g, eta, seed, duration_ms, t_stat_ms, device)
    res.update(time_run_s=float(b2.get_device()._last_run_time), time_net_run_s=time.perf_counter() - t1,
               time_total_s=time.perf_counter() - t0)
    return res


def sweep(seeds: int = 2, duration_ms: float = 1000.0, t_stat_ms: float = 200.0,
          device: str = "cpp_standalone") -> dict:
    """The g x eta grid over ``seeds`` seeds, run Brian2's way for many runs (see the module doc)."""
    import brian2 as b2
    from brian2 import ms, mV

    t0 = time.perf_counter()
    runs, loop_s, compile_s = [], 0.0, 0.0
    if device == "cpp_standalone":
        for eta in GRID["eta"]:
            build_dir = tempfile.mkdtemp(prefix="brunel_standalone_")
            try:
                cur = b2.get_device()
                if cur.__class__.__name__ == "CPPStandaloneDevice":
                    cur.reinit()
                    cur.activate(build_on_run=False)
                b2.set_device("cpp_standalone", directory=build_dir, build_on_run=False)
                b2.prefs.devices.cpp_standalone.openmp_threads = 0
                b2.start_scope()
                net, Ci, spikes = _network(b2, GRID["g"][0], eta)
                net.run(duration_ms * ms)
                dev = b2.get_device()
                dev.build(directory=build_dir, compile=True, run=False, with_output=False)
                compile_s += float(dev.timers["compile"]["make"] or 0.0)
                for seed in range(seeds):
                    for g in GRID["g"]:
                        # no seed(): every rerun of the binary draws its own random numbers
                        dev.run(run_args={Ci.w: -g * PARAMS["J"] * mV}, with_output=False)
                        loop_s += float(dev._last_run_time)
                        runs.append(_result(spikes, g, eta, seed, duration_ms, t_stat_ms, device))
            finally:
                shutil.rmtree(build_dir, ignore_errors=True)
    else:
        for seed in range(seeds):
            for eta in GRID["eta"]:
                for g in GRID["g"]:
                    r = run(g, eta, seed, duration_ms, t_stat_ms, device)
                    loop_s += r["time_run_s"]
                    runs.append(r)
    wall = time.perf_counter() - t0
    return {"tool": "brian2", "tool_version": b2.__version__, "device": device, "model": "brunel",
            "n_runs": len(runs), "seeds": seeds, "duration_ms": duration_ms,
            "rate_hz": float(np.mean([r["rate_hz"] for r in runs])), "runs": runs,
            "time_total_s": wall, "time_run_s": loop_s, "time_compile_s": compile_s}


def reference(seeds: int, duration_ms: float = 1000.0, t_stat_ms: float = 200.0, device: str = "cython",
              out: str = os.path.join(HERE, "reference_rates.json")) -> dict:
    """Per cell of the grid: the mean (and spread) over seeds of rate, CV and synchrony -> ``out``."""
    import brian2 as b2

    cells = {}
    t0 = time.perf_counter()
    for eta in GRID["eta"]:
        for g in GRID["g"]:
            rs = [run(g, eta, s, duration_ms, t_stat_ms, device) for s in range(seeds)]
            rates = np.array([r["rate_hz"] for r in rs])
            cells[f"g={g:g},eta={eta:g}"] = {
                "g": g, "eta": eta, "mean_hz": float(rates.mean()),
                "std_hz": float(rates.std(ddof=1)) if seeds > 1 else 0.0, "per_seed_hz": rates.tolist(),
                "rates_hz": {k: float(np.mean([r["rates_hz"][k] for r in rs])) for k in ("E", "I")},
                "cv_isi": float(np.mean([r["cv_isi"] for r in rs])),
                "synchrony": float(np.mean([r["synchrony"] for r in rs])),
                "synchrony_per_seed": [r["synchrony"] for r in rs],
                "mean_loop_time_s": float(np.mean([r["time_run_s"] for r in rs])),
            }
            c = cells[f"g={g:g},eta={eta:g}"]
            print(f"g={g:g} eta={eta:g}: {c['mean_hz']:.3f} +- {c['std_hz']:.3f} Hz {c['per_seed_hz']} "
                  f"CV {c['cv_isi']:.3f} sync {c['synchrony']:.2f}", flush=True)
    entry = {
        "model": ("Brunel (2000) model A: 4000 E + 1000 I LIF, fixed in-degree 400 / 100 (autapses allowed), "
                  "J 0.1 mV, -g J, D 1.5 ms, theta 20, V_r 10, tau 20 ms, refractory 2 ms (v clamped), "
                  "PoissonInput C_E x eta nu_thr, V0 ~ U(0, 20) mV, dt 0.1 ms"),
        "generated_by": "bench/brunel_brian2.py",
        "command": " ".join(["python", "bench/brunel_brian2.py"] + sys.argv[1:]),
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "brian2_version": b2.__version__, "numpy_version": np.__version__, "python": platform.python_version(),
        "device": device, "duration_ms": duration_ms, "t_stat_ms": t_stat_ms, "seeds": list(range(seeds)),
        "statistics": "rate over [t_stat, duration); cv_isi: mean over neurons with >= 3 spikes; synchrony: "
                      "variance / mean of the population spike count in 1 ms bins",
        "cells": cells, "wall_s": time.perf_counter() - t0,
    }
    with open(out) as f:
        data = json.load(f)
    data["models"]["brunel"] = entry  # the other models' entries are kept
    with open(out, "w") as f:
        json.dump(data, f, indent=2)
        f.write("\n")
    return entry


def trace() -> dict:
    """Brian2's refractory boundary, step by step (the numbers in tests/models/test_delta.py).

    Two neurons (tau 20 ms, V_r 10 mV, theta 20 mV, refractory 2 ms) start at 25 mV and spike in step 0;
    0 -> 1 by ``v_post += 1 mV`` after 1.8 / 1.9 / 2.0 ms. And one neuron with
    ``PoissonInput(N=2, rate=10 kHz, weight=0.5 mV)`` (p = 1: exactly 1 mV every step). v is recorded
    ``when='before_synapses'``: after the step's integration, before synaptic writes and resets.
    """
    import brian2 as b2
    from brian2 import Hz, ms, mV

    b2.prefs.codegen.target = "numpy"
    eqs = "dv/dt = -v / (20*ms) : volt (unless refractory)"
    out = {}
    for delay in (1.8, 1.9, 2.0):
        b2.start_scope()
        b2.defaultclock.dt = 0.1 * ms
        G = b2.NeuronGroup(2, eqs, threshold="v >= 20*mV", reset="v = 10*mV", refractory=2 * ms, method="exact")
        G.v = 25 * mV
        S = b2.Synapses(G, G, on_pre="v_post += 1*mV", delay=delay * ms)
        S.connect(i=0, j=1)
        M = b2.StateMonitor(G, "v", record=True, when="before_synapses")
        b2.run(2.4 * ms)
        out[f"delta {delay} ms, steps 17-23"] = [round(float(x), 6) for x in M.v[1][17:24] / mV]
    b2.start_scope()
    G = b2.NeuronGroup(1, eqs, threshold="v >= 20*mV", reset="v = 10*mV", refractory=2 * ms, method="exact")
    G.v = 25 * mV
    P = b2.PoissonInput(G, "v", N=2, rate=10000 * Hz, weight="0.5*mV")
    M = b2.StateMonitor(G, "v", record=True, when="before_synapses")
    b2.Network(G, P, M).run(2.5 * ms)
    out["PoissonInput p=1, steps 17-24"] = [round(float(x), 6) for x in M.v[0][17:25] / mV]
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="one run (runtime target)")
    r.add_argument("--g", type=float, default=5.0)
    r.add_argument("--eta", type=float, default=2.0)
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--device", default="cython", choices=("runtime", "cython"))
    s = sub.add_parser("sweep", help="the 12-run g x eta sweep, timed")
    s.add_argument("--seeds", type=int, default=2)
    s.add_argument("--device", default="cpp_standalone", choices=DEVICES)
    f = sub.add_parser("reference", help="reference statistics -> bench/reference_rates.json")
    f.add_argument("--seeds", type=int, default=4)
    f.add_argument("--device", default="cython", choices=("runtime", "cython"))
    sub.add_parser("trace", help="the refractory-boundary traces")
    for p in (r, s, f):
        p.add_argument("--duration-ms", type=float, default=1000.0)
        p.add_argument("--t-stat-ms", type=float, default=200.0)
    a = ap.parse_args(argv)
    if a.cmd == "run":
        res = run(a.g, a.eta, a.seed, a.duration_ms, a.t_stat_ms, a.device)
    elif a.cmd == "sweep":
        res = sweep(a.seeds, a.duration_ms, a.t_stat_ms, a.device)
        res["per_run"] = [[r["g"], r["eta"], r["seed"], round(r["rate_hz"], 3)] for r in res.pop("runs")]
    elif a.cmd == "reference":
        res = reference(a.seeds, a.duration_ms, a.t_stat_ms, a.device)
    else:
        res = trace()
    usage = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    res["cpu_s"] = float(sum(u.ru_utime + u.ru_stime for u in usage))  # incl. the compiler and the binary
    print("RESULT " + json.dumps(res), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
