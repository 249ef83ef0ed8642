"""BrainPy 2.8.2 reference numbers for the Hodgkin-Huxley-family channels (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/hh_channels_bp282.py [traces|network]

traces: dt 0.05 ms, 30 ms, 3 neurons per group, a constant current per neuron from t = 0 (a step from
the resting gates), monitors after each step. ``tm``: ``CondNeuGroup`` of ``INa_TM1991``/``IK_TM1991``
(COBA-HH's parameters) and ``IL``; ``ba``: ``CondNeuGroupLTC`` of ``INa_Ba2002``/``IKDR_Ba2002`` at T = 30 °C
(their temperature factors), ``IKL`` and ``IL``; ``hm``: ``CondNeuGroup`` of Traub-Miles sodium/potassium
with every Huguenard-McCormick/Yamada channel (``IKA1_HM1992``, ``IKA2_HM1992``, ``IKK2A_HM1992``,
``IKK2B_HM1992``, ``IKNI_Ya1989``, ``Ih_HM1992``) at V0 below and above their time constants' switch
points. These three call ``reset_state()`` after construction (gates at their steady state); ``zero``
is ``hm`` without it: BrainPy's gates stay at the zeros the channels were made with (the group reset
itself before its subclass added them, and a runner does not reset). Prints V, every gate at a few
steps, and the spike steps.

network: docs/brainpy/coba_hh_channels.py with its imports switched back to BrainPy, ``bm.random.seed(s)``
before the network is built, seeds 0-19, 200 ms, input 2 µA/cm², with BrainPy's weights and with zero weights; prints the
mean E and I rates per seed.
"""
import json
import pathlib
import sys
import types

import brainevent
import brainpy as bp
import brainpy.math as bm
import numpy as np

STEPS = (0, 59, 199, 399, 599)
V0 = {"tm": [-70.0, -65.0, -60.0], "ba": [-70.0, -65.0, -60.0], "hm": [-85.0, -75.0, -62.0],
      "zero": [-85.0, -75.0, -62.0]}
CURRENT = {"tm": [1.0, 4.0, 8.0], "ba": [1.0, 3.0, 6.0], "hm": [2.0, 6.0, 12.0], "zero": [2.0, 6.0, 12.0]}


class TM(bp.dyn.CondNeuGroup):
    def __init__(self):
        super().__init__(3, V_initializer=bm.asarray(V0["tm"]))
        self.INa = bp.dyn.INa_TM1991(3, g_max=100., V_sh=-63.)
        self.IK = bp.dyn.IK_TM1991(3, g_max=30., V_sh=-63.)
        self.IL = bp.dyn.IL(3, E=-60., g_max=0.05)


class BA(bp.dyn.CondNeuGroupLTC):
    def __init__(self):
        super().__init__(3, V_initializer=bm.asarray(V0["ba"]))
        self.INa = bp.dyn.INa_Ba2002(3, T=30.)
        self.IK = bp.dyn.IKDR_Ba2002(3, T=30.)
        self.IKL = bp.dyn.IKL(3, g_max=0.02)
        self.IL = bp.dyn.IL(3, E=-70., g_max=0.05)


class HM(bp.dyn.CondNeuGroup):
    def __init__(self, V_init):
        super().__init__(3, V_initializer=bm.asarray(V_init))
        self.INa = bp.dyn.INa_TM1991(3, g_max=100., V_sh=-55.)
        self.IK = bp.dyn.IK_TM1991(3, g_max=20., V_sh=-55.)
        self.IA1 = bp.dyn.IKA1_HM1992(3, g_max=3., phi_q=2.)
        self.IA2 = bp.dyn.IKA2_HM1992(3, g_max=2., V_sh=5.)
        self.IK2A = bp.dyn.IKK2A_HM1992(3, g_max=1.)
        self.IK2B = bp.dyn.IKK2B_HM1992(3, g_max=1., V_sh=-5.)
        self.INI = bp.dyn.IKNI_Ya1989(3, g_max=0.5, tau_max=100.)
        self.Ih = bp.dyn.Ih_HM1992(3, g_max=0.5, phi=2.)
        self.IL = bp.dyn.IL(3, E=-70., g_max=0.05)


GATES = {"tm": ["INa.p", "INa.q", "IK.p"], "ba": ["INa.p", "INa.q", "IK.p"],
         "hm": ["INa.p", "INa.q", "IK.p", "IA1.p", "IA1.q", "IA2.p", "IA2.q", "IK2A.p", "IK2A.q", "IK2B.p", "IK2B.q",
                "INI.p", "Ih.p"]}
GATES["zero"] = GATES["hm"]


class Net(bp.DynSysGroup):
    def __init__(self):
        super().__init__()
        self.tm, self.ba, self.hm, self.zero = TM(), BA(), HM(V0["hm"]), HM(V0["zero"])
        for g in (self.tm, self.ba, self.hm):
            g.reset_state()


def _attr(obj, path):
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def traces():
    bm.set_dt(0.05)
    net = Net()
    monitors = {f"{g}.{v}": _attr(net, f"{g}.{v}") for g in V0 for v in ["V", "spike", *GATES[g]]}
    runner = bp.DSRunner(net, monitors=monitors, progress_bar=False,
                         inputs=[(getattr(net, g).input, bm.asarray(CURRENT[g])) for g in V0])
    runner.run(30.0)
    out = {}
    for g in V0:
        out[g] = {v: {s: np.asarray(runner.mon[f"{g}.{v}"])[s].tolist() for s in STEPS} for v in ["V", *GATES[g]]}
        spk = np.asarray(runner.mon[f"{g}.spike"])
        out[g]["spike_steps"] = [np.flatnonzero(spk[:, k]).tolist() for k in range(3)]
    print(json.dumps(out))


def network(seeds=20, duration=200.0):
    src = (pathlib.Path(__file__).resolve().parents[3] / "docs" / "brainpy" / "coba_hh_channels.py").read_text()
    src = src.replace("import brainbatch.brainpy as bp", "import brainpy as bp")
    src = src.replace("import brainbatch.brainpy.math as bm", "import brainpy.math as bm")
    module = types.ModuleType("coba_hh_channels_brainpy")
    exec(compile(src, "coba_hh_channels.py", "exec"), module.__dict__)  # noqa: S102 - the docs script with BrainPy imports
    for we, wi in ((0.6, 6.7), (0.0, 0.0)):
        rates = []
        for s in range(seeds):
            bm.random.seed(s)
            rates.append(module.run(duration, we=we, wi=wi))
        r = np.asarray(rates)
        print(f"we={we} wi={wi}: E {np.round(r[:, 0], 2).tolist()} mean {r[:, 0].mean():.2f} std "
              f"{r[:, 0].std(ddof=1):.2f} Hz; I {np.round(r[:, 1], 2).tolist()} mean {r[:, 1].mean():.2f} std "
              f"{r[:, 1].std(ddof=1):.2f} Hz ({duration} ms, BrainPy {bp.__version__})")


if __name__ == "__main__":
    bm.set_platform("cpu")
    # numba is not installed in the reference venv: brainevent's pure-JAX kernels for the CSR products
    for prim in (brainevent.binary_csrmv_p, brainevent.csrmv_p):
        prim.set_default("cpu", "jax_raw")
    part = sys.argv[1] if len(sys.argv) > 1 else "traces"
    traces() if part == "traces" else network()
