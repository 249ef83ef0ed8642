"""``bp.running``: BrainPy's parameter maps give BrainPy's results. Reference: BrainPy 2.8.2
(tests/brainpy/reference/running_bp282.py): an HH neuron's spike counts over 100 ms for inputs
1, 2.8, ..., 10 are [0, 0, 5, 6, 7, 7] by ``jax_vectorize_map`` and by a loop."""
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

BRAINPY_COUNTS = [0, 0, 5, 6, 7, 7]


def simulate(inp):
    hh = bp.neurons.HH(1, V_initializer=bp.init.Constant(-65.))
    runner = bp.DSRunner(hh, inputs=['input', inp], monitors=['spike'], progress_bar=False,
                         numpy_mon_after_run=False)
    runner.run(100.)
    bm.clear_buffer_memory()  # as BrainPy's docstring example does between tasks
    return runner.mon.spike.sum()


def test_the_maps_give_brainpys_spike_counts_in_task_order():
    inputs = bm.linspace(1., 10., 6)
    counts = bp.running.jax_vectorize_map(simulate, [inputs], num_parallel=4)
    assert np.asarray(counts).tolist() == BRAINPY_COUNTS and counts.shape == (6,)
    # tasks by name, through the other maps (each task builds and traces its model again: few of them)
    assert np.asarray(bp.running.jax_parallelize_map(simulate, {'inp': inputs[np.array([5, 2])]}, 2,
                                                     clear_buffer=True)).tolist() == [7, 5]
    assert [int(c) for c in bp.running.cpu_ordered_parallel(simulate, [inputs[1:3]], num_process=2,
                                                            disable=True)] == [0, 5]


def test_outputs_are_stacked_like_vmap_and_pools_pass_tuples_dicts_and_the_lock(capsys):
    out = bp.running.jax_vectorize_map(lambda a, b: (a + b, {'diff': a - b}), [np.arange(3.), np.ones(3)], 2)
    assert out[0].tolist() == [1.0, 2.0, 3.0] and out[1]['diff'].tolist() == [-1.0, 0.0, 1.0]
    assert bp.running.jax_vectorize_map(lambda x: x, [np.zeros(0)], 2) is None  # no task, as BrainPy
    cleared = bp.running.jax_vectorize_map(lambda x: x * 2, [np.arange(3.)], 2, clear_buffer=True)
    assert isinstance(cleared, np.ndarray) and cleared.dtype == np.float32  # as BrainPy's tasks see float32
    assert isinstance(out[0], bm.Array) and not isinstance(1.0, bm.Array)
    assert bp.running.cpu_unordered_parallel(lambda x, y: x * y, {'x': [1, 2], 'y': [3, 4]}, 1.5,
                                             disable=True) == [3, 8]
    seen = []

    def locked(a, lock):
        with lock:
            seen.append(a)
        return -a

    assert bp.running.process_pool_lock(locked, [(1,), {'a': 2}], num_process=2) == [-1, -2] and seen == [1, 2]
    assert capsys.readouterr().out == "2 jobs total.\n"


