"""``bp.dyn.DualExponV2`` (BrainPy 2.8.2, brainpy/dyn/synapses/abstract_models.py): two gates that decay exactly
(``exp_auto`` of ``-g / tau``) and take every input, ``g = A (g_decay - g_rise)``; in a merging projection the input
is added before the step's decay (``add_current``, then the synapse as a before-update of the group), otherwise after
(``syn(x)``). References: those rules written out in float64."""
import math

import numpy as np
import pytest

import brainbatch as bb
import brainbatch.brainpy as bp

DT, TAU_R, TAU_D, W = 0.1, 1.0, 5.0, 0.5
A = TAU_D / (TAU_D - TAU_R) * (TAU_R / TAU_D) ** (TAU_R / (TAU_R - TAU_D))  # BrainPy's _format_dual_exp_A


def reference(n_steps, arrival, input_decays):
    rise = dec = 0.0
    out = []
    for k in range(n_steps):
        x = W if k == arrival else 0.0
        if input_decays:
            rise, dec = (rise + x) * math.exp(-DT / TAU_R), (dec + x) * math.exp(-DT / TAU_D)
        else:
            rise, dec = rise * math.exp(-DT / TAU_R) + x, dec * math.exp(-DT / TAU_D) + x
        out.append(A * (dec - rise))
    return np.asarray(out)


@pytest.mark.parametrize("projection, input_decays", [(bp.dyn.FullProjAlignPost, False),
                                                      (bp.dyn.ProjAlignPostMg2, True),
                                                      (bp.dyn.ProjAlignPreMg2, False)])  # on the presynaptic side
def test_g_follows_brainpys_two_gates(projection, input_decays):
    pre = bp.dyn.SpikeTimeGroup(1, times=[1.0], indices=[0])
    post = bp.dyn.LifRef(1, V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.)
    proj = projection(pre=pre, delay=None, comm=bp.dnn.AllToAll(1, 1, W),
                      syn=bp.dyn.DualExponV2.desc(1, tau_decay=TAU_D, tau_rise=TAU_R), out=bp.dyn.COBA(E=0.), post=post)
    out = bb.Runner(bp.Network(pre=pre, post=post, proj=proj), monitors={"g": "proj.syn.g"}, dt=DT,
                    progress_bar=False).run(10.0)
    g = out["g"][:, 0]
    arrival = int(np.flatnonzero(g)[0]) - (0 if input_decays else 1)  # a spike's own step: 0 after syn(x)
    assert arrival == 11  # the spike of step 10 (t = 1.0) reaches the synapse in the next step
    size = 1.0 if projection is bp.dyn.ProjAlignPreMg2 else W  # aligned pre, the synapse takes the spike itself
    np.testing.assert_allclose(g, reference(100, arrival, input_decays) * size / W, rtol=1e-5, atol=1e-7)
    assert abs(g.max() - size) < 0.01 * size  # A normalises one input's peak to its size


def test_equal_time_constants_are_refused_without_an_A_and_the_gates_are_state():
    with pytest.raises(ValueError, match="tau_rise == tau_decay"):
        bp.dyn.DualExponV2(2, tau_decay=3., tau_rise=3.)
    syn = bp.dyn.DualExponV2(2, tau_decay=3., tau_rise=3., A=1.0)  # a given A: g stays 0, as in BrainPy
    assert sorted(syn.vars()) == ["g", "g_decay", "g_rise"]


class _Mg1Net(bp.DynSysGroup):
    """A network whose update hands the presynaptic spikes to ProjAlignPostMg1 (BrainPy 2.4's idiom)."""

    def __init__(self, syn):
        super().__init__()
        self.pre = bp.dyn.SpikeTimeGroup(1, times=[1.0], indices=[0])
        self.post = bp.dyn.LifRef(1, V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.)
        self.proj = bp.dyn.ProjAlignPostMg1(comm=bp.dnn.AllToAll(1, 1, W), syn=syn, out=bp.dyn.COBA.desc(E=0.),
                                            post=self.post)

    def update(self):
        self.proj(self.pre())
        self.post()


def test_merging_half_projection_adds_to_both_gates_before_they_decay():
    # BrainPy's HalfProjAlignPostMg calls syn.add_current (both gates); the gates decay in post's before-update.
    # The input was added to g, which the decay then recomputed from the gates: g stayed 0.
    net = _Mg1Net(bp.dyn.DualExponV2.desc(tau_decay=TAU_D, tau_rise=TAU_R))
    g = bb.Runner(net, monitors={"g": "proj.syn.g"}, dt=DT, progress_bar=False).run(10.0)["g"][:, 0]
    arrival = int(np.flatnonzero(g)[0])
    assert arrival == 10  # the spike of step 10 (t = 1.0), handed over in the same step
    np.testing.assert_allclose(g, reference(100, arrival, True), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("syn", [bp.dyn.DualExpon.desc(tau_decay=TAU_D, tau_rise=TAU_R), bp.dyn.Alpha.desc(tau_decay=2.),
                                 bp.dyn.NMDA.desc()])
def test_merging_half_projection_refuses_a_synapse_without_add_current(syn):
    # BrainPy takes only align-post synapses there; adding their input to g bypassed h or x (an exponential, silently)
    with pytest.raises(TypeError, match="ProjAlignPostMg1: syn must be an align-post synapse"):
        _Mg1Net(syn)
