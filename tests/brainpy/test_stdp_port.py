"""BrainPy's STDP example (docs/brainpy/stdp_song2000.py) runs with its imports changed and learns."""
import numpy as np
import pytest

import brainbatch as bb


def test_brainpy_stdp_example_potentiates_then_depresses(script):
    pre_spike, post_spike, g, Apre, Apost, current, W = (np.asarray(x) for x in script("stdp_song2000").run())
    assert W.shape == (3000, 1) and pre_spike.shape == (3000, 1)
    assert pre_spike.sum() >= 6 and post_spike.sum() >= 5
    w = W[:, 0]
    # bursts 1-5: pre leads post by 5 ms -> +A1 * pre_trace at each post spike; later post leads -> depression
    assert w[1500] > w[0] + 0.3 and w[-1] < w[1500] - 0.3
    # the example's rule is unbounded: once w < 0 a spike carries it (BrainPy's delivery: the updated weight)
    assert np.all(Apre >= 0) and np.all(Apost >= 0) and np.all(g[w >= 0] >= 0)


def test_stdp_song2000_is_a_plastic_projection_with_brainpy_references():
    import brainbatch.brainpy as bp
    pre, post = bp.dyn.LifRef(3), bp.dyn.LifRef(2)
    proj = bp.dyn.STDP_Song2000(pre=pre, delay=None, comm=bp.dnn.EventCSRLinear(bp.conn.FixedProb(1.), 0.05),
                                syn=bp.dyn.Expon.desc(size=2, tau=5.), out=bp.dyn.COBA.desc(E=0.), post=post,
                                W_max=0.1)
    assert isinstance(proj, bb.Projection) and proj.plasticity.w_max == 0.1
    assert proj.comm.weight is proj.w and proj.refs["pre_trace"].g is proj.pre_trace
    # BrainPy starts from a weight above W_max (clipped at each update): bb.Projection refuses it, this one not
    proj = bp.dyn.STDP_Song2000(pre=pre, delay=None, comm=bp.dnn.EventCSRLinear(bp.conn.FixedProb(1.), 0.5),
                                syn=bp.dyn.Expon.desc(size=2, tau=5.), out=bp.dyn.COBA.desc(E=0.), post=post,
                                W_max=0.1)
    assert np.all(np.asarray(proj.w.value)[np.asarray(proj.targets.value).reshape(-1) < 2] == 0.5)


def test_a_spike_carries_its_updated_weight_decayed_by_one_step_as_in_brainpy():
    """tests/brainpy/reference/stdp_delivery_bp282.py, run with BrainPy 2.8.2: a presynaptic spike adds
    w exp(-dt / tau) to an exponential synapse's g (it decays once before the neuron reads it), and the
    w it carries is the one its own depression left. The port added w (g 0.5) and the old weight (a
    network of the STDP example fired at 48 Hz where BrainPy fires at 35)."""
    import brainbatch.brainpy as bp
    import brainbatch.brainpy.math as bm

    class Net(bp.DynSysGroup):
        def __init__(self, A2):
            super().__init__()
            self.pre = bp.dyn.SpikeTimeGroup(1, indices=[0, 0], times=[1.0, 3.0])
            self.post = bp.dyn.Lif(1, V_rest=-60., V_th=-50., V_reset=-60., tau=20., V_initializer=bp.init.Constant(-40.))
            self.syn = bp.dyn.STDP_Song2000(self.pre, None, bp.dyn.Expon.desc(1, tau=5.),
                                            bp.dnn.AllToAll(1, 1, np.full((1, 1), 0.5, np.float32), mode=bm.TrainingMode()),
                                            bp.dyn.COBA.desc(E=0.), self.post, tau_s=16.8, tau_t=33.7, A1=0.96, A2=A2)

    # BrainPy 2.8.2: g over steps 9-12 and 29-32, and the last weight
    want = {0.0: ([0.0, 0.0, 0.490099, 0.480395], [0.341931, 0.33516, 0.818623, 0.802413], 0.5),
            0.3: ([0.0, 0.0, 0.204637, 0.200585], [0.142771, 0.139944, 0.072796, 0.071355], -0.065677)}
    for A2, (first, second, w_end) in want.items():
        net = Net(A2)
        mon = bp.DSRunner(net, monitors={"g": net.syn.refs["syn"].g}, progress_bar=False, seed=0).run(4.)
        g = np.asarray(mon["g"])[:, 0]
        np.testing.assert_allclose(g[9:13], first, atol=2e-6)
        np.testing.assert_allclose(g[29:33], second, atol=2e-6)
        assert float(np.asarray(net.syn.comm.weight.value).ravel()[0]) == pytest.approx(w_end, abs=2e-6)
