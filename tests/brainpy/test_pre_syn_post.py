"""``bm.pre2syn``, ``bm.syn2post_*`` and ``bm.pre2post_*`` (BrainPy's synapse-list gathers and reductions, used
by its tutorial's hand-written sparse synapses) against BrainPy 2.8.2's results on one synapse list, its choices
included (pre2post_min/max start from 0; a max/min over no synapse is -inf/inf; a mean over none is 0)."""
import numpy as np
import pytest

import brainbatch.brainpy.math as bm

PRE = np.array([1., 2., 3.], np.float32)
PRE_IDS = np.array([0, 0, 1, 2, 2], np.int32)
POST_IDS = np.array([1, 0, 1, 1, 3], np.int32)
SYN = np.array([0.5, -1., 2., 4., 3.], np.float32)
BRAINPY_282 = {  # printed by BrainPy 2.8.2 for the arrays above (4 postsynaptic neurons), rounded to 5 decimals
    "pre2syn": [1.0, 1.0, 2.0, 3.0, 3.0],
    "syn2post": [-1.0, 6.5, 0.0, 3.0],
    "syn2post_sum": [-1.0, 6.5, 0.0, 3.0],
    "syn2post_mean": [-1.0, 2.16667, 0.0, 3.0],
    "syn2post_max": [-1.0, 4.0, -np.inf, 3.0],
    "syn2post_min": [-1.0, 0.5, np.inf, 3.0],
    "syn2post_softmax": [0.02591, 1.0, 0.11611, 0.85798, 1.0],
    "pre2post_sum": [1.0, 6.0, 0.0, 3.0],
    "pre2post_mean": [1.0, 2.0, 0.0, 3.0],
    "pre2post_max": [1.0, 3.0, 0.0, 3.0],
    "pre2post_min": [0.0, 0.0, 0.0, 0.0],
}


@pytest.mark.parametrize("name", sorted(BRAINPY_282))
def test_brainpys_numbers(name):
    fn = getattr(bm, name)
    if name == "pre2syn":
        out = fn(PRE, PRE_IDS)
    elif name.startswith("syn2post"):
        out = fn(SYN, POST_IDS, 4)
    else:
        out = fn(PRE, 4, POST_IDS, PRE_IDS)
    np.testing.assert_allclose(np.asarray(out, np.float64), BRAINPY_282[name], atol=5e-6)


def test_a_scalar_is_every_synapses_value_and_per_neuron_values_need_pre_ids():
    assert np.asarray(bm.pre2post_sum(2.0, 4, POST_IDS)).tolist() == [2.0, 6.0, 0.0, 2.0]  # BrainPy 2.8.2
    assert np.asarray(bm.pre2syn(2.0, PRE_IDS)).tolist() == [2.0] * 5
    with pytest.raises(ValueError, match=r"pre2post_sum needs pre_ids when pre_values holds one value per "):
        bm.pre2post_sum(PRE, 4, POST_IDS)
    with pytest.raises(TypeError, match="post_ids must be integer neuron indices"):
        bm.syn2post_sum(SYN, POST_IDS.astype(np.float32), 4)


def test_an_index_outside_the_neurons_is_named_not_dropped_clamped_or_wrapped():
    # bad-input audit: syn2post_sum dropped a post id 5 of 3, pre2syn clamped 7 to the last neuron and wrapped -1;
    # BrainPy 2.8.2 does the same without a word
    with pytest.raises(ValueError, match=r"^post_ids holds the index 5, outside \[0, 3\] \(4 neurons\)"):
        bm.syn2post_sum(SYN, np.array([1, 0, 1, 1, 5]), 4)
    with pytest.raises(ValueError, match=r"^pre_ids holds the index 7, outside \[0, 2\]"):
        bm.pre2syn(PRE, np.array([0, 7]))
    with pytest.raises(ValueError, match=r"^pre_ids holds the index -1"):
        bm.pre2post_sum(PRE, 4, POST_IDS, np.array([0, 0, 1, 2, -1]))
    with pytest.raises(ValueError, match=r"^post_ids holds the index 4"):
        bm.pre2post_max(PRE, 4, np.array([1, 0, 1, 1, 4]), PRE_IDS)


