"""Physical units at the edges (docs/units.md): quantities in, the convention's numbers inside."""
from __future__ import annotations

import inspect

import brainunit as u
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
import brainbatch.models as models
from brainbatch.core import DynamicalSystem
from brainbatch.core.units import UnitMismatch, declared_units, in_units_of, to_convention


def _coba_like(**kw):
    net = bb.Network()
    net.E = bb.LifRef(40, V_rest=kw["V_rest"], V_th=kw["V_th"], V_reset=kw["V_rest"], tau=kw["tau"],
                      tau_ref=kw["tau_ref"], V_initializer=bb.Uniform(kw["V_lo"], kw["V_th"]))
    net.inp = bb.PoissonInput(net.E.V, 50, kw["freq"], kw["w"])
    net.EE = bb.Projection(net.E, net.E, bb.FixedProb(0.2), bb.Exponential(kw["tau_syn"]), bb.COBA(E=kw["E"]),
                           weight=0.5, delay=kw["delay"])
    return net


def test_a_run_with_quantities_is_bitwise_equal_to_the_same_run_with_floats():
    floats = dict(V_rest=-60., V_th=-50., tau=20., tau_ref=5., V_lo=-60., freq=40., w=1.5, tau_syn=5.,
                  E=0., delay=1.5)
    quantities = dict(V_rest=-60. * u.mV, V_th=-50. * u.mV, tau=0.02 * u.second, tau_ref=5. * u.ms,
                      V_lo=-60. * u.mV, freq=0.04 * u.kHz, w=1.5 * u.mV, tau_syn=5. * u.ms, E=0. * u.mV,
                      delay=1.5 * u.ms)
    out = [bb.Runner(_coba_like(**kw), monitors=["E.spike", "E.V"], dt=0.1 * u.ms if kw is quantities else 0.1,
                     progress_bar=False).run(30. * u.ms if kw is quantities else 30.) for kw in (floats, quantities)]
    assert np.asarray(out[0]["E.spike"]).any()
    np.testing.assert_array_equal(np.asarray(out[0]["E.V"]), np.asarray(out[1]["E.V"]))
    np.testing.assert_array_equal(np.asarray(out[0]["E.spike"]), np.asarray(out[1]["E.spike"]))


@pytest.mark.parametrize("build, message", [
    (lambda: bb.LifRef(2, tau=-50 * u.mV), "LifRef: tau takes a time (ms), got -50 mV (a potential)"),
    (lambda: bb.LifRef(2, V_th=20 * u.ms), "LifRef: V_th takes a potential (mV), got 20 ms"),
    (lambda: bb.Exponential(5 * u.Hz), "Exponential: tau takes a time (ms)"),
    (lambda: bb.COBA(E=0 * u.ms), "COBA: E takes a potential (mV)"),
    (lambda: bb.PoissonInput(bb.LifRef(2).V, 5, 10 * u.ms, 1.), "PoissonInput: freq takes a rate (Hz)"),
    (lambda: bb.PoissonInput(bb.LifRef(2).V, 5, 10., 1 * u.ms), "PoissonInput: weight takes a potential (mV)"),
    (lambda: bb.Runner(bb.LifRef(2), dt=0.1 * u.mV), "dt takes a time (ms)"),
    (lambda: bb.Runner(bb.LifRef(2), progress_bar=False).run(5 * u.mV), "Runner.run: duration takes a time"),
])
def test_a_wrong_dimension_is_one_line_naming_the_parameter_and_both_units(build, message):
    with pytest.raises(UnitMismatch) as err:
        build()
    assert message in str(err.value) and "\n" not in str(err.value)


def test_initializers_holding_quantities_are_converted_field_by_field():
    g = bb.LifRef(4, V_initializer=bb.Uniform(-70 * u.mV, -0.06 * u.volt))
    v = np.asarray(g.V.value)
    assert np.all((v >= -70) & (v < -60))


def test_weights_take_the_unit_of_their_target():
    assert in_units_of("weight", 500 * u.uvolt, "mV") == pytest.approx(0.5)
    with pytest.raises(UnitMismatch, match="weight takes a plain number"):
        in_units_of("weight", 1 * u.nS, "1")
    E = bb.LifRef(3)
    proj = bb.Projection(E, E, bb.FixedProb(0.5), bb.Exponential(5.), bb.CUBA(), weight=2 * u.mV)
    assert float(proj.weight) == 2.0


