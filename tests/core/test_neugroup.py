"""NeuGroup geometry, modes, names, reset, inputs, hooks and training errors."""
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb


@pytest.mark.parametrize("size, keep, want_size, num, varshape", [
    (5, False, (5,), 5, (5,)),
    ((2, 3), False, (2, 3), 6, (6,)),
    ([2, 3], True, (2, 3), 6, (2, 3)),
    (np.int64(4), False, (4,), 4, (4,)),
])
def test_geometry(size, keep, want_size, num, varshape):
    g = bb.NeuGroup(size, keep_size=keep)
    assert (g.size, g.num, g.varshape) == (want_size, num, varshape)


@pytest.mark.parametrize("bad", [0, -3, 2.5, "10", (3, 0), (), True, None])
def test_bad_sizes_name_the_value(bad):
    with pytest.raises(ValueError, match="size") as err:
        bb.NeuGroup(bad)
    assert repr(bad) in str(err.value)


def test_bad_arguments_name_the_value():
    with pytest.raises(ValueError, match="'yes'"):
        bb.NeuGroup(3, keep_size="yes")
    with pytest.raises(TypeError, match="'batch'"):
        bb.NeuGroup(3, mode="batch")
    with pytest.raises(ValueError, match="0"):
        bb.BatchingMode(0)
    with pytest.raises(ValueError, match="'a b'"):
        bb.NeuGroup(3, name="a b")
    with pytest.raises(ValueError, match="-1"):
        bb.NeuGroup(3).get_batch_shape(-1)
    with pytest.raises(ValueError, match="'sideways'"):
        bb.NeuGroup(3).add_inp_fun("k", 1.0, category="sideways")
    with pytest.raises(ValueError, match="-0.1"):
        bb.set_dt(-0.1)


def test_modes_and_batch_shape(toys):
    g = toys.Leaky(3)
    assert g.mode == bb.NonBatchingMode() and g.get_batch_shape() == () and g.get_batch_shape(4) == (4,)
    b = toys.Leaky(3, mode=bb.BatchingMode(5))
    assert b.V.shape == (5, 3) and b.V.batch_axis == 0 and b.get_batch_shape() == (5,)
    t = toys.Leaky((2, 2), keep_size=True, mode=bb.TrainingMode(2))
    assert t.V.shape == (2, 2, 2) and t.V.dims == ("y", "x") and t.V.units == "mV"
    assert bb.TrainingMode in type(t).supported_modes
    assert t.mode.is_batch_mode() and t.mode.is_one_of(bb.BatchingMode)

    class OnlyPlain(bb.NeuGroup):
        supported_modes = (bb.NonBatchingMode,)

    with pytest.raises(NotImplementedError, match="BatchingMode"):
        OnlyPlain(2, mode=bb.BatchingMode(2))


def test_reset_recreates_every_variable_and_keeps_identity(toys):
    g = toys.Leaky(3)
    V = g.V
    g.V.value = jnp.ones(3)
    g.reset(batch_size=4)
    assert g.V is V and g.V.shape == (4, 3) and float(g.V.value.sum()) == 0.0
    g.reset_state()
    assert g.V.shape == (3,)


def test_names():
    a, b = bb.NeuGroup(1), bb.NeuGroup(1)
    assert a.name != b.name and a.name.startswith("NeuGroup")
    assert bb.NeuGroup(1, name="E").name == "E"
    assert a.unique_name("X") == "X" and a.unique_name(type_="Syn").startswith("Syn")
    assert bb.core.unique_name(type_="Q").startswith("Q")


