"""BrainPy's COBA example (examples/dynamics_simulation/COBA.py, ``EINet`` and ``run2``) on brainbatch.

The model code is BrainPy 2.3's; only the two imports below differ from a BrainPy script. 4000 LIF
neurons (3200 excitatory, 800 inhibitory) with exponential conductance synapses, each pair connected
with probability 0.02, a constant input of 20 to every neuron; the excitatory rate is 21.3 +- 1.3 Hz
over ``bm.random.seed(0..7)`` (BrainPy 2.8.2: 21.25 +- 0.39 Hz over the same seeds; Brian2: 21.8 +- 1.1 Hz
over seeds); seed 0 gives 23.4 Hz.

    python docs/brainpy/coba.py            # 1 s, prints the rate and draws the raster
"""
import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm


class EINet(bp.Network):
    def __init__(self, scale=1.0, method='exp_auto'):
        n_exc, n_inh = int(3200 * scale), int(800 * scale)
        cell = dict(V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.,
                    V_initializer=bp.init.Normal(-55., 2.))
        E = bp.neurons.LIF(n_exc, **cell, method=method)
        I = bp.neurons.LIF(n_inh, **cell, method=method)

        def synapse(pre, post, weight, tau, reversal):
            return bp.synapses.Exponential(pre, post, bp.conn.FixedProb(prob=0.02), g_max=weight, tau=tau,
                                           method=method, output=bp.synouts.COBA(E=reversal))

        we, wi = 0.6 / scale, 6.7 / scale  # excitatory and inhibitory weights
        E2E, E2I = synapse(E, E, we, 5., 0.), synapse(E, I, we, 5., 0.)
        I2E, I2I = synapse(I, E, wi, 10., -80.), synapse(I, I, wi, 10., -80.)
        super().__init__(E2E, E2I, I2E, I2I, E=E, I=I)


def run(duration=1000., progress_bar=True):
    """Simulate ``duration`` ms; returns the runner's monitors and the excitatory rate in Hz."""
    net = EINet()
    runner = bp.DSRunner(net, monitors=['E.spike'], inputs=[('E.input', 20.), ('I.input', 20.)],
                         progress_bar=progress_bar)
    seconds, mon = runner.run(duration, eval_time=True)
    rate = mon['E.spike'].mean() * 1000. / bm.get_dt()
    return mon, float(rate), seconds


if __name__ == '__main__':
    mon, rate, seconds = run()
    print(f'E rate {rate:.1f} Hz, run took {seconds:.2f} s')
    bp.visualize.raster_plot(mon.ts, mon['E.spike'], show=True)
