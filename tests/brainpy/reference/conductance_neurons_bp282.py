"""BrainPy 2.8.2 reference numbers for tests/brainpy/test_conductance_neurons.py (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/conductance_neurons_bp282.py

Run A, dt 0.1 ms, 100 ms: ``bp.neurons.MorrisLecar`` (4 neurons, a step input in ``input`` at 50 ms),
``bp.neurons.LeakyIntegrator`` (3 neurons, the same kind of step) and ``bp.dyn.Integrator`` (3 units,
``update(x)`` with a step at 30 ms) in one ``bp.DynSysGroup``.
Run B, dt 0.05 ms, 100 ms: ``bp.dyn.WangBuzsakiHH`` as BrainPy 2.8.2 has it (its alpha_n is
0.1 (V+34) / (1 - exp(-0.1 (V+34))), ten times the paper's) and ``PaperWB``: the same class with the
paper's alpha_n (0.01 ...), brainbatch's native ``WangBuzsakiHH``. 4 neurons each, constant input.
``bp.DSRunner`` (monitors after each step); prints the states at a few steps and the spike steps.
"""
import json

import brainpy as bp
import brainpy.math as bm
import numpy as np

A_STEPS = (0, 99, 499, 999)
B_STEPS = (0, 199, 999, 1999)


def _step_input(lo, hi, at_ms, dt, n_steps):
    """Rows of ``lo`` before ``at_ms``, ``hi`` from it (one row per step, for an 'iter' input)."""
    t = np.arange(n_steps) * dt
    return np.where(t[:, None] >= at_ms, np.asarray(hi)[None], np.asarray(lo)[None]).astype(np.float32)


class NetA(bp.DynSysGroup):
    def __init__(self):
        super().__init__()
        self.ml = bp.neurons.MorrisLecar(4, V_initializer=bm.asarray([-60.0, -50.0, -40.0, -20.0]),
                                         W_initializer=bm.asarray([0.0, 0.02, 0.1, 0.3]))
        self.li = bp.neurons.LeakyIntegrator(3, V_rest=-2.0, R=2.0, tau=5.0,
                                             V_initializer=bm.asarray([0.0, 1.0, -1.0]))
        self.integ = bp.dyn.Integrator(3, tau=8.0, x_initializer=bm.asarray([0.0, 0.5, -0.5]))

    def update(self):
        self.ml()
        self.li()
        t = bp.share.load("t")
        self.integ(bm.where(t >= 30.0, bm.asarray([1.0, 2.0, -1.0]), bm.asarray([0.5, 0.0, 0.0])))


class PaperWB(bp.dyn.WangBuzsakiHH):
    def dn(self, n, t, V):
        alpha = 0.1 / bm.exprel(-0.1 * (V + 34))  # Wang & Buzsaki (1996): 0.01 (V+34) / (1 - exp(-0.1 (V+34)))
        beta = 0.125 * bm.exp(-(V + 44) / 80)
        return self.phi * (alpha * (1 - n) - beta * n)


class NetB(bp.DynSysGroup):
    def __init__(self):
        super().__init__()
        kw = dict(V_initializer=bm.asarray([-65.0, -60.0, -55.0, -70.0]), h_initializer=bm.asarray([0.6, 0.8, 0.5, 0.9]),
                  n_initializer=bm.asarray([0.32, 0.1, 0.4, 0.2]))
        self.wb = bp.dyn.WangBuzsakiHH(4, **kw)
        self.paper = PaperWB(4, **kw)

    def update(self):
        t = bp.share.load("t")
        self.wb(bm.where(t >= 50.0, bm.asarray([40.0, 80.0, 150.0, 0.0]), bm.asarray([10.0, 20.0, 150.0, 0.0])))
        self.paper(bm.where(t >= 50.0, bm.asarray([0.5, 1.0, 3.0, 10.0]), bm.asarray([0.1, 1.0, 1.0, 0.0])))


def _record(mon, name, variables, steps, spikes=True):
    out = {v: {s: np.asarray(mon[f"{name}.{v}"])[s].tolist() for s in steps} for v in variables}
    if spikes:
        spk = np.asarray(mon[f"{name}.spike"])
        out["spike_steps"] = [np.flatnonzero(spk[:, k]).tolist() for k in range(spk.shape[1])]
    return out


def main():
    bm.set_platform("cpu")
    bm.set_dt(0.1)
    net = NetA()
    ml_in = _step_input([60.0, 100.0, 150.0, 300.0], [100.0, 60.0, 150.0, 90.0], 50.0, 0.1, 1000)
    li_in = _step_input([1.0, 0.0, 3.0], [2.0, -1.0, 3.0], 50.0, 0.1, 1000)
    runner = bp.DSRunner(net, monitors={"ml.V": net.ml.V, "ml.W": net.ml.W, "ml.spike": net.ml.spike,
                                        "li.V": net.li.V, "integ.x": net.integ.x},
                         inputs=[(net.ml.input, ml_in, "iter"), (net.li.input, li_in, "iter")], progress_bar=False)
    runner.run(100.0)
    a = {"MorrisLecar": _record(runner.mon, "ml", ["V", "W"], A_STEPS),
         "LeakyIntegrator": _record(runner.mon, "li", ["V"], A_STEPS, spikes=False),
         "Integrator": _record(runner.mon, "integ", ["x"], A_STEPS, spikes=False)}
    bm.set_dt(0.05)
    net = NetB()
    runner = bp.DSRunner(net, monitors={f"{g}.{v}": getattr(getattr(net, g), v) for g in ("wb", "paper")
                                        for v in ("V", "h", "n", "spike")}, progress_bar=False)
    runner.run(100.0)
    b = {"WangBuzsakiHH": _record(runner.mon, "wb", ["V", "h", "n"], B_STEPS),
         "PaperWB": _record(runner.mon, "paper", ["V", "h", "n"], B_STEPS)}
    print(json.dumps({**a, **b}))


if __name__ == "__main__":
    main()
