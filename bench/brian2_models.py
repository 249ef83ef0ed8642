"""Brian2 versions of the reference models of docs/reference-models.md (the independent reference).

Standalone: imports only brian2/numpy (run it in the bench venv, see bench/README.md).

Models
------
coba         3200 E + 800 I LIF (scaled with ``n``), conductance-based exponential synapses,
             V_rest = V_reset = -60 mV, V_th = -50 mV, tau_m 20 ms, refractory 5 ms with V clamped
             ``(unless refractory)``, bias +20 mV in the V equation, V0 ~ N(-55, 2) mV,
             ge/gi in units of the leak conductance (tau 5 / 10 ms), we = 0.6, wi = 6.7,
             connect(p=0.02) from each population to all neurons, no delay, exponential Euler.
             ``in_degree=K`` replaces connect(p) by a fixed in-degree: every neuron receives
             exactly round(0.8 K) sources drawn from E and K - round(0.8 K) from I (uniform,
             without replacement, autapses allowed as in Brian2's connect(p)); with K = 80 this
             is the expected in-degree of the p = 0.02 network at n = 4000, so the dynamics stay
             comparable at 4k / 16k / 64k.
cuba         Brette et al. (2007) benchmark 2, as Brian2's CUBA example: 3200 E + 800 I LIF (scaled
             with ``n``), ``taum dv/dt = (El - v) + ge + gi`` with El = -49 mV, V_th = -50 mV,
             V_reset = -60 mV, tau_m 20 ms, refractory 5 ms ``(unless refractory)``,
             V0 ~ U(V_reset, V_th); current synapses ge/gi in mV (tau 5 / 10 ms), we = 1.62 mV,
             wi = -9 mV, connect(p=0.02) from each population to all neurons, no delay,
             exponential Euler (the integrator of experiments/cuba.py).
poisson_lif  ``n`` LIF as above without bias and without recurrence; each neuron gets
             ``PoissonInput(G, 'v', N=1000, rate=10*Hz, weight='0.06*mV')``.
             Refractoriness: in Brian2, ``(unless refractory)`` not only freezes the integration
             of v, it also makes v a *conditionally written* variable (NeuronGroup sets
             ``set_conditional_write(not_refractory)``), so every direct write to v from
             PoissonInput / on_pre while the neuron is refractory is dropped. Brian2's default
             is therefore already the clamped semantics of docs/reference-models.md (~24.5 Hz; checked: an
             explicit ``weight='0.06*mV*int(not_refractory)'`` gives bit-identical spikes).
             ``clamp=False`` reproduces BrainPy's semantics (input keeps adding to V while
             refractory, ~28.5 Hz) by dropping the flag and writing the refractory freeze of
             the integration by hand: ``dv/dt = int(not_refractory)*(El - v)/taum``.

Every function returns a dict::

    {tool, device, model, n, duration_ms, seed, rate_hz, rates_hz: {pop: Hz}, n_spikes,
     time_total_s   # wall time from building the network to having the result (incl. codegen,
                    # compilation, the run and reading the monitors back)
     time_run_s     # wall time inside the simulation loop only (Brian2's _last_run_time;
                    # for cpp_standalone the C++ main loop as written to last_run_info.txt)
     time_compile_s # cpp_standalone: 'make' time; runtime/cython: net.run wall - loop time
     ...}

Command line (one case per process; prints one JSON line prefixed with ``RESULT ``)::

    python bench/brian2_models.py coba --device cpp_standalone --seed 0 --duration-ms 1000
    python bench/brian2_models.py coba --device cython --n 16000 --in-degree 80
    python bench/brian2_models.py cuba --device cython --seeds 4
    python bench/brian2_models.py poisson_lif --device cython --no-clamp
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time

import numpy as np

DEVICES = ("runtime", "cython", "cpp_standalone")


# --------------------------------------------------------------------------------------------
# device handling
# --------------------------------------------------------------------------------------------
def _setup(device: str, seed: int, threads: int = 0, cython_cache_dir: str | None = None):
    """Select the Brian2 device/target for one simulation and return a cleanup callable."""
    import brian2 as b2

    if device not in DEVICES:
        raise ValueError(f"device must be one of {DEVICES}, got {device!r}")
    b2.start_scope()
    build_dir = None
    if device == "cpp_standalone":
        cur = b2.get_device()
        # make repeated standalone simulations in one process possible
        if cur.__class__.__name__ == "CPPStandaloneDevice":
            cur.reinit()
            cur.activate(build_on_run=False)
        build_dir = tempfile.mkdtemp(prefix="brian2_standalone_")
        b2.set_device("cpp_standalone", directory=build_dir, build_on_run=False)
        b2.prefs.devices.cpp_standalone.openmp_threads = int(threads)
    else:
        cur = b2.get_device()
        if cur.__class__.__name__ != "RuntimeDevice":
            if cur.__class__.__name__ == "CPPStandaloneDevice":
                cur.reinit()
            b2.set_device("runtime")
        b2.prefs.codegen.target = "numpy" if device == "runtime" else "cython"
        if cython_cache_dir:
            b2.prefs.codegen.runtime.cython.cache_dir = cython_cache_dir
    b2.seed(seed)  # Brian2's RNG (randn() in init code, connect(p), PoissonInput), all devices
    np.random.seed(seed)

    def cleanup():
        if build_dir is not None:
            shutil.rmtree(build_dir, ignore_errors=True)

    return build_dir, cleanup


def _finish(device, net, duration, build_dir, t0):
    """Run the network on the chosen device; return timing dict (monitors read by caller)."""
    import brian2 as b2

    timings = {}
    if device == "cpp_standalone":
        net.run(duration)
        dev = b2.get_device()
        dev.build(directory=build_dir, compile=True, run=True, with_output=False)
        timings["time_run_s"] = float(dev._last_run_time)
        timings["time_compile_s"] = float(dev.timers["compile"]["make"] or 0.0)
        timings["time_binary_s"] = float(dev.timers["run_binary"] or 0.0)
    else:
        t1 = time.perf_counter()
        net.run(duration)
        t_net = time.perf_counter() - t1
        loop = float(b2.get_device()._last_run_time)
        timings["time_run_s"] = loop
        timings["time_compile_s"] = t_net - loop
    return timings


def _base_result(model, device, n, duration_ms, seed):
    import brian2 as b2

    return {
        "tool": "brian2",
        "tool_version": b2.__version__,
        "device": device,
        "model": model,
        "n": int(n),
        "duration_ms": float(duration_ms),
        "seed": int(seed),
    }


def _fixed_in_degree(rng, n_pre, n_post, k):
    """(i, j) arrays: each of n_post targets gets k distinct sources uniform in range(n_pre)."""
    if k > n_pre:
        raise ValueError(f"in-degree {k} > population size {n_pre}")
    src = rng.integers(0, n_pre, size=(n_post, k))
    # redraw whole rows that contain duplicates (rejection -> uniform over k-subsets)
    while True:
        s = np.sort(src, axis=1)
        bad = np.nonzero((np.diff(s, axis=1) == 0).any(axis=1))[0]
        if bad.size == 0:
            break
        src[bad] = rng.integers(0, n_pre, size=(bad.size, k))
    j = np.repeat(np.arange(n_post), k)
    return src.ravel(), j


# --------------------------------------------------------------------------------------------
# COBA
# --------------------------------------------------------------------------------------------
def coba(device: str = "cython", duration_ms: float = 1000.0, seed: int = 0,
         record_v: bool = False, n: int = 4000, in_degree: int | None = None,
         threads: int = 0, method: str = "exponential_euler", dt_ms: float = 0.1,
         cython_cache_dir: str | None = None) -> dict:
    """COBA network of docs/reference-models.md in Brian2. See module docstring for the returned dict."""
    t0 = time.perf_counter()
    import brian2 as b2
    from brian2 import ms, mV, Hz  # noqa: F401

    build_dir, cleanup = _setup(device, seed, threads, cython_cache_dir)
    try:
        b2.defaultclock.dt = dt_ms * ms
        n_exc = int(round(0.8 * n))
        n_inh = n - n_exc
        ns = dict(taum=20 * ms, taue=5 * ms, taui=10 * ms, Vt=-50 * mV, Vr=-60 * mV,
                  El=-60 * mV, Ee=0 * mV, Ei=-80 * mV, Ib=20 * mV, we=0.6, wi=6.7)
        eqs = """
        dv/dt = (ge*(Ee - v) + gi*(Ei - v) - (v - El) + Ib) / taum : volt (unless refractory)
        dge/dt = -ge / taue : 1
        dgi/dt = -gi / taui : 1
        """
        G = b2.NeuronGroup(n, eqs, threshold="v > Vt", reset="v = Vr", refractory=5 * ms,
                           method=method, namespace=ns, name="P")
        G.v = "-55*mV + 2*mV*randn()"
        G.ge = 0
        G.gi = 0
        Pe = G[:n_exc]
        Pi = G[n_exc:]
        Ce = b2.Synapses(Pe, G, on_pre="ge += we", namespace=ns, name="Ce")
        Ci = b2.Synapses(Pi, G, on_pre="gi += wi", namespace=ns, name="Ci")
        if in_degree is None:
            Ce.connect(p=0.02)
            Ci.connect(p=0.02)
        else:
            k_e = int(round(0.8 * in_degree))
            k_i = int(in_degree) - k_e
            rng = np.random.default_rng(seed)
            i, j = _fixed_in_degree(rng, n_exc, n, k_e)
            Ce.connect(i=i, j=j)
            i, j = _fixed_in_degree(rng, n_inh, n, k_i)
            Ci.connect(i=i, j=j)
        spk = b2.SpikeMonitor(G, record=True, name="spikes")
        objs = [G, Ce, Ci, spk]
        vmon = None
        if record_v:
            vmon = b2.StateMonitor(G, "v", record=True, name="vmon")
            objs.append(vmon)
        net = b2.Network(*objs)
        duration = duration_ms * ms
        timings = _finish(device, net, duration, build_dir, t0)

        # read the results back (part of time-to-result)
        idx = np.asarray(spk.i[:])
        counts = np.bincount(idx, minlength=n)
        res = _base_result("coba", device, n, duration_ms, seed)
        dur_s = duration_ms / 1000.0
        res["n_spikes"] = int(counts.sum())
        res["rate_hz"] = float(counts.sum() / (n * dur_s))
        res["rates_hz"] = {"E": float(counts[:n_exc].sum() / (n_exc * dur_s)),
                           "I": float(counts[n_exc:].sum() / (n_inh * dur_s))}
        if vmon is not None:
            v = np.asarray(vmon.v_[:])  # volts, shape (n, steps)
            res["v_shape"] = list(v.shape)
            res["v_mean_mV"] = float(v.mean() * 1e3)
            del v
        res["n_synapses"] = int(len(Ce) + len(Ci)) if device != "cpp_standalone" else None
        res["in_degree"] = in_degree
        res["record_v"] = bool(record_v)
        res["method"] = method
        res["threads"] = int(threads)
        res.update(timings)
        res["time_total_s"] = time.perf_counter() - t0
        return res
    finally:
        cleanup()


def cuba(device: str = "cython", duration_ms: float = 1000.0, seed: int = 0,
         record_v: bool = False, n: int = 4000, threads: int = 0, method: str = "exponential_euler",
         dt_ms: float = 0.1, cython_cache_dir: str | None = None) -> dict:
    """CUBA network of docs/reference-models.md in Brian2. See module docstring for the returned dict."""
    t0 = time.perf_counter()
    import brian2 as b2
    from brian2 import ms, mV

    build_dir, cleanup = _setup(device, seed, threads, cython_cache_dir)
    try:
        b2.defaultclock.dt = dt_ms * ms
        n_exc = int(round(0.8 * n))
        n_inh = n - n_exc
        ns = dict(taum=20 * ms, taue=5 * ms, taui=10 * ms, Vt=-50 * mV, Vr=-60 * mV, El=-49 * mV,
                  we=1.62 * mV, wi=-9.0 * mV)
        eqs = """
        dv/dt = (ge + gi - (v - El)) / taum : volt (unless refractory)
        dge/dt = -ge / taue : volt
        dgi/dt = -gi / taui : volt
        """
        G = b2.NeuronGroup(n, eqs, threshold="v > Vt", reset="v = Vr", refractory=5 * ms,
                           method=method, namespace=ns, name="P")
        G.v = "Vr + rand() * (Vt - Vr)"
        G.ge = 0 * mV
        G.gi = 0 * mV
        Ce = b2.Synapses(G[:n_exc], G, on_pre="ge += we", namespace=ns, name="Ce")
        Ci = b2.Synapses(G[n_exc:], G, on_pre="gi += wi", namespace=ns, name="Ci")
        Ce.connect(p=0.02)
        Ci.connect(p=0.02)
        spk = b2.SpikeMonitor(G, record=True, name="spikes")
        net = b2.Network(G, Ce, Ci, spk)
        timings = _finish(device, net, duration_ms * ms, build_dir, t0)
        counts = np.bincount(np.asarray(spk.i[:]), minlength=n)
        res = _base_result("cuba", device, n, duration_ms, seed)
        dur_s = duration_ms / 1000.0
        res["n_spikes"] = int(counts.sum())
        res["rate_hz"] = float(counts.sum() / (n * dur_s))
        res["rates_hz"] = {"E": float(counts[:n_exc].sum() / (n_exc * dur_s)),
                           "I": float(counts[n_exc:].sum() / (n_inh * dur_s))}
        res["method"] = method
        res["threads"] = int(threads)
        res.update(timings)
        res["time_total_s"] = time.perf_counter() - t0
        return res
    finally:
        cleanup()


# --------------------------------------------------------------------------------------------
# Poisson-driven LIF
# --------------------------------------------------------------------------------------------
def poisson_lif(device: str = "cython", duration_ms: float = 1000.0, seed: int = 0,
                record_v: bool = False, n: int = 4000, clamp: bool = True,
                num_input: int = 1000, input_rate_hz: float = 10.0, weight_mV: float = 0.06,
                threads: int = 0, dt_ms: float = 0.1,
                cython_cache_dir: str | None = None) -> dict:
    """Poisson-driven LIF of docs/reference-models.md in Brian2 (clamp=True: input dropped while refractory)."""
    t0 = time.perf_counter()
    import brian2 as b2
    from brian2 import ms, mV, Hz

    build_dir, cleanup = _setup(device, seed, threads, cython_cache_dir)
    try:
        b2.defaultclock.dt = dt_ms * ms
        ns = dict(taum=20 * ms, Vt=-50 * mV, Vr=-60 * mV, El=-60 * mV)
        if clamp:
            eqs = "dv/dt = -(v - El) / taum : volt (unless refractory)"
        else:  # integration frozen while refractory, but direct writes to v still land
            eqs = "dv/dt = int(not_refractory) * (El - v) / taum : volt"
        G = b2.NeuronGroup(n, eqs, threshold="v > Vt", reset="v = Vr", refractory=5 * ms,
                           method="exact", namespace=ns, name="P")
        G.v = "-55*mV + 2*mV*randn()"
        weight = f"{weight_mV}*mV"
        pin = b2.PoissonInput(G, "v", N=num_input, rate=input_rate_hz * Hz, weight=weight)
        spk = b2.SpikeMonitor(G, record=True, name="spikes")
        objs = [G, pin, spk]
        vmon = None
        if record_v:
            vmon = b2.StateMonitor(G, "v", record=True, name="vmon")
            objs.append(vmon)
        net = b2.Network(*objs)
        timings = _finish(device, net, duration_ms * ms, build_dir, t0)
        idx = np.asarray(spk.i[:])
        counts = np.bincount(idx, minlength=n)
        dur_s = duration_ms / 1000.0
        res = _base_result("poisson_lif", device, n, duration_ms, seed)
        res["n_spikes"] = int(counts.sum())
        res["rate_hz"] = float(counts.sum() / (n * dur_s))
        res["rates_hz"] = {"P": res["rate_hz"]}
        if vmon is not None:
            v = np.asarray(vmon.v_[:])
            res["v_shape"] = list(v.shape)
            res["v_mean_mV"] = float(v.mean() * 1e3)
            del v
        res["clamp"] = bool(clamp)
        res["record_v"] = bool(record_v)
        res["threads"] = int(threads)
        res.update(timings)
        res["time_total_s"] = time.perf_counter() - t0
        return res
    finally:
        cleanup()


MODELS = {"coba": coba, "cuba": cuba, "poisson_lif": poisson_lif}


def _peak_rss_mb():
    """ru_maxrss of this process and of its waited-for children (compiler, standalone main)."""
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return self_kb / 1024.0, child_kb / 1024.0


def _cpu_s():
    """user+sys CPU seconds of this process and its waited-for children (compiler, main)."""
    r = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return float(sum(x.ru_utime + x.ru_stime for x in r))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model", choices=sorted(MODELS))
    ap.add_argument("--device", default="cython", choices=DEVICES)
    ap.add_argument("--duration-ms", type=float, default=1000.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--seeds", type=int, default=1,
                    help="run seeds seed..seed+S-1 one after another in this process; "
                         "time_total_s then covers all of them")
    ap.add_argument("--n", type=int, default=4000)
    ap.add_argument("--in-degree", type=int, default=None)
    ap.add_argument("--record-v", action="store_true")
    ap.add_argument("--no-clamp", action="store_true", help="poisson_lif: BrainPy semantics "
                    "(input keeps adding to v while refractory)")
    ap.add_argument("--threads", type=int, default=0, help="cpp_standalone OpenMP threads")
    ap.add_argument("--cython-cache-dir", default=None)
    a = ap.parse_args(argv)
    kw = dict(device=a.device, duration_ms=a.duration_ms, record_v=a.record_v, n=a.n,
              threads=a.threads, cython_cache_dir=a.cython_cache_dir)
    if a.model == "coba":
        kw["in_degree"] = a.in_degree
    elif a.model == "poisson_lif":
        kw["clamp"] = not a.no_clamp
    t0 = time.perf_counter()
    runs = [MODELS[a.model](seed=a.seed + s, **kw) for s in range(a.seeds)]
    wall = time.perf_counter() - t0
    res = dict(runs[0])
    if a.seeds > 1:
        res["seeds"] = a.seeds
        res["rate_hz"] = float(np.mean([r["rate_hz"] for r in runs]))
        res["rate_hz_per_seed"] = [r["rate_hz"] for r in runs]
        res["time_total_s"] = wall
        res["time_run_s"] = float(sum(r["time_run_s"] for r in runs))
        res["time_compile_s"] = float(sum(r["time_compile_s"] for r in runs))
    res["peak_rss_self_mb"], res["peak_rss_children_mb"] = _peak_rss_mb()
    res["cpu_s"] = _cpu_s()
    print("RESULT " + json.dumps(res), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
