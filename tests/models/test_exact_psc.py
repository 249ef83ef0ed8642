"""``LIF(method="exact")``: an exponential current through CUBA is integrated in closed form (NEST's
iaf_psc_exp, Brian2's ``exact``); the PSP equals the analytic solution at every step."""
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.models import CUBA, AllToAll, Exponential, LifRef, Projection

from _projection_support import DT, Source, simulate

C_M, TAU_M, W = 250.0, 10.0, 87.81  # NEST's microcircuit: pF, ms, pA (a 0.15 mV PSP)


def _psp(tau_syn, method, n_steps=300):
    raster = np.zeros((n_steps, 1), bool)
    raster[0, 0] = True  # delivered in step 1: g = W from t = 0.1 ms on
    pre = Source(raster)
    post = LifRef(1, V_rest=0.0, V_reset=0.0, V_th=1e9, tau=TAU_M, tau_ref=2.0, C_m=C_M,
                  V_initializer=bb.Constant(0.0), method=method)
    proj = Projection(pre, post, AllToAll(), Exponential(tau_syn), CUBA(), weight=W)
    v = simulate(bb.Network(pre=pre, post=post, proj=proj), n_steps, lambda: post.V.value)
    return np.asarray(v, np.float64)[:, 0]  # V_rest 0: float32 keeps the small PSP exact


def _analytic(tau_syn, n_steps=300):
    s = (np.arange(n_steps) * DT)  # V after step k has integrated k - 0 steps since arrival at step 1
    s = np.maximum(s, 0.0)
    R = TAU_M / C_M
    if tau_syn == TAU_M:
        return R * W * (s / TAU_M) * np.exp(-s / TAU_M)
    return R * W * tau_syn / (tau_syn - TAU_M) * (np.exp(-s / tau_syn) - np.exp(-s / TAU_M))


@pytest.mark.parametrize("tau_syn", [0.5, 2.0, TAU_M])
def test_exact_psp_equals_the_analytic_solution(tau_syn):
    v, ref = _psp(tau_syn, "exact"), _analytic(tau_syn)
    np.testing.assert_allclose(v, ref, atol=2e-5 * ref.max() + 1e-7)
    if tau_syn == 0.5:
        assert abs(ref.max() - 0.15) < 0.001  # NEST's conversion of a 0.15 mV PSP to 87.81 pA


def test_exponential_euler_holds_the_current_and_overshoots():
    # the documented error of the default: the current is held over the step
    v, ref = _psp(0.5, "exp_euler"), _analytic(0.5)
    assert 1.08 < v.max() / ref.max() < 1.12


def test_c_m_and_r_are_exclusive():
    with pytest.raises(ValueError, match="either C_m"):
        LifRef(1, C_m=250.0, R=2.0)
    assert LifRef(1, tau=10.0, C_m=250.0).R == pytest.approx(0.04)
