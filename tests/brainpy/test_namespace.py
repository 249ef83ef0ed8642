"""brainbatch.brainpy: BrainPy's names as thin adapters over brainbatch, and clear errors for the rest."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
import brainbatch.brainpy as bp
from brainbatch.brainpy._compat import BrainPyDifferenceWarning
import brainbatch.brainpy.math as bm


def test_names_are_brainbatch_classes_not_copies():
    assert bm.Variable is bb.Variable
    # bm.exp, bm.where: jax.numpy's functions and numbers (outside a step as an array that changes in place,
    # tests/brainpy/test_bm_arrays_s34.py), made once
    x = np.linspace(-2., 2., 7, dtype=np.float32)
    assert np.array_equal(bm.exp(x), jnp.exp(x)) and bm.exp(x).dtype == jnp.exp(x).dtype and bm.exp is bm.exp
    assert np.array_equal(bm.where(x > 0, x, 0.), jnp.where(x > 0, x, 0.)) and bm.where is bm.where
    assert bm.exp.__wrapped__ is jnp.exp and bm.where.__wrapped__ is jnp.where
    # BrainPy's refractory LIF holds V by BrainPy's rule: bb.LIF with it, not bb.LifRef (Brian2's rule)
    assert issubclass(bp.neurons.LIF, bb.LIF) and not issubclass(bp.neurons.LIF, bb.LifRef)
    assert issubclass(bp.neurons.HH, bb.HH)
    # LifRefLTC: bp.neurons.LIF (BrainPy's LifRef) with the currents summed inside the derivative (_held_current.py)
    assert issubclass(bp.dyn.LifRefLTC, bp.neurons.LIF) and issubclass(bp.dyn.Expon, bb.Exponential)
    assert issubclass(bp.synapses.Exponential, bb.Projection) and issubclass(bp.dyn.FullProjAlignPost, bb.Projection)
    assert issubclass(bp.synouts.COBA, bb.COBA) and issubclass(bp.conn.FixedPostNum, bb.FixedPostNum)
    # BrainPy's FixedProb draws its sparse graphs by its own law (a fixed out-degree), a connector of its own
    assert issubclass(bp.conn.FixedProb, bb.AbstractConnector) and not issubclass(bp.conn.FixedProb, bb.FixedProb)
    assert issubclass(bp.DSRunner, bb.Runner) and issubclass(bp.NeuGroup, bb.NeuGroup)
    assert bb.brainpy is bp


@pytest.mark.parametrize("get, match", [
    (lambda: bp.train, "training is out of scope"),
    (lambda: bm.sharding.device_mesh, "Runner"),
    (lambda: bp.Delay, "register_delay"),
    (lambda: bp.nuerons, "Did you mean 'neurons'"),
    (lambda: bp.synapses.DelayCoupling, "synapse dynamics"),
    (lambda: bp.analysis, "phase-plane"),
    (lambda: bp.rates.JansenRitModel, "RateModel subclass"),
])
def test_unsupported_names_say_what_to_use(get, match):
    with pytest.raises(AttributeError, match=match):
        get()


def test_arguments_without_a_brainbatch_meaning_are_refused():
    with pytest.raises(TypeError, match="run's key"):
        bp.init.Normal(0.0, 1.0, seed=3)
    with pytest.raises(TypeError, match="noise must be a number or one value per neuron"):
        bp.neurons.Izhikevich(3, noise=lambda V, t: 0.1)
    with pytest.raises(ValueError, match="rk4"):
        bp.neurons.LIF(3, method="rk45_dopri")
    # bm.environment(x64=True) has a meaning since session 41: JAX's 64-bit mode in the block (test_x64_s41.py)


def test_odeint_with_brainpy_calling_convention():
    intg = bp.odeint(lambda v, t, tau: -v / tau, method="exp_auto")
    assert abs(float(intg(1.0, 0.0, 10.0, dt=0.1)) - np.exp(-0.01)) < 1e-6
    with bb.environment(dt=0.5):  # dt defaults to the step size
        assert abs(float(intg(bm.Variable(jnp.ones(2)), 0.0, 10.0)[0]) - np.exp(-0.05)) < 1e-6

    def pair(x, y, t, a):  # the variables come before t
        return -a * x, x - y

    x, y = bp.odeint(pair, method="rk4")(1.0, 0.0, 0.0, 2.0, dt=0.01)
    assert abs(float(x) - np.exp(-0.02)) < 1e-6
    with pytest.raises(ValueError, match="'t'"):
        bp.odeint(lambda v, tau: -v / tau)


class Cell(bp.NeuGroup):
    """BrainPy 2.3 style: update(tdi, x), Variables re-created in reset_state, bm.random in a step."""

    def __init__(self, n=4):
        super().__init__(n)
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.V = bm.Variable(bm.zeros(self.num))
        self.noise = bm.Variable(bm.zeros(self.num))
        self.input = bm.Variable(bm.zeros(self.num))
        self.t = bm.Variable(bm.zeros(1))

    def update(self, tdi, x=None):
        self.t.value = bm.zeros(1) + tdi.t
        self.noise.value = bm.random.normal(0.0, 1.0, self.num)
        self.V += self.input + (0.0 if x is None else x)


def test_update_with_tdi_and_variables_recreated_in_reset_state():
    cell = Cell()
    V = cell.V
    cell.reset_state()
    assert cell.V is V  # re-created Variables refill the one the graph holds
    with bb.environment(dt=0.5):
        cell.step_run(3, 1.0)
    assert cell.t.value.tolist() == [1.5] and cell.V.value.tolist() == [1.0] * 4
    net = bp.Network(cell=cell)
    net.step_run(0)  # the network calls the child without arguments: tdi is supplied
    assert cell.V.value.tolist() == [1.0] * 4


def test_random_draws_follow_the_run_seed():
    runs = [bp.DSRunner(Cell(), monitors=["noise"], progress_bar=False, seed=s).run(1.0)["noise"] for s in (1, 1, 2)]
    np.testing.assert_array_equal(runs[0], runs[1])
    assert not np.array_equal(runs[0], runs[2])
    assert not np.array_equal(runs[0][0], runs[0][1])  # a new draw every step
    z = runs[0].ravel()  # 40 standard normal draws
    assert abs(z.mean()) < 4 / np.sqrt(z.size)
    bm.random.seed(5)
    a = bm.random.rand(3)
    bm.random.seed(5)
    assert np.array_equal(bm.random.rand(3), a)


def test_groups_built_outside_a_run_draw_different_values():
    E = bp.neurons.LIF(50, V_initializer=bp.init.Normal(-55.0, 2.0))
    I = bp.neurons.LIF(50, V_initializer=bp.init.Normal(-55.0, 2.0))
    assert not np.array_equal(E.V.value, I.V.value)


def test_dsrunner_monitors_inputs_and_continuing_runs():
    cell = Cell(3)
    calls = []

    def drive(tdi):
        calls.append(1)
        cell.input.value = cell.input.value + 2.0

    runner = bp.DSRunner(cell, monitors={"V": cell.V, "t": lambda tdi: tdi.t, "first": (cell.V, [0])},
                         inputs=drive, dt=0.1, progress_bar=False)
    seconds, mon = runner.run(1.0, eval_time=True)
    assert seconds > 0 and mon.ts.shape == (10,) and mon["first"].shape == (10, 1)
    np.testing.assert_allclose(mon.V[:, 0], 2.0 * np.arange(1, 11))
    np.testing.assert_allclose(mon["t"], mon.ts, atol=1e-6)
    mon = runner.run(0.5)  # continues
    np.testing.assert_allclose(mon.V[:, 0], 2.0 * np.arange(11, 16))
    np.testing.assert_allclose(mon.ts, [1.0, 1.1, 1.2, 1.3, 1.4], atol=1e-6)
    mon = runner.run(0.5, reset_state=True)
    np.testing.assert_allclose(mon.V[:, 0], 2.0 * np.arange(1, 6))
    with pytest.raises(ValueError, match="not part of the model"):
        bp.DSRunner(cell, monitors={"x": bm.Variable(jnp.zeros(1))})
    # a new runner goes on from where the last one left the model (V = 10, step 5), as BrainPy's runners do
    # (a warm-up runner, then a recording one); reset_state=True starts over
    runner = bp.DSRunner(cell, monitors=["V"], inputs=[(cell.input, 1.0)], progress_bar=False)
    assert runner.run(0.2)["V"][:, 0].tolist() == [11.0, 12.0]
    # its times count from its own first step, as a new BrainPy runner's (the model's clock goes on)
    np.testing.assert_allclose(runner.mon.ts, [0.0, 0.1], atol=1e-6)
    assert runner.run(0.1)["V"][:, 0].tolist() == [13.0]
    runner = bp.DSRunner(cell, monitors=["V"], inputs=[(cell.input, 1.0)], progress_bar=False)
    assert runner.run(0.2, reset_state=True)["V"][:, 0].tolist() == [1.0, 2.0]


def test_batching_environment_gives_batched_models_and_results():
    with bm.environment(mode=bm.BatchingMode(3)):
        net = bp.Network(E=bp.neurons.LIF(5, tau_ref=2.0, V_initializer=bp.init.Uniform(-5.0, 20.0)))
    assert net.E.V.shape == (3, 5)
    mon = bp.DSRunner(net, monitors=["E.V"], inputs=("E.input", 30.0), progress_bar=False).run(2.0)
    assert mon["E.V"].shape == (3, 20, 5)
    mon_t = bp.DSRunner(net, monitors=["E.V"], data_first_axis="T", progress_bar=False).run(1.0)
    assert mon_t["E.V"].shape == (10, 3, 5)


def test_a_batched_model_of_ones_own_keeps_its_batch_when_a_run_resets_it():
    # BrainPy example audit (Wang 2002, batching): a model's reset_state(self, batch_size=None) passes its
    # argument to bp.init.variable_, where None means no batch axis; the run's reset called it with None,
    # and a model made in BatchingMode(3) ran unbatched. It gets its mode's batch size, as built-ins read it.
    class Stim(bp.NeuGroup):
        def __init__(self, size, mode=None):
            super().__init__(size=size, mode=mode)
            self.reset_state(self.mode)

        def reset_state(self, batch_size=None):
            self.count = bp.init.variable_(bm.zeros, 1, batch_size)
            self.spike = bp.init.variable_(lambda s: bm.zeros(s, dtype=bool), self.varshape, batch_size)

        def update(self):
            self.count.value = self.count.value + 1.0
            self.spike.value = bm.random.rand(*self.spike.shape) < 0.5

    stim = Stim(4, mode=bm.BatchingMode(3))
    mon = bp.DSRunner(stim, monitors=["spike", "count"], progress_bar=False).run(1.0)
    assert mon["spike"].shape == (3, 10, 4) and mon["count"].shape == (3, 10, 1)
    assert mon["count"][:, -1, 0].tolist() == [10.0] * 3
    assert not np.array_equal(mon["spike"][0], mon["spike"][1])  # each row of the batch draws its own
    plain = Stim(4)
    assert bp.DSRunner(plain, monitors=["spike"], progress_bar=False).run(1.0)["spike"].shape == (10, 4)


def test_projections_from_comm_objects_check_sizes():
    E, I = bp.dyn.LifRef(30), bp.dyn.LifRef(10)
    comm = bp.dnn.EventJitFPHomoLinear(30, 10, prob=0.2, weight=0.5)
    proj = bp.dyn.FullProjAlignPost(pre=E, delay=0.1, comm=comm, syn=bp.dyn.Expon(size=10, tau=5.0),
                                    out=bp.dyn.COBA(E=0.0), post=I)
    assert proj.weight == 0.5 and proj.syn.g.shape == (10,)
    with pytest.warns(BrainPyDifferenceWarning, match="event op takes every nonzero synaptic state g as one spike"):
        pre_aligned = bp.dyn.FullProjAlignPreSDMg(pre=E, syn=bp.dyn.Expon.desc(size=30, tau=5.0), delay=None,
                                                  comm=comm, out=bp.dyn.COBA.desc(E=0.0), post=I)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the plain comm takes g as it is, as brainbatch does: nothing to say
        bp.dyn.FullProjAlignPreSDMg(pre=E, syn=bp.dyn.Expon.desc(size=30, tau=5.0), delay=None,
                                    comm=bp.dnn.JitFPHomoLinear(30, 10, prob=0.2, weight=0.5),
                                    out=bp.dyn.COBA.desc(E=0.0), post=I)
    assert pre_aligned.syn.g.shape == (10,)  # linear synapses: the state lives on the post side
    with pytest.raises(ValueError, match="num_out=10"):
        bp.dyn.FullProjAlignPost(pre=E, delay=None, comm=comm, syn=bp.dyn.Expon(size=30), out=bp.dyn.CUBA(), post=E)
    with pytest.raises(TypeError, match="comm must be"):
        bp.dyn.FullProjAlignPost(pre=E, delay=None, comm=0.5, syn=bp.dyn.Expon(size=10), out=bp.dyn.CUBA(), post=I)


def test_for_loop_adapter_and_jit():
    v = bm.Variable(jnp.zeros(()))

    def body(x):
        v.value += x
        return v

    assert bm.for_loop(body, bm.arange(4.0)).tolist() == [0.0, 1.0, 3.0, 6.0]
    assert not isinstance(v.value, jax.core.Tracer)
    with pytest.raises(TypeError, match="remat"):
        bm.for_loop(body, bm.arange(2.0), remat=True)


def test_each_runner_keeps_its_own_clock_as_brainpys():
    # BrainPy's DSRunner tutorial builds several runners on one model. Each keeps its own clock while the
    # model's state goes on: a new runner's t starts at 0, so a neuron that fired in the warm-up stays
    # refractory (V held) until the new clock passes its spike time; a runner run again goes on from its own
    # last step. BrainPy 2.8.2: tests/brainpy/reference/runner_clocks_bp282.py
    g = bp.neurons.LIF(1, V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.)
    bp.DSRunner(g, inputs=("input", 20.), progress_bar=False).run(12.)  # spikes at t = 0 (V0 = 0), then climbs
    mon = bp.DSRunner(g, monitors=["V"], inputs=("input", 20.), progress_bar=False).run(0.31)  # 3 steps
    np.testing.assert_allclose(mon["V"][:, 0], [-54.1644] * 3, rtol=0, atol=1e-4)
    np.testing.assert_allclose(mon.ts, [0.0, 0.1, 0.2], atol=1e-6)
    h = bp.dyn.LifRef(1, V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.)  # per-step update arguments
    bp.DSRunner(h, progress_bar=False).run(inputs=np.full(120, 20.))
    mon = bp.DSRunner(h, monitors={"V": h.V}, progress_bar=False).run(inputs=np.full(2, 20.))
    np.testing.assert_allclose(mon["V"][:, 0], [-54.1644] * 2, rtol=0, atol=1e-4)
    E = bp.neurons.LIF(4, V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.)
    r = bp.DSRunner(E, monitors=["spike"], inputs=[("input", 30.)], progress_bar=False)
    r2 = bp.DSRunner(E, monitors=["spike"], inputs=[("input", 30.)], progress_bar=False)
    steps = [np.flatnonzero(np.asarray(run(50.)["spike"])[:, 0]).tolist() for run in (r.run, r2.run, r.run)]
    assert steps == [[0, 132, 263, 395], [473], [105, 237, 369]]
    np.testing.assert_allclose(np.asarray(r.mon.ts)[[0, -1]], [50.0, 99.9], atol=1e-5)


def test_brainpy_habits_from_its_tutorials():
    # from the audit of BrainPy's own scripts: class checks, list monitors with indices, proj.refs, the
    # older projection names, bp.reset_state and measure.raster_plot
    E = bp.dyn.LifRef(10)
    proj = bp.dyn.FullProjAlignPostMg(pre=E, delay=None, comm=bp.dnn.EventJitFPHomoLinear(10, 10, prob=0.5, weight=0.1),
                                      syn=bp.dyn.Expon.desc(10, tau=5.), out=bp.dyn.COBA.desc(E=0.), post=E)
    net = bp.DynSysGroup(E=E, proj=proj)
    assert isinstance(E, bp.DynamicalSystem) and isinstance(E, bp.dyn.NeuDyn) and isinstance(net, bp.DynSysGroup)
    assert isinstance(bb.LifRef(2), bp.NeuDyn) and not isinstance(E, bp.DynSysGroup)
    assert list(net.nodes().subset(bp.dyn.NeuDyn)) == ["E"] and "proj" in net.nodes().subset(bp.DynamicalSystem)

    class Own(bp.NeuGroup):
        def __init__(self):
            super().__init__(2)

        def update(self, tdi):
            pass

    assert issubclass(Own, bp.DynamicalSystem) and not isinstance(E, Own) and isinstance(Own(), bp.NeuDyn)
    assert proj.refs["syn"] is proj.syn and proj.refs["post"] is E and set(proj.refs) == {"pre", "post", "syn", "out", "comm"}
    assert bp.dyn.ProjAlignPost1 is bp.dyn.HalfProjAlignPost and bp.dyn.ProjAlignPost2 is bp.dyn.FullProjAlignPost
    # BrainPy 2.8.2's brainpy/dyn/projections/__init__.py (they were swapped: Mg2's positional (pre, syn, delay,
    # ...) call was a TypeError)
    assert bp.dyn.ProjAlignPreMg1 is bp.dyn.FullProjAlignPreDSMg and bp.dyn.ProjAlignPreMg2 is bp.dyn.FullProjAlignPreSDMg
    g = bp.neurons.LIF(5)
    mon = bp.DSRunner(g, monitors=[("spike", [1, 2]), "V"], inputs=("input", 26.), progress_bar=False).run(1.)
    assert mon["spike"].shape == (10, 2) and mon["V"].shape == (10, 5)  # keyed by the path, as in BrainPy
    g.V.value = g.V.value + 5.0
    bp.reset_state(g)
    assert np.all(np.asarray(g.V.value) == 0.0)
    index, times = bp.measure.raster_plot(np.array([[0, 1], [1, 0]], bool), np.array([0.0, 0.1]))
    assert index.tolist() == [1, 0] and times.tolist() == [0.0, 0.1]
    with pytest.raises(AttributeError, match="dyn.InputGroup is not supported by brainbatch: write it as a bp.NeuGroup"):
        bp.dyn.InputGroup


def test_a_runs_steps_are_brainpys_truncated_count():
    # BrainPy 2.8.2's DSRunner runs int(duration / dt) steps: run(0.3) at dt 0.1 is 2 steps there
    # (0.3 / 0.1 = 2.9999999999999996), run(10.05) 100; measured with BrainPy 2.8.2
    g = bp.neurons.LIF(1)
    for duration, steps in ((0.3, 2), (0.6, 5), (1.2, 11), (10.05, 100), (100.0, 1000)):
        runner = bp.DSRunner(g, monitors=["V"], progress_bar=False)
        assert len(runner.run(duration)["V"]) == steps, duration
    with pytest.raises(ValueError, match="at least one step"):
        bp.DSRunner(g, progress_bar=False).run(0.05)


def test_batched_inputs_are_batch_first_unless_data_first_axis_is_time():
    # BrainPy 2.8.2: the same script gives V[:, 50, 0] = [9.987604, 4.993802] with either layout
    x = np.ones((2, 100, 3), np.float32) * 25.
    x[1] *= 0.5
    results = []
    for axis, inputs in ((None, x), ('T', np.moveaxis(x, 0, 1))):
        g = bp.dyn.LifRef(3, mode=bm.BatchingMode(2), V_initializer=bp.init.Constant(0.))
        g.reset_state(batch_size=2)
        runner = bp.DSRunner(g, monitors=['V'], progress_bar=False, data_first_axis=axis)
        runner.run(inputs=inputs)
        V = np.asarray(runner.mon['V'])
        results.append(V[:, 50, 0] if axis is None else V[50, :, 0])
        assert V.shape == ((2, 100, 3) if axis is None else (100, 2, 3))
    np.testing.assert_allclose(results[0], [9.987604, 4.993802], rtol=1e-5)
    np.testing.assert_array_equal(results[0], results[1])


def test_the_hand_written_synapse_base_is_where_brainpy_282_keeps_it():
    # BrainPy 2.8.2 has bp.dyn.SynConn (its customize_synapse_models tutorial subclasses it); 2.3's bp.SynConn stays
    assert bp.dyn.SynConn is bp.SynConn and "SynConn" in bp.dyn.__all__


def test_brainpys_check_switch_set_environment_and_bp_ode():
    """Lines BrainPy's own examples start with (whole_brain_simulation_with_sl_oscillator.py: bp.check.turn_off())."""
    import brainbatch.brainpy as bp
    import brainbatch.brainpy.math as bm

    bp.check.turn_off()
    assert bp.check.is_checking() is False
    bp.check.turn_on()
    bm.set_environment(dt=0.05)  # BrainPy's other name of bm.set
    assert bm.get_dt() == 0.05
    # bp.ode holds BrainPy's integrator classes (it was refused with a hint to use bp.odeint)
    assert bp.ode.ODEIntegrator is bp.integrators.ODEIntegrator and callable(bp.ode.RK4)


