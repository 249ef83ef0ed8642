"""BrainPy 2.8.2 reference numbers for tests/brainpy/test_variable_params.py (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/variable_params_bp282.py

A parameter given as a ``bm.Variable`` (BrainPy's "overview of dynamic model" tutorial: ``gNa=bm.Variable(...)``)
is the model's own attribute, so changing the Variable between two runs of one ``DSRunner`` changes the model:
the spikes per neuron of ``bp.dyn.HH(5, gNa=...)`` under a constant input of 6 for 100 ms, before and after
``gvar[:] = 50.``; the spike count of ``bp.dyn.LifRef(3, V_th=...)`` under 20 for 100 ms, before and after
``vth.value = -45.``. It prints one JSON object.
"""
import json

import brainpy as bp
import brainpy.math as bm
import numpy as np


def spikes_of(V):
    V = np.asarray(V)
    return ((V[1:] > 0) & (V[:-1] <= 0)).sum(0).tolist()


gvar = bm.Variable(bm.asarray([120.]))
hh = bp.dyn.HH(5, gNa=gvar, V_initializer=bp.init.Constant(-65.))
runner = bp.DSRunner(hh, monitors=['V'], progress_bar=False)
inputs = np.ones(int(100. / bm.get_dt())) * 6.
runner.run(inputs=inputs)
first = spikes_of(runner.mon.V)
gvar[:] = 50.
runner.run(inputs=inputs)
second = spikes_of(runner.mon.V)

vth = bm.Variable(bm.asarray([-50.]))
lif = bp.dyn.LifRef(3, V_th=vth, V_rest=-60., V_reset=-60., tau=20., tau_ref=2., V_initializer=bp.init.Constant(-60.))
r = bp.DSRunner(lif, monitors=['spike'], progress_bar=False)
r.run(inputs=np.ones(1000) * 20.)
lif_first = int(np.asarray(r.mon['spike']).sum())
vth.value = bm.asarray([-45.])
r.run(inputs=np.ones(1000) * 20.)
lif_second = int(np.asarray(r.mon['spike']).sum())
print(json.dumps({"hh": [first, second], "hh_is_gvar": hh.gNa is gvar, "lif": [lif_first, lif_second]}))
