"""A function monitor that reads a group's ``input`` records what the group summed in the step, session 40.

Path monitors of ``input`` record the value the step summed (tests/run/test_input_monitor_s39.py), but a function
monitor (``lambda: E.input.value``) read the variable after the step had cleared it: zeros, whatever the input.
BrainPy 2.8.2 reads its monitors before it clears the inputs; the reference below is a run of BrainPy 2.8.2 itself
(``.venv-bench/bin/python``, bench/requirements-bench.txt, this file's BrainPy test with ``import brainpy as bp``):
``lambda: net.E.input.value`` read 2.0 at every step, as the path monitor ``"E.input"`` did.
"""
import jax.numpy as jnp
import numpy as np

import brainbatch as bb
import brainbatch.brainpy as bp


def test_a_function_monitor_of_input_reads_what_the_step_summed_and_the_cleared_input_stays():
    E = bb.LifRef(3, V_rest=-60., V_reset=-60., V_th=-50., tau=20., tau_ref=5.)
    out = bb.Runner(bb.Network(E=E), inputs=[("E.input", 2.)], monitors={
        "fn": lambda: E.input.value, "total": lambda: jnp.sum(E.input.value), "path": "E.input",
        "with_share": lambda share: E.input.value * (share.i >= 0)}).run(0.5)
    assert np.array_equal(np.asarray(out["fn"]), np.full((5, 3), 2., np.float32))
    assert np.array_equal(np.asarray(out["fn"]), np.asarray(out["path"]))
    assert np.array_equal(np.asarray(out["with_share"]), np.asarray(out["path"]))
    assert np.array_equal(np.asarray(out["total"]), np.full(5, 6., np.float32))
    assert np.array_equal(np.asarray(E.input.value), np.zeros(3, np.float32))  # the model's input is cleared after


def test_a_brainpy_runner_function_monitor_of_input_gives_brainpys_numbers():
    class Net(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.E = bp.neurons.LIF(3)

    net = Net()
    runner = bp.DSRunner(net, monitors={"I": lambda: net.E.input.value, "Ip": "E.input"}, inputs=[("E.input", 2.)],
                         progress_bar=False)
    runner.run(0.5)
    assert np.array_equal(runner.mon["I"], np.full((5, 3), 2., np.float32))  # BrainPy 2.8.2: 2.0 at every step
    assert np.array_equal(runner.mon["I"], runner.mon["Ip"])