@pytest.mark.parametrize("call, message", [
    (lambda: bp.running.jax_vectorize_map(abs, np.arange(3), 2),
     r'"arguments" must be a sequence or a dict of arrays, got ndarray'),
    (lambda: bp.running.jax_vectorize_map(abs, [np.arange(3), np.arange(2)], 2),
     r"all arguments must have the same length .* got \[3, 2\]"),
    (lambda: bp.running.jax_vectorize_map(abs, [np.arange(3)], 0), r"num_parallel must be an integer >= 1, got 0"),
    (lambda: bp.running.jax_vectorize_map(abs, [1.0], 2), r"every argument must be an array of one value per task"),
    (lambda: bp.running.cpu_ordered_parallel(abs, [[1]], num_process="4"),
     r"num_process must be an integer >= 1 or a share of the CPU count \(a float > 0\), got '4'"),
    (lambda: bp.running.jax_vectorize_map(abs, [], 2), r"arguments holds no array"),
    (lambda: bp.running.jax_vectorize_map(lambda x: np.ones(int(x) + 1), [np.arange(2.)], 2),
     r"task 0 returned \(1,\), task 1 returned \(2,\)"),
    (lambda: bm.clear_buffer_memory("tpu2"), r"platform must be None, 'cpu', 'gpu' or 'tpu', got 'tpu2'"),
    (lambda: bp.running.cpu_ordered_parallel(abs, [5]), r"every argument must be an iterable of one value per task"),
    (lambda: bp.running.process_pool(abs, [(1,), 2], num_process=1),
     r"each task's parameters must be a tuple \(positional\) or a dict \(by name\), got 2"),
    (lambda: bp.running.process_pool("abs", [(1,)], num_process=1), r"func must be a function, got 'abs'"),
])
def test_bad_arguments_are_refused_naming_the_value(call, message):
    with pytest.raises((TypeError, ValueError), match=message):
        call()


def test_a_runner_inside_a_jax_transformation_says_to_map_the_function_instead():
    # BrainPy example audit: bm.vmap(run_one)(values) and jax.jit(run_one) failed deep inside JAX
    # ("Computation compiled for 11 inputs but called with 10", "devices() was called on traced array")
    import jax
    import jax.numpy as jnp

    def run_one(current):
        cell = bp.dyn.LifRef(2)
        runner = bp.DSRunner(cell, monitors=["spike"], inputs=("input", current), progress_bar=False)
        runner.run(5.0)
        return runner.mon["spike"].sum()

    for transformed in (lambda: jax.vmap(run_one)(jnp.array([10.0, 20.0])), lambda: jax.jit(run_one)(20.0),
                        lambda: bm.vmap(run_one)(bm.asarray([10.0, 20.0]))):
        with pytest.raises(RuntimeError, match="inside a JAX transformation .* bp.running.jax_vectorize_map"):
            transformed()
    # the way it names: the same function once per value, the results stacked
    counts = bp.running.jax_vectorize_map(run_one, [bm.asarray([0.0, 200.0])], num_parallel=2)
    assert counts.tolist()[0] == 0 and counts.tolist()[1] > 0


def test_older_runner_spellings_of_brainpy_examples():
    # Wu 2008's CANN examples: DSRunner(..., dyn_vars=model.vars()) (BrainPy 2.8.2 takes it and finds the Variables
    # itself) and runner(inputs=Iext) with the duration from the inputs' length; both were TypeErrors
    lif = bp.dyn.LifRef(2, V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.)
    runner = bp.DSRunner(lif, monitors=['spike'], dyn_vars=lif.vars(), progress_bar=False)
    runner(inputs=np.full(300, 26.))  # handed to update(x) step by step: 30 ms
    assert runner.mon['spike'].shape == (300, 2) and runner.mon['spike'].any()
    with pytest.raises(TypeError, match="fun_inputs is BrainPy's older spelling; give the function as inputs=f"):
        bp.DSRunner(lif, fun_inputs=lambda tdi: None)
    for cls in ("STP", "STD"):  # syn=bp.dyn.STP.desc(...) died with "type object 'STPNode' has no attribute 'desc'"
        with pytest.raises(TypeError, match=rf"bp.dyn.{cls} in a projection is not supported \(bp.dyn.{cls}.desc"):
            getattr(bp.dyn, cls).desc(10, U=0.2)


def test_a_misspelled_runner_argument_gets_the_close_one():
    # "DSRunner got unexpected arguments ['monitor']" named nothing to use instead (bad-input audit)
    with pytest.raises(TypeError, match=r"unexpected arguments \['monitor'\]; it takes target, monitors, .* "
                                        r"Did you mean 'monitors'\?"):
        bp.DSRunner(bp.dyn.LifRef(3), monitor=["V"])
