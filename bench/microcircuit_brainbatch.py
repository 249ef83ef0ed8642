"""The microcircuit (``experiments/microcircuit.py``) in brainbatch: rates, times and peak memory, printed
in the same ``RESULT {json}`` form as ``bench/microcircuit_brian2.py`` so the two can be compared.

    .venv/bin/python bench/microcircuit_brainbatch.py --scale 0.1 --k-scale 0.1 --duration 1000 --seeds 0 1 2 3

Seeds run one after the other (one lane each: a full-scale table is drawn per seed). Times: ``build``
is the init program (trace, compile, draw every variable); ``first_run`` the simulation with its
compile; ``run`` a second, warm simulation of the same length from a state drawn beforehand: the loop
alone (``--warm``). ``peak_rss_gb`` is the
process's peak resident memory (``ru_maxrss``), ``state_gb`` the bytes of the run's state.
"""
from __future__ import annotations

import argparse
import json
import pathlib
import resource
import sys
import time

import jax
import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=0.1)
    ap.add_argument("--k-scale", type=float, default=0.1)
    ap.add_argument("--duration", type=float, default=1000.0)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0])
    ap.add_argument("--warm", action="store_true", help="time a second run of each seed too")
    args = ap.parse_args()

    from brainbatch.run import Simulation, normalize_monitors
    from brainbatch.sweep import load_experiment

    exp = load_experiment(ROOT / "experiments" / "microcircuit.py")
    mod = exp.module
    params = {**exp.params, "scale": args.scale, "k_scale": args.k_scale}
    import brainbatch as bb

    # spike counts per step and population (the rasters of a full-scale second would be 0.8 GB)
    monitors = {f"n_{p}": bb.Monitor(f"{p}.spike", reduce="sum") for p in mod.POPS}
    sim = Simulation(lambda p: exp.build(**params), normalize_monitors(monitors), dt=exp.dt)
    sizes = mod.derived(args.scale, args.k_scale)["n"]
    n_steps = int(round(args.duration / exp.dt))
    for seed in args.seeds:
        keys = jax.random.key(seed)[None]
        t0, c0 = time.time(), time.process_time()
        state = sim.init(keys, {})
        jax.block_until_ready(state)
        t1, c1 = time.time(), time.process_time()
        state_bytes = sum(v.nbytes for v in state.values() if hasattr(v, "nbytes"))
        final, recs = sim.run(keys, {}, n_steps, keep=True, initial_state=state)
        del state, final  # the next seed's peak should not include this one's state
        t2, c2 = time.time(), time.process_time()
        out = dict(tool="brainbatch", scale=args.scale, k_scale=args.k_scale, seed=seed, duration_ms=args.duration,
                   build_s=round(t1 - t0, 2), build_cpu_s=round(c1 - c0, 2), first_run_s=round(t2 - t1, 2),
                   first_run_cpu_s=round(c2 - c1, 2), state_gb=round(state_bytes / 1e9, 3))
        start = int(round(mod.T_STAT / exp.dt))
        rates = {p: float(np.asarray(recs[f"n_{p}"][0])[start:].sum() / (n * (n_steps - start) * exp.dt / 1000.0))
                 for p, n in zip(mod.POPS, sizes)}
        del recs
        if args.warm:  # the loop alone, compiled: from a state drawn (and waited for) beforehand
            state = sim.init(keys, {})
            jax.block_until_ready(state)
            t3, c3 = time.time(), time.process_time()
            final = sim.run(keys, {}, n_steps, keep=False, initial_state=state)
            jax.block_until_ready(final)
            out.update(run_s=round(time.time() - t3, 2), run_cpu_s=round(time.process_time() - c3, 2))
            del state, final
        out["rates"] = {p: round(r, 4) for p, r in rates.items()}
        # the harness's columns (bench/README.md): mean rate over all neurons, first result, steady call
        out["rate_hz"] = round(float(sum(r * n for r, n in zip(rates.values(), sizes)) / sizes.sum()), 4)
        out["time_total_s"] = round(t2 - t0, 2)
        if args.warm:
            out.update(time_run_s=out["run_s"], cpu_run_s=out["run_cpu_s"])
        out["peak_rss_gb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6, 2)
        print("RESULT " + json.dumps(out), flush=True)


if __name__ == "__main__":
    sys.exit(main())
