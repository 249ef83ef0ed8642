"""Reference numbers for ``tests/brainpy/test_namespace.py::test_each_runner_keeps_its_own_clock_as_brainpys``.

Run with BrainPy 2.8.2 (not a dependency of brainbatch), from outside the repository:
``python tests/brainpy/reference/runner_clocks_bp282.py``. Several ``DSRunner``s on one model (BrainPy's
DSRunner tutorial builds runner, runner1, ... on one network): each runner keeps its own clock (t and the
monitors' ``ts`` from 0 for a new one, from its own last step for one run again) while the model's state
goes on, so a neuron that fired in an earlier runner's run stays refractory, its V held, until the new
clock passes its spike time. Printed (BrainPy 2.8.2):

- warm-up LIF, 12 ms, then a new runner, 3 steps: V -54.1644 held in all three (last spike at t = 0);
- the same with ``bp.dyn.LifRef`` and ``run(inputs=...)``: V -54.1644 held in both steps;
- LIF(4), input 30, runner r 50 ms: spike steps of neuron 0 [0, 132, 263, 395]; a new runner r2 50 ms:
  [473]; r run again 50 ms: [105, 237, 369], its ts 50.0 .. 99.9.
"""
import warnings

import numpy as np
import brainpy as bp

warnings.filterwarnings("ignore")

g = bp.neurons.LIF(1, V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.)
bp.DSRunner(g, inputs=("input", 20.), progress_bar=False).run(12.)
r = bp.DSRunner(g, monitors=["V"], inputs=("input", 20.), progress_bar=False)
r.run(0.31)
print("LIF V", np.asarray(r.mon["V"])[:, 0], "ts", r.mon.ts)

h = bp.dyn.LifRef(1, V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.)
bp.DSRunner(h, progress_bar=False).run(inputs=np.full(120, 20.))
r = bp.DSRunner(h, monitors={"V": h.V}, progress_bar=False)
r.run(inputs=np.full(2, 20.))
print("LifRef V", np.asarray(r.mon["V"])[:, 0])

E = bp.neurons.LIF(4, V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.)
r = bp.DSRunner(E, monitors=["spike"], inputs=[("input", 30.)], progress_bar=False)
r.run(50.)
first = np.flatnonzero(np.asarray(r.mon["spike"])[:, 0])
r2 = bp.DSRunner(E, monitors=["spike"], inputs=[("input", 30.)], progress_bar=False)
r2.run(50.)
second = np.flatnonzero(np.asarray(r2.mon["spike"])[:, 0])
r.run(50.)
again = np.flatnonzero(np.asarray(r.mon["spike"])[:, 0])
print("r", first.tolist(), "r2", second.tolist(), "r again", again.tolist(), "ts", r.mon.ts[0], r.mon.ts[-1])
