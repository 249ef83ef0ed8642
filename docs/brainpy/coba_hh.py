"""BrainPy's COBA-HH benchmark (Brette et al. 2007, benchmark 3), BrainPy 2.4 style, on brainbatch.

4000 Hodgkin-Huxley neurons (Traub-Miles kinetics, written in the script with ``bp.JointEq`` and
rate functions with removable singularities) in a ``bp.dyn.NeuDyn`` subclass whose update sums its
projection inputs (``self.sum_inputs(V)``); two ``bp.Projection`` subclasses wrap a
``bp.dyn.ProjAlignPostMg1`` (``bp.dnn.EventCSRLinear`` synapses with probability 80/4000,
``bp.dyn.Expon.desc(post.num, tau=...)`` with the size positional, ``bp.dyn.COBA.desc``), fed by the
network's own ``update`` with slices of the spikes. No external input: the activity sustains itself.
Only the imports differ from BrainPy.

    python docs/brainpy/coba_hh.py
"""
import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

Cm = 200  # Membrane Capacitance [pF]
gl = 10.  # Leak Conductance   [nS]
g_Na = 20. * 1000
g_Kd = 6. * 1000  # K Conductance      [nS]
El = -60.  # Resting Potential [mV]
ENa = 50.  # reversal potential (Sodium) [mV]
EK = -90.  # reversal potential (Potassium) [mV]
VT = -63.
V_th = -20.
taue = 5.  # Excitatory synaptic time constant [ms]
taui = 10.  # Inhibitory synaptic time constant [ms]
Ee = 0.  # Excitatory reversal potential (mV)
Ei = -80.  # Inhibitory reversal potential (Potassium) [mV]
we = 6.  # excitatory synaptic conductance [nS]
wi = 67.  # inhibitory synaptic conductance [nS]


class HH(bp.dyn.NeuDyn):
    def __init__(self, size, method='exp_auto'):
        super(HH, self).__init__(size)
        self.V = bm.Variable(El + (bm.random.randn(self.num) * 5 - 5))
        self.m = bm.Variable(bm.zeros(self.num))
        self.n = bm.Variable(bm.zeros(self.num))
        self.h = bm.Variable(bm.zeros(self.num))
        self.spike = bm.Variable(bm.zeros(self.num, dtype=bool))
        self.integral = bp.odeint(bp.JointEq([self.dV, self.dm, self.dh, self.dn]), method=method)

    def dV(self, V, t, m, h, n, Isyn):
        gna = g_Na * (m * m * m) * h
        gkd = g_Kd * (n * n * n * n)
        return (-gl * (V - El) - gna * (V - ENa) - gkd * (V - EK) + Isyn) / Cm

    def dm(self, m, t, V):
        m_alpha = 0.32 * (13 - V + VT) / (bm.exp((13 - V + VT) / 4) - 1.)
        m_beta = 0.28 * (V - VT - 40) / (bm.exp((V - VT - 40) / 5) - 1)
        return m_alpha * (1 - m) - m_beta * m

    def dh(self, h, t, V):
        h_alpha = 0.128 * bm.exp((17 - V + VT) / 18)
        h_beta = 4. / (1 + bm.exp(-(V - VT - 40) / 5))
        return h_alpha * (1 - h) - h_beta * h

    def dn(self, n, t, V):
        c = 15 - V + VT
        n_alpha = 0.032 * c / (bm.exp(c / 5) - 1.)
        n_beta = .5 * bm.exp((10 - V + VT) / 40)
        return n_alpha * (1 - n) - n_beta * n

    def update(self, inp=0.):
        inp = self.sum_inputs(self.V.value, init=inp)  # sum projection inputs
        V, m, h, n = self.integral(self.V, self.m, self.h, self.n, bp.share['t'], Isyn=inp, dt=bp.share['dt'])
        self.spike.value = bm.logical_and(self.V < V_th, V >= V_th)
        self.m.value = m
        self.h.value = h
        self.n.value = n
        self.V.value = V
        return self.spike.value


class Exponential(bp.Projection):
    def __init__(self, num_pre, post, prob, g_max, tau, E):
        super().__init__()
        self.proj = bp.dyn.ProjAlignPostMg1(
            comm=bp.dnn.EventCSRLinear(bp.conn.FixedProb(prob, pre=num_pre, post=post.num), g_max),
            syn=bp.dyn.Expon.desc(post.num, tau=tau),
            out=bp.dyn.COBA.desc(E=E),
            post=post
        )

    def update(self, spk):
        self.proj.update(spk)


class COBA_HH_Net(bp.DynSysGroup):
    def __init__(self, scale=1., method='exp_auto', w_scale=1.):
        super(COBA_HH_Net, self).__init__()
        self.num_exc = int(3200 * scale)
        self.num_inh = int(800 * scale)
        self.num = self.num_exc + self.num_inh
        self.N = HH(self.num, method=method)
        self.E = Exponential(self.num_exc, self.N, prob=80 / self.num, g_max=we * w_scale, tau=taue, E=Ee)
        self.I = Exponential(self.num_inh, self.N, prob=80 / self.num, g_max=wi * w_scale, tau=taui, E=Ei)

    def update(self, *args, **kwargs):
        self.E(self.N.spike[:self.num_exc])
        self.I(self.N.spike[self.num_exc:])
        self.N()
        return self.N.spike.value


def run(duration=1000., w_scale=1., scale=1.):
    """Simulate ``duration`` ms; returns the (step, neuron) spikes."""
    net = COBA_HH_Net(scale=scale, w_scale=w_scale)
    indices = bm.arange(int(duration / bm.get_dt()))
    return bm.for_loop(net.step_run, indices, progress_bar=False)


if __name__ == '__main__':
    spikes = run()
    print(f'rate {float(spikes.mean()) * 1000. / bm.get_dt():.1f} Hz')
