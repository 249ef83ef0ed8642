"""BrainPy 2.8.2 numbers for the ported examples of the new model families (rates, channels, NMDA).

Run in a venv with BrainPy 2.8.2 (bench/requirements-bench.txt), never by the test suite; the numbers
it prints are copied into the tests and into docs/brainpy/README.md, which cite this file.

    .venv-bench/bin/python bench/brainpy_ported_references.py fhn_delays     # tests/models/test_rates.py
    .venv-bench/bin/python bench/brainpy_ported_references.py whole_brain    # docs/brainpy/whole_brain_fhn.py
    .venv-bench/bin/python bench/brainpy_ported_references.py hh_channels    # docs/brainpy/hh_channels.py
    .venv-bench/bin/python bench/brainpy_ported_references.py decision       # docs/brainpy/decision_making.py
"""
from __future__ import annotations

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def _bp():
    import brainpy as bp
    import brainpy.math as bm

    bm.set_platform("cpu")
    return bp, bm


def fhn_delays():
    """4 FHN nodes, no noise, fixed initial values, a per-pair delay matrix: x at a few steps."""
    bp, bm = _bp()
    C = 0.6 * np.array([[0, 1, 0.5, 0.2], [0.3, 0, 1, 0.4], [0.8, 0.2, 0, 1], [0.5, 0.7, 0.3, 0]], np.float32)
    D = np.array([[0, 3, 5, 7], [2, 0, 4, 6], [9, 3, 0, 2], [4, 8, 5, 0]], np.int32)

    class Net(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.fhn = bp.dyn.FHN(4, x_initializer=bm.asarray([0.1, 0.5, -0.3, 0.9]),
                                  y_initializer=bm.asarray([0., 0.2, 0.4, -0.1]))
            self.coupling = bp.dyn.DiffusiveCoupling(self.fhn.x, self.fhn.x, var_to_output=self.fhn.input,
                                                     conn_mat=bm.asarray(C), delay_steps=bm.asarray(D),
                                                     initial_delay_data=0.02)

    runner = bp.DSRunner(Net(), monitors=['fhn.x'], inputs=('fhn.input', 0.72), progress_bar=False)
    runner.run(200.)
    x = np.asarray(runner.mon['fhn.x'])
    return {step: x[step].tolist() for step in (1, 5, 10, 100, 500)}


def whole_brain(seeds=range(5)):
    """experiments/whole_brain.py's model (bench case 9) at G = 1, sigma = 0.01, 2 s: statistics per seed."""
    from brainpy_models import whole_brain as run

    rows = [run(seed=s, duration_ms=2000.0) for s in seeds]
    keys = ("fc_mean", "x_mean", "x_std")
    return {"per_seed": [{k: r[k] for k in keys} for r in rows],
            "mean": {k: float(np.mean([r[k] for r in rows])) for k in keys},
            "std": {k: float(np.std([r[k] for r in rows], ddof=1)) for k in keys}}


SECTIONS = {"fhn_delays": fhn_delays, "whole_brain": whole_brain}

if __name__ == "__main__":
    names = sys.argv[1:] or list(SECTIONS)
    for name in names:
        print(name, json.dumps(SECTIONS[name](), indent=1))
