"""Distributions for weights and delays: truncated normal (NEST's ``redraw``), lognormal, sign-preserving
weights, normal per-synapse delays truncated at dt. Tolerances are standard errors of the sample mean."""
import jax
import numpy as np
import pytest
from scipy import stats

import brainbatch as bb
from brainbatch.models import CUBA, Exponential, FixedProb, Projection

from _projection_support import DT, Probe, Source


def _reset(**kw):
    pre, post = Source(np.zeros((1, 3), bool)), Probe(400)
    proj = Projection(pre, post, FixedProb(0.5), Exponential(5.0), CUBA(), **kw)
    with bb.environment(key=jax.random.key(0), dt=DT):
        bb.Network(pre=pre, post=post, proj=proj).reset()
    return proj, np.asarray(proj.targets.value) < 400

N = 200_000


def _draw(init, n=N, seed=0):
    return np.asarray(init((n,), key=jax.random.key(seed)), np.float64)


def test_truncated_normal_matches_scipy_and_respects_bounds():
    mean, sd, low, high = 1.5, 0.75, 0.1, 3.0
    x = _draw(bb.TruncatedNormal(mean, sd, low, high))
    ref = stats.truncnorm((low - mean) / sd, (high - mean) / sd, loc=mean, scale=sd)
    assert x.min() >= low and x.max() <= high
    assert abs(x.mean() - ref.mean()) < 5 * ref.std() / np.sqrt(N)
    assert abs(x.std() - ref.std()) < 0.01 * ref.std()
    assert stats.kstest(x, ref.cdf).pvalue > 1e-3


def test_keep_sign_is_redraw_not_clip():
    # mean 0.5 sd: 31 % of an untruncated normal is negative; redrawn, none are and no mass sits at 0
    x = _draw(bb.Normal(-1.0, 2.0, keep_sign=True))
    ref = stats.truncnorm(-np.inf, 0.5, loc=-1.0, scale=2.0)
    assert x.max() <= 0 and np.mean(x == 0) < 1e-4
    assert abs(x.mean() - ref.mean()) < 5 * ref.std() / np.sqrt(N)


def test_lognormal_has_numpys_parameters():
    x = _draw(bb.LogNormal(0.3, 0.4))
    logs = np.log(x)
    assert abs(logs.mean() - 0.3) < 5 * 0.4 / np.sqrt(N) and abs(logs.std() - 0.4) < 0.004


def test_normal_delays_per_synapse_are_truncated_at_dt_and_bounded():
    proj, valid = _reset(delay=bb.Normal(0.75, 0.375))
    steps = np.asarray(proj.delay_steps.value)[valid]
    assert steps.min() >= 1  # truncated at dt: no zero delay, as NEST's min=resolution
    assert steps.max() <= round((0.75 + 5 * 0.375) / 0.1)
    assert proj.pending.shape[0] == round((0.75 + 5 * 0.375) / 0.1) + 1
    # mean of the truncated normal (rounded to steps), 10^4 synapses
    ref = stats.truncnorm((0.1 - 0.75) / 0.375, 5.0, loc=0.75, scale=0.375)
    assert abs(steps.mean() * 0.1 - ref.mean()) < 5 * ref.std() / np.sqrt(steps.size) + 0.005


def test_sign_preserving_weights_per_synapse():
    proj, valid = _reset(weight=bb.Normal(-1.0, 1.0, keep_sign=True))
    w = np.asarray(proj.weights.value)[valid]
    assert w.max() <= 0 and w.size > 500


def test_unbounded_or_traced_delay_distributions_are_refused():
    pre, post = Source(np.zeros((2, 3), bool)), Probe(4)
    with pytest.raises(ValueError, match="finite"):
        Projection(pre, post, FixedProb(0.5), Exponential(5.0), CUBA(), delay=bb.LogNormal(0.0, np.inf))  # refused when made (sigma inf)
    with pytest.raises(ValueError, match="low < high"):
        bb.TruncatedNormal(0.0, 1.0, 2.0, 1.0)


def test_a_model_built_eagerly_draws_the_values_a_trace_draws_without_a_compile_per_group():
    # outside a trace, constants are made with NumPy and the built-in random initializers draw through
    # one cached program per size bucket (element i of a draw depends only on the key and i)
    from jax import monitoring

    from brainbatch.core.initializers import init_array

    compiles = []
    monitoring.register_event_duration_secs_listener(
        lambda event, secs, **kw: compiles.append(event) if event == "/jax/core/compile/backend_compile_duration"
        else None)
    sizes = (2068, 583, 2192, 548, 485, 106, 1440, 295)
    groups = [bb.LifRef(n, V_initializer=bb.Normal(-58.0, 10.0), tau_ref=2.0) for n in sizes]
    # fewer compiles than groups (the keys' hashes, one draw): before, 8 draws, 16 scalings, ~25 broadcasts
    assert len(compiles) < len(sizes), compiles
    key = jax.random.key(7)
    for init in (bb.Normal(-58.0, 10.0), bb.Uniform(0.0, 2.0), bb.Normal(1.0, 0.1, keep_sign=True)):
        eager = np.asarray(init_array(init, (583,), key=key))
        traced = np.asarray(jax.jit(lambda k, init=init: init_array(init, (583,), key=k))(key))
        np.testing.assert_array_equal(eager, traced)
    assert all(g.V.value.shape == (n,) for g, n in zip(groups, sizes))
    assert init_array(0, (), np.int32).shape == init_array(bb.Normal(0.0, 1.0), (), key=key).shape == ()  # 0-d kept
