"""A BrainPy model built and stepped without a runner (``bm.for_loop`` over ``step_run``) follows
``bm.random.seed``, as BrainPy's global generator: the same seed repeats a trial, another seed gives
another one. Before, its initial values depended on how many models the process had built and every
loop's noise was seed 0's (three trials of a seed loop were one trial)."""
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm


def trial(seed, noise=2.0):
    bm.random.seed(seed)
    E = bp.dyn.LifRef(200, V_initializer=bp.init.Normal(-55., 2.), noise=noise)
    V0 = np.asarray(E.V.value).copy()
    bm.for_loop(lambda i: E.step_run(i, 0.), bm.arange(20))
    return V0, np.asarray(E.V.value)


def test_the_same_seed_repeats_a_trial_and_another_seed_gives_another():
    (a0, a), (b0, b), (c0, c) = trial(0), trial(1), trial(0)
    np.testing.assert_array_equal(a0, c0)
    np.testing.assert_array_equal(a, c)
    # another seed: other initial values and other noise (with the same start, other trajectories)
    assert not np.allclose(a0, b0) and not np.allclose(a, b) and abs(b0.mean() + 55.) < 4 * 2 / np.sqrt(200)
    bm.random.seed(5)
    E = bp.dyn.LifRef(200, V_initializer=bp.init.Constant(-55.), noise=2.0)

    def step(i):
        E.step_run(i, 0.)
        return E.V.value

    first = np.asarray(bm.for_loop(step, bm.arange(20)))
    E.reset_state()
    second = np.asarray(bm.for_loop(step, bm.arange(20)))
    assert not np.allclose(first, second)  # the next loop draws the next numbers of the stream
    # noise free, the seed only picks the start
    (d0, d), (e0, e) = trial(2, noise=None), trial(2, noise=None)
    np.testing.assert_array_equal(d0, e0)
    np.testing.assert_array_equal(d, e)


def test_connectivity_built_outside_a_run_follows_the_seed_and_a_connector_seed_fixes_it():
    def targets(seed, conn_seed=None):
        bm.random.seed(seed)
        E = bp.dyn.LifRefLTC(100)
        proj = bp.dyn.FullProjAlignPost(pre=E, delay=None,
                                        comm=bp.dnn.EventCSRLinear(bp.conn.FixedProb(0.1, pre=100, post=100,
                                                                                     seed=conn_seed), 0.1),
                                        syn=bp.dyn.Expon(100, tau=5.), out=bp.dyn.CUBA(), post=E)
        return np.asarray(proj.targets.value)

    assert np.array_equal(targets(0), targets(0)) and not np.array_equal(targets(0), targets(1))
    assert np.array_equal(targets(0, conn_seed=7), targets(1, conn_seed=7))


def _free_lif(n):
    return bp.dyn.Lif(n, V_rest=0., V_th=1e9, V_reset=0., tau=10., V_initializer=bp.init.Constant(0.), noise=1.)


def test_draws_in_the_loop_body_differ_from_step_to_step_and_follow_the_seed():
    def loop(seed):
        bm.random.seed(seed)
        E = bp.dyn.Lif(3, V_rest=0., V_th=1e9, V_reset=0., tau=10.)

        def step(i):
            current = bm.random.normal(0., 5., 3)  # BrainPy 2.4's noisy input drawn in the body
            E.step_run(i, current)
            return current

        return np.asarray(bm.for_loop(step, bm.arange(50)))

    a, b, c = loop(0), loop(1), loop(0)
    np.testing.assert_array_equal(a, c)
    assert not np.allclose(a, b) and len({tuple(row) for row in a.tolist()}) == 50  # a new draw every step
    assert abs(a.std() - 5.) < 5 * 5 / np.sqrt(2 * a.size)  # Normal(0, 5): the sample sd within 5 of its sds


