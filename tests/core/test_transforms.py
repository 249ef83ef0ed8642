"""Stateful outside, pure inside: jit, for_loop, vmap, functional, the pytree (BrainPy fault 6)."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb


def net_of(toys, **kw):
    E = toys.Leaky(3, a=0.5, **kw)
    E.register_delay("d", 2, E.V)
    return bb.Network(E=E)


def drive(net, i):
    net.E.input.value = jnp.full(net.E.V.shape, 1.0)
    net.step_run(i)
    return net.E.V.value


def eager(toys, n):
    net = net_of(toys)
    for i in range(n):
        drive(net, i)
    return net


def test_jit_step_run_equals_eager_and_leaves_no_tracer(toys, no_tracers):
    want = eager(toys, 5)
    net = net_of(toys)
    for i in range(5):
        net.E.input.value = jnp.ones(3)
        net.jit_step_run(i)
        no_tracers(net)
    for path, var in want.vars().items():
        np.testing.assert_allclose(net.vars()[path].value, var.value, err_msg=path)


class _Counter(bb.DynamicalSystem):
    def __init__(self):
        super().__init__()
        self.n = bb.Variable(jnp.zeros(()))

    def update(self):
        self.n.value = self.n.value + 1.0


class _Counters(bb.DynamicalSystem):
    def __init__(self):
        super().__init__()
        self.a = _Counter()
        self.more = [_Counter()]
        self.named = {"x": _Counter()}

    def update(self):
        for node in [self.a, *self.more, *self.named.values(), *getattr(self, "extra", [])]:
            node()


def test_a_compiled_step_threads_what_the_graph_holds_when_called_even_after_it_changed():
    # jit_step_run keeps the Variables it found while the graph is unchanged (a Python loop of calls walked every
    # node at every call); each way the graph can change between calls must still be seen, or the new Variable's
    # value would be frozen into the program as a constant
    net = _Counters()
    net.jit_step_run(0)
    net.extra = [extra := _Counter()]  # a new attribute
    net.jit_step_run(1)
    appended, replaced, added = _Counter(), _Counter(), _Counter()
    net.more.append(appended)  # lists and dicts changed in place
    net.jit_step_run(2)
    old = net.more[0]
    net.more[0] = replaced
    net.named["y"] = added
    net.jit_step_run(3)
    del net.extra
    net.jit_step_run(4)
    counts = {"a": net.a, "extra": extra, "appended": appended, "replaced": replaced, "added": added, "old": old,
              "x": net.named["x"]}
    got = {k: float(v.n.value) for k, v in counts.items()}
    assert got == {"a": 5.0, "extra": 3.0, "appended": 3.0, "replaced": 2.0, "added": 2.0, "old": 3.0, "x": 5.0}
    assert "extra.0.n" not in net.vars() and "more.1.n" in net.vars()
    for i in range(20):  # replaced with nothing else holding the old one: the new one may take its freed id
        del net.named["x"]
        net.named["x"] = _Counter()
        net.jit_step_run(5 + i)
        assert float(net.named["x"].n.value) == 1.0


def test_jit_of_a_function_over_variables(toys, no_tracers):
    net = net_of(toys)
    step = bb.jit(lambda i: drive(net, i), dyn_vars=net)
    outs = [step(i) for i in range(5)]
    want = eager(toys, 5)
    np.testing.assert_allclose(outs[-1], want.E.V.value)
    no_tracers(net)
    # dyn_vars found from a closure too
    step2 = bb.jit(lambda i: drive(net, i))
    step2(5)
    no_tracers(net)
    assert float(net.E.V.value[0]) > float(outs[-1][0])


def test_jit_sees_the_current_step_context(toys):
    seen = []

    class Clock(bb.DynamicalSystem):
        def __init__(self):
            super().__init__()
            self.t = bb.Variable(jnp.zeros(()))

        def update(self):
            self.t.value = jnp.asarray(bb.share.t, jnp.float32)

    c = Clock()
    f = bb.jit(c)
    for i in range(3):
        with bb.environment(i=i, t=i * 0.5):
            f()
        seen.append(float(c.t.value))
    assert seen == [0.0, 0.5, 1.0]


def test_for_loop_equals_eager(toys, no_tracers):
    net = net_of(toys)
    outs = bb.for_loop(lambda i: drive(net, i), jnp.arange(6), dyn_vars=net)
    want = eager(toys, 6)
    np.testing.assert_allclose(outs[-1], want.E.V.value)
    np.testing.assert_allclose(net.E.get_delay_buffer("V").data.value, want.E.get_delay_buffer("V").data.value)
    no_tracers(net)
    assert bb.scan is bb.for_loop
    # operands as a tuple are unpacked; jit=False works too
    v = bb.Variable(jnp.zeros(()))

    def body(a, b):
        v.value = v.value + a * b
        return v.value

    out = bb.for_loop(body, (jnp.arange(3.0), jnp.full(3, 2.0)), dyn_vars=v, jit=False)
    assert out.tolist() == [0.0, 2.0, 6.0]


def test_vmap_over_mapped_state_and_no_tracers(toys, no_tracers):
    net = net_of(toys, mode=bb.BatchingMode(4))

    def one(x):
        net.E.input.value = jnp.full(net.E.V.shape, x)
        net.step_run(0)
        return net.E.V.value.sum()

    axes = {p: v.batch_axis for p, v in net.vars().items()}  # the delay index is shared by all lanes
    out = bb.vmap(one, dyn_vars=net, state_axes=axes)(jnp.arange(4.0))
    assert out.shape == (4,)
    np.testing.assert_allclose(out, 3 * jnp.arange(4.0))
    np.testing.assert_allclose(net.E.V.value[:, 0], jnp.arange(4.0))
    no_tracers(net)


def test_vmap_writing_a_shared_variable_says_to_map_it(no_tracers):
    v = bb.Variable(jnp.zeros(()))

    def f(x):
        v.value = x

    with pytest.raises(ValueError, match="state_axes"):
        bb.vmap(f, dyn_vars=v)(jnp.arange(3.0))
    assert not isinstance(v.value, jax.core.Tracer)


def test_functional_pure_restores_everything(toys, no_tracers):
    net = net_of(toys)
    f = bb.core.functional(lambda: drive(net, 0), dict(net.vars()))
    state = {p: v.value for p, v in net.vars().items()}
    new, out = jax.jit(f.pure)(state, {})
    np.testing.assert_allclose(new["E.V"], out)
    assert float(net.E.V.value.sum()) == 0.0  # the objects are untouched
    no_tracers(net)


def test_transform_error_leaves_no_tracer(toys, no_tracers):
    net = net_of(toys)

    def bad(i):
        drive(net, i)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        bb.jit(bad, dyn_vars=net)(0)
    with pytest.raises(RuntimeError, match="boom"):
        bb.for_loop(bad, jnp.arange(2), dyn_vars=net)
    no_tracers(net)


def test_system_is_a_pytree_through_jax_jit_and_vmap(toys, no_tracers):
    net = net_of(toys)
    leaves, treedef = jax.tree_util.tree_flatten(net)
    assert len(leaves) == len(net.vars())
    leaves2, aux = net.tree_flatten()
    clone = type(net).tree_unflatten(aux, [x + 1 for x in leaves2])
    assert clone is not net and clone.E is not net.E
    np.testing.assert_allclose(clone.E.V.value, net.E.V.value + 1)
    assert list(clone.vars()) == list(net.vars())

    @jax.jit
    def step(n, i):
        drive(n, i)
        return n

    out = step(net, 0)
    assert isinstance(out, bb.Network) and out is not net
    np.testing.assert_allclose(out.E.V.value, jnp.ones(3))
    assert float(net.E.V.value.sum()) == 0.0
    no_tracers(net, out)

    vals = jax.vmap(lambda n, x: n.E.V.value + x, in_axes=(None, 0))(net, jnp.arange(2.0))
    assert vals.shape == (2, 3)
    no_tracers(net)


def test_tracing_variable(toys, no_tracers):
    g = toys.Leaky(2)
    v = g.tracing_variable("acc", 0.0, (2,))
    assert g.acc is v and g.tracing_variable("acc", 5.0, (2,)) is v
    assert v.shape == (2,) and "acc" in g.vars()
    b = toys.Leaky(2, mode=bb.BatchingMode(3))
    assert b.tracing_variable("w", 1.0, 2, bb.BatchingMode(3)).shape == (3, 2)

    class Lazy(bb.DynamicalSystem):
        def update(self, x):
            acc = self.tracing_variable("acc", 0.0, ())
            acc.value = acc.value + x
            return acc.value

    lazy = Lazy()
    f = bb.jit(lazy)
    outs = [float(f(1.0)) for _ in range(3)]
    assert outs == [1.0, 2.0, 3.0]
    no_tracers(lazy)


def test_jit_names_static_arguments_that_are_not_positions_or_names():
    # bad-input audit: static_argnums='a' failed with "can only concatenate str (not "int") to str"
    with pytest.raises(TypeError, match=r"^jit: static_argnums must be argument positions \(ints\), got 'a'"):
        bb.jit(lambda x: x, static_argnums="a")
    with pytest.raises(TypeError, match=r"^jit: static_argnames must be argument names \(str\), got 1"):
        bb.jit(lambda x: x, static_argnames=1)
    assert float(bb.jit(lambda x, k: x * k, static_argnums=None)(2.0, 3.0)) == 6.0
    assert float(bb.jit(lambda x, k: x * k, static_argnames="k")(2.0, k=3)) == 6.0


def test_jit_takes_numpy_positions_as_jax_does():
    assert float(bb.jit(lambda x, k: x * k, static_argnums=np.int64(1))(2.0, 3.0)) == 6.0
    assert float(bb.jit(lambda x, k: x * k, static_argnums=np.array([1]))(2.0, 3.0)) == 6.0
