"""CUBA network of Brette et al. (2007), benchmark 2 (as in the Brian2 example).

4000 LIF neurons (3200 E, 800 I): tau_m dV/dt = (E_l - V) + ge + gi with E_l = -49 mV,
V_th = -50 mV, V_reset = -60 mV, tau_m = 20 ms, refractory 5 ms; current-based exponential synapses
(tau_e = 5 ms, tau_i = 10 ms) with we = 60 * 0.27 / 10 = 1.62 mV and wi = -20 * 4.5 / 10 = -9 mV;
connection probability 0.02; V0 uniform between V_reset and V_th.

    brainbatch sweep experiments/cuba.py --seeds 4 -p we=1.2,1.62,2.0
"""
import brainbatch as bb
from _analysis import per_cell, unfinished

sweep = {}
monitors = {"spikes_E": "E.spike", "spikes_I": "I.spike"}
duration = 1000.0
dt = 0.1


def build(we=1.62, wi=-9.0, n_exc=3200, n_inh=800, prob=0.02):
    def group(n):
        return bb.LifRef(n, V_rest=-49.0, V_reset=-60.0, V_th=-50.0, tau=20.0, tau_ref=5.0,
                         V_initializer=bb.Uniform(-60.0, -50.0))

    E, I = group(n_exc), group(n_inh)

    def proj(pre, post, tau, w):
        return bb.Projection(pre, post, bb.FixedProb(prob), bb.Exponential(tau), bb.CUBA(), weight=w)

    return bb.Network(E=E, I=I, E2E=proj(E, E, 5.0, we), E2I=proj(E, I, 5.0, we),
                      I2E=proj(I, E, 10.0, wi), I2I=proj(I, I, 10.0, wi))


def analyse(ds):
    """Mean firing rate (Hz) of each population: over the seeds, for each swept value (each combination of the
    axes with more than one value), or over all runs when nothing is swept."""
    done = ds.get("done")  # a combination with no finished run is named, not given a line of NaN
    rate_e = ds.bb.rates(var="spikes_E").mean("E_neuron")
    left = unfinished(rate_e, done)
    rate_e, rate_i = per_cell(rate_e, done), per_cell(ds.bb.rates(var="spikes_I").mean("I_neuron"), done)
    if list(rate_e) == [""]:
        return {"E rate (Hz)": round(rate_e[""], 2), "I rate (Hz)": round(rate_i[""], 2), **left}
    return {**{key: f"E {rate_e[key]:.2f} Hz, I {rate_i[key]:.2f} Hz" for key in rate_e}, **left}
