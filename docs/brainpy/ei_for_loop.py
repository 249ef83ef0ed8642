"""BrainPy's ei_nets example, ``model2``: an E/I network stepped with ``bm.for_loop`` (no runner).

BrainPy 2.4 style: ``bp.DynSysGroup`` with ``bp.dyn.LifRefLTC`` groups, ``bp.dyn.FullProjAlignPost``
projections (random synapses from ``bp.dnn.EventJitFPHomoLinear``, exponential synapses, COBA outputs,
0.1 ms delay), and an ``update(self, inp)`` that calls the projections, then the groups, and returns
the excitatory spikes. ``bm.for_loop`` finds the model by itself and stacks the returned spikes.
Only the imports differ from BrainPy.

    python docs/brainpy/ei_for_loop.py
"""
import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm


class EINet(bp.DynSysGroup):
    def __init__(self):
        super().__init__()
        ne, ni = 3200, 800
        cell = dict(V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.,
                    V_initializer=bp.init.Normal(-55., 2.))
        self.E = bp.dyn.LifRefLTC(ne, **cell)
        self.I = bp.dyn.LifRefLTC(ni, **cell)

        def projection(pre, post, n_pre, n_post, weight, tau, reversal):
            return bp.dyn.FullProjAlignPost(pre=pre, delay=0.1,
                                            comm=bp.dnn.EventJitFPHomoLinear(n_pre, n_post, prob=0.02, weight=weight),
                                            syn=bp.dyn.Expon(size=n_post, tau=tau),
                                            out=bp.dyn.COBA(E=reversal),
                                            post=post)

        self.E2E = projection(self.E, self.E, ne, ne, 0.6, 5., 0.)
        self.E2I = projection(self.E, self.I, ne, ni, 0.6, 5., 0.)
        self.I2E = projection(self.I, self.E, ni, ne, 6.7, 10., -80.)
        self.I2I = projection(self.I, self.I, ni, ni, 6.7, 10., -80.)

    def update(self, inp):
        self.E2E()
        self.E2I()
        self.I2E()
        self.I2I()
        self.E(inp)
        self.I(inp)
        return self.E.spike


def run(n_steps=1000):
    """Step the network ``n_steps`` times with input 20; returns the (step, neuron) excitatory spikes."""
    model = EINet()
    indices = bm.arange(n_steps)
    return bm.for_loop(lambda i: model.step_run(i, 20.), indices)


if __name__ == '__main__':
    spks = run()
    print(f'E rate {float(spks.mean()) * 1000. / bm.get_dt():.1f} Hz')
    bp.visualize.raster_plot(bm.arange(spks.shape[0]) * bm.get_dt(), spks, show=True)
