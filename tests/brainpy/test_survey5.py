"""Survey 5 of BrainPy's own examples (group views, jitconn, integrator objects, collectors).

BrainPy's "EI_net_with_1m_neurons" notebook (brainpy/examples, large_scale_modeling/) annotates its synapse's
``output: bp.SynOut = bp.synouts.CUBA()``: ``bp.SynOut`` was refused by name, so the notebook stopped at its
class statement. Reference: BrainPy 2.8.2 (jax 0.10.2, CPU), the notebook's ``Exponential`` and ``EINet``
verbatim at scale 0.1 (320 + 80 neurons, ``bm.set(dt=0.4)``, ``DSRunner(inputs=('N.input', 20.))``) with two
changes that make both libraries deterministic: ``bm.jitconn.event_mv_prob_homo`` replaced by a product with
fixed 0/1 matrices, and ``V_initializer`` by a fixed array (both from ``np.random.RandomState(7)``, below).
BrainPy then spikes exactly as brainbatch over 125 steps (3692 spikes; at scale 1, 4000 neurons, 250 steps,
too): the views as ``pre``, ``register_delay(f"{self.pre.name}.spike", None, self.pre.spike)``, the integral
and ``self.output(self.g)`` are BrainPy's step for step.
"""
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

# BrainPy 2.8.2, the script above: spikes in each of the first 50 steps (dt 0.4 ms)
BP282_SPIKES_PER_STEP = [1, 10, 69, 127, 108, 34, 18, 13, 4, 2, 0, 2, 0, 0, 4, 31, 75, 62, 86, 63, 38, 24, 9, 3, 1,
                         2, 0, 4, 24, 59, 48, 30, 85, 60, 46, 26, 9, 6, 1, 2, 3, 22, 52, 34, 29, 24, 83, 62, 45, 25]


def _fixed_setup(scale):
    rs = np.random.RandomState(7)
    w_e = (rs.rand(int(3200 * scale), int(4000 * scale)) < 0.02).astype(np.float32)
    w_i = (rs.rand(int(800 * scale), int(4000 * scale)) < 0.02).astype(np.float32)
    v0 = (-55. + 2. * rs.randn(int(4000 * scale))).astype(np.float32)
    return {123: bm.asarray(w_e), 12345: bm.asarray(w_i)}, v0


def _ei_net(scale):
    weights, v0 = _fixed_setup(scale)

    def event_product(s, value, conn_prob, shape, seed, transpose):  # stands for bm.jitconn.event_mv_prob_homo
        return (bm.asarray(s, dtype=bm.float32) @ weights[seed]) * value

    class Exponential(bp.synapses.TwoEndConn):  # the notebook's class, its jitconn call swapped
        def __init__(self, pre: bp.NeuGroup, post: bp.NeuGroup, output: bp.SynOut = bp.synouts.CUBA(),
                     g_max_par=None, delay_step=None, tau=8.0, method: str = 'exp_auto', name: str = None,
                     mode: bm.Mode = None):
            super().__init__(pre, post, None, output=output, name=name, mode=mode)
            self.tau = tau
            self.g_max_par = g_max_par
            self.g = bp.init.variable_(bm.zeros, self.post.num, self.mode)
            self.delay_step = self.register_delay(f"{self.pre.name}.spike", delay_step, self.pre.spike)
            self.integral = bp.odeint(lambda g, t: -g / self.tau, method=method)

        def reset_state(self, batch_size=None):
            self.g.value = bp.init.variable_(bm.zeros, self.post.num, batch_size)

        def update(self):
            t = bp.share.load('t')
            dt = bp.share.load('dt')
            pre_spike = self.get_delay_data(f"{self.pre.name}.spike", self.delay_step)
            post_vs = event_product(pre_spike, self.g_max_par['value'], conn_prob=self.g_max_par['prob'],
                                    shape=(self.pre.num, self.post.num), seed=self.g_max_par['seed'],
                                    transpose=True)
            self.g.value = self.integral(self.g.value, t, dt) + post_vs
            return self.output(self.g)

    class EINet(bp.DynSysGroup):
        def __init__(self, scale=1.0, method='exp_auto'):
            super().__init__()
            num_exc = int(3200 * scale)
            pars = dict(V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.,
                        V_initializer=lambda shape, *args, **kwargs: bm.asarray(v0))
            self.N = bp.neurons.LIF(int(4000 * scale), **pars, method=method)
            self.E = Exponential(self.N[:num_exc], self.N,
                                 g_max_par=dict(type='homo', value=0.6 / scale, prob=0.02, seed=123),
                                 tau=5., method=method, output=bp.synouts.COBA(E=0.))
            self.I = Exponential(self.N[num_exc:], self.N,
                                 g_max_par=dict(type='homo', value=6.7 / scale, prob=0.02, seed=12345),
                                 tau=10., method=method, output=bp.synouts.COBA(E=-80.))

    return EINet(scale=scale)


def test_ei_net_with_1m_neurons_spikes_as_brainpy():
    old_dt = bm.get_dt()
    bm.set(dt=0.4)
    try:
        net = _ei_net(0.1)
        runner = bp.DSRunner(net, monitors=['N.spike'], inputs=('N.input', 20.), memory_efficient=True,
                             progress_bar=False)
        runner.run(20.)
    finally:
        bm.set_dt(old_dt)
    spikes = np.asarray(runner.mon['N.spike'])
    assert spikes.shape == (50, 400)
    assert spikes.sum(1).tolist() == BP282_SPIKES_PER_STEP


def test_synout_is_the_base_of_the_outputs_and_refuses_a_custom_one():
    assert isinstance(bp.synouts.COBA(E=0.), bp.SynOut)
    assert isinstance(bp.synouts.CUBA(), bp.SynOut)
    assert isinstance(bp.synouts.MgBlock(), bp.SynOut)
    assert not isinstance(1.0, bp.SynOut)
    with pytest.raises(TypeError, match=r"MyOut\(bp.SynOut\): a custom output class is not supported"):
        class MyOut(bp.SynOut):
            pass