def test_inputs_are_summed_with_labels(toys):
    g = toys.Leaky(2, a=0.0)
    g.add_inp_fun("c1", lambda v: jnp.full(2, 1.0))
    g.add_inp_fun("c2", 2.0, label="ampa")
    g.add_inp_fun("d", lambda: 10.0, category="delta")
    assert g.sum_current_inputs(None) .tolist() == [3.0, 3.0]
    assert g.sum_current_inputs(label="ampa") == 2.0
    assert g.sum_delta_inputs() == 10.0 and g.sum_inputs(None).tolist() == [3.0, 3.0]
    assert g.get_inp_fun("ampa // c2") == 2.0
    assert list(g.current_inputs) == ["c1", "ampa // c2"] and list(g.cur_inputs) == list(g.current_inputs)
    assert list(g.delta_inputs) == ["d"]
    with pytest.raises(KeyError, match="'c1'"):
        g.add_inp_fun("c1", 1.0)
    with pytest.raises(KeyError, match="'c3'"):
        g.get_inp_fun("c3")
    g.step_run(0)
    np.testing.assert_allclose(g.V.value, [13.0, 13.0])


def test_clear_input(toys):
    g = toys.Leaky(2)
    g.input.value = jnp.ones(2)
    g.clear_input()
    assert float(g.input.value.sum()) == 0.0
    bb.NeuGroup(2).clear_input()  # no input variable: nothing to do


def test_hooks(toys):
    g = toys.Leaky(2)
    log = []
    g.add_bef_update("b", lambda: log.append(("before", float(g.V.value[0]))))
    g.add_aft_update("a", lambda: log.append(("after", float(g.V.value[0]))))
    g.input.value = jnp.ones(2)
    g.step_run(0)
    assert log == [("before", 0.0), ("after", 1.0)]
    assert g.has_bef_update("b") and not g.has_aft_update("b")
    assert g.get_aft_update("a") is g.after_updates["a"] and "b" in g.before_updates
    with pytest.raises(KeyError, match="'a'"):
        g.add_aft_update("a", print)
    with pytest.raises(TypeError, match="3"):
        g.add_bef_update("c", 3)
    with pytest.raises(KeyError, match="'zz'"):
        g.get_bef_update("zz")


@pytest.mark.parametrize("method", ["offline_init", "online_init", "offline_fit", "online_fit"])
def test_training_methods_say_which_nodes_are_trainable(toys, method):
    g = toys.Leaky(2, name="E")
    args = () if method.endswith("init") else (None, None)
    with pytest.raises(NotImplementedError, match="no trainable nodes"):
        getattr(g, method)(*args)
    g.readout = bb.DynamicalSystem()
    g.readout.W = bb.TrainVar(jnp.zeros(2))
    with pytest.raises(NotImplementedError, match="readout"):
        getattr(g, method)(*args)


def test_update_not_implemented():
    with pytest.raises(NotImplementedError, match="NeuGroup"):
        bb.NeuGroup(2).update()


def test_a_misspelled_keyword_names_the_closest_parameter():
    # Python's own message named no alternative; the parameters of the whole class chain count
    # (a subclass passing **kwargs on, a model's parameters with units)
    with pytest.raises(TypeError, match=r"^LifRef\(\) got an unexpected keyword argument 'tua'. Did you mean 'tau'\?$"):
        bb.LifRef(10, tua=5.0)
    with pytest.raises(TypeError, match=r"LIF takes: size, keep_size, V_rest, .*, I_bias, C_m, noise\.$"):
        bb.LIF(10, zzz=5.0)

    class Gain(bb.NeuGroup):
        def __init__(self, size, gain=1.0, **kwargs):
            super().__init__(size, **kwargs)
            self.gain = gain

        def update(self):
            pass

    with pytest.raises(TypeError, match=r"^Gain\(\) got an unexpected keyword argument 'gian'. Did you mean 'gain'\?$"):
        Gain(3, gian=2.0)
    with pytest.raises(TypeError, match=r"^Gain\(\) got an unexpected keyword argument 'kep_size'. Did you mean 'keep_size'\?$"):
        Gain(3, kep_size=True)
    assert Gain(3, gain=2.0).gain == 2.0  # a good call is untouched

    class Broken(bb.NeuGroup):  # a TypeError from inside a constructor is not rewritten
        def __init__(self, size):
            super().__init__(size)
            dict(a=1)["a"](unexpected=1)

    with pytest.raises(TypeError, match="'int' object is not callable"):
        Broken(3)
