"""experiments/stdp_song2000.py against Brian2 2.9 over seeds: Song, Miller & Abbott (2000) additive STDP of 1000
Poisson inputs onto one LIF neuron, 10 s, 32 runs in one batch (~5 s): the output rate, the mean final weight and the
fractions of weights below 0.1 gmax and above 0.9 gmax, against 64 independent Brian2 runs.

The reference is bench/reference/song2000_brian2.py (Brian2 2.9.0, numpy 2.3.5, cpp_standalone): Brian2's own
example (examples/synapses/STDP.py) with ``v`` starting at ``vr``, as the experiment does, and ``method='euler'`` for
``v`` and ``ge`` alike, which the experiment builds with ``Exponential(5.0, method="euler")`` (``ge`` decays by
``1 - dt / taue`` per step). With the exact decay it used before, each pulse integrated to 5.05 ms instead of 5 ms, and
that 1 % more drive raised the rate at 10 s by 10 % (Brian2, 64 runs each: 41.0 +- 0.7 Hz against 36.7 +- 0.7 Hz) and
lowered the mean final weight at 100 s by 0.8 % (7 standard errors over 24 runs; bench/reference/README.md).
"""
import pathlib

import numpy as np
import pytest

import brainbatch as bb
from brainbatch.run import Simulation, normalize_monitors
from brainbatch.sweep import load_experiment

ROOT = pathlib.Path(__file__).resolve().parents[2]
SEEDS = list(range(32))
N_STEPS = 100_000  # 10 s at 0.1 ms

# Brian2 2.9.0, bench/reference/song2000_brian2.py --runs 64 --variant euler --duration-ms 10000 (the example as
# written): mean and standard deviation (ddof 1) over 64 runs
BRIAN2_RUNS = 64
BRIAN2 = {"rate_hz": (36.66, 5.42), "mean_w": (0.0048792, 0.0000427), "frac_low": (0.1378, 0.0081),
          "frac_high": (0.1146, 0.0088)}


@pytest.fixture(scope="module")
def stats():
    exp = load_experiment(ROOT / "experiments" / "stdp_song2000.py")
    gmax = exp.params["gmax"]
    monitors = normalize_monitors({"spikes": bb.Monitor("neuron.spike", reduce="sum")})
    sim = Simulation(lambda p: exp.build(**exp.params), monitors, dt=exp.dt)
    states, recs = sim.run(SEEDS, {}, N_STEPS, keep=True)
    w = np.asarray(states["S.w"], np.float64)  # (run, 1000): all to all, no padding
    spikes = np.asarray(recs["spikes"]).reshape(len(SEEDS), -1).sum(axis=1)
    return {"rate_hz": spikes / (N_STEPS * exp.dt / 1000.0), "mean_w": w.mean(axis=1),
            "frac_low": (w < 0.1 * gmax).mean(axis=1), "frac_high": (w > 0.9 * gmax).mean(axis=1)}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(BRIAN2))
def test_statistics_over_seeds_match_brian2(stats, name):
    # Tolerance: 4 standard errors of the difference of the two means, taking brainbatch's seed-to-seed spread to
    # be Brian2's (the hypothesis under test): 4 sd sqrt(1/32 + 1/64) = 0.87 sd -- 4.7 Hz (12 %) of the rate, 0.8 %
    # of the mean weight, 6-7 % of the fractions: a check of the whole experiment's statistics, not sharp enough
    # to tell the two ge decays apart (that needs the 100 s mean weight over 24 runs, bench/reference/README.md;
    # tests/models/test_exponential_euler.py checks the decay itself). Measured (seeds 0-31): 37.31 Hz, 0.0048917,
    # 0.1378, 0.1146 -- within 1.3 standard errors of Brian2's (40.37 Hz, 0.0048647 with the exact decay).
    mean, sd = BRIAN2[name]
    tol = 4.0 * sd * np.sqrt(1.0 / len(SEEDS) + 1.0 / BRIAN2_RUNS)
    assert abs(stats[name].mean() - mean) < tol, (name, stats[name].mean(), mean, tol)
