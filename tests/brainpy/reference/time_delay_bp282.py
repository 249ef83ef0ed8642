"""Reference numbers for ``tests/brainpy/test_time_delay.py``: BrainPy 2.8.2's ``bm.TimeDelay``.

Run with BrainPy 2.8.2 (not a dependency of brainbatch), from outside the repository:
``python tests/brainpy/reference/time_delay_bp282.py``. A delayed linear feedback of three values, dt 0.1 ms,
5 ms: ``y`` reads ``x`` 1.25 ms back (linear interpolation, a function before t0), ``z`` 0.73 ms back (``round``
or ``linear_interp``, a number before t0); both delays are updated with the new ``x`` after each step.
Printed (BrainPy 2.8.2), rows at steps 0, 12, 13, 30, 49:

round x [[0.921, 0.471, -0.159], [0.34712, 0.269234, 0.160194], [0.378477, 0.277237, 0.135502], [0.377581, 0.283866, 0.152665], [0.409171, 0.347135, 0.260285]]
round y [[0.3, 0.3, 0.3], [0.3, 0.3, 0.3], [1.0, 0.5, -0.2], [0.431803, 0.28989, 0.091212], [0.386024, 0.296488, 0.171139]]
round z [[0.1, 0.1, 0.1], [0.731124, 0.403074, -0.056196], [0.681011, 0.385767, -0.027576], [0.451099, 0.295843, 0.078484], [0.397532, 0.313304, 0.195384]]
linear_interp x [[0.921, 0.471, -0.159], [0.345461, 0.268363, 0.160425], [0.377253, 0.276544, 0.135552], [0.376737, 0.283439, 0.152822], [0.408872, 0.346845, 0.260006]]
linear_interp y [[0.3, 0.3, 0.3], [0.3, 0.3, 0.3], [1.0, 0.5, -0.2], [0.431827, 0.289721, 0.090774], [0.38613, 0.296389, 0.170752]]
linear_interp z [[0.1, 0.1, 0.1], [0.721102, 0.399613, -0.050472], [0.672091, 0.382751, -0.022325], [0.450389, 0.29569, 0.079111], [0.397639, 0.313796, 0.196417]]
"""
import warnings

import numpy as np
import brainpy as bp
import brainpy.math as bm

warnings.filterwarnings("ignore")


class Feedback(bp.DynamicalSystem):
    def __init__(self, method):
        super().__init__()
        self.x = bm.Variable(bm.asarray([1.0, 0.5, -0.2]))
        self.lin = bm.TimeDelay(self.x, 1.25, before_t0=lambda t: bm.ones(3) * 0.3, interp_method="linear_interp")
        self.other = bm.TimeDelay(self.x, 1.25, before_t0=0.1, interp_method=method)
        self.y = bm.Variable(bm.zeros(3))
        self.z = bm.Variable(bm.zeros(3))

    def update(self):
        t = bp.share["t"]
        self.y.value = self.lin(t - 1.25)
        self.z.value = self.other(t - 0.73)
        self.x.value = self.x + bm.get_dt() * (-self.x + 0.8 * self.y - 0.3 * self.z + 0.05 * t)
        self.lin.update(self.x.value)
        self.other.update(self.x.value)


for method in ("round", "linear_interp"):
    bm.set_dt(0.1)
    model = Feedback(method)
    runner = bp.DSRunner(model, monitors={"x": model.x, "y": model.y, "z": model.z}, progress_bar=False)
    runner.run(5.)
    for k in ("x", "y", "z"):
        rows = np.asarray(runner.mon[k])[[0, 12, 13, 30, 49]].astype(float)
        print(method, k, [[round(float(v), 6) for v in row] for row in rows])
