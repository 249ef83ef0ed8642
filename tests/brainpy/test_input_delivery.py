"""BrainPy-layer synapses deliver into the neuron exactly once, in any attribute order (issue 20, items 1-2).

A source fires once, at step 0; every synapse below has a weight of 1 and no decay to speak of, so
from step 1 on the postsynaptic group receives 1 per step, and its summed input over the run counts
the deliveries. BrainPy 2.8.2 semantics: a 2.3-style synapse adds its output into ``post.input``
(``target_var='input'``), and a ``bp.Projection``/``TwoEndConn`` runs before the neuron groups.
"""
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

N_STEPS = 5


class Source(bp.NeuDyn):
    def __init__(self):
        super().__init__(1)
        self.spike = bm.Variable(bm.zeros(1, dtype=bool))

    def update(self):
        self.spike.value = jnp.full(1, bp.share['i'] == 0)


class Acc(bp.NeuDyn):
    """A custom group that reads only ``self.input`` (as BrainPy 2.3 tutorials write them)."""

    def __init__(self):
        super().__init__(1)
        self.V = bm.Variable(bm.zeros(1))
        self.input = bm.Variable(bm.zeros(1))
        self.got = bm.Variable(bm.zeros(1))

    def update(self):
        self.got.value = self.input.value
        self.V.value = self.V + self.input


def got(net):
    return bp.DSRunner(net, monitors=['post.got'], progress_bar=False).run(N_STEPS * 0.1)['post.got'][:, 0]


ARRIVES = [0.0, 1.0, 1.0, 1.0, 1.0]  # the spike of step 0 reaches the synapse in step 1


@pytest.mark.parametrize("syn_first", [True, False])
def test_a_23_style_synapse_reaches_a_custom_group_that_reads_self_input(syn_first):
    pre, post = Source(), Acc()
    syn = bp.synapses.Exponential(pre, post, bp.conn.All2All(), g_max=1.0, tau=1e9)
    net = bp.Network(syn=syn, pre=pre, post=post) if syn_first else bp.Network(pre=pre, post=post, syn=syn)
    np.testing.assert_allclose(got(net), ARRIVES, rtol=1e-6)


def test_a_23_style_coba_synapse_adds_g_times_driving_force_into_input():
    pre, post = Source(), Acc()
    post.V.value = bm.asarray([-60.0])
    syn = bp.synapses.Exponential(pre, post, bp.conn.All2All(), g_max=0.01, tau=1e9,
                                  output=bp.synouts.COBA(E=0.))
    g = got(bp.Network(pre=pre, post=post, syn=syn))
    assert g[0] == 0.0 and g[1] == pytest.approx(0.01 * 60.0, rel=1e-6)  # g (E - V) with V before the step


class Pulse(bp.TwoEndConn):
    """A hand-written BrainPy synapse: each presynaptic spike adds w to post.input for ever after."""

    def __init__(self, pre, post, conn, w=1.0):
        super().__init__(pre, post, conn)
        self.check_pre_attrs('spike')
        self.check_post_attrs('input')
        self.pre2post = self.conn.require('pre2post')
        self.w = w
        self.s = bm.Variable(bm.zeros(post.num))

    def update(self):
        self.s.value = self.s + bm.pre2post_event_sum(self.pre.spike, self.pre2post, self.post.num, self.w)
        self.post.input += self.s


@pytest.mark.parametrize("order", ["syn, pre, post", "pre, post, syn", "post, syn, pre"])
def test_a_custom_two_end_conn_delivers_in_the_same_step_in_any_attribute_order(order):
    pre, post = Source(), Acc()
    syn = Pulse(pre, post, bp.conn.All2All())
    parts = dict(pre=pre, post=post, syn=syn)
    net = bp.Network(**{k: parts[k] for k in order.split(", ")})
    np.testing.assert_allclose(got(net), ARRIVES)


