"""Brian2 reference of the irregularity of experiments/coba.py and experiments/cuba.py: per seed the mean rate and
the CV of the interspike intervals, for tests/models/test_network_reference.py.

Written from docs/reference-models.md (not from brainbatch's code): 3200 E + 800 I LIF, V_th -50 mV, V_reset -60 mV,
tau_m 20 ms, refractory 5 ms (``(unless refractory)``: V clamped), ``connect(p=0.02)`` from each population to all
4000 neurons, no delay, exponential Euler, dt 0.1 ms, 1 s.

* COBA: ``tau_m dV/dt = ge (0 - V) + gi (-80 - V) - (V + 60) + 20`` (mV), ``dge/dt = -ge / 5 ms``,
  ``dgi/dt = -gi / 10 ms``, ``ge += 0.6`` / ``gi += 6.7``, V0 ~ N(-55, 2) mV;
* CUBA: ``tau_m dV/dt = (-49 - V) + ge + gi`` (mV), the same decays, ``ge += 1.62`` / ``gi += -9`` (mV),
  V0 ~ U(-60, -50) mV.

Statistics over [T_STAT, 1000) ms: ``rate`` = spikes / (neurons x window); ``cv_isi`` = the mean over neurons with
at least 3 spikes in the window of std(ISI) / mean(ISI) (numpy ``std``, ddof 0) -- experiments/brunel.py's
definition; ``n_cv`` = how many neurons that mean counts. Prints one ``RESULT {json}`` line per model. Run with
Brian2 2.9.0 (numpy < 2.4; cython needs a C++ compiler, ``--target numpy`` does without):

    python bench/reference/network_cv_brian2.py --seeds 0-9
"""
from __future__ import annotations

import argparse
import json

import numpy as np

T_STAT_MS = 200.0
DURATION_MS = 1000.0


def statistics(trains: dict, n: int) -> dict:
    """Rate (Hz) and mean CV of ISI over [T_STAT_MS, DURATION_MS) from ``{neuron: spike times in ms}``."""
    window_s = (DURATION_MS - T_STAT_MS) / 1000.0
    count, cvs = 0, []
    for t in trains.values():
        t = np.asarray(t)
        t = t[t >= T_STAT_MS - 1e-9]
        count += t.size
        if t.size >= 3:
            isi = np.diff(t)
            cvs.append(float(np.std(isi) / np.mean(isi)))
    return dict(rate_hz=count / (n * window_s), cv_isi=float(np.mean(cvs)), n_cv=len(cvs))


def simulate(b2, model: str, seed: int) -> dict:
    ms = b2.ms  # the unit names in the equation strings are Brian2's own
    b2.start_scope()
    b2.seed(seed)
    b2.defaultclock.dt = 0.1 * ms
    if model == "coba":
        eqs = """dv/dt = (ge * (0*mV - v) + gi * (-80*mV - v) - (v + 60*mV) + 20*mV) / (20*ms) : volt (unless refractory)
                 dge/dt = -ge / (5*ms) : 1
                 dgi/dt = -gi / (10*ms) : 1"""
        we, wi = "ge += 0.6", "gi += 6.7"
    else:
        eqs = """dv/dt = ((-49*mV - v) + ge + gi) / (20*ms) : volt (unless refractory)
                 dge/dt = -ge / (5*ms) : volt
                 dgi/dt = -gi / (10*ms) : volt"""
        we, wi = "ge += 1.62*mV", "gi += -9*mV"
    P = b2.NeuronGroup(4000, eqs, threshold="v > -50*mV", reset="v = -60*mV", refractory=5 * ms,
                       method="exponential_euler")
    if model == "coba":
        P.v = "-55*mV + 2*mV * randn()"
    else:
        P.v = "-60*mV + 10*mV * rand()"
    E, I = P[:3200], P[3200:]
    Ce = b2.Synapses(E, P, on_pre=we)
    Ci = b2.Synapses(I, P, on_pre=wi)
    Ce.connect(p=0.02)
    Ci.connect(p=0.02)
    mon = b2.SpikeMonitor(P)
    b2.Network(P, Ce, Ci, mon).run(DURATION_MS * ms)
    trains = {k: np.asarray(v / ms) for k, v in mon.spike_trains().items()}
    return dict(seed=seed, **statistics(trains, 4000))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", default="0-9")
    ap.add_argument("--models", default="coba,cuba")
    ap.add_argument("--target", default="cython", choices=["cython", "numpy"])
    a = ap.parse_args(argv)
    import brian2 as b2
    b2.prefs.codegen.target = a.target
    lo, _, hi = a.seeds.partition("-")
    seeds = list(range(int(lo), int(hi or lo) + 1))
    for model in a.models.split(","):
        runs = [simulate(b2, model, s) for s in seeds]
        stats = {k: (float(np.mean([r[k] for r in runs])), float(np.std([r[k] for r in runs], ddof=1)))
                 for k in ("rate_hz", "cv_isi")}
        print("RESULT " + json.dumps(dict(model=model, brian2=b2.__version__, target=a.target, t_stat_ms=T_STAT_MS,
                                          duration_ms=DURATION_MS, mean_sd=stats, per_seed=runs)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