def test_the_event_sum_refuses_events_indices_and_values_that_do_not_match_its_graph():
    # bad-input audit: one event for two neurons was reused, extra events ignored, a post index 7 of 3 dropped; BrainPy
    # 2.8.2 refuses each
    idx, ptr = bm.asarray([1, 2, 0]), bm.asarray([0, 2, 3])
    assert np.asarray(bm.pre2post_event_sum(bm.asarray([True, False]), (idx, ptr), 3, 0.5)).tolist() == [0, .5, .5]
    for events in ([True], [True, False, True, True]):
        with pytest.raises(ValueError, match=r"^pre2post_event_sum: events must have one value per presynaptic "
                                             r"neuron, 2 \(len\(indptr\) - 1\)"):
            bm.pre2post_event_sum(bm.asarray(events), (idx, ptr), 3, 0.5)
    with pytest.raises(ValueError, match=r"a postsynaptic index 7 is outside \[0, 2\]"):
        bm.pre2post_event_sum(bm.asarray([True, True]), (bm.asarray([1, 7, 0]), ptr), 3, 0.5)
    with pytest.raises(ValueError, match=r"values must be one number or one per synapse \(3, in the order"):
        bm.pre2post_event_sum(bm.asarray([True, True]), (idx, ptr), 3, bm.asarray([1., 2.]))
    one = np.asarray(bm.pre2post_event_sum(bm.asarray([True, False]), (idx, ptr), 3, bm.asarray([0.5])))
    assert one.tolist() == [0, .5, .5]  # an array of one value: every synapse's
    with pytest.raises(ValueError, match=r"indptr must rise from 0 to len\(indices\) = 3, got \[0, 2, 4\]"):
        bm.pre2post_event_sum(bm.asarray([True, True]), (idx, bm.asarray([0, 2, 4])), 3, 0.5)


def _csr(n_pre=300, n_post=200, p=0.05, seed=1):
    mat = np.random.default_rng(seed).random((n_pre, n_post)) < p
    indptr = np.concatenate([[0], np.cumsum(mat.sum(1))]).astype(np.int32)
    return np.nonzero(mat)[1].astype(np.int32), indptr


@pytest.mark.parametrize("values", ["one", "per synapse"])
def test_event_sum_of_spikes_in_a_step_equals_the_sum_over_synapses(values):
    # spikes (bools) over a fixed table go through the event kernel, row by row in index order: the order in which
    # the sum over synapses (CSR order) adds them, so the same float32 sums, alone and for a batch of spike vectors
    import jax
    import jax.numpy as jnp

    indices, indptr = _csr()
    vals = 0.6 if values == "one" else np.random.default_rng(2).normal(size=indices.shape).astype(np.float32)
    spikes = np.random.default_rng(3).random((4, 300)) < 0.3

    def in_a_step(ev):
        return jax.jit(lambda e: bm.pre2post_event_sum(e, (indices, indptr), 200, vals))(ev)

    as_events = np.asarray(in_a_step(jnp.asarray(spikes)))
    as_numbers = np.asarray(in_a_step(jnp.asarray(spikes, jnp.float32)))
    assert as_events.shape == (4, 200) and as_events.any()
    np.testing.assert_array_equal(as_events, as_numbers)
    np.testing.assert_array_equal(as_events[1], np.asarray(in_a_step(jnp.asarray(spikes[1]))))


def test_event_sum_of_spikes_computes_no_value_per_synapse(largest_intermediate):
    # BrainPy's COBAHH notebook (its own TwoEndConn) ran 5x slower than BrainPy: every step looked up each synapse's
    # presynaptic neuron (a search over indptr) and summed all synapses, spiking or not
    import jax
    import jax.numpy as jnp
    
    indices, indptr = _csr()
    program = jax.make_jaxpr(lambda e: bm.pre2post_event_sum(e, (indices, indptr), 200, 0.6))
    assert largest_intermediate(program(jnp.zeros(300, jnp.float32)).jaxpr) >= indices.shape[0]  # the check sees it
    assert largest_intermediate(program(jnp.zeros(300, bool)).jaxpr) < indices.shape[0]
