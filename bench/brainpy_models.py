"""BrainPy 2.8 versions of the reference models of docs/reference-models.md (for comparison, not a reference).

Standalone: imports only brainpy / jax / numpy (run in the bench venv, see bench/README.md).
Written in BrainPy's own example style (``examples/dynamics_simulation/COBA.py``):
``bp.dyn.LifRef`` (exponential Euler, ``exp_auto``), ``bp.dyn.HalfProjAlignPostMg`` with
``bp.dnn.EventCSRLinear(bp.conn.FixedProb(0.02))``, ``bp.dyn.Expon`` conductances and
``bp.dyn.COBA`` outputs, ``bp.dyn.PoissonInput`` for the Poisson-driven LIF, and
``bp.DSRunner`` to run (one jitted ``for_loop`` over time, spikes monitored).

Semantics differ from Brian2 / brainbatch in one documented place: BrainPy's PoissonInput adds
to V directly and keeps doing so while the neuron is refractory (~28.5 Hz instead of 24.5 Hz).

Batched runs (``batch=B``): the model is built in ``bm.BatchingMode(B)``; the B lanes have
their own V0 and Poisson noise but share one connectivity (BrainPy's batching shares
parameters and connections across the batch).

Every function returns a dict like brian2_models::

    {tool, device, model, n, duration_ms, seed, batch, rate_hz, rates_hz, n_spikes,
     time_total_s   # build + first run (incl. JIT compilation) until the result is on host
     time_run_s     # a second run of the same runner (compiled; steady state)
     time_build_s   # building the network (connectivity, initial values)
    }

Command line (prints one ``RESULT {json}`` line)::

    python bench/brainpy_models.py coba --seed 0
    python bench/brainpy_models.py poisson_lif --batch 8
    python bench/brainpy_models.py whole_brain --seed 0 --G 1.0 --sigma 0.01    # 80 FHN regions (case 9)
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time

import numpy as np


def _bp():
    import brainpy as bp
    import brainpy.math as bm

    bm.set_platform("cpu")
    return bp, bm


def _mode(bm, batch):
    return bm.NonBatchingMode() if not batch else bm.BatchingMode(batch_size=int(batch))


def _build_coba(bp, bm, n, mode, in_degree=None):
    n_exc = int(round(0.8 * n))
    n_inh = n - n_exc

    def conn(n_pre, frac):
        if in_degree is None:
            return bp.conn.FixedProb(0.02, pre=n_pre, post=n)
        k = int(round(0.8 * in_degree)) if frac == "E" else in_degree - int(round(0.8 * in_degree))
        return bp.conn.FixedPreNum(k, pre=n_pre, post=n)

    class EINet(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.N = bp.dyn.LifRef(n, V_rest=-60., V_th=-50., V_reset=-60., tau=20.,
                                   tau_ref=5., V_initializer=bp.init.Normal(-55., 2.),
                                   mode=mode)
            self.E = bp.dyn.HalfProjAlignPostMg(
                comm=bp.dnn.EventCSRLinear(conn(n_exc, "E"), 0.6),
                syn=bp.dyn.Expon.desc(n, tau=5., mode=mode),
                out=bp.dyn.COBA.desc(E=0.), post=self.N)
            self.I = bp.dyn.HalfProjAlignPostMg(
                comm=bp.dnn.EventCSRLinear(conn(n_inh, "I"), 6.7),
                syn=bp.dyn.Expon.desc(n, tau=10., mode=mode),
                out=bp.dyn.COBA.desc(E=-80.), post=self.N)

        def update(self, inp=20.):
            spk = self.N.spike.value  # previous step's spikes (no delay)
            self.E(spk[..., :n_exc])
            self.I(spk[..., n_exc:])
            self.N(inp)
            return self.N.spike.value

    return EINet(), n_exc


def _build_poisson(bp, bm, n, mode):
    class PoissonLIF(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.N = bp.dyn.LifRef(n, V_rest=-60., V_th=-50., V_reset=-60., tau=20.,
                                   tau_ref=5., V_initializer=bp.init.Normal(-55., 2.),
                                   mode=mode)
            self.inp = bp.dyn.PoissonInput(self.N.V, num_input=1000, freq=10., weight=0.06,
                                           mode=mode)

        def update(self):
            self.inp()
            self.N()
            return self.N.spike.value

    return PoissonLIF()


def _run(bp, bm, net, duration_ms, batch, record_v=False):
    """First run (with compile) and a second, steady run. Returns (spikes, t_first, t_second, v)."""
    mons = {"spike": net.N.spike}
    if record_v:
        mons["V"] = net.N.V
    runner = bp.DSRunner(net, monitors=mons, progress_bar=False,
                         jit=True, numpy_mon_after_run=True,
                         data_first_axis="B" if batch else "T")
    t0 = time.perf_counter()
    runner.run(duration_ms)
    spikes = np.asarray(runner.mon["spike"])
    v = np.asarray(runner.mon["V"]) if record_v else None
    t_first = time.perf_counter() - t0
    t0 = time.perf_counter()
    runner.run(duration_ms)
    _ = np.asarray(runner.mon["spike"])
    if record_v:
        _ = np.asarray(runner.mon["V"])
    t_second = time.perf_counter() - t0
    return spikes, t_first, t_second, v


def _result(model, n, duration_ms, seed, batch, spikes, pops, t_build, t_first, t_second,
            v=None):
    import brainpy as bp
    import jax

    dur_s = duration_ms / 1000.0
    # spikes: (T, N) or (B, T, N)
    counts = spikes.reshape((-1,) + spikes.shape[-2:]).sum(axis=1)  # (B or 1, N)
    runs = counts.shape[0]
    rates_lane = counts.sum(axis=1) / (n * dur_s)
    res = {
        "tool": "brainpy",
        "tool_version": bp.__version__,
        "jax_version": jax.__version__,
        "device": "jax-cpu",
        "model": model,
        "n": int(n),
        "duration_ms": float(duration_ms),
        "seed": int(seed),
        "batch": int(batch or 0),
        "n_spikes": int(counts.sum()),
        "rate_hz": float(rates_lane.mean()),
        "rate_hz_per_lane": [float(x) for x in rates_lane] if batch else None,
        "rates_hz": {k: float(counts[:, sl].sum() / (runs * (sl.stop - sl.start) * dur_s))
                     for k, sl in pops.items()},
        "time_build_s": t_build,
        "time_total_s": t_build + t_first,
        "time_first_run_s": t_first,
        "time_run_s": t_second,
        "record_v": v is not None,
    }
    if v is not None:
        res["v_shape"] = list(v.shape)
        res["v_mean_mV"] = float(v.mean())
    return res


def coba(seed: int = 0, duration_ms: float = 1000.0, record_v: bool = False, n: int = 4000,
         in_degree: int | None = None, batch: int | None = None) -> dict:
    bp, bm = _bp()
    t0 = time.perf_counter()
    bm.random.seed(seed)
    mode = _mode(bm, batch)
    with bm.environment(mode=mode, dt=0.1):
        net, n_exc = _build_coba(bp, bm, n, mode, in_degree)
        t_build = time.perf_counter() - t0
        spikes, t1, t2, v = _run(bp, bm, net, duration_ms, batch, record_v)
    return _result("coba", n, duration_ms, seed, batch, spikes,
                   {"E": slice(0, n_exc), "I": slice(n_exc, n)}, t_build, t1, t2, v)


def poisson_lif(seed: int = 0, duration_ms: float = 1000.0, record_v: bool = False,
                n: int = 4000, batch: int | None = None) -> dict:
    bp, bm = _bp()
    t0 = time.perf_counter()
    bm.random.seed(seed)
    mode = _mode(bm, batch)
    with bm.environment(mode=mode, dt=0.1):
        net = _build_poisson(bp, bm, n, mode)
        t_build = time.perf_counter() - t0
        spikes, t1, t2, v = _run(bp, bm, net, duration_ms, batch, record_v)
    return _result("poisson_lif", n, duration_ms, seed, batch, spikes, {"P": slice(0, n)},
                   t_build, t1, t2, v)


def _connectome_module():
    """experiments/_connectome.py (numpy only): the same synthetic connectome as brainbatch's experiment."""
    import importlib.util

    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "experiments", "_connectome.py")
    spec = importlib.util.spec_from_file_location("_connectome", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def whole_brain(seed: int = 0, duration_ms: float = 1000.0, n: int = 80, G: float = 1.0, sigma: float = 0.01,
                record_v: bool = False, batch: int | None = None, second_run: bool = True) -> dict:
    """experiments/whole_brain.py in BrainPy: ``bp.dyn.FHN`` nodes with OU noise, ``bp.dyn.DiffusiveCoupling``
    with a per-pair delay matrix, input 0.72; x of every region monitored every step."""
    bp, bm = _bp()
    cm = _connectome_module()
    t0 = time.perf_counter()
    bm.random.seed(seed)
    with bm.environment(dt=0.1):
        C, D = cm.connectome(n)
        steps = cm.delay_steps(D, 20.0, 0.1)

        class Net(bp.DynSysGroup):
            def __init__(self):
                super().__init__()
                self.fhn = bp.dyn.FHN(n, x_ou_sigma=sigma, y_ou_sigma=sigma)
                self.coupling = bp.dyn.DiffusiveCoupling(self.fhn.x, self.fhn.x, var_to_output=self.fhn.input,
                                                         conn_mat=bm.asarray(G * C), delay_steps=bm.asarray(steps),
                                                         initial_delay_data=bp.init.Uniform(0, 0.05))

        net = Net()
        t_build = time.perf_counter() - t0
        runner = bp.DSRunner(net, monitors={"x": net.fhn.x}, inputs=("fhn.input", 0.72), progress_bar=False,
                             jit=True, numpy_mon_after_run=True)
        t1 = time.perf_counter()
        runner.run(duration_ms)
        x = np.asarray(runner.mon["x"])
        t_first = time.perf_counter() - t1
        t_second = None
        if second_run:
            t1 = time.perf_counter()
            runner.run(duration_ms)
            _ = np.asarray(runner.mon["x"])
            t_second = time.perf_counter() - t1
    stats = cm.statistics(x[::10], dt_record=1.0) if duration_ms > 400 else {}
    return {"tool": "brainpy", "tool_version": bp.__version__, "device": "jax-cpu", "model": "whole_brain",
            "n": int(n), "duration_ms": float(duration_ms), "seed": int(seed), "batch": 0, "rate_hz": None,
            **stats, "time_build_s": t_build, "time_total_s": t_build + t_first, "time_first_run_s": t_first,
            "time_run_s": t_second}


MODELS = {"coba": coba, "poisson_lif": poisson_lif, "whole_brain": whole_brain}


def main(argv=None):
    ap = argparse.ArgumentParser(description="BrainPy 2.8 versions of the models of docs/reference-models.md")
    ap.add_argument("model", choices=sorted(MODELS))
    ap.add_argument("--duration-ms", type=float, default=1000.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--seeds", type=int, default=1,
                    help="run seeds seed..seed+S-1 one after another (each its own network "
                         "and compilation) in this process; times are summed")
    ap.add_argument("--batch", type=int, default=0, help="B>0: one batched run of B lanes")
    ap.add_argument("--n", type=int, default=4000)
    ap.add_argument("--in-degree", type=int, default=None)
    ap.add_argument("--record-v", action="store_true", help="monitor V of all neurons each step")
    ap.add_argument("--G", type=float, default=1.0, help="whole_brain: global coupling")
    ap.add_argument("--sigma", type=float, default=0.01, help="whole_brain: OU noise strength")
    ap.add_argument("--points", type=int, default=0,
                    help="whole_brain: run the first P points of experiments/whole_brain.py's G x sigma grid one "
                         "after another (each its own network and compilation, as a BrainPy loop would)")
    a = ap.parse_args(argv)
    kw = dict(duration_ms=a.duration_ms, n=a.n, batch=a.batch or None, record_v=a.record_v)
    if a.model == "whole_brain":
        kw["n"] = 80 if a.n == 4000 else a.n
        kw.update(G=a.G, sigma=a.sigma)
    if a.model == "coba":
        kw["in_degree"] = a.in_degree
    t0 = time.perf_counter()
    if a.model == "whole_brain" and a.points:
        grid = [(0.25 * i, 0.0025 * j) for i in range(1, 9) for j in range(1, 9)][:a.points]
        runs = [whole_brain(seed=a.seed, duration_ms=a.duration_ms, n=kw["n"], G=G, sigma=sg, second_run=False)
                for G, sg in grid]
        res = dict(runs[0], points=a.points, time_total_s=time.perf_counter() - t0, time_run_s=None)
        res["cpu_s"] = float(sum(x.ru_utime + x.ru_stime for x in (
            resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))))
        print("RESULT " + json.dumps(res), flush=True)
        return 0
    runs = [MODELS[a.model](seed=a.seed + s, **kw) for s in range(a.seeds)]
    wall = time.perf_counter() - t0
    res = dict(runs[0])
    if a.seeds > 1:
        res["seeds"] = a.seeds
        res["rate_hz"] = float(np.mean([r["rate_hz"] for r in runs]))
        res["rate_hz_per_seed"] = [r["rate_hz"] for r in runs]
        res["time_total_s"] = wall
        res["time_run_s"] = float(sum(r["time_run_s"] for r in runs))
    res["peak_rss_self_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    res["peak_rss_children_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    res["cpu_s"] = float(sum(x.ru_utime + x.ru_stime for x in (
        resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))))
    print("RESULT " + json.dumps(res), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
