"""Plastic projections: each rule against Brian2 2.9 on fixed spike trains, state, lanes, bad input."""
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.models import CUBA, AllToAll, Exponential, FixedProb, Projection
from brainbatch.models.plasticity import STDP, Rule, Trace, TripletSTDP, Vogels2011

from _projection_support import Source, simulate

# bench/stdp_rules_brian2.py (Brian2 2.9.0, numpy target): 3 SpikeGeneratorGroup inputs -> 2 outputs, all to
# all, w = 0.5 at start, 300 ms; final w of synapse s = (i = s // 2, j = s % 2).
PRE = {0: [50, 300, 310, 320, 900, 1500, 2000], 1: [100, 700, 705, 710, 715, 2400], 2: [400, 1200, 2600]}
POST = {0: [60, 300, 330, 1000, 1490, 2050], 1: [90, 720, 725, 1210, 2405, 2800]}
BRIAN2 = {
    "stdp_add": [0.8996438668766937, 0.4451434015222678, 0.2915686192993427, 1.0, 0.054542270062391957,
                 0.7763130271865046],
    "stdp_nearest": [0.6518101069028799, 0.16230848021013652, 0.052278314948594584, 0.9648783963957694,
                     0.12805275120474208, 0.6749067619748566],
    "stdp_mult": [0.6989080024346673, 0.45104519576195995, 0.494784215475384, 0.9993437396486377,
                  0.2923843335038429, 0.6147519307093654],
    "vogels": [0.9971519078119081, 0.6681482635663497, 0.6638652441675887, 0.9685559664290516, 0.595024918731865,
               0.6078166410204862],
    "triplet": [0.6313252717289093, 0.2948601438118251, 0.29510532742867573, 0.9754577796700276,
                0.3196392472339162, 0.5456890087653966],
}
RULES = {
    "stdp_add": lambda: STDP(dApre=0.3, dApost=-0.315, w_max=1.0),
    "stdp_nearest": lambda: STDP(dApre=0.3, dApost=-0.315, taupost=30.0, w_max=1.0, pairing="nearest"),
    "stdp_mult": lambda: STDP(dApre=0.3, dApost=-0.315, w_max=1.0, form="multiplicative"),
    "vogels": lambda: Vogels2011(eta=0.05, rho0=3.0, tau=20.0, w_max=1.0),
    "triplet": lambda: TripletSTDP(scale=10.0, w_max=1.0),
}
N_STEPS = 3000


def raster(spikes, n):
    r = np.zeros((N_STEPS, n), bool)
    for i, steps in spikes.items():
        r[steps, i] = True
    return r


def hook_rule():
    return Rule(on_pre=lambda w, pre, post: w + post["yp"], on_post=lambda w, pre, post: w + pre["xp"],
                pre_traces={"xp": Trace(20.0, 0.3)}, post_traces={"yp": Trace(20.0, -0.315)}, w_max=1.0)


@pytest.fixture(scope="module")
def learned():
    """Every rule on the same fixed spike trains, as projections of one network (one compiled program)."""
    pre, post = Source(raster(PRE, 3)), Source(raster(POST, 2))
    rules = {**{name: make() for name, make in RULES.items()}, "hook": hook_rule()}
    projs = {name: Projection(pre, post, AllToAll(), Exponential(5.0), CUBA(), weight=0.5, plasticity=rule)
             for name, rule in rules.items()}
    net = bb.Network(pre=pre, post=post, **projs)
    simulate(net, N_STEPS, lambda: pre.spike.value)
    return {name: np.asarray(p.w.value) for name, p in projs.items()}


@pytest.mark.parametrize("name", sorted(BRIAN2))
def test_rule_matches_brian2_on_fixed_spike_trains(learned, name):
    # Brian2 handles a spike of step s in step s, brainbatch in the deliver phase of s + 1: the same order
    np.testing.assert_allclose(learned[name], BRIAN2[name], rtol=2e-5, atol=2e-6)


def test_a_user_rule_written_with_the_hook_equals_the_built_in_one(learned):
    np.testing.assert_array_equal(learned["hook"], learned["stdp_add"])


def test_weights_stay_within_their_bounds_and_padding_stays_zero():
    pre = bb.PoissonGroup(50, freqs=80.0)
    post = bb.LIF(20, V_rest=-74.0, V_reset=-60.0, V_th=-54.0, tau=10.0, V_initializer=bb.Constant(-60.0))
    proj = Projection(pre, post, FixedProb(0.3), Exponential(5.0), bb.COBA(0.0), weight=bb.Uniform(0.0, 0.5),
                      plasticity=STDP(dApre=0.2, dApost=-0.25, w_min=0.05, w_max=0.5))
    net = bb.Network(pre=pre, post=post, proj=proj)
    simulate(net, 2000, lambda: post.spike.value)
    w = np.asarray(proj.w.value)
    valid = np.asarray(proj.targets.value).reshape(-1) < 20
    assert valid.sum() < valid.size  # the test needs padding slots
    assert np.all(w[~valid] == 0)
    assert w[valid].min() >= 0.05 and w[valid].max() <= 0.5
    assert np.any(w[valid] == np.float32(0.05)) and np.any(w[valid] == 0.5)  # both bounds reached


@pytest.mark.parametrize("rule, keyword, value, message", [
    (bb.STDP, "taupre", -1.0, r"^taupre must be > 0 ms, got -1\.0$"),
    (bb.STDP, "taupost", 0.0, r"^taupost must be > 0 ms, got 0\.0$"),
    (bb.STDP, "dApre", "a", r"^dApre must be a number, got 'a'$"),
    (bb.STDP, "dApost", float("nan"), r"^dApost must be a number, got nan$"),
    (bb.TripletSTDP, "tau_y", -2.0, r"^tau_y must be > 0 ms, got -2\.0$"),
    (bb.TripletSTDP, "tau_plus", 0.0, r"^tau_plus must be > 0 ms, got 0\.0$"),
    (bb.Vogels2011, "rho0", -1.0, r"^rho0 is the target postsynaptic rate and must be >= 0 Hz, got -1\.0$"),
])
def test_a_bad_trace_parameter_is_named_as_the_user_wrote_it(rule, keyword, value, message):
    """Not "Trace tau must be > 0": the rule's own keyword, which the user can find in their code."""
    with pytest.raises((ValueError, TypeError), match=message):
        rule(**{keyword: value})


@pytest.mark.parametrize("weight", [2.0, -0.5, bb.Constant(1.5)])
def test_one_start_weight_outside_the_rules_bounds_is_refused(weight):
    # it was kept: every synapse delivered 2.0 under STDP(w_max=1) until its first update clipped it
    pre, post = bb.LIF(3), bb.LIF(2)
    with pytest.raises(ValueError, match=r"start weight .* lies outside the bounds of STDP, \[w_min, w_max\] = \[0, 1\]"):
        Projection(pre, post, bb.AllToAll(), Exponential(5.0), bb.CUBA(), weight=weight, plasticity=STDP())
    # drawn weights may reach past a bound on purpose: the first update clips them
    Projection(pre, post, bb.AllToAll(), Exponential(5.0), bb.CUBA(), weight=bb.Uniform(0.0, 2.0), plasticity=STDP())
