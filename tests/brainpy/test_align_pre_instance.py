"""``bp.dyn.FullProjAlignPreSD``/``FullProjAlignPreDS`` (a synapse instance sized by pre) and ``HalfProjAlignPostMg``
were missing (BrainPy audit). Reference numbers: tests/brainpy/reference/align_pre_instance_bp282.py, run under
BrainPy 2.8.2 (V rounded to 4 decimals there); the tolerance is the documented COBA-into-LifRef difference
(docs/migrating-from-brainpy.md, about 4e-4 relative in V here)."""
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

BRAINPY_V = [-64.1076, -60.8125, -52.4142, -51.5681]  # both classes; V of post neuron 0 at STEPS
STEPS = [15, 30, 60, 99]


def _run(cls, described=False):
    class Net(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.pre = bp.dyn.SpikeTimeGroup(2, indices=[0, 1, 0, 1], times=[1.0, 2.0, 3.0, 3.5])
            self.post = bp.dyn.LifRef(2, V_rest=-65.0, V_reset=-65.0, V_th=-50.0, V_initializer=bp.init.Constant(-65.0))
            if described:
                nmda, expon = bp.dyn.NMDA.desc(2), bp.dyn.Expon.desc(2, tau=3.0)
            else:
                nmda, expon = bp.dyn.NMDA(2), bp.dyn.Expon(2, tau=3.0)
            P = getattr(bp.dyn, cls)
            first = (lambda syn: (syn, None)) if "SD" in cls else (lambda syn: (None, syn))
            self.p1 = P(self.pre, *first(nmda), bp.dnn.AllToAll(2, 2, 0.5), bp.dyn.MgBlock(E=0.0), self.post)
            self.p2 = P(self.pre, *first(expon), bp.dnn.AllToAll(2, 2, 0.3), bp.dyn.COBA(E=0.0), self.post)

        def update(self):
            self.p1()
            self.p2()
            self.pre()
            self.post()
            return self.post.V.value

    with bm.environment(dt=0.1):
        net = Net()
        return np.asarray(bm.for_loop(net.step_run, np.arange(100)))[:, 0]


@pytest.mark.parametrize("cls", ["FullProjAlignPreSD", "FullProjAlignPreDS"])
def test_align_pre_projection_with_a_synapse_of_its_own(cls):
    V = _run(cls)
    np.testing.assert_allclose(V[STEPS], BRAINPY_V, atol=0.05)
    np.testing.assert_array_equal(V, _run(cls + "Mg", described=True))  # one projection each: nothing to merge


def test_its_synapse_must_have_the_presynaptic_size():
    pre, post = bp.dyn.LifRef(3), bp.dyn.LifRef(2)
    with pytest.raises(ValueError, match="syn has 2 neurons but the presynaptic group has 3"):
        bp.dyn.FullProjAlignPreSD(pre, bp.dyn.Expon(2), None, bp.dnn.AllToAll(3, 2, 0.5), bp.dyn.COBA(E=0.0), post)


def test_half_proj_align_post_mg_is_brainpys_name_of_proj_align_post_mg1():
    assert bp.dyn.HalfProjAlignPostMg is bp.dyn.ProjAlignPostMg1


# BrainPy 2.8.2's proj.refs['syn'].g (SDMg, SD: delay 1 ms; DSMg: none) at steps 12, 20, 30, 45, 70, the same in all
# three (tests/brainpy/reference/align_pre_g_bp282.py)
BRAINPY_G = [[0.9608, 0.0, 0.0], [0.8187, 1.0, 0.0], [0.6703, 0.8187, 1.0], [1.4014, 0.6065, 0.7408],
             [0.85, 0.3679, 0.4493]]


def test_the_synapse_of_an_align_pre_projection_holds_g_per_presynaptic_neuron():
    """Audit: a linear synapse of an align-pre projection is kept per postsynaptic neuron (event-driven, the same
    current), and proj.refs['syn'].g, the user's own instance's g too, gave those (n_post values) instead of
    BrainPy's presynaptic g."""
    for cls in ["FullProjAlignPreSDMg", "FullProjAlignPreDSMg", "FullProjAlignPreSD"]:
        class Net(bp.DynSysGroup):
            def __init__(self):
                super().__init__()
                self.pre = bp.dyn.SpikeTimeGroup(3, indices=[0, 1, 2, 0], times=[1.0, 2.0, 3.0, 4.0])
                self.post = bp.dyn.LifRef(2, V_th=1e9)
                comm, P = bp.dnn.AllToAll(3, 2, 0.5), getattr(bp.dyn, cls)
                if cls == "FullProjAlignPreSD":
                    self.syn = bp.dyn.Expon(3, tau=5.0)
                    self.proj = P(self.pre, self.syn, 1.0, comm, bp.dyn.CUBA(), self.post)
                elif cls.endswith("SDMg"):
                    self.proj = P(self.pre, bp.dyn.Expon.desc(3, tau=5.0), 1.0, comm, bp.dyn.CUBA(), self.post)
                else:
                    self.proj = P(self.pre, None, bp.dyn.Expon.desc(3, tau=5.0), comm, bp.dyn.CUBA(), self.post)

            def update(self):
                self.proj()
                self.pre()
                self.post()

        with bm.environment(dt=0.1):
            net = Net()
            monitors = {"g": net.proj.refs["syn"].g, "post": net.proj.syn.g}
            if cls == "FullProjAlignPreSD":
                monitors["own"] = net.syn.g
            mon = bp.DSRunner(net, monitors=monitors, progress_bar=False).run(8.)
        g = np.asarray(mon["g"])
        np.testing.assert_allclose(g[[12, 20, 30, 45, 70]], BRAINPY_G, atol=1e-4, err_msg=cls)
        if "own" in mon:
            np.testing.assert_array_equal(mon["own"], g)
        # the current is unchanged: what reaches post in step i is the presynaptic g of step i - 1 (- 10 with the
        # delay), through the weights
        lag = 1 if cls == "FullProjAlignPreDSMg" else 11
        np.testing.assert_allclose(np.asarray(mon["post"])[lag:], 0.5 * g[:-lag].sum(1, keepdims=True).repeat(2, 1),
                                   rtol=1e-5, atol=1e-6, err_msg=cls)