def test_lif_currents_in_pA_need_C_m():
    g = bb.LifRef(2, tau=10 * u.ms, C_m=250 * u.pF, I_bias=500 * u.pA)
    assert (g.C_m, g.I_bias) == (250.0, 500.0)
    with pytest.raises(UnitMismatch, match="I_bias given as a current .* needs C_m"):
        bb.LifRef(2, I_bias=500 * u.pA)


def test_bare_numbers_keep_their_meaning_and_strict_mode_refuses_them():
    assert bb.LifRef(2, tau=20.).tau == 20.0
    with bb.strict_units():
        with pytest.raises(UnitMismatch, match="strict units are on: write 20.0 \\* u.ms"):
            bb.LifRef(2, tau=20.)
        assert bb.LifRef(2, tau=20 * u.ms, V_rest=0 * u.mV, V_reset=-5 * u.mV, V_th=20 * u.mV,
                         V_initializer=0 * u.mV, I_bias=0 * u.mV, tau_ref=1 * u.ms, R=1.).tau == 20.0
    assert bb.LifRef(2, tau=20.).tau == 20.0  # strict mode ended with the context


def test_a_quantity_to_a_parameter_the_class_does_not_declare_passes_unchanged():
    class Mine(bb.Network):
        def __init__(self, gain=2 * u.nS):
            super().__init__()
            self.gain = gain
            self.E = bb.LifRef(2, tau=10 * u.ms)
    assert Mine().gain == 2 * u.nS and Mine().E.tau == 10.0


def test_experiment_durations_accept_quantities(tmp_path):
    from brainbatch.sweep.experiment import load_experiment
    path = tmp_path / "exp.py"
    path.write_text("import brainbatch as bb, brainunit as u\nduration = 0.25 * u.second\ndt = 100 * u.usecond\n"
                    "def build():\n    return bb.LifRef(2)\n")
    exp = load_experiment(path)
    assert (exp.duration, exp.dt) == (250.0, pytest.approx(0.1))


_PHYSICAL_DEFAULT = (int, float)


def _model_classes():
    from brainbatch.models.plasticity import PlasticityRule, Rule
    for name in sorted(dir(models)):
        cls = getattr(models, name)
        if inspect.isclass(cls) and issubclass(cls, (DynamicalSystem, PlasticityRule)) \
                and not inspect.isabstract(cls) and cls not in (Rule, PlasticityRule):
            yield name, cls


#: constructor arguments that are not physical quantities (sizes, counts, switches, names, objects)
_NOT_PHYSICAL = {"size", "keep_size", "name", "mode", "method", "target", "num_in", "num_out", "chunk_size",
                 "check_overflow", "pre", "post", "conn", "syn", "out", "target_var", "num_input", "alpha",
                 "W_initializer", "b_initializer", "weight", "input_var", "coupling_var", "coupling_var1",
                 "coupling_var2", "delay_var", "var_to_output", "conn_mat", "required_shape", "delay_steps",
                 "initial_delay_data", "plasticity", "form", "pairing", "deliver", "on_pre", "on_post", "noise",
                 "init_var", "spk_type", "save_connectivity", "graph_seed", "stp", "indices",
                 "need_sort", "out_label"}


@pytest.mark.parametrize("name, cls", list(_model_classes()))
def test_every_built_in_model_declares_a_unit_for_every_physical_parameter(name, cls):
    params = [p for p in list(inspect.signature(cls.__init__).parameters)[1:]
              if p not in _NOT_PHYSICAL and not p.startswith("_")]
    params = [p for p in params if inspect.signature(cls.__init__).parameters[p].kind
              not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)]
    missing = [p for p in params if p not in declared_units(cls)]
    assert not missing, f"{name} declares no unit for {missing}"


def test_plasticity_rules_take_quantities():
    from brainbatch.models.plasticity import STDP, Vogels2011
    assert STDP(taupre=0.02 * u.second).pre_traces == STDP(taupre=20.).pre_traces
    assert Vogels2011(rho0=0.003 * u.kHz).alpha == pytest.approx(Vogels2011(rho0=3.0).alpha)
    with pytest.raises(UnitMismatch, match="Vogels2011: tau takes a time"):
        Vogels2011(tau=3 * u.Hz)
    # a Rule's own traces too (a time quantity failed in float(): "Only dimensionless scalar quantities...")
    assert bb.Trace(0.02 * u.second, jump=0.01) == bb.Trace(20.0, jump=0.01)
    with pytest.raises(UnitMismatch, match=r"^Trace: tau takes a time \(ms\), got 20 mV"):
        bb.Trace(20 * u.mV)
    with pytest.raises(UnitMismatch, match=r"^Trace: jump takes a plain number"):
        bb.Trace(20.0, jump=1 * u.mV)


