"""``bp.dyn.SpikeTimeGroup`` against a reference of BrainPy 2.8.2's rule (``brainpy/dyn/others/input.py``).

BrainPy: events sorted by time (``need_sort``), a pointer ``i``; each step ``spike`` is zeroed, then
``while i < num_times and t >= times[i]: spike[indices[i]] = True; i += 1`` with
``t = t0 + step * dt`` in float32 (``brainpy/runners.py``: ``share.save(t=self.t0 + i * self.dt)``).
"""
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
import brainbatch.brainpy as bp

DT = 0.1


def ref_spikes(num, indices, times, steps, need_sort=True, first_step=0, ptr=0):
    """BrainPy's while loop, step by step, in numpy float32 (its times and t are float32)."""
    times = np.asarray(times, np.float32)
    indices = np.asarray(indices)
    if need_sort:
        order = np.argsort(times, kind="stable")
        times, indices = times[order], indices[order]
    out = np.zeros((steps, num), bool)
    for s in range(steps):
        t = np.float32(first_step + s) * np.float32(DT)
        while ptr < len(times) and t >= times[ptr]:
            out[s, indices[ptr]] = True
            ptr += 1
    return out, ptr


TIMES = [0.3, 0.05, 0.3, 1.0, 0.7, 0.0, 0.7, 0.2999]
INDICES = [0, 1, 2, 0, 1, 2, 1, 0]


def test_steps_pointer_continued_runs_and_reset():
    g = bp.dyn.SpikeTimeGroup(3, indices=INDICES, times=TIMES)
    runner = bp.DSRunner(g, monitors=["spike"], progress_bar=False)
    first = np.asarray(runner.run(0.61)["spike"])  # 6 steps (run(0.6) is 5, as BrainPy: int(0.6 / 0.1) = 5)
    assert int(g.i.value) == ref_spikes(3, INDICES, TIMES, 6)[1] == 5  # 0.0, 0.05, 0.2999, 0.3, 0.3 fired
    second = np.asarray(runner.run(0.61)["spike"])  # continues: t and the pointer go on
    ref, ptr = ref_spikes(3, INDICES, TIMES, 12)
    np.testing.assert_array_equal(np.concatenate([first, second]), ref)
    assert int(g.i.value) == ptr == len(TIMES)
    again = np.asarray(runner.run(0.61, reset_state=True)["spike"])
    np.testing.assert_array_equal(again, ref[:6])


def test_unsorted_times_without_sorting_follow_the_pointer():
    times, indices = [0.5, 0.2, 0.8, 0.1], [0, 1, 2, 3]
    g = bp.dyn.SpikeTimeGroup(4, indices=indices, times=times, need_sort=False)
    got = np.asarray(bp.DSRunner(g, monitors=["spike"], progress_bar=False).run(1.0)["spike"])
    ref, _ = ref_spikes(4, indices, times, 10, need_sort=False)
    np.testing.assert_array_equal(got, ref)
    assert ref[5].tolist() == [True, True, False, False]  # 0.2 waits behind 0.5, as in BrainPy


def test_batch_rows_spike_alike():
    g = bp.dyn.SpikeTimeGroup(3, indices=INDICES, times=TIMES)
    g.reset_state(4)
    spikes = np.asarray(bb.for_loop(lambda i: g.step_run(i), jnp.arange(12), dyn_vars=g))
    ref, _ = ref_spikes(3, INDICES, TIMES, 12)
    assert spikes.shape == (12, 4, 3) and g.i.value.shape == ()
    for row in range(4):
        np.testing.assert_array_equal(spikes[:, row], ref)


def test_bad_arguments():
    with pytest.raises(ValueError, match="same length"):
        bp.dyn.SpikeTimeGroup(2, indices=[0, 1], times=[1.])
    with pytest.raises(ValueError, match=r"\[0, 2\)"):
        bp.dyn.SpikeTimeGroup(2, indices=[0, 2], times=[1., 2.])
    with pytest.raises(ValueError, match="keep_size"):
        bp.dyn.SpikeTimeGroup((2, 2), indices=[0], times=[1.], keep_size=True)
    assert bp.neurons.SpikeTimeGroup is bp.dyn.SpikeTimeGroup


