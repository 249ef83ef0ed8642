"""BrainPy's own examples and tutorials run by their imports (session 34): what they showed.

References are BrainPy 2.8.2's numbers for the same scripts (its ``brainpy`` imports in place of these), or
BrainPy's formulas read from its source (``brainpy/integrators/sde/normal.py``, ``ExponentialEuler``).
"""
from __future__ import annotations

import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm


# --- BrainPy's SDE tutorial: bp.sdeint(..., method='exp_euler') was refused ("use one of euler, heun, milstein")

def _lorenz(p: float) -> object:
    sigma, beta, rho = 10., 8. / 3., 28.
    dx = lambda x, t, y: sigma * (y - x)  # noqa: E731
    dy = lambda y, t, x, z: x * (rho - z) - y  # noqa: E731
    dz = lambda z, t, x, y: x * y - beta * z  # noqa: E731
    return bp.sdeint(f=bp.JointEq(dx, dy, dz), g=lambda x, y, z, t: (p * x, p * y, p * z),
                     intg_type=bp.integrators.ITO_SDE, wiener_type=bp.integrators.SCALAR_WIENER, method='exp_euler')


def test_sde_exp_euler_drift_is_brainpys():
    # the tutorial's stochastic Lorenz system with its noise set to 0: BrainPy 2.8.2 gives, after 100 steps of
    # 0.001 from (1, 1, 1), x, y, z = 2.1128237, 1.0259873... (the first recorded step) and at step 100 below
    runner = bp.IntegratorRunner(_lorenz(0.), monitors=['x', 'y', 'z'], inits=[1., 1., 1.], dt=0.001,
                                 progress_bar=False)
    runner.run(0.1)
    got = [float(np.asarray(runner.mon[k])[99, 0]) for k in 'xyz']
    np.testing.assert_allclose(got, [2.112823724746704, 4.436871528625488, 1.1059660911560059], rtol=2e-5)
    assert type(_lorenz(0.1)).__name__ == 'ExponentialEuler' and isinstance(_lorenz(0.1), bp.sde.SDEIntegrator)


def test_sde_exp_euler_one_step_law():
    # BrainPy: x + dt phi(dt A) f(x) + g dW, phi(z) = (e^z - 1) / z: for dx = -x / tau dt + s dW from x = 1, one step
    # of dt = 1 at tau = 2 has mean exp(-1/2) (Euler's 1/2) and standard deviation s sqrt(dt)
    intg = bp.sdeint(lambda x, t, tau: -x / tau, lambda x, t, tau: 0.5, method='exponential_euler')
    out = np.asarray(bm.jit(lambda x: intg(x, 0., 2., dt=1.))(bm.ones(20000)))
    assert abs(out.mean() - np.exp(-0.5)) < 5 * 0.5 / np.sqrt(20000)
    assert abs(out.std() - 0.5) < 0.02
    quiet = bp.sde.ExponentialEuler(lambda x, t: -x / 2., lambda x, t: 0. * x)
    assert float(bm.jit(lambda x: quiet(x, 0., dt=1.))(1.)) == pytest.approx(np.exp(-0.5), rel=1e-6)


def test_sde_exp_euler_refuses_stratonovich_and_names_the_way():
    with pytest.raises(ValueError, match="Ito SDEs only.*'heun'"):
        bp.sdeint(lambda x, t: -x, lambda x, t: x, method='exp_euler', intg_type=bp.integrators.STRA_SDE)
    bp.integrators.set_default_sdeint('exp_auto')  # BrainPy's other name, accepted as there
    try:
        assert type(bp.sdeint(lambda x, t: -x, lambda x, t: 0. * x)).__name__ == 'ExponentialEuler'
    finally:
        bp.integrators.set_default_sdeint('euler')


# --- Susin & Destexhe (2021) gamma networks: a hand-written AdEx whose ge, gi are jumped by bp.synapses.Delta
# (output=CUBA(target_var='ge')), gated by post_ref_key='refractory'. The same small network (our own words, the
# example's structure) in BrainPy 2.8.2 spikes at exactly these steps and neurons.

