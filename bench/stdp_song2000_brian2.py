"""Brian2 reference of experiments/stdp_song2000.py: Song, Miller & Abbott (2000) as in Brian2's own
example (examples/synapses/STDP.py), one process per seed.

1000 Poisson inputs at 15 Hz onto one LIF neuron (taum 10 ms, El -74 mV, vt -54 mV, vr -60 mV,
``dv/dt = (ge (Ee - v) + El - v) / taum`` with Ee = 0 mV, ``dge/dt = -ge / 5 ms``, Euler, dt 0.1 ms),
additive STDP with ``taupre = taupost = 20 ms``, ``dApre = 0.01 gmax``,
``dApost = -1.05 dApre taupre / taupost``, ``w`` in ``[0, gmax]``, ``gmax = 0.01``, initial
``w = rand() gmax``, 100 s. The only change to the example: ``v`` starts at ``vr`` (the example leaves
it at 0 mV, above threshold, so its first step is a spike) -- brainbatch's experiment does the same.

Prints one ``RESULT {json}`` line per seed: output rate over the run and over its last 10 s, the
fractions of weights below 0.1 gmax and above 0.9 gmax, the final weights' histogram (20 bins), and
timings (``time_run_s``: Brian2's main loop; ``time_total_s``: everything incl. code generation and
compilation). ``--runs K`` instead builds once (cpp_standalone) and runs the binary K times, 2 at a
time, as bench/brian2_many_runs.py does for COBA (``RESULT`` line with ``time_total_s`` of the job).

    python bench/stdp_song2000_brian2.py --seeds 0-7 --device cpp_standalone
    python bench/stdp_song2000_brian2.py --runs 32 --processes 2
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np


def build(b2, duration_ms: float, rate_hz: float, ratio: float):
    from brian2 import Hz, NeuronGroup, PoissonGroup, SpikeMonitor, Synapses, ms, mV
    N, taum, taupre = 1000, 10 * ms, 20 * ms
    taupost = taupre
    Ee, vt, vr, El, taue = 0 * mV, -54 * mV, -60 * mV, -74 * mV, 5 * ms
    gmax = 0.01
    dApre = 0.01
    dApost = -dApre * taupre / taupost * ratio
    dApost *= gmax
    dApre *= gmax
    eqs = """dv/dt = (ge * (Ee-v) + El - v) / taum : volt
             dge/dt = -ge / taue : 1"""
    inp = PoissonGroup(N, rates=rate_hz * Hz)
    neurons = NeuronGroup(1, eqs, threshold="v>vt", reset="v = vr", method="euler",
                          namespace=dict(Ee=Ee, El=El, taum=taum, taue=taue, vt=vt, vr=vr))
    neurons.v = vr
    S = Synapses(inp, neurons, """w : 1
                 dApre/dt = -Apre / taupre : 1 (event-driven)
                 dApost/dt = -Apost / taupost : 1 (event-driven)""",
                 on_pre="""ge += w
                 Apre += dApre
                 w = clip(w + Apost, 0, gmax)""",
                 on_post="""Apost += dApost
                 w = clip(w + Apre, 0, gmax)""",
                 namespace=dict(taupre=taupre, taupost=taupost, dApre=dApre, dApost=dApost, gmax=gmax))
    S.connect()
    S.w = "rand() * gmax"
    mon = SpikeMonitor(neurons)
    net = b2.Network(inp, neurons, S, mon)
    return net, S, mon, gmax


def summary(w, spike_t_s, duration_ms, gmax):
    dur = duration_ms / 1000.0
    last = np.sum(np.asarray(spike_t_s) >= dur - 10.0) / min(10.0, dur)
    hist = np.histogram(w, bins=20, range=(0, gmax))[0].tolist()
    return dict(rate_hz=len(spike_t_s) / dur, rate_last10s_hz=float(last), frac_low=float(np.mean(w < 0.1 * gmax)),
                frac_high=float(np.mean(w > 0.9 * gmax)), mean_w=float(np.mean(w)), hist=hist)


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


def one_seed(seed, device, duration_ms, rate, ratio):
    import brian2 as b2
    t0 = time.perf_counter()
    tmp = None
    if device == "cpp_standalone":
        tmp = tempfile.mkdtemp(prefix="b2song_")
        b2.set_device("cpp_standalone", directory=tmp, build_on_run=True)
    else:
        b2.prefs.codegen.target = device
    b2.seed(seed)
    b2.defaultclock.dt = 0.1 * b2.ms
    net, S, mon, gmax = build(b2, duration_ms, rate, ratio)
    net.run(duration_ms * b2.ms)
    w = np.asarray(S.w[:])
    out = summary(w, np.asarray(mon.t / b2.second), duration_ms, gmax)
    if device == "cpp_standalone":
        with open(os.path.join(tmp, "results", "last_run_info.txt")) as f:
            run_s = float(f.read().split()[0])
    else:
        run_s = net._last_run_time if hasattr(net, "_last_run_time") else float("nan")
    out.update(tool="brian2", device=device, model="stdp_song2000", seed=seed, duration_ms=duration_ms,
               rate_in_hz=rate, ratio=ratio, time_run_s=run_s, time_total_s=time.perf_counter() - t0)
    if tmp:
        out.update(rerun_binary(tmp))
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def many_runs(runs, processes, duration_ms, rate, ratio):
    """Compile once, run the binary ``runs`` times (no seed set: each execution draws its own numbers)."""
    import brian2 as b2
    t0 = time.perf_counter()
    tmp = tempfile.mkdtemp(prefix="b2song_many_")
    b2.set_device("cpp_standalone", directory=tmp, build_on_run=False)
    b2.defaultclock.dt = 0.1 * b2.ms
    net, S, mon, gmax = build(b2, duration_ms, rate, ratio)
    net.run(duration_ms * b2.ms)
    t1 = time.perf_counter()
    b2.get_device().build(directory=tmp, compile=True, run=False, with_output=False)
    t_compile = time.perf_counter() - t1
    binary = os.path.join(tmp, "main")

    def one(k):
        out = os.path.join(tmp, f"results_{k}")
        os.makedirs(out, exist_ok=True)
        subprocess.run([binary, "--results_dir", os.path.join(out, "")], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        with open(os.path.join(out, "last_run_info.txt")) as f:
            return float(f.read().split()[0])

    t2 = time.perf_counter()
    c2 = resource.getrusage(resource.RUSAGE_CHILDREN)
    with ThreadPoolExecutor(processes) as pool:
        loops = list(pool.map(one, range(runs)))
    t_runs = time.perf_counter() - t2
    c3 = resource.getrusage(resource.RUSAGE_CHILDREN)  # the binaries' CPU: what a run costs whatever the load
    cpu_runs = (c3.ru_utime + c3.ru_stime) - (c2.ru_utime + c2.ru_stime)
    res = dict(tool="brian2", device="cpp_standalone", model="stdp_song2000", rate_hz=None, runs=runs, processes=processes,
               duration_ms=duration_ms, time_total_s=time.perf_counter() - t0, time_compile_s=t_compile,
               time_runs_s=t_runs, time_loop_s_mean=float(np.mean(loops)), cpu_run_s_mean=cpu_runs / runs)
    shutil.rmtree(tmp, ignore_errors=True)
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", default="0")
    ap.add_argument("--device", default="cpp_standalone", choices=["cpp_standalone", "cython", "numpy"])
    ap.add_argument("--duration-ms", type=float, default=100_000.0)
    ap.add_argument("--rate", type=float, default=15.0)
    ap.add_argument("--ratio", type=float, default=1.05)
    ap.add_argument("--runs", type=int, default=0)
    ap.add_argument("--processes", type=int, default=2)
    a = ap.parse_args(argv)
    if a.runs:
        print("RESULT " + json.dumps(many_runs(a.runs, a.processes, a.duration_ms, a.rate, a.ratio)), flush=True)
        return 0
    lo, _, hi = a.seeds.partition("-")
    for seed in range(int(lo), int(hi or lo) + 1):
        # one process per seed: cpp_standalone cannot be reset within a process
        if a.seeds != str(seed):
            cmd = [sys.executable, __file__, "--seeds", str(seed), "--device", a.device, "--duration-ms",
                   str(a.duration_ms), "--rate", str(a.rate), "--ratio", str(a.ratio)]
            print(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip(), flush=True)
        else:
            print("RESULT " + json.dumps(one_seed(seed, a.device, a.duration_ms, a.rate, a.ratio)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
