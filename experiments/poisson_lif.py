"""Poisson-driven LIF: 4000 LIF neurons, each driven only by a PoissonInput of 1000 sources.

As in docs/reference-models.md: V_rest = V_reset = -60 mV, V_th = -50 mV, tau 20 ms, refractory 5 ms (V clamped, so
input that arrives while a neuron is refractory is dropped), V0 ~ N(-55, 2) mV, no bias, no
recurrence; each neuron gets num_input = 1000 sources at `rate` Hz, each adding `weight` = 0.06 mV.
At 10 Hz Brian2 gives 24.5 Hz, which is also the analytic value (the input is nearly deterministic:
V_inf = -48 mV, time to threshold 20 ln 6 = 35.8 ms, plus 5 ms refractory).

Sweep the input rate to get the output rate curve:
    brainbatch sweep experiments/poisson_lif.py -p rate=5,7.5,10,12.5,15
"""
import brainbatch as bb
from _analysis import per_cell, unfinished

sweep = {"rate": [6.0, 8.0, 10.0, 12.0, 14.0]}
monitors = {"spikes": "E.spike"}
duration = 1000.0
dt = 0.1


def build(rate=10.0, weight=0.06, num_input=1000, n=4000):
    E = bb.LifRef(n, V_rest=-60.0, V_reset=-60.0, V_th=-50.0, tau=20.0, tau_ref=5.0,
                  V_initializer=bb.Normal(-55.0, 2.0))
    drive = bb.PoissonInput(E.V, num_input=num_input, freq=rate, weight=weight)
    return bb.Network(E=E, drive=drive)


def analyse(ds):
    """Output rate (Hz, mean over neurons and seeds) for each swept value (each combination of the axes with more
    than one value: the input rate, the weight...), or over all runs when nothing is swept."""
    done = ds.get("done")  # a combination with no finished run is named, not given a line of NaN
    rates = ds.bb.rates(var="spikes").mean("E_neuron")
    left, rates = unfinished(rates, done), per_cell(rates, done)
    if list(rates) == [""]:
        return {"mean rate": f"{rates['']:.2f} Hz", **left}
    return {**{key: f"{value:.2f} Hz" for key, value in rates.items()}, **left}
