"""BrainPy 2.8.2 reference numbers for tests/brainpy/test_measures.py (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/measures_bp282.py

BrainPy's measures of recorded activity on arrays drawn by NumPy (``data()``: the test draws the same ones):
``voltage_fluctuation`` of a partly synchronous (time, neuron) potential, ``matrix_correlation`` of two
noisy symmetric matrices, ``weighted_correlation`` of two vectors with weights, ``unitary_LFP`` of a spike
raster (exc and inh, two locations, seed 3) at a few sampled steps, ``cross_correlation`` and
``functional_connectivity``. Prints a dict of the results.
"""
import json

import numpy as np


def data():
    rng = np.random.default_rng(2026)
    t = np.arange(400) * 0.1
    common = np.sin(2 * np.pi * t / 12.0)[:, None]
    potentials = -60 + 3 * common + rng.normal(0, 2, (400, 20))
    base = rng.random((6, 6))
    x = (base + base.T) / 2
    y = x + 0.3 * rng.random((6, 6))
    a, b, w = rng.normal(size=50), rng.normal(size=50), rng.random(50)
    b = b + a
    spikes = rng.random((400, 30)) < 0.01
    return t, potentials, x, y, a, b, w, spikes


if __name__ == "__main__":
    import brainpy as bp

    t, potentials, x, y, a, b, w, spikes = data()
    steps = [0, 100, 150, 200, 399]
    out = {
        "voltage_fluctuation": float(bp.measure.voltage_fluctuation(potentials)),
        "matrix_correlation": float(bp.measure.matrix_correlation(x, y)),
        "weighted_correlation": float(bp.measure.weighted_correlation(a, b, w)),
        "lfp_exc_soma": np.asarray(bp.measure.unitary_LFP(t, spikes, 'exc', seed=3))[steps].tolist(),
        "lfp_inh_deep": np.asarray(bp.measure.unitary_LFP(t, spikes, 'inh', location='deep layer',
                                                          seed=3))[steps].tolist(),
        "cross_correlation": float(bp.measure.cross_correlation(spikes, 1.0, dt=0.1)),
        "functional_connectivity": np.asarray(bp.measure.functional_connectivity(potentials[:, :3])).tolist(),
    }
    print(json.dumps(out))
