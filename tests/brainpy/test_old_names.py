"""BrainPy's deprecated synapse names (``bp.synapses.ExpCOBA``... ``DeltaSynapse``), still in BrainPy 2.8.2, were missing
(BrainPy audit). Reference numbers: tests/brainpy/reference/old_names_bp282.py, run under BrainPy 2.8.2 (rounded to 4
decimals there)."""
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

CASES = {
    "ExpCUBA": dict(g_max=2.0, tau=2.0),
    "ExpCOBA": dict(g_max=0.2, tau=2.0, E=0.0),
    "DualExpCUBA": dict(g_max=2.0, tau_decay=3.0, tau_rise=1.0),
    "DualExpCOBA": dict(g_max=0.2, tau_decay=3.0, tau_rise=1.0, E=0.0),
    "AlphaCUBA": dict(g_max=2.0, tau_decay=2.0),
    "AlphaCOBA": dict(g_max=0.2, tau_decay=2.0, E=0.0),
    "DeltaSynapse": dict(weights=1.5),
}
BRAINPY_V = {  # V of post neuron 0 at steps 15, 30, 60, 99
    "ExpCUBA": [-64.9116, -64.616, -64.1915, -64.3318],
    "ExpCOBA": [-64.4275, -62.5514, -59.9881, -60.8796],
    "DualExpCUBA": [-64.9705, -64.6034, -63.3894, -63.151],
    "DualExpCOBA": [-64.8087, -62.4716, -55.4115, -54.3796],
    "AlphaCUBA": [-64.9913, -64.8703, -64.4104, -64.2855],
    "AlphaCOBA": [-64.9435, -64.1624, -61.2891, -60.5725],
    "DeltaSynapse": [-63.5732, -62.4147, -61.9735, -62.9509],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_deprecated_synapse_names_give_brainpys_numbers(name):
    with bm.environment(dt=0.1):
        pre = bp.neurons.SpikeTimeGroup(2, indices=[0, 1, 0], times=[1.0, 2.0, 3.0])
        post = bp.neurons.LIF(2, V_rest=-65.0, V_reset=-65.0, V_th=-50.0, V_initializer=bp.init.Constant(-65.0))
        syn = getattr(bp.synapses, name)(pre, post, bp.conn.All2All(), **CASES[name])
        runner = bp.DSRunner(bp.Network(pre=pre, post=post, syn=syn), monitors={"V": post.V}, progress_bar=False)
        runner.run(10.0)
    np.testing.assert_allclose(np.asarray(runner.mon["V"])[[15, 30, 60, 99], 0], BRAINPY_V[name], atol=2e-4)
