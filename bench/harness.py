"""Benchmark harness: brainbatch against Brian2 and BrainPy, one fresh subprocess per measurement.

    .venv-bench/bin/python bench/harness.py --quick            # smoke run, a couple of minutes
    .venv-bench/bin/python bench/harness.py                    # all cases (long: ~30+ min)
    .venv-bench/bin/python bench/harness.py --cases 1,3 --repeats 3
    .venv-bench/bin/python bench/harness.py --tools brian2,brainbatch --cases 4

Every measurement is one child process (``brian2_models.py`` / ``brainpy_models.py`` in the bench
venv, or ``harness.py --child`` in the brainbatch venv for the brainbatch plug-in), so JIT caches,
compiled code and memory never carry over between measurements. Within a repeat the tools are
run in rotating order (alternating tools), case by case. With ``--repeats R`` the table shows
medians over the R repeats.

Measured per child:
  wall_s        process wall time, interpreter start to exit (imports, build, compile, run,
                reading results): "time to first result" as a user sees it
  time_total_s  the tool function's own build+compile+first-run time (excludes interpreter start
                and imports)
  time_run_s    steady time: the simulation loop alone (Brian2: the run loop, for cpp_standalone the
                C++ main loop; BrainPy: a second call of the compiled run; brainbatch: median of 3 more calls)
  cpu_s         user+sys CPU seconds of the child and its waited-for descendants (getrusage),
                reported by the child itself (the plug-in child adds it for brainbatch)
  peak_mem_mb   peak RSS of the child's whole process tree (sum over the child and its
                descendants -- compiler and standalone binary included), sampled every 20 ms
                with psutil
  rate_hz       mean firing rate over all neurons (and seeds / lanes)

The brainbatch side is a plug-in: ``bench/brainbatch_cases.py`` (written separately; it is the only
bench module allowed to import brainbatch). If it is missing, brainbatch rows are skipped. It must
define these functions, each returning a dict with at least ``rate_hz``, ``time_total_s`` and
``time_run_s`` (same meaning as above; extra keys are kept in results.json):

    coba(seed, duration_ms, record_v=False, n=4000, in_degree=None) -> dict
        case 1 (n=4000, p=0.02), case 2 (record_v=True: V of all neurons every step),
        case 4 (in_degree=80 at n = 4000 / 16000 / 64000; 0.8*K sources from E, rest from I)
    poisson_lif(seed, duration_ms, record_v=False, n=4000) -> dict            case 3
    sweep(model, seeds, duration_ms, out_dir) -> dict                         case 5
        end to end through the ``brainbatch sweep`` CLI with ``seeds`` seeds (0..seeds-1);
        time_total_s = CLI wall time; rate_hz = mean over seeds; time_run_s may be None
    long_run(duration_ms, out_dir, monitors=True, kill_at=None) -> dict       case 6
        COBA for 60 s simulated, recorded to Zarr (spikes every step, V every 1 ms) through the
        CLI; report the store size as ``store_mb`` if known. Variants: ``monitors=False`` (the
        same run recording nothing: the ratio's baseline) and ``kill_at=0.7`` (kill -9 at 70 %,
        then the same command again; the time is both together). Peak memory at 6 s vs 60 s.
    coba_batch(seeds, duration_ms) -> dict                                    case 7
        ``seeds`` COBA runs as the lanes of one vmapped call (against one Brian2 run)
    brunel_sweep(seeds, duration_ms, out_dir) -> dict                         case 8
        ``brainbatch sweep experiments/brunel.py`` (g x eta x seeds) end to end, against
        ``brunel_brian2.py sweep`` (Brian2 compiled once and rerun)
    whole_brain(seed, duration_ms) -> dict; whole_brain_sweep(duration_ms, out_dir) -> dict   case 9
        experiments/whole_brain.py (80 FHN regions, delay matrix, OU noise): one run against BrainPy
        (``brainpy_models.py whole_brain``), and its 64-run G x sigma grid through the CLI against
        BrainPy running grid points one after another (``--points``)
    song2000(seed, duration_ms), coba_stdp(seed, duration_ms, plastic) -> dict case 10 (plasticity)

Optional key ``compile_s`` (first - steady) is shown as its own column. results.md ends with a
"Targets" section: the issue's targets, each met or missed by how much (``targets()``).

Missing plug-in functions skip only their case. Results: ``bench/results.md`` (table) and
``bench/results.json`` (every raw child result).
"""
from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
PLUGIN = os.path.join(HERE, "brainbatch_cases.py")
#: the microcircuit's full-scale rates (Hz, L2/3E ... L6I) in NEST 3's PyNEST example (``full_mean_rates``)
NEST3_RATES = (0.943, 3.026, 4.368, 5.882, 7.733, 8.664, 1.096, 7.851)


def _default_python(*cands):
    for c in cands:
        if c and os.path.exists(c):
            return c
    return sys.executable


# ------------------------------------------------------------------------------------------
# child mode (brainbatch plug-in): run one plug-in function, print RESULT json
# ------------------------------------------------------------------------------------------
def child_main(spec_json: str) -> int:
    import resource

    spec = json.loads(spec_json)
    sys.path.insert(0, HERE)
    path = spec.get("plugin") or PLUGIN
    mspec = importlib.util.spec_from_file_location("brainbatch_cases", path)
    brainbatch_cases = importlib.util.module_from_spec(mspec)  # the plug-in (imports brainbatch)
    sys.modules["brainbatch_cases"] = brainbatch_cases
    mspec.loader.exec_module(brainbatch_cases)

    fn = getattr(brainbatch_cases, spec["func"])
    t0 = time.perf_counter()
    res = dict(fn(**spec["kwargs"]))
    res.setdefault("time_total_s", time.perf_counter() - t0)
    res.setdefault("tool", "brainbatch")
    res["peak_rss_self_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    res["peak_rss_children_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    res["cpu_s"] = float(sum(x.ru_utime + x.ru_stime for x in (
        resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))))
    print("RESULT " + json.dumps(res, default=str), flush=True)
    return 0


