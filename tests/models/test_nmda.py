"""NMDA synapse, MgBlock output and the align-pre projection against BrainPy 2.8.2.

Reference numbers: bench/brainpy_ported_references.py (BrainPy 2.8.2), section "nmda".
"""
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb

BRAINPY_G = {1: 0.04874637350440025, 10: 0.3302675485610962, 50: 0.5911337733268738, 100: 0.5923477411270142,
             199: 0.5391604900360107}  # one bp.dyn.NMDA(1) after an input of 1 at step 0
BRAINPY_V = {10: -69.99492645263672, 100: -69.72523498535156, 300: -69.22007751464844, 600: -68.95942687988281,
             999: -68.88933563232422}  # the post neuron of the align-pre network below


def test_nmda_gating_after_one_input_is_brainpys():
    syn = bb.NMDA(size=1)
    with bb.environment(dt=0.1):
        g = bb.for_loop(lambda i: syn.update(jnp.where(i == 0, 1.0, 0.0))[0], jnp.arange(200), dyn_vars=syn)
    g = np.asarray(g).tolist()
    for step, ref in BRAINPY_G.items():
        assert g[step] == pytest.approx(ref, abs=2e-6), step
    assert int(np.argmax(g)) == 71


def test_mgblock_is_the_jahr_stevens_factor():
    V = np.linspace(-90.0, 10.0, 11)
    out = np.asarray(bb.MgBlock(E=0.0, cc_Mg=1.2).current(2.0, jnp.asarray(V)))
    np.testing.assert_allclose(out, 2.0 * (0.0 - V) / (1 + 1.2 / 3.57 * np.exp(-0.062 * V)), rtol=1e-5)


class Clock(bb.NeuGroup):
    """Three sources spiking at fixed steps (every 50 from 0, every 30 from 7, every 70 from 3)."""

    def __init__(self):
        super().__init__(3)
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("spike", False, dtype=jnp.bool_, batch_size=batch_size)

    def update(self):
        i = bb.share.i
        self.spike.value = jnp.stack([i % 50 == 0, i % 30 == 7, i % 70 == 3])


def _align_pre_net():
    pre = Clock()
    post = bb.LifRef(1, V_rest=-70.0, V_reset=-55.0, V_th=-50.0, tau=20.0, R=0.04, tau_ref=2.0,
                     V_initializer=bb.Constant(-70.0))
    proj = bb.AlignPreProjection(pre, post, bb.AllToAll(), bb.NMDA(), bb.MgBlock(E=0.0, cc_Mg=1.0), weight=3.0)
    return bb.Network(pre=pre, post=post, proj=proj)


def test_align_pre_projection_gives_brainpys_membrane_potential():
    out = bb.Runner(_align_pre_net(), monitors=["post.V", "proj.syn.g", "proj.g_post"], progress_bar=False).run(100.0)
    V = np.asarray(out["post.V"])[:, 0]
    for step, ref in BRAINPY_V.items():
        assert V[step] == pytest.approx(ref, abs=1e-3), step
    g_pre, g_post = np.asarray(out["proj.syn.g"]), np.asarray(out["proj.g_post"])
    assert g_pre.shape == (1000, 3)  # one saturating state per presynaptic neuron
    np.testing.assert_allclose(g_post[:, 0], 3.0 * g_pre.sum(axis=1), rtol=1e-5)


def test_align_pre_with_sparse_connectivity_sums_w_g_over_each_neurons_synapses():
    pre, post = Clock(), bb.LIF(4)
    W = np.array([[0.0, 1.0, 2.0, 0.0], [3.0, 0.0, 0.0, 0.0], [0.5, 0.5, 0.0, 4.0]], np.float32)
    proj = bb.AlignPreProjection(pre, post, bb.AllToAll(), bb.NMDA(), bb.MgBlock(), weight=W)
    out = bb.Runner(bb.Network(pre=pre, post=post, proj=proj), monitors=["proj.syn.g", "proj.g_post"],
                    progress_bar=False).run(20.0)
    np.testing.assert_allclose(np.asarray(out["proj.g_post"]), np.asarray(out["proj.syn.g"]) @ W, rtol=1e-5, atol=1e-7)


def test_a_linear_synapse_stays_on_the_postsynaptic_side():
    E = bb.LIF(5)
    proj = bb.AlignPreProjection(E, bb.LIF(3), bb.FixedProb(0.5), bb.Exponential(5.0), bb.COBA(0.0))
    assert proj.syn.g.shape == (3,) and "g_post" not in proj.vars()


def test_bad_nmda_arguments():
    with pytest.raises(ValueError, match="tau_decay"):
        bb.NMDA(tau_decay=0.0)
    with pytest.raises(ValueError, match="a must be a finite rate >= 0"):
        bb.NMDA(a=-1.0)
    with pytest.raises(ValueError, match="beta must be > 0"):
        bb.MgBlock(beta=0.0)
