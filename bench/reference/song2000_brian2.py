"""Brian2 reference statistics of experiments/stdp_song2000.py over many independent runs (cpp_standalone,
compiled once, the binary run once per run with its own random numbers).

The model is Brian2's own example (examples/synapses/STDP.py; Song, Miller & Abbott 2000), as
bench/stdp_song2000_brian2.py builds it: 1000 Poisson inputs at 15 Hz onto one LIF neuron
(``dv/dt = (ge (0 mV - v) + El - v) / taum``, taum 10 ms, El -74 mV, vt -54 mV, vr -60 mV, v starting at vr),
``dge/dt = -ge / taue`` (5 ms), additive all-to-all STDP (``taupre = taupost = 20 ms``, ``dApre = 0.01 gmax``,
``dApost = -1.05 dApre``, ``w`` in ``[0, gmax]``, gmax 0.01, ``w`` uniform on ``[0, gmax]`` at start), Euler,
dt 0.1 ms.

``--variant euler`` is the example as written: Brian2's Euler step also decays ``ge`` by ``1 - dt / taue``
(0.98 per step). ``--variant exact_ge`` decays ``ge`` by ``exp(-dt / taue)`` instead (0.980199: Euler on
``taue' = dt / (1 - exp(-dt / taue))`` = 5.0501 ms), what brainbatch's ``Exponential(5.0)`` synapse does --
the one difference between the two models (a conductance pulse integrates to 5.05 ms instead of 5 ms).

Prints one ``RESULT {json}`` line: per run the output rate over the run and over its last 10 s, the mean
weight and the fractions of weights below 0.1 gmax and above 0.9 gmax at the end. Run with Brian2 2.9.0:

    python bench/reference/song2000_brian2.py --runs 24 --variant euler
    python bench/reference/song2000_brian2.py --runs 24 --variant exact_ge --duration-ms 20000
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor

import numpy as np


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=16)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--duration-ms", type=float, default=100_000.0)
    ap.add_argument("--variant", choices=["euler", "exact_ge"], default="euler")
    a = ap.parse_args(argv)

    import brian2 as b2
    from brian2 import Hz, NeuronGroup, PoissonGroup, SpikeMonitor, Synapses, ms, mV
    tmp = tempfile.mkdtemp(prefix="refsim_song_")
    b2.set_device("cpp_standalone", directory=tmp, build_on_run=False)
    dt = 0.1
    b2.defaultclock.dt = dt * ms
    taue = 5.0 if a.variant == "euler" else dt / (1.0 - math.exp(-dt / 5.0))
    gmax, dApre = 0.01, 0.01 * 0.01
    dApost = -1.05 * dApre
    inp = PoissonGroup(1000, rates=15 * Hz)
    neuron = NeuronGroup(1, """dv/dt = (ge * (Ee - v) + El - v) / taum : volt
                         dge/dt = -ge / taue : 1""", threshold="v > vt", reset="v = vr", method="euler",
                         namespace=dict(Ee=0 * mV, El=-74 * mV, taum=10 * ms, taue=taue * ms, vt=-54 * mV, vr=-60 * mV))
    neuron.v = -60 * mV
    S = Synapses(inp, neuron, """w : 1
                 dApre/dt = -Apre / taupre : 1 (event-driven)
                 dApost/dt = -Apost / taupost : 1 (event-driven)""",
                 on_pre="ge += w\nApre += dApre\nw = clip(w + Apost, 0, gmax)",
                 on_post="Apost += dApost\nw = clip(w + Apre, 0, gmax)",
                 namespace=dict(taupre=20 * ms, taupost=20 * ms, dApre=dApre, dApost=dApost, gmax=gmax))
    S.connect()
    S.w = "rand() * gmax"
    mon = SpikeMonitor(neuron)
    b2.run(a.duration_ms * ms)
    device = b2.get_device()
    device.build(directory=tmp, compile=True, run=False, with_output=False)

    dur_s = a.duration_ms / 1000.0

    # the binary is the cost: run it 2 at a time, each run into its own results directory, then read each
    def run_binary(k: int) -> str:
        out = os.path.join(tmp, f"results_{k}")
        os.makedirs(out, exist_ok=True)
        subprocess.run([os.path.join(tmp, "main"), "--results_dir", os.path.join(out, "")], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        return out

    with ThreadPoolExecutor(a.processes) as pool:
        dirs = list(pool.map(run_binary, range(a.runs)))
    runs = []
    for out in dirs:
        device.results_dir = out  # read this run's arrays
        device.has_been_run = True
        w = np.asarray(S.w[:])
        t = np.asarray(mon.t / b2.second)
        runs.append(dict(rate_hz=len(t) / dur_s, rate_last10s_hz=float(np.sum(t >= dur_s - 10.0) / min(10.0, dur_s)),
                         mean_w=float(np.mean(w)), frac_low=float(np.mean(w < 0.1 * gmax)),
                         frac_high=float(np.mean(w > 0.9 * gmax))))
    shutil.rmtree(tmp, ignore_errors=True)
    stats = {k: (float(np.mean([r[k] for r in runs])), float(np.std([r[k] for r in runs], ddof=1))) for k in runs[0]}
    print("RESULT " + json.dumps(dict(brian2=b2.__version__, variant=a.variant, taue_ms=taue, runs=a.runs,
                                      duration_ms=a.duration_ms, mean_sd=stats, per_run=runs)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
