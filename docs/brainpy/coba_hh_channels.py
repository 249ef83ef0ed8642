"""BrainPy's COBA-HH E/I network built from channels (its ``bp.dyn.CondNeuGroupLTC`` examples), on brainbatch.

Hodgkin-Huxley neurons assembled in a ``bp.dyn.CondNeuGroupLTC`` subclass from ``bp.dyn.IK_TM1991``,
``bp.dyn.INa_TM1991`` (Traub-Miles kinetics, ``V_sh`` = -63 mV) and ``bp.dyn.IL``, coupled by four
``bp.dyn.ProjAlignPostMg2`` projections (``bp.dnn.EventCSRLinear`` on ``bp.conn.FixedProb(0.02)``,
``bp.dyn.Expon.desc``, ``bp.dyn.COBA.desc``), driven by a constant current (``DSRunner(inputs=...)``).
The channels are added in the subclass's ``__init__``, after the group reset itself, so their gates start
at 0 as in BrainPy (docs/migrating-from-brainpy.md). Scaled down by default (400 + 100 neurons), with
BrainPy's weights scaled up by the same factor so that each neuron gets the conductance it gets in the
3200 + 800 network. Only the imports differ from BrainPy.

    python docs/brainpy/coba_hh_channels.py
"""
import numpy as np

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm


class HH(bp.dyn.CondNeuGroupLTC):
    def __init__(self, size, V_initializer=bp.init.Uniform(-70, -50.), method='exp_auto'):
        super().__init__(size, V_initializer=V_initializer)
        self.IK = bp.dyn.IK_TM1991(size, g_max=30., V_sh=-63., method=method)
        self.INa = bp.dyn.INa_TM1991(size, g_max=100., V_sh=-63., method=method)
        self.IL = bp.dyn.IL(size, E=-60., g_max=0.05)


class EINet(bp.DynSysGroup):
    def __init__(self, num_exc=400, num_inh=100, we=0.6, wi=6.7):
        super().__init__()
        scale = 4000 / (num_exc + num_inh)  # the 3200 + 800 network's conductance per neuron
        self.E, self.I = HH(num_exc), HH(num_inh)

        def proj(pre, post, w, tau, E):
            return bp.dyn.ProjAlignPostMg2(
                pre=pre, delay=None,
                comm=bp.dnn.EventCSRLinear(bp.conn.FixedProb(0.02, pre=pre.num, post=post.num), w * scale),
                syn=bp.dyn.Expon.desc(post.num, tau=tau),
                out=bp.dyn.COBA.desc(E=E),
                post=post)

        self.E2E = proj(self.E, self.E, we, 5., 0.)
        self.E2I = proj(self.E, self.I, we, 5., 0.)
        self.I2E = proj(self.I, self.E, wi, 10., -80.)
        self.I2I = proj(self.I, self.I, wi, 10., -80.)

    def update(self, inp=0.):
        self.E2E()
        self.E2I()
        self.I2E()
        self.I2I()
        self.E(inp)
        self.I(inp)
        return self.E.spike.value, self.I.spike.value


def run(duration=200., inp=2., num_exc=400, num_inh=100, we=0.6, wi=6.7):
    """Simulate ``duration`` ms with input current ``inp`` (µA/cm²); returns the E and I rates (Hz)."""
    net = EINet(num_exc, num_inh, we, wi)
    runner = bp.DSRunner(net, monitors=['E.spike', 'I.spike'], inputs=[('E.input', inp), ('I.input', inp)],
                         progress_bar=False)
    runner.run(duration)
    return tuple(float(np.asarray(runner.mon[k]).mean()) * 1000. / bm.get_dt() for k in ('E.spike', 'I.spike'))


if __name__ == '__main__':
    e, i = run()
    print(f"E {e:.1f} Hz, I {i:.1f} Hz")
