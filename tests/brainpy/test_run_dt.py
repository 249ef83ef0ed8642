"""A model built at one dt and run by ``bp.DSRunner(dt=...)`` at another computes with the running dt, as BrainPy
does (bad-input audit: the weight of ``FullProjAlignPostMg`` kept the build dt's one-step decay, and an old-style
``delay_step`` was turned into ms with the build dt, so 4 steps became 8). BrainPy 2.8.2 gives the same numbers
built at 0.1 ms or at 0.05 ms and run at 0.05 ms: peak g 0.951229 = exp(-0.05) for the first case."""
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm


@pytest.fixture
def restore_dt():
    yield
    bm.set_dt(0.1)


def _mg_peak(build_dt, weight):
    bm.set_dt(build_dt)
    pre = bp.dyn.SpikeTimeGroup(1, indices=[0], times=[1.0])
    post = bp.dyn.Lif(1, V_th=1e9)
    proj = bp.dyn.FullProjAlignPostMg(pre=pre, delay=None, comm=bp.dnn.AllToAll(1, 1, weight),
                                      syn=bp.dyn.Expon.desc(1, tau=1.), out=bp.dyn.CUBA.desc(), post=post)
    net = bp.DynSysGroup(pre=pre, proj=proj, post=post)
    runner = bp.DSRunner(net, monitors={"g": proj.refs["syn"].g}, dt=0.05, progress_bar=False)
    return float(np.max(runner.run(3.)["g"]))


@pytest.mark.parametrize("weight", [1.0, np.ones((1, 1))])  # a matrix weight was not decayed at all
def test_align_post_mg_decays_the_input_by_the_running_dt(restore_dt, weight):
    assert _mg_peak(0.1, weight) == pytest.approx(0.951229, abs=1e-6)
    assert _mg_peak(0.05, weight) == pytest.approx(0.951229, abs=1e-6)


def _first_rise(build_dt, make):
    bm.set_dt(build_dt)
    pre = bp.neurons.SpikeTimeGroup(1, indices=[0], times=[1.0])
    post = bp.neurons.LIF(1, V_th=1e9)
    syn = make(pre, post)
    runner = bp.DSRunner(bp.Network(pre=pre, post=post, syn=syn), monitors={"g": syn.g}, dt=0.05,
                         progress_bar=False)
    runner.run(3.)
    return float(runner.mon["ts"][np.argmax(np.asarray(runner.mon["g"]).ravel() > 0)])


@pytest.mark.parametrize("make", [
    lambda pre, post: bp.synapses.Exponential(pre, post, bp.conn.All2All(), delay_step=4, tau=5.),
    lambda pre, post: bp.synapses.Exponential(pre, post, bp.conn.All2All(), delay_step=np.array([4]), tau=5.),
], ids=["scalar", "per-neuron"])
def test_delay_step_counts_steps_of_the_running_dt(restore_dt, make):
    # the rule of docs/migrating-from-brainpy.md: an undelayed spike of 1.0 ms arrives one step later, d steps more
    assert _first_rise(0.1, make) == pytest.approx(_first_rise(0.05, make)) == pytest.approx(1.0 + (1 + 4) * 0.05)
