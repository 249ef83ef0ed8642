"""BrainPy 2.8.2 reference numbers for tests/brainpy/test_reduced_neurons.py (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/reduced_neurons_bp282.py

``bp.neurons.HindmarshRose`` and ``bp.neurons.FHN`` (the spiking FitzHugh-Nagumo neuron): 3 neurons,
fixed initial values, constant input, dt 0.1 ms, 100 ms, ``bp.DSRunner`` (monitors after each step).
Prints the states at a few steps and every neuron's spike steps.
"""
import json

import brainpy as bp
import brainpy.math as bm
import numpy as np

STEPS = (0, 99, 499, 999)


def run(model, inputs, variables):
    runner = bp.DSRunner(model, monitors=variables + ["spike"], inputs=inputs, progress_bar=False)
    runner.run(100.0)
    out = {v: {s: np.asarray(runner.mon[v])[s].tolist() for s in STEPS} for v in variables}
    spikes = np.asarray(runner.mon["spike"])
    out["spike_steps"] = [np.flatnonzero(spikes[:, k]).tolist() for k in range(spikes.shape[1])]
    return out


def main():
    bm.set_platform("cpu")
    bm.set_dt(0.1)
    hr = bp.neurons.HindmarshRose(3, V_initializer=bm.asarray([-1.0, 0.0, 0.5]),
                                  y_initializer=bm.asarray([-8.0, -10.0, -5.0]), z_initializer=bm.asarray([0.0, 1.0, 2.0]))
    fhn = bp.neurons.FHN(3, V_initializer=bm.asarray([-1.0, 0.0, 1.0]), w_initializer=bm.asarray([0.0, -0.5, 0.5]))
    print(json.dumps({"HindmarshRose": run(hr, [("input", bm.asarray([1.5, 3.0, 3.5]))], ["V", "y", "z"]),
                      "FHN": run(fhn, [("input", bm.asarray([0.3, 0.8, 1.5]))], ["V", "w"])}))


if __name__ == "__main__":
    main()
