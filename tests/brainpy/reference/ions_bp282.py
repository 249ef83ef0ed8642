"""BrainPy 2.8.2 reference numbers for the ions and the channels reading them (never run by the test suite).

    cd /tmp && /path/to/brainpy-2.8.2-venv/bin/python /path/to/tests/brainpy/reference/ions_bp282.py

dt 0.1 ms, 250 ms, 2 neurons per group, a hyperpolarising step for the first 100 ms then none (a T-type
rebound burst), monitors after each step. The groups (``build(bp, bm)``, shared with the tests, which run
them with ``import brainbatch.brainpy as bp``):

``trn``: a reticular cell (``CondNeuGroupLTC``) as BrainPy's thalamic examples write it: ``IL``, sodium and
potassium, ``CalciumDetailed`` with ``ICaT_HP1992`` (``add_elem``), ``PotassiumFixed`` with ``IK_Leak``, and
``IAHP_De1994v2`` on ``mix_ions(K, Ca)``; ``reset_state()`` after construction.
``tc``: a relay cell (``CondNeuGroup``) with every calcium channel on a ``CalciumFirstOrder`` given as keywords
and by ``add_elem`` (``ICaT_HM1992``, ``ICaHT_HM1992``, ``ICaL_IS2008``, ``ICaN_IS2008``, ``Ih_De1996``,
``IAHP_De1994``), sodium and potassium ``*_v2`` channels on fixed ions; ``reset_state()`` after construction.
``fixed``: ``CalciumFixed`` with ``ICaHT_Re1993`` and the other ``*_v2`` channels; ``reset_state()``.
``late``: ``trn`` without ``reset_state()``: the channels keep the zeros they were made with.
Prints V, C, E and gates at a few steps and the spike steps as JSON.
"""
import json

STEPS = (0, 99, 499, 999, 1049, 1099, 1299, 1999, 2499)
CURRENT = {"trn": [-0.06, -0.12], "tc": [-0.3, -0.6], "fixed": [-0.4, -0.8], "late": [-0.06, -0.12]}
MONITORS = {"trn": ["V", "Ca.C", "Ca.E", "Ca.IT.p", "Ca.IT.q", "KCa.IAHP.p", "INa.p"],
            "tc": ["V", "Ca.C", "Ca.E", "Ca.IT.p", "Ca.IT.q", "Ca.IHT.q", "Ca.IL_Ca.p", "Ca.ICaN.p", "Ca.Ih.O",
                   "Ca.Ih.OL", "Ca.Ih.P1", "Ca.IAHP.p", "K.IA1.q", "Na.INa.p"],
            "fixed": ["V", "Ca.IHT.p", "Ca.IHT.q", "K.IK2A.q", "K.IK2B.q", "K.INI.p", "K.IK.p", "Na.INa.q"],
            "late": ["V", "Ca.C", "Ca.IT.q", "KCa.IAHP.p"]}


