"""Plastic projections where earlier tests did not look (session 36): a subclass of a built-in rule, a group
projecting onto itself with autapses, a multapse and start weights outside the bounds (against Brian2 2.9), and a
custom ``update`` in BrainPy's order ``pre(); proj(); post()`` (against Brian2 through tests/models/
test_stdp_reference.py's numbers)."""
import warnings

import numpy as np
import pytest

import brainbatch as bb
from brainbatch.models import CUBA, AllToAll, Exponential, Projection
from brainbatch.models.plasticity import STDP, Rule, Trace

import test_stdp_reference as ref
from _projection_support import Source, simulate


class HalvedDepression(STDP):
    """A user's STDP whose presynaptic update is half the documented one."""

    def on_pre(self, w, pre, post):
        return w + 0.5 * post["apost"]


class DeliveredAfter(STDP):
    """A user's STDP whose spikes carry the weight after their own update."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.deliver = "after"


PRE_STEPS = {0: [10, 50, 120], 1: [30, 90]}
POST_STEPS = {0: [20, 60, 100], 1: [40, 110, 121]}


def _two_by_two(rules, n_steps=130):
    """Each rule on its own projection between the same two 2-neuron rasters (one compiled program): the final
    weights and the postsynaptic g of every step, by rule name."""
    r_pre, r_post = np.zeros((n_steps, 2), bool), np.zeros((n_steps, 2), bool)
    for i, s in PRE_STEPS.items():
        r_pre[s, i] = True
    for j, s in POST_STEPS.items():
        r_post[s, j] = True
    pre, post = Source(r_pre), Source(r_post)
    projs = {name: Projection(pre, post, AllToAll(), Exponential(5.0), CUBA(), weight=0.5, plasticity=rule)
             for name, rule in rules.items()}
    g = simulate(bb.Network(pre=pre, post=post, **projs), n_steps, lambda: {k: p.syn.g.value for k, p in projs.items()})
    return {name: (np.asarray(p.w.value), np.asarray(g[name])) for name, p in projs.items()}


def test_a_subclass_of_a_built_in_rule_runs_its_own_code_on_the_native_path():
    """It ran its parent's arithmetic on CPU (the native pair kernel): ``HalvedDepression`` learned exactly what
    ``STDP`` learns, and the same script under ``BRAINBATCH_KERNELS=jax`` learned other weights (those of the
    ``Rule`` below, which steps in pure JAX everywhere)."""
    if not bb.kernels.native_available():
        pytest.skip("no C++ compiler: the native path cannot be built here")
    with bb.kernels.use_kernels("native"):
        out = _two_by_two({
            "plain": STDP(dApre=0.1, dApost=-0.1),
            "halved": HalvedDepression(dApre=0.1, dApost=-0.1),
            # the same rule written as two functions: the documented way to give a rule its own step
            "hook": Rule(on_pre=lambda w, pre, post: w + 0.5 * post["apost"], on_post=lambda w, pre, post: w + pre["apre"],
                         pre_traces={"apre": Trace(20.0, 0.1)}, post_traces={"apost": Trace(20.0, -0.1)}, w_max=1.0),
            "after": DeliveredAfter(dApre=0.1, dApost=-0.1),
            "after_hook": Rule(on_pre=lambda w, pre, post: w + post["apost"], on_post=lambda w, pre, post: w + pre["apre"],
                               pre_traces={"apre": Trace(20.0, 0.1)}, post_traces={"apost": Trace(20.0, -0.1)},
                               w_max=1.0, deliver="after")})
    np.testing.assert_array_equal(out["halved"][0], out["hook"][0])
    assert np.abs(out["halved"][0] - out["plain"][0]).max() > 0.05  # depression halved: a visible difference
    # delivered after its update: the weights are the parent's, what a spike carries is the updated weight
    np.testing.assert_array_equal(out["after"][0], out["plain"][0])
    assert not np.array_equal(out["after"][1], out["plain"][1])
    np.testing.assert_allclose(out["after"][1], out["after_hook"][1], rtol=1e-6, atol=1e-7)  # native: deliver read
    assert STDP().native_params(0.1) is not None and HalvedDepression().native_params(0.1) is None


# ---- a group onto itself: autapses, a multapse, rows of unequal length, start weights outside [0, 1] ----------
RASTER = {0: [20, 50, 51, 120, 300, 310], 1: [20, 60, 121, 250, 305], 2: [35, 45, 130, 300, 420],
          3: [50, 200, 215, 400, 430]}
I = [0, 0, 0, 0, 1, 1, 2, 2, 3]  # 0 -> 0 and 2 -> 2 autapses, 0 -> 1 twice
J = [0, 1, 1, 3, 0, 2, 2, 3, 1]
W0 = {(0, 0): 1.3, (0, 1): 0.4, (0, 3): 0.7, (1, 0): 0.5, (1, 2): 0.9, (2, 2): -0.2, (2, 3): 0.6, (3, 1): 0.3}
RECURRENT = {  # name: (delay in ms, form, pairing); dApre 0.2, dApost -0.25, taupre 10, taupost 15 ms, w in [0, 1]
    "add_delay": (1.0, "additive", "all"),
    "add_neuron_delays": ([0.0, 0.5, 1.2, 0.3], "additive", "all"),
    "mult_nearest": (None, "multiplicative", "nearest"),
}
# Brian2 2.9.0 (numpy target, float64), the script in the test's docstring: the 9 weights (in the order of I, J)
# at the end of Brian2's step (key); brainbatch's state after step n + 1 is Brian2's after step n
BRIAN2 = {
    "add_delay": {
        52: [1, 0.1661232537, 0.1661232537, 0.8637461506, 0.5919862536, 1, 0.2, 0.7902458849, 0.3],
        61: [0, 0, 0, 0.3975466507, 0.5919862536, 1, 0, 0.5484418598, 0.3085179154],
        131: [0, 0, 0, 0.2508850958, 0, 0.252672537, 0.1799562969, 0.5484418598, 0.4171880892],
        306: [0.08644733479, 0.2247588082, 0.2247588082, 0.6881295498, 0.2044607853, 0.2366350477, 0.0732543541,
              0.7817542493, 0.5042106045],
        599: [0, 0, 0, 0.4667260897, 0, 0.1315699549, 0, 0.535152055, 0],
    },
    "add_neuron_delays": {
        52: [1, 0.1919946363, 0.1919946363, 0.7516611234, 0.5681664487, 1, 0, 0.7940891067, 0.3],
        61: [1, 0.6898123662, 0.6898123662, 0.7516611234, 0.5681664487, 1, 0, 0.5554877368, 0.2858490645],
        131: [1, 0.8623777378, 0.8623777378, 0.5948888521, 0, 0.6611002467, 0.1835916553, 0.5554877368, 0.387172463],
        306: [1, 0.9119250588, 0.9119250588, 0.6730973972, 0.1944891151, 0.6276172732, 0.07473419021, 0.7981022622,
              0.4701228515],
        599: [1, 0.3482423206, 0.3482423206, 0.6958710874, 0.3759810288, 0.3608998217, 0, 0.1170299081, 0],
    },
    "mult_nearest": {
        52: [0.7028636063, 0.3294778594, 0.3294778594, 0.5712624538, 0.7092476002, 0.930108895, 0.3225797206,
             0.676098354, 0.2385951935],
        61: [0.7028636063, 0.4520400783, 0.4520400783, 0.5712624538, 0.5422615414, 0.7197095622, 0.3225797206,
             0.676098354, 0.3763847054],
        131: [0.6735496251, 0.4997885482, 0.4997885482, 0.4817043414, 0.4453622071, 0.682351631, 0.4214565479,
              0.5769407181, 0.4377040736],
        306: [0.6982658504, 0.540578483, 0.540578483, 0.4846537114, 0.3575034315, 0.4955056076, 0.510026954,
              0.5591085472, 0.4658948297],
        599: [0.6279661642, 0.4098644299, 0.4098644299, 0.4995512643, 0.4797357597, 0.5274539025, 0.5621875866,
              0.5594595061, 0.3601664783],
    },
}


def test_a_group_onto_itself_with_autapses_a_multapse_and_weights_outside_the_bounds_equals_brian2():
    """The Brian2 side (written from docs/plasticity.md), per case of ``RECURRENT``::

        G = SpikeGeneratorGroup(4, indices, times)   # RASTER, step * 0.1 ms; defaultclock.dt = 0.1 ms
        S = Synapses(G, G, '''w : 1
                              dapre/dt = -apre / taupre : 1 (event-driven)
                              dapost/dt = -apost / taupost : 1 (event-driven)''',
                     on_pre=f(apost) + "\\napre += dApre",      # "apre = dApre" for nearest pairing
                     on_post=f(apre) + "\\napost += dApost")    # "apost = dApost"
        S.connect(i=I, j=J); S.w = [W0[i, j] for i, j in zip(I, J)]; S.delay = delay_of_pre[I] * ms
        mon = StateMonitor(S, "w", record=True, when="end"); Network(G, S, mon).run(60 * ms)

    with ``f(D) = "w = clip(w + D, w_min, w_max)"`` (additive) or ``"w = clip(w + int(D > 0) * D * (w_max - w) / span
    + int(D <= 0) * D * (w - w_min) / span, w_min, w_max)"`` (multiplicative, ``span = w_max - w_min``).
    """
    n_steps = 601
    raster = np.zeros((n_steps, 4), bool)
    for n, steps in RASTER.items():
        raster[steps, n] = True
    G = Source(raster)
    w0 = np.zeros((4, 4), np.float32)
    for (i, j), v in W0.items():
        w0[i, j] = v
    projs = {name: Projection(G, G, bb.Explicit(I, J), Exponential(5.0), CUBA(), weight=w0,
                              delay=None if d is None else np.asarray(d, np.float32),
                              plasticity=STDP(dApre=0.2, dApost=-0.25, taupre=10.0, taupost=15.0, form=form,
                                              pairing=pairing))
             for name, (d, form, pairing) in RECURRENT.items()}
    out = simulate(bb.Network(G=G, **projs), n_steps, lambda: {k: p.w.value for k, p in projs.items()})
    for name, proj in projs.items():
        real = np.asarray(proj.targets.value).reshape(-1) < 4
        assert real.sum() == len(I) and (~real).sum() > 0  # padding slots between the rows
        w = np.asarray(out[name], np.float64)[:, real]
        steps = sorted(BRIAN2[name])
        np.testing.assert_allclose(w[np.asarray(steps) + 1], [BRIAN2[name][s] for s in steps], rtol=1e-5, atol=1e-5,
                                   err_msg=name)
        np.testing.assert_array_equal(w[:, 1], w[:, 2])  # the two synapses of the multapse learn alike
        assert w[0, 0] == np.float32(1.3) and w[0, 6] == np.float32(-0.2)  # as given until their first update


# ---- BrainPy's order in a custom update: pre(); proj(); post() -------------------------------------------------
class Ordered(bb.Network):
    """A network whose update calls its children in the given order (docs/step-order.md: a custom update)."""

    def __init__(self, order, **children):
        super().__init__(**children)
        self._order = order

    def update(self, *args):
        for name in self._order:
            getattr(self, name)()


ORDER_CASES = ("add_delay", "vogels_delay")


def test_a_custom_update_that_runs_pre_before_the_projection_and_post_after_it_learns_what_brian2_learns():
    """``pre(); proj(); post()`` gives the projection this step's presynaptic spikes with the step before's
    postsynaptic ones. The rule took the presynaptic ones first, so a postsynaptic spike one step before a
    presynaptic one counted as after it, and a same-step pair saw the presynaptic trace one step decayed (final
    weights off by 0.006 in tests/models/test_plasticity.py's additive case, by 0.009 in ``add_delay`` here). The
    weights at the end of the spike trains now equal Brian2's (tests/models/test_stdp_reference.py's numbers, from
    bench/reference/stdp_cases_brian2.py)."""
    pre, post = Source(ref.raster(ref.PRE, 3)), Source(ref.raster(ref.POST, 2))
    projs = {}
    for name in ORDER_CASES:
        rule, delay, w0, stp = ref.CASES[name]
        projs[name] = Projection(pre, post, AllToAll(), Exponential(5.0), CUBA(), weight=w0,
                                 delay=None if delay is None else np.asarray(delay, np.float32), plasticity=rule(),
                                 stp=None if stp is None else bb.STP(**stp))
    net = Ordered(("pre", *ORDER_CASES, "post"), pre=pre, post=post, **projs)
    final = simulate(net, ref.N_STEPS, lambda: {k: p.w.value for k, p in projs.items()})
    last = ref.N_STEPS - 1  # no spike after step 3500: brainbatch's last state is Brian2's
    for name in ORDER_CASES:
        np.testing.assert_allclose(np.asarray(final[name][last], np.float64), ref.BRIAN2[name]["w"][last],
                                   rtol=ref.W_RTOL, atol=ref.W_ATOL, err_msg=name)


def test_a_custom_update_that_runs_post_before_the_projection_and_pre_after_it_warns():
    pre, post = Source(np.eye(3, dtype=bool)[[0, 1, 2, 0, 1]]), Source(np.eye(2, dtype=bool)[[0, 1, 0, 1, 0]])
    proj = Projection(pre, post, AllToAll(), Exponential(5.0), CUBA(), weight=0.5, plasticity=STDP())
    with pytest.warns(UserWarning, match=r"projection 'P': its post group .* updated before it .* not ordered as in "
                                         r"Brian2 \(docs/plasticity.md\)"):
        simulate(Ordered(("post", "P", "pre"), pre=pre, post=post, P=proj), 5, lambda: proj.w.value)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the orders that are put right say nothing
        for order in (("pre", "P", "post"), ("P", "post", "pre"), ("pre", "post", "P")):
            pre, post = Source(np.eye(3, dtype=bool)[[0, 1, 2, 0, 1]]), Source(np.eye(2, dtype=bool)[[0, 1, 0, 1, 0]])
            proj = Projection(pre, post, AllToAll(), Exponential(5.0), CUBA(), weight=0.5, plasticity=STDP())
            simulate(Ordered(order, pre=pre, post=post, P=proj), 5, lambda: proj.w.value)
