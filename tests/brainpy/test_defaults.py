"""Initial states and defaults of the BrainPy neurons, as BrainPy 2.8.2's source sets them (issue 20, item 3).

Reference values are read off BrainPy 2.8.2's code, not computed by brainbatch:
- ``brainpy/dyn/neurons/hh.py``, ``HHLTC``: ``m_initializer=h_initializer=n_initializer=None``, and
  ``reset_state`` sets each gate to ``x_inf(V) = alpha_x(V) / (alpha_x(V) + beta_x(V))`` with
  ``m_alpha = 1 / exprel(-(V + 40) / 10)``, ``m_beta = 4 exp(-(V + 65) / 18)``,
  ``h_alpha = 0.07 exp(-(V + 65) / 20)``, ``h_beta = 1 / (1 + exp(-(V + 35) / 10))``,
  ``n_alpha = 0.1 / exprel(-(V + 55) / 10)``, ``n_beta = 0.125 exp(-(V + 65) / 80)``.
- ``brainpy/dyn/neurons/lif.py``, ``IzhikevichLTC``: ``V_initializer=OneInit(-70.)``,
  ``u_initializer=None`` -> ``OneInit(b * V)``; ``AdExIFLTC``: ``V_th=-55.``, ``V_initializer=ZeroInit()``,
  ``w_initializer=ZeroInit()``.
"""
import numpy as np
import pytest

import brainbatch as bb
import brainbatch.brainpy as bp


def exprel(x):
    return np.where(np.abs(x) < 1e-8, 1.0, np.expm1(x) / np.where(x == 0, 1.0, x))


def steady(V):
    m_a, m_b = 1 / exprel(-(V + 40) / 10), 4.0 * np.exp(-(V + 65) / 18)
    h_a, h_b = 0.07 * np.exp(-(V + 65) / 20.), 1 / (1 + np.exp(-(V + 35) / 10))
    n_a, n_b = 0.1 / exprel(-(V + 55) / 10), 0.125 * np.exp(-(V + 65) / 80)
    return m_a / (m_a + m_b), h_a / (h_a + h_b), n_a / (n_a + n_b)


@pytest.mark.parametrize("cls", [lambda n: bp.neurons.HH(n), lambda n: bb.HH(n)])
def test_hh_gates_start_at_the_steady_state_of_v_and_nothing_fires_without_input(cls):
    group = cls(100)
    V, m, h, n = (np.asarray(x.value, np.float64) for x in (group.V, group.m, group.h, group.n))
    assert np.all((V >= -70) & (V < -60))
    for got, want in zip((m, h, n), steady(V)):
        np.testing.assert_allclose(got, want, rtol=2e-5)
    spikes = bp.DSRunner(group, monitors=['spike'], progress_bar=False).run(5.)['spike']
    assert spikes.sum() == 0  # BrainPy fires none (with m, h, n fixed at 0.5, 0.6, 0.32 all 100 fired at t=0)


@pytest.mark.parametrize("make", [lambda: bp.neurons.Izhikevich(3), lambda: bp.dyn.Izhikevich(3),
                                  lambda: bp.dyn.IzhikevichLTC(3), lambda: bb.Izhikevich(3)])
def test_izhikevich_starts_at_v_minus_70_and_u_b_times_v(make):
    g = make()
    np.testing.assert_array_equal(np.asarray(g.V.value), -70.0)
    np.testing.assert_allclose(np.asarray(g.u.value), 0.2 * -70.0, rtol=1e-6)
    g2 = bp.neurons.Izhikevich(2, b=0.25, V_initializer=bb.Constant(-60.))
    np.testing.assert_allclose(np.asarray(g2.u.value), -15.0, rtol=1e-6)


def test_adexif_starts_at_zero_with_threshold_minus_55_as_brainpy():
    g = bp.neurons.AdExIF(4)
    assert float(np.asarray(g.V_th).max()) == -55.0
    np.testing.assert_array_equal(np.asarray(g.V.value), 0.0)
    np.testing.assert_array_equal(np.asarray(g.w.value), 0.0)
    spikes = bp.DSRunner(g, monitors=['spike'], progress_bar=False).run(1.)['spike']
    assert spikes[0].all() and not spikes[1:].any()  # V = 0 > V_th: BrainPy's groups all spike in step 0
    assert float(np.asarray(bb.AdEx(1).V_th).max()) == -55.0  # the native model's threshold is BrainPy's too


def test_refractory_period_of_the_2_3_adexif_is_brainpys_adexifref():
    # bp.neurons.AdExIF is BrainPy's AdExIFRef (brainpy/dynold/neurons/reduced_models.py): tau_ref is kept
    # (it was refused while brainbatch had no refractory AdEx; tests/brainpy/test_if_neurons.py runs it)
    assert float(bp.neurons.AdExIF(2, tau_ref=2.).tau_ref) == 2.0
