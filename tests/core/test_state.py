"""State dicts and files keyed by relative paths (BrainPy faults 4 and 5)."""
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb


def build(toys, order):
    made = {}
    for name in order:  # the groups are created in a different order...
        made[name] = toys.Leaky(3 if name == "E" else 2)
    made["E"].register_delay("d", 2, made["E"].V)
    return bb.Network(E=made["E"], I=made["I"])  # ...but the network is the same


def fill(net, seed=0):
    rng = np.random.default_rng(seed)
    for var in net.vars().values():
        var.value = jnp.asarray(rng.normal(size=var.shape), var.dtype)


def test_state_dict_keys_do_not_depend_on_creation_order(toys):
    a, b = build(toys, "EI"), build(toys, "IE")
    assert set(a.state_dict()) == set(b.state_dict()) == {
        "E.V", "E.input", "I.V", "I.input", "E.V_delay.data", "E.V_delay.idx"}
    fill(a)
    missing, unexpected = b.load_state_dict(a.state_dict())
    assert (missing, unexpected) == ([], [])
    for path, value in a.state_dict().items():
        np.testing.assert_array_equal(b.state_dict()[path], value, err_msg=path)
    assert a.save_state().keys() == a.state_dict().keys()


def test_load_state_dict_returns_missing_then_unexpected(toys):
    net = build(toys, "EI")
    state = net.state_dict()
    del state["I.V"]
    state["X.W"] = jnp.zeros(1)
    with pytest.warns(UserWarning, match="missing keys \\['I.V'\\], unexpected keys \\['X.W'\\]"):
        missing, unexpected = net.load_state_dict(state)
    assert missing == ["I.V"] and unexpected == ["X.W"]
    assert net.load_state_dict(state, warn=False) == (["I.V"], ["X.W"])
    # load_state is the same
    assert net.load_state(state, warn=False) == (["I.V"], ["X.W"])


def test_nested_state_dicts_and_bad_input(toys):
    net = build(toys, "EI")
    fill(net, 1)
    nested = {"E": {"V": net.E.V.value * 2}}
    missing, _ = net.load_state_dict(nested, warn=False, compatible="v1")
    assert "E.V" not in missing
    with pytest.raises(ValueError, match="'v3'"):
        net.load_state_dict({}, compatible="v3")
    with pytest.raises(TypeError, match="list"):
        net.load_state_dict([1, 2])
    with pytest.raises(ValueError, match="'E.V'.*\\(5,\\)"):
        net.load_state_dict({"E.V": jnp.zeros(5)}, warn=False)


@pytest.mark.parametrize("ext", [".npz", ".zarr"])
def test_save_states_and_load_into_a_model_built_in_another_order(toys, tmp_path, ext):
    a, b = build(toys, "EI"), build(toys, "IE")
    fill(a, 2)
    for _ in range(3):
        a.step_run(0)
    path = str(tmp_path / f"state{ext}")
    a.save_states(path)
    assert b.load_states(path) == ([], [])
    for p, v in a.state_dict().items():
        np.testing.assert_array_equal(np.asarray(b.state_dict()[p]), np.asarray(v), err_msg=p)
        assert b.vars()[p].dtype == a.vars()[p].dtype


@pytest.mark.parametrize("ext", [".npz", ".zarr"])
def test_save_a_subset(toys, tmp_path, ext):
    a = build(toys, "EI")
    fill(a, 3)
    path = str(tmp_path / f"part{ext}")
    a.save_states(path, variables=["E.V", a.I.V])
    b = build(toys, "IE")
    with pytest.warns(UserWarning, match="missing"):
        missing, unexpected = b.load_states(path, verbose=False)
    assert unexpected == [] and set(missing) == set(a.vars()) - {"E.V", "I.V"}
    np.testing.assert_array_equal(b.E.V.value, a.E.V.value)


def test_save_states_bad_arguments(toys, tmp_path):
    a = build(toys, "EI")
    with pytest.raises(ValueError, match="'x.txt'"):
        a.save_states("x.txt")
    with pytest.raises(KeyError, match="'E.v'.*Did you mean 'E.V'"):
        a.save_states(str(tmp_path / "s.npz"), variables=["E.v"])
    with pytest.raises(ValueError, match="not a variable"):
        a.save_states(str(tmp_path / "s.npz"), variables=[bb.Variable(jnp.zeros(1))])
    with pytest.raises(FileNotFoundError, match="nothere.npz"):
        a.load_states(str(tmp_path / "nothere.npz"))


def test_load_state_dict_names_the_key_a_misspelled_one_meant(toys):
    net = build(toys, "EI")
    state = net.state_dict()
    state["I.v"] = state.pop("I.V")
    with pytest.warns(UserWarning, match=r"unexpected keys \['I.v'\] 'I.v': Did you mean 'I.V'\?$"):
        assert net.load_state_dict(state) == (["I.V"], ["I.v"])


class _Counter(bb.NeuGroup):
    def __init__(self, n):
        super().__init__(n)
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("V", 0.0, batch_size=batch_size)
        self.init_variable("count", 0, batch_size=batch_size, dtype=jnp.int32)

    def update(self):
        self.V.value = self.V.value * 0.5 + 1.0
        self.count.value = self.count.value + 1


@pytest.mark.parametrize("how", ["load_state_dict", "load_states"])
def test_a_loaded_state_is_where_a_runners_first_run_starts(tmp_path, how):
    """As a state set by hand (``E.V.value = x``) is, and as in BrainPy 2.8.2 (a run after loading a state
    with count 100 gives 101, 102). It was dropped: the run started from the reset values, silently."""
    source = _Counter(2)
    bb.Runner(source, progress_bar=False).run(1.0)  # 10 steps at dt 0.1
    target = _Counter(2)
    if how == "load_states":
        source.save_states(str(tmp_path / "s.npz"))
        target.load_states(str(tmp_path / "s.npz"))
    else:
        target.load_state_dict({"V": source.V.value, "count": source.count.value + 90})
    out = bb.Runner(target, monitors=["count", "V"], progress_bar=False).run(0.2)
    first = 100 if how == "load_state_dict" else 10
    np.testing.assert_array_equal(out["count"][:, 0], [first + 1, first + 2])
    np.testing.assert_array_equal(out["V"][0], source.V.value * np.float32(0.5) + np.float32(1.0))


def test_a_state_an_integer_or_bool_variable_cannot_hold_is_refused_by_name():
    g = _Counter(2)
    with pytest.raises(ValueError, match=r"^state 'count' holds float32 values the model's int32 variable cannot "
                                         r"hold \(e\.g\. 1\.5\); give whole numbers in the range of int32$"):
        g.load_state_dict({"V": np.zeros(2), "count": np.array([1.0, 1.5])})
    g.load_state_dict({"V": np.zeros(2), "count": np.array([3.0, 4.0])})  # whole floats are fine
    np.testing.assert_array_equal(g.count.value, [3, 4])
    assert g.count.value.dtype == jnp.int32
