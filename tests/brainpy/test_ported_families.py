"""The BrainPy examples of the model families rates, channels and NMDA (docs/brainpy/) run with only their
imports changed, and give BrainPy 2.8.2's numbers (bench/brainpy_ported_references.py)."""
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "experiments"))
from _connectome import statistics  # noqa: E402

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
