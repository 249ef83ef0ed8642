"""A parameter given as a ``bm.Variable`` is kept, as BrainPy keeps it: changing the Variable between runs changes
the model (it was copied when the model was made, so the tutorial's ``gvar[:] = 50.`` changed nothing, silently).
Numbers from BrainPy 2.8.2: tests/brainpy/reference/variable_params_bp282.py."""
import numpy as np

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm


def _spikes_per_neuron(V):
    V = np.asarray(V)
    return ((V[1:] > 0) & (V[:-1] <= 0)).sum(0).tolist()


def test_a_variable_parameter_changed_between_runs_changes_the_model():
    gvar = bm.Variable(bm.asarray([120.]))
    hh = bp.dyn.HH(5, gNa=gvar, V_initializer=bp.init.Constant(-65.))
    assert hh.gNa is gvar
    runner = bp.DSRunner(hh, monitors=['V'], progress_bar=False)
    inputs = np.ones(int(100. / bm.get_dt())) * 6.
    runner.run(inputs=inputs)
    assert _spikes_per_neuron(runner.mon.V) == [6] * 5
    gvar[:] = 50.
    runner.run(inputs=inputs)
    assert _spikes_per_neuron(runner.mon.V) == [0] * 5  # BrainPy: 6 then 0

    vth = bm.Variable(bm.asarray([-50.]))
    lif = bp.dyn.LifRef(3, V_th=vth, V_rest=-60., V_reset=-60., tau=20., tau_ref=2.,
                        V_initializer=bp.init.Constant(-60.))
    r = bp.DSRunner(lif, monitors=['spike'], progress_bar=False)
    r.run(inputs=np.ones(1000) * 20.)
    assert int(np.asarray(r.mon['spike']).sum()) == 18
    vth.value = bm.asarray([-45.])
    r.run(inputs=np.ones(1000) * 20.)
    assert int(np.asarray(r.mon['spike']).sum()) == 9  # BrainPy: 18 then 9


def test_a_variable_parameter_is_checked_as_a_number_is():
    import pytest

    with pytest.raises(ValueError, match="tau must be > 0"):
        bp.dyn.LifRef(3, tau=bm.Variable(bm.asarray([-1.])))
