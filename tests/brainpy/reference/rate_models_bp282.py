"""BrainPy 2.8.2 reference numbers for tests/brainpy/test_rate_models.py (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/rate_models_bp282.py

Each model: 3 nodes, fixed initial values, constant inputs, no noise, dt 0.1 ms, ``bp.DSRunner``
(monitors read after each step). It prints ``{model: {var: {step: [3 values]}}}``; the test copies them.
"""
import json

import brainpy as bp
import brainpy.math as bm
import numpy as np

STEPS = (0, 9, 49, 149, 299)
X0, Y0 = [0.1, 0.3, -0.2], [0.05, -0.1, 0.2]


def run(model, inputs, monitors, duration=30.0):
    runner = bp.DSRunner(model, monitors=monitors, inputs=inputs, progress_bar=False)
    runner.run(duration)
    return {m: {s: np.asarray(runner.mon[m])[s].tolist() for s in STEPS} for m in monitors}


def main():
    bm.set_platform("cpu")
    bm.set_dt(0.1)
    x0, y0 = bm.asarray(X0), bm.asarray(Y0)
    out = {
        "WilsonCowanModel": run(bp.rates.WilsonCowanModel(3, x_initializer=x0, y_initializer=y0),
                                [("input", bm.asarray([0.5, 1.5, 3.0])), ("input_y", 0.2)], ["x", "y"]),
        "StuartLandauOscillator": run(bp.rates.StuartLandauOscillator(3, x_initializer=x0, y_initializer=y0),
                                      [("input", 0.1), ("input_y", -0.05)], ["x", "y"]),
        "QIF": run(bp.rates.QIF(3, x_initializer=x0, y_initializer=bm.asarray([0.05, 0.1, 0.2])),
                   [("input", bm.asarray([0.5, 2.0, 3.5])), ("input_y", 0.01)], ["x", "y"]),
        "FeedbackFHN": run(bp.rates.FeedbackFHN(3, delay=2.0, x_initializer=x0, y_initializer=y0),
                           [("input", bm.asarray([0.2, 0.5, 1.0]))], ["x", "y"]),
        "ThresholdLinearModel": run(bp.rates.ThresholdLinearModel(3, tau_e=2.0, tau_i=1.0,
                                                                  e_initializer=bm.asarray([0.1, 0.0, 0.5]),
                                                                  i_initializer=bm.asarray([0.2, 0.3, 0.0])),
                                    [("Ie", bm.asarray([1.0, -1.0, 3.0])), ("Ii", bm.asarray([0.5, 2.0, -0.5]))],
                                    ["e", "i"]),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
