"""A monitor of a group's ``input`` records what the group summed in the step, session 39.

A step clears ``input`` once the group has summed it (docs/step-order.md, "Inputs"), and monitors are read
after the step: they recorded zeros, whatever the input. BrainPy 2.8.2 clears inputs at the start of the next
step, so its runner records the input of the step. The numbers below are a run of BrainPy 2.8.2 itself
(``bp.DSRunner``; the scripts are the ones in these tests with ``import brainpy as bp``): ``input`` read 2.0
and 3.0 at every step, and ``V`` of the LIF 0.01990032, 0.03960263, 0.0591089 over its first three steps.
"""
import numpy as np
import xarray as xr

import brainbatch as bb
import brainbatch.brainpy as bp


def test_a_brainpy_runner_records_the_input_of_each_step_as_brainpy_does():
    neu = bp.neurons.LIF(3)
    runner = bp.DSRunner(neu, monitors=["V", "input"], inputs=("input", 2.0), progress_bar=False)
    runner.run(1.0)
    assert np.array_equal(runner.mon["input"], np.full((10, 3), 2.0, np.float32))
    np.testing.assert_allclose(runner.mon["V"][:3, 0], [0.01990032, 0.03960263, 0.0591089], rtol=1e-5)

    class Net(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.pre = bp.neurons.LIF(2)
            self.post = bp.neurons.LIF(2)

        def update(self):
            self.post.input += 3.0
            self.pre()
            self.post()

    net = Net()
    mon = bp.DSRunner(net, monitors={"pi": net.post.input, "pre": "pre.input"}, progress_bar=False).run(0.5)
    assert np.array_equal(mon["pi"], np.full((5, 2), 3.0, np.float32))
    assert np.array_equal(mon["pre"], np.zeros((5, 2), np.float32))  # nothing written: nothing recorded


class _LateWriter(bb.DynamicalSystem):
    """Writes into a group's input after the group updated (kept for the next step: a LateInputWarning)."""

    def __init__(self, group):
        super().__init__()
        self.group = group

    def update(self):
        self.group.input.value = self.group.input.value + 5.0


def test_a_native_runner_records_the_input_summed_in_each_step(recwarn):
    g = bb.LIF(3)
    r = bb.Runner(g, monitors=["input"], inputs=[("input", 2.0)])
    r.run(0.3)
    assert np.array_equal(r.mon["input"], np.full((3, 3), 2.0, np.float32))
    # the late write of a step is summed in the next one, and recorded there
    lif = bb.LIF(2)
    net = bb.Network(E=lif, late=_LateWriter(lif))
    r = bb.Runner(net, monitors={"I": "E.input"}, inputs=[("E.input", 1.0)])
    r.run(0.4)
    assert r.mon["I"][:, 0].tolist() == [1.0, 6.0, 6.0, 6.0]


def test_a_swept_store_holds_the_input_of_each_step(tmp_path):
    exp = tmp_path / "drive.py"
    exp.write_text(
        "import brainbatch as bb\n"
        "monitors = {'I': 'E.input', 'V': 'E.V'}\n"
        "inputs = [('E.input', 2.5)]\n"
        "duration = 1.0\n"
        "def build():\n"
        "    return bb.Network(E=bb.LIF(4))\n")
    out = str(tmp_path / "s.zarr")
    assert bb.sweep(str(exp), out=out, seeds=2, progress=False).done == 2
    ds = xr.open_zarr(out)
    assert ds["I"].shape[-2:] == (10, 4)
    assert (ds["I"].values == 2.5).all()