# ------------------------------------------------------------------------------------------
# measurement of one child process
# ------------------------------------------------------------------------------------------
def _tree_rss(proc) -> int:
    import psutil

    total = 0
    try:
        procs = [proc] + proc.children(recursive=True)
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_child(cmd, timeout_s, env=None, cwd=REPO):
    """Run cmd; return (result dict or None, info dict with wall_s, peak_mem_mb, rc, tail)."""
    import psutil

    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         cwd=cwd, env=env, start_new_session=True)
    peak = [0]
    stop = threading.Event()

    def poll():
        try:
            pp = psutil.Process(p.pid)
        except psutil.Error:
            return
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss(pp))
            stop.wait(0.02)

    th = threading.Thread(target=poll, daemon=True)
    th.start()
    out_lines = []

    def reader():
        for line in p.stdout:
            out_lines.append(line)

    rt = threading.Thread(target=reader, daemon=True)
    rt.start()
    timed_out = False
    try:
        p.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        timed_out = True
        try:
            os.killpg(p.pid, 9)  # our own child's session only
        except OSError:
            pass
        p.wait()
    wall = time.perf_counter() - t0
    stop.set()
    th.join()
    rt.join(timeout=5)
    res = None
    for line in reversed(out_lines):
        if line.startswith("RESULT "):
            res = json.loads(line[len("RESULT "):])
            break
    info = {"wall_s": wall, "peak_mem_mb": peak[0] / 2**20, "rc": p.returncode,
            "timed_out": timed_out, "cmd": " ".join(shlex.quote(c) for c in cmd)}
    if res is None:
        info["tail"] = "".join(out_lines[-30:])
    return res, info


# ------------------------------------------------------------------------------------------
# case definitions
# ------------------------------------------------------------------------------------------
class Job:
    """One row of the table: a (case, tool, variant) measured by one child command."""

    def __init__(self, case, label, tool, variant, cmd, python_kind, note=""):
        self.case, self.label, self.tool, self.variant = case, label, tool, variant
        self.cmd, self.python_kind, self.note = cmd, python_kind, note

    @property
    def key(self):
        return (self.case, self.label, self.tool, self.variant)


