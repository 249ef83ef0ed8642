"""Brian2's documented way to run many simulations of one model: compile once, run the binary again.

cpp_standalone with ``build_on_run=False``: generate and compile the COBA model once, then execute the
compiled binary ``--runs`` times, ``--processes`` at a time, each with its own results directory
(Brian2 >= 2.6, "Multiple full simulation runs"). No ``seed()`` is set, so every execution draws its
own initial values and connectivity, as each seed of a brainbatch sweep does. Prints one ``RESULT``
JSON line like bench/brian2_models.py: ``time_total_s`` is the whole job (code generation, compile,
every run, reading the first run's spikes), ``time_compile_s`` the build and ``time_runs_s`` the runs.

    python bench/brian2_many_runs.py --runs 32 --processes 2
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=32)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--duration-ms", type=float, default=1000.0)
    ap.add_argument("--n", type=int, default=4000)
    a = ap.parse_args(argv)

    t0 = time.perf_counter()
    import brian2 as b2
    import brian2_models as m

    timings = {}

    def build_once_run_many(device, net, duration, build_dir, _t0):
        net.run(duration)
        dev = b2.get_device()
        t1 = time.perf_counter()
        dev.build(directory=build_dir, compile=True, run=False, with_output=False)
        timings["time_compile_s"] = time.perf_counter() - t1
        binary = os.path.join(build_dir, "main")

        def one(k):
            out = os.path.join(build_dir, f"results_{k}")
            os.makedirs(out, exist_ok=True)
            subprocess.run([binary, "--results_dir", os.path.join(out, "")], cwd=build_dir, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            with open(os.path.join(out, "last_run_info.txt")) as f:
                return float(f.read().split()[0])

        t2 = time.perf_counter()
        with ThreadPoolExecutor(a.processes) as pool:
            loops = list(pool.map(one, range(a.runs)))
        timings["time_runs_s"] = time.perf_counter() - t2
        timings["loop_s_per_run"] = loops
        dev.results_dir = os.path.join(build_dir, "results_0", "")  # read the first run's monitors
        dev.has_been_run = True
        return {"time_run_s": float(np.mean(loops)), "time_binary_s": timings["time_runs_s"]}

    m._finish = build_once_run_many
    real_seed = b2.seed
    b2.seed = lambda *args, **kw: None  # no fixed seed: every execution draws its own network
    try:
        res = m.coba(device="cpp_standalone", duration_ms=a.duration_ms, n=a.n)
    finally:
        b2.seed = real_seed
    res.update(timings)
    res["runs"], res["processes"] = a.runs, a.processes
    res["time_total_s"] = time.perf_counter() - t0
    res["variant"] = f"compiled once, {a.runs} binary runs on {a.processes} processes"
    print("RESULT " + json.dumps(res), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
