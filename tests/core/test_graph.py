"""Node and variable discovery: relative paths, owner rule, implicit nodes/vars, levels."""
import jax.numpy as jnp
import pytest

import brainbatch as bb


class Syn(bb.DynamicalSystem):
    update_phase = "deliver"

    def __init__(self, pre, post, **kw):
        super().__init__(**kw)
        self.pre_ref = pre  # a node held as attribute is a child (and reached twice here)
        self._post = post  # a reference, never a child
        self.g = bb.TrainVar(jnp.zeros(2))
        self.post_V = post.V  # a Variable owned by ``post``: stored once, at post's path

    def update(self):
        pass


def build(toys, order="EI"):
    groups = {}
    for k in order:
        groups[k] = toys.Leaky(2, name=None)
    E, I = groups["E"], groups["I"]
    E.syn = Syn(I, E)
    return bb.Network(E=E, I=I)


def test_relative_paths(toys):
    net = build(toys)
    assert list(net.nodes()) == ["", "E", "I", "E.syn"]
    assert list(net.nodes(include_self=False)) == ["E", "I", "E.syn"]
    assert list(net.nodes(level=1)) == ["", "E", "I"]
    assert list(net.nodes(level=0)) == [""]
    assert set(net.vars()) == {"E.V", "E.input", "I.V", "I.input", "E.syn.g"}
    assert list(net.train_vars()) == ["E.syn.g"]
    assert net.vars()["E.V"] is net.E.V


def test_owner_rule_and_creation_order(toys):
    a, b = build(toys, "EI"), build(toys, "IE")
    assert set(a.vars()) == set(b.vars())
    assert set(a.nodes()) == set(b.nodes())
    # post_V is E.V, stored once under E
    assert "E.syn.post_V" not in a.vars()


def test_absolute_names(toys):
    E = toys.Leaky(2, name="Exc")
    net = bb.Network(E=E, name="net")
    assert list(net.nodes("absolute")) == ["net", "Exc"]
    assert "Exc.V" in net.vars("absolute")
    twin = bb.Network(A=toys.Leaky(1, name="same"), B=toys.Leaky(1, name="same"))
    with pytest.raises(ValueError, match="'same'"):
        twin.nodes("absolute")


def test_positional_children_and_implicit_registration(toys):
    a, b = toys.Leaky(2), toys.Leaky(2)
    named = toys.Leaky(1, name="out")
    net = bb.Network(a, b, named)
    assert list(net.nodes(include_self=False)) == ["Leaky0", "Leaky1", "out"]
    assert "Leaky1.V" in net.vars()
    g = bb.NeuGroup(2)
    g.register_implicit_vars(bb.Variable(jnp.zeros(2)), w=bb.Variable(jnp.ones(2)))
    g.register_implicit_nodes(toys.Leaky(1), sub=toys.Leaky(1))
    assert list(g.vars()) == ["var0", "w", "Leaky0.V", "Leaky0.input", "sub.V", "sub.input"]
    with pytest.raises(TypeError, match="'bad'"):
        g.register_implicit_vars(bad=3.0)
    with pytest.raises(TypeError, match="'bad'"):
        g.register_implicit_nodes(bad=3.0)


def test_containers_and_private_attributes(toys):
    holder = bb.DynamicalSystem()
    holder.layers = [toys.Leaky(1), toys.Leaky(1)]
    holder.by_name = {"x": toys.Leaky(1)}
    holder._hidden = toys.Leaky(1)
    holder.vs = {"a": bb.Variable(jnp.zeros(1))}
    assert list(holder.nodes(include_self=False)) == ["layers.0", "layers.1", "by_name.x"]
    assert "vs.a" in holder.vars()
    assert not any(p.startswith("_") for p in holder.vars())


def test_bad_arguments(toys):
    net = build(toys)
    with pytest.raises(ValueError, match="'relativ'.*Did you mean 'relative'"):
        net.nodes("relativ")
    with pytest.raises(ValueError, match="-2"):
        net.vars(level=-2)
    with pytest.raises(TypeError, match="3"):
        bb.Network(3)
    with pytest.raises(ValueError, match="'1x'"):
        bb.Network(**{"1x": toys.Leaky(1)})
