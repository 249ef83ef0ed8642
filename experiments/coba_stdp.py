"""COBA E/I network (experiments/coba.py) with additive STDP on the E -> E synapses.

The network of docs/reference-models.md; the 3200 x 3200 excitatory recurrent synapses (p = 0.02, about
205,000) learn with pair-based STDP in Brian2's Song 2000 form (docs/plasticity.md): ``taupre = taupost =
20 ms``, ``dApre = dA w_max``, ``dApost = -ratio dApre``, weights in [0, ``w_max``], starting at ``we``.
``plastic=False`` is the same network with static weights (the cost of plasticity, bench/README.md).
bench/coba_stdp_brian2.py is the Brian2 version of the same run.

    brainbatch sweep experiments/coba_stdp.py --seeds 4 -p ratio=1.0,1.05,1.2
"""
import brainbatch as bb
from _analysis import per_cell, unfinished

sweep = {}
monitors = {"spikes_E": "E.spike", "w": bb.Monitor("E2E.w", index=slice(0, None, 100), every=1000)}
duration = 1000.0
dt = 0.1


def build(we=0.6, wi=6.7, w_max=1.2, dA=0.01, ratio=1.05, plastic=True):
    def group(n):
        return bb.LifRef(n, V_rest=-60.0, V_reset=-60.0, V_th=-50.0, tau=20.0, tau_ref=5.0, I_bias=20.0,
                         V_initializer=bb.Normal(-55.0, 2.0))

    E, I = group(3200), group(800)
    rule = bb.STDP(dApre=dA * w_max, dApost=-ratio * dA * w_max, taupre=20.0, taupost=20.0, w_min=0.0, w_max=w_max)

    def proj(pre, post, tau, e_rev, w, plasticity=None):
        return bb.Projection(pre, post, bb.FixedProb(0.02), bb.Exponential(tau), bb.COBA(e_rev), weight=w,
                             plasticity=plasticity)

    return bb.Network(
        E=E, I=I,
        E2E=proj(E, E, 5.0, 0.0, we, rule if plastic else None), E2I=proj(E, I, 5.0, 0.0, we),
        I2E=proj(I, E, 10.0, -80.0, wi), I2I=proj(I, I, 10.0, -80.0, wi),
    )


def analyse(ds):
    """Excitatory rate and the mean recorded E -> E weight at the last record (padding slots are NaN in the
    record, so the plain mean counts real synapses only): over the seeds, for each swept value (each combination
    of the axes with more than one value), or over all runs when nothing is swept."""
    done = ds.get("done")  # a combination with no finished run is named, not given a line of NaN
    rate = ds.bb.rates(var="spikes_E").mean("E_neuron")
    left, rate = unfinished(rate, done), per_cell(rate, done)
    w = per_cell(ds["w"].isel({ds["w"].dims[-2]: -1}).mean(ds["w"].dims[-1]), done) if "w" in ds else None
    if list(rate) == [""]:
        return {"E rate (Hz)": round(rate[""], 2), **({"mean w (last record)": round(w[""], 4)} if w else {}), **left}
    return {**{key: f"E {rate[key]:.2f} Hz" + (f", mean w {w[key]:.4f} (last record)" if w else "") for key in rate},
            **left}
