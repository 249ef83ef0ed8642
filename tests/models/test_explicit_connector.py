"""``Explicit``: synapses listed by hand (Brian2's ``connect(i=, j=)``, a connection matrix), the same graph in
every run, with bad lists refused by name."""
import jax
import numpy as np
import pytest

import brainbatch as bb


def test_pairs_become_rows_by_presynaptic_neuron_in_the_order_given():
    conn = bb.Explicit([2, 0, 2, 0, 2], [1, 3, 0, 3, 1])  # 0 -> 3 twice and 2 -> 1 twice: two synapses each
    c = conn(jax.random.key(0), 3, 4)
    assert c.targets.tolist() == [[3, 3, 4], [4, 4, 4], [1, 0, 1]]
    assert c.dense().tolist() == [[0, 0, 0, 2], [0, 0, 0, 0], [1, 2, 0, 0]]
    assert not bool(c.overflow) and conn.out_degree_moments(3, 4) == (pytest.approx(5 / 3), pytest.approx(14 / 9))


def test_a_matrix_gives_its_nonzero_entries_and_every_seed_the_same_graph():
    m = np.array([[0.0, 0.5, 0.0], [1.0, 0.0, 2.0]])
    conn = bb.Explicit.from_matrix(m)
    assert conn.pairs() == ([0, 1, 1], [1, 0, 2])
    a, b = conn(jax.random.key(0), 2, 3), conn(jax.random.key(9), 2, 3)
    np.testing.assert_array_equal(np.asarray(a.dense()), (m != 0).astype(int))
    np.testing.assert_array_equal(np.asarray(a.targets), np.asarray(b.targets))
    assert bb.Explicit.from_matrix(np.zeros((2, 3)))(jax.random.key(0), 2, 3).targets.tolist() == [[3], [3]]


def test_a_projection_delivers_the_matrix_weights_of_the_listed_synapses():
    m = np.array([[1, 0, 1], [0, 1, 1]], bool)
    w = np.array([[0.5, 9.0, 1.5], [9.0, 2.0, 3.0]], np.float32)  # the 9s sit where there is no synapse
    src = bb.SpikeTimeGroup(2, indices=[0, 1], times=[1.0, 2.0])
    post = bb.LIF(3, V_th=1e9)
    pr = bb.Projection(src, post, bb.Explicit.from_matrix(m), bb.Exponential(1e6), bb.CUBA(), weight=w)
    runner = bb.Runner(bb.Network(src=src, post=post, pr=pr), monitors={"g": "pr.syn.g"}, dt=0.1, progress_bar=False)
    runner.run(3.0)
    np.testing.assert_allclose(np.asarray(runner.mon["g"])[-1], [0.5, 2.0, 4.5], rtol=1e-5)


@pytest.mark.parametrize("args, error, message", [
    (([0, 1], [0]), ValueError, "same length"),
    (([0, -1], [0, 0]), ValueError, "negative index"),
    (([0.5], [0]), TypeError, "whole neuron indices"),
    (([[0]], [0]), ValueError, "1-D list"),
    ((["a"], [0]), TypeError, "whole neuron indices"),
])
def test_bad_lists_are_refused_where_they_are_written(args, error, message):
    with pytest.raises(error, match=message):
        bb.Explicit(*args)


def test_indices_outside_the_groups_and_wrong_sizes_name_the_group():
    with pytest.raises(ValueError, match="postsynaptic index 5 is out of range for a group of 3 neurons"):
        bb.Explicit([0], [5])(jax.random.key(0), 2, 3)
    with pytest.raises(ValueError, match="given for 2 presynaptic neurons but the presynaptic group has 4"):
        bb.Explicit.from_matrix(np.ones((2, 3)))(jax.random.key(0), 4, 3)
    with pytest.raises(ValueError, match="2-D"):
        bb.Explicit.from_matrix(np.ones(3))
    E = bb.LIF(2)
    with pytest.raises(ValueError, match="presynaptic index 7 is out of range"):
        bb.Projection(E, E, bb.Explicit([7], [0]), bb.Exponential(), bb.CUBA())
