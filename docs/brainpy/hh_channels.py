"""BrainPy's channel-based Hodgkin-Huxley model (``examples/dynamics_simulation/hh_model.py``) and a
small E/I network of the same neurons.

``bp.dyn.CondNeuGroup`` / ``bp.dyn.CondNeuGroupLTC`` subclasses assembled from ``bp.channels.INa_HH1952``,
``IK_HH1952`` and ``IL``, driven by ``bp.inputs.section_input`` (0, 5, 0 for 100, 500, 100 ms) through
``DSRunner(inputs=[hh.input, I, 'iter'])`` and monitored at ``'V'``, ``'INa.p'``, ``'INa.q'``, ``'IK.p'``.
``network()`` couples 320 excitatory and 80 inhibitory such neurons with ``bp.dyn.FullProjAlignPost``
(``bp.dnn.EventJitFPHomoLinear``, ``bp.dyn.Expon``, ``bp.dyn.COBA``). Only the imports differ from BrainPy; the numbers it must give are in
docs/brainpy/README.md.

    python docs/brainpy/hh_channels.py
"""
import numpy as np

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm


class HH(bp.dyn.CondNeuGroup):
    def __init__(self, size):
        super().__init__(size)

        self.INa = bp.channels.INa_HH1952(size)
        self.IK = bp.channels.IK_HH1952(size)
        self.IL = bp.channels.IL(size, E=-54.387, g_max=0.03)


class HHLTC(bp.dyn.CondNeuGroupLTC):
    def __init__(self, size):
        super().__init__(size)

        self.INa = bp.channels.INa_HH1952(size)
        self.IK = bp.channels.IK_HH1952(size)
        self.IL = bp.channels.IL(size, E=-54.387, g_max=0.03)


def single_neuron(cls=HH, progress_bar=True):
    hh = cls(1)
    I, length = bp.inputs.section_input(values=[0, 5, 0], durations=[100, 500, 100], return_length=True)
    runner = bp.DSRunner(hh, monitors=['V', 'spike', 'INa.p', 'INa.q', 'IK.p'], inputs=[hh.input, I, 'iter'],
                         progress_bar=progress_bar)
    runner.run(length)
    return runner.mon


class HHNet(bp.DynSysGroup):
    def __init__(self, ne=320, ni=80):
        super().__init__()
        self.E, self.I = HH(ne), HH(ni)

        def proj(pre, post, n_pre, n_post, w, tau, E):
            return bp.dyn.FullProjAlignPost(pre=pre, delay=None,
                                            comm=bp.dnn.EventJitFPHomoLinear(n_pre, n_post, prob=0.1, weight=w),
                                            syn=bp.dyn.Expon(size=n_post, tau=tau), out=bp.dyn.COBA(E=E), post=post)

        self.E2E, self.E2I = proj(self.E, self.E, ne, ne, 0.03, 5., 0.), proj(self.E, self.I, ne, ni, 0.03, 5., 0.)
        self.I2E, self.I2I = proj(self.I, self.E, ni, ne, 0.3, 10., -80.), proj(self.I, self.I, ni, ni, 0.3, 10., -80.)


def network(duration=300., progress_bar=True):
    net = HHNet()
    runner = bp.DSRunner(net, monitors=['E.spike', 'I.spike'], inputs=[('E.input', 4.), ('I.input', 4.)],
                         progress_bar=progress_bar)
    runner.run(duration)
    return runner.mon


if __name__ == '__main__':
    mon = single_neuron()
    print(f"one neuron: {int(np.asarray(mon['spike']).sum())} spikes in {float(mon.ts[-1]) + bm.get_dt():.0f} ms")
    mon = network()
    e, i = np.asarray(mon['E.spike'])[1000:], np.asarray(mon['I.spike'])[1000:]
    print(f"network, 100-300 ms: E {e.mean() * 1e4:.1f} Hz, I {i.mean() * 1e4:.1f} Hz")
