"""Ten thousand models in one process: no growing name registry, nothing kept alive (BrainPy fault 2)."""
import gc
import weakref

import jax.numpy as jnp

import brainbatch as bb
from brainbatch.core import naming


ZEROS = jnp.zeros(2)


class Tiny(bb.NeuGroup):
    def __init__(self):
        super().__init__(2)
        self.V = bb.Variable(ZEROS)  # a ready array: the test measures the graph, not jnp dispatch

    def update(self):
        self.V.value = self.V.value + 1.0


def test_ten_thousand_models_keep_no_registry():
    Tiny()
    before = len(naming._counters)
    refs = []
    for k in range(10_000):
        net = bb.Network(E=Tiny(), name="net")  # the same user name every time is fine
        if k % 1000 == 0:
            refs.append(weakref.ref(net))
    assert len(naming._counters) == before  # one counter per class name, not one entry per model
    del net
    gc.collect()
    assert all(r() is None for r in refs)


def test_a_stepped_model_is_released(toys):
    net = bb.Network(E=toys.Leaky(2))
    net.E.register_delay("d", 2, net.E.V)
    net.step_run(0)
    net.jit_step_run(1)
    ref = weakref.ref(net)
    del net
    gc.collect()
    assert ref() is None


def test_names_may_repeat_and_are_display_only(toys):
    a, b = toys.Leaky(2, name="E"), toys.Leaky(2, name="E")
    assert a.name == b.name == "E"
    a.name = "F"
    assert a.name == "F"
    net = bb.Network(X=a, Y=b)
    assert list(net.nodes(include_self=False)) == ["X", "Y"]
