"""The BrainPy examples of the model families rates, channels and NMDA (docs/brainpy/) run with only their
imports changed, and give BrainPy 2.8.2's numbers (bench/brainpy_ported_references.py)."""
import os
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "experiments"))
from _connectome import statistics  # noqa: E402


# hh_channels.py's HHLTC compiles to the very programs of its HH: the cache serves them (the second
# single-neuron run: 12 compiles, 1.4 s CPU -> 2 compiles, 0.2 s)
pytestmark = pytest.mark.usefixtures("compile_cache")


# BrainPy 2.8.2, seeds 0-4, 2 s (bench/brainpy_ported_references.py whole_brain): mean and standard deviation
WHOLE_BRAIN = {"fc_mean": (0.154, 0.037), "x_mean": (0.2781, 0.0026), "x_std": (0.0733, 0.0019)}


def test_whole_brain_fhn_gives_brainpys_statistics(script):
    mon = script("whole_brain_fhn").net_simulation(2000.0, progress_bar=False)
    x = np.asarray(mon["fhn.x"])
    assert x.shape == (20000, 80) and np.all(np.isfinite(x))
    stats = statistics(x[::10], dt_record=1.0)  # as BrainPy's numbers: 1 ms samples after 200 ms
    for key, (mean, sd) in WHOLE_BRAIN.items():
        # one seed against BrainPy's mean over five: within four of BrainPy's seed-to-seed deviations
        assert abs(stats[key] - mean) < 4 * sd, (key, stats[key], mean, sd)


# hh_model.py, input 0/5/0 for 100/500/100 ms, seeds 0-4: 33 or 34 spikes (33 when the random V0 gives no
# spike before the input), interspike interval under the input 15.257 ms, both classes
HH_COUNTS, HH_ISI = {33, 34}, 15.257
# the 320 + 80 HH network, 100-300 ms, seeds 0-4: E 38.0, 29.8, 32.0, 36.9, 34.7 Hz; I 36.9, 36.7, 33.6, 34.7, 35.6 Hz
HH_NET = {"E": (34.3, 3.3), "I": (35.5, 1.3)}


def test_hh_model_from_channels_fires_as_in_brainpy(script):
    module = script("hh_channels")
    for cls in (module.HH, module.HHLTC):
        mon = module.single_neuron(cls, progress_bar=False)
        assert mon["V"].shape == (7000, 1) and mon["INa.p"].shape == (7000, 1)
        t = np.flatnonzero(np.asarray(mon["spike"])[:, 0]) * 0.1
        assert len(t) in HH_COUNTS, len(t)
        assert abs(np.diff(t[t > 150]).mean() - HH_ISI) < 0.05  # the limit cycle's period
        assert not np.any((t > 605) & (t < 700))  # silent after the input


def test_hh_network_from_channels_gives_brainpys_rates(script):
    mon = script("hh_channels").network(300.0, progress_bar=False)
    for pop, (mean, sd) in HH_NET.items():
        rate = float(np.asarray(mon[f"{pop}.spike"])[1000:].mean() * 1e4)
        assert abs(rate - mean) < 4 * sd, (pop, rate, mean, sd)


# decision_making.py at scale 0.25 (500 neurons), 1.6 s, rates in 600-1100 ms (late stimulus), seeds 0-4
# (np.random and bm.random seeded): A 46.6, 47.4, 43.8, 34.4, 44.9 Hz; B 0.90, 0.90, 0.67, 0.93, 0.63 Hz;
# N 3.48, 3.53, 3.22, 2.91, 4.06 Hz; I 13.2, 13.2, 12.7, 11.0, 13.7 Hz. A wins in every seed.
DECISION = {"A": (43.4, 5.2), "B": (0.81, 0.15), "N": (3.44, 0.43), "I": (12.8, 1.0)}


def test_decision_making_with_nmda_gives_brainpys_rates(script):
    np.random.seed(0)  # the stimulus rates are drawn with np.random, as in BrainPy's script
    module = script("decision_making")
    rates = module.rates(module.single_run(scale=0.25, show=False, progress_bar=False))
    assert rates["A"] > 10 * rates["B"]  # the population with the stronger stimulus wins
    for pop, (mean, sd) in DECISION.items():
        # B's rate is near 0 with a small spread: also allow 0.5 Hz around BrainPy's mean
        assert abs(rates[pop] - mean) < max(4 * sd, 0.5 if pop == "B" else 0.0), (pop, rates[pop], mean, sd)
