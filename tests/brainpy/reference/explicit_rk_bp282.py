"""BrainPy 2.8.2 reference numbers for tests/brainpy/test_explicit_rk.py (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/explicit_rk_bp282.py

``bp.odeint`` with each fixed-step method, float32 on the CPU, stepped by hand (``intg(..., dt=dt)``):

- ``default``: ``bp.odeint(f)`` without ``method=`` (BrainPy's default, ``bp.ode.get_default_odeint()``)
  on dV/dt = (-V + I) / 2, I = 10, V0 = 0, 10 steps of dt = 1: V after each step;
- ``forced``: dx/dt = -0.5 x + cos(t), x0 = 1, 10 steps of dt = 0.5 from t = 0 (the nodes c matter);
- ``fhn``: a two-variable derivative function f(V, w, t, Iext) -> (dV, dw) (FitzHugh-Nagumo, Iext = 0.5),
  V0 = -1, w0 = 0.5, 40 steps of dt = 0.1: V and w at the end;
- ``hh``: Hodgkin-Huxley as ``bp.JointEq([dV, dm, dh, dn])``, Iext = 10, V0 = -65, m0 = 0.05, h0 = 0.6,
  n0 = 0.32, 20 steps of dt = 0.05: V, m, h, n after steps 10 and 20;
- ``rk2_beta``: ``method='rk2', beta=0.5`` and ``beta=1.0`` on ``forced``;
- ``hh_class``: the class ``bp.neurons.HH(2, method=m)`` (V starting at -65 and -60, gates at their steady
  state), input 10 and 5, ``bp.DSRunner`` at dt 0.05 for 200 steps (monitors after each step): V at steps
  19, 99 and 199, for ``CLASS_METHODS``.
"""
import json

import brainpy as bp
import brainpy.math as bm

CLASS_METHODS = ["midpoint", "rk2", "heun2", "rk3", "ssprk3", "ralston4"]
METHODS = ["euler", "midpoint", "heun2", "ralston2", "rk2", "rk3", "heun3", "ralston3", "ssprk3", "rk4",
           "ralston4", "rk4_38rule"]


def dV(V, t, m, h, n, Iext):
    I_Na = (120. * m ** 3 * h) * (V - 50.)
    I_K = (36. * n ** 4) * (V + 77.)
    I_leak = 0.03 * (V + 54.387)
    return (-I_Na - I_K - I_leak + Iext) / 1.0


def dm(m, t, V):
    alpha = 0.1 * (V + 40) / (1 - bm.exp(-(V + 40) / 10))
    beta = 4.0 * bm.exp(-(V + 65) / 18)
    return alpha * (1 - m) - beta * m


def dh(h, t, V):
    alpha = 0.07 * bm.exp(-(V + 65) / 20.)
    beta = 1 / (1 + bm.exp(-(V + 35) / 10))
    return alpha * (1 - h) - beta * h


def dn(n, t, V):
    alpha = 0.01 * (V + 55) / (1 - bm.exp(-(V + 55) / 10))
    beta = 0.125 * bm.exp(-(V + 65) / 80)
    return alpha * (1 - n) - beta * n


def forced(x, t):
    return -0.5 * x + bm.cos(t)


def fhn(V, w, t, Iext):
    return V - V * V * V / 3 - w + Iext, (V + 0.7 - 0.8 * w) / 12.5


def run_forced(intg):
    x, out = 1.0, []
    for i in range(10):
        x = intg(x, i * 0.5, dt=0.5)
        out.append(float(x))
    return out


def main():
    bm.set_platform("cpu")
    out = {"default_method": bp.ode.get_default_odeint(), "default": []}
    intg = bp.odeint(lambda V, t, I: (-V + I) / 2.)
    V = 0.
    for i in range(10):
        V = intg(V, float(i), 10., dt=1.)
        out["default"].append(float(V))
    for m in METHODS:
        res = {"forced": run_forced(bp.odeint(forced, method=m))}
        intg = bp.odeint(fhn, method=m)
        V, w = bm.asarray(-1.0), bm.asarray(0.5)
        for i in range(40):
            V, w = intg(V, w, i * 0.1, 0.5, dt=0.1)
        res["fhn"] = [float(V), float(w)]
        intg = bp.odeint(bp.JointEq([dV, dm, dh, dn]), method=m)
        s = [bm.asarray(-65.0), bm.asarray(0.05), bm.asarray(0.6), bm.asarray(0.32)]
        res["hh"] = {}
        for i in range(20):
            s = list(intg(*s, i * 0.05, 10.0, dt=0.05))
            if i + 1 in (10, 20):
                res["hh"][i + 1] = [float(v) for v in s]
        out[m] = res
    out["rk2_beta"] = {str(b): run_forced(bp.odeint(forced, method="rk2", beta=b)) for b in (0.5, 1.0)}
    bm.set_dt(0.05)
    out["hh_class"] = {}
    for m in CLASS_METHODS:
        hh = bp.neurons.HH(2, method=m, V_initializer=bm.asarray([-65.0, -60.0]))
        runner = bp.DSRunner(hh, monitors=["V"], inputs=[("input", bm.asarray([10.0, 5.0]))], progress_bar=False)
        runner.run(10.0)
        out["hh_class"][m] = {s: [float(v) for v in runner.mon["V"][s]] for s in (19, 99, 199)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
