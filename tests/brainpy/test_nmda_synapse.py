"""BrainPy 2.3's ``bp.synapses.NMDA`` (its build_synapse_models tutorial) and ``bp.synapses.BioNMDA``: the gating
per presynaptic neuron, the magnesium-blocked current into LIF neurons, step by step as BrainPy 2.8.2
(tests/brainpy/reference/nmda_synapse_bp282.py, both synapses), and bad input."""
import numpy as np
import pytest

import brainbatch.brainpy as bp


# BrainPy 2.8.2's g, x and V at chosen steps (the reference scripts' output)
REFERENCE = {
    "NMDA": dict(kwargs={},
                 g=[[0.308896, 0.0], [0.822527, 0.53509], [0.806847, 0.760339], [0.506623, 0.281131]],
                 x=[[0.637628, 0.0], [0.093377, 0.23457], [0.007083, 0.011679]],
                 V=[[-63.77158, -63.77158, -65.0], [-60.77512, -60.77512, -63.00297],
                    [-58.6264, -58.6264, -59.96871], [-60.48748, -60.48748, -62.71949]]),
    "BioNMDA": dict(kwargs=dict(alpha1=1.5, beta1=0.02, T_dur=1.0),
                    g=[[0.355144, 0.0], [0.918831, 0.746775], [0.822767, 0.83192], [0.35924, 0.113632]],
                    x=[[0.517913, 0.0], [0.072209, 0.19053], [0.005754, 0.009486]],
                    V=[[-63.33121, -63.33121, -65.0], [-60.06558, -60.06558, -62.28416],
                       [-58.54513, -58.54513, -59.13036], [-61.54152, -61.54152, -64.01804]]),
}


@pytest.mark.parametrize("synapse", ["NMDA", "BioNMDA"])
def test_gating_and_the_blocked_current_are_brainpys(synapse):
    ref = REFERENCE[synapse]
    pre = bp.neurons.SpikeTimeGroup(2, indices=[0, 0, 1, 0, 1, 0], times=[5., 10., 12., 40., 41., 100.])
    post = bp.neurons.LIF(3, V_rest=-65., V_th=-50., V_reset=-65., tau=10., V_initializer=bp.init.Constant(-65.))
    syn = getattr(bp.synapses, synapse)(pre, post, bp.conn.IJConn(np.array([0, 0, 1]), np.array([0, 1, 2])),
                                        g_max=2.0, **ref["kwargs"])
    runner = bp.DSRunner(bp.DynSysGroup(pre=pre, syn=syn, post=post), monitors={"g": syn.g, "x": syn.x, "V": post.V},
                         progress_bar=False)
    runner.run(150.)
    np.testing.assert_allclose(np.asarray(runner.mon["g"])[[60, 150, 500, 1499]], ref["g"], atol=3e-6)
    np.testing.assert_allclose(np.asarray(runner.mon["x"])[[60, 150, 500]], ref["x"], atol=2e-6)
    np.testing.assert_allclose(np.asarray(runner.mon["V"])[[100, 200, 500, 1499]], ref["V"], atol=3e-5)


def test_bad_input_is_named():
    E = bp.neurons.LIF(2)
    with pytest.raises(ValueError, match=r"NMDA: a must be one number, got \[0.5, 0.6\]"):
        bp.synapses.NMDA(E, E, bp.conn.All2All(), a=[0.5, 0.6])
    with pytest.raises(TypeError, match=r"NMDA: stp must be bp.synplast.STP\(U, tau_f, tau_d\) or bp.synplast.STD"):
        bp.synapses.NMDA(E, E, bp.conn.All2All(), stp=0.5)
    with pytest.raises(ValueError, match=r"BioNMDA: T_dur must be one number, got \[0.5, 0.6\]"):
        bp.synapses.BioNMDA(E, E, bp.conn.All2All(), T_dur=[0.5, 0.6])
    with pytest.raises(TypeError, match=r"BioNMDA: stp must be bp.synplast.STP\(U, tau_f, tau_d\) or bp.synplast.STD"):
        bp.synapses.BioNMDA(E, E, bp.conn.All2All(), stp=0.5)
    with pytest.raises(ValueError, match="BioNMDA: comp_method must be 'sparse' or 'dense', got 'csr'"):
        bp.synapses.BioNMDA(E, E, bp.conn.All2All(), comp_method="csr")


@pytest.mark.parametrize("make, message", [
    (lambda E: bp.synapses.AMPA(E, E, bp.conn.All2All(), delay_step=-1), "AMPA: delay_step must be a whole number"),
    (lambda E: bp.synapses.AMPA(E, E, bp.conn.All2All(), delay_step=1.5), r"got 1.5"),
    (lambda E: bp.synapses.BioNMDA(E, E, bp.conn.All2All(), delay_step=-5), "BioNMDA: delay_step must be a whole"),
    (lambda E: bp.synapses.AMPA(E, E, bp.conn.All2All(), T_duration=-1.), "AMPA: T_duration must be a finite time"),
    (lambda E: bp.synapses.GABAa(E, E, bp.conn.All2All(), T_duration=float("nan")), "GABAa: T_duration must be"),
    (lambda E: bp.synapses.AMPA(E, E, bp.conn.All2All(), T=-1.), "AMPA: T must be a finite number >= 0, got -1.0"),
    (lambda E: bp.synapses.AMPA(E, E, bp.conn.All2All(), alpha=-1.), "AMPA: alpha must be a finite number >= 0"),
    (lambda E: bp.synapses.BioNMDA(E, E, bp.conn.All2All(), g_max=float("nan")), "BioNMDA: g_max must be finite"),
    (lambda E: bp.synapses.NMDA(E, E, bp.conn.All2All(), delay_step="a"), "NMDA: delay_step must be a whole number"),
    (lambda E: bp.synapses.AMPA(E, E, bp.conn.All2All(), delay_step=float("inf")), "AMPA: delay_step must be a whole"),
    # audit: these failed at the first step ("mul got incompatible shapes", "'NoneType' object has no attribute
    # 'require'", "COBA.current() missing 1 required positional argument")
    (lambda E: bp.synapses.BioNMDA(E, bp.neurons.LIF(3), bp.conn.All2All(), g_max=np.ones((3, 2))),
     r"^BioNMDA: g_max of shape \(3, 2\) does not fit the connection matrix \(pre.num, post.num\) = \(2, 3\)"),
    (lambda E: bp.synapses.AMPA(E, bp.neurons.LIF(3), bp.conn.All2All(), g_max=np.ones(2)), "AMPA: g_max of shape"),
    (lambda E: bp.synapses.BioNMDA(E, E, None), r"^BioNMDA: conn must be a bp.conn connector .*got None$"),
    (lambda E: bp.synapses.AMPA(E, E, bp.conn.All2All(), output=bp.synouts.COBA),
     r"output must be an output object, got the class COBA; write COBA\(\.\.\.\) with its parameters"),
])
def test_kinetic_parameters_the_run_cannot_use_are_refused_by_name(make, message):
    # -1 ran as no delay and 1.5 as 1; a negative pulse never opened the synapse, a negative rate gave a negative
    # conductance (V at -324 mV), a NaN g_max a NaN V (bad-input audit)
    with pytest.raises((ValueError, TypeError), match=message):
        make(bp.neurons.LIF(2))
