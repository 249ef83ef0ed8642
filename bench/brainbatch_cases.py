"""brainbatch's side of the benchmark: the plug-in that ``bench/harness.py`` runs in the brainbatch venv.

Each function returns ``rate_hz`` (mean over neurons and runs), ``time_total_s`` (build + compile +
first run), ``time_run_s`` (the median of 3 further calls of the compiled program) and ``compile_s`` (first - steady).
The models are the experiment files (``experiments/coba.py``, ``experiments/poisson_lif.py``) run
through ``brainbatch.run.Simulation``; sweeps and the long run go through the ``brainbatch sweep`` CLI.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
BRAINBATCH = os.path.join(os.path.dirname(sys.executable), "brainbatch")  # this venv's CLI
SPIKES = {"spikes_E": "E.spike", "spikes_I": "I.spike"}
VOLTS = {"V_E": "E.V", "V_I": "I.V"}


def _experiment(name):
    from brainbatch.sweep import load_experiment

    return load_experiment(os.path.join(REPO, "experiments", f"{name}.py"))


def _coba_in_degree(n, k):
    """COBA with fixed in-degree ``k``: round(0.8 k) sources from E, the rest from I (bench/README.md)."""
    import brainbatch as bb

    coba = _experiment("coba").module
    n_e = int(round(0.8 * n))
    k_e = int(round(0.8 * k))
    net = coba.build(n_exc=n_e, n_inh=n - n_e)  # same neurons; replace the connectivity

    def proj(pre, post, num, tau, e_rev, w):
        return bb.Projection(pre, post, bb.FixedInDegree(num), bb.Exponential(tau), bb.COBA(e_rev), weight=w)

    E, I = net.E, net.I
    return bb.Network(E=E, I=I, E2E=proj(E, E, k_e, 5.0, 0.0, 0.6), E2I=proj(E, I, k_e, 5.0, 0.0, 0.6),
                      I2E=proj(I, E, k - k_e, 10.0, -80.0, 6.7), I2I=proj(I, I, k - k_e, 10.0, -80.0, 6.7))


#: Steady calls per measurement, of which the median is reported: the first call after compiling is
#: often 10-40 % slower than the ones after it (fresh buffers), and one call alone is noisy.
STEADY_CALLS = 3


def _measure(factory, monitors, seeds, duration_ms, dt=0.1, lanes="auto"):
    """Build, compile and run ``seeds`` as one batch, then run the compiled program ``STEADY_CALLS``
    more times (steady: their median).

    Records stream to a sink that counts each lane's spikes chunk by chunk, as a sweep streams them to
    its store (Brian2's loop time likewise leaves out reading its monitors afterwards).
    """
    from brainbatch.run import Simulation, normalize_monitors, steps_for

    n_steps = steps_for(duration_ms, dt)
    seeds = np.asarray(seeds)
    counts = np.zeros(len(seeds))
    sizes = {"n": 0, "bytes": 0}

    def sink(records, starts):
        names = [k for k in records if k.startswith("spikes")]
        sizes["n"] = sum(records[k].shape[-1] for k in names)
        sizes["bytes"] += sum(v.nbytes for v in records.values())
        for k in names:
            counts[:] += records[k].reshape(len(seeds), -1).sum(axis=1)

    def call():
        counts[:] = 0
        sizes["bytes"] = 0
        sim.run(seeds, {}, n_steps, sink=sink, keep=False)

    t0 = time.perf_counter()
    sim = Simulation(factory, normalize_monitors(monitors), dt=dt, lanes=lanes)
    call()
    t1 = time.perf_counter()
    steady, cpu = [], []
    for _ in range(STEADY_CALLS):
        t, c = time.perf_counter(), time.process_time()
        call()
        steady.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)  # every thread of this process: a load-independent figure
    n, total = sizes["n"], float(counts.sum())
    rate = total / (n * len(seeds) * duration_ms / 1000.0)
    per_lane = [float(c) / (n * duration_ms / 1000.0) for c in counts]
    first, steady = t1 - t0, float(np.median(steady))
    from brainbatch.kernels import active_backend

    return {"event_kernels": active_backend(), "rate_hz": rate, "rate_hz_per_lane": per_lane, "n_spikes": int(total),
            "n": n, "time_total_s": first, "time_run_s": steady, "compile_s": first - steady,
            "cpu_run_s": float(np.median(cpu)),
            "recorded_mb": sizes["bytes"] / 2**20}


def _coba_factory(n, in_degree):
    exp = _experiment("coba")
    if in_degree is not None:
        return lambda p: _coba_in_degree(n, in_degree)
    base = {**exp.params, "n_exc": int(round(0.8 * n)), "n_inh": n - int(round(0.8 * n))}
    return lambda p: exp.build(**{**base, **p})


def coba(seed, duration_ms, record_v=False, n=4000, in_degree=None):
    """Case 1 (spikes), 2 (record_v: V of all neurons every step), 4 (fixed in-degree at size n)."""
    mons = {**SPIKES, **(VOLTS if record_v else {})}
    return _measure(_coba_factory(n, in_degree), mons, [seed], duration_ms)


def coba_batch(seeds, duration_ms, lanes="auto"):
    """Case 7: ``seeds`` COBA runs (seeds 0..seeds-1) as the lanes of one compiled call.

    ``lanes``: ``auto`` (the engine's choice: on CPU one after the other), ``vmap`` or ``loop``.
    """
    return _measure(_coba_factory(4000, None), SPIKES, list(range(seeds)), duration_ms, lanes=lanes)


def poisson_lif(seed, duration_ms, record_v=False, n=4000):
    """Case 3: the Poisson-driven LIF of experiments/poisson_lif.py."""
    exp = _experiment("poisson_lif")
    base = {**exp.params, "n": n}
    mons = {"spikes": "E.spike", **({"V": "E.V"} if record_v else {})}
    return _measure(lambda p: exp.build(**{**base, **p}), mons, [seed], duration_ms)


def song2000(seed, duration_ms):
    """Case 9: experiments/stdp_song2000.py (1000 Poisson inputs, additive STDP onto one LIF)."""
    exp = _experiment("stdp_song2000")
    return _measure(lambda p: exp.build(**{**exp.params, **p}), {"spikes": "neuron.spike"}, [seed], duration_ms)


def coba_stdp(seed, duration_ms, plastic=True):
    """Case 9: experiments/coba_stdp.py, with STDP on E -> E or (``plastic=False``) static."""
    exp = _experiment("coba_stdp")
    return _measure(lambda p: exp.build(**{**exp.params, "plastic": plastic, **p}), SPIKES, [seed], duration_ms)


def _cli_sweep(experiment, seeds, duration_ms, out_dir, cache="0", devices=None, extra=(), kill_at=None):
    """``brainbatch sweep`` end to end in a subprocess; returns wall time, rate and store size.

    ``cache="0"`` compiles cold (no persistent cache); a path uses that compile cache. ``devices=None``
    keeps the CLI's default (``auto``: one CPU device per core). ``kill_at`` (a fraction): kill -9 the
    sweep once that fraction of its steps is written, then run the same command again, which
    continues from the last checkpoint; the time is both together.
    """
    store = os.path.join(out_dir, "sweep.zarr")
    cmd = [BRAINBATCH, "sweep", experiment, "--seeds", str(seeds), "--duration", str(duration_ms),
           "--out", store, "-q", *(["--devices", devices] if devices else []), *extra]
    env = {**os.environ, "BRAINBATCH_JAX_CACHE": cache}
    t0 = time.perf_counter()
    killed_at = None
    if kill_at is not None:
        killed_at = _kill_when_done(cmd, env, store, kill_at)
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"brainbatch sweep failed ({proc.returncode}): {proc.stderr[-2000:]}")
    from brainbatch.store import open_results

    ds = open_results(store)
    names = [v for v in ds.data_vars if v.startswith("spikes")]
    total = sum(float(ds[v].sum()) for v in names)
    n = sum(ds[v].shape[-1] for v in names)
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(store) for f in fs)
    rate = total / (n * seeds * duration_ms / 1000.0) if n else None
    prov = ds.attrs.get("provenance", {})
    return {"rate_hz": rate, "time_total_s": wall, "time_run_s": None, "seeds": seeds, "store_mb": size / 2**20,
            "killed_at_fraction": killed_at, "cli_output": proc.stdout[-500:],
            "event_kernels": prov.get("event_kernels"), "devices": prov.get("sweep_devices")}


def _kill_when_done(cmd, env, store, fraction):
    """Start ``cmd``, kill -9 it when ``fraction`` of its steps are written; returns the fraction saved."""
    import signal

    from brainbatch.store import ResultStore

    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    while proc.poll() is None:
        try:
            rs = ResultStore.open(store, "r")
            if rs.steps_done().mean() >= fraction * rs.spec.n_steps:
                break
        except Exception:  # noqa: BLE001 - the store is not there yet
            pass
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    rs = ResultStore.open(store, "r")
    return float(rs.resume_steps().mean() / rs.spec.n_steps)


def sweep(model, seeds, duration_ms, out_dir, warm=False):
    """Case 5: ``brainbatch sweep experiments/<model>.py --seeds N`` end to end (default devices).

    ``warm``: the same sweep into another store (not timed) fills a fresh compile cache, then the
    timed sweep uses it, as every later sweep of an experiment does on a user's machine.
    """
    path = os.path.join(REPO, "experiments", f"{model}.py")
    if not warm:
        return _cli_sweep(path, seeds, duration_ms, out_dir)
    cache = os.path.join(out_dir, "jax-cache")
    first = os.path.join(out_dir, "first")
    os.makedirs(first, exist_ok=True)
    _cli_sweep(path, seeds, duration_ms, first, cache=cache)  # the same sweep compiles the same programs
    return _cli_sweep(path, seeds, duration_ms, out_dir, cache=cache)


def long_run(duration_ms, out_dir, monitors=True, kill_at=None, checkpoint_every=2.0):
    """Case 6: COBA for ``duration_ms`` to Zarr via the CLI, one run on one device.

    ``monitors``: spikes every step and V every 1 ms (``coba_record_v.py``), else nothing recorded
    (``coba_no_monitors.py``, the baseline of the ratio); ``kill_at``: killed at that fraction of the
    run and resumed (``_cli_sweep``), checkpointing every ``checkpoint_every`` s of wall time (about a
    tenth of the 60 s run, which takes 14-20 s: the work a kill loses is at most one interval, so the
    ratio measures the restart, not the interval a user picks; a checkpoint of COBA costs ~50 ms).
    """
    experiment = os.path.join(HERE, "coba_record_v.py" if monitors else "coba_no_monitors.py")
    # an empty compile cache of its own, as on a user's first run: every variant compiles once, and a
    # resumed run finds what the killed one compiled (the default cache is on for users)
    cache = os.path.join(out_dir, "jax-cache")
    return _cli_sweep(experiment, 1, duration_ms, out_dir, devices="cpu:1", cache=cache,
                      extra=("--checkpoint-every", str(checkpoint_every)), kill_at=kill_at)


def brunel_sweep(seeds, duration_ms, out_dir):
    """Case 8: ``brainbatch sweep experiments/brunel.py --seeds N`` (g x eta = 6 cells per seed) end to end.

    ``rate_hz``: mean over runs of the rate after the first fifth of the run (200 ms of 1000 ms), as in
    ``bench/brunel_brian2.py sweep``.
    """
    res = _cli_sweep(os.path.join(REPO, "experiments", "brunel.py"), seeds, duration_ms, out_dir)
    from brainbatch.store import open_results

    exp = _experiment("brunel")
    stats = exp.module.cells(open_results(os.path.join(out_dir, "sweep.zarr")), t_stat=0.2 * duration_ms)
    res["rate_hz"] = float(sum(s["rate"] for s in stats.values()) / len(stats))
    res["n_runs"] = len(stats)
    return res


def whole_brain(seed, duration_ms, n=80):
    """Case 9: experiments/whole_brain.py (80 FHN regions, delay matrix, OU noise), one run, x of every
    region recorded every step (as BrainPy's monitor). ``rate_hz`` is None; the statistics of x are kept."""
    from brainbatch.run import Simulation, normalize_inputs, normalize_monitors, steps_for

    exp = _experiment("whole_brain")
    base = {**exp.params, "n": n}
    n_steps = steps_for(duration_ms, exp.dt)
    chunks = []

    def sink(records, starts):
        chunks.append(records["x"][0])

    def call():
        chunks.clear()
        sim.run(np.asarray([seed]), {}, n_steps, sink=sink, keep=False)

    t0 = time.perf_counter()
    sim = Simulation(lambda p: exp.build(**{**base, **p}), normalize_monitors({"x": "fhn.x"}),
                     normalize_inputs(exp.inputs), dt=exp.dt)
    call()
    t1 = time.perf_counter()
    steady = []
    for _ in range(STEADY_CALLS):
        t = time.perf_counter()
        call()
        steady.append(time.perf_counter() - t)
    x = np.concatenate(chunks, axis=0)
    stats = exp.module.statistics(x[::10], dt_record=1.0) if duration_ms > 400 else {}
    first, steady = t1 - t0, float(np.median(steady))
    return {"rate_hz": None, "n": n, "time_total_s": first, "time_run_s": steady, "compile_s": first - steady,
            **stats}


def whole_brain_sweep(duration_ms, out_dir):
    """Case 9: ``brainbatch sweep experiments/whole_brain.py --seeds 1``: the module's 8 x 8 grid of global
    coupling G x noise sigma (64 runs) end to end; ``fc_mean``: the mean functional connectivity per G."""
    res = _cli_sweep(os.path.join(REPO, "experiments", "whole_brain.py"), 1, duration_ms, out_dir)
    from brainbatch.store import open_results

    exp = _experiment("whole_brain")
    ds = open_results(os.path.join(out_dir, "sweep.zarr"))
    x = ds["x"].load()
    stats = exp.module.run_statistics(x)
    names = [d for d in x.dims[:-2]]
    fc = {}
    for key, row in stats.items():
        G = float(dict(zip(names, key))["G"])
        fc.setdefault(f"{G:g}", []).append(row["fc_mean"])
    res.update(rate_hz=None, n_runs=len(stats), fc_mean_by_G={G: float(np.mean(v)) for G, v in fc.items()})
    return res
