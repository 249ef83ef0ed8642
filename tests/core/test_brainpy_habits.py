"""What BrainPy users write, and what used to go wrong: module-level models in for_loop, Variables
handed to jax.numpy, ``self.x += 1.``, ``environment(mode=...)``."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb

_G = None  # a model held by a module global, as in a script


def _step(i):
    return _G.step_run(i)


def test_for_loop_finds_a_model_held_by_a_module_global(no_tracers):
    global _G
    _G = bb.LIF(1, I_bias=25.0)
    spikes = bb.for_loop(lambda i: _G.step_run(i), jnp.arange(1000))
    # R*I = 25 mV above rest: first spike after 10 ln(25/5) = 16.1 ms, then every 10 ln(30/5) = 17.9 ms
    assert int(spikes.sum()) == 5
    no_tracers(_G)
    # the same global reached through a helper function the loop body calls
    _G = bb.LIF(1, I_bias=25.0)
    assert int(bb.for_loop(lambda i: _step(i), jnp.arange(1000)).sum()) == 5
    no_tracers(_G)


def test_state_the_loop_cannot_see_is_an_error_not_a_leaked_tracer():
    class Holder:  # a plain object: discovery does not look inside it
        pass

    holder = Holder()
    holder.g = bb.LIF(2, I_bias=25.0)
    before = holder.g.V.value
    with pytest.raises(RuntimeError, match=r"Variable 'V' of LIF\d*.*dyn_vars"):
        bb.for_loop(lambda i: holder.g.step_run(i), jnp.arange(5))
    assert not isinstance(holder.g.V.value, jax.core.Tracer)
    np.testing.assert_array_equal(holder.g.V.value, before)
    spikes = bb.for_loop(lambda i: holder.g.step_run(i), jnp.arange(1000), dyn_vars=holder.g)
    assert spikes.sum(axis=0).tolist() == [5, 5]


def test_a_variable_is_an_array_to_jax_numpy():
    v = bb.Variable(jnp.arange(3.0))
    s = bb.Variable(jnp.array([True, False, True]))
    np.testing.assert_allclose(jnp.exp(v), np.exp([0.0, 1.0, 2.0]), rtol=1e-6)
    assert float(jnp.sum(v)) == 3.0
    assert jnp.where(s, v, -1.0).tolist() == [0.0, -1.0, 2.0]
    assert jax.jit(lambda x: jnp.maximum(x, 1.0))(v).tolist() == [1.0, 1.0, 2.0]
    assert jnp.stack([v, v]).shape == (2, 3)


class Spiker(bb.NeuGroup):
    """BrainPy-style update: Variables passed straight to jax.numpy, in-place counting, returned as is."""

    def __init__(self, n=3):
        super().__init__(n)
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("V", 0.0, batch_size=batch_size)
        self.init_variable("spike", False, batch_size=batch_size, dtype=bool)
        self.init_variable("count", 0.0, batch_size=batch_size)

    def update(self):
        V = self.V + jnp.exp(jnp.zeros_like(self.V)) * 0.3  # +0.3 per step
        self.spike.value = V >= 1.0
        self.V.value = jnp.where(self.spike, 0.0, V)
        self.count += jnp.where(self.spike, 1.0, 0.0)
        return self.spike


def test_variables_in_update_and_returned_from_a_loop_body(no_tracers):
    g = Spiker()
    out = bb.for_loop(lambda i: g.step_run(i), jnp.arange(8))
    assert isinstance(out, jax.Array) and out.shape == (8, 3)
    assert np.flatnonzero(np.asarray(out[:, 0])).tolist() == [3, 7]  # 0.3 * 4 = 1.2 >= 1
    assert g.count.value.tolist() == [2.0, 2.0, 2.0]
    no_tracers(g)


def test_in_place_operators_update_the_variable_and_keep_it():
    g = Spiker()
    count = g.count
    for i in range(4):
        g.step_run(i)
    assert g.count is count and count.value.tolist() == [1.0, 1.0, 1.0]
    v = bb.Variable(jnp.ones(2))
    w = v
    v -= 0.5
    v *= 4.0
    v /= 2.0
    v **= 2.0
    assert w is v and v.value.tolist() == [1.0, 1.0]
    flags = bb.Variable(jnp.array([True, False]))
    flags |= jnp.array([False, True])
    assert flags.value.tolist() == [True, True]
    with pytest.raises(ValueError, match="shape"):
        v += jnp.ones((2, 2))  # an in-place update keeps the shape check of .value
    out = bb.Runner(Spiker(), monitors=["count"], progress_bar=False).run(0.8)
    assert out["count"][-1].tolist() == [2.0, 2.0, 2.0]


def test_environment_mode_is_the_default_mode_of_systems_built_inside():
    with bb.environment(mode=bb.BatchingMode(4)):
        E = bb.LifRef(5)
        net = bb.Network(E=E)
        alone = bb.LIF(2, mode=bb.NonBatchingMode())  # an explicit mode wins
    assert net.mode == bb.BatchingMode(4) and E.mode == bb.BatchingMode(4)
    assert E.V.shape == (4, 5) and alone.V.shape == (2,)
    assert bb.LIF(2).mode == bb.NonBatchingMode()  # the block is over
    out = bb.Runner(net, monitors=["E.V"], progress_bar=False).run(1.0)
    assert out["E.V"].shape == (4, 10, 5)
    with pytest.raises(TypeError, match="BatchingMode"):
        with bb.environment(mode="batching"):
            pass


def test_environment_refuses_a_misspelled_context_value_and_keeps_the_callers_own():
    # bb.environment(dtt=0.05) ran at dt 0.1, silently (bad-input audit)
    with pytest.raises(TypeError, match=r"environment\(\) got dtt=0.05, not a context value of brainbatch .*"
                                        r"Did you mean 'dt'\?"):
        with bb.environment(dtt=0.05):
            pass
    with pytest.raises(TypeError, match=r"got mdoe='x'.* Did you mean 'mode'\?"):
        with bb.environment(mdoe="x"):
            pass
    from brainbatch.core import share

    with bb.environment(tau_syn=3.0, dt=0.05):  # a name of the caller's own is a shared value, as BrainPy's
        assert share.load("tau_syn") == 3.0 and bb.get_dt() == 0.05
