"""A half projection given spikes (a bool vector, as a delay of ``N.spike`` gives them) delivers them event-driven:
the same sums as the weighted sum over every synapse, at a cost of spikes x fan-out.

BrainPy's tutorial nets call ``proj(spk[:3200])`` in their own ``update``; summing ``x * w`` over every synapse at
every step made a 4000-neuron net of them several times slower than in BrainPy.
"""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch.brainpy as bp

N_PRE, N_POST = 300, 200


def _comms():
    return {
        "EventJitFPHomoLinear": bp.dnn.EventJitFPHomoLinear(N_PRE, N_POST, prob=0.1, weight=0.6, seed=1),
        "EventJitFPNormalLinear": bp.dnn.EventJitFPNormalLinear(N_PRE, N_POST, prob=0.1, w_mu=0.5, w_sigma=0.2,
                                                                seed=2),
        "JitFPUniformLinear": bp.dnn.JitFPUniformLinear(N_PRE, N_POST, prob=0.1, w_low=0.1, w_high=0.9, seed=3),
        "EventCSRLinear": bp.dnn.EventCSRLinear(bp.conn.FixedProb(0.1, pre=N_PRE, post=N_POST, seed=4), 0.3),
    }


def _proj(comm):
    return bp.dyn.HalfProjAlignPost(comm, bp.dyn.Expon(N_POST, tau=5.), bp.dyn.CUBA(), bp.dyn.Lif(N_POST))


def _spikes(rows=()):
    return np.random.default_rng(0).random(rows + (N_PRE,)) < 0.2


@pytest.mark.parametrize("name", sorted(_comms()))
def test_spikes_sent_as_bools_sum_as_the_same_spikes_sent_as_numbers(name):
    proj = _proj(_comms()[name])
    spikes = _spikes()
    as_events = np.asarray(proj.communicate(jnp.asarray(spikes)))
    as_numbers = np.asarray(proj.communicate(jnp.asarray(spikes, jnp.float32)))
    # each neuron's inputs summed in another order: float32 rounding only (exact for one weight)
    np.testing.assert_allclose(as_events, as_numbers, rtol=1e-5, atol=1e-6)
    assert as_events.shape == (N_POST,) and as_events.sum() > 0
    if name == "EventJitFPHomoLinear":
        assert (as_events == as_numbers).all()


def test_a_batch_of_spike_vectors_is_sent_row_by_row():
    proj = _proj(_comms()["EventJitFPNormalLinear"])
    spikes = _spikes((3,))
    batched = np.asarray(proj.communicate(jnp.asarray(spikes)))
    assert batched.shape == (3, N_POST)
    for row in range(3):
        np.testing.assert_array_equal(batched[row], np.asarray(proj.communicate(jnp.asarray(spikes[row]))))


def test_spikes_are_sent_without_a_value_per_synapse(largest_intermediate):
    proj = _proj(_comms()["EventJitFPHomoLinear"])
    n_synapse_slots = int(np.prod(proj.targets.shape))
    spikes = jnp.asarray(_spikes())
    as_events = jax.make_jaxpr(proj.communicate)(spikes).jaxpr
    as_numbers = jax.make_jaxpr(proj.communicate)(spikes.astype(jnp.float32)).jaxpr
    assert largest_intermediate(as_numbers) >= n_synapse_slots  # the check sees a weighted sum over every synapse
    assert largest_intermediate(as_events) < n_synapse_slots
