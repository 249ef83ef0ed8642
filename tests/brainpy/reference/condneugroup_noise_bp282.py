"""BrainPy 2.8.2 reference numbers for ``test_noise_on_a_group_of_channels_is_brainpys`` in
tests/brainpy/test_noise.py (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/condneugroup_noise_bp282.py

400 Hodgkin-Huxley neurons made of channels (``bp.dyn.CondNeuGroupLTC`` with ``INa_HH1952``, ``IK_HH1952``,
``IL``; V from -65 mV, ``noise=3.0``), input 4, 200 ms at dt 0.1 ms, ``bm.random.seed(s)`` for s = 0..5: the
rate and the mean over neurons of V's variance after 50 ms. Printed: 61.564 +- 0.225 Hz, 1408.728 +- 3.297 mV^2
(brainbatch over the same seeds: 61.417 +- 0.353 Hz, 1406.324 +- 4.043 mV^2).
"""
import numpy as np
import brainpy as bp
import brainpy.math as bm


class HH(bp.dyn.CondNeuGroupLTC):
    def __init__(self, size):
        super().__init__(size, V_initializer=bp.init.Constant(-65.), noise=3.0)
        self.INa = bp.dyn.INa_HH1952(size)
        self.IK = bp.dyn.IK_HH1952(size)
        self.IL = bp.dyn.IL(size, E=-54.387, g_max=0.03)


rates, variances = [], []
for s in range(6):
    bm.random.seed(s)
    model = HH(400)
    model.reset_state()
    runner = bp.DSRunner(model, monitors=['spike', 'V'], inputs=('input', 4.), progress_bar=False)
    runner.run(200.)
    rates.append(np.asarray(runner.mon['spike'])[500:].mean() * 1e4)
    variances.append(np.asarray(runner.mon['V'])[500:].var(axis=0).mean())
print("rate %.3f +- %.3f  V variance %.3f +- %.3f" % (np.mean(rates), np.std(rates, ddof=1), np.mean(variances),
                                                        np.std(variances, ddof=1)))