def test_to_convention_keeps_traced_values_traced():
    import jax
    out = jax.vmap(lambda m: to_convention("tau", m * u.second, u.ms))(jnp.asarray([0.01, 0.02]))
    np.testing.assert_allclose(np.asarray(out), [10., 20.], rtol=1e-6)


def test_the_models_guide_shows_the_declared_units():
    import pathlib

    from brainbatch.core.units import units_table
    classes = dict(_model_classes())
    guide = (pathlib.Path(__file__).resolve().parents[2] / "brainbatch" / "models" / "README.md").read_text()
    start, end = guide.index("<!-- units table"), guide.index("<!-- end units table -->")
    shown = guide[start:end].split("\n", 1)[1].strip()
    assert shown == units_table(classes), "regenerate the table in brainbatch/models/README.md (see its comment)"


def test_units_audit_currents_follow_the_group_they_enter():
    # I_bias in mV with C_m was read as pA (20 mV -> 20 pA x 0.1 GOhm = 2 mV); it is R * I: I = 20 mV / R
    def final_V(**kw):
        g = bb.LIF(2, V_rest=-65., V_th=1000., tau=20., V_initializer=bb.Constant(-65.), **kw)
        return float(bb.Runner(g, monitors={"V": "V"}, progress_bar=False).run(20.)["V"][-1, 0])

    expected = -65.0 + 20.0 * (1.0 - np.exp(-1.0))  # tau dV/dt = -(V - V_rest) + R I, R I = 20 mV
    for kw in ({"I_bias": 20 * u.mV}, {"C_m": 200 * u.pF, "I_bias": 20 * u.mV}, {"C_m": 200 * u.pF, "I_bias": 200 * u.pA}):
        assert final_V(**kw) == pytest.approx(expected, abs=1e-4), kw
    # with C_m the group's input holds pA: a weight onto it (or a CUBA weight) is a current, not a potential
    E = bb.LIF(2, C_m=200 * u.pF)
    assert E.input.units == "pA"
    assert float(bb.PoissonInput(E.input, 10, 10., 50 * u.pA).weight) == 50.0
    with pytest.raises(UnitMismatch, match="weight takes a current \\(pA\\), got 5 mV"):
        bb.PoissonInput(E.input, 10, 10., 5 * u.mV)
    assert float(bb.Projection(E, E, bb.OneToOne(), bb.Exponential(5.), bb.CUBA(), weight=0.05 * u.nA).weight) == pytest.approx(50.0)
    hh = bb.HH(2)  # HH's input is a current density: so is a CUBA weight onto it
    assert float(bb.Projection(hh, hh, bb.OneToOne(), bb.Exponential(5.), bb.CUBA(), weight=1 * u.uA / u.cm ** 2).weight) == 1.0
    with pytest.raises(UnitMismatch):
        bb.Projection(hh, hh, bb.OneToOne(), bb.Exponential(5.), bb.CUBA(), weight=1 * u.mV)


def test_units_audit_rates_strict_blocks_and_initializer_checks():
    assert bb.NMDA(a=0.5 / u.ms).a == pytest.approx(0.5) and bb.NMDA(a=500 * u.Hz).a == pytest.approx(0.5)
    with bb.strict_units():
        with pytest.raises(UnitMismatch, match="write 0.5 / u.ms$"):
            bb.NMDA(a=0.5)
        with bb.strict_units(False):  # as a block, False turns it off inside (it turned it on)
            assert bb.LifRef(2, tau=20.).tau == 20.0
        with pytest.raises(UnitMismatch):
            bb.LifRef(2, tau=20.)
    # checked like bare numbers (they were accepted, and a NaN bound gave V = NaN)
    with pytest.raises(ValueError, match="min_val <= max_val"):
        bb.Uniform(-60 * u.mV, -70 * u.mV)
    with pytest.raises(ValueError, match="min_val <= max_val"):
        bb.Uniform(-60 * u.mV, float("nan") * u.mV)
    with pytest.raises(ValueError, match="scale must be a finite number >= 0"):
        bb.Normal(-55 * u.mV, -2 * u.mV)
    bb.Uniform(-0.07 * u.volt, -60 * u.mV)  # compared in one unit: -70 mV <= -60 mV


