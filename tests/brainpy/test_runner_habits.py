"""DSRunner as BrainPy 2.8.2 runs it: the order of its inputs, 'func' inputs of the shared arguments,
``run(inputs=...)`` with the runner's own inputs, ``predict``'s outputs, a second runner's 'iter' inputs
and times. Expected numbers: runs of BrainPy 2.8.2 (the scripts are quoted in each test)."""
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm


def _integrator():
    # V integrates its input only (tau huge, no threshold): V after a step shows that step's input
    return bp.neurons.LIF(1, V_rest=0., V_th=1e9, V_reset=0., tau=1e9, tau_ref=0.)


def test_inputs_are_applied_by_kind_then_operation_as_brainpy_does():
    # BrainPy 2.8.2 (runners.py): fixed inputs first, then arrays, 'func', other iterables, each in the
    # order = + - * /: [('input', 20, 'iter'), ('input', 5., 'fix', '-'), ('input', 2., 'fix', '*')] is
    # (0 - 5) * 2 + 20 = 10 per step there (it was (20 - 5) * 2 = 30 here: listed order)
    n = _integrator()
    r = bp.DSRunner(n, monitors=["V"], progress_bar=False,
                    inputs=[("input", np.full(10, 20.), "iter"), ("input", 5., "fix", "-"), ("input", 2., "fix", "*")])
    V = np.asarray(r.run(1.)["V"])[:, 0]
    assert np.diff(np.concatenate([[0.], V])) * 1e9 / 0.1 == pytest.approx(np.full(10, 10.), rel=1e-3)


def test_function_inputs_get_the_shared_arguments_or_nothing():
    # BrainPy 2.8.2 calls a one-argument 'func' input with the shared arguments (tdi['t'], tdi.t), else with none
    for f in (lambda tdi: tdi["t"] * 0 + 3.0, lambda tdi: tdi.dt * 30.0, lambda: 3.0):
        n = _integrator()
        V = np.asarray(bp.DSRunner(n, monitors=["V"], inputs=[("input", f, "func")], progress_bar=False).run(1.)["V"])
        assert V[-1, 0] * 1e9 / 0.1 == pytest.approx(30.0, rel=1e-3)


def test_run_with_update_arguments_applies_the_runners_inputs_and_predict_returns_the_outputs():
    class M(bp.DynamicalSystem):
        def __init__(self):
            super().__init__()
            self.n = bp.dyn.Lif(1, V_th=1e9, tau=1e9, V_rest=0., V_reset=0., V_initializer=bp.init.Constant(0.))

        def update(self, x):
            self.n(x)
            return self.n.V.value * 2

    # BrainPy 2.8.2: V = 0.1, 0.2, ... 0.5 (the runner's ('n.V', 0.1) input at every step, x = 2 negligible);
    # predict returns update's values, (5, 1); here run(inputs=) dropped the runner's inputs
    r = bp.DSRunner(M(), monitors=["n.V"], inputs=[("n.V", 0.1)], progress_bar=False)
    np.testing.assert_allclose(np.asarray(r.run(inputs=np.full((5, 1), 2.))["n.V"])[:, 0], [.1, .2, .3, .4, .5], rtol=1e-5)
    r = bp.DSRunner(M(), monitors=["n.V"], inputs=[("n.V", 0.1)], progress_bar=False)
    out = r.predict(inputs=np.full((5, 1), 2.))
    assert np.shape(out) == (5, 1) and float(np.asarray(out)[-1, 0]) == pytest.approx(1.0, rel=1e-5)
    assert np.asarray(r.mon["n.V"]).shape == (5, 1)
    # a scalar as the inputs (run(100., 20.), the duration then a constant) has no time axis: it said "tuple
    # index out of range"
    with pytest.raises(ValueError, match=r"run\(inputs=\.\.\.\): an input needs a leading time axis \(one row per "
                                         r"step\), got the scalar 20.0"):
        bp.DSRunner(M(), progress_bar=False).run(1., 20.)


def test_a_second_runner_counts_its_iter_inputs_and_times_from_its_own_first_step():
    # Wu 2008 CANN's encoding then decoding runners; BrainPy 2.8.2: the second runner's ts 0 .. 1.9, V[0]
    # 1.3327645, V[-1] 1.9673458 (it continues the model's state; its own 20-step input is read from step 0)
    n = bp.neurons.LIF(1)
    bp.DSRunner(n, monitors=["V"], inputs=["input", np.full(30, 5.), "iter"], progress_bar=False).run(3.)
    r2 = bp.DSRunner(n, monitors=["V"], inputs=["input", np.full(20, 5.), "iter"], progress_bar=False)
    mon = r2.run(2.)
    np.testing.assert_allclose(np.asarray(mon.ts)[[0, -1]], [0., 1.9], atol=1e-9)
    np.testing.assert_allclose(np.asarray(mon["V"])[[0, -1], 0], [1.3327645, 1.9673458], rtol=1e-5)
    with pytest.raises(ValueError, match="has 20 time steps, but this runner's runs need 30 \\(20 done, 10 in this run"):
        r2.run(1.)


