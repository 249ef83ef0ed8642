"""BrainPy's control flow with Variables (``bm.cond``, ``bm.ifelse``, ``bm.while_loop``, ``bm.scan``), its activations,
``Variable.at`` and ``key=``/``dtype=`` in ``bm.random`` (BrainPy audit: these were missing, and ``bm.scan`` was
``for_loop`` under another name, failing with an IndexError). The expected values are the examples in BrainPy 2.8.2's
docstrings (brainpy/math/object_transform/controls.py) and ``jax.lax.scan``'s definition."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm


def _two_branches():
    """Variables a (zeros) and b (ones), and two branches: one adds 1 to a, the other takes 1 from b (each reaches
    one Variable only, through its closure)."""
    a, b = bm.Variable(bm.zeros(2)), bm.Variable(bm.ones(2))

    def true_f():
        a.value += 1

    def false_f():
        b.value -= 1

    return a, b, true_f, false_f


def test_cond_writes_the_variables_of_the_branch_taken():
    a, b, true_f, false_f = _two_branches()
    bm.cond(True, true_f, false_f)
    assert a.value.tolist() == [1.0, 1.0] and b.value.tolist() == [1.0, 1.0]
    bm.cond(False, true_f, false_f)
    assert a.value.tolist() == [1.0, 1.0] and b.value.tolist() == [0.0, 0.0]
    assert float(bm.cond(jnp.asarray(False), 1.0, 2.0)) == 2.0  # constant branches


def test_branches_that_write_different_variables_under_a_traced_condition_keep_both():
    # BrainPy's control-flow notebook: each branch reached one Variable, both listed under the key "0", and the
    # merge kept one: the other raised "assigned a traced value" (for while_loop, as a set of globals fell)
    a, b, true_f, false_f = _two_branches()
    cond = bm.jit(lambda x: bm.cond(x > 0, true_f, false_f))
    ifelse = bm.jit(lambda x: bm.ifelse(x > 0, [true_f, false_f]))
    for step in (cond, ifelse):
        step(1.)
        step(-1.)
    assert a.value.tolist() == [2.0, 2.0] and b.value.tolist() == [-1.0, -1.0]
    i, counter = bm.Variable(bm.zeros(1)), bm.Variable(bm.zeros(1))

    def keep_on():
        return i[0] < 10

    def body():
        i.value += 1
        counter.value += i

    bm.jit(lambda: bm.while_loop(body, keep_on, ()))()
    assert i.value.tolist() == [10.0] and counter.value.tolist() == [55.0]  # BrainPy 2.8.2's notebook: 10 and 55


def test_a_brainpy_object_holds_variables_for_the_transforms():
    # BrainPy's math and transform tutorials subclass bp.BrainPyObject (bm.BrainPyObject): it was refused by name
    class OddEven(bp.BrainPyObject):
        def __init__(self):
            super().__init__()
            self.a = bm.Variable(bm.zeros(1))

        def __call__(self, x):
            bm.cond(x > 0, lambda: self.a.update(self.a + 1), lambda: self.a.update(self.a - 1))
            return self.a.value

    step = bm.jit(OddEven())
    assert [float(step(x)[0]) for x in (1., 1., -1.)] == [1.0, 2.0, 1.0]  # BrainPy 2.8.2: [1.] [2.] [1.]
    assert bm.BrainPyObject is bp.BrainPyObject and list(OddEven().vars()) == ["a"]


def test_ifelse_takes_the_first_true_condition_eagerly_and_traced():
    def f(a):
        return bm.ifelse(conditions=[a > 10, a > 5, a > 2, a > 0], branches=[lambda: 1, lambda: 2, lambda: 3,
                                                                              lambda: 4, lambda: 5])

    assert f(1) == 4 and f(3) == 3
    traced = jax.jit(lambda a: bm.ifelse([a > 10, a > 5, a > 2, a > 0], [1, 2, 3, 4, 5]))
    assert [int(traced(x)) for x in (11, 6, 3, 1, -1)] == [1, 2, 3, 4, 5]
    with pytest.raises(ValueError, match="2 condition"):
        bm.ifelse([True, False], [1, 2])


def test_while_loop_carries_operands_and_writes_variables():
    a, b = bm.Variable(bm.zeros(1)), bm.Variable(bm.ones(1))

    def cond(x, y):
        return x < 6.

    def body(x, y):
        a.value += x
        b.value *= y
        return x + b[0], y + 1.

    res = bm.while_loop(body, cond, operands=(1., 1.))
    assert [float(r) for r in res] == [10.0, 4.0]
    assert a.value.tolist() == [1.0 + 2.0 + 4.0] and b.value.tolist() == [6.0]


def test_scan_is_lax_scan_with_variables():
    total, partial = bm.scan(lambda c, x: (c + x, c + x), 0., bm.arange(1., 5.))
    assert float(total) == 10.0 and partial.tolist() == [1.0, 3.0, 6.0, 10.0]
    v = bm.Variable(bm.zeros(()))

    def body(c, xs):
        v.value += xs[0] * xs[1]
        return c + 1, v.value

    count, ys = bm.scan(body, 0, (bm.arange(3.), bm.arange(3.)))
    assert int(count) == 3 and ys.tolist() == [0.0, 1.0, 5.0] and float(v.value) == 5.0


def test_control_flow_inside_a_runner_step():
    class Net(bp.DynamicalSystem):
        def __init__(self):
            super().__init__()
            self.a, self.b = bm.Variable(bm.zeros(1)), bm.Variable(bm.zeros(1))
            self.w, self.noise = bm.Variable(bm.zeros(1)), bm.Variable(bm.zeros(3))

        def update(self):
            t = bp.share["t"]
            bm.cond(t > 0.25, lambda: self.a.update(self.a + 1), lambda: self.b.update(self.b + 1))
            self.w.value = bm.while_loop(lambda x: x * 2., lambda x: x < 10., operands=(self.w[0] + 1.,))[0].reshape(1)
            self.noise.value = bm.scan(lambda c, x: (c, bm.random.rand() + x), 0., bm.zeros(3))[1]

    net = Net()
    runner = bp.DSRunner(net, monitors={"a": net.a, "b": net.b, "w": net.w, "noise": net.noise}, progress_bar=False)
    runner.run(0.5)  # steps at t = 0, 0.1, ..., 0.4
    assert runner.mon["a"][:, 0].tolist() == [0, 0, 0, 1, 2] and runner.mon["b"][:, 0].tolist() == [1, 2, 3, 3, 3]
    assert runner.mon["w"][:, 0].tolist() == [16, 17, 18, 19, 20]  # 1 -> 2 -> 4 -> 8 -> 16, then w + 1 >= 10
    noise = np.asarray(runner.mon["noise"])
    assert len(np.unique(noise)) == noise.size  # a draw in a scan body differs by iteration and by step


def test_activations_and_variable_at():
    x = jnp.array([-1.0, 0.0, 2.0])
    assert bm.relu(x).tolist() == [0.0, 0.0, 2.0]
    np.testing.assert_allclose(bm.softplus(x), np.log1p(np.exp(np.asarray(x))), rtol=1e-6)
    v = bm.Variable(bm.zeros(3))
    assert v.at[1].set(2.0).tolist() == [0.0, 2.0, 0.0] and v.value.tolist() == [0.0, 0.0, 0.0]


def test_random_takes_key_and_dtype_and_refuses_a_negative_size():
    assert bm.random.normal(size=3, key=7).tolist() == bm.random.normal(size=3, key=7).tolist()
    assert bm.random.rand(2, key=jax.random.key(0)).tolist() == jax.random.uniform(jax.random.key(0), (2,)).tolist()
    assert bm.random.randint(5, size=4, key=1, dtype=jnp.int16).dtype == jnp.int16
    assert bm.random.uniform(size=2, dtype=jnp.float16).dtype == jnp.float16
    with pytest.raises(ValueError, match="size must not be negative, got -1"):
        bm.random.normal(size=-1)
    with pytest.raises(TypeError, match="size must be an int or a tuple of ints"):
        bm.random.normal(size="3")


def test_control_flow_misuse_is_named():
    """Audit: `bm.while_loop(lambda x: x + 0.5, lambda x: x < 5, 0)` cast 0.5 back to the int 0 and looped forever;
    swapped body and condition looped too; a scan body returning one value failed with "iteration over a 0-d array"."""
    with pytest.raises(TypeError, match=r"returns operand 0 as float32\[\] where it came in as int32\[\]"):
        bm.while_loop(lambda x: x + 0.5, lambda x: x < 5, 0)
    with pytest.raises(TypeError, match="cond_fun must return one boolean.*did you swap body_fun and cond_fun"):
        bm.while_loop(lambda x: x < 5.0, lambda x: x + 0.5, 0.0)
    with pytest.raises(TypeError, match=r"body_fun\(carry, x\) must return \(new carry, y\)"):
        bm.scan(lambda c, x: c + x, 0.0, bm.arange(3.0))


def test_a_condition_that_is_not_one_boolean_is_named():
    """Audit: `bm.cond("x", ...)` took the true branch (Python's truth of a text); two booleans failed in numpy
    eagerly and in lax.switch traced. A size-1 array and a number (nonzero: true) are one condition, as BrainPy's."""
    for bad, message in (("x", "got str 'x'"), (None, "got NoneType None"),
                         (np.array([True, False]), r"an array of shape \(2,\) and dtype bool")):
        with pytest.raises(TypeError, match=r"^cond: a condition must be.*" + message):
            bm.cond(bad, 1, 2)
        with pytest.raises(TypeError, match=r"^ifelse: a condition must be"):
            bm.ifelse([False, bad], [1, 2, 3])
    assert [bm.cond(p, 1, 2) for p in (np.array([True]), 0.0, np.bool_(False))] == [1, 2, 2]
    traced = jax.jit(lambda p: bm.cond(p, lambda: 1.0, lambda: 2.0))
    assert [float(traced(p)) for p in (0.5, 0.0, jnp.array([True]))] == [1.0, 2.0, 1.0]


def test_loop_operands_without_an_axis_or_of_two_lengths_are_named():
    # audit: bm.for_loop(body, 1.) failed with "tuple index out of range", bb.for_loop with a str inside jit
    for loop in (bm.for_loop, bb.for_loop):
        for operands in (1.0, "abc", [1.0, 2.0]):
            with pytest.raises(TypeError, match=r"^for_loop: operands are looped over along their first axis, and "
                                                r"operand 0 \((float 1.0|str 'abc')\) has none.*jnp.asarray"):
                loop(lambda *x: x[0], operands)
        with pytest.raises(ValueError, match=r"must be of one length; got lengths \[3, 4\]"):
            loop(lambda x, y: x, (bm.ones(3), bm.ones(4)))
        assert np.asarray(loop(lambda x: x * 2, np.arange(3.0))).tolist() == [0.0, 2.0, 4.0]