def test_strict_units_can_run_a_model_written_with_units():
    # units audit: strict mode refused the Runner's own defaults (t0 = 0.0, a Monitor's start) and the
    # numbers brainbatch converts again inside a run, so nothing could run under it
    with bb.strict_units():
        g = bb.LifRef(2, tau=20 * u.ms, V_rest=0 * u.mV, V_reset=-5 * u.mV, V_th=20 * u.mV, V_initializer=0 * u.mV,
                      I_bias=25 * u.mV, tau_ref=1 * u.ms, R=1.)
        runner = bb.Runner(g, monitors={"V": "V"}, dt=0.1 * u.ms, progress_bar=False)
        assert runner.run(1 * u.ms)["V"].shape == (10, 2)
        with pytest.raises(UnitMismatch, match="Runner.run: duration takes a time in ms and strict units are on"):
            runner.run(1.0)


def test_lists_of_quantities_and_runner_inputs_with_units():
    # units audit: both failed with brainunit's "Only dimensionless quantities can be converted to NumPy arrays"
    assert np.asarray(bb.LifRef(2, tau=[10 * u.ms, 0.02 * u.second]).tau).tolist() == [10.0, 20.0]
    with pytest.raises(UnitMismatch, match="tau takes a time \\(ms\\), got 20 mV"):
        bb.LifRef(2, tau=[10 * u.ms, 20 * u.mV])

    def last_V(inputs):
        g = bb.LifRef(2, V_initializer=bb.Constant(0.))
        return float(bb.Runner(g, monitors={"V": "V"}, inputs=inputs, progress_bar=False).run(1.)["V"][-1, 0])

    plain = last_V([("input", 5.)])
    for given in ([("input", 5 * u.mV)], [("input", 0.005 * u.volt)], [("input", np.full(10, 5.) * u.mV, "iter")],
                  [("input", lambda t: 5 * u.mV, "func")]):
        assert last_V(given) == plain
    with pytest.raises(UnitMismatch, match="input 'input' takes a potential \\(mV\\), got 5 ms"):
        last_V([("input", 5 * u.ms)])
    with pytest.raises(UnitMismatch, match="takes a plain number"):  # a factor has no unit
        last_V([("input", 2 * u.mV, "fix", "*")])
    # a dimensionless quantity is shown as its number: its unit read "1" ("got 5.0 1 (a plain number)")
    with pytest.raises(UnitMismatch, match=r"tau takes a time \(ms\), got 5.0 \(a plain number\)$"):
        bb.LifRef(2, tau=u.Quantity(5.0))


