"""Synapse dynamics against their closed-form impulse responses, and the CUBA/COBA outputs."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.models import COBA, CUBA, Alpha, DualExpon, DualExponential, Expon, Exponential

DT, N = 0.1, 300


def impulse_response(syn, w=0.7, n=N):
    """g after a spike of weight ``w`` delivered in step 0 (a jitted scan over the steps)."""
    xs = jnp.zeros((n, 1)).at[0].set(w)
    with bb.environment(dt=DT):
        syn.reset_state()
        g = bb.for_loop(lambda x: syn.update(x), xs, dyn_vars=syn)
    return np.asarray(g[:, 0], dtype=np.float64), DT * np.arange(n)


def test_exponential_matches_closed_form():
    g, t = impulse_response(Exponential(tau=5.0, size=1))
    np.testing.assert_allclose(g, 0.7 * np.exp(-t / 5.0), rtol=1e-5, atol=1e-7)


def test_alpha_matches_closed_form():
    g, t = impulse_response(Alpha(tau=2.0, size=1))
    np.testing.assert_allclose(g, 0.7 * (t / 2.0) * np.exp(-t / 2.0), rtol=1e-5, atol=1e-7)
    assert abs(t[np.argmax(g)] - 2.0) < DT  # peak at tau


@pytest.mark.parametrize("tau_rise,tau_decay", [(1.0, 10.0), (3.0, 3.0), (3.0, 3.0 + 1e-5)])
def test_dual_exponential_matches_closed_form(tau_rise, tau_decay):
    g, t = impulse_response(DualExponential(tau_rise, tau_decay, size=1))
    if tau_rise == tau_decay:
        expected = 0.7 * t * np.exp(-t / tau_decay)
    else:
        expected = 0.7 * tau_decay * tau_rise / (tau_decay - tau_rise) * (np.exp(-t / tau_decay) - np.exp(-t / tau_rise))
    np.testing.assert_allclose(g, expected, rtol=1e-4, atol=1e-6)


def test_time_constants_may_be_traced_and_per_neuron():
    def decay(tau):
        syn = Exponential(tau=tau, size=2)
        with bb.environment(dt=DT):
            syn.update(1.0)
            return syn.update(0.0)

    taus = jnp.array([2.0, 5.0, 10.0])
    out = jax.vmap(decay)(taus)  # a sweep over tau
    np.testing.assert_allclose(out[:, 0], np.exp(-DT / np.asarray(taus)), rtol=1e-6)
    per_neuron = decay(np.array([2.0, 5.0]))
    np.testing.assert_allclose(per_neuron, np.exp(-DT / np.array([2.0, 5.0])), rtol=1e-6)


def test_aliases_and_state_metadata():
    assert Expon is Exponential and DualExpon is DualExponential
    syn = Alpha(tau=2.0, size=3)
    assert syn.g.shape == (3,) and syn.g.dims == ("neuron",) and syn.g.dtype == jnp.float32
    assert set(syn.vars()) == {"g", "h"}


@pytest.mark.parametrize("make", [lambda: Exponential(tau=-1.0), lambda: Alpha(tau=0.0),
                                  lambda: DualExponential(tau_rise="1", tau_decay=2.0)])
def test_bad_time_constants_are_named(make):
    with pytest.raises((ValueError, TypeError), match="tau"):
        make()


def test_unattached_synapse_says_how_to_fix():
    with pytest.raises(ValueError, match="has no size yet"):
        Exponential(5.0).varshape  # noqa: B018


def test_outputs():
    g, V = jnp.array([0.5, 1.0]), jnp.array([-60.0, -70.0])
    np.testing.assert_allclose(CUBA().current(g, V), g)
    np.testing.assert_allclose(COBA(E=-80.0).current(g, V), [0.5 * -20.0, 1.0 * -10.0])
    with pytest.raises(TypeError, match="E must be a reversal potential"):
        COBA(E=None)
    with pytest.raises(ValueError, match="membrane potential"):
        COBA(E=0.0).current(g, None)
