"""The old-style ``bp.synapses.AMPA``/``GABAa``/``NMDA`` take a ``(pre, post)`` matrix ``g_max`` as the weights of
their graph, as BrainPy 2.8.2 does (they failed with a shape error), and the ``*_like`` array makers work on
traced values outside a runner (an ``odeint`` derivative, ``jax.jit``, ``jax.grad``), as BrainPy's. Reference
numbers: tests/brainpy/reference/gmax_matrix_bp282.py, run under BrainPy 2.8.2."""
import jax
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

BRAINPY_V = {  # V of the two neurons at steps 20, 40 and 99
    "AMPA": [[-63.9862, -64.4913], [-61.1681, -59.4958], [-57.9146, -55.1675]],
    "GABAa": [[-65.3303, -65.166], [-66.4429, -67.1004], [-67.8275, -68.9068]],
    "NMDA": [[-64.9452, -64.9726], [-64.6196, -64.4728], [-63.3818, -62.2551]],
}


@pytest.mark.parametrize("cls", sorted(BRAINPY_V))
def test_a_matrix_g_max_weighs_each_pair_as_brainpys(cls):
    with bm.environment(dt=0.1):
        pre = bp.neurons.SpikeTimeGroup(2, indices=[0, 1, 0], times=[1.0, 2.0, 3.0])
        post = bp.neurons.LIF(2, V_rest=-65.0, V_reset=-65.0, V_th=-50.0, V_initializer=bp.init.Constant(-65.0))
        W = np.array([[1.0, 0.5], [0.2, 2.0]], dtype=np.float32)
        syn = getattr(bp.synapses, cls)(pre, post, bp.conn.All2All(), g_max=W)
        runner = bp.DSRunner(bp.Network(pre=pre, post=post, syn=syn), monitors={"V": post.V}, progress_bar=False)
        runner.run(10.0)
    np.testing.assert_allclose(np.asarray(runner.mon["V"])[[20, 40, 99]], BRAINPY_V[cls], atol=2e-4)


def test_like_makers_follow_traced_values_outside_a_runner():
    f = bp.odeint(lambda V, t: -V + bm.ones_like(V), method="exp_auto")
    np.testing.assert_allclose(np.asarray(f(bm.zeros(3), 0.0, dt=0.1)), [1 - np.exp(-0.1)] * 3, rtol=1e-6)
    assert jax.jit(lambda x: bm.zeros_like(x) + bm.full_like(x, 2.0))(np.ones(2)).tolist() == [2.0, 2.0]
    assert jax.grad(lambda x: (x * bm.ones_like(x)).sum())(np.ones(2, np.float32)).tolist() == [1.0, 1.0]
    filled = bm.zeros_like(np.ones(3))  # outside a step, on a concrete value: NumPy's, to fill in place
    filled[0] = 5.0
    assert isinstance(filled, np.ndarray) and filled.tolist() == [5.0, 0.0, 0.0]