def build_jobs(a, plugin_funcs):
    """List of jobs per case: {case: [Job...]}; commands are argv lists without the python."""
    quick = a.quick
    dur = a.duration_ms if a.duration_ms else (100.0 if quick else 1000.0)
    b2_devices = a.brian2_devices.split(",")
    b2_big = ["cython"] if quick else b2_devices  # expensive cases
    sizes = [4000] if quick else [4000, 16000, 64000]
    sweep_seeds = [1, 2] if quick else [1, 8, 32]
    long_ms = [1000.0] if quick else [6000.0, 60000.0]
    tools = set(a.tools.split(","))
    cases = {int(c) for c in a.cases.split(",")}
    B2 = os.path.join(HERE, "brian2_models.py")
    BP = os.path.join(HERE, "brainpy_models.py")
    jobs = {}

    def bb(func, kwargs):
        if "brainbatch" not in tools or func not in plugin_funcs:
            return None
        return [os.path.join(HERE, "harness.py"), "--child",
                json.dumps({"func": func, "kwargs": kwargs, "plugin": a.plugin})]

    def add(case, label, tool, variant, cmd, note=""):
        if cmd is None or tool not in tools:
            return
        kind = "brainbatch" if tool == "brainbatch" else "bench"
        jobs.setdefault(case, []).append(Job(case, label, tool, variant, cmd, kind, note))

    common = ["--duration-ms", str(dur), "--seed", str(a.seed)]
    # 1: COBA 4000, 1 s, spikes
    if 1 in cases:
        lab = f"COBA 4k {dur:g} ms spikes"
        add(1, lab, "brainbatch", "", bb("coba", dict(seed=a.seed, duration_ms=dur)))
        for d in b2_devices:
            add(1, lab, "brian2", d, [B2, "coba", "--device", d] + common)
        add(1, lab, "brainpy", "", [BP, "coba"] + common)
    # 2: COBA with V of all neurons recorded
    if 2 in cases:
        lab = f"COBA 4k {dur:g} ms + V all"
        add(2, lab, "brainbatch", "",
            bb("coba", dict(seed=a.seed, duration_ms=dur, record_v=True)))
        for d in b2_big:
            add(2, lab, "brian2", d, [B2, "coba", "--device", d, "--record-v"] + common)
        add(2, lab, "brainpy", "", [BP, "coba", "--record-v"] + common)
    # 3: Poisson-driven LIF
    if 3 in cases:
        lab = f"Poisson LIF 4k {dur:g} ms"
        add(3, lab, "brainbatch", "", bb("poisson_lif", dict(seed=a.seed, duration_ms=dur)))
        for d in b2_big:
            add(3, lab, "brian2", d, [B2, "poisson_lif", "--device", d] + common)
        add(3, lab, "brainpy", "", [BP, "poisson_lif"] + common,
            note="PoissonInput not dropped while refractory (~28.5 Hz)")
    # 4: COBA fixed in-degree 80 at several sizes
    if 4 in cases:
        for n in sizes:
            lab = f"COBA K=80 n={n // 1000}k {dur:g} ms"
            add(4, lab, "brainbatch", "",
                bb("coba", dict(seed=a.seed, duration_ms=dur, n=n, in_degree=80)))
            for d in b2_big:
                add(4, lab, "brian2", d, [B2, "coba", "--device", d, "--n", str(n),
                                          "--in-degree", "80"] + common)
            add(4, lab, "brainpy", "", [BP, "coba", "--n", str(n), "--in-degree", "80"] + common)
    # 5: sweep of seeds
    if 5 in cases:
        for s in sweep_seeds:
            lab = f"COBA sweep {s} seeds {dur:g} ms"
            add(5, lab, "brainbatch", "sweep CLI, cold compile",
                bb("sweep", dict(model="coba", seeds=s, duration_ms=dur,
                                 out_dir="{tmp}")))
            add(5, lab, "brainbatch", "sweep CLI, warm compile cache",
                bb("sweep", dict(model="coba", seeds=s, duration_ms=dur, out_dir="{tmp}", warm=True)))
            if s > 1:  # Brian2's documented way for many runs: compile once, rerun the binary
                add(5, lab, "brian2", "cpp_standalone, compiled once, 2 processes",
                    [os.path.join(HERE, "brian2_many_runs.py"), "--runs", str(s), "--processes", "2",
                     "--duration-ms", str(dur)])
            # cython: compiled code is cached across seeds; cpp_standalone would recompile
            # every seed (set --sweep-brian2-devices to include it)
            for d in a.sweep_brian2_devices.split(","):
                if d == "cpp_standalone" and s > a.sweep_cpp_max:
                    continue  # recompiles per seed: 32 seeds are estimated from fewer (Targets)
                add(5, lab, "brian2", f"{d}, sequential",
                    [B2, "coba", "--device", d, "--seeds", str(s), "--duration-ms", str(dur),
                     "--seed", "0"])
            add(5, lab, "brainpy", "sequential",
                [BP, "coba", "--seeds", str(s), "--duration-ms", str(dur), "--seed", "0"])
            if s > 1:
                add(5, lab, "brainpy", f"BatchingMode({s})",
                    [BP, "coba", "--batch", str(s), "--duration-ms", str(dur), "--seed", "0"],
                    note="lanes share connectivity")
    # 6: long run to Zarr (brainbatch only); two durations show whether peak memory is flat
    if 6 in cases:
        for ms in long_ms:
            lab = f"COBA long run {ms / 1000:g} s -> Zarr"
            add(6, lab, "brainbatch", "", bb("long_run", dict(duration_ms=ms, out_dir="{tmp}")))
            if ms == max(long_ms):  # the ratios: against no monitors, and killed at 70 % then resumed
                add(6, lab, "brainbatch", "no monitors",
                    bb("long_run", dict(duration_ms=ms, out_dir="{tmp}", monitors=False)))
                add(6, lab, "brainbatch", "killed at 70 %, resumed",
                    bb("long_run", dict(duration_ms=ms, out_dir="{tmp}", kill_at=0.7)))
    # 7: 8 COBA seeds in one vmapped call against ONE Brian2 run (and BrainPy batched)
    if 7 in cases:
        lab = f"COBA 8 seeds batched {dur:g} ms"
        add(7, lab, "brainbatch", "8 lanes, one call", bb("coba_batch", dict(seeds=8, duration_ms=dur)))
        add(7, lab, "brainbatch", "8 lanes, one call, vmapped",
            bb("coba_batch", dict(seeds=8, duration_ms=dur, lanes="vmap")))
        for d in b2_big:
            add(7, lab, "brian2", f"{d}, ONE run", [B2, "coba", "--device", d] + common)
        add(7, lab, "brainpy", "BatchingMode(8)",
            [BP, "coba", "--batch", "8", "--duration-ms", str(dur), "--seed", "0"],
            note="lanes share connectivity")
    # 8: Brunel (2000) g x eta sweep, 6 cells x 2 seeds = 12 runs; Brian2 compiled once and rerun
    if 8 in cases:
        lab = f"Brunel 12-run sweep {dur:g} ms"
        add(8, lab, "brainbatch", "sweep CLI",
            bb("brunel_sweep", dict(seeds=2, duration_ms=dur, out_dir="{tmp}")))
        for d in (["cython"] if quick else ["cpp_standalone", "cython"]):
            how = "built once per eta, binary rerun" if d == "cpp_standalone" else "code cache, rerun"
            add(8, lab, "brian2", f"{d}, {how}",
                [os.path.join(HERE, "brunel_brian2.py"), "sweep", "--device", d, "--seeds", "2",
                 "--duration-ms", str(dur), "--t-stat-ms", str(0.2 * dur)])
    # 9: whole-brain FHN rate model (80 regions, delay matrix, OU noise): one run, and the 64-run G x sigma
    # sweep through the CLI against BrainPy running grid points one after another (each its own network)
    if 9 in cases:
        lab = f"Whole-brain FHN 80 {dur:g} ms"
        add(9, lab, "brainbatch", "", bb("whole_brain", dict(seed=a.seed, duration_ms=dur)))
        add(9, lab, "brainpy", "", [BP, "whole_brain"] + common)
        lab = f"Whole-brain 64-run G x sigma sweep {dur:g} ms"
        add(9, lab, "brainbatch", "sweep CLI", bb("whole_brain_sweep", dict(duration_ms=dur, out_dir="{tmp}")))
        pts = 2 if quick else 8
        add(9, lab, "brainpy", f"{pts} of 64 runs, sequential",
            [BP, "whole_brain", "--points", str(pts), "--duration-ms", str(dur), "--seed", "0"],
            note=f"time for {pts} runs; x {64 // pts} for the grid")
    # 10: plasticity (docs/plasticity.md): Song 2000 STDP, COBA with E->E STDP and its static twin, a seed sweep
    if 10 in cases:
        song_ms = 10_000.0 if quick else 100_000.0
        song = os.path.join(HERE, "stdp_song2000_brian2.py")
        lab = f"Song 2000 STDP {song_ms / 1000:g} s"
        add(10, lab, "brainbatch", "", bb("song2000", dict(seed=a.seed, duration_ms=song_ms)))
        add(10, lab, "brian2", "cpp_standalone", [song, "--seeds", str(a.seed), "--duration-ms", str(song_ms)])
        for plastic in (True, False):
            lab = f"COBA 4k {'E->E STDP' if plastic else 'static twin'} {dur:g} ms"
            add(10, lab, "brainbatch", "", bb("coba_stdp", dict(seed=a.seed, duration_ms=dur, plastic=plastic)))
            add(10, lab, "brian2", "cpp_standalone", [os.path.join(HERE, "coba_stdp_brian2.py"), "--seed", str(a.seed),
                                                     "--duration-ms", str(dur)] + ([] if plastic else ["--static"]))
        n = 2 if quick else 32
        lab = f"Song 2000 sweep {n} seeds {song_ms / 1000:g} s"
        add(10, lab, "brainbatch", "sweep CLI",
            bb("sweep", dict(model="stdp_song2000", seeds=n, duration_ms=song_ms, out_dir="{tmp}")))
        add(10, lab, "brian2", "cpp_standalone, compiled once, 2 processes",
            [song, "--runs", str(n), "--processes", "2", "--duration-ms", str(song_ms)])
    # 11: the Potjans & Diesmann (2014) microcircuit, one seed per tool (bench/microcircuit_*.py; per-population
    # rates in results.md; many seeds and the large scales: bench/microcircuit_compare.py)
    if 11 in cases:
        mc_ms = 300.0 if quick else 1000.0  # rates are counted after 100 ms
        sc, ks = a.microcircuit_scale, a.microcircuit_k_scale
        lab = f"Microcircuit scale {sc:g}, in-degrees x {ks:g}, {mc_ms:g} ms"
        mc = ["--scale", str(sc), "--k-scale", str(ks), "--duration", str(mc_ms)]
        add(11, lab, "brainbatch", "", [os.path.join(HERE, "microcircuit_brainbatch.py"), *mc, "--seeds", str(a.seed),
                                        "--warm"])
        add(11, lab, "brian2", "cpp_standalone", [os.path.join(HERE, "microcircuit_brian2.py"), *mc,
                                                  "--seed", str(a.seed)])
    return jobs