def test_brainpys_older_top_level_names_and_sde_constants():
    """BrainPy 2.4-2.6 still take bp.CondNeuGroup, bp.Channel, bp.NeuGroupNS (Li 2017's thalamus model,
    multi_scale_COBAHH) and bp.dyn.DSRunner / bp.dyn.Network (2.3); its SDE tutorial spells the SDE kinds
    bp.integrators.STRA_SDE... 'bp.CondNeuGroup' said "Did you mean 'NeuGroup'?", the wrong way."""
    assert bp.CondNeuGroup is bp.dyn.CondNeuGroup and bp.Channel is bp.dyn.IonChannel and bp.NeuGroupNS is bp.NeuGroup
    assert bp.dyn.DSRunner is bp.DSRunner and bp.dyn.Network is bp.Network
    assert (bp.integrators.ITO_SDE, bp.integrators.STRA_SDE) == ("Ito", "Stratonovich")
    assert (bp.integrators.SCALAR_WIENER, bp.integrators.VECTOR_WIENER) == ("scalar", "vector")
    bp.sdeint(f=lambda x, t: -x, g=lambda x, t: 0.1 + 0. * x, intg_type=bp.integrators.STRA_SDE,
              wiener_type=bp.integrators.VECTOR_WIENER)
    # bp.SynOut is the outputs' base, for annotations (test_survey5.py); a subclass of one's own is refused
    with pytest.raises(TypeError, match="use bp.synouts.COBA, CUBA or MgBlock"):
        type("MyOut", (bp.SynOut,), {})