def test_runners_without_a_seed_draw_new_numbers_and_bm_random_seed_repeats_them():
    # BrainPy draws each new model's values from its global generator: a loop over trials differs trial to
    # trial, and bm.random.seed(s) repeats the sequence (every runner here drew seed 0's numbers)
    import brainbatch.brainpy.math as bm

    def v0s():
        out = []
        for _ in range(2):
            n = bp.dyn.LifRef(4, V_initializer=bp.init.Normal(-55., 2.))
            out.append(np.asarray(bp.DSRunner(n, monitors=["V"], progress_bar=False).run(0.1)["V"])[0])
        return out

    bm.random.seed(5)
    first = v0s()
    assert not np.array_equal(first[0], first[1])
    bm.random.seed(5)
    again = v0s()
    np.testing.assert_array_equal(np.stack(first), np.stack(again))
    n = bp.dyn.LifRef(4, V_initializer=bp.init.Normal(-55., 2.))
    fixed = [np.asarray(bp.DSRunner(n, monitors=["V"], progress_bar=False, seed=3).run(0.1, reset_state=True)["V"])
             for _ in range(2)]
    np.testing.assert_array_equal(fixed[0], fixed[1])  # seed= decides the run, as before


def test_arrays_made_outside_a_step_are_filled_in_place_as_brainpys():
    # Wu 2008's CANN notebook: Iext = bm.zeros(...); Iext[:num1] = stimulus; Iext[...] += noise; then an
    # 'iter' input (JAX arrays are immutable: it raised). Inside a step they are JAX arrays, as before.
    import brainbatch.brainpy.math as bm

    Iext = bm.zeros((10, 1))
    Iext[:5] = 20.
    Iext[5:] += 10.
    assert Iext.dtype == np.float32 and bm.ones(2).dtype == np.float32
    n = _integrator()
    V = np.asarray(bp.DSRunner(n, monitors=["V"], inputs=("input", Iext, "iter"), progress_bar=False).run(1.)["V"])
    assert np.diff(np.concatenate([[0.], V[:, 0]])) * 1e9 / 0.1 == pytest.approx([20.] * 5 + [10.] * 5, rel=1e-3)
    seen = []

    class Probe(bp.DynamicalSystem):
        def update(self):
            seen.append(type(bm.zeros(2)).__module__)

    bp.DSRunner(Probe(), progress_bar=False).run(0.1)
    assert seen and all(m.startswith("jax") for m in seen)


class _WritesIntoAnArray(bp.NeuGroup):
    """Diesmann 1999's synfire chain: g = bm.zeros(n); g[:k] = w inside update (mutable in BrainPy)."""

    def __init__(self):
        super().__init__(4)
        self.V = bm.Variable(bm.zeros(4))

    def update(self):
        g = bm.zeros(4)
        g[:2] = 1.0
        self.V.value = self.V + g


def test_writing_into_a_bm_array_in_update_says_how_to_write_it_here():
    """JAX's own error said nothing of bm.zeros being a JAX array here (example audit)."""
    with pytest.raises(TypeError, match=r"(?s)JAX arrays are immutable.*brainbatch.brainpy: bm.zeros, bm.ones, "
                                        r"bm.array... give JAX arrays.*x = x.at\[i\].set\(v\)"):
        bp.DSRunner(_WritesIntoAnArray(), monitors=["V"], progress_bar=False).run(1.)


def test_a_models_own_reset_method_is_never_called_by_a_run():
    # Joglekar 2018 (figure 2) defines reset(self) of its own; BrainPy's runners never call it, and runs
    # here called it with the batch size (a TypeError in every run)
    class M(bp.NeuGroup):
        def __init__(self):
            super().__init__(3)
            self.r = bm.Variable(bm.ones(3) * 10.0)
            self.resets = 0

        def reset(self):
            self.resets += 1
            self.r.value = bm.zeros(3)

        def update(self, *x):
            self.r.value = self.r * 0.5

    m = M()
    out = bp.DSRunner(m, monitors=["r"], progress_bar=False).run(0.2)
    np.testing.assert_allclose(out["r"][:, 0], [5.0, 2.5])
    out = bp.DSRunner(M(), monitors=["r"], progress_bar=False).run(inputs=np.zeros(2))
    np.testing.assert_allclose(out["r"][:, 0], [5.0, 2.5])
    assert m.resets == 0


