"""Many lanes on one accelerator: COBA 4000 (experiments/coba.py) as B lanes of one compiled call.

For each B: the first call (build + compile + run) and a second call of the compiled program
(steady), the steady time per lane, and the mean rate; then whether a lane of a batch equals the
same seed run alone, bitwise. Only 100 excitatory neurons' spikes are recorded so that the host
memory, not the accelerator, never limits B. One JSON object per line on stdout.

    python bench/gpu_lanes.py --lanes 1,32,256,1024 --duration 1000
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def _say(**row):
    print(json.dumps(row), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lanes", default="1,32,256,1024", help="comma-separated batch sizes")
    ap.add_argument("--duration", type=float, default=1000.0, help="ms of model time per run")
    ap.add_argument("--check", type=int, default=8, help="batch size of the lane-vs-alone check (0: skip)")
    args = ap.parse_args()

    import jax

    from brainbatch.kernels import active_backend
    from brainbatch.run import Simulation, normalize_monitors, steps_for
    from brainbatch_cases import _coba_factory

    # the native kernels are CPU programs: an accelerator runs the pure-JAX path whatever was built
    kernels = active_backend() if jax.default_backend() == "cpu" else "jax (accelerator)"
    _say(jax=jax.__version__, devices=[str(d) for d in jax.devices()], event_kernels=kernels)
    factory = _coba_factory(4000, None)
    mons = normalize_monitors({"sE": ("E.spike", np.arange(100))})
    n_steps = steps_for(args.duration, 0.1)
    for b in [int(x) for x in args.lanes.split(",") if x]:
        seeds = np.arange(b)
        t0 = time.perf_counter()
        sim = Simulation(factory, mons, dt=0.1, lanes="vmap")
        sim.run(seeds, {}, n_steps)
        t1 = time.perf_counter()
        _, recs = sim.run(seeds, {}, n_steps)
        t2 = time.perf_counter()
        rate = float(recs["sE"].mean()) / (0.1e-3)
        _say(lanes=b, first_s=round(t1 - t0, 3), steady_s=round(t2 - t1, 3),
             steady_per_lane_ms=round(1e3 * (t2 - t1) / b, 3), rate_hz=round(rate, 2))
    if args.check:
        sim = Simulation(factory, mons, dt=0.1, lanes="vmap")
        _, batch = sim.run(np.arange(args.check), {}, n_steps)
        k = args.check - 1
        _, alone = sim.run(np.asarray([k]), {}, n_steps)
        _, again = sim.run(np.asarray([k]), {}, n_steps)
        _say(check="lane vs alone", seed=k, equal=bool(np.array_equal(batch["sE"][k], alone["sE"][0])),
             alone_repeat_equal=bool(np.array_equal(alone["sE"][0], again["sE"][0])),
             differing_steps=int(np.any(batch["sE"][k] != alone["sE"][0], axis=-1).sum()))


if __name__ == "__main__":
    main()