def test_units_audit_leftovers_truncated_bounds_pathways_tables_noise_and_micro():
    """What the units audit found still failing with brainunit's own message, now read in its unit."""
    import jax

    from brainbatch.core.units import parse_unit

    # TruncatedNormal's bounds (compared in one unit at construction): same draws as the plain numbers
    def v0(init):
        g = bb.LifRef(500, V_initializer=init)
        with bb.environment(key=jax.random.key(3)):
            g.reset_state()
        return np.asarray(g.V.value)
    plain = v0(bb.TruncatedNormal(-60., 2., -62., -58.))
    np.testing.assert_array_equal(v0(bb.TruncatedNormal(-60 * u.mV, 2 * u.mV, -62 * u.mV, -0.058 * u.volt)), plain)
    assert plain.min() >= -62. and plain.max() <= -58.
    with pytest.raises(ValueError, match="low < high"):
        bb.TruncatedNormal(0 * u.mV, 1 * u.mV, 1 * u.mV, 0.0005 * u.volt)

    # Pathways: weight tables in each target's unit, delay tables in ms, one quantity array for a whole table
    def table(weight, delay):
        E, I = bb.LifRef(40, name="E"), bb.LifRef(10, name="I")
        p = bb.models.Pathways({"E": E, "I": I}, {"E": E, "I": I}, bb.models.FixedTotalNumber.table([[160, 40], [40, 10]]),
                               bb.Exponential(0.5), bb.CUBA(), weight=weight, delay=delay)
        with bb.environment(key=jax.random.key(0)):
            p.reset_state()
        return np.asarray(p.weights.value), np.asarray(p.targets.value)
    plain = table([[1.0, -4.0], [1.0, -4.0]], [[1.5, 0.5], [bb.Normal(1.5, 0.75), None]])
    given = table([[1 * u.mV, -4000 * u.uvolt], [0.001 * u.volt, -4 * u.mV]],
                  [[1.5 * u.ms, 0.0005 * u.second], [bb.Normal(1.5 * u.ms, 0.75 * u.ms), None]])
    for a, b in zip(plain, given):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(table(np.array([[1.0, -4.0], [1.0, -4.0]]) * u.mV, 1.5 * u.ms)[0],
                                  table([[1.0, -4.0], [1.0, -4.0]], 1.5)[0])
    with pytest.raises(UnitMismatch, match="Pathways: weight takes a potential \\(mV\\), got 1 nS"):
        table([[1 * u.nS, 1.0], [1.0, 1.0]], None)
    with pytest.raises(UnitMismatch, match="Pathways: delay takes a time \\(ms\\), got 1 mV"):
        table(1.0, [[1 * u.mV, 1.0], [1.0, 1.0]])
    # a table's wrong entry is named by its place and groups (units audit: it was not)
    with pytest.raises(UnitMismatch, match="got 3 ms \\(a time\\), in entry \\[1\\]\\[0\\] \\(target 'I', source 'E'\\)$"):
        table([[1 * u.mV, 1 * u.mV], [3 * u.ms, 1 * u.mV]], None)
    with pytest.raises(UnitMismatch, match="got 2 mV \\(a potential\\), in entry \\[0\\]\\[1\\] \\(target 'E', source 'I'\\)$"):
        table(1.0, [[1.0, 2 * u.mV], [1.0, 1.0]])

    # noise amplitudes are x per sqrt(ms), as documented (they were declared unitless)
    assert bb.models.OUProcess(2, sigma=0.1 / u.second ** 0.5).sigma == pytest.approx(0.1 / np.sqrt(1000.))
    with pytest.raises(UnitMismatch, match="sigma takes .*got 0.1 mV"):
        bb.models.OUProcess(2, sigma=0.1 * u.mV)
    # the micro sign and the Greek mu both mean micro
    assert parse_unit("\u00b5V") == parse_unit("\u03bcV") == u.uvolt


def test_a_subclass_passing_quantities_to_super_init_gets_them_converted():
    # BrainPy's habit: a model class of one's own over a built-in one, its parameters written with units
    class MyLIF(bb.LifRef):
        def __init__(self, n, tau=20 * u.ms):
            super().__init__(n, tau=tau, V_th=-0.05 * u.volt, tau_ref=2 * u.ms)

    g = MyLIF(2)
    assert (g.tau, g.V_th, g.tau_ref) == (20.0, -50.0, 2.0)
    assert MyLIF(2, tau=0.01 * u.second).tau == 10.0  # converted by the subclass's call, not again
    with bb.strict_units():
        assert MyLIF(2).tau == 20.0
    with pytest.raises(UnitMismatch, match="tau takes a time"):
        MyLIF(2, tau=5 * u.mV)


def test_lists_and_initializers_of_quantities_keep_the_unit_they_were_given_in():
    # with C_m, I_bias in mV is R * I: 5 mV over R = tau / C_m = 0.1 GOhm is 50 pA, as a list too
    mV = bb.LifRef(2, tau=20 * u.ms, C_m=200 * u.pF, I_bias=5 * u.mV).I_bias
    assert mV == 50.0
    np.testing.assert_allclose(bb.LifRef(2, tau=20 * u.ms, C_m=200 * u.pF, I_bias=[5 * u.mV, 6 * u.mV]).I_bias,
                               [50.0, 60.0], rtol=1e-6)
    np.testing.assert_allclose(bb.LifRef(2, tau=20 * u.ms, C_m=200 * u.pF, I_bias=[50 * u.pA] * 2).I_bias, [50.0] * 2)
    np.testing.assert_allclose(bb.LifRef(2, tau=20 * u.ms, C_m=200 * u.pF, I_bias=bb.Constant(50 * u.pA)).I_bias,
                               [50.0] * 2)
    with pytest.raises(UnitMismatch, match="I_bias as an initializer in mV with C_m"):
        bb.LifRef(2, tau=20 * u.ms, C_m=200 * u.pF, I_bias=bb.Constant(5 * u.mV))