def test_a_plain_dynamical_system_writing_after_the_group_counts_next_step_with_a_warning():
    class Late(bp.DynamicalSystem):  # not a Projection: a "dynamics" node, after post in attribute order
        def __init__(self, post):
            super().__init__()
            self._post = post

        def update(self):
            self._post.input += 1.0

    pre, post = Source(), Acc()
    net = bp.Network(pre=pre, post=post, late=Late(post))
    with pytest.warns(bb.LateInputWarning, match="next step"):
        out = got(net)
    np.testing.assert_allclose(out, [0.0, 1.0, 1.0, 1.0, 1.0])  # each write arrives once, one step later


def test_a_24_projection_onto_a_group_that_never_sums_its_inputs_is_an_error():
    pre, post = Source(), Acc()
    proj = bp.dyn.FullProjAlignPost(pre=pre, delay=None, comm=bp.dnn.CSRLinear(bp.conn.All2All(), 1.0),
                                    syn=bp.dyn.Expon.desc(1, tau=5.), out=bp.dyn.CUBA(), post=post)
    with pytest.raises(bb.InputNotReadError, match="sum_current_inputs"):
        got(bp.Network(pre=pre, post=post, proj=proj))


def test_the_same_synapse_onto_brainpy_lif_and_a_custom_group_gives_the_same_current():
    # bp.neurons.LIF reads input too: the delivered current is the same either way
    pre, lif = Source(), bp.neurons.LIF(1, V_rest=0., V_reset=0., V_th=1e9, tau=1e6, R=1.)
    syn = bp.synapses.Exponential(pre, lif, bp.conn.All2All(), g_max=1e6, tau=1e9)
    V = bp.DSRunner(bp.Network(pre=pre, post=lif, syn=syn), monitors=['post.V'],
                    progress_bar=False).run(N_STEPS * 0.1)['post.V'][:, 0]
    np.testing.assert_allclose(np.diff(V), [0.1] * (N_STEPS - 1), rtol=1e-4)  # R I dt / tau = 0.1 a step


def test_an_update_argument_outside_step_run_is_given_once_per_call():
    # BrainPy's monitor_per_multiple_steps tutorial calls N(x) itself in a for_loop body: x was added to the
    # group's input at every call and never cleared there, so the k-th call integrated k * x (365 Hz for 53)
    N = bp.dyn.LifRef(1, V_rest=-60., V_th=-50., V_reset=-60., tau=20., V_initializer=bp.init.Constant(-60.))

    def body(i):
        bp.share.save(i=i, t=i * bm.get_dt())
        N(20.)
        return N.V.value[0]

    V = np.asarray(bm.for_loop(body, np.arange(5)))
    # exponential Euler of tau dV/dt = -(V + 60) + 20 from -60
    np.testing.assert_allclose(V, [-40.0 - 20.0 * np.exp(-0.1 * k / 20.0) for k in range(1, 6)], rtol=0, atol=1e-4)
    assert float(N.input.value[0]) == 0.0



class Labelled(bp.NeuDyn):
    """Sums its AMPA and GABA inputs apart, as BrainPy 2.5+ groups do with ``label=``."""

    def __init__(self):
        super().__init__(1)
        self.V = bm.Variable(bm.zeros(1))
        self.ampa = bm.Variable(bm.zeros(1))
        self.gaba = bm.Variable(bm.zeros(1))

    def update(self):
        self.ampa.value = self.sum_current_inputs(self.V.value, label='AMPA')
        self.gaba.value = self.sum_current_inputs(self.V.value, label='GABA')


@pytest.mark.parametrize("cls", ["FullProjAlignPost", "FullProjAlignPostMg", "FullProjAlignPreDSMg"])
def test_out_label_registers_the_projections_current_under_its_label(cls):
    # out_label was accepted and dropped: the current went in unlabelled, so a label's sum never saw it
    pre, post = Source(), Labelled()
    make = getattr(bp.dyn, cls)

    def proj(weight, label):
        return make(pre=pre, delay=None, syn=bp.dyn.Expon.desc(1, tau=5.),
                    comm=bp.dnn.CSRLinear(bp.conn.All2All(), weight), out=bp.dyn.CUBA(), post=post, out_label=label)

    net = bp.Network(pre=pre, post=post, ampa=proj(1.0, 'AMPA'), gaba=proj(-3.0, 'GABA'))
    mon = bp.DSRunner(net, monitors=['post.ampa', 'post.gaba'], progress_bar=False).run(N_STEPS * 0.1)
    ampa, gaba = mon['post.ampa'][:, 0], mon['post.gaba'][:, 0]
    assert ampa[0] == 0.0 and ampa[1] > 0.0
    np.testing.assert_allclose(gaba, -3.0 * ampa, rtol=1e-6)


