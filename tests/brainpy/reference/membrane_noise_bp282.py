"""Reference statistics for ``tests/brainpy/test_noise.py``: noise-driven neuron populations in BrainPy 2.8.2.

Run with BrainPy 2.8.2 (not a dependency of brainbatch), from outside the repository:
``python tests/brainpy/reference/membrane_noise_bp282.py``. For every model: 400 neurons, constant input
(below the noiseless rheobase: without noise none of them fires), ``noise=`` as given,
dt 0.1 ms, 200 ms, statistics after 50 ms, seeds 0-7 (``bm.random.seed``). Prints per model the mean and
the seed-to-seed standard deviation of the firing rate (Hz) and of V's variance over the neurons (averaged
over time), and of I1's variance for ``Gif`` (BrainPy puts its noise on I1: the first of its equations)
and of a's for ``ALIFBellec2020``.
"""
import warnings

import numpy as np
import brainpy as bp
import brainpy.math as bm

warnings.filterwarnings("ignore")
bm.set_dt(0.1)
N, T, WARM, SEEDS = 400, 200.0, 500, range(8)
C = bp.init.Constant
CASES = {  # name: (builder, input, extra monitored variable)
    "AdExIFRef": (lambda: bp.dyn.AdExIFRef(N, tau_ref=2., noise=3., V_initializer=C(-65.)), 6., None),
    "AdQuaIF": (lambda: bp.dyn.AdQuaIF(N, noise=4., V_initializer=C(-65.)), 12., None),
    "Izhikevich": (lambda: bp.dyn.Izhikevich(N, noise=2.), 3., None),
    "Gif": (lambda: bp.dyn.Gif(N, noise=0.2), 0.8, "I1"),
    "HH": (lambda: bp.dyn.HH(N, noise=3., V_initializer=C(-65.)), 2., None),
    "MorrisLecar": (lambda: bp.dyn.MorrisLecar(N, noise=3., V_initializer=C(-60.)), 60., None),
    "WangBuzsakiHH": (lambda: bp.dyn.WangBuzsakiHH(N, noise=2.), 1., None),
    "HindmarshRose": (lambda: bp.neurons.HindmarshRose(N, noise=0.5), 1., None),
    "FHN": (lambda: bp.neurons.FHN(N, noise=0.2), 0.2, None),
    "LeakyIntegrator": (lambda: bp.neurons.LeakyIntegrator(N, noise=1.), 2., None),
    "ALIFBellec2020": (lambda: bp.neurons.ALIFBellec2020(N, V_rest=0., V_th=10., tau_a=200., noise=2.,
                                                         V_initializer=C(0.)), 8., "a"),
}

for name, (build, current, extra) in CASES.items():
    stats = []
    for seed in SEEDS:
        bm.random.seed(seed)
        neu = build()
        monitors = ["V"] + (["spike"] if hasattr(neu, "spike") else []) + ([extra] if extra else [])
        runner = bp.DSRunner(neu, monitors=monitors, progress_bar=False)
        runner.run(inputs=np.full((int(T / 0.1), N), current, np.float32))
        mon = {k: np.asarray(runner.mon[k])[WARM:] for k in monitors}
        stats.append([mon["spike"].mean() / 1e-4 if "spike" in mon else 0.0, mon["V"].var(axis=1).mean(),
                      mon[extra].var(axis=1).mean() if extra else 0.0])
    s = np.asarray(stats)
    print(f"{name:16s} rate {s[:, 0].mean():8.3f} +- {s[:, 0].std(ddof=1):6.3f} Hz   "
          f"var V {s[:, 1].mean():10.4f} +- {s[:, 1].std(ddof=1):8.4f}" +
          (f"   var {extra} {s[:, 2].mean():.5f} +- {s[:, 2].std(ddof=1):.5f}" if extra else ""), flush=True)

# BrainPy 2.8.2 printed:
# AdExIFRef        rate   48.331 +-  0.444 Hz   var V    21.5627 +-   0.1976
# AdQuaIF          rate   22.400 +-  0.436 Hz   var V   101.3362 +-   1.0043
# Izhikevich       rate    5.092 +-  0.186 Hz   var V    30.5170 +-   0.8015
# Gif              rate    4.258 +-  0.264 Hz   var V    13.3317 +-   0.5188   var I1 0.09811 +- 0.00108
# HH               rate   36.519 +-  0.570 Hz   var V   518.7519 +-   8.6854
# MorrisLecar      rate    9.675 +-  0.597 Hz   var V   445.0359 +-  14.8477
# WangBuzsakiHH    rate    0.000 +-  0.000 Hz   var V     4.6174 +-   0.0290
# HindmarshRose    rate    4.327 +-  0.235 Hz   var V     0.1427 +-   0.0049
# FHN              rate   55.275 +-  1.028 Hz   var V     1.3850 +-   0.0126
# LeakyIntegrator  rate    0.000 +-  0.000 Hz   var V     5.0790 +-   0.0863
# ALIFBellec2020   rate   21.058 +-  0.372 Hz   var V    21.1948 +-   0.3576   var a 0.80561 +- 0.02454
