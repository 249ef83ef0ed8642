"""BrainPy's STDP example (docs/brainpy/stdp_song2000.py) runs with its imports changed and learns."""
import numpy as np

import brainbatch as bb


def test_brainpy_stdp_example_potentiates_then_depresses(script):
    pre_spike, post_spike, g, Apre, Apost, current, W = (np.asarray(x) for x in script("stdp_song2000").run())
    assert W.shape == (3000, 1) and pre_spike.shape == (3000, 1)
    assert pre_spike.sum() >= 6 and post_spike.sum() >= 5
    w = W[:, 0]
    # bursts 1-5: pre leads post by 5 ms -> +A1 * pre_trace at each post spike; later post leads -> depression
    assert w[1500] > w[0] + 0.3 and w[-1] < w[1500] - 0.3
    assert np.all(Apre >= 0) and np.all(Apost >= 0) and np.all(g >= 0)


def test_stdp_song2000_is_a_plastic_projection_with_brainpy_references():
    import brainbatch.brainpy as bp
    pre, post = bp.dyn.LifRef(3), bp.dyn.LifRef(2)
    proj = bp.dyn.STDP_Song2000(pre=pre, delay=None, comm=bp.dnn.EventCSRLinear(bp.conn.FixedProb(1.), 0.05),
                                syn=bp.dyn.Expon.desc(size=2, tau=5.), out=bp.dyn.COBA.desc(E=0.), post=post,
                                W_max=0.1)
    assert isinstance(proj, bb.Projection) and proj.plasticity.w_max == 0.1
    assert proj.comm.weight is proj.w and proj.refs["pre_trace"].g is proj.pre_trace
