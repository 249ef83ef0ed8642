"""Brian2 version of experiments/coba_stdp.py: COBA (docs/reference-models.md) with additive STDP on E -> E.

Ce is split into a plastic E -> E pathway and a static E -> I one (same p = 0.02 draws as one
``connect(p=0.02)``); E -> E: ``w`` starts at we = 0.6, ``dApre = 0.01 w_max``, ``dApost = -1.05 dApre``,
``taupre = taupost = 20 ms``, ``w`` in [0, w_max = 1.2]; on_pre ``ge += w`` first (Song 2000's order).
``--static`` gives every pathway a fixed weight (the baseline). Prints ``RESULT {json}`` with the E rate,
the mean final E -> E weight and ``time_run_s`` (cpp_standalone's main loop).

    python bench/coba_stdp_brian2.py --seed 0
    python bench/coba_stdp_brian2.py --seed 0 --static
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import tempfile
import time

import numpy as np


def rerun_binary(tmp: str) -> dict:
    """Run the built standalone binary once more: its CPU time (``cpu_binary_s``: setup and loop, whatever
    the machine's load) and its main loop again (``time_run_rerun_s``)."""
    out = os.path.join(tmp, "rerun")
    os.makedirs(out, exist_ok=True)
    c0, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run([os.path.join(tmp, "main"), "--results_dir", os.path.join(out, "")], cwd=tmp, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    c1, t1 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    with open(os.path.join(out, "last_run_info.txt")) as f:
        loop = float(f.read().split()[0])
    return {"cpu_binary_s": (c1.ru_utime + c1.ru_stime) - (c0.ru_utime + c0.ru_stime), "time_binary_s": t1 - t0,
            "time_run_rerun_s": loop}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--duration-ms", type=float, default=1000.0)
    ap.add_argument("--static", action="store_true")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    import brian2 as b2
    from brian2 import ms, mV
    tmp = tempfile.mkdtemp(prefix="b2coba_stdp_")
    b2.set_device("cpp_standalone", directory=tmp, build_on_run=True)
    b2.seed(a.seed)
    b2.defaultclock.dt = 0.1 * ms
    w_max = 1.2
    dApre = 0.01 * w_max
    ns = dict(taum=20 * ms, taue=5 * ms, taui=10 * ms, Vt=-50 * mV, Vr=-60 * mV, El=-60 * mV, Ee=0 * mV, Ei=-80 * mV,
              Ib=20 * mV, we=0.6, wi=6.7, wmax=w_max, dApre=dApre, dApost=-1.05 * dApre, taupre=20 * ms,
              taupost=20 * ms)
    eqs = """dv/dt = (ge*(Ee - v) + gi*(Ei - v) - (v - El) + Ib) / taum : volt (unless refractory)
             dge/dt = -ge / taue : 1
             dgi/dt = -gi / taui : 1"""
    G = b2.NeuronGroup(4000, eqs, threshold="v > Vt", reset="v = Vr", refractory=5 * ms, method="exponential_euler",
                       namespace=ns)
    G.v = "-55*mV + 2*mV*randn()"
    Pe, Pi = G[:3200], G[3200:]
    if a.static:
        Cee = b2.Synapses(Pe, Pe, on_pre="ge += we", namespace=ns)
    else:
        Cee = b2.Synapses(Pe, Pe, """w : 1
                          dApre/dt = -Apre / taupre : 1 (event-driven)
                          dApost/dt = -Apost / taupost : 1 (event-driven)""",
                          on_pre="""ge += w
                          Apre += dApre
                          w = clip(w + Apost, 0, wmax)""",
                          on_post="""Apost += dApost
                          w = clip(w + Apre, 0, wmax)""", namespace=ns)
    Cei = b2.Synapses(Pe, Pi, on_pre="ge += we", namespace=ns)
    Ci = b2.Synapses(Pi, G, on_pre="gi += wi", namespace=ns)
    for S in (Cee, Cei, Ci):
        S.connect(p=0.02)
    if not a.static:
        Cee.w = 0.6
    spk = b2.SpikeMonitor(Pe)
    b2.run(a.duration_ms * ms)
    with open(os.path.join(tmp, "results", "last_run_info.txt")) as f:
        run_s = float(f.read().split()[0])
    out = dict(tool="brian2", device="cpp_standalone", model="coba_stdp", static=a.static, seed=a.seed,
               duration_ms=a.duration_ms, rate_hz=float(spk.num_spikes / 3200 / (a.duration_ms / 1000)), rate_e_hz=float(spk.num_spikes / 3200 / (a.duration_ms / 1000)),
               mean_w=None if a.static else float(np.mean(Cee.w[:])), time_run_s=run_s,
               time_total_s=time.perf_counter() - t0)
    out.update(rerun_binary(tmp))
    shutil.rmtree(tmp, ignore_errors=True)
    print("RESULT " + json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
