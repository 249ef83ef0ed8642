"""BrainPy's "conductance neurons v2" tutorial: channels that name what they read by ``master_type``
(``bp.dyn.HHTypedNeuron``, ``bp.dyn.Calcium``, ``bp.mixin.JointType[...]``) were refused by name, so the tutorial
stopped at its first cell. Reference numbers: tests/brainpy/reference/custom_hosted_channels_bp282.py, run under
BrainPy 2.8.2."""
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

BRAINPY = {"spikes": [44, 71], "V": [[-26.62, -11.907], [-45.705, -5.872], [-45.657, -6.801]]}


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


def test_channels_reading_ions_by_master_type_give_brainpys_numbers():
    with bm.environment(dt=0.1):
        cell = Cell(2)
        cell.reset()
        V = np.asarray(bp.DSRunner(cell, monitors={'V': cell.V}, progress_bar=False)
                       .run(inputs=np.ones((3000, 2)) * np.array([8., 20.]))['V'])
    assert ((V[1:] > 0) & (V[:-1] <= 0)).sum(0).tolist() == BRAINPY["spikes"]
    np.testing.assert_allclose(V[[500, 1500, 2999]], BRAINPY["V"], atol=0.01)


def test_the_tutorials_master_types_are_brainpys():
    # the tutorial's cells: a channel on the group, on calcium, on calcium and sodium, and the built-ins' types
    class IK(bp.dyn.IonChannel):
        master_type = bp.dyn.CondNeuGroup

    class ICaNa(bp.dyn.IonChannel):
        master_type = bp.mixin.JointType[bp.dyn.Calcium, bp.dyn.Sodium]

    assert bp.dyn.INa_Ba2002v2.master_type is bp.dyn.Sodium and bp.dyn.INa_Ba2002.master_type is bp.dyn.HHTypedNeuron
    assert bp.dyn.IAHP_De1994v2.master_type == bp.mixin.JointType[bp.dyn.Calcium, bp.dyn.Potassium]  # BrainPy's order
    assert repr(ICaNa.master_type) == "JointType[Calcium, Sodium]" and IK(1).num == 1
    ca, k = bp.dyn.CalciumFixed(1), bp.dyn.PotassiumFixed(1)
    assert isinstance(ca, bp.dyn.Calcium) and not isinstance(k, bp.dyn.Calcium)
    assert isinstance(Cell(1), bp.dyn.HHTypedNeuron) and isinstance(bp.dyn.CondNeuGroup(1), bp.dyn.HHTypedNeuron)
    with pytest.raises(TypeError, match=r"ICaSimple needs a Calcium ion, not PotassiumFixed"):
        k.add_elem(ICaSimple(1))
    with pytest.raises(TypeError, match="not supported for subclassing"):
        class MyCalcium(bp.dyn.Calcium):
            pass
        MyCalcium(1)
    with pytest.raises(TypeError, match=r"JointType\[\.\.\.\] takes two types or more"):
        bp.mixin.JointType[bp.dyn.Calcium]
    with pytest.raises(AttributeError, match="only JointType"):
        bp.mixin.ParamDescriber
