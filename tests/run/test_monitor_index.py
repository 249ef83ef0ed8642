"""A monitor's index picks existing elements or is refused, naming the index and the range: JAX clamps an
index out of range, so neuron 50 of a group of 20 recorded neuron 19's trace, unlabelled, silently."""
import jax
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.run import Simulation, normalize_monitors
from brainbatch.run.monitors import MonitorIndexError


def net():
    return bb.Network(G=bb.LifRef(10, name="G", V_initializer=bb.Uniform(-70.0, -50.0)))


@pytest.mark.parametrize("index, fragment", [
    ([0, 50], "monitor 'v': index 50 is out of range for 'G.V' (10 elements: 0..9, or -10..-1 from the end)"),
    ([0, -11], "index -11 is out of range"),
    (np.array([3, 10]), "index 10 is out of range"),
    (12, "index 12 is out of range"),
    ([], "index of 'G.V' is empty"),
    (np.ones(3, bool), "is a mask of 3 values; a mask needs one per element (10)"),
    ([0.5], "must be whole numbers"),
    (1.5, "must be whole numbers"),  # a lone float reached JAX: "Indexer must have integer or boolean type"
])
def test_an_index_that_picks_no_element_is_refused_before_anything_runs(index, fragment):
    with pytest.raises(MonitorIndexError) as err:
        bb.Runner(net(), monitors={"v": ("G.V", index)})
    assert fragment in str(err.value)
    with pytest.raises(MonitorIndexError, match="out of range|empty|mask|whole numbers"):  # the batch engine too
        Simulation(lambda p: net(), normalize_monitors({"v": ("G.V", index)})).run([0], {}, 5)


def test_picks_in_range_record_those_elements():
    whole = bb.Runner(net(), monitors={"v": "G.V"}, progress_bar=False).run(1.0)["v"]
    mask = np.zeros(10, bool)
    mask[[2, 7]] = True
    for index, cols in (([0, -1, 9], [0, 9, 9]), (np.array([4]), [4]), (mask, [2, 7]), (slice(5, 100), range(5, 10))):
        picked = bb.Runner(net(), monitors={"v": ("G.V", index)}, progress_bar=False).run(1.0)["v"]
        np.testing.assert_array_equal(np.asarray(picked), np.asarray(whole)[:, list(cols)])


@pytest.mark.parametrize("seed", [2**32, 2**32 + 1, -1, 1.5, True])
def test_a_seed_outside_the_key_word_is_refused_not_wrapped(seed):
    # the key is made from one unsigned 32-bit word: 2**32 ran seed 0's run, 2**32 + 1 seed 1's
    with pytest.raises(ValueError, match="0..4294967295"):
        bb.Runner(net(), monitors={"v": "G.V"}, seed=seed)
    if not isinstance(seed, float):
        with pytest.raises((ValueError, TypeError), match="0..4294967295"):
            Simulation(lambda p: net(), normalize_monitors({"v": "G.V"})).run([seed], {}, 5)


def test_the_largest_seed_and_a_key_still_run():
    top = bb.Runner(net(), monitors={"v": "G.V"}, seed=2**32 - 1, progress_bar=False).run(0.5)["v"]
    zero = bb.Runner(net(), monitors={"v": "G.V"}, seed=0, progress_bar=False).run(0.5)["v"]
    assert not np.array_equal(np.asarray(top), np.asarray(zero))
    keyed = bb.Runner(net(), monitors={"v": "G.V"}, seed=jax.random.key(0), progress_bar=False).run(0.5)["v"]
    np.testing.assert_array_equal(np.asarray(keyed), np.asarray(zero))
    as_array = bb.Runner(net(), monitors={"v": "G.V"}, seed=jax.numpy.int32(0), progress_bar=False).run(0.5)["v"]
    np.testing.assert_array_equal(np.asarray(as_array), np.asarray(zero))
