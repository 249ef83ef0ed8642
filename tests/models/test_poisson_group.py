"""PoissonGroup: Bernoulli(freqs * dt / 1000) spikes per neuron and step, scalar, per-neuron or traced."""
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.core import BatchingMode, assign_paths
from brainbatch.models.inputs import PoissonGroup

DT = 0.1
Z = 4.5


def spikes_of(group, n_steps, key=0):
    with bb.environment(key=jax.random.key(key), dt=DT):
        assign_paths(group)
        group.reset()
        return bb.for_loop(lambda i: group.step_run(i), jnp.arange(n_steps), dyn_vars=group)


def test_per_neuron_rates_and_batch_lanes():
    freqs = jnp.array([0.0, 20.0, 200.0, 1000.0 / DT])  # the last fires every step
    g = PoissonGroup(1000, freqs=jnp.tile(freqs, 250), mode=BatchingMode(2))
    sp = np.asarray(spikes_of(g, 400)).reshape(400, 2, 250, 4)
    assert g.spike.dtype == jnp.bool_ and g.spike.units == "1" and g.spike.dims == ("neuron",)
    for k, f in enumerate(np.asarray(freqs)):
        p = f * DT / 1000
        m = sp[..., k].mean()
        assert abs(m - p) <= Z * math.sqrt(p * (1 - p) / sp[..., k].size)
    a, b = sp[:, 0, :, 2].ravel().astype(float), sp[:, 1, :, 2].ravel().astype(float)
    assert abs(np.corrcoef(a, b)[0, 1]) < Z / math.sqrt(a.size)  # batch lanes draw their own spikes


def test_traced_freqs_under_vmap():
    rates = jax.vmap(lambda f: spikes_of(PoissonGroup(500, freqs=f), 200).mean())(jnp.array([10.0, 100.0]))
    for f, r in zip((10.0, 100.0), np.asarray(rates)):
        p = f * DT / 1000
        assert abs(r - p) <= Z * math.sqrt(p * (1 - p) / 100_000)


@pytest.mark.parametrize("freqs, match", [
    (-1.0, "freqs must be >= 0"),
    (jnp.array([1.0, -1.0, 2.0]), "freqs must be >= 0"),
    (20_000.0, r"freqs \* dt / 1000 must be <= 1"),
    (jnp.ones(4), r"freqs has shape \(4,\)"),
])
def test_bad_freqs_are_named(freqs, match):
    with bb.environment(dt=DT):
        with pytest.raises(ValueError, match=match):
            PoissonGroup(3, freqs=freqs)
