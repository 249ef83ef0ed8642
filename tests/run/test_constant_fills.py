"""Initial values that are one number everywhere are filled on the host, not in the init program
(run/sharing.py ``constant_fills``, ``Simulation.init``): the same state, bit for bit, on the device the
program's outputs are on, in the model's order; fewer kernels for XLA to compile."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
import brainbatch.run.engine as engine
from brainbatch.models import LifRef
from brainbatch.run import Simulation
from brainbatch.run.monitors import normalize_monitors
from brainbatch.run.sharing import constant_fills

SEEDS = np.arange(3)


def test_fills_are_found_through_calls_and_conversions_and_only_there():
    const = np.arange(3.0)

    def init(key, p):
        return {"zeros": jnp.zeros(3), "nested": jax.jit(lambda: jnp.full((2, 2), 7, jnp.int32))(),
                "converted": jnp.zeros(4, jnp.int32).astype(jnp.float32) - 0.0, "flag": jnp.zeros(5, bool),
                "cast": jnp.ones(2, jnp.int32).astype(jnp.float32), "scalar": jnp.float32(2.5),
                "from_input": jnp.zeros(3) + p, "closed": jnp.asarray(const), "drawn": jax.random.uniform(key, (2,)),
                "key": key}

    fills = constant_fills(init, jax.random.key(0), 1.0)
    assert fills["zeros"] == 0.0 and fills["zeros"].dtype == np.float32
    assert fills["nested"] == 7 and fills["nested"].dtype == np.int32
    assert fills["flag"].dtype == np.bool_ and not fills["flag"]
    assert fills["cast"] == 1.0 and fills["cast"].dtype == np.float32
    assert fills["scalar"] == np.float32(2.5)
    # a subtraction is arithmetic, not a fill: left to the program (errs towards "not a constant")
    for name in ("converted", "from_input", "closed", "drawn", "key"):
        assert fills[name] is None, name


def net(params):
    E = LifRef(40, name="E", V_initializer=bb.Uniform(-70.0, -50.0))
    return bb.Network(E=E, drive=bb.PoissonInput(E.V, 50, 30.0, 2.0))


def sim_of():
    return Simulation(net, normalize_monitors({"spikes": "E.spike", "V": "E.V"}), dt=0.1)


def test_the_host_filled_state_is_the_programs_bit_for_bit_in_the_models_order():
    sim = sim_of()
    keys = jax.vmap(jax.random.key)(SEEDS)
    state = sim.init(keys, {})
    shared, fills, shapes = sim._analysis({})
    assert {"E.spike", "E.refractory"} <= set(fills) and "E.V" not in fills
    assert list(state) == list(shapes)
    whole = sim._programs.init(keys, {}, shared)(keys, {})  # every value computed by the program
    assert set(whole) == set(state)
    for path, value in whole.items():
        assert state[path].dtype == value.dtype and state[path].shape == value.shape, path
        np.testing.assert_array_equal(np.asarray(state[path]), np.asarray(value), err_msg=path)
    hosted = [k for k in sim._programs._programs if k.kind == "init" and k.placement and k.hosted]
    assert hosted and set(hosted[0].hosted) == set(fills)


def test_a_run_is_the_same_with_and_without_host_fills(monkeypatch):
    filled_state, filled = sim_of().run(SEEDS, {}, 200)
    monkeypatch.setattr(engine, "HOST_FILL_BYTES", 0)  # too large for the host: all in the program
    sim = sim_of()
    state, recs = sim.run(SEEDS, {}, 200)
    assert not [k for k in sim._programs._programs if k.kind == "init" and k.hosted]
    assert np.asarray(filled["spikes"]).any()
    for name in ("spikes", "V"):
        np.testing.assert_array_equal(np.asarray(filled[name]), np.asarray(recs[name]))
    for path in state:
        np.testing.assert_array_equal(np.asarray(filled_state[path]), np.asarray(state[path]), err_msg=path)


@pytest.mark.skipif(jax.device_count() < 2, reason="needs two CPU devices (the root conftest asks for them)")
def test_fills_go_where_the_keys_are():
    device = jax.devices()[1]
    keys = jax.device_put(jax.vmap(jax.random.key)(SEEDS), device)
    state = sim_of().init(keys, {})
    for path, value in state.items():
        assert value.devices() == {device}, path
