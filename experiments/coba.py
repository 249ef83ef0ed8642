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
    """Mean firing rate (Hz) of each population and of the whole network, per swept value."""
    rate_e = ds.bb.rates(var="spikes_E").mean("E_neuron")
    rate_i = ds.bb.rates(var="spikes_I").mean("I_neuron")
    n_e, n_i = ds.sizes["E_neuron"], ds.sizes["I_neuron"]
    total = (rate_e * n_e + rate_i * n_i) / (n_e + n_i)
    out = {"mean rate (Hz)": round(float(total.mean()), 2),
           "E rate (Hz)": round(float(rate_e.mean()), 2), "I rate (Hz)": round(float(rate_i.mean()), 2)}
    for dim in total.dims:
        if dim != "seed":
            by = total.mean([d for d in total.dims if d != dim])
            out.update({f"{dim}={v:g}": round(float(r), 2) for v, r in zip(by[dim].values, by.values)})
    return out
