"""COBA E/I network (Vogels & Abbott 2005, as in the Brian2 and BrainPy examples).

4000 LIF neurons, 3200 excitatory and 800 inhibitory (docs/reference-models.md):
    tau_m dV/dt = ge (E_e - V) + gi (E_i - V) - (V - V_rest) + I_bias
with V_rest = V_reset = -60 mV, V_th = -50 mV, tau_m = 20 ms, refractory 5 ms (V clamped),
I_bias = 20 mV, V0 ~ N(-55, 2) mV. Conductances are in units of the leak conductance and decay
exponentially (tau_e = 5 ms, tau_i = 10 ms); a spike adds we = 0.6 to ge or wi = 6.7 to gi of its
targets; each population connects to all 4000 neurons with probability 0.02; no delays;
exponential Euler at dt = 0.1 ms.

Brian2 2.9 gives 21.8 +- 1.1 Hz over seeds (bench/reference_rates.py -> bench/reference_rates.json).

    brainbatch sweep experiments/coba.py --seeds 8 -p we=0.4,0.6,0.8

Physical values are written with their units (docs/units.md); ``we`` and ``wi`` are plain numbers
(conductances relative to the leak), ``bias`` takes ``-p bias=18mV``-style values.
"""
import brainunit as u

import brainbatch as bb
from _analysis import per_cell, unfinished

sweep = {}
monitors = {"spikes_E": "E.spike", "spikes_I": "I.spike"}
duration = 1.0 * u.second
dt = 0.1 * u.ms


def build(we=0.6, wi=6.7, n_exc=3200, n_inh=800, prob=0.02, bias=20.0 * u.mV):
    def group(n):
        return bb.LifRef(n, V_rest=-60.0 * u.mV, V_reset=-60.0 * u.mV, V_th=-50.0 * u.mV, tau=20.0 * u.ms,
                         tau_ref=5.0 * u.ms, I_bias=bias, V_initializer=bb.Normal(-55.0 * u.mV, 2.0 * u.mV))

    E, I = group(n_exc), group(n_inh)

    def proj(pre, post, tau, e_rev, w):
        return bb.Projection(pre, post, bb.FixedProb(prob), bb.Exponential(tau), bb.COBA(e_rev), weight=w)

    return bb.Network(
        E=E, I=I,
        E2E=proj(E, E, 5.0 * u.ms, 0.0 * u.mV, we), E2I=proj(E, I, 5.0 * u.ms, 0.0 * u.mV, we),
        I2E=proj(I, E, 10.0 * u.ms, -80.0 * u.mV, wi), I2I=proj(I, I, 10.0 * u.ms, -80.0 * u.mV, wi),
    )


def analyse(ds):
    """Mean firing rate (Hz) of the whole network and of each population: over the seeds, for each swept value
    (each combination of the axes with more than one value), or over all runs when nothing is swept."""
    rate_e, rate_i = ds.bb.rates(var="spikes_E"), ds.bb.rates(var="spikes_I")
    # each run's own neuron numbers: a swept n_exc or n_inh pads the smaller runs' rasters (NaN rates)
    total = ((rate_e.sum("E_neuron", min_count=1) + rate_i.sum("I_neuron", min_count=1))
             / (rate_e.count("E_neuron") + rate_i.count("I_neuron")))
    done = ds.get("done")  # a combination with no finished run is named, not given a line of NaN
    left = unfinished(total, done)
    total, rate_e, rate_i = (per_cell(total, done), per_cell(rate_e.mean("E_neuron"), done),
                             per_cell(rate_i.mean("I_neuron"), done))
    if list(total) == [""]:
        return {"mean rate (Hz)": round(total[""], 2), "E rate (Hz)": round(rate_e[""], 2),
                "I rate (Hz)": round(rate_i[""], 2), **left}
    return {**{key: f"mean {total[key]:.2f} Hz, E {rate_e[key]:.2f} Hz, I {rate_i[key]:.2f} Hz" for key in total},
            **left}
