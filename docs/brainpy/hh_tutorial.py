"""BrainPy's "customizing neuron models" tutorial: a Hodgkin-Huxley group written by hand.

BrainPy 2.2/2.3 style: a ``bp.NeuGroup`` subclass with Variables made in ``__init__``, one
``bp.odeint`` per state variable (``'exp_auto'``), and ``update(self, tdi, x=None)`` reading the time
and step from ``tdi``. Only the imports differ from the BrainPy tutorial. With a constant input of
22 (uA/cm^2) every neuron fires regularly, at the rate of brainbatch's own ``HH``.

    python docs/brainpy/hh_tutorial.py
"""
import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm


class HH(bp.NeuGroup):
    def __init__(self, size, ENa=50., gNa=120., EK=-77., gK=36., EL=-54.387, gL=0.03, V_th=20., C=1.0,
                 **kwargs):
        super(HH, self).__init__(size=size, **kwargs)
        self.ENa, self.EK, self.EL = ENa, EK, EL
        self.gNa, self.gK, self.gL = gNa, gK, gL
        self.C, self.V_th = C, V_th

        # state, drawn when the group is built
        self.V = bm.Variable(bm.random.randn(self.num) - 70.)
        self.m = bm.Variable(0.5 * bm.ones(self.num))
        self.h = bm.Variable(0.6 * bm.ones(self.num))
        self.n = bm.Variable(0.32 * bm.ones(self.num))
        self.input = bm.Variable(bm.zeros(self.num))
        self.spike = bm.Variable(bm.zeros(self.num, dtype=bool))
        self.t_last_spike = bm.Variable(bm.ones(self.num) * -1e7)

        # one integral per variable
        self.int_V = bp.odeint(f=self.dV, method='exp_auto')
        self.int_m = bp.odeint(f=self.dm, method='exp_auto')
        self.int_h = bp.odeint(f=self.dh, method='exp_auto')
        self.int_n = bp.odeint(f=self.dn, method='exp_auto')

    def dV(self, V, t, m, h, n, Iext):
        I_Na = (self.gNa * m ** 3.0 * h) * (V - self.ENa)
        I_K = (self.gK * n ** 4.0) * (V - self.EK)
        I_leak = self.gL * (V - self.EL)
        return (-I_Na - I_K - I_leak + Iext) / self.C

    def dm(self, m, t, V):
        alpha = 0.1 * (V + 40) / (1 - bm.exp(-(V + 40) / 10))
        beta = 4.0 * bm.exp(-(V + 65) / 18)
        return alpha * (1 - m) - beta * m

    def dh(self, h, t, V):
        alpha = 0.07 * bm.exp(-(V + 65) / 20.)
        beta = 1 / (1 + bm.exp(-(V + 35) / 10))
        return alpha * (1 - h) - beta * h

    def dn(self, n, t, V):
        alpha = 0.01 * (V + 55) / (1 - bm.exp(-(V + 55) / 10))
        beta = 0.125 * bm.exp(-(V + 65) / 80)
        return alpha * (1 - n) - beta * n

    def update(self, tdi, x=None):
        t, dt = tdi.t, tdi.dt
        V = self.int_V(self.V, t, self.m, self.h, self.n, self.input, dt=dt)
        self.h.value = self.int_h(self.h, t, self.V, dt=dt)
        self.m.value = self.int_m(self.m, t, self.V, dt=dt)
        self.n.value = self.int_n(self.n, t, self.V, dt=dt)
        # a spike is an upward crossing of V_th within the step
        self.spike.value = bm.logical_and(self.V < self.V_th, V >= self.V_th)
        self.t_last_spike.value = bm.where(self.spike, t, self.t_last_spike)
        self.V.value = V
        self.input[:] = 0.


def run(duration=200., num=10, progress_bar=True):
    """Simulate ``num`` neurons with a constant input of 22; returns the runner's monitors."""
    neu = HH(num)
    runner = bp.DSRunner(neu, monitors=['V', 'spike'], inputs=('input', 22.), progress_bar=progress_bar)
    runner.run(duration)
    return runner.mon


if __name__ == '__main__':
    mon = run()
    print('spikes per neuron:', mon['spike'].sum(axis=0))
    bp.visualize.line_plot(mon.ts, mon.V, show=True)
