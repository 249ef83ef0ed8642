"""Wang & Buzsáki (1996) gamma oscillation, BrainPy 2.x style, on brainbatch.

100 interneurons (HH-type, m at its steady state, written with ``bp.JointEq`` and rate functions with
removable singularities) coupled all-to-all by a hand-written GABA_A synapse, a ``bp.synapses.TwoEndConn``
subclass that reads ``self.conn.require('conn_mat')`` and writes ``self.post.input -= ...`` in its
``update``; random initial V set by hand (``neu.V[:] = ...``) before the run; constant input 1.
Only the imports differ from BrainPy.

    python docs/brainpy/wang_buzsaki_gamma.py
"""
import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

bm.set_dt(0.05)


class GABAa(bp.synapses.TwoEndConn):
    def __init__(self, pre, post, conn, g_max=0.1, E=-75., alpha=12., beta=0.1, T=1.0, T_duration=1.0,
                 method='exp_auto'):
        super(GABAa, self).__init__(pre=pre, post=post, conn=conn)
        self.check_pre_attrs('spike', 't_last_spike')
        self.check_post_attrs('input', 'V')
        self.g_max = g_max
        self.E = E
        self.alpha = alpha
        self.beta = beta
        self.T = T
        self.T_duration = T_duration
        self.conn_mat = self.conn.require('conn_mat')
        self.s = bm.Variable(bm.zeros(self.conn_mat.shape))
        self.integral = bp.odeint(lambda s, t, TT: self.alpha * TT * (1 - s) - self.beta * s, method=method)

    def update(self):
        t, dt = bp.share['t'], bp.share['dt']
        TT = ((t - self.pre.t_last_spike) < self.T_duration) * self.T
        TT = TT.reshape((-1, 1)) * self.conn_mat
        self.s.value = self.integral(self.s, t, TT, dt)
        self.post.input -= self.g_max * bm.sum(self.s, axis=0) * (self.post.V - self.E)


class HH(bp.NeuGroup):
    def __init__(self, size, ENa=55., EK=-90., EL=-65, C=1.0, gNa=35., gK=9., gL=0.1, V_th=20., phi=5.0,
                 method='exp_auto'):
        super(HH, self).__init__(size=size)
        self.ENa, self.EK, self.EL, self.C = ENa, EK, EL, C
        self.gNa, self.gK, self.gL, self.V_th, self.phi = gNa, gK, gL, V_th, phi
        self.V = bm.Variable(bm.ones(size) * -65.)
        self.h = bm.Variable(bm.ones(size) * 0.6)
        self.n = bm.Variable(bm.ones(size) * 0.32)
        self.spike = bm.Variable(bm.zeros(size, dtype=bool))
        self.input = bm.Variable(bm.zeros(size))
        self.t_last_spike = bm.Variable(bm.ones(size) * -1e7)
        self.integral = bp.odeint(bp.JointEq([self.dV, self.dh, self.dn]), method=method)

    def dh(self, h, t, V):
        alpha = 0.07 * bm.exp(-(V + 58) / 20)
        beta = 1 / (bm.exp(-0.1 * (V + 28)) + 1)
        return self.phi * (alpha * (1 - h) - beta * h)

    def dn(self, n, t, V):
        alpha = -0.01 * (V + 34) / (bm.exp(-0.1 * (V + 34)) - 1)
        beta = 0.125 * bm.exp(-(V + 44) / 80)
        return self.phi * (alpha * (1 - n) - beta * n)

    def dV(self, V, t, h, n, Iext):
        m_alpha = -0.1 * (V + 35) / (bm.exp(-0.1 * (V + 35)) - 1)
        m_beta = 4 * bm.exp(-(V + 60) / 18)
        m = m_alpha / (m_alpha + m_beta)
        INa = self.gNa * m ** 3 * h * (V - self.ENa)
        IK = self.gK * n ** 4 * (V - self.EK)
        IL = self.gL * (V - self.EL)
        return (- INa - IK - IL + Iext) / self.C

    def update(self):
        t, dt = bp.share['t'], bp.share['dt']
        V, h, n = self.integral(self.V, self.h, self.n, t, self.input, dt)
        self.spike.value = bm.logical_and(self.V < self.V_th, V >= self.V_th)
        self.t_last_spike.value = bm.where(self.spike, t, self.t_last_spike)
        self.V.value = V
        self.h.value = h
        self.n.value = n
        self.input[:] = 0.


def run(duration=500., num=100, g_total=0.1):
    """Simulate ``duration`` ms; returns the runner's monitors (``neu.spike``, ``neu.V``)."""
    neu = HH(num)
    neu.V[:] = -70. + bm.random.normal(size=num) * 20
    syn = GABAa(pre=neu, post=neu, conn=bp.connect.All2All(include_self=False))
    syn.g_max = g_total / num
    net = bp.Network(neu=neu, syn=syn)
    runner = bp.DSRunner(net, monitors=['neu.spike', 'neu.V'], inputs=['neu.input', 1.], progress_bar=False)
    runner.run(duration=duration)
    return runner.mon


if __name__ == '__main__':
    mon = run()
    print(f"rate {mon['neu.spike'].mean() * 1000 / bm.get_dt():.1f} Hz")
    bp.visualize.raster_plot(mon.ts, mon['neu.spike'], show=True)
