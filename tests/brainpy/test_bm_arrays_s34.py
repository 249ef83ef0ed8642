"""``bm``'s numpy-like functions outside a step give an array that changes in place, as BrainPy's ``bm.Array``
(BrainPy 2.8.2: ``type(bm.exp(x))`` is ``brainpy.math.Array``, ``bm.meshgrid`` a list of them, ``bm.sum(x)`` (0-d)
a JAX array); inside a step, a loop or a trace jax.numpy's own arrays. Their numbers are jax.numpy's (BrainPy
computes with it). Brainpy-examples' Bouchacourt 2019 working-memory model wrote ``W[diag, diag] = 0.`` into
``lambda_ + A * bm.exp(...)`` and got JAX's "arrays are immutable"."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

#: V of the two neurons at steps 20, 40 and 99 under BrainPy 2.8.2 (tests/brainpy/reference/gmax_matrix_bp282.py,
#: also in tests/brainpy/test_gmax_matrix.py)
BRAINPY_AMPA_V = [[-63.9862, -64.4913], [-61.1681, -59.4958], [-57.9146, -55.1675]]


def test_bouchacourt_ring_weights_change_in_place_with_jax_numpys_numbers():
    n, k1, k2, A, lambda_ = 16, 1., 0.25, 2., 0.28
    encoding = 2. * bm.pi * bm.arange(1, n + 1) / n
    diff = encoding.reshape((-1, 1)) - encoding
    W = lambda_ + A * bm.exp(k1 * (bm.cos(diff) - 1)) - A * bm.exp(k2 * (bm.cos(diff) - 1))
    diag = bm.arange(n)
    W[diag, diag] = 0.
    d = np.asarray(diff)
    expected = (lambda_ + A * jnp.exp(k1 * (jnp.cos(d) - 1)) - A * jnp.exp(k2 * (jnp.cos(d) - 1))).at[
        np.arange(n), np.arange(n)].set(0.)
    assert W.dtype == np.float32 and np.array_equal(W, np.asarray(expected))


def test_results_outside_a_step_are_mutable_arrays_as_brainpys():
    e = bm.exp(np.zeros(3, np.float32))
    e[1] = 5.
    assert isinstance(e, bm.HostArray) and e.tolist() == [1., 5., 1.]
    gx, gy = bm.meshgrid(bm.arange(2), bm.arange(3))  # a list of arrays
    gx[0, 0] = 7
    assert isinstance(gy, bm.HostArray) and gx.tolist() == [[7, 1], [0, 1], [0, 1]]
    (nz,) = bm.nonzero(bm.asarray([0., 2., 3.]))
    assert isinstance(nz, bm.HostArray) and nz.tolist() == [1, 2]
    total = bm.sum(bm.ones(3))  # 0-d: a JAX number, as BrainPy's
    assert isinstance(total, jax.Array) and float(total) == 3.
    assert bm.add.reduce(bm.arange(4)) == 6 and isinstance(bm.add.outer(bm.ones(2), bm.ones(2)), bm.HostArray)
    assert bm.exp is bm.exp and bm.float32(1.5).dtype == np.float32


def test_makers_and_draws_fill_in_place():
    z, o, r = bm.zeros(3), bm.ones((2, 2)), bm.arange(4)
    z[0], o[1, 1], r[-1] = 2., 0., 9
    assert z.tolist() == [2., 0., 0.] and o.tolist() == [[1., 1.], [1., 0.]] and r.tolist() == [0, 1, 2, 9]
    bm.random.seed(3)
    w = bm.random.rand(3, 2)
    bm.random.seed(3)
    again = bm.random.rand(3, 2)
    w[w < 0.5] = 0.  # BrainPy 2.4's habit (bm.Array(bm.random.uniform(...)) then w[w < 0.8] = 0.)
    kept = np.asarray(again)
    assert isinstance(w, bm.HostArray) and w.dtype == np.float32
    assert w.tolist() == np.where(kept < 0.5, 0., kept).tolist()  # the same draw, changed in place
    k = bm.random.randint(0, 5, (4,))
    k[0] = 4
    assert k.dtype == np.int32 and k[0] == 4


def test_asarray_of_a_jax_array_or_variable_is_a_copy_that_changes():
    v = bm.Variable(jnp.ones(2))
    a, b = bm.asarray(v), bm.asarray(jnp.arange(3.))
    a[0], b[0] = 5., 5.
    assert isinstance(a, bm.HostArray) and a.tolist() == [5., 1.] and v.value.tolist() == [1., 1.]
    assert b.tolist() == [5., 1., 2.] and isinstance(bm.asarray(jnp.float32(2.)), jax.Array)


def test_value_reads_and_writes_in_place():
    W = bm.exp(bm.zeros(2))
    assert isinstance(W.value, np.ndarray) and W.value.tolist() == [1., 1.]
    W.value = bm.ones(2) * 3.
    W.update(np.array([4., 5.]))
    assert W.tolist() == [4., 5.] and W.dtype == np.float32
    with pytest.raises(ValueError, match=r"shape \(2,\) in place, got a value of shape \(3,\).*bm.asarray"):
        W.value = np.ones(3)
    with pytest.raises(TypeError, match="int32 in place, got float32"):
        bm.arange(2).value = np.ones(2, np.float32)


def test_arithmetic_with_numpy_and_sums_are_brainpys_jax_numbers():
    x = bm.exp(bm.zeros(3))
    assert (x + np.ones(3)).dtype == np.float32 and isinstance(np.ones(3) * x, bm.HostArray)
    # NumPy's float32 sum down a column adds row after row (off by 0.03 here); BrainPy's array sums with JAX
    m = bm.asarray((np.random.default_rng(1).random((4096, 4)) < 0.35) * np.float32(1.4648))
    assert np.array_equal(m.sum(axis=0), np.asarray(jnp.sum(jnp.asarray(m), axis=0)))
    assert np.array_equal(m.mean(axis=0), np.asarray(jnp.mean(jnp.asarray(m), axis=0)))
    assert m.sum().dtype == np.float32 and bm.arange(3).sum().dtype == np.int32


def test_inside_jit_loops_and_steps_results_stay_jax_arrays():
    assert type(jax.jit(lambda x: bm.exp(x) + bm.random.rand(2))(jnp.zeros(2))).__name__ == "ArrayImpl"
    seen = []

    def body(x):
        y = bm.cos(x)
        seen.append(isinstance(y, bm.HostArray))
        return y

    out = bm.for_loop(body, bm.arange(3.))
    W = bm.ones((2, 2))
    assert jax.jit(lambda s: W.sum(0) * s)(2.).tolist() == [4., 4.]  # a held array's sum, traced
    assert isinstance(out, jax.Array) and np.allclose(out, np.cos([0., 1., 2.])) and seen == [False]


def test_weights_made_by_bm_functions_drive_a_synapse_as_brainpys():
    # tests/brainpy/test_gmax_matrix.py's AMPA network (BrainPy 2.8.2's voltages), its weights written in place
    W = bm.exp(bm.zeros((2, 2)))
    W[0, 1], W[1, 0], W[1, 1] = 0.5, 0.2, 2.0
    with bm.environment(dt=0.1):
        pre = bp.neurons.SpikeTimeGroup(2, indices=[0, 1, 0], times=[1.0, 2.0, 3.0])
        post = bp.neurons.LIF(2, V_rest=-65.0, V_reset=-65.0, V_th=-50.0, V_initializer=bp.init.Constant(-65.0))
        syn = bp.synapses.AMPA(pre, post, bp.conn.All2All(), g_max=W)
        runner = bp.DSRunner(bp.Network(pre=pre, post=post, syn=syn), monitors={"V": post.V}, progress_bar=False)
        runner.run(10.0)
    np.testing.assert_allclose(np.asarray(runner.mon["V"])[[20, 40, 99]], BRAINPY_AMPA_V, atol=2e-4)
