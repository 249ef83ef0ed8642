"""Compute the Brian2 reference firing rates of the models of docs/reference-models.md.

This is the script that produces ``bench/reference_rates.json``, the reference cited by the
experiments' rate tests (e.g. "COBA mean rate within 10% of Brian2").

    .venv-bench/bin/python bench/reference_rates.py                 # 10 seeds, 1 s, cython
    .venv-bench/bin/python bench/reference_rates.py --seeds 10 --device cpp_standalone
    .venv-bench/bin/python bench/reference_rates.py --models cuba  # one model; the others are kept

For each model it runs seeds 0..S-1 (each seed: new V0 draw, new connectivity, new Poisson
input; Brian2's ``seed(s)``) and stores the per-seed mean rates and their mean / std (ddof=1).
The cython and cpp_standalone targets give bit-identical spike trains for a given seed
(checked for COBA seed 0), so the target only changes how long this takes.

Also recorded (for information, not a reference): ``poisson_lif_unclamped``, the Poisson model
with BrainPy's semantics (input keeps adding to V while refractory), which explains the
28.5 Hz that BrainPy 2.8 gives.

Standalone: imports only brian2 / numpy and the sibling module ``brian2_models``.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import brian2_models  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description="Brian2 reference rates for the models of docs/reference-models.md")
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--duration-ms", type=float, default=1000.0)
    ap.add_argument("--device", default="cython", choices=brian2_models.DEVICES)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  "reference_rates.json"))
    ap.add_argument("--no-unclamped", action="store_true",
                    help="skip the informational BrainPy-semantics Poisson variant")
    ap.add_argument("--models", default=None,
                    help="comma-separated subset (coba,cuba,poisson_lif,poisson_lif_unclamped); the "
                         "entries of models not run are kept from the existing --out file")
    a = ap.parse_args(argv)

    import brian2

    cases = {
        "coba": (brian2_models.coba, {}),
        "cuba": (brian2_models.cuba, {}),
        "poisson_lif": (brian2_models.poisson_lif, {"clamp": True}),
    }
    if not a.no_unclamped:
        cases["poisson_lif_unclamped"] = (brian2_models.poisson_lif, {"clamp": False})

    if a.models:
        wanted = [m.strip() for m in a.models.split(",") if m.strip()]
        unknown = [m for m in wanted if m not in cases and m != "poisson_lif_unclamped"]
        if unknown:
            ap.error(f"unknown model(s) {unknown}; choose from {sorted(cases)}")
        cases = {k: v for k, v in cases.items() if k in wanted}
    kept = {}
    if a.models and os.path.exists(a.out):
        with open(a.out) as f:
            previous = json.load(f)
        kept = {k: v for k, v in previous.get("models", {}).items() if k not in cases}
        for k, v in kept.items():  # each kept entry keeps the provenance of the run that made it
            for field in ("date", "brian2_version", "device", "seeds"):
                v.setdefault(field, previous.get(field))
    out = {
        "description": "Brian2 reference mean firing rates (Hz) of the models of docs/reference-models.md; "
                       "mean and std (ddof=1) over seeds 0..S-1 of the per-run mean rate "
                       "over all neurons",
        "generated_by": "bench/reference_rates.py",
        "command": " ".join([os.path.basename(sys.executable)] + sys.argv),
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "brian2_version": brian2.__version__,
        "numpy_version": np.__version__,
        "python": platform.python_version(),
        "machine": platform.platform(),
        "device": a.device,
        "duration_ms": a.duration_ms,
        "dt_ms": 0.1,
        "seeds": list(range(a.seeds)),
        "models": dict(kept),
    }
    for name, (fn, kw) in cases.items():
        rates, per_pop, loops = [], [], []
        t0 = time.perf_counter()
        for s in range(a.seeds):
            r = fn(device=a.device, duration_ms=a.duration_ms, seed=s, **kw)
            rates.append(r["rate_hz"])
            per_pop.append(r["rates_hz"])
            loops.append(r["time_run_s"])
            print(f"{name:22s} seed {s}: {r['rate_hz']:.3f} Hz  {r['rates_hz']}  "
                  f"loop {r['time_run_s']:.3f} s", flush=True)
        rates = np.asarray(rates)
        entry = {
            "mean_hz": float(rates.mean()),
            "std_hz": float(rates.std(ddof=1)) if len(rates) > 1 else 0.0,
            "min_hz": float(rates.min()),
            "max_hz": float(rates.max()),
            "per_seed_hz": [float(x) for x in rates],
            "per_population_mean_hz": {
                k: float(np.mean([p[k] for p in per_pop])) for k in per_pop[0]},
            "mean_loop_time_s": float(np.mean(loops)),
            "wall_s": time.perf_counter() - t0,
        }
        if name == "coba":
            entry["model"] = ("3200 E + 800 I LIF, exponential Euler, p=0.02, we=0.6, wi=6.7, "
                              "bias 20 mV, refractory 5 ms (V clamped)")
        elif name == "cuba":
            entry["model"] = ("Brette et al. 2007 CUBA: 3200 E + 800 I LIF, El -49 mV, current synapses "
                              "we=1.62 mV, wi=-9 mV, p=0.02, refractory 5 ms (V clamped), exponential Euler")
        elif name == "poisson_lif":
            entry["model"] = ("4000 LIF, PoissonInput N=1000 x 10 Hz x 0.06 mV, input dropped "
                              "while refractory (Brian2 default with (unless refractory))")
        else:
            entry["model"] = ("as poisson_lif but input keeps adding to V while refractory "
                              "(BrainPy 2.8 semantics) -- informational, not the reference")
        out["models"][name] = entry
        print(f"==> {name}: {entry['mean_hz']:.3f} +- {entry['std_hz']:.3f} Hz", flush=True)

    with open(a.out, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    print(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