def test_a_coba_weight_in_siemens_is_refused_with_what_it_means():
    E = bb.LifRef(4, tau=20 * u.ms, V_th=-50 * u.mV, V_rest=-60 * u.mV, V_reset=-60 * u.mV, tau_ref=2 * u.ms)
    with pytest.raises(UnitMismatch, match=r"weight takes a plain number .* got 0.6 nS .* relative to the leak, g / g_L"):
        bb.Projection(E, E, bb.FixedProb(0.5), bb.Exponential(5 * u.ms), bb.COBA(0 * u.mV), weight=0.6 * u.nS)
    # a list of quantities is a weight in its target's unit too (it was passed on unconverted)
    assert in_units_of("weight", [500 * u.uvolt, 1 * u.mV], "mV").tolist() == [0.5, 1.0]


def test_strict_units_refuse_every_plain_number_a_user_gives_a_unit_to():
    # units audit: these bare numbers passed strict units (the Runner's dt, weights and inputs in their
    # target's unit, an initializer's bounds, lists, NumPy and JAX scalars)
    def group(**kw):
        params = dict(V_rest=-60 * u.mV, V_reset=-60 * u.mV, V_th=-50 * u.mV, tau=20 * u.ms, tau_ref=5 * u.ms)
        return bb.LifRef(4, **{**params, **kw})

    def proj(syn, out, weight):
        g = group()
        return bb.Projection(g, g, bb.FixedProb(0.5), syn, out, weight=weight)

    refused = {
        "dt takes a time in ms .* write 0.1 \\* u.ms": lambda: bb.Runner(group(), dt=0.1, progress_bar=False),
        "PoissonInput: weight takes a potential in mV .* write 0.5 \\* u.mV":
            lambda: bb.PoissonInput(group().V, 10, 5 * u.Hz, 0.5),
        "Projection: weight takes a potential in mV .* write 0.5 \\* u.mV":
            lambda: proj(bb.Exponential(5 * u.ms), bb.CUBA(), 0.5),
        "Projection: weight takes a potential .* write 1.5 \\* u.mV": lambda: proj(bb.Delta(), None, 1.5),
        "weight takes .* give Normal's mean, scale with the unit \\(mean=0.5 \\* u.mV, scale=0.1 \\* u.mV\\)":
            lambda: proj(bb.Exponential(5 * u.ms), bb.CUBA(), bb.Normal(0.5, 0.1)),
        "V_initializer takes a potential in mV .* \\(min_val=-70.0 \\* u.mV, max_val=-60.0 \\* u.mV\\)":
            lambda: group(V_initializer=bb.Uniform(-70., -60.)),
        "tau takes a time in ms .* write \\[20.0, 30.0, 20.0, 30.0\\] \\* u.ms": lambda: group(tau=[20., 30.] * 2),
        "tau takes a time in ms .* write 20.0 \\* u.ms$": lambda: group(tau=np.float32(20.)),
        "tau takes a time in ms .* write 25.0 \\* u.ms$": lambda: group(tau=jnp.asarray(25.)),
        "input 'input' takes a potential in mV .* write 2.0 \\* u.mV":
            lambda: bb.Runner(group(), inputs=[("input", 2.)], dt=0.1 * u.ms, progress_bar=False),
    }
    with bb.strict_units():
        for message, make in refused.items():
            with pytest.raises(UnitMismatch, match=message):
                make()
        # the same model with every value in its unit runs; a COBA weight (relative to the leak) and zeros
        # (the same in every unit) stay plain, and an input converted once is not refused when the run checks it
        g = group(V_initializer=bb.TruncatedNormal(-55 * u.mV, 2 * u.mV, high=-50 * u.mV))
        net = bb.Network(g=g, inp=bb.PoissonInput(g.V, 10, 5 * u.Hz, 0.5 * u.mV),
                         ee=bb.Projection(g, g, bb.FixedProb(0.5), bb.Exponential(5 * u.ms), bb.COBA(E=0 * u.mV),
                                          weight=0.5, delay=1 * u.ms))
        runner = bb.Runner(net, monitors={"V": "g.V"}, inputs=[("g.input", 2 * u.mV), ("g.V", 0.)], dt=0.1 * u.ms,
                           progress_bar=False)
        assert runner.run(1 * u.ms)["V"].shape == (10, 4)
    assert group(tau=[20., 30.] * 2).tau.tolist() == [20.0, 30.0] * 2  # off again: plain numbers in the convention