def test_a_monitor_of_one_index_keeps_the_neuron_axis():
    # BrainPy 2.8.2 (brainpy/running/runner.py, _format_seq_monitors/_format_dict_monitors) makes an int index
    # bm.array([i]): the record is (time, 1), in either form of the monitors, with a run's inputs or without
    def runner(monitors):
        group = bp.neurons.LIF(3, V_rest=0., V_reset=0., V_th=100., tau=10., tau_ref=0.)
        return bp.DSRunner(group, monitors=monitors, inputs=[("input", np.array([1., 2., 3.]))], progress_bar=False)

    listed = runner([("V", 1)]).run(0.5)
    named = runner({"a": ("V", 1), "all": "V"}).run(0.5)
    assert listed["V"].shape == named["a"].shape == (5, 1)
    np.testing.assert_array_equal(named["a"][:, 0], named["all"][:, 1])
    with_inputs = runner([("V", 2)])
    assert with_inputs.run(inputs=np.zeros((3, 3), np.float32))["V"].shape == (3, 1)


def test_update_inputs_of_another_shape_than_the_group_are_named():
    # run(duration, inputs) hands each row to update(x): JAX said "add got incompatible shapes for broadcasting"
    runner = bp.DSRunner(bp.dyn.Lif(2), monitors=["V"], progress_bar=False)
    with pytest.raises(ValueError, match=r"Lif '.*': update\(x\) got x of shape \(3,\), which does not broadcast to the "
                                         r"group's input of shape \(2,\)"):
        runner.run(0.2, np.ones((2, 3)))


def test_an_array_made_outside_a_step_is_indexed_by_the_steps_number_inside_it():
    # a precomputed input read by the traced step number raised JAX's TracerArrayConversionError (a NumPy array)
    import brainbatch.brainpy.math as bm

    drive = bm.zeros(10)
    drive[2:6] = 5.
    table = bm.asarray(np.arange(10.))

    class M(bp.NeuGroup):
        def __init__(self):
            super().__init__(1)
            self.V = bm.Variable(bm.zeros(1))

        def update(self):
            i = bp.share['i']
            self.V.value = self.V + drive[i] + table.at[i].get()

    V = np.asarray(bp.DSRunner(M(), monitors=["V"], progress_bar=False).run(1.)["V"])[:, 0]
    np.testing.assert_allclose(V, np.cumsum(np.where((np.arange(10) >= 2) & (np.arange(10) < 6), 5., 0.)
                                            + np.arange(10.)))


def test_arrays_made_outside_a_step_convert_as_brainpys_for_plotting():
    # BrainPy's arrays have .numpy()/.to_numpy(): Brette & Guigon 2003 and Susin & Destexhe 2021's notebooks plot with
    # plt.yticks(bm.linspace(0, num, 5).numpy()) and rates.to_numpy(); both raised AttributeError here
    import brainbatch.brainpy.math as bm

    ticks = bm.linspace(0., 1., 5)
    assert ticks.numpy().tolist() == np.asarray(jnp.linspace(0., 1., 5)).tolist()  # jax.numpy's numbers, as BrainPy's
    assert type(ticks.numpy()) is np.ndarray and type(bm.zeros(3).to_numpy()) is np.ndarray
    assert bm.arange(3).numpy().tolist() == [0, 1, 2] and bm.arange(3).dtype == np.int32
    assert bm.arange(0., 1., 0.25).to_jax().tolist() == [0., 0.25, 0.5, 0.75]
    assert bm.asarray(np.ones(2)).value.tolist() == [1., 1.] and bm.eye(2).numpy().tolist() == [[1., 0.], [0., 1.]]
    b = bm.arange(5)
    b[0] += 5  # BrainPy's "uniqueness of brainpy.math" notebook: a view of JAX's buffer was read-only
    assert b.tolist() == [5, 1, 2, 3, 4]
    w = bm.Array(jnp.arange(4.))  # its operators notebook: bm.Array(bm.random.uniform(...)), then w[w < 0.8] = 0.
    w[w < 2.] = 0.
    assert w.tolist() == [0., 0., 2., 3.] and w.value.tolist() == [0., 0., 2., 3.] and w.dtype == np.float32
    seen = []

    class Probe(bp.DynamicalSystem):
        def update(self):
            seen.append(type(bm.arange(2)).__module__)

    bp.DSRunner(Probe(), progress_bar=False).run(0.1)
    assert seen and all(m.startswith("jax") for m in seen)  # inside a step: JAX arrays, as every array computed there


def test_writing_a_traced_value_into_an_array_made_outside_a_step_says_how_to_write_it():
    # Bouchacourt 2019: x = bm.zeros(n); x[ids] = 1. inside the user's own jax.jit gave JAX's TracerArrayConversionError
    import jax

    import brainbatch.brainpy.math as bm

    @jax.jit
    def mark(ids):
        x = bm.zeros(8)
        x[ids] = 1.
        return x

    with pytest.raises(TypeError, match=r"traced index or value .* x = x.at\[i\].set\(v\)"):
        mark(jnp.arange(3))
    x = bm.zeros(3)
    x[np.array([0, 2])] = 1.  # concrete indices outside a trace: in place, as before
    assert x.tolist() == [1., 0., 1.]