def test_first_conductance_change_through_projections():
    # BrainPy 2.8.2 updates a DynSysGroup's projections first, then its groups (brainpy/dynsys.py): a spike
    # of step k reaches g in step k + 1 without delay, and here k + 1 + d with a delay of d steps. (BrainPy
    # itself gives k + 1 for d <= 2 and k + d - 1 beyond: its ring of d entries is read after the step's
    # write, brainpy/delay.py; a run of BrainPy 2.8.2, docs/migrating-from-brainpy.md "Delays".)
    k = int(ref_spikes(1, [0], [0.3], 10)[0][:, 0].argmax())  # step 3
    pre = bp.dyn.SpikeTimeGroup(1, indices=[0], times=[0.3])
    posts = [bp.dyn.LifRef(1, V_th=1e9) for _ in range(3)]

    def aligned(post, delay):
        return bp.dyn.FullProjAlignPost(pre=pre, delay=delay, comm=bp.dnn.CSRLinear(bp.conn.All2All(), 1.),
                                        syn=bp.dyn.Expon.desc(1, tau=5.), out=bp.dyn.CUBA(), post=post)

    net = bp.DynSysGroup(pre=pre, a=posts[0], b=posts[1], c=posts[2], p0=aligned(posts[0], None),
                         p5=aligned(posts[1], 0.5),
                         s2=bp.synapses.Exponential(pre, posts[2], bp.conn.All2All(), g_max=1., tau=5., delay_step=2))
    mon = bp.DSRunner(net, monitors={"p0": net.p0.refs["syn"].g, "p5": net.p5.refs["syn"].g, "s2": net.s2.syn.g},
                      progress_bar=False).run(1.5)
    first = {name: int(np.flatnonzero(np.asarray(mon[name])[:, 0])[0]) for name in ("p0", "p5", "s2")}
    assert first == {"p0": k + 1, "p5": k + 1 + 5, "s2": k + 1 + 2}
    assert float(np.asarray(mon["p0"])[k + 1, 0]) == 1.0  # the weight, added in that step


def test_an_update_that_runs_pre_first_counts_delays_from_this_steps_spikes():
    """BrainPy's synapse tutorials write ``update(): pre(); syn(); post()``: the undelayed synapse then takes
    the spike of step k in step k (a run of BrainPy 2.8.2 agrees), so a delay of d steps must give k + d
    (it gave k + 1 + d: the read assumed pre had not updated yet). Old and new projection styles alike."""
    k = 10  # times=[1.0] at dt 0.1

    class Net(bp.DynSysGroup):
        def __init__(self, d, old):
            super().__init__()
            self.pre = bp.dyn.SpikeTimeGroup(1, indices=[0], times=[1.0])
            self.post = bp.dyn.Lif(1, V_th=1e9)
            self.syn = (bp.synapses.Exponential(self.pre, self.post, bp.conn.All2All(), delay_step=d,
                                                output=bp.synouts.CUBA()) if old else
                        bp.dyn.FullProjAlignPost(pre=self.pre, delay=d * 0.1, comm=bp.dnn.AllToAll(1, 1, 1.),
                                                 syn=bp.dyn.Expon(1, tau=5.), out=bp.dyn.CUBA(), post=self.post))

        def update(self):
            self.pre()
            self.syn()
            self.post()

    for old in (False, True):
        for d in (0, 1, 3):
            net = Net(d, old)
            g = net.syn.g if old else net.syn.refs["syn"].g
            mon = bp.DSRunner(net, monitors={"g": g}, progress_bar=False).run(2.)
            assert int(np.flatnonzero(np.asarray(mon["g"])[:, 0])[0]) == k + d, (old, d)


def test_times_given_before_indices_are_named_as_swapped():
    # BrainPy's synapse tutorial writes SpikeTimeGroup(1, times, indices); BrainPy 2.8.2 takes it silently
    with pytest.raises(ValueError, match=r"got \[1.0, 11.0, 21.0\] \(the times and the indices look swapped: the "
                                         r"order is SpikeTimeGroup\(size, indices, times\)\)"):
        bp.neurons.SpikeTimeGroup(1, [1., 11., 21.], [0, 0, 0])
    with pytest.raises(AttributeError, match="fractional-order equations are not part of brainbatch"):
        bp.fde
