"""``net.reset_state()`` between trials puts every state of every projection back, as BrainPy 2.8.2 does.

In BrainPy 2.8.2 a ``bp.DynSysGroup`` subclass that writes no ``reset_state`` of its own resets every node under it
there (``DynamicalSystem._compatible_reset_state`` calls ``reset()``, which calls each node's ``reset_state``), so a
projection's synapse (``g``, ``h``, ``x``, AMPA's ``spike_arrival_time``), its align-pre copy, STP's ``u`` and ``x``
and the delays start over, and a trial loop (``net.reset_state(); bm.for_loop(net.step_run, ...)``) repeats itself
exactly (checked for each class below with BrainPy 2.8.2: every Variable after the second reset equal to the first's,
the second trial's V equal to the first's). Here only the direct children were reset, and a projection's own
``reset_state`` left its synapse: the next trial began with the last one's conductances (an extra input burst)."""
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

C = bp.init.Constant


def lif(n, old):
    group = bp.neurons.LIF if old else bp.dyn.Lif
    return group(n, V_rest=-60., V_th=-50., V_reset=-60., tau=5., V_initializer=C(-60.))


def a2a():
    return bp.dnn.AllToAll(4, 3, 0.5)


def make(kind, pre, post):
    d, s, conn = bp.dyn, bp.synapses, bp.conn.All2All()
    if kind == "ProjAlignPostMg2":
        return d.ProjAlignPostMg2(pre=pre, delay=0.5, comm=a2a(), syn=d.Expon.desc(3, tau=3.),
                                  out=d.COBA.desc(E=0.), post=post)
    if kind == "FullProjAlignPost":
        return d.FullProjAlignPost(pre=pre, delay=0.5, comm=a2a(), syn=d.Expon(3, tau=3.), out=d.COBA(E=0.),
                                   post=post)
    if kind == "FullProjAlignPreSD":
        return d.FullProjAlignPreSD(pre=pre, syn=d.Expon(4, tau=3.), delay=0.5, comm=a2a(), out=d.CUBA(),
                                    post=post)
    if kind in ("DualExpon", "Alpha", "NMDA", "BioNMDA", "AMPA", "GABAa"):
        kw = dict(tau_decay=3., tau_rise=1.) if kind == "DualExpon" else {}
        out = d.MgBlock(E=0.) if "NMDA" in kind else d.COBA(E=0.)
        return d.FullProjAlignPreDSMg(pre=pre, delay=0.5, syn=getattr(d, kind).desc(4, **kw), comm=a2a(), out=out,
                                      post=post)
    if kind == "ProjAlignPreMg2":
        return d.ProjAlignPreMg2(pre=pre, syn=d.Expon.desc(4, tau=3.), delay=0.5, comm=a2a(), out=d.COBA(E=0.),
                                 post=post)
    if kind == "synapses.STP":
        return s.STP(pre, post, conn, delay_step=5)
    if kind == "synapses.Exponential+STD":
        return s.Exponential(pre, post, conn, stp=bp.synplast.STD(), output=bp.synouts.COBA(E=0.), delay_step=5,
                             g_max=0.5)
    name = kind.split(".")[1]
    return getattr(s, name)(pre, post, conn, output=bp.synouts.COBA(E=0.), delay_step=5, g_max=0.5)


class Net(bp.DynSysGroup):  # no reset_state of its own: BrainPy's net.reset_state() resets every node under it
    def __init__(self, kind):
        super().__init__()
        old = kind.startswith("synapses.")
        self.pre, self.post = lif(4, old), lif(3, old)
        self.proj = make(kind, self.pre, self.post)

    def update(self):
        self.proj()
        self.pre(bm.asarray([20., 25., 30., 35.]))  # the first presynaptic spike at step 16
        self.post()
        return self.post.V.value


def snapshot(net):
    return {k: np.array(v.value) for k, v in net.vars().items()}


# the classes that kept a state (BrainPy 2.8.2 resets every one of them): name -> a Variable that was stale
KINDS = {
    "ProjAlignPostMg2": "proj.syn.g", "FullProjAlignPost": "proj.syn.g", "FullProjAlignPreSD": "proj.syn.g",
    "ProjAlignPreMg2": "proj.pre_syn.g", "DualExpon": "proj.syn.h", "Alpha": "proj.syn.h", "NMDA": "proj.syn.x",
    "BioNMDA": "proj.syn.x", "AMPA": "proj.syn.spike_arrival_time", "GABAa": "proj.syn.g",
    "synapses.Exponential": "proj.syn.g", "synapses.DualExponential": "proj.syn.h", "synapses.Alpha": "proj.syn.h",
    "synapses.STP": "proj.stp.u", "synapses.Exponential+STD": "proj.stp.x",
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_reset_state_puts_every_variable_of_the_projection_back(kind):
    net = Net(kind)
    net.reset_state()
    fresh = snapshot(net)
    assert KINDS[kind] in fresh
    for var in net.vars().values():  # a trial's end: every state moved (no compiled program needed)
        value = np.asarray(var.value)
        if value.dtype.kind == "f":
            var.value = value + 1.5
        elif value.dtype == bool:
            var.value = ~value
    net.reset_state()
    after = snapshot(net)
    assert sorted(after) == sorted(fresh)
    stale = [k for k in fresh if not np.array_equal(after[k], fresh[k])]
    assert stale == []


@pytest.mark.parametrize("kind", ["ProjAlignPostMg2"])
def test_a_trial_loop_repeats_the_first_trial(kind):
    net = Net(kind)
    trials = []
    for batch in (None, None, 2):  # and net.reset_state(batch_size): the same trial in each row of the batch
        net.reset_state(batch)
        trials.append(np.asarray(bm.for_loop(net.step_run, np.arange(30), progress_bar=False)))
    first, second, batched = trials
    assert first[16:].max() > -59.9  # input arrived within the trial (the delayed spikes of step 16)
    np.testing.assert_array_equal(second, first)
    assert batched.shape == (30, 2, 3)
    for row in (0, 1):
        np.testing.assert_allclose(batched[:, row], first, atol=1e-5)


def test_a_part_of_a_network_resets_its_own_nodes_only():
    # BrainPy 2.8.2: sub.reset_state() on a DynSysGroup inside a network resets the nodes under it (its reset())
    class Outer(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.a = Net("ProjAlignPostMg2")
            self.b = Net("ProjAlignPostMg2")

        def update(self):
            return self.a.update(), self.b.update()

    net = Outer()
    net.reset_state()
    fresh = snapshot(net)
    for var in net.vars().values():
        if np.asarray(var.value).dtype.kind == "f":
            var.value = np.asarray(var.value) + 1.5
    net.a.reset_state()
    after = snapshot(net)
    assert [k for k in fresh if k.startswith("a.") and not np.array_equal(after[k], fresh[k])] == []
    moved = [k for k in fresh if k.startswith("b.") and np.asarray(fresh[k]).dtype.kind == "f"]
    assert moved and all(np.array_equal(after[k], fresh[k] + 1.5) for k in moved)
    assert [n._path for n in net.nodes().values()][:3] == ["", "a", "b"]  # paths (random streams) kept