def _fill_tmp(cmd, tmp):
    return [c.replace("{tmp}", tmp) for c in cmd]


# ------------------------------------------------------------------------------------------
# table
# ------------------------------------------------------------------------------------------
def _fmt(x, nd=2):
    if x is None:
        return "—"
    if isinstance(x, str):
        return x
    if abs(x) >= 100:
        return f"{x:.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.{nd}f}"


def _median(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def summarize(jobs_by_case, measurements):
    """measurements: {job.key: [dict(res..., wall_s, peak_mem_mb) or None per repeat]}"""
    rows = []
    for case in sorted(jobs_by_case):
        for job in jobs_by_case[case]:
            ms = [m for m in measurements.get(job.key, []) if m and m.get("ok")]
            fails = [m for m in measurements.get(job.key, []) if m and not m.get("ok")]
            row = {"case": case, "label": job.label, "tool": job.tool, "variant": job.variant,
                   "note": job.note, "n_ok": len(ms), "n_failed": len(fails)}
            for k in ("rate_hz", "wall_s", "time_total_s", "time_run_s", "compile_s", "peak_mem_mb",
                      "cpu_s", "store_mb", "cpu_run_s"):
                row[k] = _median([m.get(k) for m in ms])
            rates = [m.get("rates") or m.get("rates_hz") for m in ms if m.get("rates") or m.get("rates_hz")]
            if rates:  # per population (case 11): the median over repeats
                row["rates"] = {p: _median([r.get(p) for r in rates]) for p in rates[0]}
            if job.tool == "brainbatch" and (job.variant or "").startswith("sweep CLI") and row["time_total_s"]:
                # the sweep command's own wall time: the child also starts Python and, for a warm
                # row, runs the untimed warm-up sweep first
                row["wall_s"] = row["time_total_s"]
                if "warm" in job.variant:
                    row["note"] = (row["note"] + "; " if row["note"] else "") + "CPU and peak include the warm-up"
            if fails and not ms:
                row["note"] = (row["note"] + "; " if row["note"] else "") + "FAILED: " + \
                    fails[0].get("error", "")[:80].replace("|", "/").replace("\n", " ")
            rows.append(row)
    # ratios brainbatch / tool within the same label
    by_label = {}
    for r in rows:
        by_label.setdefault(r["label"], []).append(r)
    for lab, rs in by_label.items():
        bbr = [r for r in rs if r["tool"] == "brainbatch" and r["n_ok"]]
        for r in rs:
            r["ratio_first"] = r["ratio_steady"] = None
            if bbr and r["tool"] != "brainbatch" and r["n_ok"]:
                b = bbr[0]
                if b["wall_s"] and r["wall_s"]:
                    r["ratio_first"] = b["wall_s"] / r["wall_s"]
                if b["time_run_s"] and r["time_run_s"]:
                    r["ratio_steady"] = b["time_run_s"] / r["time_run_s"]
    return rows


def _find(rows, case, tool, variant="", label=""):
    """First successful row of ``case`` for ``tool`` whose variant starts with ``variant``."""
    for r in rows:
        if (r["case"] == case and r["tool"] == tool and r["n_ok"] and label in r["label"]
                and (r["variant"] or "").startswith(variant)):
            return r
    return None


def _b2(rows, *cases, label=""):
    """Brian2 cpp_standalone row of the first case that has one, else cython (flagged)."""
    for dev in ("cpp_standalone", "cython"):
        for c in cases:
            r = _find(rows, c, "brian2", dev, label)
            if r:
                return r, ("" if dev == "cpp_standalone" else " (cpp_standalone not run: vs cython)")
    return None, ""


def _verdict(name, what, value, limit, unit="x"):
    if value is None:
        return f"**{name}**: not measured in this run ({what})"
    v = f"{value:.2f}{unit} (limit {limit:.3g}{unit})"
    if value <= limit:
        return f"**{name}**: {what} = {v}: met"
    return f"**{name}**: {what} = {v}: MISSED by {100 * (value / limit - 1):.0f}%"


def _ratio(a, b):
    return a / b if a is not None and b else None


def targets(rows):
    """The issue's targets as lines "met" / "MISSED by X%" (X: how far above the limit)."""
    import math
    import re

    out = []
    bb1 = _find(rows, 1, "brainbatch")
    b2, how = _b2(rows, 1)
    out.append(_verdict("COBA single run, steady ≤ 0.8 × Brian2 cpp_standalone's loop",
                        "bb steady ÷ Brian2 steady" + how,
                        _ratio(bb1 and bb1["time_run_s"], b2 and b2["time_run_s"]), 0.8))
    bb7 = _find(rows, 7, "brainbatch", "8 lanes, one call")
    out.append(_verdict("8 COBA lanes in one call cost per lane ≤ one run alone",
                        "bb steady (8 lanes) ÷ 8 ÷ bb steady (1 run, case 1)",
                        _ratio(bb7 and bb7["time_run_s"] / 8, bb1 and bb1["time_run_s"]), 1.0))
    anchor = _find(rows, 5, "brian2", "cpp_standalone, compiled once", "sweep 32 seeds")
    for variant, limit in (("sweep CLI, warm compile cache", 0.7), ("sweep CLI, cold compile", 1.0)):
        bb32 = _find(rows, 5, "brainbatch", variant, "sweep 32 seeds")
        out.append(_verdict(f"32 COBA seeds through the CLI end to end ({variant.split(', ')[1]}) ≤ {limit} × "
                            "Brian2 compiled once, 32 binary runs on 2 processes",
                            "bb CLI wall ÷ Brian2 wall" + ("" if bb32 and anchor else " (needs 32 seeds: full run)"),
                            # the sweep's own wall time (a warm row's child also ran the untimed warm-up)
                            _ratio(bb32 and (bb32.get("time_total_s") or bb32["wall_s"]),
                                   anchor and anchor["wall_s"]), limit))
    bb3 = _find(rows, 3, "brainbatch")
    b2, how = _b2(rows, 3)
    out.append(_verdict("Poisson-driven LIF keeps its lead over Brian2 cpp_standalone",
                        "bb steady ÷ Brian2 steady" + how,
                        _ratio(bb3 and bb3["time_run_s"], b2 and b2["time_run_s"]), 1.0))
    bb2 = _find(rows, 2, "brainbatch")
    out.append(_verdict("recording V of all neurons ≤ 1.3 × the time without",
                        "bb steady case 2 ÷ case 1",
                        _ratio(bb2 and bb2["time_run_s"], bb1 and bb1["time_run_s"]), 1.3))
    out.append(_verdict("compile time for COBA ≤ 3 s", "bb first − steady (case 1)",
                        bb1 and bb1.get("compile_s"), 3.0, " s"))
    # time against size at fixed in-degree: exponent of t ~ n^a between the smallest and largest n
    growth = {}
    for r in rows:
        m = re.search(r"n=(\d+)k", r["label"])
        if r["case"] == 4 and m and r["n_ok"] and r["time_run_s"]:
            growth.setdefault((r["tool"], r["variant"] or ""), []).append((int(m.group(1)), r["time_run_s"]))
    expo = {}
    for k, pts in growth.items():
        (n0, t0), (n1, t1) = min(pts), max(pts)
        if n1 > n0:
            expo[k] = math.log(t1 / t0) / math.log(n1 / n0)
    bbe = expo.get(("brainbatch", ""))
    others = ", ".join(f"{t} {v}: {e:.2f}" for (t, v), e in expo.items() if t != "brainbatch")
    out.append(_verdict("time grows linearly with neurons at fixed in-degree 80",
                        "exponent a of brainbatch's steady ∝ nᵃ (4k → largest n; linear = a ≤ 1.05)"
                        + ("" if bbe is not None else " (needs several sizes: full run)"), bbe, 1.05, "")
               + (f" (the same exponent of {others})" if others else ""))
    big = [r for r in rows if r["case"] == 4 and "n=64k" in r["label"] and r["n_ok"]]
    bb64 = next((r for r in big if r["tool"] == "brainbatch"), None)
    b264 = next((r for r in big if r["tool"] == "brian2" and (r["variant"] or "").startswith("cpp")), None)
    out.append(_verdict("64k neurons, in-degree 80 ≤ 1.0 × Brian2 cpp_standalone", "bb steady ÷ Brian2 steady"
                        + ("" if bb64 and b264 else " (needs n = 64k: full run)"),
                        _ratio(bb64 and bb64["time_run_s"], b264 and b264["time_run_s"]), 1.0))
    bb8 = _find(rows, 8, "brainbatch")
    for dev in ("cpp_standalone", "cython"):
        b8 = _find(rows, 8, "brian2", dev)
        if bb8 and b8:
            out.append(f"**Brunel 12-run sweep** (information): brainbatch CLI end to end {bb8['wall_s']:.1f} s, "
                       f"Brian2 {dev} {b8['wall_s']:.1f} s (compiled once, rerun) -> ratio "
                       f"{bb8['wall_s'] / b8['wall_s']:.2f}; mean rates {bb8['rate_hz']:.2f} / {b8['rate_hz']:.2f} Hz")
    longs = sorted((float(re.search(r"run ([\d.]+) s", r["label"]).group(1)), r) for r in rows
                   if r["case"] == 6 and r["n_ok"] and not r.get("variant"))
    if longs:
        top = longs[-1][1]
        bare = _find(rows, 6, "brainbatch", "no monitors", top["label"])
        killed = _find(rows, 6, "brainbatch", "killed at 70 %, resumed", top["label"])
        if bare:
            out.append(_verdict("long run: spikes every step + V every 1 ms to Zarr vs no monitors",
                                "recorded / bare (wall, end to end)",
                                _ratio(top["time_total_s"], bare["time_total_s"]), 1.3))
        if killed:
            out.append(_verdict("long run: killed at 70 % and resumed vs uninterrupted",
                                "killed+resumed / uninterrupted (wall, end to end)",
                                _ratio(killed["time_total_s"], top["time_total_s"]), 1.4))
    if longs:
        parts = [f"{d:g} s: peak {r['peak_mem_mb']:.0f} MB, store {r.get('store_mb') or 0:.0f} MB"
                 for d, r in longs]
        flat = ""
        if len(longs) > 1:
            g = longs[-1][1]["peak_mem_mb"] / longs[0][1]["peak_mem_mb"]
            flat = f" → peak grows {g:.2f}× for {longs[-1][0] / longs[0][0]:g}× the duration"
        out.append("**long run to Zarr, peak memory flat in duration** (information): "
                   + "; ".join(parts) + flat)
    out.extend(plasticity_targets(rows))
    return out


def _cpu(row):
    """A brainbatch row's steady CPU time (all its threads), else its steady wall time."""
    return row and (row.get("cpu_run_s") or row["time_run_s"])


def plasticity_targets(rows):
    """Case 10 (issue 24): Song 2000, COBA with E->E STDP and its static twin, the 32-seed Song 2000 sweep.

    Brian2 cpp_standalone times its main loop with ``std::clock()`` (``network.cpp`` without OpenMP): CPU
    time, not wall time. So brainbatch's steady call is compared in CPU time too (``cpu_run_s``), which
    on a shared machine is the only fair pair; on a quiet one wall and CPU agree.
    """
    out = []
    song_bb, song_b2 = _find(rows, 10, "brainbatch", "", "Song 2000 STDP"), _find(rows, 10, "brian2", "cpp", "Song 2000 STDP")
    out.append(_verdict("Song 2000 STDP 100 s ≤ 0.7 × Brian2 cpp_standalone", "bb steady CPU ÷ Brian2 main loop (CPU)"
                        + ("" if song_bb and "100 s" in song_bb["label"] else " (needs 100 s: full run)"),
                        _ratio(_cpu(song_bb), song_b2 and song_b2["time_run_s"]), 0.7))
    if song_bb and song_b2:
        out.append(f"**Song 2000 end to end** (information): brainbatch first result {_fmt(song_bb['time_total_s'])} s "
                   f"(build, compile, run), Brian2 cpp_standalone {_fmt(song_b2['time_total_s'])} s (code generation, "
                   f"compile, run); CPU of the whole child {_fmt(song_bb['cpu_s'])} s / {_fmt(song_b2['cpu_s'])} s")
    plastic = _find(rows, 10, "brainbatch", "", "E->E STDP")
    static = _find(rows, 10, "brainbatch", "", "static twin")
    b2_plastic = _find(rows, 10, "brian2", "cpp", "E->E STDP")
    b2_static = _find(rows, 10, "brian2", "cpp", "static twin")
    out.append(_verdict("COBA 4k with E->E STDP ≤ 1.0 × Brian2 cpp_standalone", "bb steady CPU ÷ Brian2 main loop (CPU)",
                        _ratio(_cpu(plastic), b2_plastic and b2_plastic["time_run_s"]), 1.0))
    out.append(_verdict("cost of plasticity over the static network ≤ 2 ×", "bb steady CPU plastic ÷ static"
                        + (f" (Brian2's own: {b2_plastic['time_run_s'] / b2_static['time_run_s']:.2f})"
                           if b2_plastic and b2_static and b2_static["time_run_s"] else ""),
                        _ratio(_cpu(plastic), _cpu(static)), 2.0))
    sweep_bb = _find(rows, 10, "brainbatch", "sweep CLI", "Song 2000 sweep")
    sweep_b2 = _find(rows, 10, "brian2", "cpp", "Song 2000 sweep")
    out.append(_verdict("32-seed Song 2000 sweep through the CLI ≤ 0.7 × Brian2 compiled once, rerun on 2 processes",
                        "bb CLI wall ÷ Brian2 wall" + ("" if sweep_bb and "32 seeds" in sweep_bb["label"]
                                                       else " (needs 32 seeds: full run)"),
                        _ratio(sweep_bb and (sweep_bb.get("time_total_s") or sweep_bb["wall_s"]),
                               sweep_b2 and sweep_b2["wall_s"]), 0.7))
    return out


def machine_info():
    info = {"python": platform.python_version(), "platform": platform.platform(),
            "cpus": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        import psutil

        info["ram_gb"] = round(psutil.virtual_memory().total / 2**30, 1)
    except Exception:
        pass
    return info


def tool_versions(python):
    code = ("import json,importlib.metadata as m;d={}\n"
            "for p in ['brian2','brainpy','jax','jaxlib','numpy','cython','numba','brainbatch']:\n"
            "  try: d[p]=m.version(p)\n  except Exception: pass\nprint(json.dumps(d))")
    try:
        out = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=60)
        return json.loads(out.stdout.strip().splitlines()[-1])
    except Exception:
        return {}


def write_markdown(path, rows, meta):
    L = []
    L.append("# brainbatch benchmarks\n")
    L.append(f"Generated by `bench/harness.py` on {meta['date']} "
             f"({'quick smoke run' if meta['quick'] else 'full run'}, "
             f"{meta['repeats']} repeat(s), medians shown).\n")
    L.append(f"Command: `{meta['command']}`\n")
    mi = meta["machine"]
    L.append(f"Machine: {mi.get('cpu', '?')}, {mi.get('cpus')} CPUs, {mi.get('ram_gb', '?')} GB "
             f"RAM, {mi.get('platform')}, Python {mi.get('python')}.\n")
    L.append("Versions: bench env " + ", ".join(f"{k} {v}" for k, v in meta["bench_versions"].items())
             + "; brainbatch env " + (", ".join(f"{k} {v}" for k, v in
                                            meta["brainbatch_versions"].items()) or "—") + ".\n")
    if not meta["plugin"]:
        L.append("`bench/brainbatch_cases.py` not found: brainbatch rows skipped.\n")
    L.append("Columns (see bench/README.md): **first** = wall time of a fresh process until the "
             "result is in hand (imports, build, compile, run; for `brainbatch sweep` rows the sweep command's "
             "own wall time); **steady** = simulation loop "
             "only (Brian2 run loop / C++ main loop; BrainPy: a second call of the compiled run; brainbatch: the median of 3 further calls); "
             "**CPU** = user+sys CPU seconds of the whole child process tree (less sensitive to a "
             "loaded machine than wall times); **peak MB** = peak RSS of the process tree; **bb/tool** = brainbatch time ÷ this "
             "tool's time (< 1: brainbatch faster).\n")
    L.append("**compile (s)** = brainbatch's first call minus its steady call (build + trace + XLA "
             "compile); Brian2's `time_compile_s` is in results.json.\n")
    L.append("| case | tool | variant | rate (Hz) | first (s) | steady (s) | compile (s) | CPU (s) "
             "| peak MB | bb/tool first | bb/tool steady | note |")
    L.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        note = r["note"] or ""
        if r.get("store_mb"):
            note = (note + "; " if note else "") + f"store {r['store_mb']:.0f} MB"
        L.append("| " + " | ".join([
            f"{r['case']}. {r['label']}", r["tool"], r["variant"] or "",
            _fmt(r["rate_hz"]), _fmt(r["wall_s"]), _fmt(r["time_run_s"], 3), _fmt(r.get("compile_s")),
            _fmt(r["cpu_s"]), _fmt(r["peak_mem_mb"]), _fmt(r["ratio_first"]), _fmt(r["ratio_steady"]),
            note]) + " |")
    L.append("")
    mc_rows = [r for r in rows if r["case"] == 11 and r.get("rates")]
    if mc_rows:  # the microcircuit's rates per population, and NEST 3's published full-scale ones
        pops = list(mc_rows[0]["rates"])
        L.append("Case 11, rates per population (Hz, after 100 ms; NEST 3: its PyNEST example's `full_mean_rates` "
                 "at full scale; bench/microcircuit_compare.py for many seeds):\n")
        L.append("| tool | " + " | ".join(pops) + " |")
        L.append("|---|" + "---:|" * len(pops))
        for r in mc_rows:
            L.append(f"| {r['tool']} | " + " | ".join(_fmt(r["rates"].get(p), 3) for p in pops) + " |")
        L.append("| NEST 3 (full scale) | " + " | ".join(f"{v:.3f}" for v in NEST3_RATES) + " |")
        L.append("")
    L.append("## Targets\n")
    L.append("Ratios from this run's medians (brainbatch ÷ reference; a target is `ratio ≤ limit`, "
             "\"missed by X%\" = how far the ratio is above the limit).\n")
    if meta["quick"]:
        L.append("Quick run: 100 ms simulations, so steady times are short and noisy and Brian2 "
                 "cpp_standalone ran in case 1 only; the verdicts are indicative, the full run is "
                 "the record.\n")
    for line in targets(rows):
        L.append(f"- {line}")
    L.append("")
    analysis = os.path.join(HERE, "analysis.md")  # why targets are missed: profiles, what was tried
    if os.path.exists(analysis):
        with open(analysis) as f:
            L.append(f.read())
    with open(path, "w") as f:
        f.write("\n".join(L))


# ------------------------------------------------------------------------------------------
def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        return child_main(argv[1])
    ap = argparse.ArgumentParser(description="brainbatch vs Brian2 / BrainPy benchmark harness")
    ap.add_argument("--quick", action="store_true",
                    help="fast smoke run: 100 ms, small sizes, seeds 1 and 2, cython only "
                         "for the expensive cases, 1 s long run")
    ap.add_argument("--cases", default="1,2,3,4,5,6,7,8,9,10,11")
    ap.add_argument("--microcircuit-scale", type=float, default=0.1, help="case 11: neuron numbers x this")
    ap.add_argument("--microcircuit-k-scale", type=float, default=0.1, help="case 11: in-degrees x this")
    ap.add_argument("--tools", default="brainbatch,brian2,brainpy")
    ap.add_argument("--brian2-devices", default="cpp_standalone,cython",
                    help="Brian2 targets for cases 1-4 (runtime = numpy also possible)")
    ap.add_argument("--sweep-brian2-devices", default=None,
                    help="Brian2 targets for case 5 (default cpp_standalone,cython; quick: cython; "
                         "cpp_standalone recompiles every seed)")
    ap.add_argument("--sweep-cpp-max", type=int, default=8,
                    help="case 5: run cpp_standalone sequentially only up to this many seeds")
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--duration-ms", type=float, default=None,
                    help="override simulated time of cases 1-5 (default 1000, quick 100)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=1800.0, help="per child process (s)")
    ap.add_argument("--bench-python",
                    default=_default_python(os.path.join(REPO, ".venv-bench", "bin", "python")),
                    help="interpreter with brian2/brainpy (default .venv-bench)")
    ap.add_argument("--brainbatch-python",
                    default=_default_python(os.path.join(REPO, ".venv", "bin", "python")),
                    help="interpreter with brainbatch (default .venv)")
    ap.add_argument("--plugin", default=PLUGIN,
                    help="path of the brainbatch plug-in module (default bench/brainbatch_cases.py)")
    ap.add_argument("--out", default=os.path.join(HERE, "results.md"))
    ap.add_argument("--json", default=os.path.join(HERE, "results.json"))
    ap.add_argument("--dry-run", action="store_true", help="print the commands only")
    a = ap.parse_args(argv)
    if a.sweep_brian2_devices is None:
        a.sweep_brian2_devices = "cython" if a.quick else "cpp_standalone,cython"

    plugin_funcs = set()
    if os.path.exists(a.plugin):
        # find the plug-in's functions without importing brainbatch here
        import ast

        with open(a.plugin) as f:
            tree = ast.parse(f.read())
        plugin_funcs = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    else:
        print(f"note: {a.plugin} not found -- brainbatch rows skipped",
              file=sys.stderr)

    jobs = build_jobs(a, plugin_funcs)
    pythons = {"bench": a.bench_python, "brainbatch": a.brainbatch_python}
    if a.dry_run:
        for case in sorted(jobs):
            for j in jobs[case]:
                print(f"[{case}] {j.tool:10s} {j.variant:20s} "
                      f"{pythons[j.python_kind]} {' '.join(shlex.quote(c) for c in j.cmd)}")
        return 0

    env = dict(os.environ)
    env.setdefault("PYTHONUNBUFFERED", "1")
    measurements = {}
    raw = []
    t_start = time.perf_counter()
    for rep in range(a.repeats):
        for ci, case in enumerate(sorted(jobs)):
            # alternate tools: rotate the order of the tools per case and repeat
            by_label = {}
            for j in jobs[case]:
                by_label.setdefault(j.label, []).append(j)
            for li, (lab, js) in enumerate(by_label.items()):
                k = (rep + ci + li) % len(js)
                for j in js[k:] + js[:k]:
                    tmp = tempfile.mkdtemp(prefix="bench_")
                    cmd = [pythons[j.python_kind]] + _fill_tmp(j.cmd, tmp)
                    print(f"[rep {rep + 1}/{a.repeats}] case {case} {lab} | {j.tool} "
                          f"{j.variant} ...", end=" ", flush=True)
                    res, info = run_child(cmd, a.timeout, env=env)
                    shutil.rmtree(tmp, ignore_errors=True)
                    m = dict(res or {})
                    m.update(info)
                    m["ok"] = res is not None and info["rc"] == 0
                    if not m["ok"]:
                        m["error"] = ("timeout" if info["timed_out"] else
                                      (info.get("tail", "").strip().splitlines() or ["?"])[-1])
                        print(f"FAILED ({m['error'][:120]})", flush=True)
                    else:
                        rate = m.get("rate_hz")
                        print(f"rate {float('nan') if rate is None else rate:.2f} Hz, "
                              f"first {m['wall_s']:.2f} s, steady "
                              f"{_fmt(m.get('time_run_s'), 3)} s, "
                              f"peak {m['peak_mem_mb']:.0f} MB", flush=True)
                    measurements.setdefault(j.key, []).append(m)
                    raw.append({"case": case, "label": lab, "tool": j.tool,
                                "variant": j.variant, "repeat": rep, **m})
    rows = summarize(jobs, measurements)
    meta = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
            "quick": a.quick, "repeats": a.repeats,
            "command": " ".join(["python", "bench/harness.py"] + argv),
            "machine": machine_info(),
            "bench_versions": tool_versions(a.bench_python),
            "brainbatch_versions": (tool_versions(a.brainbatch_python)
                                    if os.path.exists(a.plugin) else {}),
            "plugin": os.path.exists(a.plugin),
            "elapsed_s": time.perf_counter() - t_start}
    with open(a.json, "w") as f:  # first: the raw numbers survive a failure of the table
        json.dump({"meta": meta, "rows": rows, "raw": raw}, f, indent=2, default=str)
        f.write("\n")
    write_markdown(a.out, rows, meta)
    print(f"wrote {a.out} and {a.json} ({meta['elapsed_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