def test_an_initializer_given_a_unit_for_some_values_and_plain_numbers_for_others_is_refused():
    # units audit: Uniform(-0.07 V, -60.) compared -0.07 with -60 ("needs min_val <= max_val"), and
    # Normal(-0.055 V, 0.002) read the scale as 0.002 mV: a plain number beside a quantity has no one meaning
    with pytest.raises(UnitMismatch, match="Uniform: min_val is given with a unit \\(-0.07 V\\) but max_val is a "
                                           "plain number \\(-60.0\\); give max_val with its unit too"):
        bb.Uniform(-0.07 * u.volt, -60.)
    with pytest.raises(UnitMismatch, match="Normal: mean is given .* but scale is a plain number \\(0.002\\)"):
        bb.Normal(-0.055 * u.volt, 0.002)
    with pytest.raises(UnitMismatch, match="TruncatedNormal: mean .* but low, high are plain numbers"):
        bb.TruncatedNormal(-55 * u.mV, 2 * u.mV, -60., -50.)
    # zero and infinity mean the same in every unit
    assert bb.TruncatedNormal(-55 * u.mV, 2 * u.mV, high=0.).high == 0.0
    assert bb.Uniform(0., 5 * u.mV).min_val == 0.0


def test_a_unit_without_a_name_is_named_by_its_unit_and_spelled_as_python():
    # units audit: messages named compound dimensions by raw SI exponents ("a quantity of dimension s^-0.5")
    # and spelled the fix as u.Unit('1 / ms^0.5')
    with pytest.raises(UnitMismatch, match="^OUProcess: sigma takes a value in 1 / ms\\^0.5, got 5 mV \\(a potential\\)$"):
        bb.OUProcess(2, sigma=5 * u.mV)
    with pytest.raises(UnitMismatch, match="^LifRef: tau takes a time \\(ms\\), got 5.0 mV / ms\\^0.5$"):
        bb.LifRef(2, tau=5 * u.mV / u.ms ** 0.5)
    with bb.strict_units(), pytest.raises(UnitMismatch, match="write 0.1 / u.ms \\*\\* 0.5$") as err:
        bb.OUProcess(2, sigma=0.1)
    fix = str(err.value).rsplit("write ", 1)[1]
    assert bb.OUProcess(2, sigma=eval(fix, {"u": u})).sigma == pytest.approx(0.1)  # the fix it names runs


def test_a_runners_records_carry_their_units_as_a_store_labels_them():
    # units audit: RunResult carried no units (a store's records do: the `units` attribute)
    g = bb.LifRef(3, tau=20 * u.ms, C_m=200 * u.pF)
    net = bb.Network(E=g)
    out = bb.Runner(net, monitors={"V": "E.V", "I": "E.input", "count": bb.Monitor("E.spike", reduce="sum"),
                                   "spikes": "E.spike", "mean": lambda: g.V.value.mean()},
                    progress_bar=False).run(1 * u.ms)
    assert out.units == {"ts": "ms", "V": "mV", "I": "pA", "count": "1", "spikes": "1", "mean": ""}
    V = out.quantity("V")
    assert u.get_unit(V) == u.mV and np.array_equal(V.to_decimal(u.mV), out["V"])
    assert u.get_unit(out.quantity("ts")) == u.ms and out.quantity("mean") is out["mean"]
    with pytest.raises(KeyError, match="no record 'v' in this run. Did you mean 'V'?"):
        out.quantity("v")
    assert bb.Runner(g, progress_bar=False).mon.units == {}  # before any run


def test_a_float32_step_is_the_number_typed():
    # a jnp-backed quantity (or jnp.float32) of 0.1 ms was 0.10000000149 ms: every time label and step count
    # of the run carried the error (ts ended at 99.900001488626 for 100 ms)
    import jax.numpy as jnp

    for dt in (jnp.asarray(0.1) * u.ms, jnp.float32(0.1), np.float32(0.1)):
        runner = bb.Runner(bb.LIF(2), monitors=["V"], dt=dt, progress_bar=False)
        assert runner.dt == 0.1
        out = runner.run(jnp.asarray(100.0) * u.ms)
        assert len(out["ts"]) == 1000 and abs(out["ts"][-1] - 99.9) < 1e-9
