"""Values set by hand before the first run are kept by it, as BrainPy keeps them (issue 20, item 4)."""
import numpy as np

import brainbatch as bb
import brainbatch.brainpy as bp


def frozen_lif(n):
    # tau = 1e6 ms, no input: V hardly moves in a step, so the first record shows where the run started
    return bb.LIF(n, V_rest=0.0, V_reset=0.0, V_th=1e9, tau=1e6, V_initializer=bb.Uniform(-70.0, -60.0))


def test_every_way_of_setting_a_value_by_hand_marks_it():
    from brainbatch.core.variable import edited_by_user

    for how in ("setitem", "value", "inplace"):
        g = frozen_lif(3)
        assert not edited_by_user(g.V)  # what reset_state drew is an initial value
        if how == "setitem":
            g.V[:] = np.array([1.0, 2.0, 3.0])
        elif how == "value":
            g.V.value = np.array([1.0, 2.0, 3.0], np.float32)
        else:
            g.V += np.array([1.0, 2.0, 3.0], np.float32)
        assert edited_by_user(g.V), how


def test_a_value_set_by_hand_survives_the_first_run_and_the_rest_comes_from_the_seed():
    g, other = frozen_lif(3), frozen_lif(3)
    g.V.value = np.zeros(3, np.float32)
    bb.Runner(bb.Network(g=g, other=other), progress_bar=False)  # making a runner does not clear it
    g.V += np.array([1.0, 2.0, 3.0], np.float32)
    runner = bb.Runner(bb.Network(g=g, other=other), monitors=["g.V", "other.V"], progress_bar=False, seed=1)
    out = runner.run(0.1)
    np.testing.assert_allclose(out["g.V"][0], [1.0, 2.0, 3.0], rtol=1e-6)
    assert np.all((out["other.V"][0] >= -70) & (out["other.V"][0] < -60))  # drawn from the seed
    # a reset starts over from the seed: the hand-set values were for the first run
    again = runner.run(0.1, reset=True)
    assert np.all((again["g.V"][0] >= -70) & (again["g.V"][0] < -60))


def test_brainpy_scripts_set_the_membrane_potential_before_running():
    # the Wang-Buzsaki example: neu.V[:] = -70 + normal * 20 before DSRunner(...).run
    hh = bp.neurons.HH(4)
    hh.V[:] = np.array([-80.0, -75.0, -70.0, -65.0])
    V = bp.DSRunner(hh, monitors=['V'], dt=0.01, progress_bar=False).run(0.01)['V']
    np.testing.assert_allclose(V[0], [-80.0, -75.0, -70.0, -65.0], atol=0.1)  # one step of 0.01 ms


def test_values_a_reset_state_assigns_are_initial_values_not_edits():
    class Drawn(bb.NeuGroup):
        def __init__(self):
            super().__init__(3)
            self.V = bb.Variable(np.zeros(3, np.float32))
            self.reset_state()

        def reset_state(self, batch_size=None):
            self.V.value = bb.Uniform(-70.0, -60.0)((3,), np.float32, self.init_key("V"))

        def update(self):
            pass

    built = [Drawn(), Drawn()]
    np.testing.assert_array_equal(built[0].V.value, built[1].V.value)  # the same draw at construction
    first = bb.Runner(built[0], monitors=["V"], progress_bar=False, seed=1).run(0.1)["V"][0]
    other = bb.Runner(built[1], monitors=["V"], progress_bar=False, seed=2).run(0.1)["V"][0]
    assert not np.array_equal(first, other)  # drawn from each runner's seed, not kept from construction
