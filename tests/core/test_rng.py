"""Random streams (docs/random.md): run key -> node path -> step (BrainPy fault 7)."""
import jax
import jax.numpy as jnp
import numpy as np

import brainbatch as bb
from brainbatch.core import random as bbr


def draws(net, key, steps=3):
    out = []
    with bb.environment(key=key):
        net.reset()
        for i in range(steps):
            net.step_run(i)
            out.append({p: np.asarray(v.value) for p, v in net.vars().items()})
    return out


def test_each_node_has_its_own_stream_and_steps_differ(toys):
    net = bb.Network(A=toys.Noise(4), B=toys.Noise(4))
    d = draws(net, bbr.run_key(0))
    assert not np.array_equal(d[0]["A.x"], d[0]["B.x"])
    assert not np.array_equal(d[0]["A.x"], d[1]["A.x"])
    assert not np.array_equal(d[0]["A.x0"], d[0]["B.x0"])  # initial values too
    assert np.array_equal(d[0]["A.x0"], d[2]["A.x0"])


def test_adding_a_node_does_not_change_other_streams(toys):
    small = bb.Network(A=toys.Noise(4))
    big = bb.Network(A=toys.Noise(4), Z=toys.Noise(4), B=toys.Noise(2))
    for s, b in zip(draws(small, bbr.run_key(1)), draws(big, bbr.run_key(1))):
        np.testing.assert_array_equal(s["A.x"], b["A.x"])
        np.testing.assert_array_equal(s["A.x0"], b["A.x0"])


def test_streams_do_not_depend_on_creation_order(toys):
    b1 = toys.Noise(4)
    a1 = toys.Noise(4)
    first = bb.Network(A=a1, B=b1)
    a2, b2 = toys.Noise(4), toys.Noise(4)
    second = bb.Network(A=a2, B=b2)
    for x, y in zip(draws(first, bbr.run_key(2)), draws(second, bbr.run_key(2))):
        assert x.keys() == y.keys()
        for p in x:
            np.testing.assert_array_equal(x[p], y[p], err_msg=p)


def test_seeds_differ_and_repeat(toys):
    net = bb.Network(A=toys.Noise(4))
    a, b, c = (draws(net, bbr.run_key(s), 1)[0]["A.x"] for s in (0, 1, 0))
    assert not np.array_equal(a, b) and np.array_equal(a, c)


def test_each_vmap_lane_draws_its_own_numbers_and_equals_the_run_alone(toys, no_tracers):
    net = bb.Network(A=toys.Noise(4))
    net.reset()
    keys = jax.vmap(bbr.run_key)(jnp.arange(3))

    def lane(key):
        with bb.environment(key=key):
            net.step_run(5)
        return net.A.x.value

    # A is written per lane, so its state must be mapped: give every lane its own copy
    net.reset(batch_size=3)
    out = bb.vmap(lane, dyn_vars=net, state_axes=0)(keys)
    assert out.shape == (3, 4)
    assert len({tuple(np.asarray(r)) for r in out}) == 3  # never the same noise in every lane
    no_tracers(net)
    alone = bb.Network(A=toys.Noise(4))
    alone.reset()
    for s in range(3):
        with bb.environment(key=bbr.run_key(s)):
            alone.jit_step_run(5)
        np.testing.assert_array_equal(out[s], alone.A.x.value)


def test_step_key_under_jit_follows_the_step(toys):
    net = bb.Network(A=toys.Noise(4))
    net.reset()
    with bb.environment(key=bbr.run_key(0)):
        net.jit_step_run(0)
        x0 = np.asarray(net.A.x.value)
        net.jit_step_run(1)
        x1 = np.asarray(net.A.x.value)
        net.jit_step_run(0)
        np.testing.assert_array_equal(net.A.x.value, x0)
    assert not np.array_equal(x0, x1)


def test_path_hash_is_stable_and_seed_validation():
    import zlib

    assert bbr.path_hash("E.V") == zlib.crc32(b"E.V") & 0x7FFFFFFF  # the same in every process
    assert bbr.path_hash("E") != bbr.path_hash("I")
    import pytest

    with pytest.raises(ValueError, match="-1"):
        bbr.run_key(-1)
