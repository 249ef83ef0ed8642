"""Names BrainPy 2.8.2 has that brainbatch lacked (BrainPy audit): ``bp.dyn.IF``/``IFLTC`` and
``bp.integrators.odeint``/``sdeint``/``JointEq``/``IntegratorRunner`` with the default-method setters."""
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
import brainbatch.brainpy as bp


def test_if_integrates_to_its_closed_form_and_never_spikes():
    # exp_auto is exact on a linear equation: V_n = V_rest + R x (1 - exp(-n dt / tau)) from V = V_rest
    neuron = bp.dyn.IF(3, V_rest=-1.0, R=2.0, tau=4.0, V_initializer=bp.init.Constant(-1.0))
    with bb.environment(dt=0.1):
        V = np.asarray(bb.for_loop(lambda i: neuron.step_run(i, 1.5), jnp.arange(50), dyn_vars=neuron))
    n = np.arange(1, 51)
    np.testing.assert_allclose(V[:, 0], -1.0 + 3.0 * (1 - np.exp(-n * 0.1 / 4.0)), atol=1e-5)
    assert neuron.spike.shape == (3,) and not bool(neuron.spike.value.any())
    assert bp.dyn.IFLTC is bp.dyn.IF
    with pytest.raises(TypeError, match="IF got unexpected arguments \\['tua'\\]"):
        bp.dyn.IF(2, tua=5.0)


def test_integrators_namespace_holds_the_integrators_and_their_default():
    assert (bp.integrators.odeint, bp.integrators.sdeint, bp.integrators.JointEq, bp.integrators.IntegratorRunner) \
        == (bp.odeint, bp.sdeint, bp.JointEq, bp.IntegratorRunner)
    assert bp.integrators.get_default_odeint() == "euler"
    try:
        bp.integrators.set_default_odeint("rk2")
        # Ralston's rk2 on dv/dt = -v: 1 - h + h^2 / 2
        assert float(bp.odeint(lambda v, t: -v)(1.0, 0.0, dt=0.1)) == pytest.approx(0.905, abs=1e-6)
        with pytest.raises(ValueError, match="'rk45' is not available"):
            bp.integrators.set_default_odeint("rk45")
    finally:
        bp.integrators.set_default_odeint("euler")
    assert float(bp.odeint(lambda v, t: -v)(1.0, 0.0, dt=0.1)) == pytest.approx(0.9, abs=1e-6)
    with pytest.raises(ValueError, match="sdeint method must be one of"):
        bp.integrators.set_default_sdeint("rk4")


@pytest.mark.parametrize("make, hint", [
    (lambda: bp.dyn.LifRef(2, tua=5.0), "'tau'"),
    (lambda: bp.dyn.HH(2, gna=1.0), "'gNa'"),
    (lambda: bp.dyn.Izhikevich(2, tau_rf=1.0), "'tau_ref'"),
])
def test_a_misspelled_neuron_argument_gets_the_close_name(make, hint):
    """Audit: `bp.dyn.LifRef(tua=5.)` said only "LIF got unexpected arguments ['tua']"."""
    with pytest.raises(TypeError, match=f"got unexpected arguments .*Did you mean {hint}"):
        make()


def test_filled_arrays_have_jaxs_types_without_x64():
    """Audit: `bm.ones(3, dtype=int)` was int64 (NumPy's int); BrainPy 2.8.2 gives int32, float32 for float."""
    import brainbatch.brainpy.math as bm

    got = [bm.ones(3, dtype=int).dtype, bm.zeros(3, dtype=float).dtype, bm.full(3, 2).dtype,
           bm.ones_like(np.zeros(2, np.int64)).dtype, bm.zeros(2, dtype=bool).dtype, bm.zeros(2).dtype]
    assert [str(d) for d in got] == ["int32", "float32", "int32", "int32", "bool", "float32"]
    filled = bm.zeros(3)
    filled[1] = 2.0  # still NumPy's, filled in place outside a step
    assert filled.tolist() == [0.0, 2.0, 0.0]


@pytest.mark.parametrize("module, name, hint", [
    ("dyn", "SynDyn", "write the whole synapse as a bp.dyn.SynConn"),
    ("dyn", "SynOut", "use bp.dyn.COBA, bp.dyn.CUBA or bp.dyn.MgBlock"),
    ("synapses", "SynOut", "use bp.synouts.COBA, CUBA or MgBlock"),
    ("synapses", "SynSTP", "use bp.synplast.STP or bp.synplast.STD"),
])
def test_base_classes_brainbatch_lacks_say_what_to_use(module, name, hint):
    """Audit: `bp.dyn.SynDyn` and its kin got only the generic "brainbatch covers the dynamics-simulation part"."""
    with pytest.raises(AttributeError, match=hint):
        getattr(getattr(bp, module), name)
