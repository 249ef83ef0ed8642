"""BrainPy's ei_nets example, ``model1``: one LIF population, a ``bp.VarDelay`` of its spikes and two
``bp.dyn.HalfProjAlignPost`` projections that the network's own ``update`` feeds with slices of them.

4000 ``bp.dyn.LifRefLTC`` neurons (the first 3200 excitatory), random synapses with probability 0.02
(``bp.dnn.EventJitFPHomoLinear``), exponential conductances, input 20; stepped with ``bm.for_loop``.
Only the imports differ from BrainPy.

    python docs/brainpy/ei_half_proj.py
"""
import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm


class EINet(bp.DynSysGroup):
    def __init__(self):
        super().__init__()
        self.N = bp.dyn.LifRefLTC(4000, V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.,
                                  V_initializer=bp.init.Normal(-55., 2.))
        self.delay = bp.VarDelay(self.N.spike, entries={'I': None})
        self.E = bp.dyn.HalfProjAlignPost(comm=bp.dnn.EventJitFPHomoLinear(3200, 4000, prob=0.02, weight=0.6),
                                          syn=bp.dyn.Expon(size=4000, tau=5.),
                                          out=bp.dyn.COBA(E=0.),
                                          post=self.N)
        self.I = bp.dyn.HalfProjAlignPost(comm=bp.dnn.EventJitFPHomoLinear(800, 4000, prob=0.02, weight=6.7),
                                          syn=bp.dyn.Expon(size=4000, tau=10.),
                                          out=bp.dyn.COBA(E=-80.),
                                          post=self.N)

    def update(self, input):
        spk = self.delay.at('I')
        self.E(spk[:3200])
        self.I(spk[3200:])
        self.delay(self.N(input))
        return self.N.spike.value


def run(n_steps=1000):
    """Step the network ``n_steps`` times with input 20; returns the (step, neuron) spikes."""
    model = EINet()
    indices = bm.arange(n_steps)
    return bm.for_loop(lambda i: model.step_run(i, 20.), indices)


if __name__ == '__main__':
    spks = run()
    print(f'rate {float(spks[:, :3200].mean()) * 1000. / bm.get_dt():.1f} Hz')
    bp.visualize.raster_plot(bm.arange(spks.shape[0]) * bm.get_dt(), spks, show=True)
