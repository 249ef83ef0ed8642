"""BrainPy 2.8.2 reference numbers for tests/brainpy/test_running.py (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/running_bp282.py

One Hodgkin-Huxley neuron (``bp.neurons.HH``, V starting at -65 mV) for 100 ms at dt 0.1 ms under a
constant input, for six inputs from 1 to 10: the spike counts by ``bp.running.jax_vectorize_map`` (BrainPy's
parameter-exploration pattern) and by a plain loop. Printed: both lists, [0, 0, 5, 6, 7, 7] each.
"""
import numpy as np
import brainpy as bp
import brainpy.math as bm


def simulate(inp):
    hh = bp.neurons.HH(1, V_initializer=bp.init.Constant(-65.))
    runner = bp.DSRunner(hh, inputs=['input', inp], monitors=['spike'], progress_bar=False,
                         numpy_mon_after_run=False)
    runner.run(100.)
    return runner.mon.spike.sum()


counts = bp.running.jax_vectorize_map(simulate, [bm.linspace(1., 10., 6)], num_parallel=3)
print("jax_vectorize_map", np.asarray(counts).tolist())
print("loop", [int(simulate(x)) for x in np.linspace(1., 10., 6)])
