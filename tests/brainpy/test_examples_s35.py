"""BrainPy's own examples and tutorials run by their imports (session 35): what they showed.

References are BrainPy 2.8.2's numbers for the same scripts (its ``brainpy`` imports in place of these), run with
``.venv-bench`` (BrainPy 2.8.2, jax 0.10.2, CPU).
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm


# --- docs/tutorial_math/Dedicated_Operators.ipynb: bm.sparse.csrmv and bm.event.csrmv were refused ("projections
# are sparse already") and the tutorial stopped at its first product

@pytest.fixture(scope="module")
def tutorial_csr():
    conn_mat = bm.array([[0, 0, 1, 2, 3],
                         [4, 0, 5, 0, 6],
                         [0, 7, 0, 0, 0]]).astype(float)
    data = conn_mat[tuple(bm.as_numpy(i) for i in bm.nonzero(conn_mat))]
    indices, indptr = bp.conn.MatConn(conn_mat)(3, 5).require('pre2post')
    return data, indices, indptr


def test_dedicated_operators_tutorial_products_are_brainpys(tutorial_csr):
    data, indices, indptr = tutorial_csr
    # the tutorial's cells, BrainPy 2.8.2: [4, 21, 7, 4, 12] (as bm.matmul(pre_activity, conn_mat)) and, for the
    # events [True, True, False], [4, 0, 6, 2, 9]
    got = bm.sparse.csrmv(data, indices=indices, indptr=indptr, vector=bm.array([2., 1., 3.]), shape=(3, 5),
                          transpose=True)
    np.testing.assert_array_equal(np.asarray(got), [4., 21., 7., 4., 12.])
    got = bm.event.csrmv(data, indices=indices, indptr=indptr, events=bm.array([True, True, False]), shape=(3, 5),
                         transpose=True)
    np.testing.assert_array_equal(np.asarray(got), [4., 0., 6., 2., 9.])


def test_sparse_and_event_products_follow_brainpy_on_every_form(tutorial_csr):
    data, indices, indptr = tutorial_csr
    ev = jnp.asarray([0.5, 0., 2.])
    # BrainPy 2.8.2 (same CSR): a nonzero event counts as one, a number is every entry's weight, M @ v untransposed
    cases = [
        (bm.event.csrmv(data, indices, indptr, ev, shape=(3, 5), transpose=True), [0., 7., 1., 2., 3.]),
        (bm.event.csrmv(data, indices, indptr, jnp.asarray([.5, 0., 2., 1., 1.]), shape=(3, 5)), [6., 15., 0.]),
        (bm.event.csrmv(1.5, indices, indptr, jnp.asarray([True, False, True]), shape=(3, 5), transpose=True),
         [0., 1.5, 1.5, 1.5, 1.5]),
        (bm.sparse.csrmv(1.5, indices, indptr, ev, shape=(3, 5), transpose=True), [0., 3., .75, .75, .75]),
        (bm.sparse.csrmv(data, indices, indptr, jnp.asarray([.5, 0., 2., 1., 1.]), shape=(3, 5)), [7., 18., 0.]),
    ]
    for got, want in cases:
        np.testing.assert_array_equal(np.asarray(got), want)
    # traced (a step, bm.jit) the same; the dense form and COO agree with the matrix
    jitted = jax.jit(lambda e: bm.event.csrmv(data, indices, indptr, e, shape=(3, 5), transpose=True))
    np.testing.assert_array_equal(np.asarray(jitted(ev)), [0., 7., 1., 2., 3.])
    dense = np.asarray(bm.sparse.csr_to_dense(data, indices, indptr, shape=(3, 5)))
    np.testing.assert_array_equal(dense, [[0, 0, 1, 2, 3], [4, 0, 5, 0, 6], [0, 7, 0, 0, 0]])
    row, col = bm.sparse.csr_to_coo(indices, indptr)
    assert np.asarray(row).tolist() == [0, 0, 0, 1, 1, 1, 2]
    v = jnp.asarray([1., 2., 3., 4., 5.])
    np.testing.assert_array_equal(np.asarray(bm.sparse.coomv(data, row, col, v, shape=(3, 5))), dense @ np.asarray(v))
    back = bm.sparse.coo_to_csr(row[::-1], col[::-1], num_row=3)
    assert np.asarray(back[1]).tolist() == np.asarray(indptr).tolist()


def test_sparse_products_refuse_what_does_not_fit(tutorial_csr):
    data, indices, indptr = tutorial_csr
    with pytest.raises(ValueError, match=r"vector must have shape \(3,\)"):
        bm.sparse.csrmv(data, indices, indptr, jnp.ones(5), shape=(3, 5), transpose=True)
    with pytest.raises(ValueError, match=r"indptr must hold rows \+ 1 = 5"):
        bm.event.csrmv(data, indices, indptr, jnp.ones(4), shape=(4, 5))
    with pytest.raises(ValueError, match="indices holds 4, outside"):
        bm.sparse.csrmv(data, indices, indptr, jnp.ones(3), shape=(3, 4), transpose=True)
    assert callable(bm.event.csrmm)  # implemented since (tests/brainpy/test_examples_s36.py)


# --- examples/dynamics_simulation/whole_brain_simulation_with_fhn.py (a connectome whose delay_mat has pairs of 0 or
# 1 step): BrainPy 2.8.2 reads initial_delay_data for such pairs in every step (its delay ring never writes their
# slots), brainbatch the current value. With every connected pair at 2 steps or more the example's deterministic
# run (noise off, constant starts) agreed with BrainPy 2.8.2 to float32 over 10,000 steps; with short pairs it
# differed from the first step. Now a BrainPyDifferenceWarning names them.

def test_coupling_delays_of_two_steps_or_more_are_brainpys_and_shorter_ones_warn():
    n = 5
    conn = bm.asarray(np.diag([1., 1., 1., 1., 0.]))  # node 4 uncoupled
    delays = bm.asarray(np.diag([0, 1, 2, 5, 0]).astype(int))

    class Net(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.fhn = bp.dyn.FHN(n, x_initializer=bp.init.Constant(0.1), y_initializer=bp.init.Constant(0.2))
            self.c = bp.dyn.DiffusiveCoupling(self.fhn.x, self.fhn.x, var_to_output=self.fhn.input, conn_mat=conn,
                                              delay_steps=delays, initial_delay_data=bp.init.Constant(-1.))

    with pytest.warns(bp.BrainPyDifferenceWarning, match=r"2 connected pair\(s\) have delay_steps 0 or 1"):
        net = Net()
    runner = bp.DSRunner(net, monitors={'x': net.fhn.x}, progress_bar=False)
    runner.run(3.)
    x = np.asarray(runner.mon['x'])
    # BrainPy 2.8.2, the same net of 4 nodes (conn eye(4), delays diag(0, 1, 2, 5)), x at steps 5 and 29 of the
    # nodes with delays 2 and 5 (its nodes with 0 and 1 read -1 throughout: -0.28398, -0.29302)
    np.testing.assert_allclose(x[[5, 29]][:, 2:4], [[-0.07268696278333664, -0.14858217537403107],
                                                     [-0.09382738173007965, -0.09389521926641464]], atol=2e-6)
    # here delays 0 and 1 read the current value: x - x, as if uncoupled
    np.testing.assert_allclose(x[:, 0], x[:, 4], atol=1e-6)
    np.testing.assert_allclose(x[:, 1], x[:, 4], atol=1e-6)


def test_coupling_without_short_connected_pairs_does_not_warn():
    import warnings

    fhn = bp.dyn.FHN(3)
    with warnings.catch_warnings():
        warnings.simplefilter("error", bp.BrainPyDifferenceWarning)
        # the examples' habit: a zero diagonal of delays where the connection matrix is zero too
        bp.dyn.DiffusiveCoupling(fhn.x, fhn.x, var_to_output=fhn.input, conn_mat=bm.asarray(1. - np.eye(3)),
                                 delay_steps=bm.asarray(2 + 3 * (1 - np.eye(3, dtype=int))))
        bp.dyn.AdditiveCoupling(fhn.x, var_to_output=fhn.input, conn_mat=bm.asarray(np.ones((3, 3))), delay_steps=4)