def build(bp, bm):
    """The four groups, with ``bp`` BrainPy 2.8.2 or ``brainbatch.brainpy``."""

    class TRN(bp.dyn.CondNeuGroupLTC):
        def __init__(self, size):
            super().__init__(size, A=1.43e-4, V_initializer=bp.init.Constant(-70.))
            self.IL = bp.dyn.IL(size, g_max=0.05, E=-77.)
            self.INa = bp.dyn.INa_Ba2002(size, V_sh=-40.)
            self.IK = bp.dyn.IKDR_Ba2002(size, V_sh=-40.)
            self.Ca = bp.dyn.CalciumDetailed(size, C_rest=5e-5, tau=100., d=0.5)
            self.Ca.add_elem(IT=bp.dyn.ICaT_HP1992(size, g_max=2.))
            self.K = bp.dyn.PotassiumFixed(size, E=-90.)
            self.K.add_elem(IKL=bp.dyn.IK_Leak(size, g_max=0.01))
            self.KCa = bp.dyn.mix_ions(self.K, self.Ca)
            self.KCa.add_elem(IAHP=bp.dyn.IAHP_De1994v2(size, g_max=0.3))

    class TC(bp.dyn.CondNeuGroup):
        def __init__(self, size):
            super().__init__(size, A=2.9e-4, V_initializer=bp.init.Constant(-65.), V_th=20.)
            self.IL = bp.dyn.IL(size, g_max=0.01, E=-70.)
            self.Na = bp.dyn.SodiumFixed(size, E=50., INa=bp.dyn.INa_TM1991v2(size, g_max=100., V_sh=-50.))
            self.K = bp.dyn.PotassiumFixed(size, E=-90.)
            self.K.add_elem(IK=bp.dyn.IK_TM1991v2(size, g_max=10., V_sh=-50.), IKL=bp.dyn.IK_Leak(size, g_max=0.01),
                            IA1=bp.dyn.IKA1_HM1992v2(size, g_max=1.))
            self.Ca = bp.dyn.CalciumFirstOrder(size, IT=bp.dyn.ICaT_HM1992(size, g_max=2.),
                                               IHT=bp.dyn.ICaHT_HM1992(size, g_max=0.5))
            self.Ca.add_elem(IL_Ca=bp.dyn.ICaL_IS2008(size, g_max=0.3), ICaN=bp.dyn.ICaN_IS2008(size, g_max=0.5),
                             Ih=bp.dyn.Ih_De1996(size, g_max=0.05), IAHP=bp.dyn.IAHP_De1994(size, g_max=0.3))

    class Fixed(bp.dyn.CondNeuGroup):
        def __init__(self, size):
            super().__init__(size, V_initializer=bp.init.Constant(-65.))
            self.IL = bp.dyn.IL(size, g_max=0.05, E=-70.)
            self.Na = bp.dyn.SodiumFixed(size, E=55.)
            self.Na.add_elem(INa=bp.dyn.INa_Ba2002v2(size, T=30.))
            self.K = bp.dyn.PotassiumFixed(size)
            self.K.add_elem(IK=bp.dyn.IKDR_Ba2002v2(size, T=30.), IK2A=bp.dyn.IKK2A_HM1992v2(size, g_max=1.),
                            IK2B=bp.dyn.IKK2B_HM1992v2(size, g_max=1.), INI=bp.dyn.IKNI_Ya1989v2(size, g_max=0.5, tau_max=100.),
                            IA2=bp.dyn.IKA2_HM1992v2(size, g_max=1.), IHH=bp.dyn.IK_HH1952v2(size, g_max=1.))
            self.Na2 = bp.dyn.SodiumFixed(size, INa=bp.dyn.INa_HH1952v2(size, g_max=1.))
            self.Ca = bp.dyn.CalciumFixed(size, E=120.)
            self.Ca.add_elem(IHT=bp.dyn.ICaHT_Re1993(size, g_max=0.5))

    class Net(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.trn, self.tc, self.fixed, self.late = TRN(2), TC(2), Fixed(2), TRN(2)
            for g in (self.trn, self.tc, self.fixed):
                g.reset_state()

    return Net()


def _attr(obj, path):
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def current(bm):
    """The input of every group: CURRENT for 100 ms, then 0 (dt 0.1 ms, 2500 steps)."""
    import numpy as np
    out = {}
    for g, amps in CURRENT.items():
        I = np.zeros((2500, 2), np.float32)
        I[:1000] = amps
        out[g] = I
    return out


def main():
    import brainpy as bp
    import brainpy.math as bm
    import numpy as np

    bm.set_platform("cpu")
    bm.set_dt(0.1)
    net = build(bp, bm)
    monitors = {f"{g}.{v}": _attr(net, f"{g}.{v}") for g in MONITORS for v in ["spike", *MONITORS[g]]}
    inputs = [(getattr(net, g).input, I, "iter") for g, I in current(bm).items()]
    runner = bp.DSRunner(net, monitors=monitors, inputs=inputs, progress_bar=False)
    runner.run(250.)
    out = {}
    for g in MONITORS:
        out[g] = {v: {s: np.asarray(runner.mon[f"{g}.{v}"])[s].tolist() for s in STEPS} for v in MONITORS[g]}
        spk = np.asarray(runner.mon[f"{g}.spike"])
        out[g]["spike_steps"] = [np.flatnonzero(spk[:, k]).tolist() for k in range(2)]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
