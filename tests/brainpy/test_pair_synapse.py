"""The two-variable synapses step ``g`` and ``h`` together by BrainPy's ``method=``, and the old-style ones keep them per
presynaptic neuron (BrainPy audit: ``bp.dyn.Alpha``/``DualExpon`` were integrated exactly, ``g`` 2.5-5 % below BrainPy's;
``bp.synapses.Alpha``/``DualExponential`` had a post-sized ``g`` and no ``h``). Reference numbers:
tests/brainpy/reference/pair_synapse_bp282.py, run under BrainPy 2.8.2 (rounded to 5 decimals there, V to 4)."""
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

BRAINPY_ALPHA = {  # bp.dyn.Alpha(1, tau_decay=2., method=m) at dt 0.5 after one unit of input
    "euler": [0.0, 0.25, 0.375, 0.42188, 0.42188, 0.39551, 0.35596, 0.31146],
    "rk2": [0.0, 0.1875, 0.29297, 0.34332, 0.35763, 0.34925, 0.32742, 0.29843],
    "heun3": [0.0, 0.19531, 0.30416, 0.35525, 0.36882, 0.35897, 0.33541, 0.3047],
    "rk4": [0.0, 0.19466, 0.30321, 0.35421, 0.36782, 0.35807, 0.33465, 0.30406],
    "exp_auto": [0.0, 0.2212, 0.34454, 0.40249, 0.41795, 0.40687, 0.38025, 0.34549],
}
BRAINPY_DUALEXPON = {  # bp.dyn.DualExpon(1, tau_decay=3., tau_rise=1., method=m), the same
    "euler": [0.0, 0.86603, 1.1547, 1.17876, 1.09055, 0.96292, 0.8295, 0.70478],
    "rk2": [0.0, 0.57735, 0.84999, 0.94566, 0.94214, 0.88629, 0.80595, 0.71723],
    "heun3": [0.0, 0.62947, 0.91312, 1.00268, 0.98754, 0.91977, 0.82921, 0.7325],
    "rk4": [0.0, 0.62279, 0.90507, 0.99542, 0.98173, 0.91544, 0.82613, 0.73038],
    "exp_auto": [0.0, 0.7977, 1.15907, 1.27459, 1.25691, 1.17191, 1.05748, 0.93485],
}
BRAINPY_OLD = {  # bp.synapses.<kind>(..., method=m): g, h of pre neuron 0 and V of post neuron 0 at STEPS
    "Alpha/euler": {"g": [0.17148, 0.37735, 0.55373, 0.16013], "h": [0.81451, 0.37735, 0.30693, 0.04152], "V": [-64.9911, -64.8687, -64.4124, -64.3004]},
    "Alpha/exp_auto": {"g": [0.16791, 0.37674, 0.56557, 0.17175], "h": [0.81873, 0.38674, 0.32086, 0.04565], "V": [-64.9913, -64.8703, -64.4104, -64.2855]},
    "DualExponential/euler": {"g": [0.56401, 1.01334, 1.32819, 0.38837], "h": [1.1364, 0.23397, 0.0915, 0.0015], "V": [-64.9702, -64.6064, -63.4368, -63.2365]},
    "DualExponential/exp_auto": {"g": [0.55943, 1.04116, 1.40138, 0.42496], "h": [1.16103, 0.25906, 0.1082, 0.00219], "V": [-64.9705, -64.6034, -63.3894, -63.151]},
}
STEPS = [15, 30, 60, 99]


def _unit_response(syn):
    return [float(np.asarray(syn.update(1.0 if i == 0 else 0.0))[0]) for i in range(8)]


@pytest.mark.parametrize("method", sorted(BRAINPY_ALPHA))
def test_alpha_and_dual_expon_step_by_their_method(method):
    with bm.environment(dt=0.5):
        alpha = _unit_response(bp.dyn.Alpha(1, tau_decay=2.0, method=method))
        dual = _unit_response(bp.dyn.DualExpon(1, tau_decay=3.0, tau_rise=1.0, method=method))
    np.testing.assert_allclose(alpha, BRAINPY_ALPHA[method], atol=2e-5)
    np.testing.assert_allclose(dual, BRAINPY_DUALEXPON[method], atol=2e-5)


@pytest.mark.parametrize("key", sorted(BRAINPY_OLD))
def test_old_style_alpha_and_dual_exponential_are_aligned_with_pre(key):
    kind, method = key.split("/")
    with bm.environment(dt=0.1):
        pre = bp.neurons.SpikeTimeGroup(2, indices=[0, 1, 0], times=[1.0, 2.0, 3.0])
        post = bp.neurons.LIF(3, V_rest=-65.0, V_reset=-65.0, V_th=-50.0, V_initializer=bp.init.Constant(-65.0))
        taus = dict(tau_decay=2.0) if kind == "Alpha" else dict(tau_decay=3.0, tau_rise=1.0)
        syn = getattr(bp.synapses, kind)(pre, post, bp.conn.All2All(), g_max=2.0, method=method,
                                         output=bp.synouts.CUBA(), **taus)
        assert syn.g.shape == syn.h.shape == (2,)  # BrainPy: one per presynaptic neuron
        runner = bp.DSRunner(bp.Network(pre=pre, post=post, syn=syn), monitors={"V": post.V, "g": syn.g, "h": syn.h},
                             progress_bar=False)
        runner.run(10.0)
    want = BRAINPY_OLD[key]
    for name, tol in (("g", 2e-5), ("h", 2e-5), ("V", 2e-4)):
        np.testing.assert_allclose(np.asarray(runner.mon[name])[STEPS, 0], want[name], atol=tol, err_msg=name)