@pytest.mark.parametrize("per_step_inputs", [False, True])
def test_a_recording_runner_after_a_warm_up_one_draws_new_noise(per_step_inputs):
    # BrainPy's global random state goes on from runner to runner. Runners given one seed: a new runner's
    # step keys count from 0 again, so it draws from a stream of the seed no runner drew on the model
    # (docs/random.md); before, it drew the warm-up's noise again
    class Draw(bp.DynamicalSystem):
        def __init__(self):
            super().__init__()
            self.x = bm.Variable(bm.zeros(1000))

        def update(self, *args):
            self.x.value = bm.random.randn(1000)

    net = Draw()
    run = (lambda r: r.run(inputs=np.zeros(5))) if per_step_inputs else (lambda r: r.run(0.5))
    warm = run(bp.DSRunner(net, monitors=["x"], progress_bar=False, seed=7))["x"]
    record = run(bp.DSRunner(net, monitors=["x"], progress_bar=False, seed=7))["x"]
    assert warm.shape == record.shape == (5, 1000)
    assert abs(np.corrcoef(warm.ravel(), record.ravel())[0, 1]) < 5 / np.sqrt(warm.size)


def test_initializers_called_as_brainpy_calls_them_and_init_helpers():
    # Susin & Destexhe 2021 and Wang 2002: bp.init.Uniform(-65., -50.)(n), bp.init.variable_, bp.init.parameter
    bm.random.seed(1)
    first = bp.init.Uniform(-65.0, -50.0)(4000)
    bm.random.seed(1)
    np.testing.assert_array_equal(bp.init.Uniform(-65.0, -50.0)(4000), first)  # reproducible after seed(s)
    # uniform on [-65, -50): mean -57.5 +- 5 sigma of the mean of 4000 draws (sigma = 15 / sqrt(12))
    assert first.min() >= -65.0 and first.max() < -50.0
    assert abs(float(first.mean()) + 57.5) < 5 * 15 / np.sqrt(12 * 4000)
    assert not np.array_equal(bp.init.Uniform(-65.0, -50.0)(4000), first)  # the stream goes on
    v = bp.init.variable_(bp.init.Normal(0.0, 1.0), 5, bm.BatchingMode(3))
    assert isinstance(v, bm.Variable) and v.shape == (3, 5) and v.batch_axis == 0
    assert bp.init.variable_(bm.zeros(5), 5, 2).shape == (2, 5)
    assert bp.init.parameter(bp.init.Constant(2.0), 3).tolist() == [2.0, 2.0, 2.0]
    assert bp.init.parameter(0.5, 3) == 0.5 and bp.init.parameter(None, 3) is None
    with pytest.raises(ValueError, match=r"expected a parameter of shape \(5,\), got one of shape \(3,\)"):
        bp.init.parameter(bm.zeros(3), 5)


