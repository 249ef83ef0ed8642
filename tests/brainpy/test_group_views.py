"""BrainPy's group views (``N[:3200]``, BrainPy's ``DynView``): an E/I network made of one group and its views gives
the spikes of the same network made of two groups, spike for spike (same connectivity: each projection draws its
graph from its own path and sizes, which the two models share), for every projection class with a view as pre, as
post or both, delays included; a view is monitored, driven by inputs, run in lanes and in a sweep, and bad indices
are named."""
import numpy as np
import pytest
from click.testing import CliRunner

import brainbatch.brainpy as bp
from brainbatch.brainpy import _view
from brainbatch.run import Simulation, normalize_monitors

NE, NI = 40, 10
PARS = dict(V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.)
V0 = np.random.RandomState(0).normal(-55., 2., NE + NI).astype(np.float32)


def _expon(pre, post, w, tau, E, kind, delay):
    """One projection of class ``kind`` from ``pre`` to ``post`` (groups or views)."""
    n_pre, n_post = pre.num, post.num
    linear = bp.dnn.CSRLinear if kind.startswith("ProjAlignPre") else bp.dnn.EventCSRLinear  # (the event op warns)
    comm = linear(bp.conn.FixedProb(0.2, pre=n_pre, post=n_post), w)
    if kind == "FullProjAlignPostMg":
        return bp.dyn.FullProjAlignPostMg(pre, delay, comm, bp.dyn.Expon.desc(n_post, tau=tau), bp.dyn.COBA.desc(E=E), post)
    if kind == "FullProjAlignPost":
        return bp.dyn.FullProjAlignPost(pre, delay, comm, bp.dyn.Expon(n_post, tau=tau), bp.dyn.COBA(E=E), post)
    if kind == "ProjAlignPreMg2":
        return bp.dyn.ProjAlignPreMg2(pre, bp.dyn.Expon.desc(n_pre, tau=tau), delay, comm, bp.dyn.COBA.desc(E=E), post)
    if kind == "ProjAlignPreMg1":
        return bp.dyn.ProjAlignPreMg1(pre, delay, bp.dyn.Expon.desc(n_pre, tau=tau), comm, bp.dyn.COBA.desc(E=E), post)
    if kind == "FullProjDelta":
        return bp.dyn.FullProjDelta(pre, delay, bp.dnn.EventCSRLinear(bp.conn.FixedProb(0.2, pre=n_pre, post=n_post),
                                                                      w if E == 0. else -w), post)
    steps = None if delay is None else int(round(delay / 0.1))
    # seeded: AMPA and GABAa draw their matrix when made, from bm.random's stream, which the groups' initial
    # values advance (two groups draw twice, one group once); a seed gives both models the same graph
    conn = bp.conn.FixedProb(0.2, seed=n_pre + 7 * n_post)
    if kind == "Exponential":
        return bp.synapses.Exponential(pre, post, conn, g_max=w, tau=tau, output=bp.synouts.COBA(E=E), delay_step=steps)
    if kind == "Alpha":
        return bp.synapses.Alpha(pre, post, conn, g_max=w, tau_decay=tau, output=bp.synouts.COBA(E=E), delay_step=steps)
    if kind == "DualExponential":
        return bp.synapses.DualExponential(pre, post, conn, g_max=w, tau_decay=tau, output=bp.synouts.COBA(E=E),
                                           delay_step=steps)
    if kind == "Delta":
        return bp.synapses.Delta(pre, post, conn, g_max=w if E == 0. else -w, delay_step=steps)
    if kind == "STP":
        return bp.synapses.STP(pre, post, conn, U=0.2, tau_d=150., tau_f=2., A=w, delay_step=steps)
    if kind == "AMPA":
        return bp.synapses.AMPA(pre, post, conn, g_max=w / 10, delay_step=steps)
    if kind == "GABAa":
        return bp.synapses.GABAa(pre, post, conn, g_max=w / 10, delay_step=steps)
    raise AssertionError(kind)


