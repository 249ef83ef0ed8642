"""BrainPy 2.9-style scripts written with ``brainunit`` quantities (docs/units.md, docs/migrating-from-brainpy.md)
run by their imports and give bitwise the run written with the convention's floats."""
import brainunit as u
import numpy as np

import brainbatch.brainpy as bp


def _ei_net(ms, mV):
    class EINet(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.N = bp.dyn.LifRef(1000, V_rest=-60. * mV, V_th=-50. * mV, V_reset=-60. * mV, tau=20. * ms,
                                   tau_ref=5. * ms, V_initializer=bp.init.Normal(-55. * mV, 2. * mV))
            self.delay = bp.VarDelay(self.N.spike, entries={'I': None})
            self.E = bp.dyn.ProjAlignPostMg1(comm=bp.dnn.EventJitFPHomoLinear(800, 1000, prob=0.08, weight=0.6),
                                             syn=bp.dyn.Expon.desc(size=1000, tau=5. * ms),
                                             out=bp.dyn.COBA.desc(E=0. * mV), post=self.N)
            self.I = bp.dyn.ProjAlignPostMg1(comm=bp.dnn.EventJitFPHomoLinear(200, 1000, prob=0.08, weight=6.7),
                                             syn=bp.dyn.Expon.desc(size=1000, tau=10. * ms),
                                             out=bp.dyn.COBA.desc(E=-80. * mV), post=self.N)

        def update(self, inp):
            spk = self.delay.at('I')
            self.E(spk[:800])
            self.I(spk[800:])
            self.delay(self.N(inp))
            return self.N.spike.value

    return EINet()


def test_a_brainpy_29_script_with_units_runs_and_equals_the_float_script():
    runs = []
    for ms, mV in ((u.ms, u.mV), (1.0, 1.0)):
        model = _ei_net(ms, mV)
        # one seed for both (a runner without seed= draws its own, as each BrainPy model draws new numbers)
        runner = bp.DSRunner(model, monitors={"spk": model.N.spike}, progress_bar=False, seed=0)
        runner.run(50. * ms, inputs=np.full(500, 20.))
        runs.append(np.asarray(runner.mon["spk"]))
    assert runs[0].shape == (500, 1000) and runs[0].any()
    np.testing.assert_array_equal(runs[0], runs[1])


def test_a_quantity_passed_to_update_is_read_in_the_inputs_unit():
    g = bp.dyn.LifRef(3)
    g.add_external(0.02 * u.volt)
    assert np.allclose(np.asarray(g.input.value), 20.0)