def test_notebook_habits_cls_jit_and_raster_colour():
    # the Hopfield notebooks decorate a model's method with bm.cls_jit; it runs as written, inside a run too
    class Count(bp.NeuGroup):
        def __init__(self):
            super().__init__(2)
            self.n = bm.Variable(bm.zeros(2))

        @bm.cls_jit
        def bump(self):
            self.n.value = self.n + 1.0

        def update(self):
            self.bump()

    c = Count()
    c.bump()
    assert np.asarray(c.n.value).tolist() == [1.0, 1.0]
    out = bp.DSRunner(c, monitors=["n"], progress_bar=False).run(0.2)
    assert out["n"][:, 0].tolist() == [2.0, 3.0]
    assert bm.cls_jit(static_argnums=0)(Count.bump) is Count.bump
    # Wang 2002 draws its rasters with color='': BrainPy's "no colour", the axes' cycle
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    bp.visualize.raster_plot(np.arange(3.0), np.eye(3, dtype=bool), ax=ax, color="")
    assert len(ax.lines) == 1
    plt.close(fig)


def test_a_models_own_random_state_draws_bm_randoms_numbers():
    # Wang 2002 (PoissonStim) and Bouchacourt 2019: self.rng = bm.random.RandomState(), drawn in update
    class Poisson(bp.NeuGroup):
        def __init__(self, n):
            super().__init__(n)
            self.rng = bm.random.RandomState()
            self.spike = bm.Variable(bm.zeros(n, dtype=bool))

        def update(self):
            self.spike.value = self.rng.random(self.num) < 0.2

    out = bp.DSRunner(Poisson(2000), monitors=["spike"], progress_bar=False, seed=3).run(1.0)["spike"]
    # Bernoulli(0.2): the mean of 20 000 draws within 5 sigma; each step draws anew
    assert abs(out.mean() - 0.2) < 5 * np.sqrt(0.2 * 0.8 / out.size)
    assert not np.array_equal(out[0], out[1])