class _Net(bp.DynSysGroup):
    """The E/I network: two groups, or one group N and its views N[:NE], N[NE:]; E2I and I2E of ``kinds``."""

    def __init__(self, views, kinds, delay=None):
        super().__init__()
        if views:
            self.N = bp.dyn.LifRef(NE + NI, **PARS)
            E, I = self.N[:NE], self.N[NE:]
        else:
            self.E, self.I = bp.dyn.LifRef(NE, **PARS), bp.dyn.LifRef(NI, **PARS)
            E, I = self.E, self.I
        ee, ei, ie, ii = kinds
        self.E2E = _expon(E, E, 0.6, 5., 0., ee, delay)
        self.E2I = _expon(E, I, 0.6, 5., 0., ei, delay)
        self.I2E = _expon(I, E, 6.7, 10., -80., ie, delay)
        self.I2I = _expon(I, I, 6.7, 10., -80., ii, delay)

    def start(self):
        if "N" in self.__dict__:
            self.N.V[:] = V0
        else:
            self.E.V[:], self.I.V[:] = V0[:NE], V0[NE:]
        return self


CASES = {  # (E2E, E2I, I2E, I2I), delay in ms: every class as pre and as post, of a view and of the whole group
    "2.4 align-post, delta": (("FullProjAlignPostMg", "FullProjDelta", "FullProjAlignPost", "FullProjDelta"), 0.2),
    "2.4 align-pre": (("ProjAlignPreMg2", "ProjAlignPreMg1", "ProjAlignPreMg1", "ProjAlignPreMg2"), 0.3),
    "2.3 exponential, no delay": (("Exponential", "Alpha", "DualExponential", "Delta"), None),
    "2.3 kinetic, delayed": (("AMPA", "STP", "GABAa", "Delta"), 0.2),
}


class _Cases(bp.DynSysGroup):
    """The E/I network of every case side by side (``case0``, ``case1``...: independent, the same paths in both
    models, so the same graphs), run once: one compiled program for the cases instead of one each."""

    def __init__(self, views):
        super().__init__()
        for i, case in enumerate(sorted(CASES)):
            kinds, delay = CASES[case]
            setattr(self, f"case{i}", _Net(views, kinds, delay).start())


def _case_spikes(views, steps=300):
    parts = [f"case{i}" for i in range(len(CASES))]
    groups = ["N"] if views else ["E", "I"]
    mon = bp.DSRunner(_Cases(views), monitors=[f"{p}.{g}.spike" for p in parts for g in groups],
                      inputs=[(f"{p}.{g}.input", 20.) for p in parts for g in groups], progress_bar=False,
                      seed=3).run(steps * 0.1)
    return {case: np.concatenate([mon[f"{p}.{g}.spike"] for g in groups], axis=-1)
            for case, p in zip(sorted(CASES), parts)}


def test_one_group_with_views_spikes_as_two_groups():
    two = _case_spikes(False)
    one = _case_spikes(True)
    for case in sorted(CASES):
        assert two[case][:, :NE].sum() > 20 and two[case][:, NE:].sum() > 5, \
            f"{case}: the network must fire for the test to mean anything"
        np.testing.assert_array_equal(one[case], two[case], err_msg=case)


def test_a_view_has_the_parts_size_and_variables_and_writes_into_the_parent():
    N = bp.dyn.LifRef(10, keep_size=False)
    E = N[2:7]
    assert (E.size, E.num, E.varshape) == ((5,), 5, (5,)) and E is N[2:7] and N[-3:] is N[7:10]
    assert N[4].num == 1 and N[-1] is N[9:10]
    N.V[:] = np.arange(10, dtype=np.float32)
    np.testing.assert_array_equal(E.V.value, np.arange(2, 7))
    E.V[:] = 0.
    E.V += 1.
    E.spike = np.ones(5, bool)  # BrainPy's DynView: view.x = value writes the part
    np.testing.assert_array_equal(N.V.value, [0, 1, 1, 1, 1, 1, 1, 7, 8, 9])
    np.testing.assert_array_equal(N.spike.value, [0, 0, 1, 1, 1, 1, 1, 0, 0, 0])
    assert isinstance(E, bp.NeuDyn) and "a view of" in repr(E)
    with pytest.raises(AttributeError, match="read parameters on"):
        E.tau
    grid = bp.dyn.Lif((4, 3), keep_size=True)
    assert grid[1:3].varshape == (2, 3) and grid[1:3, :].V.shape == (2, 3)


