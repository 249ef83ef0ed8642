"""Ions and the channels reading them (native classes): the reversal potential is BrainPy's Nernst formula,
the concentration is state and rises with an inward calcium current, and misplaced channels and bad
parameters are refused. BrainPy 2.8.2's traces (through ``bp.dyn``): tests/brainpy/test_ions.py.
"""
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.models import channels as ch


def test_the_reversal_potential_is_brainpys_nernst_formula():
    ca = ch.CalciumDetailed(3, T=30.0, C0=1.5)
    C = jnp.asarray([1e-4, 2.4e-4, 1e-2])
    expected = 8.31441 / (2 * 96.489) * (273.15 + 30.0) * np.log(1.5 / np.asarray(C, np.float64))
    np.testing.assert_allclose(np.asarray(ca.reversal_potential(C)), expected, rtol=1e-6)
    np.testing.assert_allclose(float(ca.E.value[0]), 8.31441 / (2 * 96.489) * 303.15 * np.log(1.5 / 2.4e-4), rtol=1e-6)


def test_calcium_is_state_and_rises_with_an_inward_calcium_current():
    n = 1
    g = ch.CondNeuGroupLTC(n, V_initializer=bb.Constant(-50.0), IL=ch.IL(n, g_max=0.05, E=-50.0),
                           Ca=ch.CalciumDetailed(n, IT=ch.ICaL_IS2008(n, g_max=1.0)))
    assert {"Ca.C", "Ca.E", "Ca.IT.p", "Ca.IT.q"} <= set(g.vars())
    out = bb.Runner(g, monitors=["Ca.C", "Ca.E"], dt=0.1, progress_bar=False).run(5.0)
    C = np.asarray(out["Ca.C"])[:, 0]
    assert C[-1] > 2.4e-4 and np.all(np.diff(C) > 0)  # inward I_Ca brings calcium in (BrainPy 2.8.2: never)
    assert np.asarray(out["Ca.E"])[-1, 0] < 120.25


@pytest.mark.parametrize("build, error, match", [
    (lambda: ch.PotassiumFixed(2, IT=ch.ICaT_HP1992(2)), TypeError, "needs a Calcium ion, not PotassiumFixed"),
    (lambda: ch.CalciumFixed(2, IT=ch.ICaN_IS2008(2)), TypeError, "needs a CalciumDyna ion"),
    (lambda: ch.CalciumFixed(2, IL=ch.IL(2)), TypeError, "go on the group"),
    (lambda: ch.CalciumDetailed(2, IAHP=ch.IAHP_De1994v2(2)), TypeError, "add it to mix_ions"),
    (lambda: ch.mix_ions(ch.PotassiumFixed(2)), TypeError, "two ions or more"),
    (lambda: ch.MixIons(ch.PotassiumFixed(2), ch.SodiumFixed(2), IAHP=ch.IAHP_De1994v2(2)), TypeError,
     "no Calcium ion"),
    (lambda: ch.CondNeuGroup(2, IT=ch.ICaT_HM1992(2)).reset_state(), TypeError, "add it to such an ion"),
    # ions mixed but not channels of the group would never be stepped (BrainPy 2.8.2 runs them unstepped)
    (lambda: ch.CondNeuGroupLTC(2, KCa=ch.mix_ions(ch.PotassiumFixed(2), ch.CalciumDetailed(2))), ValueError,
     r"channel 'KCa' mixes PotassiumFixed ion '.*', which is not a channel of the group"),
    (lambda: ch.mix_ions(ch.CalciumFixed(2), ch.CalciumDetailed(2)), ValueError,
     r"one ion of each kind, got 2 Calcium ions \(\['CalciumFixed', 'CalciumDetailed'\]\)"),
    (lambda: ch.CalciumDetailed(2, tau=0.0), ValueError, "tau must be > 0"),
    (lambda: ch.CalciumFirstOrder(2, beta=-1.0), ValueError, "beta must be > 0"),
    (lambda: ch.ICaT_HP1992(2, g_max=-1.0), ValueError, "g_max must be >= 0"),
    (lambda: ch.IK_Leak(2, g_max=-0.1), ValueError, "g_max must be >= 0"),
    (lambda: ch.IK_TM1991v2(2, E=-90.0), TypeError, "takes E from its ion"),
])
def test_misplaced_channels_and_bad_parameters_are_refused(build, error, match):
    with pytest.raises(error, match=match):
        build()


def test_a_channel_named_like_a_method_of_its_ion_and_bad_starts_are_refused():
    from brainbatch.models.channels import CalciumDetailed, ICaT_HP1992

    ca = CalciumDetailed(1)
    with pytest.raises(ValueError, match="'update' names a method or attribute of CalciumDetailed"):
        ca.add_elem(update=ICaT_HP1992(1))
    with pytest.raises(ValueError, match="calcium concentration must start > 0 mM"):
        CalciumDetailed(2, C_initializer=-1.0)
    with pytest.raises(ValueError, match="T is the temperature in °C and must lie above -273.15, got -300.0"):
        CalciumDetailed(2, T=-300.0)
    with pytest.raises(ValueError, match=r"g_max=Uniform\(.*\) draws random numbers, but a parameter is fixed"):
        ICaT_HP1992(3, g_max=bb.Uniform(1.0, 2.0))


def test_an_ion_run_on_its_own_says_it_belongs_to_a_group():
    import brainbatch.brainpy as bp

    with pytest.raises(TypeError, match="CalciumDetailed is stepped by the conductance-based group it belongs to"):
        bp.DSRunner(bp.dyn.CalciumDetailed(2), monitors=['C'], progress_bar=False).run(0.3)
