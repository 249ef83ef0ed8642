"""``bp.dyn.FullProjDelta`` and ``HalfProjDelta`` against BrainPy 2.8.2.

One source spikes at t = 0.5 ms (step 2, dt 0.25 ms); ``AllToAll(1, 2, 2.0)`` onto a ``Lif`` that
starts at V = 5 (tau 10). The comm's output is a delta input, added to V *after* the group integrates:
V_k = 5 e^(k+1) before the arrival step k0 and 5 e^(k+1) + 2 e^(k-k0) from it on (e = exp(-dt/tau)).
"""
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

DT, N = 0.25, 10

# tests/brainpy/reference/delta_projections_bp282.py with BrainPy 2.8.2 (post.V of neuron 0)
BP_GROUP = [4.87655, 4.75615, 4.63872, 6.52419, 6.3631, 6.206, 6.05277, 5.90333, 5.75757, 5.61542]
BP_PRE_FIRST = [4.87655, 4.75615, 6.63872, 6.47481, 6.31494, 6.15903, 6.00696, 5.85865, 5.714, 5.57292]
BP_HALF = BP_PRE_FIRST
BP_SPIKE_SAME_STEP = [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]  # LifRef at V 5, V_th 6: the jump of 2 spikes it at once


def expected(k0):
    k = np.arange(N)
    e = np.exp(-DT / 10.0)
    return 5.0 * e ** (k + 1) + np.where(k >= k0, 2.0 * e ** np.maximum(k - k0, 0), 0.0)


def test_the_closed_form_is_brainpys():
    np.testing.assert_allclose(expected(3), BP_GROUP, atol=2e-5)
    np.testing.assert_allclose(expected(2), BP_PRE_FIRST, atol=2e-5)


def lif():
    return bp.dyn.Lif(2, V_rest=0., V_reset=0., V_th=20., tau=10., V_initializer=bp.init.Constant(5.))


class Net(bp.DynSysGroup):
    """One source and, per delay, a group ``post<i>`` with its projection: one compiled run for all."""

    def __init__(self, delays, order=None):
        super().__init__()
        self.pre = bp.dyn.SpikeTimeGroup(1, indices=[0], times=[0.5])
        self.n, self.order = len(delays), order
        for i, d in enumerate(delays):
            setattr(self, f"post{i}", lif())
            setattr(self, f"proj{i}", bp.dyn.FullProjDelta(self.pre, d, bp.dnn.AllToAll(1, 2, 2.0), getattr(self, f"post{i}")))

    def update(self, *args):
        if self.order is None:
            return super().update(*args)
        if self.order == "pre_first":
            self.pre()
        for i in range(self.n):
            getattr(self, f"proj{i}")()
        if self.order == "proj_first":
            self.pre()
        for i in range(self.n):
            getattr(self, f"post{i}")()


def run(make, mons):
    with bm.environment(dt=DT):  # the delays are counted in steps of the dt they are built with
        out = bp.DSRunner(make(), monitors=list(mons), progress_bar=False).run(N * DT)
        return [np.asarray(out[m], float)[:, 0] for m in mons]


# A delay of d steps arrives d steps after the undelayed spike, in any order (docs/migrating-from-brainpy.md,
# "Delays"). BrainPy 2.8.2 agrees without delay (the constants above); its delayed arrivals are early
# (its ring of d entries: d = 1 arrives like no delay), so those are checked against the closed form.
@pytest.mark.parametrize("order, arrivals", [
    (None, {None: 3, 0.0: 3, DT: 4, 3 * DT: 6}),
    ("pre_first", {None: 2, DT: 3, 3 * DT: 5}),
    ("proj_first", {None: 3, 3 * DT: 6}),
])
def test_full_proj_delta_arrives_d_steps_after_the_undelayed_spike(order, arrivals):
    Vs = run(lambda: Net(list(arrivals), order), [f"post{i}.V" for i in range(len(arrivals))])
    for V, k0 in zip(Vs, arrivals.values()):
        np.testing.assert_allclose(V, expected(k0), atol=2e-5)
    np.testing.assert_allclose(Vs[0], BP_PRE_FIRST if order == "pre_first" else BP_GROUP, atol=2e-5)


def test_half_proj_delta_takes_the_spikes_it_is_given():
    class Half(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.pre = bp.dyn.SpikeTimeGroup(1, indices=[0], times=[0.5])
            self.post = bp.dyn.Lif(2, V_rest=0., V_reset=0., V_th=20., tau=10., V_initializer=bp.init.Constant(5.))
            self.proj = bp.dyn.HalfProjDelta(bp.dnn.AllToAll(1, 2, 2.0), self.post)

        def update(self):
            self.proj(self.pre())
            self.post()

    np.testing.assert_allclose(run(Half, ["post.V"])[0], BP_HALF, atol=2e-5)


def test_a_jump_over_threshold_spikes_in_the_step_it_arrives():
    def make():
        pre = bp.dyn.SpikeTimeGroup(1, indices=[0], times=[0.5])
        post = bp.dyn.LifRef(1, V_rest=0., V_reset=0., V_th=6., tau=10., tau_ref=0.5, V_initializer=bp.init.Constant(5.))
        return bp.DynSysGroup(pre=pre, post=post, proj=bp.dyn.FullProjDelta(pre, None, bp.dnn.AllToAll(1, 1, 2.), post))

    np.testing.assert_array_equal(run(make, ["post.spike"])[0], BP_SPIKE_SAME_STEP)


def test_arguments_are_checked():
    pre, post = bp.dyn.SpikeTimeGroup(1, indices=[0], times=[0.5]), bp.dyn.Lif(2)
    with pytest.raises(ValueError, match="num_out=3"):
        bp.dyn.FullProjDelta(pre, None, bp.dnn.AllToAll(1, 3, 1.0), post)
    with pytest.raises(TypeError, match="comm must be a bp.dnn object"):
        bp.dyn.HalfProjDelta(np.ones((1, 2)), post)
    p = bp.dyn.FullProjDelta(pre, None, bp.dnn.AllToAll(1, 2, 1.0), post)
    assert p.refs["pre"] is pre and p.refs["post"] is post and p.g.shape == (2,)
