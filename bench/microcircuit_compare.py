"""The microcircuit's per-population rates, brainbatch against Brian2 2.9, and both against NEST's.

Standalone (numpy only; no brainbatch, no Brian2 import): it runs ``microcircuit_brainbatch.py`` in the
project venv and ``microcircuit_brian2.py`` in the bench venv, one process at a time, appends their
``RESULT {json}`` lines to a JSON-lines file, and prints the comparison table.

    python bench/microcircuit_compare.py run --scale 0.1 --k-scale 0.1 --seeds 0-7 --out bench/microcircuit_runs.jsonl
    python bench/microcircuit_compare.py run --tools brian2 --scale 1 --k-scale 1 --seeds 0 --out runs.jsonl
    python bench/microcircuit_compare.py table bench/microcircuit_runs.jsonl [more.jsonl ...]
    python bench/microcircuit_compare.py reference runs.jsonl --scale 0.1 --k-scale 0.1   # -> reference_rates.json

``run`` waits until ``MemAvailable`` exceeds what the run needs (``--need-gb``, default from the scale:
brainbatch ~5 GB and Brian2 ~13 GB at full scale) before each process. Brian2 seeds share one build
directory per scale (``--brian2-workdir``): after the first seed only the file holding the seed is
recompiled. ``table`` groups the runs by (scale, k_scale, duration), averages each tool's seeds and gives
the difference, two standard errors of the difference (the seed-to-seed sd pooled from both tools, which
simulate one model: a tool with 2 seeds alone says little about its spread; none with one seed per
tool) and the distance to NEST's published full-scale rates.

Published rates: NEST's PyNEST microcircuit example (``Potjans_2014/network_params.py``,
``full_mean_rates``): NEST 3's, "obtained by running this PyNEST microcircuit with 12 MPI processes and
both N_scaling and K_scaling set to 1" (0.943 ... 7.851 Hz), and NEST 2's (0.971 ... 7.523 Hz). The DC
compensation of ``experiments/microcircuit.py`` and of the Brian2 reference uses NEST 3.4's and
microcircuit-PD14-model's ``full_mean_rates`` (0.903 ... 7.829 Hz).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import pathlib
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
POPS = ("L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I")
N_FULL = (20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948)
NEST3_RATES = (0.943, 3.026, 4.368, 5.882, 7.733, 8.664, 1.096, 7.851)
NEST2_RATES = (0.971, 2.868, 4.746, 5.396, 8.142, 9.078, 0.991, 7.523)


def parse_seeds(text: str) -> list[int]:
    """``"0-3,7"`` -> ``[0, 1, 2, 3, 7]``.

    >>> parse_seeds("0-2,5")
    [0, 1, 2, 5]
    """
    out: list[int] = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


def mem_available_gb() -> float:
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1e6
    return math.inf


def need_gb(tool: str, scale: float, k_scale: float) -> float:
    """Peak memory of one run, from the synapse count (measured: brainbatch ~17, Brian2 ~36 bytes per synapse)."""
    synapses = 3.0e8 * scale * k_scale
    return 0.8 + synapses * (17e-9 if tool == "brainbatch" else 40e-9)


def run(a) -> int:
    seeds = parse_seeds(a.seeds)
    out = pathlib.Path(a.out)
    for tool in a.tools.split(","):
        # brainbatch runs its seeds in one process (one compile; each seed's state is freed before the next)
        batches = [seeds] if tool == "brainbatch" else [[s] for s in seeds]
        for batch in batches:
            need = a.need_gb or need_gb(tool, a.scale, a.k_scale)
            while mem_available_gb() < need:
                print(f"waiting: {mem_available_gb():.1f} GB available, {tool} needs ~{need:.1f} GB", flush=True)
                time.sleep(30)
            common = ["--scale", str(a.scale), "--k-scale", str(a.k_scale), "--duration", str(a.duration)]
            if tool == "brainbatch":
                cmd = [a.brainbatch_python, str(HERE / "microcircuit_brainbatch.py"), *common,
                       "--seeds", *map(str, batch), "--warm"]  # --warm: a second run times the loop alone
            else:
                workdir = a.brian2_workdir or str(HERE / ".build" / f"mc_brian2_{a.scale:g}_{a.k_scale:g}")
                cmd = [a.bench_python, str(HERE / "microcircuit_brian2.py"), *common, "--seed", str(batch[0]),
                       "--workdir", workdir]
            load = os.getloadavg()[0]
            t0 = time.time()
            errlog = out.with_name(out.name + ".stderr")
            with errlog.open("a") as e:
                e.write(f"--- {tool} seeds {batch}: {' '.join(cmd)}\n")
            errf = errlog.open("a")  # a pipe would fill up and stall the child (compiler output)
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errf, text=True, cwd=ROOT,
                                    env={**os.environ, "PYTHONPATH": str(ROOT)})
            assert proc.stdout is not None
            for line in proc.stdout:  # RESULT lines as they come: a long batch keeps what it finished
                if not line.startswith("RESULT "):
                    continue
                res = json.loads(line[len("RESULT "):])
                res.update(tool=tool, wall_s=round(time.time() - t0, 1), load_start=round(load, 1),
                           load_end=round(os.getloadavg()[0], 1))
                with out.open("a") as f:
                    f.write(json.dumps(res) + "\n")
                print(f"{tool} seed {res['seed']}: {json.dumps(_rates(res))}", flush=True)
            errf.close()
            if proc.wait():
                print(f"{tool} seeds {batch} failed (rc {proc.returncode}): see {errlog}", file=sys.stderr)
    return 0


def _rates(res: dict) -> dict:
    return res.get("rates_hz") or res.get("rates") or {}


COST_KEYS = ("build_cpu_s", "build_s", "first_run_cpu_s", "first_run_s", "run_cpu_s", "run_s", "state_gb", "peak_rss_gb",
             "python_setup_s", "codegen_compile_s", "binary_wall_s", "binary_cpu_s", "run_loop_s", "peak_rss_python_gb",
             "peak_rss_binary_gb", "wall_s", "load_start", "load_end")


def _median(values: list[float]) -> float:
    v = sorted(values)
    return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2


def _pooled_sd(x: list[float], y: list[float]) -> float:
    """The seed-to-seed sd of two samples of one distribution (pooled variance, ddof 1 in each)."""
    ss = sum((v - sum(x) / len(x)) ** 2 for v in x) + sum((v - sum(y) / len(y)) ** 2 for v in y)
    return math.sqrt(ss / (len(x) + len(y) - 2))


def _mean_se(values: list[float]) -> tuple[float, float]:
    m = sum(values) / len(values)
    if len(values) < 2:
        return m, math.nan
    var = sum((v - m) ** 2 for v in values) / (len(values) - 1)
    return m, math.sqrt(var / len(values))


def table(paths: list[str]) -> str:
    runs = [json.loads(ln) for p in paths for ln in pathlib.Path(p).read_text().splitlines() if ln.strip()]
    groups: dict[tuple, dict[str, list[dict]]] = {}
    for r in runs:
        key = (float(r["scale"]), float(r["k_scale"]), float(r.get("duration_ms", 1000.0)))
        groups.setdefault(key, {}).setdefault(r["tool"], []).append(r)
    lines = []
    for (scale, k_scale, dur), by_tool in sorted(groups.items()):
        bb, b2 = by_tool.get("brainbatch", []), by_tool.get("brian2", [])
        lines.append(f"\nscale {scale:g}, in-degrees x {k_scale:g}, {dur:g} ms (rates after 100 ms, Hz); "
                     f"brainbatch seeds {sorted(r['seed'] for r in bb)}, Brian2 seeds {sorted(r['seed'] for r in b2)}\n")
        lines.append("| | " + " | ".join(p.replace("L23", "L2/3") for p in POPS) + " | all |")
        lines.append("|---|" + "---:|" * (len(POPS) + 1))
        stats, values = {}, {}
        for name, rs in (("brainbatch", bb), ("Brian2 2.9", b2)):
            if rs:  # "all": the mean over every neuron (populations weighted by their sizes)
                values[name] = [[_rates(r)[p] for r in rs] for p in POPS] + [
                    [sum(_rates(r)[p] * n for p, n in zip(POPS, N_FULL)) / sum(N_FULL) for r in rs]]
                stats[name] = [_mean_se(v) for v in values[name]]
                se = "" if len(rs) < 2 else " ± SE"
                lines.append(f"| {name} ({len(rs)}){se} | " + " | ".join(
                    f"{m:.3f}" + ("" if math.isnan(s) else f" ± {s:.3f}") for m, s in stats[name]) + " |")
        if len(stats) == 2:
            a, b = stats["brainbatch"], stats["Brian2 2.9"]
            lines.append("| difference | " + " | ".join(f"{100 * (x[0] / y[0] - 1):+.1f} %" for x, y in zip(a, b)) + " |")
            n1, n2 = len(bb), len(b2)
            if n1 + n2 > 2:  # both tools simulate one model: one seed-to-seed variance, pooled from both
                se = [_pooled_sd(x, y) * math.sqrt(1 / n1 + 1 / n2)
                      for x, y in zip(values["brainbatch"], values["Brian2 2.9"])]
                lines.append("| 2 SE of the difference (pooled sd) | " + " | ".join(
                    f"{200 * e / y[0]:.1f} %" for e, y in zip(se, b)) + " |")
        for name, ref in (("NEST 3 published (full scale)", NEST3_RATES),):
            ref = (*ref, sum(v * n for v, n in zip(ref, N_FULL)) / sum(N_FULL))
            lines.append(f"| {name} | " + " | ".join(f"{v:.3f}" for v in ref) + " |")
            for tname, st in stats.items():
                lines.append(f"| {tname} vs NEST 3 | " + " | ".join(
                    f"{100 * (m / v - 1):+.0f} %" for (m, _), v in zip(st, ref)) + " |")
        for name, rs in (("brainbatch", bb), ("Brian2 2.9", b2)):
            keys = [k for k in COST_KEYS if any(k in r for r in rs)]
            if keys:  # the costs: median (min-max) over the seeds
                lines.append(f"\n{name} ({len(rs)} runs): " + ", ".join(
                    f"{k} {_median([r[k] for r in rs if k in r]):g}"
                    + ("" if len(rs) < 2 else f" ({min(r[k] for r in rs if k in r):g}-{max(r[k] for r in rs if k in r):g})")
                    for k in keys))
    return "\n".join(lines)


def reference(paths: list[str], scale: float, k_scale: float, out: pathlib.Path) -> dict:
    """Brian2's runs at (scale, k_scale) -> ``out`` (``reference_rates.json``) ``models.microcircuit``: per
    population the mean and sd (ddof 1) over seeds, and every seed's rates."""
    import datetime

    runs = [json.loads(ln) for p in paths for ln in pathlib.Path(p).read_text().splitlines() if ln.strip()]
    runs = sorted((r for r in runs if r["tool"] == "brian2" and float(r["scale"]) == scale
                   and float(r["k_scale"]) == k_scale), key=lambda r: r["seed"])
    if len(runs) < 2:
        raise SystemExit(f"need Brian2 runs of at least 2 seeds at scale {scale}, k_scale {k_scale}; got {len(runs)}")
    per_pop = {p: [_rates(r)[p] for r in runs] for p in POPS}
    stats = {p: dict(mean=sum(v) / len(v), sd=_mean_se(v)[1] * math.sqrt(len(v))) for p, v in per_pop.items()}
    entry = dict(
        model=("Potjans & Diesmann (2014) microcircuit, NEST's PyNEST parameters (bench/microcircuit_brian2.py), "
               f"scale {scale:g}, in-degrees x {k_scale:g}, 1 s at dt 0.1 ms, rates over [100, 1000) ms"),
        generated_by="bench/microcircuit_compare.py reference",
        command=f"python bench/microcircuit_compare.py run --tools brian2 --scale {scale:g} --k-scale {k_scale:g} "
                f"--seeds {runs[0]['seed']}-{runs[-1]['seed']}",
        date=datetime.date.today().isoformat(), brian2_version=runs[0].get("brian2"), device="cpp_standalone",
        scale=scale, k_scale=k_scale, seeds=[r["seed"] for r in runs],
        rates_hz={p: {"mean": round(st["mean"], 5), "sd": round(st["sd"], 5)} for p, st in stats.items()},
        per_seed_hz={p: [round(x, 5) for x in v] for p, v in per_pop.items()})
    ref = json.loads(out.read_text())
    ref["models"]["microcircuit"] = entry
    out.write_text(json.dumps(ref, indent=2) + "\n")
    return entry


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="run the tools, one process at a time, appending RESULT lines to --out")
    r.add_argument("--scale", type=float, default=0.1)
    r.add_argument("--k-scale", type=float, default=0.1)
    r.add_argument("--duration", type=float, default=1000.0)
    r.add_argument("--seeds", default="0")
    r.add_argument("--tools", default="brainbatch,brian2")
    r.add_argument("--out", default=str(HERE / "microcircuit_runs.jsonl"))
    r.add_argument("--need-gb", type=float, default=None, help="wait for this much available memory (default: from the scale)")
    r.add_argument("--brian2-workdir", default=None)
    r.add_argument("--bench-python", default=str(ROOT / ".venv-bench" / "bin" / "python"))
    r.add_argument("--brainbatch-python", default=str(ROOT / ".venv" / "bin" / "python"))
    t = sub.add_parser("table", help="print the comparison table of JSON-lines files")
    t.add_argument("paths", nargs="+")
    f = sub.add_parser("reference", help="Brian2's rates at one scale -> bench/reference_rates.json 'microcircuit'")
    f.add_argument("paths", nargs="+")
    f.add_argument("--scale", type=float, default=0.1)
    f.add_argument("--k-scale", type=float, default=0.1)
    f.add_argument("--out", default=str(HERE / "reference_rates.json"))
    a = ap.parse_args(argv)
    if a.cmd == "run":
        return run(a)
    if a.cmd == "reference":
        entry = reference(a.paths, a.scale, a.k_scale, pathlib.Path(a.out))
        print(f"wrote {a.out}: microcircuit, Brian2 seeds {entry['seeds']}")
        return 0
    print(table(a.paths))
    return 0


if __name__ == "__main__":
    sys.exit(main())
