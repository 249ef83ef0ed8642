"""A single-exponential synapse steps its decay by BrainPy's ``method=`` (``bp.dyn.Expon``, ``bp.synapses.Exponential``):
``method='euler'`` gave the exact solution, silently (BrainPy audit). Reference numbers:
tests/brainpy/reference/synapse_method_bp282.py, run under BrainPy 2.8.2 (rounded to 4 decimals there)."""
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

BRAINPY_EXPON = {  # bp.dyn.Expon(1, tau=2., method=m) at dt 0.5 after one unit of input
    "euler": [1.0, 0.75, 0.5625, 0.4219, 0.3164, 0.2373],
    "rk2": [1.0, 0.7812, 0.6104, 0.4768, 0.3725, 0.2910],
    "heun3": [1.0, 0.7786, 0.6063, 0.4721, 0.3676, 0.2862],
    "rk4": [1.0, 0.7788, 0.6065, 0.4724, 0.3679, 0.2865],
    "exp_auto": [1.0, 0.7788, 0.6065, 0.4724, 0.3679, 0.2865],
}
BRAINPY_V = {  # V of a LIF neuron at steps 15, 30, 60, 99 under bp.synapses.Exponential(method=m)
    "euler": [-64.9118, -64.6192, -64.2062, -64.3494],
    "rk2": [-64.9116, -64.6159, -64.1913, -64.3316],
    "exp_auto": [-64.9116, -64.616, -64.1915, -64.3318],
}


@pytest.mark.parametrize("method", sorted(BRAINPY_EXPON))
def test_expon_steps_its_decay_by_its_method(method):
    with bm.environment(dt=0.5):
        syn = bp.dyn.Expon(1, tau=2.0, method=method)
        out = [float(np.asarray(syn.update(1.0 if i == 0 else 0.0))[0]) for i in range(6)]
    np.testing.assert_allclose(out, BRAINPY_EXPON[method], atol=6e-5)


@pytest.mark.parametrize("method", sorted(BRAINPY_V))
def test_old_style_exponential_steps_its_decay_by_its_method(method):
    with bm.environment(dt=0.1):
        pre = bp.neurons.SpikeTimeGroup(2, indices=[0, 1, 0], times=[1.0, 2.0, 3.0])
        post = bp.neurons.LIF(2, V_rest=-65.0, V_reset=-65.0, V_th=-50.0, V_initializer=bp.init.Constant(-65.0))
        syn = bp.synapses.Exponential(pre, post, bp.conn.All2All(), g_max=2.0, tau=2.0, method=method,
                                      output=bp.synouts.CUBA())
        runner = bp.DSRunner(bp.Network(pre=pre, post=post, syn=syn), monitors={"V": post.V}, progress_bar=False)
        runner.run(10.0)
    np.testing.assert_allclose(np.asarray(runner.mon["V"])[[15, 30, 60, 99], 0], BRAINPY_V[method], atol=2e-4)