class _AdEx(bp.dyn.NeuDyn):
    def __init__(self, size, V0, Vth, delta, tau_ref, tau_w, a, b):
        super().__init__(size=size)
        self.Vth, self.delta, self.tau_ref, self.tau_w, self.a, self.b = Vth, delta, tau_ref, tau_w, a, b
        self.V = bm.Variable(bm.asarray(V0))
        self.w = bm.Variable(bm.zeros(self.num))
        self.spike = bm.Variable(self.num, dtype=bool)
        self.refractory = bm.Variable(self.num, dtype=bool)
        self.t_last_spike = bm.Variable(bm.ones(self.num) * -1e8)
        self.ge = bm.Variable(self.num)
        self.gi = bm.Variable(self.num)
        self.integral = bp.odeint(bp.JointEq(self.dV, self.dw, self.dge, self.dgi), method='exp_euler')

    def dge(self, ge, t):
        return -ge / 5.

    def dgi(self, gi, t):
        return -gi / 5.

    def dV(self, V, t, w, ge, gi):
        current = ge * (0. - V) + gi * (-80. - V)
        return (10. * self.delta * bm.exp((V - self.Vth) / self.delta) - w + 10. * (-65. - V) + current) / 150.

    def dw(self, w, t, V):
        return (self.a * (V + 65.) - w) / self.tau_w

    def update(self):
        t = bp.share['t']
        V, w, ge, gi = self.integral(self.V.value, self.w.value, self.ge.value, self.gi.value, t, dt=bp.share['dt'])
        refractory = (t - self.t_last_spike) <= self.tau_ref
        V = bm.where(refractory, self.V.value, V)
        spike = V >= -40.
        self.V.value = bm.where(spike, -65., V)
        self.w.value = bm.where(spike, w + self.b, w)
        self.ge.value, self.gi.value = ge, gi
        self.spike.value = spike
        self.refractory.value = bm.logical_or(refractory, spike)
        self.t_last_spike.value = bm.where(spike, t, self.t_last_spike)


def test_adex_delta_conductance_jumps_spike_as_brainpy():
    rng = np.random.RandomState(1)
    ne, nr, nf = 12, 12, 4
    times = np.round(np.sort(rng.uniform(0, 20, 250)), 1)
    idx = rng.randint(0, ne, 250)
    mats = [rng.rand(a, b) < 0.3 for a, b in ((ne, nr), (ne, nf), (nr, nf), (nf, nr))]
    V0r, V0f = rng.uniform(-65, -50, nr), rng.uniform(-65, -50, nf)

    class Net(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.rs = _AdEx(nr, V0r, Vth=-50., delta=2., tau_ref=5., tau_w=500., a=4., b=20.)
            self.fs = _AdEx(nf, V0f, Vth=-50., delta=0.5, tau_ref=1., tau_w=50., a=80., b=150.)
            self.ext = bp.neurons.SpikeTimeGroup(ne, indices=idx, times=times)
            S, ge, gi = bp.synapses.Delta, bp.synouts.CUBA(target_var='ge'), bp.synouts.CUBA(target_var='gi')
            self.e2r = S(self.ext, self.rs, mats[0], output=ge, g_max=1.5, post_ref_key='refractory')
            self.e2f = S(self.ext, self.fs, mats[1], output=ge, g_max=1., post_ref_key='refractory')
            self.r2f = S(self.rs, self.fs, mats[2], output=ge, g_max=2., post_ref_key='refractory')
            self.f2r = S(self.fs, self.rs, mats[3], output=gi, g_max=6., post_ref_key='refractory')

    net = Net()
    runner = bp.DSRunner(net, monitors={'rs': net.rs.spike, 'fs': net.fs.spike, 'V': net.fs.V}, progress_bar=False)
    runner.run(20.)
    rs, fs = np.asarray(runner.mon['rs']), np.asarray(runner.mon['fs'])
    assert np.nonzero(rs)[0].tolist() == [32, 33, 34, 40, 45, 48, 53, 54, 96, 122, 135, 135, 137, 137, 146, 146, 156,
                                          176]
    assert np.nonzero(rs)[1].tolist() == [1, 0, 7, 5, 2, 10, 4, 6, 8, 1, 0, 7, 2, 11, 5, 10, 4, 6]
    assert np.nonzero(fs)[0].tolist() == [38, 40, 62, 78, 83, 123, 136, 146, 181]
    assert np.nonzero(fs)[1].tolist() == [0, 1, 2, 3, 1, 0, 1, 2, 1]
    np.testing.assert_allclose(np.asarray(runner.mon['V'])[-1],
                               [-52.967899322509766, -60.54142379760742, -57.079627990722656, -48.989601135253906],
                               atol=2e-3)
