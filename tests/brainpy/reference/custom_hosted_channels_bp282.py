"""BrainPy 2.8.2 reference numbers for tests/brainpy/test_custom_hosted_channels.py (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/custom_hosted_channels_bp282.py

Channels written by the user that read ions, as BrainPy's "conductance neurons v2" tutorial defines them: one with
``master_type = bp.dyn.Calcium`` (``update(V, C, E)``) on a ``CalciumFixed``, one with ``master_type =
bp.mixin.JointType[bp.dyn.Potassium, bp.dyn.Calcium]`` (one dict of ``C`` and ``E`` per ion) on a ``MixIons``, in a
``CondNeuGroupLTC`` of two neurons with two constant inputs, dt 0.1, 3000 steps. It prints the spike counts and V at
steps 500, 1500 and 2999 (3 decimals) as one JSON object.
"""
import json

import brainpy as bp
import brainpy.math as bm
import numpy as np


class ICaSimple(bp.dyn.IonChannel):
    master_type = bp.dyn.Calcium

    def __init__(self, size, g_max=1.0, method='exp_auto'):
        super().__init__(size)
        self.g_max = g_max
        self.integral = bp.odeint(self.dp, method=method)

    def dp(self, p, t, V):
        return (1. / (1. + bm.exp(-(V + 40.) / 6.)) - p) / 5.

    def reset_state(self, V, C, E, batch_size=None):
        self.p = bp.init.variable_(bm.zeros, self.num, batch_size)
        self.p.value = 1. / (1. + bm.exp(-(V + 40.) / 6.))

    def update(self, V, C, E):
        self.p.value = self.integral(self.p.value, bp.share['t'], V, bp.share['dt'])

    def current(self, V, C, E):
        return self.g_max * self.p * (E - V)


class IKCa(bp.dyn.IonChannel):
    master_type = bp.mixin.JointType[bp.dyn.Potassium, bp.dyn.Calcium]

    def __init__(self, size, g_max=2.0):
        super().__init__(size)
        self.g_max = g_max

    def reset_state(self, V, K_info, Ca_info, batch_size=None):
        pass

    def update(self, V, K_info, Ca_info):
        pass

    def current(self, V, K_info, Ca_info):
        return self.g_max * Ca_info['C'] / (Ca_info['C'] + 1e-3) * 0.5 * (K_info['E'] - V)


class Cell(bp.dyn.CondNeuGroupLTC):
    def __init__(self, size):
        super().__init__(size, A=2.9e-4, V_initializer=bp.init.OneInit(-65.), V_th=20.)
        self.IL = bp.dyn.IL(size, g_max=0.05, E=-70.)
        self.INa = bp.dyn.INa_Ba2002(size, V_sh=-30)
        self.IK = bp.dyn.IKDR_Ba2002(size, V_sh=-30., phi=0.25)
        self.Ca = bp.dyn.CalciumFixed(size, E=120., C=2.4e-4)
        self.Ca.add_elem(ICaSimple(size, g_max=0.02))
        self.K = bp.dyn.PotassiumFixed(size, E=-90.)
        self.KCa = bp.dyn.MixIons(self.K, self.Ca)
        self.KCa.add_elem(IKCa(size))


bm.set_dt(0.1)
cell = Cell(2)
cell.reset()
runner = bp.DSRunner(cell, monitors={'V': cell.V}, progress_bar=False)
runner.run(inputs=np.ones((3000, 2)) * np.array([8., 20.]))
V = np.asarray(runner.mon['V'])
print(json.dumps({"spikes": ((V[1:] > 0) & (V[:-1] <= 0)).sum(0).tolist(),
                  "V": np.round(V[[500, 1500, 2999]], 3).tolist()}))