class _TakesX(bp.DynamicalSystem):
    """The core-concept notebook's LIF: update(x) takes the current it is given and never sums registered inputs."""

    def __init__(self, size):
        super().__init__()
        self.num = size
        self.V = bm.Variable(bm.ones(size) * -55.)
        self.spike = bm.Variable(bm.zeros(size, dtype=bool))
        self.integral = bp.odeint(f=lambda V, t, I: (-V - 55. + I) / 20., method='exp_auto')

    def update(self, x):
        V = self.integral(self.V, bp.share.load('t'), x, dt=bp.share.load('dt'))
        self.spike.value = V >= -50.
        self.V.value = bm.where(self.spike, -55., V)
        return self.spike.value


def _half(num_pre, post, g_max, tau):
    return bp.dyn.ProjAlignPostMg1(comm=bp.dnn.EventCSRLinear(bp.conn.FixedProb(0.02, pre=num_pre, post=post.num,
                                                                                  seed=1), g_max),
                                   syn=bp.dyn.Expon.desc(post.num, tau=tau), out=bp.dyn.CUBA.desc(), post=post)


def test_a_group_fed_what_half_projections_return_runs_as_in_brainpy_with_a_warning():
    """BrainPy's core-concept notebook: its LIF takes what the half projections return (comm(x)) through update(x)
    and never sums the inputs they register, which BrainPy drops; here that was an InputNotReadError. BrainPy 2.8.2's
    rates: tests/brainpy/reference/core_concept_einet_bp282.py."""
    class EINet(bp.DynamicalSystem):
        def __init__(self):
            super().__init__()
            self.E, self.I = _TakesX(3200), _TakesX(800)
            self.E2E, self.E2I = _half(3200, self.E, 1.62, 5.), _half(3200, self.I, 1.62, 5.)
            self.I2E, self.I2I = _half(800, self.E, -9.0, 10.), _half(800, self.I, -9.0, 10.)

        def update(self, x):
            e2e, e2i = self.E2E(self.E.spike), self.E2I(self.E.spike)
            i2e, i2i = self.I2E(self.I.spike), self.I2I(self.I.spike)
            self.E(e2e + i2e + x)
            self.I(e2i + i2i + x)

    with bm.environment(dt=0.1):
        net = EINet()
        with pytest.warns(bb.UnreadInputWarning, match="registered inputs are dropped, as in BrainPy"):
            mon = bp.DSRunner(net, monitors={'E': net.E.spike, 'I': net.I.spike},
                              progress_bar=False).run(inputs=bm.ones(1000) * 20.)
    # BrainPy 2.8.2: 0.0160625 and 0.01606875 spikes per neuron and step (float32 rounding moves single spikes)
    np.testing.assert_allclose([np.asarray(mon['E']).mean(), np.asarray(mon['I']).mean()], [0.0160625, 0.01606875],
                               rtol=0.01)


def test_a_half_projection_returns_what_its_comm_sends():
    # BrainPy 2.8.2's HalfProjAlignPost.update returns comm(x), not the synapse's g (it returned g here)
    post = bp.dyn.Lif(2)
    proj = bp.dyn.HalfProjAlignPost(bp.dnn.AllToAll(2, 2, 0.5), bp.dyn.Expon(2, tau=5.), bp.dyn.CUBA(), post)
    proj(bm.asarray([True, True]))
    out = proj(bm.asarray([True, True]))  # g has taken two spikes by now
    assert np.asarray(out).tolist() == [1.0, 1.0] and float(np.asarray(proj.syn.g.value)[0]) > 1.9