def test_models_stepped_side_by_side_or_by_hand_draw_their_own_numbers():
    bm.random.seed(0)
    E1, E2 = _free_lif(4), _free_lif(4)

    def both(i):
        E1.step_run(i, 0.)
        E2.step_run(i, 0.)

    bm.for_loop(both, bm.arange(20))
    assert not np.allclose(np.asarray(E1.V.value), np.asarray(E2.V.value))
    # step_run in a plain Python loop, outside any run: each call the next key of the stream
    ends = []
    for seed in (0, 1, 0):
        bm.random.seed(seed)
        E = _free_lif(5)
        for i in range(5):
            E.step_run(i, 0.)
        ends.append(np.asarray(E.V.value))
    np.testing.assert_array_equal(ends[0], ends[2])
    assert not np.allclose(ends[0], ends[1])


def test_a_loop_inside_jit_runs():
    import jax

    @jax.jit
    def shifted(inp):  # BrainPy's own running test body: a for_loop traced inside jit, outside a run
        return bm.for_loop(lambda x: x + 1.0, inp)

    assert np.asarray(shifted(bm.zeros((3, 2)))).tolist() == [[1.0, 1.0]] * 3


def test_a_parameter_given_as_an_initializer_is_drawn_once_from_the_stream():
    draws = []
    for _ in range(2):
        bm.random.seed(3)
        draws.append(np.asarray(bp.dyn.IK_TM1991(50, g_max=bp.init.Uniform(5., 10.)).g_max))
    np.testing.assert_array_equal(*draws)
    assert draws[0].shape == (50,) and 5. <= draws[0].min() and draws[0].max() < 10. and draws[0].std() > 0.5
    assert np.asarray(bp.dyn.LifRef(4, tau=bp.init.Constant(15.)).tau).tolist() == [15.] * 4
    with pytest.raises(ValueError, match="g_max must be >= 0"):
        bp.dyn.IK_TM1991(3, g_max=bp.init.Uniform(-2., -1.))


def test_nested_loops_and_a_model_stepped_twice_draw_new_numbers():
    bm.random.seed(0)
    inner = np.asarray(bm.for_loop(lambda i: bm.for_loop(lambda j: bm.random.rand(), bm.arange(3)), bm.arange(2)))
    assert len(set(inner.ravel().tolist())) == 6  # each inner loop, in each outer step, its own numbers
    a = _free_lif(200)

    def twice(i):
        a.step_run(i, 0.)
        first = a.V.value
        a.step_run(i, 0.)
        return first, a.V.value

    first, second = (np.asarray(x) for x in bm.for_loop(twice, bm.arange(5)))
    steps = np.diff(np.concatenate([first[:, None], second[:, None]], axis=1), axis=1)
    assert abs(np.corrcoef(first[1:].ravel() - second[:-1].ravel(), steps[1:].ravel())[0, 1]) < 0.2


def test_a_loop_inside_a_models_update_draws_new_numbers_each_step():
    class Drawing(bp.DynamicalSystem):
        def __init__(self):
            super().__init__()
            self.x = bm.Variable(bm.zeros(3))

        def update(self):
            self.x.value = bm.for_loop(lambda j: bm.random.rand(), bm.arange(3))

    model = Drawing()
    runner = bp.DSRunner(model, monitors=['x'], progress_bar=False, seed=1)
    runner.run(0.5)
    x = np.asarray(runner.mon['x'])
    assert len(set(x.ravel().tolist())) == x.size  # BrainPy: a new number at every draw


def test_random_numbers_inside_bm_jit_are_new_at_every_call_and_follow_the_seed():
    # BrainPy's random-number tutorial: @bm.jit def get_data(): return bm.random.random(2) gives new numbers at each
    # call; here the key drawn while tracing was built into the program, and every call repeated one draw
    get_data = bm.jit(lambda: bm.random.random(2))

    def calls(seed):
        bm.random.seed(seed)
        return [np.asarray(get_data()).tolist() for _ in range(3)]

    first = calls(1)
    assert len({tuple(x) for x in first}) == 3 and calls(1) == first and calls(2) != first
    noise = [np.asarray(bm.jit(lambda: bm.random.normal(size=1000))()) for _ in range(2)]
    assert not np.array_equal(*noise) and abs(float(noise[0].mean())) < 4 / np.sqrt(1000)  # 4 standard errors
