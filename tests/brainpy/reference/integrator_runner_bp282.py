"""Reference numbers for ``tests/brainpy/test_integrator_runner.py``: ``bp.IntegratorRunner`` in BrainPy 2.8.2.

Run with BrainPy 2.8.2 (not a dependency of brainbatch), from outside the repository:
``python tests/brainpy/reference/integrator_runner_bp282.py``. Printed (BrainPy 2.8.2):

- shapes (400, 3) (400,), ts 0.05 .. 20.0;
- V at steps 0, 99, -1: [[0.10511, 0.51316, -1.04833], [1.84609, 1.75442, -1.11784], [2.26384, 2.25423, 2.33058]];
- w likewise: [[0.00439, 0.20519, 0.2988], [0.73584, 0.92928, 0.04782], [2.37177, 2.40979, 2.09566]];
- a second run of 5 ms: ts from 20.05, last V [1.45703, 1.43745, 1.57748];
- the rk4 decay: x (10, 1), last three [0.201902, 0.165304, 0.13534], integral.dt 0.1.
"""

import warnings

import numpy as np
import brainpy as bp

warnings.filterwarnings("ignore")
TAU = 12.5


def dV(V, t, w, I):
    return V - V * V * V / 3 - w + I


def dw(w, t, V, a, b):
    return (V + a - b * w) / TAU


integral = bp.odeint(bp.JointEq([dV, dw]), method="exp_auto")
runner = bp.IntegratorRunner(integral, monitors=["V", "w"], inits={"V": np.array([0.1, 0.5, -1.0]),
                                                                  "w": np.array([0.0, 0.2, 0.3])},
                             dt=0.05, progress_bar=False)
runner.run(20., args={"a": 1., "b": 1.}, dyn_args={"I": bp.inputs.ramp_input(0, 4, 20., dt=0.05)})
print("shapes", np.shape(runner.mon.V), np.shape(runner.mon.ts), float(runner.mon.ts[0]), float(runner.mon.ts[-1]))
print("V", np.round(np.asarray(runner.mon.V)[[0, 99, -1]], 5).tolist())
print("w", np.round(np.asarray(runner.mon.w)[[0, 99, -1]], 5).tolist())
runner.run(5., args={"a": 1., "b": 1.}, dyn_args={"I": np.full(100, 2.0)})
print("again", float(runner.mon.ts[0]), np.round(np.asarray(runner.mon.V)[-1], 5).tolist())


def decay(x, t, k):
    return -k * x


f = bp.odeint(decay, method="rk4")
r = bp.IntegratorRunner(f, monitors=["x"], inits=[1.0], dt=0.1, progress_bar=False)
r.run(1.0, args={"k": 2.0})
print("x", np.shape(r.mon.x), np.round(np.asarray(r.mon.x)[:, 0], 6).tolist()[-3:], f.dt)
