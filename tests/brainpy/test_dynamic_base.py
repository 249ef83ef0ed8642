"""bp.Dynamic: BrainPy's base of a group of units whose update a model writes (its logistic-map, Mackey-Glass and
Lu-Chen example notebooks subclass it)."""
import numpy as np

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm


class LogisticMap(bp.Dynamic):
    """BrainPy's classical_dynamical_systems/logistic_map notebook's model, with three chosen rates."""

    def __init__(self, num):
        super().__init__(num)
        self.mu = bm.asarray([2.5, 3.2, 3.9])
        self.x = bm.Variable(bm.ones(num) * 0.2)

    def update(self):
        self.x.value = self.mu * self.x * (1 - self.x)


def test_a_map_written_on_bp_dynamic_runs_as_brainpys():
    runner = bp.DSRunner(LogisticMap(3), monitors=["x"], dt=1., progress_bar=False)
    runner.run(4)
    # BrainPy 2.8.2's runner.mon.x for this model (the same script run under brainpy 2.8.2, float32)
    brainpy = [[0.4000000059604645, 0.5120000243186951, 0.6240000128746033],
               [0.6000000238418579, 0.7995392084121704, 0.9150336384773254],
               [0.5999999642372131, 0.5128840804100037, 0.30321359634399414],
               [0.6000000238418579, 0.7994688153266907, 0.8239729404449463]]
    np.testing.assert_allclose(np.asarray(runner.mon.x), brainpy, rtol=1e-6)


def test_bp_dynamic_takes_brainpys_arguments_and_every_neuron_group_is_one():
    # BrainPy 2.8.2's Dynamic(size, keep_size, sharding, name, mode, method): num, varshape, method as there
    g = bp.Dynamic((2, 3), keep_size=True, method="rk4", name="grid")
    assert (g.num, g.varshape, g.size, g.method, g.name) == (6, (2, 3), (2, 3), "rk4", "grid")
    assert bp.Dynamic(4).varshape == (4,) and bp.Dynamic(4).method == "exp_auto"
    assert isinstance(bp.neurons.LIF(2), bp.Dynamic) and issubclass(LogisticMap, bp.NeuGroup)
