"""Reference numbers for ``tests/brainpy/test_alif.py``: ``bp.neurons.ALIFBellec2020`` in BrainPy 2.8.2.

Run with BrainPy 2.8.2 (not a dependency of brainbatch), from outside the repository:
``python tests/brainpy/reference/alif_bp282.py``. dt 0.1 ms, constant inputs given to ``update`` (the
runner's ``inputs=`` array), monitors after each step. Two groups of 3 neurons:

- ``defaults``: BrainPy's defaults (V_rest -70, V_th -60 mV), inputs 5, 12, 30, 30 ms: its reset
  ``V -= V_th`` raises V by 60 mV at a spike, and the third neuron runs away;
- ``bellec``: V_rest 0, V_th 10, tau_a 200 ms, tau_ref 2 ms, V from 0; inputs 8, 15, 30, 300 ms.

Prints the spike steps of each neuron and V and a at a few steps.
"""
import warnings

import numpy as np
import brainpy as bp
import brainpy.math as bm

warnings.filterwarnings("ignore")
bm.set_dt(0.1)
CASES = {
    "defaults": (dict(), [5.0, 12.0, 30.0], 300, (99, 299)),
    "bellec": (dict(V_rest=0.0, V_th=10.0, tau_a=200.0, tau_ref=2.0, V_initializer=bp.init.Constant(0.0)),
               [8.0, 15.0, 30.0], 3000, (99, 999, 2999)),
}
for name, (kwargs, current, steps, show) in CASES.items():
    neu = bp.neurons.ALIFBellec2020(3, **kwargs)
    runner = bp.DSRunner(neu, monitors=["V", "a", "spike"], progress_bar=False)
    runner.run(inputs=np.tile(np.asarray(current, np.float32), (steps, 1)))
    mon = {k: np.asarray(runner.mon[k]) for k in ("V", "a", "spike")}
    print(name, "spike steps", [np.flatnonzero(mon["spike"][:, k]).tolist() for k in range(3)])
    for step in show:
        print(f"  step {step}: V {mon['V'][step].tolist()}  a {mon['a'][step].tolist()}")