@pytest.mark.parametrize("index, message", [
    (slice(0, 40, 2), r"N\[0:40:2\]: a view with a step \(2\) is not supported.*one group per part"),
    (slice(0, 60), r"N\[0:60\]: stop 60 is out of range for a group of 50 neurons"),
    (50, r"N\[50\]: index 50 is out of range for a group of 50 neurons"),
    (slice(30, 10), r"N\[30:10\]: the view would hold no neuron"),
    ([1, 2, 3], r"index lists and masks are not supported"),
    ((slice(0, 2), slice(0, 1)), r"2 indices for a group whose variables have shape \(50,\)"),
])
def test_bad_indices_are_named(index, message):
    N = bp.dyn.LifRef(50, name="N")
    with pytest.raises(IndexError, match=message):
        N[index]


def test_a_view_of_a_view_is_refused_with_the_way_out():
    N = bp.dyn.LifRef(50, name="N")
    with pytest.raises(TypeError, match=r"N\[0:30\]\[:10\]: a view of a view is not supported.*N\[a:b\]"):
        N[:30][:10]


def test_a_view_held_as_an_attribute_is_no_node_of_the_model():
    # BrainPy's DynSysGroup skips views: self.E = self.N[:10] neither adds state nor is stepped (it was refused)
    class Net(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.N = bp.dyn.LifRef(20, **PARS)
            self.E = self.N[:10]
            self.parts = [self.N[10:]]

    net = Net()
    assert set(net.nodes().values()) == {net, net.N} and set(net.vars()) == {f"N.{k}" for k in net.N.vars()}
    mon = bp.DSRunner(net, monitors=["N.V"], inputs=[(net.E.input, 20.)], progress_bar=False).run(10.)
    # all spike at once (V starts at 0) and are held 5 ms; then only the part given the input rises from rest
    assert mon["N.V"].shape == (100, 20) and (mon["N.V"][-1, :10] > -58.).all() and (mon["N.V"][-1, 10:] == -60.).all()
    with pytest.raises(TypeError, match=r"view of \w+: it has no state of its own; reset its parent"):
        net.E.reset_state()


def test_views_are_monitored_and_take_inputs_on_their_part_only():
    net = _Net(True, CASES["2.4 align-post, delta"][0]).start()
    E, I = net.N[:NE], net.N[NE:]
    runner = bp.DSRunner(net, monitors={"E.spike": E.spike, "I.V": I.V, "N.spike": net.N.spike},
                         inputs=[(E.input, 20.), (I.input, np.full((100, NI), 20., np.float32), "iter"),
                                 (I.input, lambda tdi: 0.5, "func", "*")], progress_bar=False, seed=3)
    mon = runner.run(10.)
    assert mon["E.spike"].shape == (100, NE) and mon["I.V"].shape == (100, NI)
    np.testing.assert_array_equal(mon["E.spike"], mon["N.spike"][:, :NE])
    two = _Net(False, CASES["2.4 align-post, delta"][0]).start()
    ref = bp.DSRunner(two, monitors=["E.spike", "I.V"], inputs=[("E.input", 20.), ("I.input", 10.)],
                      progress_bar=False, seed=3).run(10.)
    np.testing.assert_array_equal(mon["E.spike"], ref["E.spike"])
    np.testing.assert_allclose(mon["I.V"], ref["I.V"], rtol=0, atol=1e-5)
    listed = bp.DSRunner(net, monitors=[E.V], progress_bar=False).run(0.2)
    assert listed[f"N.V[0:{NE}]"].shape == (2, NE)
    with pytest.raises(ValueError, match=r"an input on a view takes '\+', '-', '\*' or '/'"):
        bp.DSRunner(net, inputs=[(E.input, 1., "fix", "=")], progress_bar=False)


def test_two_mg_projections_onto_one_view_with_one_synapse_sum_as_one():
    # BrainPy merges the synapses of FullProjAlignPostMg with the same description onto the same post: one g takes
    # both projections' spikes. Each projection keeps its own g here (linear: the same current); checked against
    # one projection of the summed drive
    def net(split):
        class Net(bp.DynSysGroup):
            def __init__(self):
                super().__init__()
                self.N = bp.dyn.LifRef(NE + NI, **PARS)
                self.src = bp.dyn.SpikeTimeGroup(2, indices=[0, 1, 0], times=[1., 2., 3.])
                E = self.N[:NE]
                syn, out = bp.dyn.Expon.desc(NE, tau=5.), bp.dyn.COBA.desc(E=0.)
                if split:
                    self.a = bp.dyn.FullProjAlignPostMg(self.src, None, bp.dnn.AllToAll(2, NE, 0.3), syn, out, E)
                    self.b = bp.dyn.FullProjAlignPostMg(self.src, None, bp.dnn.AllToAll(2, NE, 0.2), syn, out, E)
                else:
                    self.a = bp.dyn.FullProjAlignPostMg(self.src, None, bp.dnn.AllToAll(2, NE, 0.5), syn, out, E)
        return Net()

    def V(model):
        model.N.V[:] = -60.
        return bp.DSRunner(model, monitors=["N.V"], progress_bar=False, seed=0).run(6.)["N.V"]

    split, joint = V(net(True)), V(net(False))
    assert np.all(split[-1, :NE] > -60.) and np.all(split[:, NE:] == -60.)  # the part only
    np.testing.assert_allclose(split, joint, rtol=0, atol=1e-5)


def test_half_projections_onto_views_as_one_network_update_calls_them():
    class Net(bp.DynSysGroup):
        def __init__(self, views):
            super().__init__()
            if views:
                self.N = bp.dyn.LifRef(NE + NI, **PARS)
                E, I = self.N[:NE], self.N[NE:]
            else:
                self.E, self.I = bp.dyn.LifRef(NE, **PARS), bp.dyn.LifRef(NI, **PARS)
                E, I = self.E, self.I
            self.views = views
            fp = lambda n_pre, n_post, w: bp.dnn.EventCSRLinear(bp.conn.FixedProb(0.2, pre=n_pre, post=n_post), w)  # noqa: E731
            self.E2E = bp.dyn.HalfProjAlignPostMg(fp(NE, NE, .6), bp.dyn.Expon.desc(NE, tau=5.), bp.dyn.COBA.desc(E=0.), E)
            self.E2I = bp.dyn.HalfProjAlignPost(fp(NE, NI, .6), bp.dyn.Expon(NI, tau=5.), bp.dyn.COBA(E=0.), I)
            self.I2E = bp.dyn.VanillaProj(fp(NI, NE, 1.), bp.dyn.COBA(E=-80.), E)
            self.I2I = bp.dyn.HalfProjDelta(fp(NI, NI, -1.), I)

        def update(self, inp):
            if self.views:
                E, I = self.N[:NE], self.N[NE:]
                spk_e, spk_i = E.spike.value, I.spike
            else:
                spk_e, spk_i = self.E.spike.value, self.I.spike
            self.E2E(spk_e)
            self.E2I(spk_e)
            self.I2E(spk_i)
            self.I2I(spk_i)
            if self.views:
                self.N(inp)
                return self.N.spike.value
            self.E(inp)
            self.I(inp)
            return bp.math.concatenate([self.E.spike.value, self.I.spike.value])

    out = []
    for views in (False, True):
        net = Net(views)
        if views:
            net.N.V[:] = V0
        else:
            net.E.V[:], net.I.V[:] = V0[:NE], V0[NE:]
        out.append(np.asarray(bp.DSRunner(net, progress_bar=False, seed=3).predict(inputs=np.full(300, 20., np.float32))))
    assert out[0].sum() > 20
    np.testing.assert_array_equal(out[1], out[0])


class _Driven(_Net):
    def update(self):
        self.N.input += 20.
        super().update()


def _build():
    net = _Driven(True, ("FullProjAlignPostMg", "Exponential", "ProjAlignPreMg2", "FullProjAlignPost"), 0.2)
    net.N = net.N  # V drawn per run below: each lane its own start
    return net


def test_lanes_of_a_batch_equal_their_runs_alone():
    sim = Simulation(lambda p: _build(), normalize_monitors({"E_spike": ("N.spike", slice(0, NE)), "V": "N.V"}),
                     dt=0.1)
    _, lanes = sim.run([0, 1, 2], {}, 200, keep=True)
    _, alone = sim.run([1], {}, 200, keep=True)
    assert lanes["E_spike"].shape[1:] == (200, NE) and lanes["E_spike"].sum() > 0
    assert not np.array_equal(lanes["V"][0], lanes["V"][2])  # each run its own graph and drive
    np.testing.assert_array_equal(lanes["E_spike"][1], alone["E_spike"][0])
    np.testing.assert_array_equal(lanes["V"][1], alone["V"][0])


EXPERIMENT = '''
import brainbatch.brainpy as bp

PARS = dict(V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.)


class Net(bp.DynSysGroup):
    def __init__(self, we):
        super().__init__()
        self.N = bp.dyn.LifRef(50, V_initializer=bp.init.Normal(-55., 2.), **PARS)
        E, I = self.N[:40], self.N[40:]
        fp = lambda a, b, w: bp.dnn.EventCSRLinear(bp.conn.FixedProb(0.2, pre=a.num, post=b.num), w)
        self.E2N = bp.dyn.FullProjAlignPostMg(E, 0.2, fp(E, self.N, we), bp.dyn.Expon.desc(50, tau=5.),
                                              bp.dyn.COBA.desc(E=0.), self.N)
        self.I2E = bp.dyn.ProjAlignPreMg2(I, bp.dyn.Expon.desc(10, tau=10.), None,
                                          bp.dnn.CSRLinear(bp.conn.FixedProb(0.2, pre=10, post=40), 6.7),
                                          bp.dyn.COBA.desc(E=-80.), E)
        self.I2I = bp.synapses.Exponential(I, I, bp.conn.FixedProb(0.2), g_max=6.7, tau=10.,
                                           output=bp.synouts.COBA(E=-80.))

    def update(self):
        self.N.input += 20.
        super().update()


def build(we: float = 0.6):
    return Net(we)


monitors = {"E_spike": ("N.spike", [0, 1, 2, 3, 4]), "rate": "N.spike"}
duration = 30.0
'''


def test_a_sweep_of_an_experiment_with_views(tmp_path):
    import xarray as xr

    from brainbatch.cli import main

    path = tmp_path / "views.py"
    path.write_text(EXPERIMENT)
    out = tmp_path / "views.zarr"
    res = CliRunner().invoke(main, ["sweep", str(path), "--seeds", "0-1", "-p", "we=0.3,0.9", "--out", str(out)],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    ds = xr.open_zarr(out)
    assert ds["rate"].sizes["N_neuron"] == 50 and "N_V" not in ds
    counts = ds["rate"].sum([d for d in ds["rate"].dims if d not in ("we", "seed")]).transpose("we", "seed").values
    assert np.all(counts > 0) and np.all(counts[1] > counts[0]), counts  # stronger excitation, more spikes


def test_models_without_views_are_untouched():
    # the hot loop of a model with no views meets none of the view code: its groups have no view table and its
    # projections hold no view
    net = _Net(False, CASES["2.4 align-post, delta"][0]).start()
    assert _view._VIEWS not in net.E.__dict__ and "_views" not in net.E2I.__dict__
    assert net.E2I.pre is net.E and net.E2I._pre is net.E
